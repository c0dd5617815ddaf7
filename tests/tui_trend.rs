//! The trend chart on the Snapshots screen and the risk heat map on the Results screen, on
//! the demo with three snapshots (a decision resolved between each two): frames on
//! ratatui's `TestBackend`, compared with insta snapshots at 80×24 and 200×60.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::frame;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use stackmap::tui::action::Action;
use stackmap::tui::keymap;
use stackmap::tui::state::{App, Screen, Session};
use stackmap::tui::{update::update, view};
use stackmap::workspace::{Sources, load_assessment};

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("valid")
}

fn key(app: &mut App, code: KeyCode) {
    if let Some(a) = keymap::action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        update(app, a, now());
    }
}

/// `question` may be `SUBJECT/QUESTION` for a system's or flow's question.
fn unknown(home: &Path, f: &str, questionnaire: &str, question: &str) {
    let mut args = vec!["answer", f, "--questionnaire", questionnaire, "--unknown"];
    match question.split_once('/') {
        Some((subject, q)) => args.extend(["--subject", subject, "--question", q]),
        None => args.extend(["--question", question]),
    }
    let out = common::run(home, &args);
    assert!(out.status.success(), "{}", common::lossy(&out.stderr));
}

/// The demo with snapshots a day apart; one decision resolved after each.
fn demo_with_three_snapshots() -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = stackmap::demo::write(&dir.path().join("demo.toml"), false).expect("demo");
    let f = common::path_str(&path).to_string();
    let sources = Sources::default();
    let changes = [
        ("source-of-truth", "consent-sync"),
        ("coupling", "dual-writes"),
        ("vendor-fit", "akeneo/pim-completeness"),
    ];
    for (i, (label, (q, x))) in ["kick-off", "workshop 2", "review"]
        .iter()
        .zip(changes)
        .enumerate()
    {
        let at = now() + chrono::Duration::days(i as i64);
        stackmap::snapshot::take_file(&sources, &path, label, at).expect("snapshot");
        unknown(dir.path(), &f, q, x);
    }
    let content = Arc::new(sources.content_strict().expect("content"));
    let a = load_assessment(&path, &content).expect("loads");
    let session = Session::new(&content, path.clone(), a, "J. Doe".into(), false).expect("profile");
    // In colour: the heat map's cells are checked for it.
    let mut app = App::new(content, Vec::new(), false);
    update(&mut app, Action::Opened(Box::new(session)), now());
    (dir, path, app)
}

#[test]
fn the_snapshots_screen_charts_the_trend() {
    let (_dir, path, mut app) = demo_with_three_snapshots();
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.screen, Screen::Snapshots);
    let (entries, skipped) = stackmap::tui::snapshot_entries(&path);
    assert_eq!(entries.len(), 3);
    update(&mut app, Action::SnapshotsListed(entries, skipped), now());
    app.status.clear();
    let small = frame(&app, 80, 24);
    assert!(
        small.contains("Trend over 3 snapshots and the live file"),
        "{small}"
    );
    assert!(
        small.contains("resolved 3"),
        "one decision resolved after each snapshot:\n{small}"
    );
    insta::assert_snapshot!("trend_snapshots_80x24", small);
    let big = frame(&app, 200, 60);
    assert!(
        big.contains("Operating model"),
        "dimension lines where there is room:\n{big}"
    );
    insta::assert_snapshot!("trend_snapshots_200x60", big);
}

#[test]
fn the_results_screen_shows_the_risk_heat_map() {
    let (_dir, _path, mut app) = demo_with_three_snapshots();
    for _ in 0..Screen::TABS.len() {
        if app.screen == Screen::Results {
            break;
        }
        key(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.screen, Screen::Results);
    app.status.clear();
    key(&mut app, KeyCode::Right);
    let small = frame(&app, 80, 24);
    assert!(small.contains("Risk heat map"), "{small}");
    insta::assert_snapshot!("heatmap_results_80x24", small);
    // Coloured by band: Adyen's vendor fit (80) green, a fair 61 plain, its resilience (0)
    // red; dimensions without enough answers show no mark.
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    t.draw(|f| view::draw(f, &app)).expect("draws");
    let buf = t.backend().buffer().clone();
    let row = (0..24u16)
        .find(|&y| {
            (0..80u16)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .contains("▪ Adyen")
        })
        .expect("Adyen's row");
    let marks: Vec<ratatui::style::Color> = (0..80u16)
        .filter(|&x| buf[(x, row)].symbol() == "■")
        .map(|x| buf[(x, row)].fg)
        .collect();
    use ratatui::style::Color;
    assert_eq!(marks, [Color::Green, Color::Reset, Color::Red], "{marks:?}");
    insta::assert_snapshot!("heatmap_results_200x60", frame(&app, 200, 60));
}

/// Enter on the folded re-ranks opens them and steps onto the first, so the view follows the
/// lines that opened below; Enter on the fold line again folds them.
#[test]
fn opening_the_reranks_steps_onto_the_first_of_them() {
    use stackmap::tui::screens::snapshots::DiffTarget;
    let (_dir, path, mut app) = demo_with_three_snapshots();
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.screen, Screen::Snapshots);
    let (entries, skipped) = stackmap::tui::snapshot_entries(&path);
    update(&mut app, Action::SnapshotsListed(entries, skipped), now());
    // The oldest snapshot against the live file: re-ranks among the changes.
    key(&mut app, KeyCode::Char(' '));
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    let lines = &app.screens.snapshots.lines;
    let Some(fold) = lines
        .iter()
        .position(|l| l.target == Some(DiffTarget::Fold))
    else {
        panic!("no re-ranks between the first snapshot and the live file");
    };
    app.screens.snapshots.focus = 1;
    app.screens.snapshots.line = fold;
    key(&mut app, KeyCode::Enter);
    let sn = &app.screens.snapshots;
    assert!(sn.reranks_open);
    assert_eq!(sn.line, fold + 1);
    assert!(matches!(
        sn.lines[fold + 1].target,
        Some(DiffTarget::Decision(_))
    ));
    app.screens.snapshots.line = fold;
    key(&mut app, KeyCode::Enter);
    assert!(!app.screens.snapshots.reranks_open);
}

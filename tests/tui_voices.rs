//! Several voices on one question at 80×24 (issue 21): five answers to it (four respondents
//! and the assessor), each with a note, must fit the interview's pane — each on a row, cut
//! with "…" — or, where even that is too tall, the first of them and how many more; never run
//! past the pane unseen. Frames on ratatui's `TestBackend`, an insta snapshot at 80×24.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::frame;
use stackmap::tui::action::Action;
use stackmap::tui::state::{App, Session};
use stackmap::tui::update::update;
use stackmap::workspace::{Sources, load_assessment};

const FIXTURE: &str = "tests/fixtures/voices/five-voices.toml";

const NAMES: [&str; 5] = [
    "the assessor",
    "Ana Ruiz",
    "Bo Lind",
    "Chen Wu",
    "Dee Okonkwo-Halvorsen",
];

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("valid")
}

/// The fixture opened on the question all five answered.
fn app() -> App {
    let content = Arc::new(Sources::default().content_strict().expect("content"));
    let path = PathBuf::from(FIXTURE);
    let a = load_assessment(&path, &content).expect("the fixture loads");
    let session =
        Session::new(&content, path, a, "J. Doe".into(), false).expect("profile in force");
    let mut app = App::new(content, Vec::new(), true);
    update(&mut app, Action::Opened(Box::new(session)), now());
    app.status.clear();
    let s = app.session.as_mut().expect("open");
    s.cursor = s
        .asked
        .iter()
        .position(|&i| &*s.eval.questions[i].question == "glue-code-owner")
        .expect("asked");
    app
}

#[test]
fn five_answers_to_one_question_all_show_at_80x24() {
    let app = app();
    let shown = frame(&app, 80, 24);
    assert!(shown.contains("Answers (they differ):"), "{shown}");
    for name in NAMES {
        assert!(
            shown.contains(&format!("{name}: ")),
            "{name} missing:\n{shown}"
        );
    }
    // The one that counts is marked; a row too long for the pane ends in "…".
    assert!(shown.contains("✓ the assessor: "), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.contains("Ana Ruiz:") && l.ends_with("…│")),
        "{shown}"
    );
    insta::assert_snapshot!("five_voices_80x24", shown);
}

#[test]
fn at_wide_sizes_every_answer_is_whole_with_its_note_and_why_it_counts() {
    let app = app();
    let shown = frame(&app, 200, 60);
    assert!(
        shown.contains("“The agency that wrote the scripts left in 2024.”"),
        "{shown}"
    );
    assert!(
        shown.contains("✓ counts: the assessor's own answer"),
        "{shown}"
    );
    assert!(
        !shown.contains("more — all on the Results screen"),
        "{shown}"
    );
}

#[test]
fn too_short_for_every_answer_the_pane_says_how_many_more_and_keeps_the_one_that_counts() {
    let mut app = app();
    // The speaker's answer counts only once it is final: make the last respondent's final,
    // so the one that counts comes after those that fit.
    let s = app.session.as_mut().expect("open");
    for a in s
        .assessment
        .answers
        .iter_mut()
        .filter(|a| a.question == "glue-code-owner")
    {
        a.is_final = a.respondent.as_deref() == Some("dee");
    }
    s.refresh(&app.content.clone());
    let shown = frame(&app, 80, 21);
    assert!(
        shown.contains("… and 4 more — all on the Results screen"),
        "{shown}"
    );
    assert!(shown.contains("✓ Dee Okonkwo-Halvorsen: "), "{shown}");
    assert!(!shown.contains("Ana Ruiz: "), "{shown}");
    // A few rows more: more of them, still with the count.
    let shown = frame(&app, 80, 22);
    assert!(shown.contains("… and 3 more"), "{shown}");
    assert!(shown.contains("the assessor: "), "{shown}");
    assert!(shown.contains("✓ Dee Okonkwo-Halvorsen: "), "{shown}");
}

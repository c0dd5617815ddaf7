//! Merge conflicts in the terminal UI (issue 21): a file `stackmap merge` left `[[conflict]]`
//! entries in opens on their list; each is settled with one key (ours or theirs) through the
//! checked edit path — saved, re-scored, undone with Ctrl-z — and the list moves on, then says
//! none is left. Keys go through the keymap, frames are drawn on ratatui's `TestBackend` and
//! compared with insta snapshots at 80×24 and 200×60.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use stackmap::model::{AnswerState, Assessment};
use stackmap::tui::action::{Action, Do};
use stackmap::tui::keymap::{self, Context};
use stackmap::tui::state::{App, Effect, Overlay, Screen, Session};
use stackmap::tui::update::update;
use stackmap::workspace::{Sources, load_assessment};

const BASE: &str = "tests/fixtures/valid/assessment.toml";

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("valid")
}

fn base() -> Assessment {
    common::load_text(&std::fs::read_to_string(BASE).expect("fixture")).expect("loads")
}

/// The idempotent-create answer of the fixture's orders-to-erp flow (the assessor's).
fn idempotent(a: &Assessment) -> Option<AnswerState> {
    a.answers
        .iter()
        .find(|x| x.question == "idempotent-create" && x.respondent.is_none())
        .map(|x| x.state.clone())
}

fn set_idempotent(a: &mut Assessment, state: AnswerState) {
    let x = a
        .answers
        .iter_mut()
        .find(|x| x.question == "idempotent-create" && x.respondent.is_none())
        .expect("the fixture answers it");
    x.state = state;
}

/// Two assessors' copies of the fixture merged three-way, as `stackmap merge A B --base O`
/// writes it: three conflicts (an answer, the engagement's title, a system's name).
fn merged() -> Assessment {
    let o = base();
    let (mut a, mut b) = (o.clone(), o.clone());
    set_idempotent(&mut a, AnswerState::Unknown);
    set_idempotent(&mut b, AnswerState::NotApplicable);
    a.engagement.title = "Replatforming discovery (ours)".into();
    b.engagement.title = "Replatforming discovery, phase 1 (theirs)".into();
    a.systems
        .iter_mut()
        .find(|s| s.id == "algolia")
        .expect("algolia")
        .name = "Algolia Search".into();
    b.systems
        .iter_mut()
        .find(|s| s.id == "algolia")
        .expect("algolia")
        .name = "Algolia NeuralSearch".into();
    let m = stackmap::merge::merge(&a, &b, Some(&o));
    assert_eq!(m.new_conflicts, 3, "{:#?}", m.assessment.conflicts);
    m.assessment
}

/// `a` written to a file in a fresh folder and opened, as the loop opens one.
fn open_written(a: &Assessment) -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("merged.toml");
    std::fs::write(&path, stackmap::save::to_toml(a)).expect("write");
    let content = Arc::new(Sources::default().content_strict().expect("content"));
    let loaded = load_assessment(&path, &content).expect("a merged file loads");
    let session = Session::new(&content, path.clone(), loaded, "J. Doe".into(), false)
        .expect("profile in force");
    let mut app = App::new(content, Vec::new(), true);
    update(&mut app, Action::Opened(Box::new(session)), now());
    // "opened /tmp/…": a path that differs on every run.
    app.status.clear();
    (dir, path, app)
}

/// Performs the effects as the loop does (a save written atomically, then `Saved`).
fn perform(app: &mut App, effects: Vec<Effect>) {
    for e in effects {
        match e {
            Effect::Save { path, text } => {
                stackmap::save::write_atomic(&path, &text).expect("saved");
                update(app, Action::Saved("10:00:00".into()), now());
            }
            Effect::ListSnapshots(p) => {
                let (entries, skipped) = stackmap::tui::snapshot_entries(&p);
                update(app, Action::SnapshotsListed(entries, skipped), now());
            }
            other => panic!("unexpected effect {other:?}"),
        }
    }
}

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let ev = KeyEvent::new(code, modifiers);
    if let Some(a) = keymap::action(app, ev) {
        let effects = update(app, a, now());
        perform(app, effects);
    }
}

fn key(app: &mut App, c: char) {
    press(app, KeyCode::Char(c), KeyModifiers::NONE);
}

fn on_disk(path: &Path) -> Assessment {
    common::load_text(&std::fs::read_to_string(path).expect("read")).expect("the saved file loads")
}

fn conflicts(app: &App) -> Vec<String> {
    let s = app.session.as_ref().expect("open");
    s.assessment
        .conflicts
        .iter()
        .map(|c| c.about.clone())
        .collect()
}

fn list_open(app: &App) -> bool {
    matches!(app.overlay, Some(Overlay::Merge(_)))
}

#[test]
fn a_merged_file_opens_on_its_conflicts_listed_and_the_status_bar_counts_them() {
    let (_dir, _path, mut app) = open_written(&merged());
    assert!(list_open(&app), "the list opens with the file");
    let small = frame(&app, 80, 24);
    for about in conflicts(&app) {
        assert!(small.contains(&about), "{about} listed:\n{small}");
    }
    assert!(
        small.contains("3 merge conflicts to settle — press M"),
        "{small}"
    );
    // Both sides of the first, each line the other side lacks marked.
    assert!(small.contains("≠ unknown = true"), "{small}");
    assert!(small.contains("≠ na = true"), "{small}");
    insta::assert_snapshot!("merge_conflicts_80x24", small);
    insta::assert_snapshot!("merge_conflicts_200x60", frame(&app, 200, 60));
    // The sides run past the box at 80×24: the border says so, and J scrolls them.
    assert!(small.contains("J more below"), "{small}");
    assert!(!small.contains("at = 2026"), "{small}");
    key(&mut app, 'J');
    let scrolled = frame(&app, 80, 24);
    assert!(scrolled.contains("at = 2026"), "{scrolled}");
    assert!(!scrolled.contains("J more below"), "{scrolled}");
    key(&mut app, 'K');
    assert_eq!(frame(&app, 80, 24), small);
    // Narrower, the sides stand one above the other.
    let narrow = frame(&app, 60, 50);
    let at = |what: &str| {
        narrow
            .lines()
            .position(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what}:\n{narrow}"))
    };
    assert!(at("ours · this file") < at("≠ unknown = true"));
    assert!(at("≠ unknown = true") < at("theirs · the other file"));
    assert!(at("theirs · the other file") < at("≠ na = true"));
    // Closed, the status bar still says it on every screen, and M opens the list again.
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!list_open(&app));
    for _ in 0..Screen::TABS.len() {
        let shown = frame(&app, 80, 24);
        assert!(
            shown
                .lines()
                .last()
                .is_some_and(|l| l.contains("3 merge conflicts to settle")),
            "{shown}"
        );
        press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    }
    key(&mut app, 'M');
    assert!(list_open(&app));
}

#[test]
fn the_home_screen_names_the_open_files_conflicts() {
    let (_dir, _path, mut app) = open_written(&merged());
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    key(&mut app, 'H');
    assert_eq!(app.screen, Screen::Home);
    let shown = frame(&app, 80, 24);
    assert!(
        shown.contains("merged.toml: 3 merge conflicts to settle — press M"),
        "{shown}"
    );
    key(&mut app, 'M');
    assert!(list_open(&app), "M lists them from the home screen too");
}

#[test]
fn keep_theirs_puts_the_other_files_version_on_disk_and_moves_to_the_next() {
    let (_dir, path, mut app) = open_written(&merged());
    let first = conflicts(&app)[0].clone();
    assert!(first.contains("idempotent-create"), "{first}");
    assert_eq!(idempotent(&on_disk(&path)), Some(AnswerState::Unknown));
    key(&mut app, 't');
    let saved = on_disk(&path);
    assert_eq!(idempotent(&saved), Some(AnswerState::NotApplicable));
    assert!(
        saved.conflicts.iter().all(|c| c.about != first),
        "entry gone"
    );
    assert_eq!(saved.conflicts.len(), 2);
    // The evaluation follows: the answer that counts is theirs now.
    let s = app.session.as_ref().expect("open");
    let q = s
        .eval
        .questions
        .iter()
        .find(|q| {
            &*q.question == "idempotent-create" && q.subject.as_deref() == Some("orders-to-erp")
        })
        .expect("evaluated");
    assert!(q.na, "the re-scored question is not applicable");
    // The list stays open, on the next conflict, and says what was done.
    assert!(list_open(&app));
    let shown = frame(&app, 80, 24);
    assert!(shown.contains("1/2 engagement title"), "{shown}");
    assert!(shown.contains("theirs (the other file's)"), "{shown}");
    assert!(shown.contains("2 merge conflicts to settle"), "{shown}");
}

#[test]
fn keep_ours_leaves_the_files_version_and_drops_the_entry() {
    let (_dir, path, mut app) = open_written(&merged());
    // The system's conflict: down to it, keep ours.
    key(&mut app, 'j');
    key(&mut app, 'j');
    assert!(frame(&app, 80, 24).contains("3/3 system algolia"));
    key(&mut app, 'o');
    let saved = on_disk(&path);
    assert_eq!(
        saved.system("algolia").map(|s| s.name.as_str()),
        Some("Algolia Search")
    );
    assert_eq!(saved.conflicts.len(), 2);
    assert!(saved.conflicts.iter().all(|c| c.about != "system algolia"));
    // Past the last one, the list goes back to the first left.
    assert!(frame(&app, 80, 24).contains("1/2 answer flow-contract/idempotent-create"));
}

#[test]
fn ctrl_z_brings_a_settled_conflict_back_on_disk_and_in_the_list() {
    let (_dir, path, mut app) = open_written(&merged());
    let before = conflicts(&app);
    key(&mut app, 't');
    assert_eq!(conflicts(&app).len(), 2);
    press(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(conflicts(&app), before);
    let saved = on_disk(&path);
    assert_eq!(saved.conflicts.len(), 3, "the entry is back on disk");
    assert_eq!(
        idempotent(&saved),
        Some(AnswerState::Unknown),
        "ours back in place"
    );
    assert!(frame(&app, 80, 24).contains("1/3 answer flow-contract/idempotent-create"));
}

#[test]
fn settling_the_last_one_says_none_is_left_and_the_notice_goes() {
    let (_dir, path, mut app) = open_written(&merged());
    key(&mut app, 't');
    key(&mut app, 'o');
    assert!(frame(&app, 80, 24).contains("1 merge conflict to settle — press M"));
    key(&mut app, 't');
    let saved = on_disk(&path);
    assert!(saved.conflicts.is_empty());
    assert_eq!(saved.engagement.title, "Replatforming discovery (ours)");
    assert_eq!(
        saved.system("algolia").map(|s| s.name.as_str()),
        Some("Algolia NeuralSearch")
    );
    let shown = frame(&app, 80, 24);
    assert!(shown.contains("Every merge conflict is settled"), "{shown}");
    assert!(!shown.contains("merge conflicts to settle"), "{shown}");
    assert!(!shown.contains("merge conflict to settle"), "{shown}");
    insta::assert_snapshot!("merge_conflicts_settled_80x24", shown);
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    let shown = frame(&app, 80, 24);
    assert!(!shown.contains("merge conflict"), "{shown}");
    // Reopened, a file without conflicts does not show the list.
    let (_dir2, _p, app) = open_written(&saved);
    assert!(!list_open(&app));
}

/// A settle the core refuses (here: the side kept would not load) is shown with its reason;
/// the assessment, the file and the list stay as they were.
#[test]
fn a_side_that_cannot_be_kept_is_refused_with_the_reason_and_nothing_changes() {
    let mut a = merged();
    // The other file's version of the system names a category stackmap does not know.
    let c = a
        .conflicts
        .iter_mut()
        .find(|c| c.about == "system algolia")
        .expect("the system's conflict");
    assert!(c.theirs.contains("category = \"search\""), "{c:?}");
    c.theirs = c
        .theirs
        .replace("category = \"search\"", "category = \"no-such-category\"");
    let (_dir, path, mut app) = open_written(&a);
    let disk = std::fs::read_to_string(&path).expect("read");
    let held = app.session.as_ref().expect("open").assessment.clone();
    key(&mut app, 'j');
    key(&mut app, 'j');
    key(&mut app, 't');
    assert_eq!(app.session.as_ref().expect("open").assessment, held);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), disk);
    assert!(app.status.starts_with("not settled:"), "{}", app.status);
    let shown = frame(&app, 80, 24);
    assert!(
        shown.contains("would leave a file stackmap refuses"),
        "{shown}"
    );
    assert!(shown.contains("3 merge conflicts to settle"), "{shown}");
    assert!(
        shown.contains("3/3 system algolia"),
        "still on it:\n{shown}"
    );
    // Ours can still be kept.
    key(&mut app, 'o');
    assert_eq!(on_disk(&path).conflicts.len(), 2);
}

#[test]
fn a_read_only_session_lists_conflicts_but_settles_none() {
    let a = merged();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("merged.toml");
    std::fs::write(&path, stackmap::save::to_toml(&a)).expect("write");
    let content = Arc::new(Sources::default().content_strict().expect("content"));
    let loaded = load_assessment(&path, &content).expect("loads");
    let session =
        Session::new(&content, path.clone(), loaded, "J. Doe".into(), true).expect("session");
    let mut app = App::new(content, Vec::new(), true);
    update(&mut app, Action::Opened(Box::new(session)), now());
    assert!(list_open(&app));
    key(&mut app, 't');
    assert_eq!(conflicts(&app).len(), 3);
    assert_eq!(on_disk(&path).conflicts.len(), 3);
    assert!(app.status.contains("read-only"), "{}", app.status);
}

#[test]
fn the_list_keys_are_in_the_table_and_clash_with_nothing() {
    // What the hint on screen names is what the keys do.
    assert_eq!(keymap::key(Context::Merge, Do::KeepOurs), "o");
    assert_eq!(keymap::key(Context::Merge, Do::KeepTheirs), "t");
    assert_eq!(keymap::key(Context::Global, Do::MergeConflicts), "M");
    // M is free on every screen (a screen's own binding would shadow it).
    for screen in std::iter::once(Screen::Home).chain(Screen::TABS.iter().copied()) {
        let on: Vec<_> = keymap::bindings(Context::On(screen))
            .filter(|b| b.keys.contains(&keymap::Key::Char('M')))
            .map(|b| b.does)
            .collect();
        assert_eq!(on, [Do::MergeConflicts], "{screen:?}");
    }
    // The help of every screen lists it.
    let help = keymap::help(Context::On(Screen::Interview));
    assert!(
        help.iter()
            .any(|(k, h)| k == "M" && h.contains("merge conflicts"))
    );
}

/// One side removed a system, the other added a flow to it: the merge takes the flow out of
/// the file into a conflict (`theirs` empty). Neither key may lose it silently.
#[test]
fn a_fact_naming_what_the_other_side_removed_is_never_lost() {
    let o = base();
    let mut ours = o.clone();
    stackmap::edit::remove_system(&mut ours, "algolia");
    let mut theirs = o.clone();
    let mut f = theirs.flows[0].clone();
    f.id = "search-feed".into();
    f.to = "algolia".into();
    theirs.flows.push(f);
    let m = stackmap::merge::merge(&ours, &theirs, Some(&o)).assessment;
    let (_dir, path, mut app) = open_written(&m);
    let about = "flow search-feed names removed system algolia";
    let at = conflicts(&app)
        .iter()
        .position(|c| c == about)
        .expect("the conflict");
    for _ in 0..at {
        key(&mut app, 'j');
    }
    let disk = std::fs::read_to_string(&path).expect("read");
    // Ours is the flow: kept, it would name a system the file no longer has. Refused, said
    // why, nothing changed.
    key(&mut app, 'o');
    assert!(app.status.starts_with("not settled:"), "{}", app.status);
    assert_eq!(std::fs::read_to_string(&path).expect("read"), disk);
    assert_eq!(conflicts(&app).len(), 1);
    let shown = frame(&app, 80, 24);
    assert!(
        shown.contains("keeping ours puts flow search-feed back in the file"),
        "{shown}"
    );
    // Theirs has no such flow: kept, the flow stays out and the entry goes.
    key(&mut app, 't');
    let saved = on_disk(&path);
    assert!(saved.conflicts.is_empty());
    assert!(saved.flow("search-feed").is_none());
    // With the system back, keeping ours puts the flow back in the file.
    let mut back = m.clone();
    back.systems
        .push(o.system("algolia").expect("in the base").clone());
    back.canonicalise();
    let content = Sources::default().content_strict().expect("content");
    let id = back.conflicts[at].id.clone();
    let kept = stackmap::merge::settle(&content, &back, &id, stackmap::merge::Keep::Ours)
        .expect("it loads now");
    assert!(kept.conflicts.is_empty());
    assert_eq!(
        kept.flow("search-feed").map(|f| f.to.as_str()),
        Some("algolia")
    );
}

/// The merge of a side that removed algolia with one that added a flow to it: the flow is out
/// of the file, in a conflict; `at` is its row in the list, opened on it.
fn taken_out_flow() -> (Assessment, Assessment, usize) {
    let o = base();
    let mut ours = o.clone();
    stackmap::edit::remove_system(&mut ours, "algolia");
    let mut theirs = o.clone();
    let mut f = theirs.flows[0].clone();
    f.id = "search-feed".into();
    f.to = "algolia".into();
    theirs.flows.push(f);
    let m = stackmap::merge::merge(&ours, &theirs, Some(&o)).assessment;
    let at = m
        .conflicts
        .iter()
        .position(|c| c.about == "flow search-feed names removed system algolia")
        .expect("the conflict");
    (o, m, at)
}

/// A fact the merge took out of the file is in neither side's place in it: the titles say
/// so ("taken out", what each key then does), not "ours · this file" over a side the file
/// does not hold. At 80×24 both titles stand whole beside each other.
#[test]
fn a_taken_out_fact_is_labelled_as_out_of_the_file() {
    let (_o, m, at) = taken_out_flow();
    let (_dir, _path, mut app) = open_written(&m);
    for _ in 0..at {
        key(&mut app, 'j');
    }
    for (w, h) in [(80, 24), (200, 60), (60, 50)] {
        let shown = frame(&app, w, h);
        assert!(
            shown.contains("flow search-feed names removed system"),
            "{shown}"
        );
        assert!(!shown.contains("ours · this file"), "{w}×{h}:\n{shown}");
        assert!(
            !shown.contains("theirs · the other file"),
            "{w}×{h}:\n{shown}"
        );
        assert!(
            shown.contains("ours · taken out · o puts it back"),
            "{w}×{h}:\n{shown}"
        );
        assert!(
            shown.contains("theirs · t leaves it out"),
            "{w}×{h}:\n{shown}"
        );
    }
    insta::assert_snapshot!("merge_conflict_taken_out_80x24", frame(&app, 80, 24));
    // Kept, the box says what was done in the same words.
    key(&mut app, 't');
    assert!(
        app.status.contains("kept theirs (left out of the file)"),
        "{}",
        app.status
    );
}

/// Someone put the taken-out flow (and its system) back by hand, not quite as the conflict
/// recorded it; `t` then leaves the file as theirs says, without the flow — it used to drop the
/// entry and keep the hand-added flow. The titles follow: the file holds a version again, so
/// ours is "this file".
#[test]
fn keep_theirs_takes_a_hand_added_taken_out_fact_out_again() {
    let (o, mut m, at) = taken_out_flow();
    m.systems
        .push(o.system("algolia").expect("in the base").clone());
    let mut again = o.flows[0].clone();
    again.id = "search-feed".into();
    again.to = "algolia".into();
    again.name = "Search feed (put back by hand)".into();
    m.flows.push(again);
    m.canonicalise();
    let (_dir, path, mut app) = open_written(&m);
    for _ in 0..at {
        key(&mut app, 'j');
    }
    assert!(frame(&app, 80, 24).contains("ours · this file"));
    key(&mut app, 't');
    let saved = on_disk(&path);
    assert!(saved.conflicts.is_empty(), "{:?}", saved.conflicts);
    assert!(
        saved.flow("search-feed").is_none(),
        "theirs has no such flow: {:?}",
        saved.flow("search-feed")
    );
    assert!(saved.system("algolia").is_some(), "the rest stays");
    // Ctrl-z brings the hand-added flow and the entry back.
    press(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    let back = on_disk(&path);
    assert_eq!(back.conflicts.len(), 1);
    assert_eq!(
        back.flow("search-feed").map(|f| f.name.as_str()),
        Some("Search feed (put back by hand)")
    );
}

/// The first file deleted algolia and the second renamed it: the file holds theirs, and ours is
/// empty. The titles say which side is in the file; `o` takes it out (it used to leave theirs in
/// place under "ours · this file").
#[test]
fn a_fact_the_first_file_deleted_is_labelled_and_kept_as_deleted() {
    let o = base();
    let mut ours = o.clone();
    stackmap::edit::remove_system(&mut ours, "algolia");
    let mut theirs = o.clone();
    theirs
        .systems
        .iter_mut()
        .find(|s| s.id == "algolia")
        .expect("algolia")
        .name = "Algolia NeuralSearch".into();
    let m = stackmap::merge::merge(&ours, &theirs, Some(&o)).assessment;
    let (_dir, path, mut app) = open_written(&m);
    let at = conflicts(&app)
        .iter()
        .position(|c| c == "system algolia")
        .expect("the conflict");
    for _ in 0..at {
        key(&mut app, 'j');
    }
    let shown = frame(&app, 80, 24);
    assert!(shown.contains("ours · deleted · o takes it out"), "{shown}");
    assert!(shown.contains("theirs · this file · t keeps it"), "{shown}");
    assert!(!shown.contains("ours · this file"), "{shown}");
    key(&mut app, 'o');
    let saved = on_disk(&path);
    assert!(saved.conflicts.iter().all(|c| c.about != "system algolia"));
    assert!(saved.system("algolia").is_none(), "ours deleted it");
    assert!(
        app.status.contains("kept ours (taken out of the file)"),
        "{}",
        app.status
    );
}

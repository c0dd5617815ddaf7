//! Each question asked once (issue 18): no two questions in force ask for the same fact,
//! `check` says so when they do, and answers saved under a question that moved load at its
//! one home without losing what the client said.

mod common;

use std::path::Path;
use std::process::Command;

use stackmap::diag::Severity;
use stackmap::model::*;
use stackmap::validate::similar;
use stackmap::workspace::Sources;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_stackmap"));
    c.env(
        "STACKMAP_HOME",
        std::env::temp_dir().join("stackmap-one-home-test-home"),
    );
    c
}

#[test]
fn no_two_shipped_questions_ask_for_the_same_fact() {
    let (content, diags) = Sources::default().content();
    let same: Vec<String> = diags
        .iter()
        .filter(|d| d.message.contains("ask for the same fact"))
        .map(|d| d.to_string())
        .collect();
    assert!(same.is_empty(), "{same:#?}");
    assert!(similar::pairs(&content.questionnaires).is_empty());
}

/// The pairs the issue named, put back beside the shipped content: `check` must find each.
#[test]
fn check_warns_when_the_named_duplicates_come_back() {
    let out = bin()
        .args(["check", "--questionnaires", "tests/fixtures/one-home/dups"])
        .output()
        .unwrap();
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "warnings only: {err}");
    for (again, home) in [
        ("checkout-sync-calls", "coupling/checkout-sync-calls"),
        ("mp-buffers", "source-of-truth/channel-buffer"),
        (
            "mp-health-monitoring",
            "source-of-truth/oversell-monitoring",
        ),
        ("account-health", "source-of-truth/oversell-monitoring"),
        ("psp-settlement", "source-of-truth/psp-settlement"),
    ] {
        let needle = format!("`t-asked-again/{again}` and `{home}` ask for the same fact");
        assert!(err.contains(&needle), "missing: {needle}\n{err}");
    }
}

#[test]
fn distinct_from_silences_one_pair_only() {
    let text = std::fs::read_to_string("tests/fixtures/one-home/dups/asked-again.toml").unwrap();
    let text = text.replacen(
        "id = \"mp-buffers\"\n",
        "id = \"mp-buffers\"\ndistinct_from = [\"source-of-truth/channel-buffer\"]\n",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), text).unwrap();
    let out = bin()
        .args(["check", "--questionnaires"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!err.contains("`t-asked-again/mp-buffers` and"), "{err}");
    assert!(err.contains("`t-asked-again/psp-settlement` and `source-of-truth/psp-settlement`"));
}

fn answer<'a>(a: &'a Assessment, q: &str, subject: Option<&str>, x: &str) -> Option<&'a Answer> {
    a.answers
        .iter()
        .find(|y| y.questionnaire == q && y.question == x && y.subject.as_deref() == subject)
}

#[test]
fn answers_to_moved_questions_load_at_their_home() {
    let text = std::fs::read_to_string("tests/fixtures/one-home/before-one-home.toml").unwrap();
    let mut sink = stackmap::diag::Sink::new("before.toml", &text);
    let raw = match stackmap::load::parse(
        &text,
        Some(stackmap::vocab::FileKind::Assessment),
        &mut sink,
    ) {
        Some(stackmap::load::Parsed::Assessment(raw)) => raw,
        _ => panic!("parses"),
    };
    let a = stackmap::validate::assessment::assessment(raw, common::content(), &mut sink)
        .expect("loads");
    assert!(!sink.has_errors(), "{:#?}", sink.diagnostics);
    let warnings = sink
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    assert!(warnings >= 4, "{:#?}", sink.diagnostics);

    // Nothing is left under an old id.
    for (q, x) in [
        ("scenario-readiness", "checkout-sync-calls"),
        ("scenario-readiness", "mp-buffers"),
        ("vendor-fit", "psp-settlement"),
        ("vendor-fit", "account-health"),
    ] {
        assert!(
            !a.answers
                .iter()
                .any(|y| y.questionnaire == q && y.question == x),
            "{q}/{x} still answered"
        );
    }
    let calls = answer(&a, "coupling", None, "checkout-sync-calls").expect("moved");
    assert_eq!(calls.state, AnswerState::Value(Value::Number(4.0)));
    assert!(calls.note.starts_with("Price, tax"), "the note moves too");
    let buffer = answer(&a, "source-of-truth", None, "channel-buffer").expect("moved");
    assert_eq!(
        buffer.state,
        AnswerState::Value(Value::Choice("global".into()))
    );
    // A per-system answer reaches the engagement-wide home, its option id mapped.
    let health = answer(&a, "source-of-truth", None, "oversell-monitoring").expect("moved");
    assert_eq!(
        health.state,
        AnswerState::Value(Value::Choice("after-warning".into()))
    );
    // Where the home was answered too, the home's answer stands and the other is in its note.
    let psp = answer(&a, "source-of-truth", None, "psp-settlement").expect("kept");
    assert_eq!(
        psp.state,
        AnswerState::Value(Value::Choice("bank-totals".into()))
    );
    // The same answer moved onto the home: merged, its note kept.
    let ship = answer(&a, "source-of-truth", None, "ship-confirmation").expect("kept");
    assert_eq!(
        ship.state,
        AnswerState::Value(Value::Choice("daily-batch".into()))
    );
    assert!(
        ship.note.contains("Uploaded twice a day from the WMS."),
        "{}",
        ship.note
    );
    assert!(
        psp.note.contains("psp-reference")
            && psp.note.contains("vendor-fit/psp-settlement")
            && psp.note.contains("adyen"),
        "{}",
        psp.note
    );
}

#[test]
fn saving_writes_moved_answers_at_their_home() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.toml");
    std::fs::copy("tests/fixtures/one-home/before-one-home.toml", &file).unwrap();
    let out = bin()
        .args(["answer"])
        .arg(&file)
        .args([
            "--questionnaire",
            "coupling",
            "--question",
            "topology",
            "--value",
            "p2p",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains("\"mp-buffers\""), "{saved}");
    assert!(!saved.contains("questionnaire = \"vendor-fit\""), "{saved}");
    assert!(saved.contains("question = \"channel-buffer\""), "{saved}");
    // A second load has nothing left to move.
    let check = bin().arg("check").arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(!err.contains("is now asked as"), "{err}");
    assert!(Path::new(&file).exists());
}

#[test]
fn a_moved_option_must_exist_at_the_home() {
    let text = r#"schema = 1
kind = "questionnaire"
id = "t-moves"
title = "Moves"
version = 1
scope = "engagement"
dimension = "ownership"

[[section]]
id = "s"
title = "S"

[[section.question]]
id = "kept"
prompt = "Something else entirely about pallets and forklifts?"
help = "Help text long enough to read aloud to a client in a workshop."
kind = "yes_no"

[[moved]]
question = "old-buffer"
to = "source-of-truth/channel-buffer"
options = { some = "sometimes" }

[[moved]]
question = "old-nowhere"
to = "source-of-truth/no-such-question"
"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.toml"), text).unwrap();
    let out = bin()
        .args(["check", "--questionnaires"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("t.toml:21:6: error"),
        "file:line:column of the `to`: {err}"
    );
    assert!(
        err.contains("maps to `sometimes`, which `source-of-truth/channel-buffer` does not offer"),
        "{err}"
    );
    assert!(
        err.contains("`source-of-truth` has no question `no-such-question`"),
        "{err}"
    );
}

#[test]
fn answering_a_moved_question_points_at_its_home() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.toml");
    std::fs::copy("tests/fixtures/one-home/before-one-home.toml", &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let out = bin()
        .args(["answer"])
        .arg(&file)
        .args([
            "--questionnaire",
            "vendor-fit",
            "--subject",
            "adyen",
            "--question",
            "psp-settlement",
            "--value",
            "matched",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("it is now asked as `source-of-truth/psp-settlement`"),
        "{err}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before, "file unchanged");
}

//! Snapshots and diffs: freezing, immutability, the diff in every category, its properties
//! (diff(a, a) is empty, diff(b, a) mirrors diff(a, b), a snapshot diffs empty against its
//! source), and broken snapshots refused with a position.

mod common;

use std::path::{Path, PathBuf};

use common::{assessment, content, lossy as text, run};
use proptest::prelude::*;
use stackmap::diff::{Change, DecisionMove, Side, diff};
use stackmap::engine;

fn setup() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("northwind.toml");
    std::fs::copy("tests/fixtures/valid/assessment.toml", &file).expect("copy");
    (home, file)
}

fn take(home: &Path, file: &Path, label: &str) -> PathBuf {
    let out = run(
        home,
        &["snapshot", file.to_str().expect("utf-8"), "--label", label],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    PathBuf::from(text(&out.stdout).trim())
}

fn diff_json(home: &Path, a: &str, b: &str) -> serde_json::Value {
    let out = run(home, &["diff", a, b, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_snapshot_diffs_empty_against_its_source_and_labels_are_unique() {
    let (home, file) = setup();
    let f = file.to_str().expect("utf-8");
    let snap = take(home.path(), &file, "workshop 1");
    assert!(snap.starts_with(home.path().join("northwind.snapshots")));
    let check = run(home.path(), &["check", snap.to_str().expect("utf-8")]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let same = run(
        home.path(),
        &["diff", &format!("{f}@workshop 1"), f, "--exit-code"],
    );
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stdout));
    assert!(text(&same.stdout).contains("Nothing changed"));

    let before = std::fs::read(&snap).expect("read");
    let again = run(home.path(), &["snapshot", f, "--label", "workshop 1"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read(&snap).expect("read"),
        before,
        "snapshots never change"
    );

    let listed = run(home.path(), &["snapshots", f, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(v[0]["label"], "workshop 1");
    assert!(v[0]["coverage"].is_number() && v[0].get("taken_at").is_some());
}

#[test]
fn the_diff_reports_every_category() {
    let (home, file) = setup();
    // The fixture answers 3% of its questions: below the default `min_coverage` no score is
    // shown, so none could change. This test is about the diff, not about that threshold.
    common::every_score_shown(&home.path().join("config/profiles"));
    let f = file.to_str().expect("utf-8");
    take(home.path(), &file, "before");
    // Answers: one changed, one added. Inventory: a system added. Decisions: an owner.
    assert!(
        run(
            home.path(),
            &[
                "answer",
                f,
                "--questionnaire",
                "flow-contract",
                "--subject",
                "orders-to-erp",
                "--question",
                "idempotent-create",
                "--value",
                "all"
            ]
        )
        .status
        .success()
    );
    assert!(
        run(
            home.path(),
            &[
                "answer",
                f,
                "--questionnaire",
                "flow-contract",
                "--subject",
                "stock-to-shop",
                "--question",
                "runbook",
                "--value",
                "yes",
                "--note",
                "walked through on Tuesday"
            ]
        )
        .status
        .success()
    );
    let edited = std::fs::read_to_string(&file).expect("read").replace(
        "[[flow]]\nid = \"orders-to-erp\"",
        "[[system]]\nid = \"klaviyo\"\nname = \"Klaviyo\"\ncategory = \"other\"\n\n[[flow]]\nid = \"orders-to-erp\"",
    ) + "\n[[decision]]\nid = \"one-writer\"\nowner = \"Platform team\"\n";
    std::fs::write(&file, edited).expect("write");
    let v = diff_json(home.path(), &format!("{f}@before"), f);
    let answers = v["answers"].as_array().expect("answers");
    let changed = answers
        .iter()
        .find(|x| x["question"] == "idempotent-create")
        .expect("named by id");
    assert_eq!(changed["change"], "changed");
    assert_eq!(changed["old"], "Check-then-insert");
    assert!(answers.iter().any(|x| x["question"] == "runbook"
        && x["change"] == "added"
        && x["note_changed"] == true));
    assert!(
        v["inventory"]
            .as_array()
            .expect("inventory")
            .iter()
            .any(|x| x["kind"] == "system" && x["id"] == "klaviyo" && x["change"] == "added")
    );
    let decisions = v["decisions"].as_array().expect("decisions");
    assert!(
        decisions
            .iter()
            .any(|x| x["id"] == "order-duplicate-risk" && x["change"] == "resolved")
    );
    // An override naming a decision made per subject applies to each of its subjects.
    assert!(decisions.iter().any(|x| x["id"] == "one-writer@inventory"
        && x["change"] == "owner"
        && x["new"] == "Platform team"));
    let scores = v["scores"].as_array().expect("scores");
    assert!(scores.iter().any(|x| x["id"] == "overall"));
    assert!(
        v["methodology"].as_array().expect("methodology").is_empty(),
        "same questionnaires"
    );
    // Text and Markdown name the same things.
    let t = text(&run(home.path(), &["diff", &format!("{f}@before"), f]).stdout);
    // Answers by their question's prompt and the subject's name, never by ids.
    assert!(
        t.contains("idempotent?: Check-then-insert → Every create keyed"),
        "{t}"
    );
    assert!(t.contains(" / Orders to ERP\n"), "{t}");
    assert!(!t.contains("idempotent-create"), "{t}");
    // Inventory by names too.
    assert!(t.contains("system Klaviyo: added"), "{t}");
    let md = text(
        &run(
            home.path(),
            &["diff", &format!("{f}@before"), f, "--format", "md"],
        )
        .stdout,
    );
    assert!(md.starts_with("# What changed"));
}

#[test]
fn questionnaire_changes_are_kept_apart_from_answer_changes() {
    let (home, file) = setup();
    let snap = take(home.path(), &file, "old wording");
    // The frozen questionnaire said something else then: reword a prompt, drop a question.
    let text_in = std::fs::read_to_string(&snap).expect("read");
    let changed = text_in.replacen(
        "prompt = \"Are creates on this flow (orders, payments, ERP records) idempotent?\"",
        "prompt = \"Are order creates idempotent?\"",
        1,
    );
    assert_ne!(changed, text_in, "the frozen text holds the prompt");
    let old = home.path().join("old.toml");
    std::fs::write(&old, changed).expect("write");
    let v = diff_json(
        home.path(),
        old.to_str().expect("utf-8"),
        file.to_str().expect("utf-8"),
    );
    let m = v["methodology"].as_array().expect("methodology");
    assert!(
        m.iter().any(|x| x["questionnaire"] == "flow-contract"
            && x["question"] == "idempotent-create"
            && x["change"] == "changed"),
        "{m:?}"
    );
    assert!(
        v["answers"].as_array().expect("answers").is_empty(),
        "no answer moved"
    );
}

#[test]
fn broken_snapshots_are_refused_with_a_position() {
    let (home, file) = setup();
    let snap = take(home.path(), &file, "whole");
    let full = std::fs::read_to_string(&snap).expect("read");
    for (name, broken) in [
        ("truncated", full[..full.len() / 2].to_string()),
        ("no label", full.replacen("label = \"whole\"\n", "", 1)),
        (
            "bad frozen answer",
            full.replacen("value = \"check\"", "value = \"never\"", 1),
        ),
    ] {
        let p = home.path().join(format!("{}.toml", name.replace(' ', "-")));
        std::fs::write(&p, &broken).expect("write");
        let out = run(
            home.path(),
            &[
                "diff",
                p.to_str().expect("utf-8"),
                file.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = text(&out.stderr);
        assert!(err.contains(&format!("{}:", p.display())), "{name}: {err}");
        assert!(err.contains(": error: "), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn diffs_are_empty_on_the_same_input_and_mirror_each_other(a in assessment(), b in assessment()) {
        let c = content();
        let p = c.profile("full-discovery").expect("shipped");
        let (ea, eb) = (engine::evaluate(c, p, &a, None), engine::evaluate(c, p, &b, None));
        let sa = Side { assessment: &a, content: c, evaluation: &ea };
        let sb = Side { assessment: &b, content: c, evaluation: &eb };
        prop_assert!(diff(&sa, &sa).is_empty());
        let ab = diff(&sa, &sb);
        let ba = diff(&sb, &sa);
        prop_assert_eq!(&ab.mirror(), &ba);
        // Added answers on one side are removed ones on the other.
        let added = ab.answers.iter().filter(|x| x.change == Change::Added).count();
        prop_assert_eq!(added, ba.answers.iter().filter(|x| x.change == Change::Removed).count());
        let new = ab.decisions.iter().filter(|x| x.change == DecisionMove::New).count();
        prop_assert_eq!(new, ba.decisions.iter().filter(|x| x.change == DecisionMove::Resolved).count());
    }
}

#[test]
fn labels_with_at_are_refused_and_a_broken_snapshot_is_named_not_hidden() {
    let (home, file) = setup();
    let f = file.to_str().expect("utf-8");
    let at = run(home.path(), &["snapshot", f, "--label", "v1@client"]);
    assert_eq!(at.status.code(), Some(2));
    assert!(
        text(&at.stderr).contains("without `@`"),
        "{}",
        text(&at.stderr)
    );

    let good = take(home.path(), &file, "workshop 1");
    let broken = good.with_file_name("broken.toml");
    std::fs::write(&broken, "schema_version = 1\n[snapshot\n").expect("write");
    let listed = run(home.path(), &["snapshots", f]);
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed.stderr));
    assert!(text(&listed.stdout).contains("workshop 1"));
    let warn = text(&listed.stderr);
    assert!(
        warn.contains("broken.toml"),
        "the unreadable file is named: {warn}"
    );
    // The good snapshot still resolves by label, with spaces around the label trimmed.
    let same = run(
        home.path(),
        &["diff", &format!("{f}@ workshop 1 "), f, "--exit-code"],
    );
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
}

#[test]
fn changed_answers_come_before_the_re_ranks_and_the_re_ranks_read_as_one_line() {
    let (home, file) = setup();
    common::every_score_shown(&home.path().join("config/profiles"));
    let f = file.to_str().expect("utf-8");
    take(home.path(), &file, "before");
    let answer = |subject: &str, question: &str, value: &[&str]| {
        let mut args = vec![
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            subject,
            "--question",
            question,
        ];
        args.extend_from_slice(value);
        let out = run(home.path(), &args);
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    answer("orders-to-erp", "idempotent-create", &["--value", "all"]);
    answer("stock-to-shop", "runbook", &["--value", "yes"]);
    answer("stock-to-shop", "idempotent-create", &["--na"]);
    let v = diff_json(home.path(), &format!("{f}@before"), f);
    let reranks = v["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .filter(|x| x["change"] == "reranked")
        .count();
    assert!(reranks >= 2, "the fixture re-ranks some: {v}");
    let t = text(&run(home.path(), &["diff", &format!("{f}@before"), f]).stdout);
    let at = |s: &str| t.find(s).unwrap_or_else(|| panic!("{s:?} missing:\n{t}"));
    // New and resolved decisions, then the answers, the scores, and last the re-ranks.
    assert!(at("\nDecisions\n") < at("\nAnswers\n"), "{t}");
    assert!(at("\nAnswers\n") < at("\nRe-ranked\n"), "{t}");
    assert!(at("\nScores") < at("\nRe-ranked\n"), "{t}");
    assert!(
        !t.contains("re-ranked #"),
        "one line, not one per decision:\n{t}"
    );
    assert!(
        t.contains(&format!("{reranks} decisions re-ranked in their lane")),
        "{t}"
    );
    // An answer turned "not applicable" is not a regression.
    let answers = v["answers"].as_array().expect("answers");
    let na = answers
        .iter()
        .find(|x| x["new"] == "not applicable")
        .expect("the N/A answer");
    let change: stackmap::diff::AnswerChange = stackmap::diff::AnswerChange {
        questionnaire: "flow-contract".into(),
        subject: None,
        question: "idempotent-create".into(),
        respondent: None,
        respondent_name: None,
        prompt: String::new(),
        questionnaire_title: String::new(),
        subject_name: None,
        change: Change::Changed,
        old: na["old"].as_str().map(Into::into),
        new: Some("not applicable".into()),
        note_changed: false,
        final_mark: None,
        old_score: na["old_score"].as_f64(),
        new_score: None,
    };
    assert_eq!(change.tone(), stackmap::diff::Tone::Neutral);
}

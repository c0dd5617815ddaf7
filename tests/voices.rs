//! Several voices (issue 21): respondents, the answer that counts, and their disagreements.

mod common;

use std::path::{Path, PathBuf};

use common::{load_text, lossy as text, run};

const FIXTURE: &str = "tests/fixtures/voices/three-voices.toml";

fn setup() -> (tempfile::TempDir, PathBuf, String) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("voices.toml");
    std::fs::copy(FIXTURE, &file).expect("copy");
    let f = file.to_str().expect("utf-8").to_string();
    (home, file, f)
}

fn score(home: &Path, file: &str) -> serde_json::Value {
    let out = run(home, &["score", file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The `respondents-disagree` decisions: id → the reasons' text.
fn disagreements(e: &serde_json::Value) -> Vec<(String, String)> {
    e["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .filter(|d| {
            d["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("respondents-disagree@"))
        })
        .map(|d| {
            let because: Vec<&str> = d["because"]
                .as_array()
                .expect("because")
                .iter()
                .filter_map(|b| b["text"].as_str())
                .collect();
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                because.join(" | "),
            )
        })
        .collect()
}

#[test]
fn three_disagreements_name_both_sides_and_a_final_answer_settles_one() {
    let (home, _file, f) = setup();
    let e = score(home.path(), &f);
    let found = disagreements(&e);
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "respondents-disagree@coupling/glue-code-owner",
            "respondents-disagree@coupling/middleware-owner",
            "respondents-disagree@inventory",
        ]
    );
    let why = |id: &str| &found.iter().find(|(x, _)| x.ends_with(id)).expect(id).1;
    assert!(
        why("@inventory").contains("E-commerce (Ana Ruiz) says Shopify owns inventory")
            && why("@inventory").contains("Finance IT (Bo Lind) says NetSuite"),
        "{}",
        why("@inventory")
    );
    let glue = why("glue-code-owner");
    assert!(
        glue.contains("E-commerce (Ana Ruiz) says A named team")
            && glue.contains("Integration (Chen Wu) says Nobody"),
        "{glue}"
    );
    // Which answer counted, and why: the least favourable of equal confidence (Chen's
    // "nobody"); on the middleware, Bo's verified answer over Chen's assumed one.
    let voices = e["voices"].as_array().expect("voices in the JSON");
    let counted = |q: &str| {
        let v = voices
            .iter()
            .find(|v| v["question"] == q)
            .expect("question");
        (
            v["counted"].as_str().unwrap_or("assessor").to_string(),
            v["why"].as_str().unwrap_or_default().to_string(),
        )
    };
    assert_eq!(
        counted("glue-code-owner"),
        ("chen".into(), "least_favourable".into())
    );
    assert_eq!(
        counted("middleware-owner"),
        ("bo".into(), "least_favourable".into())
    );

    // Ana's answer, marked final: it counts, and the disagreement is settled.
    let out = run(
        home.path(),
        &[
            "answer",
            &f,
            "--questionnaire",
            "coupling",
            "--question",
            "glue-code-owner",
            "--respondent",
            "ana",
            "--value",
            "team",
            "--final",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let e = score(home.path(), &f);
    let ids: Vec<String> = disagreements(&e).into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        ids,
        [
            "respondents-disagree@coupling/middleware-owner",
            "respondents-disagree@inventory",
        ]
    );
    let v = e["voices"]
        .as_array()
        .expect("voices")
        .iter()
        .find(|v| v["question"] == "glue-code-owner")
        .expect("still two voices")
        .clone();
    assert_eq!(v["counted"], "ana");
    assert_eq!(v["why"], "final");
    // The file says so, and the other answer is kept.
    let saved = std::fs::read_to_string(&f).expect("read");
    assert!(saved.contains("final = true"), "{saved}");
    assert!(saved.contains("The agency that wrote the scripts left"));
}

#[test]
fn a_final_owner_settles_the_ownership_disagreement() {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture").replace(
        "owner = \"netsuite\"\n",
        "owner = \"netsuite\"\nfinal = true\n",
    );
    let a = load_text(&text).expect("loads");
    assert!(a.ownership.values().next().expect("inventory").is_final);
    let c = common::content();
    let e = stackmap::engine::evaluate_assessment(c, &a, "mem", None).expect("evaluates");
    assert!(e.decision("respondents-disagree@inventory").is_none());
    assert!(
        e.decision("respondents-disagree@coupling/glue-code-owner")
            .is_some()
    );
}

#[test]
fn respondents_round_trip_and_files_without_them_mean_what_they_meant() {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let a = load_text(&text).expect("loads");
    assert_eq!(a.respondents.len(), 3);
    assert_eq!(a.answers.len(), 4);
    let saved = stackmap::save::to_toml(&a);
    assert_eq!(load_text(&saved).expect("reloads"), a);
    // Saved over the hand-written file: the same model, the comment kept.
    let kept = stackmap::save::to_toml_keeping(&text, &a);
    assert!(kept.starts_with("# Three respondents"), "{kept}");
    assert_eq!(load_text(&kept).expect("reloads"), a);

    // Without respondents, the shipped fixture scores exactly as before: one answer each,
    // nothing several voices add.
    let plain = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    let a = load_text(&plain).expect("loads");
    assert!(a.respondents.is_empty() && a.answers.iter().all(|x| x.respondent.is_none()));
    let e = stackmap::engine::evaluate_assessment(common::content(), &a, "mem", None)
        .expect("evaluates");
    assert!(e.voices.is_empty());
    assert!(
        !serde_json::to_string(&e)
            .expect("json")
            .contains("\"voices\"")
    );
}

#[test]
fn bad_respondents_are_located_errors() {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    // An answer naming nobody listed.
    let bad = text.replacen("respondent = \"chen\"", "respondent = \"chem\"", 1);
    let errs = load_text(&bad).expect_err("refused").join("\n");
    assert!(
        errs.contains("unknown respondent `chem`; did you mean `chen`?"),
        "{errs}"
    );
    assert!(errs.contains("mem.toml:61:"), "{errs}");
    // Two final answers that differ.
    let bad = text.replace(
        "confidence = \"stated\"\n",
        "confidence = \"stated\"\nfinal = true\n",
    );
    let errs = load_text(&bad).expect_err("refused").join("\n");
    assert!(
        errs.contains("two final answers to `coupling` / `glue-code-owner` differ"),
        "{errs}"
    );
    // `said` naming an unknown respondent or system.
    let bad = text.replace("said = { ana = \"shopify\"", "said = { dan = \"shopfy\"");
    let errs = load_text(&bad).expect_err("refused").join("\n");
    assert!(
        errs.contains("`said` names unknown respondent `dan`"),
        "{errs}"
    );
    assert!(errs.contains("`shopfy`"), "{errs}");
    // The same respondent answering one question twice.
    let bad = text.replacen("respondent = \"chen\"", "respondent = \"ana\"", 1);
    let errs = load_text(&bad).expect_err("refused").join("\n");
    assert!(errs.contains("by respondent `ana`"), "{errs}");
    // Respondents need an id and a name; ids are unique.
    let bad = text.replacen("name = \"Chen Wu\"\n", "", 1);
    let errs = load_text(&bad).expect_err("refused").join("\n");
    assert!(
        errs.contains("missing `name` in a [[respondent]]"),
        "{errs}"
    );
}

#[test]
fn respondent_command_adds_one_and_answer_refuses_an_unknown_respondent() {
    let (home, _file, f) = setup();
    let before = std::fs::read_to_string(&f).expect("read");
    let out = run(
        home.path(),
        &[
            "answer",
            &f,
            "--questionnaire",
            "coupling",
            "--question",
            "glue-code-owner",
            "--value",
            "team",
            "--respondent",
            "dana",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("`dana` is not a respondent"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&f).expect("read"),
        before,
        "nothing written"
    );
    let out = run(
        home.path(),
        &["respondent", &f, "--id", "Dana!", "--name", "Dana"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        home.path(),
        &[
            "respondent",
            &f,
            "--id",
            "dana",
            "--name",
            "Dana Park",
            "--role",
            "CFO",
            "--team",
            "Finance",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(
        home.path(),
        &[
            "answer",
            &f,
            "--questionnaire",
            "coupling",
            "--question",
            "glue-code-owner",
            "--value",
            "agency",
            "--respondent",
            "dana",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let a = load_text(&std::fs::read_to_string(&f).expect("read")).expect("loads");
    assert_eq!(a.respondent("dana").expect("added").team, "Finance");
    assert_eq!(
        a.answers
            .iter()
            .filter(|x| x.question == "glue-code-owner")
            .count(),
        3
    );
}

#[test]
fn own_records_what_a_respondent_said_and_final_settles_the_owner() {
    let (home, _file, f) = setup();
    let out = run(
        home.path(),
        &[
            "own",
            &f,
            "inventory",
            "--respondent",
            "chen",
            "--said",
            "shopify",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let a = load_text(&std::fs::read_to_string(&f).expect("read")).expect("loads");
    let inv = a.ownership.values().next().expect("inventory");
    assert_eq!(inv.said.get("chen").map(String::as_str), Some("shopify"));
    // An unknown respondent or system: exit 2, nothing written.
    let before = std::fs::read_to_string(&f).expect("read");
    for args in [
        [
            "own",
            &f,
            "inventory",
            "--respondent",
            "dana",
            "--said",
            "shopify",
        ],
        [
            "own",
            &f,
            "inventory",
            "--respondent",
            "chen",
            "--said",
            "sap",
        ],
    ] {
        let out = run(home.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    }
    assert_eq!(std::fs::read_to_string(&f).expect("read"), before);
    let e = score(home.path(), &f);
    assert!(
        disagreements(&e)
            .iter()
            .any(|(id, why)| id.ends_with("@inventory")
                && why.contains("Integration (Chen Wu) says Shopify"))
    );
    let out = run(home.path(), &["own", &f, "inventory", "--final"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let e = score(home.path(), &f);
    assert!(
        !disagreements(&e)
            .iter()
            .any(|(id, _)| id.ends_with("@inventory"))
    );
}

/// Snapshots `one` and `two` of the fixture, `two` after `edit` changed its text; the diff
/// between them as JSON and as text.
fn diff_after(edit: impl Fn(&str) -> String) -> (serde_json::Value, String) {
    let (home, file, f) = setup();
    let take = |label: &str| -> String {
        let out = run(home.path(), &["snapshot", &f, "--label", label]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout).trim().to_string()
    };
    let one = take("one");
    let before = std::fs::read_to_string(&file).expect("read");
    let after = edit(&before);
    assert_ne!(after, before, "the edit changed nothing");
    std::fs::write(&file, after).expect("write");
    let two = take("two");
    let json = run(home.path(), &["diff", &one, &two, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let plain = run(home.path(), &["diff", &one, &two]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
    (
        serde_json::from_slice(&json.stdout).expect("json"),
        text(&plain.stdout),
    )
}

/// Ana and Chen both answered who owns the glue code; Ana changes her answer. The diff reports
/// exactly that one change, named, and not Chen's unchanged answer (answers used to be keyed
/// by question alone, so one respondent's answer hid the other's).
#[test]
fn a_diff_reports_each_respondents_answer_by_name() {
    let (v, plain) = diff_after(|t| {
        t.replacen(
            "respondent = \"ana\"\nvalue = \"team\"",
            "respondent = \"ana\"\nvalue = \"agency\"",
            1,
        )
    });
    let answers = v["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), 1, "{answers:#?}");
    let x = &answers[0];
    assert_eq!(x["question"], "glue-code-owner");
    assert_eq!(x["respondent"], "ana");
    assert_eq!(x["respondent_name"], "Ana Ruiz");
    assert_eq!(x["change"], "changed");
    assert!(
        x["old"]
            .as_str()
            .is_some_and(|s| s.starts_with("A named team with on-call")),
        "{x}"
    );
    assert!(
        x["new"]
            .as_str()
            .is_some_and(|s| s.starts_with("An agency or freelancer")),
        "{x}"
    );
    assert!(x.get("final").is_none(), "{x}");
    assert!(
        plain.contains(": Ana Ruiz: A named team with on-call"),
        "{plain}"
    );
    assert!(!plain.contains("Chen Wu"), "{plain}");
}

/// A `final` mark given to one respondent's answer is a change of its own, named, while the
/// value stays; a new respondent's answer to the same question is added, named.
#[test]
fn a_final_mark_and_a_second_voice_are_each_a_diff_line() {
    let (v, plain) = diff_after(|t| {
        let marked = t.replacen(
            "respondent = \"chen\"\nvalue = \"nobody\"",
            "respondent = \"chen\"\nvalue = \"nobody\"\nfinal = true",
            1,
        );
        format!(
            "{marked}\n[[answer]]\nquestionnaire = \"coupling\"\nquestion = \"glue-code-owner\"\nrespondent = \"bo\"\nvalue = \"last-toucher\"\n"
        )
    });
    let answers = v["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), 2, "{answers:#?}");
    let (bo, chen) = (&answers[0], &answers[1]);
    assert_eq!(bo["respondent"], "bo");
    assert_eq!(bo["change"], "added");
    assert!(bo.get("final").is_none(), "{bo}");
    assert_eq!(chen["respondent"], "chen");
    assert_eq!(chen["respondent_name"], "Chen Wu");
    assert_eq!(chen["change"], "changed");
    assert_eq!(chen["old"], chen["new"]);
    assert_eq!(chen["final"], "marked");
    assert!(
        plain.contains("answered by Bo Lind: Whoever touched it last"),
        "{plain}"
    );
    assert!(plain.contains("(marked final)"), "{plain}");
    assert!(plain.contains("Chen Wu: Nobody"), "{plain}");
}

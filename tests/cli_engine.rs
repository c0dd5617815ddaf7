//! `stackmap answer` and `stackmap score` as a script uses them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{lossy as text, run, stackmap};

/// A copy of the complete fixture in a fresh home.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("northwind.toml");
    std::fs::copy("tests/fixtures/valid/assessment.toml", &file).expect("copy");
    (home, file)
}

fn score_json(home: &Path, file: &Path) -> serde_json::Value {
    let out = run(
        home,
        &["score", file.to_str().expect("utf-8"), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn answer(home: &Path, file: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "answer",
        file.to_str().expect("utf-8"),
        "--questionnaire",
        "flow-contract",
    ];
    args.extend_from_slice(extra);
    run(home, &args)
}

#[test]
fn score_json_has_the_documented_shape() {
    let (home, file) = setup();
    let v = score_json(home.path(), &file);
    for key in [
        "overall",
        "coverage",
        "dimensions",
        "findings",
        "decisions",
        "roadmap",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let d = &v["dimensions"][0];
    for key in ["id", "score", "coverage"] {
        assert!(d.get(key).is_some(), "dimension missing {key}");
    }
    let f = &v["findings"][0];
    for key in ["id", "title", "horizon", "subjects", "because"] {
        assert!(f.get(key).is_some(), "finding missing {key}");
    }
    let dec = &v["decisions"][0];
    for key in [
        "rank",
        "id",
        "title",
        "horizon",
        "priority",
        "terms",
        "depends_on",
        "because",
        "status",
        "slice",
    ] {
        assert!(dec.get(key).is_some(), "decision missing {key}");
    }
    for key in [
        "impact", "risk", "effort", "boost", "reach", "computed", "formula",
    ] {
        assert!(dec["terms"].get(key).is_some(), "terms missing {key}");
    }
    let b = &dec["because"][0];
    for key in ["kind", "ref", "text"] {
        assert!(b.get(key).is_some(), "because missing {key}");
    }
    let s = &v["roadmap"][0];
    for key in ["slice", "decisions", "effort"] {
        assert!(s.get(key).is_some(), "slice missing {key}");
    }
    // Both lanes are there, each ranked from 1.
    for lane in ["immediate", "architecture"] {
        let ranks: Vec<u64> = v["decisions"]
            .as_array()
            .expect("array")
            .iter()
            .filter(|d| d["horizon"] == lane)
            .map(|d| d["rank"].as_u64().expect("rank"))
            .collect();
        assert!(!ranks.is_empty(), "{lane} lane empty");
        assert_eq!(ranks, (1..=ranks.len() as u64).collect::<Vec<_>>());
    }
}

#[test]
fn score_questions_adds_every_question_with_its_state() {
    let (home, file) = setup();
    let out = run(
        home.path(),
        &[
            "score",
            file.to_str().expect("utf-8"),
            "--format",
            "json",
            "--questions",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let qs = v["questions"].as_array().expect("questions");
    let q = qs
        .iter()
        .find(|q| q["question"] == "idempotent-create" && q["subject"] == "orders-to-erp")
        .expect("listed");
    assert_eq!(q["answered"], true);
    assert_eq!(q["score"], 30.0, "check-then-insert scores 0.3");
    assert_eq!(
        qs.iter().filter(|q| q["applicable"] == true).count() as u64,
        v["applicable"].as_u64().expect("count")
    );
    assert!(
        score_json(home.path(), &file).get("questions").is_none(),
        "only on request"
    );
}

#[test]
fn score_text_prints_both_lanes_with_reasons() {
    let (home, file) = setup();
    let out = run(home.path(), &["score", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    assert!(t.contains("Immediate fixes ("), "{t}");
    assert!(t.contains("Architecture changes ("), "{t}");
    assert!(t.contains("because "), "{t}");
    assert!(t.contains("Slice 1"), "{t}");
}

#[test]
fn answer_changes_what_score_reports() {
    let (home, file) = setup();
    let before = score_json(home.path(), &file);
    let has = |v: &serde_json::Value, id: &str| {
        v["findings"]
            .as_array()
            .expect("array")
            .iter()
            .any(|f| f["id"] == id)
    };
    assert!(!has(&before, "unsafe-retries"));
    let out = answer(
        home.path(),
        &file,
        &[
            "--subject",
            "orders-to-erp",
            "--question",
            "retries",
            "--value",
            "none",
            "--note",
            "Celigo default: no retry",
            "--confidence",
            "stated",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "an applicable answer needs no note: {}",
        text(&out.stderr)
    );
    // Ordering only applies to event-like flows; stock-to-shop is a file drop.
    let hidden = answer(
        home.path(),
        &file,
        &[
            "--subject",
            "stock-to-shop",
            "--question",
            "ordering",
            "--value",
            "versions",
        ],
    );
    assert_eq!(hidden.status.code(), Some(0));
    assert!(
        text(&hidden.stderr).contains("kept but not scored: its condition does not hold"),
        "{}",
        text(&hidden.stderr)
    );
    let after = score_json(home.path(), &file);
    assert!(has(&after, "unsafe-retries"));
    assert_ne!(before["coverage"], after["coverage"]);
    let saved = std::fs::read_to_string(&file).expect("saved");
    assert!(saved.contains("note = \"Celigo default: no retry\""));
    assert!(saved.contains("confidence = \"stated\""));
}

#[test]
fn answer_accepts_every_kind_and_stores_notes_exactly() {
    let (home, file) = setup();
    let f = file.to_str().expect("utf-8");
    let hostile = "\u{1b}]0;pwned\u{7} \u{1b}[2J \u{202e}abc \u{9b} tab\there \"quoted\"";
    for extra in [
        vec![
            "--subject",
            "stock-to-shop",
            "--question",
            "reconciliation",
            "--value",
            "full, counts",
        ],
        vec![
            "--subject",
            "stock-to-shop",
            "--question",
            "rate-limit-headroom",
            "--value",
            "42.5",
        ],
        vec![
            "--subject",
            "stock-to-shop",
            "--question",
            "confidence-in-owner",
            "--value",
            "4",
        ],
        vec![
            "--subject",
            "stock-to-shop",
            "--question",
            "single-writer",
            "--value",
            "yes",
        ],
        vec![
            "--subject",
            "stock-to-shop",
            "--question",
            "runbook",
            "--unknown",
            "--note",
            hostile,
        ],
        vec![
            "--subject",
            "stock-to-shop",
            "--question",
            "ordering",
            "--na",
        ],
    ] {
        let out = answer(home.path(), &file, &extra);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{extra:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(run(home.path(), &["check", f]).status.code(), Some(0));
    // Loaded back, the note is byte for byte what was given.
    let content = stackmap::workspace::Sources::default()
        .content_strict()
        .expect("content");
    let a = stackmap::workspace::load_assessment(&file, &content).expect("loads");
    let note = a
        .answers
        .iter()
        .find(|x| x.question == "runbook" && x.subject.as_deref() == Some("stock-to-shop"))
        .expect("answer")
        .note
        .clone();
    assert_eq!(note, hostile);
    // Typed as "full, counts"; kept in the questionnaire's order so saves and diffs agree.
    let multi = a
        .answers
        .iter()
        .find(|x| x.question == "reconciliation" && x.subject.as_deref() == Some("stock-to-shop"))
        .expect("answer");
    assert_eq!(
        multi.state,
        stackmap::model::AnswerState::Value(stackmap::model::Value::Choices(vec![
            "counts".into(),
            "full".into()
        ]))
    );
}

#[test]
fn a_wrong_answer_is_refused_and_the_file_is_untouched() {
    let (home, file) = setup();
    let original = std::fs::read(&file).expect("read");
    for (extra, says) in [
        (
            vec![
                "--subject",
                "orders-to-erp",
                "--question",
                "retries",
                "--value",
                "sometimes",
            ],
            "has no option `sometimes`",
        ),
        (
            vec![
                "--subject",
                "orders-to-erp",
                "--question",
                "retrys",
                "--value",
                "none",
            ],
            "did you mean `retries`?",
        ),
        (
            vec![
                "--subject",
                "orders",
                "--question",
                "retries",
                "--value",
                "none",
            ],
            "is not a flow of this assessment",
        ),
        (
            vec!["--question", "retries", "--value", "none"],
            "name it with --subject",
        ),
        (
            vec![
                "--subject",
                "orders-to-erp",
                "--question",
                "reconciliation",
                "--value",
                " , ",
            ],
            "--value a,b",
        ),
        (
            vec![
                "--subject",
                "orders-to-erp",
                "--question",
                "rate-limit-headroom",
                "--value",
                "lots",
            ],
            "the value is a number",
        ),
        (
            vec![
                "--subject",
                "orders-to-erp",
                "--question",
                "confidence-in-owner",
                "--value",
                "9",
            ],
            "scale from 1 to 5",
        ),
    ] {
        let out = answer(home.path(), &file, &extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{extra:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(
            std::fs::read(&file).expect("read"),
            original,
            "{extra:?} changed the file"
        );
    }
    let missing = run(
        home.path(),
        &[
            "answer",
            "nope.toml",
            "--questionnaire",
            "flow-contract",
            "--question",
            "retries",
            "--value",
            "none",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn blank_flow_steps_and_unknowns_are_open_questions_not_decisions() {
    let (home, file) = setup();
    // An unknown on an important question: before issue 16, `unknown-important-answer`.
    let out = answer(
        home.path(),
        &file,
        &[
            "--subject",
            "stock-to-shop",
            "--question",
            "idempotent-create",
            "--unknown",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = score_json(home.path(), &file);
    let ids = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .expect("array")
            .iter()
            .map(|x| x["id"].as_str().expect("id").to_string())
            .collect()
    };
    for id in ids("findings").iter().chain(ids("decisions").iter()) {
        assert!(
            !id.starts_with("flow-missing-") && id != "unknown-important-answer",
            "{id} raised from a blank or an unknown"
        );
    }
    let open = v["open_questions"].as_array().expect("open_questions");
    // stock-to-shop states none of its four steps and no operating duty: each is asked.
    for (field, decision) in [
        ("source", "flow-missing-source"),
        ("contract", "flow-contract"),
        ("failure", "failed-messages"),
        ("owner", "flow-owner"),
        ("owners", "flow-owner"),
    ] {
        let q = open
            .iter()
            .find(|q| q["subject"]["id"] == "stock-to-shop" && q["field"] == field)
            .unwrap_or_else(|| panic!("no open question for {field}"));
        assert_eq!(q["subject"]["kind"], "flow");
        assert_eq!(q["why"], "not-captured");
        assert_eq!(q["could_raise"], serde_json::json!([decision]));
        assert!(q["text"].as_str().is_some_and(|t| t.ends_with('?')), "{q}");
    }
    let unknown = open
        .iter()
        .find(|q| q["question"] == "idempotent-create" && q["subject"]["id"] == "stock-to-shop")
        .expect("the unknown is an open question");
    assert_eq!(unknown["why"], "unknown");
    assert_eq!(unknown["questionnaire"], "flow-contract");
    assert_eq!(unknown["could_raise"][0], "order-duplicate-risk");
    // orders-to-erp states all four steps: none of them is asked.
    assert!(!open.iter().any(|q| {
        q["subject"]["id"] == "orders-to-erp"
            && ["source", "contract", "failure", "owner"]
                .contains(&q["field"].as_str().unwrap_or(""))
    }));
    // Grouped by subject: a subject's questions are together, ranked by priority within it.
    let mut seen: Vec<&serde_json::Value> = Vec::new();
    for (i, q) in open.iter().enumerate() {
        let subject = &q["subject"];
        if i > 0 && open[i - 1]["subject"] == *subject {
            assert!(
                open[i - 1]["priority"].as_f64() >= q["priority"].as_f64(),
                "ranked within {subject}"
            );
        } else {
            assert!(!seen.contains(&subject), "{subject} listed in two places");
            seen.push(subject);
        }
    }
    // The text output lists them too; the same input gives the same bytes.
    let f = file.to_str().expect("utf-8");
    let t = text(&run(home.path(), &["score", f]).stdout);
    assert!(t.contains("What to ask next ("), "{t}");
    let again = run(home.path(), &["score", f, "--format", "json"]);
    let once = run(home.path(), &["score", f, "--format", "json"]);
    assert_eq!(again.stdout, once.stdout);
}

#[test]
fn scores_below_min_coverage_are_withheld_and_say_so() {
    let (home, file) = setup();
    // The fixture answers 6 of 187 questions.
    let v = score_json(home.path(), &file);
    assert_eq!(v["min_coverage"], 0.5);
    assert!(v["overall"].is_null(), "overall at 3% coverage");
    for d in v["dimensions"].as_array().expect("dimensions") {
        assert!(d["score"].is_null(), "{d}");
        assert!(d["coverage"].as_f64().expect("coverage") < 0.5);
    }
    let f = file.to_str().expect("utf-8");
    let t = text(&run(home.path(), &["score", f]).stdout);
    assert!(t.contains("Overall not enough answered (3%)"), "{t}");
    assert!(
        t.contains("Resilience       not enough answered (11%)"),
        "{t}"
    );
    // `overall<N` holds while no overall score is shown.
    assert_eq!(
        run(home.path(), &["score", f, "--fail-on", "overall<1"])
            .status
            .code(),
        Some(1)
    );
    // A profile may lower the bar; then the same answers are scored.
    common::every_score_shown(&home.path().join("config/profiles"));
    let v = score_json(home.path(), &file);
    assert_eq!(v["min_coverage"], 0.0);
    assert!(v["overall"].is_number(), "{}", v["overall"]);
}

#[test]
fn an_answer_the_profile_does_not_ask_counts_all_the_same() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("audit.toml");
    let f = file.to_str().expect("utf-8");
    let new = run(
        home.path(),
        &[
            "new",
            f,
            "--client",
            "Acme",
            "--title",
            "Audit",
            "--profile",
            "quick-audit",
        ],
    );
    assert_eq!(new.status.code(), Some(0), "{}", text(&new.stderr));
    let before = score_json(home.path(), &file);
    // quick-audit asks five operating-model questions; `release-handoff` is not one of them.
    let out = run(
        home.path(),
        &[
            "answer",
            f,
            "--questionnaire",
            "operating-model",
            "--question",
            "release-handoff",
            "--value",
            "nobody",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("does not ask this question; the answer counts all the same"),
        "{}",
        text(&out.stderr)
    );
    let after = score_json(home.path(), &file);
    assert_eq!(
        after["answered"].as_u64(),
        before["answered"].as_u64().map(|n| n + 1)
    );
    assert_eq!(
        after["applicable"].as_u64(),
        before["applicable"].as_u64().map(|n| n + 1)
    );
    assert!(
        after["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["id"] == "operating-duties-unassigned"),
        "its answer raises what it raises"
    );
}

#[test]
fn fail_on_gates_exit_1_when_they_hold_and_0_when_not() {
    let (home, file) = setup();
    let f = file.to_str().expect("utf-8");
    let held = run(home.path(), &["score", f, "--fail-on", "immediate>=5"]);
    assert_eq!(held.status.code(), Some(1));
    assert!(text(&held.stderr).contains("gate failed: immediate>=5"));
    let passes = run(
        home.path(),
        &[
            "score",
            f,
            "--fail-on",
            "immediate>=999",
            "--fail-on",
            "finding=price-mismatch",
        ],
    );
    assert_eq!(passes.status.code(), Some(0), "{}", text(&passes.stderr));
    // A misspelt finding id could never fail; it is a usage error, not a silent pass.
    let typo = run(
        home.path(),
        &["score", f, "--fail-on", "finding=no-such-finding"],
    );
    assert_eq!(typo.status.code(), Some(2));
    assert!(text(&typo.stderr).contains("stackmap list findings"));
    let empty = run(home.path(), &["score", f, "--fail-on", "finding="]);
    assert_eq!(empty.status.code(), Some(2));
    let coverage = run(home.path(), &["score", f, "--fail-on", "coverage<0.99"]);
    assert_eq!(coverage.status.code(), Some(1));
    let bad = run(home.path(), &["score", f, "--fail-on", "sometimes"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("unknown gate"));
}

#[test]
fn racing_answers_on_one_file_all_land() {
    let (home, file) = setup();
    let f = file.to_str().expect("utf-8").to_string();
    let questions = [
        "schema",
        "api-version",
        "retries",
        "alerting",
        "runbook",
        "idempotent-create",
    ];
    let values = [
        "schema-file",
        "yes",
        "backoff",
        "tech-alerts",
        "yes",
        "some",
    ];
    let children: Vec<_> = questions
        .iter()
        .zip(values)
        .map(|(q, v)| {
            stackmap(home.path())
                .args([
                    "answer",
                    &f,
                    "--questionnaire",
                    "flow-contract",
                    "--subject",
                    "stock-to-shop",
                    "--question",
                    q,
                    "--value",
                    v,
                ])
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawns")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("exits").success());
    }
    let content = stackmap::workspace::Sources::default()
        .content_strict()
        .expect("content");
    let a = stackmap::workspace::load_assessment(&file, &content).expect("loads");
    for q in questions {
        assert!(
            a.answers
                .iter()
                .any(|x| x.question == q && x.subject.as_deref() == Some("stock-to-shop")),
            "answer to {q} was lost"
        );
    }
}

#[test]
fn score_reports_broken_content_before_a_broken_file_and_a_broken_file_by_position() {
    let (home, file) = setup();
    let f = file.to_str().expect("utf-8");
    // A damaged assessment alone: its position, exit 2.
    let good = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, good.replacen("[engagement]", "[engagement\n", 1)).expect("write");
    let out = run(home.path(), &["score", f]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{f}:")), "{err}");
    // Content broken as well (a questionnaire folder with a damaged file): the content is
    // reported, as a sequential load would, even though it is built beside the parse.
    let qdir = home.path().join("q");
    std::fs::create_dir_all(&qdir).expect("dir");
    std::fs::write(
        qdir.join("bad.toml"),
        "schema = 1\nkind = \"questionnaire\"\nid = [\n",
    )
    .expect("write");
    let out = run(
        home.path(),
        &[
            "--questionnaires",
            qdir.to_str().expect("utf-8"),
            "score",
            f,
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.toml"), "{err}");
}

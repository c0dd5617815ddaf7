//! Answers inferred from the map (issue 22): `[[infer]]` rules give answers the inventory
//! already implies, stored as `inferred = true` / `inferred_by`, re-derived as the inventory
//! changes, never over a person's answer, and confirmed into ordinary answers.

mod common;

use common::{content, load_text, lossy as text, run};
use stackmap::model::*;
use stackmap::vocab::*;

/// A new assessment in a fresh home with a shop, an ERP and one flow between them by `mechanism`.
fn imported(mechanism: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("a.toml");
    let f = file.to_str().expect("utf-8");
    let out = run(
        home.path(),
        &[
            "new",
            "--client",
            "Acme",
            "--profile",
            "full-discovery",
            "--assessor",
            "ann",
            f,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let systems = home.path().join("s.csv");
    let flows = home.path().join("f.csv");
    std::fs::write(&systems, "name,category\nShop,platform\nErp,erp\n").expect("write");
    std::fs::write(
        &flows,
        format!("from,to,mechanism,objects\nShop,Erp,{mechanism},order\n"),
    )
    .expect("write");
    let out = run(
        home.path(),
        &[
            "import",
            f,
            "--systems",
            systems.to_str().expect("utf-8"),
            "--flows",
            flows.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (home, file)
}

fn load(file: &std::path::Path) -> Assessment {
    load_text(&std::fs::read_to_string(file).expect("read")).expect("valid")
}

fn find<'a>(
    a: &'a Assessment,
    q: &str,
    subject: Option<&str>,
    question: &str,
) -> Option<&'a Answer> {
    a.answers
        .iter()
        .find(|x| x.questionnaire == q && x.subject.as_deref() == subject && x.question == question)
}

#[test]
fn importing_a_file_flow_infers_how_it_notices_changes() {
    let (_home, file) = imported("file");
    let saved = std::fs::read_to_string(&file).expect("read");
    assert!(saved.contains("inferred = true"), "{saved}");
    assert!(
        saved.contains("inferred_by = \"file-drop-is-full-batch\""),
        "{saved}"
    );
    let a = load(&file);
    let x = find(&a, "flow-contract", Some("shop-to-erp"), "change-detection").expect("inferred");
    assert_eq!(
        x.state,
        AnswerState::Value(Value::Choice("full-batch".into()))
    );
    assert_eq!(x.inferred_by.as_deref(), Some("file-drop-is-full-batch"));
    assert_eq!(x.confidence, Some(Confidence::Assumed));
    // The ERP's only flow is a file drop: its interface is read too.
    let erp = find(&a, "vendor-fit", Some("erp"), "erp-interface").expect("inferred");
    assert_eq!(erp.inferred_by.as_deref(), Some("erp-files-only"));
}

#[test]
fn an_api_flow_infers_nothing_about_change_detection() {
    let (_home, file) = imported("api");
    let a = load(&file);
    assert!(find(&a, "flow-contract", Some("shop-to-erp"), "change-detection").is_none());
    assert!(find(&a, "vendor-fit", Some("erp"), "erp-interface").is_none());
}

#[test]
fn changing_the_mechanism_re_derives_the_answer() {
    let (_home, file) = imported("file");
    let mut a = load(&file);
    let key = (Some("shop-to-erp"), "change-detection");
    // A file drop becomes people re-keying: another rule, another answer.
    a.flows[0].mechanism = Mechanism::Manual;
    let change = stackmap::infer::apply(content(), &mut a);
    assert_eq!(change.changed, 1, "{change:?}");
    let x = find(&a, "flow-contract", key.0, key.1).expect("changed");
    assert_eq!(x.state, AnswerState::Value(Value::Choice("manual".into())));
    assert_eq!(x.inferred_by.as_deref(), Some("manual-flow-is-manual"));
    // An API: the map says nothing about it any more, and the answer goes (with the manual
    // flow's `retries`).
    a.flows[0].mechanism = Mechanism::Api;
    let change = stackmap::infer::apply(content(), &mut a);
    assert!(change.removed == 2, "{change:?}");
    assert!(find(&a, "flow-contract", key.0, "retries").is_none());
    assert!(find(&a, "flow-contract", key.0, key.1).is_none());
    a.flows[0].mechanism = Mechanism::File;
    let change = stackmap::infer::apply(content(), &mut a);
    assert!(change.added >= 1, "{change:?}");
    let x = find(&a, "flow-contract", key.0, key.1).expect("back");
    assert_eq!(x.inferred_by.as_deref(), Some("file-drop-is-full-batch"));
    // Applying again changes nothing: the answers that still hold are left as they are.
    assert!(stackmap::infer::apply(content(), &mut a).is_empty());
}

#[test]
fn removing_the_flow_through_the_command_line_removes_its_inferred_answers() {
    let (home, file) = imported("file");
    let f = file.to_str().expect("utf-8");
    let out = run(home.path(), &["remove", f, "--flow", "shop-to-erp"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let a = load(&file);
    assert!(
        a.answers.iter().all(|x| !x.is_inferred()),
        "{:?}",
        a.answers
    );
}

#[test]
fn an_answer_a_person_gave_is_never_touched() {
    let (home, file) = imported("api");
    let f = file.to_str().expect("utf-8");
    // The person says polling; then the flow becomes a file drop.
    let out = run(
        home.path(),
        &[
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "shop-to-erp",
            "--question",
            "change-detection",
            "--value",
            "polling",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut a = load(&file);
    let before = find(&a, "flow-contract", Some("shop-to-erp"), "change-detection")
        .cloned()
        .expect("answered");
    a.flows[0].mechanism = Mechanism::File;
    stackmap::infer::apply(content(), &mut a);
    let after = find(&a, "flow-contract", Some("shop-to-erp"), "change-detection").expect("kept");
    assert_eq!(*after, before);
    // Removed facts do not remove it either.
    a.flows[0].mechanism = Mechanism::Api;
    stackmap::infer::apply(content(), &mut a);
    assert_eq!(
        find(&a, "flow-contract", Some("shop-to-erp"), "change-detection"),
        Some(&before)
    );
}

#[test]
fn a_person_answering_replaces_an_inferred_answer() {
    let (home, file) = imported("file");
    let f = file.to_str().expect("utf-8");
    let out = run(
        home.path(),
        &[
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "shop-to-erp",
            "--question",
            "change-detection",
            "--value",
            "full-batch",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let a = load(&file);
    let x = find(&a, "flow-contract", Some("shop-to-erp"), "change-detection").expect("answered");
    assert_eq!(
        x.state,
        AnswerState::Value(Value::Choice("full-batch".into()))
    );
    assert!(!x.is_inferred());
}

#[test]
fn confirm_turns_an_inferred_answer_into_an_ordinary_one() {
    let (home, file) = imported("file");
    let f = file.to_str().expect("utf-8");
    let args = [
        "answer",
        f,
        "--questionnaire",
        "flow-contract",
        "--subject",
        "shop-to-erp",
        "--question",
        "change-detection",
        "--confirm",
    ];
    let out = run(home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let a = load(&file);
    let x = find(&a, "flow-contract", Some("shop-to-erp"), "change-detection").expect("kept");
    assert_eq!(
        x.state,
        AnswerState::Value(Value::Choice("full-batch".into()))
    );
    assert!(!x.is_inferred());
    assert_eq!(x.confidence, Some(Confidence::Stated));
    assert_eq!(x.by, "ann");
    let saved = std::fs::read_to_string(&file).expect("read");
    assert!(
        !saved.contains("inferred_by = \"file-drop-is-full-batch\""),
        "{saved}"
    );
    // Nothing left to confirm: said, exit 2, file unchanged.
    let out = run(home.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not inferred"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), saved);
    // With the person's confidence.
    let out = run(
        home.path(),
        &[
            "answer",
            f,
            "--questionnaire",
            "vendor-fit",
            "--subject",
            "erp",
            "--question",
            "erp-interface",
            "--confirm",
            "--confidence",
            "verified",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let a = load(&file);
    let x = find(&a, "vendor-fit", Some("erp"), "erp-interface").expect("kept");
    assert_eq!(x.confidence, Some(Confidence::Verified));
    assert!(!x.is_inferred());
}

#[test]
fn loading_a_file_never_infers() {
    // The fixture's inventory implies answers, but a file loads exactly as written.
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("read");
    let a = load_text(&text).expect("valid");
    assert!(a.answers.iter().all(|x| !x.is_inferred()));
}

#[test]
fn inferred_marks_need_each_other() {
    let base = "schema = 1\nkind = \"assessment\"\n[engagement]\nclient = \"A\"\ntitle = \"A\"\nprofile = \"full-discovery\"\nassessor = \"a\"\n\n[[answer]]\nquestionnaire = \"coupling\"\nquestion = \"topology\"\nvalue = \"p2p\"\n";
    let e = load_text(&format!("{base}inferred = true\n")).expect_err("needs a rule");
    assert!(e[0].contains("needs `inferred_by`"), "{e:?}");
    let e = load_text(&format!("{base}inferred_by = \"no-hub-point-to-point\"\n"))
        .expect_err("needs the flag");
    assert!(e[0].contains("needs `inferred = true`"), "{e:?}");
    let a = load_text(&format!(
        "{base}inferred = true\ninferred_by = \"no-hub-point-to-point\"\n"
    ))
    .expect("valid");
    assert!(a.answers[0].is_inferred());
}

#[test]
fn every_shipped_rule_gives_a_value_its_question_takes() {
    let mut n = 0;
    for q in &content().questionnaires {
        for rule in &q.infers {
            let question = q.question(&rule.question.id).expect("its own question");
            assert!(question.is_scored(), "{}", rule.id);
            n += 1;
        }
    }
    assert!(n >= 12, "only {n} shipped rules");
}

#[test]
fn reports_and_score_json_say_what_was_read_from_the_map() {
    let (home, file) = imported("file");
    let f = file.to_str().expect("utf-8");
    let out = run(home.path(), &["report", f]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.contains("## Read from the map"), "{md}");
    assert!(md.contains("### Inferred, to confirm"), "{md}");
    assert!(md.contains("(file-drop-is-full-batch)"), "{md}");
    assert!(!md.contains("### Confirmed by the client"), "{md}");
    // Confirmed: listed as the client's, the map agreeing.
    let out = run(
        home.path(),
        &[
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "shop-to-erp",
            "--question",
            "change-detection",
            "--confirm",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = text(&run(home.path(), &["report", f]).stdout);
    let confirmed = md
        .split("### Confirmed by the client")
        .nth(1)
        .expect("listed");
    assert!(
        confirmed.contains("notice that the source data changed"),
        "{md}"
    );

    let out = run(
        home.path(),
        &["score", f, "--format", "json", "--questions"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let qs = v["questions"].as_array().expect("questions");
    let topology = qs
        .iter()
        .find(|q| q["question"] == "topology")
        .expect("asked");
    assert_eq!(topology["inferred"], true);
    let cd = qs
        .iter()
        .find(|q| q["question"] == "change-detection")
        .expect("asked");
    assert!(cd.get("inferred").is_none(), "confirmed: {cd}");
    // The open questions list the inferred answer as assumed, marked inferred.
    let open = v["open_questions"].as_array().expect("open");
    assert!(
        open.iter()
            .any(|q| q["question"] == "topology" && q["why"] == "assumed" && q["inferred"] == true),
        "{open:?}"
    );
}

#[test]
fn a_questions_csv_read_back_untouched_leaves_inferred_answers_inferred() {
    let (home, file) = imported("file");
    let f = file.to_str().expect("utf-8");
    let out = run(home.path(), &["questions", f, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = home.path().join("q.csv");
    std::fs::write(&csv, &out.stdout).expect("write");
    let before = load(&file);
    let out = run(
        home.path(),
        &["import", f, "--answers", csv.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = load(&file);
    assert_eq!(
        before.answers.iter().filter(|x| x.is_inferred()).count(),
        after.answers.iter().filter(|x| x.is_inferred()).count(),
        "{:#?}",
        after.answers
    );
}

/// The rules that read stated absence, a manual mechanism and a back office with only
/// asynchronous flows: each gives its answer where its facts hold, and nothing where they do
/// not (a storefront, a PSP, a flow with a contract).
#[test]
fn stated_absence_and_asynchronous_back_offices_are_read_from_the_map() {
    let text = r#"schema = 2
kind = "assessment"

[engagement]
client = "Acme"
title = "t"
profile = "full-discovery"

[[system]]
id = "shop"
name = "Shop"
category = "platform"

[[system]]
id = "erp"
name = "ERP"
category = "erp"

[[system]]
id = "psp"
name = "PSP"
category = "payments"

[[system]]
id = "wms"
name = "WMS"
category = "erp"

[[flow]]
id = "orders"
from = "shop"
to = "erp"
objects = ["order"]
mechanism = "webhook"
none = ["contract", "failure", "dashboards"]

[[flow]]
id = "payouts"
from = "psp"
to = "erp"
objects = ["payment"]
mechanism = "manual"
contract = "Settlement report CSV"

[[flow]]
id = "stock-check"
from = "wms"
to = "shop"
objects = ["inventory"]
mechanism = "api"
direction = "pull"
checkout = true
"#;
    let mut a = load_text(text).expect("valid");
    stackmap::infer::apply(content(), &mut a);
    let by = |subject: Option<&str>, q: &str, question: &str| {
        find(&a, q, subject, question).and_then(|x| x.inferred_by.clone())
    };
    let orders = Some("orders");
    assert_eq!(
        by(orders, "flow-contract", "change-detection").as_deref(),
        Some("events-without-failure-handling")
    );
    assert_eq!(
        by(orders, "flow-contract", "schema").as_deref(),
        Some("no-contract-implicit")
    );
    assert_eq!(
        by(orders, "flow-contract", "alerting").as_deref(),
        Some("no-dashboards-customers-notice")
    );
    assert_eq!(
        by(orders, "flow-contract", "reconciliation").as_deref(),
        Some("no-failure-handling-no-reconciliation")
    );
    let rec = find(&a, "flow-contract", orders, "reconciliation").expect("inferred");
    assert_eq!(rec.state, AnswerState::Value(Value::Choices(vec![])));
    // The printed pre-read says so in words, marked as read from the map.
    let e =
        stackmap::engine::evaluate_assessment(content(), &a, "a.toml", None).expect("evaluates");
    let md = stackmap::preread::markdown(content(), &a, &e, stackmap::report::Audience::Client);
    assert!(
        md.contains(
            "Answer so far: **none of these** (read from the map of your systems: confirm or \
             correct it)"
        ),
        "{md}"
    );
    // A manual flow is retried by nobody; its contract is named, so `schema` is the client's.
    assert_eq!(
        by(Some("payouts"), "flow-contract", "retries").as_deref(),
        Some("manual-flow-no-retries")
    );
    assert_eq!(by(Some("payouts"), "flow-contract", "schema"), None);
    assert_eq!(by(Some("payouts"), "flow-contract", "alerting"), None);
    // The ERP's flows are all asynchronous: nothing a customer waits on calls it. The PSP is
    // left to the client (storefronts call it live), and so is the system checkout calls.
    let erp = find(&a, "vendor-fit", Some("erp"), "sync-dependency").expect("inferred");
    assert_eq!(erp.state, AnswerState::Value(Value::Choice("async".into())));
    assert_eq!(by(Some("psp"), "vendor-fit", "sync-dependency"), None);
    assert_eq!(by(Some("wms"), "vendor-fit", "sync-dependency"), None);
    // A webhook into the ERP and a synchronous lookup: no ERP batch anywhere... but a manual
    // flow touches the ERP, so `erp-batch` stays the client's.
    assert_eq!(by(None, "coupling", "erp-batch"), None);
    a.flows.retain(|f| f.id != "payouts");
    stackmap::infer::apply(content(), &mut a);
    let x = find(&a, "coupling", None, "erp-batch").expect("inferred");
    assert_eq!(x.inferred_by.as_deref(), Some("erp-flows-live-only"));
    assert_eq!(
        x.state,
        AnswerState::Value(Value::Choice("no-batch".into()))
    );
}

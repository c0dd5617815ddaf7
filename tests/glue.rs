//! Glue code is a system category (issue 18): scripts, serverless functions and cron jobs are
//! imported as `glue`, a flow through one is point-to-point (not a hub), and each glue system
//! is asked who owns it.

mod common;

use common::{content, load_text, lossy, run};
use stackmap::engine::evaluate;
use stackmap::model::*;
use stackmap::vocab::*;

fn fixture() -> Assessment {
    load_text(&std::fs::read_to_string("tests/fixtures/glue/one-glue-flow.toml").unwrap())
        .expect("fixture loads")
}

/// `n` flows between distinct pairs of systems, each through `via`.
fn with_flows(via_category: Category, n: usize) -> Assessment {
    let mut a = fixture();
    a.systems.retain(|s| s.category != Category::Glue);
    a.flows.clear();
    let mut via = a.systems[0].clone();
    via.id = "middle".into();
    via.name = "Middle".into();
    via.category = via_category;
    a.systems.push(via);
    for i in 0..n {
        let mut s = a.systems[0].clone();
        s.id = format!("app-{i}");
        s.name = format!("App {i}");
        s.category = Category::Other;
        a.systems.push(s);
    }
    let template = fixture().flows[0].clone();
    for i in 0..n {
        let mut f = template.clone();
        f.id = format!("flow-{i}");
        f.from = format!("app-{i}");
        f.to = if i % 2 == 0 {
            "shop".into()
        } else {
            "erp".into()
        };
        f.via = Some("middle".into());
        a.flows.push(f);
    }
    a
}

fn raised(a: &Assessment, id: &str) -> bool {
    let c = content();
    let p = c.profile(&a.engagement.profile).unwrap();
    evaluate(c, p, a, None).findings.iter().any(|f| f.id == id)
}

#[test]
fn flows_through_glue_are_point_to_point_and_through_a_hub_are_not() {
    let glue = with_flows(Category::Glue, 8);
    assert!(
        raised(&glue, "point-to-point-sprawl"),
        "eight flows through a Lambda are eight point-to-point connections"
    );
    let hub = with_flows(Category::Ipaas, 8);
    assert!(
        !raised(&hub, "point-to-point-sprawl"),
        "eight flows through an integration platform go through a hub"
    );
}

#[test]
fn each_glue_system_is_asked_who_owns_it_and_not_about_a_vendor() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.toml");
    std::fs::copy("tests/fixtures/glue/one-glue-flow.toml", &file).unwrap();
    let out = run(
        dir.path(),
        &["questions", file.to_str().unwrap(), "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let csv = lossy(&out.stdout);
    assert!(
        csv.contains("vendor-fit,sync-lambda,glue-job-owner,"),
        "{csv}"
    );
    assert!(
        !csv.contains("vendor-fit,sync-lambda,api-coverage,"),
        "{csv}"
    );
    // The platform is still asked about its APIs.
    assert!(csv.contains("vendor-fit,shop,api-coverage,"), "{csv}");

    // An unowned glue system raises the glue-code owner finding for that system.
    let mut a = fixture();
    let mut ans = Answer::new(
        "vendor-fit".into(),
        Some("sync-lambda".into()),
        "glue-job-owner".into(),
        AnswerState::Value(Value::Choice("nobody".into())),
    );
    ans.by = "test".into();
    a.answers.push(ans);
    let c = content();
    let e = evaluate(c, c.profile("full-discovery").unwrap(), &a, None);
    let f = e
        .findings
        .iter()
        .find(|f| f.id == "unowned-glue-code")
        .expect("raised");
    assert!(
        f.subjects.iter().any(|s| s.id == "sync-lambda"),
        "{:?}",
        f.subjects
    );
}

#[test]
fn import_files_scripts_functions_and_cron_jobs_as_glue() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.toml");
    std::fs::copy("tests/fixtures/glue/one-glue-flow.toml", &file).unwrap();
    let csv = dir.path().join("systems.csv");
    std::fs::write(
        &csv,
        "name,category\nPrice script,script\nStock lambda,Lambda\nNightly export,cron\nOrder relay,custom code\nWebhook fan-out,function\nBFF,node\nFeed worker,AWS Lambda\nMuleSoft,MuleSoft\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--systems",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let a = load_text(&std::fs::read_to_string(&file).unwrap()).expect("loads");
    for name in [
        "Price script",
        "Stock lambda",
        "Nightly export",
        "Order relay",
        "Webhook fan-out",
        "BFF",
        "Feed worker",
    ] {
        let s = a.systems.iter().find(|s| s.name == name).expect(name);
        assert_eq!(s.category, Category::Glue, "{name}");
    }
    let mule = a.systems.iter().find(|s| s.name == "MuleSoft").unwrap();
    assert_eq!(
        mule.category,
        Category::Ipaas,
        "an integration platform stays a hub"
    );
}

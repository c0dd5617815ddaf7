//! Engine scenarios: each folder in tests/scenarios holds an assessment (and, where it needs
//! them, its own questionnaires/ and profiles/) and an expect.toml written by hand — the
//! findings, the decision order in each lane, priorities, the roadmap. One test runs them all
//! and reports every mismatch.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use stackmap::engine::{self, BecauseKind, Evaluation, SubjectKind};
use stackmap::vocab::Horizon;
use stackmap::workspace::{Sources, load_assessment};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    overall: Option<f64>,
    coverage: Option<f64>,
    findings: Vec<String>,
    immediate: Vec<String>,
    architecture: Vec<String>,
    roadmap: Option<Vec<Vec<String>>>,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    vendor_categories: Option<Vec<String>>,
    #[serde(default)]
    dimensions: BTreeMap<String, f64>,
    #[serde(default)]
    subjects: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    priorities: BTreeMap<String, f64>,
    #[serde(default)]
    statuses: BTreeMap<String, String>,
    #[serde(default)]
    depends_on: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    because: BTreeMap<String, Vec<String>>,
    /// Scores that must be withheld (`None` for want of answers): `overall` or dimension ids.
    #[serde(default)]
    withheld: Vec<String>,
    /// The open questions in order, each `SUBJECT/FIELD-OR-QUESTION WHY [COULD_RAISE…]`, the
    /// subject `kind:id` (`engagement` alone), a question as `questionnaire/question`.
    #[serde(default)]
    open_questions: Option<Vec<String>>,
}

fn evaluate(dir: &Path) -> Evaluation {
    let extra = |name: &str| {
        let d = dir.join(name);
        if d.is_dir() { vec![d] } else { vec![] }
    };
    let mut profile_dirs = vec![Path::new("tests/scenarios/_profiles").to_path_buf()];
    profile_dirs.extend(extra("profiles"));
    let sources = Sources {
        dirs: None,
        questionnaire_dirs: extra("questionnaires"),
        profile_dirs,
    };
    let content = sources.content_strict().expect("scenario content is valid");
    let a = load_assessment(&dir.join("assessment.toml"), &content)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let profile = content
        .profile(&a.engagement.profile)
        .expect("profile exists");
    engine::evaluate(&content, profile, &a, None)
}

fn kind(k: SubjectKind) -> &'static str {
    match k {
        SubjectKind::Engagement => "engagement",
        SubjectKind::System => "system",
        SubjectKind::Flow => "flow",
        SubjectKind::Object => "object",
        SubjectKind::Capability => "capability",
    }
}

fn compare(name: &str, e: &Evaluation, x: &Expect) -> Vec<String> {
    let mut bad = Vec::new();
    let mut check = |what: &str, got: String, want: String| {
        if got != want {
            bad.push(format!("{name}: {what}: expected {want}, got {got}"));
        }
    };
    if let Some(o) = x.overall {
        check(
            "overall",
            format!("{:?}", e.overall),
            format!("{:?}", Some(o)),
        );
    }
    if let Some(c) = x.coverage {
        check("coverage", format!("{}", e.coverage), format!("{c}"));
    }
    let findings: Vec<&str> = e.findings.iter().map(|f| f.id.as_str()).collect();
    check(
        "findings",
        format!("{findings:?}"),
        format!("{:?}", x.findings),
    );
    for (lane, want) in [
        (Horizon::Immediate, &x.immediate),
        (Horizon::Architecture, &x.architecture),
    ] {
        let got: Vec<&str> = e.lane(lane).map(|d| d.id.as_str()).collect();
        check(
            &format!("{lane} lane"),
            format!("{got:?}"),
            format!("{want:?}"),
        );
        let ranks: Vec<u32> = e.lane(lane).map(|d| d.rank).collect();
        let expected: Vec<u32> = (1..=ranks.len() as u32).collect();
        check(
            &format!("{lane} ranks"),
            format!("{ranks:?}"),
            format!("{expected:?}"),
        );
    }
    if let Some(r) = &x.roadmap {
        let got: Vec<Vec<&str>> = e
            .roadmap
            .iter()
            .map(|s| s.decisions.iter().map(String::as_str).collect())
            .collect();
        check("roadmap", format!("{got:?}"), format!("{r:?}"));
        for (i, s) in e.roadmap.iter().enumerate() {
            check(
                "slice numbering",
                format!("{}", s.slice),
                format!("{}", i + 1),
            );
        }
    }
    for w in &x.warnings {
        if !e.warnings.iter().any(|g| g.contains(w.as_str())) {
            check(
                "warnings",
                format!("{:?}", e.warnings),
                format!("one containing {w:?}"),
            );
        }
    }
    if x.warnings.is_empty() {
        check("warnings", format!("{:?}", e.warnings), "[]".into());
    }
    if let Some(cats) = &x.vendor_categories {
        let got: Vec<&str> = e.vendors.iter().map(|v| v.category.as_str()).collect();
        check("vendor categories", format!("{got:?}"), format!("{cats:?}"));
    }
    for (d, want) in &x.dimensions {
        let got = e
            .dimensions
            .iter()
            .find(|x| x.id.as_str() == d)
            .and_then(|x| x.score.score);
        check(
            &format!("dimension {d}"),
            format!("{got:?}"),
            format!("{:?}", Some(*want)),
        );
    }
    for (f, want) in &x.subjects {
        let got: Vec<String> = e
            .findings
            .iter()
            .find(|x| &x.id == f)
            .map(|x| {
                x.subjects
                    .iter()
                    .map(|s| format!("{}:{}", kind(s.kind), s.id))
                    .collect()
            })
            .unwrap_or_default();
        check(
            &format!("subjects of {f}"),
            format!("{got:?}"),
            format!("{want:?}"),
        );
    }
    for (d, want) in &x.priorities {
        let got = e.decision(d).map(|x| x.priority);
        check(
            &format!("priority of {d}"),
            format!("{got:?}"),
            format!("{:?}", Some(*want)),
        );
    }
    for (d, want) in &x.statuses {
        let got = e.decision(d).map(|x| x.status.to_string());
        check(
            &format!("status of {d}"),
            format!("{got:?}"),
            format!("{:?}", Some(want)),
        );
    }
    for (d, want) in &x.depends_on {
        let got = e
            .decision(d)
            .map(|x| x.depends_on.clone())
            .unwrap_or_default();
        check(
            &format!("depends_on of {d}"),
            format!("{got:?}"),
            format!("{want:?}"),
        );
    }
    for (f, want) in &x.because {
        let got: Vec<String> = e
            .findings
            .iter()
            .find(|x| &x.id == f)
            .map(|x| {
                x.because
                    .iter()
                    .map(|b| {
                        let k = match b.kind {
                            BecauseKind::Answer => "answer",
                            BecauseKind::Inventory => "inventory",
                            BecauseKind::Rule => "rule",
                        };
                        format!("{k}:{}", b.reference)
                    })
                    .collect()
            })
            .unwrap_or_default();
        check(
            &format!("because of {f}"),
            format!("{got:?}"),
            format!("{want:?}"),
        );
    }
    for w in &x.withheld {
        let got = if w == "overall" {
            Some((e.overall, e.coverage < e.min_coverage))
        } else {
            e.dimensions
                .iter()
                .find(|d| d.id.as_str() == w)
                .map(|d| (d.score.score, d.score.short))
        };
        check(
            &format!("{w} withheld"),
            format!("{got:?}"),
            format!("{:?}", Some((None::<f64>, true))),
        );
    }
    if let Some(want) = &x.open_questions {
        let got: Vec<String> = e
            .open_questions
            .iter()
            .map(|q| {
                let subject = q.subject.as_ref().map_or("engagement".to_string(), |s| {
                    format!("{}:{}", kind(s.kind), s.id)
                });
                let what = match (&q.field, &q.questionnaire, &q.question) {
                    (Some(f), _, _) => f.clone(),
                    (None, Some(qn), Some(x)) => format!("{qn}/{x}"),
                    _ => "?".into(),
                };
                let why = serde_json::to_value(q.why).expect("json");
                format!(
                    "{subject}/{what} {} [{}]",
                    why.as_str().unwrap_or_default(),
                    q.could_raise.join(", ")
                )
            })
            .collect();
        check("open questions", format!("{got:#?}"), format!("{want:#?}"));
    }
    // Every decision in the roadmap is in the list, and rejected ones are not in the roadmap.
    for d in &e.decisions {
        let in_roadmap = e.roadmap.iter().any(|s| s.decisions.contains(&d.id));
        let rejected = d.status == stackmap::vocab::DecisionStatus::Rejected;
        if in_roadmap == rejected {
            bad.push(format!(
                "{name}: decision {} rejected={rejected} in_roadmap={in_roadmap}",
                d.id
            ));
        }
    }
    bad
}

#[test]
fn every_scenario_gives_its_expected_result() {
    let mut dirs: Vec<_> = std::fs::read_dir("tests/scenarios")
        .expect("scenario dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("assessment.toml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 8, "scenarios went missing");
    let mut bad = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let x: Expect =
            toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).expect("expect.toml"))
                .unwrap_or_else(|e| panic!("{name}/expect.toml: {e}"));
        let e = evaluate(dir);
        bad.extend(compare(&name, &e, &x));
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

#[test]
fn the_same_input_gives_byte_identical_json() {
    for dir in [
        "tests/scenarios/batch-erp-without-idempotency",
        "tests/scenarios/overrides",
        "tests/scenarios/thin-answers",
        "tests/fixtures/valid",
    ] {
        let p = Path::new(dir);
        let j1 = serde_json::to_string(&evaluate(p)).expect("json");
        for _ in 0..3 {
            assert_eq!(
                serde_json::to_string(&evaluate(p)).expect("json"),
                j1,
                "{dir}"
            );
        }
    }
}

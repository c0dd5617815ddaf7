//! The shipped content, checked as a whole: every finding can be raised, every condition
//! (`show_if` and rules' `when`) can be both true and false, and the question and finding
//! counts the content issue promises.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::lcg::Lcg;

use stackmap::content::{BUILTIN_FINDINGS, Content};
use stackmap::engine::context::{Ctx, Subject};
use stackmap::model::*;
use stackmap::vocab::*;
use stackmap::workspace::Sources;

fn content() -> Content {
    Sources::default()
        .content_strict()
        .expect("shipped content is valid")
}

#[test]
fn shipped_content_has_the_promised_breadth() {
    let c = content();
    let questionnaires: Vec<&Questionnaire> = c
        .questionnaires
        .iter()
        .filter(|q| q.question_count() > 0)
        .collect();
    assert!(
        questionnaires.len() >= 8,
        "{} questionnaires",
        questionnaires.len()
    );
    let questions: usize = questionnaires.iter().map(|q| q.question_count()).sum();
    assert!(questions >= 150, "{questions} questions");
    let findings = c
        .findings()
        .filter(|f| !BUILTIN_FINDINGS.contains(&f.id.as_str()))
        .count();
    assert!(
        findings >= 70,
        "{findings} findings besides the built-in ones"
    );
    for q in &questionnaires {
        for (_, question) in q.questions() {
            assert!(
                question.help.trim().len() >= 40,
                "{}/{} needs help text a junior assessor can read aloud",
                q.id,
                question.id
            );
        }
    }
    for f in c.findings() {
        assert!(
            f.recommendation.trim().len() >= 40,
            "{} needs a recommendation concrete enough to staff",
            f.id
        );
    }
}

#[test]
fn every_finding_can_be_raised() {
    let c = content();
    let mut raised: BTreeSet<&str> = BUILTIN_FINDINGS.iter().copied().collect();
    for q in &c.questionnaires {
        for (_, question) in q.questions() {
            for o in &question.options {
                raised.extend(o.raises.iter().map(|r| r.id.as_str()));
            }
            for t in &question.thresholds {
                raised.extend(t.raises.iter().map(|r| r.id.as_str()));
            }
        }
        for r in &q.rules {
            raised.extend(r.raises.iter().map(|r| r.id.as_str()));
        }
    }
    let unreachable: Vec<&str> = c
        .findings()
        .map(|f| f.id.as_str())
        .filter(|id| !raised.contains(id))
        .collect();
    assert!(unreachable.is_empty(), "nothing raises {unreachable:?}");
}

// ---------------------------------------------------------------------------------------
// Conditions, sampled over random inventories, answers and scenarios.

fn random_assessment(r: &mut Lcg, c: &Content) -> Assessment {
    let n = 1 + r.below(9);
    let systems: Vec<System> = (0..n)
        .map(|i| System {
            id: format!("s{i}"),
            name: format!("S{i}"),
            vendor: String::new(),
            category: r.pick(Category::ALL),
            status: r.pick(SystemStatus::ALL),
            team: String::new(),
            capabilities: Capability::ALL
                .iter()
                .copied()
                .filter(|_| r.chance(20))
                .collect(),
            time: None,
            notes: String::new(),
            scopes: Vec::new(),
        })
        .collect();
    let flows: Vec<Flow> = if n < 2 {
        Vec::new()
    } else {
        (0..r.below(6))
            .map(|i| {
                let from = r.below(n);
                let to = (from + 1 + r.below(n - 1)) % n;
                Flow {
                    id: format!("f{i}"),
                    name: String::new(),
                    from: format!("s{from}"),
                    to: format!("s{to}"),
                    via: None,
                    objects: DataObject::ALL
                        .iter()
                        .copied()
                        .filter(|_| r.chance(25))
                        .collect(),
                    mechanism: r.pick(Mechanism::ALL),
                    mode: r.pick(FlowMode::ALL),
                    direction: r.pick(FlowDirection::ALL),
                    checkout: r.chance(30),
                    source: String::new(),
                    contract: String::new(),
                    failure: String::new(),
                    owner: String::new(),
                    owners: Owners::default(),
                    none: FlowPart::ALL
                        .iter()
                        .copied()
                        .filter(|_| r.chance(20))
                        .collect(),
                    notes: String::new(),
                }
            })
            .collect()
    };
    let mut ownership = BTreeMap::new();
    for o in DataObject::ALL {
        if r.chance(70) {
            let sys = |r: &mut Lcg| format!("s{}", r.below(n));
            ownership.insert(
                *o,
                Ownership {
                    owner: r.chance(70).then(|| sys(r)),
                    target: r.chance(40).then(|| sys(r)),
                    writers: (0..r.below(4))
                        .map(|_| sys(r))
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                    readers: Vec::new(),
                    note: String::new(),
                    ..Default::default()
                },
            );
        }
    }
    let mut answers = Vec::new();
    for q in &c.questionnaires {
        let subjects: Vec<Option<String>> = match q.scope {
            Scope::Engagement => vec![None],
            Scope::System => systems.iter().map(|s| Some(s.id.clone())).collect(),
            Scope::Flow => flows.iter().map(|f| Some(f.id.clone())).collect(),
        };
        for subject in subjects {
            for (_, question) in q.questions() {
                let state = match r.below(10) {
                    0 => continue,
                    1 => AnswerState::Unknown,
                    2 => AnswerState::NotApplicable,
                    _ => AnswerState::Value(match question.kind {
                        QuestionKind::Single | QuestionKind::YesNo => Value::Choice(
                            question.options[r.below(question.options.len())].id.clone(),
                        ),
                        QuestionKind::Multi => Value::Choices(
                            question
                                .options
                                .iter()
                                .filter(|_| r.chance(50))
                                .map(|o| o.id.clone())
                                .collect(),
                        ),
                        QuestionKind::Scale | QuestionKind::Number => {
                            let lo = question.min.unwrap_or(0.0);
                            let hi = question.max.unwrap_or(lo + 200.0).min(lo + 2000.0);
                            Value::Number((lo + r.below((hi - lo) as usize + 1) as f64).min(hi))
                        }
                        QuestionKind::Text => Value::Text("x".into()),
                        QuestionKind::SystemPick => Value::System(format!("s{}", r.below(n))),
                    }),
                };
                answers.push(Answer::new(
                    q.id.clone(),
                    subject.clone(),
                    question.id.clone(),
                    state,
                ));
            }
        }
    }
    Assessment {
        engagement: Engagement {
            client: "c".into(),
            title: "t".into(),
            profile: "full-discovery".into(),
            assessor: String::new(),
            created: None,
            updated: None,
            summary: String::new(),
            pain_points: Vec::new(),
            initiatives: Vec::new(),
        },
        systems,
        flows,
        ownership,
        answers,
        decisions: Vec::new(),
        respondents: Vec::new(),
        conflicts: Vec::new(),
    }
}

#[test]
fn every_condition_can_be_both_true_and_false() {
    let c = content();
    let base = c
        .profile("full-discovery")
        .expect("shipped profile")
        .clone();
    let mut r = Lcg(7);
    // location → (seen true, seen false)
    let mut seen: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    for q in &c.questionnaires {
        for s in &q.sections {
            if s.show_if.is_some() {
                seen.insert(
                    format!("{}/{} (section show_if)", q.id, s.id),
                    (false, false),
                );
            }
            for x in &s.questions {
                if x.show_if.is_some() {
                    seen.insert(format!("{}/{} (show_if)", q.id, x.id), (false, false));
                }
            }
        }
        for rule in &q.rules {
            seen.insert(format!("{}/{} (rule)", q.id, rule.id), (false, false));
        }
    }
    assert!(seen.len() >= 30, "only {} conditions found", seen.len());
    for _ in 0..600 {
        let a = random_assessment(&mut r, &c);
        let mut profile = base.clone();
        profile.scenarios = Scenario::ALL
            .iter()
            .copied()
            .filter(|_| r.chance(30))
            .collect();
        let ctx = Ctx::new(&c, &profile, &a);
        for q in &c.questionnaires {
            let subjects: Vec<Subject> = match q.scope {
                Scope::Engagement => vec![Subject::Engagement],
                Scope::System => a.systems.iter().map(Subject::System).collect(),
                Scope::Flow => a.flows.iter().map(Subject::Flow).collect(),
            };
            for subject in subjects {
                let mut note = |key: String, value: bool| {
                    if let Some(e) = seen.get_mut(&key) {
                        if value { e.0 = true } else { e.1 = true }
                    }
                };
                for s in &q.sections {
                    if let Some(cond) = &s.show_if {
                        note(
                            format!("{}/{} (section show_if)", q.id, s.id),
                            ctx.eval(cond, q, subject),
                        );
                    }
                    for x in &s.questions {
                        if let Some(cond) = &x.show_if {
                            note(
                                format!("{}/{} (show_if)", q.id, x.id),
                                ctx.eval(cond, q, subject),
                            );
                        }
                    }
                }
                for rule in &q.rules {
                    note(
                        format!("{}/{} (rule)", q.id, rule.id),
                        ctx.eval(&rule.when, q, subject),
                    );
                }
            }
        }
    }
    let stuck: Vec<String> = seen
        .iter()
        .filter(|(_, (t, f))| !(*t && *f))
        .map(|(k, (t, _))| format!("{k}: always {}", if *t { "true" } else { "false" }))
        .collect();
    assert!(
        stuck.is_empty(),
        "conditions that never change:\n{}",
        stuck.join("\n")
    );
}

/// The complete examples in the docs are files a reader will copy: each must pass `check`.
#[test]
fn every_complete_example_in_the_docs_checks_clean() {
    for doc in ["docs/FORMATS.md", "docs/CONTENT.md"] {
        let text = std::fs::read_to_string(doc).expect("doc exists");
        let mut blocks = Vec::new();
        let mut cur: Option<String> = None;
        for line in text.lines() {
            match (&mut cur, line.trim_start()) {
                (None, l) if l.starts_with("```toml") => cur = Some(String::new()),
                (Some(b), l) if l.starts_with("```") => {
                    blocks.push(std::mem::take(b));
                    cur = None;
                }
                (Some(b), _) => {
                    b.push_str(line);
                    b.push('\n');
                }
                _ => {}
            }
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let (q, p) = (dir.path().join("q"), dir.path().join("p"));
        std::fs::create_dir_all(&q).expect("mkdir");
        std::fs::create_dir_all(&p).expect("mkdir");
        let mut others = Vec::new();
        let mut complete = 0;
        for (i, b) in blocks.iter().enumerate() {
            // `kind = "questionnaire"   # a comment`: the first quoted word.
            let kind = b
                .lines()
                .find_map(|l| l.trim().strip_prefix("kind = "))
                .and_then(|k| k.split('"').nth(1))
                .map(str::to_string);
            // Complete files, not fragments: a header, a kind and a body; abridged examples
            // say so.
            if b.contains("(abridged)") {
                continue;
            }
            // Files `stackmap check` reads (a draft, kept by the screen, is not one of them).
            let checked = matches!(
                kind.as_deref(),
                Some("questionnaire" | "profile" | "assessment" | "snapshot")
            );
            if !b.lines().any(|l| l.trim().starts_with("schema = 1"))
                || !checked
                || b.lines().count() < 6
            {
                continue;
            }
            complete += 1;
            let name = format!("example-{i}.toml");
            match kind.as_deref() {
                Some("questionnaire") => std::fs::write(q.join(name), b).expect("write"),
                Some("profile") => std::fs::write(p.join(name), b).expect("write"),
                _ => {
                    let f = dir.path().join(name);
                    std::fs::write(&f, b).expect("write");
                    others.push(f);
                }
            }
        }
        assert!(complete >= 2, "{doc}: no complete examples found");
        let sources = Sources {
            dirs: None,
            questionnaire_dirs: vec![q],
            profile_dirs: vec![p],
        };
        let (_, diags) = stackmap::workspace::check(&sources, &others);
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == stackmap::diag::Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{doc} examples do not check:\n{}",
            errors.join("\n")
        );
    }
}

/// Issue 18: every important question and every finding's recommendation cites a source, and
/// `list questionnaires --format json` counts the sourced questions.
#[test]
fn important_questions_and_recommendations_are_sourced() {
    let c = content();
    let mut missing = Vec::new();
    for q in &c.questionnaires {
        for (_, question) in q.questions() {
            if question.important && question.sources.iter().all(|s| s.trim().is_empty()) {
                missing.push(format!("question {}/{}", q.id, question.id));
            }
        }
        for f in &q.findings {
            if f.sources.iter().all(|s| s.trim().is_empty()) {
                missing.push(format!("finding {} (its recommendation)", f.id));
            }
        }
    }
    assert!(missing.is_empty(), "cite a source for: {missing:#?}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackmap"))
        .args(["list", "questionnaires", "--format", "json"])
        .env(
            "STACKMAP_HOME",
            std::env::temp_dir().join("stackmap-content-sourced"),
        )
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for item in list.as_array().expect("a list") {
        let id = item["id"].as_str().unwrap();
        let q = c.questionnaire(id).unwrap();
        let sourced = q.questions().filter(|(_, x)| !x.sources.is_empty()).count();
        assert_eq!(item["sourced"].as_u64(), Some(sourced as u64), "{id}");
        assert!(item["sourced"].as_u64() <= item["question_count"].as_u64());
    }
}

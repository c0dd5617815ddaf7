//! The large engagement generator shared by `examples/large_engagement.rs` and the
//! end-to-end benchmark. A small linear congruential generator keeps it deterministic
//! without a dependency.

use stackmap::model::*;
use stackmap::vocab::*;
use stackmap::workspace::Sources;

pub const SYSTEMS: usize = 200;
pub const FLOWS: usize = 1000;

#[path = "../../tests/common/lcg.rs"]
pub mod lcg;
use lcg::Lcg;

fn capabilities(c: Category) -> Vec<Capability> {
    use Capability::*;
    match c {
        Category::Platform => vec![OrderCapture, Promotions, CustomerAccounts],
        Category::Erp => vec![InventoryManagement, Pricing],
        Category::Pim => vec![CatalogManagement],
        Category::Oms => vec![OrderRouting, Fulfilment, Returns],
        Category::Payments => vec![Payments],
        Category::Tax => vec![TaxCalculation],
        Category::Shipping => vec![Fulfilment],
        Category::Marketplace => vec![MarketplaceSync],
        Category::Search => vec![Search],
        Category::Cms => vec![Content],
        Category::Ipaas => vec![Integration],
        Category::Glue | Category::Other => vec![],
    }
}

pub fn generate() -> String {
    generate_sized(SYSTEMS, FLOWS)
}

/// An engagement of this many systems and flows, built as `generate` builds the large one
/// (the tests use a mid-size one).
pub fn generate_sized(n_systems: usize, n_flows: usize) -> String {
    let content = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    let profile = content.profile("full-discovery").expect("shipped profile");
    let mut r = Lcg(42);
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-02T09:00:00Z").expect("valid date");
    let systems: Vec<System> = (0..n_systems)
        .map(|i| {
            let category = Category::ALL[i % Category::ALL.len()];
            let status = match r.below(20) {
                0 => SystemStatus::Candidate,
                1 | 2 => SystemStatus::Retiring,
                _ => SystemStatus::Existing,
            };
            System {
                id: format!("{}-{i:03}", category.as_str()),
                name: format!("{} system {i}", category.as_str().to_uppercase()),
                vendor: format!("Vendor {}", r.below(60)),
                category,
                status,
                team: format!("Team {}", r.below(25)),
                capabilities: capabilities(category),
                time: Some(r.pick(TimeDecision::ALL)),
                notes: String::new(),
                scopes: Vec::new(),
            }
        })
        .collect();
    let hubs: Vec<&System> = systems
        .iter()
        .filter(|s| s.category == Category::Ipaas)
        .collect();
    let flows: Vec<Flow> = (0..n_flows)
        .map(|i| {
            let from = r.below(n_systems);
            let to = (from + 1 + r.below(n_systems - 1)) % n_systems;
            let via = if r.chance(40) {
                let h = hubs[r.below(hubs.len())];
                (h.id != systems[from].id && h.id != systems[to].id).then(|| h.id.clone())
            } else {
                None
            };
            let mut objects = vec![DataObject::ALL[r.below(DataObject::ALL.len())]];
            let second = DataObject::ALL[r.below(DataObject::ALL.len())];
            if !objects.contains(&second) && r.chance(30) {
                objects.push(second);
            }
            let mechanism = Mechanism::ALL[r.below(Mechanism::ALL.len())];
            let step = |r: &mut Lcg, text: &str| {
                if r.chance(80) {
                    text.to_string()
                } else {
                    String::new()
                }
            };
            let mut f = Flow {
                id: format!("flow-{i:04}"),
                name: format!("Flow {i}"),
                from: systems[from].id.clone(),
                to: systems[to].id.clone(),
                via,
                objects,
                mechanism,
                mode: if mechanism == Mechanism::Api {
                    FlowMode::Sync
                } else {
                    FlowMode::Async
                },
                direction: FlowDirection::Push,
                checkout: r.chance(5),
                source: step(&mut r, "Sender events plus nightly reconciliation"),
                contract: step(&mut r, "OpenAPI 3.1 in the integration repository"),
                failure: step(&mut r, "Backoff with jitter, DLQ with alarm"),
                owner: step(&mut r, "Integration team"),
                owners: Owners {
                    failures: step(&mut r, "Integration team"),
                    retries: step(&mut r, "Integration team"),
                    dashboards: step(&mut r, "Platform SRE"),
                    runbook: step(&mut r, "Integration team"),
                    release_handoff: step(&mut r, "Release manager"),
                },
                none: Vec::new(),
                notes: String::new(),
            };
            // What the client could not name is stated absent, as a discovery records it.
            f.none = FlowPart::ALL
                .iter()
                .copied()
                .filter(|p| f.text(*p).is_empty())
                .collect();
            f
        })
        .collect();
    let running: Vec<&System> = systems
        .iter()
        .filter(|s| s.status != SystemStatus::Candidate)
        .collect();
    let ownership = DataObject::ALL
        .iter()
        .map(|o| {
            let owner = running[r.below(running.len())].id.clone();
            let mut writers = vec![owner.clone()];
            if r.chance(40) {
                writers.push(running[r.below(running.len())].id.clone());
            }
            writers.dedup();
            let own = Ownership {
                owner: Some(owner.clone()),
                target: r
                    .chance(30)
                    .then(|| running[r.below(running.len())].id.clone()),
                writers,
                readers: (0..3)
                    .map(|_| running[r.below(running.len())].id.clone())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                note: String::new(),
                ..Default::default()
            };
            (*o, own)
        })
        .collect();
    let mut answers = Vec::new();
    for inc in &profile.questionnaires {
        let q = content.questionnaire(&inc.id.id).expect("included");
        let subjects: Vec<Option<String>> = match q.scope {
            Scope::Engagement => vec![None],
            Scope::System => systems
                .iter()
                .filter(|s| q.categories.is_empty() || q.categories.contains(&s.category))
                .map(|s| Some(s.id.clone()))
                .collect(),
            Scope::Flow => flows.iter().map(|f| Some(f.id.clone())).collect(),
        };
        for subject in subjects {
            let category = subject
                .as_deref()
                .and_then(|s| systems.iter().find(|x| x.id == s))
                .map(|s| s.category);
            for section in &q.sections {
                if let Some(c) = category
                    && !section.categories.is_empty()
                    && !section.categories.contains(&c)
                {
                    continue;
                }
                for question in &section.questions {
                    let state = match r.below(100) {
                        0..=8 => AnswerState::Unknown,
                        9..=11 => AnswerState::NotApplicable,
                        _ => AnswerState::Value(value(&mut r, question, &systems)),
                    };
                    answers.push(Answer {
                        questionnaire: q.id.clone(),
                        subject: subject.clone(),
                        question: question.id.clone(),
                        state,
                        note: if r.chance(33) {
                            format!(
                                "Confirmed with the owning team in workshop {}; see ticket INT-{}.",
                                1 + r.below(4),
                                r.below(9000)
                            )
                        } else {
                            String::new()
                        },
                        private: r.chance(3),
                        evidence: if r.chance(10) {
                            vec![format!(
                                "https://wiki.example.com/integration/{}",
                                r.below(5000)
                            )]
                        } else {
                            Vec::new()
                        },
                        confidence: Some(Confidence::ALL[r.below(3)]),
                        by: "A. Architect".into(),
                        at: Some(at),
                        inferred_by: None,
                        respondent: None,
                        is_final: false,
                    });
                }
            }
        }
    }
    let a = Assessment {
        engagement: Engagement {
            client: "Large Retail Group".into(),
            title: "Estate-wide integration audit".into(),
            profile: profile.id.clone(),
            assessor: "A. Architect".into(),
            created: Some(at),
            updated: Some(at),
            summary: "A generated engagement for benchmarks.".into(),
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
    };
    stackmap::save::to_toml(&a)
}

pub fn value(r: &mut Lcg, q: &Question, systems: &[System]) -> Value {
    match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => {
            Value::Choice(q.options[r.below(q.options.len())].id.clone())
        }
        QuestionKind::Multi => Value::Choices(
            q.options
                .iter()
                .filter(|_| r.chance(50))
                .map(|o| o.id.clone())
                .collect(),
        ),
        QuestionKind::Scale => {
            let (lo, hi) = (q.min.unwrap_or(0.0) as usize, q.max.unwrap_or(1.0) as usize);
            Value::Number((lo + r.below(hi - lo + 1)) as f64)
        }
        QuestionKind::Number => {
            let lo = q.min.unwrap_or(0.0);
            let hi = q.max.unwrap_or(lo + 100.0).min(lo + 1000.0);
            Value::Number((lo + r.below((hi - lo) as usize + 1) as f64).min(hi))
        }
        QuestionKind::Text => Value::Text("Described in the integration runbook.".into()),
        QuestionKind::SystemPick => Value::System(systems[r.below(systems.len())].id.clone()),
    }
}

//! Shared by the integration tests: the shipped content, loading an assessment from text,
//! and a proptest strategy that generates valid assessments (any Unicode in free text,
//! controls and bidi overrides included).
#![allow(dead_code)]

pub mod lcg;

use std::sync::OnceLock;

use proptest::prelude::*;
use stackmap::content::Content;
use stackmap::diag::Sink;
use stackmap::load::{self, Parsed};
use stackmap::model::*;
use stackmap::validate;
use stackmap::vocab::*;
use stackmap::workspace::Sources;

pub fn content() -> &'static Content {
    static C: OnceLock<Content> = OnceLock::new();
    C.get_or_init(|| {
        Sources::default()
            .content_strict()
            .expect("shipped content is valid")
    })
}

pub fn load_text(text: &str) -> Result<Assessment, Vec<String>> {
    let mut sink = Sink::new("mem.toml", text);
    let a = match load::parse(text, Some(FileKind::Assessment), &mut sink) {
        Some(Parsed::Assessment(raw)) => {
            validate::assessment::assessment(raw, content(), &mut sink)
        }
        _ => None,
    };
    match a {
        Some(a) if !sink.has_errors() => Ok(a),
        _ => Err(sink.diagnostics.iter().map(|d| d.to_string()).collect()),
    }
}

// ---------------------------------------------------------------------------------------
// Generated assessments

/// Scope labels: bare keys and one that needs quoting in a table name.
const SCOPE_LABELS: [&str; 3] = ["eu", "us", "Brand \"A\" · Nord"];

fn text() -> impl Strategy<Value = String> {
    // Any characters, controls and bidi overrides included: stored exactly, whatever they are.
    prop_oneof![
        Just(String::new()),
        "(?s).{0,24}",
        Just("\u{1b}]0;pwned\u{7}\u{202e} \"quoted\" \\ '''\n\"\"\"".to_string()),
    ]
}

fn nonempty() -> impl Strategy<Value = String> {
    "(?s).{0,24}".prop_map(|s| {
        if s.trim().is_empty() {
            format!("x{s}")
        } else {
            s
        }
    })
}

fn when() -> impl Strategy<Value = Option<chrono::DateTime<chrono::FixedOffset>>> {
    proptest::option::of((0i64..4_000_000_000, -12i32..14).prop_map(|(secs, h)| {
        let off = chrono::FixedOffset::east_opt(h * 3600).expect("valid offset");
        chrono::DateTime::from_timestamp(secs, 0)
            .expect("in range")
            .with_timezone(&off)
    }))
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

fn subset<T: Copy + PartialEq + std::fmt::Debug + 'static>(
    all: &'static [T],
) -> impl Strategy<Value = Vec<T>> {
    proptest::sample::subsequence(all.to_vec(), 0..=all.len().min(4))
}

fn value_for(q: &Question, systems: &[String]) -> BoxedStrategy<AnswerState> {
    let ids: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
    let v: BoxedStrategy<Value> = match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => proptest::sample::select(ids)
            .prop_map(Value::Choice)
            .boxed(),
        QuestionKind::Multi => proptest::sample::subsequence(ids.clone(), 0..=ids.len())
            .prop_map(Value::Choices)
            .boxed(),
        QuestionKind::Scale => {
            let (lo, hi) = (q.min.unwrap_or(0.0) as i64, q.max.unwrap_or(0.0) as i64);
            (lo..=hi).prop_map(|x| Value::Number(x as f64)).boxed()
        }
        QuestionKind::Number => {
            let lo = q.min.unwrap_or(0.0);
            let hi = q.max.unwrap_or(lo + 1000.0);
            prop_oneof![
                (lo as i64..=hi as i64).prop_map(|x| Value::Number(x as f64)),
                (lo..hi).prop_map(Value::Number)
            ]
            .boxed()
        }
        QuestionKind::Text => nonempty().prop_map(Value::Text).boxed(),
        QuestionKind::SystemPick => proptest::sample::select(systems.to_vec())
            .prop_map(Value::System)
            .boxed(),
    };
    prop_oneof![
        6 => v.prop_map(AnswerState::Value),
        1 => Just(AnswerState::Unknown),
        1 => Just(AnswerState::NotApplicable),
    ]
    .boxed()
}

/// The respondents every generated assessment lists.
pub const RESPONDENTS: [&str; 3] = ["ana", "bo", "chen"];

pub fn assessment() -> impl Strategy<Value = Assessment> {
    (2usize..6, 1usize..6).prop_flat_map(|(n_sys, n_flows)| {
        let system_ids: Vec<String> = (0..n_sys).map(|i| format!("sys-{i}")).collect();
        let systems = system_ids
            .iter()
            .map(|id| {
                let id = id.clone();
                (
                    nonempty(),
                    text(),
                    pick(Category::ALL),
                    pick(SystemStatus::ALL),
                    text(),
                    subset(Capability::ALL),
                    proptest::option::of(pick(TimeDecision::ALL)),
                    text(),
                    proptest::sample::subsequence(SCOPE_LABELS.to_vec(), 0..=2),
                )
                    .prop_map(
                        move |(
                            name,
                            vendor,
                            category,
                            status,
                            team,
                            capabilities,
                            time,
                            notes,
                            scopes,
                        )| {
                            System {
                                id: id.clone(),
                                name,
                                vendor,
                                category,
                                status,
                                team,
                                capabilities,
                                time,
                                notes,
                                scopes: scopes.into_iter().map(str::to_string).collect(),
                            }
                        },
                    )
            })
            .collect::<Vec<_>>();
        let ids_for_flows = system_ids.clone();
        let flows = (0..n_flows)
            .map(move |i| {
                let ids = ids_for_flows.clone();
                (
                    0..ids.len(),
                    1..ids.len(),
                    proptest::option::of(0..ids.len()),
                    subset(DataObject::ALL),
                    pick(Mechanism::ALL),
                    pick(FlowMode::ALL),
                    (any::<bool>(), pick(FlowDirection::ALL)),
                    (text(), text(), text(), text(), text()),
                    (text(), text(), text(), text(), text()),
                    text(),
                    subset(FlowPart::ALL),
                )
                    .prop_map(
                        move |(
                            from,
                            step,
                            via,
                            objects,
                            mechanism,
                            mode,
                            (checkout, direction),
                            (name, source, contract, failure, owner),
                            (a, b, c, d, e),
                            owner_notes,
                            none,
                        )| {
                            let mut f = Flow {
                                id: format!("flow-{i}"),
                                name,
                                from: ids[from].clone(),
                                to: ids[(from + step) % ids.len()].clone(),
                                via: via
                                    .filter(|v| *v != from && *v != (from + step) % ids.len())
                                    .map(|v| ids[v].clone()),
                                objects,
                                mechanism,
                                mode,
                                direction,
                                checkout,
                                source,
                                contract,
                                failure,
                                owner,
                                owners: Owners {
                                    failures: a,
                                    retries: b,
                                    dashboards: c,
                                    runbook: d,
                                    release_handoff: e,
                                },
                                none: Vec::new(),
                                notes: owner_notes.clone(),
                            };
                            // Stated absent only where nothing is named (naming it and
                            // stating it absent is refused).
                            f.none = none.into_iter().filter(|p| !f.is_stated(*p)).collect();
                            f
                        },
                    )
            })
            .collect::<Vec<_>>();
        let ids_for_own = system_ids.clone();
        let ownership = proptest::collection::btree_map(
            pick(DataObject::ALL),
            (
                proptest::option::of(0..n_sys),
                proptest::option::of(0..n_sys),
                proptest::sample::subsequence((0..n_sys).collect::<Vec<_>>(), 0..=n_sys),
                text(),
                proptest::collection::btree_map(
                    proptest::sample::select(SCOPE_LABELS.to_vec()),
                    (
                        proptest::option::of(0..n_sys),
                        proptest::sample::subsequence((0..n_sys).collect::<Vec<_>>(), 0..=n_sys),
                    ),
                    0..3,
                ),
                proptest::collection::btree_map(
                    proptest::sample::select(RESPONDENTS.to_vec()),
                    0..n_sys,
                    0..3,
                ),
                any::<bool>(),
            )
                .prop_map(move |(o, t, w, note, scoped, said, fin)| Ownership {
                    said: said
                        .into_iter()
                        .map(|(r, i)| (r.to_string(), ids_for_own[i].clone()))
                        .collect(),
                    is_final: fin && o.is_some(),
                    owner: o.map(|i| ids_for_own[i].clone()),
                    target: t.map(|i| ids_for_own[i].clone()),
                    writers: w.iter().map(|i| ids_for_own[*i].clone()).collect(),
                    readers: Vec::new(),
                    note,
                    scopes: scoped
                        .into_iter()
                        .map(|(l, (o, w))| {
                            (
                                l.to_string(),
                                Ownership {
                                    owner: o.map(|i| ids_for_own[i].clone()),
                                    writers: w.iter().map(|i| ids_for_own[*i].clone()).collect(),
                                    ..Ownership::default()
                                },
                            )
                        })
                        .collect(),
                }),
            0..4,
        );
        // Every questionnaire the profile asks, for every subject it is asked of.
        let ids_for_answers = system_ids.clone();
        let mut asked: Vec<(&'static Questionnaire, Option<String>, &'static Question)> =
            Vec::new();
        let c = content();
        for inc in &c.profile("full-discovery").expect("shipped").questionnaires {
            let q = c.questionnaire(&inc.id.id).expect("shipped");
            let subjects: Vec<Option<String>> = match q.scope {
                Scope::Engagement => vec![None],
                Scope::System => system_ids.iter().cloned().map(Some).collect(),
                Scope::Flow => (0..n_flows).map(|f| Some(format!("flow-{f}"))).collect(),
            };
            for subject in subjects {
                for (_, question) in q.questions() {
                    asked.push((q, subject.clone(), question));
                }
            }
        }
        let answers = asked
            .into_iter()
            .map(|(q, subject, question)| {
                let qid = question.id.clone();
                let questionnaire = q.id.clone();
                // An answer may be one read from the inventory, by a rule of its question.
                let rule: Option<String> = q
                    .infers
                    .iter()
                    .find(|i| i.question.id == question.id)
                    .map(|i| i.id.clone());
                proptest::option::of(
                    (
                        value_for(question, &ids_for_answers),
                        text(),
                        any::<bool>(),
                        proptest::collection::vec(text(), 0..2),
                        proptest::option::of(pick(Confidence::ALL)),
                        text(),
                        when(),
                        // A respondent's answer beside it (or instead), maybe final.
                        proptest::option::of((
                            proptest::sample::select(RESPONDENTS.to_vec()),
                            value_for(question, &ids_for_answers),
                            any::<bool>(),
                        )),
                        any::<bool>(),
                        any::<bool>(),
                    )
                        .prop_map(
                            move |(
                                state,
                                note,
                                private,
                                evidence,
                                confidence,
                                by,
                                at,
                                voice,
                                own,
                                inf,
                            )| {
                                let mut out = Vec::new();
                                let mine = Answer {
                                    questionnaire: questionnaire.clone(),
                                    subject: subject.clone(),
                                    question: qid.clone(),
                                    state,
                                    note,
                                    private,
                                    evidence,
                                    confidence,
                                    by,
                                    at,
                                    // Read from the map only where no person spoke.
                                    inferred_by: rule.clone().filter(|_| inf && voice.is_none()),
                                    respondent: None,
                                    is_final: false,
                                };
                                if let Some((r, state, fin)) = voice {
                                    let mut x = mine.clone();
                                    x.respondent = Some(r.to_string());
                                    x.state = state;
                                    x.is_final = fin;
                                    out.push(x);
                                }
                                if own || out.is_empty() {
                                    out.push(mine);
                                }
                                out
                            },
                        ),
                )
            })
            .collect::<Vec<_>>();
        let decision_ids: Vec<String> = content()
            .decision_ids()
            .into_iter()
            .map(str::to_string)
            .collect();
        let decisions = proptest::sample::subsequence(decision_ids, 0..3).prop_flat_map(|ids| {
            ids.into_iter()
                .map(|id| {
                    (
                        proptest::option::of(pick(DecisionStatus::ALL)),
                        text(),
                        text(),
                        proptest::option::of(0u32..1000),
                        nonempty(),
                    )
                        .prop_map(move |(status, owner, note, p, reason)| {
                            DecisionOverride {
                                id: id.clone(),
                                status,
                                owner,
                                note,
                                priority: p.map(f64::from),
                                priority_reason: if p.is_some() { reason } else { String::new() },
                            }
                        })
                })
                .collect::<Vec<_>>()
        });
        let engagement = (nonempty(), nonempty(), text(), when(), when(), text()).prop_map(
            |(client, title, assessor, created, updated, summary)| Engagement {
                client,
                title,
                profile: "full-discovery".into(),
                assessor,
                created,
                updated,
                summary,
                pain_points: vec![Note {
                    id: "p1".into(),
                    text: "Oversells".into(),
                    systems: vec!["sys-0".into()],
                    flows: vec![],
                    objects: vec![DataObject::Inventory],
                }],
                initiatives: vec![],
            },
        );
        (
            engagement,
            systems,
            flows,
            ownership,
            answers,
            decisions,
            proptest::collection::vec((nonempty(), text(), text()), 3),
        )
            .prop_map(
                |(engagement, systems, flows, ownership, answers, decisions, people)| {
                    let respondents: Vec<Respondent> = RESPONDENTS
                        .iter()
                        .zip(people)
                        .map(|(id, (name, role, team))| Respondent {
                            id: id.to_string(),
                            name,
                            role,
                            team,
                        })
                        .collect();
                    // Ownership per scope only for scopes some system serves (others are refused).
                    let labels: std::collections::BTreeSet<String> = systems
                        .iter()
                        .flat_map(|s: &System| s.scopes.iter().cloned())
                        .collect();
                    let mut ownership = ownership;
                    for w in ownership.values_mut() {
                        w.scopes.retain(|l, _| labels.contains(l));
                    }
                    let mut a = Assessment {
                        engagement,
                        systems,
                        flows,
                        ownership,
                        answers: answers.into_iter().flatten().flatten().collect(),
                        decisions,
                        respondents: respondents.clone(),
                        conflicts: Vec::new(),
                    };
                    a.canonicalise();
                    a
                },
            )
    })
}

/// Writes the shipped `full-discovery` profile into `dir` with `min_coverage = 0`, so a
/// sparse fixture's scores are shown: for tests about how scores move, not about when they
/// are withheld.
pub fn every_score_shown(dir: &std::path::Path) {
    let shipped = std::fs::read_to_string("profiles/full-discovery.toml").expect("shipped profile");
    std::fs::create_dir_all(dir).expect("profiles dir");
    std::fs::write(
        dir.join("full-discovery.toml"),
        shipped.replacen(
            "kind = \"profile\"\n",
            "kind = \"profile\"\nmin_coverage = 0\n",
            1,
        ),
    )
    .expect("write profile");
}

// ---------------------------------------------------------------------------------------
// Running the built binary

/// The built binary with an empty `STACKMAP_HOME`, so the machine's own config dir stays
/// out of the test.
pub fn stackmap(home: &std::path::Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_stackmap"));
    c.env("STACKMAP_HOME", home).env_remove("STACKMAP_ASSESSOR");
    c
}

pub fn run(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    stackmap(home).args(args).output().expect("binary runs")
}

pub fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A copy of the complete fixture in a fresh home: (the home, the file, the file as text).
pub fn setup() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("northwind.toml");
    std::fs::copy("tests/fixtures/valid/assessment.toml", &file).expect("copy");
    let f = file.to_str().expect("utf-8").to_string();
    (home, file, f)
}

/// A path as the text a command line takes.
pub fn path_str(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8")
}

/// The app drawn on ratatui's `TestBackend` at `w`×`h`, as text: one line per row, trailing
/// blanks cut.
pub fn frame(app: &stackmap::tui::state::App, w: u16, h: u16) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| stackmap::tui::view::draw(f, app))
        .expect("draws");
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let line: String = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

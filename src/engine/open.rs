//! Open questions: what is not known yet, apart from the decisions. Decisions come only from
//! stated facts; a blank cell, an `unknown` or a question nobody asked yet is something to ask
//! next, not something to fix.
//!
//! Four kinds, each for one subject (a flow, a system, or the engagement):
//!
//! - `not-captured`: a running flow's step (`source`, `contract`, `failure`, `owner`) or
//!   operating duties (`owners`) not written down; or an object a running flow carries that
//!   the ownership map says nothing about (`ownership`, for the object);
//! - `unknown`: a question asked that nobody could answer;
//! - `assumed`: an answer given with `confidence = "assumed"`, to confirm (a wrong one raises
//!   or clears decisions);
//! - `unanswered`: a question the profile asks, not answered yet, whose answer could raise one
//!   of the top `TOP_DECISIONS` decisions of a lane (for this subject too).
//!
//! Each lists `could_raise`: the decisions an answer could raise or clear (from the options and
//! bands of the question; for a flow step, its `flow-missing-*` decision). Its `priority` is
//! the most important of them: the decision's own priority where it is on the list, else what
//! it would be for this subject alone (impact × risk × boost ÷ effort). The list is grouped by
//! subject — subjects by their most important question, then engagement, systems, flows by
//! id — and ranked within a subject by priority, ties by id.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::context::Ctx;
use super::*;
use crate::model::{AnswerState, Flow, Question, Questionnaire};

/// An unanswered question is worth asking when it could raise a decision this high in its lane
/// (the expert's "top five").
pub const TOP_DECISIONS: u32 = 5;

/// Why a question is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpenKind {
    /// A flow step or operating duty not written down.
    NotCaptured,
    /// Asked; nobody knew.
    Unknown,
    /// Answered, but only assumed.
    Assumed,
    /// Not answered yet; the answer could raise a top decision.
    Unanswered,
}

impl OpenKind {
    /// A few words for people: what the entry is waiting for.
    pub fn label(self) -> &'static str {
        match self {
            OpenKind::NotCaptured => "not captured",
            OpenKind::Unknown => "unknown",
            OpenKind::Assumed => "assumed",
            OpenKind::Unanswered => "not asked yet",
        }
    }
}

/// One thing to ask next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenQuestion {
    /// The system, flow or data object it is about; absent for the engagement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<SubjectRef>,
    /// The questionnaire of `question`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questionnaire: Option<String>,
    /// The question, for `unknown`, `assumed` and `unanswered`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The flow field, for `not-captured`: `source`, `contract`, `failure`, `owner` or
    /// `owners` (the operating duties named in `text`); `ownership` for an object the
    /// ownership map says nothing about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub why: OpenKind,
    /// What to ask, in words the client understands.
    pub text: String,
    /// Decisions an answer could raise or clear, most important first (ties by id).
    pub could_raise: Vec<String>,
    /// The priority of the most important of them (0 without any).
    pub priority: f64,
    /// For `assumed`: the answer was read from the inventory (`[[infer]]`), to confirm.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
}

/// Whether a flow's step (or operating duty) is not written down. The one place that decides
/// "not captured": a stated absence (`none = [...]`, or "nobody" typed) is a fact, not a gap
/// in what was asked.
pub fn not_captured(flow: &Flow, step: &str, text: &str) -> bool {
    let stated_none = crate::vocab::FlowPart::parse(step).is_some_and(|p| flow.is_none(p));
    text.trim().is_empty() && !stated_none
}

/// What an answer to a flow step would tell, and the decision a stated absence raises.
const STEPS: [(&str, &str, &str); 4] = [
    (
        "source",
        "flow-missing-source",
        "Which system writes this data, and how are its changes detected?",
    ),
    (
        "contract",
        "flow-missing-contract",
        "What is this flow's contract: schema, version, limits?",
    ),
    (
        "failure",
        "flow-missing-failure",
        "What happens when this flow fails: retries, dead letters, reconciliation?",
    ),
    (
        "owner",
        "flow-missing-owner",
        "Which one team is accountable for this flow?",
    ),
];

/// An operating duty as a question names it.
fn duty_words(d: crate::vocab::Duty) -> &'static str {
    use crate::vocab::Duty;
    match d {
        Duty::Failures => "failed messages",
        Duty::Retries => "retries and replay",
        Duty::Dashboards => "dashboards and alerts",
        Duty::Runbook => "the runbook",
        Duty::ReleaseHandoff => "release sign-off",
    }
}

/// "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// How important each decision is, for ranking what could raise it.
struct Weights<'a> {
    ctx: &'a Ctx<'a>,
    on_list: BTreeMap<&'a str, &'a Decision>,
}

impl Weights<'_> {
    /// The decision a finding belongs to, and how important it is: its priority on the list
    /// (0 when rejected), else the finding's own terms for one subject.
    fn of(&self, finding: &str) -> Option<(String, f64)> {
        let def = self.ctx.content.finding(finding)?;
        let id = def.decision_id();
        let weight = match self.on_list.get(id) {
            Some(d) if d.status == DecisionStatus::Rejected => 0.0,
            Some(d) => d.priority,
            None => {
                let boost = self
                    .ctx
                    .profile
                    .boosts
                    .iter()
                    .find(|(r, _)| r.id == finding)
                    .map_or(1.0, |(_, b)| *b);
                round1(
                    f64::from(def.impact) * f64::from(def.risk) * boost
                        / f64::from(def.effort.max(1)),
                )
            }
        };
        Some((id.to_string(), weight))
    }

    /// Decisions these findings belong to, most important first (ties by id), and the top
    /// weight.
    fn rank(&self, findings: &[&str]) -> (Vec<String>, f64) {
        let mut by: BTreeMap<String, f64> = BTreeMap::new();
        for f in findings {
            if let Some((d, w)) = self.of(f) {
                let e = by.entry(d).or_insert(w);
                *e = e.max(w);
            }
        }
        let mut v: Vec<(String, f64)> = by.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let top = v.first().map_or(0.0, |x| x.1);
        (v.into_iter().map(|x| x.0).collect(), top)
    }
}

/// Every finding a question's options and bands can raise, each once, by id.
fn raisable(q: &crate::model::Question) -> Vec<&str> {
    let mut v: Vec<&str> = q
        .options
        .iter()
        .flat_map(|o| o.raises.iter())
        .chain(q.thresholds.iter().flat_map(|t| t.raises.iter()))
        .map(|r| r.id.as_str())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

pub fn open_questions(
    ctx: &Ctx<'_>,
    questions: &[QuestionState],
    decisions: &[Decision],
) -> Vec<OpenQuestion> {
    // By decision group: a decision made per subject (`one-writer@inventory`) counts as its
    // group (`one-writer`), with the weight of its most important subject.
    let mut on_list: BTreeMap<&str, &Decision> = BTreeMap::new();
    for d in decisions {
        let e = on_list.entry(super::decide::base(&d.id)).or_insert(d);
        if d.priority > e.priority {
            *e = d;
        }
    }
    let weights = Weights { ctx, on_list };
    let top: std::collections::BTreeSet<&str> = decisions
        .iter()
        .filter(|d| d.rank <= TOP_DECISIONS && d.status != DecisionStatus::Rejected)
        .map(|d| super::decide::base(&d.id))
        .collect();
    let mut out: Vec<OpenQuestion> = Vec::new();

    // Flow steps and duties not written down, on the running stack (as the analyses see it).
    for f in ctx.assessment.flows.iter().filter(|f| {
        ctx.running(&f.from)
            && ctx.running(&f.to)
            && f.via.as_deref().is_none_or(|v| ctx.running(v))
    }) {
        let subject = Some(SubjectRef {
            kind: SubjectKind::Flow,
            id: f.id.clone(),
        });
        let texts = [&f.source, &f.contract, &f.failure, &f.owner];
        for ((step, finding, text), stated) in STEPS.iter().zip(texts) {
            if not_captured(f, step, stated) {
                let (could_raise, priority) = weights.rank(&[finding]);
                out.push(OpenQuestion {
                    subject: subject.clone(),
                    questionnaire: None,
                    question: None,
                    field: Some((*step).to_string()),
                    why: OpenKind::NotCaptured,
                    text: (*text).to_string(),
                    could_raise,
                    priority,
                    inferred: false,
                });
            }
        }
        let duties: Vec<&str> = crate::vocab::Duty::ALL
            .iter()
            .filter(|d| not_captured(f, d.as_str(), f.owners.get(**d)))
            .map(|d| duty_words(*d))
            .collect();
        if !duties.is_empty() {
            let (could_raise, priority) = weights.rank(&["flow-missing-operating-owner"]);
            out.push(OpenQuestion {
                subject: subject.clone(),
                questionnaire: None,
                question: None,
                field: Some("owners".into()),
                why: OpenKind::NotCaptured,
                text: format!("Who is named for {} on this flow?", and_list(&duties)),
                could_raise,
                priority,
                inferred: false,
            });
        }
    }

    // Objects the running flows carry that the ownership map says nothing about: who owns
    // them is not known yet (the analyses raise nothing for a blank), so it is asked.
    let mut blank: std::collections::BTreeSet<crate::vocab::DataObject> = Default::default();
    for f in ctx.assessment.flows.iter().filter(|f| {
        ctx.running(&f.from)
            && ctx.running(&f.to)
            && f.via.as_deref().is_none_or(|v| ctx.running(v))
    }) {
        for o in &f.objects {
            let stated = ctx
                .assessment
                .ownership
                .get(o)
                .is_some_and(|w| w.states_anything() || !w.scopes.is_empty());
            if !stated {
                blank.insert(*o);
            }
        }
    }
    for o in blank {
        let (could_raise, priority) = weights.rank(&["no-source-of-truth", "several-writers"]);
        out.push(OpenQuestion {
            subject: Some(SubjectRef {
                kind: SubjectKind::Object,
                id: o.as_str().to_string(),
            }),
            questionnaire: None,
            question: None,
            field: Some("ownership".into()),
            why: OpenKind::NotCaptured,
            text: format!(
                "Which system is the source of truth for {o}, and which other systems write it?"
            ),
            could_raise,
            priority,
            inferred: false,
        });
    }

    // Questions: unknown, assumed, or unanswered where they could raise a top decision.
    // Per question (not per subject): the questionnaire and question, what it could raise,
    // whether that is a top decision, and the ranked decisions with their top priority — the
    // same for every subject it is asked of. Looked up by the shared ids of the question
    // states (one pointer each; the ids of one question are one `Arc` across its subjects),
    // so a question is looked up in the content once, not once per subject.
    type Found<'c> = Option<(&'c Questionnaire, &'c Question, bool, Vec<String>, f64)>;
    let mut found: HashMap<(usize, usize), Found<'_>> = HashMap::default();
    for s in questions.iter().filter(|s| s.applicable) {
        let inferred = s.inferred;
        let why = if s.unknown {
            OpenKind::Unknown
        } else if s.answered {
            let assumed = ctx
                .answer(&s.questionnaire, s.subject.as_deref(), &s.question)
                .is_some_and(|a| {
                    matches!(a.state, AnswerState::Value(_))
                        && a.confidence == Some(Confidence::Assumed)
                });
            if !assumed {
                continue;
            }
            OpenKind::Assumed
        } else if s.asked {
            OpenKind::Unanswered
        } else {
            continue;
        };
        let key = (
            std::sync::Arc::as_ptr(&s.questionnaire).cast::<u8>() as usize,
            std::sync::Arc::as_ptr(&s.question).cast::<u8>() as usize,
        );
        let Some((qn, question, raises_top, could_raise, priority)) =
            found.entry(key).or_insert_with(|| {
                let qn = ctx.content.questionnaire(&s.questionnaire)?;
                let question = qn.question(&s.question)?;
                let r = raisable(question);
                let t = r.iter().any(|f| {
                    ctx.content
                        .finding(f)
                        .is_some_and(|d| top.contains(d.decision_id()))
                });
                let (could_raise, priority) = weights.rank(&r);
                Some((qn, question, t, could_raise, priority))
            })
        else {
            continue;
        };
        if why == OpenKind::Unanswered && !*raises_top {
            continue;
        }
        let (could_raise, priority) = (could_raise.clone(), *priority);
        let subject = s.subject.as_deref().map(|id| SubjectRef {
            kind: if qn.scope == Scope::System {
                SubjectKind::System
            } else {
                SubjectKind::Flow
            },
            id: id.to_string(),
        });
        out.push(OpenQuestion {
            subject,
            questionnaire: Some(qn.id.clone()),
            question: Some(question.id.clone()),
            field: None,
            why,
            text: question.prompt.trim().to_string(),
            could_raise,
            priority,
            inferred,
        });
    }

    // Grouped by subject, subjects by their most important question. The subjects and the
    // tie-breaking keys (a few hundred distinct among thousands of entries) are ranked once,
    // so the sort compares numbers, in the same order as comparing them would.
    let mut subject_of: HashMap<Option<&SubjectRef>, usize> = HashMap::default();
    let mut best: Vec<f64> = Vec::new();
    let mut slot = Vec::with_capacity(out.len());
    for q in &out {
        let n = subject_of.len();
        let i = *subject_of.entry(q.subject.as_ref()).or_insert(n);
        if i == best.len() {
            best.push(q.priority);
        } else {
            best[i] = best[i].max(q.priority);
        }
        slot.push(i);
    }
    let mut subjects: Vec<(Option<&SubjectRef>, usize)> = subject_of.into_iter().collect();
    subjects.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut subject_rank = vec![0; subjects.len()];
    for (r, (_, i)) in subjects.iter().enumerate() {
        subject_rank[*i] = r;
    }
    let mut key_of: HashMap<KeyParts<'_>, String> = HashMap::default();
    for q in &out {
        let k = key_parts(q);
        key_of.entry(k).or_insert_with(|| key(k));
    }
    let mut keys: Vec<&str> = key_of.values().map(String::as_str).collect();
    keys.sort_unstable();
    keys.dedup();
    let key_rank: Vec<usize> = out
        .iter()
        .map(|q| {
            let k = key_of.get(&key_parts(q)).map_or("", String::as_str);
            keys.binary_search(&k).unwrap_or(0)
        })
        .collect();
    drop(keys);
    let mut keyed: Vec<(f64, usize, usize, OpenQuestion)> = out
        .into_iter()
        .enumerate()
        .map(|(n, q)| (best[slot[n]], subject_rank[slot[n]], key_rank[n], q))
        .collect();
    keyed.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then_with(|| b.3.priority.total_cmp(&a.3.priority))
            .then(a.2.cmp(&b.2))
            .then_with(|| a.3.why.cmp(&b.3.why))
    });
    keyed.into_iter().map(|(_, _, _, q)| q).collect()
}

type KeyParts<'q> = (Option<&'q str>, Option<&'q str>, Option<&'q str>);

fn key_parts(q: &OpenQuestion) -> KeyParts<'_> {
    (
        q.field.as_deref(),
        q.questionnaire.as_deref(),
        q.question.as_deref(),
    )
}

/// What breaks ties within a subject: the field, or `questionnaire/question`.
fn key((field, questionnaire, question): KeyParts<'_>) -> String {
    match (field, questionnaire, question) {
        (Some(f), _, _) => f.to_string(),
        (None, Some(q), Some(x)) => format!("{q}/{x}"),
        _ => String::new(),
    }
}

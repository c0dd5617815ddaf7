//! What the engine needs to know while it walks the questionnaires: answers by key, systems
//! by id, the profile's scenarios, and how to evaluate a condition for one subject.
//!
//! Built once per evaluation; every lookup is a hash probe, so scoring a large engagement
//! (~21,000 answers) stays linear.

use rustc_hash::FxHashMap as HashMap;

use crate::model::*;
use crate::vocab::*;

/// The subject a question is asked about.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Engagement,
    System(&'a System),
    Flow(&'a Flow),
}

impl<'a> Subject<'a> {
    pub fn id(&self) -> Option<&'a str> {
        match self {
            Subject::Engagement => None,
            Subject::System(s) => Some(&s.id),
            Subject::Flow(f) => Some(&f.id),
        }
    }
}

/// One question answered more than once.
pub struct Several<'a> {
    pub key: (&'a str, Option<&'a str>, &'a str),
    /// Every answer, the assessor's first, then by respondent id.
    pub answers: Vec<&'a Answer>,
    /// The index of the answer that counts.
    pub counted: usize,
    pub why: super::voices::Why,
}

pub struct Ctx<'a> {
    pub assessment: &'a Assessment,
    pub profile: &'a Profile,
    pub content: &'a crate::content::Content,
    answers: HashMap<(&'a str, Option<&'a str>, &'a str), &'a Answer>,
    /// Questions answered more than once (by respondents, or by a respondent and the
    /// assessor), in key order: every answer, and which one counts (`voices::pick`).
    several: Vec<Several<'a>>,
    systems: HashMap<&'a str, &'a System>,
    /// Every scope label the systems name, sorted.
    scopes: Vec<&'a str>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        content: &'a crate::content::Content,
        profile: &'a Profile,
        assessment: &'a Assessment,
    ) -> Self {
        // FxHash: the answer map is probed once per question per subject, and SipHash's
        // protection against crafted collisions buys nothing for a local file.
        let mut answers: HashMap<(&str, Option<&str>, &str), &Answer> = HashMap::default();
        answers.reserve(assessment.answers.len());
        // Several answers to one question (respondents): gathered, then the one that counts
        // goes in the map.
        let mut several: HashMap<(&str, Option<&str>, &str), Vec<&Answer>> = HashMap::default();
        for a in &assessment.answers {
            let key = (
                a.questionnaire.as_str(),
                a.subject.as_deref(),
                a.question.as_str(),
            );
            match answers.entry(key) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(a);
                }
                std::collections::hash_map::Entry::Occupied(e) => {
                    several.entry(key).or_insert_with(|| vec![*e.get()]).push(a);
                }
            }
        }
        let mut several: Vec<Several> = several
            .into_iter()
            .map(|(key, mut list)| {
                list.sort_by(|x, y| x.respondent.cmp(&y.respondent));
                let q = content.questionnaire(key.0).and_then(|q| q.question(key.2));
                let (i, why) = super::voices::pick(q, &list);
                answers.insert(key, list[i]);
                Several {
                    key,
                    answers: list,
                    counted: i,
                    why,
                }
            })
            .collect();
        several.sort_by(|x, y| x.key.cmp(&y.key));
        let systems = assessment
            .systems
            .iter()
            .map(|s| (s.id.as_str(), s))
            .collect();
        let mut scopes: Vec<&str> = assessment
            .systems
            .iter()
            .flat_map(|s| s.scopes.iter().map(String::as_str))
            .collect();
        scopes.sort_unstable();
        scopes.dedup();
        Ctx {
            assessment,
            profile,
            content,
            answers,
            several,
            systems,
            scopes,
        }
    }

    /// Questions answered more than once, in key order, with the answer that counts.
    pub fn several(&self) -> &[Several<'a>] {
        &self.several
    }

    pub fn answer(
        &self,
        questionnaire: &str,
        subject: Option<&str>,
        question: &str,
    ) -> Option<&'a Answer> {
        self.answers
            .get(&(questionnaire, subject, question))
            .copied()
    }

    pub fn system(&self, id: &str) -> Option<&'a System> {
        self.systems.get(id).copied()
    }

    /// Every scope label the systems name, sorted; empty when the estate is one scope.
    pub fn scope_labels(&self) -> &[&'a str] {
        &self.scopes
    }

    /// Whether a system is part of the running stack (existing or retiring, not a candidate).
    pub fn running(&self, id: &str) -> bool {
        self.system(id)
            .is_some_and(|s| s.status != SystemStatus::Candidate)
    }

    /// Evaluates a condition written in questionnaire `q` for `subject`.
    pub fn eval(&self, c: &Condition, q: &Questionnaire, subject: Subject<'_>) -> bool {
        match c {
            Condition::All(v) => v.iter().all(|x| self.eval(x, q, subject)),
            Condition::Any(v) => v.iter().any(|x| self.eval(x, q, subject)),
            Condition::Not(x) => !self.eval(x, q, subject),
            Condition::Answer {
                questionnaire,
                question,
                test,
            } => {
                let (qid, subj) = match questionnaire {
                    None => (q.id.as_str(), subject.id()),
                    Some(other) => {
                        let target = self.content.questionnaire(&other.id);
                        let engagement = target.is_none_or(|t| t.scope == Scope::Engagement);
                        (
                            other.id.as_str(),
                            if engagement { None } else { subject.id() },
                        )
                    }
                };
                answer_test(self.answer(qid, subj, &question.id), test)
            }
            Condition::HasSystem(f) => {
                let n = self
                    .assessment
                    .systems
                    .iter()
                    .filter(|s| system_matches(s, &f.category, &f.status, &f.capability))
                    .count();
                n >= f.at_least as usize
            }
            Condition::HasFlow(f) => {
                let matching = self
                    .assessment
                    .flows
                    .iter()
                    .filter(|fl| {
                        !f.with_subject
                            || matches!(subject, Subject::System(s)
                                if fl.from == s.id || fl.to == s.id
                                    || fl.via.as_deref() == Some(s.id.as_str()))
                    })
                    .filter(|fl| {
                        self.flow_matches(
                            fl,
                            &f.mechanism,
                            &f.mode,
                            f.checkout,
                            &f.objects,
                            &f.touches,
                            &f.none,
                        )
                    });
                let n = if f.count_callees {
                    let mut callees: Vec<&str> = matching.map(Flow::callee).collect();
                    callees.sort_unstable();
                    callees.dedup();
                    callees.len()
                } else {
                    matching.count()
                };
                n >= f.at_least as usize
            }
            Condition::Subject(f) => match subject {
                Subject::Engagement => false,
                Subject::System(s) => {
                    let status_ok = f.status.is_empty() || f.status.contains(&s.status);
                    status_ok
                        && (f.category.is_empty() || f.category.contains(&s.category))
                        && (f.capability.is_empty()
                            || f.capability.iter().any(|c| s.capabilities.contains(c)))
                }
                Subject::Flow(fl) => self.flow_matches(
                    fl,
                    &f.mechanism,
                    &f.mode,
                    f.checkout,
                    &f.objects,
                    &f.touches,
                    &f.none,
                ),
            },
            Condition::Object { object, test } => {
                // Per scope: each entry (estate-wide, then per scope) is the object within
                // its scope; a test holds when it holds for one of them (`owner_missing =
                // false`, `owner_retiring = false`, `moving = false`: for all of them).
                let blank = Ownership::default();
                let own = self.assessment.ownership.get(object).unwrap_or(&blank);
                let views = own.views();
                let owner_of = |e: &Ownership| e.owner.as_deref().and_then(|o| self.system(o));
                match test {
                    ObjectTest::OwnerMissing(b) => {
                        views.iter().any(|(_, e)| e.owner.is_none()) == *b
                    }
                    ObjectTest::OwnerCategory(cats) => views
                        .iter()
                        .any(|(_, e)| owner_of(e).is_some_and(|s| cats.contains(&s.category))),
                    ObjectTest::OwnerRetiring(b) => {
                        views.iter().any(|(_, e)| {
                            owner_of(e).is_some_and(|s| s.status == SystemStatus::Retiring)
                        }) == *b
                    }
                    ObjectTest::WritersAtLeast(n) => {
                        views
                            .iter()
                            .map(|(l, e)| {
                                let w = super::analyses::several_writers(self, *l, e).len();
                                // One writer is one, whatever its scope.
                                if w == 0 { e.writers.len().min(1) } else { w }
                            })
                            .max()
                            .unwrap_or(0)
                            >= *n as usize
                    }
                    ObjectTest::Moving(b) => {
                        views.iter().any(|(_, e)| {
                            e.target.is_some() && e.target.as_deref() != e.owner.as_deref()
                        }) == *b
                    }
                }
            }
            Condition::Scenario(list) => list.iter().any(|s| self.profile.scenarios.contains(s)),
        }
    }
}

impl Ctx<'_> {
    /// Whether a flow matches the flow keys of a `subject` or `has_flow` filter (empty: any).
    #[allow(clippy::too_many_arguments)]
    fn flow_matches(
        &self,
        fl: &Flow,
        mechanism: &[Mechanism],
        mode: &[FlowMode],
        checkout: Option<bool>,
        objects: &[DataObject],
        touches: &[Category],
        none: &[FlowPart],
    ) -> bool {
        let cat = |id: &str| self.system(id).map(|s| s.category);
        (mechanism.is_empty() || mechanism.contains(&fl.mechanism))
            && (mode.is_empty() || mode.contains(&fl.mode))
            && checkout.is_none_or(|c| c == fl.checkout)
            && (objects.is_empty() || objects.iter().any(|o| fl.objects.contains(o)))
            && (touches.is_empty()
                || [cat(&fl.from), cat(&fl.to)]
                    .iter()
                    .flatten()
                    .any(|c| touches.contains(c)))
            && none.iter().all(|p| fl.is_none(*p))
    }
}

/// A system filter: status defaults to the running stack (existing and retiring).
pub fn system_matches(
    s: &System,
    category: &[Category],
    status: &[SystemStatus],
    capability: &[Capability],
) -> bool {
    let status_ok = if status.is_empty() {
        s.status != SystemStatus::Candidate
    } else {
        status.contains(&s.status)
    };
    status_ok
        && (category.is_empty() || category.contains(&s.category))
        && (capability.is_empty() || capability.iter().any(|c| s.capabilities.contains(c)))
}

fn answer_test(a: Option<&Answer>, test: &AnswerTest) -> bool {
    let state = a.map(|a| &a.state);
    match test {
        AnswerTest::Answered(b) => matches!(state, Some(AnswerState::Value(_))) == *b,
        AnswerTest::Unknown(b) => matches!(state, Some(AnswerState::Unknown)) == *b,
        AnswerTest::Na(b) => matches!(state, Some(AnswerState::NotApplicable)) == *b,
        AnswerTest::Is(ids) => match state {
            Some(AnswerState::Value(Value::Choice(c))) => ids.contains(c),
            Some(AnswerState::Value(Value::Choices(cs))) => cs.iter().any(|c| ids.contains(c)),
            _ => false,
        },
        AnswerTest::AtLeast(n) => {
            matches!(state, Some(AnswerState::Value(Value::Number(x))) if *x >= *n)
        }
        AnswerTest::Below(n) => {
            matches!(state, Some(AnswerState::Value(Value::Number(x))) if *x < *n)
        }
    }
}

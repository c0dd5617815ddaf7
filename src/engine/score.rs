//! Scoring: walk the questionnaires the profile selects, for every subject they are asked of,
//! decide which questions apply (`show_if`, categories, not-applicable answers), score the
//! answered ones and collect the findings their answers raise.
//!
//! The profile decides what is asked, not what is heard: an answer (a value or `unknown`) to
//! a question the profile does not select still counts where the question applies — in the
//! scores, and for the findings its value raises. Questionnaires outside the profile appear
//! only where such an answer was heard; their rules are not run (a rule is part of asking).
//!
//! Question score = option score (single, yes_no), the multi rule over chosen options, the
//! position on a scale, or the threshold band of a number. Section, questionnaire, subject and
//! dimension scores are weighted means over answered, applicable, scored questions, times 100.
//! Unknown answers count against coverage, not as zero. The overall score weighs the dimension
//! scores by the profile's weights. Every score is withheld below the profile's
//! `min_coverage` (see `Acc::finish`), the overall one too.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::context::{Ctx, Subject};
use super::*;
use crate::model::*;

/// Running totals for one score.
#[derive(Debug, Default, Clone, Copy)]
pub struct Acc {
    weight: f64,
    weighted: f64,
    answered: u32,
    applicable: u32,
}

impl Acc {
    fn add(&mut self, weight: f64, score: Option<f64>, answered: bool) {
        self.applicable += 1;
        if answered {
            self.answered += 1;
        }
        if let Some(s) = score {
            self.weight += weight;
            self.weighted += weight * s;
        }
    }

    fn merge(&mut self, o: &Acc) {
        self.weight += o.weight;
        self.weighted += o.weighted;
        self.answered += o.answered;
        self.applicable += o.applicable;
    }

    /// The score, withheld (`None`, `short`) while fewer than `min_coverage` of the
    /// applicable questions are answered: a mean of two answers out of eleven says more about
    /// which questions came up first than about the stack.
    pub fn finish(&self, min_coverage: f64) -> Score {
        let coverage = if self.applicable == 0 {
            0.0
        } else {
            f64::from(self.answered) / f64::from(self.applicable)
        };
        let short = self.applicable > 0 && coverage < min_coverage;
        Score {
            score: (self.weight > 0.0 && !short)
                .then(|| round1(100.0 * self.weighted / self.weight)),
            coverage,
            answered: self.answered,
            applicable: self.applicable,
            short,
        }
    }
}

pub struct Scored {
    pub overall: Option<f64>,
    pub total: Score,
    pub dimensions: Vec<DimensionScore>,
    pub questionnaires: Vec<QuestionnaireScore>,
    pub subjects: Vec<SubjectScore>,
    pub questions: Vec<QuestionState>,
    pub raises: Vec<Raise>,
}

/// The score of one answered question, 0..1, or `None` for unscored kinds.
pub fn question_score(q: &Question, v: &Value) -> Option<f64> {
    match (q.kind, v) {
        (QuestionKind::Single | QuestionKind::YesNo, Value::Choice(c)) => {
            q.option(c).map(|o| o.score)
        }
        (QuestionKind::Multi, Value::Choices(cs)) => {
            let scores: Vec<f64> = cs
                .iter()
                .filter_map(|c| q.option(c))
                .map(|o| o.score)
                .collect();
            if scores.is_empty() {
                return Some(0.0);
            }
            Some(match q.multi_score {
                MultiScore::Mean => scores.iter().sum::<f64>() / scores.len() as f64,
                MultiScore::Max => scores.iter().copied().fold(0.0, f64::max),
                MultiScore::Min => scores.iter().copied().fold(1.0, f64::min),
                MultiScore::Sum => scores.iter().sum::<f64>().min(1.0),
            })
        }
        (QuestionKind::Scale, Value::Number(x)) => {
            let (lo, hi) = (q.min.unwrap_or(0.0), q.max.unwrap_or(1.0));
            (hi > lo).then(|| ((x - lo) / (hi - lo)).clamp(0.0, 1.0))
        }
        (QuestionKind::Number, Value::Number(x)) => band(q, *x).map(|t| t.score),
        _ => None,
    }
}

/// The threshold band a number falls in.
pub fn band(q: &Question, x: f64) -> Option<&Threshold> {
    q.thresholds.iter().find(|t| t.upto.is_none_or(|u| x <= u))
}

/// Findings an answer raises: chosen options' `raises`, and the band's for numbers and scales.
pub fn raised_by<'q>(q: &'q Question, v: &Value) -> Vec<&'q Ref> {
    let mut out = Vec::new();
    match v {
        Value::Choice(c) => {
            if let Some(o) = q.option(c) {
                out.extend(o.raises.iter());
            }
        }
        Value::Choices(cs) => {
            for c in cs {
                if let Some(o) = q.option(c) {
                    out.extend(o.raises.iter());
                }
            }
        }
        Value::Number(x) => {
            if let Some(t) = band(q, *x) {
                out.extend(t.raises.iter());
            }
        }
        Value::Text(_) | Value::System(_) => {}
    }
    out
}

/// A number as people write it: `3`, not `3.0`.
pub fn describe_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A short, readable rendering of an answer's value, for `because` sentences.
pub fn describe(q: &Question, v: &Value) -> String {
    let label = |id: &str| q.option(id).map_or(id.to_string(), |o| o.label.clone());
    match v {
        Value::Choice(c) => label(c),
        Value::Choices(cs) if cs.is_empty() => "none of the options".to_string(),
        Value::Choices(cs) => cs.iter().map(|c| label(c)).collect::<Vec<_>>().join("; "),
        Value::Number(x) => {
            let n = if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x}")
            };
            if q.kind == QuestionKind::Scale {
                let (lo, hi) = (q.min.unwrap_or(0.0), q.max.unwrap_or(0.0));
                format!("{n} on a scale of {lo}–{hi}")
            } else if q.unit.is_empty() {
                n
            } else if q.unit == "%" {
                format!("{n}%")
            } else {
                format!("{n} {}", q.unit)
            }
        }
        Value::Text(t) => t.clone(),
        Value::System(s) => s.clone(),
    }
}

fn subject_label(s: Subject<'_>) -> String {
    match s {
        Subject::Engagement => String::new(),
        Subject::System(x) => format!("{}: ", x.name),
        Subject::Flow(f) => {
            if f.name.is_empty() {
                format!("{} → {}: ", f.from, f.to)
            } else {
                format!("{}: ", f.name)
            }
        }
    }
}

fn subject_ref(s: Subject<'_>) -> SubjectRef {
    match s {
        Subject::Engagement => SubjectRef::engagement(),
        Subject::System(x) => SubjectRef {
            kind: SubjectKind::System,
            id: x.id.clone(),
        },
        Subject::Flow(f) => SubjectRef {
            kind: SubjectKind::Flow,
            id: f.id.clone(),
        },
    }
}

/// The questionnaires scored, in order: the profile's in its order, then any other
/// questionnaire an answer was heard for (value or unknown), in content order. With each, the
/// profile's include (`None`: outside the profile).
pub(crate) fn walk<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Questionnaire, Option<&'a Include>)> {
    let a = ctx.assessment;
    let heard_in: rustc_hash::FxHashSet<&str> = a
        .answers
        .iter()
        .filter(|x| !matches!(x.state, AnswerState::NotApplicable))
        .map(|x| x.questionnaire.as_str())
        .collect();
    ctx.profile
        .questionnaires
        .iter()
        .filter_map(|inc| Some((ctx.content.questionnaire(&inc.id.id)?, Some(inc))))
        .chain(
            ctx.content
                .questionnaires
                .iter()
                .filter(|q| {
                    ctx.profile.includes(&q.id).is_none() && heard_in.contains(q.id.as_str())
                })
                .map(|q| (q, None)),
        )
        .collect()
}

/// The subjects a questionnaire is asked of, in assessment order.
pub(crate) fn subjects<'a>(a: &'a Assessment, q: &Questionnaire) -> Vec<Subject<'a>> {
    match q.scope {
        Scope::Engagement => vec![Subject::Engagement],
        Scope::System => a
            .systems
            .iter()
            .filter(|s| q.categories.is_empty() || q.categories.contains(&s.category))
            .map(Subject::System)
            .collect(),
        Scope::Flow => a.flows.iter().map(Subject::Flow).collect(),
    }
}

/// A questionnaire's ids, shared by every `QuestionState` of it.
pub(crate) struct Ids {
    questionnaire: Arc<str>,
    sections: Vec<Arc<str>>,
    questions: Vec<Vec<Arc<str>>>,
}

impl Ids {
    pub(crate) fn new(q: &Questionnaire) -> Self {
        Ids {
            questionnaire: Arc::from(q.id.as_str()),
            sections: q
                .sections
                .iter()
                .map(|s| Arc::from(s.id.as_str()))
                .collect(),
            questions: q
                .sections
                .iter()
                .map(|s| {
                    s.questions
                        .iter()
                        .map(|x| Arc::from(x.id.as_str()))
                        .collect()
                })
                .collect(),
        }
    }
}

/// One applicable question's part in the dimension totals, in walk order: (dimension,
/// weight, score, answered).
pub(crate) type Contrib = (Dimension, f64, Option<f64>, bool);

/// What one questionnaire asked of one subject contributes, apart from its question states
/// and its `SubjectRun` (which go to the evaluation as they are).
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// Every applicable question's part in the dimension totals, in order.
    pub contrib: Vec<Contrib>,
    pub acc: Acc,
    pub dims: [Acc; 6],
    /// Whether the run is listed (a questionnaire outside the profile shows only where an
    /// answer counted).
    pub shown: bool,
    /// The subject's key among `Evaluation::subjects` (none for the engagement).
    pub subject: Option<(SubjectKind, String)>,
    pub raises: Vec<Raise>,
}

/// Scores one questionnaire for one subject: its part, its question states, and its run
/// (`None` when not shown).
pub(crate) fn run(
    ctx: &Ctx<'_>,
    q: &Questionnaire,
    inc: Option<&Include>,
    subject: Subject<'_>,
    ids: &Ids,
) -> (Part, Vec<QuestionState>, Option<SubjectRun>) {
    let min = ctx.profile.min_coverage;
    let in_profile = inc.is_some();
    let sid = subject.id();
    let subject_id: Option<Arc<str>> = sid.map(Arc::from);
    let mut questions = Vec::new();
    let mut contrib = Vec::new();
    let mut raises = Vec::new();
    // Per dimension for this subject, merged into the subject's score.
    let mut subject_dims = [Acc::default(); 6];
    let mut s_acc = Acc::default();
    let mut sections = Vec::new();
    for (si, section) in q.sections.iter().enumerate() {
        let section_selected = inc.is_some_and(|inc| {
            inc.sections.is_empty() || inc.sections.iter().any(|r| r.id == section.id)
        });
        if let Subject::System(sys) = subject
            && !section.categories.is_empty()
            && !section.categories.contains(&sys.category)
        {
            continue;
        }
        let section_applies = section
            .show_if
            .as_ref()
            .is_none_or(|c| ctx.eval(c, q, subject));
        let mut sec_acc = Acc::default();
        for (qi, question) in section.questions.iter().enumerate() {
            let asked = section_selected
                && inc.is_some_and(|inc| {
                    inc.questions.is_empty() || inc.questions.iter().any(|r| r.id == question.id)
                });
            let answer = ctx.answer(&q.id, sid, &question.id);
            // Not asked, but heard: the client said it, so it counts.
            let heard = matches!(
                answer.map(|x| &x.state),
                Some(AnswerState::Value(_) | AnswerState::Unknown)
            );
            if !asked && !heard {
                continue;
            }
            let mut applicable = section_applies
                && question
                    .show_if
                    .as_ref()
                    .is_none_or(|c| ctx.eval(c, q, subject));
            // Marked not applicable: out of the scores, but still asked (shown, and the
            // mark can be undone) where the skip logic would ask it.
            let na =
                applicable && matches!(answer.map(|x| &x.state), Some(AnswerState::NotApplicable));
            if matches!(answer.map(|x| &x.state), Some(AnswerState::NotApplicable)) {
                applicable = false;
            }
            let mut state = QuestionState {
                questionnaire: ids.questionnaire.clone(),
                subject: subject_id.clone(),
                section: ids.sections[si].clone(),
                question: ids.questions[si][qi].clone(),
                applicable,
                answered: false,
                unknown: false,
                na,
                score: None,
                asked,
                inferred: false,
            };
            if applicable {
                let reference = || match sid {
                    Some(s) => format!("{}/{s}/{}", q.id, question.id),
                    None => format!("{}/{}", q.id, question.id),
                };
                match answer.map(|x| &x.state) {
                    Some(AnswerState::Value(v)) => {
                        state.answered = true;
                        state.inferred = answer.is_some_and(Answer::is_inferred);
                        state.score = if question.is_scored() {
                            question_score(question, v)
                        } else {
                            None
                        };
                        let found = raised_by(question, v);
                        if !found.is_empty() {
                            // The assessor's note says what the answer is about (which
                            // systems, which flow); a private one stays out.
                            let note = answer
                                .filter(|x| !x.private && !x.note.trim().is_empty())
                                .map_or(String::new(), |x| format!(" (note: {})", x.note.trim()));
                            let text: Arc<str> = format!(
                                "{}“{}” — {}{note}",
                                subject_label(subject),
                                question.prompt.trim(),
                                describe(question, v)
                            )
                            .into();
                            let reference: Arc<str> = reference().into();
                            for r in found {
                                raises.push(Raise {
                                    finding: r.id.clone(),
                                    subject: subject_ref(subject),
                                    because: Because {
                                        kind: BecauseKind::Answer,
                                        reference: reference.clone(),
                                        text: text.clone(),
                                    },
                                });
                            }
                        }
                    }
                    // An unknown is not a fact about the stack: it lowers coverage and goes
                    // to the open questions (`open`), never to the decisions.
                    Some(AnswerState::Unknown) => state.unknown = true,
                    _ => {}
                }
                let weight = question.weight;
                sec_acc.add(weight, state.score, state.answered);
                contrib.push((question.dimension, weight, state.score, state.answered));
                subject_dims[question.dimension as usize].add(weight, state.score, state.answered);
            }
            questions.push(state);
        }
        // A section the profile does not select shows only where an answer counted.
        if !section_selected && sec_acc.applicable == 0 {
            continue;
        }
        s_acc.merge(&sec_acc);
        sections.push(SectionScore {
            id: section.id.clone(),
            title: section.title.clone(),
            score: sec_acc.finish(min),
        });
    }
    let shown = in_profile || !sections.is_empty();
    // Rules read answers and the inventory for this subject; they are part of asking, so
    // only the profile's questionnaires run them.
    for rule in q.rules.iter().filter(|_| in_profile) {
        if ctx.eval(&rule.when, q, subject) {
            let text: Arc<str> = if rule.title.is_empty() {
                format!("{}rule `{}` holds", subject_label(subject), rule.id).into()
            } else {
                format!("{}{}", subject_label(subject), rule.title).into()
            };
            let reference: Arc<str> = format!("{}/{}", q.id, rule.id).into();
            for r in &rule.raises {
                raises.push(Raise {
                    finding: r.id.clone(),
                    subject: subject_ref(subject),
                    because: Because {
                        kind: BecauseKind::Rule,
                        reference: reference.clone(),
                        text: text.clone(),
                    },
                });
            }
        }
    }
    let kind = if q.scope == Scope::System {
        SubjectKind::System
    } else {
        SubjectKind::Flow
    };
    let part = Part {
        contrib,
        acc: s_acc,
        dims: subject_dims,
        shown,
        subject: sid.map(|id| (kind, id.to_string())),
        raises,
    };
    let run = shown.then(|| SubjectRun {
        subject: sid.map(str::to_string),
        score: s_acc.finish(min),
        sections,
    });
    (part, questions, run)
}

/// The score of one system or flow across every run of it that is shown (in walk order):
/// `None` when none is.
pub(crate) fn subject_score<'p>(
    profile: &Profile,
    kind: SubjectKind,
    id: &str,
    parts: impl Iterator<Item = &'p Part>,
) -> Option<SubjectScore> {
    let mut any = false;
    let mut acc = Acc::default();
    let mut dims: BTreeMap<Dimension, Acc> = BTreeMap::new();
    for p in parts.filter(|p| p.shown) {
        any = true;
        acc.merge(&p.acc);
        for (d, a) in Dimension::ALL.iter().zip(&p.dims) {
            if a.applicable > 0 {
                dims.entry(*d).or_default().merge(a);
            }
        }
    }
    let min = profile.min_coverage;
    any.then(|| SubjectScore {
        kind,
        id: id.to_string(),
        score: acc.finish(min),
        dimensions: dims
            .into_iter()
            .map(|(d, a)| DimensionScore {
                id: d,
                score: a.finish(min),
                weight: profile.weight(d),
            })
            .collect(),
    })
}

/// The totals over every part, in walk order (`walk[i]` is whether questionnaire `i` is in
/// the profile, with the range of its parts): each questionnaire's score (`None` when not
/// shown), the dimensions, the total and the overall score. Every sum is taken in the same
/// order as question by question, so the figures are the same to the last bit.
#[allow(clippy::type_complexity)]
pub(crate) fn totals(
    profile: &Profile,
    walk: &[(bool, std::ops::Range<usize>)],
    parts: &[Part],
) -> (Vec<Option<Score>>, Vec<DimensionScore>, Score, Option<f64>) {
    let min = profile.min_coverage;
    let mut dims = [Acc::default(); 6];
    let mut total = Acc::default();
    let mut scores = Vec::with_capacity(walk.len());
    for (in_profile, range) in walk {
        let mut q_acc = Acc::default();
        let mut any = false;
        for p in &parts[range.clone()] {
            for &(d, w, s, answered) in &p.contrib {
                dims[d as usize].add(w, s, answered);
            }
            if p.shown {
                any = true;
                q_acc.merge(&p.acc);
            }
        }
        if !in_profile && !any {
            scores.push(None);
            continue;
        }
        total.merge(&q_acc);
        scores.push(Some(q_acc.finish(min)));
    }
    let dimensions: Vec<DimensionScore> = Dimension::ALL
        .iter()
        .map(|d| DimensionScore {
            id: *d,
            score: dims[*d as usize].finish(min),
            weight: profile.weight(*d),
        })
        .collect();
    let (mut w, mut ws) = (0.0, 0.0);
    for d in &dimensions {
        if let Some(s) = d.score.score {
            w += d.weight;
            ws += d.weight * s;
        }
    }
    let total = total.finish(min);
    // Withheld below the threshold like every other score, even when some dimension has
    // enough answers of its own: an overall number claims to speak for the whole stack.
    let overall = (w > 0.0 && !total.short).then(|| round1(ws / w));
    (scores, dimensions, total, overall)
}

/// What a full scoring keeps for the next one (`super::incremental`): every part, and where
/// each run's question states and run sit in the result.
pub(crate) struct Kept {
    /// Per questionnaire walked: its id, whether it is in the profile, its parts.
    pub walk: Vec<(String, bool, std::ops::Range<usize>)>,
    pub parts: Vec<Part>,
    /// Per part: its question states in `Scored::questions`.
    pub questions: Vec<std::ops::Range<usize>>,
}

pub fn score(ctx: &Ctx<'_>) -> Scored {
    score_keeping(ctx, false).0
}

/// Scores every questionnaire of the walk for every subject, and what the next, incremental,
/// scoring reuses; with `keep`, the parts keep their raises (copied into the result, not
/// moved).
pub(crate) fn score_keeping(ctx: &Ctx<'_>, keep: bool) -> (Scored, Kept) {
    let walk = walk(ctx);
    let mut parts = Vec::new();
    let mut ranges = Vec::new();
    let mut questions = Vec::new();
    let mut runs: Vec<Vec<SubjectRun>> = Vec::with_capacity(walk.len());
    let mut walked = Vec::with_capacity(walk.len());
    for (q, inc) in &walk {
        let ids = Ids::new(q);
        let start = parts.len();
        let mut shown = Vec::new();
        for subject in subjects(ctx.assessment, q) {
            let (part, qs, run) = run(ctx, q, *inc, subject, &ids);
            let from = questions.len();
            questions.extend(qs);
            ranges.push(from..questions.len());
            parts.push(part);
            shown.extend(run);
        }
        runs.push(shown);
        walked.push((q.id.clone(), inc.is_some(), start..parts.len()));
    }
    let flags: Vec<(bool, std::ops::Range<usize>)> =
        walked.iter().map(|(_, p, r)| (*p, r.clone())).collect();
    let (scores, dimensions, total, overall) = totals(ctx.profile, &flags, &parts);
    let questionnaires = walk
        .iter()
        .zip(runs)
        .zip(scores)
        .filter_map(|(((q, _), subjects), score)| {
            Some(QuestionnaireScore {
                id: q.id.clone(),
                title: q.title.clone(),
                scope: q.scope,
                score: score?,
                subjects,
            })
        })
        .collect();
    let mut per_subject: BTreeMap<(SubjectKind, &str), Vec<usize>> = BTreeMap::new();
    for (i, p) in parts.iter().enumerate() {
        if let Some((kind, id)) = &p.subject
            && p.shown
        {
            per_subject.entry((*kind, id.as_str())).or_default().push(i);
        }
    }
    let subjects = per_subject
        .into_iter()
        .filter_map(|((kind, id), list)| {
            subject_score(ctx.profile, kind, id, list.iter().map(|&i| &parts[i]))
        })
        .collect();
    let raises = if keep {
        parts
            .iter()
            .flat_map(|p| p.raises.iter().cloned())
            .collect()
    } else {
        parts
            .iter_mut()
            .flat_map(|p| std::mem::take(&mut p.raises))
            .collect()
    };
    let scored = Scored {
        overall,
        total,
        dimensions,
        questionnaires,
        subjects,
        questions,
        raises,
    };
    let kept = Kept {
        walk: walked,
        parts,
        questions: ranges,
    };
    (scored, kept)
}

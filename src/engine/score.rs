//! Scoring: walk the questionnaires the profile selects, for every subject they are asked of,
//! decide which questions apply (`show_if`, categories, not-applicable answers), score the
//! answered ones and collect the findings their answers raise.
//!
//! Question score = option score (single, yes_no), the multi rule over chosen options, the
//! position on a scale, or the threshold band of a number. Section, questionnaire, subject and
//! dimension scores are weighted means over answered, applicable, scored questions, times 100.
//! Unknown answers count against coverage, not as zero. The overall score weighs the dimension
//! scores by the profile's weights.

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

    pub fn finish(&self) -> Score {
        Score {
            score: (self.weight > 0.0).then(|| round1(100.0 * self.weighted / self.weight)),
            coverage: if self.applicable == 0 {
                0.0
            } else {
                f64::from(self.answered) / f64::from(self.applicable)
            },
            answered: self.answered,
            applicable: self.applicable,
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

pub fn score(ctx: &Ctx<'_>) -> Scored {
    let a = ctx.assessment;
    let mut dims = [Acc::default(); 6];
    let mut per_subject: BTreeMap<(SubjectKind, String), (Acc, BTreeMap<Dimension, Acc>)> =
        BTreeMap::new();
    let mut total = Acc::default();
    let mut questionnaires = Vec::new();
    let mut questions = Vec::new();
    let mut raises = Vec::new();

    for inc in &ctx.profile.questionnaires {
        let Some(q) = ctx.content.questionnaire(&inc.id.id) else {
            continue;
        };
        let subjects: Vec<Subject> = match q.scope {
            Scope::Engagement => vec![Subject::Engagement],
            Scope::System => a
                .systems
                .iter()
                .filter(|s| q.categories.is_empty() || q.categories.contains(&s.category))
                .map(Subject::System)
                .collect(),
            Scope::Flow => a.flows.iter().map(Subject::Flow).collect(),
        };
        let mut q_acc = Acc::default();
        let mut runs = Vec::new();
        let q_id: Arc<str> = Arc::from(q.id.as_str());
        let section_ids: Vec<Arc<str>> = q
            .sections
            .iter()
            .map(|s| Arc::from(s.id.as_str()))
            .collect();
        let question_ids: Vec<Vec<Arc<str>>> = q
            .sections
            .iter()
            .map(|s| {
                s.questions
                    .iter()
                    .map(|x| Arc::from(x.id.as_str()))
                    .collect()
            })
            .collect();
        for subject in subjects {
            let sid = subject.id();
            let subject_id: Option<Arc<str>> = sid.map(Arc::from);
            // Per dimension for this subject, merged into `per_subject` once at the end.
            let mut subject_dims = [Acc::default(); 6];
            let mut s_acc = Acc::default();
            let mut sections = Vec::new();
            for (si, section) in q.sections.iter().enumerate() {
                if !inc.sections.is_empty() && !inc.sections.iter().any(|r| r.id == section.id) {
                    continue;
                }
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
                    if !inc.questions.is_empty()
                        && !inc.questions.iter().any(|r| r.id == question.id)
                    {
                        continue;
                    }
                    let answer = ctx.answer(&q.id, sid, &question.id);
                    let mut applicable = section_applies
                        && question
                            .show_if
                            .as_ref()
                            .is_none_or(|c| ctx.eval(c, q, subject));
                    // Marked not applicable: out of the scores, but still asked (shown, and the
                    // mark can be undone) where the skip logic would ask it.
                    let na = applicable
                        && matches!(answer.map(|x| &x.state), Some(AnswerState::NotApplicable));
                    if matches!(answer.map(|x| &x.state), Some(AnswerState::NotApplicable)) {
                        applicable = false;
                    }
                    let mut state = QuestionState {
                        questionnaire: q_id.clone(),
                        subject: subject_id.clone(),
                        section: section_ids[si].clone(),
                        question: question_ids[si][qi].clone(),
                        applicable,
                        answered: false,
                        unknown: false,
                        na,
                        score: None,
                    };
                    if applicable {
                        let reference = || match sid {
                            Some(s) => format!("{}/{s}/{}", q.id, question.id),
                            None => format!("{}/{}", q.id, question.id),
                        };
                        match answer.map(|x| &x.state) {
                            Some(AnswerState::Value(v)) => {
                                state.answered = true;
                                state.score = if question.is_scored() {
                                    question_score(question, v)
                                } else {
                                    None
                                };
                                let found = raised_by(question, v);
                                if !found.is_empty() {
                                    let text: Arc<str> = format!(
                                        "{}“{}” — {}",
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
                            Some(AnswerState::Unknown) => {
                                state.unknown = true;
                                if question.important {
                                    raises.push(Raise {
                                        finding: "unknown-important-answer".into(),
                                        subject: subject_ref(subject),
                                        because: Because {
                                            kind: BecauseKind::Answer,
                                            reference: reference().into(),
                                            text: format!(
                                                "{}“{}” — unknown",
                                                subject_label(subject),
                                                question.prompt.trim()
                                            )
                                            .into(),
                                        },
                                    });
                                }
                            }
                            _ => {}
                        }
                        let weight = question.weight;
                        sec_acc.add(weight, state.score, state.answered);
                        dims[question.dimension as usize].add(weight, state.score, state.answered);
                        subject_dims[question.dimension as usize].add(
                            weight,
                            state.score,
                            state.answered,
                        );
                    }
                    questions.push(state);
                }
                s_acc.merge(&sec_acc);
                sections.push(SectionScore {
                    id: section.id.clone(),
                    title: section.title.clone(),
                    score: sec_acc.finish(),
                });
            }
            // Rules read answers and the inventory for this subject.
            for rule in &q.rules {
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
            if let Some(id) = sid {
                let kind = if q.scope == Scope::System {
                    SubjectKind::System
                } else {
                    SubjectKind::Flow
                };
                let e = per_subject.entry((kind, id.to_string())).or_default();
                e.0.merge(&s_acc);
                for (d, acc) in Dimension::ALL.iter().zip(&subject_dims) {
                    if acc.applicable > 0 {
                        e.1.entry(*d).or_default().merge(acc);
                    }
                }
            }
            q_acc.merge(&s_acc);
            runs.push(SubjectRun {
                subject: sid.map(str::to_string),
                score: s_acc.finish(),
                sections,
            });
        }
        total.merge(&q_acc);
        questionnaires.push(QuestionnaireScore {
            id: q.id.clone(),
            title: q.title.clone(),
            scope: q.scope,
            score: q_acc.finish(),
            subjects: runs,
        });
    }

    let dimensions: Vec<DimensionScore> = Dimension::ALL
        .iter()
        .map(|d| DimensionScore {
            id: *d,
            score: dims[*d as usize].finish(),
            weight: ctx.profile.weight(*d),
        })
        .collect();
    let (mut w, mut ws) = (0.0, 0.0);
    for d in &dimensions {
        if let Some(s) = d.score.score {
            w += d.weight;
            ws += d.weight * s;
        }
    }
    let overall = (w > 0.0).then(|| round1(ws / w));
    let subjects = per_subject
        .into_iter()
        .map(|((kind, id), (acc, dims))| SubjectScore {
            kind,
            id,
            score: acc.finish(),
            dimensions: dims
                .into_iter()
                .map(|(d, a)| DimensionScore {
                    id: d,
                    score: a.finish(),
                    weight: ctx.profile.weight(d),
                })
                .collect(),
        })
        .collect();
    Scored {
        overall,
        total: total.finish(),
        dimensions,
        questionnaires,
        subjects,
        questions,
        raises,
    }
}

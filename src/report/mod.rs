//! Reports and exports: the documents a client keeps. Pure functions of (content, assessment,
//! evaluation) that return text; the CLI writes it to stdout or a file.
//!
//! Every string that came from a file passes through `text::safe` (controls made visible) and
//! then the escaping of its format (Markdown tables, CSV quoting, Mermaid and DOT labels), so a
//! system named `A|B "C" <D>` breaks nothing. The client audience leaves out private notes and
//! the assessor's override reasons.

pub mod csv;
pub mod html;
pub mod map;
pub mod markdown;

use crate::content::Content;
use crate::engine::{Decision, Evaluation, SubjectKind};
use crate::model::{Answer, Assessment, Note, Question};
use crate::vocab::DecisionStatus;

/// Who the report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The client: private notes and override reasons stay out.
    Client,
    /// The assessor's team: everything.
    Internal,
}

/// What a report is made from.
pub struct Input<'a> {
    pub content: &'a Content,
    pub assessment: &'a Assessment,
    pub evaluation: &'a Evaluation,
    pub audience: Audience,
    /// Progress across the snapshots, when the assessment has any: the reports add a
    /// "progress since" section.
    pub progress: Option<&'a crate::export::trend::Trend>,
}

impl Input<'_> {
    pub fn system_name(&self, id: &str) -> String {
        self.assessment.system_name(id)
    }

    /// A subject's name, whether it is a system or a flow.
    pub fn subject_name(&self, id: &str) -> String {
        if self.assessment.system(id).is_some() {
            self.system_name(id)
        } else {
            self.flow_name(id)
        }
    }

    /// The question an answer answers, and the name of its subject.
    pub fn answered(&self, x: &Answer) -> Option<(&Question, Option<String>)> {
        let q = self
            .content
            .questionnaire(&x.questionnaire)
            .and_then(|q| q.question(&x.question))?;
        Some((q, x.subject.as_deref().map(|s| self.subject_name(s))))
    }

    pub fn flow_name(&self, id: &str) -> String {
        self.assessment.flow_name(id)
    }

    /// What was read from the map (issue 22): answers inferred from the inventory and not
    /// confirmed yet, each with the facts that gave it; and the answers a person gave that
    /// the map implies as well (confirmed: asked, and the map agrees).
    pub fn from_the_map(&self) -> FromMap<'_> {
        let derived = crate::infer::derive(self.content, self.assessment);
        let mut out = FromMap::default();
        for x in &self.assessment.answers {
            if x.is_inferred() {
                out.inferred
                    .push((x, crate::infer::because(self.content, x)));
                continue;
            }
            let key = (
                x.questionnaire.clone(),
                x.subject.clone(),
                x.question.clone(),
            );
            if let (Some(rule), crate::model::AnswerState::Value(v)) = (derived.get(&key), &x.state)
                && rule.value == *v
            {
                out.confirmed.push(x);
            }
        }
        out
    }
}

/// See [`Input::from_the_map`].
#[derive(Debug, Default)]
pub struct FromMap<'a> {
    /// Inferred answers with the facts behind each, in file order.
    pub inferred: Vec<(&'a Answer, String)>,
    /// A person's answers that the map implies too.
    pub confirmed: Vec<&'a Answer>,
}

impl FromMap<'_> {
    pub fn is_empty(&self) -> bool {
        self.inferred.is_empty() && self.confirmed.is_empty()
    }
}

/// The decisions that address a pain point: those raised for one of its systems, flows or
/// objects. Rejected decisions address nothing.
pub fn addressing<'e>(e: &'e Evaluation, p: &Note) -> Vec<&'e Decision> {
    e.decisions
        .iter()
        .filter(|d| d.status != DecisionStatus::Rejected)
        .filter(|d| {
            d.subjects.iter().any(|s| match s.kind {
                SubjectKind::System => p.systems.contains(&s.id),
                SubjectKind::Flow => p.flows.contains(&s.id),
                SubjectKind::Object => p.objects.iter().any(|o| o.as_str() == s.id),
                _ => false,
            })
        })
        .collect()
}

/// The decisions that matter most: open or accepted, highest priority first, ties by id.
pub fn top(e: &Evaluation, n: usize) -> Vec<&Decision> {
    let mut v: Vec<&Decision> = e
        .decisions
        .iter()
        .filter(|d| {
            !matches!(
                d.status,
                DecisionStatus::Rejected | DecisionStatus::Deferred
            )
        })
        .collect();
    v.sort_by(|a, b| b.priority.total_cmp(&a.priority).then(a.id.cmp(&b.id)));
    v.truncate(n);
    v
}

/// The heading an open question is listed under: the engagement, the system or flow by name, or
/// the data object.
pub fn open_subject(r: &Input, q: &crate::engine::OpenQuestion) -> String {
    match &q.subject {
        None => "The engagement".into(),
        Some(s) if s.kind == SubjectKind::System => format!("System {}", r.system_name(&s.id)),
        Some(s) if s.kind == SubjectKind::Object => format!("Data object {}", s.id),
        Some(s) => format!("Flow {}", r.flow_name(&s.id)),
    }
}

/// The decisions an open question could raise, by title (the decision's where it is on the
/// list, else its finding's), most important first.
pub fn could_raise(r: &Input, q: &crate::engine::OpenQuestion) -> Vec<String> {
    q.could_raise
        .iter()
        .map(|id| {
            r.evaluation
                .decision(id)
                .map(|d| d.title.clone())
                .or_else(|| r.content.finding(id).map(|f| f.title.clone()))
                .unwrap_or_else(|| id.clone())
        })
        .collect()
}

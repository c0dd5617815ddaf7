//! The engine: a pure function from (content, profile, assessment) to the `Evaluation` every
//! screen and report reads — scores with coverage, raised findings with the answers and facts
//! behind them, ranked decisions in two lanes, the roadmap and the vendor comparison.
//!
//! No I/O, no clock, no randomness: the same input gives the same output, byte for byte once
//! serialised. Every list is ordered explicitly (ties broken by id), never by hash order.
//!
//! The work is split by question asked: `score` walks the questionnaires the profile selects
//! and scores every applicable question; `analyses` looks at the inventory alone; `decide`
//! groups findings into decisions, prioritises and sequences them; `vendors` puts the systems
//! of one category side by side; `open` lists what is not known yet (blank flow steps,
//! unknown and assumed answers, unanswered questions that could raise a top decision).
//!
//! Decisions come only from stated facts. A blank is not a fact: it is an open question.

pub mod analyses;
pub mod context;
pub mod decide;
pub mod gate;
pub mod incremental;
pub mod open;
pub mod score;
pub mod vendors;
pub mod voices;

use serde::Serialize;

use crate::content::Content;
use crate::model::{Assessment, Profile};
use crate::vocab::*;

pub use open::{OpenKind, OpenQuestion};

/// A score on 0–100 with its coverage: answered applicable questions / applicable questions,
/// from 0 to 1, not rounded. `score` is `None` when nothing scorable was answered, and when
/// fewer than the profile's `min_coverage` of the applicable questions are answered (`short`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub score: Option<f64>,
    pub coverage: f64,
    pub answered: u32,
    pub applicable: u32,
    /// Withheld for want of answers: there are applicable questions, but too few answered.
    /// Not serialised: `score: null` with `coverage` below the top-level `min_coverage` says it.
    #[serde(skip)]
    pub short: bool,
}

/// What every screen and report says for a score withheld for want of answers.
pub const NOT_ENOUGH: &str = "not enough answered";

impl Score {
    /// The score for people: `72` (with `decimals`), `not enough answered (18%)` when
    /// withheld, `—` when nothing scorable applies or was answered.
    pub fn label(&self, decimals: usize) -> String {
        match self.score {
            Some(x) => format!("{x:.decimals$}"),
            None if self.short => format!("{NOT_ENOUGH} ({:.0}%)", self.coverage * 100.0),
            None => "—".into(),
        }
    }

    /// The same in a narrow table cell: `72`, `(18%)` when withheld (the coverage; a legend
    /// says "not enough answered"), `—`.
    pub fn cell(&self, decimals: usize) -> String {
        match self.score {
            Some(x) => format!("{x:.decimals$}"),
            None if self.short => format!("({:.0}%)", self.coverage * 100.0),
            None => "—".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionScore {
    pub id: Dimension,
    #[serde(flatten)]
    pub score: Score,
    /// The profile's weight for this dimension in the overall score.
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionScore {
    pub id: String,
    pub title: String,
    #[serde(flatten)]
    pub score: Score,
}

/// One questionnaire asked of one subject (or of the engagement).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectRun {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(flatten)]
    pub score: Score,
    pub sections: Vec<SectionScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionnaireScore {
    pub id: String,
    pub title: String,
    pub scope: Scope,
    #[serde(flatten)]
    pub score: Score,
    pub subjects: Vec<SubjectRun>,
}

/// A system or flow across every questionnaire asked of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectScore {
    pub kind: SubjectKind,
    pub id: String,
    #[serde(flatten)]
    pub score: Score,
    pub dimensions: Vec<DimensionScore>,
}

/// What a finding or decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    Engagement,
    System,
    Flow,
    Object,
    Capability,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SubjectRef {
    pub kind: SubjectKind,
    pub id: String,
}

impl SubjectRef {
    pub fn engagement() -> Self {
        SubjectRef {
            kind: SubjectKind::Engagement,
            id: String::new(),
        }
    }
}

/// Where a finding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BecauseKind {
    Answer,
    Inventory,
    Rule,
}

/// One reason behind a finding: an answer, an inventory fact or a rule, with a sentence an
/// architect can read out to the client.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Because {
    pub kind: BecauseKind,
    /// `questionnaire/subject/question` for answers, `questionnaire/rule` for rules,
    /// `ownership.OBJECT`, `flow.ID`, `capability.ID` ... for inventory facts.
    #[serde(rename = "ref")]
    pub reference: std::sync::Arc<str>,
    /// Shared: one answer's sentence stands behind several findings and decisions.
    pub text: std::sync::Arc<str>,
}

/// A finding raised once for one subject.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Raise {
    pub finding: String,
    pub subject: SubjectRef,
    pub because: Because,
}

/// A finding with every subject it was raised for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingResult {
    pub id: String,
    pub title: String,
    pub horizon: Horizon,
    pub impact: u8,
    pub risk: u8,
    pub effort: u8,
    pub decision: String,
    pub subjects: Vec<SubjectRef>,
    pub because: Vec<Because>,
    /// Each raise: the subject with the reason behind it, so decisions made per subject
    /// take only their own.
    #[serde(skip)]
    pub raised: Vec<(SubjectRef, Because)>,
}

/// The terms of a decision's priority, so every number can be explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Terms {
    /// The most consequential stake among its findings: money, customers and compliance
    /// rank before operations (hygiene) in each lane.
    pub stake: Stake,
    pub impact: u8,
    pub risk: u8,
    pub effort: u8,
    pub boost: f64,
    pub reach: u32,
    pub reach_factor: f64,
    /// impact × risk × boost × reach_factor ÷ effort, rounded to one decimal.
    pub computed: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manual: Option<f64>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub manual_reason: String,
    pub formula: String,
}

impl Terms {
    /// The product with its numbers, for people: "impact 5 × risk 4 × boost 2 × reach 2.5
    /// (3 subjects) ÷ effort 2". Every screen and report prints it the same way.
    pub fn product(&self) -> String {
        format!(
            "{} stake; impact {} × risk {} × boost {} × reach {} ({} subject{}) ÷ effort {}",
            self.stake,
            self.impact,
            self.risk,
            self.boost,
            self.reach_factor,
            self.reach,
            if self.reach == 1 { "" } else { "s" },
            self.effort
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Position within its lane, from 1.
    pub rank: u32,
    pub id: String,
    pub title: String,
    pub horizon: Horizon,
    pub priority: f64,
    pub terms: Terms,
    pub findings: Vec<String>,
    pub subjects: Vec<SubjectRef>,
    pub depends_on: Vec<String>,
    pub because: Vec<Because>,
    pub recommendation: String,
    pub status: DecisionStatus,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Whether the assessor's override set status, owner or priority.
    pub overridden: bool,
    /// The roadmap slice (from 1); `None` for rejected decisions.
    pub slice: Option<u32>,
    /// Prerequisites not raised, but that an open question could raise: the decision would
    /// wait for them if the answer says so. Kept visible so the roadmap does not pretend the
    /// order is settled.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waits_on_open: Vec<String>,
    /// What it is about, for people to read: `subjects` by kind, the flows most at risk
    /// first.
    pub about: About,
}

/// What a decision is about, by kind, for the reader: the systems (by id), the data objects
/// (its own, and those its flows carry, in vocabulary order) and the flows (by id) most at
/// risk first: checkout flows, then those carrying orders or payments, then stock, prices,
/// promotions, returns or tax, then customers, then the rest. A title names the first few;
/// this keeps them all.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct About {
    pub systems: Vec<String>,
    pub objects: Vec<String>,
    pub flows: Vec<String>,
    /// For a decision about a move off old systems: each system leaving (status `retiring`
    /// or TIME `eliminate`) and the systems taking over from it, which the title names
    /// first. Empty (and left out of JSON) for every other decision.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub moves: Vec<Move>,
}

/// One system leaving and what replaces it, by id: the targets the ownership map names for
/// the objects it owns today, else the candidate systems that hold one of its capabilities
/// (`to` is empty when the assessment names neither).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Move {
    pub from: String,
    pub to: Vec<String>,
}

impl About {
    /// Whether it holds more systems and flows than a title names (two): readers then need
    /// the rest said somewhere.
    pub fn wider_than_title(&self) -> bool {
        self.systems.len() + self.flows.len() > 2
    }

    /// "systems A and B · objects order, payment · 22 flows, most at risk first: X, Y, Z and
    /// 19 more": at most `shown` systems and `shown` flows named (all with `usize::MAX`).
    pub fn describe(&self, a: &Assessment, shown: usize) -> String {
        let and = |v: &[String]| match v {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        let mut parts = Vec::new();
        let few = |v: &[String]| {
            if v.len() > shown.max(1) {
                format!(
                    "{} and {} more",
                    v[..shown.max(1)].join(", "),
                    v.len() - shown.max(1)
                )
            } else {
                and(v)
            }
        };
        if !self.systems.is_empty() {
            let names: Vec<String> = self.systems.iter().map(|x| a.system_name(x)).collect();
            let noun = if names.len() == 1 {
                "system"
            } else {
                "systems"
            };
            parts.push(format!("{noun} {}", few(&names)));
        }
        if !self.objects.is_empty() {
            let noun = if self.objects.len() == 1 {
                "object"
            } else {
                "objects"
            };
            parts.push(format!("{noun} {}", self.objects.join(", ")));
        }
        match self.flows.len() {
            0 => {}
            1 => parts.push(format!("flow {}", a.flow_name(&self.flows[0]))),
            n => {
                let names: Vec<String> = self.flows.iter().map(|x| a.flow_name(x)).collect();
                parts.push(format!("{n} flows, most at risk first: {}", few(&names)));
            }
        }
        parts.join(" · ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slice {
    pub slice: u32,
    pub decisions: Vec<String>,
    pub effort: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorEntry {
    pub system: String,
    pub name: String,
    pub vendor: String,
    pub status: SystemStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeDecision>,
    pub vendor_fit: Score,
    pub coupling: Score,
    pub findings: Vec<String>,
    /// Flows that touch the system: for a candidate, the flows it adds; for a running
    /// system, the flows that would go with it.
    pub flows: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorComparison {
    pub category: Category,
    pub systems: Vec<VendorEntry>,
}

/// The state of one question for one subject, for screens that walk the interview.
/// Ids are shared (`Arc<str>`): a large engagement has tens of thousands of these, and a
/// shared id costs a counter, not an allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionState {
    pub questionnaire: std::sync::Arc<str>,
    pub subject: Option<std::sync::Arc<str>>,
    pub section: std::sync::Arc<str>,
    pub question: std::sync::Arc<str>,
    pub applicable: bool,
    pub answered: bool,
    pub unknown: bool,
    /// Marked not applicable by the assessor where it would otherwise be asked: left out of
    /// the scores (`applicable` is false), still shown where it was so the mark can be undone.
    pub na: bool,
    pub score: Option<f64>,
    /// Whether the profile asks it. A question it does not ask is here only because an
    /// answer to it was heard; it counts, but the interview does not walk it.
    pub asked: bool,
    /// Answered by an `[[infer]]` rule from the inventory, not yet confirmed by a person.
    pub inferred: bool,
}

/// Everything the engine computes. One value feeds every screen and every report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub profile: String,
    /// `None` below `min_coverage`, like every other score.
    pub overall: Option<f64>,
    /// The profile's `min_coverage`: below it, scores are withheld.
    pub min_coverage: f64,
    pub coverage: f64,
    pub answered: u32,
    pub applicable: u32,
    pub dimensions: Vec<DimensionScore>,
    pub questionnaires: Vec<QuestionnaireScore>,
    pub subjects: Vec<SubjectScore>,
    pub findings: Vec<FindingResult>,
    pub decisions: Vec<Decision>,
    pub roadmap: Vec<Slice>,
    pub vendors: Vec<VendorComparison>,
    /// What is not known yet, ranked: see `open`.
    pub open_questions: Vec<OpenQuestion>,
    /// Problems the engine worked around, such as a dependency cycle between decisions.
    pub warnings: Vec<String>,
    /// Questions answered by several respondents: every answer, which one counted and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub voices: Vec<voices::Voices>,
    #[serde(skip)]
    pub questions: Vec<QuestionState>,
}

impl Evaluation {
    /// The overall score as every shell shows it: `41` (with `decimals`), `not enough
    /// answered (12%)` below `min_coverage`, `—` when nothing scorable is answered.
    pub fn overall_label(&self, decimals: usize) -> String {
        Score {
            score: self.overall,
            coverage: self.coverage,
            answered: self.answered,
            applicable: self.applicable,
            short: self.applicable > 0 && self.coverage < self.min_coverage,
        }
        .label(decimals)
    }

    pub fn decision(&self, id: &str) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.id == id)
    }

    pub fn lane(&self, h: Horizon) -> impl Iterator<Item = &Decision> {
        self.decisions.iter().filter(move |d| d.horizon == h)
    }

    /// One lane in rank order (ties, which ranks never have, by id).
    pub fn ranked(&self, h: Horizon) -> Vec<&Decision> {
        let mut v: Vec<&Decision> = self.lane(h).collect();
        v.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.id.cmp(&b.id)));
        v
    }
}

/// Evaluates an assessment. `profile` is the assessment's profile (the caller resolves it,
/// so a what-if with another profile is one argument away); `slice_budget` overrides the
/// profile's when given.
pub fn evaluate(
    content: &Content,
    profile: &Profile,
    assessment: &Assessment,
    slice_budget: Option<u32>,
) -> Evaluation {
    let ctx = context::Ctx::new(content, profile, assessment);
    let mut scored = score::score(&ctx);
    scored.raises.extend(analyses::analyse(&ctx));
    conclude(&ctx, slice_budget, scored, None)
}

/// From the scores (with every raise, the analyses' too) to the evaluation: findings,
/// decisions and the roadmap, vendors, open questions, voices. Shared by `evaluate` and the
/// incremental re-scoring, so both end the same way. `findings`: already made from the raises
/// (then `scored.raises` is not read).
fn conclude(
    ctx: &context::Ctx<'_>,
    slice_budget: Option<u32>,
    scored: score::Scored,
    findings: Option<Vec<FindingResult>>,
) -> Evaluation {
    let (content, profile, assessment) = (ctx.content, ctx.profile, ctx.assessment);
    let findings = findings.unwrap_or_else(|| decide::findings(content, scored.raises));
    let budget = slice_budget.unwrap_or(profile.slice_budget).max(1);
    let (decisions, roadmap, warnings) =
        decide::decide(content, profile, assessment, &findings, budget);
    let vendors = vendors::compare(assessment, &scored.subjects, &findings);
    let open_questions = open::open_questions(ctx, &scored.questions, &decisions);
    let voices = ctx
        .several()
        .iter()
        .map(|s| {
            let q = content
                .questionnaire(s.key.0)
                .and_then(|q| q.question(s.key.2));
            voices::Voices {
                questionnaire: s.key.0.to_string(),
                subject: s.key.1.map(str::to_string),
                question: s.key.2.to_string(),
                counted: s.answers[s.counted].respondent.clone(),
                why: s.why,
                disagree: voices::differ(&s.answers),
                answers: s
                    .answers
                    .iter()
                    .map(|x| voices::Voice {
                        respondent: x.respondent.clone(),
                        answer: voices::answer_text(q, &x.state),
                        confidence: x.confidence,
                        is_final: x.is_final,
                    })
                    .collect(),
            }
        })
        .collect();
    let mut decisions = decisions;
    decide::waits_on_open(content, &mut decisions, &open_questions);
    Evaluation {
        profile: profile.id.clone(),
        overall: scored.overall,
        min_coverage: profile.min_coverage,
        coverage: scored.total.coverage,
        answered: scored.total.answered,
        applicable: scored.total.applicable,
        dimensions: scored.dimensions,
        questionnaires: scored.questionnaires,
        subjects: scored.subjects,
        findings,
        decisions,
        roadmap,
        vendors,
        open_questions,
        warnings,
        voices,
        questions: scored.questions,
    }
}

/// Evaluates an assessment with the profile it names, looked up in `content` (the content in
/// force, or a snapshot's frozen content): what every shell does to score a file. `file` names
/// the assessment or snapshot in the error when `content` has no such profile; `slice_budget`
/// overrides the profile's when given.
pub fn evaluate_assessment(
    content: &Content,
    assessment: &Assessment,
    file: &str,
    slice_budget: Option<u32>,
) -> crate::Result<Evaluation> {
    let profile = profile_of(content, assessment, file)?;
    Ok(evaluate(content, profile, assessment, slice_budget))
}

/// The profile an assessment names, looked up in `content`; `file` names the assessment in
/// the error when `content` has no such profile.
pub fn profile_of<'c>(
    content: &'c Content,
    assessment: &Assessment,
    file: &str,
) -> crate::Result<&'c Profile> {
    let id = &assessment.engagement.profile;
    content.profile(id).ok_or_else(|| {
        crate::Error::Usage(format!(
            "{file} is scored with profile `{id}`, which is not in force{}",
            crate::diag::hint_or(
                id,
                content.profiles.iter().map(|p| p.id.as_str()),
                crate::content::LIST_PROFILES
            )
        ))
    })
}

/// Rounds a score for output: one decimal is all a client needs, and it keeps JSON stable.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_not_in_force_is_named_with_the_file_and_what_to_do() {
        let content = crate::workspace::Sources::default()
            .content_strict()
            .expect("shipped content");
        let now = chrono::DateTime::from_timestamp(0, 0)
            .expect("epoch")
            .fixed_offset();
        let mut a = Assessment::new(
            "Acme".into(),
            "Audit".into(),
            "full-discovry".into(),
            String::new(),
            now,
        );
        let err = evaluate_assessment(&content, &a, "acme.toml", None)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "acme.toml is scored with profile `full-discovry`, which is not in force; did you mean `full-discovery`?"
            )
        );
        a.engagement.profile = "zzzzzzzz".into();
        let err = evaluate_assessment(&content, &a, "acme.toml", None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.ends_with("`stackmap list profiles` shows the profiles in force"),
            "{err}"
        );
        a.engagement.profile = "full-discovery".into();
        let e = evaluate_assessment(&content, &a, "acme.toml", Some(3)).expect("scored");
        assert_eq!(e.profile, "full-discovery");
    }
}

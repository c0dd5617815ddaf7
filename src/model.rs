//! Phase two of loading: the validated model every other part of stackmap works on.
//!
//! Nothing here can be wrong in a way validation could have caught: every reference resolves,
//! every enum is a known name, every score is in range. The engine, the TUI and the reports
//! rely on that and never re-check.
//!
//! Content (questionnaires, profiles) keeps the file positions of its ids and references so
//! that content-wide checks (a `raises` naming a finding in another file, a cycle in
//! `depends_on`) still point at a line and column. Assessments keep none: they are validated
//! against content in one step, and their model must compare equal after a save and reload.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset};

use crate::diag::Pos;
use crate::vocab::*;

/// Where a piece of content came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// Shipped inside the binary; the string is the path in the repository.
    Embedded(String),
    /// A file on disk.
    File(String),
}

impl Source {
    /// The path to print in diagnostics and `stackmap list`.
    pub fn path(&self) -> &str {
        match self {
            Source::Embedded(p) | Source::File(p) => p,
        }
    }

    /// "embedded" or the file's path, as `list --format json` shows it.
    pub fn label(&self) -> String {
        match self {
            Source::Embedded(_) => "embedded".to_string(),
            Source::File(p) => p.clone(),
        }
    }
}

/// An id or reference with the position it was written at.
#[derive(Debug, Clone)]
pub struct Ref {
    pub id: String,
    pub pos: Pos,
}

// ---------------------------------------------------------------------------------------
// Questionnaires

#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub id: String,
    pub id_pos: Pos,
    pub title: String,
    pub version: u32,
    pub scope: Scope,
    /// For system scope: only systems of these categories are asked (empty: all).
    pub categories: Vec<Category>,
    /// The default dimension of its questions (each question may set its own).
    pub dimension: Option<Dimension>,
    pub description: String,
    pub sections: Vec<Section>,
    pub findings: Vec<Finding>,
    pub rules: Vec<Rule>,
    /// Answers read from the inventory (`[[infer]]`), in file order.
    pub infers: Vec<Infer>,
    /// Questions that left this file for one home in another (`[[moved]]`).
    pub moved: Vec<Moved>,
    pub source: Source,
    /// Question id → (section index, question index).
    pub index: HashMap<String, (usize, usize)>,
}

impl Questionnaire {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index
            .get(id)
            .map(|&(s, q)| &self.sections[s].questions[q])
    }

    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections
            .iter()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    pub fn question_count(&self) -> usize {
        self.sections.iter().map(|s| s.questions.len()).sum()
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// Where a question that left this file is asked now.
    pub fn moved(&self, id: &str) -> Option<&Moved> {
        self.moved.iter().find(|m| m.question == id)
    }

    /// For an id this file no longer asks: "; it is now asked as `q/x`", else nothing.
    pub fn moved_hint(&self, id: &str) -> String {
        self.moved(id).map_or(String::new(), |m| {
            format!(
                "; it is now asked as `{}/{}`: answer it there",
                m.to.0, m.to.1
            )
        })
    }
}

/// A question asked once, in another questionnaire: answers saved under the old id load as
/// answers to its home, option ids mapped (FORMATS.md §2.15).
#[derive(Debug, Clone)]
pub struct Moved {
    pub question: String,
    pub pos: Pos,
    /// The home: questionnaire and question id.
    pub to: (String, String),
    pub to_pos: Pos,
    /// Old option id → the home's option id; ids not listed are kept as they are.
    pub options: Vec<(String, String)>,
}

impl Moved {
    /// The home's option id for an old option id.
    pub fn option<'a>(&'a self, old: &'a str) -> &'a str {
        self.options
            .iter()
            .find(|(o, _)| o == old)
            .map_or(old, |(_, n)| n.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub help: String,
    /// For system scope: only systems of these categories see this section (empty: all).
    pub categories: Vec<Category>,
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub pos: Pos,
    pub prompt: String,
    pub help: String,
    pub kind: QuestionKind,
    pub weight: f64,
    pub dimension: Dimension,
    pub important: bool,
    pub tags: Vec<String>,
    pub sources: Vec<String>,
    /// `questionnaire/question` ids it resembles but does not repeat (silences `check`'s
    /// same-fact warning for that pair).
    pub distinct_from: Vec<Ref>,
    /// The data objects and capabilities the question asks about, when it asks about some
    /// only ("what is decided for the search engine that loses?"): a finding it raises for the
    /// engagement is a reason for the decisions about these subjects, not for every decision
    /// its group makes. Empty: about whatever its findings are about.
    pub objects: Vec<DataObject>,
    pub capabilities: Vec<Capability>,
    pub show_if: Option<Condition>,
    pub options: Vec<AnswerOption>,
    pub multi_score: MultiScore,
    /// Scale and number: the allowed range (scale: both required, whole numbers).
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: String,
    pub min_label: String,
    pub max_label: String,
    pub thresholds: Vec<Threshold>,
}

impl Question {
    pub fn option(&self, id: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// Whether the question is scored at all (text and system picks are not).
    pub fn is_scored(&self) -> bool {
        !matches!(self.kind, QuestionKind::Text | QuestionKind::SystemPick)
    }
}

#[derive(Debug, Clone)]
pub struct AnswerOption {
    pub id: String,
    pub label: String,
    pub help: String,
    pub score: f64,
    pub raises: Vec<Ref>,
}

/// A number band: values up to `upto` (inclusive) score `score`; `None` catches the rest.
#[derive(Debug, Clone)]
pub struct Threshold {
    pub upto: Option<f64>,
    pub score: f64,
    pub raises: Vec<Ref>,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub id: String,
    pub pos: Pos,
    pub title: String,
    pub horizon: Horizon,
    pub impact: u8,
    pub risk: u8,
    pub effort: u8,
    pub objects: Vec<DataObject>,
    pub depends_on: Vec<Ref>,
    pub recommendation: String,
    pub detail: String,
    /// The decision this finding groups into; by default its own id.
    pub decision: Option<Ref>,
    /// What it puts at stake; `Operations` (hygiene) unless the content says otherwise.
    pub stake: Stake,
    /// The subjects its decision is made for one by one, if any.
    pub per: Option<Per>,
    /// Why its decision differs from that of another finding raised by the same option or
    /// analysis; empty when nothing needs explaining.
    pub apart: String,
    pub sources: Vec<String>,
    /// The capabilities it is about: what a group made per capability decides it for.
    pub capabilities: Vec<Capability>,
    /// The title of its group's decision, said on one member; empty when the lead finding's
    /// title serves.
    pub decision_title: String,
    /// Decision ids its group had before the content regrouped it: an assessment's override
    /// naming one follows the group.
    pub was: Vec<String>,
}

impl Finding {
    pub fn decision_id(&self) -> &str {
        self.decision.as_ref().map_or(&self.id, |r| &r.id)
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub pos: Pos,
    pub title: String,
    pub when: Condition,
    pub raises: Vec<Ref>,
}

/// `[[infer]]`: a question answered from the inventory. When `when` holds for a subject and
/// no person has answered the question for it, the answer is `value`, stored as inferred
/// (`inferred = true`, `inferred_by` = this id, confidence `assumed`). The first rule in file
/// order that holds gives the answer.
#[derive(Debug, Clone)]
pub struct Infer {
    pub id: String,
    pub pos: Pos,
    /// A question of the same questionnaire.
    pub question: Ref,
    /// Reads the inventory only: `has_system`, `has_flow`, `subject`, `object` and combinators.
    pub when: Condition,
    pub value: Value,
    /// Why the facts imply the answer, shown beside it.
    pub because: String,
}

/// A condition over answers, the inventory and the profile. Evaluated by the engine.
#[derive(Debug, Clone)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Answer {
        /// `None`: the questionnaire the condition is written in.
        questionnaire: Option<Ref>,
        question: Ref,
        test: AnswerTest,
    },
    HasSystem(SystemFilter),
    HasFlow(FlowFilter),
    Subject(SubjectFilter),
    Object {
        object: DataObject,
        test: ObjectTest,
    },
    Scenario(Vec<Scenario>),
}

#[derive(Debug, Clone)]
pub enum AnswerTest {
    /// Single / yes_no: the chosen option is one of these. Multi: any of these is chosen.
    Is(Vec<String>),
    Answered(bool),
    Unknown(bool),
    Na(bool),
    AtLeast(f64),
    Below(f64),
}

#[derive(Debug, Clone, Default)]
pub struct SystemFilter {
    pub category: Vec<Category>,
    /// Empty means the running stack: existing and retiring.
    pub status: Vec<SystemStatus>,
    pub capability: Vec<Capability>,
    pub at_least: u32,
}

#[derive(Debug, Clone, Default)]
pub struct SubjectFilter {
    pub category: Vec<Category>,
    pub status: Vec<SystemStatus>,
    pub capability: Vec<Capability>,
    pub mechanism: Vec<Mechanism>,
    pub mode: Vec<FlowMode>,
    pub checkout: Option<bool>,
    pub objects: Vec<DataObject>,
    pub touches: Vec<Category>,
    /// Flow steps and duties stated absent (all of them).
    pub none: Vec<FlowPart>,
}

/// `has_flow`: flows of the inventory that match, at least `at_least` of them.
#[derive(Debug, Clone, Default)]
pub struct FlowFilter {
    pub mechanism: Vec<Mechanism>,
    pub mode: Vec<FlowMode>,
    pub checkout: Option<bool>,
    pub objects: Vec<DataObject>,
    pub touches: Vec<Category>,
    pub none: Vec<FlowPart>,
    /// Only flows from, to or via the system subject.
    pub with_subject: bool,
    /// `at_least` counts distinct callees (the systems that answer), not flows.
    pub count_callees: bool,
    pub at_least: u32,
}

#[derive(Debug, Clone)]
pub enum ObjectTest {
    OwnerMissing(bool),
    OwnerCategory(Vec<Category>),
    OwnerRetiring(bool),
    WritersAtLeast(u32),
    Moving(bool),
}

// ---------------------------------------------------------------------------------------
// Profiles

#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    pub id_pos: Pos,
    pub title: String,
    pub description: String,
    pub scenarios: Vec<Scenario>,
    pub questionnaires: Vec<Include>,
    pub weights: BTreeMap<Dimension, f64>,
    pub boosts: Vec<(Ref, f64)>,
    pub slice_budget: u32,
    /// The share of a score's applicable questions that must be answered before the score is
    /// shown, 0 to 1 (`DEFAULT_MIN_COVERAGE`).
    pub min_coverage: f64,
    pub source: Source,
}

impl Profile {
    /// The weight of a dimension in the overall score (1 where the profile says nothing).
    pub fn weight(&self, d: Dimension) -> f64 {
        self.weights.get(&d).copied().unwrap_or(1.0)
    }

    pub fn includes(&self, questionnaire: &str) -> Option<&Include> {
        self.questionnaires
            .iter()
            .find(|i| i.id.id == questionnaire)
    }
}

/// A questionnaire a profile selects, optionally narrowed to sections or questions.
#[derive(Debug, Clone)]
pub struct Include {
    pub id: Ref,
    /// Empty: every section.
    pub sections: Vec<Ref>,
    /// Empty: every question of the selected sections; otherwise these, in this order.
    pub questions: Vec<Ref>,
}

/// The default effort budget of a roadmap slice when a profile does not set one.
pub const DEFAULT_SLICE_BUDGET: u32 = 8;

/// A score is shown once half of its applicable questions are answered. Below half, which
/// questions came up first (often the ones with a ready, good answer) moves the mean more than
/// the stack does: ownership scored 100 from 2 answers of 11. At half, the answered ones are
/// at least as many as the open ones, and one more answer moves a ten-question score by a
/// tenth at most. FORMATS.md §3 says the same to the people who write profiles.
pub const DEFAULT_MIN_COVERAGE: f64 = 0.5;

// ---------------------------------------------------------------------------------------
// Assessments

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub engagement: Engagement,
    pub systems: Vec<System>,
    pub flows: Vec<Flow>,
    pub ownership: BTreeMap<DataObject, Ownership>,
    pub answers: Vec<Answer>,
    pub decisions: Vec<DecisionOverride>,
    /// The people interviewed (`[[respondent]]`), in id order.
    pub respondents: Vec<Respondent>,
    /// Facts two merged files disagree on (`[[conflict]]`), kept until settled.
    pub conflicts: Vec<Conflict>,
}

/// One person interviewed (`[[respondent]]`): answers and owners they gave name them by id.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Respondent {
    pub id: String,
    pub name: String,
    pub role: String,
    pub team: String,
}

/// A fact two merged files disagree on (`[[conflict]]`, written by `stackmap merge`): what it
/// is about and the two sides, each as the TOML text of that side's table or value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conflict {
    pub id: String,
    /// What kind of fact: `system`, `flow`, `ownership`, `respondent`, `answer`, `decision`,
    /// `engagement`.
    pub what: String,
    /// The fact's key, readable (`system shopify`, `answer q/question for shopify`).
    pub about: String,
    /// The first file's version (`ours`) and the second's (`theirs`); empty: the side deleted it.
    pub ours: String,
    pub theirs: String,
}

impl Assessment {
    /// A new, empty assessment: an engagement and nothing else yet.
    pub fn new(
        client: String,
        title: String,
        profile: String,
        assessor: String,
        now: DateTime<FixedOffset>,
    ) -> Self {
        Assessment {
            engagement: Engagement {
                client,
                title,
                profile,
                assessor,
                created: Some(now),
                updated: Some(now),
                summary: String::new(),
                pain_points: Vec::new(),
                initiatives: Vec::new(),
            },
            systems: Vec::new(),
            flows: Vec::new(),
            ownership: BTreeMap::new(),
            answers: Vec::new(),
            decisions: Vec::new(),
            respondents: Vec::new(),
            conflicts: Vec::new(),
        }
    }

    pub fn respondent(&self, id: &str) -> Option<&Respondent> {
        self.respondents.iter().find(|r| r.id == id)
    }

    /// A respondent's name, or the id when there is no such respondent.
    pub fn respondent_name(&self, id: &str) -> String {
        self.respondent(id).map_or(id.to_string(), |r| {
            if r.name.is_empty() {
                id.to_string()
            } else {
                r.name.clone()
            }
        })
    }

    pub fn system(&self, id: &str) -> Option<&System> {
        self.systems.iter().find(|s| s.id == id)
    }

    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id == id)
    }

    /// A system's name, or the id when there is no such system.
    pub fn system_name(&self, id: &str) -> String {
        self.system(id).map_or(id.to_string(), |s| s.name.clone())
    }

    /// A flow's name, or "from → to" when it has none, or the id when there is no such flow.
    pub fn flow_name(&self, id: &str) -> String {
        self.flow(id).map_or(id.to_string(), |f| {
            if f.name.is_empty() {
                format!(
                    "{} → {}",
                    self.system_name(&f.from),
                    self.system_name(&f.to)
                )
            } else {
                f.name.clone()
            }
        })
    }

    /// Sorts systems, flows, answers and overrides into the canonical order saving uses, so
    /// git diffs of an assessment stay small.
    pub fn canonicalise(&mut self) {
        self.systems.sort_by(|a, b| a.id.cmp(&b.id));
        self.flows.sort_by(|a, b| a.id.cmp(&b.id));
        self.answers.sort_by(|a, b| {
            (&a.questionnaire, &a.subject, &a.question, &a.respondent).cmp(&(
                &b.questionnaire,
                &b.subject,
                &b.question,
                &b.respondent,
            ))
        });
        self.decisions.sort_by(|a, b| a.id.cmp(&b.id));
        self.respondents.sort_by(|a, b| a.id.cmp(&b.id));
        self.conflicts.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

/// Joins the ids of an engagement that runs several profiles at once.
pub const PROFILE_JOIN: char = '+';

/// The one string `Engagement::profile` holds for several profile ids (`a+b`).
pub fn join_profiles<S: AsRef<str>>(ids: &[S]) -> String {
    ids.iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(&PROFILE_JOIN.to_string())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Engagement {
    pub client: String,
    pub title: String,
    /// The profile's id; an engagement that is two scenarios at once names several, joined by
    /// `+` (`marketplace-launch+replatforming`), which `Content::profile` combines and saving
    /// writes back as a list.
    pub profile: String,
    pub assessor: String,
    pub created: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub summary: String,
    pub pain_points: Vec<Note>,
    pub initiatives: Vec<Note>,
}

impl Engagement {
    /// The profile ids, in the order the file names them.
    pub fn profiles(&self) -> Vec<&str> {
        self.profile.split(PROFILE_JOIN).collect()
    }
}

/// A pain point or planned initiative, linked to what it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: String,
    pub text: String,
    pub systems: Vec<String>,
    pub flows: Vec<String>,
    pub objects: Vec<DataObject>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct System {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub category: Category,
    pub status: SystemStatus,
    pub team: String,
    pub capabilities: Vec<Capability>,
    pub time: Option<TimeDecision>,
    pub notes: String,
    /// The scopes (brands, regions, channels: free labels) the system serves; empty: every
    /// scope, the whole estate. Analyses compare writers, overlaps and checkout chains only
    /// between systems that share a scope.
    pub scopes: Vec<String>,
}

impl System {
    /// Whether the system serves `label` (a system with no scopes serves every scope).
    pub fn in_scope(&self, label: &str) -> bool {
        self.scopes.is_empty() || self.scopes.iter().any(|s| s == label)
    }

    /// Whether two systems serve a scope in common (unscoped systems share every scope).
    pub fn shares_scope(&self, other: &System) -> bool {
        self.scopes.is_empty()
            || other.scopes.is_empty()
            || self.scopes.iter().any(|s| other.scopes.contains(s))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub id: String,
    pub name: String,
    pub from: String,
    pub to: String,
    /// The hub (an integration platform) the flow runs through, if any.
    pub via: Option<String>,
    pub objects: Vec<DataObject>,
    pub mechanism: Mechanism,
    pub mode: FlowMode,
    /// Who starts the exchange: `Push`, the sender (`from`); `Pull`, the receiver (`to`)
    /// asks. `from` and `to` are always where the data comes from and where it goes.
    pub direction: FlowDirection,
    pub checkout: bool,
    pub source: String,
    pub contract: String,
    pub failure: String,
    pub owner: String,
    pub owners: Owners,
    /// Steps and duties stated absent ("nobody owns it", "there is no contract"): facts, unlike
    /// an empty field, which only says nothing was written down yet. In `FlowPart` order, no
    /// repeats.
    pub none: Vec<FlowPart>,
    pub notes: String,
}

/// Words that, typed where a step or an owner belongs, state that there is none ("nobody
/// owns it") rather than name it: read as stated absence, never as a team. Compared without
/// case and surrounding spaces.
pub const ABSENCE_WORDS: [&str; 4] = ["none", "nobody", "n/a", "-"];

/// Whether a typed text is one of the [`ABSENCE_WORDS`].
pub fn is_absence_word(text: &str) -> bool {
    let t = text.trim();
    ABSENCE_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w))
}

impl Flow {
    /// The system that starts the exchange: `from` for a push, `to` for a pull.
    pub fn caller(&self) -> &str {
        match self.direction {
            FlowDirection::Push => &self.from,
            FlowDirection::Pull => &self.to,
        }
    }

    /// The system that answers: `to` for a push, `from` for a pull.
    pub fn callee(&self) -> &str {
        match self.direction {
            FlowDirection::Push => &self.to,
            FlowDirection::Pull => &self.from,
        }
    }

    /// Whether a step or duty is stated absent: listed in `none`, or its text is one of the
    /// [`ABSENCE_WORDS`] (`owner = "nobody"` is a fact about the flow, not a team).
    pub fn is_none(&self, part: FlowPart) -> bool {
        self.none.contains(&part) || is_absence_word(self.text(part))
    }

    /// Whether the inventory names a step or duty (text that is not an absence word).
    pub fn is_stated(&self, part: FlowPart) -> bool {
        let t = self.text(part);
        !t.trim().is_empty() && !is_absence_word(t)
    }

    /// The inventory text of a step or duty (empty when nothing is written).
    pub fn text(&self, part: FlowPart) -> &str {
        match part {
            FlowPart::Source => &self.source,
            FlowPart::Contract => &self.contract,
            FlowPart::Failure => &self.failure,
            FlowPart::Owner => &self.owner,
            FlowPart::Failures => &self.owners.failures,
            FlowPart::Retries => &self.owners.retries,
            FlowPart::Dashboards => &self.owners.dashboards,
            FlowPart::Runbook => &self.owners.runbook,
            FlowPart::ReleaseHandoff => &self.owners.release_handoff,
        }
    }
}

/// Who owns each operating duty of a flow; empty means nobody named.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Owners {
    pub failures: String,
    pub retries: String,
    pub dashboards: String,
    pub runbook: String,
    pub release_handoff: String,
}

impl Owners {
    pub fn get(&self, duty: Duty) -> &str {
        match duty {
            Duty::Failures => &self.failures,
            Duty::Retries => &self.retries,
            Duty::Dashboards => &self.dashboards,
            Duty::Runbook => &self.runbook,
            Duty::ReleaseHandoff => &self.release_handoff,
        }
    }

    pub fn is_empty(&self) -> bool {
        Duty::ALL.iter().all(|d| self.get(*d).is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ownership {
    /// The source of truth today.
    pub owner: Option<String>,
    /// The source of truth as it should be.
    pub target: Option<String>,
    pub writers: Vec<String>,
    pub readers: Vec<String>,
    pub note: String,
    /// What each respondent said the owner is (`said = { RESPONDENT = "SYSTEM" }`), by
    /// respondent id.
    pub said: BTreeMap<String, String>,
    /// `final = true`: `owner` is settled; what respondents said otherwise no longer counts as
    /// a disagreement.
    pub is_final: bool,
    /// Ownership stated per scope (`[ownership.OBJECT.scope.LABEL]`): within that scope the
    /// entry replaces this one. Entries here have no scopes of their own.
    pub scopes: BTreeMap<String, Ownership>,
}

impl Ownership {
    /// Whether the entry says anything of its own (scoped entries aside).
    pub fn states_anything(&self) -> bool {
        self.owner.is_some()
            || self.target.is_some()
            || !self.writers.is_empty()
            || !self.readers.is_empty()
            || !self.note.is_empty()
            || !self.said.is_empty()
    }

    /// The entries to analyse: the estate-wide one (unless it is only a holder of scoped
    /// entries) with `None`, then each scoped entry with its label, in label order.
    pub fn views(&self) -> Vec<(Option<&str>, &Ownership)> {
        let mut out = Vec::new();
        if self.scopes.is_empty() || self.states_anything() {
            out.push((None, self));
        }
        out.extend(self.scopes.iter().map(|(k, v)| (Some(k.as_str()), v)));
        out
    }

    /// The entry in force within `scope`: its scoped entry, else this one.
    pub fn in_scope(&self, scope: Option<&str>) -> &Ownership {
        scope.and_then(|s| self.scopes.get(s)).unwrap_or(self)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub questionnaire: String,
    /// A system or flow id; `None` for engagement-scope questionnaires.
    pub subject: Option<String>,
    pub question: String,
    pub state: AnswerState,
    pub note: String,
    pub private: bool,
    pub evidence: Vec<String>,
    pub confidence: Option<Confidence>,
    pub by: String,
    pub at: Option<DateTime<FixedOffset>>,
    /// Read from the inventory, not given by a person: the `[[infer]]` rule that gave it
    /// (`inferred = true`, `inferred_by = "RULE"` in the file). `crate::infer` adds, changes
    /// and removes these as the inventory changes; a person's answer replaces it.
    pub inferred_by: Option<String>,
    /// The respondent who gave it (`respondent = "id"`); `None`: the assessor's own answer.
    pub respondent: Option<String>,
    /// `final = true`: the answer that counts where respondents differ.
    pub is_final: bool,
}

impl Answer {
    /// Whether the answer was read from the inventory rather than given by a person.
    pub fn is_inferred(&self) -> bool {
        self.inferred_by.is_some()
    }

    /// An answer in `state` with nothing else said yet: no note, evidence, confidence or author.
    pub fn new(
        questionnaire: String,
        subject: Option<String>,
        question: String,
        state: AnswerState,
    ) -> Self {
        Answer {
            questionnaire,
            subject,
            question,
            state,
            note: String::new(),
            private: false,
            evidence: Vec::new(),
            confidence: None,
            by: String::new(),
            at: None,
            inferred_by: None,
            respondent: None,
            is_final: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnswerState {
    Value(Value),
    Unknown,
    NotApplicable,
    /// Not answered yet: the entry holds what was said before an answer was chosen (a note,
    /// evidence). The question stays unanswered.
    Open,
}

/// An answer's value, already checked against its question's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// single, yes_no: an option id.
    Choice(String),
    /// multi: option ids, as written (no duplicates).
    Choices(Vec<String>),
    /// scale, number.
    Number(f64),
    /// text.
    Text(String),
    /// system_pick: a system id.
    System(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DecisionOverride {
    pub id: String,
    pub status: Option<DecisionStatus>,
    pub owner: String,
    pub note: String,
    pub priority: Option<f64>,
    pub priority_reason: String,
}

/// The set of ids a file may legally name, gathered from content for assessment validation.
#[derive(Debug, Default)]
pub struct DecisionIds(pub BTreeSet<String>);

/// One question a profile asks, in interview order.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'c> {
    pub questionnaire: &'c Questionnaire,
    pub section: &'c Section,
    pub question: &'c Question,
}

//! Phase one of loading: serde structs that mirror the TOML files exactly.
//!
//! Almost every field is optional and every name-like value keeps its span, so that phase two
//! (`validate`) can report *all* missing fields, unknown names and broken references with a
//! line and column, instead of serde stopping at the first missing field. Only a value of the
//! wrong TOML type (a string where a number belongs) stops this phase, and toml reports that
//! with its own position.
//!
//! Map keys (`[ownership.OBJECT]`, `[weights]`, `[boosts]`) are plain strings; problems with a
//! key are reported at its value, which sits on the same line.
//!
//! Unknown keys are not rejected here (`deny_unknown_fields` would stop at the first); the
//! loader finds them all by walking the parsed document first (`load::walk`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;

/// A value with its byte span in the file.
pub type S<T> = Spanned<T>;

/// A string or a list of strings; conditions accept either (`is = "a"` or `is = ["a", "b"]`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StrList(pub Vec<String>);

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StrList, E> {
                Ok(StrList(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(StrList(out))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------
// Questionnaire

#[derive(Debug, Deserialize)]
pub struct RawQuestionnaire {
    pub schema: Option<S<i64>>,
    pub kind: Option<S<String>>,
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub version: Option<S<i64>>,
    pub scope: Option<S<String>>,
    #[serde(default)]
    pub categories: Vec<S<String>>,
    pub dimension: Option<S<String>>,
    pub description: Option<String>,
    #[serde(default, rename = "section")]
    pub sections: Vec<S<RawSection>>,
    #[serde(default, rename = "finding")]
    pub findings: Vec<S<RawFinding>>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<S<RawRule>>,
    /// `[[infer]]`: answers read from the inventory (FORMATS.md §2.16).
    #[serde(default, rename = "infer")]
    pub infers: Vec<S<RawInfer>>,
    /// `[[moved]]`: questions that left this file for one home elsewhere; old answers follow.
    #[serde(default)]
    pub moved: Vec<S<RawMoved>>,
}

/// `[[moved]]`: a question asked once, elsewhere. Answers saved under the old id are read as
/// answers to `to` (`questionnaire/question`), their option ids mapped through `options`.
#[derive(Debug, Deserialize)]
pub struct RawMoved {
    pub question: Option<S<String>>,
    pub to: Option<S<String>>,
    #[serde(default)]
    pub options: BTreeMap<String, S<String>>,
}

#[derive(Debug, Deserialize)]
pub struct RawSection {
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub help: Option<String>,
    pub categories: Option<Vec<S<String>>>,
    pub show_if: Option<S<RawCondition>>,
    #[serde(default, rename = "question")]
    pub questions: Vec<S<RawQuestion>>,
}

#[derive(Debug, Deserialize)]
pub struct RawQuestion {
    pub id: Option<S<String>>,
    pub prompt: Option<S<String>>,
    pub help: Option<String>,
    pub kind: Option<S<String>>,
    pub weight: Option<S<f64>>,
    pub dimension: Option<S<String>>,
    pub important: Option<bool>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// `questionnaire/question` ids this question resembles but does not repeat.
    #[serde(default)]
    pub distinct_from: Vec<S<String>>,
    /// The data objects an engagement question asks about, when it asks about some only.
    #[serde(default)]
    pub objects: Vec<S<String>>,
    /// The capabilities an engagement question asks about, when it asks about some only.
    #[serde(default)]
    pub capabilities: Vec<S<String>>,
    pub show_if: Option<S<RawCondition>>,
    pub options: Option<S<Vec<S<RawOption>>>>,
    pub multi_score: Option<S<String>>,
    pub min: Option<S<f64>>,
    pub max: Option<S<f64>>,
    pub unit: Option<String>,
    pub min_label: Option<String>,
    pub max_label: Option<String>,
    pub thresholds: Option<S<Vec<S<RawThreshold>>>>,
}

#[derive(Debug, Deserialize)]
pub struct RawOption {
    pub id: Option<S<String>>,
    pub label: Option<S<String>>,
    pub help: Option<String>,
    pub score: Option<S<f64>>,
    #[serde(default)]
    pub raises: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
pub struct RawThreshold {
    pub upto: Option<S<f64>>,
    pub score: Option<S<f64>>,
    #[serde(default)]
    pub raises: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
pub struct RawFinding {
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub horizon: Option<S<String>>,
    pub impact: Option<S<i64>>,
    pub risk: Option<S<i64>>,
    pub effort: Option<S<i64>>,
    #[serde(default)]
    pub objects: Vec<S<String>>,
    #[serde(default)]
    pub depends_on: Vec<S<String>>,
    pub recommendation: Option<S<String>>,
    pub detail: Option<String>,
    pub decision: Option<S<String>>,
    pub stake: Option<S<String>>,
    pub per: Option<S<String>>,
    /// Why this finding's decision differs from another finding raised by the same option or
    /// analysis (silences `stackmap check`'s remedy-pair warning).
    pub apart: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// The capabilities it is about, for a group made per capability.
    #[serde(default)]
    pub capabilities: Vec<S<String>>,
    /// The title of the decision its group makes, when no one member's title says it all.
    pub decision_title: Option<S<String>>,
    /// Decision ids its group was known by before content regrouped it.
    #[serde(default)]
    pub was: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct RawRule {
    pub id: Option<S<String>>,
    pub title: Option<String>,
    pub when: Option<S<RawCondition>>,
    #[serde(default)]
    pub raises: Vec<S<String>>,
}

/// `[[infer]]`: when `when` holds for a subject, `question` is answered `value`, marked
/// inferred, until a person answers it.
#[derive(Debug, Deserialize)]
pub struct RawInfer {
    pub id: Option<S<String>>,
    pub question: Option<S<String>>,
    pub when: Option<S<RawCondition>>,
    pub value: Option<S<toml::Value>>,
    pub because: Option<String>,
}

/// A condition, written as TOML structure. Exactly one "head" may be set: a combinator
/// (`all`, `any`, `not`), an answer test (`question`), an inventory test (`has_system`,
/// `subject`, `object`) or `scenario`. Validation enforces that.
#[derive(Debug, Default, Deserialize)]
pub struct RawCondition {
    pub all: Option<Vec<S<RawCondition>>>,
    pub any: Option<Vec<S<RawCondition>>>,
    pub not: Option<Box<S<RawCondition>>>,

    pub question: Option<S<String>>,
    pub questionnaire: Option<S<String>>,
    pub is: Option<S<StrList>>,
    pub answered: Option<S<bool>>,
    pub unknown: Option<S<bool>>,
    pub na: Option<S<bool>>,
    pub at_least: Option<S<f64>>,
    pub below: Option<S<f64>>,

    pub has_system: Option<S<RawSystemFilter>>,
    pub has_flow: Option<S<RawFlowFilter>>,
    pub subject: Option<S<RawSubjectFilter>>,

    pub object: Option<S<String>>,
    pub owner_missing: Option<S<bool>>,
    pub owner_category: Option<S<StrList>>,
    pub owner_retiring: Option<S<bool>>,
    pub writers_at_least: Option<S<i64>>,
    pub moving: Option<S<bool>>,

    pub scenario: Option<S<StrList>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawSystemFilter {
    pub category: Option<S<StrList>>,
    pub status: Option<S<StrList>>,
    pub capability: Option<S<StrList>>,
    pub at_least: Option<S<i64>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawSubjectFilter {
    // systems
    pub category: Option<S<StrList>>,
    pub status: Option<S<StrList>>,
    pub capability: Option<S<StrList>>,
    // flows
    pub mechanism: Option<S<StrList>>,
    pub mode: Option<S<StrList>>,
    pub checkout: Option<S<bool>>,
    pub objects: Option<S<StrList>>,
    pub touches: Option<S<StrList>>,
    /// Steps and duties the flow states absent.
    pub none: Option<S<StrList>>,
}

/// `has_flow`: at least `at_least` flows of the inventory match.
#[derive(Debug, Default, Deserialize)]
pub struct RawFlowFilter {
    pub mechanism: Option<S<StrList>>,
    pub mode: Option<S<StrList>>,
    pub checkout: Option<S<bool>>,
    pub objects: Option<S<StrList>>,
    pub touches: Option<S<StrList>>,
    pub none: Option<S<StrList>>,
    /// Only flows that start, end or run through the system the question is asked about.
    pub with_subject: Option<S<bool>>,
    /// `at_least` counts the distinct systems the matching flows call, not the flows.
    pub count_callees: Option<S<bool>>,
    pub at_least: Option<S<i64>>,
}

// ---------------------------------------------------------------------------------------
// Profile

#[derive(Debug, Deserialize)]
pub struct RawProfile {
    pub schema: Option<S<i64>>,
    pub kind: Option<S<String>>,
    pub id: Option<S<String>>,
    pub title: Option<S<String>>,
    pub description: Option<S<String>>,
    #[serde(default)]
    pub scenarios: Vec<S<String>>,
    #[serde(default)]
    pub questionnaires: Vec<S<RawInclude>>,
    #[serde(default)]
    pub weights: BTreeMap<String, S<f64>>,
    #[serde(default)]
    pub boosts: BTreeMap<String, S<f64>>,
    pub slice_budget: Option<S<i64>>,
    pub min_coverage: Option<S<f64>>,
}

#[derive(Debug, Deserialize)]
pub struct RawInclude {
    pub id: Option<S<String>>,
    pub sections: Option<Vec<S<String>>>,
    pub questions: Option<Vec<S<String>>>,
}

// ---------------------------------------------------------------------------------------
// Assessment

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawAssessment {
    pub schema: Option<S<i64>>,
    pub kind: Option<S<String>>,
    pub engagement: Option<S<RawEngagement>>,
    #[serde(default, rename = "system")]
    pub systems: Vec<S<RawSystem>>,
    #[serde(default, rename = "flow")]
    pub flows: Vec<S<RawFlow>>,
    #[serde(default)]
    pub ownership: BTreeMap<String, S<RawOwnership>>,
    #[serde(default, rename = "answer")]
    pub answers: Vec<S<RawAnswer>>,
    #[serde(default, rename = "decision")]
    pub decisions: Vec<S<RawDecision>>,
    #[serde(default, rename = "respondent")]
    pub respondents: Vec<S<RawRespondent>>,
    #[serde(default, rename = "conflict")]
    pub conflicts: Vec<S<RawConflict>>,
}

/// `[[respondent]]`: one person interviewed.
#[derive(Debug, PartialEq, Deserialize)]
pub struct RawRespondent {
    pub id: Option<S<String>>,
    pub name: Option<S<String>>,
    pub role: Option<String>,
    pub team: Option<String>,
}

/// `[[conflict]]`: a fact two merged files disagree on.
#[derive(Debug, PartialEq, Deserialize)]
pub struct RawConflict {
    pub id: Option<S<String>>,
    pub what: Option<String>,
    pub about: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawEngagement {
    pub client: Option<S<String>>,
    pub title: Option<S<String>>,
    /// One profile id, or several (`profile = ["marketplace-launch", "replatforming"]`).
    pub profile: Option<S<StrList>>,
    pub assessor: Option<String>,
    pub created: Option<S<toml::value::Datetime>>,
    pub updated: Option<S<toml::value::Datetime>>,
    pub summary: Option<String>,
    #[serde(default)]
    pub pain_points: Vec<S<RawNote>>,
    #[serde(default)]
    pub initiatives: Vec<S<RawNote>>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawNote {
    pub id: Option<S<String>>,
    pub text: Option<S<String>>,
    #[serde(default)]
    pub systems: Vec<S<String>>,
    #[serde(default)]
    pub flows: Vec<S<String>>,
    #[serde(default)]
    pub objects: Vec<S<String>>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawSystem {
    pub id: Option<S<String>>,
    pub name: Option<S<String>>,
    pub vendor: Option<String>,
    pub category: Option<S<String>>,
    pub status: Option<S<String>>,
    pub team: Option<String>,
    #[serde(default)]
    pub capabilities: Vec<S<String>>,
    pub time: Option<S<String>>,
    pub notes: Option<String>,
    /// Schema 2.
    #[serde(default)]
    pub scopes: Vec<S<String>>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawFlow {
    pub id: Option<S<String>>,
    pub name: Option<String>,
    pub from: Option<S<String>>,
    pub to: Option<S<String>>,
    pub via: Option<S<String>>,
    #[serde(default)]
    pub objects: Vec<S<String>>,
    pub mechanism: Option<S<String>>,
    pub mode: Option<S<String>>,
    /// Schema 2.
    pub direction: Option<S<String>>,
    pub checkout: Option<bool>,
    pub source: Option<String>,
    pub contract: Option<String>,
    pub failure: Option<String>,
    pub owner: Option<String>,
    pub owners: Option<RawOwners>,
    /// Schema 2.
    pub none: Option<S<Vec<S<String>>>>,
    pub notes: Option<String>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub struct RawOwners {
    pub failures: Option<String>,
    pub retries: Option<String>,
    pub dashboards: Option<String>,
    pub runbook: Option<String>,
    pub release_handoff: Option<String>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawOwnership {
    pub owner: Option<S<String>>,
    pub target: Option<S<String>>,
    #[serde(default)]
    pub writers: Vec<S<String>>,
    #[serde(default)]
    pub readers: Vec<S<String>>,
    pub note: Option<String>,
    /// What each respondent said the owner is: respondent id → system id.
    pub said: Option<BTreeMap<String, S<String>>>,
    #[serde(rename = "final")]
    pub is_final: Option<S<bool>>,
    /// Schema 2: `[ownership.OBJECT.scope.LABEL]`, keyed by scope label.
    pub scope: Option<S<BTreeMap<String, S<RawScopedOwnership>>>>,
}

/// `[ownership.OBJECT.scope.LABEL]`: the keys of `[ownership.OBJECT]`, for one scope.
#[derive(Debug, PartialEq, Deserialize)]
pub struct RawScopedOwnership {
    pub owner: Option<S<String>>,
    pub target: Option<S<String>>,
    #[serde(default)]
    pub writers: Vec<S<String>>,
    #[serde(default)]
    pub readers: Vec<S<String>>,
    pub note: Option<String>,
    pub said: Option<BTreeMap<String, S<String>>>,
    #[serde(rename = "final")]
    pub is_final: Option<S<bool>>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawAnswer {
    pub questionnaire: Option<S<String>>,
    pub subject: Option<S<String>>,
    pub question: Option<S<String>>,
    pub value: Option<S<toml::Value>>,
    pub unknown: Option<S<bool>>,
    pub na: Option<S<bool>>,
    pub note: Option<String>,
    pub private: Option<bool>,
    #[serde(default)]
    pub evidence: Vec<String>,
    pub confidence: Option<S<String>>,
    pub by: Option<String>,
    pub at: Option<S<toml::value::Datetime>>,
    /// Read from the inventory by the `[[infer]]` rule `inferred_by`.
    pub inferred: Option<S<bool>>,
    pub inferred_by: Option<S<String>>,
    pub respondent: Option<S<String>>,
    #[serde(rename = "final")]
    pub is_final: Option<S<bool>>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub struct RawDecision {
    pub id: Option<S<String>>,
    pub status: Option<S<String>>,
    pub owner: Option<String>,
    pub note: Option<String>,
    pub priority: Option<S<f64>>,
    pub priority_reason: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Snapshot (shape reserved; the snapshot issue fills in the result and diffing)

#[derive(Debug, Deserialize)]
pub struct RawSnapshot {
    pub schema: Option<S<i64>>,
    pub kind: Option<S<String>>,
    pub label: Option<S<String>>,
    pub taken_at: Option<S<toml::value::Datetime>>,
    pub source: Option<String>,
    pub result: Option<RawResult>,
    pub assessment: Option<Box<S<RawAssessment>>>,
    #[serde(default)]
    pub content: Vec<S<RawSnapshotContent>>,
}

#[derive(Debug, Deserialize)]
pub struct RawResult {
    pub overall: Option<f64>,
    pub coverage: Option<f64>,
    pub answered: Option<u32>,
    pub applicable: Option<u32>,
}

#[derive(Debug, Deserialize)]
pub struct RawSnapshotContent {
    pub kind: Option<S<String>>,
    pub id: Option<S<String>>,
    pub source: Option<String>,
    pub text: Option<S<String>>,
}

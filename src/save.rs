//! Writing assessments: the canonical TOML text, and the atomic write that puts it on disk.
//!
//! The text is canonical — systems, flows and answers sorted, empty fields left out, one
//! field order — so that saving an unchanged assessment gives the same bytes and git diffs
//! of an assessment stay small. `to_toml` is pure; `write_atomic` is the only I/O, and it never
//! leaves a half-written file: it writes a temporary file in the same folder, fsyncs it and
//! renames it over the target (`atomic-write-file` does this and keeps permissions).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::load::SCHEMA;
use crate::model::*;

#[derive(Serialize)]
struct Out<'a> {
    schema: i64,
    kind: &'static str,
    engagement: EngagementOut<'a>,
    #[serde(rename = "system", skip_serializing_if = "Vec::is_empty")]
    systems: Vec<SystemOut<'a>>,
    #[serde(rename = "flow", skip_serializing_if = "Vec::is_empty")]
    flows: Vec<FlowOut<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    ownership: BTreeMap<&'static str, OwnershipOut<'a>>,
    #[serde(rename = "answer", skip_serializing_if = "Vec::is_empty")]
    answers: Vec<AnswerOut<'a>>,
    #[serde(rename = "decision", skip_serializing_if = "Vec::is_empty")]
    decisions: Vec<DecisionOut<'a>>,
}

fn empty(s: &&str) -> bool {
    s.is_empty()
}

fn dt(t: &Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<toml::value::Datetime> {
    t.as_ref().and_then(|t| {
        t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            .parse()
            .ok()
    })
}

#[derive(Serialize)]
struct EngagementOut<'a> {
    client: &'a str,
    title: &'a str,
    profile: &'a str,
    #[serde(skip_serializing_if = "empty")]
    assessor: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "empty")]
    summary: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pain_points: Vec<NoteOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    initiatives: Vec<NoteOut<'a>>,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    id: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    systems: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    flows: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    objects: Vec<&'static str>,
}

impl<'a> NoteOut<'a> {
    fn from(n: &'a Note) -> Self {
        NoteOut {
            id: &n.id,
            text: &n.text,
            systems: &n.systems,
            flows: &n.flows,
            objects: n.objects.iter().map(|o| o.as_str()).collect(),
        }
    }
}

#[derive(Serialize)]
struct SystemOut<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "empty")]
    vendor: &'a str,
    category: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "empty")]
    team: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    capabilities: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<&'static str>,
    #[serde(skip_serializing_if = "empty")]
    notes: &'a str,
}

#[derive(Serialize)]
struct FlowOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "empty")]
    name: &'a str,
    from: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    objects: Vec<&'static str>,
    mechanism: &'static str,
    mode: &'static str,
    checkout: bool,
    #[serde(skip_serializing_if = "empty")]
    source: &'a str,
    #[serde(skip_serializing_if = "empty")]
    contract: &'a str,
    #[serde(skip_serializing_if = "empty")]
    failure: &'a str,
    #[serde(skip_serializing_if = "empty")]
    owner: &'a str,
    #[serde(skip_serializing_if = "empty")]
    notes: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owners: Option<OwnersOut<'a>>,
}

#[derive(Serialize)]
struct OwnersOut<'a> {
    #[serde(skip_serializing_if = "empty")]
    failures: &'a str,
    #[serde(skip_serializing_if = "empty")]
    retries: &'a str,
    #[serde(skip_serializing_if = "empty")]
    dashboards: &'a str,
    #[serde(skip_serializing_if = "empty")]
    runbook: &'a str,
    #[serde(skip_serializing_if = "empty")]
    release_handoff: &'a str,
}

#[derive(Serialize)]
struct OwnershipOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    writers: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    readers: &'a [String],
    #[serde(skip_serializing_if = "empty")]
    note: &'a str,
}

#[derive(Serialize)]
struct AnswerOut<'a> {
    questionnaire: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    question: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<toml::Value>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unknown: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    na: bool,
    #[serde(skip_serializing_if = "empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    private: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    evidence: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<&'static str>,
    #[serde(skip_serializing_if = "empty")]
    by: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<toml::value::Datetime>,
}

#[derive(Serialize)]
struct DecisionOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "empty")]
    owner: &'a str,
    #[serde(skip_serializing_if = "empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<toml::Value>,
    #[serde(skip_serializing_if = "empty")]
    priority_reason: &'a str,
}

/// A number as TOML writes it best: whole numbers as integers, the rest as floats.
fn number(x: f64) -> toml::Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        toml::Value::Integer(x as i64)
    } else {
        toml::Value::Float(x)
    }
}

fn value(v: &Value) -> toml::Value {
    match v {
        Value::Choice(s) | Value::Text(s) | Value::System(s) => toml::Value::String(s.clone()),
        Value::Choices(list) => {
            toml::Value::Array(list.iter().cloned().map(toml::Value::String).collect())
        }
        Value::Number(x) => number(*x),
    }
}

/// The canonical text of an assessment. Sorts a copy; the caller's order is untouched.
pub fn to_toml(a: &Assessment) -> String {
    let mut a = a.clone();
    a.canonicalise();
    let e = &a.engagement;
    let out = Out {
        schema: SCHEMA,
        kind: "assessment",
        engagement: EngagementOut {
            client: &e.client,
            title: &e.title,
            profile: &e.profile,
            assessor: &e.assessor,
            created: dt(&e.created),
            updated: dt(&e.updated),
            summary: &e.summary,
            pain_points: e.pain_points.iter().map(NoteOut::from).collect(),
            initiatives: e.initiatives.iter().map(NoteOut::from).collect(),
        },
        systems: a
            .systems
            .iter()
            .map(|s| SystemOut {
                id: &s.id,
                name: &s.name,
                vendor: &s.vendor,
                category: s.category.as_str(),
                status: s.status.as_str(),
                team: &s.team,
                capabilities: s.capabilities.iter().map(|c| c.as_str()).collect(),
                time: s.time.map(|t| t.as_str()),
                notes: &s.notes,
            })
            .collect(),
        flows: a
            .flows
            .iter()
            .map(|f| FlowOut {
                id: &f.id,
                name: &f.name,
                from: &f.from,
                to: &f.to,
                via: f.via.as_deref(),
                objects: f.objects.iter().map(|o| o.as_str()).collect(),
                mechanism: f.mechanism.as_str(),
                mode: f.mode.as_str(),
                checkout: f.checkout,
                source: &f.source,
                contract: &f.contract,
                failure: &f.failure,
                owner: &f.owner,
                notes: &f.notes,
                owners: (!f.owners.is_empty()).then_some(OwnersOut {
                    failures: &f.owners.failures,
                    retries: &f.owners.retries,
                    dashboards: &f.owners.dashboards,
                    runbook: &f.owners.runbook,
                    release_handoff: &f.owners.release_handoff,
                }),
            })
            .collect(),
        ownership: a
            .ownership
            .iter()
            .map(|(k, o)| {
                (
                    k.as_str(),
                    OwnershipOut {
                        owner: o.owner.as_deref(),
                        target: o.target.as_deref(),
                        writers: &o.writers,
                        readers: &o.readers,
                        note: &o.note,
                    },
                )
            })
            .collect(),
        answers: a
            .answers
            .iter()
            .map(|x| AnswerOut {
                questionnaire: &x.questionnaire,
                subject: x.subject.as_deref(),
                question: &x.question,
                value: match &x.state {
                    AnswerState::Value(v) => Some(value(v)),
                    _ => None,
                },
                unknown: x.state == AnswerState::Unknown,
                na: x.state == AnswerState::NotApplicable,
                note: &x.note,
                private: x.private,
                evidence: &x.evidence,
                confidence: x.confidence.map(|c| c.as_str()),
                by: &x.by,
                at: dt(&x.at),
            })
            .collect(),
        decisions: a
            .decisions
            .iter()
            .map(|d| DecisionOut {
                id: &d.id,
                status: d.status.map(|s| s.as_str()),
                owner: &d.owner,
                note: &d.note,
                priority: d.priority.map(number),
                priority_reason: &d.priority_reason,
            })
            .collect(),
    };
    // Serialising these plain structs cannot fail: every map key is a string and every
    // number is finite (validation refused the rest).
    toml::to_string_pretty(&out).unwrap_or_else(|e| format!("# serialisation failed: {e}\n"))
}

/// Writes `text` to `path` atomically: readers see the old file or the new one, never a mix,
/// and a crash leaves the old file intact.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = atomic_write_file::AtomicWriteFile::options().open(path)?;
    f.write_all(text.as_bytes())?;
    f.commit()
}

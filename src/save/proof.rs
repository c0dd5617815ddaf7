//! What the canonical text of an assessment parses to, built from the model without writing
//! or parsing the text: `raw_of(a)` is the `RawAssessment` that parsing `to_toml(a)` gives,
//! field for field (spans aside, which only place diagnostics).
//!
//! A save proves its text loads before it writes it. Loading is two phases: the TOML parse
//! (text → raw) and validation (raw → model). For canonical text the first phase is already
//! known — `to_toml` is a faithful writer, held to it by the round-trip property tests — so
//! validating `raw_of(a)` gives the load's verdict without the parse, which costs as much as
//! reading the file again (a large engagement: ~180 ms; its validation: ~30 ms).
//!
//! `raw_of` answers only where that equivalence is proven; anything outside it (a number that
//! is not finite, a date-time the writer cannot write exactly, a text over the size limit)
//! gives `None`, and the caller parses the text as before. `tests/proof.rs` checks
//! `raw_of(a) == parse(to_toml(a))` for arbitrary models, valid and broken, and that both give
//! the same verdict.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::value::{Date, Datetime, Offset, Time};

use crate::load::{MAX_FILE_BYTES, SCHEMA};
use crate::model::*;
use crate::raw::*;
use crate::save::{answers_in_order, sorted};
use crate::vocab::Duty;

fn s<T>(v: T) -> S<T> {
    Spanned::new(0..0, v)
}

/// `w.str`: written, and so present, only when not empty.
fn opt(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

fn some_s(v: &str) -> Option<S<String>> {
    Some(s(v.to_string()))
}

fn list<T: AsRef<str>>(v: &[T]) -> Vec<S<String>> {
    v.iter().map(|x| s(x.as_ref().to_string())).collect()
}

/// The value `save::number` writes, as TOML reads it back: a whole number as an integer.
fn number(x: f64) -> Option<toml::Value> {
    if !x.is_finite() {
        return None;
    }
    Some(if x.fract() == 0.0 && x.abs() < 9.0e15 {
        toml::Value::Integer(x as i64)
    } else {
        toml::Value::Float(x)
    })
}

/// The date-time `to_rfc3339_opts(AutoSi, true)` writes, as TOML reads it back. `None` where
/// the text would not say exactly this (a leap second, an offset with seconds, a year outside
/// 0–9999): those are left to the parse.
fn datetime(t: &chrono::DateTime<chrono::FixedOffset>) -> Option<Datetime> {
    use chrono::{Datelike, Timelike};
    let offset = t.offset().local_minus_utc();
    let nanos = t.nanosecond();
    if offset % 60 != 0 || nanos >= 1_000_000_000 || !(0..=9999).contains(&t.year()) {
        return None;
    }
    Some(Datetime {
        date: Some(Date {
            year: t.year() as u16,
            month: t.month() as u8,
            day: t.day() as u8,
        }),
        time: Some(Time {
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: Some(t.second() as u8),
            nanosecond: (nanos != 0).then_some(nanos),
        }),
        offset: Some(if offset == 0 {
            Offset::Z
        } else {
            Offset::Custom {
                minutes: (offset / 60) as i16,
            }
        }),
    })
}

fn time(t: &Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<Option<S<Datetime>>> {
    match t {
        None => Some(None),
        Some(t) => Some(Some(s(datetime(t)?))),
    }
}

/// The `RawAssessment` that parsing `crate::save::to_toml(a)` (`text_len` bytes) gives, or
/// `None` where that is not proven (see the module).
pub fn raw_of(a: &Assessment, text_len: usize) -> Option<RawAssessment> {
    if text_len > MAX_FILE_BYTES {
        return None;
    }
    let e = &a.engagement;
    let note = |n: &Note| {
        s(RawNote {
            id: some_s(&n.id),
            text: some_s(&n.text),
            systems: list(&n.systems),
            flows: list(&n.flows),
            objects: n
                .objects
                .iter()
                .map(|o| s(o.as_str().to_string()))
                .collect(),
        })
    };
    let profile = if e.profile.contains(PROFILE_JOIN) {
        StrList(e.profiles().iter().map(|p| p.to_string()).collect())
    } else {
        StrList(vec![e.profile.clone()])
    };
    let engagement = RawEngagement {
        client: some_s(&e.client),
        title: some_s(&e.title),
        profile: Some(s(profile)),
        assessor: opt(&e.assessor),
        created: time(&e.created)?,
        updated: time(&e.updated)?,
        summary: opt(&e.summary),
        pain_points: e.pain_points.iter().map(note).collect(),
        initiatives: e.initiatives.iter().map(note).collect(),
    };
    let respondents = sorted(&a.respondents, |r| r.id.as_str())
        .into_iter()
        .map(|r| {
            s(RawRespondent {
                id: some_s(&r.id),
                name: some_s(&r.name),
                role: opt(&r.role),
                team: opt(&r.team),
            })
        })
        .collect();
    let systems = sorted(&a.systems, |x| x.id.as_str())
        .into_iter()
        .map(|x| {
            s(RawSystem {
                id: some_s(&x.id),
                name: some_s(&x.name),
                vendor: opt(&x.vendor),
                category: some_s(x.category.as_str()),
                status: some_s(x.status.as_str()),
                team: opt(&x.team),
                capabilities: x
                    .capabilities
                    .iter()
                    .map(|c| s(c.as_str().to_string()))
                    .collect(),
                time: x.time.map(|t| s(t.as_str().to_string())),
                notes: opt(&x.notes),
                scopes: list(&x.scopes),
            })
        })
        .collect();
    let flows = sorted(&a.flows, |f| f.id.as_str())
        .into_iter()
        .map(|f| {
            let owners = (!f.owners.is_empty()).then(|| {
                let mut o = RawOwners::default();
                for d in Duty::ALL {
                    let v = opt(f.owners.get(*d));
                    match d {
                        Duty::Failures => o.failures = v,
                        Duty::Retries => o.retries = v,
                        Duty::Dashboards => o.dashboards = v,
                        Duty::Runbook => o.runbook = v,
                        Duty::ReleaseHandoff => o.release_handoff = v,
                    }
                }
                o
            });
            s(RawFlow {
                id: some_s(&f.id),
                name: opt(&f.name),
                from: some_s(&f.from),
                to: some_s(&f.to),
                via: f.via.as_deref().map(|v| s(v.to_string())),
                objects: f
                    .objects
                    .iter()
                    .map(|o| s(o.as_str().to_string()))
                    .collect(),
                mechanism: some_s(f.mechanism.as_str()),
                mode: some_s(f.mode.as_str()),
                direction: some_s(f.direction.as_str()),
                checkout: Some(f.checkout),
                source: opt(&f.source),
                contract: opt(&f.contract),
                failure: opt(&f.failure),
                owner: opt(&f.owner),
                owners,
                none: (!f.none.is_empty())
                    .then(|| s(f.none.iter().map(|p| s(p.as_str().to_string())).collect())),
                notes: opt(&f.notes),
            })
        })
        .collect();
    let said = |o: &Ownership| {
        (!o.said.is_empty()).then(|| {
            o.said
                .iter()
                .map(|(who, system)| (who.clone(), s(system.clone())))
                .collect::<BTreeMap<_, _>>()
        })
    };
    let ownership = a
        .ownership
        .iter()
        .map(|(object, o)| {
            let scope = (!o.scopes.is_empty()).then(|| {
                s(o.scopes
                    .iter()
                    .map(|(label, x)| {
                        (
                            label.clone(),
                            s(RawScopedOwnership {
                                owner: x.owner.as_deref().map(|v| s(v.to_string())),
                                target: x.target.as_deref().map(|v| s(v.to_string())),
                                writers: list(&x.writers),
                                readers: list(&x.readers),
                                note: opt(&x.note),
                                said: said(x),
                                is_final: x.is_final.then(|| s(true)),
                            }),
                        )
                    })
                    .collect())
            });
            (
                object.as_str().to_string(),
                s(RawOwnership {
                    owner: o.owner.as_deref().map(|v| s(v.to_string())),
                    target: o.target.as_deref().map(|v| s(v.to_string())),
                    writers: list(&o.writers),
                    readers: list(&o.readers),
                    note: opt(&o.note),
                    said: said(o),
                    is_final: o.is_final.then(|| s(true)),
                    scope,
                }),
            )
        })
        .collect();
    let mut answers = Vec::with_capacity(a.answers.len());
    for x in answers_in_order(&a.answers) {
        let (mut value, mut unknown, mut na) = (None, None, None);
        match &x.state {
            AnswerState::Value(Value::Choice(v) | Value::Text(v) | Value::System(v)) => {
                value = Some(s(toml::Value::String(v.clone())))
            }
            AnswerState::Value(Value::Choices(list)) => {
                value = Some(s(toml::Value::Array(
                    list.iter()
                        .map(|v| toml::Value::String(v.clone()))
                        .collect(),
                )))
            }
            AnswerState::Value(Value::Number(n)) => value = Some(s(number(*n)?)),
            AnswerState::Unknown => unknown = Some(s(true)),
            AnswerState::NotApplicable => na = Some(s(true)),
            AnswerState::Open => {}
        }
        answers.push(s(RawAnswer {
            questionnaire: some_s(&x.questionnaire),
            subject: x.subject.as_deref().map(|v| s(v.to_string())),
            question: some_s(&x.question),
            value,
            unknown,
            na,
            note: opt(&x.note),
            private: x.private.then_some(true),
            evidence: x.evidence.clone(),
            confidence: x.confidence.map(|c| s(c.as_str().to_string())),
            by: opt(&x.by),
            at: time(&x.at)?,
            inferred: x.inferred_by.as_ref().map(|_| s(true)),
            inferred_by: x.inferred_by.as_deref().map(|v| s(v.to_string())),
            respondent: x.respondent.as_deref().map(|v| s(v.to_string())),
            is_final: x.is_final.then(|| s(true)),
        }));
    }
    let mut decisions = Vec::with_capacity(a.decisions.len());
    for d in sorted(&a.decisions, |d| d.id.as_str()) {
        let priority = match d.priority {
            None => None,
            Some(p) => Some(s(match number(p)? {
                toml::Value::Integer(i) => i as f64,
                _ => p,
            })),
        };
        decisions.push(s(RawDecision {
            id: some_s(&d.id),
            status: d.status.map(|x| s(x.as_str().to_string())),
            owner: opt(&d.owner),
            note: opt(&d.note),
            priority,
            priority_reason: opt(&d.priority_reason),
        }));
    }
    let conflicts = sorted(&a.conflicts, |c| c.id.as_str())
        .into_iter()
        .map(|c| {
            s(RawConflict {
                id: some_s(&c.id),
                what: opt(&c.what),
                about: opt(&c.about),
                ours: opt(&c.ours),
                theirs: opt(&c.theirs),
            })
        })
        .collect();
    Some(RawAssessment {
        schema: Some(s(SCHEMA)),
        kind: some_s("assessment"),
        engagement: Some(s(engagement)),
        systems,
        flows,
        ownership,
        answers,
        decisions,
        respondents,
        conflicts,
    })
}

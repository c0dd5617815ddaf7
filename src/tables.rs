//! The tables that screens and reports both show, derived from one assessment and its
//! evaluation: flow health (the four steps of every flow), vendor fit and coupling per system,
//! the overlap of capabilities across the running stack, fan-in / fan-out hot spots and the
//! source-of-truth rows with the findings each raises. Pure; the terminal UI and the reports
//! call the same functions, so a number on the screen is the number in the report.

use std::collections::HashMap;

use crate::engine::{Evaluation, FindingResult, SubjectKind};
use crate::model::{Assessment, Flow, Ownership, System};
use crate::vocab::{Capability, Category, DataObject, Dimension, FlowPart, Scope, SystemStatus};

/// An assessed step whose questions score below this is weak.
pub const WEAK_BELOW: f64 = 70.0;

/// The four steps of every flow, in order, as the flow questionnaire's section ids.
pub const STEPS: [&str; 4] = ["source", "contract", "failure", "owner"];

/// One step of one flow: what is known about it, never "ok" from free text alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// Nothing written down and nothing answered yet: an open question, not a fact.
    NotCaptured,
    /// Stated absent (`none`, or typed as none / nobody / n/a / -): a gap.
    None,
    /// The inventory names it, but no question about it is answered yet.
    Stated,
    /// Scored from answered questions (0–100).
    Assessed(f64),
}

impl Step {
    /// `not captured`, `none`, `stated` or `assessed (80)`.
    pub fn label(&self) -> String {
        match self {
            Step::NotCaptured => "not captured".into(),
            Step::None => "none".into(),
            Step::Stated => "stated".into(),
            Step::Assessed(x) => format!("assessed ({x:.0})"),
        }
    }

    /// The label in at most 12 characters, for table columns: `assessed 80`.
    pub fn short(&self) -> String {
        match self {
            Step::Assessed(x) => format!("assessed {x:.0}"),
            other => other.label(),
        }
    }

    /// Assessed, and scoring below [`WEAK_BELOW`].
    pub fn is_weak(&self) -> bool {
        matches!(self, Step::Assessed(x) if *x < WEAK_BELOW)
    }
}

#[derive(Debug, Clone)]
pub struct FlowHealth<'a> {
    pub flow: &'a Flow,
    /// In the order of `STEPS`.
    pub steps: [Step; 4],
}

/// Every flow's four steps, in the assessment's flow order.
pub fn flow_health<'a>(a: &'a Assessment, e: &Evaluation) -> Vec<FlowHealth<'a>> {
    let runs: HashMap<&str, &crate::engine::SubjectRun> = e
        .questionnaires
        .iter()
        .filter(|q| q.scope == Scope::Flow)
        .flat_map(|q| q.subjects.iter())
        .filter_map(|s| Some((s.subject.as_deref()?, s)))
        .fold(HashMap::new(), |mut m, (k, v)| {
            // The first flow questionnaire's run, as in the questionnaires' order.
            m.entry(k).or_insert(v);
            m
        });
    a.flows
        .iter()
        .map(|f| {
            let run = runs.get(f.id.as_str());
            let steps = std::array::from_fn(|i| {
                let part = FlowPart::STEPS[i];
                if f.is_none(part) {
                    return Step::None;
                }
                let score = run
                    .and_then(|r| r.sections.iter().find(|x| x.id == STEPS[i]))
                    .and_then(|x| x.score.score);
                match score {
                    Some(x) => Step::Assessed(x),
                    None if f.is_stated(part) => Step::Stated,
                    None => Step::NotCaptured,
                }
            });
            FlowHealth { flow: f, steps }
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct SystemHeat<'a> {
    pub system: &'a System,
    /// `None` where no question of the dimension is asked of the system; a score withheld
    /// below the profile's `min_coverage` is `Some` with `score: None` and `short`.
    pub vendor_fit: Option<&'a crate::engine::Score>,
    pub coupling: Option<&'a crate::engine::Score>,
    /// Findings raised about the system.
    pub findings: usize,
}

/// Vendor fit, coupling and the findings raised, per system, in the assessment's order.
pub fn system_heat<'a>(a: &'a Assessment, e: &'a Evaluation) -> Vec<SystemHeat<'a>> {
    let scores: HashMap<&str, &crate::engine::SubjectScore> = e
        .subjects
        .iter()
        .filter(|x| x.kind == SubjectKind::System)
        .map(|x| (x.id.as_str(), x))
        .collect();
    let mut raised: HashMap<&str, usize> = HashMap::new();
    for f in &e.findings {
        for s in f.subjects.iter().filter(|s| s.kind == SubjectKind::System) {
            *raised.entry(s.id.as_str()).or_default() += 1;
        }
    }
    a.systems
        .iter()
        .map(|s| {
            let dim = |d: Dimension| {
                scores
                    .get(s.id.as_str())
                    .and_then(|x| x.dimensions.iter().find(|y| y.id == d))
                    .map(|y| &y.score)
            };
            SystemHeat {
                system: s,
                vendor_fit: dim(Dimension::VendorFit),
                coupling: dim(Dimension::Coupling),
                findings: raised.get(s.id.as_str()).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// Capabilities × the running systems (candidates do not count: they hold nothing yet).
#[derive(Debug, Clone)]
pub struct Overlap<'a> {
    pub systems: Vec<&'a System>,
    /// Each capability held by at least one running system, with who holds it (in the order
    /// of `systems`).
    pub rows: Vec<(Capability, Vec<bool>)>,
}

impl Overlap<'_> {
    /// How many running systems hold row `i`'s capability; two or more is an overlap.
    pub fn holders(&self, i: usize) -> usize {
        self.rows[i].1.iter().filter(|x| **x).count()
    }
}

pub fn overlap(a: &Assessment) -> Overlap<'_> {
    let systems: Vec<&System> = a
        .systems
        .iter()
        .filter(|s| s.status != SystemStatus::Candidate)
        .collect();
    let rows = Capability::ALL
        .iter()
        .map(|&c| {
            (
                c,
                systems
                    .iter()
                    .map(|s| s.capabilities.contains(&c))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, held)| held.iter().any(|x| *x))
        .collect();
    Overlap { systems, rows }
}

#[derive(Debug, Clone)]
pub struct HotSpot<'a> {
    pub system: &'a System,
    pub fan_in: usize,
    pub fan_out: usize,
    /// At or over the engine's threshold, and not a hub (hubs are meant to be central).
    pub hot: bool,
}

/// Flows in and out of each running system, busiest first (ties by id), counting the
/// flows among running systems as the coupling analysis does.
pub fn hot_spots(a: &Assessment) -> Vec<HotSpot<'_>> {
    let by_id: HashMap<&str, &System> = a.systems.iter().map(|s| (s.id.as_str(), s)).collect();
    let running = |id: &str| {
        by_id
            .get(id)
            .is_some_and(|s| s.status != SystemStatus::Candidate)
    };
    let flows: Vec<&Flow> = a
        .flows
        .iter()
        .filter(|f| running(&f.from) && running(&f.to) && f.via.as_deref().is_none_or(running))
        .collect();
    let fan = crate::engine::analyses::fan(&flows);
    let mut out: Vec<HotSpot> = fan
        .into_iter()
        .filter_map(|(id, (fan_in, fan_out))| {
            let system = *by_id.get(id)?;
            let hub = system.category == Category::Ipaas;
            let limit = crate::engine::analyses::HOTSPOT_FLOWS;
            Some(HotSpot {
                system,
                fan_in,
                fan_out,
                hot: !hub && (fan_in >= limit || fan_out >= limit),
            })
        })
        .collect();
    out.sort_by(|x, y| {
        (y.fan_in + y.fan_out)
            .cmp(&(x.fan_in + x.fan_out))
            .then_with(|| x.system.id.cmp(&y.system.id))
    });
    out
}

/// One data object of the source-of-truth map, with the findings raised about it.
#[derive(Debug, Clone)]
pub struct ObjectRow<'a> {
    pub object: DataObject,
    /// `None` when the map has no entry for the object at all.
    pub ownership: Option<&'a Ownership>,
    pub findings: Vec<&'a FindingResult>,
}

/// Every data object (those the map records and those it does not), with its conflicts.
pub fn ownership_rows<'a>(a: &'a Assessment, e: &'a Evaluation) -> Vec<ObjectRow<'a>> {
    DataObject::ALL
        .iter()
        .map(|&object| ObjectRow {
            object,
            ownership: a.ownership.get(&object),
            findings: e
                .findings
                .iter()
                .filter(|f| {
                    f.subjects
                        .iter()
                        .any(|s| s.kind == SubjectKind::Object && s.id == object.as_str())
                })
                .collect(),
        })
        .collect()
}

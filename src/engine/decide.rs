//! From raised findings to the decision list and the roadmap.
//!
//! Findings that one piece of work resolves share a `decision` id and become one decision.
//! Its priority is a formula the report prints term by term:
//!
//! ```text
//! priority = impact × risk × boost × reach_factor ÷ effort
//! reach_factor = min(3, 1 + 0.25 × (reach − 1))
//! ```
//!
//! where impact, risk and effort are the largest among its findings, boost the profile's
//! largest boost for them, and reach the number of distinct subjects (flows, systems,
//! objects, capabilities) they were raised for. An assessor's manual priority replaces the
//! computed one and is shown as such, with its reason.
//!
//! Lanes: immediate fixes and architecture changes (a decision is an architecture change if
//! any of its findings is). Rank is the position within the lane: rejected decisions last,
//! then priority, then id.
//!
//! Roadmap: decisions (rejected ones left out) in dependency order, then priority, packed
//! first-fit into slices of at most `slice_budget` effort; a decision always lands in a later
//! slice than everything it depends on, so each slice can be validated before the next.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::model::{Assessment, Profile};

pub const FORMULA: &str = "impact × risk × boost × reach_factor ÷ effort";

/// Groups raises into one result per finding, ordered by id; within a finding, subjects and
/// reasons sorted and without duplicates. Grouping first keeps the sorts small.
pub fn findings(content: &Content, raises: Vec<Raise>) -> Vec<FindingResult> {
    let mut by: BTreeMap<String, Vec<(SubjectRef, Because)>> = BTreeMap::new();
    for r in raises {
        by.entry(r.finding)
            .or_default()
            .push((r.subject, r.because));
    }
    by.into_iter()
        .filter_map(|(id, mut list)| {
            let f = content.finding(&id)?;
            list.sort_unstable();
            list.dedup();
            let mut subjects: Vec<SubjectRef> = Vec::new();
            let mut because: Vec<Because> = Vec::with_capacity(list.len());
            for (s, b) in list {
                if subjects.last() != Some(&s) {
                    subjects.push(s);
                }
                because.push(b);
            }
            // One reason can stand behind a finding for several subjects (a rule, say).
            because.sort_unstable();
            because.dedup();
            Some(FindingResult {
                id: f.id.clone(),
                title: f.title.clone(),
                horizon: f.horizon,
                impact: f.impact,
                risk: f.risk,
                effort: f.effort,
                decision: f.decision_id().to_string(),
                subjects,
                because,
            })
        })
        .collect()
}

/// The union of sorted, duplicate-free lists, sorted and duplicate-free.
fn union<T: Ord + Clone>(lists: &[&[T]]) -> Vec<T> {
    if let [one] = lists {
        return one.to_vec();
    }
    let mut all: Vec<T> = lists.iter().flat_map(|l| l.iter().cloned()).collect();
    all.sort_unstable();
    all.dedup();
    all
}

fn reach_factor(reach: u32) -> f64 {
    (1.0 + 0.25 * (f64::from(reach.max(1)) - 1.0)).min(3.0)
}

pub fn decide(
    content: &Content,
    profile: &Profile,
    assessment: &Assessment,
    findings: &[FindingResult],
    slice_budget: u32,
) -> (Vec<Decision>, Vec<Slice>, Vec<String>) {
    let mut groups: BTreeMap<&str, Vec<&FindingResult>> = BTreeMap::new();
    for f in findings {
        groups.entry(&f.decision).or_default().push(f);
    }
    let decision_of: BTreeMap<&str, &str> = findings
        .iter()
        .map(|f| (f.id.as_str(), f.decision.as_str()))
        .collect();
    let mut decisions: Vec<Decision> = groups
        .iter()
        .map(|(id, members)| {
            let primary = members.iter().find(|f| f.id == *id).unwrap_or(&members[0]);
            let primary_def = content.finding(&primary.id);
            let horizon = if members.iter().any(|f| f.horizon == Horizon::Architecture) {
                Horizon::Architecture
            } else {
                Horizon::Immediate
            };
            let impact = members.iter().map(|f| f.impact).max().unwrap_or(1);
            let risk = members.iter().map(|f| f.risk).max().unwrap_or(1);
            let effort = members.iter().map(|f| f.effort).max().unwrap_or(1).max(1);
            let boost = members
                .iter()
                .filter_map(|f| {
                    profile
                        .boosts
                        .iter()
                        .find(|(r, _)| r.id == f.id)
                        .map(|(_, b)| *b)
                })
                .fold(None, |acc: Option<f64>, b| {
                    Some(acc.map_or(b, |a| a.max(b)))
                })
                .unwrap_or(1.0);
            let subjects: Vec<SubjectRef> = union(
                &members
                    .iter()
                    .map(|f| f.subjects.as_slice())
                    .collect::<Vec<_>>(),
            );
            let because: Vec<Because> = union(
                &members
                    .iter()
                    .map(|f| f.because.as_slice())
                    .collect::<Vec<_>>(),
            );
            let reach = u32::try_from(subjects.len()).unwrap_or(u32::MAX).max(1);
            let rf = reach_factor(reach);
            let computed =
                round1(f64::from(impact) * f64::from(risk) * boost * rf / f64::from(effort));
            let mut depends: BTreeSet<String> = BTreeSet::new();
            for f in members {
                for dep in content
                    .finding(&f.id)
                    .map(|d| d.depends_on.as_slice())
                    .unwrap_or(&[])
                {
                    if let Some(dd) = decision_of.get(dep.id.as_str())
                        && dd != id
                    {
                        depends.insert((*dd).to_string());
                    }
                }
            }
            let over = assessment.decisions.iter().find(|d| d.id == *id);
            let manual = over.and_then(|o| o.priority);
            let mut recommendation = primary_def
                .map(|d| d.recommendation.trim().to_string())
                .unwrap_or_default();
            for f in members.iter().filter(|f| f.id != primary.id) {
                if let Some(d) = content.finding(&f.id) {
                    let r = d.recommendation.trim();
                    if !r.is_empty() && !recommendation.contains(r) {
                        recommendation.push_str("\n\n");
                        recommendation.push_str(r);
                    }
                }
            }
            Decision {
                rank: 0,
                id: (*id).to_string(),
                title: primary.title.clone(),
                horizon,
                priority: manual.unwrap_or(computed),
                terms: Terms {
                    impact,
                    risk,
                    effort,
                    boost,
                    reach,
                    reach_factor: rf,
                    computed,
                    manual,
                    manual_reason: over.map(|o| o.priority_reason.clone()).unwrap_or_default(),
                    formula: FORMULA.to_string(),
                },
                findings: members.iter().map(|f| f.id.clone()).collect(),
                subjects,
                depends_on: depends.into_iter().collect(),
                because,
                recommendation,
                status: over.and_then(|o| o.status).unwrap_or(DecisionStatus::Open),
                owner: over.map(|o| o.owner.clone()).unwrap_or_default(),
                note: over.map(|o| o.note.clone()).unwrap_or_default(),
                overridden: over.is_some_and(|o| {
                    o.status.is_some() || o.priority.is_some() || !o.owner.is_empty()
                }),
                slice: None,
            }
        })
        .collect();

    // Lanes and ranks.
    decisions.sort_by(|a, b| {
        (a.horizon, a.status == DecisionStatus::Rejected)
            .cmp(&(b.horizon, b.status == DecisionStatus::Rejected))
            .then(b.priority.total_cmp(&a.priority))
            .then(a.id.cmp(&b.id))
    });
    let mut rank = 0;
    let mut lane = None;
    for d in &mut decisions {
        if lane != Some(d.horizon) {
            lane = Some(d.horizon);
            rank = 0;
        }
        rank += 1;
        d.rank = rank;
    }

    let (roadmap, warnings) = sequence(&mut decisions, slice_budget);
    (decisions, roadmap, warnings)
}

/// Orders decisions by dependency, then priority, and packs them into slices.
fn sequence(decisions: &mut [Decision], budget: u32) -> (Vec<Slice>, Vec<String>) {
    let index: BTreeMap<&str, usize> = decisions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.status != DecisionStatus::Rejected)
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    // Dependencies among decisions that are in the roadmap.
    // Rejected decisions have no place in the roadmap: no dependencies of their own, and none
    // of them hold anything back.
    let deps: Vec<Vec<usize>> = decisions
        .iter()
        .map(|d| {
            if d.status == DecisionStatus::Rejected {
                return Vec::new();
            }
            d.depends_on
                .iter()
                .filter_map(|x| index.get(x.as_str()).copied())
                .collect()
        })
        .collect();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); decisions.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
        }
    }
    // Ready set ordered by: deferred last, higher priority first, id.
    let key = |i: usize| {
        let d = &decisions[i];
        (
            d.status == DecisionStatus::Deferred,
            std::cmp::Reverse((d.priority * 10.0).round() as i64),
            d.id.clone(),
        )
    };
    let mut ready: BTreeSet<(bool, std::cmp::Reverse<i64>, String, usize)> = BTreeSet::new();
    for &i in index.values() {
        if waiting[i] == 0 {
            let (a, b, c) = key(i);
            ready.insert((a, b, c, i));
        }
    }
    let mut order = Vec::new();
    let mut done = vec![false; decisions.len()];
    while let Some(first) = ready.pop_first() {
        let i = first.3;
        done[i] = true;
        order.push(i);
        for &j in &dependents[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                let (a, b, c) = key(j);
                ready.insert((a, b, c, j));
            }
        }
    }
    let mut warnings = Vec::new();
    let mut stuck: Vec<usize> = index.values().copied().filter(|&i| !done[i]).collect();
    if !stuck.is_empty() {
        stuck.sort_by_key(|&i| key(i));
        let names: Vec<&str> = stuck.iter().map(|&i| decisions[i].id.as_str()).collect();
        warnings.push(format!(
            "decisions depend on each other in a cycle: {}; the roadmap orders them by priority after the rest",
            names.join(", ")
        ));
        order.extend(stuck);
    }

    let mut slice_of: Vec<Option<usize>> = vec![None; decisions.len()];
    let mut used: Vec<u32> = Vec::new();
    for &i in &order {
        let effort = u32::from(decisions[i].terms.effort);
        let min = deps[i]
            .iter()
            .filter_map(|&d| slice_of[d])
            .map(|s| s + 1)
            .max()
            .unwrap_or(0);
        let mut s = min;
        loop {
            if s >= used.len() {
                used.resize(s + 1, 0);
            }
            if used[s] == 0 || used[s] + effort <= budget {
                break;
            }
            s += 1;
        }
        used[s] += effort;
        slice_of[i] = Some(s);
    }
    let mut slices: Vec<Slice> = used
        .iter()
        .enumerate()
        .map(|(s, e)| Slice {
            slice: s as u32 + 1,
            decisions: Vec::new(),
            effort: *e,
        })
        .collect();
    for &i in &order {
        if let Some(s) = slice_of[i] {
            slices[s].decisions.push(decisions[i].id.clone());
            decisions[i].slice = Some(s as u32 + 1);
        }
    }
    (slices, warnings)
}

#[cfg(test)]
mod tests {
    use super::reach_factor;

    #[test]
    fn reach_grows_a_quarter_per_subject_up_to_three() {
        assert_eq!(reach_factor(1), 1.0);
        assert_eq!(reach_factor(5), 2.0);
        assert_eq!(reach_factor(100), 3.0);
        assert_eq!(reach_factor(0), 1.0);
    }
}

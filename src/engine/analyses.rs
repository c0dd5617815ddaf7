//! Inventory analyses: findings raised by the systems, flows and ownership map alone, with no
//! question asked. Their ids are `content::BUILTIN_FINDINGS`; their wording lives in content.
//!
//! The running stack is what exists today: existing and retiring systems, and flows between
//! them. Candidates and the flows that touch them are plans, so they raise no findings here;
//! the vendor comparison shows what they would add.
//!
//! Thresholds are named constants below so that the report can quote them.

use std::collections::{BTreeMap, BTreeSet};

use super::context::Ctx;
use super::*;
use crate::model::*;

/// A system with this many flows in (or out) of the running stack is a hot spot.
pub const HOTSPOT_FLOWS: usize = 5;
/// Point-to-point flows are a smell from this many on, when they outnumber hub flows.
pub const SPRAWL_FLOWS: usize = 6;
/// Availability assumed per synchronous call, to show what a chain costs.
pub const CALL_AVAILABILITY: f64 = 0.999;

fn raise(
    out: &mut Vec<Raise>,
    finding: &str,
    kind: SubjectKind,
    id: &str,
    reference: String,
    text: String,
) {
    out.push(Raise {
        finding: finding.to_string(),
        subject: SubjectRef {
            kind,
            id: id.to_string(),
        },
        because: Because {
            kind: BecauseKind::Inventory,
            reference: reference.into(),
            text: text.into(),
        },
    });
}

fn names(ctx: &Ctx<'_>, ids: &[&str]) -> String {
    ids.iter()
        .map(|id| ctx.system(id).map_or(id.to_string(), |s| s.name.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn analyse(ctx: &Ctx<'_>) -> Vec<Raise> {
    let mut out = Vec::new();
    let a = ctx.assessment;
    let flows: Vec<&Flow> = a
        .flows
        .iter()
        .filter(|f| {
            ctx.running(&f.from)
                && ctx.running(&f.to)
                && f.via.as_deref().is_none_or(|v| ctx.running(v))
        })
        .collect();
    ownership(ctx, &flows, &mut out);
    overlap(ctx, &mut out);
    coupling(ctx, &flows, &mut out);
    completeness(&flows, &mut out);
    out
}

fn ownership(ctx: &Ctx<'_>, flows: &[&Flow], out: &mut Vec<Raise>) {
    let a = ctx.assessment;
    // Objects in play: carried by a running flow, or given an ownership entry.
    let mut in_play: BTreeSet<DataObject> = a.ownership.keys().copied().collect();
    for f in flows {
        in_play.extend(f.objects.iter().copied());
    }
    for object in in_play {
        let o = object.as_str();
        let reference = format!("ownership.{o}");
        let own = a.ownership.get(&object);
        let owner = own.and_then(|x| x.owner.as_deref());
        match owner {
            None => raise(
                out,
                "no-source-of-truth",
                SubjectKind::Object,
                o,
                reference.clone(),
                format!("No system is named as the source of truth for {o}."),
            ),
            Some(id) => {
                if ctx
                    .system(id)
                    .is_some_and(|s| s.status == SystemStatus::Retiring)
                {
                    raise(
                        out,
                        "owner-retiring",
                        SubjectKind::Object,
                        o,
                        reference.clone(),
                        format!(
                            "The source of truth for {o} is {}, which is being retired.",
                            names(ctx, &[id])
                        ),
                    );
                }
            }
        }
        if let Some(own) = own {
            let writers: BTreeSet<&str> = own.writers.iter().map(String::as_str).collect();
            if writers.len() >= 2 {
                let list: Vec<&str> = writers.into_iter().collect();
                raise(
                    out,
                    "several-writers",
                    SubjectKind::Object,
                    o,
                    reference.clone(),
                    format!(
                        "{o} is written by {} systems: {}.",
                        list.len(),
                        names(ctx, &list)
                    ),
                );
            }
            if let Some(target) = own.target.as_deref()
                && Some(target) != owner
            {
                let from = owner.map_or("no system".to_string(), |x| names(ctx, &[x]));
                raise(
                    out,
                    "ownership-move",
                    SubjectKind::Object,
                    o,
                    reference.clone(),
                    format!(
                        "Ownership of {o} is planned to move from {from} to {}.",
                        names(ctx, &[target])
                    ),
                );
            }
        }
        // A flow that writes the object into its source of truth from another system.
        if let Some(owner) = owner {
            for f in flows {
                if f.to == owner && f.from != owner && f.objects.contains(&object) {
                    raise(
                        out,
                        "write-into-source-of-truth",
                        SubjectKind::Flow,
                        &f.id,
                        format!("flow.{}", f.id),
                        format!(
                            "Flow {} writes {o} into {}, its source of truth, from {}.",
                            f.id,
                            names(ctx, &[owner]),
                            names(ctx, &[&f.from])
                        ),
                    );
                }
            }
        }
    }
}

fn overlap(ctx: &Ctx<'_>, out: &mut Vec<Raise>) {
    let mut holders: BTreeMap<Capability, Vec<&str>> = BTreeMap::new();
    for s in &ctx.assessment.systems {
        if s.status == SystemStatus::Candidate {
            continue;
        }
        for c in &s.capabilities {
            holders.entry(*c).or_default().push(&s.id);
        }
    }
    for (cap, mut ids) in holders {
        ids.sort_unstable();
        if ids.len() >= 2 {
            let c = cap.as_str();
            raise(
                out,
                "capability-overlap",
                SubjectKind::Capability,
                c,
                format!("capability.{c}"),
                format!(
                    "{} running systems hold {c}: {}.",
                    ids.len(),
                    names(ctx, &ids)
                ),
            );
        }
    }
}

/// Flows into and out of each system that ends one: (fan-in, fan-out), by system id.
pub fn fan<'a>(flows: &[&'a Flow]) -> BTreeMap<&'a str, (usize, usize)> {
    let mut fan: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for f in flows {
        fan.entry(&f.from).or_default().1 += 1;
        fan.entry(&f.to).or_default().0 += 1;
    }
    fan
}

fn coupling(ctx: &Ctx<'_>, flows: &[&Flow], out: &mut Vec<Raise>) {
    let is_hub = |id: &str| {
        ctx.system(id)
            .is_some_and(|s| s.category == Category::Ipaas)
    };
    // Point-to-point against hub.
    let p2p = flows
        .iter()
        .filter(|f| f.via.is_none() && !is_hub(&f.from) && !is_hub(&f.to))
        .count();
    let hub = flows.len() - p2p;
    if p2p >= SPRAWL_FLOWS && p2p > hub {
        raise(
            out,
            "point-to-point-sprawl",
            SubjectKind::Engagement,
            "",
            "flows".into(),
            format!(
                "{p2p} of {} flows are point-to-point; {hub} go through a hub.",
                flows.len()
            ),
        );
    }
    // Fan-in and fan-out hot spots (hubs are meant to be central; they are not hot spots).
    for (s, (i, o)) in fan(flows) {
        if is_hub(s) {
            continue;
        }
        if i >= HOTSPOT_FLOWS || o >= HOTSPOT_FLOWS {
            raise(
                out,
                "flow-hotspot",
                SubjectKind::System,
                s,
                format!("system.{s}"),
                format!(
                    "{} is the end of {i} incoming and {o} outgoing flows.",
                    names(ctx, &[s])
                ),
            );
        }
    }
    // Cycles per data object: data that flows back to where it came from echoes updates.
    for object in DataObject::ALL {
        let edges: Vec<(&str, &str)> = flows
            .iter()
            .filter(|f| f.objects.contains(object))
            .map(|f| (f.from.as_str(), f.to.as_str()))
            .collect();
        for cycle in cycles(&edges) {
            let o = object.as_str();
            let mut shown = cycle.clone();
            shown.push(cycle[0]);
            raise(
                out,
                "flow-cycle",
                SubjectKind::Object,
                o,
                format!("flows.{o}"),
                format!(
                    "{o} flows in a loop: {}.",
                    shown
                        .iter()
                        .map(|s| names(ctx, &[s]))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            );
        }
    }
    // Synchronous calls on the checkout path: each one multiplies checkout's availability.
    let mut sync: Vec<&&Flow> = flows
        .iter()
        .filter(|f| f.checkout && f.mode == FlowMode::Sync)
        .collect();
    sync.sort_by(|a, b| a.id.cmp(&b.id));
    if sync.len() >= 2 {
        let n = sync.len() as i32;
        let availability = 100.0 * CALL_AVAILABILITY.powi(n);
        let list = sync
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        raise(
            out,
            "sync-checkout-chain",
            SubjectKind::Engagement,
            "",
            "flows.checkout".into(),
            format!(
                "Checkout waits on {n} synchronous calls ({list}); at {:.1}% each, checkout is available {availability:.1}% of the time at best.",
                CALL_AVAILABILITY * 100.0
            ),
        );
    }
}

/// Elementary cycles of a directed graph, each once, rotated to start at its smallest node
/// and listed in order; at most `MAX_CYCLES` of them, found within `MAX_STEPS` steps.
///
/// Only edges inside a strongly connected component can be on a cycle, so those are found
/// first (Kosaraju) and the search runs inside them: a dense graph without cycles costs one
/// linear pass instead of a walk over every path.
fn cycles<'a>(edges: &[(&'a str, &'a str)]) -> Vec<Vec<&'a str>> {
    const MAX_CYCLES: usize = 50;
    const MAX_STEPS: usize = 200_000;
    let mut adj: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut radj: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in edges {
        if a != b {
            adj.entry(a).or_default().insert(b);
            radj.entry(b).or_default().insert(a);
        }
    }
    // Kosaraju: finishing order on the graph, then components on its transpose.
    let nodes: BTreeSet<&str> = adj.keys().chain(radj.keys()).copied().collect();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut order: Vec<&str> = Vec::new();
    for &n in &nodes {
        if !seen.insert(n) {
            continue;
        }
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(
            n,
            adj.get(n)
                .map(|s| s.iter().copied().collect())
                .unwrap_or_default(),
        )];
        while let Some((node, next)) = stack.last_mut() {
            match next.pop() {
                Some(m) if seen.insert(m) => {
                    let more = adj
                        .get(m)
                        .map(|s| s.iter().copied().collect())
                        .unwrap_or_default();
                    stack.push((m, more));
                }
                Some(_) => {}
                None => {
                    order.push(node);
                    stack.pop();
                }
            }
        }
    }
    let mut component: BTreeMap<&str, usize> = BTreeMap::new();
    for (c, &n) in order.iter().rev().enumerate() {
        if component.contains_key(n) {
            continue;
        }
        let mut stack = vec![n];
        component.insert(n, c);
        while let Some(x) = stack.pop() {
            for &y in radj.get(x).into_iter().flatten() {
                if !component.contains_key(y) {
                    component.insert(y, c);
                    stack.push(y);
                }
            }
        }
    }
    let inner: BTreeMap<&str, Vec<&str>> = adj
        .iter()
        .map(|(a, bs)| {
            (
                *a,
                bs.iter()
                    .copied()
                    .filter(|b| component.get(b) == component.get(a))
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, bs)| !bs.is_empty())
        .collect();
    let mut found = Vec::new();
    let mut steps = 0usize;
    'search: for &start in inner.keys() {
        let mut path = vec![start];
        let mut stack: Vec<Vec<&str>> = vec![inner.get(start).cloned().unwrap_or_default()];
        while let Some(next) = stack.last_mut() {
            steps += 1;
            if found.len() >= MAX_CYCLES || steps > MAX_STEPS {
                break 'search;
            }
            match next.pop() {
                Some(n) if n == start => found.push(path.clone()),
                Some(n) if n > start && !path.contains(&n) => {
                    path.push(n);
                    stack.push(inner.get(n).cloned().unwrap_or_default());
                }
                Some(_) => {}
                None => {
                    stack.pop();
                    path.pop();
                }
            }
        }
    }
    found.sort();
    found
}

/// Whether a flow states that `step` (a step, or an operating duty) is absent — "nobody owns
/// it", as opposed to "not written down yet". Decisions come only from stated facts, so the
/// `flow-missing-*` findings need this; a blank `text` is not captured and goes to the open
/// questions instead. The format cannot state absence yet (a flow's `none = [...]` comes with
/// schema 2), so this holds for no flow today: blanks raised these findings before issue 16.
fn stated_absent(_flow: &Flow, _step: &str, _text: &str) -> bool {
    false
}

fn completeness(flows: &[&Flow], out: &mut Vec<Raise>) {
    for f in flows {
        let reference = format!("flow.{}", f.id);
        let label = if f.name.is_empty() {
            f.id.clone()
        } else {
            f.name.clone()
        };
        for (text, finding, key, step) in [
            (&f.source, "flow-missing-source", "source", "source"),
            (&f.contract, "flow-missing-contract", "contract", "contract"),
            (
                &f.failure,
                "flow-missing-failure",
                "failure",
                "failure handling",
            ),
            (&f.owner, "flow-missing-owner", "owner", "owner"),
        ] {
            // Only a stated absence raises these (see `stated_absent`); a blank is an open
            // question (`engine::open`), not a fact.
            if stated_absent(f, key, text) {
                raise(
                    out,
                    finding,
                    SubjectKind::Flow,
                    &f.id,
                    reference.clone(),
                    format!("Flow {label} states no {step}."),
                );
            }
        }
        let missing: Vec<&str> = crate::vocab::Duty::ALL
            .iter()
            .filter(|d| stated_absent(f, d.as_str(), f.owners.get(**d)))
            .map(|d| d.as_str())
            .collect();
        if !missing.is_empty() {
            raise(
                out,
                "flow-missing-operating-owner",
                SubjectKind::Flow,
                &f.id,
                reference,
                format!("Flow {label} names nobody for: {}.", missing.join(", ")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cycles;

    #[test]
    fn cycles_are_found_once_each() {
        let e = [("a", "b"), ("b", "a"), ("b", "c"), ("c", "a"), ("c", "d")];
        assert_eq!(cycles(&e), vec![vec!["a", "b"], vec!["a", "b", "c"]]);
        assert!(cycles(&[("a", "b"), ("b", "c")]).is_empty());
    }

    #[test]
    fn a_dense_graph_without_cycles_is_cheap() {
        // Every i → j for i < j over 60 nodes: no cycle, and billions of paths.
        let names: Vec<String> = (0..60).map(|i| format!("n{i:02}")).collect();
        let mut e = Vec::new();
        for i in 0..60 {
            for j in i + 1..60 {
                e.push((names[i].as_str(), names[j].as_str()));
            }
        }
        let t = std::time::Instant::now();
        assert!(cycles(&e).is_empty());
        assert!(t.elapsed().as_secs() < 5, "took {:?}", t.elapsed());
    }
}

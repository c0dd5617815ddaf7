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
/// The same for systems that are central by design (platforms, ERPs, OMSs): a platform
/// with five flows out is ordinary.
pub const HOTSPOT_FLOWS_CENTRAL: usize = 10;

/// The fan-in or fan-out from which a system of `category` is a hot spot.
pub fn hotspot_threshold(category: Category) -> usize {
    match category {
        Category::Platform | Category::Erp | Category::Oms => HOTSPOT_FLOWS_CENTRAL,
        _ => HOTSPOT_FLOWS,
    }
}
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
    let mut out = inventory(ctx);
    disagreements(ctx, &mut out);
    out
}

/// The analyses that read the inventory alone (systems, flows, the ownership map), not the
/// answers: an answer changed leaves them as they were (`super::incremental`).
pub(crate) fn inventory(ctx: &Ctx<'_>) -> Vec<Raise> {
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
    marketplace_paths(ctx, &flows, &mut out);
    coupling(ctx, &flows, &mut out);
    completeness(&flows, &mut out);
    out
}

/// How a respondent is named where both sides of a disagreement are: "Finance IT (Bo Lind)",
/// or the name alone when no team is given.
fn voice(a: &Assessment, id: Option<&str>) -> String {
    match id.and_then(|id| a.respondent(id)) {
        None => id.map_or("the assessor".to_string(), str::to_string),
        Some(r) if r.team.trim().is_empty() => r.name.clone(),
        Some(r) => format!("{} ({})", r.team, r.name),
    }
}

/// `respondents-disagree`: respondents gave different answers to an important question and
/// none is marked final, or named different owners (`said`) for a data object whose owner is
/// not marked final. One raise per question or object (`voices::DISAGREE`).
pub(crate) fn disagreements(ctx: &Ctx<'_>, out: &mut Vec<Raise>) {
    let a = ctx.assessment;
    for s in ctx.several() {
        let (qid, subject, question) = s.key;
        let Some(q) = ctx.content.questionnaire(qid) else {
            continue;
        };
        let Some(question_def) = q.question(question) else {
            continue;
        };
        if !question_def.important
            || s.answers.iter().any(|x| x.is_final)
            || !super::voices::differ(&s.answers)
        {
            continue;
        }
        let sides: Vec<String> = s
            .answers
            .iter()
            .filter(|x| x.state != AnswerState::Open)
            .map(|x| {
                format!(
                    "{} says {}",
                    voice(a, x.respondent.as_deref()),
                    super::voices::answer_text(Some(question_def), &x.state)
                )
            })
            .collect();
        let (kind, id) = match subject {
            None => (SubjectKind::Engagement, String::new()),
            Some(id) if ctx.system(id).is_some() => (SubjectKind::System, id.to_string()),
            Some(id) => (SubjectKind::Flow, id.to_string()),
        };
        let on = subject.map_or(String::new(), |id| {
            format!(
                " for {}",
                ctx.system(id)
                    .map_or_else(|| a.flow_name(id), |s| s.name.clone())
            )
        });
        let reference = match subject {
            None => format!("{qid}/{question}"),
            Some(sub) => format!("{qid}/{sub}/{question}"),
        };
        let counted = s.answers[s.counted];
        let text = format!(
            "Respondents disagree on “{}”{on}: {}. Counted: {}'s ({}); mark one answer final to settle it.",
            question_def.prompt.trim(),
            sides.join("; "),
            voice(a, counted.respondent.as_deref()),
            s.why.text()
        );
        raise(out, super::voices::DISAGREE, kind, &id, reference, text);
    }
    for (object, own) in &a.ownership {
        for (label, entry) in own.views() {
            if entry.is_final {
                continue;
            }
            let distinct: BTreeSet<&str> = entry.said.values().map(String::as_str).collect();
            if distinct.len() < 2 {
                continue;
            }
            let o = object.as_str();
            let scope = in_scope(label);
            let mut sides = Vec::new();
            for (i, (who, system)) in entry.said.iter().enumerate() {
                let name = names(ctx, &[system.as_str()]);
                sides.push(if i == 0 {
                    format!("{} says {name} owns {o}{scope}", voice(a, Some(who)))
                } else {
                    format!("{} says {name}", voice(a, Some(who)))
                });
            }
            let reference = match label {
                None => format!("ownership.{o}"),
                Some(l) => format!("ownership.{o}.scope.{l}"),
            };
            raise(
                out,
                super::voices::DISAGREE,
                SubjectKind::Object,
                o,
                reference,
                format!(
                    "{}. Settle it: write the agreed `owner` with `final = true` under [ownership.{o}].",
                    sides.join("; ")
                ),
            );
        }
    }
}

/// " in scope LABEL" for a scoped entry, nothing for the estate-wide one.
fn in_scope(label: Option<&str>) -> String {
    label.map_or(String::new(), |l| format!(" in scope {l}"))
}

/// The scopes a flow runs in: the labels both its ends serve (an unscoped system serves
/// every scope), or `[None]` when the assessment uses no scopes or the ends share none.
pub fn flow_scopes<'a>(ctx: &Ctx<'a>, f: &Flow) -> Vec<Option<&'a str>> {
    let labels = ctx.scope_labels();
    let serves = |id: &str, l: &str| ctx.system(id).is_none_or(|s| s.in_scope(l));
    let out: Vec<Option<&str>> = labels
        .iter()
        .filter(|l| serves(&f.from, l) && serves(&f.to, l))
        .map(|l| Some(*l))
        .collect();
    if out.is_empty() { vec![None] } else { out }
}

/// The systems of `ids` that share a scope with another of them: within a scope they are
/// several; across scopes (two brands' platforms) they are not.
pub fn sharing<'a>(ctx: &Ctx<'_>, ids: &[&'a str]) -> Vec<&'a str> {
    let shares = |a: &str, b: &str| match (ctx.system(a), ctx.system(b)) {
        (Some(x), Some(y)) => x.shares_scope(y),
        _ => true,
    };
    ids.iter()
        .copied()
        .filter(|a| ids.iter().any(|b| b != a && shares(a, b)))
        .collect()
}

/// The writers of an ownership entry that count as several: all of a scoped entry's, and
/// those of the estate-wide entry that share a scope with another writer. Distinct, by id.
pub fn several_writers<'a>(
    ctx: &Ctx<'_>,
    label: Option<&str>,
    entry: &'a Ownership,
) -> Vec<&'a str> {
    let writers: BTreeSet<&str> = entry.writers.iter().map(String::as_str).collect();
    let writers: Vec<&str> = writers.into_iter().collect();
    if label.is_none() {
        sharing(ctx, &writers)
    } else {
        writers
    }
}

fn ownership(ctx: &Ctx<'_>, flows: &[&Flow], out: &mut Vec<Raise>) {
    let a = ctx.assessment;
    let blank = Ownership::default();
    // Objects in play: carried by a running flow, or given an ownership entry.
    let mut in_play: BTreeSet<DataObject> = a.ownership.keys().copied().collect();
    for f in flows {
        in_play.extend(f.objects.iter().copied());
    }
    for object in in_play {
        let o = object.as_str();
        let own = a.ownership.get(&object).unwrap_or(&blank);
        let carrying: Vec<&&Flow> = flows
            .iter()
            .filter(|f| f.objects.contains(&object))
            .collect();
        // Each entry stands for the object within its scope; the estate-wide one also for
        // flows in scopes without an entry of their own.
        let mut views = own.views();
        if !views.iter().any(|(l, _)| l.is_none())
            && carrying.iter().any(|f| {
                flow_scopes(ctx, f)
                    .iter()
                    .any(|s| s.is_none_or(|l| !own.scopes.contains_key(l)))
            })
        {
            views.insert(0, (None, own));
        }
        for (label, entry) in views {
            let reference = match label {
                None => format!("ownership.{o}"),
                Some(l) => format!("ownership.{o}.scope.{l}"),
            };
            let scope = in_scope(label);
            match entry.owner.as_deref() {
                // A blank is not a fact: an object the map says nothing about (carried by a
                // flow, with no entry in force here) is asked next, not decided. Only an entry
                // that speaks of the object and names no owner says there is none.
                None if !entry.states_anything() => {}
                None => raise(
                    out,
                    "no-source-of-truth",
                    SubjectKind::Object,
                    o,
                    reference.clone(),
                    format!("No system is named as the source of truth for {o}{scope}."),
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
                                "The source of truth for {o}{scope} is {}, which is being retired.",
                                names(ctx, &[id])
                            ),
                        );
                    }
                }
            }
            // Writers of one entry count as several only within a scope: the estate-wide entry
            // listing one brand's ERP and another brand's is two objects, not two writers.
            let several = several_writers(ctx, label, entry);
            // The owner is named and writes: the others are copies to lock (an immediate
            // fix). No owner, or an owner that does not write: who owns it is to decide.
            let owner_writes = entry.owner.as_deref().is_some_and(|x| several.contains(&x));
            if several.len() >= 2 && owner_writes {
                let owner = entry.owner.as_deref().unwrap_or_default();
                let others: Vec<&str> = several.iter().copied().filter(|x| *x != owner).collect();
                raise(
                    out,
                    "writers-beside-owner",
                    SubjectKind::Object,
                    o,
                    reference.clone(),
                    format!(
                        "{o}{scope} is owned by {}, and also written by {}.",
                        names(ctx, &[owner]),
                        names(ctx, &others)
                    ),
                );
            } else if several.len() >= 2 {
                raise(
                    out,
                    "several-writers",
                    SubjectKind::Object,
                    o,
                    reference.clone(),
                    format!(
                        "{o}{scope} is written by {} systems: {}.",
                        several.len(),
                        names(ctx, &several)
                    ),
                );
            }
            if let Some(target) = entry.target.as_deref()
                && Some(target) != entry.owner.as_deref()
            {
                let from = entry
                    .owner
                    .as_deref()
                    .map_or("no system".to_string(), |x| names(ctx, &[x]));
                raise(
                    out,
                    "ownership-move",
                    SubjectKind::Object,
                    o,
                    reference.clone(),
                    format!(
                        "Ownership of {o}{scope} is planned to move from {from} to {}.",
                        names(ctx, &[target])
                    ),
                );
            }
        }
        // A flow that pushes the object into its source of truth (in a scope the flow runs
        // in) from another system. A pull is the receiver asking: a lookup from the owner
        // writes nothing into it, and an owner fetching a copy is its own read.
        for f in &carrying {
            if f.direction == FlowDirection::Pull {
                continue;
            }
            let owner = flow_scopes(ctx, f)
                .into_iter()
                .find_map(|s| own.in_scope(s).owner.as_deref().filter(|x| *x == f.to));
            if let Some(owner) = owner
                && f.from != owner
            {
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

/// The systems that hold `cap` twice over: existing ones (a retiring system's capabilities
/// are already decided, it goes; a candidate's are a plan) that share a scope with another of
/// them (one search engine per region is no overlap), by id. What the overlap analysis counts,
/// and what a decision about the capability names as its holders.
pub fn overlapping(systems: &[System], cap: Capability) -> Vec<&System> {
    let mut held: Vec<&System> = systems
        .iter()
        .filter(|s| s.status == SystemStatus::Existing && s.capabilities.contains(&cap))
        .collect();
    held.sort_by(|a, b| a.id.cmp(&b.id));
    held.iter()
        .copied()
        .filter(|a| held.iter().any(|b| b.id != a.id && a.shares_scope(b)))
        .collect()
}

fn overlap(ctx: &Ctx<'_>, out: &mut Vec<Raise>) {
    // Only capabilities that must have one holder.
    let systems = &ctx.assessment.systems;
    let caps: BTreeSet<Capability> = systems
        .iter()
        .filter(|s| s.status == SystemStatus::Existing)
        .flat_map(|s| s.capabilities.iter().copied())
        .filter(|c| c.single_holder())
        .collect();
    for cap in caps {
        let ids: Vec<&str> = overlapping(systems, cap)
            .iter()
            .map(|s| s.id.as_str())
            .collect();
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

/// A marketplace fed the same object by two senders: two sync paths (two connectors, or a
/// connector and the integration platform) overwrite each other's listings and stock.
fn marketplace_paths(ctx: &Ctx<'_>, flows: &[&Flow], out: &mut Vec<Raise>) {
    let mut senders: BTreeMap<(&str, DataObject), BTreeSet<&str>> = BTreeMap::new();
    for f in flows {
        if ctx
            .system(&f.to)
            .is_none_or(|s| s.category != Category::Marketplace)
        {
            continue;
        }
        for o in &f.objects {
            senders
                .entry((f.to.as_str(), *o))
                .or_default()
                .insert(&f.from);
        }
    }
    for ((to, o), from) in senders {
        let from: Vec<&str> = from.into_iter().collect();
        let from = sharing(ctx, &from);
        if from.len() >= 2 {
            raise(
                out,
                "marketplace-double-sync",
                SubjectKind::System,
                to,
                format!("flows.{}", o.as_str()),
                format!(
                    "{} receives {} from {} systems: {}.",
                    names(ctx, &[to]),
                    o.as_str(),
                    from.len(),
                    names(ctx, &from)
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
    // Point-to-point against hub. Glue code (scripts, functions, cron jobs) in the middle of a
    // flow is point-to-point code, not a hub.
    let is_glue = |id: &str| ctx.system(id).is_some_and(|s| s.category == Category::Glue);
    let p2p = flows
        .iter()
        .filter(|f| f.via.as_deref().is_none_or(is_glue) && !is_hub(&f.from) && !is_hub(&f.to))
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
        let limit = ctx
            .system(s)
            .map_or(HOTSPOT_FLOWS, |x| hotspot_threshold(x.category));
        if i >= limit || o >= limit {
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
    for (platform, chain) in checkout_chains(ctx, flows) {
        if chain.len() < 2 {
            continue;
        }
        let n = chain.len() as i32;
        let availability = 100.0 * CALL_AVAILABILITY.powi(n);
        let list = chain
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        raise(
            out,
            "sync-checkout-chain",
            SubjectKind::System,
            platform,
            "flows.checkout".into(),
            format!(
                "Checkout on {} waits on {n} synchronous calls ({list}); at {:.1}% each, checkout is available {availability:.1}% of the time at best.",
                names(ctx, &[platform]),
                CALL_AVAILABILITY * 100.0
            ),
        );
    }
}

/// The synchronous calls each checkout waits on, by the system whose checkout it is, ids in
/// order. A checkout's calls are the ones its platform makes, whichever way the data goes: a
/// synchronous checkout flow with a platform at one end belongs to that platform's checkout
/// (the caller's, when both ends are platforms); one without (an OMS asking the ERP) to the
/// checkout whose call reached its caller, else to its caller's own. Two brands' platforms
/// therefore have two chains, never one.
pub fn checkout_chains<'a>(ctx: &Ctx<'_>, flows: &[&'a Flow]) -> BTreeMap<&'a str, Vec<&'a Flow>> {
    let is_platform = |id: &str| {
        ctx.system(id)
            .is_some_and(|s| s.category == Category::Platform)
    };
    let mut sync: Vec<&Flow> = flows
        .iter()
        .copied()
        .filter(|f| f.checkout && f.mode == FlowMode::Sync)
        .collect();
    sync.sort_by(|a, b| a.id.cmp(&b.id));
    // Each call from the side that waits (the platform, else the caller) to the other.
    let edge = |f: &'a Flow| -> (&'a str, &'a str) {
        let (caller, callee) = (f.caller(), f.callee());
        if is_platform(caller) || !is_platform(callee) {
            (caller, callee)
        } else {
            (callee, caller)
        }
    };
    let callees: BTreeSet<&str> = sync.iter().map(|f| edge(f).1).collect();
    // Roots: platforms that make calls, then callers no call reaches; by id.
    let mut roots: Vec<&str> = sync.iter().map(|f| edge(f).0).collect();
    roots.sort_unstable();
    roots.dedup();
    roots.sort_by_key(|r| (!is_platform(r), callees.contains(r), *r));
    let mut chains: BTreeMap<&str, Vec<&Flow>> = BTreeMap::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    for root in roots {
        if taken.contains(root) && !is_platform(root) {
            continue;
        }
        let mut chain: Vec<&Flow> = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::from([root]);
        let mut queue = vec![root];
        while let Some(at) = queue.pop() {
            for f in &sync {
                let (caller, callee) = edge(f);
                if caller != at || chain.iter().any(|x| x.id == f.id) {
                    continue;
                }
                chain.push(f);
                // Calls onward from a platform belong to that platform's own checkout.
                if !is_platform(callee) && seen.insert(callee) {
                    taken.insert(callee);
                    queue.push(callee);
                }
            }
        }
        taken.insert(root);
        if !chain.is_empty() {
            chain.sort_by(|a, b| a.id.cmp(&b.id));
            chains.insert(root, chain);
        }
    }
    chains
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

/// The `flow-missing-*` findings. Only a stated absence raises them: a step or duty in the
/// flow's `none`, or typed as none, nobody, n/a or `-` (`Flow::is_none`). A blank field is
/// not a fact (nothing was written down yet) and raises none of them.
fn completeness(flows: &[&Flow], out: &mut Vec<Raise>) {
    for f in flows {
        let reference = format!("flow.{}", f.id);
        let label = if f.name.is_empty() {
            f.id.clone()
        } else {
            f.name.clone()
        };
        for (part, finding, step) in [
            (FlowPart::Source, "flow-missing-source", "source"),
            (FlowPart::Contract, "flow-missing-contract", "contract"),
            (
                FlowPart::Failure,
                "flow-missing-failure",
                "failure handling",
            ),
            (FlowPart::Owner, "flow-missing-owner", "owner"),
        ] {
            if f.is_none(part) {
                raise(
                    out,
                    finding,
                    SubjectKind::Flow,
                    &f.id,
                    reference.clone(),
                    format!("Flow {label} has no {step}, as stated in the inventory."),
                );
            }
        }
        let missing: Vec<&str> = crate::vocab::Duty::ALL
            .iter()
            .filter(|d| f.is_none(FlowPart::duty(**d)))
            .map(|d| d.as_str())
            .collect();
        if !missing.is_empty() {
            raise(
                out,
                "flow-missing-operating-owner",
                SubjectKind::Flow,
                &f.id,
                reference,
                format!(
                    "Flow {label} has nobody for: {}, as stated in the inventory.",
                    missing.join(", ")
                ),
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

//! From raised findings to the decision list and the roadmap.
//!
//! Findings that one piece of work resolves share a `decision` id and become one decision:
//! one remedy, one decision, however many findings point to it (a decision made per
//! capability that authors an object folds into the one made per object for it: keeping one
//! system for content is one writer of content). A decision whose findings
//! declare `per = "object"` (or `"capability"`) is made per subject, with the stable id
//! `DECISION@SUBJECT` (`one-writer@inventory`): a finding raised for a flow counts for the
//! flow's objects, one raised for the engagement for the subjects its question asks about
//! (a question's `objects` or `capabilities`), else its declared `objects`, or else for every
//! subject of the decision: a reason is given for the subjects it is about.
//!
//! Ranking is consequence first. A decision's stake is the most consequential among its
//! findings (money, customers, compliance, then operations); within a lane, every decision
//! with a consequence ranks above every hygiene decision. Among peers, the priority:
//!
//! ```text
//! priority = impact × risk × boost × reach_factor ÷ effort
//! reach_factor = min(1.5, 1 + 0.1 × (reach − 1))
//! ```
//!
//! where impact, risk and effort are the largest among its findings, boost the profile's
//! largest boost for them, and reach the number of distinct subjects (flows, systems,
//! objects, capabilities) they were raised for: reach lifts a decision among its peers and
//! saturates. An assessor's manual priority replaces the computed one and is shown as such.
//!
//! Lanes: immediate fixes and architecture changes (a decision is an architecture change if
//! any of its findings is). Rank is the position within the lane: rejected decisions last,
//! then consequence before hygiene, then priority, then id.
//!
//! Roadmap: decisions (rejected ones left out) in dependency order, then priority, packed
//! first-fit into slices of at most `slice_budget` effort; a decision always lands in a later
//! slice than everything it depends on, so each slice can be validated before the next.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::model::{Assessment, Flow, Ownership, Profile};
use crate::vocab::DataObject;

/// Flows by id: a decision looks up the objects of each flow it was raised for.
type FlowIndex<'a> = rustc_hash::FxHashMap<&'a str, &'a Flow>;

pub const FORMULA: &str = "impact × risk × boost × reach_factor ÷ effort";

/// Groups raises into one result per finding, ordered by id; within a finding, subjects and
/// reasons sorted and without duplicates. Grouping first keeps the sorts small.
pub fn findings(content: &Content, raises: Vec<Raise>) -> Vec<FindingResult> {
    findings_of(content, raises.iter())
}

/// [`findings`] from raises kept elsewhere (the incremental re-scoring keeps them per run):
/// grouped and sorted by reference, each kept raise copied once, into the result.
pub fn findings_of<'r>(
    content: &Content,
    raises: impl Iterator<Item = &'r Raise>,
) -> Vec<FindingResult> {
    let mut by: BTreeMap<&str, Vec<(&SubjectRef, &Because)>> = BTreeMap::new();
    for r in raises {
        by.entry(r.finding.as_str())
            .or_default()
            .push((&r.subject, &r.because));
    }
    by.into_iter()
        .filter_map(|(id, mut list)| {
            let f = content.finding(id)?;
            list.sort_unstable();
            list.dedup();
            let mut subjects: Vec<&SubjectRef> = Vec::new();
            let mut because: Vec<&Because> = Vec::with_capacity(list.len());
            for (s, b) in &list {
                if subjects.last() != Some(s) {
                    subjects.push(s);
                }
                because.push(b);
            }
            subjects.sort_unstable();
            subjects.dedup();
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
                subjects: subjects.into_iter().cloned().collect(),
                because: because.into_iter().cloned().collect(),
                raised: list
                    .into_iter()
                    .map(|(s, b)| (s.clone(), b.clone()))
                    .collect(),
            })
        })
        .collect()
}

fn reach_factor(reach: u32) -> f64 {
    round1((1.0 + 0.1 * (f64::from(reach.max(1)) - 1.0)).min(1.5))
}

/// The base of a decision id: `one-writer` for `one-writer@inventory`.
pub fn base(id: &str) -> &str {
    id.split_once('@').map_or(id, |(b, _)| b)
}

/// The subject a per-subject decision is made for, as `kind`.
fn per_kind(p: Per) -> SubjectKind {
    match p {
        Per::Object => SubjectKind::Object,
        Per::Capability => SubjectKind::Capability,
    }
}

/// One finding's share of one decision: the raises that landed in it.
struct Part<'a> {
    finding: &'a FindingResult,
    raised: Vec<(&'a SubjectRef, &'a Because)>,
}

/// What a subject is called where a person reads it: a system's name, a flow's name (or
/// "From → To" by the systems' names), an object's or capability's id.
fn subject_label(assessment: &Assessment, flows: &FlowIndex<'_>, s: &SubjectRef) -> String {
    let system = |id: &str| assessment.system_name(id);
    match s.kind {
        SubjectKind::System => system(&s.id),
        SubjectKind::Flow => match flows.get(s.id.as_str()) {
            Some(f) if !f.name.trim().is_empty() => f.name.trim().to_string(),
            Some(f) => format!("{} → {}", system(&f.from), system(&f.to)),
            None => s.id.clone(),
        },
        _ => s.id.clone(),
    }
}

/// Who writes an object, as the ownership map says it, for a decision about that object:
/// "NetSuite owns it; Northwind Web also writes it", "Shopify and NetSuite both write it".
/// `None` when the map names nobody for it; with whether it names writers beside the owner
/// (when it names only the owner, the others are in the reasons).
fn writers_of(assessment: &Assessment, object: &str) -> Option<(String, bool)> {
    let entry = assessment
        .ownership
        .iter()
        .find(|(o, _)| o.as_str() == object)
        .map(|(_, w)| w)?;
    let name = |id: &str| {
        assessment
            .systems
            .iter()
            .find(|x| x.id == id)
            .map_or(id.to_string(), |x| x.name.clone())
    };
    let owner = entry.owner.as_deref();
    let mut others: Vec<&str> = Vec::new();
    for (_, w) in entry.views() {
        for x in &w.writers {
            if Some(x.as_str()) != owner && !others.contains(&x.as_str()) {
                others.push(x);
            }
        }
    }
    let names: Vec<String> = others.iter().map(|x| name(x)).collect();
    let list = |v: &[String]| match v {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let text = match (owner, names.len()) {
        // What else writes it is in the reasons (a flow's sender, an answer): the map names
        // only the owner.
        (Some(o), 0) => return Some((format!("{} owns it", name(o)), false)),
        (None, 0) => return None,
        (None, 1) => format!("no owner named; {} writes it", names[0]),
        (Some(o), 1) => format!("{} owns it; {} also writes it", name(o), names[0]),
        (Some(o), _) => format!("{} owns it; {} also write it", name(o), list(&names)),
        (None, 2) => format!("{} both write it", list(&names)),
        (None, _) => format!("{} all write it", list(&names)),
    };
    Some((text, true))
}

/// The running systems that hold a capability, for a decision about it: "Algolia and
/// Northwind Web both hold it". The systems the overlap analysis counts: a system being
/// retired is not a holder to keep or choose between, nor is a candidate. `None` when fewer
/// than two do.
fn holders_of(assessment: &Assessment, capability: &str) -> Option<String> {
    let cap = crate::vocab::Capability::parse(capability)?;
    let held = super::analyses::overlapping(&assessment.systems, cap);
    let names: Vec<&str> = held.iter().map(|x| x.name.as_str()).collect();
    match names.as_slice() {
        [] | [_] => None,
        [a, b] => Some(format!("{a} and {b} both hold it")),
        [init @ .., last] => Some(format!("{} and {last} all hold it", init.join(", "))),
    }
}

/// "a and b", "a, b and 2 more", "a, b and 20 more flows": the first labels of `total`
/// subjects, `noun` saying what the rest are when they are all one kind. Two names are enough
/// to say what a decision is about; a title is read in a list at 80 columns.
fn listing(first: &[String], total: usize, noun: (&str, &str)) -> String {
    match first {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] if total == 2 => format!("{a} and {b}"),
        [a, b, ..] => {
            let more = total - 2;
            let noun = if more == 1 { noun.0 } else { noun.1 };
            format!("{a}, {b} and {more} more{noun}")
        }
    }
}

/// Whether a system is on its way out: its status says it is being retired, or its TIME
/// decision is to eliminate it. A candidate is not running, so it is not leaving.
fn leaving(s: &crate::model::System) -> bool {
    use crate::vocab::{SystemStatus, TimeDecision};
    s.status == SystemStatus::Retiring
        || (s.status != SystemStatus::Candidate && s.time == Some(TimeDecision::Eliminate))
}

/// The move a decision about moving off old systems is about: each system leaving that the
/// decision was raised for, or that owns today one of the objects it is about (every system
/// leaving when it names none of them), and what takes over from it — the targets the
/// ownership map names for the objects it owns, else the candidates that hold one of its
/// capabilities. Empty when no system is leaving.
fn moves_of(assessment: &Assessment, systems: &[&str], objects: &BTreeSet<&str>) -> Vec<Move> {
    let gone: Vec<&crate::model::System> =
        assessment.systems.iter().filter(|s| leaving(s)).collect();
    let owns = |system: &str, only: Option<&BTreeSet<&str>>| {
        assessment.ownership.iter().any(|(o, own)| {
            only.is_none_or(|x| x.contains(o.as_str()))
                && own
                    .views()
                    .iter()
                    .any(|(_, w)| w.owner.as_deref() == Some(system))
        })
    };
    let tied: Vec<&crate::model::System> = gone
        .iter()
        .copied()
        .filter(|s| systems.contains(&s.id.as_str()) || owns(&s.id, Some(objects)))
        .collect();
    let chosen = if tied.is_empty() { gone } else { tied };
    chosen
        .iter()
        .map(|from| {
            let mut to: Vec<String> = Vec::new();
            for own in assessment.ownership.values() {
                for (_, w) in own.views() {
                    if w.owner.as_deref() != Some(from.id.as_str()) {
                        continue;
                    }
                    let Some(t) = w.target.as_deref() else {
                        continue;
                    };
                    let stays = assessment
                        .systems
                        .iter()
                        .find(|x| x.id == t)
                        .is_none_or(|x| !leaving(x));
                    if t != from.id && stays && !to.iter().any(|x| x == t) {
                        to.push(t.to_string());
                    }
                }
            }
            if to.is_empty() {
                to = assessment
                    .systems
                    .iter()
                    .filter(|x| x.status == crate::vocab::SystemStatus::Candidate)
                    .filter(|x| x.capabilities.iter().any(|c| from.capabilities.contains(c)))
                    .map(|x| x.id.clone())
                    .collect();
            }
            Move {
                from: from.id.clone(),
                to,
            }
        })
        .collect()
}

/// "Sage X3 → SAP S/4HANA", "Legacy ERP and Legacy WMS → NetSuite", "A → X, B → Y and 1
/// more": systems leaving for the same successors said together, the successors after an
/// arrow (none when the assessment names none), two such moves at most.
fn move_label(assessment: &Assessment, moves: &[Move]) -> String {
    let name = |id: &str| assessment.system_name(id);
    let and = |v: &[String]| match v {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let mut groups: Vec<(Vec<String>, &[String])> = Vec::new();
    for m in moves {
        match groups.iter_mut().find(|(_, to)| *to == m.to.as_slice()) {
            Some((from, _)) => from.push(name(&m.from)),
            None => groups.push((vec![name(&m.from)], m.to.as_slice())),
        }
    }
    let said: Vec<String> = groups
        .iter()
        .map(|(from, to)| {
            let to: Vec<String> = to.iter().map(|x| name(x)).collect();
            if to.is_empty() {
                and(from)
            } else {
                format!("{} → {}", and(from), and(&to))
            }
        })
        .collect();
    match said.as_slice() {
        [a, b, rest @ ..] if !rest.is_empty() => format!("{a}, {b} and {} more", rest.len()),
        _ => said.join(", "),
    }
}

/// How much rides on a flow, most first: checkout flows before the others, and among each,
/// one carrying orders or payments; then stock, prices, promotions, returns or tax; then
/// customers; then the rest. A decision about many flows names the first of them.
fn flow_risk(flow: Option<&&Flow>) -> (bool, u8) {
    use DataObject as O;
    let Some(f) = flow else {
        return (true, 4);
    };
    let carries = |os: &[O]| f.objects.iter().any(|o| os.contains(o));
    let money = if carries(&[O::Order, O::Payment]) {
        0
    } else if carries(&[O::Inventory, O::Price, O::Promotion, O::Return, O::Tax]) {
        1
    } else if carries(&[O::Customer]) {
        2
    } else {
        3
    };
    (!f.checkout, money)
}

/// The subjects of `kind` the question behind an answer asks about, when it names some: its
/// objects, or its capabilities (a capability counting, for a decision about objects, as the
/// object it authors). Empty for other reasons, and for a question about whatever its findings
/// are about.
fn asked_about(content: &Content, b: &Because, kind: SubjectKind) -> Vec<String> {
    if b.kind != BecauseKind::Answer {
        return Vec::new();
    }
    let mut path = b.reference.split('/');
    let (Some(file), Some(question)) = (path.next(), path.next_back()) else {
        return Vec::new();
    };
    let Some(q) = content
        .questionnaire(file)
        .and_then(|x| x.question(question))
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    match kind {
        SubjectKind::Object => {
            let authored = q.capabilities.iter().filter_map(|c| c.authors());
            for o in q.objects.iter().copied().chain(authored) {
                if !out.iter().any(|x| x == o.as_str()) {
                    out.push(o.as_str().to_string());
                }
            }
        }
        SubjectKind::Capability => {
            out.extend(q.capabilities.iter().map(|c| c.as_str().to_string()));
        }
        _ => {}
    }
    out
}

/// Decisions split into their findings' parts, by decision id; and the per-capability decisions
/// folded into a per-object one (folded id → the id it went into).
type Buckets<'a> = (BTreeMap<String, Vec<Part<'a>>>, BTreeMap<String, String>);

/// Splits raised findings into decisions: by `decision` id, and per subject where the
/// content asks for it. Keys are decision ids; parts are in finding id order.
///
/// One remedy reached by two routes is one decision: a decision made per capability whose
/// capability authors a data object (`keep-one@content`: keep one system for authoring
/// content) folds into the decision made per object for that object when there is one
/// (`one-writer@content`: one system writes content, the others stop), its findings and
/// reasons kept there.
fn buckets<'a>(
    content: &Content,
    ownership: &BTreeMap<DataObject, Ownership>,
    flows: &FlowIndex<'_>,
    findings: &'a [FindingResult],
) -> Buckets<'a> {
    let mut groups: BTreeMap<&str, Vec<&FindingResult>> = BTreeMap::new();
    for f in findings {
        groups.entry(&f.decision).or_default().push(f);
    }
    let mut out: BTreeMap<String, Vec<Part<'a>>> = BTreeMap::new();
    let mut per_of: BTreeMap<&str, Per> = BTreeMap::new();
    for (id, members) in groups {
        // Respondents' disagreements: one decision per question or object disagreed on
        // (`respondents-disagree@inventory`, `respondents-disagree@QUESTIONNAIRE/QUESTION`).
        if id == super::voices::DISAGREE {
            for f in &members {
                for (s, b) in &f.raised {
                    let key = if s.kind == SubjectKind::Object {
                        s.id.clone()
                    } else {
                        b.reference.to_string()
                    };
                    out.entry(format!("{id}@{key}")).or_default().push(Part {
                        finding: f,
                        raised: vec![(s, b)],
                    });
                }
            }
            continue;
        }
        // Made per subject when any finding of the group, raised or not, says so.
        let per = content
            .findings()
            .filter(|d| d.decision_id() == id)
            .filter_map(|d| d.per)
            .min();
        if let Some(p) = per {
            per_of.insert(id, p);
        }
        let Some(per) = per else {
            out.insert(
                id.to_string(),
                members
                    .iter()
                    .map(|f| Part {
                        finding: f,
                        raised: f.raised.iter().map(|(s, b)| (s, b)).collect(),
                    })
                    .collect(),
            );
            continue;
        };
        let kind = per_kind(per);
        // The subjects a raise stands for: its own, or the objects of its flow.
        let own_keys = |s: &SubjectRef| -> Vec<String> {
            if s.kind == kind {
                return vec![s.id.clone()];
            }
            if kind == SubjectKind::Object
                && s.kind == SubjectKind::Flow
                && let Some(flow) = flows.get(s.id.as_str())
            {
                // Of the objects the flow carries, those the ownership map says are written
                // by more than their owner; when the map says that of none of them, all of
                // them (the answer is the only fact there is).
                let contested: Vec<String> = flow
                    .objects
                    .iter()
                    .filter(|o| {
                        ownership.get(o).is_some_and(|w| {
                            w.views().iter().any(|(_, w)| {
                                w.writers
                                    .iter()
                                    .any(|x| w.owner.as_deref() != Some(x.as_str()))
                            })
                        })
                    })
                    .map(|o| o.as_str().to_string())
                    .collect();
                if !contested.is_empty() {
                    return contested;
                }
                return flow
                    .objects
                    .iter()
                    .map(|o| o.as_str().to_string())
                    .collect();
            }
            Vec::new()
        };
        let mut keys: BTreeSet<String> = BTreeSet::new();
        for f in &members {
            for (s, _) in &f.raised {
                keys.extend(own_keys(s));
            }
        }
        // A finding raised for the engagement about one or two named objects (the sellable
        // quantity, customer records) stands for them; one about many objects (the ownership
        // matrix) joins the decisions already made for its objects, or all of them. When the
        // question answered asks about some subjects only (the search engine that loses),
        // the raise is about those of them: a reason is given for the subjects it is about.
        let declared = |f: &FindingResult, b: &Because| -> Vec<String> {
            let of_finding: Vec<String> =
                content.finding(&f.id).map_or(Vec::new(), |d| match kind {
                    SubjectKind::Object => {
                        d.objects.iter().map(|o| o.as_str().to_string()).collect()
                    }
                    SubjectKind::Capability => d
                        .capabilities
                        .iter()
                        .map(|c| c.as_str().to_string())
                        .collect(),
                    _ => Vec::new(),
                });
            let of_question: Vec<String> = asked_about(content, b, kind);
            if of_question.is_empty() {
                return of_finding;
            }
            let both: Vec<String> = of_question
                .iter()
                .filter(|x| of_finding.contains(x))
                .cloned()
                .collect();
            if both.is_empty() { of_question } else { both }
        };
        for f in &members {
            for (s, b) in &f.raised {
                let objects = declared(f, b);
                if (1..=2).contains(&objects.len()) && own_keys(s).is_empty() {
                    keys.extend(objects);
                }
            }
        }
        let keys_of = |f: &FindingResult, s: &SubjectRef, b: &Because| -> Vec<String> {
            let own = own_keys(s);
            if !own.is_empty() {
                return own;
            }
            declared(f, b)
                .into_iter()
                .filter(|o| keys.contains(o))
                .collect()
        };
        let mut parts: BTreeMap<String, BTreeMap<&str, Part<'a>>> = BTreeMap::new();
        for f in &members {
            for (s, b) in &f.raised {
                let mut to = keys_of(f, s, b);
                if to.is_empty() {
                    to = keys.iter().cloned().collect();
                }
                let to: Vec<String> = if keys.is_empty() {
                    vec![id.to_string()]
                } else {
                    to.into_iter().map(|k| format!("{id}@{k}")).collect()
                };
                for key in to {
                    parts
                        .entry(key)
                        .or_default()
                        .entry(f.id.as_str())
                        .or_insert_with(|| Part {
                            finding: f,
                            raised: Vec::new(),
                        })
                        .raised
                        .push((s, b));
                }
            }
        }
        for (key, by_finding) in parts {
            out.insert(key, by_finding.into_values().collect());
        }
    }
    let per_subject = |key: &str, per: Per| -> Option<String> {
        let (group, subject) = key.split_once('@')?;
        (per_of.get(group) == Some(&per)).then(|| subject.to_string())
    };
    let mut folded: BTreeMap<String, String> = BTreeMap::new();
    for key in out.keys() {
        let Some(object) = per_subject(key, Per::Capability)
            .and_then(|c| crate::vocab::Capability::parse(&c))
            .and_then(|c| c.authors())
        else {
            continue;
        };
        if let Some(into) = out
            .keys()
            .find(|k| per_subject(k, Per::Object).as_deref() == Some(object.as_str()))
        {
            folded.insert(key.clone(), into.clone());
        }
    }
    for (from, into) in &folded {
        let moved = out.remove(from).unwrap_or_default();
        let Some(target) = out.get_mut(into) else {
            continue;
        };
        for part in moved {
            match target.iter_mut().find(|p| p.finding.id == part.finding.id) {
                Some(p) => p.raised.extend(part.raised),
                None => target.push(part),
            }
        }
        target.sort_by(|a, b| a.finding.id.cmp(&b.finding.id));
    }
    (out, folded)
}

pub fn decide(
    content: &Content,
    profile: &Profile,
    assessment: &Assessment,
    findings: &[FindingResult],
    slice_budget: u32,
) -> (Vec<Decision>, Vec<Slice>, Vec<String>) {
    let flows: FlowIndex<'_> = assessment
        .flows
        .iter()
        .map(|f| (f.id.as_str(), f))
        .collect();
    let (buckets, folded) = buckets(content, &assessment.ownership, &flows, findings);
    // Decision ids by base, for dependencies on decisions made per subject; a folded id stands
    // for the decision it went into.
    let mut by_base: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for id in buckets.keys().chain(folded.keys()) {
        by_base.entry(base(id)).or_default().push(id);
    }
    // The decision the move off a system goes into: the group the ownership map's planned
    // moves and retiring owners are put in. Its title names the move first.
    let move_groups: BTreeSet<&str> = ["owner-retiring", "ownership-move"]
        .iter()
        .filter_map(|f| content.finding(f))
        .map(|d| d.decision_id())
        .collect();
    let mut decisions: Vec<Decision> = buckets
        .iter()
        .map(|(id, parts)| {
            let stake_of = |f: &FindingResult| {
                content
                    .finding(&f.id)
                    .map_or(Stake::Operations, |d| d.stake)
            };
            // The lead finding gives the title: the most consequential, then one raised for
            // a subject of its own (specific before engagement-wide), then the most severe.
            let key = |p: &Part<'_>| {
                let f = p.finding;
                (
                    stake_of(f),
                    p.raised
                        .iter()
                        .all(|(s, _)| s.kind == SubjectKind::Engagement),
                    std::cmp::Reverse(f.impact * f.risk),
                    f.effort,
                    f.id.clone(),
                )
            };
            let lead = parts
                .iter()
                .min_by_key(|p| key(p))
                .map(|p| p.finding)
                .expect("a decision has findings");
            let stake = parts
                .iter()
                .map(|p| stake_of(p.finding))
                .min()
                .unwrap_or(Stake::Operations);
            let horizon = if parts
                .iter()
                .any(|p| p.finding.horizon == Horizon::Architecture)
            {
                Horizon::Architecture
            } else {
                Horizon::Immediate
            };
            let impact = parts.iter().map(|p| p.finding.impact).max().unwrap_or(1);
            let risk = parts.iter().map(|p| p.finding.risk).max().unwrap_or(1);
            let effort = parts
                .iter()
                .map(|p| p.finding.effort)
                .max()
                .unwrap_or(1)
                .max(1);
            let boost = parts
                .iter()
                .filter_map(|p| {
                    profile
                        .boosts
                        .iter()
                        .find(|(r, _)| r.id == p.finding.id)
                        .map(|(_, b)| *b)
                })
                .fold(None, |acc: Option<f64>, b| {
                    Some(acc.map_or(b, |a| a.max(b)))
                })
                .unwrap_or(1.0);
            let subject_of_id = id.split_once('@').map(|(_, s)| s);
            let mut subjects: Vec<&SubjectRef> = parts
                .iter()
                .flat_map(|p| p.raised.iter().map(|(s, _)| *s))
                .collect();
            let of_id;
            if let Some(s) = subject_of_id
                && base(id) != super::voices::DISAGREE
            {
                let kind = content
                    .findings()
                    .filter(|d| d.decision_id() == base(id))
                    .filter_map(|d| d.per)
                    .min()
                    .map_or(SubjectKind::Object, per_kind);
                of_id = SubjectRef {
                    kind,
                    id: s.to_string(),
                };
                subjects.push(&of_id);
            }
            subjects.sort_unstable();
            subjects.dedup();
            let subjects: Vec<SubjectRef> = subjects.into_iter().cloned().collect();
            let mut because: Vec<&Because> = parts
                .iter()
                .flat_map(|p| p.raised.iter().map(|(_, b)| *b))
                .collect();
            because.sort_unstable();
            because.dedup();
            let because: Vec<Because> = because.into_iter().cloned().collect();
            // A capability folded into the decision about the object it authors is that
            // object: one subject, not two.
            let authored = |s: &SubjectRef| {
                s.kind == SubjectKind::Capability
                    && crate::vocab::Capability::parse(&s.id)
                        .and_then(|c| c.authors())
                        .is_some_and(|o| {
                            subjects
                                .iter()
                                .any(|x| x.kind == SubjectKind::Object && x.id == o.as_str())
                        })
            };
            let named: Vec<&SubjectRef> = subjects
                .iter()
                .filter(|s| s.kind != SubjectKind::Engagement && !authored(s))
                .collect();
            // Systems, then flows most at risk first, then objects and capabilities.
            let mut ordered = named.clone();
            ordered.sort_by_cached_key(|s| {
                let risk = if s.kind == SubjectKind::Flow {
                    flow_risk(flows.get(s.id.as_str()))
                } else {
                    (false, 0)
                };
                (s.kind, risk, s.id.clone())
            });
            let about_view = {
                // A decision made for one object is about that object, whatever else its
                // flows carry.
                let mut objects: BTreeSet<DataObject> = BTreeSet::new();
                let own = subject_of_id.and_then(DataObject::parse);
                objects.extend(own);
                for s in subjects.iter().filter(|_| own.is_none()) {
                    match s.kind {
                        SubjectKind::Object => objects.extend(DataObject::parse(&s.id)),
                        SubjectKind::Flow => {
                            if let Some(f) = flows.get(s.id.as_str()) {
                                objects.extend(f.objects.iter().copied());
                            }
                        }
                        _ => {}
                    }
                }
                let of = |k: SubjectKind| -> Vec<String> {
                    ordered
                        .iter()
                        .filter(|s| s.kind == k)
                        .map(|s| s.id.clone())
                        .collect()
                };
                let systems = of(SubjectKind::System);
                let moves = if subject_of_id.is_none() && move_groups.contains(base(id)) {
                    let s: Vec<&str> = systems.iter().map(String::as_str).collect();
                    moves_of(
                        assessment,
                        &s,
                        &objects.iter().map(|o| o.as_str()).collect(),
                    )
                } else {
                    Vec::new()
                };
                About {
                    systems,
                    objects: objects.iter().map(|o| o.as_str().to_string()).collect(),
                    flows: of(SubjectKind::Flow),
                    moves,
                }
            };
            let reach = u32::try_from(named.len()).unwrap_or(u32::MAX).max(1);
            let rf = reach_factor(reach);
            let computed =
                round1(f64::from(impact) * f64::from(risk) * boost * rf / f64::from(effort));
            // The title names what the decision is about: the group's own title where the
            // content gives one, else its lead finding's.
            let headline = content
                .findings()
                .filter(|d| d.decision_id() == base(id) && !d.decision_title.is_empty())
                .map(|d| d.decision_title.as_str())
                .min()
                .unwrap_or(lead.title.as_str());
            // `{subject}` in a group's title says where the subject goes.
            let about_subject = |subject: &str| {
                if headline.contains("{subject}") {
                    headline.replace("{subject}", subject)
                } else {
                    format!("{headline} — {subject}")
                }
            };
            let headline = if headline.contains("{subject}") {
                lead.title.as_str()
            } else {
                headline
            };
            let title = match subject_of_id {
                Some(s) => {
                    let title = about_subject(s);
                    let object = subjects
                        .iter()
                        .any(|x| x.kind == SubjectKind::Object && x.id == s);
                    let who = if object {
                        writers_of(assessment, s)
                    } else {
                        holders_of(assessment, s).map(|h| (h, true))
                    };
                    // The map names who else writes (or holds) it: that says it all.
                    let complete = who.as_ref().is_some_and(|(_, all)| *all);
                    let title = match who {
                        Some((who, _)) => format!("{title}: {who}"),
                        None => title,
                    };
                    match complete {
                        true => title,
                        false => {
                            // The map does not say who else writes it (or holds it): name the
                            // systems and flows the decision was raised for, riskiest first.
                            let rest: Vec<&SubjectRef> = ordered
                                .iter()
                                .filter(|x| {
                                    matches!(x.kind, SubjectKind::System | SubjectKind::Flow)
                                })
                                .copied()
                                .collect();
                            let labels: Vec<String> = rest
                                .iter()
                                .take(2)
                                .map(|x| subject_label(assessment, &flows, x))
                                .collect();
                            if labels.is_empty() {
                                title
                            } else {
                                let noun = if rest[labels.len()..]
                                    .iter()
                                    .all(|x| x.kind == SubjectKind::Flow)
                                {
                                    (" flow", " flows")
                                } else {
                                    ("", "")
                                };
                                format!("{title} — {}", listing(&labels, rest.len(), noun))
                            }
                        }
                    }
                }
                None => {
                    // A decision about a move names the move first (what leaves, what takes
                    // over), then what else it was raised for: the systems of the move are
                    // named once.
                    let moves = &about_view.moves;
                    let in_move = |s: &&&SubjectRef| {
                        s.kind == SubjectKind::System
                            && moves.iter().any(|m| m.from == s.id || m.to.contains(&s.id))
                    };
                    let ordered: Vec<&SubjectRef> =
                        ordered.iter().filter(|s| !in_move(s)).copied().collect();
                    let labels: Vec<String> = ordered
                        .iter()
                        .take(2)
                        .map(|s| subject_label(assessment, &flows, s))
                        .collect();
                    let rest = &ordered[labels.len()..];
                    let noun = if rest.iter().all(|s| s.kind == SubjectKind::Flow) {
                        (" flow", " flows")
                    } else {
                        ("", "")
                    };
                    let others = listing(&labels, ordered.len(), noun);
                    match (moves.is_empty(), labels.is_empty()) {
                        (true, true) => headline.to_string(),
                        (true, false) => about_subject(&others),
                        (false, true) => about_subject(&move_label(assessment, moves)),
                        (false, false) => {
                            about_subject(&format!("{}; {others}", move_label(assessment, moves)))
                        }
                    }
                }
            };
            let mut about: BTreeSet<&str> = BTreeSet::new();
            match subject_of_id {
                Some(s) => {
                    about.insert(s);
                }
                None => {
                    for s in &subjects {
                        match s.kind {
                            SubjectKind::Object | SubjectKind::Capability => {
                                about.insert(s.id.as_str());
                            }
                            SubjectKind::Flow => {
                                if let Some(f) = flows.get(s.id.as_str()) {
                                    about.extend(f.objects.iter().map(|o| o.as_str()));
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            let mut depends: BTreeSet<String> = BTreeSet::new();
            for p in parts {
                for dep in content
                    .finding(&p.finding.id)
                    .map(|d| d.depends_on.as_slice())
                    .unwrap_or(&[])
                {
                    let Some(dep_base) = content.finding(&dep.id).map(|d| d.decision_id()) else {
                        continue;
                    };
                    let Some(ids) = by_base.get(dep_base) else {
                        continue;
                    };
                    // The decisions about the same subjects when there are any (its own
                    // subject, or the objects its flows carry), else all of them.
                    let same: Vec<&&str> = ids
                        .iter()
                        .filter(|x| x.split_once('@').is_some_and(|(_, s)| about.contains(s)))
                        .collect();
                    let chosen: Vec<&&str> = if same.is_empty() {
                        ids.iter().collect()
                    } else {
                        same
                    };
                    for d in chosen {
                        let d = folded.get(*d).map_or(*d, String::as_str);
                        if d != id.as_str() && base(d) != base(id) {
                            depends.insert(d.to_string());
                        }
                    }
                }
            }
            // An override names the decision, or the decision made per subject (all subjects).
            // Or a finding of it: an override written before its findings were grouped.
            let over = assessment
                .decisions
                .iter()
                .find(|d| d.id == *id)
                .or_else(|| {
                    assessment
                        .decisions
                        .iter()
                        .find(|d| folded.get(&d.id) == Some(id))
                })
                .or_else(|| assessment.decisions.iter().find(|d| d.id == base(id)))
                .or_else(|| {
                    assessment.decisions.iter().find(|d| {
                        let named = base(&d.id);
                        (parts.iter().any(|p| p.finding.id == named)
                            || content.findings().any(|f| {
                                f.decision_id() == base(id) && f.was.iter().any(|w| w == named)
                            }))
                            && d.id
                                .split_once('@')
                                .is_none_or(|(_, s)| Some(s) == subject_of_id)
                    })
                });
            let manual = over.and_then(|o| o.priority);
            let mut recommendation = content
                .finding(&lead.id)
                .map(|d| d.recommendation.trim().to_string())
                .unwrap_or_default();
            for p in parts.iter().filter(|p| p.finding.id != lead.id) {
                if let Some(d) = content.finding(&p.finding.id) {
                    let r = d.recommendation.trim();
                    if !r.is_empty() && !recommendation.contains(r) {
                        recommendation.push_str("\n\n");
                        recommendation.push_str(r);
                    }
                }
            }
            Decision {
                rank: 0,
                id: id.clone(),
                title,
                horizon,
                priority: manual.unwrap_or(computed),
                terms: Terms {
                    stake,
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
                findings: parts.iter().map(|p| p.finding.id.clone()).collect(),
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
                waits_on_open: Vec::new(),
                about: about_view,
            }
        })
        .collect();

    // An architecture change about systems that are all being retired (and nothing wider) is
    // not a decision to make: retiring them settles it. The findings stay, for the reports;
    // dependencies on it go.
    let retiring = |s: &SubjectRef| {
        s.kind == SubjectKind::System
            && assessment
                .systems
                .iter()
                .any(|x| x.id == s.id && x.status == crate::vocab::SystemStatus::Retiring)
    };
    let moot: BTreeSet<String> = decisions
        .iter()
        .filter(|d| d.horizon == Horizon::Architecture)
        .filter(|d| !d.subjects.is_empty() && d.subjects.iter().all(retiring))
        .map(|d| d.id.clone())
        .collect();
    decisions.retain(|d| !moot.contains(&d.id));
    for d in &mut decisions {
        d.depends_on.retain(|x| !moot.contains(x));
    }

    // Lanes and ranks: consequence before hygiene, then priority. A priority the assessor set
    // by hand is their judgement of the consequence: it ranks by that priority among the
    // consequential ones, whatever the content's stake.
    let hygiene = |d: &Decision| !d.terms.stake.is_consequence() && d.terms.manual.is_none();
    decisions.sort_by(|a, b| {
        (a.horizon, a.status == DecisionStatus::Rejected, hygiene(a))
            .cmp(&(b.horizon, b.status == DecisionStatus::Rejected, hygiene(b)))
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

/// Marks, on each decision, the prerequisites its findings name that were not raised but that
/// an open question could raise (by decision group id, sorted).
pub fn waits_on_open(content: &Content, decisions: &mut [Decision], open: &[OpenQuestion]) {
    let raised: BTreeSet<String> = decisions.iter().map(|d| base(&d.id).to_string()).collect();
    let askable: BTreeSet<&str> = open
        .iter()
        .flat_map(|q| q.could_raise.iter().map(String::as_str))
        .collect();
    for d in decisions.iter_mut() {
        let mut waits: BTreeSet<String> = BTreeSet::new();
        for f in &d.findings {
            for dep in content
                .finding(f)
                .map(|x| x.depends_on.as_slice())
                .unwrap_or(&[])
            {
                let Some(group) = content.finding(&dep.id).map(|x| x.decision_id()) else {
                    continue;
                };
                if group != base(&d.id) && !raised.contains(group) && askable.contains(group) {
                    waits.insert(group.to_string());
                }
            }
        }
        d.waits_on_open = waits.into_iter().collect();
    }
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
    fn reach_grows_a_tenth_per_subject_and_saturates() {
        assert_eq!(reach_factor(1), 1.0);
        assert_eq!(reach_factor(3), 1.2);
        assert_eq!(reach_factor(6), 1.5);
        assert_eq!(reach_factor(100), 1.5);
        assert_eq!(reach_factor(0), 1.0);
    }
}

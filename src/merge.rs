//! Two assessment files of one engagement merged into one (`stackmap merge`, FORMATS.md §4.11).
//!
//! Every fact has a key: a system, flow, respondent or decision override by id, an ownership
//! entry by data object, an answer by questionnaire, subject, question and respondent, a pain
//! point or initiative by id, each engagement field by name. For each key the two sides
//! (`ours`, the first file; `theirs`, the second) are compared:
//!
//! - the same on both sides (or on one side only, without a base): kept once;
//! - with a base (a three-way merge): a side that left the fact as the base had it takes the
//!   other side's version, a deletion included; a fact both sides deleted stays deleted;
//! - otherwise the sides conflict: ours is kept in place, so the file loads, and a
//!   `[[conflict]]` entry holds both sides' text until someone settles it.
//!
//! Two final answers to one question that differ cannot both stand: theirs loses its mark,
//! and a conflict says so. `updated` is the later of the two, `created` the earlier. Pure: no
//! I/O.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::vocab::DataObject;

/// The merged assessment and how many conflicts it holds (its `conflicts`, new ones
/// included).
pub struct Merged {
    pub assessment: Assessment,
    /// Conflicts this merge found (not counting those either file already held).
    pub new_conflicts: usize,
}

/// Merges `ours` and `theirs`, three-way when `base` is given.
pub fn merge(ours: &Assessment, theirs: &Assessment, base: Option<&Assessment>) -> Merged {
    let mut conflicts: Vec<Conflict> = Vec::new();
    // Every list is filled below from both sides: copying ours' lists first (tens of thousands
    // of answers on a large engagement) would only be thrown away.
    let mut out = Assessment {
        engagement: ours.engagement.clone(),
        systems: Vec::new(),
        flows: Vec::new(),
        ownership: BTreeMap::new(),
        answers: Vec::new(),
        decisions: Vec::new(),
        respondents: Vec::new(),
        conflicts: Vec::new(),
    };

    // The engagement, field by field.
    {
        let (o, t) = (&ours.engagement, &theirs.engagement);
        let b = base.map(|b| &b.engagement);
        let e = &mut out.engagement;
        macro_rules! field {
            ($f:ident, $label:expr) => {
                if let Some(v) = three(Some(&o.$f), Some(&t.$f), b.map(|b| Some(&b.$f))) {
                    e.$f = v.map_or_else(Default::default, Clone::clone);
                } else {
                    conflicts.push(conflict(
                        "engagement",
                        &format!("engagement {}", $label),
                        format!("{} = {:?}", $label, o.$f),
                        format!("{} = {:?}", $label, t.$f),
                    ));
                }
            };
        }
        field!(client, "client");
        field!(title, "title");
        field!(profile, "profile");
        field!(assessor, "assessor");
        field!(summary, "summary");
        e.created = match (o.created, t.created) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        e.updated = match (o.updated, t.updated) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
        e.pain_points = keyed(
            &o.pain_points,
            &t.pain_points,
            b.map(|b| b.pain_points.as_slice()),
            |n| n.id.as_str(),
            |n| format!("pain point {}", n.id),
            "pain-point",
            |n| format!("{n:?}"),
            &mut conflicts,
        );
        e.initiatives = keyed(
            &o.initiatives,
            &t.initiatives,
            b.map(|b| b.initiatives.as_slice()),
            |n| n.id.as_str(),
            |n| format!("initiative {}", n.id),
            "initiative",
            |n| format!("{n:?}"),
            &mut conflicts,
        );
    }

    out.respondents = keyed(
        &ours.respondents,
        &theirs.respondents,
        base.map(|b| b.respondents.as_slice()),
        |r| r.id.as_str(),
        |r| format!("respondent {}", r.id),
        "respondent",
        |r| fragment(|a| a.respondents.push(r.clone())),
        &mut conflicts,
    );
    out.systems = keyed(
        &ours.systems,
        &theirs.systems,
        base.map(|b| b.systems.as_slice()),
        |s| s.id.as_str(),
        |s| format!("system {}", s.id),
        "system",
        |s| fragment(|a| a.systems.push(s.clone())),
        &mut conflicts,
    );
    out.flows = keyed(
        &ours.flows,
        &theirs.flows,
        base.map(|b| b.flows.as_slice()),
        |f| f.id.as_str(),
        |f| format!("flow {}", f.id),
        "flow",
        |f| fragment(|a| a.flows.push(f.clone())),
        &mut conflicts,
    );
    {
        let as_list = |a: &Assessment| -> Vec<(DataObject, Ownership)> {
            a.ownership.iter().map(|(k, v)| (*k, v.clone())).collect()
        };
        let b = base.map(as_list);
        out.ownership = keyed(
            &as_list(ours),
            &as_list(theirs),
            b.as_deref(),
            |(k, _)| k.as_str(),
            |(k, _)| format!("ownership of {}", k.as_str()),
            "ownership",
            |(k, v)| {
                fragment(|a| {
                    a.ownership.insert(*k, v.clone());
                })
            },
            &mut conflicts,
        )
        .into_iter()
        .collect();
    }
    out.answers = keyed(
        &ours.answers,
        &theirs.answers,
        base.map(|b| b.answers.as_slice()),
        |x| {
            (
                x.questionnaire.as_str(),
                x.subject.as_deref(),
                x.question.as_str(),
                x.respondent.as_deref(),
            )
        },
        |x| {
            let mut s = format!("answer {}/{}", x.questionnaire, x.question);
            if let Some(sub) = &x.subject {
                s.push_str(&format!(" for {sub}"));
            }
            if let Some(r) = &x.respondent {
                s.push_str(&format!(" by {r}"));
            }
            s
        },
        "answer",
        |x| fragment(|a| a.answers.push(x.clone())),
        &mut conflicts,
    );
    // One final answer per question: two that differ (one from each side) cannot both count.
    {
        let mut finals: BTreeMap<(&str, Option<&str>, &str), usize> = BTreeMap::new();
        let ours_keys: BTreeSet<String> = ours
            .answers
            .iter()
            .filter(|x| x.is_final)
            .map(answer_key)
            .collect();
        // Only final answers matter here, ours first: theirs is the one that loses its mark.
        let (mut order, theirs_first): (Vec<usize>, Vec<usize>) = (0..out.answers.len())
            .filter(|&i| out.answers[i].is_final)
            .partition(|&i| ours_keys.contains(&answer_key(&out.answers[i])));
        order.extend(theirs_first);
        let mut lost_mark = Vec::new();
        for i in order {
            let x = &out.answers[i];
            let key = (
                x.questionnaire.as_str(),
                x.subject.as_deref(),
                x.question.as_str(),
            );
            match finals.get(&key) {
                Some(&j) if out.answers[j].state != x.state => {
                    let (kept, lost) = (&out.answers[j], &out.answers[i]);
                    conflicts.push(conflict(
                        "answer",
                        &format!("final answer {}/{}", key.0, key.2),
                        fragment(|a| a.answers.push(kept.clone())),
                        fragment(|a| a.answers.push(lost.clone())),
                    ));
                    lost_mark.push(i);
                }
                Some(_) => {}
                None => {
                    finals.insert(key, i);
                }
            }
        }
        for i in lost_mark {
            out.answers[i].is_final = false;
        }
    }
    out.decisions = keyed(
        &ours.decisions,
        &theirs.decisions,
        base.map(|b| b.decisions.as_slice()),
        |d| d.id.as_str(),
        |d| format!("decision {}", d.id),
        "decision",
        |d| fragment(|a| a.decisions.push(d.clone())),
        &mut conflicts,
    );
    dangling(&mut out, &mut conflicts);
    // Conflicts either side already held stay until settled; the same one is kept once.
    let mut held = keyed(
        &ours.conflicts,
        &theirs.conflicts,
        base.map(|b| b.conflicts.as_slice()),
        |c| c.id.as_str(),
        |c| format!("conflict {}", c.id),
        "conflict",
        |c| format!("{c:?}"),
        &mut Vec::new(),
    );
    let new_conflicts = conflicts.len();
    let mut taken: BTreeSet<String> = held.iter().map(|c| c.id.clone()).collect();
    for mut c in conflicts {
        let stem = c.id.clone();
        let mut n = 1;
        while taken.contains(&c.id) {
            n += 1;
            c.id = format!("{stem}-{n}");
        }
        taken.insert(c.id.clone());
        held.push(c);
    }
    out.conflicts = held;
    out.canonicalise();
    Merged {
        assessment: out,
        new_conflicts,
    }
}

/// Facts kept from one side that name a system or flow the other side removed (a three-way
/// merge keeps both changes): they could not load. Each goes into a conflict entry, its text
/// whole, and out of the file, so the file loads and nothing is lost.
fn dangling(out: &mut Assessment, conflicts: &mut Vec<Conflict>) {
    let systems: BTreeSet<String> = out.systems.iter().map(|s| s.id.clone()).collect();
    let gone = |id: &str| !systems.contains(id);
    let mut flows = std::mem::take(&mut out.flows);
    flows.retain(|f| {
        let missing: Vec<&str> = [Some(f.from.as_str()), Some(f.to.as_str()), f.via.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| gone(s))
            .collect();
        if missing.is_empty() {
            return true;
        }
        conflicts.push(conflict(
            "flow",
            &format!("flow {} names removed system {}", f.id, missing.join(", ")),
            fragment(|a| a.flows.push(f.clone())),
            String::new(),
        ));
        false
    });
    out.flows = flows;
    let flow_ids: BTreeSet<String> = out.flows.iter().map(|f| f.id.clone()).collect();
    let people: BTreeSet<String> = out.respondents.iter().map(|r| r.id.clone()).collect();
    let mut answers = std::mem::take(&mut out.answers);
    answers.retain(|x| match &x.respondent {
        Some(r) if !people.contains(r) => {
            conflicts.push(conflict(
                "answer",
                &format!(
                    "answer {}/{} by removed respondent {r}",
                    x.questionnaire, x.question
                ),
                fragment(|a| a.answers.push(x.clone())),
                String::new(),
            ));
            false
        }
        _ => true,
    });
    // An answer that picks a system (`system_pick`) the other side removed.
    answers.retain(|x| match &x.state {
        AnswerState::Value(Value::System(s)) if gone(s) => {
            conflicts.push(conflict(
                "answer",
                &format!(
                    "answer {}/{} names removed system {s}",
                    x.questionnaire, x.question
                ),
                fragment(|a| a.answers.push(x.clone())),
                String::new(),
            ));
            false
        }
        _ => true,
    });
    answers.retain(|x| match &x.subject {
        Some(s) if gone(s) && !flow_ids.contains(s) => {
            conflicts.push(conflict(
                "answer",
                &format!("answer {}/{} for removed {s}", x.questionnaire, x.question),
                fragment(|a| a.answers.push(x.clone())),
                String::new(),
            ));
            false
        }
        _ => true,
    });
    out.answers = answers;
    let names = |o: &Ownership| -> Vec<String> {
        let mut v: Vec<String> = o.owner.iter().chain(&o.target).cloned().collect();
        v.extend(o.writers.iter().chain(&o.readers).cloned());
        v.extend(o.said.values().cloned());
        v
    };
    // What a removed respondent said is kept in a conflict; the entry stays.
    for (object, o) in out.ownership.iter_mut() {
        let lost: BTreeMap<String, String> = o
            .said
            .iter()
            .filter(|(r, _)| !people.contains(*r))
            .map(|(r, s)| (r.clone(), s.clone()))
            .collect();
        if !lost.is_empty() {
            o.said.retain(|r, _| people.contains(r));
            conflicts.push(conflict(
                "ownership",
                &format!("ownership of {} {SAID_BY_REMOVED}", object.as_str()),
                said_line(&lost),
                String::new(),
            ));
        }
    }
    out.ownership.retain(|object, o| {
        let mut all = names(o);
        for s in o.scopes.values() {
            all.extend(names(s));
        }
        if all.iter().all(|s| !gone(s)) {
            return true;
        }
        conflicts.push(conflict(
            "ownership",
            &format!("ownership of {} names a removed system", object.as_str()),
            fragment(|a| {
                a.ownership.insert(*object, o.clone());
            }),
            String::new(),
        ));
        false
    });
    for n in out
        .engagement
        .pain_points
        .iter_mut()
        .chain(out.engagement.initiatives.iter_mut())
    {
        n.systems.retain(|s| !gone(s));
        n.flows.retain(|f| flow_ids.contains(f));
    }
}

fn answer_key(x: &Answer) -> String {
    format!(
        "{}\u{0}{}\u{0}{}\u{0}{}",
        x.questionnaire,
        x.subject.as_deref().unwrap_or(""),
        x.question,
        x.respondent.as_deref().unwrap_or("")
    )
}

/// The three-way rule for one fact: `Some(v)` the merged value (`None` inside: absent),
/// `None` a conflict.
fn three<'v, T: PartialEq>(
    o: Option<&'v T>,
    t: Option<&'v T>,
    b: Option<Option<&'v T>>,
) -> Option<Option<&'v T>> {
    if o == t {
        return Some(o);
    }
    match b {
        Some(b) if o == b => Some(t),
        Some(b) if t == b => Some(o),
        Some(_) => None,
        // Two-way: one side's fact the other does not have is kept (nothing is lost).
        None => match (o, t) {
            (Some(x), None) | (None, Some(x)) => Some(Some(x)),
            _ => None,
        },
    }
}

/// Merges two keyed lists; `base` is `Some` for a three-way merge (`Some(&[])`: a base
/// without any). Ours' order first, then theirs' new items (the caller canonicalises). Keys
/// borrow from the items: a large engagement has tens of thousands of answers, and making a
/// string of each key cost more than the rest of the merge.
#[allow(clippy::too_many_arguments)]
fn keyed<'v, T: Clone + PartialEq, K: std::hash::Hash + Eq>(
    ours: &'v [T],
    theirs: &'v [T],
    base: Option<&'v [T]>,
    key: impl Fn(&'v T) -> K,
    about: impl Fn(&T) -> String,
    what: &str,
    text: impl Fn(&T) -> String,
    conflicts: &mut Vec<Conflict>,
) -> Vec<T> {
    let index = |v: &'v [T]| -> rustc_hash::FxHashMap<K, &'v T> {
        let mut m = rustc_hash::FxHashMap::default();
        m.reserve(v.len());
        // The last of two items with one key (a valid file has none).
        for x in v {
            m.insert(key(x), x);
        }
        m
    };
    let (ti, bi) = (index(theirs), base.map(index));
    let mut out = Vec::with_capacity(ours.len().max(theirs.len()));
    let mut decide = |k: &K, o: Option<&T>, t: Option<&T>, out: &mut Vec<T>| {
        let b = bi.as_ref().map(|bm| bm.get(k).copied());
        match three(o, t, b) {
            Some(Some(v)) => out.push(v.clone()),
            Some(None) => {}
            None => {
                let shown = o.or(t).map(&about).unwrap_or_default();
                conflicts.push(conflict(
                    what,
                    &shown,
                    o.map(&text).unwrap_or_default(),
                    t.map(&text).unwrap_or_default(),
                ));
                // Ours stays in place (or theirs, where ours deleted it): nothing is lost.
                if let Some(v) = o.or(t) {
                    out.push(v.clone());
                }
            }
        }
    };
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(ours.len());
    for x in ours {
        let k = key(x);
        let t = ti.get(&k).copied();
        decide(&k, Some(x), t, &mut out);
        seen.insert(k);
    }
    for x in theirs {
        let k = key(x);
        if seen.contains(&k) {
            continue;
        }
        decide(&k, None, Some(x), &mut out);
    }
    out
}

/// A conflict entry; its id is made from what it is about (`system-shopify`).
/// The longest stem of a conflict id made from what it is about (ASCII, so cut anywhere).
const ID_STEM: usize = 56;

fn conflict(what: &str, about: &str, ours: String, theirs: String) -> Conflict {
    let mut id = String::new();
    for c in about.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    // Ids are at most 64 characters (FORMATS.md §4.11): cut to leave room for the `-N` that
    // tells two conflicts about the same thing apart.
    id.truncate(ID_STEM);
    let id = id.trim_end_matches('-').to_string();
    Conflict {
        id: if id.is_empty() { what.to_string() } else { id },
        what: what.to_string(),
        about: about.to_string(),
        ours,
        theirs,
    }
}

/// The end of the `about` of a conflict holding what removed respondents said an object's
/// owner is (`ownership of OBJECT said by removed respondents`).
const SAID_BY_REMOVED: &str = "said by removed respondents";

/// `said = { RESPONDENT = "SYSTEM", ... }`, as `[ownership.OBJECT]` writes it.
fn said_line(said: &BTreeMap<String, String>) -> String {
    let mut out = String::from("said = { ");
    for (i, (who, system)) in said.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        crate::save::table_key(&mut out, who);
        out.push_str(" = ");
        crate::save::string(&mut out, system);
    }
    out.push_str(" }");
    out
}

/// A conflict holding what removed respondents said about an object's owner: the object, and
/// what they said (`None` when its text is not a `said = { ... }` line, as files merged
/// before it was written so hold).
fn said_by_removed(c: &Conflict) -> Option<(DataObject, Option<BTreeMap<String, String>>)> {
    let object = c
        .about
        .strip_prefix("ownership of ")?
        .strip_suffix(&format!(" {SAID_BY_REMOVED}"))?;
    let object = DataObject::parse(object)?;
    if c.what != "ownership" || !c.theirs.trim().is_empty() {
        return None;
    }
    let said = toml::from_str::<toml::Table>(&c.ours)
        .ok()
        .and_then(|t| match t.get("said") {
            Some(toml::Value::Table(said)) if t.len() == 1 => said
                .iter()
                .map(|(who, v)| v.as_str().map(|s| (who.clone(), s.to_string())))
                .collect::<Option<BTreeMap<_, _>>>(),
            _ => None,
        });
    Some((object, said))
}

/// Settles a conflict over what removed respondents said: theirs leaves it out (where the
/// merge put it); ours puts it back, once those respondents are in the file again.
fn settle_said(
    content: &crate::content::Content,
    mut out: Assessment,
    object: DataObject,
    said: Option<BTreeMap<String, String>>,
    keep: Keep,
) -> Result<Assessment, String> {
    if keep == Keep::Theirs {
        return Ok(out);
    }
    let Some(said) = said else {
        return Err(format!(
            "what removed respondents said about {} is not written as `said = {{ ... }}` in \
             this conflict; put it back in [ownership.{}] by hand and delete the entry",
            object.as_str(),
            object.as_str()
        ));
    };
    let missing: Vec<&str> = said
        .keys()
        .filter(|who| !out.respondents.iter().any(|r| &r.id == *who))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "keeping ours puts back what {} said about who owns {}, but the file no longer lists \
             {} as a respondent: add them back ([[respondent]]) first, or keep theirs",
            missing.join(", "),
            object.as_str(),
            if missing.len() == 1 {
                "them"
            } else {
                "those people"
            }
        ));
    }
    out.ownership.entry(object).or_default().said.extend(said);
    let text = crate::save::to_toml(&out);
    crate::workspace::assessment_from_text(&text, "the settled file", content).map_err(|e| {
        format!(
            "keeping ours puts back what removed respondents said about {}, which would leave a \
             file stackmap refuses: {e}",
            object.as_str()
        )
    })
}

/// The TOML text of one fact, as the file writes it: the tables `fill` puts in an otherwise
/// empty assessment, without its `[engagement]`.
fn fragment(fill: impl FnOnce(&mut Assessment)) -> String {
    let mut a = Assessment::new(
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        chrono::DateTime::UNIX_EPOCH.fixed_offset(),
    );
    a.engagement.created = None;
    a.engagement.updated = None;
    fill(&mut a);
    let mut text = String::new();
    crate::save::push_assessment(&mut text, &a, "");
    match text.split_once("\n\n") {
        Some((_, rest)) => format!("{}\n", rest.trim_end()),
        None => String::new(),
    }
}

/// Which side of a conflict to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The version in the file (the first file's): the entry goes, the fact stays as it is
    /// (put back, where the merge took it out; taken out, where the first file deleted it).
    Ours,
    /// The other file's version: it takes the place of the one in the file (or is added, or
    /// the fact removed, where a side deleted it), and the entry goes.
    Theirs,
}

/// One fact of an assessment, by its key: what a conflict side's text holds when it is a
/// table `fragment` wrote (a system, flow, respondent, decision override, ownership entry or
/// answer).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fact {
    Respondent(String),
    System(String),
    Flow(String),
    Decision(String),
    /// By the data object's name.
    Ownership(String),
    Answer {
        questionnaire: String,
        subject: Option<String>,
        question: String,
        respondent: Option<String>,
    },
}

impl Fact {
    /// The fact `text` holds, when it is one fact's table as the file writes it; `None` for
    /// anything else (an engagement field, a pain point, what removed respondents said).
    fn of(text: &str) -> Option<Fact> {
        let table: toml::Table = toml::from_str(text).ok()?;
        let mut tables = table.iter();
        let (kind, v) = tables.next()?;
        if tables.next().is_some() {
            return None;
        }
        let one = || -> Option<&toml::Table> {
            match v.as_array()?.as_slice() {
                [x] => x.as_table(),
                _ => None,
            }
        };
        let text =
            |t: &toml::Table, key: &str| t.get(key).and_then(|x| x.as_str()).map(String::from);
        Some(match kind.as_str() {
            "respondent" => Fact::Respondent(text(one()?, "id")?),
            "system" => Fact::System(text(one()?, "id")?),
            "flow" => Fact::Flow(text(one()?, "id")?),
            "decision" => Fact::Decision(text(one()?, "id")?),
            "ownership" => {
                let objects = v.as_table()?;
                match objects.keys().collect::<Vec<_>>().as_slice() {
                    [object] => Fact::Ownership((*object).clone()),
                    _ => return None,
                }
            }
            "answer" => {
                let t = one()?;
                Fact::Answer {
                    questionnaire: text(t, "questionnaire")?,
                    subject: text(t, "subject"),
                    question: text(t, "question")?,
                    respondent: text(t, "respondent"),
                }
            }
            _ => return None,
        })
    }

    fn is(&self, x: &Answer) -> bool {
        matches!(self, Fact::Answer { questionnaire, subject, question, respondent }
            if *questionnaire == x.questionnaire
                && *subject == x.subject
                && *question == x.question
                && *respondent == x.respondent)
    }

    /// Whether `a` holds a version of the fact (whatever its text).
    fn held(&self, a: &Assessment) -> bool {
        match self {
            Fact::Respondent(id) => a.respondents.iter().any(|r| r.id == *id),
            Fact::System(id) => a.systems.iter().any(|s| s.id == *id),
            Fact::Flow(id) => a.flows.iter().any(|f| f.id == *id),
            Fact::Decision(id) => a.decisions.iter().any(|d| d.id == *id),
            Fact::Ownership(object) => a.ownership.keys().any(|k| k.as_str() == object),
            Fact::Answer { .. } => a.answers.iter().any(|x| self.is(x)),
        }
    }

    /// Takes the fact out of `a`, whatever version of it `a` holds.
    fn remove(&self, a: &mut Assessment) {
        match self {
            Fact::Respondent(id) => a.respondents.retain(|r| r.id != *id),
            Fact::System(id) => a.systems.retain(|s| s.id != *id),
            Fact::Flow(id) => a.flows.retain(|f| f.id != *id),
            Fact::Decision(id) => a.decisions.retain(|d| d.id != *id),
            Fact::Ownership(object) => a.ownership.retain(|k, _| k.as_str() != object),
            Fact::Answer { .. } => a.answers.retain(|x| !self.is(x)),
        }
    }

    /// The fact, readable (`flow search-feed`).
    fn named(&self) -> String {
        match self {
            Fact::Respondent(id) => format!("respondent {id}"),
            Fact::System(id) => format!("system {id}"),
            Fact::Flow(id) => format!("flow {id}"),
            Fact::Decision(id) => format!("decision {id}"),
            Fact::Ownership(object) => format!("ownership of {object}"),
            Fact::Answer {
                questionnaire,
                subject,
                question,
                respondent,
            } => {
                let mut s = format!("answer {questionnaire}/{question}");
                if let Some(sub) = subject {
                    s.push_str(&format!(" for {sub}"));
                }
                if let Some(r) = respondent {
                    s.push_str(&format!(" by {r}"));
                }
                s
            }
        }
    }
}

/// The one fact both sides of `c` are versions of (a side may be empty: it deleted it);
/// `None` where the sides are not facts by one key (an engagement field, a pain point, two
/// respondents' final answers).
fn fact_of(c: &Conflict) -> Option<Fact> {
    let (ours, theirs) = (c.ours.trim(), c.theirs.trim());
    match (ours.is_empty(), theirs.is_empty()) {
        (false, true) => Fact::of(ours),
        (true, false) => Fact::of(theirs),
        (false, false) => Fact::of(ours).filter(|f| Fact::of(theirs).as_ref() == Some(f)),
        (true, true) => None,
    }
}

/// Where a conflict's sides stand against the file that holds it: which one, if either, is
/// the version in the file (what the conflict list labels "this file").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Ours is the version in the file (the usual case: the first file's version stays).
    Ours,
    /// Ours is a fact the merge took out of the file, because it names what the other side
    /// removed (a flow to a system gone, an answer by a respondent gone); `theirs` is empty.
    /// Neither side is in the file: keeping ours puts it back, keeping theirs leaves it out.
    TakenOut,
    /// The first file deleted the fact and the second changed it: `ours` is empty and the
    /// file holds theirs. Keeping ours takes it out, keeping theirs leaves it.
    Theirs,
}

/// Where conflict `c`'s sides stand against `a` (the file that holds it).
pub fn standing(a: &Assessment, c: &Conflict) -> Standing {
    // What removed respondents said: out of the file unless put back by hand.
    if let Some((object, said)) = said_by_removed(c) {
        let held = a.ownership.get(&object).map(|o| &o.said);
        let back = said.is_some_and(|said| {
            held.is_some_and(|h| said.iter().all(|(who, s)| h.get(who) == Some(s)))
        });
        return if back {
            Standing::Ours
        } else {
            Standing::TakenOut
        };
    }
    let (ours, theirs) = (c.ours.trim().is_empty(), c.theirs.trim().is_empty());
    match fact_of(c).map(|f| f.held(a)) {
        Some(false) if !ours && theirs => Standing::TakenOut,
        Some(true) if ours && !theirs => Standing::Theirs,
        _ => Standing::Ours,
    }
}

/// Settles the conflict `id`: the assessment with the side kept and the entry gone, checked to
/// load. An error says why (no such conflict; the kept side would not load, say a flow to a
/// system that is gone, or taking a fact out would leave something naming it), and nothing
/// changes.
pub fn settle(
    content: &crate::content::Content,
    a: &Assessment,
    id: &str,
    keep: Keep,
) -> Result<Assessment, String> {
    let Some(i) = a.conflicts.iter().position(|c| c.id == id) else {
        let ids: Vec<&str> = a.conflicts.iter().map(|c| c.id.as_str()).collect();
        return Err(if ids.is_empty() {
            "the file has no conflicts to settle".into()
        } else {
            format!("no conflict `{id}`; the file has: {}", ids.join(", "))
        });
    };
    let mut out = a.clone();
    let c = out.conflicts.remove(i);
    if let Some(fact) = fact_of(&c) {
        return settle_fact(content, out, &c, &fact, keep);
    }
    if let Some((object, said)) = said_by_removed(&c) {
        return settle_said(content, out, object, said, keep);
    }
    // Not one fact by its key (an engagement field, a pain point, two respondents' final
    // answers): ours is what the file holds; theirs takes its text's place.
    if keep == Keep::Ours {
        return Ok(out);
    }
    let ours = c.ours.trim_end();
    let theirs = c.theirs.trim_end();
    let text = crate::save::to_toml(&out);
    let swapped = if ours.is_empty() {
        format!("{}\n\n{theirs}\n", text.trim_end())
    } else {
        let Some(at) = text.find(&format!("\n{ours}\n")) else {
            return Err(format!(
                "the file's version of {} is not as the conflict recorded it; settle it by hand",
                c.about
            ));
        };
        let end = at + 1 + ours.len();
        format!("{}{theirs}{}", &text[..at + 1], &text[end..])
    };
    crate::workspace::assessment_from_text(&swapped, "the settled file", content).map_err(|e| {
        format!(
            "keeping the other file's {} would leave a file stackmap refuses: {e}",
            c.about
        )
    })
}

/// Settles a conflict over one fact by its key: the file ends up as the side kept says. Ours
/// leaves the file's version where it holds one (put back where the merge took it out, taken
/// out where the first file deleted it); theirs puts the other file's version in place of
/// whatever version the file holds, one added by hand since the merge included, or takes the
/// fact out where the other file has none.
fn settle_fact(
    content: &crate::content::Content,
    mut out: Assessment,
    c: &Conflict,
    fact: &Fact,
    keep: Keep,
) -> Result<Assessment, String> {
    let held = fact.held(&out);
    let side = match keep {
        Keep::Ours => c.ours.trim_end(),
        Keep::Theirs => c.theirs.trim_end(),
    };
    let whose = match keep {
        Keep::Ours => "ours",
        Keep::Theirs => "theirs",
    };
    // The file's own version is ours: it stays.
    if keep == Keep::Ours && held && !side.is_empty() {
        return Ok(out);
    }
    if side.is_empty() {
        // The side kept has no such fact: nothing to take out, or it goes.
        if !held {
            return Ok(out);
        }
        fact.remove(&mut out);
        let text = crate::save::to_toml(&out);
        return crate::workspace::assessment_from_text(&text, "the settled file", content).map_err(
            |e| {
                format!(
                    "keeping {whose} takes {} out of the file, but the file still names it \
                     (change or remove that first): {e}",
                    fact.named()
                )
            },
        );
    }
    let put_back = keep == Keep::Ours;
    fact.remove(&mut out);
    let text = crate::save::to_toml(&out);
    let swapped = format!("{}\n\n{side}\n", text.trim_end());
    crate::workspace::assessment_from_text(&swapped, "the settled file", content).map_err(|e| {
        if put_back {
            format!(
                "keeping ours puts {} back in the file ({}), which would leave a file \
                 stackmap refuses: {e}",
                fact.named(),
                c.about
            )
        } else {
            format!(
                "keeping the other file's {} would leave a file stackmap refuses: {e}",
                c.about
            )
        }
    })
}

//! Edits to an assessment that reach beyond the item edited: removing a system or a flow
//! with everything that names it. Pure: the shells load, ask, and save (the command line's
//! `stackmap remove` under the sidecar lock, the terminal UI's inventory screen through its
//! one checked edit path), and both show what goes before it goes.

use crate::model::{Answer, AnswerState, Assessment, Note, Ownership, Value};

/// What removing a system or a flow takes along with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removal {
    /// The flows that go: for a system, every flow from, to or via it, in file order; for a
    /// flow, none (the flow itself is not listed).
    pub flows: Vec<String>,
    /// How many answers go: those about the system or the flow, about the flows that go, and
    /// those that pick the system as their value (a pick of a system that is gone would leave
    /// a file stackmap refuses to open).
    pub answers: usize,
    /// How many places in the ownership map (owner, target, writer, reader) name the system;
    /// an object whose ownership is left empty leaves the map.
    pub places: usize,
    /// How many pain points and initiatives lose a link to the system or to a flow that goes
    /// (the notes themselves stay).
    pub notes: usize,
}

impl Removal {
    /// Whether nothing else goes with it.
    pub fn is_empty(&self) -> bool {
        self.flows.is_empty() && self.answers == 0 && self.places == 0 && self.notes == 0
    }
}

/// Makes the flows that pass through the hub `hub` (their `via`) direct, from their source to
/// their destination, so that removing the hub keeps them. Returns their ids, in file order.
pub fn make_direct(a: &mut Assessment, hub: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for f in &mut a.flows {
        if f.via.as_deref() == Some(hub) && f.from != hub && f.to != hub {
            f.via = None;
            ids.push(f.id.clone());
        }
    }
    ids
}

/// The flows that pass through the system `id` as their hub (not from or to it).
pub fn through(a: &Assessment, id: &str) -> Vec<String> {
    a.flows
        .iter()
        .filter(|f| f.via.as_deref() == Some(id) && f.from != id && f.to != id)
        .map(|f| f.id.clone())
        .collect()
}

/// What removing the system `id` would take along; empty when nothing names it.
pub fn system_removal(a: &Assessment, id: &str) -> Removal {
    let flows: Vec<String> = a
        .flows
        .iter()
        .filter(|f| f.from == id || f.to == id || f.via.as_deref() == Some(id))
        .map(|f| f.id.clone())
        .collect();
    let answers = a
        .answers
        .iter()
        .filter(|x| names_system(x, id, &flows))
        .count();
    let places = a
        .ownership
        .values()
        .flat_map(|own| own.views())
        .map(|(_, w)| {
            usize::from(w.owner.as_deref() == Some(id))
                + usize::from(w.target.as_deref() == Some(id))
                + w.writers.iter().filter(|x| *x == id).count()
                + w.readers.iter().filter(|x| *x == id).count()
        })
        .sum();
    let notes = notes(a)
        .filter(|n| n.systems.iter().any(|x| x == id) || n.flows.iter().any(|x| flows.contains(x)))
        .count();
    Removal {
        flows,
        answers,
        places,
        notes,
    }
}

/// What removing the flow `id` would take along; empty when nothing names it.
pub fn flow_removal(a: &Assessment, id: &str) -> Removal {
    Removal {
        flows: Vec::new(),
        answers: a
            .answers
            .iter()
            .filter(|x| x.subject.as_deref() == Some(id))
            .count(),
        places: 0,
        notes: notes(a).filter(|n| n.flows.iter().any(|x| x == id)).count(),
    }
}

/// Removes the system `id` and everything that names it: its flows (from, to or via it), the
/// answers about it and about them or picking it, its places in the ownership map and its links from pain
/// points and initiatives. Returns what went besides the system (what [`system_removal`]
/// said); an unknown id changes nothing.
pub fn remove_system(a: &mut Assessment, id: &str) -> Removal {
    let removal = system_removal(a, id);
    let flows = &removal.flows;
    a.systems.retain(|s| s.id != id);
    a.flows.retain(|f| !flows.contains(&f.id));
    a.answers.retain(|x| !names_system(x, id, flows));
    fn forget(w: &mut Ownership, id: &str) {
        if w.owner.as_deref() == Some(id) {
            w.owner = None;
            // A settled owner that is gone settles nothing.
            w.is_final = false;
        }
        // What a respondent said names a system that is gone: it goes with it.
        w.said.retain(|_, x| x != id);
        if w.target.as_deref() == Some(id) {
            w.target = None;
        }
        w.writers.retain(|x| x != id);
        w.readers.retain(|x| x != id);
    }
    for w in a.ownership.values_mut() {
        forget(w, id);
        for x in w.scopes.values_mut() {
            forget(x, id);
        }
        w.scopes.retain(|_, x| *x != Ownership::default());
    }
    // A scope no system serves any more goes with its entries (they could not be loaded).
    let labels: std::collections::BTreeSet<String> = a
        .systems
        .iter()
        .flat_map(|s| s.scopes.iter().cloned())
        .collect();
    for w in a.ownership.values_mut() {
        w.scopes.retain(|l, _| labels.contains(l));
    }
    a.ownership.retain(|_, w| *w != Ownership::default());
    for n in a
        .engagement
        .pain_points
        .iter_mut()
        .chain(a.engagement.initiatives.iter_mut())
    {
        n.systems.retain(|x| x != id);
        n.flows.retain(|x| !flows.contains(x));
    }
    removal
}

/// Removes the flow `id`, the answers about it and its links from pain points and
/// initiatives. Returns what went besides the flow; an unknown id changes nothing.
pub fn remove_flow(a: &mut Assessment, id: &str) -> Removal {
    let removal = flow_removal(a, id);
    a.flows.retain(|f| f.id != id);
    a.answers.retain(|x| x.subject.as_deref() != Some(id));
    for n in a
        .engagement
        .pain_points
        .iter_mut()
        .chain(a.engagement.initiatives.iter_mut())
    {
        n.flows.retain(|x| x != id);
    }
    removal
}

/// Whether an answer is about the system `id` or one of its `flows`, or picks `id`.
fn names_system(x: &Answer, id: &str, flows: &[String]) -> bool {
    x.subject
        .as_deref()
        .is_some_and(|s| s == id || flows.iter().any(|f| f == s))
        || matches!(&x.state, AnswerState::Value(Value::System(s)) if s == id)
}

/// The pain points and initiatives.
fn notes(a: &Assessment) -> impl Iterator<Item = &Note> {
    a.engagement
        .pain_points
        .iter()
        .chain(&a.engagement.initiatives)
}

// ---------------------------------------------------------------------------------------
// Changes the command line makes as the screens do (`stackmap own`, `engagement`,
// `answer --rest-unknown`)

/// A change to one entry of the ownership map: `None` leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnershipChange {
    /// `Some(None)` clears the owner.
    pub owner: Option<Option<String>>,
    pub target: Option<Option<String>>,
    pub writers: Option<Vec<String>>,
    pub readers: Option<Vec<String>>,
    pub note: Option<String>,
    /// What one respondent said the owner is: (respondent id, system id; `None` forgets it).
    pub said: Option<(String, Option<String>)>,
    /// `final = true` (the owner is settled) or `false`.
    pub settled: Option<bool>,
}

/// Applies `change` to the ownership of `object`, estate-wide or within `scope`. Every system
/// named must be a system of the assessment (an owner or target that is one of the
/// `ABSENCE_WORDS` clears it), and a scope one that some system serves; the message of an
/// `Err` says what was expected. An entry left empty leaves the map.
pub fn set_ownership(
    a: &mut Assessment,
    object: crate::vocab::DataObject,
    scope: Option<&str>,
    change: &OwnershipChange,
) -> Result<(), String> {
    // `none`, `nobody`, `n/a` or `-` where a system belongs says there is none (unless a
    // system has that id): the same as leaving it empty.
    let mut change = change.clone();
    for part in [&mut change.owner, &mut change.target] {
        if let Some(Some(id)) = part
            && a.system(id).is_none()
            && crate::model::is_absence_word(id)
        {
            *part = Some(None);
        }
    }
    let change = &change;
    let known = |id: &str, what: &str| -> Result<(), String> {
        if a.system(id).is_some() {
            Ok(())
        } else {
            Err(format!(
                "{what} `{id}` is not a system of this assessment{}",
                crate::diag::hint(id, a.systems.iter().map(|s| s.id.as_str()))
            ))
        }
    };
    if let Some(Some(id)) = &change.owner {
        known(id, "--owner")?;
    }
    if let Some(Some(id)) = &change.target {
        known(id, "--target")?;
    }
    for id in change.writers.iter().flatten() {
        known(id, "--writers")?;
    }
    for id in change.readers.iter().flatten() {
        known(id, "--readers")?;
    }
    if let Some((who, system)) = &change.said {
        if a.respondent(who).is_none() {
            return Err(format!(
                "`{who}` is not a respondent of this assessment{}; add one with `stackmap respondent FILE --id ID --name NAME`",
                crate::diag::hint(who, a.respondents.iter().map(|r| r.id.as_str()))
            ));
        }
        if let Some(id) = system {
            known(id, "--said")?;
        }
    }
    if let Some(label) = scope {
        crate::validate::assessment::scope_label(label)
            .map_err(|why| format!("--scope `{label}`: {why}"))?;
        if !a
            .systems
            .iter()
            .any(|s| s.scopes.iter().any(|x| x == label))
        {
            let mut labels: Vec<&str> = a
                .systems
                .iter()
                .flat_map(|s| s.scopes.iter().map(String::as_str))
                .collect();
            labels.sort_unstable();
            labels.dedup();
            return Err(format!(
                "--scope `{label}`: no system serves that scope; give a system the scope first (its `scopes`){}",
                crate::diag::hint(label, labels)
            ));
        }
    }
    let whole = a.ownership.entry(object).or_default();
    let entry = match scope {
        Some(label) => whole.scopes.entry(label.to_string()).or_default(),
        None => whole,
    };
    if let Some(owner) = &change.owner {
        entry.owner.clone_from(owner);
    }
    if let Some(target) = &change.target {
        entry.target.clone_from(target);
    }
    if let Some(w) = &change.writers {
        entry.writers = dedup(w);
    }
    if let Some(r) = &change.readers {
        entry.readers = dedup(r);
    }
    if let Some(n) = &change.note {
        entry.note.clone_from(n);
    }
    if let Some((who, system)) = &change.said {
        match system {
            Some(s) => {
                entry.said.insert(who.clone(), s.clone());
            }
            None => {
                entry.said.remove(who);
            }
        }
    }
    if let Some(f) = change.settled {
        if f && entry.owner.is_none() {
            return Err(
                "--final settles the owner: the entry needs an owner (--owner SYSTEM)".into(),
            );
        }
        entry.is_final = f;
    }
    if entry.owner.is_none() {
        entry.is_final = false;
    }
    if let Some(whole) = a.ownership.get_mut(&object) {
        whole.scopes.retain(|_, x| *x != Ownership::default());
    }
    a.ownership.retain(|_, w| *w != Ownership::default());
    Ok(())
}

fn dedup(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// Adds a pain point (or, with `initiative`, an initiative) about `about`: each a system, flow
/// or data object id, looked up in that order. Its id is made from the text, never one taken.
/// Returns the new note's id.
pub fn add_note(
    a: &mut Assessment,
    initiative: bool,
    text: &str,
    about: &[String],
) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("the text is empty; say what the point is".into());
    }
    let mut note = Note {
        id: String::new(),
        text: text.to_string(),
        systems: Vec::new(),
        flows: Vec::new(),
        objects: Vec::new(),
    };
    for id in about.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if a.system(id).is_some() {
            if !note.systems.iter().any(|x| x == id) {
                note.systems.push(id.to_string());
            }
        } else if a.flow(id).is_some() {
            if !note.flows.iter().any(|x| x == id) {
                note.flows.push(id.to_string());
            }
        } else if let Some(o) = <crate::vocab::DataObject as crate::vocab::Vocab>::parse(id) {
            if !note.objects.contains(&o) {
                note.objects.push(o);
            }
        } else {
            let objects = <crate::vocab::DataObject as crate::vocab::Vocab>::all()
                .iter()
                .map(|o| crate::vocab::Vocab::as_str(*o));
            return Err(format!(
                "--about `{id}` is not a system, flow or data object of this assessment{}",
                crate::diag::hint(
                    id,
                    a.systems
                        .iter()
                        .map(|s| s.id.as_str())
                        .chain(a.flows.iter().map(|f| f.id.as_str()))
                        .chain(objects)
                )
            ));
        }
    }
    let list = if initiative {
        &mut a.engagement.initiatives
    } else {
        &mut a.engagement.pain_points
    };
    let stem = crate::validate::suggest_id(text);
    let stem = if stem.is_empty() {
        if initiative { "initiative" } else { "pain" }.to_string()
    } else {
        stem
    };
    note.id = crate::validate::free_id(&stem, |id| list.iter().any(|n| n.id == id))
        .ok_or_else(|| "no free id for it".to_string())?;
    let id = note.id.clone();
    list.push(note);
    Ok(id)
}

/// Marks as unknown every question of `questionnaire` asked of `subject` that applies and has
/// no answer yet (none, or an open one: its note and evidence stay), as the evaluation `e` of
/// `a` says. Returns the ids of the questions marked, in the order the evaluation lists them.
pub fn rest_unknown(
    a: &mut Assessment,
    e: &crate::engine::Evaluation,
    questionnaire: &str,
    subject: Option<&str>,
    by: &str,
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> Vec<String> {
    let mut marked = Vec::new();
    for s in &e.questions {
        if &*s.questionnaire != questionnaire
            || s.subject.as_deref() != subject
            || !s.applicable
            || s.answered
            || s.unknown
        {
            continue;
        }
        let existing = a.answers.iter_mut().find(|x| {
            x.questionnaire == questionnaire
                && x.subject.as_deref() == subject
                && x.question == *s.question
                && x.respondent.is_none()
        });
        match existing {
            Some(x) if x.state == AnswerState::Open => {
                x.state = AnswerState::Unknown;
                x.by = by.to_string();
                x.at = at;
            }
            Some(_) => continue,
            None => {
                let mut x = Answer::new(
                    questionnaire.to_string(),
                    subject.map(str::to_string),
                    s.question.to_string(),
                    AnswerState::Unknown,
                );
                x.by = by.to_string();
                x.at = at;
                a.answers.push(x);
            }
        }
        marked.push(s.question.to_string());
    }
    a.canonicalise();
    marked
}

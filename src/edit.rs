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
        }
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

//! Architecture decisions as MADR drafts: one Markdown file per decision in the architecture
//! lane, numbered once and for good.
//!
//! The numbering lives in a manifest beside the drafts (`.stackmap-adr.json`): decision id →
//! number, file name and the fingerprint of the text stackmap last wrote. A re-export keeps
//! every number and file name it finds there and gives a new decision the next free number,
//! so nothing is ever renumbered. A draft whose text no longer matches its fingerprint was
//! edited by someone: the CLI leaves it alone unless `--force`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{fingerprint, slug};
use crate::engine::{Decision, SubjectKind};
use crate::report::markdown::md;
use crate::report::{Audience, Input};
use crate::vocab::{DecisionStatus, Horizon};

/// The manifest's file name inside the ADR folder.
pub const MANIFEST: &str = ".stackmap-adr.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Decision id → its draft.
    pub adrs: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub number: u32,
    pub file: String,
    /// The fingerprint of the text stackmap wrote last (`export::fingerprint`).
    pub fingerprint: String,
}

impl Manifest {
    pub fn parse(text: &str) -> Option<Manifest> {
        serde_json::from_str(text).ok()
    }

    pub fn to_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// One draft to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: String,
    pub number: u32,
    pub file: String,
    pub text: String,
}

/// The decisions that get an ADR: the architecture lane, in rank order.
pub fn decisions<'e>(r: &Input<'e>) -> Vec<&'e Decision> {
    r.evaluation.ranked(Horizon::Architecture)
}

/// The drafts for every architecture decision, numbered from the manifest: known ids keep
/// their number and file, new ones take the next numbers in rank order.
pub fn plan(r: &Input, manifest: &Manifest) -> Vec<Draft> {
    let mut next = manifest.adrs.values().map(|e| e.number).max().unwrap_or(0) + 1;
    let mut out = Vec::new();
    for d in decisions(r) {
        let (number, file) = match manifest.adrs.get(&d.id) {
            Some(e) => (e.number, e.file.clone()),
            None => {
                let n = next;
                next += 1;
                let mut s = slug(&d.id, '-', "decision");
                s.truncate(60);
                let s = s.trim_end_matches('-').to_string();
                (n, format!("{n:04}-{s}.md"))
            }
        };
        out.push(Draft {
            id: d.id.clone(),
            number,
            file,
            text: render(r, d, number),
        });
    }
    out.sort_by_key(|x| x.number);
    out
}

/// The manifest after writing `drafts` (an entry for each, with the fingerprint of the text
/// written; entries of drafts not written this time are kept as they were).
pub fn updated(manifest: &Manifest, written: &[&Draft]) -> Manifest {
    let mut m = manifest.clone();
    for d in written {
        m.adrs.insert(
            d.id.clone(),
            Entry {
                number: d.number,
                file: d.file.clone(),
                fingerprint: fingerprint(&d.text),
            },
        );
    }
    m
}

/// MADR's status for a decision's.
pub fn madr_status(s: DecisionStatus) -> &'static str {
    match s {
        DecisionStatus::Open | DecisionStatus::Deferred => "proposed",
        DecisionStatus::Accepted => "accepted",
        DecisionStatus::Rejected => "rejected",
    }
}

fn first_sentence(s: &str) -> &str {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

/// A YAML double-quoted scalar (a JSON string is one).
fn yaml(s: &str) -> String {
    serde_json::to_string(&crate::text::safe(s)).unwrap_or_default()
}

pub fn render(r: &Input, d: &Decision, number: u32) -> String {
    let a = r.assessment;
    let mut o = String::new();
    o.push_str("---\n");
    let _ = writeln!(o, "status: {}", madr_status(d.status));
    if let Some(t) = a.engagement.updated.or(a.engagement.created) {
        let _ = writeln!(o, "date: {}", t.format("%Y-%m-%d"));
    }
    if !d.owner.trim().is_empty() {
        let _ = writeln!(o, "decision-makers: {}", yaml(&d.owner));
    }
    let _ = writeln!(o, "stackmap-id: {}", yaml(&d.id));
    o.push_str("---\n\n");
    let _ = writeln!(o, "# {number}. {}\n", md(&d.title));
    if d.status == DecisionStatus::Deferred {
        o.push_str("Deferred: agreed, for later.\n\n");
    }

    o.push_str("## Context and Problem Statement\n\n");
    let _ = writeln!(
        o,
        "The {} assessment raised this as an architecture change (rank {} of its lane, {}).\n",
        md(&a.engagement.client),
        d.rank,
        md(&d.terms.product())
    );
    for b in &d.because {
        let _ = writeln!(o, "* {}", md(&b.text));
    }
    // The ownership map, for the data objects the decision is about.
    // The objects it is made for, where it is made per object; else its findings' objects.
    let mut objects: Vec<crate::vocab::DataObject> = d
        .subjects
        .iter()
        .filter(|s| s.kind == SubjectKind::Object)
        .filter_map(|s| crate::vocab::DataObject::parse(&s.id))
        .collect();
    if objects.is_empty() {
        objects = d
            .findings
            .iter()
            .filter_map(|f| r.content.finding(f))
            .flat_map(|f| f.objects.iter().copied())
            .collect();
    }
    objects.sort();
    objects.dedup();
    let owned: Vec<String> = objects
        .iter()
        .filter_map(|k| a.ownership.get(k).map(|w| (k, w)))
        .map(|(k, w)| {
            let name = |x: &Option<String>| {
                x.as_deref()
                    .map_or("not named".to_string(), |s| md(&r.system_name(s)))
            };
            format!(
                "* {k}: source of truth today {}, in the target {}",
                name(&w.owner),
                name(&w.target.clone().or(w.owner.clone()))
            )
        })
        .collect();
    if !owned.is_empty() {
        o.push_str("\nOwnership map:\n\n");
        for l in owned {
            let _ = writeln!(o, "{l}");
        }
    }

    o.push_str("\n## Decision Drivers\n\n");
    let _ = writeln!(
        o,
        "* What is at stake: {} ({})",
        d.terms.stake,
        d.terms.stake.description()
    );
    let _ = writeln!(
        o,
        "* Impact {} of 5, risk {} of 5, effort {} of 5",
        d.terms.impact, d.terms.risk, d.terms.effort
    );

    o.push_str("\n## Considered Options\n\n");
    let chosen = md(first_sentence(&d.recommendation));
    let _ = writeln!(o, "* {chosen}");
    o.push_str("* Keep the current arrangement\n");
    // Where the content names alternatives: the systems side by side in a vendor comparison
    // of a category the decision's systems belong to.
    let systems: Vec<&str> = d
        .subjects
        .iter()
        .filter(|s| s.kind == SubjectKind::System)
        .map(|s| s.id.as_str())
        .collect();
    for v in &r.evaluation.vendors {
        if v.systems
            .iter()
            .any(|x| systems.contains(&x.system.as_str()))
        {
            for x in &v.systems {
                let _ = writeln!(o, "* {} ({}, {})", md(&x.name), md(&x.vendor), x.status);
            }
        }
    }

    o.push_str("\n## Decision Outcome\n\n");
    let _ = writeln!(
        o,
        "Chosen option: \"{chosen}\", because it addresses the reasons above. Status: {}{}.\n",
        d.status,
        if d.owner.trim().is_empty() {
            String::new()
        } else {
            format!(", owned by {}", md(&d.owner))
        }
    );
    let _ = writeln!(o, "{}", md(&d.recommendation));
    if !d.note.trim().is_empty() {
        let _ = writeln!(o, "\nNote: {}", md(&d.note));
    }
    if r.audience == Audience::Internal && !d.terms.manual_reason.trim().is_empty() {
        let _ = writeln!(o, "\nPriority set by hand: {}", md(&d.terms.manual_reason));
    }

    o.push_str("\n### Consequences\n\n");
    for f in &d.findings {
        let t = r
            .content
            .finding(f)
            .map_or_else(|| f.clone(), |x| x.title.clone());
        let _ = writeln!(o, "* Good, because it resolves: {}", md(&t));
    }
    let _ = writeln!(
        o,
        "* Bad, because it takes effort {} of 5{}",
        d.terms.effort,
        d.slice
            .map_or(String::new(), |s| format!(" (roadmap slice {s})"))
    );
    for dep in &d.depends_on {
        let t = r
            .evaluation
            .decision(dep)
            .map_or_else(|| dep.clone(), |x| x.title.clone());
        let _ = writeln!(o, "* Bad, because it waits for: {}", md(&t));
    }
    let _ = writeln!(
        o,
        "\n<!-- Drafted by stackmap from decision {}. Edit freely: an edited draft is not overwritten without --force. -->",
        crate::text::safe(&d.id).replace("--", "- -")
    );
    o
}

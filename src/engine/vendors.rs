//! Vendor comparison: per category, the systems of that category side by side — existing,
//! retiring and candidates — with their vendor-fit and coupling scores, the findings each
//! raises and the flows each adds (a candidate) or would take with it (a running system).
//! Computed here so the TUI and the reports show the same numbers.

use std::collections::{BTreeMap, HashMap};

use super::*;
use crate::model::Assessment;

pub fn compare(
    a: &Assessment,
    subjects: &[SubjectScore],
    findings: &[FindingResult],
) -> Vec<VendorComparison> {
    let mut by_cat: BTreeMap<Category, Vec<&crate::model::System>> = BTreeMap::new();
    for s in &a.systems {
        by_cat.entry(s.category).or_default().push(s);
    }
    // Indexes built once: a large engagement has hundreds of systems and thousands of
    // finding subjects, and looking each up by scanning would be quadratic.
    let scores: HashMap<&str, &SubjectScore> = subjects
        .iter()
        .filter(|x| x.kind == SubjectKind::System)
        .map(|x| (x.id.as_str(), x))
        .collect();
    let mut raised: HashMap<&str, Vec<String>> = HashMap::new();
    for f in findings {
        for s in f.subjects.iter().filter(|s| s.kind == SubjectKind::System) {
            raised.entry(s.id.as_str()).or_default().push(f.id.clone());
        }
    }
    let mut touching: HashMap<&str, Vec<String>> = HashMap::new();
    for f in &a.flows {
        let mut ends = vec![f.from.as_str(), f.to.as_str()];
        ends.extend(f.via.as_deref());
        ends.dedup();
        for e in ends {
            touching.entry(e).or_default().push(f.id.clone());
        }
    }
    let empty = Score {
        score: None,
        coverage: 0.0,
        answered: 0,
        applicable: 0,
        short: false,
    };
    by_cat
        .into_iter()
        .filter(|(_, systems)| systems.len() >= 2)
        .map(|(category, mut systems)| {
            systems.sort_by(|x, y| x.id.cmp(&y.id));
            let entries = systems
                .into_iter()
                .map(|s| {
                    let dim = |d: Dimension| {
                        scores
                            .get(s.id.as_str())
                            .and_then(|x| x.dimensions.iter().find(|ds| ds.id == d))
                            .map_or_else(|| empty.clone(), |ds| ds.score.clone())
                    };
                    let mut flows = touching.get(s.id.as_str()).cloned().unwrap_or_default();
                    flows.sort();
                    flows.dedup();
                    VendorEntry {
                        system: s.id.clone(),
                        name: s.name.clone(),
                        vendor: s.vendor.clone(),
                        status: s.status,
                        time: s.time,
                        vendor_fit: dim(Dimension::VendorFit),
                        coupling: dim(Dimension::Coupling),
                        findings: raised.get(s.id.as_str()).cloned().unwrap_or_default(),
                        flows,
                    }
                })
                .collect();
            VendorComparison {
                category,
                systems: entries,
            }
        })
        .collect()
}

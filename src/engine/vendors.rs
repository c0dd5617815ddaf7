//! Vendor comparison: per category, the systems of that category side by side — existing,
//! retiring and candidates — with their vendor-fit and coupling scores, the findings each
//! raises and the flows each adds (a candidate) or would take with it (a running system).
//! Computed here so the TUI and the reports show the same numbers.

use std::collections::BTreeMap;

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
    let empty = Score {
        score: None,
        coverage: 0.0,
        answered: 0,
        applicable: 0,
    };
    by_cat
        .into_iter()
        .filter(|(_, systems)| systems.len() >= 2)
        .map(|(category, mut systems)| {
            systems.sort_by(|x, y| x.id.cmp(&y.id));
            let entries = systems
                .into_iter()
                .map(|s| {
                    let scores = subjects
                        .iter()
                        .find(|x| x.kind == SubjectKind::System && x.id == s.id);
                    let dim = |d: Dimension| {
                        scores
                            .and_then(|x| x.dimensions.iter().find(|ds| ds.id == d))
                            .map_or_else(|| empty.clone(), |ds| ds.score.clone())
                    };
                    let mut flows: Vec<String> = a
                        .flows
                        .iter()
                        .filter(|f| {
                            f.from == s.id || f.to == s.id || f.via.as_deref() == Some(&s.id)
                        })
                        .map(|f| f.id.clone())
                        .collect();
                    flows.sort();
                    VendorEntry {
                        system: s.id.clone(),
                        name: s.name.clone(),
                        vendor: s.vendor.clone(),
                        status: s.status,
                        time: s.time,
                        vendor_fit: dim(Dimension::VendorFit),
                        coupling: dim(Dimension::Coupling),
                        findings: findings
                            .iter()
                            .filter(|f| {
                                f.subjects
                                    .iter()
                                    .any(|x| x.kind == SubjectKind::System && x.id == s.id)
                            })
                            .map(|f| f.id.clone())
                            .collect(),
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

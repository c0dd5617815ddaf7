//! Handoff exports: the decisions as tickets (Jira CSV, GitHub issues), the architecture
//! decisions as MADR drafts, the map as a Structurizr DSL workspace or a Backstage catalog,
//! progress across snapshots (`trend`) and the risk heat map the reports and the Results
//! screen show.
//!
//! Every function here is pure: it takes the same `report::Input` (content, assessment, the
//! engine's `Evaluation`) every screen and report reads and returns text or plain data. No
//! clock: the only dates are the assessment's and the snapshots'. Every string that came
//! from a file passes through `text::safe` and then the quoting of its target format, as the
//! reports do. The CLI (`cli::export`) does the file work.

pub mod adr;
pub mod architecture;
pub mod heatmap;
pub mod tickets;
pub mod trend;

use crate::engine::Decision;
use crate::report::Input;
use crate::vocab::Horizon;

/// Which decisions a ticket export takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// One lane only.
    pub lane: Option<Horizon>,
    /// One roadmap slice only.
    pub slice: Option<u32>,
}

/// The decisions a ticket export takes, in roadmap order: by slice, then lane (immediate
/// fixes first), then rank, then id. Rejected decisions are no work to track: they stay out.
pub fn chosen<'e>(r: &Input<'e>, f: &Filter) -> Vec<&'e Decision> {
    let mut v: Vec<&Decision> = r
        .evaluation
        .decisions
        .iter()
        .filter(|d| d.status != crate::vocab::DecisionStatus::Rejected)
        .filter(|d| f.lane.is_none_or(|l| d.horizon == l))
        .filter(|d| f.slice.is_none_or(|s| d.slice == Some(s)))
        .collect();
    v.sort_by(|a, b| {
        (a.slice.unwrap_or(u32::MAX), a.horizon, a.rank, &a.id).cmp(&(
            b.slice.unwrap_or(u32::MAX),
            b.horizon,
            b.rank,
            &b.id,
        ))
    });
    v
}

/// A lane as people read it.
pub fn lane_title(h: Horizon) -> &'static str {
    match h {
        Horizon::Immediate => "Immediate fix",
        Horizon::Architecture => "Architecture change",
    }
}

/// An identifier made of ASCII letters, digits and `sep` from any text: other characters
/// become `sep`, runs collapse, the ends are trimmed; empty text gives `fallback`.
pub fn slug(s: &str, sep: char, fallback: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(sep) {
            out.push(sep);
        }
    }
    while out.ends_with(sep) {
        out.pop();
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// FNV-1a, 64 bits, as 16 hex digits: enough to tell whether a file stackmap wrote was
/// edited since (not a defence against anyone; a mismatch only means "leave it alone").
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Finance Systems (EU)", '-', "x"), "finance-systems-eu");
        assert_eq!(slug("«»", '-', "x"), "x");
        assert_eq!(slug("a__b", '_', "x"), "a_b");
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_ne!(fingerprint("a"), fingerprint("b"));
    }
}

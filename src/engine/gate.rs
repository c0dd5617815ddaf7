//! `--fail-on` gates: conditions on an evaluation that make `stackmap score` exit 1, so a team
//! can run stackmap in CI against its architecture file.
//!
//! ```text
//! immediate            an open immediate-fix decision exists
//! architecture         an open architecture-change decision exists
//! immediate>=N         an open immediate-fix decision has priority N or more (also >, for any lane: any>=N)
//! overall<N            the overall score is below N (or nothing is scored yet)
//! coverage<N           coverage is below N (0 to 1)
//! finding=ID           the finding ID is raised
//! ```
//!
//! "Open" means not yet dealt with: status `open` or `accepted`. Deferred and rejected
//! decisions are the assessor's explicit word not to act now, so they do not fail a gate.

use std::fmt;
use std::str::FromStr;

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Gate {
    Lane {
        lane: Option<Horizon>,
        min: Option<(f64, bool)>,
    },
    OverallBelow(f64),
    CoverageBelow(f64),
    Finding(String),
}

impl fmt::Display for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gate::Lane { lane, min } => {
                let l = lane.map_or("any", |h| h.as_str());
                match min {
                    None => write!(f, "{l}"),
                    Some((n, true)) => write!(f, "{l}>={n}"),
                    Some((n, false)) => write!(f, "{l}>{n}"),
                }
            }
            Gate::OverallBelow(n) => write!(f, "overall<{n}"),
            Gate::CoverageBelow(n) => write!(f, "coverage<{n}"),
            Gate::Finding(id) => write!(f, "finding={id}"),
        }
    }
}

pub const GATE_HELP: &str = "expected `immediate`, `architecture`, `any`, `immediate>=N`, `architecture>N`, `any>=N`, `overall<N`, `coverage<N` (0 to 1) or `finding=ID`";

impl FromStr for Gate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let num = |t: &str| -> Result<f64, String> {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{t}` is not a number; {GATE_HELP}"))
        };
        if let Some(id) = s.strip_prefix("finding=") {
            let id = id.trim();
            if id.is_empty() {
                return Err(format!(
                    "`finding=` needs a finding id, for example finding=duplicate-creates; {GATE_HELP}"
                ));
            }
            return Ok(Gate::Finding(id.to_string()));
        }
        if let Some(n) = s.strip_prefix("overall<") {
            return Ok(Gate::OverallBelow(num(n)?));
        }
        if let Some(n) = s.strip_prefix("coverage<") {
            let n = num(n)?;
            if !(0.0..=1.0).contains(&n) {
                return Err("coverage is a fraction from 0 to 1, for example coverage<0.8".into());
            }
            return Ok(Gate::CoverageBelow(n));
        }
        let (name, min) = if let Some((a, b)) = s.split_once(">=") {
            (a, Some((num(b)?, true)))
        } else if let Some((a, b)) = s.split_once('>') {
            (a, Some((num(b)?, false)))
        } else {
            (s, None)
        };
        let lane = match name.trim() {
            "any" => None,
            other => Some(
                Horizon::parse(other).ok_or_else(|| format!("unknown gate `{s}`; {GATE_HELP}"))?,
            ),
        };
        Ok(Gate::Lane { lane, min })
    }
}

impl Gate {
    /// Why the gate fails on this evaluation, or `None` when it passes.
    pub fn check(&self, e: &Evaluation) -> Option<String> {
        match self {
            Gate::Lane { lane, min } => {
                let hit = e.decisions.iter().find(|d| {
                    matches!(d.status, DecisionStatus::Open | DecisionStatus::Accepted)
                        && lane.is_none_or(|l| l == d.horizon)
                        && min.is_none_or(|(n, incl)| {
                            if incl {
                                d.priority >= n
                            } else {
                                d.priority > n
                            }
                        })
                })?;
                Some(format!(
                    "{self}: {} decision `{}` (priority {}) is {}",
                    hit.horizon, hit.id, hit.priority, hit.status
                ))
            }
            Gate::OverallBelow(n) => match e.overall {
                Some(s) if s >= *n => None,
                Some(s) => Some(format!("{self}: the overall score is {s}")),
                None => Some(format!("{self}: nothing is scored yet")),
            },
            Gate::CoverageBelow(n) => {
                (e.coverage < *n).then(|| format!("{self}: coverage is {:.2}", e.coverage))
            }
            Gate::Finding(id) => e
                .findings
                .iter()
                .find(|f| f.id == *id)
                .map(|f| format!("{self}: raised for {} subject(s)", f.subjects.len())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_parse_and_print_back() {
        for s in [
            "immediate",
            "architecture>=20",
            "any>5",
            "overall<60",
            "coverage<0.8",
            "finding=duplicate-creates",
        ] {
            let g: Gate = s.parse().expect(s);
            assert_eq!(g.to_string(), s);
        }
        assert!("immediat".parse::<Gate>().is_err());
        assert!("coverage<80".parse::<Gate>().is_err());
        assert!("any>=x".parse::<Gate>().is_err());
    }
}

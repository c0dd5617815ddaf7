//! Progress across workshops: every snapshot in order and the live file, each with its
//! overall and dimension scores, coverage, decisions by status and open questions; between
//! each two, what improved, what regressed, which decisions are new and which were resolved
//! (with the answers that changed among those the decision cited).
//!
//! Each point is scored with its own content (a snapshot with the content frozen in it), as
//! `diff` does; the steps are `diff::diff` between neighbours.

use std::fmt::Write as _;

use serde::Serialize;

use crate::content::Content;
use crate::diff::{self, DecisionMove, Side};
use crate::engine::{BecauseKind, Evaluation};
use crate::model::Assessment;
use crate::text::safe;
use crate::vocab::{DecisionStatus, Dimension};

/// One point to put on the trend: a snapshot or the live file.
pub struct Source<'a> {
    pub label: String,
    /// The snapshot's `taken_at`, or the live file's `updated`.
    pub date: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub live: bool,
    pub content: &'a Content,
    pub assessment: &'a Assessment,
    pub evaluation: &'a Evaluation,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counts {
    pub open: usize,
    pub accepted: usize,
    pub deferred: usize,
    pub rejected: usize,
    /// Decisions of the previous point that are gone from this one.
    pub resolved: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionPoint {
    pub id: Dimension,
    pub score: Option<f64>,
    pub coverage: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub live: bool,
    pub overall: Option<f64>,
    pub coverage: f64,
    pub dimensions: Vec<DimensionPoint>,
    pub decisions: Counts,
    pub open_questions: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    pub id: String,
    pub title: String,
    /// The answers it cited that changed, described (`questionnaire/subject/question: old → new`).
    pub answers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Titled {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub from: String,
    pub to: String,
    pub improved: Vec<diff::ScoreChange>,
    pub regressed: Vec<diff::ScoreChange>,
    pub new: Vec<Titled>,
    pub resolved: Vec<Resolved>,
}

impl Step {
    pub fn is_empty(&self) -> bool {
        self.improved.is_empty()
            && self.regressed.is_empty()
            && self.new.is_empty()
            && self.resolved.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub points: Vec<Point>,
    pub steps: Vec<Step>,
}

fn counts(e: &Evaluation, resolved: usize) -> Counts {
    let n = |s: DecisionStatus| e.decisions.iter().filter(|d| d.status == s).count();
    Counts {
        open: n(DecisionStatus::Open),
        accepted: n(DecisionStatus::Accepted),
        deferred: n(DecisionStatus::Deferred),
        rejected: n(DecisionStatus::Rejected),
        resolved,
    }
}

/// The change from one point to the next.
pub fn step(a: &Source, b: &Source) -> Step {
    let d = diff::diff(
        &Side {
            assessment: a.assessment,
            content: a.content,
            evaluation: a.evaluation,
        },
        &Side {
            assessment: b.assessment,
            content: b.content,
            evaluation: b.evaluation,
        },
    );
    let mut improved = Vec::new();
    let mut regressed = Vec::new();
    for s in &d.scores {
        match s.tone() {
            diff::Tone::Better => improved.push(s.clone()),
            diff::Tone::Worse => regressed.push(s.clone()),
            diff::Tone::Neutral => {}
        }
    }
    let mut new = Vec::new();
    let mut resolved = Vec::new();
    for c in &d.decisions {
        match c.change {
            DecisionMove::New => new.push(Titled {
                id: c.id.clone(),
                title: c.title.clone(),
            }),
            DecisionMove::Resolved => {
                let cited: Vec<&str> = a
                    .evaluation
                    .decision(&c.id)
                    .map(|x| {
                        x.because
                            .iter()
                            .filter(|b| b.kind == BecauseKind::Answer)
                            .map(|b| &*b.reference)
                            .collect()
                    })
                    .unwrap_or_default();
                let answers = d
                    .answers
                    .iter()
                    .filter_map(|x| {
                        let r = match &x.subject {
                            Some(s) => format!("{}/{s}/{}", x.questionnaire, x.question),
                            None => format!("{}/{}", x.questionnaire, x.question),
                        };
                        cited
                            .contains(&r.as_str())
                            .then(|| format!("{r}: {}", x.describe(&|s| s.to_string())))
                    })
                    .collect();
                resolved.push(Resolved {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    answers,
                });
            }
            _ => {}
        }
    }
    Step {
        from: a.label.clone(),
        to: b.label.clone(),
        improved,
        regressed,
        new,
        resolved,
    }
}

/// One point of the trend: `e` scored, `previous` the point before it (for the decisions
/// resolved since: those of `previous` that `e` no longer has).
pub fn point(
    label: &str,
    date: Option<chrono::DateTime<chrono::FixedOffset>>,
    live: bool,
    e: &Evaluation,
    previous: Option<&Evaluation>,
) -> Point {
    let resolved = previous.map_or(0, |p| {
        let now: std::collections::BTreeSet<&str> =
            e.decisions.iter().map(|d| d.id.as_str()).collect();
        p.decisions
            .iter()
            .filter(|d| !now.contains(d.id.as_str()))
            .count()
    });
    Point {
        label: label.to_string(),
        date: date.map(|t| t.format("%Y-%m-%d").to_string()),
        live,
        overall: e.overall.map(crate::engine::round1),
        coverage: crate::engine::round1(e.coverage * 100.0) / 100.0,
        dimensions: e
            .dimensions
            .iter()
            .map(|d| DimensionPoint {
                id: d.id,
                score: d.score.score.map(crate::engine::round1),
                coverage: crate::engine::round1(d.score.coverage * 100.0) / 100.0,
            })
            .collect(),
        decisions: counts(e, resolved),
        open_questions: e.open_questions.len(),
    }
}

/// The trend over `sources`, oldest first (the live file last).
pub fn trend(sources: &[Source]) -> Trend {
    let steps: Vec<Step> = sources.windows(2).map(|w| step(&w[0], &w[1])).collect();
    let points = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            point(
                &s.label,
                s.date,
                s.live,
                s.evaluation,
                i.checked_sub(1).map(|k| sources[k].evaluation),
            )
        })
        .collect();
    Trend { points, steps }
}

/// The compact chart the Snapshots screen draws: one line per measure, its sparkline over
/// the points (oldest first) and the first and last values; `dimensions` adds a line per
/// dimension.
pub fn chart(points: &[Point], dimensions: bool) -> Vec<String> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let line = |name: &str, values: Vec<Option<f64>>, show: &dyn Fn(Option<f64>) -> String| {
        let spark: String = values.iter().map(|v| spark(*v)).collect();
        format!(
            "{name:<16} {spark}  {} → {}",
            show(values.first().copied().flatten()),
            show(values.last().copied().flatten())
        )
    };
    let mut out = vec![
        line("overall", points.iter().map(|p| p.overall).collect(), &num),
        line(
            "coverage",
            points.iter().map(|p| Some(p.coverage * 100.0)).collect(),
            &|x| x.map_or("—".into(), |v| format!("{v:.0}%")),
        ),
    ];
    if dimensions {
        for (i, d) in first.dimensions.iter().enumerate() {
            out.push(line(
                d.id.words(),
                points
                    .iter()
                    .map(|p| p.dimensions.get(i).and_then(|x| x.score))
                    .collect(),
                &num,
            ));
        }
    }
    let resolved: usize = points.iter().map(|p| p.decisions.resolved).sum();
    out.push(format!(
        "{:<16} open {} → {} · accepted {} → {} · resolved {resolved}",
        "decisions",
        first.decisions.open,
        last.decisions.open,
        first.decisions.accepted,
        last.decisions.accepted
    ));
    out.push(format!(
        "{:<16} {} → {}",
        "open questions", first.open_questions, last.open_questions
    ));
    out
}

fn num(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.0}"))
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Eight levels of a bar, for a score 0–100 (`·` when withheld).
pub fn spark(x: Option<f64>) -> char {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    match x {
        Some(v) => BARS[((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize],
        None => '·',
    }
}

/// The sparkline of the overall score across the points.
pub fn sparkline(t: &Trend) -> String {
    t.points.iter().map(|p| spark(p.overall)).collect()
}

fn step_lines(s: &Step, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for c in &s.improved {
        out.push(format!("improved {}", c.describe()));
    }
    for c in &s.regressed {
        out.push(format!("regressed {}", c.describe()));
    }
    for d in &s.new {
        out.push(format!("new decision: {}", esc(&d.title)));
    }
    for d in &s.resolved {
        let why = if d.answers.is_empty() {
            "no answer it cited changed (the inventory or the method did)".to_string()
        } else {
            format!(
                "answers changed: {}",
                d.answers
                    .iter()
                    .map(|a| esc(a))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        out.push(format!("resolved: {} — {why}", esc(&d.title)));
    }
    out
}

pub fn text(t: &Trend) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "overall {}", sparkline(t));
    let _ = writeln!(
        o,
        "{:<24} {:>10} {:>7} {:>8}  {:>4} {:>4} {:>4} {:>4}  {:>5}",
        "point", "date", "overall", "coverage", "open", "acc", "def", "res", "ask"
    );
    for p in &t.points {
        let _ = writeln!(
            o,
            "{} {:>10} {:>7} {:>8}  {:>4} {:>4} {:>4} {:>4}  {:>5}",
            crate::text::fit(&safe(&p.label), 24),
            p.date.as_deref().unwrap_or("—"),
            num(p.overall),
            pct(p.coverage),
            p.decisions.open,
            p.decisions.accepted,
            p.decisions.deferred,
            p.decisions.resolved,
            p.open_questions
        );
    }
    if let Some(first) = t.points.first() {
        o.push_str("\ndimensions");
        for p in &t.points {
            let _ = write!(o, " | {}", safe(&p.label));
        }
        o.push('\n');
        for (i, d) in first.dimensions.iter().enumerate() {
            let _ = write!(o, "  {:<16}", d.id.words());
            for p in &t.points {
                let _ = write!(o, " {:>5}", num(p.dimensions.get(i).and_then(|x| x.score)));
            }
            o.push('\n');
        }
    }
    for s in &t.steps {
        let _ = writeln!(o, "\n{} → {}", safe(&s.from), safe(&s.to));
        let lines = step_lines(s, &|x| safe(x));
        if lines.is_empty() {
            o.push_str("  no change in scores or decisions\n");
        }
        for l in lines {
            let _ = writeln!(o, "  {l}");
        }
    }
    o
}

pub fn markdown(t: &Trend) -> String {
    use crate::report::markdown::md;
    let mut o = String::new();
    o.push_str("# Progress across workshops\n\n");
    let _ = writeln!(o, "Overall score over time: `{}`\n", sparkline(t));
    o.push_str("| Point | Date | Overall | Coverage | Open | Accepted | Deferred | Resolved | Open questions |\n");
    o.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for p in &t.points {
        let _ = writeln!(
            o,
            "| {}{} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&p.label),
            if p.live { " (live)" } else { "" },
            p.date.as_deref().unwrap_or("—"),
            num(p.overall),
            pct(p.coverage),
            p.decisions.open,
            p.decisions.accepted,
            p.decisions.deferred,
            p.decisions.resolved,
            p.open_questions
        );
    }
    if let Some(first) = t.points.first() {
        o.push_str("\n| Dimension |");
        for p in &t.points {
            let _ = write!(o, " {} |", md(&p.label));
        }
        o.push_str("\n|---|");
        o.push_str(&"---|".repeat(t.points.len()));
        o.push('\n');
        for (i, d) in first.dimensions.iter().enumerate() {
            let _ = write!(o, "| {} |", d.id.words());
            for p in &t.points {
                let _ = write!(o, " {} |", num(p.dimensions.get(i).and_then(|x| x.score)));
            }
            o.push('\n');
        }
    }
    for s in &t.steps {
        let _ = writeln!(o, "\n## {} → {}\n", md(&s.from), md(&s.to));
        let lines = step_lines(s, &|x| md(x));
        if lines.is_empty() {
            o.push_str("No change in scores or decisions.\n");
        }
        for l in lines {
            let _ = writeln!(o, "- {l}");
        }
    }
    o
}

pub fn json(t: &Trend) -> String {
    let mut s = serde_json::to_string_pretty(t).unwrap_or_default();
    s.push('\n');
    s
}

/// The "progress since" section of the Markdown report: the last step (the newest snapshot
/// to the live file), in the report's heading level.
pub fn progress_markdown(t: &Trend) -> Option<String> {
    use crate::report::markdown::md;
    let s = t.steps.last()?;
    let mut o = String::new();
    let _ = writeln!(o, "## Progress since {}\n", md(&s.from));
    let _ = writeln!(
        o,
        "Overall score over {} points: `{}` ({} → {}).\n",
        t.points.len(),
        sparkline(t),
        num(t
            .points
            .get(t.points.len().saturating_sub(2))
            .and_then(|p| p.overall)),
        num(t.points.last().and_then(|p| p.overall))
    );
    let groups: [(&str, Vec<String>); 4] = [
        (
            "Improved",
            s.improved.iter().map(|c| c.describe()).collect(),
        ),
        (
            "Regressed",
            s.regressed.iter().map(|c| c.describe()).collect(),
        ),
        ("New", s.new.iter().map(|d| md(&d.title)).collect()),
        (
            "Resolved",
            s.resolved
                .iter()
                .map(|d| {
                    if d.answers.is_empty() {
                        format!("{} (no answer it cited changed)", md(&d.title))
                    } else {
                        format!(
                            "{} — answers changed: {}",
                            md(&d.title),
                            d.answers
                                .iter()
                                .map(|a| md(a))
                                .collect::<Vec<_>>()
                                .join("; ")
                        )
                    }
                })
                .collect(),
        ),
    ];
    for (name, lines) in groups {
        if lines.is_empty() {
            let _ = writeln!(o, "**{name}:** nothing.\n");
        } else {
            let _ = writeln!(o, "**{name}:**\n");
            for l in lines {
                let _ = writeln!(o, "- {l}");
            }
            o.push('\n');
        }
    }
    Some(o)
}

//! The risk heat map: systems and flows against the dimensions, each cell the subject's score
//! in that dimension, banded so a client sees at a glance where the trouble sits. A score
//! withheld for want of answers is its own cell ("not enough answered"), never a colour.
//! The Markdown and HTML reports and the Results screen all read `heatmap`.

use std::fmt::Write as _;

use crate::engine::{NOT_ENOUGH, Score, SubjectKind};
use crate::report::Input;
use crate::vocab::Dimension;

/// A cell's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    /// Below 40.
    Critical,
    /// 40 to 59.
    Weak,
    /// 60 to 74.
    Fair,
    /// 75 and above.
    Good,
    /// Withheld: too few of its questions answered.
    Short,
    /// Nothing in this dimension is asked of the subject.
    None,
}

impl Band {
    pub fn of(s: Option<&Score>) -> Band {
        match s {
            None => Band::None,
            // Banded as shown: a 59.6 reads "60" and is fair.
            Some(s) => match s.score.map(f64::round) {
                Some(x) if x < 40.0 => Band::Critical,
                Some(x) if x < 60.0 => Band::Weak,
                Some(x) if x < 75.0 => Band::Fair,
                Some(_) => Band::Good,
                None if s.short => Band::Short,
                None => Band::None,
            },
        }
    }

    /// The word a legend and a screen reader use.
    pub fn word(self) -> &'static str {
        match self {
            Band::Critical => "critical",
            Band::Weak => "weak",
            Band::Fair => "fair",
            Band::Good => "good",
            Band::Short => NOT_ENOUGH,
            Band::None => "not asked",
        }
    }

    /// A coloured mark for Markdown (renders everywhere emoji do).
    pub fn mark(self) -> &'static str {
        match self {
            Band::Critical => "🟥",
            Band::Weak => "🟧",
            Band::Fair => "🟨",
            Band::Good => "🟩",
            Band::Short => "⬜",
            Band::None => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: SubjectKind,
    pub id: String,
    pub name: String,
    /// One per column; `None` where nothing in the dimension is asked of it.
    pub cells: Vec<Option<Score>>,
    /// The lowest scored band of the row, for ordering ("where the trouble sits" first).
    pub worst: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    pub columns: Vec<Dimension>,
    pub rows: Vec<Row>,
}

/// The heat map of an evaluation: rows for every scored system, then every scored flow, in
/// the engine's order; columns for the dimensions asked of any of them, in vocabulary order.
pub fn heatmap(r: &Input) -> HeatMap {
    heatmap_of(r.assessment, r.evaluation)
}

/// The same from the assessment and its evaluation (what the Results screen holds).
pub fn heatmap_of(a: &crate::model::Assessment, e: &crate::engine::Evaluation) -> HeatMap {
    let columns: Vec<Dimension> = Dimension::ALL
        .iter()
        .copied()
        .filter(|d| {
            e.subjects
                .iter()
                .any(|s| s.dimensions.iter().any(|x| x.id == *d))
        })
        .collect();
    let mut rows: Vec<Row> = e
        .subjects
        .iter()
        .filter(|s| matches!(s.kind, SubjectKind::System | SubjectKind::Flow))
        .map(|s| {
            let cells: Vec<Option<Score>> = columns
                .iter()
                .map(|c| {
                    s.dimensions
                        .iter()
                        .find(|x| x.id == *c)
                        .map(|x| x.score.clone())
                })
                .collect();
            let worst = cells
                .iter()
                .flatten()
                .filter_map(|x| x.score)
                .min_by(f64::total_cmp);
            Row {
                kind: s.kind,
                id: s.id.clone(),
                name: if s.kind == SubjectKind::System {
                    a.system_name(&s.id)
                } else {
                    a.flow_name(&s.id)
                },
                cells,
                worst,
            }
        })
        .collect();
    rows.sort_by_key(|x| x.kind);
    HeatMap { columns, rows }
}

/// A column heading for a narrow cell (8 columns).
pub fn column_short(d: Dimension) -> &'static str {
    match d {
        Dimension::Ownership => "owner",
        Dimension::VendorFit => "vendor",
        Dimension::Overlap => "overlap",
        Dimension::Coupling => "coupling",
        Dimension::Resilience => "resil.",
        Dimension::OperatingModel => "op.model",
    }
}

/// A short column heading.
pub fn column_title(d: Dimension) -> &'static str {
    d.words()
}

/// The Markdown section: a table with a coloured mark and the score in each cell.
pub fn markdown(r: &Input) -> String {
    use crate::report::markdown::md;
    let h = heatmap(r);
    let mut o = String::new();
    o.push_str("## Risk heat map\n\n");
    if h.rows.is_empty() {
        o.push_str("No system or flow is scored yet.\n\n");
        return o;
    }
    o.push_str("Each system and flow against the dimensions: 🟥 below 40 (critical), 🟧 40–59 (weak), 🟨 60–74 (fair), 🟩 75 and above (good), ⬜ not enough answered (the share answered in brackets), — not asked.\n\n");
    let _ = write!(o, "| Subject |");
    for c in &h.columns {
        let _ = write!(o, " {} |", column_title(*c));
    }
    o.push_str("\n|---|");
    o.push_str(&"---|".repeat(h.columns.len()));
    o.push('\n');
    for row in &h.rows {
        let _ = write!(o, "| {} {} |", row.kind_word(), md(&row.name));
        for c in &row.cells {
            let band = Band::of(c.as_ref());
            let text = match (band, c) {
                (Band::None, _) | (_, None) => "—".to_string(),
                (Band::Short, Some(s)) => {
                    format!("⬜ {NOT_ENOUGH} ({:.0}%)", s.coverage * 100.0)
                }
                (b, Some(s)) => format!("{} {}", b.mark(), s.cell(0)),
            };
            let _ = write!(o, " {text} |");
        }
        o.push('\n');
    }
    o.push('\n');
    o
}

impl Row {
    pub fn kind_word(&self) -> &'static str {
        match self.kind {
            SubjectKind::System => "System",
            SubjectKind::Flow => "Flow",
            _ => "",
        }
    }
}

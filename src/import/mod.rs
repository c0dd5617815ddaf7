//! Importing a client's spreadsheet of systems and interfaces: CSV text → systems and flows
//! added to an assessment.
//!
//! Pure: the caller reads the files and saves the result (the command line under the
//! assessment's sidecar lock, the terminal UI from its inventory screen). [`import`] returns
//! the new assessment only when every row of every file is good; otherwise every problem, each
//! at its file, line and column (the cell's number; the message names the column's header), so
//! nothing is ever half-imported.
//!
//! Spreadsheets are written by people, so names are matched forgivingly: headers and values
//! ignore case, spaces, `_` and `-`; categories also accept common product names ("NetSuite"
//! → `erp`), mechanisms common transport names ("SFTP" → `file`), and flows may name their
//! systems by id or by name. Every such mapping is listed in the [`ImportReport`], so the
//! assessor sees what was read. The rules are documented in docs/FORMATS.md, "Import (CSV)".

pub mod answers;
mod flows;
mod systems;
mod table;
mod words;

use serde::Serialize;

use crate::content::Content;
use crate::diag::Diagnostic;
use crate::model::Assessment;

pub use words::{
    ANSWER_COLUMNS, Column, FLOW_COLUMNS, Field, PRODUCTS, SYSTEM_COLUMNS, normalise,
    product_category,
};

use flows::flows;
use systems::{Known, systems};
use table::{Ctx, read_table};

/// One CSV file to import: the path to show in diagnostics and its text.
#[derive(Debug, Clone, Copy)]
pub struct CsvText<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// What an import added and which names it read as something else.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Ids of the systems added, in file order.
    pub systems: Vec<String>,
    /// Ids of the flows added, in file order.
    pub flows: Vec<String>,
    /// Names that were not written exactly as stackmap writes them, and what they were read
    /// as; each once, in the order first met.
    pub mapped: Vec<Mapped>,
    /// Answers the import read from the map (`[[infer]]`, FORMATS.md §2.16): inferred answers
    /// the new systems and flows added or changed, for a person to confirm.
    pub inferred: usize,
    /// Inferred answers whose facts the new systems and flows no longer support, removed.
    pub inferred_removed: usize,
}

/// A value read as another name: `NetSuite` → `erp` (category).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    /// What was mapped: "category", "status", "TIME decision", "capability", "data object",
    /// "mechanism", "flow mode", "system".
    pub what: &'static str,
    pub from: String,
    pub to: String,
}

/// Adds the systems and flows of a client's CSV files to `assessment`.
///
/// Returns the new assessment (in canonical order) and what was added, or, when any row of
/// any file has a problem, every problem found and nothing else: an import is all or nothing.
/// Flows may name systems of the assessment or of `systems`; ids already in the assessment
/// are refused (an import only adds). `content` is what the result is checked against, the
/// same check a saved file gets.
pub fn import(
    content: &Content,
    assessment: &Assessment,
    systems_csv: Option<CsvText>,
    flows_csv: Option<CsvText>,
) -> Result<(Assessment, ImportReport), Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut report = ImportReport::default();
    let mut known: Vec<Known> = assessment
        .systems
        .iter()
        .map(|s| Known {
            id: s.id.clone(),
            name: s.name.clone(),
        })
        .collect();
    let mut new_systems = Vec::new();
    let mut new_flows = Vec::new();
    // Each file's problems in line and column order (the header's first).
    let by_position = |d: &mut [Diagnostic]| d.sort_by_key(|d| (d.line, d.column));
    if let Some(file) = systems_csv {
        let table = read_table(file, SYSTEM_COLUMNS, "systems", &mut diags);
        let mut ctx = Ctx {
            diags: &mut diags,
            report: &mut report,
        };
        new_systems = systems(&table, assessment, &mut ctx, &mut known);
        by_position(&mut diags);
    }
    if let Some(file) = flows_csv {
        let start = diags.len();
        let table = read_table(file, FLOW_COLUMNS, "flows", &mut diags);
        let mut ctx = Ctx {
            diags: &mut diags,
            report: &mut report,
        };
        new_flows = flows(&table, assessment, &mut ctx, &known);
        by_position(&mut diags[start..]);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    report.systems = new_systems.iter().map(|s| s.id.clone()).collect();
    report.flows = new_flows.iter().map(|f| f.id.clone()).collect();
    let mut a = assessment.clone();
    a.systems.extend(new_systems);
    a.flows.extend(new_flows);
    let change = crate::infer::apply(content, &mut a);
    report.inferred = change.added + change.changed;
    report.inferred_removed = change.removed;
    a.canonicalise();
    // What an import makes must load like a saved file: check it the same way.
    crate::workspace::checked_text(&a, "<import>", content)?;
    Ok((a, report))
}

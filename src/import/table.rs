//! Reading a CSV file into a table (its header matched to the columns, its rows), and reading
//! the cells of a row, each problem reported at its file, line and column.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Severity, hint};
use crate::vocab::*;

use super::words::{Column, Field, lookup, normalise};
use super::{CsvText, ImportReport, Mapped};

/// One data row: its line in the file and its cells (trimmed).
pub(super) struct Row {
    pub(super) line: u32,
    pub(super) cells: Vec<String>,
}

/// A parsed file: the header as written, which column each field is in, and the rows.
pub(super) struct Table<'a> {
    pub(super) path: &'a str,
    pub(super) headers: Vec<String>,
    pub(super) at: HashMap<Field, usize>,
    pub(super) rows: Vec<Row>,
}

impl Table<'_> {
    pub(super) fn has(&self, f: Field) -> bool {
        self.at.contains_key(&f)
    }

    /// The cell of `f` in `row` and its column index (0-based); empty cells are `None`.
    pub(super) fn cell<'r>(&self, row: &'r Row, f: Field) -> Option<(&'r str, usize)> {
        let i = *self.at.get(&f)?;
        let v = row.cells.get(i)?.as_str();
        (!v.is_empty()).then_some((v, i))
    }

    pub(super) fn text(&self, row: &Row, f: Field) -> String {
        self.cell(row, f)
            .map(|(v, _)| v.to_string())
            .unwrap_or_default()
    }
}

/// The delimiter of a file: `,`, or `;` when the header has semicolons and no commas
/// (Excel in many European locales), or a tab when it has only tabs.
fn delimiter(header: &str) -> u8 {
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The line (1-based) a record starting at byte `at` of `text` is on. The csv reader's own
/// line count is one short after a CRLF line end (it places the record at the `\n`), as
/// Excel and LibreOffice save: the record starts at the first character after line ends.
/// `seen` carries (byte, newlines before it) from the last call: records come in file order,
/// so each byte is counted once.
fn line_at(text: &str, at: u64, seen: &mut (usize, usize)) -> u32 {
    let bytes = text.as_bytes();
    let mut i = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
    while i < bytes.len() && matches!(bytes[i], b'\r' | b'\n') {
        i += 1;
    }
    if i < seen.0 {
        *seen = (0, 0);
    }
    seen.1 += bytes[seen.0..i].iter().filter(|&&b| b == b'\n').count();
    seen.0 = i;
    u32::try_from(seen.1 + 1).unwrap_or(u32::MAX)
}

struct Diags<'a> {
    path: &'a str,
    out: &'a mut Vec<Diagnostic>,
}

impl Diags<'_> {
    fn at(&mut self, line: u32, column: usize, message: String) {
        self.out.push(Diagnostic {
            path: self.path.to_string(),
            line,
            column: u32::try_from(column).unwrap_or(u32::MAX),
            severity: Severity::Error,
            message,
            id: None,
        });
    }
}

pub(super) fn read_table<'a>(
    file: CsvText<'a>,
    columns: &[Column],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Table<'a> {
    let mut d = Diags {
        path: file.path,
        out: diags,
    };
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(file.text);
    let mut table = Table {
        path: file.path,
        headers: Vec::new(),
        at: HashMap::new(),
        rows: Vec::new(),
    };
    let header_line = text.lines().find(|l| !l.trim().is_empty());
    let Some(header_line) = header_line else {
        let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
        d.at(
            1,
            1,
            format!(
                "the file is empty: the first line must be the header of a {what} file, e.g. `{}`",
                names.join(",")
            ),
        );
        return table;
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(header_line))
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut header_seen = false;
    let mut seen = (0, 0);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(1, |p| line_at(text, p.byte(), &mut seen));
                d.at(line, 1, format!("cannot read this line as CSV: {e}"));
                continue;
            }
        };
        let line = record
            .position()
            .map_or(1, |p| line_at(text, p.byte(), &mut seen));
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            header(&mut table, &mut d, line, cells, columns, what);
            continue;
        }
        if let Some(i) = cells
            .iter()
            .zip(&table.headers)
            .position(|(c, h)| !c.is_empty() && h.is_empty())
        {
            d.at(
                line,
                i + 1,
                "this cell is in a column without a header; name the column or empty the cell"
                    .to_string(),
            );
            continue;
        }
        if cells.len() > table.headers.len() {
            let extra = cells.len() - table.headers.len();
            if cells[table.headers.len()..].iter().any(|c| !c.is_empty()) {
                d.at(
                    line,
                    table.headers.len() + 1,
                    format!(
                        "this row has {} cells but the header has {}; quote a cell that contains the delimiter (\"a, b\") or remove the {extra} extra",
                        cells.len(),
                        table.headers.len()
                    ),
                );
                continue;
            }
        }
        table.rows.push(Row { line, cells });
    }
    table
}

fn header(
    table: &mut Table,
    d: &mut Diags,
    line: u32,
    cells: Vec<String>,
    columns: &[Column],
    what: &str,
) {
    let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
    for (i, h) in cells.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        let n = normalise(h);
        let found = columns
            .iter()
            .find(|c| normalise(c.name) == n || c.aliases.iter().any(|a| normalise(a) == n));
        match found {
            None => d.at(
                line,
                i + 1,
                format!(
                    "unknown column `{h}` in a {what} file{}",
                    hint(&h.to_lowercase(), known.iter().copied())
                ),
            ),
            Some(c) => {
                if let Some(&first) = table.at.get(&c.field) {
                    d.at(
                        line,
                        i + 1,
                        format!(
                            "column `{h}` is `{}` again (first as `{}` in column {}); keep one",
                            c.name,
                            cells[first],
                            first + 1
                        ),
                    );
                } else {
                    table.at.insert(c.field, i);
                }
            }
        }
    }
    for c in columns.iter().filter(|c| c.required) {
        if !table.at.contains_key(&c.field) {
            d.at(
                line,
                1,
                format!(
                    "missing required column `{}` in the header of a {what} file (it has: {}){}",
                    c.name,
                    cells
                        .iter()
                        .filter(|h| !h.is_empty())
                        .map(|h| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    // "Source" and "Target" are common headers for a flow's ends, but
                    // `source` is step 1 of a flow: say so rather than leave it a puzzle.
                    if c.field == Field::From && table.at.contains_key(&Field::Source) {
                        "; a `source` column is step 1 of a flow (how changes are detected): name the sending system's column `from`"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
    table.headers = cells;
}

// ---------------------------------------------------------------------------------------
// Cells of a row

pub(super) struct Ctx<'a> {
    pub(super) diags: &'a mut Vec<Diagnostic>,
    pub(super) report: &'a mut ImportReport,
}

impl Ctx<'_> {
    pub(super) fn error(&mut self, table: &Table, row: &Row, col: usize, message: impl AsRef<str>) {
        let header = table.headers.get(col).map_or("", String::as_str);
        self.diags.push(Diagnostic {
            path: table.path.to_string(),
            line: row.line,
            column: u32::try_from(col + 1).unwrap_or(u32::MAX),
            severity: Severity::Error,
            message: format!("`{header}` (column {}): {}", col + 1, message.as_ref()),
            id: None,
        });
    }

    pub(super) fn mapped(&mut self, what: &'static str, from: &str, to: &str) {
        if from == to {
            return;
        }
        let m = Mapped {
            what,
            from: from.to_string(),
            to: to.to_string(),
        };
        if !self.report.mapped.contains(&m) {
            self.report.mapped.push(m);
        }
    }

    /// A single vocabulary value from a cell: `None` when the cell is empty, `Some(Err)` when
    /// it is not a name stackmap knows (already reported).
    pub(super) fn one<T: Vocab>(
        &mut self,
        table: &Table,
        row: &Row,
        field: Field,
        words: &[(&str, T)],
        what: &'static str,
    ) -> Option<Result<T, ()>> {
        let (v, i) = table.cell(row, field)?;
        match lookup(v, words) {
            Some(x) => {
                self.mapped(what, v, x.as_str());
                Some(Ok(x))
            }
            None => {
                let names: Vec<&str> = T::all().iter().map(|x| x.as_str()).collect();
                self.error(
                    table,
                    row,
                    i,
                    format!(
                        "unknown {} `{v}`{}",
                        T::WHAT,
                        hint(&v.to_lowercase(), names)
                    ),
                );
                Some(Err(()))
            }
        }
    }

    /// A list of vocabulary values separated by `;`, `,` or `|`; duplicates count once.
    pub(super) fn list<T: Vocab + PartialEq>(
        &mut self,
        table: &Table,
        row: &Row,
        field: Field,
        words: &[(&str, T)],
        what: &'static str,
    ) -> Result<Vec<T>, ()> {
        let Some((v, i)) = table.cell(row, field) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut ok = true;
        for part in v.split([';', ',', '|', '\n']).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            match lookup(part, words) {
                Some(x) => {
                    self.mapped(what, part, x.as_str());
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                None => {
                    ok = false;
                    let names: Vec<&str> = T::all().iter().map(|x| x.as_str()).collect();
                    self.error(
                        table,
                        row,
                        i,
                        format!(
                            "unknown {} `{part}`{}",
                            T::WHAT,
                            hint(&part.to_lowercase(), names)
                        ),
                    );
                }
            }
        }
        if ok { Ok(out) } else { Err(()) }
    }
}

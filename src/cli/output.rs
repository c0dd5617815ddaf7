//! Plain-text output helpers for the command line: aligned tables and JSON.
//!
//! Every write returns `io::Result` so that a closed pipe (`stackmap man | head`) surfaces as
//! an error `main` can recognise and treat as success, instead of a panic from `println!`.

use std::io::{self, Write};

/// Writes rows as left-aligned columns separated by two spaces; the last column is not
/// padded, so long titles do not push trailing spaces. Every cell is made safe to show
/// (`text::safe`): titles and names come from files.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| crate::text::safe(c)).collect())
        .collect();
    let rows = rows.as_slice();
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, cell) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &mut dyn Iterator<Item = &str>| -> io::Result<()> {
        let mut s = String::new();
        for (i, cell) in cells.enumerate() {
            if i + 1 < cols {
                s.push_str(cell);
                let pad = widths[i].saturating_sub(cell.chars().count()) + 2;
                s.extend(std::iter::repeat_n(' ', pad));
            } else {
                s.push_str(cell);
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, &mut header.iter().copied())?;
    for r in rows {
        line(out, &mut r.iter().map(String::as_str))?;
    }
    Ok(())
}

/// JSON on one line and a newline: machine output, small and fast to write on large
/// engagements; `jq .` pretty-prints it for people. Controls and bidi characters in text are
/// escaped (`text::to_json`).
pub fn json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    crate::text::write_json(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns_and_leave_no_trailing_spaces() {
        let mut out = Vec::new();
        table(
            &mut out,
            &["ID", "TITLE"],
            &[
                vec!["a".into(), "Alpha".into()],
                vec!["bbb".into(), "B".into()],
            ],
        )
        .expect("writes to a Vec");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "ID   TITLE\na    Alpha\nbbb  B\n"
        );
    }
}

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

/// The evaluation as JSON — byte for byte what `json(out, e)` writes — with its two largest
/// parts, the findings and the decisions with every reason behind them, serialised on two
/// threads at once: on a large engagement they are most of the output.
pub fn evaluation_json(out: &mut dyn Write, e: &crate::engine::Evaluation) -> io::Result<()> {
    use serde_json::value::RawValue;
    let to_raw = |v: &dyn erased::Json| -> io::Result<Box<RawValue>> {
        let mut buf = Vec::new();
        v.write(&mut buf).map_err(io::Error::other)?;
        let text = String::from_utf8(buf).map_err(io::Error::other)?;
        RawValue::from_string(text).map_err(io::Error::other)
    };
    let (findings, decisions) = std::thread::scope(|scope| {
        let findings = scope.spawn(|| to_raw(&e.findings));
        let decisions = to_raw(&e.decisions);
        (
            findings
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            decisions,
        )
    });
    let (findings, decisions) = (findings?, decisions?);
    // The same fields, in the same order, as `Evaluation`'s own serialisation; a test holds
    // the two byte for byte equal.
    #[derive(serde::Serialize)]
    struct Parts<'a> {
        profile: &'a str,
        overall: Option<f64>,
        min_coverage: f64,
        coverage: f64,
        answered: u32,
        applicable: u32,
        dimensions: &'a [crate::engine::DimensionScore],
        questionnaires: &'a [crate::engine::QuestionnaireScore],
        subjects: &'a [crate::engine::SubjectScore],
        findings: &'a RawValue,
        decisions: &'a RawValue,
        roadmap: &'a [crate::engine::Slice],
        vendors: &'a [crate::engine::VendorComparison],
        open_questions: &'a [crate::engine::OpenQuestion],
        warnings: &'a [String],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        voices: &'a [crate::engine::voices::Voices],
    }
    json(
        out,
        &Parts {
            profile: &e.profile,
            overall: e.overall,
            min_coverage: e.min_coverage,
            coverage: e.coverage,
            answered: e.answered,
            applicable: e.applicable,
            dimensions: &e.dimensions,
            questionnaires: &e.questionnaires,
            subjects: &e.subjects,
            findings: &findings,
            decisions: &decisions,
            roadmap: &e.roadmap,
            vendors: &e.vendors,
            open_questions: &e.open_questions,
            warnings: &e.warnings,
            voices: &e.voices,
        },
    )
}

/// A value that writes itself as safe JSON, so one closure serves both lists.
mod erased {
    pub trait Json: Sync {
        fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
    }

    impl<T: serde::Serialize + Sync> Json for T {
        fn write(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
            crate::text::write_json(out, self)
        }
    }
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

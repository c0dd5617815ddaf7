//! The decision list as CSV: one row per decision (`priority` is the one in force, a manual
//! one where the assessor set it; `computed` is the formula's), then one per open question
//! (lane `ask-next`: what to ask next), RFC 4180 (written by the `csv` crate),
//! UTF-8 with a byte-order mark so spreadsheet tools open it as UTF-8, and cells that start
//! with `=`, `+`, `-` or `@` neutralised with a leading `'` so they cannot run as formulas.

use super::Input;
use crate::text::safe;

pub const HEADER: &[&str] = &[
    "rank",
    "lane",
    "id",
    "title",
    "priority",
    "computed",
    "impact",
    "risk",
    "effort",
    "boost",
    "reach",
    "status",
    "slice",
    "depends_on",
    "owner",
    "recommendation",
];

/// A cell safe to open in a spreadsheet: controls visible, formulas defused. The formula test
/// reads the final cell text, after `safe` (which turns a tab into spaces), past any leading
/// whitespace: spreadsheets skip it, so `"\t=HYPERLINK(…)"` is a formula too.
pub fn cell(s: &str) -> String {
    let s = safe(s);
    if s.trim_start().starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

pub fn render(r: &Input) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // The csv writer only fails on I/O, and a Vec does not fail.
    let _ = w.write_record(HEADER);
    for d in &r.evaluation.decisions {
        let _ = w.write_record([
            d.rank.to_string(),
            d.horizon.to_string(),
            d.id.clone(),
            cell(&d.title),
            d.priority.to_string(),
            d.terms.computed.to_string(),
            d.terms.impact.to_string(),
            d.terms.risk.to_string(),
            d.terms.effort.to_string(),
            d.terms.boost.to_string(),
            d.terms.reach.to_string(),
            d.status.to_string(),
            d.slice.map_or(String::new(), |s| s.to_string()),
            d.depends_on.join(" "),
            cell(&d.owner),
            cell(&crate::text::reflow(&d.recommendation)),
        ]);
    }
    // What to ask next, in the same columns so the file stays one table: lane `ask-next`,
    // rank its place in the list, id the question (`questionnaire/question`) or the flow
    // field, title the subject and the question, status why it is open, and the decisions it
    // could raise in place of a recommendation.
    for (i, q) in r.evaluation.open_questions.iter().enumerate() {
        let id = match (&q.field, &q.questionnaire, &q.question) {
            (Some(f), _, _) => f.clone(),
            (None, Some(qn), Some(x)) => format!("{qn}/{x}"),
            _ => String::new(),
        };
        let mut row = vec![String::new(); HEADER.len()];
        row[0] = (i + 1).to_string();
        row[1] = "ask-next".into();
        row[2] = cell(&id);
        row[3] = cell(&format!("{}: {}", super::open_subject(r, q), q.text));
        row[4] = q.priority.to_string();
        row[11] = q.why.label().into();
        let raises = super::could_raise(r, q);
        if !raises.is_empty() {
            row[15] = cell(&format!("could raise: {}", raises.join("; ")));
        }
        let _ = w.write_record(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM"), "'@SUM");
        assert_eq!(cell("plain"), "plain");
    }

    /// Issue 24, item 5: the guard reads the final cell text, after `safe` turned a tab into
    /// spaces, past leading whitespace.
    #[test]
    fn a_formula_after_whitespace_is_defused_too() {
        assert_eq!(
            cell("\t=HYPERLINK(\"http://x\")"),
            "'    =HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("  +1"), "'  +1");
        assert_eq!(cell("\u{a0}@SUM(A1)"), "'\u{a0}@SUM(A1)");
        assert_eq!(cell("\r\n-2"), "␍␊-2");
        assert_eq!(cell(" plain"), " plain");
    }
}

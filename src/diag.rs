//! Diagnostics: every problem found in a file, with where it is and what would be valid.
//!
//! Validation never stops at the first problem; it collects a `Diagnostic` per problem so
//! the assessor fixes a file in one pass. A diagnostic prints as
//! `path:line:column: error: message`, the form editors and CI annotations understand.
//! Positions are 1-based; columns count characters, not bytes, so they match what an editor
//! shows on a line with accents or emoji.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// How bad a diagnostic is. Errors make `check` fail; warnings are information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    /// The start of a file, where problems about the whole file point.
    pub const START: Pos = Pos { line: 1, column: 1 };
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
    /// The id the problem is about, when there is one (a question, a system, a finding...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Paths and messages quote text from files and the command line: shown made safe,
        // so a hostile key or id cannot repaint the terminal or forge another line.
        write!(
            f,
            "{}:{}:{}: {}: {}",
            crate::text::safe(&self.path),
            self.line,
            self.column,
            sev,
            crate::text::safe(&self.message)
        )
    }
}

/// A file's path and text, to turn byte offsets into line and column.
///
/// The offsets of line starts are computed once, on the first lookup, so that resolving a
/// position is a binary search: validation asks for many positions in large files.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    pub path: &'a str,
    pub text: &'a str,
    lines: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> SourceText<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        SourceText {
            path,
            text,
            lines: std::cell::OnceCell::new(),
        }
    }

    /// Line and column (1-based, in characters) of a byte offset; clamped to the text.
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // The last line start at or before the offset.
        let line = starts.partition_point(|&s| s <= offset);
        let line_start = starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

/// Collects diagnostics for one file.
#[derive(Debug)]
pub struct Sink<'a> {
    pub source: SourceText<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Sink {
            source: SourceText::new(path, text),
            diagnostics: Vec::new(),
        }
    }

    pub fn pos(&self, span: &Range<usize>) -> Pos {
        self.source.pos(span.start)
    }

    /// An error at a byte span.
    pub fn error(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let pos = self.pos(span);
        self.error_at(pos, message, None);
    }

    /// An error at a byte span about an id.
    pub fn error_id(&mut self, span: &Range<usize>, id: &str, message: impl Into<String>) {
        let pos = self.pos(span);
        self.error_at(pos, message, Some(id.to_string()));
    }

    pub fn error_at(&mut self, pos: Pos, message: impl Into<String>, id: Option<String>) {
        self.push(pos, Severity::Error, message.into(), id);
    }

    pub fn warning_at(&mut self, pos: Pos, message: impl Into<String>) {
        self.push(pos, Severity::Warning, message.into(), None);
    }

    pub fn warning(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let pos = self.pos(span);
        self.push(pos, Severity::Warning, message.into(), None);
    }

    fn push(&mut self, pos: Pos, severity: Severity, message: String, id: Option<String>) {
        self.diagnostics.push(Diagnostic {
            path: self.source.path.to_string(),
            line: pos.line,
            column: pos.column,
            severity,
            message,
            id,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Builds a diagnostic for a position already resolved (content-wide checks use these).
pub fn error_at(path: &str, pos: Pos, id: Option<&str>, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: path.to_string(),
        line: pos.line,
        column: pos.column,
        severity: Severity::Error,
        message: message.into(),
        id: id.map(str::to_string),
    }
}

/// The same as a warning.
pub fn warning_at(
    path: &str,
    pos: Pos,
    id: Option<&str>,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..error_at(path, pos, id, message)
    }
}

/// The nearest candidate to `wrong`, when one is close enough to be a likely typo.
pub fn nearest<'c, I>(wrong: &str, candidates: I) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    let limit = (wrong.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// "; did you mean `x`?" when a candidate is close, otherwise "; expected one of: a, b, c"
/// (or the first few, for long lists).
pub fn hint<'c, I>(wrong: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'c str>,
    I::IntoIter: Clone,
{
    let iter = candidates.into_iter();
    if let Some(near) = nearest(wrong, iter.clone()) {
        return format!("; did you mean `{near}`?");
    }
    let mut all: Vec<&str> = iter.collect();
    if all.is_empty() {
        return String::new();
    }
    all.sort_unstable();
    all.dedup();
    const SHOWN: usize = 12;
    let more = all.len().saturating_sub(SHOWN);
    let list = all
        .iter()
        .take(SHOWN)
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        format!("; expected one of: {list} (and {more} more)")
    } else {
        format!("; expected one of: {list}")
    }
}

/// Like `hint`, but for long, growing lists (findings, questionnaires): suggests a close
/// name, or points at the command that lists them instead of printing a dozen names.
pub fn hint_or<'c, I>(wrong: &str, candidates: I, otherwise: &str) -> String
where
    I: IntoIterator<Item = &'c str>,
{
    match nearest(wrong, candidates) {
        Some(near) => format!("; did you mean `{near}`?"),
        None => format!("; {otherwise}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let s = SourceText::new("f", "ab\ncé d\n");
        assert_eq!(s.pos(0), Pos { line: 1, column: 1 });
        assert_eq!(s.pos(3), Pos { line: 2, column: 1 });
        // 'é' is two bytes; the space after it is the third character.
        assert_eq!(s.pos(6), Pos { line: 2, column: 3 });
        assert_eq!(s.pos(999), Pos { line: 3, column: 1 });
    }

    #[test]
    fn hints_suggest_close_names_or_list_the_valid_ones() {
        assert_eq!(
            hint("invntory", ["inventory", "order"]),
            "; did you mean `inventory`?"
        );
        assert_eq!(
            hint("zzz", ["inventory", "order"]),
            "; expected one of: `inventory`, `order`"
        );
    }
}

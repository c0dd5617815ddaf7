//! The text editors: a one-line field (a path, a value, a label) and a multi-line area
//! (notes, the engagement summary). Pure: an action in, the field changed.

use crate::tui::action::{Action, Do};

/// A one-line text field (a path, a number, a text answer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineInput {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

impl LineInput {
    pub fn with(text: &str) -> Self {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }
}

/// A multi-line text field (notes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextArea {
    pub lines: Vec<String>,
    /// (line, column in characters).
    pub cursor: (usize, usize),
}

impl TextArea {
    pub fn with(text: &str) -> Self {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_string).collect()
        };
        let last = lines.len() - 1;
        let col = lines[last].chars().count();
        TextArea {
            lines,
            cursor: (last, col),
        }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// Applies an editing action to a one-line field; other actions leave it as it is.
pub fn line_edit(line: &mut LineInput, action: Action) {
    match action {
        Action::Insert(c) => {
            let byte = byte_at(&line.text, line.cursor);
            line.text.insert(byte, c);
            line.cursor += 1;
        }
        Action::Backspace if line.cursor > 0 => {
            line.cursor -= 1;
            let byte = byte_at(&line.text, line.cursor);
            line.text.remove(byte);
        }
        Action::Delete if line.cursor < line.text.chars().count() => {
            let byte = byte_at(&line.text, line.cursor);
            line.text.remove(byte);
        }
        Action::Cursor(dx, _) => {
            line.cursor = (line.cursor as i64 + i64::from(dx))
                .clamp(0, line.text.chars().count() as i64) as usize;
        }
        Action::LineEdge(end) => line.cursor = if end { line.text.chars().count() } else { 0 },
        Action::Word(d) => line.cursor = word_edge(&line.text, line.cursor, d),
        Action::DeleteWord => {
            let from = word_edge(&line.text, line.cursor, -1);
            let (a, b) = (byte_at(&line.text, from), byte_at(&line.text, line.cursor));
            line.text.replace_range(a..b, "");
            line.cursor = from;
        }
        Action::DeleteToStart => {
            let b = byte_at(&line.text, line.cursor);
            line.text.replace_range(..b, "");
            line.cursor = 0;
        }
        _ => {}
    }
}

/// Where a word move from `cursor` lands (in characters): left to the start of the word
/// before, right to the end of the word after, as shells and editors move.
fn word_edge(text: &str, cursor: usize, dir: i32) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut i = cursor.min(chars.len());
    if dir < 0 {
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
    } else {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
    }
    i
}

/// Where each row of `line` starts (in characters) when it is wrapped at `width` columns:
/// after the last space that fits, else mid-word. Always starts with 0.
pub fn wrap_starts(line: &str, width: usize) -> Vec<usize> {
    let width = width.max(1);
    let mut starts = vec![0];
    // Short lines (nearly all) need no walk over their characters.
    if line.len() <= width {
        return starts;
    }
    let chars: Vec<char> = line.chars().collect();
    let mut start = 0;
    while chars.len() - start > width {
        let next = (start + 2..=start + width)
            .rev()
            .find(|&j| chars[j - 1] == ' ')
            .unwrap_or(start + width);
        starts.push(next);
        start = next;
    }
    starts
}

/// On a wrapped line: the row the character column `col` is on, and its column in that row.
pub fn wrapped_at(starts: &[usize], col: usize) -> (usize, usize) {
    let row = starts.iter().rposition(|&s| s <= col).unwrap_or(0);
    (row, col - starts[row])
}

/// Up or down one row of the wrapped text, keeping the column where the row allows.
fn wrapped_move(area: &mut TextArea, dy: i32, width: usize) {
    let (line, col) = area.cursor;
    let starts = wrap_starts(&area.lines[line], width);
    let (row, vcol) = wrapped_at(&starts, col);
    // The column `vcol` on row `r` of a line: before the next row's first character, so the
    // cursor stays on the row it moved to.
    let place = |text: &str, starts: &[usize], r: usize| {
        let len = text.chars().count();
        let end = starts.get(r + 1).map_or(len, |&n| n - 1);
        (starts[r] + vcol).min(end)
    };
    if dy < 0 {
        if row > 0 {
            area.cursor.1 = place(&area.lines[line], &starts, row - 1);
        } else if line > 0 {
            let prev = wrap_starts(&area.lines[line - 1], width);
            area.cursor = (
                line - 1,
                place(&area.lines[line - 1], &prev, prev.len() - 1),
            );
        }
    } else if row + 1 < starts.len() {
        area.cursor.1 = place(&area.lines[line], &starts, row + 1);
    } else if line + 1 < area.lines.len() {
        let next = wrap_starts(&area.lines[line + 1], width);
        area.cursor = (line + 1, place(&area.lines[line + 1], &next, 0));
    }
}

/// Edits a multi-line field (a note, the summary), shown wrapped at `width` columns (↑ and ↓
/// move by rows as shown); `None` when the action closes it.
pub fn note_edit(area: &mut TextArea, action: Action, width: usize) -> Option<()> {
    let (line, col) = area.cursor;
    match action {
        Action::Insert(c) => {
            let b = byte_at(&area.lines[line], col);
            area.lines[line].insert(b, c);
            area.cursor.1 += 1;
        }
        Action::Newline => {
            let b = byte_at(&area.lines[line], col);
            let rest = area.lines[line].split_off(b);
            area.lines.insert(line + 1, rest);
            area.cursor = (line + 1, 0);
        }
        Action::Backspace => {
            if col > 0 {
                let b = byte_at(&area.lines[line], col - 1);
                area.lines[line].remove(b);
                area.cursor.1 -= 1;
            } else if line > 0 {
                let cur = area.lines.remove(line);
                let prev_len = area.lines[line - 1].chars().count();
                area.lines[line - 1].push_str(&cur);
                area.cursor = (line - 1, prev_len);
            }
        }
        Action::Delete => {
            let len = area.lines[line].chars().count();
            if col < len {
                let b = byte_at(&area.lines[line], col);
                area.lines[line].remove(b);
            } else if line + 1 < area.lines.len() {
                let next = area.lines.remove(line + 1);
                area.lines[line].push_str(&next);
            }
        }
        Action::Cursor(0, dy @ (-1 | 1)) => wrapped_move(area, dy, width),
        Action::Cursor(dx, dy) => {
            let new_line =
                (line as i64 + i64::from(dy)).clamp(0, area.lines.len() as i64 - 1) as usize;
            let len = area.lines[new_line].chars().count() as i64;
            let new_col = if dy != 0 {
                (col as i64).min(len)
            } else {
                (col as i64 + i64::from(dx)).clamp(0, len)
            };
            area.cursor = (new_line, new_col as usize);
        }
        Action::LineEdge(end) => {
            area.cursor.1 = if end {
                area.lines[line].chars().count()
            } else {
                0
            };
        }
        // Word moves and deletions work on the line under the cursor, as in a one-line field.
        a @ (Action::Word(_) | Action::DeleteWord | Action::DeleteToStart) => {
            let mut one = LineInput {
                text: std::mem::take(&mut area.lines[line]),
                cursor: col,
            };
            line_edit(&mut one, a);
            area.lines[line] = one.text;
            area.cursor.1 = one.cursor;
        }
        Action::Do(Do::Select | Do::Cancel, _) => return None,
        _ => {}
    }
    Some(())
}

/// Inserts pasted text at the cursor of a one-line field, as one edit.
pub fn paste_line(line: &mut LineInput, text: &str) {
    let byte = byte_at(&line.text, line.cursor);
    line.text.insert_str(byte, text);
    line.cursor += text.chars().count();
}

/// Inserts pasted text (which may hold line ends) at the cursor of a multi-line field, as
/// one edit: the cost grows with the text pasted, not once per character.
///
/// The new lines go in with one `splice` (inserting them one by one would shift every line
/// after the cursor once per pasted line: quadratic in the paste).
pub fn paste_area(area: &mut TextArea, text: &str) {
    let (line, col) = area.cursor;
    let b = byte_at(&area.lines[line], col);
    let rest = area.lines[line].split_off(b);
    let mut parts = text.split('\n');
    area.lines[line].push_str(parts.next().unwrap_or_default());
    let new: Vec<String> = parts.map(str::to_string).collect();
    let at = line + new.len();
    area.lines.splice(line + 1..line + 1, new);
    let col = area.lines[at].chars().count();
    area.lines[at].push_str(&rest);
    area.cursor = (at, col);
}

/// The byte offset of the `chars`-th character. O(1) at the end of the line (where typing
/// happens) and a fast byte scan over ASCII text, so a key typed into a long line does not
/// cost a walk over every character before it.
pub fn byte_at(s: &str, chars: usize) -> usize {
    // A string has at least as many bytes as characters.
    if chars >= s.len() {
        return s.len();
    }
    if s.as_bytes()[..chars].is_ascii() {
        return chars;
    }
    s.char_indices().nth(chars).map_or(s.len(), |(b, _)| b)
}

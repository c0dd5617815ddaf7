//! Making untrusted text safe to show. Every string from a file or the command line (titles,
//! help, notes, names) is stored exactly; every output for people passes it through `safe`,
//! so that a note containing an escape sequence cannot repaint the terminal or reorder a line.
//!
//! C0 controls and DEL become their visible Unicode symbols (ESC → ␛), C1 controls and
//! bidirectional overrides become `\u{…}` escapes, tabs become spaces. Newlines are kept where
//! the caller allows them (`safe_multiline`).

/// Fits text to `width` terminal columns: cut with `…` when longer, padded with spaces when
/// shorter. Widths are display widths (a CJK character takes two columns).
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        let mut out = s.to_string();
        out.push_str(&" ".repeat(width - total));
        return out;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
        used += 1;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// A number for a message: as Rust writes it when that is short (`85.5`, `-3`, `0.01`), in
/// exponent form when it would run past 17 characters (`-1e308`, not 309 digits; `5e-324`).
pub fn number(x: f64) -> String {
    let plain = format!("{x}");
    if plain.len() <= 17 {
        plain
    } else {
        format!("{x:e}")
    }
}

/// One line: newlines are shown as ␊ too.
pub fn safe(s: &str) -> String {
    clean(s, false)
}

/// Text that may span lines: newlines are kept, everything else as in `safe`.
pub fn safe_multiline(s: &str) -> String {
    clean(s, true)
}

/// Prose written across lines in a TOML multi-line string, as paragraphs: single line breaks
/// become spaces (the display wraps to its own width), blank lines stay paragraph breaks.
pub fn reflow(s: &str) -> String {
    s.trim()
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Text written with its own line breaks (the engagement summary, wrapped by hand at about
/// 100 columns), as the lines to show: the lines of a paragraph joined into one (the display
/// wraps it to its own width), blank lines kept as paragraph breaks, and a list item (a line
/// starting with `- `, `* `, `• ` or a number of up to three digits and `.` or `)`) kept on a
/// line of its own. The text itself is not changed.
///
/// A break is the writer's wrapping, and joined, where the line reaches the last fifth of the
/// text's longest line (hand wrapping is loose: lines of 87 to 97 columns wrapped at 100) or
/// the next line's first word would not have fitted on it; a break after a line that ends
/// well short, with room for that word, was made on purpose and stays. A text whose longest line is under `HAND_WRAP`
/// columns or over `HAND_WRAP_MAX` was not wrapped by hand: every break stays (in the TUI's
/// editor the text wraps as it is typed, so a line end there is always meant).
pub fn paragraphs(s: &str) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let wrap = lines.iter().map(|l| l.width()).max().unwrap_or(0);
    let hand_wrapped = (HAND_WRAP..=HAND_WRAP_MAX).contains(&wrap);
    let mut out: Vec<String> = Vec::new();
    // Whether the next line of text runs on from the last line of `out`.
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            out.push(String::new());
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(last) if open && list_marker(line).is_none() => {
                last.push(' ');
                last.push_str(line.trim_start());
            }
            _ => out.push((*line).to_string()),
        }
        let next_word = lines
            .get(i + 1)
            .and_then(|n| n.split_whitespace().next())
            .map_or(0, UnicodeWidthStr::width);
        let width = line.width();
        open = hand_wrapped && (width * 5 >= wrap * 4 || width + 1 + next_word > wrap);
    }
    out
}

/// The narrowest and the widest longest line of a text `paragraphs` takes as wrapped by hand.
pub const HAND_WRAP: usize = 60;
pub const HAND_WRAP_MAX: usize = 120;

/// The width in bytes of a list item's indent, marker and the space after it (`- `, `* `,
/// `• `, `12. `, `3) `); `None` when the line is no list item.
pub fn list_marker(line: &str) -> Option<usize> {
    let body = line.trim_start();
    let indent = line.len() - body.len();
    let marker = if body.starts_with(['-', '*', '•']) {
        body.chars().next().map_or(0, char::len_utf8)
    } else {
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        // Up to three digits: a year ending a sentence ("… in February\n2027. Then …") is
        // no list item.
        if !(1..=3).contains(&digits) || !body[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let rest = &body[marker..];
    if rest.starts_with(' ') {
        Some(indent + marker + 1)
    } else {
        None
    }
}

fn clean(s: &str, keep_newlines: bool) -> String {
    if !s.chars().any(needs_work) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push_str("    "),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('␡'),
            c if is_c1(c) || is_bidi(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// A bidirectional control: embeddings, overrides, isolates and the directional marks.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_strings_come_out_visible_and_inert() {
        assert_eq!(safe("\u{1b}]0;pwned\u{7}"), "␛]0;pwned␇");
        assert_eq!(safe("\u{1b}[2J"), "␛[2J");
        assert_eq!(safe("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(safe("\u{9b}x"), "\\u{9b}x");
        assert_eq!(safe("a\tb"), "a    b");
        assert_eq!(safe("a\nb"), "a␊b");
        assert_eq!(safe_multiline("a\nb"), "a\nb");
        assert_eq!(safe("plain café ✓"), "plain café ✓");
    }

    #[test]
    fn reflow_joins_lines_and_keeps_paragraphs() {
        assert_eq!(reflow("one\ntwo  three\n\nfour\n"), "one two three\n\nfour");
    }

    #[test]
    fn paragraphs_join_lines_and_keep_breaks_and_list_items() {
        // Wrapped by hand at 70 columns.
        let text = "\
We sell camping, fly-fishing and trail gear on our own site and on two
marketplaces; the site moves in February.
Short line kept.

What worries us, in the order the client gave them at the first workshop:
- web orders created twice when Adyen retries, about fifty-one, each
  a month
* stock that reaches the marketplaces from two writers, hours late
12. a date
3) money and the rest of the sentence that runs on to the end of this
-15°C and below


End.";
        assert_eq!(
            paragraphs(text),
            [
                "We sell camping, fly-fishing and trail gear on our own site and on two \
                 marketplaces; the site moves in February.",
                "Short line kept.",
                "",
                "What worries us, in the order the client gave them at the first workshop:",
                "- web orders created twice when Adyen retries, about fifty-one, each a month",
                "* stock that reaches the marketplaces from two writers, hours late",
                "12. a date",
                "3) money and the rest of the sentence that runs on to the end of this -15°C and below",
                "",
                "",
                "End.",
            ]
        );
        // Not wrapped by hand (no line of 60 columns): every break is meant.
        assert_eq!(
            paragraphs("Replatform by Q3.\nKeep NetSuite."),
            ["Replatform by Q3.", "Keep NetSuite."]
        );
        assert_eq!(list_marker("  - x"), Some(4));
        assert_eq!(list_marker("12. x"), Some(4));
        assert_eq!(list_marker("2027. After peak"), None);
        assert_eq!(list_marker("-x"), None);
        assert_eq!(list_marker("1.5 x"), None);
        assert_eq!(list_marker("Q3 x"), None);
    }
}

/// JSON for untrusted text: the value exactly, with every control character (C0, DEL, C1)
/// and bidirectional control written as a `\uXXXX` escape, never raw. serde_json escapes C0
/// itself but passes DEL, C1 and bidi characters through.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    write_json(&mut out, value)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// `to_json`, streamed to a writer (large results are not built in memory first).
pub fn write_json<W: std::io::Write, T: serde::Serialize + ?Sized>(
    w: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, SafeJson);
    value.serialize(&mut ser)
}

struct SafeJson;

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Byte scan: every character to escape starts with 7F (DEL), C2 (C1 controls
        // C2 80–9F), D8 (U+061C) or E2 (the other bidi controls); only those are decoded.
        let bytes = fragment.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2) {
                i += 1;
                continue;
            }
            // `fragment` is valid UTF-8 and `i` is at a lead byte (or DEL).
            let c = fragment[i..].chars().next().unwrap_or('\0');
            let len = c.len_utf8();
            if c == '\u{7f}' || is_c1(c) || is_bidi(c) {
                writer.write_all(&bytes[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + len;
            }
            i += len;
        }
        writer.write_all(&bytes[start..])
    }
}

#[cfg(test)]
mod fit_tests {
    use super::fit;

    #[test]
    fn fit_pads_cuts_with_an_ellipsis_and_counts_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abcd", 4), "abcd");
        // Wide characters take two columns each: 漢字 is four columns.
        assert_eq!(fit("漢字x", 4), "漢… ");
        assert_eq!(fit("漢字", 4), "漢字");
        assert_eq!(fit("", 0), "");
        assert_eq!(fit("ab", 0), "");
    }
}

#[cfg(test)]
mod json_tests {
    use super::to_json;

    #[test]
    fn json_escapes_every_control_and_bidi_character() {
        let s = "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e";
        let j = to_json(&s).expect("serialises");
        assert_eq!(j, "\"a\\u001bb\\u007fc\\u009bd\\u202ee\"");
        let back: String = serde_json::from_str(&j).expect("parses");
        assert_eq!(back, s, "the text itself is kept exactly");
    }
}

//! Phase two of loading: raw structs → the validated model, collecting every problem.
//!
//! Each file kind has its own module. The helpers here turn the common shapes (a required
//! string, an id, a vocabulary name, a list of them) into model values or diagnostics, so every
//! message about a missing key or an unknown name reads the same across formats.

pub mod assessment;
pub mod condition;
pub mod profile;
pub mod questionnaire;
pub mod similar;
pub mod snapshot;

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::{Pos, Sink, hint};
use crate::raw::{S, StrList};
use crate::vocab::Vocab;

/// A required string: reports `missing `key` in place` at `at` when absent, or when empty.
pub(crate) fn required<'r>(
    sink: &mut Sink,
    value: &'r Option<S<String>>,
    at: &Range<usize>,
    key: &str,
    place: &str,
) -> Option<&'r S<String>> {
    match value {
        None => {
            sink.error(at, format!("missing `{key}` in {place}"));
            None
        }
        Some(v) if v.get_ref().trim().is_empty() => {
            sink.error(&v.span(), format!("`{key}` in {place} must not be empty"));
            None
        }
        Some(v) => Some(v),
    }
}

/// Whether `id` is a valid id: lowercase ASCII letters, digits, `-` and `_`, starting with a
/// letter or digit. Ids end up in file names, `FILE@LABEL` references, URLs and CSV cells;
/// keeping them plain keeps all of those simple.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.len() <= 64
}

/// Suggests an id for a name: "Shopify Plus" → "shopify-plus".
pub fn suggest_id(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    out.truncate(64);
    out.trim_end_matches('-').to_string()
}

/// The most characters of an id a `-N` suffix is added to: ids made from names stop here, so
/// that `-2` … `-999` still fit in the 64 characters an id may have.
pub const ID_STEM_MAX: usize = 60;

/// An id that `taken` says is free, made from `stem` (an id, or a file stem, such as
/// [`suggest_id`] makes): `stem` cut to [`ID_STEM_MAX`] characters (and of a trailing `-`),
/// or, when that is taken, the same with `-2`, `-3`, … appended. The one rule for every new
/// id and file name stackmap makes up: the inventory's forms, CSV import, new assessments and
/// snapshots. `None` when `stem` is empty.
pub fn free_id(stem: &str, mut taken: impl FnMut(&str) -> bool) -> Option<String> {
    let base = id_stem(stem, ID_STEM_MAX);
    if base.is_empty() {
        return None;
    }
    if !taken(base) {
        return Some(base.to_string());
    }
    (2u64..).find_map(|n| {
        let suffix = format!("-{n}");
        // Past `-999` the stem gives way, so the id never outgrows 64 characters.
        let room = 64usize.saturating_sub(suffix.len()).min(ID_STEM_MAX);
        let id = format!("{}{suffix}", id_stem(stem, room));
        (!taken(&id)).then_some(id)
    })
}

/// `stem` cut to at most `max` characters, without the `-` the cut may leave at the end.
fn id_stem(stem: &str, max: usize) -> &str {
    let end = stem.char_indices().nth(max).map_or(stem.len(), |(i, _)| i);
    stem[..end].trim_end_matches('-')
}

fn id_syntax(sink: &mut Sink, v: &S<String>, what: &str) -> bool {
    if is_valid_id(v.get_ref()) {
        return true;
    }
    // A decision made per subject: `DECISION@SUBJECT`, each part an id.
    if what == "decision"
        && let Some((d, s)) = v.get_ref().split_once('@')
        && is_valid_id(d)
        && is_valid_id(s)
    {
        return true;
    }
    let suggestion = suggest_id(v.get_ref());
    let tip = if suggestion.is_empty() {
        String::new()
    } else {
        format!(" (for example `{suggestion}`)")
    };
    sink.error_id(
        &v.span(),
        v.get_ref(),
        format!(
            "{what} id `{}` is not valid: use lowercase letters, digits, `-` and `_`, at most 64 characters{tip}",
            v.get_ref()
        ),
    );
    false
}

/// A required id: present, non-empty and well-formed.
pub(crate) fn required_id(
    sink: &mut Sink,
    value: &Option<S<String>>,
    at: &Range<usize>,
    place: &str,
    what: &str,
) -> Option<(String, Pos)> {
    let v = required(sink, value, at, "id", place)?;
    if !id_syntax(sink, v, what) {
        return None;
    }
    Some((v.get_ref().clone(), sink.pos(&v.span())))
}

/// A reference to an id (checked for syntax only; what it names is checked by the caller).
pub(crate) fn reference(sink: &mut Sink, v: &S<String>, what: &str) -> Option<(String, Pos)> {
    if !id_syntax(sink, v, what) {
        return None;
    }
    Some((v.get_ref().clone(), sink.pos(&v.span())))
}

/// Tracks ids seen at one level to report duplicates with the first place they were defined.
pub(crate) struct Seen<'w> {
    what: &'w str,
    first: HashMap<String, Pos>,
}

impl<'w> Seen<'w> {
    pub fn new(what: &'w str) -> Self {
        Seen {
            what,
            first: HashMap::new(),
        }
    }

    /// Records `id`; reports and returns false when it was seen before.
    pub fn insert(&mut self, sink: &mut Sink, id: &str, pos: Pos) -> bool {
        if let Some(first) = self.first.get(id) {
            sink.error_at(
                pos,
                format!(
                    "duplicate {} id `{id}` (first defined at line {}, column {})",
                    self.what, first.line, first.column
                ),
                Some(id.to_string()),
            );
            false
        } else {
            self.first.insert(id.to_string(), pos);
            true
        }
    }
}

/// A vocabulary name; reports the unknown name with a suggestion.
pub(crate) fn vocab<T: Vocab>(sink: &mut Sink, v: &S<String>) -> Option<T> {
    vocab_str(sink, v.get_ref(), &v.span())
}

pub(crate) fn vocab_str<T: Vocab>(sink: &mut Sink, text: &str, span: &Range<usize>) -> Option<T> {
    let parsed = T::parse(text);
    if parsed.is_none() {
        let names: Vec<&str> = T::all().iter().map(|v| v.as_str()).collect();
        sink.error_id(
            span,
            text,
            format!("unknown {} `{text}`{}", T::WHAT, hint(text, names)),
        );
    }
    parsed
}

/// A list of vocabulary names; unknown ones are reported and dropped, duplicates dropped.
pub(crate) fn vocab_list<T: Vocab + PartialEq>(sink: &mut Sink, list: &[S<String>]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for v in list {
        if let Some(x) = vocab::<T>(sink, v)
            && !out.contains(&x)
        {
            out.push(x);
        }
    }
    out
}

/// A string-or-list of vocabulary names (conditions).
pub(crate) fn vocab_strlist<T: Vocab + PartialEq>(sink: &mut Sink, v: &S<StrList>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for text in &v.get_ref().0 {
        if let Some(x) = vocab_str::<T>(sink, text, &v.span())
            && !out.contains(&x)
        {
            out.push(x);
        }
    }
    if v.get_ref().0.is_empty() {
        sink.error(
            &v.span(),
            format!("empty list: name at least one {}", T::WHAT),
        );
    }
    out
}

/// A number that must be finite and within `lo..=hi`, and zero or a normal number: a
/// subnormal such as `5e-324` is too small to compute with (a weight of it would make every
/// weighted average it enters meaningless). `-0` reads as 0.
pub(crate) fn number_in(sink: &mut Sink, v: &S<f64>, lo: f64, hi: f64, what: &str) -> Option<f64> {
    use crate::text::number;
    let x = *v.get_ref();
    if x.is_subnormal() {
        sink.error(
            &v.span(),
            format!(
                "{what} is {}, too small to count with (the smallest normal number is {:e}); \
                 write 0 if it should not count, or a number from {} to {}",
                number(x),
                f64::MIN_POSITIVE,
                number(lo),
                number(hi)
            ),
        );
        None
    } else if x.is_finite() && x >= lo && x <= hi {
        Some(if x == 0.0 { 0.0 } else { x })
    } else {
        sink.error(
            &v.span(),
            format!(
                "{what} must be between {} and {}, found {}",
                number(lo),
                number(hi),
                number(x)
            ),
        );
        None
    }
}

/// A whole number within `lo..=hi`.
pub(crate) fn int_in(sink: &mut Sink, v: &S<i64>, lo: i64, hi: i64, what: &str) -> Option<i64> {
    let x = *v.get_ref();
    if (lo..=hi).contains(&x) {
        Some(x)
    } else {
        sink.error(
            &v.span(),
            format!("{what} must be a whole number from {lo} to {hi}, found {x}"),
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain() {
        assert!(is_valid_id("order-export_2"));
        assert!(!is_valid_id("Order"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a@b"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn ids_are_suggested_from_names() {
        assert_eq!(suggest_id("Shopify Plus"), "shopify-plus");
        assert_eq!(suggest_id("  SAP S/4HANA  "), "sap-s-4hana");
        assert_eq!(suggest_id("Café"), "caf");
    }

    #[test]
    fn free_ids_leave_room_for_a_suffix() {
        let long = "a".repeat(70);
        let taken = ["shop", "shop-2"];
        assert_eq!(
            free_id("shop", |x| taken.contains(&x)).as_deref(),
            Some("shop-3")
        );
        assert_eq!(
            free_id("erp", |x| taken.contains(&x)).as_deref(),
            Some("erp")
        );
        assert_eq!(free_id("", |_| false), None);
        let first = free_id(&long, |_| false).unwrap_or_default();
        assert_eq!(first.len(), ID_STEM_MAX);
        let second = free_id(&long, |x| x == first).unwrap_or_default();
        assert_eq!(second, format!("{first}-2"));
        assert!(is_valid_id(&second));
        // A cut that ends in `-` loses it.
        let dashed = format!("{}-b", "a".repeat(59));
        assert_eq!(free_id(&dashed, |_| false), Some("a".repeat(59)));
        // Never longer than an id may be, however many are taken.
        let far = free_id(&long, |x| !x.ends_with("-1000")).unwrap_or_default();
        assert!(is_valid_id(&far), "{far}");
    }
}

//! Reading a file's text into the raw structs of its kind, with every problem reported.
//!
//! Loading goes: size check → TOML parse (toml's own position on a syntax error) → the
//! `schema` / `kind` header → serde into `raw` structs, collecting unknown keys through
//! `serde_ignored` → `validate` into the model. Only TOML syntax and wrong value types stop
//! early; everything after that collects every problem.
//!
//! The TOML is parsed once into toml's spanned document (`DeTable`) and deserialized from it,
//! so the cost stays close to a plain `toml::Table` parse. The document is parsed a second
//! time only when there are unknown keys to point at.

use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Visitor};
use toml::de::{DeTable, DeValue};

use crate::diag::{Pos, Sink, hint};
use crate::raw;
use crate::vocab::FileKind;

/// The newest schema this build reads and writes.
pub const SCHEMA: i64 = 1;

/// Files above this size are refused before parsing: no stackmap file comes near it, and a
/// parser should not be handed gigabytes by mistake.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A file parsed into the raw structs of its kind.
#[derive(Debug)]
pub enum Parsed {
    Questionnaire(raw::RawQuestionnaire),
    Profile(raw::RawProfile),
    Assessment(raw::RawAssessment),
    Snapshot(raw::RawSnapshot),
}

impl Parsed {
    pub fn kind(&self) -> FileKind {
        match self {
            Parsed::Questionnaire(_) => FileKind::Questionnaire,
            Parsed::Profile(_) => FileKind::Profile,
            Parsed::Assessment(_) => FileKind::Assessment,
            Parsed::Snapshot(_) => FileKind::Snapshot,
        }
    }
}

/// Parses a file of any kind. `expect` refuses files of another kind (content directories
/// hold only questionnaires or only profiles). Problems go to `sink`; `None` when the file
/// could not be read far enough to validate.
pub fn parse(text: &str, expect: Option<FileKind>, sink: &mut Sink) -> Option<Parsed> {
    if text.len() > MAX_FILE_BYTES {
        sink.error_at(
            Pos::START,
            format!(
                "file is {} bytes, over the limit of {} bytes; stackmap files are far smaller, \
                 check that this is the file you meant",
                text.len(),
                MAX_FILE_BYTES
            ),
            None,
        );
        return None;
    }
    if text.trim().is_empty() {
        sink.error_at(
            Pos::START,
            "file is empty; a stackmap file starts with `schema = 1` and \
             `kind = \"questionnaire\"` (or \"profile\", \"assessment\", \"snapshot\")",
            None,
        );
        return None;
    }
    let doc = match DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            toml_error(sink, &e);
            return None;
        }
    };
    let kind = header(&doc, expect, sink)?;
    let mut unknown: Vec<Vec<Seg>> = Vec::new();
    let de = toml::de::Deserializer::from(doc);
    let mut record = |path: serde_ignored::Path| unknown.push(segments(&path));
    let parsed = match kind {
        FileKind::Questionnaire => {
            serde_ignored::deserialize(de, &mut record).map(Parsed::Questionnaire)
        }
        FileKind::Profile => serde_ignored::deserialize(de, &mut record).map(Parsed::Profile),
        FileKind::Assessment => serde_ignored::deserialize(de, &mut record).map(Parsed::Assessment),
        FileKind::Snapshot => serde_ignored::deserialize(de, &mut record).map(Parsed::Snapshot),
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            toml_error(sink, &e);
            return None;
        }
    };
    if !unknown.is_empty() {
        report_unknown_keys(text, kind, &unknown, sink);
    }
    Some(parsed)
}

fn toml_error(sink: &mut Sink, e: &toml::de::Error) {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().trim_end_matches('.').to_string();
    sink.error(&span, format!("invalid TOML: {message}"));
}

/// Reads and checks `schema` and `kind`; returns the kind to deserialize.
fn header(
    doc: &toml::Spanned<DeTable>,
    expect: Option<FileKind>,
    sink: &mut Sink,
) -> Option<FileKind> {
    let mut schema = None;
    let mut kind = None;
    for (k, v) in doc.get_ref().iter() {
        match k.get_ref().as_ref() {
            "schema" => schema = Some(v),
            "kind" => kind = Some(v),
            _ => {}
        }
    }
    let Some(kind_value) = kind else {
        sink.error_at(
            Pos::START,
            "missing `kind`: a stackmap file starts with `schema = 1` and \
             `kind = \"questionnaire\"` (or \"profile\", \"assessment\", \"snapshot\")",
            None,
        );
        return None;
    };
    let DeValue::String(kind_text) = kind_value.get_ref() else {
        sink.error(
            &kind_value.span(),
            "`kind` must be a string: \"questionnaire\", \"profile\", \"assessment\" or \"snapshot\"",
        );
        return None;
    };
    let Some(file_kind) = FileKind::parse(kind_text) else {
        sink.error(
            &kind_value.span(),
            format!(
                "unknown kind `{kind_text}`{}",
                hint(kind_text, FileKind::names())
            ),
        );
        return None;
    };
    match schema {
        None => {
            sink.error_at(
                Pos::START,
                format!("missing `schema`: add `schema = {SCHEMA}` as the first line"),
                None,
            );
            return None;
        }
        Some(v) => {
            let n = match v.get_ref() {
                DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
                _ => None,
            };
            match n {
                Some(n) if n > SCHEMA => {
                    sink.error(
                        &v.span(),
                        format!(
                            "written by a newer stackmap: this file has schema {n}, this build \
                             reads schema {SCHEMA} and older; upgrade stackmap to open it"
                        ),
                    );
                    return None;
                }
                Some(n) if n >= 1 => {}
                _ => {
                    sink.error(
                        &v.span(),
                        format!("`schema` must be a whole number from 1 to {SCHEMA}"),
                    );
                    return None;
                }
            }
        }
    }
    if let Some(expected) = expect
        && expected != file_kind
    {
        sink.error(
            &kind_value.span(),
            format!("expected a {expected} file here, found kind `{file_kind}`"),
        );
        return None;
    }
    Some(file_kind)
}

// ---------------------------------------------------------------------------------------
// Unknown keys

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Turns serde_ignored's path into steps, dropping serde_spanned's private wrapper keys.
fn segments(path: &serde_ignored::Path) -> Vec<Seg> {
    use serde_ignored::Path;
    let mut out = Vec::new();
    let mut cur = path;
    loop {
        match cur {
            Path::Root => break,
            Path::Seq { parent, index } => {
                out.push(Seg::Index(*index));
                cur = parent;
            }
            Path::Map { parent, key } => {
                if !key.starts_with("$__serde_spanned_private") {
                    out.push(Seg::Key(key.clone()));
                }
                cur = parent;
            }
            Path::Some { parent }
            | Path::NewtypeStruct { parent }
            | Path::NewtypeVariant { parent } => cur = parent,
        }
    }
    out.reverse();
    out
}

fn report_unknown_keys(text: &str, kind: FileKind, paths: &[Vec<Seg>], sink: &mut Sink) {
    let doc = DeTable::parse(text).ok();
    for path in paths {
        let Some(Seg::Key(key)) = path.last() else {
            continue;
        };
        let span = doc
            .as_ref()
            .and_then(|d| locate_key(d.get_ref(), path))
            .unwrap_or(0..0);
        let (place, fields) = context(kind, &path[..path.len() - 1]);
        let fields: Vec<&str> = fields
            .iter()
            .copied()
            .filter(|f| *f != "kind" || place == "the file")
            .collect();
        sink.error(
            &span,
            format!(
                "unknown key `{key}` in {place}{}",
                hint(key, fields.iter().copied())
            ),
        );
    }
}

/// The span of the key at `path` (the last step is the key itself).
fn locate_key(root: &DeTable, path: &[Seg]) -> Option<Range<usize>> {
    let mut table = root;
    let mut value: Option<&DeValue> = None;
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match seg {
            Seg::Key(k) => {
                if let Some(v) = value {
                    table = v.as_table()?;
                }
                let (key, v) = table.iter().find(|(key, _)| key.get_ref().as_ref() == k)?;
                if last {
                    return Some(key.span());
                }
                value = Some(v.get_ref());
            }
            Seg::Index(n) => {
                let arr = value?.as_array()?;
                value = Some(arr.get(*n)?.get_ref());
            }
        }
    }
    None
}

/// A readable name for the table at `path`, and the keys valid there.
fn context(kind: FileKind, path: &[Seg]) -> (&'static str, &'static [&'static str]) {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let last = keys.last().copied();
    // Conditions nest (all / any / not), so any path through one is a condition.
    let in_condition = keys.iter().position(|k| matches!(*k, "show_if" | "when"));
    if let Some(at) = in_condition {
        return match keys.get(at + 1..).and_then(|rest| rest.last()) {
            Some(&"has_system") => ("a `has_system` filter", fields::<raw::RawSystemFilter>()),
            Some(&"subject") => ("a `subject` filter", fields::<raw::RawSubjectFilter>()),
            _ => ("a condition", fields::<raw::RawCondition>()),
        };
    }
    match (kind, last) {
        (FileKind::Questionnaire, None) => ("the file", fields::<raw::RawQuestionnaire>()),
        (FileKind::Questionnaire, Some("section")) => {
            ("a [[section]]", fields::<raw::RawSection>())
        }
        (FileKind::Questionnaire, Some("question")) => {
            ("a [[section.question]]", fields::<raw::RawQuestion>())
        }
        (FileKind::Questionnaire, Some("options")) => ("an option", fields::<raw::RawOption>()),
        (FileKind::Questionnaire, Some("thresholds")) => {
            ("a threshold", fields::<raw::RawThreshold>())
        }
        (FileKind::Questionnaire, Some("finding")) => {
            ("a [[finding]]", fields::<raw::RawFinding>())
        }
        (FileKind::Questionnaire, Some("rule")) => ("a [[rule]]", fields::<raw::RawRule>()),
        (FileKind::Profile, None) => ("the file", fields::<raw::RawProfile>()),
        (FileKind::Profile, Some("questionnaires")) => (
            "a profile's questionnaire entry",
            fields::<raw::RawInclude>(),
        ),
        (FileKind::Assessment, None) => ("the file", fields::<raw::RawAssessment>()),
        (FileKind::Assessment, Some("engagement")) => {
            ("[engagement]", fields::<raw::RawEngagement>())
        }
        (FileKind::Assessment, Some("pain_points" | "initiatives")) => {
            ("a pain point or initiative", fields::<raw::RawNote>())
        }
        (FileKind::Assessment, Some("system")) => ("a [[system]]", fields::<raw::RawSystem>()),
        (FileKind::Assessment, Some("flow")) => ("a [[flow]]", fields::<raw::RawFlow>()),
        (FileKind::Assessment, Some("owners")) => ("a flow's [owners]", fields::<raw::RawOwners>()),
        (FileKind::Assessment, Some("answer")) => ("an [[answer]]", fields::<raw::RawAnswer>()),
        (FileKind::Assessment, Some("decision")) => {
            ("a [[decision]]", fields::<raw::RawDecision>())
        }
        (FileKind::Assessment, Some(_)) if keys.first() == Some(&"ownership") => {
            ("an [ownership] entry", fields::<raw::RawOwnership>())
        }
        (FileKind::Snapshot, None) => ("the file", fields::<raw::RawSnapshot>()),
        (FileKind::Snapshot, Some("content")) => (
            "a snapshot's content entry",
            fields::<raw::RawSnapshotContent>(),
        ),
        _ => ("this table", &[]),
    }
}

/// The field names serde expects for `T`, read by asking `T` to deserialize from a
/// deserializer that records the names and stops. Keeps "expected one of" lists in step with
/// the structs without a second hand-written list.
fn fields<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);
    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut out: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut out));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Option<Parsed>, Vec<String>) {
        let mut sink = Sink::new("t.toml", text);
        let p = parse(text, None, &mut sink);
        (p, sink.diagnostics.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn fields_are_read_from_the_structs() {
        let f = fields::<raw::RawOption>();
        assert!(f.contains(&"label") && f.contains(&"raises"), "{f:?}");
    }

    #[test]
    fn unknown_keys_are_located_even_inside_spanned_tables() {
        let text = "schema = 1\nkind = \"questionnaire\"\nid = \"x\"\n[[section]]\nid = \"s\"\n\
                    [[section.question]]\nid = \"q\"\npromt = \"?\"\n";
        let (p, d) = run(text);
        assert!(p.is_some());
        assert_eq!(
            d,
            [
                "t.toml:8:1: error: unknown key `promt` in a [[section.question]]; did you mean `prompt`?"
            ]
        );
    }

    #[test]
    fn header_problems_are_reported() {
        assert_eq!(run("").1.len(), 1);
        assert!(run("schema = 1\n").1[0].contains("missing `kind`"));
        assert!(run("schema = 9\nkind = \"profile\"\n").1[0].contains("newer stackmap"));
        assert!(run("schema = 1\nkind = \"profil\"\n").1[0].contains("did you mean `profile`"));
    }
}

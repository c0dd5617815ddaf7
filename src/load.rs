//! Reading a file's text into the raw structs of its kind, with every problem reported.
//!
//! Loading goes: size check → TOML parse (toml's own position on a syntax error) → the
//! `schema` / `kind` header → a walk over the document that reports every unknown key →
//! serde into `raw` structs → `validate` into the model. Only TOML syntax and wrong value
//! types stop early; everything after that collects every problem.
//!
//! The TOML is parsed once into toml's spanned document (`DeTable`), walked, and deserialized
//! from it, so the cost stays close to a plain `toml::Table` parse. The walk knows which
//! table it is in (`Where`) and reads the valid keys from the serde structs themselves
//! (`fields`), so the two can never disagree.

use serde::Deserialize;
use serde::de::{self, Visitor};
use toml::de::{DeTable, DeValue};

use crate::diag::{Pos, Sink, hint};
use crate::raw;
use crate::vocab::FileKind;

/// The newest schema this build reads and writes.
pub const SCHEMA: i64 = 2;

/// The schema that added stated absence (`none`), flow `direction`, system `scopes` and
/// ownership per scope. An older assessment is read with their defaults (nothing stated
/// absent, every flow a push, one estate-wide scope) and written as this schema on save.
pub const SCHEMA_FACTS: i64 = 2;

/// Files above this size are refused before parsing: no stackmap file comes near it, and a
/// parser should not be handed gigabytes by mistake.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Nesting deeper than this (arrays in arrays, tables in tables, dotted keys) is refused: it is
/// the TOML parser's own limit, which keeps a hostile file from overflowing the stack, and every
/// walk over a parsed document here is bounded by it.
pub const MAX_NESTING: u32 = 80;

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
    from_document(doc, expect, sink)
}

/// A text at least this long is parsed in two halves by `parse_assessment`.
const SPLIT_FROM: usize = 1 << 20;

/// `parse` of an assessment's text, the TOML parsed in two halves on two threads when the text
/// is large (a merge checks that its result loads back, and a large engagement's answers are
/// most of its text). The text is cut before an `[[answer]]` header near its middle: the first
/// half is parsed as it stands; the second with the first's bytes replaced by one line of
/// spaces, so every span in it is the whole text's. The second half's answers are appended to
/// the first's, and its other tables added.
///
/// That is the document the whole text parses to, or this falls back to parsing the whole text
/// with `parse`, whose result and diagnostics are then the ones given: TOML is read from the
/// top, so a first half that parses is the whole text's state at the cut (a cut inside a string,
/// array or inline table leaves the first half unterminated, which does not parse), and from the
/// cut a `[[answer]]` header starts afresh. Whole and halves differ only where a header of the
/// second half reaches into a table the first defined, so the halves are taken only when
/// - both parse;
/// - the first has `answer` as an array of tables, each from an `[[answer]]` header (a static
///   `answer = [...]` cannot be extended; the whole text would be refused);
/// - every other top-level key of the second half is absent from the first.
pub fn parse_assessment(text: &str, sink: &mut Sink) -> Option<Parsed> {
    if text.len() >= SPLIT_FROM
        && let Some(parsed) = in_halves(text, text.len() / 2, sink)
    {
        return parsed;
    }
    parse(text, Some(FileKind::Assessment), sink)
}

/// `text` parsed in two halves cut at the first `[[answer]]` line from byte `mid` on (else the
/// last before it), as `parse_assessment` does; `None` to parse it whole.
fn in_halves(text: &str, mid: usize, sink: &mut Sink) -> Option<Option<Parsed>> {
    const HEADER: &str = "\n[[answer]]\n";
    if text.len() > MAX_FILE_BYTES || !text.is_char_boundary(mid) {
        return None;
    }
    let at = match text[mid..].find(HEADER) {
        Some(i) => mid + i,
        None => text[..mid].rfind(HEADER)?,
    };
    // The cut: the start of the `[[answer]]` line.
    let cut = at + 1;
    let (first, second) = text.split_at(cut);
    let mut padded = String::with_capacity(text.len());
    padded.extend(std::iter::repeat_n(' ', cut - 1));
    padded.push('\n');
    padded.push_str(second);
    let (head, tail) = std::thread::scope(|scope| {
        let tail = scope.spawn(|| DeTable::parse(&padded).ok());
        let head = DeTable::parse(first).ok();
        (head, tail.join().ok().flatten())
    });
    let (mut head, tail) = (head?, tail?);
    let is_header = |v: &toml::Spanned<DeValue>| {
        matches!(v.get_ref(), DeValue::Table(_)) && text[v.span()].starts_with("[[answer]]")
    };
    let answers = |v: &toml::Spanned<DeValue>| match v.get_ref() {
        DeValue::Array(a) => !a.is_empty() && a.iter().all(is_header),
        _ => false,
    };
    let root = head.get_mut();
    if !root.get("answer").is_some_and(answers) {
        return None;
    }
    let tail = tail.into_inner();
    if tail.iter().any(|(k, v)| match k.get_ref().as_ref() {
        "answer" => !answers(v),
        k => root.contains_key(k),
    }) {
        return None;
    }
    for (k, v) in tail {
        if k.get_ref().as_ref() == "answer" {
            let (Some(DeValue::Array(to)), DeValue::Array(from)) =
                (root.get_mut("answer").map(|v| v.get_mut()), v.into_inner())
            else {
                return None;
            };
            for x in from {
                to.push(x);
            }
        } else {
            root.insert(k, v);
        }
    }
    Some(from_document(head, Some(FileKind::Assessment), sink))
}

/// The rest of `parse` once the text is a document: the header, unknown keys, the raw structs.
fn from_document(
    doc: toml::Spanned<DeTable<'_>>,
    expect: Option<FileKind>,
    sink: &mut Sink,
) -> Option<Parsed> {
    let kind = header(&doc, expect, sink)?;
    // Unknown keys are found by walking the document before serde consumes it: every one is
    // reported (serde's `deny_unknown_fields` would stop at the first), at the key itself.
    walk(doc.get_ref(), kind, Where::Root, sink);
    let de = toml::de::Deserializer::from(doc);
    let parsed = match kind {
        FileKind::Questionnaire => Deserialize::deserialize(de).map(Parsed::Questionnaire),
        FileKind::Profile => Deserialize::deserialize(de).map(Parsed::Profile),
        FileKind::Assessment => Deserialize::deserialize(de).map(Parsed::Assessment),
        FileKind::Snapshot => Deserialize::deserialize(de).map(Parsed::Snapshot),
    };
    match parsed {
        Ok(p) => Some(p),
        Err(e) => {
            toml_error(sink, &e);
            None
        }
    }
}

fn toml_error(sink: &mut Sink, e: &toml::de::Error) {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().trim_end_matches('.').to_string();
    // The parser stops at its depth limit instead of recursing into a stack overflow; say so
    // in words a person can act on.
    if message.contains("recurs") {
        sink.error(
            &span,
            format!(
                "nested too deeply: arrays, tables and dotted keys may nest at most \
                 {MAX_NESTING} levels (stackmap files need fewer than ten)"
            ),
        );
        return;
    }
    if message.starts_with("duplicate key") {
        let key = key_at(sink.source.text, span.start);
        sink.error(
            &span,
            if key.is_empty() {
                "invalid TOML: a key or table is defined twice; keep one of the two".to_string()
            } else {
                format!(
                    "invalid TOML: duplicate key `{key}`: it is already set earlier in the same table; \
                     keep one of the two (TOML allows each key once per table)"
                )
            },
        );
        return;
    }
    sink.error(&span, format!("invalid TOML: {message}"));
}

/// The key written at byte `at` of `text` (as far as `=`, `]` or the line's end), trimmed and
/// at most 80 characters: to name it in a message.
fn key_at(text: &str, at: usize) -> String {
    let Some(rest) = text.get(at..) else {
        return String::new();
    };
    let rest = rest.trim_start_matches(['[', ' ', '\t']);
    let end = rest.find(['=', ']', '\n', '\r']).unwrap_or(rest.len());
    rest[..end].trim().chars().take(80).collect()
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
            format!(
                "expected {} {expected} file here, found kind `{file_kind}`",
                if expected == FileKind::Assessment {
                    "an"
                } else {
                    "a"
                }
            ),
        );
        return None;
    }
    Some(file_kind)
}

// ---------------------------------------------------------------------------------------
// Unknown keys

/// Which table of a file the walk is in: decides the keys that are valid there.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Where {
    Root,
    Section,
    Question,
    AnswerOption,
    Threshold,
    Finding,
    Rule,
    Infer,
    Moved,
    Condition,
    SystemFilter,
    SubjectFilter,
    FlowFilter,
    Include,
    Engagement,
    Note,
    System,
    Flow,
    Owners,
    OwnershipMap,
    Ownership,
    /// `[ownership.OBJECT.scope]`: any label.
    ScopeMap,
    ScopedOwnership,
    Answer,
    Decision,
    Respondent,
    Conflict,
    SnapshotContent,
    SnapshotResult,
    /// The assessment nested in a snapshot: walked as an assessment file.
    SnapshotAssessment,
    /// Values serde checks on its own (scalars, free-form maps of numbers, frozen tables).
    Skip,
}

/// The table a key leads to.
fn child(kind: FileKind, at: Where, key: &str) -> Where {
    use Where::*;
    match (kind, at, key) {
        (_, Condition | Section | Question, "show_if") | (_, Rule | Infer, "when") => Condition,
        (_, Condition, "all" | "any" | "not") => Condition,
        (_, Condition, "has_system") => SystemFilter,
        (_, Condition, "subject") => SubjectFilter,
        (_, Condition, "has_flow") => FlowFilter,
        (FileKind::Questionnaire, Root, "section") => Section,
        (FileKind::Questionnaire, Root, "finding") => Finding,
        (FileKind::Questionnaire, Root, "rule") => Rule,
        (FileKind::Questionnaire, Root, "infer") => Infer,
        (FileKind::Questionnaire, Root, "moved") => Moved,
        (FileKind::Questionnaire, Section, "question") => Question,
        (FileKind::Questionnaire, Question, "options") => AnswerOption,
        (FileKind::Questionnaire, Question, "thresholds") => Threshold,
        (FileKind::Profile, Root, "questionnaires") => Include,
        (FileKind::Assessment, Root, "engagement") => Engagement,
        (FileKind::Assessment, Root, "system") => System,
        (FileKind::Assessment, Root, "flow") => Flow,
        (FileKind::Assessment, Root, "ownership") => OwnershipMap,
        (FileKind::Assessment, Root, "answer") => Answer,
        (FileKind::Assessment, Root, "decision") => Decision,
        (FileKind::Assessment, Root, "respondent") => Respondent,
        (FileKind::Assessment, Root, "conflict") => Conflict,
        (FileKind::Assessment, Engagement, "pain_points" | "initiatives") => Note,
        (FileKind::Assessment, Flow, "owners") => Owners,
        (FileKind::Assessment, OwnershipMap, _) => Ownership,
        (FileKind::Assessment, Ownership, "scope") => ScopeMap,
        (FileKind::Assessment, ScopeMap, _) => ScopedOwnership,
        (FileKind::Snapshot, Root, "content") => SnapshotContent,
        (FileKind::Snapshot, Root, "result") => SnapshotResult,
        (FileKind::Snapshot, Root, "assessment") => SnapshotAssessment,
        _ => Skip,
    }
}

/// A readable name for a table, and the keys valid in it (`None`: any key).
fn keys(kind: FileKind, at: Where) -> Option<(&'static str, &'static [&'static str])> {
    use Where::*;
    Some(match (kind, at) {
        (FileKind::Questionnaire, Root) => ("the file", fields::<raw::RawQuestionnaire>()),
        (FileKind::Profile, Root) => ("the file", fields::<raw::RawProfile>()),
        (FileKind::Assessment, Root) => ("the file", fields::<raw::RawAssessment>()),
        (FileKind::Snapshot, Root) => ("the file", fields::<raw::RawSnapshot>()),
        (_, Section) => ("a [[section]]", fields::<raw::RawSection>()),
        (_, Question) => ("a [[section.question]]", fields::<raw::RawQuestion>()),
        (_, AnswerOption) => ("an option", fields::<raw::RawOption>()),
        (_, Threshold) => ("a threshold", fields::<raw::RawThreshold>()),
        (_, Finding) => ("a [[finding]]", fields::<raw::RawFinding>()),
        (_, Rule) => ("a [[rule]]", fields::<raw::RawRule>()),
        (_, Infer) => ("an [[infer]]", fields::<raw::RawInfer>()),
        (_, FlowFilter) => ("a `has_flow` filter", fields::<raw::RawFlowFilter>()),
        (_, Moved) => ("a [[moved]]", fields::<raw::RawMoved>()),
        (_, Condition) => ("a condition", fields::<raw::RawCondition>()),
        (_, SystemFilter) => ("a `has_system` filter", fields::<raw::RawSystemFilter>()),
        (_, SubjectFilter) => ("a `subject` filter", fields::<raw::RawSubjectFilter>()),
        (_, Include) => (
            "a profile's questionnaire entry",
            fields::<raw::RawInclude>(),
        ),
        (_, Engagement) => ("[engagement]", fields::<raw::RawEngagement>()),
        (_, Note) => ("a pain point or initiative", fields::<raw::RawNote>()),
        (_, System) => ("a [[system]]", fields::<raw::RawSystem>()),
        (_, Flow) => ("a [[flow]]", fields::<raw::RawFlow>()),
        (_, Owners) => ("a flow's [owners]", fields::<raw::RawOwners>()),
        (_, Ownership) => ("an [ownership] entry", fields::<raw::RawOwnership>()),
        (_, ScopedOwnership) => (
            "an [ownership.OBJECT.scope.LABEL] entry",
            fields::<raw::RawScopedOwnership>(),
        ),
        (_, Answer) => ("an [[answer]]", fields::<raw::RawAnswer>()),
        (_, Decision) => ("a [[decision]]", fields::<raw::RawDecision>()),
        (_, Respondent) => ("a [[respondent]]", fields::<raw::RawRespondent>()),
        (_, Conflict) => ("a [[conflict]]", fields::<raw::RawConflict>()),
        (_, SnapshotContent) => (
            "a snapshot's content entry",
            fields::<raw::RawSnapshotContent>(),
        ),
        (_, SnapshotResult) => ("a snapshot's [result]", fields::<raw::RawResult>()),
        (_, OwnershipMap | ScopeMap | Skip | SnapshotAssessment) => return None,
    })
}

/// Reports every key of `table` that `at` does not allow, and walks into the tables below.
fn walk(table: &DeTable, kind: FileKind, at: Where, sink: &mut Sink) {
    let allowed = keys(kind, at);
    for (k, v) in table.iter() {
        let key: &str = k.get_ref().as_ref();
        if let Some((place, fields)) = allowed
            && !fields.contains(&key)
        {
            // `kind` is valid only at the top; do not suggest it elsewhere.
            let valid = fields
                .iter()
                .copied()
                .filter(|f| *f != "kind" || at == Where::Root);
            sink.error(
                &k.span(),
                format!("unknown key `{key}` in {place}{}", hint(key, valid)),
            );
            continue;
        }
        let next = child(kind, at, key);
        match next {
            Where::Skip => {}
            // A snapshot's assessment has an assessment file's tables.
            Where::SnapshotAssessment => {
                walk_value(v.get_ref(), FileKind::Assessment, Where::Root, sink)
            }
            _ => walk_value(v.get_ref(), kind, next, sink),
        }
    }
}

fn walk_value(v: &DeValue, kind: FileKind, at: Where, sink: &mut Sink) {
    match v {
        DeValue::Table(t) => walk(t, kind, at, sink),
        DeValue::Array(items) => {
            for item in items {
                walk_value(item.get_ref(), kind, at, sink);
            }
        }
        _ => {}
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

    /// What `parse` gives, and what the halves give cut at `mid` (`None`: parsed whole).
    fn both(text: &str, mid: usize) -> (String, Option<String>) {
        let show = |p: &Option<Parsed>, sink: &Sink| {
            let d: Vec<String> = sink.diagnostics.iter().map(|d| d.to_string()).collect();
            format!("{p:?}\n{d:?}")
        };
        let mut sink = Sink::new("t.toml", text);
        let whole = parse(text, Some(FileKind::Assessment), &mut sink);
        let whole = show(&whole, &sink);
        let mut sink = Sink::new("t.toml", text);
        let halves = in_halves(text, mid, &mut sink).map(|p| show(&p, &sink));
        (whole, halves)
    }

    /// Cut before an `[[answer]]` of the fixture or of the demo (not the first), the halves give what the
    /// whole text gives: the same raw structs, every span included, and the same diagnostics.
    #[test]
    fn an_assessment_parsed_in_halves_is_the_same_document() {
        let fixture = include_str!("../tests/fixtures/valid/assessment.toml");
        for text in [fixture, crate::demo::TEXT] {
            let cuts: Vec<usize> = text
                .match_indices("\n[[answer]]\n")
                .map(|(i, _)| i)
                .collect();
            assert!(cuts.len() > 2);
            // Every cut of the fixture; a dozen spread over the demo's hundreds.
            let step = (cuts.len() / 12).max(1);
            let mut taken = 0;
            for &mid in cuts[1..].iter().step_by(step) {
                let (whole, halves) = both(text, mid);
                if let Some(halves) = halves {
                    taken += 1;
                    assert_eq!(halves, whole, "cut at byte {mid}");
                }
            }
            assert_eq!(taken, (cuts.len() - 1).div_ceil(step), "every cut is taken");
        }
    }

    /// Where the halves could differ from the whole text, they are not taken: a cut inside a
    /// multi-line string, a table of the second half the first has too, a static `answer`
    /// array the second half would extend, no answer before the cut.
    #[test]
    fn halves_that_could_differ_from_the_whole_are_not_taken() {
        let head = "schema = 2\nkind = \"assessment\"\n\n[engagement]\nclient = \"C\"\n";
        let answer = "\n[[answer]]\nquestionnaire = \"q\"\nquestion = \"a\"\nvalue = 1\n";
        let in_string = format!(
            "{head}{answer}\n[[answer]]\nquestionnaire = \"q\"\nquestion = \"b\"\nnote = \"\"\"\nsaid:\n[[answer]]\nquestionnaire = \"x\"\n\"\"\"\n{answer}"
        );
        let mid = in_string.find("said:").expect("there");
        let redefined = format!("{head}{answer}{answer}\n[engagement]\nclient = \"D\"\n");
        let extended = format!(
            "{head}answer = [{{ questionnaire = \"q\", question = \"a\" }}]\n{answer}{answer}"
        );
        let first = format!("{head}{answer}{answer}");
        let dotted = format!("{head}{answer}{answer}\n[engagement.more]\nx = 1\n");
        for (text, mid) in [
            (in_string.as_str(), mid),
            (redefined.as_str(), head.len() + answer.len()),
            (extended.as_str(), head.len() + 50),
            (first.as_str(), 0),
            (dotted.as_str(), head.len() + answer.len()),
        ] {
            let (whole, halves) = both(text, mid);
            assert_eq!(halves, None, "{text}\n{whole}");
            let mut sink = Sink::new("t.toml", text);
            let p = parse_assessment(text, &mut sink);
            let d: Vec<String> = sink.diagnostics.iter().map(|d| d.to_string()).collect();
            assert_eq!(format!("{p:?}\n{d:?}"), whole);
        }
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

//! A save proves its canonical text loads without parsing it (`save::proof`): what parsing
//! `to_toml(a)` gives is built from the model, and validated as a load validates it. These
//! tests hold that to the parse itself, for valid models and for broken ones: the raw
//! assessment is the parser's, field for field, and the verdict is the load's.

mod common;

use common::{assessment, content, load_text};
use proptest::prelude::*;
use stackmap::diag::Sink;
use stackmap::load::{self, Parsed};
use stackmap::model::*;
use stackmap::raw::RawAssessment;
use stackmap::save::proof::raw_of;
use stackmap::save::to_toml;
use stackmap::vocab::*;
use stackmap::workspace::{checked_text, loads_in_memory};

/// What the loader's first phase makes of `text`.
fn parsed(text: &str) -> Option<RawAssessment> {
    let mut sink = Sink::new("mem.toml", text);
    match load::parse(text, Some(FileKind::Assessment), &mut sink) {
        Some(Parsed::Assessment(raw)) if !sink.has_errors() => Some(raw),
        _ => None,
    }
}

/// `a` with what the generator leaves out: merge conflicts, a fractional priority, a note
/// with line breaks, a time with fractions of a second and a half-hour offset.
fn decorated(mut a: Assessment, k: u8) -> Assessment {
    a.conflicts.push(Conflict {
        id: "conflict-sys-0-category".into(),
        what: "system".into(),
        about: "sys-0: category".into(),
        ours: "[[system]]\nid = \"sys-0\"\ncategory = \"erp\"\n".into(),
        theirs: String::new(),
    });
    if let Some(d) = a.decisions.first_mut() {
        d.priority = Some(f64::from(k) + 0.25);
        d.priority_reason = "costs money".into();
    }
    if let Some(x) = a.answers.first_mut() {
        x.note = "first line\nsecond \"line\"".into();
        let off = chrono::FixedOffset::east_opt(5 * 3600 + 1800).expect("offset");
        x.at = chrono::DateTime::from_timestamp(1_700_000_000, 123_000_000)
            .map(|t| t.with_timezone(&off));
    }
    a
}

/// One way to break a valid model, so that it no longer loads (or, for some, still does).
fn broken(mut a: Assessment, how: u8) -> Assessment {
    match how % 12 {
        0 => a.flows[0].to = "nowhere".into(),
        1 => {
            let again = a.systems[0].clone();
            a.systems.push(again);
        }
        2 => {
            if let Some(x) = a.answers.first_mut() {
                x.question = "no-such-question".into();
            }
        }
        3 => {
            if let Some(x) = a
                .answers
                .iter_mut()
                .find(|x| matches!(x.state, AnswerState::Value(Value::Choice(_))))
            {
                x.state = AnswerState::Value(Value::Number(3.0));
            }
        }
        4 => a.ownership.entry(DataObject::Inventory).or_default().owner = Some("nowhere".into()),
        5 => {
            if let Some(x) = a.answers.first_mut() {
                x.respondent = Some("stranger".into());
            }
        }
        6 => a.systems[0].id = "Not An Id!".into(),
        7 => a.engagement.profile = "no-such-profile".into(),
        8 => {
            a.ownership
                .entry(DataObject::Price)
                .or_default()
                .said
                .insert("stranger".into(), "sys-0".into());
        }
        9 => a.conflicts.push(Conflict {
            id: "x".repeat(90),
            ..Conflict::default()
        }),
        10 => a.engagement.client = String::new(),
        _ => {
            if let Some(x) = a
                .answers
                .iter_mut()
                .find(|x| matches!(x.state, AnswerState::Value(Value::Choice(_))))
            {
                x.state = AnswerState::Value(Value::Choices(vec!["a".into(), "a".into()]));
            }
        }
    }
    a
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn the_raw_assessment_is_what_the_parse_gives(a in assessment(), k in 0u8..200) {
        let a = decorated(a, k);
        let text = to_toml(&a);
        let mine = raw_of(&a, text.len());
        prop_assert!(mine.is_some(), "a valid model is within the proof");
        prop_assert_eq!(mine, parsed(&text));
        prop_assert!(loads_in_memory(&a, text.len(), content()));
        prop_assert!(load_text(&text).is_ok());
    }

    #[test]
    fn a_broken_model_gets_the_loads_verdict(a in assessment(), how in 0u8..12) {
        let b = broken(a, how);
        let text = to_toml(&b);
        let loads = load_text(&text).is_ok();
        if let Some(raw) = raw_of(&b, text.len()) {
            prop_assert_eq!(Some(raw), parsed(&text));
        }
        prop_assert_eq!(loads_in_memory(&b, text.len(), content()), loads);
        // The checked save agrees, and when it refuses, the reasons name lines in the text.
        match checked_text(&b, "mem.toml", content()) {
            Ok(saved) => {
                prop_assert!(loads);
                prop_assert_eq!(saved, text);
            }
            Err(diags) => {
                prop_assert!(!loads);
                prop_assert!(diags.iter().any(|d| d.line > 1), "{:?}", diags);
            }
        }
    }
}

/// The breakages above do break: without them the property could pass with every model
/// loading.
#[test]
fn most_breakages_are_refused() {
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    let a = load_text(&text).expect("valid fixture");
    let refused = (0..12)
        .filter(|how| {
            let b = broken(a.clone(), *how);
            !loads_in_memory(&b, to_toml(&b).len(), content())
        })
        .count();
    assert!(refused >= 10, "only {refused} of 12 breakages refused");
}

/// Outside what the proof covers, the text is parsed as before: a number that is not finite
/// (the writer cannot write it as TOML), a leap second, an offset with seconds.
#[test]
fn what_the_proof_does_not_cover_is_left_to_the_parse() {
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    let a = load_text(&text).expect("valid fixture");
    let len = to_toml(&a).len();
    assert!(raw_of(&a, len).is_some());

    let mut nan = a.clone();
    let x = nan
        .answers
        .iter_mut()
        .find(|x| matches!(x.state, AnswerState::Value(_)))
        .expect("an answer with a value");
    x.state = AnswerState::Value(Value::Number(f64::NAN));
    assert!(raw_of(&nan, len).is_none());
    assert!(!loads_in_memory(&nan, len, content()));
    assert!(
        checked_text(&nan, "mem.toml", content()).is_err(),
        "the parse refuses what the writer cannot write"
    );

    let mut odd = a.clone();
    let off = chrono::FixedOffset::east_opt(3600 + 7).expect("offset");
    odd.engagement.updated =
        chrono::DateTime::from_timestamp(1_700_000_000, 0).map(|t| t.with_timezone(&off));
    assert!(raw_of(&odd, len).is_none());

    let mut leap = a.clone();
    leap.engagement.created = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
        .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
        .map(|t| t.and_utc().fixed_offset());
    assert!(leap.engagement.created.is_some());
    assert!(raw_of(&leap, len).is_none());

    assert!(raw_of(&a, stackmap::load::MAX_FILE_BYTES + 1).is_none());
}

//! Saving is faithful: load → save → load gives the same model, saving is canonical (same
//! model, same bytes), and no input makes the loader panic.

mod common;

use common::{assessment, load_text};
use proptest::prelude::*;
use stackmap::content::Content;
use stackmap::model::*;
use stackmap::save::to_toml;

#[test]
fn the_complete_fixture_survives_save_and_reload() {
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    let a = load_text(&text).expect("valid fixture");
    let saved = to_toml(&a);
    let b = load_text(&saved).unwrap_or_else(|e| panic!("{e:?}\n{saved}"));
    assert_eq!(a, b);
    assert_eq!(saved, to_toml(&b), "saving is canonical");
    // Spot checks that fields survived, not just that both sides lost them alike.
    assert_eq!(
        b.flows
            .iter()
            .find(|f| f.id == "orders-to-erp")
            .map(|f| f.via.as_deref()),
        Some(Some("celigo"))
    );
    assert_eq!(b.answers.len(), 8);
    assert!(b.answers.iter().any(|x| x.state == AnswerState::Unknown));
    assert!(b.answers.iter().any(|x| x.private));
    assert_eq!(b.decisions[0].priority, Some(90.0));
    assert_eq!(
        b.engagement.updated.map(|t| t.to_rfc3339()),
        Some("2026-11-03T17:30:00+01:00".to_string())
    );
}

#[test]
fn saving_sorts_into_canonical_order() {
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    let mut a = load_text(&text).expect("valid fixture");
    a.systems.reverse();
    a.answers.reverse();
    let saved = to_toml(&a);
    let ids: Vec<&str> = saved
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .collect();
    let systems: Vec<&&str> = ids
        .iter()
        .filter(|i| ["shopify\"", "netsuite\"", "celigo\"", "algolia\""].contains(i))
        .collect();
    assert_eq!(
        systems,
        [&"algolia\"", &"celigo\"", &"netsuite\"", &"shopify\""]
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn save_then_load_is_the_identity(a in assessment()) {
        let saved = to_toml(&a);
        let back = load_text(&saved).map_err(|e| TestCaseError::fail(format!("{e:?}\n{saved}")))?;
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(to_toml(&back), saved);
    }

    #[test]
    fn no_text_makes_the_loader_panic(text in "(?s).{0,400}") {
        let _ = load_text(&text);
        let (files, _) = (vec![stackmap::content::ContentFile {
            source: Source::File("mem.toml".into()),
            text: text.clone(),
            layer: 3,
            expect: None,
        }], ());
        let _ = Content::build(&files);
    }

    #[test]
    fn no_damage_to_a_valid_file_makes_the_loader_panic(
        cut in 0usize..4000,
        len in 0usize..40,
        insert in "(?s).{0,12}",
    ) {
        let text = include_str!("fixtures/valid/assessment.toml");
        let mut start = cut.min(text.len());
        while !text.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let damaged = format!("{}{}{}", &text[..start], insert, &text[end..]);
        let _ = load_text(&damaged);
        let q = include_str!("../questionnaires/flow-contract.toml");
        let mut qs = start.min(q.len());
        while !q.is_char_boundary(qs) { qs -= 1; }
        let mut qe = (qs + len).min(q.len());
        while !q.is_char_boundary(qe) { qe -= 1; }
        let damaged_q = format!("{}{}{}", &q[..qs], insert, &q[qe..]);
        let _ = Content::build(&[stackmap::content::ContentFile {
            source: Source::File("q.toml".into()), text: damaged_q, layer: 3, expect: None,
        }]);
    }
}

//! Saving is faithful: load → save → load gives the same model, saving is canonical (same
//! model, same bytes), and no input makes the loader panic.

mod common;

use common::{assessment, load_text};
use proptest::prelude::*;
use stackmap::content::Content;
use stackmap::model::*;
use stackmap::save::to_toml;
use stackmap::vocab::FlowPart;

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

/// Schema 1 files (every fixture written before schema 2) load unchanged in meaning: no flow
/// states anything absent, every flow is a push, the estate is one scope. Saving writes them
/// as schema 2, which loads back to the same model and scores the same.
#[test]
fn a_schema_1_file_loads_with_the_defaults_and_is_saved_as_schema_2() {
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    assert!(text.contains("\nschema = 1\n"), "the fixture is schema 1");
    let a = load_text(&text).expect("schema 1 loads");
    assert!(!a.flows.is_empty());
    for f in &a.flows {
        assert_eq!(
            f.direction,
            stackmap::vocab::FlowDirection::Push,
            "{}",
            f.id
        );
        assert!(f.none.is_empty(), "{}", f.id);
    }
    assert!(a.systems.iter().all(|s| s.scopes.is_empty()));
    assert!(a.ownership.values().all(|o| o.scopes.is_empty()));
    let saved = to_toml(&a);
    assert!(
        saved.starts_with("schema = 2\nkind = \"assessment\"\n"),
        "{saved}"
    );
    assert!(
        saved.contains("direction = \"push\""),
        "the default is written"
    );
    let b = load_text(&saved).unwrap_or_else(|e| panic!("{e:?}\n{saved}"));
    assert_eq!(a, b);
    let c = common::content();
    let score = |x: &Assessment| {
        let e = stackmap::engine::evaluate_assessment(c, x, "a.toml", None).expect("scores");
        serde_json::to_string(&e).expect("json")
    };
    assert_eq!(score(&a), score(&b), "same meaning, same evaluation");
}

/// The keys schema 2 added are refused in a file that says `schema = 1`, each at its place
/// and with the fix; an older stackmap would not know them.
#[test]
fn schema_2_keys_in_a_schema_1_file_are_refused_with_the_fix() {
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    for (key, edit) in [
        (
            "direction",
            (
                "mode = \"async\"\n",
                "mode = \"async\"\ndirection = \"pull\"\n",
            ),
        ),
        (
            "none",
            (
                "mode = \"async\"\n",
                "mode = \"async\"\nnone = [\"runbook\"]\n",
            ),
        ),
        (
            "scopes",
            (
                "capabilities = [\"integration\"]\n",
                "capabilities = [\"integration\"]\nscopes = [\"eu\"]\n",
            ),
        ),
    ] {
        let changed = text.replacen(edit.0, edit.1, 1);
        assert_ne!(changed, text, "{key}: the edit applies");
        let errors = load_text(&changed).expect_err(key);
        assert_eq!(errors.len(), 1, "{key}: {errors:?}");
        assert!(
            errors[0].contains(&format!("`{key}` is new in schema 2"))
                && errors[0].contains("change it to `schema = 2`"),
            "{key}: {errors:?}"
        );
        // With the header raised, the same file loads.
        let raised = changed.replacen("\nschema = 1\n", "\nschema = 2\n", 1);
        load_text(&raised).unwrap_or_else(|e| panic!("{key}: {e:?}"));
    }
}

/// A flow that names a step and states it absent contradicts itself; "nobody" typed as the
/// owner is stated absence, never a team.
#[test]
fn stated_absence_is_checked_and_nobody_is_no_team() {
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml")
        .expect("fixture")
        .replacen("\nschema = 1\n", "\nschema = 2\n", 1);
    let both = text.replacen(
        "mode = \"async\"\n",
        "mode = \"async\"\nnone = [\"owner\", \"owner\", \"nobody\"]\n",
        1,
    );
    let errors = load_text(&both).expect_err("refused");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("unknown flow step or duty `nobody`")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`none` says the flow has no owner, but")),
        "{errors:?}"
    );
    let nobody = text.replacen("owner = \"Finance IT\"", "owner = \"Nobody\"", 1);
    let a = load_text(&nobody).expect("loads");
    let f = a
        .flows
        .iter()
        .find(|f| f.owner == "Nobody")
        .expect("the flow");
    assert!(f.is_none(FlowPart::Owner) && !f.is_stated(FlowPart::Owner));
}

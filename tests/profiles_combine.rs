//! Profiles ask what their scenario needs, and combine (issue 18): the marketplace profile
//! scores settlement and tax, the ERP-change and post-acquisition profiles ask about cutover
//! and parallel run, an engagement may name several profiles, and how they combine.

mod common;

use std::collections::BTreeSet;

use common::{content, load_text, lossy, run};
use stackmap::engine::evaluate;
use stackmap::model::*;
use stackmap::vocab::*;

fn asked(p: &Profile) -> BTreeSet<(String, String)> {
    p.interview(content())
        .iter()
        .map(|a| (a.questionnaire.id.clone(), a.question.id.clone()))
        .collect()
}

fn has(p: &str, q: &str, x: &str) -> bool {
    asked(content().profile(p).unwrap()).contains(&(q.to_string(), x.to_string()))
}

#[test]
fn scenario_profiles_ask_what_their_scenario_needs() {
    for x in [
        "psp-settlement",
        "tax-lifecycle",
        "oss-threshold",
        "refund-origin",
    ] {
        assert!(
            has("marketplace-launch", "source-of-truth", x),
            "marketplace-launch asks {x}"
        );
    }
    for x in [
        "erp-parallel-run",
        "erp-cutover-rehearsal",
        "erp-rehearsal-reconciled",
    ] {
        assert!(
            has("erp-change", "scenario-readiness", x),
            "erp-change asks {x}"
        );
    }
    assert!(has("post-acquisition", "scenario-readiness", "pa-cutover"));
    // One home per fact, reached by the profiles that need it.
    assert!(has(
        "marketplace-launch",
        "source-of-truth",
        "channel-buffer"
    ));
    assert!(has(
        "marketplace-launch",
        "source-of-truth",
        "oversell-monitoring"
    ));
    assert!(has(
        "headless-composable",
        "coupling",
        "checkout-sync-calls"
    ));
    assert!(has("headless-composable", "coupling", "glue-code-owner"));
    assert!(has("multi-region", "source-of-truth", "oss-threshold"));
}

const ASSESSMENT: &str = r#"schema = 2
kind = "assessment"

[engagement]
client = "Two at once"
title = "A marketplace launch during a replatform"
profile = PROFILE

[[answer]]
questionnaire = "source-of-truth"
question = "psp-settlement"
value = "bank-totals"

[[answer]]
questionnaire = "source-of-truth"
question = "tax-lifecycle"
value = "never-committed"
"#;

fn assessment(profile: &str) -> Assessment {
    load_text(&ASSESSMENT.replace("PROFILE", profile)).expect("loads")
}

fn raised(a: &Assessment) -> BTreeSet<String> {
    let c = content();
    let p = c.profile(&a.engagement.profile).expect("profile in force");
    evaluate(c, p, a, None)
        .findings
        .into_iter()
        .map(|f| f.id)
        .collect()
}

#[test]
fn the_marketplace_profile_scores_settlement_and_tax() {
    let f = raised(&assessment("\"marketplace-launch\""));
    assert!(f.contains("settlement-gap"), "{f:?}");
    assert!(f.contains("tax-collected-not-filed"), "{f:?}");
}

#[test]
fn two_profiles_combine_as_documented() {
    let c = content();
    let (a, b) = (
        c.profile("marketplace-launch").unwrap(),
        c.profile("replatforming").unwrap(),
    );
    let both = c
        .profile("marketplace-launch+replatforming")
        .expect("combined");
    assert_eq!(both.id, "marketplace-launch+replatforming");
    // Questions: the union.
    let union: BTreeSet<_> = asked(a).union(&asked(b)).cloned().collect();
    assert_eq!(asked(both), union);
    // Weights: the larger per dimension; boosts: the larger per finding.
    for d in Dimension::ALL {
        assert_eq!(both.weight(*d), a.weight(*d).max(b.weight(*d)), "{d}");
    }
    for (r, x) in a.boosts.iter().chain(&b.boosts) {
        let got = both.boosts.iter().find(|(y, _)| y.id == r.id).unwrap().1;
        assert!(got >= *x);
        let best = a
            .boosts
            .iter()
            .chain(&b.boosts)
            .filter(|(y, _)| y.id == r.id)
            .map(|(_, v)| *v)
            .fold(0.0, f64::max);
        assert_eq!(got, best, "{}", r.id);
    }
    // The tighter slice budget, the stricter coverage, every scenario.
    assert_eq!(both.slice_budget, a.slice_budget.min(b.slice_budget));
    assert_eq!(both.min_coverage, a.min_coverage.max(b.min_coverage));
    for s in a.scenarios.iter().chain(&b.scenarios) {
        assert!(both.scenarios.contains(s));
    }
    // Sections of one and questions of another: the union still holds (quick-audit names
    // questions, marketplace-launch sections of the same questionnaires).
    let qa = c.profile("quick-audit").unwrap();
    let mixed = c.profile("quick-audit+marketplace-launch").unwrap();
    let union: BTreeSet<_> = asked(qa).union(&asked(a)).cloned().collect();
    assert_eq!(asked(mixed), union);
    assert_eq!(mixed.slice_budget, 6);

    // The engagement scores with the combination: replatforming's questions and the
    // marketplace's settlement answers both count.
    let two = assessment("[\"marketplace-launch\", \"replatforming\"]");
    assert_eq!(
        two.engagement.profiles(),
        ["marketplace-launch", "replatforming"]
    );
    let f = raised(&two);
    assert!(f.contains("settlement-gap"), "{f:?}");
}

#[test]
fn a_list_of_profiles_is_checked_and_round_trips() {
    let bad = ASSESSMENT.replace("PROFILE", "[\"marketplace-launch\", \"replatformin\"]");
    let errs = load_text(&bad).expect_err("unknown profile");
    assert!(
        errs.iter().any(
            |e| e.contains("mem.toml:7:11: error: unknown profile `replatformin`")
                && e.contains("did you mean `replatforming`")
        ),
        "{errs:#?}"
    );
    let twice = ASSESSMENT.replace("PROFILE", "[\"replatforming\", \"replatforming\"]");
    let errs = load_text(&twice).expect_err("named twice");
    assert!(errs.iter().any(|e| e.contains("named twice")), "{errs:#?}");

    // `new --profile` repeated writes a list; a change elsewhere keeps the list as written.
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("two.toml");
    let f = file.to_str().unwrap();
    let out = run(
        home.path(),
        &[
            "new",
            f,
            "--client",
            "Two",
            "--profile",
            "marketplace-launch",
            "--profile",
            "replatforming",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("profile = [\"marketplace-launch\", \"replatforming\"]\n"),
        "{text}"
    );
    let out = run(
        home.path(),
        &[
            "answer",
            f,
            "--questionnaire",
            "source-of-truth",
            "--question",
            "psp-settlement",
            "--value",
            "bank-totals",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let after = std::fs::read_to_string(&file).unwrap();
    let head = |t: &str| t.split("[[answer]]").next().unwrap().trim_end().to_string();
    let strip = |t: String| t.replace(|c: char| c.is_ascii_digit(), "");
    assert_eq!(strip(head(&after)), strip(head(&text)));

    // A list written by hand, over lines and with a comment, keeps its layout on save.
    let hand = home.path().join("hand.toml");
    let written = ASSESSMENT.replace(
        "PROFILE",
        "[\n  \"marketplace-launch\",   # the launch in March\n  \"replatforming\",\n]",
    );
    std::fs::write(&hand, &written).unwrap();
    let h = hand.to_str().unwrap();
    let out = run(
        home.path(),
        &[
            "answer",
            h,
            "--questionnaire",
            "coupling",
            "--question",
            "topology",
            "--value",
            "p2p",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let after = std::fs::read_to_string(&hand).unwrap();
    // Everything as written, comment included; saving only adds `updated`.
    assert!(head(&after).starts_with(&head(&written)), "{after}");
    assert!(
        head(&after)[head(&written).len()..]
            .trim()
            .starts_with("updated = "),
        "{after}"
    );

    // A single profile stays a string, byte for byte.
    let single = home.path().join("one.toml");
    let s = single.to_str().unwrap();
    let out = run(
        home.path(),
        &["new", s, "--client", "One", "--profile", "replatforming"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&single).unwrap();
    assert!(text.contains("profile = \"replatforming\"\n"), "{text}");

    // Unknown or repeated --profile: exit 2, no file.
    let nope = home.path().join("nope.toml");
    let out = run(
        home.path(),
        &[
            "new",
            nope.to_str().unwrap(),
            "--client",
            "N",
            "--profile",
            "replatforming",
            "--profile",
            "marketplace",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", lossy(&out.stderr));
    assert!(lossy(&out.stderr).contains("unknown profile `marketplace`"));
    assert!(!nope.exists());
}

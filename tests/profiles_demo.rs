//! The shipped profiles and the demo engagement.

mod common;

use common::{lossy as text, run};
use stackmap::engine;
use stackmap::vocab::{Horizon, QuestionKind, Scope};
use stackmap::workspace::Sources;

const PROFILES: &[&str] = &[
    "replatforming",
    "marketplace-launch",
    "multi-region",
    "headless-composable",
    "erp-change",
    "post-acquisition",
    "quick-audit",
    "full-discovery",
];

#[test]
fn the_eight_profiles_are_shipped_and_ask_something() {
    let c = Sources::default()
        .content_strict()
        .expect("shipped content is valid");
    for id in PROFILES {
        let p = c
            .profile(id)
            .unwrap_or_else(|| panic!("profile {id} is not shipped"));
        assert!(p.description.len() >= 60, "{id}: say when to pick it");
        assert!(!p.interview(&c).is_empty(), "{id} asks nothing");
        assert!(
            !p.boosts.is_empty() || *id == "full-discovery",
            "{id}: boost what matters most"
        );
    }
}

#[test]
fn the_quick_audit_is_short_engagement_only_and_starts_with_an_easy_single_choice() {
    let c = Sources::default().content_strict().expect("valid");
    let p = c.profile("quick-audit").expect("shipped");
    let asked = p.interview(&c);
    assert!(
        !asked.is_empty() && asked.len() <= 25,
        "{} questions",
        asked.len()
    );
    assert!(
        asked
            .iter()
            .all(|a| a.questionnaire.scope == Scope::Engagement)
    );
    assert_eq!(
        asked[0].question.kind,
        QuestionKind::Single,
        "first: {}",
        asked[0].question.id
    );
    assert!(
        asked[0].question.show_if.is_none(),
        "the first question is always asked"
    );
}

#[test]
fn the_demo_validates_and_tells_a_story_in_both_lanes() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = home.path().join("demo.toml");
    let f = out.to_str().expect("utf-8");
    let written = run(home.path(), &["demo", "--out", f]);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    assert_eq!(text(&written.stdout).trim(), f);
    let check = run(home.path(), &["check", f]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(
        check.stderr.is_empty(),
        "no warnings either: {}",
        text(&check.stderr)
    );

    let c = Sources::default().content_strict().expect("valid");
    let a = stackmap::workspace::load_assessment(&out, &c).expect("loads");
    let e = engine::evaluate(
        &c,
        c.profile(&a.engagement.profile).expect("profile"),
        &a,
        None,
    );
    let immediate = e.lane(Horizon::Immediate).count();
    let architecture = e.lane(Horizon::Architecture).count();
    assert!(
        immediate + architecture >= 10,
        "{immediate} + {architecture} decisions"
    );
    assert!(
        immediate >= 3 && architecture >= 3,
        "{immediate} immediate, {architecture} architecture"
    );
    assert!(e.coverage >= 0.9, "coverage {}", e.coverage);
    // The story's ingredients.
    assert!(a.systems.len() >= 10);
    assert!(
        a.systems
            .iter()
            .filter(|s| s.status == stackmap::vocab::SystemStatus::Candidate)
            .count()
            >= 2
    );
    assert!(a.flows.len() >= 15 && a.flows.iter().any(|f| f.checkout));
    assert!(a.engagement.pain_points.len() >= 4 && !a.engagement.summary.is_empty());
    assert!(
        a.answers.iter().any(|x| x.private) && a.answers.iter().any(|x| !x.evidence.is_empty())
    );
    assert!(
        a.answers
            .iter()
            .any(|x| x.state == stackmap::model::AnswerState::Unknown)
    );
    assert!(
        a.answers
            .iter()
            .any(|x| x.state == stackmap::model::AnswerState::NotApplicable)
    );
    assert!(!a.decisions.is_empty());
    assert!(!e.vendors.is_empty(), "candidates give a vendor comparison");
}

#[test]
fn demo_never_overwrites_changes_without_force() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = home.path().join("demo.toml");
    let f = out.to_str().expect("utf-8");
    assert_eq!(
        run(home.path(), &["demo", "--out", f]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(home.path(), &["demo", "--out", f]).status.code(),
        Some(0),
        "same text: reused"
    );
    std::fs::write(&out, "changed").expect("write");
    let again = run(home.path(), &["demo", "--out", f]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "changed");
    assert_eq!(
        run(home.path(), &["demo", "--out", f, "--force"])
            .status
            .code(),
        Some(0)
    );
    // Without --out it goes to the data dir.
    let default = run(home.path(), &["demo"]);
    assert_eq!(default.status.code(), Some(0));
    assert!(
        text(&default.stdout)
            .trim()
            .ends_with("data/northwind-outdoor-demo.toml")
    );
}

/// The README's tour works once the demo was edited: `stackmap demo` names the edited demo
/// (and says on stderr it was kept), so `stackmap score "$(stackmap demo)"` scores it;
/// `--fresh` writes a new copy beside it.
#[test]
fn the_tour_runs_on_an_edited_demo() {
    let home = tempfile::tempdir().expect("tempdir");
    let first = run(home.path(), &["demo"]);
    assert_eq!(first.status.code(), Some(0));
    let path = text(&first.stdout).trim().to_string();
    let edited = std::fs::read_to_string(&path)
        .expect("read")
        .replace("[engagement]", "# edited by the assessor\n[engagement]");
    std::fs::write(&path, &edited).expect("write");
    let again = run(home.path(), &["demo"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(text(&again.stdout).trim(), path);
    assert!(
        text(&again.stderr).contains("kept"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), edited);
    let score = run(home.path(), &["score", text(&again.stdout).trim()]);
    assert_eq!(score.status.code(), Some(0), "{}", text(&score.stderr));
    let fresh = run(home.path(), &["demo", "--fresh"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh.stderr));
    let copy = text(&fresh.stdout).trim().to_string();
    assert!(copy.ends_with("northwind-outdoor-demo-2.toml"), "{copy}");
    assert_eq!(
        std::fs::read_to_string(&copy).expect("read"),
        stackmap::demo::TEXT
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), edited);
}

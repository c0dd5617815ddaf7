//! Removing a system or a flow with everything that goes with it: the core operation
//! (`stackmap::edit`) the inventory screen and `stackmap remove` share, on the demo
//! engagement, and the command as a user runs it.

mod common;

use common::{content, load_text, lossy as text, run};
use stackmap::edit::{flow_removal, remove_flow, remove_system, system_removal};
use stackmap::model::*;

fn demo() -> Assessment {
    load_text(stackmap::demo::TEXT).expect("the demo is valid")
}

/// The assessment saves, and what is saved loads back as the same assessment.
fn assert_saves(a: &Assessment) {
    let text = stackmap::workspace::checked_text(a, "mem.toml", content())
        .unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(&load_text(&text).expect("loads back"), a);
}

fn names(a: &Assessment, id: &str) -> bool {
    a.flows
        .iter()
        .any(|f| f.from == id || f.to == id || f.via.as_deref() == Some(id))
        || a.answers.iter().any(|x| {
            x.subject.as_deref() == Some(id)
                || matches!(&x.state, AnswerState::Value(Value::System(s)) if s == id)
        })
        || a.ownership.values().any(|w| {
            w.owner.as_deref() == Some(id)
                || w.target.as_deref() == Some(id)
                || w.writers.iter().any(|x| x == id)
                || w.readers.iter().any(|x| x == id)
        })
        || a.engagement
            .pain_points
            .iter()
            .chain(&a.engagement.initiatives)
            .any(|n| n.systems.iter().any(|x| x == id))
}

#[test]
fn a_system_goes_with_everything_that_names_it_and_the_file_stays_valid() {
    // The old storefront: flows from and to it, answers about it and picking it (the most
    // critical system), places in the ownership map, links from pain points.
    let before = demo();
    let said = system_removal(&before, "legacy-web");
    assert!(!said.flows.is_empty());
    assert!(
        said.answers > 0 && said.places > 0 && said.notes > 0,
        "{said:?}"
    );
    let mut a = before.clone();
    let done = remove_system(&mut a, "legacy-web");
    assert_eq!(done, said);
    assert!(a.system("legacy-web").is_none());
    assert!(!names(&a, "legacy-web"));
    for f in &said.flows {
        assert!(a.flow(f).is_none(), "{f} is gone");
        assert!(!a.answers.iter().any(|x| x.subject.as_deref() == Some(f)));
    }
    assert_eq!(a.systems.len(), before.systems.len() - 1);
    assert_eq!(a.flows.len(), before.flows.len() - said.flows.len());
    assert_eq!(a.answers.len(), before.answers.len() - said.answers);
    assert_saves(&a);
}

#[test]
fn a_hub_takes_the_flows_through_it() {
    let mut a = demo();
    let said = remove_system(&mut a, "celigo");
    assert!(said.flows.contains(&"stock-to-channeladvisor".to_string()));
    assert!(!names(&a, "celigo"));
    assert_saves(&a);
}

#[test]
fn a_flow_goes_with_its_answers_and_links() {
    let before = demo();
    let id = "stock-to-channeladvisor";
    let said = flow_removal(&before, id);
    assert!(said.flows.is_empty());
    assert!(said.notes > 0, "{said:?}");
    let mut a = before.clone();
    assert_eq!(remove_flow(&mut a, id), said);
    assert!(a.flow(id).is_none());
    assert_eq!(a.answers.len(), before.answers.len() - said.answers);
    assert!(
        !a.engagement
            .pain_points
            .iter()
            .any(|n| n.flows.iter().any(|f| f == id))
    );
    assert_eq!(a.systems, before.systems);
    assert_saves(&a);
}

#[test]
fn an_unknown_id_changes_nothing() {
    let before = demo();
    let mut a = before.clone();
    assert!(remove_system(&mut a, "nothing-here").is_empty());
    assert!(remove_flow(&mut a, "nothing-here").is_empty());
    assert_eq!(a, before);
}

fn demo_file(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("demo.toml");
    std::fs::write(&file, stackmap::demo::TEXT).expect("written");
    file
}

#[test]
fn cli_dry_run_says_what_would_go_and_writes_nothing() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = demo_file(home.path());
    let f = file.to_str().expect("utf-8");
    let out = run(
        home.path(),
        &["remove", f, "--system", "celigo", "--dry-run"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.starts_with(&format!(
            "dry run: would remove system `celigo` (Celigo integrator.io) from {f} (nothing written)\nwith it:\n"
        )),
        "{said}"
    );
    assert!(said.contains("  flow stock-to-channeladvisor"), "{said}");
    assert!(said.contains(" answers\n"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("there"),
        stackmap::demo::TEXT
    );
}

#[test]
fn cli_removes_a_system_and_a_flow_and_the_file_checks() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = demo_file(home.path());
    let f = file.to_str().expect("utf-8");
    let out = run(home.path(), &["remove", f, "--system", "legacy-web"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.starts_with("removed system `legacy-web` ("), "{said}");
    assert!(said.contains(" in the ownership map\n"), "{said}");
    assert!(said.contains("its links from "), "{said}");
    let out = run(
        home.path(),
        &["remove", f, "--flow", "stock-to-channeladvisor"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("removed flow `stock-to-channeladvisor` ("));
    assert_eq!(run(home.path(), &["check", f]).status.code(), Some(0));
    let saved = load_text(&std::fs::read_to_string(&file).expect("there")).expect("valid");
    assert!(saved.system("legacy-web").is_none());
    assert!(saved.flow("stock-to-channeladvisor").is_none());
    assert!(!names(&saved, "legacy-web"));
}

#[test]
fn cli_an_unknown_id_is_exit_2_with_a_hint_and_the_file_is_untouched() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = demo_file(home.path());
    let f = file.to_str().expect("utf-8");
    let out = run(home.path(), &["remove", f, "--system", "celgo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!(
            "error: {f} has no system `celgo`; did you mean `celigo`?"
        )),
        "{}",
        text(&out.stderr)
    );
    let out = run(home.path(), &["remove", f, "--flow", "nope", "--dry-run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("has no flow `nope`"));
    // One of the two, and one only.
    assert_eq!(run(home.path(), &["remove", f]).status.code(), Some(2));
    assert_eq!(
        run(
            home.path(),
            &["remove", f, "--system", "celigo", "--flow", "x"]
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("there"),
        stackmap::demo::TEXT
    );
}

/// Removing a hub may keep the flows that only pass through it, made direct: the core
/// operation, and `stackmap remove --keep-flows-direct` as a user runs it.
#[test]
fn removing_a_hub_can_keep_its_flows_made_direct() {
    let before = demo();
    let through = stackmap::edit::through(&before, "celigo");
    assert!(through.len() >= 2, "{through:?}");
    let mut a = before.clone();
    assert_eq!(stackmap::edit::make_direct(&mut a, "celigo"), through);
    remove_system(&mut a, "celigo");
    assert!(a.system("celigo").is_none());
    for id in &through {
        let f = a.flow(id).unwrap_or_else(|| panic!("{id} is kept"));
        let was = before.flow(id).expect("was there");
        assert_eq!(
            (f.via.as_deref(), &f.from, &f.to),
            (None, &was.from, &was.to)
        );
    }
    assert!(!names(&a, "celigo"));
    assert_saves(&a);

    // The command: without the flag the flows go with the hub; with it they stay.
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("demo.toml");
    std::fs::write(&file, stackmap::demo::TEXT).expect("write");
    let f = file.display().to_string();
    let dry = run(
        home.path(),
        &["remove", &f, "--system", "celigo", "--dry-run"],
    );
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let out = run(
        home.path(),
        &["remove", &f, "--system", "celigo", "--keep-flows-direct"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = load_text(&std::fs::read_to_string(&file).expect("read")).expect("loads");
    for id in &through {
        assert!(
            after.flow(id).is_some_and(|f| f.via.is_none()),
            "{id} kept, direct"
        );
    }
    // Only with a system.
    let bad = run(
        home.path(),
        &["remove", &f, "--flow", "x", "--keep-flows-direct"],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
}

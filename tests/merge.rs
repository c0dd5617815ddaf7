//! `stackmap merge` (issue 21 part 4): two assessors, one file.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{load_text, lossy as text, run};
use stackmap::model::*;

const BASE: &str = "tests/fixtures/valid/assessment.toml";

struct Scratch {
    home: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        Scratch {
            home: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    /// A copy of the base fixture under `name`.
    fn copy(&self, name: &str) -> String {
        let p = self.path(name);
        std::fs::copy(BASE, &p).expect("copy");
        p.to_str().expect("utf-8").to_string()
    }

    fn run(&self, args: &[&str]) -> Output {
        run(self.home.path(), args)
    }

    /// `stackmap answer FILE --questionnaire flow-contract --subject orders-to-erp ...`.
    fn answer(&self, file: &str, question: &str, how: &str) {
        let out = self.run(&[
            "answer",
            file,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "orders-to-erp",
            "--question",
            question,
            how,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }

    fn merge(&self, a: &str, b: &str, base: Option<&str>, out: &str) -> Output {
        let mut args = vec!["merge", a, b, "-o", out];
        if let Some(o) = base {
            args.extend(["--base", o]);
        }
        self.run(&args)
    }
}

fn load(p: &str) -> Assessment {
    load_text(&std::fs::read_to_string(p).expect("read")).expect("loads")
}

fn state(a: &Assessment, question: &str) -> Option<AnswerState> {
    a.answers
        .iter()
        .find(|x| x.question == question && x.respondent.is_none())
        .map(|x| x.state.clone())
}

/// Every fact of a merged file, conflicts' sides included, as a set of texts: what both
/// orders of a merge must hold alike.
fn facts(a: &Assessment) -> BTreeSet<String> {
    let conflicted: BTreeSet<&str> = a.conflicts.iter().map(|c| c.about.as_str()).collect();
    let mut out = BTreeSet::new();
    for x in &a.answers {
        let about = format!("answer {}/{}", x.questionnaire, x.question);
        let about = match &x.subject {
            Some(s) => format!("{about} for {s}"),
            None => about,
        };
        if !conflicted.contains(about.as_str()) {
            out.insert(format!("{x:?}"));
        }
    }
    for s in &a.systems {
        out.insert(format!("{s:?}"));
    }
    for f in &a.flows {
        out.insert(format!("{f:?}"));
    }
    for c in &a.conflicts {
        let mut sides = [c.ours.clone(), c.theirs.clone()];
        sides.sort();
        out.insert(format!("conflict {} {:?}", c.about, sides));
    }
    out
}

#[test]
fn disjoint_edits_merge_cleanly_and_a_deletion_survives_with_a_base() {
    let s = Scratch::new();
    let (o, a, b) = (s.copy("o.toml"), s.copy("a.toml"), s.copy("b.toml"));
    s.answer(&a, "reconciliation", "--unknown");
    s.answer(&b, "change-detection", "--unknown");
    // b removes a system (and what goes with it).
    let out = s.run(&["remove", &b, "--system", "algolia"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let m = s.path("m.toml");
    let m = m.to_str().expect("utf-8");
    let out = s.merge(&a, &b, Some(&o), m);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let merged = load(m);
    assert_eq!(state(&merged, "reconciliation"), Some(AnswerState::Unknown));
    assert_eq!(
        state(&merged, "change-detection"),
        Some(AnswerState::Unknown)
    );
    assert!(merged.system("algolia").is_none(), "the deletion is kept");
    assert!(merged.conflicts.is_empty());
    // A's comments are kept.
    let written = std::fs::read_to_string(m).expect("read");
    assert!(
        written.starts_with("# A small but complete assessment"),
        "{written}"
    );
    // Without a base, nothing is lost: the deleted system comes back from the side that has it.
    let m2 = s.path("m2.toml");
    let out = s.merge(&a, &b, None, m2.to_str().expect("utf-8"));
    let merged = load(m2.to_str().expect("utf-8"));
    assert!(merged.system("algolia").is_some());
    // Both changed `updated`: that is no conflict (the later one wins); the two answers
    // differ from the other side's, which without a base are conflicts.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn conflicting_edits_are_kept_as_conflicts_in_a_loadable_file() {
    let s = Scratch::new();
    let (o, a, b) = (s.copy("o.toml"), s.copy("a.toml"), s.copy("b.toml"));
    s.answer(&a, "idempotent-create", "--unknown");
    s.answer(&b, "idempotent-create", "--na");
    let m = s.path("m.toml");
    let m = m.to_str().expect("utf-8");
    let out = s.merge(&a, &b, Some(&o), m);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("1 conflict to settle"),
        "{}",
        text(&out.stderr)
    );
    let merged = load(m);
    assert_eq!(merged.conflicts.len(), 1);
    let c = &merged.conflicts[0];
    assert_eq!(c.what, "answer");
    assert!(
        c.ours.contains("unknown = true") && c.theirs.contains("na = true"),
        "{c:?}"
    );
    // Ours stands in the file meanwhile; nothing of theirs is lost.
    assert_eq!(
        state(&merged, "idempotent-create"),
        Some(AnswerState::Unknown)
    );
    // `check` warns, it does not refuse.
    let out = s.run(&["check", m]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("warning: unsettled merge conflict"),
        "{}",
        text(&out.stderr)
    );
    // Merging the result again with itself changes nothing.
    let again = s.path("again.toml");
    let out = s.merge(m, m, None, again.to_str().expect("utf-8"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(load(again.to_str().expect("utf-8")), merged);
}

#[test]
fn merge_of_a_file_with_itself_is_the_file_and_order_does_not_change_the_facts() {
    let s = Scratch::new();
    let (a, b) = (s.copy("a.toml"), s.copy("b.toml"));
    let m = s.path("aa.toml");
    let out = s.merge(&a, &a, None, m.to_str().expect("utf-8"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(load(m.to_str().expect("utf-8")), load(&a));

    s.answer(&a, "idempotent-create", "--unknown");
    s.answer(&a, "reconciliation", "--unknown");
    s.answer(&b, "idempotent-create", "--na");
    let out = s.run(&[
        "respondent",
        &b,
        "--id",
        "ana",
        "--name",
        "Ana Ruiz",
        "--team",
        "E-commerce",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (ab, ba) = (s.path("ab.toml"), s.path("ba.toml"));
    let (ab, ba) = (ab.to_str().expect("utf-8"), ba.to_str().expect("utf-8"));
    assert_eq!(s.merge(&a, &b, None, ab).status.code(), Some(1));
    assert_eq!(s.merge(&b, &a, None, ba).status.code(), Some(1));
    let (x, y) = (load(ab), load(ba));
    assert_eq!(facts(&x), facts(&y));
    assert_eq!(x.respondents, y.respondents);
    assert_eq!(x.conflicts.len(), y.conflicts.len());
}

#[test]
fn two_final_answers_that_differ_become_a_conflict_not_a_broken_file() {
    let s = Scratch::new();
    let (o, a, b) = (s.copy("o.toml"), s.copy("a.toml"), s.copy("b.toml"));
    for (f, who, value) in [(&a, "ana", "--unknown"), (&b, "bo", "--na")] {
        let out = s.run(&["respondent", f, "--id", who, "--name", who]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let out = s.run(&[
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "orders-to-erp",
            "--question",
            "reconciliation",
            "--respondent",
            who,
            value,
            "--final",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let m = s.path("m.toml");
    let m = m.to_str().expect("utf-8");
    let out = s.merge(&a, &b, Some(&o), m);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let merged = load(m);
    let finals: Vec<&Answer> = merged.answers.iter().filter(|x| x.is_final).collect();
    assert_eq!(finals.len(), 1);
    assert_eq!(finals[0].respondent.as_deref(), Some("ana"));
    assert_eq!(merged.respondents.len(), 2, "both respondents kept");
    assert!(
        merged
            .conflicts
            .iter()
            .any(|c| c.about.starts_with("final answer"))
    );
}

#[test]
fn bad_input_is_exit_2_and_nothing_is_written() {
    let s = Scratch::new();
    let a = s.copy("a.toml");
    let bad = s.path("bad.toml");
    std::fs::write(
        &bad,
        "schema = 2\nkind = \"assessment\"\n[engagement]\nclient = 1\n",
    )
    .expect("write");
    let m = s.path("m.toml");
    let out = s.merge(
        &a,
        bad.to_str().expect("utf-8"),
        None,
        m.to_str().expect("utf-8"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("bad.toml:"),
        "{}",
        text(&out.stderr)
    );
    assert!(!m.exists());
    let out = s.merge(&a, "nowhere.toml", None, m.to_str().expect("utf-8"));
    assert_eq!(out.status.code(), Some(2));
    assert!(!m.exists());
}

fn git(dir: &Path, home: &Path, args: &[&str]) -> Output {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("STACKMAP_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", home)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

/// The README's merge-driver setup, as written there, in a scratch repository.
#[test]
fn as_a_git_merge_driver_branches_that_edited_different_questions_merge_cleanly() {
    let s = Scratch::new();
    let repo = s.path("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    let home = s.home.path();
    git(&repo, home, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join(".gitattributes"), "*.toml merge=stackmap\n").expect("write");
    let bin = env!("CARGO_BIN_EXE_stackmap");
    git(
        &repo,
        home,
        &["config", "merge.stackmap.name", "stackmap assessment merge"],
    );
    git(
        &repo,
        home,
        &[
            "config",
            "merge.stackmap.driver",
            &format!("{bin} merge %A %B --base %O -o %A"),
        ],
    );
    let file = repo.join("northwind.toml");
    std::fs::copy(BASE, &file).expect("copy");
    let f = file.to_str().expect("utf-8");
    git(&repo, home, &["add", "."]);
    git(&repo, home, &["commit", "-qm", "base"]);
    git(&repo, home, &["checkout", "-qb", "other"]);
    s.answer(f, "reconciliation", "--unknown");
    git(&repo, home, &["commit", "-qam", "other"]);
    git(&repo, home, &["checkout", "-q", "main"]);
    s.answer(f, "change-detection", "--unknown");
    git(&repo, home, &["commit", "-qam", "main"]);
    git(&repo, home, &["merge", "-q", "--no-edit", "other"]);
    let merged = std::fs::read_to_string(&file).expect("read");
    assert!(!merged.contains("<<<<<<<"), "{merged}");
    let a = load_text(&merged).expect("loads");
    assert_eq!(state(&a, "reconciliation"), Some(AnswerState::Unknown));
    assert_eq!(state(&a, "change-detection"), Some(AnswerState::Unknown));
}

/// A three-way merge keeps both changes; where one side removed a system and the other added a
/// flow to it, the flow goes into a conflict (whole) instead of breaking the file.
#[test]
fn a_fact_naming_what_the_other_side_removed_becomes_a_conflict() {
    let base = load_text(&std::fs::read_to_string(BASE).expect("fixture")).expect("loads");
    let mut ours = base.clone();
    stackmap::edit::remove_system(&mut ours, "algolia");
    let mut theirs = base.clone();
    let mut f = theirs.flows[0].clone();
    f.id = "search-feed".into();
    f.to = "algolia".into();
    theirs.flows.push(f);
    let m = stackmap::merge::merge(&ours, &theirs, Some(&base));
    let a = &m.assessment;
    assert!(a.flow("search-feed").is_none());
    let c = a
        .conflicts
        .iter()
        .find(|c| c.about == "flow search-feed names removed system algolia")
        .expect("a conflict");
    assert!(c.ours.contains("id = \"search-feed\""), "{c:?}");
    let text = stackmap::save::to_toml(a);
    assert_eq!(load_text(&text).expect("the merged file loads"), *a);
}

/// `stackmap settle`: one conflict at a time, the file's side or the other's; a conflict that
/// is not there is exit 2 and the file unchanged.
#[test]
fn settle_keeps_one_side_and_drops_the_entry() {
    let s = Scratch::new();
    let (o, a, b) = (s.copy("o.toml"), s.copy("a.toml"), s.copy("b.toml"));
    s.answer(&a, "idempotent-create", "--unknown");
    s.answer(&b, "idempotent-create", "--na");
    let m = s.path("m.toml");
    let m = m.to_str().expect("utf-8");
    assert_eq!(s.merge(&a, &b, Some(&o), m).status.code(), Some(1));
    let id = load(m).conflicts[0].id.clone();
    // A conflict that is not there: exit 2, nothing written.
    let before = std::fs::read(m).expect("read");
    let out = s.run(&["settle", m, "--conflict", "no-such", "--keep", "theirs"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(&id), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(m).expect("read"), before);
    // Theirs: the other file's answer takes the place of the file's, the entry goes.
    let theirs = s.path("theirs.toml");
    std::fs::copy(m, &theirs).expect("copy");
    let t = theirs.to_str().expect("utf-8");
    let out = s.run(&["settle", t, "--conflict", &id, "--keep", "theirs"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("0 conflicts left"),
        "{}",
        text(&out.stdout)
    );
    let settled = load(t);
    assert!(settled.conflicts.is_empty());
    assert_eq!(
        state(&settled, "idempotent-create"),
        Some(AnswerState::NotApplicable)
    );
    // Ours: the file's answer stays, the entry goes; nothing else changes.
    let out = s.run(&["settle", m, "--conflict", &id, "--keep", "ours"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let kept = load(m);
    assert!(kept.conflicts.is_empty());
    assert_eq!(
        state(&kept, "idempotent-create"),
        Some(AnswerState::Unknown)
    );
    let pre = s.path("pre.toml");
    std::fs::write(&pre, &before).expect("write");
    let mut without = load(pre.to_str().expect("utf-8"));
    without.conflicts.clear();
    without.engagement.updated = kept.engagement.updated;
    assert_eq!(kept, without);
}

/// The merged file is loaded back before anything is written: a merge whose result would not
/// load is refused with exit 2 and nothing written. Here the merge keeps each side's change —
/// ours removed a system, theirs answered "which system's outage would stop the most
/// business?" with that system — and the answer's value names a system the file no longer
/// has.
#[test]
fn an_answer_naming_a_system_the_other_side_removed_becomes_a_conflict() {
    let s = Scratch::new();
    let base = s.copy("o.toml");
    let mut ours = load(&base);
    stackmap::edit::remove_system(&mut ours, "algolia");
    let a = s.path("a.toml");
    std::fs::write(&a, stackmap::save::to_toml(&ours)).expect("write");
    let b = s.path("b.toml");
    let theirs = format!(
        "{}\n[[answer]]\nquestionnaire = \"coupling\"\nquestion = \"most-critical-system\"\nvalue = \"algolia\"\n",
        std::fs::read_to_string(&base).expect("read")
    );
    load_text(&theirs).expect("their side loads");
    std::fs::write(&b, theirs).expect("write");
    let m = s.path("m.toml");
    let out = s.merge(
        a.to_str().expect("utf-8"),
        b.to_str().expect("utf-8"),
        Some(&base),
        m.to_str().expect("utf-8"),
    );
    let err = text(&out.stderr);
    // Before: refused (exit 2), the merged file would not load. Now a conflict holds the
    // answer whole, the file loads, and nothing is lost.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("names removed system algolia"), "{err}");
    let merged = load(m.to_str().expect("utf-8"));
    assert!(merged.systems.iter().all(|x| x.id != "algolia"));
    assert!(
        !merged
            .answers
            .iter()
            .any(|x| x.question == "most-critical-system"),
        "the answer is out of the file, in its conflict"
    );
    let c = merged
        .conflicts
        .iter()
        .find(|c| c.about.contains("most-critical-system"))
        .expect("a conflict for the answer");
    assert!(c.ours.contains("value = \"algolia\""), "{}", c.ours);
}

#[test]
fn a_merged_model_that_would_not_load_is_refused_before_anything_is_written() {
    // The merge's last guard (`workspace::checked_text_laid_out`, which `stackmap merge` runs
    // before writing): a model naming a system it does not hold gives diagnostics, not text.
    let content = stackmap::workspace::Sources::default()
        .content_strict()
        .expect("content");
    let s = Scratch::new();
    let mut a = load(&s.copy("o.toml"));
    stackmap::edit::remove_system(&mut a, "algolia");
    let mut x = Answer::new(
        "coupling".into(),
        None,
        "most-critical-system".into(),
        AnswerState::Value(Value::System("algolia".into())),
    );
    x.by = "T. Ester".into();
    a.answers.push(x);
    let diags = stackmap::workspace::checked_text_laid_out(None, &a, "m.toml", &content)
        .expect_err("refused");
    assert!(
        diags.iter().any(|d| d
            .to_string()
            .contains("`algolia` is not a system of this assessment")),
        "{diags:?}"
    );
}

/// One side removed algolia, the other added a flow to it: the merge takes the flow out of the
/// file into a conflict whose `theirs` is empty. Someone then puts algolia and the flow back by
/// hand, not quite as the conflict recorded it. Keeping theirs leaves the file as theirs says —
/// without the flow — not with the hand-added one; and where something else in the file still
/// names the flow, keeping theirs is refused, said why, and nothing is written.
#[test]
fn keeping_theirs_takes_a_hand_added_taken_out_fact_out_again() {
    let s = Scratch::new();
    let o = s.copy("o.toml");
    let base = load(&o);
    let mut ours = base.clone();
    stackmap::edit::remove_system(&mut ours, "algolia");
    let mut theirs = base.clone();
    let mut f = theirs.flows[0].clone();
    f.id = "search-feed".into();
    f.to = "algolia".into();
    theirs.flows.push(f);
    let mut m = stackmap::merge::merge(&ours, &theirs, Some(&base)).assessment;
    let id = m
        .conflicts
        .iter()
        .find(|c| c.about == "flow search-feed names removed system algolia")
        .expect("the conflict")
        .id
        .clone();
    // By hand: algolia back, and the flow with a name of its own.
    m.systems
        .push(base.system("algolia").expect("in the base").clone());
    let mut again = theirs.flow("search-feed").expect("theirs").clone();
    again.name = "Search feed (put back by hand)".into();
    m.flows.push(again);
    m.canonicalise();
    let file = s.path("m.toml");
    let f = file.to_str().expect("utf-8");
    std::fs::write(&file, stackmap::save::to_toml(&m)).expect("write");
    assert!(load(f).flow("search-feed").is_some(), "the hand edit loads");

    // An answer about the flow: taking it out would leave the answer naming no flow.
    let with_answer = s.path("answered.toml");
    let w = with_answer.to_str().expect("utf-8");
    std::fs::copy(&file, &with_answer).expect("copy");
    let out = s.run(&[
        "answer",
        w,
        "--questionnaire",
        "flow-contract",
        "--subject",
        "search-feed",
        "--question",
        "idempotent-create",
        "--unknown",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let before = std::fs::read(&with_answer).expect("read");
    let out = s.run(&["settle", w, "--conflict", &id, "--keep", "theirs"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("keeping theirs takes flow search-feed out of the file"),
        "{err}"
    );
    assert!(
        err.contains("subject `search-feed` is not a flow"),
        "what still names it: {err}"
    );
    assert_eq!(std::fs::read(&with_answer).expect("read"), before);

    // Without the answer: the flow goes, the entry goes, the rest stays.
    let out = s.run(&["settle", f, "--conflict", &id, "--keep", "theirs"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let settled = load(f);
    assert!(settled.conflicts.iter().all(|c| c.id != id));
    assert!(
        settled.flow("search-feed").is_none(),
        "theirs has no such flow: {:?}",
        settled.flow("search-feed")
    );
    assert!(settled.system("algolia").is_some());
}

/// The first file deleted a system the second changed: the merge keeps the second's version in
/// the file and a conflict whose `ours` is empty. Keeping ours leaves the file as ours says
/// (without the system); keeping theirs leaves the version in place (it used to be added a
/// second time, and refused).
#[test]
fn a_fact_ours_deleted_and_theirs_changed_settles_either_way() {
    let content = stackmap::workspace::Sources::default()
        .content_strict()
        .expect("content");
    let base = load_text(&std::fs::read_to_string(BASE).expect("fixture")).expect("loads");
    let mut ours = base.clone();
    stackmap::edit::remove_system(&mut ours, "algolia");
    let mut theirs = base.clone();
    theirs
        .systems
        .iter_mut()
        .find(|s| s.id == "algolia")
        .expect("algolia")
        .name = "Algolia NeuralSearch".into();
    let m = stackmap::merge::merge(&ours, &theirs, Some(&base)).assessment;
    let c = m
        .conflicts
        .iter()
        .find(|c| c.about == "system algolia")
        .expect("the conflict");
    assert!(c.ours.is_empty() && !c.theirs.is_empty(), "{c:?}");
    assert_eq!(
        m.system("algolia").map(|s| s.name.as_str()),
        Some("Algolia NeuralSearch"),
        "theirs stands in the file"
    );
    let id = c.id.clone();
    use stackmap::merge::{Keep, settle};
    let kept = settle(&content, &m, &id, Keep::Theirs).expect("theirs is in place");
    assert!(kept.conflicts.iter().all(|c| c.id != id));
    assert_eq!(
        kept.system("algolia").map(|s| s.name.as_str()),
        Some("Algolia NeuralSearch")
    );
    let kept = settle(&content, &m, &id, Keep::Ours).expect("ours deleted it");
    assert!(kept.conflicts.iter().all(|c| c.id != id));
    assert!(kept.system("algolia").is_none(), "ours has no algolia");
}

/// Keeping theirs over a fact the file holds a hand-edited version of: theirs takes its place
/// (it used to be refused, "not as the conflict recorded it"); keeping ours leaves the file's.
#[test]
fn keeping_theirs_replaces_a_version_edited_since_the_merge() {
    let content = stackmap::workspace::Sources::default()
        .content_strict()
        .expect("content");
    let base = load_text(&std::fs::read_to_string(BASE).expect("fixture")).expect("loads");
    let rename = |name: &str| {
        let mut a = base.clone();
        a.systems
            .iter_mut()
            .find(|s| s.id == "algolia")
            .expect("algolia")
            .name = name.into();
        a
    };
    let mut m = stackmap::merge::merge(
        &rename("Algolia Search"),
        &rename("Algolia NeuralSearch"),
        Some(&base),
    )
    .assessment;
    let id = m
        .conflicts
        .iter()
        .find(|c| c.about == "system algolia")
        .expect("the conflict")
        .id
        .clone();
    m.systems
        .iter_mut()
        .find(|s| s.id == "algolia")
        .expect("algolia")
        .name = "Algolia (renamed by hand)".into();
    use stackmap::merge::{Keep, settle};
    let kept = settle(&content, &m, &id, Keep::Theirs).expect("theirs replaces it");
    assert!(kept.conflicts.is_empty());
    assert_eq!(
        kept.system("algolia").map(|s| s.name.as_str()),
        Some("Algolia NeuralSearch")
    );
    let kept = settle(&content, &m, &id, Keep::Ours).expect("the file's stays");
    assert_eq!(
        kept.system("algolia").map(|s| s.name.as_str()),
        Some("Algolia (renamed by hand)")
    );
}

/// What a removed respondent said about an owner is kept in a conflict as a `said = { ... }`
/// line: the list shows it as taken out of the file; theirs leaves it out, ours puts it back
/// once the respondent is listed again, and is refused (with why) while they are not.
#[test]
fn what_a_removed_respondent_said_settles_either_way() {
    let mut base = load_text(&std::fs::read_to_string(BASE).expect("fixture")).expect("loads");
    base.respondents.push(Respondent {
        id: "ana".into(),
        name: "Ana Ruiz".into(),
        role: "E-commerce lead".into(),
        team: String::new(),
    });
    let mut ours = base.clone();
    ours.respondents.clear();
    let mut theirs = base.clone();
    theirs
        .ownership
        .entry(stackmap::vocab::DataObject::Price)
        .or_default()
        .said
        .insert("ana".into(), "netsuite".into());
    let m = stackmap::merge::merge(&ours, &theirs, Some(&base)).assessment;
    let c = m
        .conflicts
        .iter()
        .find(|c| c.about == "ownership of price said by removed respondents")
        .expect("the conflict")
        .clone();
    assert_eq!(c.ours, "said = { ana = \"netsuite\" }");
    assert_eq!(
        stackmap::merge::standing(&m, &c),
        stackmap::merge::Standing::TakenOut
    );
    let content = common::content();
    let keep = |a: &Assessment, k| stackmap::merge::settle(content, a, &c.id, k);

    // Theirs: the statement stays out, the entry goes (it was refused: "settle it by hand").
    let t = keep(&m, stackmap::merge::Keep::Theirs).expect("theirs settles");
    assert!(t.conflicts.iter().all(|x| x.id != c.id));
    assert!(t.ownership.values().all(|o| !o.said.contains_key("ana")));

    // Ours while Ana is not a respondent: refused, saying why (it dropped what she said).
    let why = keep(&m, stackmap::merge::Keep::Ours).expect_err("refused");
    assert!(why.contains("ana") && why.contains("respondent"), "{why}");

    // Ours once she is listed again: what she said is back.
    let mut again = m.clone();
    again.respondents = base.respondents.clone();
    let o = keep(&again, stackmap::merge::Keep::Ours).expect("ours settles");
    let price = &o.ownership[&stackmap::vocab::DataObject::Price];
    assert_eq!(price.said.get("ana").map(String::as_str), Some("netsuite"));
    assert!(o.conflicts.iter().all(|x| x.id != c.id));
    assert_eq!(
        stackmap::merge::standing(&o, &c),
        stackmap::merge::Standing::Ours,
        "put back, it is the file's version"
    );

    // A conflict written before the `said = { ... }` line: theirs still settles, ours says to
    // do it by hand.
    let mut old = m.clone();
    for x in &mut old.conflicts {
        if x.id == c.id {
            x.ours = "said = {\"ana\": \"netsuite\"}".into();
        }
    }
    assert!(keep(&old, stackmap::merge::Keep::Theirs).is_ok());
    let why = keep(&old, stackmap::merge::Keep::Ours).expect_err("by hand");
    assert!(why.contains("by hand"), "{why}");
}

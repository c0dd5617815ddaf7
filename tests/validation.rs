//! Every validation error, one fixture each: `tests/fixtures/invalid/NAME.toml` is checked
//! and its diagnostics must equal `NAME.expected` line for line (path:line:column: message).
//! Shipped content and the valid fixtures must check clean.
//!
//! To regenerate expectations after an intended change of wording, run with
//! `UPDATE_EXPECTED=1` and read the diff before committing it.

use std::path::{Path, PathBuf};

use stackmap::workspace::{Sources, check};

fn sources() -> Sources {
    // No config dir: the test sees exactly the embedded content.
    Sources::default()
}

fn render(path: &Path) -> String {
    let (_, mut diags) = check(&sources(), &[path.to_path_buf()]);
    diags.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    diags.iter().map(|d| format!("{d}\n")).collect()
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture dir exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn each_invalid_fixture_gives_exactly_its_expected_diagnostics() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    let files = fixtures("tests/fixtures/invalid");
    assert!(files.len() >= 14, "fixtures went missing: {files:?}");
    for f in files {
        let got = render(&f);
        let expected_path = f.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .expected file", f.display()));
        assert!(!got.is_empty(), "{} produced no diagnostics", f.display());
        if got != expected {
            failures.push(format!(
                "== {}\n-- expected\n{expected}-- got\n{got}",
                f.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_fixtures_and_shipped_content_check_clean() {
    for f in fixtures("tests/fixtures/valid") {
        assert_eq!(render(&f), "", "{} should be valid", f.display());
    }
    let (content, diags) = sources().content();
    assert!(diags.is_empty(), "shipped content has problems: {diags:?}");
    assert!(content.questionnaire("flow-contract").is_some());
    assert!(content.profile("full-discovery").is_some());
}

#[test]
fn every_builtin_finding_is_defined_in_shipped_content() {
    let (content, _) = sources().content();
    for id in stackmap::content::BUILTIN_FINDINGS {
        assert!(content.finding(id).is_some(), "{id} missing");
    }
}

#[test]
fn errors_in_several_files_are_all_reported_in_one_run() {
    let paths: Vec<PathBuf> = [
        "toml-syntax.toml",
        "duplicate-question-id.toml",
        "unknown-raises.toml",
    ]
    .iter()
    .map(|f| Path::new("tests/fixtures/invalid").join(f))
    .collect();
    let (checked, diags) = check(&sources(), &paths);
    assert_eq!(diags.len(), 3, "{diags:?}");
    assert!(checked.iter().all(|c| !c.ok));
    for (d, p) in diags.iter().zip(&paths) {
        assert_eq!(d.path, p.display().to_string());
    }
}

#[test]
fn a_user_file_with_a_shipped_id_overrides_it_without_a_duplicate_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string("questionnaires/flow-contract.toml")
        .expect("shipped file")
        .replace(
            "title = \"Integration flow: source, contract, failure, owner\"",
            "title = \"Our own flow questions\"",
        );
    std::fs::write(dir.path().join("flow.toml"), text).expect("write");
    let s = Sources {
        questionnaire_dirs: vec![dir.path().to_path_buf()],
        ..Sources::default()
    };
    let (content, diags) = s.content();
    assert!(diags.is_empty(), "{diags:?}");
    let q = content.questionnaire("flow-contract").expect("in force");
    assert_eq!(q.title, "Our own flow questions");
    assert!(matches!(q.source, stackmap::model::Source::File(_)));
    assert_eq!(content.overridden.len(), 1);
}

#[test]
fn two_user_files_with_one_id_in_the_same_layer_clash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string("profiles/full-discovery.toml").expect("shipped file");
    std::fs::write(dir.path().join("a.toml"), &text).expect("write");
    std::fs::write(dir.path().join("b.toml"), &text).expect("write");
    let s = Sources {
        profile_dirs: vec![dir.path().to_path_buf()],
        ..Sources::default()
    };
    let (_, diags) = s.content();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].path.ends_with("b.toml"));
    assert!(
        diags[0]
            .message
            .starts_with("duplicate profile id `full-discovery`")
    );
}

#[test]
fn a_profile_in_the_questionnaires_dir_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy("profiles/full-discovery.toml", dir.path().join("p.toml")).expect("copy");
    let s = Sources {
        questionnaire_dirs: vec![dir.path().to_path_buf()],
        ..Sources::default()
    };
    let (_, diags) = s.content();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0]
            .message
            .contains("expected a questionnaire file here, found kind `profile`"),
        "{}",
        diags[0]
    );
}

//! The built binary, run as a user or a script would: exit codes, output shapes, and the
//! promises of the foundation issue (three broken files → three errors and exit 2, an
//! empty file → exit 2, a closed pipe is not an error).

mod common;

use std::process::Stdio;

use common::{lossy as text, run, stackmap};

#[test]
fn check_passes_on_shipped_content() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(home.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("ok: checked"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn list_questionnaires_json_has_the_pinned_fields() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(home.path(), &["list", "questionnaires", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let arr = v.as_array().expect("array");
    let flow = arr
        .iter()
        .find(|q| q["id"] == "flow-contract")
        .expect("flow-contract listed");
    for key in [
        "id",
        "title",
        "version",
        "scope",
        "source",
        "question_count",
    ] {
        assert!(flow.get(key).is_some(), "missing {key}");
    }
    assert_eq!(flow["source"], "embedded");
    assert_eq!(flow["scope"], "flow");
    assert!(flow["question_count"].as_u64().expect("number") >= 10);
}

#[test]
fn list_profiles_json_names_their_questionnaires() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(home.path(), &["list", "profiles", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let p = &v.as_array().expect("array")[0];
    for key in ["id", "title", "source", "questionnaires"] {
        assert!(p.get(key).is_some(), "missing {key}");
    }
    assert!(
        p["questionnaires"]
            .as_array()
            .expect("array")
            .iter()
            .any(|q| q == "flow-contract")
    );
}

#[test]
fn list_vocabularies_match_the_model() {
    let home = tempfile::tempdir().expect("tempdir");
    for (what, first) in [
        ("objects", "catalog"),
        ("categories", "platform"),
        ("capabilities", "catalog-management"),
    ] {
        let out = run(home.path(), &["list", what, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v[0]["id"], first, "{what}");
        let plain = text(&run(home.path(), &["list", what]).stdout);
        assert!(plain.lines().nth(1).expect("a row").starts_with(first));
    }
}

#[test]
fn three_broken_questionnaires_give_three_located_errors_and_exit_2() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(
        home.path(),
        &[
            "check",
            "tests/fixtures/invalid/toml-syntax.toml",
            "tests/fixtures/invalid/duplicate-question-id.toml",
            "tests/fixtures/invalid/unknown-raises.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let located: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(located.len(), 3, "{err}");
    assert!(
        located[0].starts_with("tests/fixtures/invalid/duplicate-question-id.toml:23:6: error:")
    );
    assert!(located[1].starts_with("tests/fixtures/invalid/toml-syntax.toml:6:20: error:"));
    assert!(located[2].starts_with("tests/fixtures/invalid/unknown-raises.toml:18:53: error:"));
    assert!(!err.contains("panicked"));
}

#[test]
fn check_json_reports_every_diagnostic_with_its_position() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(
        home.path(),
        &[
            "check",
            "--format",
            "json",
            "tests/fixtures/invalid/unknown-key.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 4);
    assert_eq!(v["diagnostics"][1]["line"], 16);
    assert_eq!(v["diagnostics"][1]["column"], 1);
    assert_eq!(v["files"][0]["kind"], "questionnaire");
}

#[test]
fn an_empty_file_is_exit_2_with_a_message() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(home.path(), &["check", "tests/fixtures/invalid/empty.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("empty.toml:1:1: error: file is empty"));
}

#[test]
fn a_missing_file_and_a_non_utf8_file_are_exit_2() {
    let home = tempfile::tempdir().expect("tempdir");
    let bad = home.path().join("latin1.toml");
    std::fs::write(
        &bad,
        b"schema = 1\nkind = \"profile\"\ntitle = \"caf\xe9\"\n",
    )
    .expect("write");
    let out = run(
        home.path(),
        &[
            "check",
            "no/such/file.toml",
            bad.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("no/such/file.toml:1:1: error: cannot read the file"),
        "{err}"
    );
    assert!(
        err.contains("latin1.toml:3:13: error: the file is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn new_writes_a_valid_assessment_and_never_overwrites() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("acme.toml");
    let f = file.to_str().expect("utf-8 path");
    let out = run(
        home.path(),
        &[
            "new",
            f,
            "--client",
            "Acme Outdoor",
            "--profile",
            "full-discovery",
            "--assessor",
            "J. Doe",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), f);
    let written = std::fs::read_to_string(&file).expect("written");
    assert!(written.starts_with("schema = 2\nkind = \"assessment\"\n"));
    assert!(written.contains("client = \"Acme Outdoor\""));
    assert_eq!(run(home.path(), &["check", f]).status.code(), Some(0));

    let again = run(
        home.path(),
        &["new", f, "--client", "Other", "--profile", "full-discovery"],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("still there"),
        written
    );
}

#[test]
fn new_with_an_unknown_profile_suggests_the_near_one() {
    let home = tempfile::tempdir().expect("tempdir");
    let f = home.path().join("x.toml");
    let out = run(
        home.path(),
        &[
            "new",
            f.to_str().expect("utf-8"),
            "--client",
            "X",
            "--profile",
            "full-discovry",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `full-discovery`?"));
    assert!(!f.exists());
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let home = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        run(home.path(), &["list", "widgets"]).status.code(),
        Some(2)
    );
    assert_eq!(run(home.path(), &["frobnicate"]).status.code(), Some(2));
    let help = run(home.path(), &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("check"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // The reader is gone before stackmap writes a byte, so every write fails with EPIPE,
    // as with `stackmap man | head -0`; stackmap must still exit 0, quietly.
    let home = tempfile::tempdir().expect("tempdir");
    for args in [&["man"][..], &["list", "capabilities"][..]] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = stackmap(home.path())
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    let home = tempfile::tempdir().expect("tempdir");
    let bash = run(home.path(), &["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    assert!(text(&bash.stdout).contains("stackmap"));
    let man = run(home.path(), &["man"]);
    assert!(text(&man.stdout).contains(".TH stackmap"));
}

#[test]
fn a_user_questionnaire_in_the_config_dir_overrides_the_embedded_one() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().join("config/questionnaires");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let text_in = std::fs::read_to_string("questionnaires/flow-contract.toml").expect("shipped");
    std::fs::write(
        dir.join("mine.toml"),
        text_in.replace("version = 1", "version = 2"),
    )
    .expect("write");
    let out = run(home.path(), &["list", "questionnaires", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let flow = v
        .as_array()
        .expect("array")
        .iter()
        .find(|q| q["id"] == "flow-contract")
        .expect("listed");
    assert_eq!(flow["version"], 2);
    assert!(
        flow["source"]
            .as_str()
            .expect("string")
            .ends_with("mine.toml")
    );
}

/// Issue 20: a hub (`via`) is an integration platform or glue code; another kind of system
/// is warned about, not refused, so the file still loads.
#[test]
fn a_hub_of_another_category_is_a_warning_not_an_error() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("a.toml");
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml")
        .expect("fixture")
        .replacen(
            "id = \"celigo\"\nname = \"Celigo\"\nvendor = \"Celigo\"\ncategory = \"ipaas\"",
            "id = \"celigo\"\nname = \"Celigo\"\nvendor = \"Celigo\"\ncategory = \"erp\"",
            1,
        );
    assert!(text.contains("category = \"erp\""));
    std::fs::write(&file, text).expect("write");
    let out = common::run(home.path(), &["check", file.to_str().expect("utf-8")]);
    let all = format!(
        "{}{}",
        common::lossy(&out.stdout),
        common::lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("a hub is an integration platform"), "{all}");
}

//! Handoff exports on the demo: the Jira CSV read back with the csv crate, the GitHub issues
//! created by their script against a stub `gh`, MADR drafts re-exported in place, the
//! Structurizr DSL through a grammar check, the Backstage catalog through Backstage's own
//! validators (tests/validators), and hostile names that must break none of them.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{lossy as text, path_str, run};

/// The demo written into a fresh home; returns the home and the file.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("demo.toml");
    let out = run(home.path(), &["demo", "--out", path_str(&file)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (home, file)
}

fn ok(home: &Path, args: &[&str]) -> String {
    let out = run(home, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn json(home: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(home, args)).expect("JSON")
}

/// The demo, with a system renamed and a note rewritten to hostile text.
const HOSTILE: &str =
    "$(touch pwned) `touch pwned2` '; rm -rf ~ ; \" \\ ${X} {{x}} [x](y) =1+1 \u{1b}[2J \u{202e}";

fn hostile_demo() -> (tempfile::TempDir, PathBuf) {
    let (home, file) = demo();
    let t = std::fs::read_to_string(&file).expect("read");
    let esc = HOSTILE
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\u{1b}', "\\u001b");
    let t = t.replacen("name = \"Adyen\"", &format!("name = \"Adyen {esc}\""), 1);
    // A note behind a decision (an answer's note is cited in its reasons).
    let t = t.replacen("note = \"", &format!("note = \"{esc} "), 3);
    std::fs::write(&file, t).expect("write");
    ok(home.path(), &["check", path_str(&file)]);
    (home, file)
}

// ---------------------------------------------------------------------------------------
// Jira

#[test]
fn the_jira_csv_has_every_column_the_importer_needs() {
    let (home, file) = demo();
    let f = path_str(&file);
    let csv = ok(home.path(), &["export", f, "--to", "jira-csv"]);
    assert!(
        !csv.starts_with('\u{feff}'),
        "no BOM: it would join the first header"
    );
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    for col in [
        "Issue ID",
        "Issue Type",
        "Summary",
        "Priority",
        "Description",
        "Parent",
        "Linked Issues",
        "Labels",
    ] {
        assert!(
            header.iter().any(|h| h == col),
            "missing column {col}: {header:?}"
        );
    }
    let at = |name: &str| header.iter().position(|h| h == name).expect("column");
    // The values of a repeated column (Labels, Linked Issues), empty ones left out.
    let all = |row: &csv::StringRecord, name: &str| -> Vec<String> {
        header
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == name)
            .map(|(i, _)| row[i].to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let score = json(home.path(), &["score", f, "--format", "json"]);
    // Rejected decisions are no work: every other one is a task.
    let decisions: Vec<&serde_json::Value> = score["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .filter(|d| d["status"] != "rejected")
        .collect();
    let epics: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|x| &x[at("Issue Type")] == "Epic")
        .collect();
    let tasks: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|x| &x[at("Issue Type")] == "Task")
        .collect();
    assert_eq!(tasks.len(), decisions.len(), "one task per decision");
    assert_eq!(epics.len() + tasks.len(), rows.len());
    // Epics come first, so the importer has the parents before the children.
    let first_task = rows
        .iter()
        .position(|x| &x[at("Issue Type")] == "Task")
        .expect("a task");
    assert!(
        rows[..first_task]
            .iter()
            .all(|x| &x[at("Issue Type")] == "Epic")
    );
    let ids: BTreeSet<&str> = rows.iter().map(|x| &x[at("Issue ID")]).collect();
    assert_eq!(ids.len(), rows.len(), "Issue IDs are unique");
    let epic_ids: BTreeSet<&str> = epics.iter().map(|x| &x[at("Issue ID")]).collect();
    for t in &tasks {
        assert!(!t[at("Summary")].is_empty());
        assert!(["Highest", "High", "Medium", "Low", "Lowest"].contains(&&t[at("Priority")]));
        assert!(epic_ids.contains(&t[at("Parent")]), "parent is an epic row");
        for l in all(t, "Linked Issues") {
            assert!(ids.contains(l.as_str()), "a link names a row of the file");
        }
        let labels = all(t, "Labels");
        assert!(labels.iter().any(|l| l == "stackmap"));
        assert!(
            labels.iter().all(|l| !l.contains(' ')),
            "Jira splits labels on spaces"
        );
        let d = &t[at("Description")];
        for part in [
            "\n\nh3. Why\n\n",
            "h3. Recommendation",
            "*Status:*",
            "*Owner:*",
            "stackmap id: {{",
        ] {
            assert!(d.contains(part), "description lacks {part}: {d}");
        }
    }
    // Every decision is there, matched by its stackmap id.
    for d in &decisions {
        let id = d["id"].as_str().expect("id").replace('-', "\\-");
        assert!(
            tasks
                .iter()
                .any(|t| t[at("Description")].contains(&format!("stackmap id: {{{{{id}}}}}"))),
            "decision {id} has no row"
        );
    }
    // Dependencies are links and named by title.
    let with_dep = decisions
        .iter()
        .find(|d| !d["depends_on"].as_array().expect("deps").is_empty());
    if let Some(d) = with_dep {
        let t = tasks
            .iter()
            .find(|t| &t[at("Summary")] == d["title"].as_str().expect("title"))
            .expect("row");
        assert_eq!(
            all(t, "Linked Issues").len(),
            d["depends_on"].as_array().map_or(0, Vec::len)
        );
        assert!(t[at("Description")].contains("h3. Depends on"));
    }
    // Filters.
    let lane = ok(
        home.path(),
        &[
            "export",
            f,
            "--to",
            "jira-csv",
            "--lane",
            "immediate",
            "--slice",
            "1",
        ],
    );
    let n = csv::Reader::from_reader(lane.as_bytes()).records().count();
    let want = decisions
        .iter()
        .filter(|d| d["horizon"] == "immediate" && d["slice"] == 1)
        .count();
    assert_eq!(n, want + 1, "the slice's decisions and its epic");
    // Deterministic, byte for byte.
    assert_eq!(csv, ok(home.path(), &["export", f, "--to", "jira-csv"]));
    // A rejected decision is no work to track.
    let gone = decisions
        .iter()
        .find(|d| d["overridden"] == false)
        .and_then(|d| d["title"].as_str())
        .expect("a decision without an override")
        .to_string();
    let id = decisions
        .iter()
        .find(|d| d["title"] == gone.as_str())
        .and_then(|d| d["id"].as_str())
        .expect("id");
    let t = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        format!("{t}\n[[decision]]\nid = \"{id}\"\nstatus = \"rejected\"\n"),
    )
    .expect("write");
    let after = ok(home.path(), &["export", f, "--to", "jira-csv"]);
    let n = csv::Reader::from_reader(after.as_bytes())
        .records()
        .filter(|r| r.as_ref().is_ok_and(|r| &r[at("Issue Type")] == "Task"))
        .count();
    assert_eq!(n, tasks.len() - 1, "one task fewer");
    // No ticket for it (another ticket may still name it among what it depends on).
    assert!(
        csv::Reader::from_reader(after.as_bytes())
            .records()
            .filter_map(Result::ok)
            .all(|r| r[at("Summary")] != *gone),
        "{gone} still has a ticket"
    );
}

// ---------------------------------------------------------------------------------------
// GitHub

/// Runs the script with a stub `gh` first on the PATH that records its arguments; returns
/// each call's arguments.
fn run_script(script: &Path, dir: &Path) -> Vec<Vec<String>> {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let log = dir.join("gh.log");
    let stub = bin.join("gh");
    std::fs::write(
        &stub,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> '{}'; done\nprintf '\\036' >> '{}'\n",
            log.display(),
            log.display()
        ),
    )
    .expect("stub");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let raw = std::fs::read(&log).unwrap_or_default();
    String::from_utf8(raw)
        .expect("utf-8")
        .split('\u{1e}')
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.split('\0')
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect()
        })
        .collect()
}

fn check_github(home: &Path, file: &Path) -> serde_json::Value {
    let out = home.join("issues.json");
    ok(
        home,
        &[
            "export",
            path_str(file),
            "--to",
            "github",
            "-o",
            path_str(&out),
        ],
    );
    let script = home.join("issues.sh");
    let body = std::fs::read_to_string(&script).expect("script");
    // Only `gh issue create` runs: every line that starts outside a quoted word is a comment,
    // blank, `set -eu`, or a call (bodies span lines inside single quotes; a `'` inside one is
    // written `'\''`, so a small lexer tells where each line starts).
    let mut quoted = false;
    for line in body.lines() {
        if !quoted {
            let l = line.trim_start();
            assert!(
                l.is_empty()
                    || l.starts_with('#')
                    || l == "set -eu"
                    || l.starts_with("gh issue create "),
                "unexpected line: {line}"
            );
            if l.starts_with('#') {
                continue;
            }
        }
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (false, '\\') => {
                    chars.next();
                }
                (_, '\'') => quoted = !quoted,
                _ => {}
            }
        }
    }
    assert!(!quoted, "every quote is closed");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("json")).expect("parses");
    let issues = v["issues"].as_array().expect("issues");
    let calls = run_script(&script, home);
    assert_eq!(calls.len(), issues.len(), "one call per issue");
    for (c, i) in calls.iter().zip(issues) {
        let mut want = vec![
            "issue".to_string(),
            "create".into(),
            "--title".into(),
            i["title"].as_str().expect("title").into(),
            "--milestone".into(),
            i["milestone"].as_str().expect("milestone").into(),
        ];
        for l in i["labels"].as_array().expect("labels") {
            want.push("--label".into());
            want.push(l.as_str().expect("label").into());
        }
        want.push("--body".into());
        want.push(i["body"].as_str().expect("body").into());
        assert_eq!(c, &want);
        let b = i["body"].as_str().expect("body");
        for part in [
            "### Why",
            "### Recommendation",
            "**Status:**",
            "**Owner:**",
            "stackmap id: `",
        ] {
            assert!(b.contains(part), "{part}");
        }
        assert!(b.contains(&format!(
            "stackmap id: `{}`",
            i["stackmap_id"].as_str().expect("id")
        )));
    }
    v
}

#[test]
fn github_issues_are_created_by_the_script_with_the_files_values() {
    let (home, file) = demo();
    let v = check_github(home.path(), &file);
    let score = json(home.path(), &["score", path_str(&file), "--format", "json"]);
    assert_eq!(
        v["issues"].as_array().map(Vec::len),
        score["decisions"]
            .as_array()
            .map(|d| d.iter().filter(|d| d["status"] != "rejected").count())
    );
    assert!(
        v["issues"][0]["milestone"]
            .as_str()
            .expect("m")
            .starts_with("Slice ")
    );
    // Deterministic, byte for byte.
    let json = std::fs::read(home.path().join("issues.json")).expect("json");
    let script = std::fs::read(home.path().join("issues.sh")).expect("sh");
    let out = home.path().join("issues.json");
    ok(
        home.path(),
        &[
            "export",
            path_str(&file),
            "--to",
            "github",
            "-o",
            path_str(&out),
        ],
    );
    assert_eq!(std::fs::read(&out).expect("json"), json);
    assert_eq!(
        std::fs::read(home.path().join("issues.sh")).expect("sh"),
        script
    );
    // The client reads what was agreed, not why a priority was set by hand.
    let oversell = |v: &serde_json::Value| {
        v["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .find(|i| i["stackmap_id"] == "oversell")
            .and_then(|i| i["body"].as_str())
            .expect("oversell")
            .to_string()
    };
    let client = oversell(&v);
    assert!(client.contains("**Note:** Workshop 3"), "{client}");
    assert!(!client.contains("Priority set by hand"), "{client}");
    let internal = home.path().join("internal.json");
    ok(
        home.path(),
        &[
            "export",
            path_str(&file),
            "--to",
            "github",
            "--audience",
            "internal",
            "-o",
            path_str(&internal),
        ],
    );
    let vi: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&internal).expect("read")).expect("json");
    assert!(oversell(&vi).contains("**Priority set by hand:** Amazon"));
}

#[test]
fn hostile_names_run_nothing_and_break_no_format() {
    let (home, file) = hostile_demo();
    let v = check_github(home.path(), &file);
    assert!(!home.path().join("pwned").exists() && !home.path().join("pwned2").exists());
    let all = serde_json::to_string(&v).expect("json");
    assert!(
        !all.contains('\u{1b}') && !all.contains('\u{202e}'),
        "controls are made visible"
    );
    let f = path_str(&file);
    for to in ["jira-csv", "structurizr", "backstage"] {
        let out = ok(home.path(), &["export", f, "--to", to]);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'), "{to}");
    }
    // The CSV still parses and no cell starts a formula.
    let csv = ok(home.path(), &["export", f, "--to", "jira-csv"]);
    for r in csv::Reader::from_reader(csv.as_bytes()).records() {
        for c in r.expect("row").iter() {
            assert!(!c.trim_start().starts_with(['=', '+', '-', '@']), "{c}");
        }
    }
    let dsl = ok(home.path(), &["export", f, "--to", "structurizr"]);
    dsl_check(&dsl).expect("the DSL still conforms");
    let adr = home.path().join("adr");
    ok(
        home.path(),
        &["export", f, "--to", "adr", "-o", path_str(&adr)],
    );
    let catalog = home.path().join("catalog-info.yaml");
    ok(
        home.path(),
        &["export", f, "--to", "backstage", "-o", path_str(&catalog)],
    );
    backstage_validate(&catalog);
    let yaml = std::fs::read_to_string(&catalog).expect("read");
    assert!(
        yaml.contains("title: \"Adyen $(touch pwned)"),
        "the name survives as text"
    );
}

// ---------------------------------------------------------------------------------------
// ADR

#[test]
fn adrs_are_madr_numbered_stably_and_edits_survive() {
    let (home, file) = demo();
    let f = path_str(&file);
    let dir = home.path().join("adr");
    let d = path_str(&dir);
    ok(home.path(), &["export", f, "--to", "adr", "-o", d]);
    let score = json(home.path(), &["score", f, "--format", "json"]);
    let arch: Vec<&serde_json::Value> = score["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .filter(|x| x["horizon"] == "architecture")
        .collect();
    let read = || -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .map(|p| {
                (
                    p.file_name().expect("name").to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).expect("read"),
                )
            })
            .collect();
        v.sort();
        v
    };
    let first = read();
    assert_eq!(
        first.len(),
        arch.len(),
        "one draft per architecture decision"
    );
    for (name, t) in &first {
        assert!(name[..4].chars().all(|c| c.is_ascii_digit()) && name.as_bytes()[4] == b'-');
        for h in [
            "## Context and Problem Statement",
            "## Considered Options",
            "## Decision Outcome",
            "### Consequences",
        ] {
            assert!(t.contains(h), "{name} lacks {h}");
        }
        assert!(t.starts_with("---\nstatus: "), "{name}");
    }
    for x in &arch {
        let id = x["id"].as_str().expect("id");
        assert!(
            first
                .iter()
                .any(|(_, t)| t.contains(&format!("stackmap-id: \"{id}\""))),
            "{id}"
        );
    }
    // Re-export: byte-identical, manifest included.
    let manifest = std::fs::read_to_string(dir.join(".stackmap-adr.json")).expect("manifest");
    let again = ok(home.path(), &["export", f, "--to", "adr", "-o", d]);
    assert!(again.contains("0 new, 0 updated"), "{again}");
    assert_eq!(read(), first);
    assert_eq!(
        std::fs::read_to_string(dir.join(".stackmap-adr.json")).expect("m"),
        manifest
    );
    // An edited draft survives; --force replaces it.
    let (name, _) = &first[1];
    let edited = format!("{}\nOur own words.\n", first[1].1);
    std::fs::write(dir.join(name), &edited).expect("edit");
    let kept = ok(home.path(), &["export", f, "--to", "adr", "-o", d]);
    assert!(kept.contains(&format!("kept {name}")), "{kept}");
    assert_eq!(std::fs::read_to_string(dir.join(name)).expect("r"), edited);
    ok(
        home.path(),
        &["export", f, "--to", "adr", "-o", d, "--force"],
    );
    assert_eq!(read(), first);
    // A decision that changes status updates its draft in place, under its number.
    let top = arch
        .iter()
        .find(|x| x["overridden"] == false && x["status"] == "open")
        .and_then(|x| x["id"].as_str())
        .expect("an open decision");
    let t = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        format!("{t}\n[[decision]]\nid = \"{top}\"\nstatus = \"accepted\"\n"),
    )
    .expect("write");
    let up = ok(home.path(), &["export", f, "--to", "adr", "-o", d]);
    assert!(up.contains("1 updated"), "{up}");
    let now = read();
    assert_eq!(
        now.iter().map(|x| &x.0).collect::<Vec<_>>(),
        first.iter().map(|x| &x.0).collect::<Vec<_>>(),
        "never renumbered"
    );
    let changed = now
        .iter()
        .find(|(_, t)| t.contains(&format!("stackmap-id: \"{top}\"")))
        .expect("draft");
    assert!(changed.1.starts_with("---\nstatus: accepted\n"));
}

// ---------------------------------------------------------------------------------------
// Structurizr DSL

/// What the DSL check found: the `stackmap.id` of each software system and relationship.
#[derive(Debug, Default)]
struct Dsl {
    systems: Vec<String>,
    flows: Vec<String>,
}

/// Splits a DSL line into tokens as Structurizr's parser does: whitespace-separated, a
/// double-quoted string is one token (the DSL has no escapes inside them).
fn tokens(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some(x) => s.push(x),
                    None => return Err(format!("unterminated string: {line}")),
                }
            }
            if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                return Err(format!("text runs on after a string: {line}"));
            }
            out.push(s);
        } else {
            let mut s = String::new();
            while let Some(&x) = chars.peek() {
                if x.is_whitespace() {
                    break;
                }
                if x == '"' {
                    return Err(format!("quote inside a word: {line}"));
                }
                s.push(x);
                chars.next();
            }
            out.push(s);
        }
    }
    Ok(out)
}

/// A grammar-conformance check of the subset of the Structurizr DSL stackmap writes, after
/// the language reference: line-oriented statements; `{` ends the line that opens a block and
/// `}` stands alone; each statement is allowed only in its block (workspace → properties,
/// model, views;
/// model → `id = softwareSystem name [description] [tags] [{]`, `id -> id
/// [description] [technology] [tags] [{]`; element and relationship blocks → tags,
/// properties; properties → `name value`; views → systemLandscape, styles; a view → include,
/// autoLayout; styles → element/relationship style blocks with known properties);
/// identifiers are `[A-Za-z0-9_-]`, unique, defined before use; no `${` substitution.
/// (Structurizr's own parser is a Java library, not obtainable here.)
fn dsl_check(text: &str) -> Result<Dsl, String> {
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let mut stack: Vec<&'static str> = Vec::new();
    let mut ids = BTreeSet::new();
    let mut out = Dsl::default();
    let mut pending: Option<&'static str> = None; // the last element opened, for its id property
    for (n, raw) in text.lines().enumerate() {
        let n = n + 1;
        if raw.contains("${") {
            return Err(format!("line {n}: ${{ would be substituted"));
        }
        let t = tokens(raw).map_err(|e| format!("line {n}: {e}"))?;
        if t.is_empty() || t[0].starts_with('#') || t[0].starts_with("//") {
            continue;
        }
        if t == ["}"] {
            stack.pop().ok_or(format!("line {n}: unbalanced }}"))?;
            continue;
        }
        let opens = t.last().map(String::as_str) == Some("{");
        let body: Vec<&str> = t[..t.len() - usize::from(opens)]
            .iter()
            .map(String::as_str)
            .collect();
        if body.iter().any(|x| *x == "{" || *x == "}") {
            return Err(format!(
                "line {n}: a brace must end the line or stand alone"
            ));
        }
        let ctx = stack.last().copied().unwrap_or("root");
        let block: Option<&'static str> = match (ctx, body.as_slice()) {
            ("root", ["workspace", rest @ ..]) if rest.len() <= 2 && opens => Some("workspace"),
            ("workspace", ["model"]) if opens => Some("model"),
            ("workspace", ["views"]) if opens => Some("views"),
            ("workspace" | "element" | "relationship", ["properties"]) if opens => {
                Some("properties")
            }
            ("properties", [_, _]) if !opens => {
                if body[0] == "stackmap.id" {
                    match pending {
                        Some("element") => out.systems.push(body[1].to_string()),
                        Some("relationship") => out.flows.push(body[1].to_string()),
                        _ => {}
                    }
                }
                None
            }
            ("model", [id, "=", "softwareSystem", name, rest @ ..]) if rest.len() <= 2 => {
                if !ident(id) || !ids.insert(id.to_string()) {
                    return Err(format!("line {n}: bad or repeated identifier {id}"));
                }
                if name.is_empty() {
                    return Err(format!("line {n}: a software system needs a name"));
                }
                pending = Some("element");
                opens.then_some("element")
            }
            ("model", [a, "->", b, rest @ ..]) if rest.len() <= 3 => {
                for x in [a, b] {
                    if !ids.contains(*x) {
                        return Err(format!("line {n}: {x} is not defined yet"));
                    }
                }
                pending = Some("relationship");
                opens.then_some("relationship")
            }
            ("element" | "relationship", ["tags", rest @ ..]) if !rest.is_empty() && !opens => None,
            ("views", ["systemLandscape", rest @ ..]) if rest.len() <= 2 && opens => Some("view"),
            ("view", ["include", rest @ ..]) if !rest.is_empty() && !opens => {
                for x in rest {
                    if *x != "*" && !ids.contains(*x) {
                        return Err(format!("line {n}: include names {x}"));
                    }
                }
                None
            }
            ("view", ["autoLayout", rest @ ..])
                if rest.len() <= 3
                    && rest
                        .first()
                        .is_none_or(|d| ["tb", "bt", "lr", "rl"].contains(d))
                    && !opens =>
            {
                None
            }
            ("views", ["styles"]) if opens => Some("styles"),
            ("styles", ["element" | "relationship", _]) if opens => Some("style"),
            ("style", ["border", "solid" | "dashed" | "dotted"]) => None,
            ("style", ["opacity", x]) if x.parse::<u8>().is_ok_and(|v| v <= 100) => None,
            _ => return Err(format!("line {n}: not allowed in {ctx}: {raw}")),
        };
        match (block, opens) {
            (Some(b), true) => stack.push(b),
            (None, false) => {}
            (Some(_), false) => {}
            (None, true) => return Err(format!("line {n}: opens a block that is not one")),
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed blocks: {stack:?}"));
    }
    Ok(out)
}

/// The demo's systems and flows in a view, from `score`-independent ground truth: the file.
/// A flow of the file: id, from, to and hub.
type FlowEnds = (String, String, String, Option<String>);

fn demo_inventory(file: &Path) -> (Vec<(String, String)>, Vec<FlowEnds>) {
    let t: toml::Table =
        toml::from_str(&std::fs::read_to_string(file).expect("read")).expect("toml");
    let systems = t["system"]
        .as_array()
        .expect("systems")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().expect("id").to_string(),
                s.get("status")
                    .and_then(|x| x.as_str())
                    .unwrap_or("existing")
                    .to_string(),
            )
        })
        .collect();
    let flows = t["flow"]
        .as_array()
        .expect("flows")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().expect("id").to_string(),
                f["from"].as_str().expect("from").to_string(),
                f["to"].as_str().expect("to").to_string(),
                f.get("via").and_then(|x| x.as_str()).map(String::from),
            )
        })
        .collect();
    (systems, flows)
}

/// The systems and flows a view must hold: as-is leaves candidates out, to-be retiring
/// systems; a flow is in a view when its ends and hub are.
fn expected(file: &Path, target: bool) -> (BTreeSet<String>, BTreeSet<String>) {
    let (systems, flows) = demo_inventory(file);
    let sys: BTreeSet<String> = systems
        .into_iter()
        .filter(|(_, st)| {
            if target {
                st != "retiring"
            } else {
                st != "candidate"
            }
        })
        .map(|(id, _)| id)
        .collect();
    let fl = flows
        .into_iter()
        .filter(|(_, a, b, v)| {
            sys.contains(a) && sys.contains(b) && v.as_ref().is_none_or(|h| sys.contains(h))
        })
        .map(|(id, ..)| id)
        .collect();
    (sys, fl)
}

#[test]
fn the_structurizr_workspace_conforms_and_round_trips_every_system_and_flow() {
    let (home, file) = demo();
    let f = path_str(&file);
    let (all_systems, all_flows) = demo_inventory(&file);
    let mut seen_s = BTreeSet::new();
    let mut seen_f = BTreeSet::new();
    for target in [false, true] {
        let mut args = vec!["export", f, "--to", "structurizr"];
        if target {
            args.push("--target");
        }
        let dsl = ok(home.path(), &args);
        assert_eq!(dsl, ok(home.path(), &args), "deterministic");
        let got = dsl_check(&dsl).unwrap_or_else(|e| panic!("{e}\n{dsl}"));
        let (sys, fl) = expected(&file, target);
        assert_eq!(
            got.systems.iter().cloned().collect::<BTreeSet<_>>(),
            sys,
            "target {target}"
        );
        assert_eq!(got.systems.len(), sys.len());
        assert_eq!(
            got.flows.iter().cloned().collect::<BTreeSet<_>>(),
            fl,
            "target {target}"
        );
        assert_eq!(got.flows.len(), fl.len());
        assert!(dsl.contains("systemLandscape"));
        seen_s.extend(got.systems);
        seen_f.extend(got.flows);
    }
    // As-is and to-be together hold every system and flow of the demo.
    assert_eq!(seen_s.len(), all_systems.len(), "systems");
    let lost: Vec<&String> = all_flows
        .iter()
        .map(|x| &x.0)
        .filter(|x| !seen_f.contains(*x))
        .collect();
    assert!(lost.is_empty(), "flows in neither view: {lost:?}");
    // The checker itself refuses what Structurizr would.
    assert!(dsl_check("workspace {\n    model {\n        a -> b\n    }\n}\n").is_err());
    assert!(dsl_check("workspace {\n    model {\n").is_err());
    assert!(
        dsl_check("workspace {\n    model {\n        x = softwareSystem \"a\"b\"\n    }\n}\n")
            .is_err()
    );
}

// ---------------------------------------------------------------------------------------
// Backstage

/// Runs Backstage's validators (tests/validators/backstage.cjs) over the file: `None` when
/// they are not installed and STACKMAP_REQUIRE_VALIDATORS is unset (a notice is printed);
/// a failure when they are required and missing. Returns the validator's output.
fn backstage_validate(file: &Path) -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validators");
    let required =
        std::env::var_os("STACKMAP_REQUIRE_VALIDATORS").is_some_and(|v| v != "0" && !v.is_empty());
    let installed = dir.join("node_modules/@backstage/catalog-model").is_dir();
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok();
    if !(installed && node) {
        assert!(
            !required,
            "STACKMAP_REQUIRE_VALIDATORS is set but the Backstage validator is missing: run `npm ci` in tests/validators"
        );
        eprintln!(
            "notice: Backstage validator not installed (npm ci in tests/validators); skipped"
        );
        return None;
    }
    let (ok, s) = run_validator(&dir, file);
    assert!(ok, "Backstage validation failed:\n{s}");
    Some(s)
}

fn run_validator(dir: &Path, file: &Path) -> (bool, String) {
    let out = std::process::Command::new("node")
        .arg(dir.join("backstage.cjs"))
        .arg(file)
        .output()
        .expect("node runs");
    (
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

#[test]
fn the_backstage_validator_refuses_what_the_catalog_would() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validators");
    if !dir.join("node_modules/@backstage/catalog-model").is_dir() {
        return; // the export test says so, and fails when the validator is required
    }
    let home = tempfile::tempdir().expect("tempdir");
    let bad = home.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: \"bad name!\"\nspec:\n  owner: group:x\n\
         ---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\nspec:\n  type: service\n",
    )
    .expect("write");
    let (ok, out) = run_validator(&dir, &bad);
    assert!(!ok, "{out}");
    assert!(
        out.contains("document 1") && out.contains("document 2"),
        "{out}"
    );
}

#[test]
fn the_backstage_catalog_passes_its_validators_and_round_trips_every_system_and_flow() {
    let (home, file) = demo();
    let f = path_str(&file);
    let (all_systems, all_flows) = demo_inventory(&file);
    let mut seen_s = BTreeSet::new();
    let mut seen_f = BTreeSet::new();
    for target in [false, true] {
        let out = home
            .path()
            .join(if target { "to-be.yaml" } else { "as-is.yaml" });
        let mut args = vec!["export", f, "--to", "backstage", "-o", path_str(&out)];
        if target {
            args.push("--target");
        }
        ok(home.path(), &args);
        let yaml = std::fs::read_to_string(&out).expect("read");
        assert!(yaml.starts_with("---\n"), "one multi-document file");
        assert_eq!(
            yaml,
            ok(home.path(), &[&args[..4], &args[6..]].concat()),
            "deterministic"
        );
        let (sys, fl) = expected(&file, target);
        // Counted in the text (every value is a JSON string) ...
        let values = |key: &str| -> Vec<String> {
            yaml.lines()
                .filter_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
                .map(|v| serde_json::from_str::<String>(v).expect("quoted"))
                .collect()
        };
        let systems_in: Vec<String> = {
            // A system id annotation appears on the System and on its Component/Resource.
            let mut v = values("stackmap/system-id");
            v.sort();
            v.dedup();
            v
        };
        assert_eq!(systems_in.iter().cloned().collect::<BTreeSet<_>>(), sys);
        let mut flows_in: Vec<String> = values("stackmap/flow-id");
        for l in values("stackmap/flows") {
            flows_in.extend(l.split(' ').map(String::from));
        }
        assert_eq!(flows_in.len(), fl.len(), "each flow once");
        assert_eq!(flows_in.iter().cloned().collect::<BTreeSet<_>>(), fl);
        assert_eq!(yaml.matches("\nkind: \"System\"\n").count(), sys.len());
        // ... and through Backstage's own YAML parser and validators.
        if let Some(v) = backstage_validate(&out) {
            let line = v
                .lines()
                .find_map(|l| l.strip_prefix("ids "))
                .expect("ids line");
            let ids: serde_json::Value = serde_json::from_str(line).expect("json");
            let got = |k: &str| -> Vec<String> {
                ids[k]
                    .as_array()
                    .expect("list")
                    .iter()
                    .map(|x| x.as_str().expect("s").to_string())
                    .collect()
            };
            assert_eq!(got("systems").into_iter().collect::<BTreeSet<_>>(), sys);
            assert_eq!(got("flows").len(), fl.len());
            assert_eq!(got("flows").into_iter().collect::<BTreeSet<_>>(), fl);
        }
        seen_s.extend(sys);
        seen_f.extend(fl);
    }
    assert_eq!(seen_s.len(), all_systems.len());
    assert_eq!(seen_f.len(), all_flows.len());
}

#[test]
fn exports_refuse_what_does_not_go_together() {
    let (home, file) = demo();
    let f = path_str(&file);
    for args in [
        vec!["export", f, "--to", "adr", "--lane", "immediate", "-o", "x"],
        vec!["export", f, "--to", "jira-csv", "--target"],
        vec!["export", f, "--to", "github"],
        vec!["export", f, "--to", "adr"],
    ] {
        let out = run(home.path(), &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // -o over the assessment itself is refused.
    let out = run(home.path(), &["export", f, "--to", "jira-csv", "-o", f]);
    assert_ne!(out.status.code(), Some(0));
}

// ---------------------------------------------------------------------------------------
// Risk heat map

#[test]
fn the_heat_map_says_not_enough_answered_and_colours_the_rest() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("fixture.toml");
    std::fs::copy("tests/fixtures/valid/assessment.toml", &file).expect("copy");
    let f = path_str(&file);
    let md = ok(home.path(), &["report", f]);
    let section = &md[md.find("## Risk heat map").expect("section")..];
    let section = &section[..section[3..].find("\n## ").expect("next") + 3];
    assert!(
        section.contains("| System Algolia | — | ⬜ not enough answered (0%) |"),
        "{section}"
    );
    assert!(section.contains("🟧 48"), "{section}");
    let html = ok(home.path(), &["report", f, "--format", "html"]);
    assert!(html.contains("<td class=\"hm hm-short\">⬜ not enough answered (0%)</td>"));
    assert!(html.contains("<td class=\"hm hm-weak\">🟧 48</td>"));
    assert!(html.contains("<td class=\"hm hm-critical\">🟥 0</td>"));
}

/// The questions CSV marks each answer read from the map and not yet confirmed with the rule
/// that read it, in a column after the documented ones; a person's answer, and an inferred one
/// once confirmed, leave it empty. Read back untouched, the file changes nothing.
#[test]
fn the_questions_csv_marks_the_answers_read_from_the_map() {
    let (home, file) = demo();
    let f = path_str(&file);
    // An inventory change: the demo's answers read from the map are derived.
    let flows = home.path().join("flows.csv");
    let flows_csv = "from,to,mechanism,objects,contract\nnetsuite,akeneo,file,catalog,none\n";
    std::fs::write(&flows, flows_csv).expect("write");
    ok(home.path(), &["import", f, "--flows", path_str(&flows)]);
    let read = |home: &Path| {
        let out = ok(home, &["questions", f, "--format", "csv"]);
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.trim_start_matches('\u{feff}').as_bytes());
        let mut rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.expect("csv").iter().map(str::to_string).collect())
            .collect();
        let header = rows.remove(0);
        (header, rows)
    };
    let (header, rows) = read(home.path());
    assert_eq!(
        header,
        [
            "questionnaire",
            "subject",
            "question",
            "prompt",
            "help",
            "options",
            "answer",
            "note",
            "confidence",
            "by",
            "subject_name",
            "section",
            "kind",
            "inferred",
        ],
        "the documented columns, in order, the new one last"
    );
    let row = |subject: &str, question: &str| {
        rows.iter()
            .find(|r| r[1] == subject && r[2] == question)
            .unwrap_or_else(|| panic!("{subject}/{question}"))
            .clone()
    };
    let new = row("netsuite-to-akeneo", "change-detection");
    assert_eq!(new[6], "full-batch");
    assert_eq!(new[8], "assumed");
    assert_eq!(new[13], "file-drop-is-full-batch");
    assert_eq!(
        row("netsuite-to-akeneo", "schema")[13],
        "no-contract-implicit"
    );
    // A person's answer: not marked.
    let person = row("catalog-to-web", "change-detection");
    assert_eq!(person[6], "full-batch");
    assert_eq!(person[13], "");
    let marked = rows.iter().filter(|r| !r[13].is_empty()).count();
    assert!(marked >= 2, "{marked}");
    // The Markdown pre-read says the same in words, for inferred answers only.
    let md = ok(home.path(), &["questions", f, "--format", "md"]);
    let mark = "(read from the map of your systems: confirm or correct it)";
    assert_eq!(md.matches(mark).count(), marked, "{md}");
    assert!(
        md.contains(&format!("Answer so far: **full-batch** {mark}")),
        "{md}"
    );

    // Read back untouched: nothing changes, and the answers stay inferred.
    let csv = home.path().join("q.csv");
    std::fs::write(&csv, ok(home.path(), &["questions", f, "--format", "csv"])).expect("write");
    let before = std::fs::read(&file).expect("read");
    ok(home.path(), &["import", f, "--answers", path_str(&csv)]);
    assert_eq!(std::fs::read(&file).expect("read"), before, "unchanged");

    // Confirmed, the answer is a person's: the mark goes.
    ok(
        home.path(),
        &[
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--question",
            "change-detection",
            "--subject",
            "netsuite-to-akeneo",
            "--confirm",
        ],
    );
    let (_, rows) = read(home.path());
    let confirmed = rows
        .iter()
        .find(|r| r[1] == "netsuite-to-akeneo" && r[2] == "change-detection")
        .expect("row");
    assert_eq!(confirmed[6], "full-batch");
    assert_eq!(confirmed[13], "");
    assert_eq!(
        rows.iter().filter(|r| !r[13].is_empty()).count(),
        marked - 1
    );
}

//! Hardening (issue 24, docs/RELIABILITY.md): no hang or unbounded read on what sits at an
//! output or in a scanned folder, no directive or formula slipping through a name, no leftover
//! of a failed write, and messages that say what is wrong and what to do.
//!
//! Every child process here runs under a deadline and is killed (and the test failed) past it:
//! nothing in this file can hang CI.
#![cfg(unix)]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{lossy, path_str as s, setup, stackmap};

/// What a bounded run gave: exit code, stdout, stderr, wall time and peak memory.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    max_rss_kb: i64,
}

/// Runs `cmd` and waits at most `secs` (then kills it and fails), measuring its wall time and
/// peak resident memory (`wait4`'s rusage for this one child).
// The child is reaped by `wait4` below, which std's `Child` does not see.
#[allow(clippy::zombie_processes)]
fn bounded(mut cmd: Command, secs: u64, what: &str) -> Ran {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = start + Duration::from_secs(secs);
    loop {
        let mut status = 0;
        // SAFETY: a zeroed rusage is a valid out-parameter, filled by wait4.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4 on our own child's pid, with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            let elapsed = start.elapsed();
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            return Ran {
                code,
                stdout: lossy(&out_t.join().expect("stdout thread")),
                stderr: lossy(&err_t.join().expect("stderr thread")),
                elapsed,
                max_rss_kb: usage.ru_maxrss,
            };
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {secs} s (a hang)");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(s(p)).expect("no NUL");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

// ---------------------------------------------------------------------------------------
// 1. The -o overwrite check reads at most a header, never a device

#[test]
fn out_onto_a_large_file_reads_only_its_head() {
    let (home, _file, f) = setup();
    let big = home.path().join("big.md");
    // 1 GB, sparse: costs no disk, but reading it whole costs 1 GB of memory and seconds.
    std::fs::File::create(&big)
        .expect("create")
        .set_len(1 << 30)
        .expect("set_len");
    let mut cmd = stackmap(home.path());
    cmd.args(["report", &f, "-o", s(&big)]);
    let ran = bounded(cmd, 60, "report -o onto a 1 GB file");
    eprintln!(
        "report -o onto a 1 GB file: {:?}, peak memory {} MB",
        ran.elapsed,
        ran.max_rss_kb / 1024
    );
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        ran.max_rss_kb < 200 * 1024,
        "peak memory {} MB: the target was read whole",
        ran.max_rss_kb / 1024
    );
    assert!(
        ran.elapsed < Duration::from_secs(5),
        "took {:?}: the target was read whole",
        ran.elapsed
    );
    assert!(
        std::fs::metadata(&big).expect("metadata").len() < 1 << 20,
        "the report replaced the big file"
    );

    // `demo --out` onto a large file that is not the demo: refused after reading at most the
    // demo's length.
    std::fs::File::create(&big)
        .expect("create")
        .set_len(1 << 30)
        .expect("set_len");
    let mut cmd = stackmap(home.path());
    cmd.args(["demo", "--out", s(&big)]);
    let ran = bounded(cmd, 60, "demo --out onto a 1 GB file");
    eprintln!(
        "demo --out onto a 1 GB file: {:?}, peak memory {} MB",
        ran.elapsed,
        ran.max_rss_kb / 1024
    );
    assert_eq!(ran.code, Some(2), "{}", ran.stderr);
    assert!(ran.stderr.contains("differs from the shipped demo"));
    assert!(ran.max_rss_kb < 200 * 1024, "{} MB", ran.max_rss_kb / 1024);
    assert!(ran.elapsed < Duration::from_secs(5), "{:?}", ran.elapsed);
}

#[test]
fn out_onto_devices_and_a_fifo_finishes_at_once() {
    let (home, _file, f) = setup();
    // /dev/full: the write fails with "no space", at once, exit 2, and it stays a device.
    for args in [
        vec!["report", &f, "-o", "/dev/full"],
        vec!["report", &f, "-o", "/dev/full", "--force"],
        vec!["demo", "--out", "/dev/full", "--force"],
    ] {
        let mut cmd = stackmap(home.path());
        cmd.args(&args);
        let ran = bounded(cmd, 30, &args.join(" "));
        eprintln!("{}: {:?}", args.join(" "), ran.elapsed);
        assert_eq!(ran.code, Some(2), "{}", ran.stderr);
        assert!(ran.stderr.contains("No space left"), "{}", ran.stderr);
        assert!(ran.max_rss_kb < 200 * 1024);
    }
    // A node with /dev/zero's numbers (1,5) made with mknod (CI runs as root): written as a
    // stream, never read (reading it would never end).
    let zero = home.path().join("zero.md");
    let c = std::ffi::CString::new(s(&zero)).expect("no NUL");
    // SAFETY: a valid path; makedev(1, 5) is /dev/zero's device number.
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 5)) };
    if made == 0 {
        for args in [
            vec!["report", &f, "-o", s(&zero)],
            vec!["demo", "--out", s(&zero)],
        ] {
            let mut cmd = stackmap(home.path());
            cmd.args(&args);
            let ran = bounded(cmd, 30, &args.join(" "));
            eprintln!("{} (a /dev/zero node): {:?}", args[0], ran.elapsed);
            assert_eq!(ran.code, Some(0), "{}", ran.stderr);
            assert!(ran.max_rss_kb < 200 * 1024);
        }
    } else {
        eprintln!("mknod not permitted here: the /dev/zero node case is skipped");
    }
    // A FIFO with a reader: the report streams through it.
    let fifo = home.path().join("pipe.md");
    mkfifo(&fifo);
    let path = fifo.clone();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::fs::File::open(&path).and_then(|mut r| r.read_to_end(&mut v));
        v
    });
    let mut cmd = stackmap(home.path());
    cmd.args(["report", &f, "-o", s(&fifo)]);
    let ran = bounded(cmd, 30, "report -o FIFO");
    eprintln!("report -o FIFO: {:?}", ran.elapsed);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let got = reader.join().expect("reader");
    assert!(lossy(&got).contains("Northwind") || !got.is_empty());
}

// ---------------------------------------------------------------------------------------
// 2. A FIFO named *.toml never hangs a folder scan

#[test]
fn a_fifo_in_the_snapshots_folder_is_skipped_and_named() {
    let (home, file, f) = setup();
    let mut cmd = stackmap(home.path());
    cmd.args(["snapshot", &f, "--label", "first"]);
    let ran = bounded(cmd, 60, "snapshot");
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let dir = file.with_file_name("northwind.snapshots");
    mkfifo(&dir.join("evil.toml"));
    for args in [
        vec!["snapshots", f.as_str()],
        vec!["snapshot", f.as_str(), "--label", "second"],
    ] {
        let mut cmd = stackmap(home.path());
        cmd.args(&args);
        let ran = bounded(cmd, 30, &args.join(" "));
        assert_eq!(ran.code, Some(0), "{}: {}", args.join(" "), ran.stderr);
        if args[0] == "snapshots" {
            assert!(ran.stdout.contains("first"), "{}", ran.stdout);
            assert!(
                ran.stderr.contains("evil.toml")
                    && ran.stderr.contains("a FIFO, not a regular file"),
                "{}",
                ran.stderr
            );
        }
    }
    let at = format!("{f}@first");
    let mut cmd = stackmap(home.path());
    cmd.args(["diff", &at, &f]);
    let ran = bounded(cmd, 30, "diff FILE@first FILE");
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
}

#[test]
fn a_fifo_in_the_data_folder_is_skipped_by_the_home_list() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().to_path_buf();
    std::fs::copy(
        "tests/fixtures/valid/assessment.toml",
        data.join("northwind.toml"),
    )
    .expect("copy");
    mkfifo(&data.join("evil.toml"));
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = data.clone();
    std::thread::spawn(move || {
        let content = common::content();
        let got = stackmap::workspace::recent_and_skipped(&dir, content, 20);
        let _ = tx.send((got.0.len(), got.1));
    });
    let (found, skipped) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the home list hangs on a FIFO");
    assert_eq!(found, 1);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].contains("evil.toml") && skipped[0].contains("a FIFO"));
}

// ---------------------------------------------------------------------------------------
// 4. No Mermaid directive through a name

/// The fixture with the first system's name replaced.
fn with_system_name(file: &Path, name: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    let escaped = name
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    let text = text.replacen(
        "name = \"Shopify Plus\"",
        &format!("name = \"{escaped}\""),
        1,
    );
    assert!(
        text.contains(&escaped),
        "the fixture's first system is Shopify Plus"
    );
    std::fs::write(file, text).expect("write");
}

/// A check of the Mermaid flowchart grammar stackmap writes (docs/RELIABILITY.md, section 3):
/// every line is one of the statements below, every label is a quoted string holding no `"`,
/// no `%`, no `{` or `}`, no raw `<`/`>` except the `<br/><small>…</small>` stackmap adds, and
/// every `#` starts an entity (`#quot;`, `#35;`). Mermaid finds `%%{…}%%` directives anywhere in
/// the text before it parses, so `%%` must not appear at all.
fn check_mermaid(doc: &str) -> Result<(), String> {
    if doc.contains("%%") {
        return Err("`%%` in the output: Mermaid reads a directive or comment there".into());
    }
    let label_ok = |l: &str| -> Result<(), String> {
        let inner = l.replace("<br/><small>", "").replace("</small>", "");
        if let Some(c) = inner
            .chars()
            .find(|c| matches!(c, '"' | '%' | '{' | '}' | '<' | '>' | '\n' | '`'))
        {
            return Err(format!("label {l:?} holds {c:?}"));
        }
        let mut rest = inner.as_str();
        while let Some(i) = rest.find('#') {
            let after = &rest[i + 1..];
            let end = after
                .find(';')
                .ok_or(format!("label {l:?}: `#` without `;`"))?;
            if end == 0 || !after[..end].chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!("label {l:?}: `#` is not an entity"));
            }
            rest = &after[end + 1..];
        }
        Ok(())
    };
    let quoted = |s: &str, open: &str, close: &str| -> Option<String> {
        s.strip_prefix(open)?
            .strip_suffix(close)
            .map(str::to_string)
    };
    for (n, line) in doc.lines().enumerate() {
        let t = line.trim();
        let ok = if n == 0 {
            (t == "flowchart LR")
                .then_some(())
                .ok_or("first line".to_string())
        } else if t == "end" {
            Ok(())
        } else if let Some(rest) = t.strip_prefix("subgraph c_") {
            let (id, label) = rest.split_once('[').ok_or("subgraph without label")?;
            if !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
            {
                return Err(format!("line {}: subgraph id {id:?}", n + 1));
            }
            let label = quoted(&format!("[{label}"), "[\"", "\"]").ok_or("subgraph label")?;
            label_ok(&label)
        } else if t.starts_with("style s") || t.starts_with("linkStyle ") {
            t.chars()
                .all(|c| c.is_ascii_alphanumeric() || " :,#-.".contains(c))
                .then_some(())
                .ok_or(format!("line {}: style {t:?}", n + 1))
        } else if let Some(rest) = t.strip_prefix('s') {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let rest = &rest[digits.len()..];
            if digits.is_empty() {
                return Err(format!("line {}: {t:?}", n + 1));
            }
            if let Some(label) = quoted(rest, "[\"", "\"]") {
                label_ok(&label)
            } else {
                let rest = rest
                    .strip_prefix(" -->|\"")
                    .or_else(|| rest.strip_prefix(" -.->|\""))
                    .ok_or(format!("line {}: {t:?}", n + 1))?;
                let (label, to) = rest
                    .split_once("\"| s")
                    .ok_or(format!("line {}: edge", n + 1))?;
                if to.is_empty() || !to.chars().all(|c| c.is_ascii_digit()) {
                    return Err(format!("line {}: edge target {to:?}", n + 1));
                }
                label_ok(label)
            }
        } else {
            Err(format!(
                "line {}: not a statement stackmap writes: {t:?}",
                n + 1
            ))
        };
        ok.map_err(|e| format!("line {}: {e}", n + 1))?;
    }
    Ok(())
}

#[test]
fn no_mermaid_directive_or_statement_passes_through_a_name() {
    let hostile = [
        "%%{init: {\"theme\": \"dark\", \"themeCSS\": \"@import url(https://evil.example/x.css)\", \"flowchart\": {\"htmlLabels\": true}}}%%",
        "Shop %%{ init: { 'theme':'forest' } }%% Plus",
        "%% a comment",
        "x\"]\n  click s0 href \"javascript:alert(1)\"\n  s9[\"y",
        "}%%{wrap}%%",
        "# not an entity & <b>bold</b> `code` |pipe|",
        "end",
    ];
    for name in hostile {
        let (home, file, f) = setup();
        with_system_name(&file, name);
        let out = common::run(home.path(), &["map", &f, "--format", "mermaid"]);
        assert!(out.status.success(), "{}", lossy(&out.stderr));
        let doc = lossy(&out.stdout);
        if let Err(e) = check_mermaid(&doc) {
            panic!("name {name:?} broke the Mermaid grammar: {e}\n{doc}");
        }
    }
    // The grammar check itself refuses what it must.
    assert!(check_mermaid("flowchart LR\n  s0[\"%%{init: {}}%%\"]\n").is_err());
    assert!(check_mermaid("flowchart LR\n  s0[\"a\"]\n  click s0 call x()\n").is_err());
}

// ---------------------------------------------------------------------------------------
// 6. Entities are shown as typed

#[test]
fn an_entity_in_a_name_is_shown_as_typed_in_markdown_html_and_dot() {
    let (home, file, f) = setup();
    with_system_name(&file, "&amp; &lt;");
    let md = common::run(home.path(), &["report", &f, "--format", "md"]);
    assert!(md.status.success());
    let md = lossy(&md.stdout);
    assert!(md.contains("\\&amp; \\&lt;"), "Markdown leaves `&` live");
    // The HTML report is that Markdown rendered by pulldown-cmark, as a viewer renders it: the
    // text reads "&amp; &lt;", not "& <".
    let report = common::run(home.path(), &["report", &f, "--format", "html"]);
    let report = lossy(&report.stdout);
    assert!(report.contains("&amp;amp; &amp;lt;"));
    assert!(!report.contains(">&amp; &lt;<"));
    let dot = common::run(home.path(), &["map", &f, "--format", "dot"]);
    let dot = lossy(&dot.stdout);
    assert!(
        dot.contains("&amp;amp; &amp;lt;"),
        "DOT leaves `&` live:\n{dot}"
    );
    // Through Graphviz when it is installed (CI installs it): the SVG text reads "&amp; &lt;".
    if let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(dot.as_bytes())
            .expect("write");
        let svg = lossy(&child.wait_with_output().expect("dot runs").stdout);
        assert!(
            svg.contains(">&amp;amp; &amp;lt;<"),
            "the SVG shows the entity decoded"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 7. show_if cycles across questionnaires

fn questionnaire(id: &str, other: &str) -> String {
    format!(
        r#"schema = 1
kind = "questionnaire"
id = "{id}"
title = "Reads the other"
version = 1
scope = "engagement"
dimension = "ownership"

[[section]]
id = "s"
title = "S"

[[section.question]]
id = "first"
prompt = "Asked first"
kind = "yes_no"

[[section.question]]
id = "q"
prompt = "Asked only when the other questionnaire's question is yes"
kind = "yes_no"
show_if = {{ questionnaire = "{other}", question = "q", is = "yes" }}
"#
    )
}

#[test]
fn show_if_cycles_across_questionnaires_are_refused_and_named() {
    let home = tempfile::tempdir().expect("tempdir");
    let a = home.path().join("t-cycle-a.toml");
    let b = home.path().join("t-cycle-b.toml");
    std::fs::write(&a, questionnaire("t-cycle-a", "t-cycle-b")).expect("write");
    std::fs::write(&b, questionnaire("t-cycle-b", "t-cycle-a")).expect("write");
    let out = common::run(home.path(), &["check", s(&a), s(&b)]);
    let err = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("t-cycle-a.toml:22:")
            && err.contains("cycle across questionnaires: t-cycle-a/q → t-cycle-b/q → t-cycle-a/q")
            && err.contains("remove one of these conditions"),
        "{err}"
    );
    assert_eq!(
        err.matches("cycle across").count(),
        1,
        "reported once: {err}"
    );
    // A reference one way only is fine.
    std::fs::write(
        &b,
        questionnaire("t-cycle-b", "t-cycle-a").replace("question = \"q\"", "question = \"first\""),
    )
    .expect("write");
    let out = common::run(home.path(), &["check", s(&a), s(&b)]);
    assert!(out.status.success(), "{}", lossy(&out.stderr));
}

// ---------------------------------------------------------------------------------------
// 8. Weights, boosts and scores: zero or normal numbers

#[test]
fn subnormal_weights_boosts_and_scores_are_refused_with_the_place() {
    let home = tempfile::tempdir().expect("tempdir");
    let profile = std::fs::read_to_string("profiles/full-discovery.toml").expect("read");
    for (from, to, what) in [
        (
            "ownership = 1.0",
            "ownership = 5e-324",
            "a dimension weight",
        ),
        (
            "duplicate-creates = 1.5",
            "duplicate-creates = 5e-324",
            "a finding boost",
        ),
    ] {
        assert!(profile.contains(from));
        let p = home.path().join("p.toml");
        std::fs::write(&p, profile.replacen(from, to, 1)).expect("write");
        let out = common::run(home.path(), &["check", s(&p)]);
        let err = lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(&format!("{what} ")), "{err}");
        assert!(err.contains("5e-324"), "{err}");
        assert!(
            !err.contains("0.0000000000"),
            "the number printed in full: {err}"
        );
    }
    // An option score in a questionnaire.
    let q = questionnaire("t-score", "t-score")
        .replace(
            "kind = \"yes_no\"\nshow_if = { questionnaire = \"t-score\", question = \"q\", is = \"yes\" }",
            "kind = \"single\"\noptions = [{ id = \"a\", label = \"A\", score = 5e-324 }, { id = \"b\", label = \"B\", score = 1 }]",
        );
    let p = home.path().join("t-score.toml");
    std::fs::write(&p, q).expect("write");
    let out = common::run(home.path(), &["check", s(&p)]);
    let err = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("option `score` is 5e-324, too small"), "{err}");
    assert!(err.contains("t-score.toml:2"), "located: {err}");
}

// ---------------------------------------------------------------------------------------
// 9. No leftovers in the snapshots folder

#[test]
fn a_snapshot_killed_mid_write_leaves_nothing_the_next_one_does_not_clean() {
    let (home, file, f) = setup();
    let dir = file.with_file_name("northwind.snapshots");
    std::fs::create_dir_all(&dir).expect("mkdir");
    // What a snapshot killed between its write and its link leaves (`write_new`'s name).
    let leftover = dir.join(".before.toml.Ab12Cd");
    std::fs::write(&leftover, "half a snapshot").expect("write");
    let keep = [dir.join(".notes.txt"), dir.join(".x.toml.too-long-suffix")];
    for k in &keep {
        std::fs::write(k, "not ours").expect("write");
    }
    let mut cmd = stackmap(home.path());
    cmd.args(["snapshot", &f, "--label", "after"]);
    let ran = bounded(cmd, 60, "snapshot");
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        !leftover.exists(),
        "the leftover of a killed snapshot is still there"
    );
    for k in &keep {
        assert!(k.exists(), "{} was removed", k.display());
    }
    assert!(dir.join(".snapshots.lock").exists());
}

// ---------------------------------------------------------------------------------------
// 10. Messages that say what is wrong and what to do

#[test]
fn a_snapshots_folder_that_is_a_file_is_named_with_what_to_do() {
    let (home, file, f) = setup();
    let not_a_folder = file.with_file_name("northwind.snapshots");
    std::fs::write(&not_a_folder, "x").expect("write");
    for args in [
        vec!["snapshot", f.as_str(), "--label", "x"],
        vec!["snapshots", f.as_str()],
    ] {
        let out = common::run(home.path(), &args);
        let err = lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", args[0]);
        assert!(
            err.contains("northwind.snapshots is a regular file, not a folder")
                && err.contains("mv "),
            "{}: {err}",
            args[0]
        );
        assert!(!err.contains("os error 17"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&not_a_folder).expect("read"), "x");
}

#[test]
fn an_empty_stackmap_home_says_so() {
    let out = Command::new(env!("CARGO_BIN_EXE_stackmap"))
        .args(["list", "questionnaires"])
        .env("STACKMAP_HOME", "")
        .output()
        .expect("runs");
    let err = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("STACKMAP_HOME is set but empty") && err.contains("unset STACKMAP_HOME"),
        "{err}"
    );
    assert!(!err.contains("--home <DIR>"), "{err}");
}

/// The fixture with the first answer's `at` or the number answer's value replaced.
fn check_with(replace: &str, with: &str) -> String {
    let (home, file, f) = setup();
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains(replace));
    std::fs::write(&file, text.replacen(replace, with, 1)).expect("write");
    let out = common::run(home.path(), &["check", &f]);
    assert_eq!(out.status.code(), Some(2));
    lossy(&out.stderr)
}

#[test]
fn a_leap_second_is_named_as_one() {
    let err = check_with("at = 2026-11-02T10:15:00Z", "at = 2026-12-31T23:59:60Z");
    assert!(
        err.contains("is a leap second") && err.contains("23:59:59"),
        "{err}"
    );
    assert!(
        !err.contains("needs a date, a time and a UTC offset"),
        "{err}"
    );
}

#[test]
fn nan_and_huge_numbers_get_plain_messages() {
    let err = check_with("value = 85.5", "value = nan");
    assert!(
        err.contains("cannot take `nan`") && err.contains("give a finite number, such as 12"),
        "{err}"
    );
    assert!(!err.contains("the value is a number"), "{err}");
    let err = check_with("value = 85.5", "value = -1e308");
    assert!(err.contains("-1e308 is below"), "{err}");
    assert!(err.len() < 300, "a number printed in full: {err}");
}

#[test]
fn a_latin1_csv_names_the_cell_and_how_to_convert_it() {
    let (home, _file, f) = setup();
    let csv = home.path().join("systems.csv");
    std::fs::write(&csv, b"id,name,category\nerp,Caf\xe9 ERP,erp\n").expect("write");
    let out = common::run(
        home.path(),
        &["import", &f, "--systems", s(&csv), "--dry-run"],
    );
    let err = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("systems.csv:2:8:"), "{err}");
    assert!(
        err.contains("byte 0xE9 in column `name`, cell `Caf")
            && err.contains("CSV UTF-8")
            && err.contains("iconv"),
        "{err}"
    );
}

#[test]
fn a_duplicate_key_is_named() {
    let (home, file, f) = setup();
    let text = std::fs::read_to_string(&file).expect("read");
    let text = text.replacen(
        "name = \"Shopify Plus\"",
        "name = \"Shopify Plus\"\nname = \"Again\"",
        1,
    );
    std::fs::write(&file, text).expect("write");
    let out = common::run(home.path(), &["check", &f]);
    let err = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("duplicate key `name`"), "{err}");
    assert!(err.contains("keep one of the two"), "{err}");
}

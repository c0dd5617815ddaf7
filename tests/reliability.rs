//! Inputs that must not break stackmap: files too large or nested too deeply, schema versions
//! it does not read, damaged snapshots and profiles, devices in place of files, and running
//! without a terminal. Each is refused with a clear message and exit code 2, never a panic,
//! a stack overflow or a hang.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{content, lossy, run, stackmap};
use proptest::prelude::*;
use stackmap::content::{Content, ContentFile};
use stackmap::diag::Sink;
use stackmap::load::{self, MAX_FILE_BYTES, Parsed};
use stackmap::model::Source;
use stackmap::vocab::FileKind;

/// Parses and validates `text` as a file of `kind`, the way the commands do; the diagnostics.
fn load_as(kind: FileKind, text: &str) -> Vec<String> {
    let mut sink = Sink::new("mem.toml", text);
    match load::parse(text, Some(kind), &mut sink) {
        Some(Parsed::Assessment(raw)) => {
            stackmap::validate::assessment::assessment(raw, content(), &mut sink);
        }
        Some(Parsed::Snapshot(raw)) => {
            stackmap::validate::snapshot::snapshot(raw, Path::new("mem.toml"), &mut sink);
        }
        Some(Parsed::Questionnaire(_) | Parsed::Profile(_)) => {
            // Over the shipped content, replacing the file of the same id.
            let mut files = stackmap::content::embedded();
            files.push(ContentFile {
                source: Source::File("mem.toml".into()),
                text: text.to_string(),
                layer: 3,
                expect: Some(kind),
            });
            let (_, diags) = Content::build(&files);
            sink.diagnostics.extend(diags);
        }
        None => {}
    }
    sink.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// The file with its header's `schema` value (the first line that sets it) replaced.
fn with_schema(text: &str, value: &str) -> String {
    let start = if text.starts_with("schema = ") {
        0
    } else {
        text.find("\nschema = ").expect("a schema line") + 1
    };
    let end = start + text[start..].find('\n').expect("a line");
    format!("{}schema = {value}{}", &text[..start], &text[end..])
}

const KINDS: [(FileKind, &str); 4] = [
    (FileKind::Questionnaire, "questionnaire"),
    (FileKind::Profile, "profile"),
    (FileKind::Assessment, "assessment"),
    (FileKind::Snapshot, "snapshot"),
];

/// A valid file of each kind: the shipped questionnaire and profile, the fixture assessment
/// and a snapshot taken of it.
fn valid(kind: FileKind) -> &'static str {
    static SNAPSHOT: OnceLock<String> = OnceLock::new();
    match kind {
        FileKind::Questionnaire => include_str!("../questionnaires/flow-contract.toml"),
        FileKind::Profile => include_str!("../profiles/full-discovery.toml"),
        FileKind::Assessment => include_str!("fixtures/valid/assessment.toml"),
        FileKind::Snapshot => SNAPSHOT.get_or_init(|| {
            let home = tempfile::tempdir().expect("tempdir");
            let file = home.path().join("a.toml");
            std::fs::copy("tests/fixtures/valid/assessment.toml", &file).expect("copy");
            let out = run(
                home.path(),
                &["snapshot", file.to_str().expect("utf-8"), "--label", "w1"],
            );
            assert!(out.status.success(), "{}", lossy(&out.stderr));
            let path = PathBuf::from(lossy(&out.stdout).trim().rsplit(' ').next().unwrap_or(""));
            let path = if path.is_file() {
                path
            } else {
                std::fs::read_dir(home.path().join("a.snapshots"))
                    .expect("snapshot folder")
                    .next()
                    .expect("one snapshot")
                    .expect("entry")
                    .path()
            };
            std::fs::read_to_string(path).expect("read")
        }),
    }
}

#[test]
fn the_valid_file_of_each_kind_loads_clean() {
    for (kind, name) in KINDS {
        assert_eq!(load_as(kind, valid(kind)), Vec::<String>::new(), "{name}");
    }
}

// ---------------------------------------------------------------------------------------
// Size and depth

#[test]
fn files_over_the_size_limit_are_refused_before_parsing() {
    // In memory: the loader's own check.
    let big = format!(
        "schema = 1\nkind = \"assessment\"\n#{}\n",
        "x".repeat(MAX_FILE_BYTES)
    );
    let d = load_as(FileKind::Assessment, &big);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("over the limit of 67108864 bytes"), "{d:?}");
    // On disk: refused from the file's size, without reading it (a sparse file).
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("huge.toml");
    std::fs::File::create(&file)
        .expect("create")
        .set_len(MAX_FILE_BYTES as u64 + 1)
        .expect("set_len");
    for args in [
        vec!["check", file.to_str().expect("utf-8")],
        vec!["score", file.to_str().expect("utf-8")],
    ] {
        let out = run(home.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            lossy(&out.stdout).contains("over the limit")
                || lossy(&out.stderr).contains("over the limit"),
            "{args:?}: {}",
            lossy(&out.stderr)
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_device_with_no_end_is_refused_not_read_forever() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut child = stackmap(home.path())
        .args(["check", "/dev/zero"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`stackmap check /dev/zero` still reading after 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    assert_eq!(out.status.code(), Some(2));
    let said = format!("{}{}", lossy(&out.stdout), lossy(&out.stderr));
    assert!(said.contains("over the limit"), "{said}");
}

/// Nesting `depth` deep, four ways: arrays, inline tables, dotted keys and a table header.
fn nested(depth: usize) -> Vec<(&'static str, String)> {
    let head = "schema = 1\nkind = \"assessment\"\n";
    vec![
        (
            "arrays",
            format!("{head}a = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "inline tables",
            format!(
                "{head}a = {}1{}\n",
                "{b = ".repeat(depth),
                "}".repeat(depth)
            ),
        ),
        (
            "dotted keys",
            format!("{head}{} = 1\n", vec!["a"; depth].join(".")),
        ),
        (
            "table header",
            format!("{head}[{}]\n", vec!["a"; depth].join(".")),
        ),
        (
            "array of tables in arrays",
            format!("{head}a = {}{{}}{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
    ]
}

#[test]
fn deeply_nested_input_is_refused_with_a_message_not_a_stack_overflow() {
    // In a thread with the 2 MiB stack Rust gives spawned threads (`diff` loads its two sides
    // on such threads; a main thread has 8 MiB), in an unoptimised build: a recursive parser or
    // walk that followed the nesting would overflow it.
    let refused = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let mut refused = 0;
            for depth in [200, 10_000, 100_000] {
                for (what, text) in nested(depth) {
                    for (kind, name) in KINDS {
                        let text = text.replace("\"assessment\"", &format!("\"{name}\""));
                        let d = load_as(kind, &text);
                        assert!(
                            d.iter().any(|m| m.contains("nested too deeply")),
                            "{what} {depth} deep as {name}: {d:?}"
                        );
                        refused += 1;
                    }
                }
            }
            refused
        })
        .expect("spawns")
        .join()
        .expect("no stack overflow, no panic");
    // Through the binary as well.
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("deep.toml");
    for (what, text) in nested(10_000) {
        std::fs::write(&file, text).expect("write");
        let out = run(home.path(), &["check", file.to_str().expect("utf-8")]);
        assert_eq!(out.status.code(), Some(2), "{what}");
        let said = format!("{}{}", lossy(&out.stdout), lossy(&out.stderr));
        assert!(said.contains("nested too deeply"), "{what}: {said}");
    }
    eprintln!("depth: {refused} deeply nested inputs refused in memory, 5 through the binary");
}

#[test]
fn nesting_that_real_files_use_still_loads() {
    // The deepest a valid file goes (conditions nest inside conditions) is far below the limit.
    let mut cond = String::from("{ answer = \"change-detection\", in = [\"manual\"] }");
    for _ in 0..12 {
        cond = format!("{{ not = {cond} }}");
    }
    let q = valid(FileKind::Questionnaire).replacen(
        "kind = \"yes_no\"",
        &format!("kind = \"yes_no\"\nshow_if = {cond}"),
        1,
    );
    let d = load_as(FileKind::Questionnaire, &q);
    assert!(d.iter().all(|m| !m.contains("nested too deeply")), "{d:?}");
}

// ---------------------------------------------------------------------------------------
// Schema versions

#[test]
fn newer_schemas_are_refused_naming_both_versions() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut refused = 0;
    for (kind, name) in KINDS {
        let now = stackmap::load::SCHEMA;
        for newer in [now + 1, now + 2, 99, i64::MAX] {
            let text = with_schema(valid(kind), &newer.to_string());
            let d = load_as(kind, &text);
            assert_eq!(d.len(), 1, "{name} {newer}: {d:?}");
            assert!(
                d[0].contains(&format!(
                    "this file has schema {newer}, this build reads schema {now}"
                )),
                "{name} {newer}: {d:?}"
            );
            refused += 1;
        }
    }
    // A newer assessment is left as it is by every command that would write it.
    let file = home.path().join("newer.toml");
    let newer = stackmap::load::SCHEMA + 1;
    let text = valid(FileKind::Assessment).replacen("schema = 1", &format!("schema = {newer}"), 1);
    std::fs::write(&file, &text).expect("write");
    let f = file.to_str().expect("utf-8");
    for args in [
        vec!["check", f],
        vec!["score", f],
        vec![
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "stock-to-shop",
            "--question",
            "schema",
            "--unknown",
        ],
        vec!["snapshot", f, "--label", "x"],
    ] {
        let out = run(home.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = format!("{}{}", lossy(&out.stdout), lossy(&out.stderr));
        assert!(
            said.contains(&format!("schema {newer}"))
                && said.contains(&format!("schema {}", stackmap::load::SCHEMA)),
            "{args:?}: {said}"
        );
        refused += 1;
    }
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        text,
        "untouched"
    );
    eprintln!("schema: {refused} newer files refused");
}

#[test]
fn schemas_below_one_and_non_integers_are_refused() {
    for (kind, name) in KINDS {
        // The file's own schema in hex (a snapshot is written at the current schema and may
        // use its keys; the fixture assessment is schema 1).
        let own = valid(kind)
            .lines()
            .find_map(|l| l.strip_prefix("schema = "))
            .expect("a schema line");
        let hex = format!("0x{own}");
        for bad in ["0", "-1", "1.0", "\"1\"", "true", "[1]", hex.as_str()] {
            let text = with_schema(valid(kind), bad);
            let d = load_as(kind, &text);
            if bad == hex {
                // Hex is an integer all the same: TOML's business, and a valid header.
                assert!(d.is_empty(), "{name}: {d:?}");
                continue;
            }
            assert_eq!(d.len(), 1, "{name} {bad}: {d:?}");
            assert!(
                d[0].contains(&format!(
                    "`schema` must be a whole number from 1 to {}",
                    stackmap::load::SCHEMA
                )),
                "{name} {bad}: {d:?}"
            );
        }
        let missing = with_schema(valid(kind), "").replacen("schema = \n", "", 1);
        assert!(load_as(kind, &missing)[0].contains("missing `schema`"));
    }
}

// ---------------------------------------------------------------------------------------
// Running without a terminal

#[test]
fn without_a_terminal_the_screen_exits_2_with_a_message() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("a.toml");
    std::fs::copy("tests/fixtures/valid/assessment.toml", &file).expect("copy");
    for args in [vec![], vec!["open", file.to_str().expect("utf-8")]] {
        let out = stackmap(home.path())
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = lossy(&out.stderr);
        assert!(err.contains("needs a terminal"), "{args:?}: {err}");
        assert!(
            err.contains("stackmap answer"),
            "points at the script commands: {err}"
        );
        assert!(out.stdout.is_empty(), "nothing drawn on a pipe");
    }
}

// ---------------------------------------------------------------------------------------
// No input makes a loader panic

/// `text` with bytes `start..start+len` replaced by `insert`, cut at character boundaries.
fn damage(text: &str, start: usize, len: usize, insert: &str) -> String {
    let mut s = start.min(text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = (s + len).min(text.len());
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    format!("{}{}{}", &text[..s], insert, &text[e..])
}

/// Fragments that stress the parser and the validators: headers, quotes, escapes, ids.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "(?s).{0,12}",
        Just("[[".to_string()),
        Just("]]\n".to_string()),
        Just("\"\"\"".to_string()),
        Just("\\u0000".to_string()),
        Just("= [".to_string()),
        Just("\nschema = 2\n".to_string()),
        Just("\nkind = \"snapshot\"\n".to_string()),
        Just("{ not = { not = {} } }".to_string()),
        Just("\n[assessment.engagement]\n".to_string()),
        Just("1e999".to_string()),
        Just("-0".to_string()),
        Just("9999999999999999999999".to_string()),
        Just("\"sha256:\"".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn no_damage_to_a_valid_file_of_any_kind_makes_its_loader_panic(
        which in 0usize..4,
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0usize..60, fragment()), 1..4),
    ) {
        let (kind, _) = KINDS[which];
        let mut text = valid(kind).to_string();
        for (at, len, insert) in &edits {
            let start = at.index(text.len().max(1));
            text = damage(&text, start, *len, insert);
        }
        let _ = load_as(kind, &text);
        // And as a file of unknown kind, the way `check` reads it.
        let mut sink = Sink::new("mem.toml", &text);
        let _ = load::parse(&text, None, &mut sink);
    }
}

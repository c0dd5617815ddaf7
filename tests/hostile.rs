//! Untrusted text: hostile strings in every field a person or a file can fill — stored
//! exactly, and never shown raw. Every output for people (terminal screens, Markdown, HTML,
//! CSV, Mermaid, DOT, plain text, error messages) must hold no C0 control but the line break,
//! no DEL, no C1 control and no bidirectional control; every JSON output must hold none of
//! them raw either, and parse back to the exact original text.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{lossy, stackmap};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use stackmap::model::Assessment;
use stackmap::tui::action::Action;
use stackmap::tui::screens::home::RecentFile;
use stackmap::tui::state::{App, Overlay, Screen, Session};
use stackmap::tui::{keymap, update::update, view};
use stackmap::workspace::{Sources, load_assessment};

/// Each hostile piece on its own: terminal title and clear-screen escapes, the right-to-left
/// override, the one-byte C1 CSI, NUL, DEL, a tab, an isolate, NEL, a lone carriage return and
/// the other bidi marks.
const PIECES: &[&str] = &[
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}[2J",
    "\u{202e}",
    "\u{9b}31m",
    "\u{0}",
    "\u{7f}",
    "\t",
    "\u{2066}",
    "\u{2069}",
    "\u{85}",
    "\r",
    "\u{200f}",
    "\u{61c}",
    "\u{8}",
];

/// A hostile text with a tag to find it by. `argv` leaves out NUL (a command line cannot hold
/// it).
fn hostile(tag: &str, argv: bool) -> String {
    let mut s = format!("{tag}:");
    for p in PIECES {
        if argv && p.contains('\0') {
            continue;
        }
        s.push_str(p);
        s.push('|');
    }
    s.push_str("<script>alert(1)</script>");
    s
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// The raw characters that must not reach a reader: every control but `\n` (and `\r` right
/// before `\n` where the format's line ends are CRLF), and every bidi control.
fn leaks(s: &str, crlf: bool) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut found = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let ok_newline = c == '\n' || (crlf && c == '\r' && chars.get(i + 1) == Some(&'\n'));
        if (c.is_control() && !ok_newline) || is_bidi(c) {
            let from = i.saturating_sub(20);
            let context: String = chars[from..(i + 5).min(chars.len())].iter().collect();
            found.push(format!("U+{:04X} in {context:?}", c as u32));
        }
    }
    found
}

/// A TOML basic string holding `s` exactly.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Replaces the first `key = "…"` line whose value is `old` with the hostile text.
fn poison(text: &str, key: &str, old: &str, new: &str) -> String {
    let from = format!("{key} = \"{old}\"");
    assert!(text.contains(&from), "{from} not found");
    text.replacen(&from, &format!("{key} = {}", toml_str(new)), 1)
}

struct World {
    _home: tempfile::TempDir,
    home: PathBuf,
    file: PathBuf,
    /// The fixture as shipped, for diffs against the hostile file.
    plain: PathBuf,
    qdir: PathBuf,
    pdir: PathBuf,
    /// The note given to `stackmap answer --note`.
    note: String,
    /// Hostile values set in the file itself, by field.
    fields: Vec<(&'static str, String)>,
}

/// A questionnaire and a profile with hostile titles, prompts, help and labels; an assessment
/// with hostile text in every free-text field; a hostile note through `stackmap answer`.
fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().to_path_buf();
    let qdir = home.join("q");
    let pdir = home.join("p");
    std::fs::create_dir_all(&qdir).expect("mkdir");
    std::fs::create_dir_all(&pdir).expect("mkdir");

    let q = std::fs::read_to_string("questionnaires/flow-contract.toml").expect("read");
    let q = poison(
        &q,
        "title",
        "Integration flow: source, contract, failure, owner",
        &hostile("qtitle", false),
    );
    let q = poison(
        &q,
        "prompt",
        "How does this flow notice that the source data changed?",
        &hostile("prompt", false),
    );
    let q = poison(
        &q,
        "help",
        "Where the data comes from and how changes are noticed.",
        &hostile("sechelp", false),
    );
    let q = q.replacen(
        "label = \"Someone exports and uploads a file\"",
        &format!("label = {}", toml_str(&hostile("label", false))),
        1,
    );
    std::fs::write(qdir.join("flow-contract.toml"), q).expect("write");
    let p = std::fs::read_to_string("profiles/full-discovery.toml").expect("read");
    let p = poison(&p, "title", "Full discovery", &hostile("ptitle", false));
    std::fs::write(pdir.join("full-discovery.toml"), p).expect("write");

    let plain = home.join("plain.toml");
    std::fs::copy("tests/fixtures/valid/assessment.toml", &plain).expect("copy");
    let content = sources_for(&qdir, &pdir).content_strict().expect("content");
    let mut a = load_assessment(&plain, &content).expect("fixture loads");
    let fields = poison_assessment(&mut a);
    let file = home.join("hostile.toml");
    std::fs::write(&file, stackmap::save::to_toml(&a)).expect("write");

    let note = hostile("cli-note", true);
    let w = World {
        _home: dir,
        home,
        file,
        plain,
        qdir,
        pdir,
        note,
        fields,
    };
    let out = w
        .cmd()
        .args([
            "answer",
            w.f(),
            "--questionnaire",
            "flow-contract",
            "--subject",
            "stock-to-shop",
            "--question",
            "change-detection",
            "--value",
            "manual",
            "--note",
            &w.note,
            "--evidence",
            &hostile("cli-evidence", true),
            "--by",
            &hostile("cli-by", true),
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    w
}

fn sources_for(qdir: &Path, pdir: &Path) -> Sources {
    Sources {
        dirs: None,
        questionnaire_dirs: vec![qdir.to_path_buf()],
        profile_dirs: vec![pdir.to_path_buf()],
    }
}

fn poison_assessment(a: &mut Assessment) -> Vec<(&'static str, String)> {
    let mut set = Vec::new();
    let mut put = |field: &'static str, slot: &mut String| {
        let v = hostile(field, false);
        *slot = v.clone();
        set.push((field, v));
    };
    put("client", &mut a.engagement.client);
    put("title", &mut a.engagement.title);
    put("assessor", &mut a.engagement.assessor);
    put("summary", &mut a.engagement.summary);
    if let Some(p) = a.engagement.pain_points.first_mut() {
        put("pain", &mut p.text);
    }
    if let Some(p) = a.engagement.initiatives.first_mut() {
        put("initiative", &mut p.text);
    }
    for s in &mut a.systems {
        put("sysname", &mut s.name);
        put("vendor", &mut s.vendor);
        put("team", &mut s.team);
        put("sysnotes", &mut s.notes);
    }
    for f in &mut a.flows {
        put("flowname", &mut f.name);
        put("contract", &mut f.contract);
        put("owner", &mut f.owner);
        put("flownotes", &mut f.notes);
        put("runbook", &mut f.owners.runbook);
    }
    for o in a.ownership.values_mut() {
        put("ownnote", &mut o.note);
    }
    for d in &mut a.decisions {
        put("decowner", &mut d.owner);
        put("decnote", &mut d.note);
        if d.priority.is_some() {
            put("reason", &mut d.priority_reason);
        }
    }
    for x in &mut a.answers {
        put("note", &mut x.note);
        put("by", &mut x.by);
        x.evidence = vec![hostile("evidence", false)];
    }
    set
}

impl World {
    fn f(&self) -> &str {
        self.file.to_str().expect("utf-8")
    }

    fn cmd(&self) -> std::process::Command {
        let mut c = stackmap(&self.home);
        c.arg("--questionnaires")
            .arg(&self.qdir)
            .arg("--profiles")
            .arg(&self.pdir);
        c
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.cmd().args(args).output().expect("runs")
    }
}

/// An output for people: no raw control or bidi character; the tag shows the hostile text was
/// really there (made visible, not dropped).
fn check_people(what: &str, out: &[u8], crlf: bool, tags: &[&str]) -> usize {
    let text = String::from_utf8(out.to_vec()).unwrap_or_else(|_| panic!("{what}: not UTF-8"));
    let l = leaks(&text, crlf);
    assert!(l.is_empty(), "{what} leaks raw characters: {l:?}");
    for t in tags {
        assert!(text.contains(t), "{what}: {t} not shown at all:\n{text}");
    }
    1
}

/// Every string in a JSON value.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                out.push(k.clone());
                strings(x, out);
            }
        }
        _ => {}
    }
}

/// A JSON output: nothing raw (not even inside strings), valid JSON, and each of `exact`
/// found in it as a whole string, byte for byte.
fn check_json(what: &str, out: &[u8], exact: &[&str]) -> usize {
    let text = String::from_utf8(out.to_vec()).unwrap_or_else(|_| panic!("{what}: not UTF-8"));
    let l = leaks(&text, false);
    assert!(l.is_empty(), "{what} leaks raw characters: {l:?}");
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: invalid JSON: {e}"));
    let mut all = Vec::new();
    strings(&v, &mut all);
    for e in exact {
        let tag = e.split(':').next().unwrap_or_default();
        let near: Vec<&String> = all.iter().filter(|s| s.contains(tag)).take(3).collect();
        assert!(
            all.iter().any(|s| s == e),
            "{what}: {e:?} is not in the JSON exactly; near: {near:?}"
        );
    }
    1
}

fn ok(what: &str, out: &std::process::Output) {
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{what}: exit {:?}: {}",
        out.status.code(),
        lossy(&out.stderr)
    );
    let l = leaks(&lossy(&out.stderr), false);
    assert!(l.is_empty(), "{what}: stderr leaks {l:?}");
}

#[test]
fn hostile_text_is_stored_exactly() {
    let w = world();
    let content = sources_for(&w.qdir, &w.pdir)
        .content_strict()
        .expect("content");
    let a = load_assessment(&w.file, &content).expect("loads");
    let x = a
        .answers
        .iter()
        .find(|x| x.question == "change-detection" && x.subject.as_deref() == Some("stock-to-shop"))
        .expect("the answer");
    assert_eq!(x.note, w.note);
    assert_eq!(x.by, hostile("cli-by", true));
    assert_eq!(x.evidence, vec![hostile("cli-evidence", true)]);
    assert_eq!(a.engagement.client, hostile("client", false));
    assert!(
        a.systems
            .iter()
            .all(|s| s.name == hostile("sysname", false))
    );
    // Saved again, the text is the same bytes: the canonical writer escapes, the loader undoes.
    let again = stackmap::save::to_toml(&a);
    assert_eq!(again, std::fs::read_to_string(&w.file).expect("read"));
    assert!(
        leaks(&again, false).is_empty(),
        "the file itself holds escapes"
    );
    for (field, v) in &w.fields {
        assert!(again.contains(&toml_str(v)[1..10]), "{field}");
    }
}

#[test]
fn no_export_shows_hostile_text_raw_and_json_keeps_it_exact() {
    let w = world();
    let f = w.f();
    let mut outputs = 0;
    let client = hostile("client", false);

    // Reports, both audiences.
    for audience in ["client", "internal"] {
        for (format, crlf) in [("md", false), ("html", false), ("csv", true)] {
            let out = w.run(&["report", f, "--format", format, "--audience", audience]);
            ok(&format!("report {format} {audience}"), &out);
            let tags: &[&str] = if format == "csv" {
                &["decowner:"]
            } else {
                &["client:", "sysname:"]
            };
            outputs += check_people(
                &format!("report {format} {audience}"),
                &out.stdout,
                crlf,
                tags,
            );
            let text = lossy(&out.stdout);
            if format == "html" {
                assert!(
                    !text.contains("<script>alert"),
                    "HTML report: markup from text is live"
                );
            }
        }
        let out = w.run(&["report", f, "--format", "json", "--audience", audience]);
        ok(&format!("report json {audience}"), &out);
        outputs += check_json(
            &format!("report json {audience}"),
            &out.stdout,
            &[&client, &hostile("pain", false)],
        );
    }
    for format in ["mermaid", "dot"] {
        let out = w.run(&["map", f, "--format", format]);
        ok(&format!("map {format}"), &out);
        outputs += check_people(&format!("map {format}"), &out.stdout, false, &["sysname:"]);
    }

    // Scores.
    for extra in [&[][..], &["--all-reasons"][..]] {
        let mut args = vec!["score", f];
        args.extend_from_slice(extra);
        let out = w.run(&args);
        ok("score", &out);
        outputs += check_people("score text", &out.stdout, false, &["client:"]);
    }
    let out = w.run(&["score", f, "--format", "json", "--questions"]);
    ok("score json", &out);
    outputs += check_json(
        "score json",
        &out.stdout,
        &[&hostile("decowner", false), &hostile("decnote", false)],
    );

    // Snapshots: a hostile label, listed in text and JSON.
    // Labels refuse controls outright; bidi controls and markup get through to be shown.
    let refused = w.run(&["snapshot", f, "--label", &hostile("label", true)]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "a label with controls is refused"
    );
    let label = "label:\u{202e}rtl\u{2066}iso\u{2069}\u{200f}\u{61c}<i>x</i>".to_string();
    let out = w.run(&["snapshot", f, "--label", &label]);
    ok("snapshot", &out);
    outputs += check_people("snapshot", &out.stdout, false, &[]);
    let out = w.run(&["snapshots", f]);
    ok("snapshots", &out);
    outputs += check_people("snapshots text", &out.stdout, false, &["label:"]);
    let out = w.run(&["snapshots", f, "--format", "json"]);
    ok("snapshots json", &out);
    outputs += check_json("snapshots json", &out.stdout, &[&label]);

    // Diffs: the plain fixture against the hostile file, every format.
    let plain = w.plain.to_str().expect("utf-8");
    for format in ["text", "md"] {
        let out = w.run(&["diff", plain, f, "--format", format]);
        ok(&format!("diff {format}"), &out);
        outputs += check_people(
            &format!("diff {format}"),
            &out.stdout,
            false,
            &["decowner:"],
        );
    }
    let out = w.run(&["diff", plain, f, "--format", "json"]);
    ok("diff json", &out);
    outputs += check_json("diff json", &out.stdout, &[&hostile("decowner", false)]);

    // Lists of content with hostile titles.
    for what in ["questionnaires", "profiles"] {
        let out = w.run(&["list", what]);
        ok(&format!("list {what}"), &out);
        outputs += check_people(&format!("list {what}"), &out.stdout, false, &["title:"]);
        let out = w.run(&["list", what, "--format", "json"]);
        ok(&format!("list {what} json"), &out);
        let want = if what == "profiles" {
            hostile("ptitle", false)
        } else {
            hostile("qtitle", false)
        };
        outputs += check_json(&format!("list {what} json"), &out.stdout, &[&want]);
    }
    let out = w.run(&["check", f]);
    ok("check", &out);
    outputs += check_people("check", &out.stdout, false, &[]);

    // Reports written to a file go the same way.
    let md = w.home.join("r.md");
    let out = w.run(&["report", f, "-o", md.to_str().expect("utf-8")]);
    ok("report -o", &out);
    outputs += check_people(
        "report file",
        &std::fs::read(&md).expect("written"),
        false,
        &["client:"],
    );
    eprintln!(
        "hostile: {} pieces in {} fields, {outputs} outputs checked",
        PIECES.len(),
        w.fields.len() + 3
    );
    assert!(outputs >= 25);
}

#[test]
fn error_messages_show_hostile_input_made_safe() {
    let w = world();
    let f = w.f();
    let bad = hostile("arg", true);
    // Hostile ids on the command line come back in the error message.
    for args in [
        vec![
            "answer",
            f,
            "--questionnaire",
            &bad,
            "--question",
            "x",
            "--value",
            "y",
        ],
        vec![
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            &bad,
            "--question",
            "schema",
            "--value",
            "y",
        ],
        vec![
            "answer",
            f,
            "--questionnaire",
            "flow-contract",
            "--subject",
            "stock-to-shop",
            "--question",
            "schema",
            "--value",
            &bad,
        ],
        vec!["score", f, "--fail-on", &bad],
        vec!["diff", f, &format!("{f}@{bad}")],
        vec!["new", &bad, "--client", &bad, "--profile", &bad],
    ] {
        let out = w.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = lossy(&out.stderr);
        assert!(
            err.contains("arg:"),
            "{args:?}: the input is not named: {err}"
        );
        let l = leaks(&err, false);
        assert!(l.is_empty(), "{args:?}: stderr leaks {l:?}");
    }
    // A file with hostile keys, kinds and ids: every diagnostic made safe, text and JSON.
    let bad_file = w.home.join("bad.toml");
    let text = format!(
        "schema = 1\nkind = \"assessment\"\n{} = 1\n[engagement]\nclient = \"x\"\ntitle = \"y\"\nprofile = {}\n",
        toml_str(&hostile("key", false)),
        toml_str(&hostile("profile", false)),
    );
    std::fs::write(&bad_file, text).expect("write");
    let out = w.run(&["check", bad_file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let shown = format!("{}{}", lossy(&out.stdout), lossy(&out.stderr));
    assert!(shown.contains("key:"), "{shown}");
    assert!(
        leaks(&shown, false).is_empty(),
        "{:?}",
        leaks(&shown, false)
    );
    let out = w.run(&[
        "check",
        bad_file.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let l = leaks(&lossy(&out.stdout), false);
    assert!(l.is_empty(), "check json leaks {l:?}");
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("valid JSON");
    let kind = w.home.join("kind.toml");
    std::fs::write(
        &kind,
        format!("schema = 1\nkind = {}\n", toml_str(&hostile("kind", false))),
    )
    .expect("write");
    let out = w.run(&["check", kind.to_str().expect("utf-8")]);
    let shown = format!("{}{}", lossy(&out.stdout), lossy(&out.stderr));
    assert!(shown.contains("kind:"), "{shown}");
    assert!(
        leaks(&shown, false).is_empty(),
        "{:?}",
        leaks(&shown, false)
    );
}

// ---------------------------------------------------------------------------------------
// The terminal screens

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("valid")
}

fn key(app: &mut App, code: KeyCode) {
    if let Some(a) = keymap::action(app, KeyEvent::new(code, KeyModifiers::NONE)) {
        update(app, a, now());
    }
}

/// The frame as text, and every raw character found in any cell.
fn frame(app: &App, w: u16, h: u16) -> (String, Vec<String>) {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| view::draw(f, app)).expect("draws");
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    let mut bad = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let sym = buf[(x, y)].symbol();
            for c in sym.chars() {
                if c.is_control() || is_bidi(c) {
                    bad.push(format!("U+{:04X} at {x},{y}", c as u32));
                }
            }
            out.push_str(sym);
        }
        out.push('\n');
    }
    (out, bad)
}

#[test]
fn no_screen_shows_hostile_text_raw() {
    let w = world();
    let content = Arc::new(
        sources_for(&w.qdir, &w.pdir)
            .content_strict()
            .expect("content"),
    );
    let a = load_assessment(&w.file, &content).expect("loads");
    let recent = vec![RecentFile {
        path: w.file.clone(),
        client: a.engagement.client.clone(),
        profile: hostile("recent-profile", false),
        updated: hostile("updated", false),
        coverage: 0.5,
    }];
    let mut screens = 0;
    let mut check = |what: &str, app: &App, want: &[&str]| {
        for (wd, h) in [(80, 24), (200, 60)] {
            let (text, bad) = frame(app, wd, h);
            assert!(bad.is_empty(), "{what} {wd}x{h}: raw {bad:?}\n{text}");
            if wd == 200 {
                for t in want {
                    assert!(text.contains(t), "{what}: {t} not shown:\n{text}");
                }
            }
            screens += 1;
        }
    };

    let mut app = App::new(content.clone(), recent, true);
    check("home", &app, &["client:␛]0;pwned␇"]);
    // The new-assessment form lists the profiles, the hostile title among them.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::New(_))));
    for c in hostile("typed", true).chars() {
        if !c.is_control() {
            key(&mut app, KeyCode::Char(c));
        }
    }
    check("new form", &app, &[]);
    key(&mut app, KeyCode::Esc);

    let session = Session::new(
        &content,
        w.file.clone(),
        a,
        hostile("assessor", false),
        false,
    )
    .expect("profile in force");
    update(&mut app, Action::Opened(Box::new(session)), now());
    update(&mut app, Action::Resize(200, 60), now());
    update(&mut app, Action::Failed(hostile("status", false)), now());
    check("interview", &app, &["client:"]);
    // The question with the hostile prompt, options and the CLI note.
    let s = app.session.as_mut().expect("open");
    let at = s
        .asked
        .iter()
        .position(|&i| {
            let q = &s.eval.questions[i];
            &*q.question == "change-detection" && q.subject.as_deref() == Some("stock-to-shop")
        })
        .expect("asked");
    s.cursor = at;
    check(
        "interview at the hostile question",
        &app,
        &["prompt:␛", "label:␛", "cli-note:␛]0;pwned␇"],
    );
    key(&mut app, KeyCode::Char('?'));
    check("help", &app, &[]);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('e'));
    assert!(matches!(app.overlay, Some(Overlay::Note(_))), "note open");
    check("note editor", &app, &["cli-note:"]);
    key(&mut app, KeyCode::Esc);
    // The palette, searching for the hostile prompt.
    let ev = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL);
    if let Some(a) = keymap::action(&app, ev) {
        update(&mut app, a, now());
    }
    for c in "prompt".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    check("palette", &app, &["prompt:"]);
    key(&mut app, KeyCode::Esc);
    update(&mut app, Action::Conflict, now());
    check("conflict dialog", &app, &[]);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('S'));
    for c in hostile("snap", true).chars() {
        if !c.is_control() {
            key(&mut app, KeyCode::Char(c));
        }
    }
    check("snapshot label", &app, &[]);
    key(&mut app, KeyCode::Esc);

    // Every other screen, in tab order, with the overlays each opens.
    let go = |app: &mut App, screen: Screen| {
        for _ in 0..Screen::TABS.len() {
            if app.screen == screen {
                return;
            }
            key(app, KeyCode::Tab);
        }
        assert_eq!(app.screen, screen);
    };
    go(&mut app, Screen::Inventory);
    for part in 0..5 {
        check("inventory", &app, &[]);
        if part < 4 {
            key(&mut app, KeyCode::Char('e'));
            check("inventory form", &app, &[]);
            key(&mut app, KeyCode::Esc);
            key(&mut app, KeyCode::Char('d'));
            check("delete dialog", &app, &[]);
            key(&mut app, KeyCode::Char('n'));
        }
        key(&mut app, KeyCode::Right);
    }
    // An import refused over a hostile file name and row.
    let bad = format!("name,category\n{},nonsense\n", hostile("csv-name", true));
    update(
        &mut app,
        Action::ImportRead(vec![(false, hostile("csv-path", false), bad)]),
        now(),
    );
    check("import refused", &app, &[]);
    key(&mut app, KeyCode::Esc);
    go(&mut app, Screen::Ownership);
    check("ownership", &app, &[]);
    key(&mut app, KeyCode::Char('v'));
    check("ownership to-be", &app, &[]);
    go(&mut app, Screen::Results);
    for _ in 0..5 {
        check("results", &app, &[]);
        key(&mut app, KeyCode::Right);
    }
    go(&mut app, Screen::Decisions);
    check("decisions", &app, &[]);
    for _ in 0..4 {
        key(&mut app, KeyCode::Enter);
        check("decision reasons", &app, &[]);
    }
    key(&mut app, KeyCode::Char('s'));
    check("roadmap", &app, &[]);
    key(&mut app, KeyCode::Char('s'));
    go(&mut app, Screen::Vendors);
    check("vendors", &app, &[]);
    go(&mut app, Screen::Map);
    check("map drawing", &app, &[]);
    key(&mut app, KeyCode::Char('v'));
    check("map boxes", &app, &[]);
    // A snapshot under a hostile label, then the snapshots screen and its diff.
    stackmap::snapshot::take_file(
        &sources_for(&w.qdir, &w.pdir),
        &w.file,
        // Labels refuse controls; bidirectional overrides are not controls and get through.
        "week \u{202e}1\u{2066} \u{200f}x",
        now(),
    )
    .expect("snapshot taken");
    go(&mut app, Screen::Snapshots);
    let (entries, skipped) = stackmap::tui::snapshot_entries(&w.file);
    assert!(!entries.is_empty());
    update(&mut app, Action::SnapshotsListed(entries, skipped), now());
    check("snapshots", &app, &[]);
    key(&mut app, KeyCode::Enter);
    check("snapshot diff", &app, &[]);
    eprintln!("hostile: {screens} screens checked");
}

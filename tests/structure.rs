//! The shape of the code, held by tests (docs/ARCHITECTURE.md): the core never touches the
//! terminal, and the screens call downward only.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).expect("readable source");
            (p.to_string_lossy().replace('\\', "/"), text)
        })
        .collect()
}

/// The code of a file without its comments (a doc comment may name a crate).
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn only_the_terminal_ui_and_main_touch_the_terminal() {
    let files = sources();
    assert!(files.len() > 30, "the source tree was found");
    let mut offenders = Vec::new();
    for (path, text) in &files {
        if path.starts_with("src/tui/") || path == "src/main.rs" {
            continue;
        }
        let code = code(text);
        if code.contains("ratatui") || code.contains("crossterm") {
            offenders.push(path.clone());
        }
    }
    assert!(
        offenders.is_empty(),
        "the core must not touch the terminal: {offenders:?}"
    );
}

#[test]
fn screens_call_downward_only() {
    let files = sources();
    let screens: Vec<_> = files
        .iter()
        .filter(|(p, _)| p.starts_with("src/tui/screens/"))
        .collect();
    assert!(screens.len() >= 9, "one module per screen");
    for (path, text) in screens {
        let code = code(text);
        for up in [
            "tui::update",
            "tui::view",
            "super::super::update",
            "super::super::view",
        ] {
            assert!(!code.contains(up), "{path} reaches up into `{up}`");
        }
    }
}

#[test]
fn the_dispatcher_and_the_frame_stay_small() {
    for (path, text) in sources() {
        if path == "src/tui/update.rs" || path == "src/tui/view.rs" {
            let lines = text.lines().count();
            assert!(
                lines < 400,
                "{path} has {lines} lines: a screen's code belongs in its module"
            );
        }
    }
}

#[test]
fn no_screen_is_drawn_or_updated_outside_its_module() {
    // Every screen has a module with its `draw` and `update`.
    for screen in [
        "home",
        "interview",
        "inventory",
        "ownership",
        "results",
        "decisions",
        "vendors",
        "map",
        "snapshots",
    ] {
        let path = format!("src/tui/screens/{screen}.rs");
        let text = fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} exists"));
        assert!(text.contains("pub fn draw("), "{path} draws its screen");
        assert!(text.contains("pub fn update("), "{path} handles its keys");
    }
}

//! TUI timings (issue: TUI part 1), on the demo and on the large engagement:
//! - first frame: load, evaluate and draw, from nothing;
//! - one frame at 200×60 (median), the state unchanged;
//! - key to frame: a number key answers, the change is saved atomically (fsync, rename), the
//!   engagement re-scored, and the frame drawn.
//!
//! ```sh
//! cargo bench --bench tui
//! ```
//!
//! Drawn on ratatui's `TestBackend`: the cost of building the frame, not of the terminal.

#[path = "support/large.rs"]
mod large;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use stackmap::tui::state::{App, Effect, Session};
use stackmap::tui::{keymap, update::update, view};
use stackmap::workspace::{Sources, load_assessment};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn measure(name: &str, path: &std::path::Path) {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").expect("valid");
    // First frame, from nothing.
    let start = Instant::now();
    let content = Arc::new(Sources::default().content_strict().expect("content"));
    let a = load_assessment(path, &content).expect("loads");
    let session =
        Session::new(&content, path.to_path_buf(), a, "bench".into(), false).expect("profile");
    let mut app = App::new(content.clone(), Vec::new(), false);
    update(
        &mut app,
        stackmap::tui::action::Action::Opened(Box::new(session)),
        now,
    );
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    term.draw(|f| view::draw(f, &app)).expect("draw");
    let first = start.elapsed();

    let frames: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            term.draw(|f| view::draw(f, &app)).expect("draw");
            t.elapsed()
        })
        .collect();

    let keys: Vec<Duration> = (0..25)
        .map(|i| {
            let t = Instant::now();
            let digit = if i % 2 == 0 { '1' } else { '2' };
            let action = keymap::action(
                &app,
                KeyEvent::new(KeyCode::Char(digit), KeyModifiers::NONE),
            )
            .expect("bound");
            for e in update(&mut app, action, now) {
                if let Effect::Save { path, text } = e {
                    stackmap::save::write_atomic(&path, &text).expect("save");
                }
            }
            term.draw(|f| view::draw(f, &app)).expect("draw");
            t.elapsed()
        })
        .collect();
    println!(
        "{name:<28} first frame {:>10}   frame 200×60 median {:>9}   key→frame median {:>9}",
        ms(first),
        ms(median(frames)),
        ms(median(keys))
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.toml");
    std::fs::write(&demo, stackmap::demo::TEXT).expect("write");
    let big = dir.path().join("large.toml");
    std::fs::write(&big, large::generate()).expect("write");
    measure("demo", &demo);
    measure("large engagement", &big);
}

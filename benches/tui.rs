//! TUI timings (issue: TUI part 1), on the demo and on the large engagement:
//! - first frame: load, evaluate and draw, from nothing;
//! - one frame at 200×60 (median), the state unchanged;
//! - key to frame: a number key answers, the engagement is re-scored, the save text laid out
//!   as the file was (`save::keep_layout`, as the loop does), saved atomically (fsync, rename),
//!   and the frame drawn; with the median of each part.
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

/// CPU time of this thread: on a busy machine (two cores shared with builds) wall time
/// measures the neighbours too; this does not.
fn cpu_now() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for clock_gettime to write.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
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

    // Key to frame as the loop does it: the update (answer, re-score), the save text kept in
    // the file's layout (`save::keep_layout` over the text as last written, as `Io::write`
    // does), the durable write, the frame. Each part is timed too.
    let text = std::fs::read_to_string(path).expect("read");
    let canonical = stackmap::save::to_toml(&app.session.as_ref().expect("open").assessment);
    let mut layout = stackmap::save::Layout::new(text, &canonical);
    let mut parts = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut update_cpu = Vec::new();
    let keys: Vec<Duration> = (0..25)
        .map(|i| {
            let t = Instant::now();
            let c = cpu_now();
            let digit = if i % 2 == 0 { '1' } else { '2' };
            let action = keymap::action(
                &app,
                KeyEvent::new(KeyCode::Char(digit), KeyModifiers::NONE),
            )
            .expect("bound");
            let effects = update(&mut app, action, now);
            let t1 = Instant::now();
            update_cpu.push(cpu_now() - c);
            parts[0].push(t1 - t);
            for e in effects {
                if let Effect::Save { path, text } = e {
                    let t2 = Instant::now();
                    let kept = layout.apply(&text);
                    let t3 = Instant::now();
                    parts[1].push(t3 - t2);
                    stackmap::save::write_atomic(&path, &kept).expect("save");
                    parts[2].push(t3.elapsed());
                    layout = stackmap::save::Layout::new(kept, &text);
                }
            }
            let t4 = Instant::now();
            term.draw(|f| view::draw(f, &app)).expect("draw");
            parts[3].push(t4.elapsed());
            t.elapsed()
        })
        .collect();
    let [up, keep, write, draw] = parts.map(median);
    println!(
        "{:<28} key→frame parts (medians): update {} (CPU {}), keep layout {}, write {}, draw {}",
        "",
        ms(up),
        ms(median(update_cpu)),
        ms(keep),
        ms(write),
        ms(draw)
    );
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

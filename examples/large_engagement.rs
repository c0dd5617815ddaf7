//! Writes a large, valid engagement for benchmarks: 200 systems, 1,000 flows, a full
//! ownership map and an answer to every question the `full-discovery` profile asks of every
//! subject (about 21,000 with the shipped questionnaires), a third of them with notes.
//!
//! ```sh
//! cargo run --release --example large_engagement -- large.toml
//! ```
//!
//! Deterministic: the same build of stackmap writes the same bytes.

#[path = "../benches/support/large.rs"]
mod large;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: large_engagement OUT.toml");
        std::process::exit(2);
    };
    let text = large::generate();
    if let Err(e) = std::fs::write(&out, &text) {
        eprintln!("error: {out}: {e}");
        std::process::exit(2);
    }
    let answers = text.matches("[[answer]]").count();
    eprintln!("wrote {out}: {} bytes, {answers} answers", text.len());
}

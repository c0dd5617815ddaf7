//! Any bytes as a snapshot file: parsed and validated (frozen content built, frozen
//! assessment checked against it) without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stackmap::diag::Sink;
use stackmap::load::{self, Parsed};
use stackmap::vocab::FileKind;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sink = Sink::new("fuzz.toml", text);
    if let Some(Parsed::Snapshot(raw)) = load::parse(text, Some(FileKind::Snapshot), &mut sink) {
        let _ = stackmap::validate::snapshot::snapshot(
            raw,
            std::path::Path::new("fuzz.snapshots/fuzz.toml"),
            &mut sink,
        );
    }
});

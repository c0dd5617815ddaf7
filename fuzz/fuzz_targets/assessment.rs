//! Any bytes as an assessment file: parsed and validated against the shipped content without
//! a panic; when valid, scored, and saved text loads back to the same assessment.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use stackmap::content::Content;
use stackmap::diag::Sink;
use stackmap::load::{self, Parsed};
use stackmap::vocab::FileKind;
use stackmap::workspace::Sources;

fn content() -> &'static Content {
    static C: OnceLock<Content> = OnceLock::new();
    C.get_or_init(|| {
        Sources::default()
            .content_strict()
            .expect("shipped content")
    })
}

fn load(text: &str) -> Option<stackmap::model::Assessment> {
    let mut sink = Sink::new("fuzz.toml", text);
    let a = match load::parse(text, Some(FileKind::Assessment), &mut sink) {
        Some(Parsed::Assessment(raw)) => {
            stackmap::validate::assessment::assessment(raw, content(), &mut sink)
        }
        _ => None,
    };
    a.filter(|_| !sink.has_errors())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(a) = load(text) else {
        return;
    };
    if let Some(profile) = content().profile(&a.engagement.profile) {
        let _ = stackmap::engine::evaluate(content(), profile, &a, None);
    }
    let saved = stackmap::save::to_toml(&a);
    let mut canonical = a.clone();
    canonical.canonicalise();
    let back = load(&saved).expect("saved text loads");
    assert_eq!(back, canonical, "load → save → load is the identity");
});

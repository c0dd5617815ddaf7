//! Any bytes as a questionnaire file: parsed, validated and built into content (cross-file
//! checks included) without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stackmap::content::{Content, ContentFile};
use stackmap::model::Source;
use stackmap::vocab::FileKind;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Content::build(&[ContentFile {
        source: Source::File("fuzz.toml".into()),
        text: text.to_string(),
        layer: 3,
        expect: Some(FileKind::Questionnaire),
    }]);
});

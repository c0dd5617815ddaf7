//! Snapshot files: the shape is reserved here (label, time taken, the assessment, the full
//! text of the content it was scored with, and its result). The snapshot issue adds taking,
//! listing and diffing snapshots and checks the frozen assessment against its frozen content.

use crate::diag::Sink;
use crate::raw::RawSnapshot;
use crate::vocab::FileKind;

use super::assessment::datetime;
use super::required;

pub fn snapshot(raw: &RawSnapshot, sink: &mut Sink) {
    let file = 0..0;
    if let Some(label) = required(sink, &raw.label, &file, "label", "the snapshot") {
        let l = label.get_ref();
        if l.chars().count() > 100 || l.chars().any(char::is_control) {
            sink.error(
                &label.span(),
                "a snapshot `label` is one line of at most 100 characters",
            );
        }
    }
    match &raw.taken_at {
        None => sink.error(
            &file,
            "missing `taken_at` in the snapshot (a date-time with UTC offset)",
        ),
        Some(d) => {
            datetime(sink, d);
        }
    }
    if raw.assessment.is_none() {
        sink.error(
            &file,
            "missing [assessment] in the snapshot: the frozen assessment",
        );
    }
    for c in &raw.content {
        let span = c.span();
        let r = c.get_ref();
        if let Some(k) = required(sink, &r.kind, &span, "kind", "a snapshot's content entry")
            && !matches!(
                FileKind::parse(k.get_ref()),
                Some(FileKind::Questionnaire | FileKind::Profile)
            )
        {
            sink.error(
                &k.span(),
                "a snapshot's content entry is a `questionnaire` or a `profile`",
            );
        }
        super::required_id(sink, &r.id, &span, "a snapshot's content entry", "content");
        required(sink, &r.text, &span, "text", "a snapshot's content entry");
    }
}

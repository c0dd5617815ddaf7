//! Snapshot files → `Snapshot`: the header (label, time taken), the frozen content (built as
//! content of its own, so a questionnaire's old wording stays what it was), and the frozen
//! assessment, checked against that frozen content.

use std::path::Path;

use crate::content::{Content, ContentFile};
use crate::diag::Sink;
use crate::raw::RawSnapshot;
use crate::snapshot::{Frozen, Snapshot, Summary, content_source};
use crate::vocab::FileKind;

use super::assessment::datetime;
use super::required;

pub fn snapshot(raw: RawSnapshot, path: &Path, sink: &mut Sink) -> Option<Snapshot> {
    let file = 0..0;
    let label =
        required(sink, &raw.label, &file, "label", "the snapshot").map(|l| l.get_ref().clone());
    if let Some(l) = &label
        && (l.chars().count() > 100 || l.chars().any(char::is_control))
    {
        sink.error(
            &file,
            "a snapshot `label` is one line of at most 100 characters",
        );
    }
    let taken_at = match &raw.taken_at {
        None => {
            sink.error(
                &file,
                "missing `taken_at` in the snapshot (a date-time with UTC offset)",
            );
            None
        }
        Some(d) => datetime(sink, d),
    };
    let mut frozen = Vec::new();
    for c in &raw.content {
        let span = c.span();
        let r = c.get_ref();
        let kind =
            required(sink, &r.kind, &span, "kind", "a snapshot's content entry").and_then(|k| {
                match FileKind::parse(k.get_ref()) {
                    Some(x @ (FileKind::Questionnaire | FileKind::Profile)) => Some(x),
                    _ => {
                        sink.error(
                            &k.span(),
                            "a snapshot's content entry is a `questionnaire` or a `profile`",
                        );
                        None
                    }
                }
            });
        let id = super::required_id(sink, &r.id, &span, "a snapshot's content entry", "content");
        let text = required(sink, &r.text, &span, "text", "a snapshot's content entry");
        if let (Some(kind), Some((id, _)), Some(text)) = (kind, id, text) {
            frozen.push(Frozen {
                kind,
                id,
                source: r.source.clone().unwrap_or_default(),
                text: text.get_ref().clone(),
            });
        }
    }
    // The frozen content, validated like content files; its problems point into the snapshot.
    let files: Vec<ContentFile> = frozen
        .iter()
        .map(|f| ContentFile {
            source: content_source(path, &f.id),
            text: f.text.clone(),
            layer: 0,
            expect: Some(f.kind),
        })
        .collect();
    let (content, problems) = Content::build(&files);
    sink.diagnostics.extend(problems);
    let assessment = match raw.assessment {
        None => {
            sink.error(
                &file,
                "missing [assessment] in the snapshot: the frozen assessment",
            );
            None
        }
        Some(a) => {
            // The frozen assessment is read at the snapshot's schema.
            let mut a = (*a).into_inner();
            if a.schema.is_none() {
                a.schema = raw.schema.clone();
            }
            super::assessment::assessment(a, &content, sink)
        }
    };
    let summary = raw.result.map(|r| Summary {
        overall: r.overall,
        coverage: r.coverage.unwrap_or(0.0),
        answered: r.answered.unwrap_or(0),
        applicable: r.applicable.unwrap_or(0),
    });
    Some(Snapshot {
        label: label?,
        taken_at: taken_at?,
        source: raw.source.unwrap_or_default(),
        summary: summary.unwrap_or(Summary {
            overall: None,
            coverage: 0.0,
            answered: 0,
            applicable: 0,
        }),
        assessment: assessment?,
        frozen,
        content,
    })
}

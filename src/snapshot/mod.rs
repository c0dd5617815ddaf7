//! Snapshots: a frozen, labelled, timestamped copy of an assessment, with a summary of its
//! result and the full text of the content it was scored with, so a later diff can tell a
//! reworded question from a changed answer even after the questionnaire files moved on.
//!
//! A snapshot is one TOML file: header keys, `[result]`, the assessment's tables nested under
//! `assessment.` (the same canonical writer as assessment files), and `[[content]]` entries.
//! Snapshots are immutable: written once, atomically, never overwritten.
//!
//! This module holds the types and the text (pure); `store` reads and writes the files in
//! `NAME.snapshots/` (its functions are re-exported here: `snapshot::list`, `take_file`, ...).

mod store;

pub use store::{check_folder, folder, list, load, resolve, take, take_file};

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::content::{Content, ContentFile};
use crate::engine::Evaluation;
use crate::load::SCHEMA;
use crate::model::{Assessment, Source};
use crate::save::{push_assessment, string};
use crate::vocab::FileKind;

/// One frozen content file.
#[derive(Debug, Clone, PartialEq)]
pub struct Frozen {
    pub kind: FileKind,
    pub id: String,
    /// Where it came from when frozen: "embedded" or a path.
    pub source: String,
    pub text: String,
}

/// What `snapshots` lists without re-scoring.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    pub overall: Option<f64>,
    pub coverage: f64,
    pub answered: u32,
    pub applicable: u32,
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub label: String,
    pub taken_at: DateTime<FixedOffset>,
    /// The assessment file it was taken from (its file name).
    pub source: String,
    pub summary: Summary,
    pub assessment: Assessment,
    pub frozen: Vec<Frozen>,
    /// The frozen content, built and validated.
    pub content: Content,
}

/// The text of a new snapshot.
pub fn freeze(
    label: &str,
    taken_at: DateTime<FixedOffset>,
    source: &str,
    a: &Assessment,
    e: &Evaluation,
    frozen: &[Frozen],
) -> String {
    let mut o = format!("schema = {SCHEMA}\nkind = \"snapshot\"\nlabel = ");
    string(&mut o, label);
    o.push_str(&format!(
        "\ntaken_at = {}\nsource = ",
        taken_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ));
    string(&mut o, source);
    o.push_str("\n\n[result]\n");
    if let Some(x) = e.overall {
        o.push_str(&format!("overall = {x:?}\n"));
    }
    o.push_str(&format!(
        "coverage = {:?}\nanswered = {}\napplicable = {}\n",
        e.coverage, e.answered, e.applicable
    ));
    push_assessment(&mut o, a, "assessment.");
    for f in frozen {
        o.push_str("\n[[content]]\nkind = ");
        string(&mut o, f.kind.as_str());
        o.push_str("\nid = ");
        string(&mut o, &f.id);
        o.push_str("\nsource = ");
        string(&mut o, &f.source);
        o.push_str("\ntext = ");
        string(&mut o, &f.text);
        o.push('\n');
    }
    o
}

/// The content files an assessment was scored with: its profile and every questionnaire in
/// force (findings and conditions may reach across questionnaires).
pub fn frozen_content(files: &[ContentFile], content: &Content, profile: &str) -> Vec<Frozen> {
    let mut out = Vec::new();
    let mut add = |kind: FileKind, id: &str, source: &Source| {
        if let Some(f) = files.iter().rev().find(|f| &f.source == source) {
            out.push(Frozen {
                kind,
                id: id.to_string(),
                source: source.label(),
                text: f.text.clone(),
            });
        }
    };
    for q in &content.questionnaires {
        add(FileKind::Questionnaire, &q.id, &q.source);
    }
    // An engagement of several scenarios freezes each profile it names.
    for id in profile.split(crate::model::PROFILE_JOIN) {
        if let Some(p) = content.profile(id) {
            add(FileKind::Profile, &p.id, &p.source);
        }
    }
    out
}

/// Diagnostics from frozen content point into the snapshot: `FILE#content/ID`.
pub fn content_source(path: &Path, id: &str) -> Source {
    Source::File(format!("{}#content/{id}", path.display()))
}

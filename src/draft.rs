//! Drafts: a note half-typed in the screen, kept beside the assessment (`.NAME.draft`) on every
//! pause in typing and when the process is told to stop, so closing the terminal mid-sentence
//! loses nothing. The next time the note of that question is opened, the draft is offered back;
//! saving the note removes it. A small TOML file (docs/FORMATS.md, "Drafts"): one draft per
//! assessment, the last one typed.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The schema of draft files this build writes and reads.
pub const SCHEMA: u32 = 1;

/// A note being written: the question it belongs to, and the text so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub questionnaire: String,
    /// The system or flow; absent for engagement questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub question: String,
    pub text: String,
}

#[derive(Serialize, Deserialize)]
struct File {
    schema: u32,
    kind: String,
    #[serde(flatten)]
    draft: Draft,
}

/// Where the draft of the assessment at `assessment` is kept: `.NAME.draft` beside the file it
/// belongs to (beside the real file when `assessment` is a symlink).
pub fn path(assessment: &Path) -> PathBuf {
    let real = crate::save::resolve(assessment).unwrap_or_else(|_| assessment.to_path_buf());
    let name = real
        .file_name()
        .map_or_else(|| "assessment".into(), |n| n.to_string_lossy().into_owned());
    real.with_file_name(format!(".{name}.draft"))
}

impl Draft {
    /// The draft file's text.
    pub fn to_toml(&self) -> String {
        let file = File {
            schema: SCHEMA,
            kind: "draft".into(),
            draft: self.clone(),
        };
        toml::to_string(&file).unwrap_or_default()
    }

    /// Reads a draft file's text; `None` when it is not a draft this build can read (a draft
    /// is a convenience: a damaged one is ignored, never an error that blocks the work).
    pub fn parse(text: &str) -> Option<Draft> {
        let file: File = toml::from_str(text).ok()?;
        (file.kind == "draft" && file.schema <= SCHEMA).then_some(file.draft)
    }

    /// The draft kept beside `assessment`, if any.
    pub fn read(assessment: &Path) -> Option<Draft> {
        let text = crate::content::read_text(&path(assessment)).ok()?;
        Draft::parse(&text)
    }

    /// Whether it is the note of this question.
    pub fn is_for(&self, questionnaire: &str, subject: Option<&str>, question: &str) -> bool {
        self.questionnaire == questionnaire
            && self.subject.as_deref() == subject
            && self.question == question
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_reads_back_as_written_and_junk_is_no_draft() {
        let d = Draft {
            questionnaire: "flow-contract".into(),
            subject: Some("web-orders".into()),
            question: "owner".into(),
            text: "half a sentence\nand \"quotes\"".into(),
        };
        assert_eq!(Draft::parse(&d.to_toml()), Some(d.clone()));
        assert!(d.to_toml().starts_with("schema = 1\nkind = \"draft\"\n"));
        assert_eq!(Draft::parse("not toml ["), None);
        assert_eq!(Draft::parse("schema = 9\nkind = \"draft\"\n"), None);
        assert!(d.is_for("flow-contract", Some("web-orders"), "owner"));
        assert!(!d.is_for("flow-contract", None, "owner"));
    }

    #[test]
    fn the_draft_lives_beside_its_assessment() {
        assert_eq!(
            path(Path::new("/tmp/x/acme.toml")),
            Path::new("/tmp/x/.acme.toml.draft")
        );
    }
}

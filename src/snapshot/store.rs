//! The snapshot files of an assessment, in `NAME.snapshots/` beside it: finding, loading,
//! listing, resolving `FILE@LABEL`, and taking a new one — exclusively, so one label is
//! acknowledged once.

use std::path::{Path, PathBuf};

use super::{Snapshot, freeze, frozen_content};
use crate::content::Content;
use crate::diag::Sink;
use crate::error::{Error, Result};
use crate::load::{self, Parsed};
use crate::vocab::FileKind;

/// The folder a file's snapshots live in: `NAME.snapshots/` beside it.
pub fn folder(assessment: &Path) -> PathBuf {
    let stem = assessment
        .file_stem()
        .map_or_else(|| "assessment".into(), |s| s.to_string_lossy().into_owned());
    assessment.with_file_name(format!("{stem}.snapshots"))
}

/// Loads and validates a snapshot file: its frozen content is built first, and the frozen
/// assessment is checked against it.
pub fn load(path: &Path) -> Result<Snapshot> {
    let shown = path.display().to_string();
    let text = crate::content::read_text(path).map_err(|d| Error::Invalid(vec![d]))?;
    let mut sink = Sink::new(&shown, &text);
    let Some(Parsed::Snapshot(raw)) = load::parse(&text, Some(FileKind::Snapshot), &mut sink)
    else {
        return Err(Error::Invalid(sink.diagnostics));
    };
    let snapshot = crate::validate::snapshot::snapshot(raw, path, &mut sink);
    match snapshot {
        Some(s) if !sink.has_errors() => Ok(s),
        _ => Err(Error::Invalid(sink.diagnostics)),
    }
}

/// The snapshots of an assessment, oldest first (by time taken, then label), and one line
/// for each file in the folder that is not a valid snapshot: a stray or damaged file must not
/// lock the user out of every other snapshot.
pub fn list(assessment: &Path) -> (Vec<(PathBuf, Snapshot)>, Vec<String>) {
    let dir = folder(assessment);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        match load(&p) {
            Ok(s) => out.push((p, s)),
            Err(e) => skipped.push(format!(
                "skipped {}: not a valid snapshot ({})",
                p.display(),
                e.to_string().lines().next().unwrap_or_default()
            )),
        }
    }
    out.sort_by(|a, b| (a.1.taken_at, &a.1.label).cmp(&(b.1.taken_at, &b.1.label)));
    (out, skipped)
}

/// Writes a new snapshot of `assessment_path` under `label`; refuses a label already used.
pub fn take(
    assessment_path: &Path,
    label: &str,
    text_for: impl FnOnce() -> String,
) -> Result<PathBuf> {
    let label = label.trim();
    if label.is_empty()
        || label.chars().count() > 100
        || label.chars().any(char::is_control)
        || label.contains('@')
    {
        return Err(Error::Usage(
            "a snapshot label is one line of 1 to 100 characters, without `@` (FILE@LABEL names it)".into(),
        ));
    }
    let (existing, _) = list(assessment_path);
    if existing.iter().any(|(_, s)| s.label == label) {
        return Err(Error::Usage(format!(
            "a snapshot labelled `{label}` already exists for {}; snapshots never change: choose another label",
            assessment_path.display()
        )));
    }
    let dir = folder(assessment_path);
    std::fs::create_dir_all(&dir).map_err(|e| Error::Io {
        path: dir.clone(),
        source: e,
    })?;
    let mut stem = crate::validate::suggest_id(label);
    if stem.is_empty() {
        stem = "snapshot".into();
    }
    let path = crate::workspace::free_path(&dir, &stem);
    crate::save::write_atomic(&path, &text_for()).map_err(|e| Error::Io {
        path: path.clone(),
        source: e,
    })?;
    Ok(path)
}

/// Snapshots the assessment file as it is on disk, scored with the content in force: what
/// `stackmap snapshot` and the terminal UI's snapshot key both do. Returns the new file.
pub fn take_file(
    sources: &crate::workspace::Sources,
    file: &Path,
    label: &str,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<PathBuf> {
    let (files, mut problems) = sources.content_files();
    let (content, more) = Content::build(&files);
    problems.extend(more);
    if problems
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        return Err(Error::Invalid(problems));
    }
    let a = crate::workspace::load_assessment(file, &content)?;
    let profile = content.profile(&a.engagement.profile).ok_or_else(|| {
        Error::Usage(format!(
            "profile `{}` is not in force",
            a.engagement.profile
        ))
    })?;
    let e = crate::engine::evaluate(&content, profile, &a, None);
    let frozen = frozen_content(&files, &content, &a.engagement.profile);
    let source = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    take(file, label, || {
        freeze(label.trim(), now, &source, &a, &e, &frozen)
    })
}

/// Resolves `FILE@LABEL` to the snapshot file with that label.
pub fn resolve(spec: &str) -> Result<PathBuf> {
    if Path::new(spec).exists() {
        return Ok(PathBuf::from(spec));
    }
    // The first `@` after which the part before it is a file: paths may contain `@` too.
    let split = spec
        .match_indices('@')
        .map(|(i, _)| i)
        .find(|&i| Path::new(&spec[..i]).is_file());
    let Some(i) = split else {
        return Ok(PathBuf::from(spec));
    };
    let (file, label) = (Path::new(&spec[..i]), spec[i + 1..].trim());
    let (all, _) = list(file);
    all.into_iter()
        .find(|(_, s)| s.label == label)
        .map(|(p, _)| p)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{} has no snapshot labelled `{label}`; `stackmap snapshots {}` lists them",
                file.display(),
                file.display()
            ))
        })
}

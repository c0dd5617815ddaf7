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
///
/// Only regular files are read (symlinks followed): a FIFO, device, socket or folder named
/// `*.toml` is skipped with a line saying what it is — reading a FIFO would wait forever.
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
        if let Some(what) = not_a_file(&p) {
            skipped.push(format!(
                "skipped {}: {what}, not a regular file; move it out of {}",
                p.display(),
                dir.display()
            ));
            continue;
        }
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

/// What sits at `path` when it is not a regular file (symlinks followed), in words; `None` for
/// a regular file or nothing.
pub(crate) fn not_a_file(path: &Path) -> Option<&'static str> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => None,
        Ok(m) => Some(crate::save::what(&m.file_type())),
        Err(_) => None,
    }
}

/// Refuses a snapshot folder that is not a folder: `NAME.snapshots` as a regular file (or
/// anything else) would otherwise read as "no snapshots yet", and taking one would fail with a
/// bare "File exists".
pub fn check_folder(assessment: &Path) -> Result<()> {
    let dir = folder(assessment);
    match std::fs::metadata(&dir) {
        Ok(m) if !m.is_dir() => Err(Error::Usage(format!(
            "{} is {}, not a folder: stackmap keeps the snapshots of {} in a folder of that name; \
             rename or move that file (for example `mv {} {}.old`), then retry",
            dir.display(),
            if m.is_file() {
                "a regular file"
            } else {
                crate::save::what(&m.file_type())
            },
            assessment.display(),
            dir.display(),
            dir.display()
        ))),
        _ => Ok(()),
    }
}

/// The lock taken while a snapshot is written: `.snapshots.lock` in the folder. Never deleted
/// (as the assessment's sidecar lock: removing it while another process waits on it would let a
/// third take a second lock).
pub const LOCK_FILE: &str = ".snapshots.lock";

/// Writes a new snapshot of `assessment_path` under `label`; refuses a label already used.
///
/// Exclusive: the label check and the write happen under the folder's lock, and the file is
/// created new (`save::write_new`, never over an existing file), so of many processes taking
/// one label at once exactly one succeeds and the others are told the label is taken.
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
    check_folder(assessment_path)?;
    let taken = || {
        Error::Usage(format!(
            "a snapshot labelled `{label}` already exists for {}; snapshots never change: choose another label",
            assessment_path.display()
        ))
    };
    if list(assessment_path)
        .0
        .iter()
        .any(|(_, s)| s.label == label)
    {
        return Err(taken());
    }
    let dir = folder(assessment_path);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| Error::Io { path, source: e }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let _lock = lock(&dir)?;
    // Under the lock no snapshot is being written: a temporary file left by one that was
    // killed mid-write is stale.
    crate::save::clean_folder_leftovers(&dir);
    // Under the lock: a snapshot another process took since the check above is seen now (read
    // from the files' headers only, so waiting processes do not queue behind full loads).
    if labels(&dir).iter().any(|l| l == label) {
        return Err(taken());
    }
    let mut stem = crate::validate::suggest_id(label);
    if stem.is_empty() {
        stem = "snapshot".into();
    }
    let text = text_for();
    // A name taken between `free_path` and the write (by something other than stackmap, which
    // holds the lock) moves on to the next free name.
    for _ in 0..10 {
        let path = crate::workspace::free_path(&dir, &stem);
        match crate::save::write_new(&path, &text) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(&path)(e)),
        }
    }
    Err(Error::Usage(format!(
        "no free file name for snapshot `{label}` in {}; remove stray files there and retry",
        dir.display()
    )))
}

/// The `label` of every `.toml` file in a snapshot folder, read from the keys before the first
/// table (a snapshot's header), without loading the rest.
fn labels(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .filter_map(|p| {
            // A regular file (checked on the open handle): never a FIFO swapped in.
            let bytes = crate::save::read_head(&p, crate::load::MAX_FILE_BYTES)?;
            let text = String::from_utf8(bytes).ok()?;
            let head: String = text
                .lines()
                .take_while(|l| !l.trim_start().starts_with('['))
                .flat_map(|l| [l, "\n"])
                .collect();
            let table: toml::Table = toml::from_str(&head).ok()?;
            Some(table.get("label")?.as_str()?.trim().to_string())
        })
        .collect()
}

/// Takes the snapshot folder's lock, waiting a little for another snapshot being written.
fn lock(dir: &Path) -> Result<std::fs::File> {
    let path = dir.join(LOCK_FILE);
    let io = |e: std::io::Error| Error::Io {
        path: path.clone(),
        source: e,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Usage(format!(
                    "{} is held by another stackmap taking a snapshot; retry in a moment",
                    dir.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
    }
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
    check_folder(file)?;
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

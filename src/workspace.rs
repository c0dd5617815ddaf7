//! The entry points the shells use: gather the content in force, load and check files of
//! any kind, create and save assessments. Everything here works on paths handed in by the
//! caller; nothing reads the terminal.

use std::path::{Path, PathBuf};

use crate::content::{self, Content, ContentFile};
use crate::diag::{Diagnostic, Severity, Sink};
use crate::error::{Error, Result};
use crate::load::{self, Parsed};
use crate::model::Assessment;
use crate::paths::Dirs;
use crate::validate;
use crate::vocab::FileKind;

/// Content layers, lowest first.
pub const LAYER_EMBEDDED: u8 = 0;
pub const LAYER_CONFIG: u8 = 1;
pub const LAYER_FLAGS: u8 = 2;
pub const LAYER_CHECKED: u8 = 3;

/// Where content comes from, beyond the embedded files.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The config and data dirs; `None` when the platform has none.
    pub dirs: Option<Dirs>,
    /// `--questionnaires DIR`, in the order given.
    pub questionnaire_dirs: Vec<PathBuf>,
    /// `--profiles DIR`, in the order given.
    pub profile_dirs: Vec<PathBuf>,
}

impl Sources {
    /// Every content file in force, lowest layer first, and problems reading directories.
    pub fn content_files(&self) -> (Vec<ContentFile>, Vec<Diagnostic>) {
        let mut files = content::embedded();
        let mut diags = Vec::new();
        let mut add = |r: std::result::Result<Vec<ContentFile>, Diagnostic>| match r {
            Ok(f) => files.extend(f),
            Err(d) => diags.push(d),
        };
        if let Some(d) = &self.dirs {
            add(content::read_dir(
                &d.questionnaires(),
                LAYER_CONFIG,
                FileKind::Questionnaire,
                false,
            ));
            add(content::read_dir(
                &d.profiles(),
                LAYER_CONFIG,
                FileKind::Profile,
                false,
            ));
        }
        for d in &self.questionnaire_dirs {
            add(content::read_dir(
                d,
                LAYER_FLAGS,
                FileKind::Questionnaire,
                true,
            ));
        }
        for d in &self.profile_dirs {
            add(content::read_dir(d, LAYER_FLAGS, FileKind::Profile, true));
        }
        (files, diags)
    }

    /// The content in force, with every problem found in it.
    pub fn content(&self) -> (Content, Vec<Diagnostic>) {
        let (files, mut diags) = self.content_files();
        let (content, more) = Content::build(&files);
        diags.extend(more);
        (content, diags)
    }

    /// The content in force, or an error when any of it is invalid.
    pub fn content_strict(&self) -> Result<Content> {
        let (content, diags) = self.content();
        if diags.iter().any(|d| d.severity == Severity::Error) {
            return Err(Error::Invalid(diags));
        }
        Ok(content)
    }
}

/// Builds the content in force and loads an assessment against it, the two at once: the
/// content is built on a second thread while this one reads and parses the file (which does
/// not need it), so a large file costs little more than its parse. Errors come in the order a
/// sequential load reports them: the content's first.
pub fn content_and_assessment(sources: &Sources, path: &Path) -> Result<(Content, Assessment)> {
    std::thread::scope(|scope| {
        let content = scope.spawn(|| sources.content_strict());
        let shown = path.display().to_string();
        let text = content::read_text(path).map_err(|d| Error::Invalid(vec![d]));
        let parsed = text.as_ref().ok().map(|text| {
            let mut sink = Sink::new(&shown, text);
            let raw = load::parse(text, Some(FileKind::Assessment), &mut sink);
            (raw, sink.diagnostics)
        });
        let content = content
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let text = text?;
        let (raw, diagnostics) = parsed.unwrap_or_default();
        let mut sink = Sink::new(&shown, &text);
        sink.diagnostics = diagnostics;
        let assessment = match raw {
            Some(Parsed::Assessment(raw)) => {
                validate::assessment::assessment(raw, &content, &mut sink)
            }
            _ => None,
        };
        match assessment {
            Some(a) if !sink.has_errors() => Ok((content, a)),
            _ => Err(Error::Invalid(sink.diagnostics)),
        }
    })
}

/// Loads and validates an assessment file against the content in force.
pub fn load_assessment(path: &Path, content: &Content) -> Result<Assessment> {
    let text = content::read_text(path).map_err(|d| Error::Invalid(vec![d]))?;
    assessment_from_text(&text, &path.display().to_string(), content)
}

/// Parses and validates the text of an assessment; `shown` names it in diagnostics.
pub fn assessment_from_text(text: &str, shown: &str, content: &Content) -> Result<Assessment> {
    let mut sink = Sink::new(shown, text);
    let parsed = load::parse(text, Some(FileKind::Assessment), &mut sink);
    let assessment = match parsed {
        Some(Parsed::Assessment(raw)) => validate::assessment::assessment(raw, content, &mut sink),
        _ => None,
    };
    match assessment {
        Some(a) if !sink.has_errors() => Ok(a),
        _ => Err(Error::Invalid(sink.diagnostics)),
    }
}

/// An assessment's text parsed into its raw form, not yet validated: parsing does not need the
/// content in force, so a command can build the content (or parse other files) meanwhile, then
/// validate with `Unchecked::validate`. Problems found so far are kept, in order.
pub struct Unchecked {
    raw: Option<Parsed>,
    diagnostics: Vec<Diagnostic>,
}

impl Unchecked {
    /// Parses `text` (named `shown` in diagnostics) as an assessment.
    pub fn parse(text: &str, shown: &str) -> Self {
        let mut sink = Sink::new(shown, text);
        let raw = load::parse(text, Some(FileKind::Assessment), &mut sink);
        Unchecked {
            raw,
            diagnostics: sink.diagnostics,
        }
    }

    /// Validates against `content`: what `assessment_from_text(text, shown, content)` gives,
    /// for the same `text` and `shown` it was parsed from.
    pub fn validate(self, text: &str, shown: &str, content: &Content) -> Result<Assessment> {
        let mut sink = Sink::new(shown, text);
        sink.diagnostics = self.diagnostics;
        let assessment = match self.raw {
            Some(Parsed::Assessment(raw)) => {
                validate::assessment::assessment(raw, content, &mut sink)
            }
            _ => None,
        };
        match assessment {
            Some(a) if !sink.has_errors() => Ok(a),
            _ => Err(Error::Invalid(sink.diagnostics)),
        }
    }
}

/// What `check` learned about one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Checked {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    pub ok: bool,
}

/// An assessment or snapshot named to `check`, parsed and waiting for the content in force:
/// its path, text, kind, raw form and the problems found so far.
type Pending = (String, String, FileKind, Option<Parsed>, Vec<Diagnostic>);

/// Checks files of any kind: content files join the content in force (overriding it by id),
/// then assessments and snapshots are checked against the result. Returns what was checked
/// and every diagnostic, content problems included.
pub fn check(sources: &Sources, paths: &[PathBuf]) -> (Vec<Checked>, Vec<Diagnostic>) {
    let (mut files, mut diags) = sources.content_files();
    let mut others: Vec<Pending> = Vec::new();
    let mut checked: Vec<Checked> = Vec::new();
    let mut expanded: Vec<PathBuf> = Vec::new();
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(entries) => {
                    let mut list: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|f| f.extension().is_some_and(|x| x == "toml") && f.is_file())
                        .collect();
                    list.sort();
                    expanded.extend(list);
                }
                Err(e) => diags.push(crate::diag::error_at(
                    &p.display().to_string(),
                    crate::diag::Pos::START,
                    None,
                    format!("cannot read the directory: {e}"),
                )),
            }
        } else {
            expanded.push(p.clone());
        }
    }
    for p in &expanded {
        let shown = p.display().to_string();
        let text = match content::read_text(p) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                checked.push(Checked {
                    path: shown,
                    kind: None,
                    ok: false,
                });
                continue;
            }
        };
        // Content joins the content set; assessments and snapshots wait for it, already
        // parsed (a large assessment is parsed once).
        let mut sink = Sink::new(&shown, &text);
        let parsed = load::parse(&text, None, &mut sink);
        let found = std::mem::take(&mut sink.diagnostics);
        drop(sink);
        match parsed.as_ref().map(Parsed::kind) {
            Some(k @ (FileKind::Questionnaire | FileKind::Profile)) => {
                checked.push(Checked {
                    path: shown.clone(),
                    kind: Some(k.as_str()),
                    ok: true,
                });
                files.push(ContentFile {
                    source: crate::model::Source::File(shown),
                    text,
                    layer: LAYER_CHECKED,
                    expect: None,
                });
            }
            Some(k) => others.push((shown, text, k, parsed, found)),
            None => {
                checked.push(Checked {
                    path: shown,
                    kind: None,
                    ok: false,
                });
                diags.extend(found);
            }
        }
    }
    let (content, more) = Content::build(&files);
    diags.extend(more);
    for (shown, text, kind, parsed, found) in others {
        let mut sink = Sink::new(&shown, &text);
        sink.diagnostics = found;
        match parsed {
            Some(Parsed::Assessment(raw)) => {
                validate::assessment::assessment(raw, &content, &mut sink);
            }
            Some(Parsed::Snapshot(raw)) => {
                validate::snapshot::snapshot(raw, Path::new(&shown), &mut sink);
            }
            _ => {}
        }
        let ok = !sink.has_errors();
        let found = std::mem::take(&mut sink.diagnostics);
        drop(sink);
        checked.push(Checked {
            path: shown,
            kind: Some(kind.as_str()),
            ok,
        });
        diags.extend(found);
    }
    for c in &mut checked {
        if diags
            .iter()
            .any(|d| d.path == c.path && d.severity == Severity::Error)
        {
            c.ok = false;
        }
    }
    (checked, diags)
}

/// The sidecar lock file of an assessment: `.NAME.lock` beside it. Saving replaces the
/// assessment by rename, so a lock on the file itself would be lost at the first save; the
/// sidecar stays. For a symlink it is beside the link's target, where the file is saved. It is
/// never deleted: removing it while another process waits on it would
/// let a third process take a second lock.
pub fn lock_path(path: &Path) -> PathBuf {
    // A symlinked assessment is saved at its target: the lock lives beside that.
    let path = &crate::save::resolve(path).unwrap_or_else(|_| path.to_path_buf());
    let name = path
        .file_name()
        .map_or_else(|| "assessment".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.lock"))
}

/// Loads an assessment under its sidecar lock, applies `change`, validates the result against
/// the content and saves it atomically. Two processes updating one file take turns, so both
/// changes land. Returns the saved assessment.
pub fn update_assessment(
    path: &Path,
    content: &Content,
    change: impl FnOnce(&mut Assessment) -> Result<()>,
) -> Result<Assessment> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    if !path.exists() {
        return Err(Error::Usage(format!(
            "{} does not exist; create it with `stackmap new`",
            path.display()
        )));
    }
    // A file whose mode bits say read-only is never written, even by root: refused before any
    // work, with how to change it.
    crate::save::check_writable(path).map_err(io)?;
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(path))
        .map_err(io)?;
    // Another `stackmap answer` holds the lock for milliseconds; the terminal UI holds it for
    // as long as the file is open there. Wait a little, then say so instead of hanging.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Usage(format!(
                    "{} is open in stackmap (another process holds it); close it there, or answer there, then retry",
                    path.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
    }
    // Under the lock no save of this file is in flight: what an interrupted one left is stale.
    crate::save::clean_leftovers(path);
    let shown = path.display().to_string();
    let before = content::read_text(path).map_err(|d| Error::Invalid(vec![d]))?;
    let mut a = assessment_from_text(&before, &shown, content)?;
    let unchanged = a.clone();
    change(&mut a)?;
    // Answers read from the inventory follow it (an inventory change re-derives them).
    crate::infer::apply_if_inventory_changed(content, &unchanged, &mut a);
    // What is written must load again: a bug here must never corrupt the assessor's file.
    // The file keeps its comments and layout (`save::to_toml_keeping`).
    let text = checked_text_keeping(Some(&before), &a, &shown, content).map_err(Error::Invalid)?;
    crate::save::write_atomic(path, &text).map_err(io)?;
    drop(lock);
    Ok(a)
}

/// The text an assessment is saved as, once it has loaded back as a valid assessment: every
/// change goes through this before it is written, so a bug in an editor can never leave a
/// file stackmap itself refuses to open. `shown` names the file in diagnostics.
pub fn checked_text(
    a: &Assessment,
    shown: &str,
    content: &Content,
) -> std::result::Result<String, Vec<crate::diag::Diagnostic>> {
    checked_text_keeping(None, a, shown, content)
}

/// `checked_text` for a file whose text was `previous` (as last read or written): the text
/// keeps the file's comments, blank lines and order (`save::to_toml_keeping`) when it loads
/// back to exactly what the canonical text says; otherwise, and for a new file (`None`), the
/// canonical text.
pub fn checked_text_keeping(
    previous: Option<&str>,
    a: &Assessment,
    shown: &str,
    content: &Content,
) -> std::result::Result<String, Vec<crate::diag::Diagnostic>> {
    let canonical = crate::save::to_toml(a);
    let kept = previous.map(|previous| crate::save::keep_layout(previous, &canonical));
    checked_canonical(a, kept, canonical, shown, content)
}

/// `checked_text_keeping` for a file whose `Layout` is known: a file that was its own canonical
/// text is saved as the new canonical text without laying it out again (what `keep_layout`
/// gives for it, held by the property `tests/keep.rs` `an_unedited_file_stays_canonical`).
pub fn checked_text_laid_out(
    layout: Option<&crate::save::Layout>,
    a: &Assessment,
    shown: &str,
    content: &Content,
) -> std::result::Result<String, Vec<crate::diag::Diagnostic>> {
    let canonical = crate::save::to_toml(a);
    let kept = layout.map(|layout| layout.apply(&canonical));
    checked_canonical(a, kept, canonical, shown, content)
}

/// `kept` (the canonical text laid out as the file was) when it loads back to exactly what
/// `canonical` says, else `canonical` when it loads, else its diagnostics. `canonical` is
/// `save::to_toml(a)`.
///
/// The canonical text is proven to load without parsing it when `save::proof::raw_of` can
/// say what the parse would give: that raw assessment is validated as a load validates it.
/// Otherwise, and whenever that validation fails (so the diagnostics carry lines and
/// columns), the text itself is parsed and validated.
fn checked_canonical(
    a: &Assessment,
    kept: Option<String>,
    canonical: String,
    shown: &str,
    content: &Content,
) -> std::result::Result<String, Vec<crate::diag::Diagnostic>> {
    if let Some(kept) = kept
        && kept != canonical
        && let Ok(back) = reload(&kept, shown, content)
        && crate::save::to_toml(&back) == canonical
    {
        return Ok(kept);
    }
    if loads_in_memory(a, canonical.len(), content) {
        return Ok(canonical);
    }
    reload(&canonical, shown, content).map(|_| canonical)
}

/// Whether `save::to_toml(a)` (`len` bytes) loads, decided without parsing it: `false` when
/// it does not, or when that cannot be decided so (`save::proof`).
pub fn loads_in_memory(a: &Assessment, len: usize, content: &Content) -> bool {
    let Some(raw) = crate::save::proof::raw_of(a, len) else {
        return false;
    };
    let mut sink = Sink::new("<memory>", "");
    validate::assessment::assessment(raw, content, &mut sink).is_some() && !sink.has_errors()
}

/// The assessment a text loads as, or its diagnostics.
fn reload(
    text: &str,
    shown: &str,
    content: &Content,
) -> std::result::Result<Assessment, Vec<crate::diag::Diagnostic>> {
    let mut sink = Sink::new(shown, text);
    // In two halves on two threads for a large text, the same document (`load::parse_assessment`).
    let reloaded = match load::parse_assessment(text, &mut sink) {
        Some(Parsed::Assessment(raw)) => validate::assessment::assessment(raw, content, &mut sink),
        _ => None,
    };
    match reloaded {
        Some(a) if !sink.has_errors() => Ok(a),
        _ => Err(sink.diagnostics),
    }
}

/// An assessment found in a folder, for the home screen's recent list.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub assessment: Assessment,
    pub coverage: f64,
}

/// The assessments in `dir` (not recursive), newest first by modification time, at most
/// `limit`; files that are not valid assessments are skipped. Hidden files (the lock
/// sidecars) are not looked at.
pub fn recent(dir: &Path, content: &Content, limit: usize) -> Vec<Found> {
    recent_and_skipped(dir, content, limit).0
}

/// `recent`, and a line for each `*.toml` in `dir` that is not a regular file (a FIFO, a
/// device, a socket, a folder): those are never opened — reading a FIFO would wait forever.
pub fn recent_and_skipped(
    dir: &Path,
    content: &Content,
    limit: usize,
) -> (Vec<Found>, Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut skipped = Vec::new();
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "toml")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .filter_map(|p| {
            let meta = std::fs::metadata(&p).ok()?;
            if !meta.is_file() {
                skipped.push(format!(
                    "skipped {}: {}, not a regular file",
                    p.display(),
                    crate::save::what(&meta.file_type())
                ));
                return None;
            }
            Some((meta.modified().ok()?, p))
        })
        .collect();
    skipped.sort();
    files.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let found = files
        .into_iter()
        .filter_map(|(_, path)| {
            let a = load_assessment(&path, content).ok()?;
            let shown = path.display().to_string();
            let coverage = crate::engine::evaluate_assessment(content, &a, &shown, None)
                .ok()?
                .coverage;
            Some(Found {
                path,
                assessment: a,
                coverage,
            })
        })
        .take(limit)
        .collect();
    (found, skipped)
}

/// A path in `dir` for a new file named after `stem` (an id, such as `validate::suggest_id`
/// makes), never an existing one: `stem.toml`, then `stem-2.toml`, `stem-3.toml`, … — the
/// stem made the way every new id is (`validate::free_id`: at most 60 characters before the
/// suffix); `file.toml` when `stem` is empty.
pub fn free_path(dir: &Path, stem: &str) -> PathBuf {
    let stem = if stem.is_empty() { "file" } else { stem };
    let file = |s: &str| dir.join(format!("{s}.toml"));
    let free = validate::free_id(stem, |s| file(s).exists()).unwrap_or_else(|| stem.to_string());
    file(&free)
}

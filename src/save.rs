//! Writing assessments: the canonical TOML text, and the atomic write that puts it on disk.
//!
//! The text is canonical — systems, flows and answers sorted, empty fields left out, one
//! field order — so that saving an unchanged assessment gives the same bytes and git diffs
//! of an assessment stay small. `to_toml` is pure; the writes below are the only I/O. None
//! leaves a half-written file: a temporary file in the same folder is written, fsynced and
//! renamed over the target (`atomic-write-file` does this and keeps mode and owner). None
//! replaces what sits at the target with something else: symlinks are followed (the link
//! stays), devices and FIFOs named as outputs are written as streams, directories, sockets and
//! files whose mode bits say read-only are refused (`target`).
//!
//! A file that already exists is saved with `to_toml_keeping` (module `keep`): the same
//! content, laid out as the file was, so a person's comments and order survive the save.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::load::SCHEMA;
use crate::model::*;

mod keep;
pub mod proof;
pub use keep::{Layout, keep_layout, to_toml_keeping};

/// Appends TOML text. Hand-written rather than serde + `toml::to_string`: saving runs on
/// every key press in the terminal UI, and on a large engagement the generic serializer took
/// 28 ms of a 50 ms budget where this takes a few. The round-trip property test (any model,
/// any Unicode, saved then loaded, is the same model) holds it to the format.
struct W<'p> {
    out: String,
    /// Prepended to every table name: `assessment.` when the assessment is nested in a
    /// snapshot.
    prefix: &'p str,
}

impl W<'_> {
    fn table(&mut self, header: &str) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        let (open, rest) = if let Some(rest) = header.strip_prefix("[[") {
            ("[[", rest)
        } else {
            ("[", &header[1..])
        };
        self.out.push_str(open);
        self.out.push_str(self.prefix);
        self.out.push_str(rest);
        self.out.push('\n');
    }

    fn key(&mut self, k: &str) {
        self.out.push_str(k);
        self.out.push_str(" = ");
    }

    fn str(&mut self, k: &str, v: &str) {
        if v.is_empty() {
            return;
        }
        self.key(k);
        string(&mut self.out, v);
        self.out.push('\n');
    }

    fn always_str(&mut self, k: &str, v: &str) {
        self.key(k);
        string(&mut self.out, v);
        self.out.push('\n');
    }

    fn raw(&mut self, k: &str, v: &str) {
        self.key(k);
        self.out.push_str(v);
        self.out.push('\n');
    }

    fn list<S: AsRef<str>>(&mut self, k: &str, items: &[S]) {
        if items.is_empty() {
            return;
        }
        self.key(k);
        self.out.push('[');
        for (i, v) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            string(&mut self.out, v.as_ref());
        }
        self.out.push_str("]\n");
    }

    fn time(&mut self, k: &str, t: &Option<chrono::DateTime<chrono::FixedOffset>>) {
        if let Some(t) = t {
            self.raw(k, &t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
        }
    }
}

/// A TOML string: basic (`"..."`) on one line, multi-line basic (`"""`) when the text has
/// line breaks so notes stay readable in a diff. Controls, quotes and backslashes escaped.
pub(crate) fn string(out: &mut String, v: &str) {
    let plain = |c: char| {
        !matches!(c, '\\' | '"' | '\n' | '\t' | '\r') && !c.is_control() && !crate::text::is_bidi(c)
    };
    // Most values need no escape at all: copied whole.
    if v.chars().all(plain) {
        out.reserve(v.len() + 2);
        out.push('"');
        out.push_str(v);
        out.push('"');
        return;
    }
    let multiline = v.contains('\n');
    out.push_str(if multiline { "\"\"\"\n" } else { "\"" });
    let mut quotes = 0;
    for c in v.chars() {
        if c == '"' {
            quotes += 1;
        } else {
            quotes = 0;
        }
        match c {
            '\\' => out.push_str("\\\\"),
            // In a multi-line string only a run of three quotes would end it; escape every
            // third so the run never forms.
            '"' if !multiline || quotes == 3 => {
                out.push_str("\\\"");
                quotes = 0;
            }
            '\n' if multiline => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Bidi controls too: the value stays exact, and the file shown in an editor or a
            // diff cannot reorder its own lines.
            c if c.is_control() || crate::text::is_bidi(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push_str(if multiline { "\"\"\"" } else { "\"" });
}

/// A number as TOML writes it best: whole numbers as integers, the rest as floats.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        // Rust prints finite floats without an exponent and with a decimal point here.
        let s = format!("{x}");
        if s.contains('.') || s.contains('e') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

fn note(w: &mut W, header: &str, n: &Note) {
    w.table(header);
    w.always_str("id", &n.id);
    w.always_str("text", &n.text);
    w.list("systems", &n.systems);
    w.list("flows", &n.flows);
    let objects: Vec<&str> = n.objects.iter().map(|o| o.as_str()).collect();
    w.list("objects", &objects);
}

/// The canonical text of an assessment. Sorts a copy; the caller's order is untouched.
pub fn to_toml(a: &Assessment) -> String {
    let mut out = format!("schema = {SCHEMA}\nkind = \"assessment\"\n");
    push_assessment(&mut out, a, "");
    out
}

fn ownership_keys(w: &mut W, o: &Ownership) {
    if let Some(x) = &o.owner {
        w.always_str("owner", x);
    }
    if let Some(x) = &o.target {
        w.always_str("target", x);
    }
    w.list("writers", &o.writers);
    w.list("readers", &o.readers);
    w.str("note", &o.note);
    if !o.said.is_empty() {
        // An inline table on one line: what each respondent said, in respondent order.
        w.key("said");
        w.out.push_str("{ ");
        for (i, (who, system)) in o.said.iter().enumerate() {
            if i > 0 {
                w.out.push_str(", ");
            }
            table_key(&mut w.out, who);
            w.out.push_str(" = ");
            string(&mut w.out, system);
        }
        w.out.push_str(" }\n");
    }
    if o.is_final {
        w.raw("final", "true");
    }
}

/// A table key: bare when TOML allows (`A-Za-z0-9_-`), else a quoted string.
pub(crate) fn table_key(out: &mut String, k: &str) {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        out.push_str(k);
    } else {
        string(out, k);
    }
}

/// `v` in the canonical order of `key` (`Assessment::canonicalise`) without copying it: a save
/// runs on every key, and the large engagement holds thousands of answers. Stable: equal keys
/// keep their order. `save::proof` orders by the same functions, so it sees what is written.
pub(crate) fn sorted<T, K: Ord + ?Sized>(v: &[T], key: impl Fn(&T) -> &K) -> Vec<&T> {
    let mut out: Vec<&T> = v.iter().collect();
    if !v.is_sorted_by(|x, y| key(x) <= key(y)) {
        out.sort_by(|x, y| key(x).cmp(key(y)));
    }
    out
}

/// The answers in the order they are written: by questionnaire, subject, question, respondent.
pub(crate) fn answers_in_order(answers: &[Answer]) -> Vec<&Answer> {
    fn key(x: &Answer) -> (&str, Option<&str>, &str, Option<&str>) {
        (
            &x.questionnaire,
            x.subject.as_deref(),
            &x.question,
            x.respondent.as_deref(),
        )
    }
    let mut out: Vec<&Answer> = answers.iter().collect();
    if !answers.is_sorted_by(|x, y| key(x) <= key(y)) {
        out.sort_by(|x, y| key(x).cmp(&key(y)));
    }
    out
}

/// Appends the assessment's tables, each name prefixed (`assessment.` inside a snapshot).
pub fn push_assessment(out: &mut String, a: &Assessment, prefix: &str) {
    let systems = sorted(&a.systems, |s| s.id.as_str());
    let flows = sorted(&a.flows, |f| f.id.as_str());
    let decisions = sorted(&a.decisions, |d| d.id.as_str());
    let answers = answers_in_order(&a.answers);
    let mut w = W {
        out: std::mem::take(out),
        prefix,
    };
    w.out.reserve(256 + a.answers.len() * 160);
    let e = &a.engagement;
    w.table("[engagement]");
    w.always_str("client", &e.client);
    w.always_str("title", &e.title);
    if e.profile.contains(PROFILE_JOIN) {
        w.list("profile", &e.profiles());
    } else {
        w.always_str("profile", &e.profile);
    }
    w.str("assessor", &e.assessor);
    w.time("created", &e.created);
    w.time("updated", &e.updated);
    w.str("summary", &e.summary);
    for n in &e.pain_points {
        note(&mut w, "[[engagement.pain_points]]", n);
    }
    for n in &e.initiatives {
        note(&mut w, "[[engagement.initiatives]]", n);
    }
    for r in sorted(&a.respondents, |r| r.id.as_str()) {
        w.table("[[respondent]]");
        w.always_str("id", &r.id);
        w.always_str("name", &r.name);
        w.str("role", &r.role);
        w.str("team", &r.team);
    }
    for s in systems {
        w.table("[[system]]");
        w.always_str("id", &s.id);
        w.always_str("name", &s.name);
        w.str("vendor", &s.vendor);
        w.always_str("category", s.category.as_str());
        w.always_str("status", s.status.as_str());
        w.str("team", &s.team);
        let caps: Vec<&str> = s.capabilities.iter().map(|c| c.as_str()).collect();
        w.list("capabilities", &caps);
        w.list("scopes", &s.scopes);
        if let Some(t) = s.time {
            w.always_str("time", t.as_str());
        }
        w.str("notes", &s.notes);
    }
    for f in flows {
        w.table("[[flow]]");
        w.always_str("id", &f.id);
        w.str("name", &f.name);
        w.always_str("from", &f.from);
        w.always_str("to", &f.to);
        if let Some(v) = &f.via {
            w.always_str("via", v);
        }
        let objects: Vec<&str> = f.objects.iter().map(|o| o.as_str()).collect();
        w.list("objects", &objects);
        w.always_str("mechanism", f.mechanism.as_str());
        w.always_str("mode", f.mode.as_str());
        w.always_str("direction", f.direction.as_str());
        w.raw("checkout", if f.checkout { "true" } else { "false" });
        w.str("source", &f.source);
        w.str("contract", &f.contract);
        w.str("failure", &f.failure);
        w.str("owner", &f.owner);
        let none: Vec<&str> = f.none.iter().map(|p| p.as_str()).collect();
        w.list("none", &none);
        w.str("notes", &f.notes);
        if !f.owners.is_empty() {
            w.table("[flow.owners]");
            for d in crate::vocab::Duty::ALL {
                w.str(d.as_str(), f.owners.get(*d));
            }
        }
    }
    for (object, o) in &a.ownership {
        let header = format!("[ownership.{}]", object.as_str());
        w.table(&header);
        ownership_keys(&mut w, o);
        for (label, scoped) in &o.scopes {
            let mut key = String::new();
            table_key(&mut key, label);
            w.table(&format!("[ownership.{}.scope.{key}]", object.as_str()));
            ownership_keys(&mut w, scoped);
        }
    }
    for x in answers {
        w.table("[[answer]]");
        w.always_str("questionnaire", &x.questionnaire);
        if let Some(s) = &x.subject {
            w.always_str("subject", s);
        }
        w.always_str("question", &x.question);
        if let Some(r) = &x.respondent {
            w.always_str("respondent", r);
        }
        match &x.state {
            AnswerState::Value(Value::Choice(s) | Value::Text(s) | Value::System(s)) => {
                w.always_str("value", s)
            }
            AnswerState::Value(Value::Choices(list)) => {
                // An empty multi answer is a real answer ("none of these"): always written.
                if list.is_empty() {
                    w.raw("value", "[]");
                } else {
                    w.list("value", list);
                }
            }
            AnswerState::Value(Value::Number(n)) => w.raw("value", &number(*n)),
            AnswerState::Unknown => w.raw("unknown", "true"),
            AnswerState::NotApplicable => w.raw("na", "true"),
            AnswerState::Open => {}
        }
        w.str("note", &x.note);
        if x.private {
            w.raw("private", "true");
        }
        w.list("evidence", &x.evidence);
        if let Some(c) = x.confidence {
            w.always_str("confidence", c.as_str());
        }
        if x.is_final {
            w.raw("final", "true");
        }
        w.str("by", &x.by);
        w.time("at", &x.at);
        if let Some(rule) = &x.inferred_by {
            w.raw("inferred", "true");
            w.always_str("inferred_by", rule);
        }
    }
    for d in decisions {
        w.table("[[decision]]");
        w.always_str("id", &d.id);
        if let Some(s) = d.status {
            w.always_str("status", s.as_str());
        }
        w.str("owner", &d.owner);
        w.str("note", &d.note);
        if let Some(p) = d.priority {
            w.raw("priority", &number(p));
        }
        w.str("priority_reason", &d.priority_reason);
    }
    for c in sorted(&a.conflicts, |c| c.id.as_str()) {
        w.table("[[conflict]]");
        w.always_str("id", &c.id);
        w.str("what", &c.what);
        w.str("about", &c.about);
        w.str("ours", &c.ours);
        w.str("theirs", &c.theirs);
    }
    *out = w.out;
}

/// Follows a chain of symlinks at `path` to the path a write must land on, so the link is kept
/// and the file it points to is written (its lock and temporary files beside it, not beside
/// the link). A path that is not a symlink is returned as it is. A link whose target does not
/// exist yet resolves to that target (it is created there). Magic links such as
/// `/proc/self/fd/1` resolve to what they point at when that is a file with a name.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {}
            _ => return Ok(p),
        }
        // A target that exists: its canonical path (every link on the way resolved).
        if let Ok(real) = std::fs::canonicalize(&p) {
            return Ok(real);
        }
        // A dangling link: follow it one step, relative to the link's folder.
        let target = std::fs::read_link(&p)?;
        p = match p.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        };
    }
    Err(std::io::Error::other(format!(
        "too many levels of symbolic links at {}",
        path.display()
    )))
}

/// What a write finds at its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A regular file, or nothing yet: replaced or created atomically at this (resolved) path.
    File(PathBuf),
    /// A character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe): written to as a
    /// stream, never replaced.
    Stream,
}

fn refuse(kind: ErrorKind, message: String) -> std::io::Error {
    std::io::Error::new(kind, message)
}

/// The message for a file whose mode bits say nobody may write it.
fn read_only(shown: &Path, mode: u32) -> std::io::Error {
    refuse(
        ErrorKind::PermissionDenied,
        format!(
            "the file is read-only (mode {:04o}); stackmap never writes over it: make it writable \
             with `chmod u+w {}` and retry, or write elsewhere",
            mode & 0o7777,
            shown.display()
        ),
    )
}

/// Whether the mode bits say the file is read-only (no write bit for anyone). Judged from the
/// bits, not from a write attempt: as root every write would succeed.
pub fn is_read_only(m: &std::fs::Metadata) -> bool {
    m.permissions().readonly()
}

#[cfg(unix)]
fn mode_of(m: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode()
}

#[cfg(not(unix))]
fn mode_of(m: &std::fs::Metadata) -> u32 {
    if m.permissions().readonly() {
        0o444
    } else {
        0o644
    }
}

#[cfg(unix)]
fn stream_type(t: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    t.is_char_device() || t.is_fifo()
}

#[cfg(not(unix))]
fn is_stream(_: &std::fs::FileType) -> bool {
    false
}

/// Whether `path` (symlinks followed) is a character device or a FIFO: an output written to as
/// a stream, with nothing in it to compare or keep.
pub fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| stream_type(&m.file_type()))
}

/// What sits at `path`, in words, for a refusal.
pub fn what(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_fifo() {
            return "a FIFO";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Looks at what sits at `path` before anything is written there (following symlinks):
/// nothing or a regular file is a `Target::File` at the resolved path; a character device or a
/// FIFO is a `Target::Stream` when `streams` allows them (outputs), refused otherwise
/// (assessments and snapshots are files). A directory, socket or block device is refused, and
/// so is an existing file or device whose mode bits say read-only. `path` is named in messages
/// as the user gave it.
pub fn target(path: &Path, streams: bool) -> std::io::Result<Target> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Target::File(resolve(path)?)),
        Err(e) => return Err(e),
    };
    let t = meta.file_type();
    if t.is_dir() {
        return Err(refuse(
            ErrorKind::InvalidInput,
            if streams {
                "is a directory; give a file name (for example DIR/report.md)".into()
            } else {
                "is a directory, not a file stackmap can write to".into()
            },
        ));
    }
    let writable_kind = t.is_file() || (streams && stream_type(&t));
    if !writable_kind {
        let can = if streams {
            "a regular file, a character device or a FIFO"
        } else {
            "a regular file"
        };
        return Err(refuse(
            ErrorKind::InvalidInput,
            format!(
                "is {}, not a file stackmap can write to ({can}); give another path",
                what(&t)
            ),
        ));
    }
    if is_read_only(&meta) {
        return Err(read_only(path, mode_of(&meta)));
    }
    if t.is_file() {
        Ok(Target::File(resolve(path)?))
    } else {
        Ok(Target::Stream)
    }
}

/// Refuses, before any work, to write an existing file whose mode bits say read-only (or that
/// is not a regular file). Every command that changes an assessment calls it first.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    target(path, false).map(|_| ())
}

/// Writes `text` to `path` atomically: readers see the old file or the new one, never a mix,
/// and a crash leaves the old file intact. What sits at `path` is never replaced by something
/// else: a symlink is followed and its target written (the link stays); anything but a regular
/// file is refused, and so is a file whose mode bits say read-only. A new file gets the
/// process umask (0666 masked); an existing one keeps its mode and owner (`atomic-write-file`
/// copies them from the file it replaces; as root it also restores the owner).
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    match target(path, false)? {
        Target::File(real) => replace(&real, text),
        Target::Stream => Err(refuse(ErrorKind::InvalidInput, "not a regular file".into())),
    }
}

fn replace(real: &Path, text: &str) -> std::io::Result<()> {
    let mut f = atomic_write_file::AtomicWriteFile::options().open(real)?;
    // A failed write or fsync drops `f`, which removes its temporary file. `commit` marks the
    // file done before it syncs and renames, so a failure there would leave the temporary file
    // behind, full size: it is synced here first, and a failed rename is cleaned up below.
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    let ours = identity(&f.metadata()?);
    let committed = f.commit();
    if committed.is_err() {
        remove_temporary(real, ours);
    }
    committed
}

/// A file's identity (device and inode), to tell our temporary file from another's.
#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// After a failed rename: removes the temporary file `.NAME.XXXXXX` beside `real` that is the
/// very file this process wrote (same device and inode), never another writer's.
fn remove_temporary(real: &Path, ours: Option<(u64, u64)>) {
    let Some(ours) = ours else { return };
    let (dir, name) = split(real);
    let Some(name) = name else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_temporary_of(&entry.file_name(), &name)
            && entry.metadata().ok().and_then(|m| identity(&m)) == Some(ours)
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A path's folder (`.` for a bare name) and file name.
fn split(path: &Path) -> (&Path, Option<String>) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    (
        dir,
        path.file_name().map(|n| n.to_string_lossy().into_owned()),
    )
}

/// Whether `file_name` is `.NAME.` followed by six letters or digits: how `atomic-write-file`
/// and `write_new` name the temporary file of NAME.
fn is_temporary_of(file_name: &std::ffi::OsStr, name: &str) -> bool {
    file_name.to_str().is_some_and(|n| {
        n.strip_prefix('.')
            .and_then(|r| r.strip_prefix(name))
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    })
}

/// How many bytes of an existing output are read to see what it holds: the keys before a
/// stackmap file's first table fit in far less.
pub const HEAD_BYTES: usize = 64 * 1024;

/// The first `limit` bytes of the regular file at `path` (symlinks followed), or `None` when
/// nothing is there, it cannot be read, or it is not a regular file. Never reads more than
/// `limit` bytes, and never reads a device or FIFO: the file is opened without waiting (a FIFO
/// with no writer would block the open) and its type is checked on the open handle, so a swap
/// after a check cannot make it read a stream.
pub fn read_head(path: &Path, limit: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let f = options.open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut out = Vec::with_capacity(limit.min(HEAD_BYTES));
    f.take(limit as u64).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Writes an output the user named (`-o FILE`, `demo --out FILE`): a regular file (or a new
/// one) atomically as `write_atomic` does; a character device or FIFO (`/dev/null`,
/// `/dev/stdout`, a named pipe, a link to `/proc/self/fd/1`) as a stream, opened for writing
/// and never replaced. Directories, sockets, block devices and read-only targets are refused.
pub fn write_output(path: &Path, text: &str) -> std::io::Result<()> {
    match target(path, true)? {
        Target::File(real) => replace(&real, text),
        Target::Stream => {
            let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
            f.write_all(text.as_bytes())?;
            f.flush()
        }
    }
}

/// Writes a new file at `path`, never over anything: the text goes to a temporary file beside
/// it, which is then hard-linked to `path` — the link fails if `path` exists, even when another
/// process made it a moment ago — and removed. Readers see the whole file or none. Returns
/// `AlreadyExists` when `path` is taken.
pub fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(refuse(ErrorKind::InvalidInput, "not a file path".into()));
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let name = name.to_string_lossy();
    // `.NAME.XXXXXX`, as `atomic-write-file` names its temporary files, so an interrupted
    // write is cleaned up like theirs (`clean_leftovers`).
    let mut tmp = None;
    for attempt in 0..100u32 {
        let candidate = dir.join(format!(".{name}.{}", suffix(attempt)));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => {
                tmp = Some((candidate, f));
                break;
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    let Some((tmp, mut f)) = tmp else {
        return Err(refuse(
            ErrorKind::AlreadyExists,
            "no free temporary file name".into(),
        ));
    };
    let written = f
        .write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    written?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Six letters or digits, different per process, time and attempt.
fn suffix(attempt: u32) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut x = u64::from(std::process::id())
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(u64::from(nanos))
        .wrapping_add(u64::from(attempt).wrapping_mul(0x2545_F491_4F6C_DD1D));
    (0..6)
        .map(|_| {
            x ^= x >> 29;
            x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            char::from(CHARS[(x % CHARS.len() as u64) as usize])
        })
        .collect()
}

/// Removes what an interrupted `write_atomic` of `path` left behind: temporary files named
/// `.NAME.XXXXXX` (six letters or digits, as `atomic-write-file` names them) beside it. Only
/// regular files of exactly that pattern for this one file are touched — never the file itself,
/// its `.NAME.lock` sidecar, or another file's leftovers. Call it only while holding the
/// sidecar lock: every writer of an existing assessment holds it, so no save is in flight.
/// Returns how many were removed.
pub fn clean_leftovers(path: &Path) -> usize {
    // A symlinked file is saved beside its target: its leftovers are there.
    let Ok(path) = resolve(path) else { return 0 };
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return 0;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut removed = 0;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let is_leftover = n
            .strip_prefix(&prefix)
            .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
        // `file_type` does not follow symlinks: a link of that name is left alone.
        if is_leftover
            && entry.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Removes what interrupted writes of snapshots left in a snapshot folder: hidden regular
/// files named `.NAME.toml.XXXXXX` (as `write_new` names them). Call it only while holding the
/// folder's lock (`NAME.snapshots/.snapshots.lock`): every snapshot is written under it, so
/// none is in flight. The lock file, directories, symlinks and other files are left alone.
/// Returns how many were removed.
pub fn clean_folder_leftovers(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let is_leftover = n.starts_with('.')
            && n.len() > 8
            && n.is_char_boundary(n.len() - 7)
            && n[..n.len() - 7].ends_with(".toml")
            && is_temporary_of(&file_name, &n[1..n.len() - 7]);
        if is_leftover
            && entry.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 24, item 9: a write whose rename fails (here: onto a folder) leaves no temporary
    /// file behind, full size or not; another writer's temporary file is left alone.
    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("report.md");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("inside"), "x").expect("write");
        let theirs = dir.path().join(".report.md.Zz9Yy8");
        std::fs::write(&theirs, "another writer's").expect("write");
        let big = "x".repeat(1 << 20);
        assert!(replace(&target, &big).is_err());
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".report.md.Zz9Yy8", "report.md"]);
    }

    #[test]
    fn only_snapshot_temporary_files_are_cleaned_from_a_snapshot_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = |n: &str| dir.path().join(n);
        for n in [
            ".a.toml.Ab12Cd",
            ".snapshots.lock",
            ".a.toml.lock",
            "a.toml",
            ".a.txt.Ab12Cd",
            ".a.toml.Ab12C",
        ] {
            std::fs::write(p(n), "x").expect("write");
        }
        std::fs::create_dir(p(".b.toml.Ab12Cd")).expect("mkdir");
        assert_eq!(clean_folder_leftovers(dir.path()), 1);
        assert!(!p(".a.toml.Ab12Cd").exists());
        for n in [
            ".snapshots.lock",
            ".a.toml.lock",
            "a.toml",
            ".a.txt.Ab12Cd",
            ".a.toml.Ab12C",
            ".b.toml.Ab12Cd",
        ] {
            assert!(p(n).exists(), "{n} was removed");
        }
    }

    #[cfg(unix)]
    #[test]
    fn read_head_reads_at_most_its_limit_and_never_a_stream() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("f");
        std::fs::write(&f, "0123456789").expect("write");
        assert_eq!(read_head(&f, 4).as_deref(), Some(&b"0123"[..]));
        assert_eq!(read_head(&dir.path().join("none"), 4), None);
        assert_eq!(read_head(Path::new("/dev/zero"), 4), None);
        assert_eq!(read_head(dir.path(), 4), None);
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("no NUL");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert_eq!(read_head(&fifo, 4), None);
    }
}

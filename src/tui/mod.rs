//! The terminal UI: a thin shell over the core, in The Elm Architecture.
//!
//! keys → `keymap::action` → `update(&mut App, Action)` → `Effect`s → this loop performs them
//! (atomic saves, loading files) → `view::draw(&App)`. The loop performs every save before it
//! reads the next key, so an acknowledged change is on disk.
//!
//! The terminal is restored on every exit: normal, error, or panic (a hook restores it and
//! says where the assessment is and that it is intact).

pub mod action;
pub mod edit;
pub mod jumps;
pub mod keymap;
pub mod overlays;
pub mod palette;
pub mod screens;
pub mod state;
pub mod theme;
pub mod update;
pub mod view;
pub mod voices;
pub mod widgets;

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::{Terminal, backend::CrosstermBackend};

use self::action::Action;
use self::screens::home::RecentFile;
use self::screens::snapshots::SnapshotEntry;
use self::state::{App, Effect, Session};
use crate::content::Content;
use crate::error::{Error, Result};
use crate::workspace::{self, Sources};

/// The path of the open assessment, for the panic message.
static OPEN_FILE: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The snapshots of an assessment, each scored with the content it was taken with (as
/// `stackmap diff` scores it), oldest first; and a line for each file that could not be used.
pub fn snapshot_entries(path: &Path) -> (Vec<SnapshotEntry>, Vec<String>) {
    let (found, mut skipped) = crate::snapshot::list(path);
    let mut entries = Vec::with_capacity(found.len());
    for (path, snap) in found {
        let file = path.display().to_string();
        let eval = match crate::engine::evaluate_assessment(
            &snap.content,
            &snap.assessment,
            &file,
            None,
        ) {
            Ok(eval) => eval,
            Err(e) => {
                skipped.push(format!("skipped {file}: {e}"));
                continue;
            }
        };
        entries.push(SnapshotEntry {
            path,
            snapshot: Arc::new(snap),
            eval: Arc::new(eval),
        });
    }
    (entries, skipped)
}

/// Puts the terminal back: raw mode off, main screen, mouse off, cursor shown.
fn restore_terminal() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = out.flush();
}

struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Runs the UI: the home screen, or straight into the interview of `open`.
pub fn run(sources: &Sources, open: Option<PathBuf>) -> Result<i32> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(Error::Usage(
            "stackmap's screen needs a terminal (stdin and stdout are not one); from scripts use \
             `stackmap score`, `stackmap check` or `stackmap answer`"
                .into(),
        ));
    }
    let content = Arc::new(sources.content_strict()?);
    let data_dir = sources.dirs.as_ref().map(|d| d.data.clone());
    let (recent, skipped) = data_dir
        .as_deref()
        .map(|d| recent_files(d, &content))
        .unwrap_or_default();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut app = App::new(content.clone(), recent, no_color);
    // A FIFO or device named *.toml in the data folder is never read (it would hang the home
    // screen); the status line says which.
    if let Some(first) = skipped.first() {
        app.status = match skipped.len() {
            1 => first.clone(),
            n => format!("{first} (and {} more)", n - 1),
        };
    }
    let mut io_state = Io {
        lock: None,
        disk: None,
        data_dir,
        sources: sources.clone(),
    };
    // Open the file before the terminal changes, so a bad file is a plain error message.
    if let Some(path) = open {
        let session = io_state.open(&content, &path)?;
        update::update(&mut app, Action::Opened(Box::new(session)), now());
    }

    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
        let file = OPEN_FILE.lock().ok().and_then(|f| f.clone());
        match file {
            Some(p) => eprintln!(
                "stackmap stopped on an internal error. {} is intact: every change was saved before the next key.",
                crate::text::safe(&p.display().to_string())
            ),
            None => eprintln!("stackmap stopped on an internal error; no assessment was open."),
        }
    }));
    enable_raw_mode().map_err(|e| io_error("the terminal", e))?;
    let _guard = TerminalGuard;
    // Bracketed paste: a paste arrives as one `Event::Paste`, never as keys that could answer
    // questions or quit.
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .map_err(|e| io_error("the terminal", e))?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))
        .map_err(|e| io_error("the terminal", e))?;
    let size = terminal.size().map_err(|e| io_error("the terminal", e))?;
    update::update(&mut app, Action::Resize(size.width, size.height), now());

    // Test hook (docs/RELIABILITY.md): with STACKMAP_TEST_PANIC=1 the first key panics, so a
    // test can prove the panic hook restores the terminal. Nothing a user types reaches it.
    let test_panic = std::env::var_os("STACKMAP_TEST_PANIC").is_some_and(|v| v == "1");
    // SIGTERM, SIGINT and SIGHUP (the terminal closed) set this flag: the loop keeps a note's
    // draft, the guard restores the terminal, and the process exits 128 + the signal.
    let stop = signals();
    let mut drawn = false;
    loop {
        // Drawn only when no input is waiting: a burst of keys (a paste into a terminal without
        // bracketed paste sends one key per character) is taken key by key and drawn once at
        // its end, so it costs keys, not keys × frames. Every change is still saved before the
        // next key is read. (A zero timeout would not look at keys already read and parsed:
        // one millisecond.)
        if !drawn && !event::poll(std::time::Duration::from_millis(1)).unwrap_or(false) {
            if let Err(e) = terminal.draw(|f| view::draw(f, &app)) {
                return gone(&mut app, &mut io_state, &content, &stop, e);
            }
            drawn = true;
        }
        let signal = stop.load(std::sync::atomic::Ordering::Relaxed);
        let ready = if signal == 0 {
            event::poll(std::time::Duration::from_millis(IDLE_MS))
        } else {
            Ok(false)
        };
        let waiting = match ready {
            Ok(ready) => !ready,
            // The terminal went away (SIGHUP closes it under us): keep the draft, then stop.
            Err(e) => return gone(&mut app, &mut io_state, &content, &stop, e),
        };
        if waiting {
            // A pause in typing, or a signal: keep what is being typed as a draft.
            keep_draft(&mut app, &mut io_state, &content);
            let signal = stop.load(std::sync::atomic::Ordering::Relaxed);
            if signal != 0 {
                return Ok(128 + signal as i32);
            }
            continue;
        }
        drawn = false;
        let event = match event::read() {
            Ok(event) => event,
            Err(e) => return gone(&mut app, &mut io_state, &content, &stop, e),
        };
        if test_panic && matches!(event, Event::Key(_)) {
            panic!("STACKMAP_TEST_PANIC=1: a deliberate panic, to test the terminal's restoration");
        }
        let action = match event {
            Event::Key(k) => keymap::action(&app, k),
            Event::Resize(w, h) => Some(Action::Resize(w, h)),
            Event::Mouse(m) => keymap::mouse(&app, m),
            Event::Paste(text) => Some(Action::Paste(text)),
            _ => None,
        };
        let Some(action) = action else { continue };
        let effects = update::update(&mut app, action, now());
        if perform_all(&mut app, &mut io_state, &content, effects) {
            return Ok(0);
        }
    }
}

/// Performs the effects, and those their replies bring, now, before the next key; true when
/// one of them is `Quit`.
fn perform_all(
    app: &mut App,
    io_state: &mut Io,
    content: &Content,
    mut effects: Vec<Effect>,
) -> bool {
    while let Some(effect) = (!effects.is_empty()).then(|| effects.remove(0)) {
        if effect == Effect::Quit {
            return true;
        }
        let reply = io_state.perform(content, effect);
        effects.extend(update::update(app, reply, now()));
    }
    false
}

/// How long without a key counts as a pause in typing (a draft of an open note is kept then).
const IDLE_MS: u64 = 700;

/// Keeps a draft of the note being typed, if any (a pause, or the process told to stop).
fn keep_draft(app: &mut App, io_state: &mut Io, content: &Content) {
    let effects = update::update(app, Action::Idle, now());
    perform_all(app, io_state, content, effects);
}

/// The terminal failed under the loop (closed: a read or a draw fails once it is gone): keep
/// the draft of a note being typed, then stop — with 128 + the signal when one came.
fn gone(
    app: &mut App,
    io_state: &mut Io,
    content: &Content,
    stop: &std::sync::atomic::AtomicUsize,
    e: io::Error,
) -> Result<i32> {
    keep_draft(app, io_state, content);
    match stop.load(std::sync::atomic::Ordering::Relaxed) {
        0 => Err(io_error("the terminal", e)),
        signal => Ok(128 + signal as i32),
    }
}

/// The flag SIGTERM, SIGINT and SIGHUP set to their number (0: none yet).
#[cfg(unix)]
fn signals() -> Arc<std::sync::atomic::AtomicUsize> {
    let flag = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for s in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        let _ = signal_hook::flag::register_usize(s, flag.clone(), s as usize);
    }
    flag
}

#[cfg(not(unix))]
fn signals() -> Arc<std::sync::atomic::AtomicUsize> {
    Arc::new(std::sync::atomic::AtomicUsize::new(0))
}

/// Writes a new assessment into `dir` under a name made from the client, never over an
/// existing file (`acme.toml`, `acme-2.toml`, ...).
fn create(dir: &Path, a: &crate::model::Assessment) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut stem = crate::validate::suggest_id(&a.engagement.client);
    if stem.is_empty() {
        stem = "assessment".into();
    }
    let path = workspace::free_path(dir, &stem);
    crate::save::write_atomic(&path, &crate::save::to_toml(a)).map_err(|e| Error::Io {
        path: path.clone(),
        source: e,
    })?;
    Ok(path)
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    let t = chrono::Utc::now();
    chrono::DateTime::from_timestamp(t.timestamp(), 0)
        .unwrap_or(t)
        .fixed_offset()
}

fn io_error(what: &str, e: io::Error) -> Error {
    Error::Io {
        path: what.into(),
        source: e,
    }
}

fn recent_files(dir: &Path, content: &Content) -> (Vec<RecentFile>, Vec<String>) {
    let (found, skipped) = workspace::recent_and_skipped(dir, content, 20);
    let recent = found
        .into_iter()
        .map(|f| RecentFile {
            client: f.assessment.engagement.client.clone(),
            profile: f.assessment.engagement.profile.clone(),
            updated: f
                .assessment
                .engagement
                .updated
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            coverage: f.coverage,
            path: f.path,
        })
        .collect();
    (recent, skipped)
}

/// What the loop holds that the state does not: the file lock and what the file looked like
/// when it was last read or written (to notice another program's edits).
struct Io {
    lock: Option<File>,
    disk: Option<(PathBuf, crate::save::Layout)>,
    data_dir: Option<PathBuf>,
    /// Where content comes from, for snapshots (they freeze the content files' text).
    sources: Sources,
}

impl Io {
    fn open(&mut self, content: &Content, path: &Path) -> Result<Session> {
        let text = crate::content::read_text(path).map_err(|d| Error::Invalid(vec![d]))?;
        let assessment = workspace::load_assessment(path, content)?;
        // A file whose mode bits say read-only (judged from the bits: as root a write would
        // succeed) opens read-only and takes no lock: nothing is written from here.
        let read_only_on_disk = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
        if read_only_on_disk {
            self.lock = None;
        }
        let read_only = read_only_on_disk || {
            // A second stackmap on the same file opens it read-only: the first holds the lock.
            let lock = File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(workspace::lock_path(path))
                .map_err(|e| Error::Io {
                    path: path.to_path_buf(),
                    source: e,
                })?;
            // Let go of the file held so far (reopening the same file must not lock against
            // ourselves: two descriptors of one process conflict).
            self.lock = None;
            match lock.try_lock() {
                Ok(()) => {
                    self.lock = Some(lock);
                    // Holding the lock, no save is in flight: remove an interrupted one's
                    // leftovers.
                    crate::save::clean_leftovers(path);
                    false
                }
                Err(_) => true,
            }
        };
        let assessor = std::env::var("STACKMAP_ASSESSOR")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| assessment.engagement.assessor.clone());
        let canonical = crate::save::to_toml(&assessment);
        self.disk = Some((
            path.to_path_buf(),
            crate::save::Layout::new(text, &canonical),
        ));
        if let Ok(mut f) = OPEN_FILE.lock() {
            *f = Some(path.to_path_buf());
        }
        let mut session =
            Session::new(content, path.to_path_buf(), assessment, assessor, read_only)?;
        session.read_only_on_disk = read_only_on_disk;
        session.draft = crate::draft::Draft::read(path);
        Ok(session)
    }

    fn write(&mut self, path: PathBuf, text: String) -> Action {
        // The file keeps its layout: comments, blank lines and the order someone gave it
        // (`save::keep_layout` over the text as last read or written).
        let kept = match &self.disk {
            Some((p, layout)) if *p == path => layout.apply(&text),
            _ => text.clone(),
        };
        match crate::save::write_atomic(&path, &kept) {
            Ok(()) => {
                self.disk = Some((path, crate::save::Layout::new(kept, &text)));
                Action::Saved(now().format("%H:%M:%S").to_string())
            }
            Err(e) => Action::SaveFailed(format!(
                "NOT SAVED: could not write {}: {e}",
                path.display()
            )),
        }
    }

    /// Writes the assessment to a new file, never over an existing one, and carries on
    /// there: it takes the new file's lock (a second stackmap sees it held).
    fn save_as(&mut self, path: PathBuf, text: String) -> Action {
        if path.exists() {
            return Action::SaveFailed(format!(
                "NOT SAVED: {} exists; choose a new file name",
                path.display()
            ));
        }
        if let Err(e) = crate::save::write_atomic(&path, &text) {
            return Action::SaveFailed(format!(
                "NOT SAVED: could not write {}: {e}",
                path.display()
            ));
        }
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(workspace::lock_path(&path));
        self.lock = None;
        if let Ok(lock) = lock
            && lock.try_lock().is_ok()
        {
            self.lock = Some(lock);
        }
        let layout = crate::save::Layout::new(text.clone(), &text);
        self.disk = Some((path.clone(), layout));
        if let Ok(mut f) = OPEN_FILE.lock() {
            *f = Some(path.clone());
        }
        Action::SavedAs(path, now().format("%H:%M:%S").to_string())
    }

    fn perform(&mut self, content: &Content, effect: Effect) -> Action {
        match effect {
            Effect::Save { path, text } => {
                // Another program changed the file since we read or wrote it: never overwrite
                // that silently.
                if let Some((p, known)) = &self.disk
                    && *p == path
                    && let Ok(on_disk) = std::fs::read_to_string(&path)
                    && on_disk != known.text()
                {
                    return Action::Conflict;
                }
                self.write(path, text)
            }
            Effect::Overwrite { path, text } => self.write(path, text),
            Effect::SaveAs { path, text } => self.save_as(path, text),
            // A draft is a convenience: a draft that cannot be written costs only itself.
            Effect::SaveDraft { path, draft } => {
                let _ = crate::save::write_atomic(&path, &draft.to_toml());
                Action::Nothing
            }
            Effect::ClearDraft(path) => {
                let _ = std::fs::remove_file(path);
                Action::Nothing
            }
            Effect::Open(path) => match self.open(content, &path) {
                Ok(s) => Action::Opened(Box::new(s)),
                Err(e) => {
                    Action::Failed(e.to_string().lines().next().unwrap_or_default().to_string())
                }
            },
            Effect::OpenDemo => {
                let Some(dir) = self.data_dir.clone() else {
                    return Action::Failed(
                        "no data directory on this system; set STACKMAP_HOME".into(),
                    );
                };
                let path = dir.join(crate::demo::FILE_NAME);
                // An existing demo file is opened as it is: it may hold the user's changes.
                let ready = if path.exists() {
                    Ok(path)
                } else {
                    crate::demo::write(&path, false)
                };
                match ready.and_then(|p| self.open(content, &p)) {
                    Ok(s) => Action::Opened(Box::new(s)),
                    Err(e) => Action::Failed(e.to_string()),
                }
            }
            Effect::Create(a) => {
                let Some(dir) = self.data_dir.clone() else {
                    return Action::Failed(
                        "no data directory on this system; set STACKMAP_HOME".into(),
                    );
                };
                match create(&dir, &a).and_then(|p| self.open(content, &p)) {
                    Ok(s) => Action::Opened(Box::new(s)),
                    Err(e) => Action::Failed(e.to_string()),
                }
            }
            Effect::Snapshot { path, label } => {
                match crate::snapshot::take_file(&self.sources, &path, &label, now()) {
                    Ok(p) => Action::Notice(format!(
                        "snapshot \"{}\" taken: {}",
                        crate::text::safe(&label),
                        p.display()
                    )),
                    Err(e) => {
                        Action::Failed(e.to_string().lines().next().unwrap_or_default().to_string())
                    }
                }
            }
            Effect::ReadImport { systems, flows } => {
                let mut files = Vec::new();
                for (is_flows, path) in [(false, systems), (true, flows)] {
                    let Some(path) = path else { continue };
                    match crate::content::read_csv_text(&path) {
                        Ok(text) => files.push((is_flows, path.display().to_string(), text)),
                        Err(d) => return Action::Failed(d.to_string()),
                    }
                }
                Action::ImportRead(files)
            }
            Effect::ListSnapshots(path) => {
                let (entries, skipped) = snapshot_entries(&path);
                Action::SnapshotsListed(entries, skipped)
            }
            Effect::Quit => Action::Nothing,
        }
    }
}

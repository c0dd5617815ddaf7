//! What can happen to the UI: a bound key (`Do`), editing keys, a resize, and the results of
//! the effects the event loop performed. The binding table (`keymap`) turns keys into these.

use super::state::Session;

#[derive(Debug, Clone)]
pub enum Action {
    /// A bound key; the number is the option a digit chose (0-based).
    Do(Do, Option<usize>),
    Insert(char),
    Backspace,
    Delete,
    Newline,
    /// Move the editor cursor by (columns, lines).
    Cursor(i32, i32),
    /// Start (false) or end (true) of the line.
    LineEdge(bool),
    /// The cursor a word left (-1) or right (1).
    Word(i32),
    /// Delete the word before the cursor.
    DeleteWord,
    /// Delete from the start of the line to the cursor.
    DeleteToStart,
    /// Next (1) or previous (-1) field of a form.
    Field(i32),
    Resize(u16, u16),
    /// A click on the Nth entry of the home list: select it and open it.
    Click(usize),
    /// A click on a decision: (lane, index in the lane).
    ClickDecision(usize, usize),
    /// A click on a screen's list or grid: (row, column) in the screen's own terms.
    ClickAt(usize, usize),
    /// A click on the Nth row of the snapshot list.
    ClickSnapshot(usize),
    /// The snapshots of the open assessment, loaded and scored, and the files skipped.
    SnapshotsListed(Vec<super::screens::snapshots::SnapshotEntry>, Vec<String>),
    /// The CSV files to import, read: (flows?, path, text) each.
    ImportRead(Vec<(bool, String, String)>),
    /// The answer to a delete dialog.
    Confirm(bool),
    /// The delete dialog of a hub: delete it, its flows through it kept and made direct.
    ConfirmDirect,
    /// An assessment was loaded.
    Opened(Box<Session>),
    /// A save landed; the time to show.
    Saved(String),
    /// Something the loop did failed; the message to show.
    Failed(String),
    /// Something the loop did worked; the message to show.
    Notice(String),
    /// A save found the file changed by another program and did not write.
    Conflict,
    /// A save could not be written (the folder is read-only, the disk is full, the file
    /// became a folder); the message says why. The change stays in memory, marked unsaved.
    SaveFailed(String),
    /// The assessment was written to a new path (`Effect::SaveAs`) and now lives there; the
    /// time to show.
    SavedAs(std::path::PathBuf, String),
    /// No key for a moment (a pause in typing), or the process was told to stop: keep what is
    /// being typed as a draft.
    Idle,
    /// Text pasted into the terminal (bracketed paste): one edit of the open field, never keys.
    Paste(String),
    /// The user's answer to that.
    Resolve(Resolution),
    Nothing,
}

/// What wins when the file changed on disk under an open session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Write this session's version over theirs.
    Overwrite,
    /// Reload theirs; this session's unsaved change is dropped.
    Reload,
    /// Decide later: keep working here, nothing is written until then.
    Keep,
    /// Quit without writing this session's change.
    Discard,
}

/// What a binding does, without data (digits carry theirs at match time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Do {
    Quit,
    Help,
    Palette,
    Up,
    Down,
    Select,
    Home,
    Choose,
    Toggle,
    Next,
    Previous,
    NextUnanswered,
    /// Confirm the answer read from the inventory: it becomes the person's.
    ConfirmInferred,
    /// Whether `n` also stops at inferred answers, to review them.
    ReviewInferred,
    Unknown,
    NotApplicable,
    /// Choose who is speaking (a respondent or the assessor), or add a respondent.
    Speaker,
    /// Settle the question: the speaker's answer is final, the others are not.
    Settle,
    Confidence,
    Note,
    Value,
    Undo,
    Snapshot,
    Cancel,
    Filter,
    NextScreen,
    PreviousScreen,
    Roadmap,
    /// The decision list: show what to ask next (the open questions) / the lanes.
    Questions,
    DetailDown,
    DetailUp,
    Accept,
    Defer,
    Reject,
    Owner,
    Priority,
    Target,
    Writer,
    Reader,
    View,
    /// The ownership grid: the next scope (brand, region, channel), then the whole estate.
    Scope,
    Left,
    Right,
    Add,
    Delete,
    Import,
    /// Editors: save and close (a note), submit (a field).
    Save,
    NextField,
    PreviousField,
    LineStart,
    LineEnd,
    /// The delete confirmation.
    Yes,
    /// In the delete dialog of a hub: delete it, keeping the flows through it, made direct.
    KeepDirect,
    No,
    /// The file-changed dialog's answers.
    Overwrite,
    Reload,
    Keep,
    Discard,
    /// The interview: jump to the next / previous section or subject.
    NextSection,
    PreviousSection,
    /// The interview: move on after an answer by number, or not.
    AutoAdvance,
    /// Editors: word moves and deletions.
    WordLeft,
    WordRight,
    DeleteWord,
    DeleteToStart,
    /// Clear the current question's answer (a note stays).
    Clear,
    /// The unsaved-change dialog: write it again / under another name.
    Retry,
    SaveElsewhere,
    /// The jump list: back to where the user was before the last jump / forward again.
    JumpBack,
    JumpForward,
    /// The merge conflicts of the open assessment (`[[conflict]]`), to settle one by one.
    MergeConflicts,
    /// In that list: keep the file's version (ours) / the other file's (theirs).
    KeepOurs,
    KeepTheirs,
}

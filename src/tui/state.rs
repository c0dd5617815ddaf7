//! The terminal UI's state: everything a frame is drawn from, and nothing the terminal owns.
//!
//! `update` changes it in answer to an `Action` and returns the effects (save, open, quit)
//! for the event loop to perform; views read it and never change it. The open assessment is
//! a `Session`: the model, the engine's evaluation of it (recomputed after every change; no
//! screen computes numbers of its own), and where the interview stands.

use std::path::PathBuf;
use std::sync::Arc;

use crate::content::Content;
use crate::engine::{self, Evaluation, QuestionState};
use crate::model::{Answer, Assessment};

/// Which top-level screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Interview,
    Inventory,
    Ownership,
    Results,
    Decisions,
    Vendors,
    Map,
    Snapshots,
}

impl Screen {
    /// The screens of an open assessment, in tab order.
    pub const TABS: &[Screen] = &[
        Screen::Interview,
        Screen::Inventory,
        Screen::Ownership,
        Screen::Results,
        Screen::Decisions,
        Screen::Vendors,
        Screen::Map,
        Screen::Snapshots,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Screen::Home => "Home",
            Screen::Interview => "Interview",
            Screen::Inventory => "Inventory",
            Screen::Ownership => "Ownership",
            Screen::Results => "Results",
            Screen::Decisions => "Decisions",
            Screen::Vendors => "Vendors",
            Screen::Map => "Map",
            Screen::Snapshots => "Snapshots",
        }
    }
}

/// Where the decision list stands: the lane in focus and the selected row of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecisionsState {
    /// 0: immediate fixes, 1: architecture changes.
    pub lane: usize,
    pub selected: [usize; 2],
    /// With `Some`, the keys move through the selected decision's reasons instead.
    pub reason: Option<usize>,
    /// The roadmap (slices) in place of the lanes, scrolled by this many lines.
    pub roadmap: Option<usize>,
    /// Lines the selected decision's detail is scrolled down by.
    pub detail: u16,
}

/// A snapshot of the open assessment, loaded and scored with its own frozen content.
#[derive(Debug, Clone)]
pub struct SnapshotEntry {
    pub path: PathBuf,
    pub snapshot: Arc<crate::snapshot::Snapshot>,
    pub eval: Arc<Evaluation>,
}

/// The snapshots screen: the list (the live assessment first, then the snapshots newest
/// first), which two are compared, and the diff between them.
#[derive(Debug, Clone, Default)]
pub struct SnapshotsState {
    /// Oldest first, as `snapshot::list` gives them.
    pub entries: Vec<SnapshotEntry>,
    /// Files in the snapshot folder that are not valid snapshots, one line each.
    pub skipped: Vec<String>,
    /// The row under the cursor: 0 is the live assessment, k is the kth newest snapshot.
    pub selected: usize,
    /// The row marked with space as the other side of the comparison.
    pub mark: Option<usize>,
    /// 0: the list has the keys, 1: the diff has them.
    pub focus: usize,
    /// The highlighted line of the diff.
    pub line: usize,
    /// The diff shown: (older row, newer row, the diff between them).
    pub diff: Option<(usize, usize, crate::diff::Diff)>,
    /// The diff as the screen lists it, made once per pick (the frame draws it and `Enter`
    /// reads what a line opens).
    pub lines: Vec<super::view::DiffLine>,
}

impl SnapshotsState {
    /// The entry shown on a row (row 0, the live assessment, has none).
    pub fn entry(&self, row: usize) -> Option<&SnapshotEntry> {
        row.checked_sub(1)
            .and_then(|k| self.entries.len().checked_sub(k + 1))
            .and_then(|i| self.entries.get(i))
    }

    pub fn rows(&self) -> usize {
        self.entries.len() + 1
    }

    /// The two rows compared, older first: the marked row and the selected one; with no
    /// mark, the selected snapshot against the live assessment, and on the live row the
    /// newest snapshot against it ("what changed since last time").
    pub fn pair(&self) -> Option<(usize, usize)> {
        if self.entries.is_empty() {
            return None;
        }
        let (x, y) = match self.mark {
            Some(m) if m != self.selected => (m, self.selected),
            _ if self.selected == 0 => (1, 0),
            _ => (self.selected, 0),
        };
        // A higher row is older; the live row (0) is the newest of all.
        Some((x.max(y), x.min(y)))
    }
}

/// The vendor comparison: which category, scrolled how far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VendorsState {
    /// Index into the evaluation's `vendors`.
    pub category: usize,
    pub top: usize,
    /// The first system column shown, when they do not all fit.
    pub first: usize,
}

/// The source-of-truth grid: the selected cell (a data object, a system column) and whether
/// it shows the stack as it is or as it should be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnershipState {
    pub row: usize,
    pub col: usize,
    pub to_be: bool,
}

/// The ecosystem map: the selected system (a category group, a system in it) and how far
/// its detail is scrolled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapState {
    pub group: usize,
    pub index: usize,
    pub detail: u16,
    /// The systems as boxes with arrows (`true`) instead of the drawing with its flows.
    pub boxes: bool,
}

/// An entry on the home screen.
#[derive(Debug, Clone, PartialEq)]
pub enum HomeEntry {
    /// Start a new assessment: client, title, profile.
    New,
    /// Open the demo engagement (written to the data dir the first time).
    Demo,
    /// An assessment found in the data dir.
    Recent(RecentFile),
    /// Type a path to open.
    OpenFile,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecentFile {
    pub path: PathBuf,
    pub client: String,
    pub profile: String,
    /// Last change, as recorded in the file (`[engagement] updated`), for display.
    pub updated: String,
    /// Answered applicable questions ÷ applicable questions.
    pub coverage: f64,
}

#[derive(Debug, Clone, Default)]
pub struct HomeState {
    pub recent: Vec<RecentFile>,
    pub selected: usize,
    /// `/` narrows the recent assessments to those whose client, profile or path contain it.
    pub filter: String,
}

impl HomeState {
    pub fn entries(&self) -> Vec<HomeEntry> {
        let mut v = vec![HomeEntry::New, HomeEntry::Demo];
        let needle = self.filter.to_lowercase();
        v.extend(
            self.recent
                .iter()
                .filter(|r| {
                    needle.is_empty()
                        || r.client.to_lowercase().contains(&needle)
                        || r.profile.to_lowercase().contains(&needle)
                        || r.path.to_string_lossy().to_lowercase().contains(&needle)
                })
                .cloned()
                .map(HomeEntry::Recent),
        );
        v.push(HomeEntry::OpenFile);
        v
    }
}

/// A one-line text field (a path, a number, a text answer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineInput {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

impl LineInput {
    pub fn with(text: &str) -> Self {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }
}

/// A multi-line text field (notes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextArea {
    pub lines: Vec<String>,
    /// (line, column in characters).
    pub cursor: (usize, usize),
}

impl TextArea {
    pub fn with(text: &str) -> Self {
        let lines: Vec<String> = if text.is_empty() {
            vec![String::new()]
        } else {
            text.split('\n').map(str::to_string).collect()
        };
        let last = lines.len() - 1;
        let col = lines[last].chars().count();
        TextArea {
            lines,
            cursor: (last, col),
        }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// What a text field is for, so Enter knows what to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// A path to open, from the home screen.
    OpenPath,
    /// Narrowing the home screen's list.
    Filter,
    /// The value of a number, scale or text question.
    Value,
    /// The label of a snapshot to take.
    SnapshotLabel,
    /// The owner of the selected decision.
    DecisionOwner,
    /// A manual priority for the selected decision: `N reason`.
    DecisionPriority,
}

/// The new-assessment form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewForm {
    /// 0 client, 1 title, 2 profile.
    pub field: usize,
    pub client: LineInput,
    pub title: LineInput,
    /// Index into the content's profiles.
    pub profile: usize,
}

/// Something drawn over the screen that takes the keys while it is open.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Input(InputPurpose, LineInput),
    Note(TextArea),
    New(NewForm),
    Palette(PaletteState),
    /// The file changed on disk since it was opened: the user decides what wins.
    Conflict,
    /// A form: a system, a flow, a pain point, an initiative, files to import.
    Form(Box<super::screens::form::Form>),
    /// A deletion waiting for yes or no, with what it takes along.
    Confirm(Box<super::screens::inventory::Confirm>),
    /// The engagement summary being written.
    Summary(TextArea),
    /// Lines to read (why an import was refused); any key closes it.
    Message(Box<Message>),
}

/// Something to read in a box: a title and its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub title: String,
    pub lines: Vec<String>,
    /// Lines scrolled down by (the view clamps it).
    pub scroll: u16,
}

/// The command palette: what was typed and what it found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PaletteState {
    pub query: LineInput,
    pub hits: Vec<super::palette::Hit>,
    pub selected: usize,
}

/// Something the loop must do: I/O the update function does not do itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the text atomically to the path, unless another program changed the file since
    /// it was read or written. The loop answers with `Saved`, `Conflict` or `Failed`.
    Save {
        path: PathBuf,
        text: String,
    },
    /// Write it even though the file changed on disk: the user chose to keep their version.
    Overwrite {
        path: PathBuf,
        text: String,
    },
    /// Load an assessment and open it. Answered with `Opened` or `Failed`.
    Open(PathBuf),
    /// Write the demo engagement (if not there yet) and open it.
    OpenDemo,
    /// Write a new assessment in the data dir (under a name not yet taken) and open it.
    Create(Box<Assessment>),
    /// Snapshot the assessment file (as saved) under the label. Answered with `Notice` or
    /// `Failed`.
    Snapshot {
        path: PathBuf,
        label: String,
    },
    /// Read the CSV files to import. Answered with `ImportRead` or `Failed`.
    ReadImport {
        systems: Option<PathBuf>,
        flows: Option<PathBuf>,
    },
    /// Load and score the snapshots of the assessment. Answered with `SnapshotsListed`.
    ListSnapshots(PathBuf),
    Quit,
}

/// Where the interview stands: one question of one subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub questionnaire: Arc<str>,
    pub subject: Option<Arc<str>>,
    pub question: Arc<str>,
}

impl Position {
    pub fn of(q: &QuestionState) -> Self {
        Position {
            questionnaire: q.questionnaire.clone(),
            subject: q.subject.clone(),
            question: q.question.clone(),
        }
    }

    pub fn matches(&self, q: &QuestionState) -> bool {
        self.questionnaire == q.questionnaire
            && self.subject == q.subject
            && self.question == q.question
    }
}

/// One change, kept so Ctrl-z can take it back.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// An answer changed: the answer before it (`None` when there was none).
    Answer {
        key: (String, Option<String>, String),
        before: Option<Box<Answer>>,
    },
    /// The inventory, the ownership map or a decision override changed: the whole
    /// assessment before it.
    Assessment(Box<Assessment>),
}

/// At most this many whole-assessment undo steps are kept (the oldest go first): each is a
/// copy of the engagement.
pub const UNDO_WHOLE: usize = 30;

/// An open assessment.
#[derive(Debug, Clone)]
pub struct Session {
    pub path: PathBuf,
    pub assessment: Assessment,
    pub eval: Evaluation,
    /// Indexes into `eval.questions` of the applicable questions, in interview order.
    pub asked: Vec<usize>,
    /// Position in `asked`.
    pub cursor: usize,
    /// The highlighted option of the current question.
    pub option: usize,
    pub undo: Vec<Undo>,
    /// Another stackmap holds the file: look, do not touch.
    pub read_only: bool,
    /// A change is in memory that is not on disk (the user chose to keep working after the
    /// file changed on disk). Quitting asks first.
    pub unsaved: bool,
    /// Who answers ("by"), from `STACKMAP_ASSESSOR` or the engagement's assessor.
    pub assessor: String,
}

impl Session {
    /// Builds a session and puts the cursor on the first unanswered applicable question.
    pub fn new(
        content: &Content,
        path: PathBuf,
        assessment: Assessment,
        assessor: String,
        read_only: bool,
    ) -> Option<Session> {
        let profile = content.profile(&assessment.engagement.profile)?;
        let eval = engine::evaluate(content, profile, &assessment, None);
        let mut s = Session {
            path,
            assessment,
            eval,
            asked: Vec::new(),
            cursor: 0,
            option: 0,
            undo: Vec::new(),
            read_only,
            unsaved: false,
            assessor,
        };
        s.reindex();
        s.cursor = s.first_unanswered_from(0).unwrap_or(0);
        Some(s)
    }

    fn reindex(&mut self) {
        self.asked = self
            .eval
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.applicable)
            .map(|(i, _)| i)
            .collect();
    }

    /// Re-evaluates after a change, keeping the cursor on the same question where it still
    /// applies, else on the nearest one after it.
    pub fn refresh(&mut self, content: &Content) {
        let here = self.current().map(Position::of);
        let index_here = self.asked.get(self.cursor).copied().unwrap_or(0);
        if let Some(profile) = content.profile(&self.assessment.engagement.profile) {
            self.eval = engine::evaluate(content, profile, &self.assessment, None);
        }
        self.reindex();
        self.cursor = match here {
            Some(p) => self
                .asked
                .iter()
                .position(|&i| p.matches(&self.eval.questions[i]))
                .or_else(|| self.asked.iter().position(|&i| i >= index_here))
                .unwrap_or(self.asked.len().saturating_sub(1)),
            None => 0,
        };
    }

    pub fn current(&self) -> Option<&QuestionState> {
        self.asked
            .get(self.cursor)
            .map(|&i| &self.eval.questions[i])
    }

    pub fn first_unanswered_from(&self, from: usize) -> Option<usize> {
        let n = self.asked.len();
        (0..n).map(|k| (from + k) % n).find(|&k| {
            let q = &self.eval.questions[self.asked[k]];
            !q.answered && !q.unknown
        })
    }

    pub fn answer(&self, q: &QuestionState) -> Option<&Answer> {
        self.assessment.answers.iter().find(|a| {
            *a.questionnaire == *q.questionnaire
                && a.subject.as_deref() == q.subject.as_deref()
                && *a.question == *q.question
        })
    }
}

/// The whole UI state.
#[derive(Debug, Clone)]
pub struct App {
    pub content: Arc<Content>,
    pub screen: Screen,
    pub size: (u16, u16),
    pub home: HomeState,
    pub session: Option<Session>,
    pub overlay: Option<Overlay>,
    /// The last thing worth telling the user ("saved 10:42:07", an error).
    pub status: String,
    pub saved_at: Option<String>,
    pub no_color: bool,
    /// Lines the help is scrolled down by, when it is taller than the terminal.
    pub help_scroll: u16,
    pub decisions: DecisionsState,
    pub snapshots: SnapshotsState,
    /// The first line the results page shows.
    pub results_top: usize,
    pub vendors: VendorsState,
    pub ownership: OwnershipState,
    pub map: MapState,
    pub inventory: super::screens::inventory::InventoryState,
}

impl App {
    pub fn new(content: Arc<Content>, recent: Vec<RecentFile>, no_color: bool) -> Self {
        App {
            content,
            screen: Screen::Home,
            size: (80, 24),
            home: HomeState {
                recent,
                selected: 0,
                filter: String::new(),
            },
            session: None,
            overlay: None,
            status: String::new(),
            saved_at: None,
            no_color,
            help_scroll: 0,
            decisions: DecisionsState::default(),
            snapshots: SnapshotsState::default(),
            results_top: 0,
            vendors: VendorsState::default(),
            ownership: OwnershipState::default(),
            map: MapState::default(),
            inventory: Default::default(),
        }
    }
}

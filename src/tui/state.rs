//! The terminal UI's state: everything a frame is drawn from, and nothing the terminal owns.
//!
//! `update` changes it in answer to an `Action` and returns the effects (save, open, quit)
//! for the event loop to perform; views read it and never change it. The open assessment is
//! a `Session`: the model, the engine's evaluation of it (recomputed after every change; no
//! screen computes numbers of its own), and where the interview stands.

use std::path::PathBuf;
use std::sync::Arc;

use super::overlays::Message;
use super::overlays::new_form::NewForm;
use super::palette::PaletteState;
use super::screens::Screens;
use super::screens::home::{HomeState, RecentFile};
use super::widgets::form::Form;
use super::widgets::line::{LineInput, TextArea};
use crate::content::Content;
use crate::engine::{self, Evaluation, QuestionState};
use crate::model::{Answer, AnswerState, Assessment, Question, Value};
use crate::vocab::QuestionKind;

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

/// What a text field is for, so Enter knows what to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// A path to open, from the home screen.
    OpenPath,
    /// Narrowing the home screen's list.
    Filter,
    /// Narrowing the decision list (by title or owner).
    DecisionFilter,
    /// The value of a number, scale or text question.
    Value,
    /// The label of a snapshot to take.
    SnapshotLabel,
    /// The owner of the selected decision.
    DecisionOwner,
    /// A manual priority for the selected decision: `N reason`.
    DecisionPriority,
    /// Another path to write the assessment to, when its own file cannot be written.
    SaveAs,
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
    Form(Box<Form>),
    /// A deletion waiting for yes or no, with what it takes along.
    Confirm(Box<super::screens::inventory::Confirm>),
    /// The engagement summary being written.
    Summary(TextArea),
    /// Lines to read (why an import was refused); any key closes it.
    Message(Box<Message>),
    /// A change is not on disk (the save failed) and the user asked to quit: try again, save
    /// it elsewhere, quit without it, or keep working.
    Unsaved,
    /// The merge conflicts the file holds (`[[conflict]]`), settled one by one.
    Merge(super::overlays::merge::MergeList),
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
    /// Keep a note being typed beside the assessment (`draft::path`), to offer back if the
    /// session ends before the note is saved.
    SaveDraft {
        path: PathBuf,
        draft: crate::draft::Draft,
    },
    /// The note was saved: its draft goes.
    ClearDraft(PathBuf),
    /// Write the assessment to a new file (never over an existing one) and carry on there.
    /// Answered with `SavedAs` or `SaveFailed`.
    SaveAs {
        path: PathBuf,
        text: String,
    },
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

/// Where the user was before a jump: a screen, and on the interview the question. `Ctrl-o`
/// goes back to it (a jump list, as in editors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub screen: Screen,
    pub question: Option<Position>,
}

/// The jump list: places left by a jump (newest last), and places left by going back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jumps {
    pub back: Vec<Place>,
    pub forward: Vec<Place>,
}

/// At most this many places are kept on each side of the jump list.
pub const JUMPS_KEPT: usize = 100;

/// How far the interview has come over some questions: each applicable question is answered,
/// unknown (asked, nobody knew: dealt with, it is not left to ask in this interview) or left.
/// A question marked not applicable is in none of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Answered by a person.
    pub answered: u32,
    /// Answered from the inventory (`[[infer]]`), not confirmed yet.
    pub inferred: u32,
    pub unknown: u32,
    pub left: u32,
}

impl Progress {
    /// Answered (by a person or from the map) or unknown: what the interview has dealt with.
    pub fn dealt(&self) -> u32 {
        self.answered + self.inferred + self.unknown
    }

    /// Counts one applicable question.
    pub fn add(&mut self, q: &QuestionState) {
        if q.answered && q.inferred {
            self.inferred += 1;
        } else if q.answered {
            self.answered += 1;
        } else if q.unknown {
            self.unknown += 1;
        } else if q.asked {
            self.left += 1;
        }
    }

    pub fn applicable(&self) -> u32 {
        self.dealt() + self.left
    }

    /// `12 answered · 3 unknown · 5 left`; with answers inferred from the map,
    /// `12 answered · 4 inferred · 3 unknown · 5 left`.
    pub fn label(&self) -> String {
        if self.inferred == 0 {
            format!(
                "{} answered · {} unknown · {} left",
                self.answered, self.unknown, self.left
            )
        } else {
            format!(
                "{} answered · {} inferred · {} unknown · {} left",
                self.answered, self.inferred, self.unknown, self.left
            )
        }
    }
}

/// One change, kept so Ctrl-z can take it back.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// An answer changed: the answer before it (`None` when there was none).
    Answer {
        /// (questionnaire, subject, question, respondent): `None` is the assessor.
        key: (String, Option<String>, String, Option<String>),
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
    /// Another stackmap holds the file, or its mode bits say read-only: look, do not touch.
    pub read_only: bool,
    /// Read-only because the file's mode bits say so (not because another stackmap holds it).
    pub read_only_on_disk: bool,
    /// A change is in memory that is not on disk: the file changed on disk and the user chose
    /// to keep working, or a save failed. The status line says so until a save lands, and
    /// quitting asks first.
    pub unsaved: bool,
    /// Why the last save failed, while it is not on disk.
    pub save_error: Option<String>,
    /// A note half-typed before (kept beside the file), offered back when its question's note
    /// is opened; and the text last kept as a draft in this session.
    pub draft: Option<crate::draft::Draft>,
    pub drafted: Option<String>,
    /// Who answers ("by"), from `STACKMAP_ASSESSOR` or the engagement's assessor.
    pub assessor: String,
    /// How many times the assessment has changed since it was opened: a screen that keeps
    /// something computed from it (the snapshot diff) knows when to compute it again.
    pub edits: u64,
    /// Where `Ctrl-o` goes back to (and the forward key forward to again).
    pub jumps: Jumps,
    /// Who is speaking: answers taken now are this respondent's (`None`: the assessor's).
    /// Remembered until changed.
    pub speaker: Option<String>,
    /// What the last evaluation keeps for re-scoring after one answer (`None` until the
    /// profile is known to be in force).
    memo: Option<engine::incremental::Memo>,
}

type EvalParts<'s> = (
    &'s std::path::Path,
    &'s Assessment,
    &'s mut Evaluation,
    &'s mut Option<engine::incremental::Memo>,
);

/// Evaluates the assessment again, in place: after a change to one question's answers alone
/// (`changed`) only what reads them, else everything. Returns what is left of the previous
/// evaluation. The profile was in force when the session opened; content does not change
/// under it (if it is gone, the evaluation stays as it was).
fn evaluate(
    (path, assessment, eval, memo): EvalParts<'_>,
    content: &Content,
    changed: Option<(&str, Option<&str>, &str)>,
) -> Option<Evaluation> {
    let file = path.display().to_string();
    let profile = engine::profile_of(content, assessment, &file).ok()?;
    match (memo.as_mut(), changed) {
        (Some(m), Some(changed)) => {
            Some(m.answer_changed(content, profile, assessment, None, eval, changed))
        }
        _ => {
            let (fresh, m) =
                engine::incremental::Memo::evaluate(content, profile, assessment, None);
            *memo = Some(m);
            Some(std::mem::replace(eval, fresh))
        }
    }
}

impl Session {
    /// Builds a session and puts the cursor on the first unanswered applicable question.
    /// Fails when the assessment's profile is not in force.
    pub fn new(
        content: &Content,
        path: PathBuf,
        assessment: Assessment,
        assessor: String,
        read_only: bool,
    ) -> crate::error::Result<Session> {
        let profile = engine::profile_of(content, &assessment, &path.display().to_string())?;
        let (eval, memo) = engine::incremental::Memo::evaluate(content, profile, &assessment, None);
        let mut s = Session {
            path,
            assessment,
            eval,
            asked: Vec::new(),
            cursor: 0,
            option: 0,
            undo: Vec::new(),
            read_only,
            read_only_on_disk: false,
            unsaved: false,
            save_error: None,
            draft: None,
            drafted: None,
            assessor,
            speaker: None,
            edits: 0,
            jumps: Jumps::default(),
            memo: Some(memo),
        };
        s.reindex();
        s.cursor = s.first_unanswered_from(0).unwrap_or(0);
        Ok(s)
    }

    fn reindex(&mut self) {
        self.asked = self
            .eval
            .questions
            .iter()
            .enumerate()
            // The interview walks what the profile asks (an answer heard outside it counts in
            // the scores but is not a question to ask), and keeps a question marked not
            // applicable where it was, so the mark can be taken back.
            .filter(|(_, q)| (q.applicable || q.na) && q.asked)
            .map(|(i, _)| i)
            .collect();
    }

    /// Re-evaluates after a change, keeping the cursor on the same question where it still
    /// applies, else on the nearest one after it.
    pub fn refresh(&mut self, content: &Content) {
        let here = self.here();
        let old = evaluate(self.parts(), content, None);
        self.apply(here, old);
    }

    /// [`Session::refresh`] after a change to the answers of one question alone
    /// (questionnaire, subject, question): only what reads them is scored again
    /// (`engine::incremental`), with the same result.
    pub fn refresh_answer(&mut self, content: &Content, changed: (&str, Option<&str>, &str)) {
        let here = self.here();
        let old = evaluate(self.parts(), content, Some(changed));
        self.apply(here, old);
    }

    /// [`Session::refresh_answer`] and the save text of the assessment as it now is, built at
    /// once on two threads: on a large engagement each takes milliseconds of the key's
    /// budget, and both only read the assessment.
    pub fn refresh_and_text(
        &mut self,
        content: &Content,
        changed: (&str, Option<&str>, &str),
    ) -> String {
        let here = self.here();
        let parts = self.parts();
        let assessment = parts.1;
        let (old, text) = std::thread::scope(|scope| {
            let text = std::thread::Builder::new()
                .name("save-text".into())
                .spawn_scoped(scope, move || crate::save::to_toml(assessment));
            let old = evaluate(parts, content, Some(changed));
            let text = match text {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: the same text, here.
                Err(_) => crate::save::to_toml(assessment),
            };
            (old, text)
        });
        self.apply(here, old);
        text
    }

    /// What an evaluation reads and writes, borrowed apart: the save text is built from the
    /// assessment at the same time.
    fn parts(&mut self) -> EvalParts<'_> {
        (&self.path, &self.assessment, &mut self.eval, &mut self.memo)
    }

    /// Where the cursor is, to find it again after an evaluation.
    fn here(&self) -> (Option<Position>, usize) {
        (
            self.current().map(Position::of),
            self.asked.get(self.cursor).copied().unwrap_or(0),
        )
    }

    /// After an evaluation (`old`: what is left of the previous one): the interview's index
    /// and the cursor on the same question as before where it still applies.
    fn apply(&mut self, (here, index_here): (Option<Position>, usize), old: Option<Evaluation>) {
        self.edits += 1;
        if let Some(old) = old {
            // Freeing the last evaluation of a large engagement takes milliseconds the next
            // frame need not wait for. If no thread can be started, it is freed here.
            let _ = std::thread::Builder::new()
                .name("free-evaluation".into())
                .spawn(move || drop(old));
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
        self.first_open_from(from, false)
    }

    /// The next question to ask from `from` on (wrapping): unanswered, or with `inferred`
    /// also one answered from the map and not confirmed yet.
    pub fn first_open_from(&self, from: usize, inferred: bool) -> Option<usize> {
        let n = self.asked.len();
        (0..n).map(|k| (from + k) % n).find(|&k| {
            let q = &self.eval.questions[self.asked[k]];
            (!q.answered || (inferred && q.inferred)) && !q.unknown && !q.na
        })
    }

    /// The progress over the applicable questions that `within` keeps.
    pub fn progress(&self, within: impl Fn(&QuestionState) -> bool) -> Progress {
        let mut p = Progress::default();
        for q in self
            .eval
            .questions
            .iter()
            .filter(|q| q.applicable && within(q))
        {
            p.add(q);
        }
        p
    }

    /// Why a change is refused in a read-only session, and what to do about it.
    pub fn read_only_reason(&self) -> String {
        if self.read_only_on_disk {
            format!(
                "read-only: the file is read-only on disk (chmod u+w {} and reopen to edit)",
                self.path.display()
            )
        } else {
            "read-only: another stackmap has this file open".into()
        }
    }

    /// The question under the cursor, from the content.
    pub fn question<'c>(&self, content: &'c Content) -> Option<&'c Question> {
        let q = self.current()?;
        content
            .questionnaire(&q.questionnaire)?
            .question(&q.question)
    }

    /// Puts the option highlight on the current answer (or the first option).
    pub fn sync_option(&mut self, content: &Content) {
        let Some(q) = self.question(content) else {
            return;
        };
        let answer = self
            .current()
            .and_then(|c| self.answer(c))
            .map(|a| a.state.clone());
        self.option = match (answer, q.kind) {
            (Some(AnswerState::Value(Value::Choice(c))), _) => {
                q.options.iter().position(|o| o.id == c).unwrap_or(0)
            }
            (Some(AnswerState::Value(Value::Number(x))), QuestionKind::Scale) => {
                (x - q.min.unwrap_or(0.0)).max(0.0) as usize
            }
            (Some(AnswerState::Value(Value::System(id))), _) => self
                .assessment
                .systems
                .iter()
                .position(|x| x.id == id)
                .unwrap_or(0),
            _ => 0,
        };
    }

    /// The answer the screen shows and edits: the assessor's own, else (only respondents have
    /// answered) the first respondent's, shown until the assessor answers.
    pub fn answer(&self, q: &QuestionState) -> Option<&Answer> {
        let mut all = self.assessment.answers.iter().filter(|a| {
            *a.questionnaire == *q.questionnaire
                && a.subject.as_deref() == q.subject.as_deref()
                && *a.question == *q.question
        });
        // A respondent is speaking: their answer, and only theirs.
        if let Some(who) = &self.speaker {
            return all.find(|a| a.respondent.as_ref() == Some(who));
        }
        let first = all.next()?;
        if first.respondent.is_none() {
            return Some(first);
        }
        all.find(|a| a.respondent.is_none()).or(Some(first))
    }
}

/// The whole UI state.
#[derive(Debug, Clone)]
pub struct App {
    pub content: Arc<Content>,
    pub screen: Screen,
    pub size: (u16, u16),
    /// The home screen: it outlives the files opened from it.
    pub home: HomeState,
    pub session: Option<Session>,
    pub overlay: Option<Overlay>,
    /// The last thing worth telling the user ("saved 10:42:07", an error).
    pub status: String,
    pub saved_at: Option<String>,
    pub no_color: bool,
    /// Lines the help is scrolled down by, when it is taller than the terminal.
    pub help_scroll: u16,
    /// After an answer by number key, move to the next unanswered question (`A` toggles).
    pub auto_advance: bool,
    /// `n` also stops at answers inferred from the map, to review them (`I` toggles).
    pub review_inferred: bool,
    /// What the status line says once the save the last key asked for has landed (a save
    /// clears older messages).
    pub after_save: Option<String>,
    /// Where each screen of the open assessment stands; a new file starts them afresh.
    pub screens: Screens,
}

impl App {
    pub fn new(content: Arc<Content>, recent: Vec<RecentFile>, no_color: bool) -> Self {
        App {
            content,
            screen: Screen::Home,
            size: (80, 24),
            home: HomeState {
                recent,
                ..HomeState::default()
            },
            session: None,
            overlay: None,
            status: String::new(),
            saved_at: None,
            no_color,
            help_scroll: 0,
            auto_advance: true,
            review_inferred: false,
            after_save: None,
            screens: Screens::default(),
        }
    }
}

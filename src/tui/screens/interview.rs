//! The interview: the questionnaires question by question. Answers, notes, confidence,
//! unknown and not applicable, each saved before the next key.
//!
//! ```text
//! ┌ stackmap ─ client — title ───────────────────────────────────────────────┐
//! │ tree: questionnaires,  │ questionnaire › subject › section      k of N     │
//! │ the current one's      │ prompt                                            │
//! │ subjects and sections, │ 1 ○ option …                                       │
//! │ each answered/asked    │ answer · confidence · by · at · note              │
//! │                        │ help                                              │
//! └──────────────────────────────────────────────────────────── Tab screens ─┘
//! ```
//!
//! Only what is visible is built: the tree is cut to a window around the current line, so
//! a frame costs the same on a large engagement as on the demo.

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use rustc_hash::FxHashMap as HashMap;

use crate::model::{Answer, AnswerState, Question, Value};
use crate::text::{safe, safe_multiline};
use crate::tui::action::{Action, Do};
use crate::tui::edit;
use crate::tui::jumps;
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, InputPurpose, Overlay, Progress, Screen, Session};
use crate::tui::theme::Theme;
use crate::tui::widgets::{
    self,
    line::{LineInput, TextArea},
};
use crate::validate::assessment::typed_value;
use crate::vocab::{Confidence, QuestionKind, Scope};

/// The label of the interview's key for `d`, for hints.
fn key(d: Do) -> String {
    keymap::key(Context::On(Screen::Interview), d)
}

/// What `n` and an answer by number say when no question is left to ask.
const NOTHING_LEFT: &str =
    "nothing left to ask: every question is answered, unknown or not applicable";

/// Opens the interview on the `k`th asked question: a jump, which `Ctrl-o` comes back from.
pub fn open(app: &mut App, k: usize) {
    let before = jumps::here(app);
    if let Some(s) = app.session.as_mut() {
        s.cursor = k.min(s.asked.len().saturating_sub(1));
        app.screen = Screen::Interview;
        s.sync_option(&app.content);
    }
    jumps::jumped(app, before);
}

/// How many choices the current question offers on the number keys.
fn choices(s: &Session, q: &Question) -> usize {
    match q.kind {
        QuestionKind::Single | QuestionKind::YesNo | QuestionKind::Multi => q.options.len(),
        QuestionKind::Scale => (q.max.unwrap_or(0.0) - q.min.unwrap_or(0.0)) as usize + 1,
        QuestionKind::SystemPick => s.assessment.systems.len(),
        QuestionKind::Number | QuestionKind::Text => 0,
    }
}

/// Where `{` and `}` go: the first question of the next section or subject (a section of
/// another subject counts as another), or the first of this one — and from its first, the
/// first of the one before. Stays put at the ends.
fn section_jump(s: &Session, forward: bool) -> usize {
    let place = |k: usize| {
        let q = &s.eval.questions[s.asked[k]];
        (
            q.questionnaire.clone(),
            q.subject.clone(),
            q.section.clone(),
        )
    };
    let here = place(s.cursor);
    if forward {
        (s.cursor + 1..s.asked.len())
            .find(|&k| place(k) != here)
            .unwrap_or(s.cursor)
    } else {
        let start = |k: usize| {
            (0..=k)
                .rev()
                .take_while(|&j| place(j) == place(k))
                .last()
                .unwrap_or(k)
        };
        let first = start(s.cursor);
        if first < s.cursor || first == 0 {
            first
        } else {
            start(first - 1)
        }
    }
}

/// The question under the cursor, from the content (a copy: the answer changes the app).
fn current_question(app: &App) -> Option<Question> {
    app.session
        .as_ref()
        .and_then(|s| s.question(&app.content))
        .cloned()
}

/// The interview's keys: move between questions and options, answer, mark, annotate.
pub fn update(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let content = app.content.clone();
    let Some(q) = current_question(app) else {
        if let Action::Do(Do::Home, _) = action {
            app.screen = Screen::Home;
        }
        return Vec::new();
    };
    let Some(s) = app.session.as_mut() else {
        return Vec::new();
    };
    let n = choices(s, &q);
    match action {
        Action::Do(Do::Home, _) => {
            app.screen = Screen::Home;
            Vec::new()
        }
        Action::Do(Do::Up, _) => {
            s.option = s.option.saturating_sub(1);
            Vec::new()
        }
        Action::Do(Do::Down, _) => {
            s.option = (s.option + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        Action::Do(Do::Next, _) => {
            s.cursor = (s.cursor + 1).min(s.asked.len().saturating_sub(1));
            s.sync_option(&content);
            Vec::new()
        }
        Action::Do(Do::Previous, _) => {
            s.cursor = s.cursor.saturating_sub(1);
            s.sync_option(&content);
            Vec::new()
        }
        Action::Do(d @ (Do::NextSection | Do::PreviousSection), _) => {
            let k = section_jump(s, d == Do::NextSection);
            open(app, k);
            Vec::new()
        }
        // Answers inferred from the map are skipped unless the user reviews them (`I`).
        Action::Do(Do::NextUnanswered, _) => {
            match s.first_open_from(s.cursor + 1, app.review_inferred) {
                Some(k) => open(app, k),
                None => app.status = NOTHING_LEFT.into(),
            }
            Vec::new()
        }
        Action::Do(Do::ReviewInferred, _) => {
            app.review_inferred = !app.review_inferred;
            app.status = if app.review_inferred {
                format!(
                    "{} also stops at answers inferred from the map, to confirm them",
                    key(Do::NextUnanswered)
                )
            } else {
                format!(
                    "{} skips answers inferred from the map",
                    key(Do::NextUnanswered)
                )
            };
            Vec::new()
        }
        Action::Do(Do::ConfirmInferred, _) => {
            let inferred = s
                .current()
                .and_then(|c| s.answer(c))
                .is_some_and(Answer::is_inferred);
            if !inferred {
                app.status = "nothing to confirm: this answer was not inferred from the map".into();
                return Vec::new();
            }
            let by = s.assessor.clone();
            let effects = edit::change_answer(app, now, false, |a| {
                crate::infer::confirm_answer(a, None, by, now);
                Ok(())
            });
            if !effects.is_empty() {
                app.after_save = Some("confirmed: now an ordinary answer (stated)".into());
            }
            effects
        }
        // On a number or text question a digit starts typing the value.
        Action::Do(Do::Choose, Some(i))
            if matches!(q.kind, QuestionKind::Number | QuestionKind::Text) =>
        {
            open_value(app, &q);
            if let Some(Overlay::Input(_, field)) = app.overlay.as_mut() {
                *field = LineInput::with(&(i + 1).to_string());
            }
            Vec::new()
        }
        Action::Do(Do::Choose, Some(i)) => {
            if i >= n {
                return Vec::new();
            }
            s.option = i;
            let effects = choose(app, &q, i, now);
            // One answer, one key: on to the next unanswered question (a multi question takes
            // several keys, so it stays), saying what was saved; `←` goes back.
            if app.auto_advance && q.kind != QuestionKind::Multi && !effects.is_empty() {
                let label = match q.kind {
                    QuestionKind::Single | QuestionKind::YesNo => {
                        q.options.get(i).map(|o| safe(&o.label)).unwrap_or_default()
                    }
                    _ => app
                        .session
                        .as_ref()
                        .and_then(|s| s.current())
                        .map(|c| c.question.to_string())
                        .unwrap_or_default(),
                };
                if let Some(s) = app.session.as_mut() {
                    match s.first_unanswered_from(s.cursor + 1) {
                        Some(k) => {
                            s.cursor = k;
                            app.after_save = Some(format!(
                                "saved “{}” · {} back",
                                crate::text::fit(&label, 40),
                                key(Do::Previous)
                            ));
                        }
                        None => app.status = NOTHING_LEFT.into(),
                    }
                    s.sync_option(&content);
                }
            }
            effects
        }
        Action::Do(Do::AutoAdvance, _) => {
            app.auto_advance = !app.auto_advance;
            app.status = if app.auto_advance {
                "after an answer by number: on to the next unanswered question".into()
            } else {
                "after an answer by number: stay on the question".into()
            };
            Vec::new()
        }
        Action::Do(Do::Toggle, _) => {
            if matches!(q.kind, QuestionKind::Number | QuestionKind::Text) {
                return open_value(app, &q);
            }
            let i = s.option;
            if i >= n {
                return Vec::new();
            }
            choose(app, &q, i, now)
        }
        Action::Do(Do::Value, _) => open_value(app, &q),
        Action::Do(Do::Speaker, _) => {
            app.overlay = Some(Overlay::Form(Box::new(crate::tui::voices::picker(s))));
            Vec::new()
        }
        Action::Do(Do::Settle, _) => crate::tui::voices::settle(app),
        Action::Do(Do::Unknown, _) => set_state(app, AnswerState::Unknown, now),
        // `x` again takes the mark back: the question is asked again, where it was.
        Action::Do(Do::NotApplicable, _) => {
            let marked = s
                .current()
                .and_then(|c| s.answer(c))
                .is_some_and(|a| a.state == AnswerState::NotApplicable);
            let state = if marked {
                AnswerState::Open
            } else {
                AnswerState::NotApplicable
            };
            set_state(app, state, now)
        }
        Action::Do(Do::Clear, _) => set_state(app, AnswerState::Open, now),
        Action::Do(Do::Confidence, _) => {
            let next = |c: Option<Confidence>| match c {
                None => Some(Confidence::Verified),
                Some(Confidence::Verified) => Some(Confidence::Stated),
                Some(Confidence::Stated) => Some(Confidence::Assumed),
                Some(Confidence::Assumed) => None,
            };
            edit::change_answer(app, now, false, |a| {
                a.confidence = next(a.confidence);
                Ok(())
            })
        }
        // A note can be taken on any question, answered or not: typing never falls through
        // to commands.
        Action::Do(Do::Note, _) => {
            let note = s
                .current()
                .and_then(|c| s.answer(c))
                .map(|a| a.note.clone())
                .unwrap_or_default();
            // A draft of this note from a session that ended before it was saved comes back.
            let draft = s
                .current()
                .and_then(|c| {
                    s.draft
                        .as_ref()
                        .filter(|d| d.is_for(&c.questionnaire, c.subject.as_deref(), &c.question))
                })
                .map(|d| d.text.clone());
            let text = match draft {
                Some(d) if d != note => {
                    app.status = format!(
                        "a draft of this note was kept from before: {} saves it, Ctrl-z after undoes",
                        keymap::key(Context::Editor, Do::Cancel)
                    );
                    d
                }
                _ => note,
            };
            app.overlay = Some(Overlay::Note(TextArea::with(&text)));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn open_value(app: &mut App, q: &Question) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    if !matches!(
        q.kind,
        QuestionKind::Number | QuestionKind::Text | QuestionKind::Scale
    ) {
        app.status = "choose an option with its number key".into();
        return Vec::new();
    }
    let current = match s.current().and_then(|c| s.answer(c)).map(|a| &a.state) {
        Some(AnswerState::Value(Value::Text(t))) => t.clone(),
        Some(AnswerState::Value(Value::Number(x))) => crate::engine::score::describe_number(*x),
        _ => String::new(),
    };
    app.overlay = Some(Overlay::Input(
        InputPurpose::Value,
        LineInput::with(&current),
    ));
    Vec::new()
}

/// Chooses option `i` of the current question (toggles it for multi) and saves.
fn choose(app: &mut App, q: &Question, i: usize, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let value = match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => Value::Choice(q.options[i].id.clone()),
        QuestionKind::Multi => {
            let mut chosen = match s.current().and_then(|c| s.answer(c)).map(|a| &a.state) {
                Some(AnswerState::Value(Value::Choices(c))) => c.clone(),
                _ => Vec::new(),
            };
            let id = &q.options[i].id;
            if let Some(p) = chosen.iter().position(|c| c == id) {
                chosen.remove(p);
            } else {
                chosen.push(id.clone());
                // Keep the options' own order, so the file does not depend on click order.
                chosen.sort_by_key(|c| q.options.iter().position(|o| &o.id == c));
            }
            Value::Choices(chosen)
        }
        QuestionKind::Scale => Value::Number(q.min.unwrap_or(0.0) + i as f64),
        QuestionKind::SystemPick => Value::System(s.assessment.systems[i].id.clone()),
        QuestionKind::Number | QuestionKind::Text => return Vec::new(),
    };
    set_state(app, AnswerState::Value(value), now)
}

fn set_state(app: &mut App, state: AnswerState, now: DateTime<FixedOffset>) -> Vec<Effect> {
    edit::change_answer(app, now, true, |a| {
        // Any answer replaces one inferred from the map, even the same value: it is the
        // person's now (its assumed confidence goes with the mark).
        if a.is_inferred() {
            a.inferred_by = None;
            if a.confidence == Some(Confidence::Assumed) {
                a.confidence = None;
            }
        }
        a.state = state;
        Ok(())
    })
}

/// Enter in the value field: the typed number or text, checked as a file's value would be.
/// A bad value keeps the field open with what was typed.
pub fn submit_value(app: &mut App, text: &str, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let Some(q) = current_question(app) else {
        return Vec::new();
    };
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let systems: Vec<&str> = s.assessment.systems.iter().map(|x| x.id.as_str()).collect();
    match typed_value(&q, text, &systems) {
        Ok(v) => {
            app.overlay = None;
            set_state(app, AnswerState::Value(v), now)
        }
        Err(msg) => {
            // The field stays open with what was typed, so nothing is lost.
            app.status = msg;
            Vec::new()
        }
    }
}

/// The interview's areas for a frame of `size`: the block, the tree, the question pane.
/// Shared by drawing and by the mouse, so a click lands where the eye does.
fn areas(size: (u16, u16)) -> (Rect, Rect, Rect) {
    let main = widgets::main_area(size);
    let inner = Block::default().borders(Borders::ALL).inner(main);
    let tree_width = match inner.width {
        w if w >= 120 => (w / 3).min(56),
        w if w >= 70 => 28,
        _ => 0,
    };
    let [tree, question] =
        Layout::horizontal([Constraint::Length(tree_width), Constraint::Min(10)]).areas(inner);
    let question = Rect {
        x: question.x + 1,
        width: question.width.saturating_sub(1),
        ..question
    };
    (main, tree, question)
}

/// The interview: the tree of questionnaires on the left, the question on the right.
pub fn draw(f: &mut Frame, _area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let e = &s.assessment.engagement;
    let title = format!(" stackmap ─ {} — {} ", safe(&e.client), safe(&e.title));
    let (main, tree_area, question_area) = areas((f.area().width, f.area().height));
    f.render_widget(widgets::screen_block(app, title, t), main);
    if tree_area.width > 0 {
        tree(f, tree_area, s, t);
    }
    question(f, question_area, app, s, t);
}

/// A questionnaire's title up to its colon ("Source of truth: how …" → "Source of truth"),
/// for narrow places.
fn short(title: &str) -> &str {
    title.split_once(':').map_or(title, |(a, _)| a).trim()
}

fn subject_name(s: &Session, scope: Scope, id: Option<&str>) -> String {
    let Some(id) = id else { return String::new() };
    match scope {
        Scope::System => s.assessment.system_name(id),
        Scope::Flow => s.assessment.flow_name(id),
        Scope::Engagement => String::new(),
    }
}

/// Left pane: questionnaires; under the current one its subjects; under the current subject
/// its sections. Each with dealt with / applicable (an unknown is dealt with: a finished
/// section reads finished), counted in one pass over the questions.
fn tree(f: &mut Frame, area: Rect, s: &Session, t: &Theme) {
    let Some(cur) = s.current() else { return };
    let width = area.width.saturating_sub(1) as usize;
    let mut lines: Vec<(Line, bool)> = Vec::new();
    let mut by_questionnaire: HashMap<&str, Progress> = HashMap::default();
    let mut by_subject: HashMap<Option<&str>, Progress> = HashMap::default();
    let mut by_section: HashMap<&str, Progress> = HashMap::default();
    for q in s.eval.questions.iter().filter(|q| q.applicable) {
        let add = |p: &mut Progress| p.add(q);
        add(by_questionnaire.entry(&q.questionnaire).or_default());
        if q.questionnaire == cur.questionnaire {
            add(by_subject.entry(q.subject.as_deref()).or_default());
            if q.subject == cur.subject {
                add(by_section.entry(&q.section).or_default());
            }
        }
    }
    let count = |p: Option<&Progress>| {
        let p = p.copied().unwrap_or_default();
        format!("{}/{}", p.dealt(), p.applicable())
    };
    let row = |label: String, right: String, indent: usize| {
        let room = width.saturating_sub(indent + right.chars().count() + 1);
        let mut l: String = label.chars().take(room).collect();
        let pad = room.saturating_sub(l.chars().count());
        l = format!("{}{l}{} {right}", " ".repeat(indent), " ".repeat(pad));
        l
    };
    for q in &s.eval.questionnaires {
        let here = *q.id == *cur.questionnaire;
        let style = if here { t.title() } else { Style::new() };
        lines.push((
            Line::styled(
                row(
                    safe(short(&q.title)),
                    count(by_questionnaire.get(&*q.id)),
                    0,
                ),
                style,
            ),
            false,
        ));
        if !here {
            continue;
        }
        for run in &q.subjects {
            let run_here = run.subject.as_deref() == cur.subject.as_deref();
            if q.scope != Scope::Engagement {
                let name = safe(&subject_name(s, q.scope, run.subject.as_deref()));
                let style = if run_here { t.chosen() } else { Style::new() };
                lines.push((
                    Line::styled(
                        row(name, count(by_subject.get(&run.subject.as_deref())), 1),
                        style,
                    ),
                    false,
                ));
            }
            if !run_here {
                continue;
            }
            for sec in &run.sections {
                if sec.score.applicable == 0 {
                    continue;
                }
                let current = *sec.id == *cur.section;
                let style = if current { t.selected() } else { t.dim() };
                lines.push((
                    Line::styled(
                        row(safe(&sec.title), count(by_section.get(&*sec.id)), 2),
                        style,
                    ),
                    current,
                ));
            }
        }
    }
    // Keep the current line in view.
    let height = area.height as usize;
    let at = lines.iter().position(|(_, c)| *c).unwrap_or(0);
    let start = at
        .saturating_sub(height / 2)
        .min(lines.len().saturating_sub(height));
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(start)
        .take(height)
        .map(|(l, _)| l)
        .collect();
    f.render_widget(Paragraph::new(visible), area);
}

/// The question pane's text in three parts: header and prompt, one line per option, and the
/// answer with help. Options are separate so each can be placed (and clicked) exactly.
struct Pane<'a> {
    top: Vec<Line<'a>>,
    /// Each option's rows (more than one where its text wraps).
    options: Vec<Vec<Line<'a>>>,
    /// The answer shown (with its note), then the help: the several answers to the question,
    /// if any, go between them, fitted to the rows left when the pane is drawn.
    rest: Vec<Line<'a>>,
    help: Vec<Line<'a>>,
}

/// `width`: the pane's, so wrapped options, notes and reasons hang under their text.
fn pane<'a>(app: &'a App, s: &'a Session, t: &Theme, width: u16) -> Option<Pane<'a>> {
    let cur = s.current()?;
    let qn = app.content.questionnaire(&cur.questionnaire)?;
    let q = qn.question(&cur.question)?;
    let section = qn
        .section(&cur.section)
        .map_or(String::new(), |x| x.title.clone());
    let subject = subject_name(s, qn.scope, cur.subject.as_deref());
    let mut path = safe(short(&qn.title));
    if !subject.is_empty() {
        path = format!("{path} › {}", safe(&subject));
    }
    path = format!("{path} › {}", safe(&section));
    let answer = s.answer(cur);
    let mut head = vec![Span::styled(
        format!("{}/{} ", s.cursor + 1, s.asked.len()),
        t.key(),
    )];
    if cur.na {
        head.push(Span::styled("N/A ", t.warn()));
    }
    head.push(Span::styled(path, t.dim()));
    let prompt = if cur.na { t.dim() } else { t.title() };
    // The section's progress, counted as the status line counts the whole interview.
    let here = s.progress(|x| {
        x.questionnaire == cur.questionnaire && x.subject == cur.subject && x.section == cur.section
    });
    let top = vec![
        Line::from(head),
        // In place of a blank line: at 80×24 every row of the pane counts.
        Line::styled(format!("this section: {}", here.label()), t.dim()),
        Line::styled(safe(&q.prompt), prompt),
        Line::raw(""),
    ];
    let width = usize::from(width);
    let options = options(s, q, answer, t, width);
    let mut rest = vec![Line::raw("")];
    let because = answer
        .filter(|a| a.is_inferred())
        .map(|a| crate::infer::because(&app.content, a));
    rest.extend(answer_lines(answer, because, width, false, t));
    let mut help = Vec::new();
    if !q.help.is_empty() {
        help.push(Line::raw(""));
        for l in safe_multiline(&crate::text::reflow(&q.help)).lines() {
            help.push(Line::styled(l.to_string(), t.dim()));
        }
    }
    if !q.sources.is_empty() {
        help.push(Line::styled(
            format!("Sources: {}", safe(&q.sources.join("; "))),
            t.dim(),
        ));
    }
    Some(Pane {
        top,
        options,
        rest,
        help,
    })
}

/// Where the top, each option and the rest go in `area` (clipped at its bottom).
fn place(area: Rect, pane: &Pane) -> (Rect, Vec<Rect>, Rect) {
    let height = |lines: Vec<Line>| {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .line_count(area.width) as u16
    };
    let mut rows = crate::tui::widgets::Rows::new(area);
    let mut take = |h: u16| rows.take(h);
    let top = take(height(pane.top.clone()));
    let options = pane
        .options
        .iter()
        .map(|l| take(height(l.clone())))
        .collect();
    let rest = take(u16::MAX);
    (top, options, rest)
}

/// The rectangles of the current question's options on screen (for mouse clicks).
pub fn option_rects(app: &App) -> Vec<Rect> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let (_, _, area) = areas(app.size);
    let t = Theme::new(true);
    pane(app, s, &t, area.width).map_or_else(Vec::new, |p| place(area, &p).1)
}

fn question(f: &mut Frame, area: Rect, app: &App, s: &Session, t: &Theme) {
    let Some(p) = pane(app, s, t, area.width) else {
        f.render_widget(
            Paragraph::new("Nothing to ask: the profile selects no question for this inventory.")
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    };
    let (top, options, rest) = place(area, &p);
    f.render_widget(Paragraph::new(p.top).wrap(Wrap { trim: false }), top);
    for (line, r) in p.options.into_iter().zip(options) {
        f.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), r);
    }
    let mut lines = p.rest;
    if let Some(cur) = s.current() {
        let rows = |l: &[Line]| {
            let n = Paragraph::new(l.to_vec())
                .wrap(Wrap { trim: false })
                .line_count(rest.width);
            u16::try_from(n).unwrap_or(u16::MAX)
        };
        let all = crate::tui::voices::lines(s, cur, t);
        // Several answers and not the room for all of them: the answer shown keeps its state
        // (its note is on its row among the answers), and the answers get the rest — cut to
        // a row each, or the first of them and how many more.
        if !all.is_empty() && rows(&lines).saturating_add(rows(&all)) > rest.height {
            let answer = s.answer(cur);
            let because = answer
                .filter(|a| a.is_inferred())
                .map(|a| crate::infer::because(&app.content, a));
            lines = answer_lines(answer, because, usize::from(rest.width), true, t);
        }
        let room = rest.height.saturating_sub(rows(&lines));
        lines.extend(crate::tui::voices::fitted(s, cur, t, rest.width, room));
    }
    lines.extend(p.help);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
}

/// The options, each its rows at `width`: the key and marker first, wrapped text under the
/// text.
fn options(
    s: &Session,
    q: &Question,
    answer: Option<&Answer>,
    t: &Theme,
    width: usize,
) -> Vec<Vec<Line<'static>>> {
    let value = answer.and_then(|a| match &a.state {
        AnswerState::Value(v) => Some(v.clone()),
        _ => None,
    });
    let mut out = Vec::new();
    let mut item = |i: usize, label: String, on: bool, multi: bool| {
        let mark = match (multi, on) {
            (true, true) => "[x]",
            (true, false) => "[ ]",
            (false, true) => "●",
            (false, false) => "○",
        };
        let key = if i < 9 {
            format!("{} ", i + 1)
        } else {
            "  ".into()
        };
        let style = if i == s.option {
            t.selected()
        } else if on {
            t.chosen()
        } else {
            Style::new()
        };
        out.push(widgets::hanging(
            Line::from(vec![
                Span::styled(key, t.key()),
                Span::styled(format!("{mark} "), style),
            ]),
            Span::styled(label, style),
            width,
        ));
    };
    match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => {
            for (i, o) in q.options.iter().enumerate() {
                let on = matches!(&value, Some(Value::Choice(c)) if *c == o.id);
                item(i, safe(&o.label), on, false);
            }
        }
        QuestionKind::Multi => {
            for (i, o) in q.options.iter().enumerate() {
                let on = matches!(&value, Some(Value::Choices(cs)) if cs.contains(&o.id));
                item(i, safe(&o.label), on, true);
            }
        }
        QuestionKind::Scale => {
            let (lo, hi) = (q.min.unwrap_or(0.0) as i64, q.max.unwrap_or(0.0) as i64);
            for (i, x) in (lo..=hi).enumerate() {
                let on = matches!(&value, Some(Value::Number(v)) if *v as i64 == x);
                let label = if x == lo && !q.min_label.is_empty() {
                    format!("{x}  {}", safe(&q.min_label))
                } else if x == hi && !q.max_label.is_empty() {
                    format!("{x}  {}", safe(&q.max_label))
                } else {
                    x.to_string()
                };
                item(i, label, on, false);
            }
        }
        QuestionKind::SystemPick => {
            for (i, sys) in s.assessment.systems.iter().enumerate() {
                let on = matches!(&value, Some(Value::System(v)) if *v == sys.id);
                item(
                    i,
                    format!("{} ({})", safe(&sys.name), sys.category),
                    on,
                    false,
                );
            }
        }
        QuestionKind::Number | QuestionKind::Text => {
            let shown = match &value {
                Some(Value::Number(x)) => with_unit(q, *x),
                Some(Value::Text(x)) => safe(x),
                _ => "—".into(),
            };
            out.push(vec![Line::from(vec![
                Span::styled("value: ", t.dim()),
                Span::styled(shown, t.chosen()),
                Span::styled(
                    format!("   ({} or {} to type)", key(Do::Toggle), key(Do::Value)),
                    t.dim(),
                ),
            ])]);
        }
    }
    out
}

/// A number with its question's unit, as the field and the answer show it: `45%`, `3 hours`,
/// `1 hour` (a plural word unit reads singular after 1), `12` (no unit).
pub fn with_unit(q: &Question, x: f64) -> String {
    let n = crate::engine::score::describe_number(x);
    match unit_for(q, Some(x)).as_str() {
        "" => n,
        "%" => format!("{n}%"),
        u => format!("{n} {u}"),
    }
}

/// The question's unit as it reads after `x`: one plain plural word ("hours") reads
/// singular after 1.
fn unit_for(q: &Question, x: Option<f64>) -> String {
    let unit = safe(q.unit.trim());
    let word = unit.chars().all(|c| c.is_ascii_lowercase());
    if x == Some(1.0) && word && unit.ends_with('s') && !unit.ends_with("ss") {
        unit[..unit.len() - 1].to_string()
    } else {
        unit
    }
}

/// What the value field shows after the typed `text`: the question's unit.
pub fn field_unit(app: &App, text: &str) -> String {
    current_question(app)
        .filter(|q| matches!(q.kind, QuestionKind::Number | QuestionKind::Scale))
        .map(|q| unit_for(&q, text.trim().parse::<f64>().ok()))
        .unwrap_or_default()
}

/// The answer's state and what was said with it; `because`, for an answer inferred from the
/// map, the facts that gave it. With `cut`, a width (room is short, and the answer is among
/// the several listed below it, note and all): no note, and those facts on one row ending in
/// "…".
/// The answer shown, its state first, at `width` columns: the reason from the map and the
/// note wrapped under their text after the label; `cut`, the reason cut to one row and the
/// note left out (the several answers need the rows).
fn answer_lines(
    answer: Option<&Answer>,
    because: Option<String>,
    width: usize,
    cut: bool,
    t: &Theme,
) -> Vec<Line<'static>> {
    let Some(a) = answer else {
        return vec![Line::styled(
            format!(
                "not answered yet · {} unknown · {} not applicable",
                key(Do::Unknown),
                key(Do::NotApplicable)
            ),
            t.dim(),
        )];
    };
    let state = match &a.state {
        AnswerState::Value(_) if a.is_inferred() => Span::styled(
            format!("inferred — confirm ({})", key(Do::ConfirmInferred)),
            t.warn(),
        ),
        AnswerState::Value(_) => Span::styled("answered", t.chosen()),
        AnswerState::Unknown => Span::styled("unknown", t.warn()),
        AnswerState::NotApplicable => Span::styled("not applicable", t.dim()),
        AnswerState::Open => Span::styled(
            format!(
                "not answered yet · {} unknown · {} not applicable",
                key(Do::Unknown),
                key(Do::NotApplicable)
            ),
            t.dim(),
        ),
    };
    let mut meta = vec![state];
    if let Some(c) = a.confidence {
        meta.push(Span::raw(format!(" · {c}")));
    }
    if !a.by.is_empty() {
        meta.push(Span::raw(format!(" · by {}", safe(&a.by))));
    }
    if let Some(at) = a.at {
        meta.push(Span::raw(format!(" · {}", at.format("%Y-%m-%d %H:%M"))));
    }
    if a.private {
        meta.push(Span::styled(" · private", t.warn()));
    }
    let mut out = vec![Line::from(meta)];
    if let Some(b) = because {
        let label = Span::styled("from the map: ", t.dim());
        if cut {
            let room = width.saturating_sub(label.content.chars().count());
            let b = crate::text::fit(&safe(&b), room).trim_end().to_string();
            out.push(Line::from(vec![label, Span::raw(b)]));
        } else {
            out.extend(widgets::hanging(label, Span::raw(safe(&b)), width));
        }
    }
    if !a.note.is_empty() && !cut {
        for (i, l) in safe_multiline(&a.note).lines().enumerate() {
            let prefix = if i == 0 { "note: " } else { "      " };
            out.extend(widgets::hanging(
                Span::styled(prefix, t.dim()),
                Span::raw(l.to_string()),
                width,
            ));
        }
    }
    out
}

/// The note editor closed (Esc and Ctrl-s both keep what was typed; undo takes it back).
pub fn note_closed(app: &mut App, text: String, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let mut effects = edit::change_answer(app, now, true, |a| {
        a.note = text;
        Ok(())
    });
    // The note is in the file (or was refused with the reason shown): its draft goes.
    if let Some(s) = app.session.as_mut()
        && (s.draft.is_some() || s.drafted.is_some())
        && !s.read_only
    {
        s.draft = None;
        s.drafted = None;
        effects.push(Effect::ClearDraft(crate::draft::path(&s.path)));
    }
    effects
}

/// A pause in typing (or the process told to stop) with the note editor open: keep its text as
/// a draft beside the file, unless it was kept already.
pub fn keep_draft(app: &mut App) -> Vec<Effect> {
    let Some(Overlay::Note(area)) = &app.overlay else {
        return Vec::new();
    };
    let text = area.text();
    let Some(s) = app.session.as_mut() else {
        return Vec::new();
    };
    let Some(q) = s.current() else {
        return Vec::new();
    };
    if s.read_only || s.drafted.as_deref() == Some(text.as_str()) {
        return Vec::new();
    }
    let draft = crate::draft::Draft {
        questionnaire: q.questionnaire.to_string(),
        subject: q.subject.as_deref().map(str::to_string),
        question: q.question.to_string(),
        text: text.clone(),
    };
    s.drafted = Some(text);
    s.draft = Some(draft.clone());
    vec![Effect::SaveDraft {
        path: crate::draft::path(&s.path),
        draft,
    }]
}

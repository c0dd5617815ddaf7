//! The snapshots screen: the live assessment and every snapshot, newest first; a compact
//! chart of the trend across them (`export::trend::chart`); the diff
//! between the two picked ("what changed since last time"), regressions marked; Enter opens
//! the question or decision a line is about — for one person's answer, with that person
//! speaking, so the interview shows theirs (the status line says when the speaker changed).

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{decisions, interview};
use crate::engine::Evaluation;
use crate::text::safe;
use crate::tui::action::{Action, Do};
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, Position, Screen};
use crate::tui::theme::Theme;
use crate::tui::voices;
use crate::tui::widgets;
use crate::vocab::Horizon;

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
    pub lines: Vec<DiffLine>,
    /// The session's `edits` the diff was computed at: a change since computes it again.
    pub seen: u64,
    /// The re-ranks shown one by one, not folded into their one line.
    pub reranks_open: bool,
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

/// Recomputes the diff the snapshots screen shows, from the pair its list picks.
pub fn refresh(app: &mut App) {
    let Some(s) = app.session.as_ref() else {
        return;
    };
    let sn = &app.screens.snapshots;
    let side = |row: usize| match sn.entry(row) {
        Some(e) => crate::diff::Side {
            assessment: &e.snapshot.assessment,
            content: &e.snapshot.content,
            evaluation: &e.eval,
        },
        None => crate::diff::Side {
            assessment: &s.assessment,
            content: &app.content,
            evaluation: &s.eval,
        },
    };
    let diff = sn
        .pair()
        .map(|(old, new)| (old, new, crate::diff::diff(&side(old), &side(new))));
    let sn = &mut app.screens.snapshots;
    // A different pair starts its diff at the top.
    if sn.diff.as_ref().map(|d| (d.0, d.1)) != diff.as_ref().map(|d| (d.0, d.1)) {
        sn.line = 0;
    }
    sn.lines = diff
        .as_ref()
        .map(|(_, _, d)| diff_lines(d, sn.reranks_open))
        .unwrap_or_default();
    sn.diff = diff;
    sn.seen = s.edits;
    sn.line = sn.line.min(sn.lines.len().saturating_sub(1));
}

/// The snapshots screen: pick rows in the list (space marks the other side), read the diff,
/// and open what a diff line is about.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if app.session.is_none() {
        return Vec::new();
    }
    // What the keys need of the diff's lines: how many, the first that opens something, and
    // what the highlighted one opens.
    let sn = &app.screens.snapshots;
    let count = sn.lines.len();
    let first_target = sn.lines.iter().position(|l| l.target.is_some());
    let here = sn.lines.get(sn.line).and_then(|l| l.target.clone());
    let sn = &mut app.screens.snapshots;
    let rows = sn.rows();
    let mut repick = false;
    match (action, sn.focus) {
        (Action::ClickSnapshot(row), _) => {
            sn.focus = 0;
            if row < rows {
                sn.selected = row;
                repick = true;
            }
        }
        (Action::Do(Do::Up, _), 0) => {
            sn.selected = sn.selected.saturating_sub(1);
            repick = true;
        }
        (Action::Do(Do::Down, _), 0) => {
            sn.selected = (sn.selected + 1).min(rows - 1);
            repick = true;
        }
        (Action::Do(Do::Up, _), _) => sn.line = sn.line.saturating_sub(1),
        (Action::Do(Do::Down, _), _) => sn.line = (sn.line + 1).min(count.saturating_sub(1)),
        (Action::Do(Do::DetailDown, _), _) => {
            sn.focus = 1;
            sn.line = (sn.line + 10).min(count.saturating_sub(1));
        }
        (Action::Do(Do::DetailUp, _), _) => {
            sn.focus = 1;
            sn.line = sn.line.saturating_sub(10);
        }
        (Action::Do(Do::Next | Do::Previous, _), f) => {
            sn.focus = if f == 0 && count > 0 { 1 } else { 0 };
        }
        (Action::Do(Do::Toggle, _), _) => {
            sn.mark = if sn.mark == Some(sn.selected) {
                None
            } else {
                Some(sn.selected)
            };
            sn.focus = 0;
            repick = true;
        }
        (Action::Do(Do::Select, _), 0) if count > 0 => {
            sn.focus = 1;
            sn.line = first_target.unwrap_or(0);
        }
        (Action::Do(Do::Select, _), _) if here == Some(DiffTarget::Fold) => {
            sn.reranks_open = !sn.reranks_open;
            // Opened: the cursor steps onto the first re-rank, so the view follows it down.
            if sn.reranks_open {
                sn.line += 1;
            }
            repick = true;
        }
        (Action::Do(Do::Select, _), _) => {
            if let Some(target) = here {
                open_diff_target(app, target);
            } else if sn.focus == 1 {
                app.status = format!(
                    "{} opens an answer's question or a decision; this line is neither",
                    keymap::key(Context::On(Screen::Snapshots), Do::Select)
                );
            }
        }
        (Action::Do(Do::Home, _), 1) => sn.focus = 0,
        (Action::Do(Do::Home, _), _) => app.screen = Screen::Home,
        _ => {}
    }
    if repick {
        refresh(app);
    }
    Vec::new()
}

/// Opens what a diff line is about: an answer's question in the interview (when it is asked
/// now), a decision in the decision list (when it is on it now).
fn open_diff_target(app: &mut App, target: DiffTarget) {
    let Some(s) = app.session.as_mut() else {
        return;
    };
    match target {
        DiffTarget::Fold => {}
        DiffTarget::Question(p, who) => {
            match s
                .asked
                .iter()
                .position(|&i| p.matches(&s.eval.questions[i]))
            {
                Some(k) => {
                    // The line is about one person's answer: they speak, so the interview
                    // shows (and edits) theirs, as when chosen with the picker.
                    let said = voices::speak_as(s, &app.content, who.as_deref());
                    interview::open(app, k);
                    if let Some(said) = said {
                        app.status = said;
                    }
                }
                None => {
                    app.status =
                        "that question is not asked now (removed, or its condition no longer holds)"
                            .into();
                }
            }
        }
        DiffTarget::Decision(id) => {
            let found = [Horizon::Immediate, Horizon::Architecture]
                .iter()
                .enumerate()
                .find_map(|(lane, h)| {
                    s.eval
                        .ranked(*h)
                        .iter()
                        .position(|d| d.id == id)
                        .map(|i| (lane, i))
                });
            match found {
                Some((lane, i)) => decisions::show(app, lane, i),
                None => {
                    app.status = "that decision is not on the list now: resolved since".into();
                }
            }
        }
    }
}

/// What Enter on a diff line opens.
#[derive(Debug, Clone, PartialEq)]
pub enum DiffTarget {
    /// A question, and whose answer the line is about: a respondent's id, `None` the
    /// assessor's own.
    Question(Position, Option<String>),
    Decision(String),
    /// The re-ranks' one line: Enter shows them one by one, or folds them again.
    Fold,
}

/// One line of the snapshots screen's diff: a section heading, a group, or a change.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffLine {
    pub text: String,
    pub heading: bool,
    pub tone: crate::diff::Tone,
    pub target: Option<DiffTarget>,
}

/// The diff as the screen lists it: regressions marked ▼ and progress ▲ (in words, not only
/// colour), sections in the order of `stackmap diff`, method changes last and apart. The
/// update reads the same lines to know what Enter opens.
pub fn diff_lines(d: &crate::diff::Diff, reranks_open: bool) -> Vec<DiffLine> {
    use crate::diff::{Section, Tone};
    let mut out = Vec::new();
    let head = |out: &mut Vec<DiffLine>, text: &str| {
        out.push(DiffLine {
            text: text.to_string(),
            heading: true,
            tone: Tone::Neutral,
            target: None,
        });
    };
    let line = |out: &mut Vec<DiffLine>, tone: Tone, text: String, target| {
        let mark = match tone {
            Tone::Worse => "▼",
            Tone::Better => "▲",
            Tone::Neutral => "·",
        };
        out.push(DiffLine {
            text: format!("{mark} {text}"),
            heading: false,
            tone,
            target,
        });
    };
    let outline = d.outline();
    if outline.is_empty() {
        head(&mut out, "Nothing changed.");
        return out;
    }
    let esc = |s: &str| safe(s);
    for section in &outline {
        head(&mut out, section.title());
        match section {
            Section::Scores(scores) => {
                for x in *scores {
                    line(&mut out, x.tone(), x.describe(), None);
                }
            }
            Section::Decisions(decisions) => {
                for x in decisions {
                    line(
                        &mut out,
                        x.tone(),
                        format!("{}: {}", safe(&x.title), x.describe(&esc)),
                        Some(DiffTarget::Decision(x.id.clone())),
                    );
                }
            }
            Section::Answers(groups) => {
                for g in groups {
                    out.push(DiffLine {
                        text: safe(&format!(" {}", g.label())),
                        heading: false,
                        tone: Tone::Neutral,
                        target: None,
                    });
                    for x in g.changes {
                        let target = DiffTarget::Question(
                            Position {
                                questionnaire: x.questionnaire.as_str().into(),
                                subject: x.subject.as_deref().map(Into::into),
                                question: x.question.as_str().into(),
                            },
                            x.respondent.clone(),
                        );
                        line(
                            &mut out,
                            x.tone(),
                            format!("{}: {}", safe(x.question_text()), x.describe(&esc)),
                            Some(target),
                        );
                    }
                }
            }
            Section::Reranks(changes) => {
                let key = keymap::key(Context::On(Screen::Snapshots), Do::Select);
                let (sign, hint) = if reranks_open {
                    ("▾", "fold them")
                } else {
                    ("▸", "each one")
                };
                out.push(DiffLine {
                    text: format!(
                        "{sign} {} · {key} {hint}",
                        crate::diff::Section::reranks_summary(changes)
                    ),
                    heading: false,
                    tone: Tone::Neutral,
                    target: Some(DiffTarget::Fold),
                });
                if reranks_open {
                    for x in changes {
                        line(
                            &mut out,
                            x.tone(),
                            format!("  {}: {}", safe(&x.title), x.describe(&esc)),
                            Some(DiffTarget::Decision(x.id.clone())),
                        );
                    }
                }
            }
            Section::Inventory(items) => {
                for x in *items {
                    line(
                        &mut out,
                        Tone::Neutral,
                        format!("{} {}: {}", x.kind, safe(x.label()), x.describe()),
                        None,
                    );
                }
            }
            Section::Method(changes) => {
                for m in *changes {
                    line(
                        &mut out,
                        Tone::Neutral,
                        format!(
                            "{} / {}: {}",
                            safe(&m.questionnaire),
                            safe(&m.question),
                            m.describe()
                        ),
                        None,
                    );
                }
            }
        }
    }
    out
}

/// The snapshots screen's areas inside the frame: the list and the diff, side by side when
/// there is room, else the list above the diff.
fn layout(inner: Rect, rows: usize) -> (Rect, Rect) {
    if inner.width >= 110 {
        let [list, diff] = Layout::horizontal([
            Constraint::Length((inner.width / 3).min(64)),
            Constraint::Min(0),
        ])
        .areas(inner);
        (list, diff)
    } else {
        // Heading + rows, at most a third of the height.
        let want = (rows as u16 + 1).min((inner.height / 3).max(3));
        let [list, diff] =
            Layout::vertical([Constraint::Length(want), Constraint::Min(0)]).areas(inner);
        (list, diff)
    }
}

/// Which list row a click at (column, row) lands on, from the layout the frame is drawn with.
pub fn row_at(app: &App, column: u16, row: u16) -> Option<usize> {
    let sn = &app.screens.snapshots;
    let (list, _) = layout(widgets::frame_inner(app), sn.rows());
    if !list.contains(ratatui::layout::Position { x: column, y: row }) {
        return None;
    }
    let room = list.height.saturating_sub(1) as usize;
    let offset = usize::from(row.checked_sub(list.y + 1)?);
    let r = widgets::lane_first(sn.selected, room) + offset;
    (r < sn.rows()).then_some(r)
}

/// The snapshots: the live assessment and every snapshot, newest first, each with its
/// overall score and completion; and the diff between the two picked, regressions marked.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let sn = &app.screens.snapshots;
    let block = widgets::screen_block(app, " Snapshots ".into(), t);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let (list, diff_area) = layout(inner, sn.rows());
    let pair = sn.pair();
    // No score: nothing scorable answered, or too little (the coverage beside it says which).
    let score = |x: Option<f64>| x.map_or(format!("{:>5}", "—"), |v| format!("{v:>5.1}"));
    let mut lines = vec![Line::styled(
        format!(
            "Snapshots ({}) · {} marks a side",
            sn.entries.len(),
            keymap::key(Context::On(Screen::Snapshots), Do::Toggle)
        ),
        if sn.focus == 0 { t.title() } else { t.dim() },
    )];
    let room = list.height.saturating_sub(1) as usize;
    let first = widgets::lane_first(sn.selected, room);
    let label_width = usize::from(list.width).saturating_sub(32).max(8);
    for row in (0..sn.rows()).skip(first).take(room) {
        let side = match pair {
            Some((old, _)) if old == row => "old",
            Some((_, new)) if new == row => "new",
            _ => "   ",
        };
        let mark = if sn.mark == Some(row) { "*" } else { " " };
        let (label, when, overall, coverage) = match sn.entry(row) {
            None => (
                "live assessment".to_string(),
                "now".to_string(),
                s.eval.overall,
                s.eval.coverage,
            ),
            Some(e) => (
                safe(&e.snapshot.label),
                e.snapshot.taken_at.format("%Y-%m-%d %H:%M").to_string(),
                e.snapshot.summary.overall,
                e.snapshot.summary.coverage,
            ),
        };
        let label = crate::text::fit(&label, label_width);
        let text = format!(
            "{side}{mark}{label:<label_width$} {when:>16} {} {:>4}",
            score(overall),
            widgets::percent(coverage)
        );
        let style = if row == sn.selected && sn.focus == 0 {
            t.selected()
        } else if row == sn.selected {
            t.title()
        } else {
            Style::default()
        };
        lines.push(Line::styled(text, style));
    }
    f.render_widget(Paragraph::new(lines), list);

    // The trend: every snapshot, oldest first, then the live file.
    let mut out: Vec<Line> = Vec::new();
    if !sn.entries.is_empty() {
        use crate::export::trend;
        let mut points: Vec<trend::Point> = Vec::with_capacity(sn.entries.len() + 1);
        let mut previous: Option<&Evaluation> = None;
        for e in &sn.entries {
            points.push(trend::point(
                &e.snapshot.label,
                Some(e.snapshot.taken_at),
                false,
                &e.eval,
                previous,
            ));
            previous = Some(&e.eval);
        }
        points.push(trend::point("live", None, true, &s.eval, previous));
        out.push(Line::styled(
            format!(
                "Trend over {} snapshot{} and the live file (oldest first)",
                sn.entries.len(),
                if sn.entries.len() == 1 { "" } else { "s" }
            ),
            t.title(),
        ));
        // A line per dimension where the pane has the room (a tall terminal).
        for l in trend::chart(&points, diff_area.height >= 30) {
            out.push(Line::raw(safe(&l)));
        }
        out.push(Line::raw(""));
    }
    let chart_lines = out.len();

    // The diff.

    let name = |row: usize| {
        sn.entry(row)
            .map_or_else(|| "live".to_string(), |e| safe(&e.snapshot.label))
    };
    match (&sn.diff, pair) {
        (Some((old, new, _)), _) => {
            out.push(Line::styled(
                format!("What changed: {} → {}", name(*old), name(*new)),
                t.title(),
            ));
            for (i, l) in sn.lines.iter().enumerate() {
                let style = if sn.focus == 1 && i == sn.line {
                    t.selected()
                } else if l.heading {
                    t.title()
                } else {
                    match l.tone {
                        crate::diff::Tone::Worse => t.bad(),
                        crate::diff::Tone::Better => t.good(),
                        crate::diff::Tone::Neutral => Style::default(),
                    }
                };
                out.push(Line::styled(l.text.clone(), style));
            }
        }
        (None, _) => {
            out.push(Line::styled("No snapshots yet.", t.title()));
            out.push(Line::raw(format!(
                "{} takes one: a labelled, frozen copy of the assessment with its scores and \
                 the questionnaires it was scored with. After the next workshop, this screen \
                 shows what changed since.",
                keymap::key(Context::On(Screen::Snapshots), Do::Snapshot)
            )));
        }
    }
    for line in &sn.skipped {
        out.push(Line::styled(safe(line), t.warn()));
    }
    let body = widgets::side_pane(f, list, diff_area, t);
    // Keep the highlighted line in view: scroll by the wrapped rows above it.
    let scroll = if sn.focus == 1 && sn.diff.is_some() {
        // The title line, then the lines up to the highlighted one.
        let upto = (chart_lines + sn.line + 2).min(out.len());
        let above = Paragraph::new(out[..upto].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(body.width);
        above.saturating_sub(usize::from(body.height)) as u16
    } else {
        0
    };
    let para = Paragraph::new(out).wrap(Wrap { trim: false });
    f.render_widget(para.scroll((scroll, 0)), body);
}

/// The snapshots were read and scored: list them, keeping the selection and the mark on the
/// same snapshots (rows are newest first, so a new snapshot moves every row down).
pub fn listed(app: &mut App, entries: Vec<SnapshotEntry>, skipped: Vec<String>) -> Vec<Effect> {
    let sn = &mut app.screens.snapshots;
    let path_of = |sn: &SnapshotsState, row: usize| sn.entry(row).map(|e| e.path.clone());
    let (selected, mark) = (path_of(sn, sn.selected), sn.mark.map(|m| path_of(sn, m)));
    sn.entries = entries;
    sn.skipped = skipped;
    let row_of = |sn: &SnapshotsState, p: &Option<PathBuf>| match p {
        None => Some(0),
        Some(p) => (1..sn.rows()).find(|&r| sn.entry(r).is_some_and(|e| &e.path == p)),
    };
    sn.selected = row_of(sn, &selected).unwrap_or(0).min(sn.rows() - 1);
    sn.mark = mark.and_then(|m| row_of(sn, &m));
    if let Some(first) = sn.skipped.first() {
        app.status = crate::text::safe(first);
    }
    refresh(app);
    Vec::new()
}

/// Computes the diff again when the assessment changed since it was computed (an edit, an
/// undo): the live side of the comparison moved.
pub fn follow_edits(app: &mut App) {
    let edits = app.session.as_ref().map(|s| s.edits);
    if edits.is_some_and(|e| e != app.screens.snapshots.seen) {
        refresh(app);
    }
}

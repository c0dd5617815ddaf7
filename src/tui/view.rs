//! Drawing: pure functions of `&App`. Nothing here changes state or computes a score; the
//! numbers come from the engine's evaluation in the session.
//!
//! ```text
//! ┌ stackmap ─ client — title ───────────────────────────────────────────────┐
//! │ tree: questionnaires,  │ questionnaire › subject › section      k of N     │
//! │ the current one's      │ prompt                                            │
//! │ subjects and sections, │ 1 ○ option …                                       │
//! │ each answered/asked    │ answer · confidence · by · at · note              │
//! │                        │ help                                              │
//! └──────────────────────────────────────────────────────────────────────────┘
//!  status: file · answered % · saved hh:mm:ss · message                  ? help
//! ```
//!
//! Only what is visible is built: the tree is cut to a window around the current line, so
//! a frame costs the same on a large engagement as on the demo.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::keymap;
use super::state::*;
use super::theme::Theme;
use crate::model::*;
use crate::text::{safe, safe_multiline};
use crate::vocab::{DecisionStatus, Horizon, QuestionKind, Scope};

pub fn draw(f: &mut Frame, app: &App) {
    let theme = Theme::new(app.no_color);
    let [main, status] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(f.area());
    match app.screen {
        Screen::Home => home(f, main, app, &theme),
        Screen::Interview => interview(f, main, app, &theme),
        Screen::Decisions => decisions(f, main, app, &theme),
        Screen::Snapshots => snapshots(f, main, app, &theme),
        Screen::Results => super::screens::results::draw(f, main, app, &theme),
        Screen::Ownership => super::screens::ownership::draw(f, main, app, &theme),
        Screen::Inventory => super::screens::inventory::draw(f, main, app, &theme),
        Screen::Vendors => super::screens::vendors::draw(f, main, app, &theme),
        Screen::Map => super::screens::map::draw(f, main, app, &theme),
    }
    status_bar(f, status, app, &theme);
    match &app.overlay {
        Some(Overlay::Help) => help(f, main, app, &theme),
        Some(Overlay::Input(purpose, line)) => input(f, main, *purpose, line, &theme),
        Some(Overlay::Note(area)) => note(
            f,
            main,
            area,
            " note — Esc or Ctrl-s save and close · Ctrl-z undoes ",
            &theme,
        ),
        Some(Overlay::Summary(area)) => note(
            f,
            main,
            area,
            " engagement summary — Esc or Ctrl-s save and close · Ctrl-z undoes ",
            &theme,
        ),
        Some(Overlay::Form(form)) => super::screens::form::draw(f, main, form, &theme),
        Some(Overlay::Confirm(c)) => message(
            f,
            main,
            " Delete? y: yes · any other key: keep ",
            &c.lines,
            0,
            &theme,
        ),
        Some(Overlay::Message(m)) => message(f, main, &m.title, &m.lines, m.scroll, &theme),
        Some(Overlay::New(form)) => new_form(f, main, app, form, &theme),
        Some(Overlay::Palette(p)) => palette(f, main, p, &theme),
        Some(Overlay::Conflict) => conflict(f, main, app, &theme),
        None => {}
    }
}

pub(crate) fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The home list's rows: for each entry, the line it is drawn on inside the frame's border
/// (the mouse reads this too, so clicks land where the eye does).
pub fn home_rows(app: &App) -> Vec<(HomeEntry, u16)> {
    let mut row = 3; // border, tagline, blank
    let mut out = Vec::new();
    for e in app.home.entries() {
        out.push((e.clone(), row));
        row += 1;
        if matches!(e, HomeEntry::Demo) && !app.home.recent.is_empty() {
            row += 1; // "Recent assessments"
        }
    }
    out
}

fn home(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" stackmap ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = vec![
        Line::styled("A workbench for commerce-integration architects.", t.dim()),
        Line::raw(""),
    ];
    for (i, (e, _)) in home_rows(app).iter().enumerate() {
        let text = match e {
            HomeEntry::New => "New assessment…".to_string(),
            HomeEntry::Demo => {
                "Open the demo engagement (Northwind Outdoor, mid-replatform) — demo".to_string()
            }
            HomeEntry::Recent(r) => format!(
                "{}  ·  {}  ·  {}  ·  {} answered  ·  {}",
                safe(&r.client),
                safe(&r.profile),
                safe(&r.updated),
                percent(r.coverage),
                r.path.display()
            ),
            HomeEntry::OpenFile => "Open a file…".to_string(),
        };
        let style = if i == app.home.selected {
            t.selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(format!(" {text} "), style));
        if matches!(e, HomeEntry::Demo) && !app.home.recent.is_empty() {
            lines.push(Line::styled(" Recent assessments", t.dim()));
        }
    }
    lines.push(Line::raw(""));
    if !app.home.filter.is_empty() {
        lines.push(Line::styled(
            format!("filtered by “{}” · / to change", safe(&app.home.filter)),
            t.warn(),
        ));
    }
    lines.push(Line::styled(
        "↑/↓ select · Enter open · / filter · Ctrl-p find · ? help · q quit",
        t.dim(),
    ));
    // Lines are not wrapped: each entry must stay on the row `home_rows` gives it.
    f.render_widget(Paragraph::new(lines), inner);
}

/// The interview's areas for a frame of `size`: the block, the tree, the question pane.
/// Shared by drawing and by the mouse, so a click lands where the eye does.
fn interview_areas(size: (u16, u16)) -> (Rect, Rect, Rect) {
    let full = Rect::new(0, 0, size.0, size.1);
    let [main, _status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(full);
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

fn interview(f: &mut Frame, _area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let e = &s.assessment.engagement;
    let title = format!(" stackmap ─ {} — {} ", safe(&e.client), safe(&e.title));
    let (main, tree_area, question_area) = interview_areas((f.area().width, f.area().height));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(title, t.title()))
        .title_bottom(tabs(app, t));
    f.render_widget(block, main);
    if tree_area.width > 0 {
        tree(f, tree_area, s, t);
    }
    question(f, question_area, app, s, t);
}

/// The screens of the open assessment, the current one marked, for a frame's bottom border:
/// `Tab` moves between them.
pub(crate) fn tabs(app: &App, t: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(" Tab ", t.key())];
    // Full names when they fit beside the frame's title; else the others by their first
    // letters, the current one always in full.
    let full: usize = Screen::TABS
        .iter()
        .map(|s| s.label().len() + 3)
        .sum::<usize>()
        + 5;
    let short = full + 16 > usize::from(app.size.0);
    for (i, s) in Screen::TABS.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("·", t.dim()));
        }
        let style = if *s == app.screen {
            t.selected()
        } else {
            t.dim()
        };
        let label = if short && *s != app.screen {
            s.label().chars().take(3).collect()
        } else {
            s.label().to_string()
        };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    Line::from(spans).right_aligned()
}

/// The decision list: the two lanes side by side, ranked, and the selected decision in full
/// below them (priority terms, what it rests on, what it depends on, its roadmap slice).
fn decisions(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let e = &s.eval;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" Decisions ", t.title()))
        .title_bottom(tabs(app, t));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lanes = [
        e.ranked(Horizon::Immediate),
        e.ranked(Horizon::Architecture),
    ];
    let heads = ["Immediate fixes", "Architecture changes"];
    let (lane_areas, detail) = decision_layout(inner);
    let d = &app.decisions;
    if let Some(first) = d.roadmap {
        roadmap(f, inner, e, first, t);
        return;
    }
    for (k, area) in lane_areas.into_iter().enumerate() {
        let focus = d.lane == k;
        let head = format!("{} ({})", heads[k], lanes[k].len());
        let mut lines = vec![Line::styled(head, if focus { t.title() } else { t.dim() })];
        let room = area.height.saturating_sub(1) as usize;
        let sel = d.selected[k].min(lanes[k].len().saturating_sub(1));
        let first = lane_first(sel, room);
        for (i, dec) in lanes[k].iter().enumerate().skip(first).take(room) {
            let mark = match dec.status {
                DecisionStatus::Accepted => "✓",
                DecisionStatus::Deferred => "…",
                DecisionStatus::Rejected => "✗",
                _ => " ",
            };
            let text = format!("{:>3} {mark} {}", dec.rank, safe(&dec.title));
            let style = if focus && i == sel {
                t.selected()
            } else {
                Style::default()
            };
            lines.push(Line::styled(text, style));
        }
        if lanes[k].is_empty() {
            lines.push(Line::styled("  nothing here", t.dim()));
        }
        f.render_widget(Paragraph::new(lines), area);
    }
    let Some(dec) =
        lanes[d.lane].get(d.selected[d.lane].min(lanes[d.lane].len().saturating_sub(1)))
    else {
        return;
    };
    let tm = &dec.terms;
    let mut lines = vec![
        Line::raw(""),
        Line::styled(format!("#{} {}", dec.rank, safe(&dec.title)), t.title()),
        Line::from(vec![
            Span::styled("priority ", t.dim()),
            Span::raw(format!("{:.1}", dec.priority)),
            Span::styled(format!(" = {}", tm.product()), t.dim()),
        ]),
    ];
    if let Some(m) = tm.manual {
        lines.push(Line::styled(
            format!("set by hand to {m:.1}: {}", safe(&tm.manual_reason)),
            t.warn(),
        ));
    }
    let mut facts = vec![format!("status {}", dec.status)];
    if !dec.owner.is_empty() {
        facts.push(format!("owner {}", safe(&dec.owner)));
    }
    if let Some(sl) = dec.slice {
        facts.push(format!("Slice {sl}"));
    }
    if !dec.depends_on.is_empty() {
        facts.push(format!("after {}", safe(&dec.depends_on.join(", "))));
    }
    if dec.overridden {
        facts.push("overridden by the assessor".into());
    }
    lines.push(Line::styled(facts.join(" · "), t.dim()));
    for l in safe_multiline(&crate::text::reflow(&dec.recommendation)).lines() {
        lines.push(Line::raw(l.to_string()));
    }
    let mut scroll = d.detail;
    if !dec.because.is_empty() {
        lines.push(Line::styled(
            if d.reason.is_some() {
                "because — ↑↓ pick · Enter open the question · Esc back to the list"
            } else {
                "because — Enter to step through"
            },
            t.dim(),
        ));
        let first = lines.len();
        for (i, b) in dec.because.iter().enumerate() {
            let style = if d.reason == Some(i) {
                t.selected()
            } else {
                Style::default()
            };
            lines.push(Line::styled(format!("• {}", safe(&b.text)), style));
        }
        // Keep the picked reason in view: scroll by the wrapped rows above it.
        if let Some(i) = d.reason {
            let upto = (first + i + 1).min(lines.len());
            let rows = Paragraph::new(lines[..upto].to_vec())
                .wrap(Wrap { trim: false })
                .line_count(detail.width);
            scroll = rows.saturating_sub(usize::from(detail.height)) as u16;
        }
    }
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Never scroll past the last line.
    let most = (para.line_count(detail.width) as u16).saturating_sub(detail.height);
    f.render_widget(para.scroll((scroll.min(most), 0)), detail);
}

/// The two lanes and the detail pane inside the Decisions frame.
fn decision_layout(inner: Rect) -> ([Rect; 2], Rect) {
    let list_rows = (inner.height / 2).max(3);
    let [top, detail] =
        Layout::vertical([Constraint::Length(list_rows), Constraint::Min(0)]).areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    ([left, right], detail)
}

/// What Enter on a diff line opens.
#[derive(Debug, Clone, PartialEq)]
pub enum DiffTarget {
    Question(Position),
    Decision(String),
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
pub fn diff_lines(d: &crate::diff::Diff) -> Vec<DiffLine> {
    use crate::diff::Tone;
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
    if d.is_empty() {
        head(&mut out, "Nothing changed.");
        return out;
    }
    let esc = |s: &str| safe(s);
    if !d.scores.is_empty() {
        head(&mut out, "Scores (regressions first)");
        for x in &d.scores {
            line(&mut out, x.tone(), x.describe(), None);
        }
    }
    if !d.decisions.is_empty() {
        head(&mut out, "Decisions");
        // What came and went first; a re-rank is often only the knock-on of another change.
        let order = |m: crate::diff::DecisionMove| {
            use crate::diff::DecisionMove::*;
            [New, Resolved, MovedLane, Status, Owner, Reranked]
                .iter()
                .position(|x| *x == m)
        };
        let mut decisions: Vec<_> = d.decisions.iter().collect();
        decisions.sort_by_key(|x| order(x.change));
        for x in decisions {
            line(
                &mut out,
                x.tone(),
                format!("{}: {}", safe(&x.title), x.describe(&esc)),
                Some(DiffTarget::Decision(x.id.clone())),
            );
        }
    }
    if !d.answers.is_empty() {
        head(&mut out, "Answers");
        let mut last: Option<(&str, Option<&str>)> = None;
        for x in &d.answers {
            let group = (x.questionnaire.as_str(), x.subject.as_deref());
            if last != Some(group) {
                out.push(DiffLine {
                    text: safe(&match &x.subject {
                        Some(s) => format!(" {} / {s}", x.questionnaire),
                        None => format!(" {}", x.questionnaire),
                    }),
                    heading: false,
                    tone: Tone::Neutral,
                    target: None,
                });
                last = Some(group);
            }
            let target = DiffTarget::Question(Position {
                questionnaire: x.questionnaire.as_str().into(),
                subject: x.subject.as_deref().map(Into::into),
                question: x.question.as_str().into(),
            });
            line(
                &mut out,
                x.tone(),
                format!("{}: {}", safe(&x.question), x.describe(&esc)),
                Some(target),
            );
        }
    }
    if !d.inventory.is_empty() {
        head(&mut out, "Inventory");
        for x in &d.inventory {
            line(
                &mut out,
                Tone::Neutral,
                format!("{} {}: {}", x.kind, safe(&x.id), x.describe()),
                None,
            );
        }
    }
    if !d.methodology.is_empty() {
        head(
            &mut out,
            "Questionnaire changes (method, not the client's stack)",
        );
        for m in &d.methodology {
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
    out
}

/// The snapshots screen's areas inside the frame: the list and the diff, side by side when
/// there is room, else the list above the diff.
fn snapshot_layout(inner: Rect, rows: usize) -> (Rect, Rect) {
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

/// The area inside the frame of a screen (the terminal less the status line and the border),
/// for the mouse to find what a click lands on.
pub(crate) fn frame_inner(app: &App) -> Rect {
    let full = Rect::new(0, 0, app.size.0, app.size.1);
    let [main, _status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(full);
    Block::default().borders(Borders::ALL).inner(main)
}

/// Which list row a click at (column, row) lands on, from the layout the frame is drawn with.
pub fn snapshot_row_at(app: &App, column: u16, row: u16) -> Option<usize> {
    let sn = &app.snapshots;
    let (list, _) = snapshot_layout(frame_inner(app), sn.rows());
    if !list.contains(ratatui::layout::Position { x: column, y: row }) {
        return None;
    }
    let room = list.height.saturating_sub(1) as usize;
    let offset = usize::from(row.checked_sub(list.y + 1)?);
    let r = lane_first(sn.selected, room) + offset;
    (r < sn.rows()).then_some(r)
}

/// The snapshots: the live assessment and every snapshot, newest first, each with its
/// overall score and completion; and the diff between the two picked, regressions marked.
fn snapshots(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let sn = &app.snapshots;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" Snapshots ", t.title()))
        .title_bottom(tabs(app, t));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let (list, diff_area) = snapshot_layout(inner, sn.rows());
    let pair = sn.pair();
    let score = |x: Option<f64>| x.map_or("  —".to_string(), |v| format!("{v:>5.1}"));
    let mut lines = vec![Line::styled(
        format!("Snapshots ({}) · space marks a side", sn.entries.len()),
        if sn.focus == 0 { t.title() } else { t.dim() },
    )];
    let room = list.height.saturating_sub(1) as usize;
    let first = lane_first(sn.selected, room);
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
            percent(coverage)
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

    // The diff.
    let mut out: Vec<Line> = Vec::new();
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
            out.push(Line::raw(
                "S takes one: a labelled, frozen copy of the assessment with its scores and \
                 the questionnaires it was scored with. After the next workshop, this screen \
                 shows what changed since.",
            ));
        }
    }
    for line in &sn.skipped {
        out.push(Line::styled(safe(line), t.warn()));
    }
    let body = side_pane(f, list, diff_area, t);
    // Keep the highlighted line in view: scroll by the wrapped rows above it.
    let scroll = if sn.focus == 1 && sn.diff.is_some() {
        // The title line, then the lines up to the highlighted one.
        let upto = (sn.line + 2).min(out.len());
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

/// Draws the rule that sets a detail pane apart from the list it belongs to — a line on its
/// left when the two are side by side, above it when stacked — and returns the room inside,
/// a cell clear of the rule.
pub(crate) fn side_pane(f: &mut Frame, list: Rect, pane: Rect, t: &Theme) -> Rect {
    let beside = pane.x > list.x;
    let block = Block::default()
        .borders(if beside { Borders::LEFT } else { Borders::TOP })
        .border_style(t.border());
    let inner = block.inner(pane);
    f.render_widget(block, pane);
    if beside {
        Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(1),
            ..inner
        }
    } else {
        inner
    }
}

/// The first row a lane shows: scrolled so the selected row is at most the last visible one.
pub(crate) fn lane_first(selected: usize, room: usize) -> usize {
    (selected + 1).saturating_sub(room)
}

/// Which decision a click at (column, row) lands on: (lane, index in the lane), read from the
/// same layout the frame is drawn with.
pub fn decision_at(app: &App, column: u16, row: u16) -> Option<(usize, usize)> {
    let s = app.session.as_ref()?;
    if app.decisions.roadmap.is_some() {
        return None;
    }
    let full = Rect::new(0, 0, app.size.0, app.size.1);
    let [main, _status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(full);
    let inner = Block::default().borders(Borders::ALL).inner(main);
    let (lanes, _) = decision_layout(inner);
    let k = lanes
        .iter()
        .position(|r| r.contains(ratatui::layout::Position { x: column, y: row }))?;
    let area = lanes[k];
    let len = s
        .eval
        .lane([Horizon::Immediate, Horizon::Architecture][k])
        .count();
    let room = area.height.saturating_sub(1) as usize;
    let sel = app.decisions.selected[k].min(len.saturating_sub(1));
    // The first line of a lane is its heading.
    let offset = usize::from(row.checked_sub(area.y + 1)?);
    let i = lane_first(sel, room) + offset;
    (i < len).then_some((k, i))
}

/// The roadmap: each slice with its effort and its decisions in order, lane and rank first.
fn roadmap(f: &mut Frame, area: Rect, e: &crate::engine::Evaluation, first: usize, t: &Theme) {
    let mut lines = vec![Line::styled(
        "Roadmap — dependencies first, then priority; s back to the lanes",
        t.title(),
    )];
    let mut body = Vec::new();
    for sl in &e.roadmap {
        body.push(Line::styled(
            format!("Slice {} · effort {}", sl.slice, sl.effort),
            t.title(),
        ));
        for id in &sl.decisions {
            if let Some(dec) = e.decision(id) {
                let lane = match dec.horizon {
                    Horizon::Immediate => "immediate",
                    Horizon::Architecture => "architecture",
                };
                body.push(Line::raw(format!(
                    "  {lane:<12} #{:<3} {}",
                    dec.rank,
                    safe(&dec.title)
                )));
            }
        }
    }
    if body.is_empty() {
        body.push(Line::styled("nothing to sequence yet", t.dim()));
    }
    lines.extend(body.into_iter().skip(first));
    f.render_widget(Paragraph::new(lines), area);
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
/// its sections. Each with answered / applicable.
fn tree(f: &mut Frame, area: Rect, s: &Session, t: &Theme) {
    let Some(cur) = s.current() else { return };
    let width = area.width.saturating_sub(1) as usize;
    let mut lines: Vec<(Line, bool)> = Vec::new();
    let count = |a: u32, b: u32| format!("{a}/{b}");
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
                    count(q.score.answered, q.score.applicable),
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
                        row(name, count(run.score.answered, run.score.applicable), 1),
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
                        row(
                            safe(&sec.title),
                            count(sec.score.answered, sec.score.applicable),
                            2,
                        ),
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
    options: Vec<Line<'a>>,
    rest: Vec<Line<'a>>,
}

fn pane<'a>(app: &'a App, s: &'a Session, t: &Theme) -> Option<Pane<'a>> {
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
    let top = vec![
        Line::from(vec![
            Span::styled(format!("{}/{} ", s.cursor + 1, s.asked.len()), t.key()),
            Span::styled(path, t.dim()),
        ]),
        Line::raw(""),
        Line::styled(safe(&q.prompt), t.title()),
        Line::raw(""),
    ];
    let options = options(s, q, answer, t);
    let mut rest = vec![Line::raw("")];
    rest.extend(answer_lines(answer, t));
    if !q.help.is_empty() {
        rest.push(Line::raw(""));
        for l in safe_multiline(&crate::text::reflow(&q.help)).lines() {
            rest.push(Line::styled(l.to_string(), t.dim()));
        }
    }
    if !q.sources.is_empty() {
        rest.push(Line::styled(
            format!("Sources: {}", safe(&q.sources.join("; "))),
            t.dim(),
        ));
    }
    Some(Pane { top, options, rest })
}

/// Where the top, each option and the rest go in `area` (clipped at its bottom).
fn place(area: Rect, pane: &Pane) -> (Rect, Vec<Rect>, Rect) {
    let height = |lines: Vec<Line>| {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .line_count(area.width) as u16
    };
    let bottom = area.y + area.height;
    let mut y = area.y;
    let mut take = |h: u16| {
        let r = Rect {
            x: area.x,
            y,
            width: area.width,
            height: h.min(bottom.saturating_sub(y)),
        };
        y = y.saturating_add(h).min(bottom);
        r
    };
    let top = take(height(pane.top.clone()));
    let options = pane
        .options
        .iter()
        .map(|l| take(height(vec![l.clone()])))
        .collect();
    let rest = take(u16::MAX);
    (top, options, rest)
}

/// The rectangles of the current question's options on screen (for mouse clicks).
pub fn option_rects(app: &App) -> Vec<Rect> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let (_, _, area) = interview_areas(app.size);
    let t = Theme::new(true);
    pane(app, s, &t).map_or_else(Vec::new, |p| place(area, &p).1)
}

fn question(f: &mut Frame, area: Rect, app: &App, s: &Session, t: &Theme) {
    let Some(p) = pane(app, s, t) else {
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
    f.render_widget(Paragraph::new(p.rest).wrap(Wrap { trim: false }), rest);
}

fn options<'a>(s: &Session, q: &Question, answer: Option<&Answer>, t: &Theme) -> Vec<Line<'a>> {
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
        out.push(Line::from(vec![
            Span::styled(key, t.key()),
            Span::styled(format!("{mark} {label}"), style),
        ]));
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
                Some(Value::Number(x)) => format!(
                    "{} {}",
                    crate::engine::score::describe_number(*x),
                    safe(&q.unit)
                ),
                Some(Value::Text(x)) => safe(x),
                _ => "—".into(),
            };
            out.push(Line::from(vec![
                Span::styled("value: ", t.dim()),
                Span::styled(shown, t.chosen()),
                Span::styled("   (Enter or v to type)", t.dim()),
            ]));
        }
    }
    out
}

fn answer_lines<'a>(answer: Option<&Answer>, t: &Theme) -> Vec<Line<'a>> {
    let Some(a) = answer else {
        return vec![Line::styled(
            "not answered yet · u unknown · x not applicable",
            t.dim(),
        )];
    };
    let state = match &a.state {
        AnswerState::Value(_) => Span::styled("answered", t.chosen()),
        AnswerState::Unknown => Span::styled("unknown", t.warn()),
        AnswerState::NotApplicable => Span::styled("not applicable", t.dim()),
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
    if !a.note.is_empty() {
        for (i, l) in safe_multiline(&a.note).lines().enumerate() {
            let prefix = if i == 0 { "note: " } else { "      " };
            out.push(Line::from(vec![
                Span::styled(prefix, t.dim()),
                Span::raw(l.to_string()),
            ]));
        }
    }
    out
}

fn status_bar(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    // The message (an error, a result, a hint) comes right after the file name, so a narrow
    // terminal cuts the counts, not the one thing the user needs to read.
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = &app.session {
        parts.push(
            s.path
                .file_name()
                .map_or_else(String::new, |n| safe(&n.to_string_lossy())),
        );
        if s.read_only {
            parts.push("READ-ONLY".into());
        }
    }
    if !app.status.is_empty() {
        parts.push(safe(&app.status));
    }
    if let Some(s) = &app.session {
        parts.push(format!(
            "{} answered ({} of {})",
            percent(s.eval.coverage),
            s.eval.answered,
            s.eval.applicable
        ));
    }
    if let Some(at) = &app.saved_at {
        parts.push(format!("saved {at}"));
    }
    let left = format!(" {}", parts.join(" · "));
    let right = "? help ";
    let width = area.width as usize;
    let room = width.saturating_sub(right.len());
    let mut l: String = left.chars().take(room).collect();
    let pad = room.saturating_sub(l.chars().count());
    l.push_str(&" ".repeat(pad));
    l.push_str(right);
    f.render_widget(Paragraph::new(Line::styled(l, t.status())), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn help(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let ctx = super::keymap::screen_context(app.screen);
    let rows = keymap::help(ctx);
    let keyw = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(4);
    let lines: Vec<Line> = rows
        .iter()
        .map(|(k, h)| {
            Line::from(vec![
                Span::styled(format!("{k:>keyw$}  "), t.key()),
                Span::raw(*h),
            ])
        })
        .collect();
    let width = area.width.min(76);
    // Wrapped inside the border: the width less two, the height plus two.
    let tall = Paragraph::new(lines.clone())
        .wrap(Wrap { trim: false })
        .line_count(width.saturating_sub(2)) as u16
        + 2;
    let rect = centered(area, width, tall);
    // Taller than the terminal: the arrows scroll it, and the title says so.
    let hidden = tall.saturating_sub(rect.height);
    let scroll = app.help_scroll.min(hidden);
    let title = if hidden > 0 {
        " keys — ↑↓ scroll · any other key closes "
    } else {
        " keys — any key closes "
    };
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, t.title()));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        rect,
    );
}

fn input(f: &mut Frame, area: Rect, purpose: InputPurpose, line: &LineInput, t: &Theme) {
    let title = match purpose {
        InputPurpose::OpenPath => " open an assessment file — Enter open · Esc cancel ",
        InputPurpose::Value => " value — Enter save · Esc cancel ",
        InputPurpose::Filter => " filter — Enter keep · Esc clear ",
        InputPurpose::SnapshotLabel => " snapshot label — Enter take · Esc cancel ",
        InputPurpose::DecisionOwner => " owner (team or person) — Enter save · Esc cancel ",
        InputPurpose::DecisionPriority => {
            " priority 0–1000, then why: \"40 board asked for it\" — Enter save "
        }
    };
    let rect = centered(area, 70, 3);
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, t.title()));
    let inner = block.inner(rect);
    f.render_widget(Paragraph::new(safe(&line.text)).block(block), rect);
    let x = inner.x + (line.cursor as u16).min(inner.width.saturating_sub(1));
    f.set_cursor_position((x, inner.y));
}

/// A box of lines to read over the screen, sized to them (wrapped) and cut to the area.
/// A message box's paragraph, its width, and its height with the border (uncut).
fn message_box(area: Rect, lines: &[String]) -> (Paragraph<'static>, u16, u16) {
    let width = area.width.min(90);
    let para = Paragraph::new(lines.iter().map(|l| Line::raw(safe(l))).collect::<Vec<_>>())
        .wrap(Wrap { trim: false });
    let rows = para.line_count(width.saturating_sub(2)) as u16 + 2;
    (para, width, rows)
}

/// How many rows of a message do not fit the terminal: how far its scrolling can go.
pub(crate) fn message_hidden(app: &App, lines: &[String]) -> u16 {
    let [main, _] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)])
        .areas(Rect::new(0, 0, app.size.0, app.size.1));
    let (_, _, rows) = message_box(main, lines);
    rows.saturating_sub(main.height)
}

/// Taller than the terminal, it scrolls by `scroll` lines and its title says so.
fn message(f: &mut Frame, area: Rect, title: &str, lines: &[String], scroll: u16, t: &Theme) {
    let (para, width, rows) = message_box(area, lines);
    let rect = centered(area, width, rows.min(area.height));
    let hidden = rows.saturating_sub(rect.height);
    let title = if title.starts_with(" Delete?") {
        title.to_string()
    } else if hidden > 0 {
        format!(" {title} — ↑↓ scroll · any other key closes ")
    } else {
        format!(" {title} — any key closes ")
    };
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.bad())
        .title(Span::styled(title, t.title()));
    f.render_widget(para.block(block).scroll((scroll.min(hidden), 0)), rect);
}

fn note(f: &mut Frame, area: Rect, ta: &TextArea, title: &str, t: &Theme) {
    let rect = centered(area, 76, (ta.lines.len() as u16 + 2).clamp(6, area.height));
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title.to_string(), t.title()));
    let inner = block.inner(rect);
    let lines: Vec<Line> = ta.lines.iter().map(|l| Line::raw(safe(l))).collect();
    let scroll = (ta.cursor.0 as u16).saturating_sub(inner.height.saturating_sub(1));
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), rect);
    let x = inner.x + (ta.cursor.1 as u16).min(inner.width.saturating_sub(1));
    let y = inner.y + (ta.cursor.0 as u16 - scroll).min(inner.height.saturating_sub(1));
    f.set_cursor_position((x, y));
}

fn new_form(f: &mut Frame, area: Rect, app: &App, form: &NewForm, t: &Theme) {
    let profiles = &app.content.profiles;
    let rect = centered(area, 76, (12 + profiles.len() as u16).min(area.height));
    f.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        " new assessment — Tab next field · Enter next / create · Esc cancel ",
        t.title(),
    ));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let label = |i: usize, name: &str| {
        Span::styled(
            format!("{name:>8}: "),
            if form.field == i { t.key() } else { t.dim() },
        )
    };
    let mut lines = vec![
        Line::from(vec![label(0, "client"), Span::raw(safe(&form.client.text))]),
        Line::from(vec![
            label(1, "title"),
            Span::raw(safe(&form.title.text)),
            Span::styled(
                if form.title.text.is_empty() {
                    "  (default: <client> assessment)"
                } else {
                    ""
                },
                t.dim(),
            ),
        ]),
        Line::from(vec![
            label(2, "profile"),
            Span::styled("↑/↓ to choose", t.dim()),
        ]),
    ];
    for (i, p) in profiles.iter().enumerate() {
        let style = if i == form.profile {
            t.selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            format!("   {} — {}", p.id, safe(&p.title)),
            style,
        ));
    }
    if let Some(p) = profiles.get(form.profile) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            safe(&crate::text::reflow(&p.description)),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if form.field < 2 {
        let line = if form.field == 0 {
            &form.client
        } else {
            &form.title
        };
        let x = inner.x + 10 + (line.cursor as u16).min(inner.width.saturating_sub(11));
        f.set_cursor_position((x, inner.y + form.field as u16));
    }
}

fn palette(f: &mut Frame, area: Rect, p: &PaletteState, t: &Theme) {
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(24),
    );
    f.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        " find — type to search · ↑/↓ · Enter go · Esc close ",
        t.title(),
    ));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let [query, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled("› ", t.key()),
                Span::raw(safe(&p.query.text)),
            ]),
            Line::raw(""),
        ]),
        query,
    );
    let height = list.height as usize;
    let start = p.selected.saturating_sub(height.saturating_sub(1));
    let width = list.width as usize;
    let lines: Vec<Line> = p
        .hits
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, h)| {
            let base = if i == p.selected {
                t.selected()
            } else {
                Style::new()
            };
            let mut spans = vec![Span::styled(format!("{:<9}", h.item.kind), t.dim())];
            for (ci, c) in h
                .item
                .label
                .chars()
                .take(width.saturating_sub(9))
                .enumerate()
            {
                let style = if h.matched.contains(&ci) {
                    base.patch(t.key())
                } else {
                    base
                };
                spans.push(Span::styled(c.to_string(), style));
            }
            Line::from(spans)
        })
        .collect();
    if lines.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled("nothing matches", t.dim())),
            list,
        );
    } else {
        f.render_widget(Paragraph::new(lines), list);
    }
    let x = query.x + 2 + (p.query.cursor as u16).min(query.width.saturating_sub(3));
    f.set_cursor_position((x, query.y));
}

fn conflict(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let name = app
        .session
        .as_ref()
        .map_or(String::new(), |s| s.path.display().to_string());
    let lines = vec![
        Line::styled(
            format!(
                "{} was changed by another program since stackmap opened it.",
                safe(&name)
            ),
            t.warn(),
        ),
        Line::raw("Your last change is kept here; nothing has been written. What wins?"),
        Line::raw(""),
        Line::from(vec![
            Span::styled(" o ", t.key()),
            Span::raw("overwrite: write this session's version over theirs"),
        ]),
        Line::from(vec![
            Span::styled(" r ", t.key()),
            Span::raw("reload: open theirs; this session's unsaved change is dropped"),
        ]),
        Line::from(vec![
            Span::styled(" k ", t.key()),
            Span::raw("keep working; decide at the next change (Esc)"),
        ]),
        Line::from(vec![
            Span::styled(" q ", t.key()),
            Span::raw("quit without saving this session's change"),
        ]),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" the file changed on disk ", t.bad()));
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Tall enough for the lines as wrapped inside the border, so the last choice is never
    // cut off.
    let width = area.width.min(78);
    let rect = centered(
        area,
        width,
        para.line_count(width.saturating_sub(2)) as u16 + 2,
    );
    let para = para.block(block);
    f.render_widget(Clear, rect);
    f.render_widget(para, rect);
}

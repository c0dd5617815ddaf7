//! The decision list: two lanes, "Immediate fixes" and "Architecture changes", ranked, with
//! the reasons behind each; accept, defer, reject, an owner, a priority set by hand; the
//! roadmap of slices; and, in place of the lanes, what to ask next (the engine's open
//! questions, grouped by subject, each with the decisions its answer could raise).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::interview;
use crate::model::DecisionOverride;
use crate::text::{safe, safe_multiline};
use crate::tui::action::{Action, Do};
use crate::tui::edit;
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, InputPurpose, Overlay, Screen};
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, line::LineInput};
use crate::vocab::{DecisionStatus, Horizon};

const DECISIONS: Context = Context::On(Screen::Decisions);

/// The label of the decision list's key for `d`, for hints.
fn key(d: Do) -> String {
    keymap::key(DECISIONS, d)
}

/// From this many columns the two lanes sit side by side; below it one lane shows at a time
/// and a key switches between them.
pub const SIDE_BY_SIDE: u16 = 160;

/// Where the decision list stands: the lane in focus and the selected row of each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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
    /// What to ask next in place of the lanes, with this open question selected.
    pub questions: Option<usize>,
    /// Only decisions whose title or owner holds this (any case); empty: all of them.
    pub filter: String,
    /// Hide accepted, deferred and rejected decisions: what is still open.
    pub hide_closed: bool,
}

/// The decisions of a lane (0 immediate, 1 architecture) the list shows, in rank order:
/// after the filter and the open-only toggle.
pub fn visible<'a>(
    e: &'a crate::engine::Evaluation,
    d: &DecisionsState,
    lane: usize,
) -> Vec<&'a crate::engine::Decision> {
    let needle = d.filter.trim().to_lowercase();
    e.ranked([Horizon::Immediate, Horizon::Architecture][lane.min(1)])
        .into_iter()
        .filter(|x| !d.hide_closed || x.status == DecisionStatus::Open)
        .filter(|x| {
            needle.is_empty()
                || x.title.to_lowercase().contains(&needle)
                || x.owner.to_lowercase().contains(&needle)
        })
        .collect()
}

/// The decision list narrowed to `text` (by title or owner), from the top of each lane; when
/// nothing of the focused lane is left and the other has some, the other lane.
pub fn set_filter(app: &mut App, text: String) {
    let d = &mut app.screens.decisions;
    d.filter = text;
    d.selected = [0, 0];
    d.reason = None;
    if let Some(s) = app.session.as_ref() {
        let d = &app.screens.decisions;
        if visible(&s.eval, d, d.lane).is_empty() && !visible(&s.eval, d, 1 - d.lane).is_empty() {
            app.screens.decisions.lane = 1 - d.lane;
        }
    }
}

/// A decision's title for people, from its id (an id no decision has stays as it is).
pub fn title_of(e: &crate::engine::Evaluation, id: &str) -> String {
    e.decision(id)
        .map_or_else(|| id.to_string(), |d| d.title.clone())
}

/// The decision list: move within a lane, switch lanes. The list itself is the session's
/// evaluation, so it re-ranks as answers change.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let lens = [
        visible(&s.eval, &app.screens.decisions, 0).len(),
        visible(&s.eval, &app.screens.decisions, 1).len(),
    ];
    let reasons = selected_decision(app).map_or(0, |d| d.because.len());
    let open = s.eval.open_questions.len();
    let d = &mut app.screens.decisions;
    if let Some(i) = d.questions {
        // What to ask next reads; Enter opens a question in the interview.
        match action {
            Action::Do(Do::Questions | Do::Home, _) => d.questions = None,
            Action::Do(Do::Roadmap, _) => {
                d.questions = None;
                d.roadmap = Some(0);
            }
            Action::Do(Do::Up, _) => d.questions = Some(i.saturating_sub(1)),
            Action::Do(Do::Down, _) => d.questions = Some((i + 1).min(open.saturating_sub(1))),
            Action::Do(Do::DetailUp, _) => d.questions = Some(i.saturating_sub(10)),
            Action::Do(Do::DetailDown, _) => {
                d.questions = Some((i + 10).min(open.saturating_sub(1)));
            }
            Action::Do(Do::Select, _) => ask(app, i),
            _ => {}
        }
        return Vec::new();
    }
    if let Some(top) = d.roadmap {
        // The roadmap reads; it does not edit. Only scrolling, leaving it and the screen keys.
        let lines: usize = s.eval.roadmap.iter().map(|x| x.decisions.len() + 1).sum();
        match action {
            Action::Do(Do::Questions, _) => {
                d.roadmap = None;
                d.questions = Some(0);
            }
            Action::Do(Do::Roadmap | Do::Home, _) => d.roadmap = None,
            Action::Do(Do::Up, _) => d.roadmap = Some(top.saturating_sub(1)),
            Action::Do(Do::Down, _) => d.roadmap = Some((top + 1).min(lines.saturating_sub(1))),
            _ => {}
        }
        return Vec::new();
    }
    // A new selection starts its detail at the top.
    if !matches!(action, Action::Do(Do::DetailDown | Do::DetailUp, _)) {
        d.detail = 0;
    }
    match (action, d.reason) {
        (Action::ClickDecision(lane, i), _) => {
            d.lane = lane.min(1);
            d.selected[d.lane] = i.min(lens[d.lane].saturating_sub(1));
            d.reason = None;
        }
        (Action::Do(Do::DetailDown, _), _) => d.detail = d.detail.saturating_add(5).min(500),
        (Action::Do(Do::DetailUp, _), _) => d.detail = d.detail.saturating_sub(5),
        (Action::Do(Do::Roadmap, _), _) => {
            d.roadmap = Some(0);
            d.reason = None;
        }
        (Action::Do(Do::Questions, _), _) => {
            d.questions = Some(0);
            d.reason = None;
        }
        (Action::Do(Do::Filter, _), _) => {
            d.reason = None;
            app.overlay = Some(Overlay::Input(
                InputPurpose::DecisionFilter,
                LineInput::with(&app.screens.decisions.filter),
            ));
        }
        (Action::Do(Do::Toggle, _), _) => {
            d.hide_closed = !d.hide_closed;
            d.selected = [0, 0];
            d.reason = None;
        }
        (Action::Do(Do::Home, _), Some(_)) => d.reason = None,
        (Action::Do(Do::Home, _), None) => app.screen = Screen::Home,
        (Action::Do(Do::Up, _), Some(i)) => d.reason = Some(i.saturating_sub(1)),
        (Action::Do(Do::Down, _), Some(i)) => {
            d.reason = Some((i + 1).min(reasons.saturating_sub(1)));
        }
        (Action::Do(Do::Select, _), None) if reasons > 0 => d.reason = Some(0),
        (Action::Do(Do::Select, _), Some(i)) => jump_to_reason(app, i),
        (Action::Do(Do::Up, _), None) => {
            d.selected[d.lane] = d.selected[d.lane].saturating_sub(1);
        }
        (Action::Do(Do::Down, _), None) => {
            d.selected[d.lane] = (d.selected[d.lane] + 1).min(lens[d.lane].saturating_sub(1));
        }
        (Action::Do(Do::Next | Do::Previous, _), _) => {
            d.lane = 1 - d.lane;
            d.reason = None;
        }
        (Action::Do(st @ (Do::Accept | Do::Defer | Do::Reject), _), _) => {
            let want = match st {
                Do::Accept => DecisionStatus::Accepted,
                Do::Defer => DecisionStatus::Deferred,
                _ => DecisionStatus::Rejected,
            };
            return override_selected(app, |o| {
                // The same key again takes the word back.
                o.status = (o.status != Some(want)).then_some(want);
                Ok(())
            });
        }
        (Action::Do(Do::Owner, _), _) => {
            if let Some(dec) = selected_decision(app) {
                let text = dec.owner.clone();
                let cursor = text.chars().count();
                app.overlay = Some(Overlay::Input(
                    InputPurpose::DecisionOwner,
                    LineInput { text, cursor },
                ));
            }
        }
        (Action::Do(Do::Priority, _), _) => {
            if let Some(dec) = selected_decision(app) {
                let text = match dec.terms.manual {
                    Some(p) => format!("{p} {}", dec.terms.manual_reason),
                    None => String::new(),
                };
                let cursor = text.chars().count();
                app.overlay = Some(Overlay::Input(
                    InputPurpose::DecisionPriority,
                    LineInput { text, cursor },
                ));
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Shows decision `i` of lane `lane` (0 immediate, 1 architecture) in the decision list.
pub fn show(app: &mut App, lane: usize, i: usize) {
    let lane = lane.min(1);
    app.screens.decisions.lane = lane;
    app.screens.decisions.selected[lane] = i;
    app.screens.decisions.reason = None;
    app.screens.decisions.roadmap = None;
    app.screens.decisions.questions = None;
    app.screens.decisions.detail = 0;
    app.screen = Screen::Decisions;
}

/// Enter on open question `i`: a question opens in the interview; a flow field says where it
/// is filled in.
fn ask(app: &mut App, i: usize) {
    let Some(s) = app.session.as_ref() else {
        return;
    };
    let Some(q) = s.eval.open_questions.get(i) else {
        return;
    };
    match (&q.questionnaire, &q.question) {
        (Some(qn), Some(question)) => {
            let subject = q.subject.as_ref().map(|x| x.id.as_str());
            let found = s.asked.iter().position(|&k| {
                let x = &s.eval.questions[k];
                *x.questionnaire == **qn
                    && *x.question == **question
                    && x.subject.as_deref() == subject
            });
            match found {
                Some(k) => {
                    app.screens.decisions.questions = None;
                    interview::open(app, k);
                }
                None => {
                    app.status =
                        "the profile does not ask that question; the answer was heard all the same"
                            .into();
                }
            }
        }
        _ if q.field.as_deref() == Some("ownership") => {
            app.status =
                "not captured in the inventory: fill in the object's owner and writers on the Ownership screen"
                    .into();
        }
        _ => {
            app.status = format!(
                "not captured in the inventory: fill in the flow's {} on the Inventory screen",
                q.field.as_deref().unwrap_or("fields")
            );
        }
    }
}

/// Opens the question behind the selected decision's `i`th reason in the interview, when the
/// reason is an answer; other reasons say what they are.
fn jump_to_reason(app: &mut App, i: usize) {
    let Some(b) = selected_decision(app)
        .and_then(|d| d.because.get(i))
        .cloned()
    else {
        return;
    };
    let Some(s) = app.session.as_mut() else {
        return;
    };
    let found = (b.kind == crate::engine::BecauseKind::Answer)
        .then(|| {
            s.asked.iter().position(|&q| {
                let x = &s.eval.questions[q];
                let r = match &x.subject {
                    Some(sub) => format!("{}/{sub}/{}", x.questionnaire, x.question),
                    None => format!("{}/{}", x.questionnaire, x.question),
                };
                *r == *b.reference
            })
        })
        .flatten();
    match found {
        Some(k) => {
            app.screens.decisions.reason = None;
            interview::open(app, k);
        }
        None if b.kind == crate::engine::BecauseKind::Answer => {
            app.status = "that question is not asked now (its condition no longer holds)".into();
        }
        None if b.kind == crate::engine::BecauseKind::Rule => {
            app.status = "a rule combining answers; the answers are the other reasons".into();
        }
        None => {
            app.status = format!(
                "a fact of the inventory ({}), not an answer",
                crate::text::safe(&b.reference)
            );
        }
    }
}

/// The decision under the cursor of the focused lane.
fn selected_decision(app: &App) -> Option<&crate::engine::Decision> {
    let s = app.session.as_ref()?;
    let lane = visible(&s.eval, &app.screens.decisions, app.screens.decisions.lane);
    let i = app.screens.decisions.selected[app.screens.decisions.lane]
        .min(lane.len().saturating_sub(1));
    lane.get(i).copied()
}

/// Changes the assessor's override of the selected decision (made if missing, dropped when
/// it no longer says anything), re-scores, keeps the same decision selected as it re-ranks,
/// and saves.
fn override_selected(
    app: &mut App,
    f: impl FnOnce(&mut DecisionOverride) -> Result<(), String>,
) -> Vec<Effect> {
    let Some((id, title)) = selected_decision(app).map(|d| (d.id.clone(), d.title.clone())) else {
        return Vec::new();
    };
    let said = format!("“{}” updated", safe(&title));
    let effects = edit::edit_assessment(app, &said, |a| {
        let index = a.decisions.iter().position(|o| o.id == id);
        let mut o = index
            .map(|i| a.decisions[i].clone())
            .unwrap_or_else(|| DecisionOverride {
                id: id.clone(),
                ..DecisionOverride::default()
            });
        f(&mut o)?;
        let empty = o
            == DecisionOverride {
                id: id.clone(),
                ..DecisionOverride::default()
            };
        match (index, empty) {
            (Some(i), true) => {
                a.decisions.remove(i);
            }
            (Some(i), false) => a.decisions[i] = o,
            (None, false) => a.decisions.push(o),
            (None, true) => {}
        }
        Ok(())
    });
    // Follow the decision to its new place.
    if let Some(s) = app.session.as_ref()
        && let Some(dec) = s.eval.decisions.iter().find(|d| d.id == id)
    {
        let lane = usize::from(dec.horizon == Horizon::Architecture);
        let shown = visible(&s.eval, &app.screens.decisions, lane);
        // Hidden now (accepted while only open ones show): stay where the list was.
        let at = shown.iter().position(|d| d.id == id);
        let len = shown.len();
        let d = &mut app.screens.decisions;
        d.lane = lane;
        d.selected[lane] = at.unwrap_or(d.selected[lane]).min(len.saturating_sub(1));
    }
    effects
}

/// The decision list: the two lanes side by side, ranked, and the selected decision in full
/// below them (priority terms, what it rests on, what it depends on, its roadmap slice).
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let e = &s.eval;
    let title = format!(
        " Decisions · {} what to ask next ({}) ",
        key(Do::Questions),
        e.open_questions.len()
    );
    let block = widgets::screen_block(app, title, t);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let d = &app.screens.decisions;
    let lanes = [visible(e, d, 0), visible(e, d, 1)];
    let totals = [
        e.lane(Horizon::Immediate).count(),
        e.lane(Horizon::Architecture).count(),
    ];
    let (lane_areas, detail) = decision_layout(inner);
    if let Some(first) = d.roadmap {
        roadmap(f, inner, e, first, t);
        return;
    }
    if let Some(sel) = d.questions {
        questions(f, inner, app, sel, t);
        return;
    }
    let single = lane_areas[0] == lane_areas[1];
    for (k, area) in lane_areas.into_iter().enumerate() {
        if single && k != d.lane {
            continue;
        }
        let focus = d.lane == k;
        let mut head = vec![Span::styled(
            lane_head(k, lanes[k].len(), totals[k]),
            if focus { t.title() } else { t.dim() },
        )];
        if single {
            let other = 1 - k;
            head.push(Span::styled(
                format!(
                    " · {} {}",
                    lane_keys(),
                    lane_head(other, lanes[other].len(), totals[other])
                ),
                t.dim(),
            ));
        }
        let mut columns = format!(
            "{:>3} {:>5} {:<8} {:<3} decision · owner",
            "#", "prio", "status", "sl"
        );
        if k == 0 || single {
            columns.push_str(&narrowing(d));
        }
        let sel = d.selected[k].min(lanes[k].len().saturating_sub(1));
        let rows = lane_rows(&lanes[k], area.width);
        let (first, shown) = lane_view(&rows, sel, area);
        // How many are out of view above and below, said in the heading: a row of its own
        // would cost a decision.
        let above = rows.get(first).map_or(0, |r| r.0);
        let below = lanes[k]
            .len()
            .saturating_sub(rows.get(first + shown).map_or(lanes[k].len(), |r| r.0));
        match (above, below) {
            (0, 0) => {}
            (0, b) => head.push(Span::styled(format!(" · ↓ {b} more"), t.dim())),
            (a, 0) => head.push(Span::styled(format!(" · ↑ {a} more"), t.dim())),
            (a, b) => head.push(Span::styled(format!(" · ↑ {a} ↓ {b} more"), t.dim())),
        }
        let mut lines = vec![Line::from(head), Line::styled(columns, t.dim())];
        for (i, text) in rows.into_iter().skip(first).take(shown) {
            let style = if focus && i == sel {
                t.selected()
            } else {
                Style::default()
            };
            lines.push(Line::styled(text, style));
        }
        if lanes[k].is_empty() {
            let why = if totals[k] == 0 {
                "  nothing here"
            } else {
                "  none shown: the filter or the open-only toggle hides them"
            };
            lines.push(Line::styled(why, t.dim()));
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
        let after: Vec<String> = dec.depends_on.iter().map(|id| title_of(e, id)).collect();
        facts.push(format!("after {}", safe(&after.join("; "))));
    }
    if !dec.waits_on_open.is_empty() {
        let wait: Vec<String> = dec.waits_on_open.iter().map(|id| title_of(e, id)).collect();
        facts.push(format!("may wait for {}", safe(&wait.join("; "))));
    }
    lines.push(Line::styled(facts.join(" · "), t.dim()));
    if dec.about.wider_than_title() {
        lines.push(Line::styled(
            format!("about {}", safe(&dec.about.describe(&s.assessment, 3))),
            t.dim(),
        ));
    }
    let width = usize::from(detail.width);
    for l in safe_multiline(&crate::text::reflow(&dec.recommendation)).lines() {
        // A list item's wrapped rows hang under its text, after the marker.
        match crate::text::list_marker(l) {
            Some(n) => lines.extend(widgets::hanging(
                Span::raw(l[..n].to_string()),
                Span::raw(l[n..].to_string()),
                width,
            )),
            None => lines.push(Line::raw(l.to_string())),
        }
    }
    let mut scroll = d.detail;
    if !dec.because.is_empty() {
        lines.push(Line::styled(
            if d.reason.is_some() {
                format!(
                    "because — {}{} pick · {} open the question · {} back to the list",
                    key(Do::Up),
                    key(Do::Down),
                    key(Do::Select),
                    keymap::keys(DECISIONS, Do::Home)
                        .last()
                        .cloned()
                        .unwrap_or_default()
                )
            } else {
                format!("because — {} to step through", key(Do::Select))
            },
            t.dim(),
        ));
        // The line each reason starts on (a reason may take several).
        let mut reason_at = Vec::with_capacity(dec.because.len());
        for (i, b) in dec.because.iter().enumerate() {
            let style = if d.reason == Some(i) {
                t.selected()
            } else {
                Style::default()
            };
            let rows = widgets::hanging(
                Span::styled("• ", style),
                Span::styled(safe(&b.text), style),
                width,
            );
            reason_at.push(lines.len());
            lines.extend(rows);
        }
        // Keep the picked reason in view: scroll by the wrapped rows above it.
        if let Some(i) = d.reason {
            let upto = reason_at
                .get(i + 1)
                .copied()
                .unwrap_or(lines.len())
                .min(lines.len());
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

/// The two lanes and the detail pane inside the Decisions frame. Below `SIDE_BY_SIDE`
/// columns both lanes get the same full-width rectangle and only the focused one is drawn.
fn decision_layout(inner: Rect) -> ([Rect; 2], Rect) {
    // One lane alone wraps its titles under narrower columns: it gets more of the height.
    let list_rows = if inner.width < SIDE_BY_SIDE {
        inner.height * 3 / 5
    } else {
        inner.height / 2
    }
    .max(4);
    let [top, detail] =
        Layout::vertical([Constraint::Length(list_rows), Constraint::Min(0)]).areas(inner);
    if inner.width < SIDE_BY_SIDE {
        return ([top, top], detail);
    }
    let [left, _, right] = Layout::horizontal([
        Constraint::Percentage(50),
        Constraint::Length(1),
        Constraint::Percentage(50),
    ])
    .areas(top);
    ([left, right], detail)
}

/// A lane's heading: its name and how many it shows (of how many, when some are hidden).
fn lane_head(lane: usize, shown: usize, total: usize) -> String {
    let name = ["Immediate fixes", "Architecture changes"][lane.min(1)];
    if shown == total {
        format!("{name} ({total})")
    } else {
        format!("{name} ({shown} of {total})")
    }
}

/// The keys that switch lanes, for the heading of a lane shown alone.
fn lane_keys() -> String {
    let keys = keymap::keys(DECISIONS, Do::Next);
    match (keys.first(), keys.get(2)) {
        (Some(a), Some(b)) => format!("{a}{b}"),
        _ => key(Do::Next),
    }
}

/// What narrows the list, and the keys that change it.
fn narrowing(d: &DecisionsState) -> String {
    let mut parts = Vec::new();
    if !d.filter.trim().is_empty() {
        parts.push(format!("filter “{}”", safe(d.filter.trim())));
    }
    if d.hide_closed {
        parts.push("open only".to_string());
    }
    if parts.is_empty() {
        format!(
            "   {} filter · {} open only",
            keymap::key(Context::Global, Do::Filter),
            key(Do::Toggle)
        )
    } else {
        format!("   {} · {} show all", parts.join(", "), key(Do::Toggle))
    }
}

/// The lines of a lane: per decision its rank, priority, status in words, roadmap slice and
/// full title (with the owner), wrapped under the title column; each with its decision's
/// index in the lane.
fn lane_rows(decs: &[&crate::engine::Decision], width: u16) -> Vec<(usize, String)> {
    const LEAD: usize = 23;
    let room = usize::from(width).saturating_sub(LEAD).max(12);
    let mut rows = Vec::new();
    for (i, dec) in decs.iter().enumerate() {
        let slice = dec
            .slice
            .map_or_else(|| "—".to_string(), |x| format!("S{x}"));
        let mut text = safe(&dec.title);
        if !dec.owner.is_empty() {
            // The name before any "(team), with …": the detail below has it in full.
            let short = dec.owner.split([',', '(']).next().unwrap_or("").trim();
            let short = if short.is_empty() {
                dec.owner.trim()
            } else {
                short
            };
            text.push_str(&format!(" · {}", safe(short)));
        }
        for (n, part) in wrap(&text, room).into_iter().enumerate() {
            let lead = if n == 0 {
                format!(
                    "{:>3} {:>5} {:<8} {:<3} ",
                    dec.rank,
                    format!("{:.1}", dec.priority),
                    dec.status.to_string(),
                    slice
                )
            } else {
                " ".repeat(LEAD)
            };
            rows.push((i, format!("{lead}{part}")));
        }
    }
    rows
}

/// Words of `text` in lines of at most `width` characters (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let need = cur.chars().count() + usize::from(!cur.is_empty()) + word.chars().count();
        if !cur.is_empty() && need > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        let mut w = word.to_string();
        while w.chars().count() > width {
            let head: String = w.chars().take(width).collect();
            w = w.chars().skip(width).collect();
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            lines.push(head);
        }
        cur.push_str(&w);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The first row to show so the selected decision is whole in `room` rows: from the top
/// while it fits, else with the selection at the bottom.
fn first_row(rows: &[(usize, String)], sel: usize, room: usize) -> usize {
    let end = rows
        .iter()
        .rposition(|(i, _)| *i == sel)
        .map_or(0, |r| r + 1);
    let start = rows.iter().position(|(i, _)| *i == sel).unwrap_or(0);
    let first = end.saturating_sub(room).min(start);
    // Start on a decision's first line, not in the middle of a wrapped title.
    let mut first = first;
    while first > 0 && first < rows.len() && rows[first].0 == rows[first - 1].0 && first < start {
        first += 1;
    }
    first
}

/// Which rows of a lane show: (the first, how many), whole decisions only, the selected one
/// among them.
fn lane_view(rows: &[(usize, String)], sel: usize, area: Rect) -> (usize, usize) {
    let full = area.height.saturating_sub(2) as usize;
    let first = first_row(rows, sel, full);
    (first, whole(rows, first, full))
}

/// The selected index of lane `k`, within its `len` decisions.
fn sel_of(d: &DecisionsState, k: usize, len: usize) -> usize {
    d.selected[k].min(len.saturating_sub(1))
}

/// How many of the rows from `first` to show in `room`: whole decisions only, never the top
/// of a title whose end would be cut off (unless one decision is taller than the room).
fn whole(rows: &[(usize, String)], first: usize, room: usize) -> usize {
    let end = (first + room).min(rows.len());
    match rows.get(end) {
        Some(next) if end > first && rows[end - 1].0 == next.0 => {
            let start = rows[first..end]
                .iter()
                .position(|r| r.0 == next.0)
                .unwrap_or(end - first);
            if start == 0 { end - first } else { start }
        }
        _ => end - first,
    }
}

/// Which decision a click at (column, row) lands on: (lane, index in the lane), read from the
/// same layout the frame is drawn with.
pub fn decision_at(app: &App, column: u16, row: u16) -> Option<(usize, usize)> {
    let s = app.session.as_ref()?;
    let d = &app.screens.decisions;
    if d.roadmap.is_some() || d.questions.is_some() {
        return None;
    }
    let (lanes, _) = decision_layout(widgets::frame_inner(app));
    let k = if lanes[0] == lanes[1] {
        d.lane
    } else {
        lanes
            .iter()
            .position(|r| r.contains(ratatui::layout::Position { x: column, y: row }))?
    };
    let area = lanes[k];
    if !area.contains(ratatui::layout::Position { x: column, y: row }) {
        return None;
    }
    let decisions = visible(&s.eval, d, k);
    let rows = lane_rows(&decisions, area.width);
    let (first, shown) = lane_view(&rows, sel_of(d, k, decisions.len()), area);
    // The first two lines of a lane are its heading and the column names.
    let offset = usize::from(row.checked_sub(area.y + 2)?);
    if offset >= shown {
        return None;
    }
    rows.get(first + offset).map(|(i, _)| (k, *i))
}

/// The roadmap: each slice with its effort and its decisions in order, lane and rank first.
fn roadmap(f: &mut Frame, area: Rect, e: &crate::engine::Evaluation, first: usize, t: &Theme) {
    let mut lines = vec![Line::styled(
        format!(
            "Roadmap — dependencies first, then priority; {} back to the lanes",
            key(Do::Roadmap)
        ),
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

/// What to ask next: the open questions grouped by subject (a heading per system, flow or the
/// engagement), the selected one's decisions below.
fn questions(f: &mut Frame, area: Rect, app: &App, sel: usize, t: &Theme) {
    let Some(s) = &app.session else { return };
    let e = &s.eval;
    let [head, list, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(3),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "What to ask next ({}) · {}{} pick · {} open · {} the lanes",
                e.open_questions.len(),
                key(Do::Up),
                key(Do::Down),
                key(Do::Select),
                key(Do::Questions)
            ),
            t.title(),
        )),
        head,
    );
    if e.open_questions.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(
                "nothing open: every flow step is written down and no answer is unknown",
                t.dim(),
            )),
            list,
        );
        return;
    }
    let sel = sel.min(e.open_questions.len() - 1);
    // Rows: a heading where the subject changes, then its questions.
    let mut rows: Vec<Line> = Vec::new();
    let mut at = 0;
    let mut current = None;
    for (i, q) in e.open_questions.iter().enumerate() {
        if current != Some(&q.subject) {
            current = Some(&q.subject);
            let name = match &q.subject {
                None => "the engagement".to_string(),
                Some(x) if x.kind == crate::engine::SubjectKind::System => {
                    format!("system {}", s.assessment.system_name(&x.id))
                }
                Some(x) if x.kind == crate::engine::SubjectKind::Object => {
                    format!("data object {}", x.id)
                }
                Some(x) => format!("flow {}", s.assessment.flow_name(&x.id)),
            };
            rows.push(Line::styled(safe(&name), t.dim()));
        }
        if i == sel {
            at = rows.len();
        }
        let text = format!("  {:<13} {}", q.why.label(), safe(&q.text));
        rows.push(Line::styled(
            text,
            if i == sel {
                t.selected()
            } else {
                Style::default()
            },
        ));
    }
    let room = usize::from(list.height).max(1);
    // Keep the selected row in view, its heading too where there is room.
    let first = widgets::lane_first(at, room);
    let shown: Vec<Line> = rows.into_iter().skip(first).take(room).collect();
    f.render_widget(Paragraph::new(shown), list);
    let q = &e.open_questions[sel];
    let raises: Vec<String> = q
        .could_raise
        .iter()
        .map(|id| match e.decision(id) {
            Some(d) => format!(
                "{} (#{} {}, {:.1})",
                safe(&d.title),
                d.rank,
                d.horizon,
                d.priority
            ),
            // Not on the list: the finding that would raise it, by its title.
            None => app
                .content
                .finding(id)
                .map_or_else(|| safe(id), |x| format!("{} (not raised)", safe(&x.title))),
        })
        .collect();
    let text = if raises.is_empty() {
        "could raise no decision: asked for completeness".to_string()
    } else {
        format!("could raise or clear: {}", raises.join("; "))
    };
    f.render_widget(
        Paragraph::new(Line::styled(text, t.dim())).wrap(Wrap { trim: false }),
        detail,
    );
}

/// Enter in the owner or priority field of the selected decision. A priority that does not
/// read keeps the field open with what was typed.
pub fn submit(app: &mut App, purpose: InputPurpose, text: &str) -> Vec<Effect> {
    match purpose {
        InputPurpose::DecisionOwner => {
            app.overlay = None;
            let owner = text.trim().to_string();
            override_selected(app, |o| {
                o.owner = owner;
                Ok(())
            })
        }
        _ => {
            let text = text.trim().to_string();
            let parsed = if text.is_empty() {
                Ok(None)
            } else {
                let (n, why) = text.split_once(char::is_whitespace).unwrap_or((&text, ""));
                match n.parse::<f64>() {
                    Ok(p) if (0.0..=1000.0).contains(&p) && !why.trim().is_empty() => {
                        Ok(Some((p, why.trim().to_string())))
                    }
                    Ok(p) if (0.0..=1000.0).contains(&p) => Err(
                        "say why after the number, e.g. \"40 board asked for it\": the report shows it",
                    ),
                    _ => Err("a priority is a number from 0 to 1000, then the reason"),
                }
            };
            match parsed {
                Err(msg) => {
                    app.status = msg.into();
                    Vec::new()
                }
                Ok(p) => {
                    app.overlay = None;
                    override_selected(app, |o| {
                        o.priority = p.as_ref().map(|x| x.0);
                        o.priority_reason = p.map(|x| x.1).unwrap_or_default();
                        Ok(())
                    })
                }
            }
        }
    }
}

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
    /// What to ask next in place of the lanes, with this open question selected.
    pub questions: Option<usize>,
}

/// The decision list: move within a lane, switch lanes. The list itself is the session's
/// evaluation, so it re-ranks as answers change.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let lens = [
        s.eval.lane(Horizon::Immediate).count(),
        s.eval.lane(Horizon::Architecture).count(),
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
    let h = [Horizon::Immediate, Horizon::Architecture][app.screens.decisions.lane];
    let lane = s.eval.ranked(h);
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
    let Some(id) = selected_decision(app).map(|d| d.id.clone()) else {
        return Vec::new();
    };
    let effects = edit::edit_assessment(app, &format!("decision `{id}` updated"), |a| {
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
    if let Some(dec) = app
        .session
        .as_ref()
        .and_then(|s| s.eval.decisions.iter().find(|d| d.id == id))
    {
        let lane = usize::from(dec.horizon == Horizon::Architecture);
        app.screens.decisions.lane = lane;
        app.screens.decisions.selected[lane] = dec.rank.saturating_sub(1) as usize;
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
    let lanes = [
        e.ranked(Horizon::Immediate),
        e.ranked(Horizon::Architecture),
    ];
    let heads = ["Immediate fixes", "Architecture changes"];
    let (lane_areas, detail) = decision_layout(inner);
    let d = &app.screens.decisions;
    if let Some(first) = d.roadmap {
        roadmap(f, inner, e, first, t);
        return;
    }
    if let Some(sel) = d.questions {
        questions(f, inner, app, sel, t);
        return;
    }
    for (k, area) in lane_areas.into_iter().enumerate() {
        let focus = d.lane == k;
        let head = format!("{} ({})", heads[k], lanes[k].len());
        let mut lines = vec![Line::styled(head, if focus { t.title() } else { t.dim() })];
        let room = area.height.saturating_sub(1) as usize;
        let sel = d.selected[k].min(lanes[k].len().saturating_sub(1));
        let first = widgets::lane_first(sel, room);
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

/// Which decision a click at (column, row) lands on: (lane, index in the lane), read from the
/// same layout the frame is drawn with.
pub fn decision_at(app: &App, column: u16, row: u16) -> Option<(usize, usize)> {
    let s = app.session.as_ref()?;
    if app.screens.decisions.roadmap.is_some() || app.screens.decisions.questions.is_some() {
        return None;
    }
    let (lanes, _) = decision_layout(widgets::frame_inner(app));
    let k = lanes
        .iter()
        .position(|r| r.contains(ratatui::layout::Position { x: column, y: row }))?;
    let area = lanes[k];
    let len = s
        .eval
        .lane([Horizon::Immediate, Horizon::Architecture][k])
        .count();
    let room = area.height.saturating_sub(1) as usize;
    let sel = app.screens.decisions.selected[k].min(len.saturating_sub(1));
    // The first line of a lane is its heading.
    let offset = usize::from(row.checked_sub(area.y + 1)?);
    let i = widgets::lane_first(sel, room) + offset;
    (i < len).then_some((k, i))
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

//! The ecosystem view: the systems drawn as boxes grouped by category, each marked with its
//! status and with `!` when one of its flows is a problem (a step missing, or a finding
//! raised about it). Select a system (`↑`/`↓` within a group, `←`/`→` between groups) and the
//! systems it exchanges data with are marked by direction (`→` it sends to them, `←` it
//! receives from them, `↔` both), and the pane beside the map lists what it owns today and in
//! the target, and every flow in and out. `Enter` opens its questions in the interview.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::model::{Assessment, System};
use crate::tables;
use crate::text::safe;
use crate::tui::action::Action;
use crate::tui::action::Do;
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, Screen, Session};
use crate::tui::theme::Theme;
use crate::vocab::{Category, SystemStatus, TimeDecision};

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

/// The systems by category, in category order then the assessment's order.
pub fn groups(a: &Assessment) -> Vec<(Category, Vec<&System>)> {
    Category::ALL
        .iter()
        .map(|&c| (c, a.systems.iter().filter(|s| s.category == c).collect()))
        .filter(|(_, v): &(Category, Vec<&System>)| !v.is_empty())
        .collect()
}

/// Flows that are a problem: a step stated absent, or a finding raised about the flow.
pub fn problem_flows(s: &Session) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = tables::flow_health(&s.assessment, &s.eval)
        .into_iter()
        .filter(|h| h.steps.contains(&tables::Step::None))
        .map(|h| h.flow.id.clone())
        .collect();
    for f in &s.eval.findings {
        for x in &f.subjects {
            if x.kind == crate::engine::SubjectKind::Flow {
                out.insert(x.id.clone());
            }
        }
    }
    out
}

/// The selected system: (group, index in the group), clamped to what there is.
fn selected<'a>(
    groups: &[(Category, Vec<&'a System>)],
    st: &MapState,
) -> Option<(usize, usize, &'a System)> {
    let g = st.group.min(groups.len().checked_sub(1)?);
    let list = &groups[g].1;
    let i = st.index.min(list.len().checked_sub(1)?);
    Some((g, i, list[i]))
}

fn status_mark(s: &System) -> &'static str {
    match (s.status, s.time) {
        (SystemStatus::Candidate, _) => "◌",
        (SystemStatus::Retiring, _) | (_, Some(TimeDecision::Eliminate)) => "✕",
        _ => "●",
    }
}

/// Width of a group's box.
const BOX: u16 = 26;

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" Map ", t.title()))
        .title_bottom(crate::tui::widgets::tabs(app, t));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let a = &s.assessment;
    let groups = groups(a);
    let Some((sg, _, sel)) = selected(&groups, &app.screens.map) else {
        f.render_widget(
            Paragraph::new(
                "No systems yet: add them in the inventory, or import the client's spreadsheet \
                 with `stackmap import`.",
            )
            .wrap(Wrap { trim: false }),
            inner,
        );
        return;
    };
    let (map, detail) = if inner.width >= 120 {
        let [m, d] = Layout::horizontal([Constraint::Min(0), Constraint::Length(inner.width / 3)])
            .areas(inner);
        (m, d)
    } else {
        let rows = (inner.height / 3).max(5);
        let [m, d] = Layout::vertical([Constraint::Min(0), Constraint::Length(rows)]).areas(inner);
        (m, d)
    };
    let problems = problem_flows(s);
    // Who the selected system exchanges data with, and in which direction.
    let mut sends = BTreeSet::new();
    let mut receives = BTreeSet::new();
    for fl in &a.flows {
        if fl.from == sel.id {
            sends.insert(fl.to.as_str());
        }
        if fl.to == sel.id {
            receives.insert(fl.from.as_str());
        }
        // A hub passes the data on: it receives from one end and sends to the other.
        if fl.via.as_deref() == Some(sel.id.as_str()) {
            receives.insert(fl.from.as_str());
            sends.insert(fl.to.as_str());
        }
    }
    let troubled: BTreeSet<&str> = a
        .flows
        .iter()
        .filter(|fl| problems.contains(&fl.id))
        .flat_map(|fl| [fl.from.as_str(), fl.to.as_str()])
        .collect();

    if !app.screens.map.boxes {
        draw_flows(f, map, s, &groups, sel, &problems, t, app.no_color);
    } else {
        draw_boxes(f, map, &groups, sg, sel, &sends, &receives, &troubled, t);
    }
    detail_pane(f, map, detail, s, sel, &problems, app.screens.map.detail, t);
}

/// The drawing: categories in a grid, their systems listed in each, and every flow a line
/// between the two systems — problem flows red, the selected system's flows highlighted.
#[allow(clippy::too_many_arguments)]
fn draw_flows(
    f: &mut Frame,
    map: Rect,
    s: &Session,
    groups: &[(Category, Vec<&System>)],
    sel: &System,
    problems: &BTreeSet<String>,
    t: &Theme,
    no_color: bool,
) {
    use ratatui::style::Color;
    use ratatui::widgets::canvas::{Canvas, Line as Segment};
    let (w, h) = (f64::from(map.width), f64::from(map.height));
    let per_row = usize::from((map.width / 28).max(1)).min(groups.len().max(1));
    let rows = groups.len().div_ceil(per_row).max(1);
    let (cell_w, cell_h) = (w / per_row as f64, h / rows as f64);
    // Where each system's label starts and how long it is, in canvas units (one per cell,
    // y upwards).
    let mut at: std::collections::HashMap<&str, (f64, f64, f64)> = std::collections::HashMap::new();
    let mut labels = Vec::new();
    for (g, (cat, systems)) in groups.iter().enumerate() {
        let (col, row) = (g % per_row, g / per_row);
        let x = col as f64 * cell_w + 1.0;
        let top = h - row as f64 * cell_h - 1.0;
        labels.push((x, top, format!("{cat}"), true, false));
        // Rows the cell has for systems. When they are too few, the selected system (when
        // it is here) comes first and the last row says how many more there are.
        let room = (cell_h as usize).saturating_sub(1).max(1);
        let mut order: Vec<&System> = systems.clone();
        if systems.len() > room
            && let Some(i) = order.iter().position(|x| x.id == sel.id)
        {
            let chosen = order.remove(i);
            order.insert(0, chosen);
        }
        let shown = if order.len() > room {
            room.saturating_sub(1).max(1)
        } else {
            order.len()
        };
        let width = (cell_w as usize).saturating_sub(2).max(6);
        for (k, x_sys) in order.iter().take(shown).enumerate() {
            let y = top - 1.0 - k as f64;
            let more = if k + 1 == shown && order.len() > shown {
                format!(" +{}", order.len() - shown)
            } else {
                String::new()
            };
            let name = crate::text::fit(
                &safe(&x_sys.name),
                width.saturating_sub(2 + more.chars().count()),
            );
            let text = format!("{} {}{more}", status_mark(x_sys), name.trim_end());
            at.insert(&x_sys.id, (x, y, text.chars().count() as f64));
            labels.push((x, y, text, false, x_sys.id == sel.id));
        }
        if order.len() > shown && shown < room {
            let y = top - 1.0 - shown as f64;
            labels.push((
                x,
                y,
                format!("+{} more: v shows all", order.len() - shown),
                false,
                false,
            ));
        }
    }
    let color = |c: Color| if no_color { Color::Reset } else { c };
    let mut segments = Vec::new();
    for fl in &s.assessment.flows {
        let mine = fl.from == sel.id || fl.to == sel.id || fl.via.as_deref() == Some(&sel.id);
        let c = if problems.contains(&fl.id) {
            color(Color::Red)
        } else if mine {
            color(Color::Cyan)
        } else {
            color(Color::DarkGray)
        };
        // Through its hub when it has one: from → via → to.
        let mut stops = vec![fl.from.as_str()];
        stops.extend(fl.via.as_deref());
        stops.push(fl.to.as_str());
        for pair in stops.windows(2) {
            let (Some(&(x1, y1, l1)), Some(&(x2, y2, l2))) = (at.get(pair[0]), at.get(pair[1]))
            else {
                continue;
            };
            // From the middle of one label to the middle of the other, under the labels.
            segments.push((
                Segment::new(x1 + l1 / 2.0, y1 + 0.5, x2 + l2 / 2.0, y2 + 0.5, c),
                mine,
            ));
        }
    }
    let canvas = Canvas::default()
        .x_bounds([0.0, w])
        .y_bounds([0.0, h])
        .marker(ratatui::symbols::Marker::Braille)
        .paint(move |ctx| {
            // Other flows first, the selected system's on top of them.
            for (seg, mine) in &segments {
                if !mine {
                    ctx.draw(seg);
                }
            }
            ctx.layer();
            for (seg, mine) in &segments {
                if *mine {
                    ctx.draw(seg);
                }
            }
            ctx.layer();
            for (x, y, text, heading, selected) in &labels {
                let style = if *heading {
                    t.title()
                } else if *selected {
                    t.selected()
                } else {
                    Style::default()
                };
                ctx.print(*x, *y, Line::styled(text.clone(), style));
            }
        });
    f.render_widget(canvas, map);
}

/// The boxes: each category a box of its systems; the selected system's peers marked by
/// direction, systems with a problem flow marked `!`.
#[allow(clippy::too_many_arguments)]
fn draw_boxes(
    f: &mut Frame,
    map: Rect,
    groups: &[(Category, Vec<&System>)],
    sg: usize,
    sel: &System,
    sends: &BTreeSet<&str>,
    receives: &BTreeSet<&str>,
    troubled: &BTreeSet<&str>,
    t: &Theme,
) {
    // Boxes in rows, as many per row as fit; the rows scrolled to keep the selection in view.
    let want = if map.width >= 120 { BOX + 6 } else { BOX };
    let per_row = usize::from((map.width / want).max(1));
    let box_w = map.width / per_row as u16;
    let rows: Vec<&[(Category, Vec<&System>)]> = groups.chunks(per_row).collect();
    let heights: Vec<u16> = rows
        .iter()
        .map(|r| r.iter().map(|(_, v)| v.len() as u16 + 2).max().unwrap_or(2))
        .collect();
    let sel_row = sg / per_row;
    let mut first = 0;
    while first < sel_row && heights[first..=sel_row].iter().sum::<u16>() > map.height {
        first += 1;
    }
    let mut y = map.y;
    let mut drawn = first;
    for (r, row) in rows.iter().enumerate().skip(first) {
        let h = heights[r];
        if y + h > map.y + map.height && r != first {
            break;
        }
        drawn = r + 1;
        let h = h.min(map.y + map.height - y);
        for (k, (cat, systems)) in row.iter().enumerate() {
            let g = r * per_row + k;
            let rect = Rect::new(map.x + k as u16 * box_w, y, box_w, h);
            let focus = g == sg;
            let b = Block::default()
                .borders(Borders::ALL)
                .border_style(if focus { t.title() } else { t.border() })
                .title(Span::styled(
                    format!(" {cat} "),
                    if focus { t.title() } else { t.dim() },
                ));
            let inside = b.inner(rect);
            f.render_widget(b, rect);
            let lines: Vec<Line> = systems
                .iter()
                .map(|x| {
                    let arrow = match (
                        sends.contains(x.id.as_str()),
                        receives.contains(x.id.as_str()),
                    ) {
                        (true, true) => "↔",
                        (true, false) => "→",
                        (false, true) => "←",
                        _ => " ",
                    };
                    let flag = if troubled.contains(x.id.as_str()) {
                        "!"
                    } else {
                        " "
                    };
                    let text = format!("{arrow}{} {}{flag}", status_mark(x), safe(&x.name));
                    let style = if x.id == sel.id {
                        t.selected()
                    } else if arrow != " " {
                        t.title()
                    } else {
                        Style::default()
                    };
                    Line::styled(text, style)
                })
                .collect();
            f.render_widget(Paragraph::new(lines), inside);
        }
        y += h;
        if y >= map.y + map.height {
            break;
        }
    }
    // Say what does not fit, above and below.
    let hidden_below: usize = rows.iter().skip(drawn).map(|r| r.len()).sum();
    let hidden_above: usize = rows.iter().take(first).map(|r| r.len()).sum();
    if (hidden_below > 0 || hidden_above > 0) && y < map.y + map.height {
        let text = match (hidden_above, hidden_below) {
            (0, b) => format!("↓ {b} more categories below"),
            (a, 0) => format!("↑ {a} more categories above"),
            (a, b) => format!("↑ {a} above · ↓ {b} below"),
        };
        f.render_widget(
            Paragraph::new(Line::styled(text, t.dim())),
            Rect::new(map.x, y, map.width, 1),
        );
    }
}

/// The selected system in words: what it owns, the findings about it, its flows.
#[allow(clippy::too_many_arguments)]
fn detail_pane(
    f: &mut Frame,
    map: Rect,
    detail: Rect,
    s: &Session,
    sel: &System,
    problems: &BTreeSet<String>,
    scroll: u16,
    t: &Theme,
) {
    let a = &s.assessment;
    let e = &s.eval;
    let owns = |target: bool| -> String {
        let mut list: Vec<&str> = a
            .ownership
            .iter()
            .filter(|(_, own)| {
                own.views().iter().any(|(_, w)| {
                    if target {
                        w.target.as_deref().or(w.owner.as_deref()) == Some(sel.id.as_str())
                    } else {
                        w.owner.as_deref() == Some(sel.id.as_str())
                    }
                })
            })
            .map(|(o, _)| o.words())
            .collect();
        list.dedup();
        if list.is_empty() {
            "nothing".into()
        } else {
            list.join(", ")
        }
    };
    let mut out = vec![
        Line::styled(safe(&sel.name), t.title()),
        Line::styled(
            format!(
                "{} · {}{} · {}",
                sel.category,
                sel.status,
                sel.time.map(|x| format!(" · {x}")).unwrap_or_default(),
                safe(&sel.vendor)
            ),
            t.dim(),
        ),
        Line::raw(format!("owns today: {}", owns(false))),
        Line::raw(format!("owns in the target: {}", owns(true))),
    ];
    let findings = e
        .findings
        .iter()
        .filter(|x| x.subjects.iter().any(|y| y.id == sel.id))
        .count();
    out.push(Line::raw(format!("findings about it: {findings}")));
    for fl in a
        .flows
        .iter()
        .filter(|fl| fl.from == sel.id || fl.to == sel.id || fl.via.as_deref() == Some(&sel.id))
    {
        let (dir, other) = if fl.from == sel.id {
            ("→", a.system_name(&fl.to))
        } else if fl.to == sel.id {
            ("←", a.system_name(&fl.from))
        } else {
            (
                "⇄",
                format!("{} → {}", a.system_name(&fl.from), a.system_name(&fl.to)),
            )
        };
        let bad = problems.contains(&fl.id);
        out.push(Line::styled(
            format!(
                "{}{dir} {} · {} {}{}",
                if bad { "! " } else { "  " },
                safe(&other),
                fl.mechanism,
                fl.mode,
                if fl.checkout { " · checkout" } else { "" }
            ),
            if bad { t.bad() } else { Style::default() },
        ));
    }
    let k = |d| keymap::key(Context::On(Screen::Map), d);
    out.push(Line::styled(
        format!(
            "● running ◌ candidate ✕ retiring · ! a problem flow (red) · {} boxes / drawing · {}: its questions",
            k(Do::View),
            k(Do::Select)
        ),
        t.dim(),
    ));
    let body = crate::tui::widgets::side_pane(f, map, detail, t);
    let para = Paragraph::new(out).wrap(Wrap { trim: false });
    let most = (para.line_count(body.width) as u16).saturating_sub(body.height);
    f.render_widget(para.scroll((scroll.min(most), 0)), body);
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let groups = groups(&s.assessment);
    let Some((g, i, sel)) = selected(&groups, &app.screens.map) else {
        if matches!(action, Action::Do(Do::Home, _)) {
            app.screen = Screen::Home;
        }
        return Vec::new();
    };
    let id = sel.id.clone();
    let st = &mut app.screens.map;
    let (g0, i0) = (g, i);
    match action {
        Action::Do(Do::Up, _) => {
            if i > 0 {
                st.index = i - 1;
            } else if g > 0 {
                st.group = g - 1;
                st.index = groups[g - 1].1.len() - 1;
            }
        }
        Action::Do(Do::Down, _) => {
            if i + 1 < groups[g].1.len() {
                st.index = i + 1;
            } else if g + 1 < groups.len() {
                st.group = g + 1;
                st.index = 0;
            }
        }
        Action::Do(Do::Next, _) => {
            st.group = (g + 1).min(groups.len() - 1);
            st.index = 0;
        }
        Action::Do(Do::Previous, _) => {
            st.group = g.saturating_sub(1);
            st.index = 0;
        }
        Action::Do(Do::View, _) => st.boxes = !st.boxes,
        Action::Do(Do::DetailDown, _) => st.detail = st.detail.saturating_add(5).min(500),
        Action::Do(Do::DetailUp, _) => st.detail = st.detail.saturating_sub(5),
        Action::Do(Do::Select, _) => {
            let Some(sess) = app.session.as_mut() else {
                return Vec::new();
            };
            match sess
                .asked
                .iter()
                .position(|&k| sess.eval.questions[k].subject.as_deref() == Some(id.as_str()))
            {
                Some(k) => crate::tui::screens::interview::open(app, k),
                None => app.status = "no questions are asked about this system".into(),
            }
            return Vec::new();
        }
        Action::Do(Do::Home, _) => app.screen = Screen::Home,
        _ => {}
    }
    if (st.group, st.index) != (g0, i0) {
        st.detail = 0;
    }
    Vec::new()
}

//! The ecosystem view: the systems in layers (channels, platform, integration, back office),
//! a row per category, or as boxes grouped by category, each marked with its
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

/// The systems by category, the categories by layer (channels, platform, integration, back
/// office; see `role`) then in category order, the systems in the assessment's order.
pub fn groups(a: &Assessment) -> Vec<(Category, Vec<&System>)> {
    let mut out: Vec<(Category, Vec<&System>)> = Category::ALL
        .iter()
        .map(|&c| (c, a.systems.iter().filter(|s| s.category == c).collect()))
        .filter(|(_, v): &(Category, Vec<&System>)| !v.is_empty())
        .collect();
    out.sort_by_key(|(c, _)| role(*c));
    out
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
        let rows = (inner.height * 2 / 5).max(5);
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
        draw_roles(f, map, &groups, sg, sel, &sends, &receives, &troubled, t);
    } else {
        draw_boxes(f, map, &groups, sg, sel, &sends, &receives, &troubled, t);
    }
    detail_pane(f, map, detail, s, sel, &problems, app.screens.map.detail, t);
}

/// The layer of the estate a category sits in, top to bottom as the drawing shows them.
pub fn role(c: Category) -> usize {
    match c {
        Category::Platform | Category::Marketplace => 0,
        Category::Pim
        | Category::Cms
        | Category::Search
        | Category::Oms
        | Category::Payments
        | Category::Tax => 1,
        Category::Ipaas | Category::Glue => 2,
        Category::Erp | Category::Shipping | Category::Other => 3,
    }
}

/// The name of each layer.
const ROLES: [&str; 4] = ["Channels", "Platform", "Integration", "Back office"];

/// The drawing: the estate in layers (channels and storefronts, the platform's services, the
/// integration layer, the back office), a row per category with its systems side by side.
/// No lines between them: the selected system's partners are marked by direction (`→` it
/// sends to them, `←` it receives from them, `↔` both), and its flows are listed beside it.
#[allow(clippy::too_many_arguments)]
fn draw_roles(
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
    const ROLE_W: usize = 12;
    const CAT_W: usize = 12;
    let width = usize::from(map.width);
    let room = width.saturating_sub(ROLE_W + CAT_W).max(12);
    // Rows: (group, lines of that group).
    let mut rows: Vec<(usize, Line)> = Vec::new();
    let mut last_role = None;
    for (g, (cat, systems)) in groups.iter().enumerate() {
        let r = role(*cat);
        let head = if last_role != Some(r) {
            last_role = Some(r);
            ROLES[r]
        } else {
            ""
        };
        let mut spans = vec![
            Span::styled(format!("{head:<ROLE_W$}"), t.title()),
            Span::styled(
                format!("{:<CAT_W$}", crate::text::fit(cat.as_str(), CAT_W - 1)),
                if g == sg { t.title() } else { t.dim() },
            ),
        ];
        let mut used = 0;
        for x in systems {
            let arrow = match (
                sends.contains(x.id.as_str()),
                receives.contains(x.id.as_str()),
            ) {
                (true, true) => "↔",
                (true, false) => "→",
                (false, true) => "←",
                _ => "",
            };
            let flag = if troubled.contains(x.id.as_str()) {
                "!"
            } else {
                ""
            };
            let chip = format!("{arrow}{} {}{flag}", status_mark(x), safe(&x.name));
            let chip = crate::text::fit(&chip, room).trim_end().to_string();
            let len = chip.chars().count() + 2;
            if used > 0 && used + len > room {
                rows.push((g, Line::from(std::mem::take(&mut spans))));
                spans.push(Span::raw(" ".repeat(ROLE_W + CAT_W)));
                used = 0;
            }
            let style = if x.id == sel.id {
                t.selected()
            } else if !arrow.is_empty() {
                t.title()
            } else {
                Style::default()
            };
            spans.push(Span::styled(chip, style));
            spans.push(Span::raw("  "));
            used += len;
        }
        rows.push((g, Line::from(spans)));
    }
    // Keep the selected category in view.
    let height = usize::from(map.height);
    let end = rows
        .iter()
        .rposition(|(g, _)| *g == sg)
        .map_or(0, |r| r + 1);
    let first = end.saturating_sub(height);
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(first)
        .take(height)
        .map(|(_, l)| l)
        .collect();
    f.render_widget(Paragraph::new(lines), map);
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
    // Its flows first (what the drawing does not draw), then what it is and owns.
    let mut out = vec![Line::styled(safe(&sel.name), t.title())];
    let mut about = vec![
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
    about.push(Line::raw(format!("findings about it: {findings}")));
    let n = a
        .flows
        .iter()
        .filter(|fl| fl.from == sel.id || fl.to == sel.id || fl.via.as_deref() == Some(&sel.id))
        .count();
    out.push(Line::styled(
        format!("its flows ({n}): → out, ← in, ⇄ through it; ! a problem"),
        t.dim(),
    ));
    for fl in a
        .flows
        .iter()
        .filter(|fl| fl.from == sel.id || fl.to == sel.id || fl.via.as_deref() == Some(&sel.id))
    {
        let hub = fl
            .via
            .as_deref()
            .filter(|v| *v != sel.id)
            .map(|v| format!(" via {}", a.system_name(v)))
            .unwrap_or_default();
        let (dir, other) = if fl.from == sel.id {
            ("→", format!("{}{hub}", a.system_name(&fl.to)))
        } else if fl.to == sel.id {
            ("←", format!("{}{hub}", a.system_name(&fl.from)))
        } else {
            (
                "⇄",
                format!("{} → {}", a.system_name(&fl.from), a.system_name(&fl.to)),
            )
        };
        let bad = problems.contains(&fl.id);
        out.push(Line::styled(
            format!(
                "{}{dir} {} · {}{} {}{}",
                if bad { "! " } else { "  " },
                safe(&other),
                fl.objects
                    .iter()
                    .map(|o| format!("{} · ", o.words()))
                    .collect::<String>(),
                fl.mechanism,
                fl.mode,
                if fl.checkout { " · checkout" } else { "" }
            ),
            if bad { t.bad() } else { Style::default() },
        ));
    }
    out.append(&mut about);
    let k = |d| keymap::key(Context::On(Screen::Map), d);
    out.push(Line::styled(
        format!(
            "● running ◌ candidate ✕ retiring · → it sends to, ← it receives from · ! a problem flow (red) · {} boxes / layers · {}: its questions",
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

//! The source-of-truth map: data objects × systems, marking the owner today (O), the target
//! owner (T), writers (W) and readers (R), edited in place (`o`, `t`, `w`, `r` on the
//! selected cell; every edit is saved at once and can be undone). Objects in conflict — no
//! owner, several writers, owner retiring, ownership moving — are marked `!` and the findings
//! they raise are spelled out under the grid. `v` switches between the stack as it is and as
//! it should be: target owners, without the systems being retired or eliminated, with the
//! candidates chosen (TIME decision `invest`, or named as a target owner). `s` cycles the
//! scopes the systems name (brands, regions, channels) and back to the whole estate: within a
//! scope the grid shows that scope's systems and its entry (`[ownership.OBJECT.scope.LABEL]`,
//! else the estate-wide one, which applies there); the first edit in a scope starts its own
//! entry from a copy of the estate-wide one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::model::{Assessment, Ownership, System};
use crate::tables;
use crate::text::{fit, safe};
use crate::tui::action::Action;
use crate::tui::action::Do;
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, Screen, Session};
use crate::tui::theme::Theme;
use crate::vocab::{DataObject, SystemStatus, TimeDecision};

/// The source-of-truth grid: the selected cell (a data object, a system column) and whether
/// it shows the stack as it is or as it should be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnershipState {
    pub row: usize,
    pub col: usize,
    pub to_be: bool,
    /// 0: the whole estate; `i`: the `i`-th of [`scopes`] (clamped when scopes go).
    pub scope: usize,
}

/// Every scope label the systems name, sorted.
pub fn scopes(a: &Assessment) -> Vec<&str> {
    let mut out: Vec<&str> = a
        .systems
        .iter()
        .flat_map(|s| s.scopes.iter().map(String::as_str))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The scope the grid shows: `None` for the whole estate.
pub fn scope<'a>(a: &'a Assessment, st: &OwnershipState) -> Option<&'a str> {
    st.scope
        .checked_sub(1)
        .and_then(|i| scopes(a).get(i).copied())
}

/// The entry shown for `object` in `scope`: the scope's own, else the estate-wide one.
fn entry<'a>(own: Option<&'a Ownership>, scope: Option<&str>) -> Option<&'a Ownership> {
    own.map(|o| o.in_scope(scope))
}

/// Width of the object names on the left; a system's column is 6 to 16 cells, as the width
/// allows.
const LABEL: usize = 20;

/// Column labels of at most `width` columns that tell the systems apart: the name where it
/// fits; else its first word, or the first word and the initials of the others ("Shopify P",
/// "Shopify O"), numbered if two still read the same. The legend under the grid spells out
/// the shortened ones.
pub fn short_labels(names: &[String], width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let words = |n: &str| -> Vec<String> {
        n.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let first: Vec<String> = names
        .iter()
        .map(|n| {
            if n.width() <= width {
                n.clone()
            } else {
                fit(words(n).first().map_or(n.as_str(), |w| w.as_str()), width)
                    .trim_end()
                    .to_string()
            }
        })
        .collect();
    let mut out: Vec<String> = names
        .iter()
        .zip(&first)
        .map(|(n, f)| {
            if first.iter().filter(|x| *x == f).count() < 2 || n.width() <= width {
                return f.clone();
            }
            let w = words(n);
            let initials: String = w.iter().skip(1).filter_map(|x| x.chars().next()).collect();
            let head = w.first().cloned().unwrap_or_default();
            let room = width.saturating_sub(initials.width() + 1).max(1);
            fit(
                &format!("{} {initials}", fit(&head, room).trim_end()),
                width,
            )
            .trim_end()
            .to_string()
        })
        .collect();
    // Still the same: numbered, in order.
    for i in 0..out.len() {
        let same: Vec<usize> = (0..out.len()).filter(|&j| out[j] == out[i]).collect();
        if same.len() > 1 {
            for (k, &j) in same.iter().enumerate() {
                let tag = format!("{}", k + 1);
                let room = width.saturating_sub(tag.len()).max(1);
                out[j] = format!("{}{tag}", fit(&out[j], room).trim_end());
            }
        }
    }
    out
}

fn cell_width(width: u16, columns: usize) -> usize {
    (usize::from(width).saturating_sub(LABEL) / columns.max(1)).clamp(6, 16)
}

/// The systems the grid shows (within `scope`, those that serve it), in the assessment's
/// order.
pub fn columns<'a>(a: &'a Assessment, to_be: bool, scope: Option<&str>) -> Vec<&'a System> {
    a.systems
        .iter()
        .filter(|s| scope.is_none_or(|l| s.in_scope(l)))
        .filter(|s| {
            if !to_be {
                return s.status != SystemStatus::Candidate;
            }
            let targeted = a
                .ownership
                .values()
                .any(|w| w.target.as_deref() == Some(s.id.as_str()));
            match s.status {
                SystemStatus::Candidate => s.time == Some(TimeDecision::Invest) || targeted,
                SystemStatus::Retiring => false,
                _ => s.time != Some(TimeDecision::Eliminate) || targeted,
            }
        })
        .collect()
}

/// The marks of one cell: `O` owner (as-is: today; to-be: the target, else today's), `T` the
/// planned target owner (as-is only), `W` writer, `R` reader; `·` where there is none.
pub fn marks(w: Option<&Ownership>, system: &str, to_be: bool) -> String {
    let Some(w) = w else {
        return "···".into();
    };
    let is = |x: &Option<String>| x.as_deref() == Some(system);
    let owner = if to_be {
        if w.target.is_some() {
            is(&w.target)
        } else {
            is(&w.owner)
        }
    } else {
        is(&w.owner)
    };
    let first = if owner {
        'O'
    } else if !to_be && is(&w.target) {
        'T'
    } else {
        '·'
    };
    let writer = if w.writers.iter().any(|x| x == system) {
        'W'
    } else {
        '·'
    };
    let reader = if w.readers.iter().any(|x| x == system) {
        'R'
    } else {
        '·'
    };
    format!("{first}{writer}{reader}")
}

/// The first column shown so the selected one is in view.
fn first_column(selected: usize, room: usize) -> usize {
    (selected + 1).saturating_sub(room.max(1))
}

/// The grid and the detail under it.
fn split(inner: Rect) -> [Rect; 2] {
    let detail_rows = 6.min(inner.height / 3);
    Layout::vertical([Constraint::Min(0), Constraint::Length(detail_rows)]).areas(inner)
}

/// The columns' width, how many fit, and the first shown so `col` is in view.
fn window(grid: Rect, columns: usize, col: usize) -> (usize, usize, usize) {
    let cell = cell_width(grid.width, columns);
    let room = usize::from(grid.width).saturating_sub(LABEL) / cell;
    (cell, room, first_column(col, room))
}

/// Which cell (object row, system column) a click at (column, row) lands on, from the layout
/// the frame is drawn with.
pub fn cell_at(app: &App, column: u16, row: u16) -> Option<(usize, usize)> {
    let s = app.session.as_ref()?;
    let st = &app.screens.ownership;
    let [grid, _] = split(crate::tui::widgets::frame_inner(app));
    if !grid.contains(ratatui::layout::Position { x: column, y: row }) || row == grid.y {
        return None;
    }
    let ncols = columns(&s.assessment, st.to_be, scope(&s.assessment, st)).len();
    let nrows = DataObject::ALL.len();
    let (cell, _, first_col) = window(grid, ncols, st.col.min(ncols.saturating_sub(1)));
    let room_rows = usize::from(grid.height).saturating_sub(1);
    let first_row = crate::tui::widgets::lane_first(st.row.min(nrows - 1), room_rows);
    let r = first_row + usize::from(row - grid.y - 1);
    let x = usize::from(column - grid.x);
    let c = first_col + x.checked_sub(LABEL)? / cell;
    (r < nrows && c < ncols).then_some((r, c))
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let st = &app.screens.ownership;
    let view = if st.to_be {
        "to-be: as it should be"
    } else {
        "as-is: today"
    };
    let a = &s.assessment;
    let in_scope = scope(a, st);
    let where_ = match in_scope {
        Some(l) => format!(" · scope {}", safe(l)),
        None if scopes(a).is_empty() => String::new(),
        None => " · whole estate".into(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(
            format!(" Ownership · {view}{where_} "),
            t.title(),
        ))
        .title_bottom(crate::tui::widgets::tabs(app, t));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [grid, detail] = split(inner);
    let cols = columns(a, st.to_be, in_scope);
    let mut rows = tables::ownership_rows(a, &s.eval);
    // Within a scope, the conflicts of that scope's entry.
    if let Some(l) = in_scope {
        for o in &mut rows {
            let reference = format!("ownership.{}.scope.{l}", o.object);
            o.findings
                .retain(|f| f.because.iter().any(|b| *b.reference == *reference));
        }
    }
    let (row, col) = (
        st.row.min(rows.len().saturating_sub(1)),
        st.col.min(cols.len().saturating_sub(1)),
    );
    let (cell, room_cols, first_col) = window(grid, cols.len(), col);
    let shown: Vec<(usize, &&System)> = cols
        .iter()
        .enumerate()
        .skip(first_col)
        .take(room_cols)
        .collect();
    let mut lines = Vec::new();
    let more_left = if first_col > 0 { "‹" } else { " " };
    let more_right = if first_col + room_cols < cols.len() {
        "›"
    } else {
        " "
    };
    let mut header = vec![Span::styled(
        fit(&format!("object{more_left}"), LABEL),
        t.dim(),
    )];
    let all_names: Vec<String> = cols.iter().map(|x| safe(&x.name)).collect();
    let labels = short_labels(&all_names, cell - 1);
    for (i, _) in &shown {
        let style = if *i == col { t.title() } else { t.dim() };
        header.push(Span::styled(fit(&labels[*i], cell - 1) + " ", style));
    }
    header.push(Span::styled(more_right, t.dim()));
    lines.push(Line::from(header));
    let room_rows = usize::from(grid.height).saturating_sub(1);
    let first_row = crate::tui::widgets::lane_first(row, room_rows);
    for (r, o) in rows.iter().enumerate().skip(first_row).take(room_rows) {
        let conflict = !o.findings.is_empty();
        let label = format!("{}{}", if conflict { "! " } else { "  " }, o.object.words());
        let mut spans = vec![Span::styled(
            fit(&label, LABEL),
            if conflict {
                t.bad()
            } else if r == row {
                t.title()
            } else {
                Style::default()
            },
        )];
        for (i, sys) in &shown {
            let m = marks(entry(o.ownership, in_scope), &sys.id, st.to_be);
            let style = if r == row && *i == col {
                t.selected()
            } else if m.starts_with('O') {
                t.chosen()
            } else if m == "···" {
                t.dim()
            } else {
                Style::default()
            };
            spans.push(Span::styled(format!(" {m}"), style));
            spans.push(Span::raw(" ".repeat(cell - 4)));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), grid);

    // The selected cell in words, and the conflicts of its object.
    let mut out = Vec::new();
    // The shortened column names, spelled out.
    let legend: Vec<String> = shown
        .iter()
        .filter(|(i, _)| labels[*i] != all_names[*i])
        .map(|(i, _)| format!("{} = {}", labels[*i], all_names[*i]))
        .collect();
    if !legend.is_empty() {
        out.push(Line::styled(legend.join(" · "), t.dim()));
    }
    if let (Some(o), Some(sys)) = (rows.get(row), cols.get(col)) {
        let m = marks(entry(o.ownership, in_scope), &sys.id, st.to_be);
        let mut roles = Vec::new();
        if m.starts_with('O') {
            roles.push(if st.to_be {
                "source of truth in the target"
            } else {
                "source of truth today"
            });
        }
        if m.starts_with('T') {
            roles.push("planned source of truth");
        }
        if m.contains('W') {
            roles.push("writes it");
        }
        if m.contains('R') {
            roles.push("reads it");
        }
        let roles = if roles.is_empty() {
            "no role".to_string()
        } else {
            roles.join(", ")
        };
        let inherited = match in_scope {
            Some(l)
                if o.ownership.is_some_and(|w| !w.scopes.contains_key(l))
                    && o.ownership.is_some() =>
            {
                " (the estate-wide entry applies here)"
            }
            _ => "",
        };
        out.push(Line::from(vec![
            Span::styled(
                format!("{} × {}", o.object.words(), safe(&sys.name)),
                t.title(),
            ),
            Span::styled(
                format!(" ({}, {}): {roles}{inherited}", sys.category, sys.status),
                t.dim(),
            ),
        ]));
        for finding in &o.findings {
            let why = finding
                .because
                .iter()
                .find(|b| b.reference.ends_with(o.object.as_str()))
                .map(|b| format!(" — {}", safe(&b.text)))
                .unwrap_or_default();
            out.push(Line::styled(
                format!("! {}{why}", safe(&finding.title)),
                t.bad(),
            ));
        }
    } else if cols.is_empty() {
        out.push(Line::styled(
            "No systems to show: add them in the inventory (or import a spreadsheet).",
            t.dim(),
        ));
    }
    let k = |d| keymap::key(Context::On(Screen::Ownership), d);
    let (owner, target, writer, reader, view) = (
        k(Do::Owner),
        k(Do::Target),
        k(Do::Writer),
        k(Do::Reader),
        k(Do::View),
    );
    let scope_hint = if scopes(a).is_empty() {
        String::new()
    } else {
        format!(" · {} scope", k(Do::Scope))
    };
    out.push(Line::styled(
        if st.to_be {
            format!(
                "{owner} / {target} target owner · {writer} writer · {reader} reader (toggle) · {view} as-is{scope_hint}"
            )
        } else {
            format!(
                "{owner} owner today · {target} target owner · {writer} writer · {reader} reader (toggle) · {view} to-be{scope_hint}"
            )
        },
        t.dim(),
    ));
    f.render_widget(Paragraph::new(out).wrap(Wrap { trim: false }), detail);
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let nscopes = scopes(&s.assessment).len();
    app.screens.ownership.scope = app.screens.ownership.scope.min(nscopes);
    let in_scope = scope(&s.assessment, &app.screens.ownership);
    let (nrows, ncols) = (
        DataObject::ALL.len(),
        columns(&s.assessment, app.screens.ownership.to_be, in_scope).len(),
    );
    let target = target_cell(s, &app.screens.ownership);
    let st = &mut app.screens.ownership;
    st.row = st.row.min(nrows.saturating_sub(1));
    st.col = st.col.min(ncols.saturating_sub(1));
    match action {
        Action::ClickAt(r, c) => {
            st.row = r.min(nrows.saturating_sub(1));
            st.col = c.min(ncols.saturating_sub(1));
        }
        Action::Do(Do::Up, _) => st.row = st.row.saturating_sub(1),
        Action::Do(Do::Down, _) => st.row = (st.row + 1).min(nrows.saturating_sub(1)),
        Action::Do(Do::Previous, _) => st.col = st.col.saturating_sub(1),
        Action::Do(Do::Next, _) => st.col = (st.col + 1).min(ncols.saturating_sub(1)),
        Action::Do(Do::View, _) => {
            // The same system stays selected when it is in the other view too.
            let id = target.as_ref().map(|(_, id)| id.clone());
            st.to_be = !st.to_be;
            st.col = id
                .and_then(|id| {
                    columns(&s.assessment, st.to_be, in_scope)
                        .iter()
                        .position(|x| x.id == id)
                })
                .unwrap_or(0);
        }
        Action::Do(Do::Scope, _) => {
            let id = target.as_ref().map(|(_, id)| id.clone());
            st.scope = if st.scope >= nscopes { 0 } else { st.scope + 1 };
            let now = scope(&s.assessment, st);
            st.col = id
                .and_then(|id| {
                    columns(&s.assessment, st.to_be, now)
                        .iter()
                        .position(|x| x.id == id)
                })
                .unwrap_or(0);
            app.status = match now {
                Some(l) => format!("scope {}: its systems and its own ownership", safe(l)),
                None => "the whole estate".into(),
            };
        }
        Action::Do(Do::Home, _) => app.screen = Screen::Home,
        Action::Do(Do::Settle, _) => {
            let Some((object, _)) = target else {
                return Vec::new();
            };
            return settle(app, object, in_scope.map(str::to_string));
        }
        Action::Do(d @ (Do::Owner | Do::Target | Do::Writer | Do::Reader), _) => {
            let Some((object, system)) = target else {
                return Vec::new();
            };
            // In the to-be view the owner shown is the target owner: `o` sets that one.
            let d = if st.to_be && d == Do::Owner {
                Do::Target
            } else {
                d
            };
            let label = in_scope.map(str::to_string);
            return set(app, d, object, system, label);
        }
        _ => {}
    }
    Vec::new()
}

/// Settles who owns `object` (within `scope`): the owner today is final, so what respondents
/// said otherwise no longer raises a disagreement; again, it is not. Needs an owner.
fn settle(app: &mut App, object: DataObject, scope: Option<String>) -> Vec<Effect> {
    let entry = app.session.as_ref().and_then(|s| {
        let top = s.assessment.ownership.get(&object)?;
        match &scope {
            None => Some(top.clone()),
            Some(l) => top.scopes.get(l).cloned(),
        }
    });
    let Some(owner) = entry.as_ref().and_then(|w| w.owner.clone()) else {
        app.status = format!(
            "name the owner of {} first ({}), then settle it",
            object.words(),
            keymap::key(Context::On(Screen::Ownership), Do::Owner)
        );
        return Vec::new();
    };
    let now_final = !entry.is_some_and(|w| w.is_final);
    let name = app
        .session
        .as_ref()
        .map_or(owner.clone(), |s| s.assessment.system_name(&owner));
    let said = if now_final {
        format!("settled: {name} owns {}", object.words())
    } else {
        format!("who owns {} is open again", object.words())
    };
    crate::tui::edit::edit_assessment(app, &said, |a| {
        if let Some(top) = a.ownership.get_mut(&object) {
            let w = match &scope {
                None => Some(top),
                Some(l) => top.scopes.get_mut(l),
            };
            if let Some(w) = w {
                w.is_final = now_final;
            }
        }
        Ok(())
    })
}

/// The (object, system) under the cursor.
fn target_cell(s: &Session, st: &OwnershipState) -> Option<(DataObject, String)> {
    let object = *DataObject::ALL.get(st.row)?;
    let cols = columns(&s.assessment, st.to_be, scope(&s.assessment, st));
    let sys = cols.get(st.col)?;
    Some((object, sys.id.clone()))
}

/// Toggles one role of `system` for `object` (within `scope`: that scope's entry, started
/// from a copy of the estate-wide one), saved at once.
fn set(
    app: &mut App,
    what: Do,
    object: DataObject,
    system: String,
    scope: Option<String>,
) -> Vec<Effect> {
    let name = app
        .session
        .as_ref()
        .map_or(system.clone(), |s| s.assessment.system_name(&system));
    let mut said = String::new();
    let effects = crate::tui::edit::edit_assessment(app, "", |a| {
        let top = a.ownership.entry(object).or_default();
        let w = match &scope {
            None => top,
            Some(l) => {
                if !top.scopes.contains_key(l) {
                    let mut copy = top.clone();
                    copy.scopes.clear();
                    top.scopes.insert(l.clone(), copy);
                }
                top.scopes.get_mut(l).expect("just inserted")
            }
        };
        let in_ = scope
            .as_deref()
            .map_or(String::new(), |l| format!(" in {l}"));
        let toggle_one = |slot: &mut Option<String>| {
            if slot.as_deref() == Some(system.as_str()) {
                *slot = None;
                false
            } else {
                *slot = Some(system.clone());
                true
            }
        };
        let toggle_list = |list: &mut Vec<String>| {
            if let Some(i) = list.iter().position(|x| *x == system) {
                list.remove(i);
                false
            } else {
                list.push(system.clone());
                list.sort();
                true
            }
        };
        said = match what {
            Do::Owner => {
                if toggle_one(&mut w.owner) {
                    format!(
                        "{name} is now the source of truth for {}{in_}",
                        object.words()
                    )
                } else {
                    format!("{}{in_} has no source of truth now", object.words())
                }
            }
            Do::Target => {
                if toggle_one(&mut w.target) {
                    format!(
                        "{name} is the target source of truth for {}{in_}",
                        object.words()
                    )
                } else {
                    format!("{}{in_} has no target owner now", object.words())
                }
            }
            Do::Writer => {
                if toggle_list(&mut w.writers) {
                    format!("{name} writes {}{in_}", object.words())
                } else {
                    format!("{name} no longer writes {}{in_}", object.words())
                }
            }
            _ => {
                if toggle_list(&mut w.readers) {
                    format!("{name} reads {}{in_}", object.words())
                } else {
                    format!("{name} no longer reads {}{in_}", object.words())
                }
            }
        };
        // An entry that says nothing is not kept.
        if let Some(l) = &scope
            && let Some(top) = a.ownership.get_mut(&object)
            && top
                .scopes
                .get(l)
                .is_some_and(|x| *x == Ownership::default())
        {
            top.scopes.remove(l);
        }
        if a.ownership
            .get(&object)
            .is_some_and(|x| *x == Ownership::default())
        {
            a.ownership.remove(&object);
        }
        Ok(())
    });
    if !effects.is_empty() {
        app.status = safe(&said);
    }
    effects
}

#[cfg(test)]
mod tests {
    use super::short_labels;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn short_labels_tell_systems_apart_within_the_width() {
        let names: Vec<String> = [
            "Shopify Plus",
            "Shopify Outlet",
            "NetSuite",
            "Akeneo PIM (Growth Edition)",
            "Store A",
            "Store A",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let labels = short_labels(&names, 9);
        assert_eq!(labels[2], "NetSuite", "a name that fits stays whole");
        for (i, l) in labels.iter().enumerate() {
            assert!(l.width() <= 9, "{l:?}");
            for (j, m) in labels.iter().enumerate() {
                assert!(i == j || l != m, "{labels:?}");
            }
        }
        assert!(
            labels[0].starts_with("Shopify") || labels[0].starts_with("Shop"),
            "{labels:?}"
        );
    }
}

//! Vendor fit comparison: the systems of one category side by side — existing, retiring and
//! candidates (say three OMS vendors on a shortlist) — with vendor-fit and coupling scores,
//! the findings each raises and the flows each adds (a candidate) or would take with it (a
//! running system). The numbers are the engine's `VendorComparison`, the same the reports
//! print. `←`/`→` pick the category, `↑`/`↓` scroll.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::results::{bar, heat};
use crate::engine::VendorComparison;
use crate::text::{fit, safe};
use crate::tui::action::Action;
use crate::tui::action::Do;
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, Screen, Session};
use crate::tui::theme::Theme;
use crate::vocab::SystemStatus;

/// The vendor comparison: which category, scrolled how far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VendorsState {
    /// Index into the evaluation's `vendors`.
    pub category: usize,
    pub top: usize,
    /// The first system column shown, when they do not all fit.
    pub first: usize,
}

/// Width of the row labels on the left.
const LABEL: usize = 12;

/// The comparison of one category as lines, its systems in columns of `col` cells.
/// `shown` is the range of systems drawn (the rest scroll in with `[` and `]`); the best
/// scores are starred across all of them.
pub fn lines(
    s: &Session,
    c: &VendorComparison,
    t: &Theme,
    col: usize,
    shown: std::ops::Range<usize>,
) -> Vec<Line<'static>> {
    let a = &s.assessment;
    let e = &s.eval;
    let mut out = Vec::new();
    let row = |label: &str, cells: Vec<(String, Style)>| {
        let mut spans = vec![Span::styled(fit(label, LABEL), t.dim())];
        for (text, style) in cells {
            // A gutter of one cell between columns.
            spans.push(Span::styled(fit(&text, col - 1), style));
            spans.push(Span::raw(" "));
        }
        Line::from(spans)
    };
    let best = |f: &dyn Fn(&crate::engine::VendorEntry) -> Option<f64>| {
        c.systems
            .iter()
            .filter_map(f)
            .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
    };
    let best_fit = best(&|x| x.vendor_fit.score);
    let best_coupling = best(&|x| x.coupling.score);
    let shown = &c.systems[shown.start.min(c.systems.len())..shown.end.min(c.systems.len())];
    out.push(row(
        "system",
        shown.iter().map(|x| (safe(&x.name), t.title())).collect(),
    ));
    out.push(row(
        "vendor",
        shown
            .iter()
            .map(|x| (safe(&x.vendor), Style::default()))
            .collect(),
    ));
    out.push(row(
        "status",
        shown
            .iter()
            .map(|x| {
                let time = x.time.map(|t| format!(" · {t}")).unwrap_or_default();
                let style = if x.status == SystemStatus::Candidate {
                    t.warn()
                } else {
                    Style::default()
                };
                (format!("{}{time}", x.status), style)
            })
            .collect(),
    ));
    let score_row = |label: &str,
                     get: &dyn Fn(&crate::engine::VendorEntry) -> &crate::engine::Score,
                     top: Option<f64>| {
        let mut lines = vec![row(
            label,
            shown
                .iter()
                .map(|x| {
                    let sc = get(x);
                    let star = if sc.score.is_some() && sc.score == top && c.systems.len() > 1 {
                        " ★ best"
                    } else {
                        ""
                    };
                    (format!("{}{star}", sc.label(1)), heat(t, sc.score))
                })
                .collect(),
        )];
        lines.push(row(
            "",
            shown
                .iter()
                .map(|x| {
                    let sc = get(x);
                    // The bar, cut to the column.
                    let b: String = bar(sc.score).chars().take(col.saturating_sub(2)).collect();
                    (b, heat(t, sc.score))
                })
                .collect(),
        ));
        lines.push(row(
            "",
            shown
                .iter()
                .map(|x| {
                    let sc = get(x);
                    (
                        format!("{} of {} answered", sc.answered, sc.applicable),
                        t.dim(),
                    )
                })
                .collect(),
        ));
        lines
    };
    out.push(Line::raw(""));
    out.extend(score_row("vendor fit", &|x| &x.vendor_fit, best_fit));
    out.extend(score_row("coupling", &|x| &x.coupling, best_coupling));
    out.push(Line::raw(""));
    // Findings and flows: as many lines as the longest list.
    let list = |out: &mut Vec<Line<'static>>,
                label: &str,
                items: &dyn Fn(&crate::engine::VendorEntry) -> Vec<String>| {
        let lists: Vec<Vec<String>> = shown.iter().map(items).collect();
        out.push(row(
            label,
            lists
                .iter()
                .map(|l| (format!("{}", l.len()), Style::default()))
                .collect(),
        ));
        let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..longest {
            out.push(row(
                "",
                lists
                    .iter()
                    .map(|l| {
                        (
                            l.get(i).map(|x| format!("• {x}")).unwrap_or_default(),
                            Style::default(),
                        )
                    })
                    .collect(),
            ));
        }
    };
    list(&mut out, "findings", &|x| {
        x.findings
            .iter()
            .map(|id| {
                e.findings
                    .iter()
                    .find(|f| f.id == *id)
                    .map_or(id.clone(), |f| safe(&f.title))
            })
            .collect()
    });
    out.push(Line::raw(""));
    out.push(row(
        "flows",
        shown
            .iter()
            .map(|x| {
                let what = if x.status == SystemStatus::Candidate {
                    "it adds"
                } else {
                    "go with it"
                };
                (format!("{} {what}", x.flows.len()), Style::default())
            })
            .collect(),
    ));
    let longest = shown.iter().map(|x| x.flows.len()).max().unwrap_or(0);
    for i in 0..longest {
        out.push(row(
            "",
            shown
                .iter()
                .map(|x| {
                    (
                        x.flows
                            .get(i)
                            .map(|id| format!("• {}", safe(&a.flow_name(id))))
                            .unwrap_or_default(),
                        Style::default(),
                    )
                })
                .collect(),
        ));
    }
    out
}

/// How many columns of the narrowest width fit beside the labels.
fn fitting(width: u16) -> usize {
    (usize::from(width).saturating_sub(LABEL) / 16).max(1)
}

/// The column width for `n` systems in `width` cells: at least 16, at most 60.
fn column(width: u16, n: usize) -> usize {
    let room = usize::from(width).saturating_sub(LABEL);
    (room / n.max(1)).clamp(16, 60)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" Vendors ", t.title()))
        .title_bottom(crate::tui::widgets::tabs(app, t));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cats = &s.eval.vendors;
    if cats.is_empty() {
        f.render_widget(
            Paragraph::new(vec![
                Line::styled("Nothing to compare yet.", t.title()),
                Line::raw(
                    "A comparison needs two or more systems in one category: add the \
                     candidates on the shortlist (status candidate) beside the system they \
                     would replace.",
                ),
            ])
            .wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
        return;
    }
    let k = app.screens.vendors.category.min(cats.len() - 1);
    let mut spans = vec![Span::styled("category ← → ", t.dim())];
    for (i, c) in cats.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.dim()));
        }
        let style = if i == k { t.selected() } else { t.dim() };
        spans.push(Span::styled(
            format!("{} ({})", c.category, c.systems.len()),
            style,
        ));
    }
    let c = &cats[k];
    let (col, fits) = (column(inner.width, c.systems.len()), fitting(inner.width));
    let first = app
        .screens
        .vendors
        .first
        .min(c.systems.len().saturating_sub(fits));
    let last = (first + fits).min(c.systems.len());
    if c.systems.len() > fits {
        spans.push(Span::styled(
            format!(
                "   systems {}–{} of {} · {} {} scroll",
                first + 1,
                last,
                c.systems.len(),
                keymap::key(Context::On(Screen::Vendors), Do::Left),
                keymap::key(Context::On(Screen::Vendors), Do::Right)
            ),
            t.warn(),
        ));
    }
    let mut lines = vec![Line::from(spans), Line::raw("")];
    lines.extend(self::lines(s, c, t, col, first..last));
    let most = lines.len().saturating_sub(usize::from(inner.height));
    let top = app.screens.vendors.top.min(most) as u16;
    f.render_widget(Paragraph::new(lines).scroll((top, 0)), inner);
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let n = s.eval.vendors.len();
    // How far the page scrolls: its lines (two above the comparison) less the frame's rows.
    let page = usize::from(app.size.1.saturating_sub(3)).max(1);
    let most = s
        .eval
        .vendors
        .get(app.screens.vendors.category.min(n.saturating_sub(1)))
        .map_or(0, |c| {
            (lines(s, c, &Theme::new(true), 16, 0..c.systems.len()).len() + 2).saturating_sub(page)
        });
    let systems = s
        .eval
        .vendors
        .get(app.screens.vendors.category.min(n.saturating_sub(1)))
        .map_or(0, |c| c.systems.len());
    let v = &mut app.screens.vendors;
    let top = v.top.min(most);
    match action {
        Action::Do(Do::Next, _) if n > 0 => {
            v.category = (v.category + 1) % n;
            v.top = 0;
            v.first = 0;
        }
        Action::Do(Do::Previous, _) if n > 0 => {
            v.category = (v.category + n - 1) % n;
            v.top = 0;
            v.first = 0;
        }
        Action::Do(Do::Right, _) => {
            let fits = fitting(app.size.0.saturating_sub(2));
            v.first = (v.first + 1).min(systems.saturating_sub(fits));
        }
        Action::Do(Do::Left, _) => v.first = v.first.saturating_sub(1),
        Action::Do(Do::Up, _) => v.top = top.saturating_sub(1),
        Action::Do(Do::Down, _) => v.top = (top + 1).min(most),
        Action::Do(Do::DetailDown, _) => v.top = (top + 10).min(most),
        Action::Do(Do::DetailUp, _) => v.top = top.saturating_sub(10),
        Action::Do(Do::Home, _) => app.screen = Screen::Home,
        _ => {}
    }
    Vec::new()
}

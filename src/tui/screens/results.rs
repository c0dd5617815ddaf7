//! Results: the dimension scores as bars with their coverage ("not enough answered" where
//! too few of a score's questions are answered for it to mean anything), the risk heat map
//! (systems and flows × dimensions, `export::heatmap`, as in the reports), a heat table per system
//! (vendor fit, coupling, findings) and per flow (the four steps, each ok / weak / missing),
//! the overlap of capabilities across the running stack, and the coupling hot spots. One
//! scrolling page; `←`/`→` jump between its sections. Every number comes from
//! `crate::tables` over the session's evaluation, the same functions the reports call.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::engine::{NOT_ENOUGH, Score};
use crate::tables::{self, Step};
use crate::text::{fit, safe};
use crate::tui::action::Action;
use crate::tui::action::Do;
use crate::tui::state::{App, Effect, Session};
use crate::tui::theme::Theme;
use crate::tui::widgets::{percent, tabs};

/// The results page: the first line it shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResultsState {
    pub top: usize,
}

/// Width of a score bar, in cells.
const BAR: usize = 20;

/// A score on 0–100 as a bar: `███████░░░░░░░░░░░░░`.
pub fn bar(score: Option<f64>) -> String {
    let Some(x) = score else {
        return "·".repeat(BAR);
    };
    let full = ((x.clamp(0.0, 100.0) / 100.0) * BAR as f64).round() as usize;
    format!("{}{}", "█".repeat(full), "░".repeat(BAR - full))
}

/// Good from 70, weak from 40, poor below: the same cut as a flow step's "weak".
pub fn heat(t: &Theme, score: Option<f64>) -> Style {
    match score {
        Some(x) if x >= tables::WEAK_BELOW => t.good(),
        Some(x) if x >= 40.0 => t.warn(),
        Some(_) => t.bad(),
        None => t.dim(),
    }
}

fn num(x: Option<f64>) -> String {
    x.map_or("  —".into(), |v| format!("{v:>5.1}"))
}

/// A score in a number column: `72.5`, `(18%)` when withheld for want of answers, `—`.
fn cell(x: Option<&Score>) -> String {
    match x {
        Some(s) if s.score.is_none() && s.short => s.cell(0),
        other => num(other.and_then(|s| s.score)),
    }
}

/// The page, and the line each section starts on.
pub fn lines(
    content: &crate::content::Content,
    s: &Session,
    t: &Theme,
    width: u16,
) -> (Vec<Line<'static>>, Vec<usize>) {
    // Names get the room a wide terminal has; the number columns stay where they are.
    let extra = usize::from(width.saturating_sub(80)) / 3;
    let (sys_w, flow_w) = (24 + extra.min(24), 24 + extra.min(30));
    let a = &s.assessment;
    let e = &s.eval;
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut sections = Vec::new();
    let mut head = |out: &mut Vec<Line<'static>>, text: String| {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        sections.push(out.len());
        out.push(Line::styled(text, t.title()));
    };

    let overall = if e.overall.is_some() {
        format!("{} of 100", num(e.overall).trim())
    } else {
        e.overall_label(1)
    };
    head(
        &mut out,
        format!(
            "Overall {overall} · {} answered ({} of {})",
            percent(e.coverage),
            e.answered,
            e.applicable
        ),
    );
    out.push(Line::styled(
        format!(
            "{:<22}{:<BAR$} {:>5}  coverage  weight",
            "dimension", "score", ""
        ),
        t.dim(),
    ));
    for d in &e.dimensions {
        out.push(Line::from(vec![
            Span::raw(format!("{:<22}", d.id.words())),
            if d.score.short {
                Span::styled(format!("{:<BAR$}", NOT_ENOUGH), t.dim())
            } else {
                Span::styled(bar(d.score.score), heat(t, d.score.score))
            },
            Span::raw(format!(
                " {}  {:>8}  {:>6}",
                num(d.score.score),
                percent(d.score.coverage),
                d.weight
            )),
        ]));
    }

    // Where respondents disagree: a finding of the week, so near the top.
    let disagree = crate::tui::voices::disagreements(content, s, t, width);
    if !disagree.is_empty() {
        let open = e
            .voices
            .iter()
            .filter(|v| v.disagree && v.why != crate::engine::voices::Why::Final)
            .count();
        head(
            &mut out,
            format!(
                "Respondents disagree · unsettled questions: {open} ({} on a question settles it)",
                crate::tui::keymap::key(
                    crate::tui::keymap::Context::On(crate::tui::state::Screen::Interview),
                    Do::Settle
                )
            ),
        );
        out.extend(disagree);
        out.push(Line::raw(""));
        out.extend(crate::tui::voices::grid(content, s, t));
    }

    // The risk heat map: systems and flows × dimensions, each cell its band's colour.
    let hm = crate::export::heatmap::heatmap_of(a, e);
    if !hm.rows.is_empty() {
        use crate::export::heatmap::{Band, column_short};
        head(
            &mut out,
            "Risk heat map: systems and flows × dimensions".into(),
        );
        out.push(Line::styled(
            format!("■ red <40 · yellow 40–59 · plain 60–74 · green 75+ · (n%) {NOT_ENOUGH}"),
            t.dim(),
        ));
        let mut header = format!("{:<flow_w$}", "system or flow");
        for c in &hm.columns {
            header.push_str(&format!(" {:>8}", column_short(*c)));
        }
        out.push(Line::styled(header, t.dim()));
        for row in &hm.rows {
            let mut spans = vec![Span::raw(fit(
                &format!(
                    "{} {}",
                    if row.kind == crate::engine::SubjectKind::System {
                        "▪"
                    } else {
                        "→"
                    },
                    safe(&row.name)
                ),
                flow_w,
            ))];
            for c in &row.cells {
                let band = Band::of(c.as_ref());
                let (text, style) = match (band, c) {
                    (Band::Short, Some(s)) => (s.cell(0), t.dim()),
                    (Band::None, _) | (_, None) => ("—".to_string(), t.dim()),
                    (b, Some(s)) => (
                        format!("■ {}", s.cell(0)),
                        match b {
                            Band::Critical => t.bad(),
                            Band::Weak => t.warn(),
                            Band::Fair => Style::default(),
                            _ => t.good(),
                        },
                    ),
                };
                spans.push(Span::raw(" "));
                spans.push(Span::styled(format!("{text:>8}"), style));
            }
            out.push(Line::from(spans));
        }
    }

    let heat_rows = tables::system_heat(a, e);
    let withheld = heat_rows
        .iter()
        .flat_map(|h| [h.vendor_fit, h.coupling])
        .any(|x| x.is_some_and(|s| s.short));
    head(
        &mut out,
        if withheld {
            format!("Systems: vendor fit and coupling · (n%): {NOT_ENOUGH}, n% answered")
        } else {
            "Systems: vendor fit and coupling".into()
        },
    );
    out.push(Line::styled(
        format!(
            "{:<sys_w$} {:<11} {:<10} {:>10} {:>9} {:>8}",
            "system", "category", "status", "vendor fit", "coupling", "findings"
        ),
        t.dim(),
    ));
    for h in heat_rows {
        out.push(Line::from(vec![
            Span::raw(format!(
                "{} {:<11} {:<10} ",
                fit(&safe(&h.system.name), sys_w),
                h.system.category.to_string(),
                h.system.status.to_string()
            )),
            Span::styled(
                format!("{:>10}", cell(h.vendor_fit)),
                heat(t, h.vendor_fit.and_then(|x| x.score)),
            ),
            Span::styled(
                format!("{:>9}", cell(h.coupling)),
                heat(t, h.coupling.and_then(|x| x.score)),
            ),
            Span::raw(format!("{:>9}", h.findings)),
        ]));
    }
    if a.systems.is_empty() {
        out.push(Line::styled("no systems in the inventory yet", t.dim()));
    }

    head(
        &mut out,
        "Flows: the four steps (assessed: score from answers · stated: named, not assessed · none: a stated gap · not captured)".into(),
    );
    out.push(Line::styled(
        format!(
            "{:<flow_w$} {:<12} {:<12} {:<12} {:<12}",
            "flow", "source", "contract", "failure", "owner"
        ),
        t.dim(),
    ));
    for h in tables::flow_health(a, e) {
        let mut spans = vec![Span::raw(format!(
            "{} ",
            fit(&safe(&a.flow_name(&h.flow.id)), flow_w)
        ))];
        for step in h.steps {
            let style = match step {
                Step::None => t.bad(),
                Step::Assessed(_) if step.is_weak() => t.warn(),
                Step::Assessed(_) => t.good(),
                Step::Stated => Style::default(),
                Step::NotCaptured => t.dim(),
            };
            spans.push(Span::styled(format!("{:<12} ", step.short()), style));
        }
        out.push(Line::from(spans));
    }
    if a.flows.is_empty() {
        out.push(Line::styled("no flows in the inventory yet", t.dim()));
    }

    let ov = tables::overlap(a);
    head(
        &mut out,
        "Overlap: capabilities × running systems (● holds it; ! two or more)".into(),
    );
    if ov.rows.is_empty() {
        out.push(Line::styled(
            "no capabilities recorded for the running systems",
            t.dim(),
        ));
    } else if 27 + 3 * ov.systems.len() > usize::from(width) {
        // Too many systems for a column each: every capability with the names of its holders,
        // wrapped to the width rather than cut off.
        for (i, (c, held)) in ov.rows.iter().enumerate() {
            let n = ov.holders(i);
            let overlap = n >= 2;
            let names: Vec<String> = ov
                .systems
                .iter()
                .zip(held)
                .filter(|(_, h)| **h)
                .map(|(sys, _)| safe(&sys.name))
                .collect();
            let mut line = format!(
                "{} {:>3}{} ",
                fit(c.as_str(), 22),
                n,
                if overlap { "!" } else { " " }
            );
            let indent = line.chars().count();
            let room = usize::from(width).saturating_sub(indent).max(8);
            let mut rows = Vec::new();
            for name in names {
                // A name longer than the room is cut to it.
                let name = fit(&name, room).trim_end().to_string();
                if line.chars().count() + name.chars().count() + 2 > usize::from(width)
                    && line.chars().count() > indent
                {
                    rows.push(std::mem::replace(&mut line, " ".repeat(indent)));
                }
                if line.chars().count() > indent {
                    line.push_str(", ");
                }
                line.push_str(&name);
            }
            rows.push(line);
            for r in rows {
                out.push(Line::styled(
                    r,
                    if overlap { t.bad() } else { Style::default() },
                ));
            }
        }
    } else {
        // Systems are numbered columns, named in a legend: names do not fit as headers.
        let mut header = format!("{:<22} held", "capability");
        for i in 0..ov.systems.len() {
            header.push_str(&format!("{:>3}", i + 1));
        }
        out.push(Line::styled(header, t.dim()));
        for (i, (c, held)) in ov.rows.iter().enumerate() {
            let n = ov.holders(i);
            let overlap = n >= 2;
            let mut spans = vec![Span::styled(
                format!(
                    "{} {:>3}{}",
                    fit(c.as_str(), 22),
                    n,
                    if overlap { "!" } else { " " }
                ),
                if overlap { t.bad() } else { Style::default() },
            )];
            let cells: String = held
                .iter()
                .map(|h| if *h { "  ●" } else { "  ·" })
                .collect();
            spans.push(Span::raw(cells));
            out.push(Line::from(spans));
        }
        // The legend, in as many columns as the width holds.
        let cell = 32;
        let per_line = (usize::from(width.max(cell as u16)) / cell).max(1);
        for chunk in ov.systems.chunks(per_line).enumerate() {
            let (row, systems) = chunk;
            let text: String = systems
                .iter()
                .enumerate()
                .map(|(k, sys)| {
                    let n = row * per_line + k + 1;
                    fit(&format!("{n:>3} {}", safe(&sys.name)), cell)
                })
                .collect();
            out.push(Line::styled(text.trim_end().to_string(), t.dim()));
        }
    }

    head(
        &mut out,
        format!(
            "Coupling hot spots (flows in / out; hot from {} either way, hubs excepted)",
            crate::engine::analyses::HOTSPOT_FLOWS
        ),
    );
    let spots = tables::hot_spots(a);
    for h in spots.iter().take(20) {
        out.push(Line::from(vec![
            Span::raw(format!(
                "{} in {:>3}  out {:>3}  ",
                fit(&safe(&h.system.name), sys_w),
                h.fan_in,
                h.fan_out
            )),
            if h.hot {
                Span::styled("hot spot", t.bad())
            } else {
                Span::raw("")
            },
        ]));
    }
    if spots.is_empty() {
        out.push(Line::styled("no flows among running systems", t.dim()));
    }
    (out, sections)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let Some(s) = &app.session else { return };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" Results ", t.title()))
        .title_bottom(tabs(app, t));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let (lines, _) = lines(&app.content, s, t, inner.width);
    let most = lines.len().saturating_sub(usize::from(inner.height));
    let top = app.screens.results.top.min(most) as u16;
    f.render_widget(Paragraph::new(lines).scroll((top, 0)), inner);
}

/// Scrolling: a line, a page, or a section at a time.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let (lines, sections) = lines(
        &app.content,
        s,
        &Theme::new(true),
        app.size.0.saturating_sub(2),
    );
    // The rows inside the frame: the terminal less the status line and two borders.
    let page = usize::from(app.size.1.saturating_sub(3)).max(1);
    let most = lines.len().saturating_sub(page);
    let top = app.screens.results.top.min(most);
    app.screens.results.top = match action {
        Action::Do(Do::Up, _) => top.saturating_sub(1),
        Action::Do(Do::Down, _) => (top + 1).min(most),
        Action::Do(Do::DetailDown, _) => (top + page).min(most),
        Action::Do(Do::DetailUp, _) => top.saturating_sub(page),
        Action::Do(Do::Next, _) => sections
            .iter()
            .copied()
            .find(|&x| x > top)
            .unwrap_or(top)
            .min(most),
        Action::Do(Do::Previous, _) => sections
            .iter()
            .copied()
            .rev()
            .find(|&x| x < top)
            .unwrap_or(0),
        Action::Do(Do::Home, _) => {
            app.screen = crate::tui::state::Screen::Home;
            top
        }
        _ => top,
    };
    Vec::new()
}

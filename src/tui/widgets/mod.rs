//! Drawing helpers shared by the screens and overlays, and the editing widgets (the line
//! editor, the note editor, forms). Everything here sits below the screens: it reads the
//! state it is given and knows no particular screen.

pub mod form;
pub mod line;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::state::{App, Screen};
use super::theme::Theme;

/// A share as a whole percentage ("42%").
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The screens of the open assessment, the current one marked, for a frame's bottom border:
/// `Tab` moves between them.
pub fn tabs(app: &App, t: &Theme) -> Line<'static> {
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

/// The area inside the frame of a screen (the terminal less the status line and the border),
/// for the mouse to find what a click lands on.
pub fn frame_inner(app: &App) -> Rect {
    Block::default()
        .borders(Borders::ALL)
        .inner(main_area(app.size))
}

/// The part of a terminal of `size` that the screens draw in: all but the status line.
/// The frame is laid out with it, and the mouse finds what a click lands on with it.
pub fn main_area(size: (u16, u16)) -> Rect {
    split_status(Rect::new(0, 0, size.0, size.1)).0
}

/// The screen's area and the status line below it.
pub fn split_status(area: Rect) -> (Rect, Rect) {
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    (main, status)
}

/// The bordered frame every screen of an open assessment is drawn in: its title on top, the
/// tabs of the other screens in the bottom border.
pub fn screen_block(app: &App, title: String, t: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(title, t.title()))
        .title_bottom(tabs(app, t))
}

/// Draws the rule that sets a detail pane apart from the list it belongs to — a line on its
/// left when the two are side by side, above it when stacked — and returns the room inside,
/// a cell clear of the rule.
pub fn side_pane(f: &mut Frame, list: Rect, pane: Rect, t: &Theme) -> Rect {
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

/// A label (one span, or several as a `Line`: a key, a marker and the space after it) and its
/// value, wrapped at `width` columns with a hanging indent: every row of the
/// value starts under its first character, never back under the label. Rows break after the
/// last space that fits, as the text editors wrap (`line::wrap_starts`). When the label
/// leaves fewer than `MIN_VALUE` columns, the value runs on as one line (wrapped where the
/// paragraph wraps it).
pub fn hanging(
    label: impl Into<Line<'static>>,
    value: Span<'static>,
    width: usize,
) -> Vec<Line<'static>> {
    let label: Line<'static> = label.into();
    let indent = label.width();
    let room = width.saturating_sub(indent);
    let mut first = label.spans;
    if room < MIN_VALUE {
        first.push(value);
        return vec![Line::from(first)];
    }
    let text = value.content.to_string();
    let starts = line::wrap_starts(&text, room);
    let len = text.chars().count();
    let mut out = Vec::with_capacity(starts.len());
    let mut first = Some(first);
    for (r, &s) in starts.iter().enumerate() {
        let e = starts.get(r + 1).copied().unwrap_or(len);
        let row = text[line::byte_at(&text, s)..line::byte_at(&text, e)].trim_end();
        let mut spans = first
            .take()
            .unwrap_or_else(|| vec![Span::raw(" ".repeat(indent))]);
        spans.push(Span::styled(row.to_string(), value.style));
        out.push(Line::from(spans));
    }
    out
}

/// The fewest columns `hanging` wraps a value in beside its label.
pub const MIN_VALUE: usize = 12;

/// The first row a lane shows: scrolled so the selected row is at most the last visible one.
pub fn lane_first(selected: usize, room: usize) -> usize {
    (selected + 1).saturating_sub(room)
}

/// Rows taken from the top of an area, one block after another: each `take(h)` is the next
/// `h` rows (fewer at the bottom, none past it; `u16::MAX` takes what is left).
pub struct Rows {
    area: Rect,
    y: u16,
}

impl Rows {
    pub fn new(area: Rect) -> Self {
        Rows { area, y: area.y }
    }

    pub fn take(&mut self, h: u16) -> Rect {
        let bottom = self.area.y + self.area.height;
        let r = Rect {
            x: self.area.x,
            y: self.y,
            width: self.area.width,
            height: h.min(bottom.saturating_sub(self.y)),
        };
        self.y = self.y.saturating_add(h).min(bottom);
        r
    }
}

/// A rectangle of (at most) `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

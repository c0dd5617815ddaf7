//! What is drawn over a screen and takes the keys while it is open: the help, one-line
//! fields, the note editor, messages, the delete confirmation and the file-changed dialog.
//! The palette (`tui::palette`), the new-assessment form (`new_form`), the list of merge
//! conflicts (`merge`) and the inventory's forms (`widgets::form`) are overlays too, each in
//! its own module.

pub mod files;
pub mod merge;
pub mod new_form;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use chrono::{DateTime, FixedOffset};

use super::action::{Action, Do};
use super::keymap::{self, Context};
use super::state::{App, Effect, InputPurpose, Overlay, Screen};
use super::theme::Theme;
use super::widgets::{self, centered, line, line::LineInput, line::TextArea};
use crate::text::safe;

/// Something to read in a box: a title and its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub title: String,
    pub lines: Vec<String>,
    /// Lines scrolled down by (the view clamps it).
    pub scroll: u16,
}

/// Draws the open overlay, if any, over the screen's `area`.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let undo = keymap::key(Context::Global, Do::Undo);
    let close = format!(
        "{} or {} save and close · {undo} undoes",
        keymap::key(Context::Editor, Do::Cancel),
        keymap::key(Context::Editor, Do::Save)
    );
    match &app.overlay {
        Some(Overlay::Help) => help(f, area, app, t),
        Some(Overlay::Input(purpose, line)) => {
            // A number's unit stands beside what is typed ("45 minutes").
            let unit = |text: &str| {
                if *purpose == InputPurpose::Value {
                    super::screens::interview::field_unit(app, text)
                } else {
                    String::new()
                }
            };
            input(f, area, *purpose, line, (&unit(""), &unit(&line.text)), t)
        }
        Some(Overlay::Note(text)) => note(f, area, text, &format!(" note — {close} "), t),
        Some(Overlay::Summary(text)) => {
            note(f, area, text, &format!(" engagement summary — {close} "), t)
        }
        Some(Overlay::Form(form)) => widgets::form::draw(f, area, form, t),
        Some(Overlay::Confirm(c)) => message(
            f,
            area,
            &format!(
                " Delete? {}: yes · {}: keep ",
                keymap::key(Context::Confirm, Do::Yes),
                keymap::key(Context::Confirm, Do::No)
            ),
            &c.lines,
            0,
            t,
        ),
        Some(Overlay::Message(m)) => message(f, area, &m.title, &m.lines, m.scroll, t),
        Some(Overlay::New(form)) => new_form::draw(f, area, app, form, t),
        Some(Overlay::Palette(p)) => super::palette::draw(f, area, p, t),
        Some(Overlay::Conflict) => conflict(f, area, app, t),
        Some(Overlay::Unsaved) => unsaved(f, area, app, t),
        Some(Overlay::Merge(list)) => merge::draw(f, area, app, list, t),
        None => {}
    }
}

/// Pasted text: into the open field as one edit, never as keys. With no field open it is
/// refused, so a paste can never answer a question or run a command.
pub fn paste(app: &mut App, text: &str, now: DateTime<FixedOffset>) -> Vec<Effect> {
    // Line ends as the editors keep them; other control characters are dropped.
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    match &mut app.overlay {
        Some(Overlay::Note(area) | Overlay::Summary(area)) => {
            line::paste_area(area, &text);
            Vec::new()
        }
        Some(Overlay::Input(_, field)) => {
            line::paste_line(field, &text.replace('\n', " "));
            crate::tui::update::filter_typed(app);
            Vec::new()
        }
        Some(Overlay::Palette(p)) => {
            let mut query = p.query.clone();
            line::paste_line(&mut query, &text.replace('\n', " "));
            p.query = query;
            super::palette::rerank(app);
            Vec::new()
        }
        Some(form @ (Overlay::Form(_) | Overlay::New(_))) => {
            // A form's fields take typed characters one at a time; its fields are short.
            let is_new = matches!(form, Overlay::New(_));
            let mut effects = Vec::new();
            for c in text.replace('\n', " ").chars() {
                let a = Action::Insert(c);
                effects.extend(if is_new {
                    new_form::update(app, a, now)
                } else {
                    crate::tui::screens::inventory::form_action(app, a)
                });
            }
            effects
        }
        _ => {
            let k = |d| keymap::key(Context::On(Screen::Interview), d);
            app.status = format!(
                "pasted text was not used: open a field first ({} for a note, {} for a value)",
                k(Do::Note),
                k(Do::Value)
            );
            Vec::new()
        }
    }
}

/// Scrolling the help or a message: the arrows scroll it by a line, Page keys by ten (the
/// frame clamps the help; a message is clamped here, to what does not fit).
pub fn scroll(app: &mut App, dy: i32) {
    match &app.overlay {
        Some(Overlay::Help) => {
            let lines = 2 * keymap::help(Context::On(app.screen)).len() as i32;
            app.help_scroll = (i32::from(app.help_scroll) + dy).clamp(0, lines) as u16;
        }
        Some(Overlay::Message(m)) => {
            let most = message_hidden(app, &m.lines);
            if let Some(Overlay::Message(m)) = app.overlay.as_mut() {
                m.scroll = (i32::from(m.scroll) + dy).clamp(0, i32::from(most)) as u16;
            }
        }
        _ => {}
    }
}

/// The keys that scroll a dialog and close it, for its title: "↑↓ scroll · any other key
/// closes".
fn scroll_hint(ctx: Context) -> String {
    format!(
        "{}{} scroll · {} closes",
        keymap::key(ctx, Do::Up),
        keymap::key(ctx, Do::Down),
        keymap::key(ctx, Do::Cancel)
    )
}

/// "any key" when a dialog has no other key to tell apart.
fn any_key(ctx: Context) -> String {
    keymap::key(ctx, Do::Cancel).replace("other ", "")
}

fn help(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let ctx = Context::On(app.screen);
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
        format!(" keys — {} ", scroll_hint(Context::Help))
    } else {
        format!(" keys — {} closes ", any_key(Context::Help))
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

fn input(
    f: &mut Frame,
    area: Rect,
    purpose: InputPurpose,
    line: &LineInput,
    (unit, after): (&str, &str),
    t: &Theme,
) {
    let (enter, esc) = (
        keymap::key(Context::Editor, Do::Select),
        keymap::key(Context::Editor, Do::Cancel),
    );
    let title = match purpose {
        InputPurpose::OpenPath => {
            format!(" open an assessment file — {enter} open · {esc} cancel ")
        }
        InputPurpose::Value if !unit.is_empty() => {
            format!(" value ({unit}) — {enter} save · {esc} cancel ")
        }
        InputPurpose::Value => format!(" value — {enter} save · {esc} cancel "),
        InputPurpose::Filter => format!(" filter — {enter} keep · {esc} clear "),
        InputPurpose::DecisionFilter => {
            format!(" filter decisions by title or owner — {enter} keep · {esc} clear ")
        }
        InputPurpose::SnapshotLabel => format!(" snapshot label — {enter} take · {esc} cancel "),
        InputPurpose::DecisionOwner => {
            format!(" owner (team or person) — {enter} save · {esc} cancel ")
        }
        InputPurpose::SaveAs => format!(" save as (a new file) — {enter} save · {esc} cancel "),
        InputPurpose::DecisionPriority => {
            format!(" priority 0–1000, then why: \"40 board asked for it\" — {enter} save ")
        }
    };
    let rect = centered(area, 70, 3);
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, t.title()));
    let inner = block.inner(rect);
    let mut text = vec![Span::raw(safe(&line.text))];
    if !after.is_empty() {
        text.push(Span::styled(format!(" {after}"), t.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(text)).block(block), rect);
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
fn message_hidden(app: &App, lines: &[String]) -> u16 {
    let main = widgets::main_area(app.size);
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
        format!(" {title} — {} ", scroll_hint(Context::Message))
    } else {
        format!(" {title} — {} closes ", any_key(Context::Message))
    };
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.bad())
        .title(Span::styled(title, t.title()));
    f.render_widget(para.block(block).scroll((scroll.min(hidden), 0)), rect);
}

/// The note editor's width on a terminal of `size`, and the columns its text wraps at: shared
/// by drawing and by ↑ ↓, which move by the rows drawn.
const NOTE_WIDTH: u16 = 76;

pub fn note_columns(size: (u16, u16)) -> usize {
    usize::from(
        widgets::main_area(size)
            .width
            .min(NOTE_WIDTH)
            .saturating_sub(2),
    )
    .max(1)
}

/// The note editor: the text wrapped at the box's width, all of it when it fits (the box
/// grows to the terminal), else the rows around the cursor. Only the lines around the cursor
/// are wrapped, so a frame's cost grows with the cursor's line, not with the note (a note of
/// many lines costs what a short one does; a 100 KB single line, pasted, costs a walk over it).
fn note(f: &mut Frame, area: Rect, ta: &TextArea, title: &str, t: &Theme) {
    let width = usize::from(area.width.min(NOTE_WIDTH).saturating_sub(2)).max(1);
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    // The rows of the lines around the cursor: back from it until a box's worth, then on.
    let (row, col) = ta.cursor;
    let cursor_starts = line::wrap_starts(&ta.lines[row], width);
    let (cursor_row, cursor_col) = line::wrapped_at(&cursor_starts, col);
    let rows_of = |i: usize| line::wrap_starts(&ta.lines[i], width);
    let mut first = row;
    let mut above = cursor_row;
    while first > 0 && above < room {
        first -= 1;
        above += rows_of(first).len();
    }
    // (line, start, end) of each row from `first` on, up to a box's worth past the cursor.
    let mut rows: Vec<(usize, usize, usize)> = Vec::new();
    let mut cursor_at = 0;
    for (i, text) in ta.lines.iter().enumerate().skip(first) {
        let starts = if i == row {
            cursor_starts.clone()
        } else {
            rows_of(i)
        };
        let len = text.chars().count();
        for (r, &s) in starts.iter().enumerate() {
            if i == row && r == cursor_row {
                cursor_at = rows.len();
            }
            rows.push((i, s, starts.get(r + 1).copied().unwrap_or(len)));
        }
        if i > row && rows.len() > cursor_at + room {
            break;
        }
    }
    let wanted = u16::try_from(rows.len().saturating_add(2)).unwrap_or(u16::MAX);
    let rect = centered(area, NOTE_WIDTH, wanted.max(6).min(area.height));
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title.to_string(), t.title()));
    let inner = block.inner(rect);
    let height = usize::from(inner.height).max(1);
    // Scrolled so the cursor's row is in view; from the top when everything fits.
    let top = cursor_at.saturating_sub(height - 1);
    let lines: Vec<Line> = rows
        .iter()
        .skip(top)
        .take(height)
        .map(|&(i, s, e)| {
            let l = &ta.lines[i];
            Line::raw(safe(&l[line::byte_at(l, s)..line::byte_at(l, e)]))
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(block), rect);
    let x = inner.x
        + u16::try_from(cursor_col)
            .unwrap_or(0)
            .min(inner.width.saturating_sub(1));
    let y = inner.y
        + u16::try_from(cursor_at - top)
            .unwrap_or(0)
            .min(inner.height.saturating_sub(1));
    f.set_cursor_position((x, y));
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
    ];
    choices(
        f,
        area,
        " the file changed on disk ",
        lines,
        Context::Conflict,
        t,
    );
}

/// The dialog when quitting with a change that could not be written.
fn unsaved(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let (name, why) = app.session.as_ref().map_or_else(Default::default, |s| {
        (
            s.path.display().to_string(),
            s.save_error.clone().unwrap_or_default(),
        )
    });
    let lines = vec![
        Line::styled(
            format!("Changes to {} are not on disk.", safe(&name)),
            t.warn(),
        ),
        Line::raw(safe(&why)),
        Line::raw(""),
    ];
    choices(f, area, " not saved ", lines, Context::Unsaved, t);
}

/// A dialog: what happened, then each choice from the binding table — a key and what it
/// does (a second key in brackets) — in a box tall enough for every line as wrapped, so
/// the last choice is never cut off.
fn choices(
    f: &mut Frame,
    area: Rect,
    title: &str,
    mut lines: Vec<Line<'static>>,
    ctx: Context,
    t: &Theme,
) {
    for b in keymap::bindings(ctx) {
        let mut text = b.help.to_string();
        if let Some(other) = b.keys.get(1) {
            text = format!("{text} ({})", other.label());
        }
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", b.keys[0].label()), t.key()),
            Span::raw(text),
        ]));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title.to_string(), t.bad()));
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let width = area.width.min(78);
    let rect = centered(
        area,
        width,
        para.line_count(width.saturating_sub(2)) as u16 + 2,
    );
    f.render_widget(Clear, rect);
    f.render_widget(para.block(block), rect);
}

//! A form: labelled fields of a few kinds (a line of text, one choice of a list, several
//! choices, yes/no), edited in an overlay. `Tab`/`↓` and `Shift-Tab`/`↑` move between
//! fields, `←`/`→` move the text cursor or the choice, `space` toggles, `Enter` submits and
//! `Esc` cancels. The form knows nothing of what it edits: its owner reads the fields back by
//! key when it is submitted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use crate::text::safe;
use crate::tui::action::Action;
use crate::tui::action::Do;
use crate::tui::keymap::{self, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::MIN_VALUE;
use crate::tui::widgets::line::{self, LineInput};

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text(LineInput),
    /// One of the options (id, label).
    Choice {
        options: Vec<(String, String)>,
        selected: usize,
    },
    /// Any of the options (id, label); the cursor is the option `space` toggles.
    Multi {
        options: Vec<(String, String)>,
        chosen: Vec<bool>,
        cursor: usize,
    },
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    /// Shown under the form while the field has the focus.
    pub help: &'static str,
    /// Shown, dimmed, in an empty text field: what leaving it empty gives.
    pub placeholder: String,
    /// Whether the user changed the value since the form opened (an owner may fill in a field
    /// the user has left alone, never one they chose).
    pub touched: bool,
}

impl Field {
    pub fn text(key: &'static str, label: &'static str, value: &str, help: &'static str) -> Self {
        Field {
            key,
            label,
            kind: FieldKind::Text(LineInput::with(value)),
            help,
            placeholder: String::new(),
            touched: false,
        }
    }

    pub fn choice(
        key: &'static str,
        label: &'static str,
        options: Vec<(String, String)>,
        current: &str,
        help: &'static str,
    ) -> Self {
        let selected = options
            .iter()
            .position(|(id, _)| id == current)
            .unwrap_or(0);
        Field {
            key,
            label,
            kind: FieldKind::Choice { options, selected },
            help,
            placeholder: String::new(),
            touched: false,
        }
    }

    pub fn multi(
        key: &'static str,
        label: &'static str,
        options: Vec<(String, String)>,
        current: &[String],
        help: &'static str,
    ) -> Self {
        let chosen = options.iter().map(|(id, _)| current.contains(id)).collect();
        Field {
            key,
            label,
            kind: FieldKind::Multi {
                options,
                chosen,
                cursor: 0,
            },
            help,
            placeholder: String::new(),
            touched: false,
        }
    }

    pub fn boolean(
        key: &'static str,
        label: &'static str,
        value: bool,
        help: &'static str,
    ) -> Self {
        Field {
            key,
            label,
            kind: FieldKind::Bool(value),
            help,
            placeholder: String::new(),
            touched: false,
        }
    }
}

/// What a form is for: its owner decides what submitting it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    AddSystem,
    EditSystem(String),
    AddFlow,
    EditFlow(String),
    /// A pain point (`false`) or an initiative (`true`); `None` adds one.
    Note {
        initiative: bool,
        id: Option<String>,
    },
    /// CSV files to import into the open assessment.
    Import,
    /// Who is speaking in the interview (and a respondent to add).
    Speaker,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub purpose: FormPurpose,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was refused.
    pub error: String,
}

impl Form {
    pub fn new(purpose: FormPurpose, title: impl Into<String>, fields: Vec<Field>) -> Self {
        Form {
            purpose,
            title: title.into(),
            fields,
            focus: 0,
            error: String::new(),
        }
    }

    fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// A text field's value, trimmed; empty when there is no such field.
    pub fn text(&self, key: &str) -> String {
        match self.field(key).map(|f| &f.kind) {
            Some(FieldKind::Text(l)) => l.text.trim().to_string(),
            _ => String::new(),
        }
    }

    /// A choice field's chosen id.
    pub fn choice(&self, key: &str) -> String {
        match self.field(key).map(|f| &f.kind) {
            Some(FieldKind::Choice { options, selected }) => options
                .get(*selected)
                .map(|(id, _)| id.clone())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// A multi field's chosen ids, in the options' order.
    pub fn chosen(&self, key: &str) -> Vec<String> {
        match self.field(key).map(|f| &f.kind) {
            Some(FieldKind::Multi {
                options, chosen, ..
            }) => options
                .iter()
                .zip(chosen)
                .filter(|(_, c)| **c)
                .map(|((id, _), _)| id.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(
            self.field(key).map(|f| &f.kind),
            Some(FieldKind::Bool(true))
        )
    }

    /// Sets what an empty text field shows (the id a name would give).
    pub fn set_placeholder(&mut self, key: &str, value: String) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.placeholder = value;
        }
    }

    /// Whether the user changed the field since the form opened.
    pub fn touched(&self, key: &str) -> bool {
        self.field(key).is_some_and(|f| f.touched)
    }

    /// Chooses the option `id` of a choice field, as the form's owner (not the user) would:
    /// the field stays untouched. Nothing changes when there is no such option.
    pub fn set_choice(&mut self, key: &str, id: &str) {
        if let Some(Field {
            kind: FieldKind::Choice { options, selected },
            ..
        }) = self.fields.iter_mut().find(|f| f.key == key)
            && let Some(i) = options.iter().position(|(x, _)| x == id)
        {
            *selected = i;
        }
    }

    /// Sets a text field.
    pub fn set_text(&mut self, key: &str, value: &str) {
        if let Some(Field {
            kind: FieldKind::Text(l),
            ..
        }) = self.fields.iter_mut().find(|f| f.key == key)
        {
            *l = LineInput::with(value);
        }
    }
}

/// What an edit did to the form: keep it open, submit it, or cancel it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Open,
    Submit,
    Cancel,
}

/// Applies one editing action to the form.
pub fn edit(form: &mut Form, action: Action) -> Outcome {
    let n = form.fields.len();
    let move_focus = |form: &mut Form, d: i32| {
        form.focus = (form.focus as i32 + d).rem_euclid(n.max(1) as i32) as usize;
    };
    match action {
        Action::Do(Do::Cancel, _) => return Outcome::Cancel,
        Action::Do(Do::Select, _) => return Outcome::Submit,
        Action::Field(d) => move_focus(form, d),
        Action::Cursor(0, dy) => move_focus(form, dy),
        other => {
            let Some(field) = form.fields.get_mut(form.focus) else {
                return Outcome::Open;
            };
            // Whether the value changed (a cursor moving through a text or a list does not).
            let changed = match (&mut field.kind, other) {
                (FieldKind::Text(l), a) => {
                    let before = l.text.clone();
                    crate::tui::widgets::line::line_edit(l, a);
                    l.text != before
                }
                (FieldKind::Choice { options, selected }, Action::Cursor(dx, _)) => {
                    let len = options.len().max(1) as i32;
                    let before = *selected;
                    *selected = (*selected as i32 + dx).rem_euclid(len) as usize;
                    *selected != before
                }
                (FieldKind::Choice { options, selected }, Action::Insert(' ')) => {
                    let before = *selected;
                    *selected = (*selected + 1) % options.len().max(1);
                    *selected != before
                }
                (
                    FieldKind::Multi {
                        options, cursor, ..
                    },
                    Action::Cursor(dx, _),
                ) => {
                    let len = options.len().max(1) as i32;
                    *cursor = (*cursor as i32 + dx).rem_euclid(len) as usize;
                    false
                }
                (FieldKind::Multi { chosen, cursor, .. }, Action::Insert(' ')) => {
                    chosen.get_mut(*cursor).map(|c| *c = !*c).is_some()
                }
                (FieldKind::Bool(b), Action::Insert(' ') | Action::Cursor(..)) => {
                    *b = !*b;
                    true
                }
                _ => false,
            };
            field.touched |= changed;
        }
    }
    Outcome::Open
}

/// Where a text field's cursor is drawn, from the field's first row: on a row and column of
/// its value wrapped with a hanging indent, or (a form too narrow for that) a column of the
/// one line the paragraph wraps.
enum Cursor {
    Row(usize, usize),
    Run(usize),
}

/// The form, centred over `area`: one line per field (a multi field's options wrap), the
/// focused field's help and the last error at the bottom.
pub fn draw(f: &mut Frame, area: Rect, form: &Form, t: &Theme) {
    let width = area.width.min(100);
    let label_w = form
        .fields
        .iter()
        .map(|x| x.label.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let inner_w = width.saturating_sub(2);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    let mut focus_line = 0;
    let mut focus_end = None;
    // The line of a focused multi field that holds the option under its cursor.
    let mut option_line = None;
    for (i, field) in form.fields.iter().enumerate() {
        if i == form.focus + 1 {
            focus_end = Some(lines.len());
        }
        let focus = i == form.focus;
        if focus {
            focus_line = lines.len();
        }
        let label = Span::styled(
            format!("{:>w$} ", field.label, w = label_w),
            if focus { t.title() } else { t.dim() },
        );
        match &field.kind {
            FieldKind::Text(l) => {
                let placeholder = l.text.is_empty() && !field.placeholder.is_empty();
                let value = if placeholder {
                    Span::styled(safe(&field.placeholder), t.dim())
                } else {
                    Span::raw(safe(&l.text))
                };
                // A long value wraps under itself, not under the labels; the cursor is on the
                // row and column the wrapping put it.
                let room = usize::from(inner_w).saturating_sub(label_w + 1);
                if focus {
                    cursor = Some(if room >= MIN_VALUE {
                        let text = if placeholder { "" } else { l.text.as_str() };
                        let starts = line::wrap_starts(text, room);
                        let (r, c) = line::wrapped_at(&starts, l.cursor);
                        Cursor::Row(r, label_w + 1 + c)
                    } else {
                        Cursor::Run(label_w + 1 + l.cursor)
                    });
                }
                lines.extend(super::hanging(label, value, usize::from(inner_w)));
            }
            FieldKind::Choice { options, selected } => {
                let (_, text) = options.get(*selected).cloned().unwrap_or_default();
                let arrows = if focus { "‹ › " } else { "" };
                lines.push(Line::from(vec![
                    label,
                    Span::styled(arrows, t.key()),
                    Span::styled(safe(&text), if focus { t.selected() } else { t.chosen() }),
                ]));
            }
            FieldKind::Multi {
                options,
                chosen,
                cursor: c,
            } => {
                // The options run on under the values, never under the labels, and a box
                // stays with its option: a line is full when the next whole option would not
                // fit (one wider than the form still wraps, as any line does).
                let indent = label_w + 1;
                let room = usize::from(width.saturating_sub(2));
                let mut spans = vec![label];
                let mut used = indent;
                for (k, ((_, text), on)) in options.iter().zip(chosen).enumerate() {
                    let mark = if *on { "■" } else { "□" };
                    let style = if focus && k == *c {
                        t.selected()
                    } else if *on {
                        t.chosen()
                    } else {
                        t.dim()
                    };
                    let item = format!("{mark} {}", safe(text));
                    let w = item.width();
                    if used > indent && used + 2 + w > room {
                        lines.push(Line::from(std::mem::take(&mut spans)));
                        spans.push(Span::raw(" ".repeat(indent)));
                        used = indent;
                    }
                    if used > indent {
                        spans.push(Span::raw("  "));
                        used += 2;
                    }
                    if focus && k == *c {
                        option_line = Some(lines.len());
                    }
                    spans.push(Span::styled(item, style));
                    used += w;
                }
                if options.is_empty() {
                    spans.push(Span::styled("(none to choose from)", t.dim()));
                }
                lines.push(Line::from(spans));
            }
            FieldKind::Bool(b) => {
                lines.push(Line::from(vec![
                    label,
                    Span::styled(
                        if *b { "■ yes" } else { "□ no" },
                        if focus { t.selected() } else { t.chosen() },
                    ),
                ]));
            }
        }
    }
    let help = form.fields.get(form.focus).map_or("", |x| x.help);
    let mut foot = vec![Line::raw("")];
    if !help.is_empty() {
        foot.push(Line::styled(help.to_string(), t.dim()));
    }
    if !form.error.is_empty() {
        foot.push(Line::styled(safe(&form.error), t.bad()));
    }
    let k = |d| keymap::key(Context::Editor, d);
    // Space is typed, not bound: in a choice it toggles the option.
    foot.push(Line::styled(
        format!(
            "{}/{}{} field · {}{} choose · space toggle · {} save · {} cancel",
            k(Do::NextField),
            k(Do::Up),
            k(Do::Down),
            k(Do::Left),
            k(Do::Right),
            k(Do::Select),
            k(Do::Cancel)
        ),
        t.dim(),
    ));
    let body = Paragraph::new(lines.clone()).wrap(Wrap { trim: false });
    let body_rows = body.line_count(inner_w) as u16;
    let foot_para = Paragraph::new(foot).wrap(Wrap { trim: false });
    let foot_rows = foot_para.line_count(inner_w) as u16;
    let height = (body_rows + foot_rows + 2).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.title())
        .title(Span::styled(format!(" {} ", safe(&form.title)), t.title()));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let room = inner.height.saturating_sub(foot_rows.min(inner.height / 2));
    // Keep the focused field in view — all its rows when they fit (a multi field's options
    // run on over several), else its first row, and always the option under the cursor:
    // scroll by the wrapped rows above it.
    let rows_of = |to: usize| {
        Paragraph::new(lines[..to.min(lines.len())].to_vec())
            .wrap(Wrap { trim: false })
            .line_count(inner_w) as u16
    };
    let above = rows_of(focus_line);
    let through = rows_of(focus_end.unwrap_or(lines.len())).max(above + 1);
    let scroll = through
        .saturating_sub(room)
        .min(above)
        .max(option_line.map_or(0, |l| rows_of(l + 1).saturating_sub(room)));
    let body_rect = Rect {
        height: room,
        ..inner
    };
    f.render_widget(body.scroll((scroll, 0)), body_rect);
    let foot_rect = Rect {
        y: inner.y + room,
        height: inner.height - room,
        ..inner
    };
    f.render_widget(foot_para, foot_rect);
    // The cursor: the wrapped rows above the field, then where in its (wrapped) value.
    if let Some(at) = cursor {
        let w = usize::from(inner_w.max(1));
        let (row, col) = match at {
            Cursor::Row(r, c) => (r, c.min(w - 1)),
            Cursor::Run(c) => (c / w, c % w),
        };
        let row = above + row as u16;
        if row >= scroll && inner.y + (row - scroll) < inner.y + room {
            f.set_cursor_position((inner.x + col as u16, inner.y + row - scroll));
        }
    }
}

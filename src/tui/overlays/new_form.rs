//! The new-assessment form, over the home screen: the client's name, a title, a profile.

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::model::Assessment;
use crate::text::safe;
use crate::tui::action::{Action, Do};
use crate::tui::keymap::{self, Context};
use crate::tui::state::{App, Effect, Overlay};
use crate::tui::theme::Theme;
use crate::tui::widgets::centered;
use crate::tui::widgets::line::{self, LineInput};

/// The new-assessment form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewForm {
    /// 0 client, 1 title, 2 profile.
    pub field: usize,
    pub client: LineInput,
    pub title: LineInput,
    /// Index into the content's profiles.
    pub profile: usize,
}

/// Edits the new-assessment form. `None`: cancelled. `Some(Ok(Some(a)))`: create `a`.
fn edit(
    form: &mut NewForm,
    action: Action,
    profiles: usize,
    now: DateTime<FixedOffset>,
) -> Option<Result<Option<Assessment>, &'static str>> {
    match (form.field, action) {
        (_, Action::Do(Do::Cancel, _)) => return None,
        (_, Action::Field(d)) => form.field = (form.field as i32 + d).rem_euclid(3) as usize,
        (2, Action::Cursor(_, dy)) => {
            form.profile = (form.profile as i64 + i64::from(dy))
                .clamp(0, profiles.saturating_sub(1) as i64) as usize;
        }
        (_, Action::Do(Do::Select, _))
            if form.field == 2 || !form.client.text.trim().is_empty() =>
        {
            if form.field < 2 {
                form.field += 1;
                return Some(Ok(None));
            }
            let client = form.client.text.trim().to_string();
            if client.is_empty() {
                form.field = 0;
                return Some(Err("the client's name comes first"));
            }
            let title = match form.title.text.trim() {
                "" => format!("{client} assessment"),
                t => t.to_string(),
            };
            // The profile is set from the form's index by the caller.
            return Some(Ok(Some(Assessment::new(
                client,
                title,
                String::new(),
                String::new(),
                now,
            ))));
        }
        (0 | 1, Action::Do(Do::Select, _)) => return Some(Err("the client's name comes first")),
        (0 | 1, a) => {
            let line = if form.field == 0 {
                &mut form.client
            } else {
                &mut form.title
            };
            line::line_edit(line, a);
        }
        _ => {}
    }
    Some(Ok(None))
}

/// The form over the home screen: client, title, and the profile to assess with.
pub fn draw(f: &mut Frame, area: Rect, app: &App, form: &NewForm, t: &Theme) {
    let profiles = &app.content.profiles;
    // Tall enough for the chosen profile's description in full, wrapped.
    let about = profiles.get(form.profile).map_or(0, |p| {
        Paragraph::new(safe(&crate::text::reflow(&p.description)))
            .wrap(Wrap { trim: false })
            .line_count(area.width.min(76).saturating_sub(2)) as u16
    });
    let rect = centered(
        area,
        76,
        (6 + profiles.len() as u16 + about.max(1)).min(area.height),
    );
    f.render_widget(Clear, rect);
    let k = |d| keymap::key(Context::Editor, d);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " new assessment — {} next field · {} next / create · {} cancel ",
            k(Do::NextField),
            k(Do::Select),
            k(Do::Cancel)
        ),
        t.title(),
    ));
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let label = |i: usize, name: &str| {
        Span::styled(
            format!("{name:>8}: "),
            if form.field == i { t.key() } else { t.dim() },
        )
    };
    let mut lines = vec![
        Line::from(vec![label(0, "client"), Span::raw(safe(&form.client.text))]),
        Line::from(vec![
            label(1, "title"),
            Span::raw(safe(&form.title.text)),
            Span::styled(
                if form.title.text.is_empty() {
                    "  (default: <client> assessment)"
                } else {
                    ""
                },
                t.dim(),
            ),
        ]),
        Line::from(vec![
            label(2, "profile"),
            Span::styled("↑/↓ to choose", t.dim()),
        ]),
    ];
    for (i, p) in profiles.iter().enumerate() {
        let style = if i == form.profile {
            t.selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            format!("   {} — {}", p.id, safe(&p.title)),
            style,
        ));
    }
    if let Some(p) = profiles.get(form.profile) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            safe(&crate::text::reflow(&p.description)),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    if form.field < 2 {
        let line = if form.field == 0 {
            &form.client
        } else {
            &form.title
        };
        let x = inner.x + 10 + (line.cursor as u16).min(inner.width.saturating_sub(11));
        f.set_cursor_position((x, inner.y + form.field as u16));
    }
}

/// A key in the open form: edit it, cancel it, or create the assessment (the loop writes it
/// under a name made from the client, and opens it).
pub fn update(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let Some(Overlay::New(form)) = app.overlay.as_mut() else {
        return Vec::new();
    };
    let result = edit(form, action, app.content.profiles.len(), now);
    let profile = app.content.profiles.get(form.profile).map(|p| p.id.clone());
    match result {
        None => {
            app.overlay = None;
            Vec::new()
        }
        Some(Ok(Some(mut created))) => {
            created.engagement.profile = profile.unwrap_or_default();
            app.overlay = None;
            vec![Effect::Create(Box::new(created))]
        }
        Some(Ok(None)) => Vec::new(),
        Some(Err(msg)) => {
            app.status = msg.into();
            Vec::new()
        }
    }
}

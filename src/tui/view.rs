//! The frame: the screen in focus, the status line below it, and the open overlay on top.
//! Drawing is a pure function of `&App`: nothing here changes state or computes a score; the
//! numbers come from the engine's evaluation in the session, and each screen draws itself
//! (`screens::*::draw`).
//!
//! ```text
//! ┌ title of the screen ─────────────────────────────────────────────────────┐
//! │                                                                          │
//! │   the screen in focus: home, interview, inventory, ownership, results,   │
//! │   decisions, vendors, map or snapshots                                   │
//! │                    ┌ overlay (help, palette, a field, a form, ┐          │
//! │                    │ a note, a message, a dialog) on top      │          │
//! │                    └──────────────────────────────────────────┘          │
//! └──────────────────────── Tab Interview · Inventory · … · Snapshots ───────┘
//!  status: file · READ-ONLY · N merge conflicts to settle — press M · message ·
//!          N answered · N unknown · N left · saved hh:mm:ss · N to ask            ? help
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::Do;
use super::keymap::{self, Context};
use super::overlays;
use super::screens;
use super::state::{App, Screen};
use super::theme::Theme;
use super::widgets::split_status;
use crate::text::safe;

/// Draws one frame of the UI.
pub fn draw(f: &mut Frame, app: &App) {
    let theme = Theme::new(app.no_color);
    let (main, status) = split_status(f.area());
    match app.screen {
        Screen::Home => screens::home::draw(f, main, app, &theme),
        Screen::Interview => screens::interview::draw(f, main, app, &theme),
        Screen::Inventory => screens::inventory::draw(f, main, app, &theme),
        Screen::Ownership => screens::ownership::draw(f, main, app, &theme),
        Screen::Results => screens::results::draw(f, main, app, &theme),
        Screen::Decisions => screens::decisions::draw(f, main, app, &theme),
        Screen::Vendors => screens::vendors::draw(f, main, app, &theme),
        Screen::Map => screens::map::draw(f, main, app, &theme),
        Screen::Snapshots => screens::snapshots::draw(f, main, app, &theme),
    }
    status_bar(f, status, app, &theme);
    overlays::draw(f, main, app, &theme);
}

fn status_bar(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    // The message (an error, a result, a hint) comes right after the file name, so a narrow
    // terminal cuts the counts, not the one thing the user needs to read.
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = &app.session {
        parts.push(
            s.path
                .file_name()
                .map_or_else(String::new, |n| safe(&n.to_string_lossy())),
        );
        if s.read_only {
            parts.push("READ-ONLY".into());
        }
        // Until a save lands, every frame says the file is behind: a passing message would
        // be easy to miss.
        if s.unsaved {
            parts.push("NOT SAVED".into());
        }
        // Who answers taken now belong to, once there are respondents to choose from.
        if s.speaker.is_some() || !s.assessment.respondents.is_empty() {
            let who: String = crate::tui::voices::speaker_label(s)
                .chars()
                .take(20)
                .collect();
            parts.push(format!("speaking: {}", safe(&who)));
        }
    }
    // Conflicts a merge left: said on every frame until the last is settled, before the
    // message, so a narrow terminal keeps it.
    let merge = app
        .session
        .as_ref()
        .map(|s| s.assessment.conflicts.len())
        .filter(|&n| n > 0)
        .map(overlays::merge::notice);
    if let Some(m) = &merge {
        parts.push(m.clone());
    }
    if !app.status.is_empty() {
        parts.push(safe(&app.status));
    }
    if let Some(s) = &app.session {
        // An unknown is dealt with (asked; nobody knew), so it is counted apart from what is
        // left to ask; the open questions below list it again, to find out later.
        parts.push(s.progress(|_| true).label());
    }
    if let Some(at) = &app.saved_at {
        parts.push(format!("saved {at}"));
    }
    // What is not known yet, apart from the decisions (the Decisions screen lists them under
    // "what to ask next"). Last, so a narrow terminal cuts it before the time of the save.
    if let Some(s) = &app.session {
        parts.push(format!("{} to ask", s.eval.open_questions.len()));
    }
    let left = format!(" {}", parts.join(" · "));
    let right = format!("{} help ", keymap::key(Context::Global, Do::Help));
    let width = area.width as usize;
    let room = width.saturating_sub(right.chars().count());
    // Never run into "? help": what does not fit ends in "…" with a space before the key.
    let mut l: String = if left.chars().count() + 1 > room {
        let mut cut: String = left.chars().take(room.saturating_sub(2)).collect();
        cut.push('…');
        cut
    } else {
        left
    };
    let pad = room.saturating_sub(l.chars().count());
    l.push_str(&" ".repeat(pad));
    l.push_str(&right);
    // The merge notice stands out from the rest of the line.
    let line = match merge
        .as_deref()
        .and_then(|m| l.find(m).map(|at| (at, m.len())))
    {
        Some((at, len)) => Line::from(vec![
            Span::styled(l[..at].to_string(), t.status()),
            Span::styled(l[at..at + len].to_string(), t.status_alert()),
            Span::styled(l[at + len..].to_string(), t.status()),
        ]),
        None => Line::styled(l, t.status()),
    };
    f.render_widget(Paragraph::new(line), area);
}

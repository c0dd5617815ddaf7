//! The home screen: start a new assessment, open the demo, a recent assessment or a file.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::text::safe;
use crate::tui::action::{Action, Do};
use crate::tui::keymap::{self, Context};
use crate::tui::overlays::new_form::NewForm;
use crate::tui::state::{App, Effect, InputPurpose, Overlay, Screen};
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, line::LineInput};

/// An entry on the home screen.
#[derive(Debug, Clone, PartialEq)]
pub enum HomeEntry {
    /// Start a new assessment: client, title, profile.
    New,
    /// Open the demo engagement (written to the data dir the first time).
    Demo,
    /// An assessment found in the data dir.
    Recent(RecentFile),
    /// Type a path to open.
    OpenFile,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecentFile {
    pub path: PathBuf,
    pub client: String,
    pub profile: String,
    /// Last change, as recorded in the file (`[engagement] updated`), for display.
    pub updated: String,
    /// Answered applicable questions ÷ applicable questions.
    pub coverage: f64,
}

#[derive(Debug, Clone, Default)]
pub struct HomeState {
    pub recent: Vec<RecentFile>,
    pub selected: usize,
    /// `/` narrows the recent assessments to those whose client, profile or path contain it.
    pub filter: String,
}

impl HomeState {
    pub fn entries(&self) -> Vec<HomeEntry> {
        let mut v = vec![HomeEntry::New, HomeEntry::Demo];
        let needle = self.filter.to_lowercase();
        v.extend(
            self.recent
                .iter()
                .filter(|r| {
                    needle.is_empty()
                        || r.client.to_lowercase().contains(&needle)
                        || r.profile.to_lowercase().contains(&needle)
                        || r.path.to_string_lossy().to_lowercase().contains(&needle)
                })
                .cloned()
                .map(HomeEntry::Recent),
        );
        v.push(HomeEntry::OpenFile);
        v
    }
}

/// The home list's rows: for each entry, the line it is drawn on inside the frame's border
/// (the mouse reads this too, so clicks land where the eye does).
pub fn home_rows(app: &App) -> Vec<(HomeEntry, u16)> {
    let mut row = 3; // border, tagline, blank
    let mut out = Vec::new();
    for e in app.home.entries() {
        out.push((e.clone(), row));
        row += 1;
        if matches!(e, HomeEntry::Demo) && !app.home.recent.is_empty() {
            row += 1; // "Recent assessments"
        }
    }
    out
}

/// The home screen: what to open, the recent assessments, and the keys.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" stackmap ", t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = vec![
        Line::styled("A workbench for commerce-integration architects.", t.dim()),
        Line::raw(""),
    ];
    for (i, (e, _)) in home_rows(app).iter().enumerate() {
        let text = match e {
            HomeEntry::New => "New assessment…".to_string(),
            HomeEntry::Demo => {
                "Open the demo engagement (Northwind Outdoor, mid-replatform) — demo".to_string()
            }
            HomeEntry::Recent(r) => format!(
                "{}  ·  {}  ·  {}  ·  {} answered  ·  {}",
                safe(&r.client),
                safe(&r.profile),
                safe(&r.updated),
                widgets::percent(r.coverage),
                r.path.display()
            ),
            HomeEntry::OpenFile => "Open a file…".to_string(),
        };
        let style = if i == app.home.selected {
            t.selected()
        } else {
            Style::new()
        };
        lines.push(Line::styled(format!(" {text} "), style));
        if matches!(e, HomeEntry::Demo) && !app.home.recent.is_empty() {
            lines.push(Line::styled(" Recent assessments", t.dim()));
        }
    }
    lines.push(Line::raw(""));
    // The open file's merge conflicts, which `M` lists (from here too).
    if let Some(s) = &app.session
        && !s.assessment.conflicts.is_empty()
    {
        let name = s
            .path
            .file_name()
            .map_or_else(String::new, |n| safe(&n.to_string_lossy()));
        lines.push(Line::styled(
            format!(
                "{name}: {}",
                crate::tui::overlays::merge::notice(s.assessment.conflicts.len())
            ),
            t.warn(),
        ));
    }
    if !app.home.filter.is_empty() {
        lines.push(Line::styled(
            format!(
                "filtered by “{}” · {} to change",
                safe(&app.home.filter),
                keymap::key(Context::On(Screen::Home), Do::Filter)
            ),
            t.warn(),
        ));
    }
    let k = |d| keymap::key(Context::On(Screen::Home), d);
    lines.push(Line::styled(
        format!(
            "{}/{} select · {} open · {} filter · {} find · {} help · {} quit",
            k(Do::Up),
            k(Do::Down),
            k(Do::Select),
            k(Do::Filter),
            k(Do::Palette),
            k(Do::Help),
            k(Do::Quit)
        ),
        t.dim(),
    ));
    // Lines are not wrapped: each entry must stay on the row `home_rows` gives it.
    f.render_widget(Paragraph::new(lines), inner);
}

/// The home list: move, open an entry, filter the recent assessments.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let entries = app.home.entries();
    match action {
        Action::Do(Do::Up, _) => {
            app.home.selected = app.home.selected.saturating_sub(1);
            Vec::new()
        }
        Action::Do(Do::Down, _) => {
            app.home.selected = (app.home.selected + 1).min(entries.len() - 1);
            Vec::new()
        }
        Action::Click(i) => {
            app.home.selected = i.min(entries.len() - 1);
            update(app, Action::Do(Do::Select, None))
        }
        Action::Do(Do::Filter, _) => {
            app.overlay = Some(Overlay::Input(
                InputPurpose::Filter,
                LineInput::with(&app.home.filter),
            ));
            Vec::new()
        }
        Action::Do(Do::Select, _) => match entries.get(app.home.selected) {
            Some(HomeEntry::New) => {
                let profile = app
                    .content
                    .profiles
                    .iter()
                    .position(|p| p.id == "full-discovery")
                    .unwrap_or(0);
                app.overlay = Some(Overlay::New(NewForm {
                    profile,
                    ..NewForm::default()
                }));
                Vec::new()
            }
            Some(HomeEntry::Demo) => vec![Effect::OpenDemo],
            Some(HomeEntry::Recent(r)) => vec![Effect::Open(r.path.clone())],
            Some(HomeEntry::OpenFile) => {
                app.overlay = Some(Overlay::Input(InputPurpose::OpenPath, LineInput::default()));
                Vec::new()
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Enter in the home screen's fields: the filter is kept as typed, a path is opened.
pub fn submit(app: &mut App, purpose: InputPurpose, text: &str) -> Vec<Effect> {
    app.overlay = None;
    match purpose {
        InputPurpose::OpenPath => {
            let path = text.trim();
            if path.is_empty() {
                return Vec::new();
            }
            vec![Effect::Open(path.into())]
        }
        _ => Vec::new(),
    }
}

//! `update`: the dispatcher, and the only door through which the UI state changes. It hands
//! an action to whatever holds the keys — an overlay, else the screen in focus — and handles
//! what belongs to no screen: the loop's replies (opened, saved, failed, conflict), the
//! global keys (help, palette, snapshot, undo, quit, Tab). It does no I/O: what must touch
//! the disk comes back as `Effect`s, which the event loop performs before it reads the next
//! key, so a change is durable before the next key is handled.

use chrono::{DateTime, FixedOffset};

use super::action::{Action, Do};
use super::edit;
use super::jumps;
use super::keymap::{self, Context, context};
use super::overlays::{self, new_form};
use super::palette;
use super::screens::{self, Screens};
use super::state::{App, Effect, InputPurpose, Overlay, Screen};
use super::widgets::line::{self, LineInput};

/// Applies one action; returns what the loop must do. `now` stamps answers (`at`); the loop
/// passes the clock, tests pass a fixed time.
pub fn update(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let effects = dispatch(app, action, now);
    // The snapshot diff compares with the live assessment: after a change, compute it again.
    if app.screen == Screen::Snapshots {
        screens::snapshots::follow_edits(app);
    }
    effects
}

fn dispatch(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let ctx = context(app);
    let on_screen = matches!(ctx, Context::On(_));
    match action {
        Action::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Action::Opened(session) => {
            app.status = if session.read_only_on_disk {
                format!(
                    "{} is read-only on disk: opened read-only (chmod u+w it and reopen to edit)",
                    session.path.display()
                )
            } else if session.read_only {
                format!(
                    "{} is open in another stackmap: read-only here",
                    session.path.display()
                )
            } else {
                // The status bar names the file already: say where it is, so a long path
                // does not push the message off an 80-column line.
                match session.path.parent().map(|d| d.display().to_string()) {
                    Some(dir) if !dir.is_empty() => format!("opened from {dir}"),
                    _ => "opened from this folder".to_string(),
                }
            };
            app.session = Some(*session);
            app.screen = Screen::Interview;
            // A new file starts every screen afresh: no row, mark or view of the last one.
            app.screens = Screens::default();
            app.overlay = None;
            if let Some(s) = app.session.as_mut() {
                s.sync_option(&app.content);
            }
            // A file a merge left conflicts in opens on their list: they are not missed.
            overlays::merge::show_if_any(app);
            Vec::new()
        }
        Action::Saved(at) => {
            app.saved_at = Some(at);
            if let Some(s) = app.session.as_mut() {
                s.unsaved = false;
                s.save_error = None;
            }
            // A message from before the save no longer describes the state; one about this
            // change (what was saved, where the interview moved) does.
            app.status = app.after_save.take().unwrap_or_default();
            Vec::new()
        }
        Action::Failed(msg) | Action::Notice(msg) => {
            app.status = msg;
            Vec::new()
        }
        Action::Conflict => {
            app.after_save = None;
            if let Some(s) = app.session.as_mut() {
                s.unsaved = true;
            }
            app.overlay = Some(Overlay::Conflict);
            Vec::new()
        }
        Action::SaveFailed(msg) => {
            app.after_save = None;
            if let Some(s) = app.session.as_mut() {
                s.unsaved = true;
                s.save_error = Some(msg.clone());
            }
            app.status = msg;
            Vec::new()
        }
        Action::SavedAs(path, at) => {
            app.saved_at = Some(at);
            if let Some(s) = app.session.as_mut() {
                s.unsaved = false;
                s.save_error = None;
                s.path = path;
                app.status = format!("saved as {}: stackmap carries on there", s.path.display());
            }
            Vec::new()
        }
        Action::Paste(text) => overlays::paste(app, &text, now),
        Action::Resolve(r) => overlays::files::resolve(app, r),
        Action::Do(Do::Retry, _) if ctx == Context::Unsaved => {
            app.overlay = None;
            edit::save(app)
        }
        Action::Do(Do::SaveElsewhere, _) if ctx == Context::Unsaved => {
            let suggestion = app
                .session
                .as_ref()
                .map(|s| {
                    s.path
                        .with_extension("recovered.toml")
                        .display()
                        .to_string()
                })
                .unwrap_or_default();
            app.overlay = Some(Overlay::Input(
                InputPurpose::SaveAs,
                LineInput::with(&suggestion),
            ));
            Vec::new()
        }
        Action::Confirm(yes) => screens::inventory::confirm(app, yes),
        Action::ConfirmDirect => screens::inventory::confirm_direct(app),
        Action::ImportRead(files) => screens::inventory::imported(app, files),
        Action::SnapshotsListed(entries, skipped) => {
            screens::snapshots::listed(app, entries, skipped)
        }
        Action::Nothing => Vec::new(),
        Action::Idle => screens::interview::keep_draft(app),
        Action::Cursor(_, dy) if matches!(ctx, Context::Help | Context::Message) => {
            overlays::scroll(app, dy);
            Vec::new()
        }
        Action::Do(Do::Help, _) => {
            app.overlay = match app.overlay {
                Some(Overlay::Help) => None,
                _ => Some(Overlay::Help),
            };
            app.help_scroll = 0;
            Vec::new()
        }
        Action::Do(Do::Cancel, _) if ctx == Context::Message => {
            app.overlay = None;
            Vec::new()
        }
        // With a change not on disk, quitting asks what wins first; `q` in that dialog quits
        // without saving, deliberately.
        Action::Do(Do::Quit, _) if on_screen && app.session.as_ref().is_some_and(|s| s.unsaved) => {
            if app.session.as_ref().is_some_and(|s| s.save_error.is_some()) {
                app.overlay = Some(Overlay::Unsaved);
                app.status = "a change is not on disk: write it again, save it elsewhere, or quit without it".into();
            } else {
                app.overlay = Some(Overlay::Conflict);
                app.status = format!(
                    "a change is not saved: overwrite, reload, or {} to quit without it",
                    keymap::key(Context::Conflict, Do::Discard)
                );
            }
            Vec::new()
        }
        Action::Do(Do::Quit, _) if on_screen => vec![Effect::Quit],
        // `/` filters the home list; on the screens of an assessment it searches everything.
        Action::Do(d @ (Do::Palette | Do::Filter), _)
            if on_screen
                && (d == Do::Palette
                    || !matches!(app.screen, Screen::Home | Screen::Decisions)) =>
        {
            palette::open(app);
            Vec::new()
        }
        Action::Do(Do::Snapshot, _) if on_screen => overlays::files::ask_snapshot_label(app),
        Action::Do(Do::Undo, _) if on_screen => edit::undo(app),
        Action::Do(Do::MergeConflicts, _) if on_screen => overlays::merge::open(app),
        Action::Do(d @ (Do::JumpBack | Do::JumpForward), _) if on_screen => {
            if jumps::go(app, d == Do::JumpBack) {
                enter_screen(app)
            } else {
                Vec::new()
            }
        }
        Action::Do(d @ (Do::NextScreen | Do::PreviousScreen), _) if on_screen => {
            if app.session.is_some()
                && let Some(i) = Screen::TABS.iter().position(|s| *s == app.screen)
            {
                let n = Screen::TABS.len();
                let j = if d == Do::NextScreen {
                    i + 1
                } else {
                    i + n - 1
                };
                app.screen = Screen::TABS[j % n];
                return enter_screen(app);
            }
            Vec::new()
        }
        other => match ctx {
            Context::Editor => editor(app, other, now),
            Context::On(Screen::Home) => screens::home::update(app, other),
            Context::On(Screen::Interview) => screens::interview::update(app, other, now),
            Context::On(Screen::Inventory) => screens::inventory::update(app, other),
            Context::On(Screen::Ownership) => screens::ownership::update(app, other),
            Context::On(Screen::Results) => screens::results::update(app, other),
            Context::On(Screen::Decisions) => screens::decisions::update(app, other),
            Context::On(Screen::Vendors) => screens::vendors::update(app, other),
            Context::On(Screen::Map) => screens::map::update(app, other),
            Context::On(Screen::Snapshots) => screens::snapshots::update(app, other),
            Context::Merge => overlays::merge::update(app, other),
            Context::Global
            | Context::Help
            | Context::Message
            | Context::Confirm
            | Context::Conflict
            | Context::Unsaved => Vec::new(),
        },
    }
}

/// What arriving on a screen needs: the snapshots screen reads the snapshot folder afresh
/// (a snapshot may have been taken, by this or another program, since it was last shown).
pub fn enter_screen(app: &mut App) -> Vec<Effect> {
    match (&app.session, app.screen) {
        (Some(s), Screen::Snapshots) => vec![Effect::ListSnapshots(s.path.clone())],
        _ => Vec::new(),
    }
}

/// An action while an editor overlay is open: to the field, the palette, or the form, and
/// Enter to whichever screen asked for the text.
fn editor(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let columns = overlays::note_columns(app.size);
    match (&mut app.overlay, action) {
        (
            Some(Overlay::Input(_, field)),
            a @ (Action::Insert(_)
            | Action::Backspace
            | Action::Delete
            | Action::Cursor(..)
            | Action::LineEdge(_)
            | Action::Word(_)
            | Action::DeleteWord
            | Action::DeleteToStart),
        ) => {
            line::line_edit(field, a);
            filter_typed(app);
            Vec::new()
        }
        (Some(Overlay::Input(purpose, field)), Action::Do(Do::Select, _)) => {
            let (purpose, text) = (*purpose, field.text.clone());
            match purpose {
                InputPurpose::Filter | InputPurpose::OpenPath => {
                    screens::home::submit(app, purpose, &text)
                }
                InputPurpose::DecisionFilter => {
                    app.overlay = None;
                    Vec::new()
                }
                InputPurpose::Value => screens::interview::submit_value(app, &text, now),
                InputPurpose::DecisionOwner | InputPurpose::DecisionPriority => {
                    screens::decisions::submit(app, purpose, &text)
                }
                InputPurpose::SnapshotLabel => overlays::files::take_snapshot(app, &text),
                InputPurpose::SaveAs => overlays::files::save_as(app, &text),
            }
        }
        (Some(Overlay::Input(purpose, _)), Action::Do(Do::Cancel, _)) => {
            match purpose {
                InputPurpose::Filter => app.home.filter.clear(),
                InputPurpose::DecisionFilter => screens::decisions::set_filter(app, String::new()),
                _ => {}
            }
            app.overlay = None;
            Vec::new()
        }
        (Some(Overlay::Palette(p)), Action::Do(Do::Select, _)) => {
            let target = p.hits.get(p.selected).map(|h| h.item.target);
            app.overlay = None;
            go_to(app, target, now)
        }
        (Some(Overlay::Palette(_)), a) => {
            palette::update(app, a);
            Vec::new()
        }
        (Some(Overlay::New(_)), a) => new_form::update(app, a, now),
        (Some(Overlay::Form(_)), a) => screens::inventory::form_action(app, a),
        (Some(Overlay::Summary(area)), a) => match line::note_edit(area, a, columns) {
            Some(()) => Vec::new(),
            None => screens::inventory::summary_closed(app),
        },
        (Some(Overlay::Note(area)), a) => match line::note_edit(area, a, columns) {
            Some(()) => Vec::new(),
            None => {
                let Some(Overlay::Note(area)) = app.overlay.take() else {
                    return Vec::new();
                };
                screens::interview::note_closed(app, area.text(), now)
            }
        },
        _ => Vec::new(),
    }
}

/// Follows a palette hit to where it leads: a command, a decision, an inventory row, a
/// screen, a question.
fn go_to(
    app: &mut App,
    target: Option<palette::Target>,
    now: DateTime<FixedOffset>,
) -> Vec<Effect> {
    // A hit followed is a jump: Ctrl-o comes back (a question records its own, in `open`).
    let before = jumps::here(app);
    let effects = match target {
        Some(palette::Target::Do(d)) => return update(app, Action::Do(d, None), now),
        Some(palette::Target::Decision(lane, i)) => {
            screens::decisions::show(app, lane, i);
            Vec::new()
        }
        Some(palette::Target::Inventory(part, i)) => {
            screens::inventory::show(app, part, i);
            Vec::new()
        }
        Some(palette::Target::Screen(screen)) => {
            app.screen = screen;
            enter_screen(app)
        }
        Some(palette::Target::Goto(k)) => {
            screens::interview::open(app, k);
            return Vec::new();
        }
        None => Vec::new(),
    };
    jumps::jumped(app, before);
    effects
}

/// After an edit of a filter field: the list it narrows follows what is typed.
pub(crate) fn filter_typed(app: &mut App) {
    match &app.overlay {
        Some(Overlay::Input(InputPurpose::Filter, field)) => {
            app.home.filter = field.text.clone();
            app.home.selected = 0;
        }
        Some(Overlay::Input(InputPurpose::DecisionFilter, field)) => {
            let text = field.text.clone();
            screens::decisions::set_filter(app, text);
        }
        _ => {}
    }
}

//! `update`: the only place the UI state changes. It does no I/O: what must touch the disk
//! comes back as `Effect`s, which the event loop performs before it reads the next key, so a
//! change is durable before the next key is handled.

use chrono::{DateTime, FixedOffset};

use super::action::{Action, Resolution};
use super::keymap::{Context, Do, context};
use super::palette;
use super::state::*;
use crate::model::*;
use crate::validate::assessment::check_value;
use crate::vocab::{Confidence, DecisionStatus, Horizon, QuestionKind};

/// Applies one action; returns what the loop must do. `now` stamps answers (`at`); the loop
/// passes the clock, tests pass a fixed time.
pub fn update(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    match action {
        Action::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Action::Opened(session) => {
            app.status = if session.read_only {
                format!(
                    "{} is open in another stackmap: read-only here",
                    session.path.display()
                )
            } else {
                format!("opened {}", session.path.display())
            };
            app.session = Some(*session);
            app.screen = Screen::Interview;
            // A new file starts every screen afresh: no row, mark or view of the last one.
            app.snapshots = SnapshotsState::default();
            app.decisions = DecisionsState::default();
            app.ownership = OwnershipState::default();
            app.map = MapState::default();
            app.vendors = VendorsState::default();
            app.inventory = Default::default();
            app.results_top = 0;
            app.overlay = None;
            sync_option(app);
            Vec::new()
        }
        Action::Saved(at) => {
            app.saved_at = Some(at);
            if let Some(s) = app.session.as_mut() {
                s.unsaved = false;
            }
            // A message from before the save no longer describes the state.
            app.status.clear();
            Vec::new()
        }
        Action::Failed(msg) | Action::Notice(msg) => {
            app.status = msg;
            Vec::new()
        }
        Action::Conflict => {
            if let Some(s) = app.session.as_mut() {
                s.unsaved = true;
            }
            app.overlay = Some(Overlay::Conflict);
            Vec::new()
        }
        Action::Resolve(r) => {
            app.overlay = None;
            let Some(s) = app.session.as_ref() else {
                return Vec::new();
            };
            match r {
                Resolution::Overwrite => vec![Effect::Overwrite {
                    path: s.path.clone(),
                    text: crate::save::to_toml(&s.assessment),
                }],
                Resolution::Reload => vec![Effect::Open(s.path.clone())],
                Resolution::Discard => vec![Effect::Quit],
                Resolution::Keep => {
                    app.status =
                        "NOT SAVED: the file changed on disk; your next change asks again".into();
                    Vec::new()
                }
            }
        }
        Action::Nothing => Vec::new(),
        Action::Cursor(_, dy) if matches!(app.overlay, Some(Overlay::Help)) => {
            // The view clamps to what there is to scroll.
            let ctx = super::keymap::screen_context(app.screen);
            let lines = 2 * super::keymap::help(ctx).len() as i32;
            app.help_scroll = (i32::from(app.help_scroll) + dy).clamp(0, lines) as u16;
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
        // With a change not on disk, quitting asks what wins first; `q` in that dialog quits
        // without saving, deliberately.
        Action::Do(Do::Quit, _)
            if app.session.as_ref().is_some_and(|s| s.unsaved)
                && context(app) != Context::Editor =>
        {
            app.overlay = Some(Overlay::Conflict);
            app.status = "a change is not saved: overwrite, reload, or q to quit without it".into();
            Vec::new()
        }
        Action::Do(Do::Quit, _) if context(app) != Context::Editor => vec![Effect::Quit],
        // `/` filters the home list; on the screens of an assessment it searches everything.
        Action::Do(d @ (Do::Palette | Do::Filter), _)
            if context(app) != Context::Editor
                && (d == Do::Palette || app.screen != Screen::Home) =>
        {
            let hits = palette::rank(palette::items(app), "");
            app.overlay = Some(Overlay::Palette(PaletteState {
                hits,
                ..PaletteState::default()
            }));
            Vec::new()
        }
        Action::Do(Do::Snapshot, _) if context(app) != Context::Editor => {
            let Some(s) = app.session.as_ref() else {
                app.status = "open an assessment first: a snapshot freezes one".into();
                return Vec::new();
            };
            // A snapshot freezes the file; with a change not on disk it would freeze the
            // wrong state.
            if s.unsaved {
                app.status =
                    "a change is not saved; resolve it (overwrite or reload) before a snapshot"
                        .into();
                return Vec::new();
            }
            app.overlay = Some(Overlay::Input(
                InputPurpose::SnapshotLabel,
                LineInput::default(),
            ));
            Vec::new()
        }
        Action::Do(Do::Undo, _) if context(app) != Context::Editor => undo(app),
        Action::Confirm(yes) => super::screens::inventory::confirm(app, yes),
        Action::ImportRead(files) => super::screens::inventory::imported(app, files),
        Action::Cursor(_, dy) if matches!(app.overlay, Some(Overlay::Message(_))) => {
            let most = match &app.overlay {
                Some(Overlay::Message(m)) => super::view::message_hidden(app, &m.lines),
                _ => 0,
            };
            if let Some(Overlay::Message(m)) = app.overlay.as_mut() {
                m.scroll = (i32::from(m.scroll) + dy).clamp(0, i32::from(most)) as u16;
            }
            Vec::new()
        }
        Action::Do(Do::Cancel, _) if matches!(app.overlay, Some(Overlay::Message(_))) => {
            app.overlay = None;
            Vec::new()
        }
        Action::SnapshotsListed(entries, skipped) => {
            let sn = &mut app.snapshots;
            // Rows are newest first, so a new snapshot moves every row down: keep the
            // selection and the mark on the same snapshots (or on the live row).
            let path_of = |sn: &SnapshotsState, row: usize| sn.entry(row).map(|e| e.path.clone());
            let (selected, mark) = (path_of(sn, sn.selected), sn.mark.map(|m| path_of(sn, m)));
            sn.entries = entries;
            sn.skipped = skipped;
            let row_of = |sn: &SnapshotsState, p: &Option<std::path::PathBuf>| match p {
                None => Some(0),
                Some(p) => (1..sn.rows()).find(|&r| sn.entry(r).is_some_and(|e| &e.path == p)),
            };
            sn.selected = row_of(sn, &selected).unwrap_or(0).min(sn.rows() - 1);
            sn.mark = mark.and_then(|m| row_of(sn, &m));
            if let Some(first) = sn.skipped.first() {
                app.status = crate::text::safe(first);
            }
            refresh_snapshot_diff(app);
            Vec::new()
        }
        Action::Do(d @ (Do::NextScreen | Do::PreviousScreen), _)
            if context(app) != Context::Editor =>
        {
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
        other => match context(app) {
            Context::Editor => editor(app, other, now),
            Context::On(Screen::Home) => home(app, other),
            Context::On(Screen::Interview) => interview(app, other, now),
            Context::On(Screen::Decisions) => decisions(app, other),
            Context::On(Screen::Snapshots) => snapshots(app, other),
            Context::On(Screen::Results) => super::screens::results::update(app, other),
            Context::On(Screen::Ownership) => super::screens::ownership::update(app, other),
            Context::On(Screen::Inventory) => super::screens::inventory::update(app, other),
            Context::On(Screen::Vendors) => super::screens::vendors::update(app, other),
            Context::On(Screen::Map) => super::screens::map::update(app, other),
            Context::Global => Vec::new(),
        },
    }
}

fn home(app: &mut App, action: Action) -> Vec<Effect> {
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
            home(app, Action::Do(Do::Select, None))
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

/// The decision list: move within a lane, switch lanes. The list itself is the session's
/// evaluation, so it re-ranks as answers change.
fn decisions(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let lens = [
        s.eval.lane(Horizon::Immediate).count(),
        s.eval.lane(Horizon::Architecture).count(),
    ];
    let reasons = selected_decision(app).map_or(0, |d| d.because.len());
    let d = &mut app.decisions;
    if let Some(top) = d.roadmap {
        // The roadmap reads; it does not edit. Only scrolling, leaving it and the screen keys.
        let lines: usize = s.eval.roadmap.iter().map(|x| x.decisions.len() + 1).sum();
        match action {
            Action::Do(Do::Roadmap | Do::Home, _) => d.roadmap = None,
            Action::Do(Do::Up, _) => d.roadmap = Some(top.saturating_sub(1)),
            Action::Do(Do::Down, _) => d.roadmap = Some((top + 1).min(lines.saturating_sub(1))),
            _ => {}
        }
        return Vec::new();
    }
    // A new selection starts its detail at the top.
    if !matches!(action, Action::Do(Do::DetailDown | Do::DetailUp, _)) {
        d.detail = 0;
    }
    match (action, d.reason) {
        (Action::ClickDecision(lane, i), _) => {
            d.lane = lane.min(1);
            d.selected[d.lane] = i.min(lens[d.lane].saturating_sub(1));
            d.reason = None;
        }
        (Action::Do(Do::DetailDown, _), _) => d.detail = d.detail.saturating_add(5).min(500),
        (Action::Do(Do::DetailUp, _), _) => d.detail = d.detail.saturating_sub(5),
        (Action::Do(Do::Roadmap, _), _) => {
            d.roadmap = Some(0);
            d.reason = None;
        }
        (Action::Do(Do::Home, _), Some(_)) => d.reason = None,
        (Action::Do(Do::Home, _), None) => app.screen = Screen::Home,
        (Action::Do(Do::Up, _), Some(i)) => d.reason = Some(i.saturating_sub(1)),
        (Action::Do(Do::Down, _), Some(i)) => {
            d.reason = Some((i + 1).min(reasons.saturating_sub(1)));
        }
        (Action::Do(Do::Select, _), None) if reasons > 0 => d.reason = Some(0),
        (Action::Do(Do::Select, _), Some(i)) => jump_to_reason(app, i),
        (Action::Do(Do::Up, _), None) => {
            d.selected[d.lane] = d.selected[d.lane].saturating_sub(1);
        }
        (Action::Do(Do::Down, _), None) => {
            d.selected[d.lane] = (d.selected[d.lane] + 1).min(lens[d.lane].saturating_sub(1));
        }
        (Action::Do(Do::Next | Do::Previous, _), _) => {
            d.lane = 1 - d.lane;
            d.reason = None;
        }
        (Action::Do(st @ (Do::Accept | Do::Defer | Do::Reject), _), _) => {
            let want = match st {
                Do::Accept => DecisionStatus::Accepted,
                Do::Defer => DecisionStatus::Deferred,
                _ => DecisionStatus::Rejected,
            };
            return override_selected(app, |o| {
                // The same key again takes the word back.
                o.status = (o.status != Some(want)).then_some(want);
                Ok(())
            });
        }
        (Action::Do(Do::Owner, _), _) => {
            if let Some(dec) = selected_decision(app) {
                let text = dec.owner.clone();
                let cursor = text.chars().count();
                app.overlay = Some(Overlay::Input(
                    InputPurpose::DecisionOwner,
                    LineInput { text, cursor },
                ));
            }
        }
        (Action::Do(Do::Priority, _), _) => {
            if let Some(dec) = selected_decision(app) {
                let text = match dec.terms.manual {
                    Some(p) => format!("{p} {}", dec.terms.manual_reason),
                    None => String::new(),
                };
                let cursor = text.chars().count();
                app.overlay = Some(Overlay::Input(
                    InputPurpose::DecisionPriority,
                    LineInput { text, cursor },
                ));
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Shows decision `i` of lane `lane` (0 immediate, 1 architecture) in the decision list.
pub(crate) fn show_decision(app: &mut App, lane: usize, i: usize) {
    let lane = lane.min(1);
    app.decisions.lane = lane;
    app.decisions.selected[lane] = i;
    app.decisions.reason = None;
    app.decisions.roadmap = None;
    app.decisions.detail = 0;
    app.screen = Screen::Decisions;
}

/// Opens the interview on the `k`th asked question.
pub(crate) fn open_question(app: &mut App, k: usize) {
    if let Some(s) = app.session.as_mut() {
        s.cursor = k.min(s.asked.len().saturating_sub(1));
        app.screen = Screen::Interview;
        sync_option(app);
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

/// Recomputes the diff the snapshots screen shows, from the pair its list picks.
fn refresh_snapshot_diff(app: &mut App) {
    let Some(s) = app.session.as_ref() else {
        return;
    };
    let sn = &app.snapshots;
    let side = |row: usize| match sn.entry(row) {
        Some(e) => crate::diff::Side {
            assessment: &e.snapshot.assessment,
            content: &e.snapshot.content,
            evaluation: &e.eval,
        },
        None => crate::diff::Side {
            assessment: &s.assessment,
            content: &app.content,
            evaluation: &s.eval,
        },
    };
    let diff = sn
        .pair()
        .map(|(old, new)| (old, new, crate::diff::diff(&side(old), &side(new))));
    let sn = &mut app.snapshots;
    // A different pair starts its diff at the top.
    if sn.diff.as_ref().map(|d| (d.0, d.1)) != diff.as_ref().map(|d| (d.0, d.1)) {
        sn.line = 0;
    }
    sn.lines = diff
        .as_ref()
        .map(|(_, _, d)| super::view::diff_lines(d))
        .unwrap_or_default();
    sn.diff = diff;
    sn.line = sn.line.min(sn.lines.len().saturating_sub(1));
}

/// The snapshots screen: pick rows in the list (space marks the other side), read the diff,
/// and open what a diff line is about.
fn snapshots(app: &mut App, action: Action) -> Vec<Effect> {
    if app.session.is_none() {
        return Vec::new();
    }
    // What the keys need of the diff's lines: how many, the first that opens something, and
    // what the highlighted one opens.
    let sn = &app.snapshots;
    let count = sn.lines.len();
    let first_target = sn.lines.iter().position(|l| l.target.is_some());
    let here = sn.lines.get(sn.line).and_then(|l| l.target.clone());
    let sn = &mut app.snapshots;
    let rows = sn.rows();
    let mut repick = false;
    match (action, sn.focus) {
        (Action::ClickSnapshot(row), _) => {
            sn.focus = 0;
            if row < rows {
                sn.selected = row;
                repick = true;
            }
        }
        (Action::Do(Do::Up, _), 0) => {
            sn.selected = sn.selected.saturating_sub(1);
            repick = true;
        }
        (Action::Do(Do::Down, _), 0) => {
            sn.selected = (sn.selected + 1).min(rows - 1);
            repick = true;
        }
        (Action::Do(Do::Up, _), _) => sn.line = sn.line.saturating_sub(1),
        (Action::Do(Do::Down, _), _) => sn.line = (sn.line + 1).min(count.saturating_sub(1)),
        (Action::Do(Do::DetailDown, _), _) => {
            sn.focus = 1;
            sn.line = (sn.line + 10).min(count.saturating_sub(1));
        }
        (Action::Do(Do::DetailUp, _), _) => {
            sn.focus = 1;
            sn.line = sn.line.saturating_sub(10);
        }
        (Action::Do(Do::Next | Do::Previous, _), f) => {
            sn.focus = if f == 0 && count > 0 { 1 } else { 0 };
        }
        (Action::Do(Do::Toggle, _), _) => {
            sn.mark = if sn.mark == Some(sn.selected) {
                None
            } else {
                Some(sn.selected)
            };
            sn.focus = 0;
            repick = true;
        }
        (Action::Do(Do::Select, _), 0) if count > 0 => {
            sn.focus = 1;
            sn.line = first_target.unwrap_or(0);
        }
        (Action::Do(Do::Select, _), _) => {
            if let Some(target) = here {
                open_diff_target(app, target);
            } else if sn.focus == 1 {
                app.status =
                    "Enter opens an answer's question or a decision; this line is neither".into();
            }
        }
        (Action::Do(Do::Home, _), 1) => sn.focus = 0,
        (Action::Do(Do::Home, _), _) => app.screen = Screen::Home,
        _ => {}
    }
    if repick {
        refresh_snapshot_diff(app);
    }
    Vec::new()
}

/// Opens what a diff line is about: an answer's question in the interview (when it is asked
/// now), a decision in the decision list (when it is on it now).
fn open_diff_target(app: &mut App, target: super::view::DiffTarget) {
    let Some(s) = app.session.as_mut() else {
        return;
    };
    match target {
        super::view::DiffTarget::Question(p) => {
            match s
                .asked
                .iter()
                .position(|&i| p.matches(&s.eval.questions[i]))
            {
                Some(k) => open_question(app, k),
                None => {
                    app.status =
                        "that question is not asked now (removed, or its condition no longer holds)"
                            .into();
                }
            }
        }
        super::view::DiffTarget::Decision(id) => {
            let found = [Horizon::Immediate, Horizon::Architecture]
                .iter()
                .enumerate()
                .find_map(|(lane, h)| {
                    s.eval
                        .ranked(*h)
                        .iter()
                        .position(|d| d.id == id)
                        .map(|i| (lane, i))
                });
            match found {
                Some((lane, i)) => show_decision(app, lane, i),
                None => {
                    app.status = format!(
                        "decision `{}` is not on the list now: resolved since",
                        crate::text::safe(&id)
                    );
                }
            }
        }
    }
}

/// Opens the question behind the selected decision's `i`th reason in the interview, when the
/// reason is an answer; other reasons say what they are.
fn jump_to_reason(app: &mut App, i: usize) {
    let Some(b) = selected_decision(app)
        .and_then(|d| d.because.get(i))
        .cloned()
    else {
        return;
    };
    let Some(s) = app.session.as_mut() else {
        return;
    };
    let found = (b.kind == crate::engine::BecauseKind::Answer)
        .then(|| {
            s.asked.iter().position(|&q| {
                let x = &s.eval.questions[q];
                let r = match &x.subject {
                    Some(sub) => format!("{}/{sub}/{}", x.questionnaire, x.question),
                    None => format!("{}/{}", x.questionnaire, x.question),
                };
                *r == *b.reference
            })
        })
        .flatten();
    match found {
        Some(k) => {
            app.decisions.reason = None;
            open_question(app, k);
        }
        None if b.kind == crate::engine::BecauseKind::Answer => {
            app.status = "that question is not asked now (its condition no longer holds)".into();
        }
        None if b.kind == crate::engine::BecauseKind::Rule => {
            app.status = "a rule combining answers; the answers are the other reasons".into();
        }
        None => {
            app.status = format!(
                "a fact of the inventory ({}), not an answer",
                crate::text::safe(&b.reference)
            );
        }
    }
}

/// The decision under the cursor of the focused lane.
fn selected_decision(app: &App) -> Option<&crate::engine::Decision> {
    let s = app.session.as_ref()?;
    let h = [Horizon::Immediate, Horizon::Architecture][app.decisions.lane];
    let lane = s.eval.ranked(h);
    let i = app.decisions.selected[app.decisions.lane].min(lane.len().saturating_sub(1));
    lane.get(i).copied()
}

/// Changes the assessor's override of the selected decision (made if missing, dropped when
/// it no longer says anything), re-scores, keeps the same decision selected as it re-ranks,
/// and saves.
fn override_selected(
    app: &mut App,
    f: impl FnOnce(&mut DecisionOverride) -> Result<(), String>,
) -> Vec<Effect> {
    let Some(id) = selected_decision(app).map(|d| d.id.clone()) else {
        return Vec::new();
    };
    let effects = edit_assessment(app, &format!("decision `{id}` updated"), |a| {
        let index = a.decisions.iter().position(|o| o.id == id);
        let mut o = index
            .map(|i| a.decisions[i].clone())
            .unwrap_or_else(|| DecisionOverride {
                id: id.clone(),
                ..DecisionOverride::default()
            });
        f(&mut o)?;
        let empty = o
            == DecisionOverride {
                id: id.clone(),
                ..DecisionOverride::default()
            };
        match (index, empty) {
            (Some(i), true) => {
                a.decisions.remove(i);
            }
            (Some(i), false) => a.decisions[i] = o,
            (None, false) => a.decisions.push(o),
            (None, true) => {}
        }
        Ok(())
    });
    // Follow the decision to its new place.
    if let Some(dec) = app
        .session
        .as_ref()
        .and_then(|s| s.eval.decisions.iter().find(|d| d.id == id))
    {
        let lane = usize::from(dec.horizon == Horizon::Architecture);
        app.decisions.lane = lane;
        app.decisions.selected[lane] = dec.rank.saturating_sub(1) as usize;
    }
    effects
}

/// Changes the open assessment through `f` — the inventory, the ownership map, a decision
/// override — and keeps the change only if the result is still a valid assessment (the text
/// to be saved is loaded back first); then re-scores, says `done`, and saves. Ctrl-z takes it
/// back. `f` returns the reason when the change cannot be made; nothing changes then.
pub(crate) fn edit_assessment(
    app: &mut App,
    done: &str,
    f: impl FnOnce(&mut Assessment) -> Result<(), String>,
) -> Vec<Effect> {
    try_edit_assessment(app, done, f).unwrap_or_else(|msg| {
        app.status = msg;
        Vec::new()
    })
}

/// `edit_assessment`, saying why a change was not made instead of showing it: a form keeps
/// itself open with the reason.
pub(crate) fn try_edit_assessment(
    app: &mut App,
    done: &str,
    f: impl FnOnce(&mut Assessment) -> Result<(), String>,
) -> Result<Vec<Effect>, String> {
    let content = app.content.clone();
    let Some(s) = app.session.as_mut() else {
        return Ok(Vec::new());
    };
    if s.read_only {
        return Err("read-only: another stackmap has this file open".into());
    }
    let mut next = s.assessment.clone();
    f(&mut next)?;
    if next == s.assessment {
        return Ok(Vec::new());
    }
    next.canonicalise();
    let text = crate::workspace::checked_text(&next, &s.path.display().to_string(), &content)
        .map_err(|d| {
            // What the file's own check says, so the reason is the same as for a file.
            format!(
                "not changed: {}",
                d.first().map_or(String::new(), |d| d.message.clone())
            )
        })?;
    let before = std::mem::replace(&mut s.assessment, next);
    s.undo.push(Undo::Assessment(Box::new(before)));
    let whole = s
        .undo
        .iter()
        .filter(|u| matches!(u, Undo::Assessment(_)))
        .count();
    if whole > UNDO_WHOLE
        && let Some(i) = s.undo.iter().position(|u| matches!(u, Undo::Assessment(_)))
    {
        s.undo.remove(i);
    }
    s.refresh(&content);
    let path = s.path.clone();
    app.status = done.to_string();
    sync_option(app);
    if app.screen == Screen::Snapshots {
        refresh_snapshot_diff(app);
    }
    Ok(vec![Effect::Save { path, text }])
}

/// How many choices the current question offers on the number keys.
fn choices(s: &Session, q: &Question) -> usize {
    match q.kind {
        QuestionKind::Single | QuestionKind::YesNo | QuestionKind::Multi => q.options.len(),
        QuestionKind::Scale => (q.max.unwrap_or(0.0) - q.min.unwrap_or(0.0)) as usize + 1,
        QuestionKind::SystemPick => s.assessment.systems.len(),
        QuestionKind::Number | QuestionKind::Text => 0,
    }
}

/// The question under the cursor, from the content.
fn current_question(app: &App) -> Option<&Question> {
    let s = app.session.as_ref()?;
    let q = s.current()?;
    app.content
        .questionnaire(&q.questionnaire)?
        .question(&q.question)
}

/// Puts the option highlight on the current answer (or the first option).
pub(crate) fn sync_option(app: &mut App) {
    let Some(q) = current_question(app).cloned() else {
        return;
    };
    let Some(s) = app.session.as_mut() else {
        return;
    };
    let answer = s
        .current()
        .and_then(|c| s.answer(c))
        .map(|a| a.state.clone());
    s.option = match (answer, q.kind) {
        (Some(AnswerState::Value(Value::Choice(c))), _) => {
            q.options.iter().position(|o| o.id == c).unwrap_or(0)
        }
        (Some(AnswerState::Value(Value::Number(x))), QuestionKind::Scale) => {
            (x - q.min.unwrap_or(0.0)).max(0.0) as usize
        }
        (Some(AnswerState::Value(Value::System(id))), _) => s
            .assessment
            .systems
            .iter()
            .position(|x| x.id == id)
            .unwrap_or(0),
        _ => 0,
    };
}

fn interview(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let Some(q) = current_question(app).cloned() else {
        if let Action::Do(Do::Home, _) = action {
            app.screen = Screen::Home;
        }
        return Vec::new();
    };
    let Some(s) = app.session.as_mut() else {
        return Vec::new();
    };
    let n = choices(s, &q);
    match action {
        Action::Do(Do::Home, _) => {
            app.screen = Screen::Home;
            Vec::new()
        }
        Action::Do(Do::Up, _) => {
            s.option = s.option.saturating_sub(1);
            Vec::new()
        }
        Action::Do(Do::Down, _) => {
            s.option = (s.option + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        Action::Do(Do::Next, _) => {
            s.cursor = (s.cursor + 1).min(s.asked.len().saturating_sub(1));
            sync_option(app);
            Vec::new()
        }
        Action::Do(Do::Previous, _) => {
            s.cursor = s.cursor.saturating_sub(1);
            sync_option(app);
            Vec::new()
        }
        Action::Do(Do::NextUnanswered, _) => {
            match s.first_unanswered_from(s.cursor + 1) {
                Some(k) => s.cursor = k,
                None => app.status = "every applicable question is answered".into(),
            }
            sync_option(app);
            Vec::new()
        }
        Action::Do(Do::Choose, Some(i)) => {
            if i >= n {
                return Vec::new();
            }
            s.option = i;
            choose(app, &q, i, now)
        }
        Action::Do(Do::Toggle, _) => {
            if matches!(q.kind, QuestionKind::Number | QuestionKind::Text) {
                return open_value(app, &q);
            }
            let i = s.option;
            if i >= n {
                return Vec::new();
            }
            choose(app, &q, i, now)
        }
        Action::Do(Do::Value, _) => open_value(app, &q),
        Action::Do(Do::Unknown, _) => set_state(app, AnswerState::Unknown, now),
        Action::Do(Do::NotApplicable, _) => set_state(app, AnswerState::NotApplicable, now),
        Action::Do(Do::Confidence, _) => {
            let next = |c: Option<Confidence>| match c {
                None => Some(Confidence::Verified),
                Some(Confidence::Verified) => Some(Confidence::Stated),
                Some(Confidence::Stated) => Some(Confidence::Assumed),
                Some(Confidence::Assumed) => None,
            };
            change(app, now, false, |a| {
                a.confidence = next(a.confidence);
                Ok(())
            })
        }
        Action::Do(Do::Note, _) => {
            let cur = s
                .current()
                .and_then(|c| s.answer(c))
                .map(|a| a.note.clone());
            match cur {
                Some(note) => app.overlay = Some(Overlay::Note(TextArea::with(&note))),
                None => {
                    app.status =
                        "answer the question (or mark it unknown) before adding a note".into()
                }
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn open_value(app: &mut App, q: &Question) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    if !matches!(
        q.kind,
        QuestionKind::Number | QuestionKind::Text | QuestionKind::Scale
    ) {
        app.status = "choose an option with its number key".into();
        return Vec::new();
    }
    let current = match s.current().and_then(|c| s.answer(c)).map(|a| &a.state) {
        Some(AnswerState::Value(Value::Text(t))) => t.clone(),
        Some(AnswerState::Value(Value::Number(x))) => crate::engine::score::describe_number(*x),
        _ => String::new(),
    };
    app.overlay = Some(Overlay::Input(
        InputPurpose::Value,
        LineInput::with(&current),
    ));
    Vec::new()
}

/// Chooses option `i` of the current question (toggles it for multi) and saves.
fn choose(app: &mut App, q: &Question, i: usize, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let value = match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => Value::Choice(q.options[i].id.clone()),
        QuestionKind::Multi => {
            let mut chosen = match s.current().and_then(|c| s.answer(c)).map(|a| &a.state) {
                Some(AnswerState::Value(Value::Choices(c))) => c.clone(),
                _ => Vec::new(),
            };
            let id = &q.options[i].id;
            if let Some(p) = chosen.iter().position(|c| c == id) {
                chosen.remove(p);
            } else {
                chosen.push(id.clone());
                // Keep the options' own order, so the file does not depend on click order.
                chosen.sort_by_key(|c| q.options.iter().position(|o| &o.id == c));
            }
            Value::Choices(chosen)
        }
        QuestionKind::Scale => Value::Number(q.min.unwrap_or(0.0) + i as f64),
        QuestionKind::SystemPick => Value::System(s.assessment.systems[i].id.clone()),
        QuestionKind::Number | QuestionKind::Text => return Vec::new(),
    };
    set_state(app, AnswerState::Value(value), now)
}

fn set_state(app: &mut App, state: AnswerState, now: DateTime<FixedOffset>) -> Vec<Effect> {
    change(app, now, true, |a| {
        a.state = state;
        Ok(())
    })
}

/// Applies a change to the current question's answer (created if missing), records it for
/// undo, re-scores, and asks the loop to save.
fn change(
    app: &mut App,
    now: DateTime<FixedOffset>,
    create: bool,
    f: impl FnOnce(&mut Answer) -> Result<(), &'static str>,
) -> Vec<Effect> {
    let content = app.content.clone();
    let Some(s) = app.session.as_mut() else {
        return Vec::new();
    };
    if s.read_only {
        app.status = "read-only: another stackmap has this file open".into();
        return Vec::new();
    }
    let Some(cur) = s.current() else {
        return Vec::new();
    };
    let key = (
        cur.questionnaire.to_string(),
        cur.subject.as_deref().map(str::to_string),
        cur.question.to_string(),
    );
    let index = s
        .assessment
        .answers
        .iter()
        .position(|a| a.questionnaire == key.0 && a.subject == key.1 && a.question == key.2);
    let before = index.map(|i| s.assessment.answers[i].clone());
    let mut answer = before.clone().unwrap_or_else(|| {
        Answer::new(
            key.0.clone(),
            key.1.clone(),
            key.2.clone(),
            AnswerState::Unknown,
        )
    });
    let result = match (&before, create) {
        (None, false) => Err("answer the question (or mark it unknown) first"),
        _ => f(&mut answer),
    };
    if let Err(msg) = result {
        app.status = msg.to_string();
        return Vec::new();
    }
    if before.as_ref() == Some(&answer) {
        return Vec::new();
    }
    answer.by = s.assessor.clone();
    answer.at = Some(now);
    match index {
        Some(i) => s.assessment.answers[i] = answer,
        None => s.assessment.answers.push(answer),
    }
    s.assessment.engagement.updated = Some(now);
    s.undo.push(Undo::Answer {
        key,
        before: before.map(Box::new),
    });
    s.refresh(&content);
    save(app)
}

fn save(app: &mut App) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    vec![Effect::Save {
        path: s.path.clone(),
        text: crate::save::to_toml(&s.assessment),
    }]
}

fn undo(app: &mut App) -> Vec<Effect> {
    let content = app.content.clone();
    let Some(s) = app.session.as_mut() else {
        return Vec::new();
    };
    if s.read_only {
        return Vec::new();
    }
    let Some(u) = s.undo.pop() else {
        app.status = "nothing to undo".into();
        return Vec::new();
    };
    let (key, before) = match u {
        Undo::Answer { key, before } => (key, before),
        Undo::Assessment(before) => {
            s.assessment = *before;
            s.refresh(&content);
            app.status = "undone".into();
            sync_option(app);
            if app.screen == Screen::Snapshots {
                refresh_snapshot_diff(app);
            }
            return save(app);
        }
    };
    let (q, subj, question) = &key;
    let index = s
        .assessment
        .answers
        .iter()
        .position(|a| &a.questionnaire == q && &a.subject == subj && &a.question == question);
    match (index, before) {
        (Some(i), Some(before)) => s.assessment.answers[i] = *before,
        (Some(i), None) => {
            s.assessment.answers.remove(i);
        }
        (None, Some(before)) => s.assessment.answers.push(*before),
        (None, None) => {}
    }
    // Go back to the question the change was made on.
    if let Some(k) = s.asked.iter().position(|&i| {
        let x = &s.eval.questions[i];
        *x.questionnaire == **q
            && x.subject.as_deref() == subj.as_deref()
            && *x.question == **question
    }) {
        s.cursor = k;
    }
    s.refresh(&content);
    app.status = "undone".into();
    sync_option(app);
    if app.screen == Screen::Snapshots {
        refresh_snapshot_diff(app);
    }
    save(app)
}

fn editor(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    match (&mut app.overlay, action) {
        (
            Some(Overlay::Input(purpose, line)),
            a @ (Action::Insert(_)
            | Action::Backspace
            | Action::Delete
            | Action::Cursor(..)
            | Action::LineEdge(_)),
        ) => {
            line_edit(line, a);
            if *purpose == InputPurpose::Filter {
                app.home.filter = line.text.clone();
                app.home.selected = 0;
            }
            Vec::new()
        }
        (Some(Overlay::Input(purpose, line)), Action::Do(Do::Select, _)) => {
            let (purpose, text) = (*purpose, line.text.clone());
            match purpose {
                InputPurpose::Filter => {
                    app.overlay = None;
                    Vec::new()
                }
                InputPurpose::OpenPath => {
                    app.overlay = None;
                    let path = text.trim();
                    if path.is_empty() {
                        return Vec::new();
                    }
                    vec![Effect::Open(path.into())]
                }
                InputPurpose::Value => submit_value(app, &text, now),
                InputPurpose::DecisionOwner => {
                    app.overlay = None;
                    let owner = text.trim().to_string();
                    override_selected(app, |o| {
                        o.owner = owner;
                        Ok(())
                    })
                }
                InputPurpose::DecisionPriority => {
                    let text = text.trim().to_string();
                    let parsed = if text.is_empty() {
                        Ok(None)
                    } else {
                        let (n, why) = text.split_once(char::is_whitespace).unwrap_or((&text, ""));
                        match n.parse::<f64>() {
                            Ok(p) if (0.0..=1000.0).contains(&p) && !why.trim().is_empty() => {
                                Ok(Some((p, why.trim().to_string())))
                            }
                            Ok(p) if (0.0..=1000.0).contains(&p) => Err(
                                "say why after the number, e.g. \"40 board asked for it\": the report shows it",
                            ),
                            _ => Err("a priority is a number from 0 to 1000, then the reason"),
                        }
                    };
                    match parsed {
                        Err(msg) => {
                            // The field stays open with what was typed.
                            app.status = msg.into();
                            Vec::new()
                        }
                        Ok(p) => {
                            app.overlay = None;
                            override_selected(app, |o| {
                                o.priority = p.as_ref().map(|x| x.0);
                                o.priority_reason = p.map(|x| x.1).unwrap_or_default();
                                Ok(())
                            })
                        }
                    }
                }
                InputPurpose::SnapshotLabel => {
                    let label = text.trim();
                    if label.is_empty() {
                        app.status = "a snapshot needs a label, like \"after workshop 2\"".into();
                        return Vec::new();
                    }
                    app.overlay = None;
                    match app.session.as_ref() {
                        Some(s) => {
                            let mut v = vec![Effect::Snapshot {
                                path: s.path.clone(),
                                label: label.to_string(),
                            }];
                            // The list shows the new one at once.
                            if app.screen == Screen::Snapshots {
                                v.push(Effect::ListSnapshots(s.path.clone()));
                            }
                            v
                        }
                        None => Vec::new(),
                    }
                }
            }
        }
        (Some(Overlay::Input(purpose, _)), Action::Do(Do::Cancel, _)) => {
            if *purpose == InputPurpose::Filter {
                app.home.filter.clear();
            }
            app.overlay = None;
            Vec::new()
        }
        (Some(Overlay::Palette(p)), a) => match a {
            Action::Cursor(0, dy) => {
                p.selected = (p.selected as i64 + i64::from(dy))
                    .clamp(0, p.hits.len().saturating_sub(1) as i64)
                    as usize;
                Vec::new()
            }
            Action::Do(Do::Select, _) => {
                let target = p.hits.get(p.selected).map(|h| h.item.target);
                app.overlay = None;
                match target {
                    Some(palette::Target::Do(d)) => update(app, Action::Do(d, None), now),
                    Some(palette::Target::Decision(lane, i)) => {
                        show_decision(app, lane, i);
                        Vec::new()
                    }
                    Some(palette::Target::Inventory(part, i)) => {
                        let parts = super::screens::inventory::Part::ALL;
                        app.inventory.part = parts[part.min(parts.len() - 1)];
                        app.inventory.selected[part.min(parts.len() - 1)] = i;
                        app.screen = Screen::Inventory;
                        Vec::new()
                    }
                    Some(palette::Target::Screen(screen)) => {
                        app.screen = screen;
                        enter_screen(app)
                    }
                    Some(palette::Target::Goto(k)) => {
                        if let Some(s) = app.session.as_mut() {
                            s.cursor = k.min(s.asked.len().saturating_sub(1));
                            app.screen = Screen::Interview;
                            sync_option(app);
                        }
                        Vec::new()
                    }
                    None => Vec::new(),
                }
            }
            Action::Do(Do::Cancel, _) => {
                app.overlay = None;
                Vec::new()
            }
            other => {
                let before = p.query.text.clone();
                line_edit(&mut p.query, other);
                if p.query.text != before {
                    let query = p.query.text.clone();
                    let hits = palette::rank(palette::items(app), &query);
                    if let Some(Overlay::Palette(p)) = app.overlay.as_mut() {
                        p.hits = hits;
                        p.selected = 0;
                    }
                }
                Vec::new()
            }
        },
        (Some(Overlay::New(form)), a) => {
            let result = new_form(form, a, app.content.profiles.len(), now);
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
        (Some(Overlay::Form(_)), a) => super::screens::inventory::form_action(app, a),
        (Some(Overlay::Summary(area)), a) => note_edit(area, a).map_or_else(
            || {
                let Some(Overlay::Summary(area)) = app.overlay.take() else {
                    return Vec::new();
                };
                let text = area.text();
                edit_assessment(app, "summary saved", |a| {
                    a.engagement.summary = text.trim_end().to_string();
                    Ok(())
                })
            },
            |()| Vec::new(),
        ),
        (Some(Overlay::Note(area)), a) => note_edit(area, a).map_or_else(
            || {
                // Close: Esc and Ctrl-s both keep what was typed; undo takes it back.
                let Some(Overlay::Note(area)) = app.overlay.take() else {
                    return Vec::new();
                };
                let text = area.text();
                change(app, now, false, |a| {
                    a.note = text;
                    Ok(())
                })
            },
            |()| Vec::new(),
        ),
        _ => Vec::new(),
    }
}

/// Edits the new-assessment form. `None`: cancelled. `Some(Ok(Some(a)))`: create `a`.
fn new_form(
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
            line_edit(line, a);
        }
        _ => {}
    }
    Some(Ok(None))
}

pub(crate) fn line_edit(line: &mut LineInput, action: Action) {
    match action {
        Action::Insert(c) => {
            let byte = byte_at(&line.text, line.cursor);
            line.text.insert(byte, c);
            line.cursor += 1;
        }
        Action::Backspace if line.cursor > 0 => {
            line.cursor -= 1;
            let byte = byte_at(&line.text, line.cursor);
            line.text.remove(byte);
        }
        Action::Delete if line.cursor < line.text.chars().count() => {
            let byte = byte_at(&line.text, line.cursor);
            line.text.remove(byte);
        }
        Action::Cursor(dx, _) => {
            line.cursor = (line.cursor as i64 + i64::from(dx))
                .clamp(0, line.text.chars().count() as i64) as usize;
        }
        Action::LineEdge(end) => line.cursor = if end { line.text.chars().count() } else { 0 },
        _ => {}
    }
}

/// Edits the note; `None` when the action closes the editor.
fn note_edit(area: &mut TextArea, action: Action) -> Option<()> {
    let (line, col) = area.cursor;
    match action {
        Action::Insert(c) => {
            let b = byte_at(&area.lines[line], col);
            area.lines[line].insert(b, c);
            area.cursor.1 += 1;
        }
        Action::Newline => {
            let b = byte_at(&area.lines[line], col);
            let rest = area.lines[line].split_off(b);
            area.lines.insert(line + 1, rest);
            area.cursor = (line + 1, 0);
        }
        Action::Backspace => {
            if col > 0 {
                let b = byte_at(&area.lines[line], col - 1);
                area.lines[line].remove(b);
                area.cursor.1 -= 1;
            } else if line > 0 {
                let cur = area.lines.remove(line);
                let prev_len = area.lines[line - 1].chars().count();
                area.lines[line - 1].push_str(&cur);
                area.cursor = (line - 1, prev_len);
            }
        }
        Action::Delete => {
            let len = area.lines[line].chars().count();
            if col < len {
                let b = byte_at(&area.lines[line], col);
                area.lines[line].remove(b);
            } else if line + 1 < area.lines.len() {
                let next = area.lines.remove(line + 1);
                area.lines[line].push_str(&next);
            }
        }
        Action::Cursor(dx, dy) => {
            let new_line =
                (line as i64 + i64::from(dy)).clamp(0, area.lines.len() as i64 - 1) as usize;
            let len = area.lines[new_line].chars().count() as i64;
            let new_col = if dy != 0 {
                (col as i64).min(len)
            } else {
                (col as i64 + i64::from(dx)).clamp(0, len)
            };
            area.cursor = (new_line, new_col as usize);
        }
        Action::LineEdge(end) => {
            area.cursor.1 = if end {
                area.lines[line].chars().count()
            } else {
                0
            };
        }
        Action::Do(Do::Select | Do::Cancel, _) => return None,
        _ => {}
    }
    Some(())
}

fn submit_value(app: &mut App, text: &str, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let Some(q) = current_question(app).cloned() else {
        return Vec::new();
    };
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let raw = match q.kind {
        QuestionKind::Number | QuestionKind::Scale => match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 => {
                toml::Value::Integer(x as i64)
            }
            Ok(x) if x.is_finite() => toml::Value::Float(x),
            _ => toml::Value::String(text.to_string()),
        },
        _ => toml::Value::String(text.to_string()),
    };
    let systems: Vec<&str> = s.assessment.systems.iter().map(|x| x.id.as_str()).collect();
    match check_value(&q, raw, &systems) {
        Ok(v) => {
            app.overlay = None;
            set_state(app, AnswerState::Value(v), now)
        }
        Err(msg) => {
            // The field stays open with what was typed, so nothing is lost.
            app.status = msg;
            Vec::new()
        }
    }
}

fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(b, _)| b)
}

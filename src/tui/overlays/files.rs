//! The dialogs about the file itself: what wins when it changed on disk, the label of a
//! snapshot to take, another name to save under when it cannot be written.

use crate::tui::action::Resolution;
use crate::tui::state::{App, Effect, InputPurpose, Overlay, Screen};
use crate::tui::widgets::line::LineInput;

/// The answer to the file-changed dialog.
pub fn resolve(app: &mut App, r: Resolution) -> Vec<Effect> {
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
            app.status = "NOT SAVED: the file changed on disk; your next change asks again".into();
            Vec::new()
        }
    }
}

/// `S`: the label of a snapshot to take, asked in a field.
pub fn ask_snapshot_label(app: &mut App) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        app.status = "open an assessment first: a snapshot freezes one".into();
        return Vec::new();
    };
    // A snapshot freezes the file; with a change not on disk it would freeze the wrong state.
    if s.unsaved {
        app.status =
            "a change is not saved; resolve it (overwrite or reload) before a snapshot".into();
        return Vec::new();
    }
    app.overlay = Some(Overlay::Input(
        InputPurpose::SnapshotLabel,
        LineInput::default(),
    ));
    Vec::new()
}

/// Enter in the snapshot label field: take it (and list it at once on the Snapshots screen).
pub fn take_snapshot(app: &mut App, label: &str) -> Vec<Effect> {
    let label = label.trim();
    if label.is_empty() {
        app.status = "a snapshot needs a label, like \"after workshop 2\"".into();
        return Vec::new();
    }
    app.overlay = None;
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let mut v = vec![Effect::Snapshot {
        path: s.path.clone(),
        label: label.to_string(),
    }];
    if app.screen == Screen::Snapshots {
        v.push(Effect::ListSnapshots(s.path.clone()));
    }
    v
}

/// Enter in the save-as field: write the assessment there (the loop refuses an existing
/// file, so nothing is overwritten).
pub fn save_as(app: &mut App, path: &str) -> Vec<Effect> {
    let path = path.trim();
    if path.is_empty() {
        app.status = "type the path of a new file to save the assessment to".into();
        return Vec::new();
    }
    app.overlay = None;
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    vec![Effect::SaveAs {
        path: path.into(),
        text: crate::save::to_toml(&s.assessment),
    }]
}

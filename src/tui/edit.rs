//! The checked edit path: every change the screens make to the open assessment goes through
//! here. An answer changes through `change_answer`; the inventory, the ownership map and the
//! decision overrides through `edit_assessment`, which keeps a change only when the result
//! is still a valid assessment. Each change is recorded for `undo`, re-scored, and comes back
//! as a save for the loop to perform before the next key.

use chrono::{DateTime, FixedOffset};

use super::state::{App, Effect, UNDO_WHOLE, Undo};
use crate::model::{Answer, AnswerState, Assessment};

/// Changes the open assessment through `f` — the inventory, the ownership map, a decision
/// override — and keeps the change only if the result is still a valid assessment (the text
/// to be saved is loaded back first); then re-scores, says `done`, and saves. Ctrl-z takes it
/// back. `f` returns the reason when the change cannot be made; nothing changes then.
pub fn edit_assessment(
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
pub fn try_edit_assessment(
    app: &mut App,
    done: &str,
    f: impl FnOnce(&mut Assessment) -> Result<(), String>,
) -> Result<Vec<Effect>, String> {
    let content = app.content.clone();
    let Some(s) = app.session.as_mut() else {
        return Ok(Vec::new());
    };
    if s.read_only {
        return Err(s.read_only_reason());
    }
    let mut next = s.assessment.clone();
    f(&mut next)?;
    // Answers read from the inventory follow it (an inventory change re-derives them).
    crate::infer::apply_if_inventory_changed(&content, &s.assessment, &mut next);
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
    s.sync_option(&content);
    let path = s.path.clone();
    app.status = done.to_string();
    // Said again once the save lands (a save clears older messages).
    app.after_save = (!done.is_empty()).then(|| done.to_string());
    Ok(vec![Effect::Save { path, text }])
}

/// Applies a change to the current question's answer (created if missing), records it for
/// undo, re-scores, and asks the loop to save. With `create` false, an unanswered question
/// is not changed (a note or a confidence needs an answer first).
pub fn change_answer(
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
        app.status = s.read_only_reason();
        return Vec::new();
    }
    let Some(cur) = s.current() else {
        return Vec::new();
    };
    let key = (
        cur.questionnaire.to_string(),
        cur.subject.as_deref().map(str::to_string),
        cur.question.to_string(),
        s.speaker.clone(),
    );
    let index = s
        .assessment
        .answers
        .iter()
        // The screen answers as whoever is speaking (the assessor unless a respondent is
        // chosen): another person's answer to the same question is theirs, not overwritten.
        .position(|a| {
            a.respondent == key.3
                && a.questionnaire == key.0
                && a.subject == key.1
                && a.question == key.2
        });
    let before = index.map(|i| s.assessment.answers[i].clone());
    let mut answer = before.clone().unwrap_or_else(|| {
        let mut a = Answer::new(
            key.0.clone(),
            key.1.clone(),
            key.2.clone(),
            AnswerState::Open,
        );
        a.respondent = key.3.clone();
        a
    });
    let result = match (&before, create) {
        (None, false) => Err("answer the question (or mark it unknown) first"),
        _ => f(&mut answer),
    };
    if let Err(msg) = result {
        app.status = msg.to_string();
        return Vec::new();
    }
    // Nothing answered and nothing said: no entry at all.
    let empty =
        answer.state == AnswerState::Open && answer.note.is_empty() && answer.evidence.is_empty();
    if before.as_ref() == Some(&answer) || (empty && before.is_none()) {
        return Vec::new();
    }
    // A person's answer replaces one read from the inventory (its assumed confidence with it);
    // a note added to an inferred answer leaves it inferred.
    if let Some(b) = &before
        && b.is_inferred()
        && answer.is_inferred()
        && answer.state != b.state
    {
        answer.inferred_by = None;
        if answer.confidence == Some(crate::vocab::Confidence::Assumed) {
            answer.confidence = None;
        }
    }
    answer.by = s.assessor.clone();
    answer.at = Some(now);
    match (index, empty) {
        (Some(i), true) => {
            s.assessment.answers.remove(i);
        }
        (Some(i), false) => s.assessment.answers[i] = answer,
        (None, _) => s.assessment.answers.push(answer),
    }
    s.assessment.engagement.updated = Some(now);
    let text = s.refresh_and_text(&content, (&key.0, key.1.as_deref(), &key.2));
    s.undo.push(Undo::Answer {
        key,
        before: before.map(Box::new),
    });
    vec![Effect::Save {
        path: s.path.clone(),
        text,
    }]
}

/// The save of the open assessment as it now is.
pub fn save(app: &mut App) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    vec![Effect::Save {
        path: s.path.clone(),
        text: crate::save::to_toml(&s.assessment),
    }]
}

/// Takes back the last change (an answer, or a whole-assessment edit) and saves.
pub fn undo(app: &mut App) -> Vec<Effect> {
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
            // A respondent added and taken back again no longer speaks.
            if let Some(who) = &s.speaker
                && s.assessment.respondent(who).is_none()
            {
                s.speaker = None;
            }
            s.refresh(&content);
            s.sync_option(&content);
            app.status = "undone".into();
            return save(app);
        }
    };
    let (q, subj, question, who) = &key;
    let index = s.assessment.answers.iter().position(|a| {
        &a.respondent == who
            && &a.questionnaire == q
            && &a.subject == subj
            && &a.question == question
    });
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
    s.refresh_answer(&content, (q, subj.as_deref(), question));
    s.sync_option(&content);
    app.status = "undone".into();
    save(app)
}

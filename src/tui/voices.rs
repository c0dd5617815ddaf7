//! Several voices in the interview: who is speaking (the respondent picker, which also adds
//! a respondent on the fly), every answer given to the current question side by side, and
//! settling it with one key (the speaker's answer marked `final`, the others not).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::edit::{edit_assessment, try_edit_assessment};
use super::state::{App, Effect, Overlay, Session};
use super::theme::Theme;
use super::widgets::form::{Field, Form, FormPurpose};
use crate::engine::QuestionState;
use crate::model::Respondent;
use crate::text::safe;

/// The choice that adds someone new.
const NEW: &str = "+";

/// Who is speaking, as the status bar and the picker say it.
pub fn speaker_label(s: &Session) -> String {
    match &s.speaker {
        None => "the assessor".into(),
        Some(id) => s.assessment.respondent_name(id),
    }
}

/// Makes `who` (a respondent's id; `None` the assessor) the speaker, as the picker does, so
/// the interview shows and edits their answer: what a jump to one person's answer (a line of
/// the snapshot diff) does. Returns what the status line says when that changed who is
/// speaking, or could not (`who` is not a respondent of this file now: the speaker stays);
/// `None` when they were speaking already.
pub fn speak_as(
    s: &mut Session,
    content: &crate::content::Content,
    who: Option<&str>,
) -> Option<String> {
    if s.speaker.as_deref() == who {
        return None;
    }
    let key = super::keymap::key(
        super::keymap::Context::On(super::state::Screen::Interview),
        super::action::Do::Speaker,
    );
    if let Some(id) = who
        && s.assessment.respondent(id).is_none()
    {
        return Some(format!(
            "`{}` is not a respondent of this file now: their answer is not here; {} is \
             still speaking",
            safe(id),
            safe(&speaker_label(s))
        ));
    }
    let was = speaker_label(s);
    s.speaker = who.map(String::from);
    s.sync_option(content);
    Some(format!(
        "speaker changed to {} (was {}) to show their answer · {key} chooses who speaks",
        safe(&speaker_label(s)),
        safe(&was)
    ))
}

/// The picker: the assessor, every respondent, or someone new (name, role, team, id).
pub fn picker(s: &Session) -> Form {
    let mut options = vec![(String::new(), "the assessor (you)".to_string())];
    for r in &s.assessment.respondents {
        let mut label = if r.name.is_empty() {
            r.id.clone()
        } else {
            r.name.clone()
        };
        let about: Vec<&str> = [r.role.as_str(), r.team.as_str()]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect();
        if !about.is_empty() {
            label = format!("{label} ({})", about.join(", "));
        }
        options.push((r.id.clone(), label));
    }
    options.push((NEW.into(), "someone new: fill in below".into()));
    let current = s.speaker.clone().unwrap_or_default();
    Form::new(
        FormPurpose::Speaker,
        "Who is speaking",
        vec![
            Field::choice(
                "who",
                "speaking",
                options,
                &current,
                "←/→ choose; or type a new respondent below (Enter adds them)",
            ),
            Field::text("name", "new: name", "", "a new respondent's name"),
            Field::text("role", "new: role", "", "their role (optional)"),
            Field::text("team", "new: team", "", "their team (optional)"),
            Field::text(
                "id",
                "new: id",
                "",
                "how answers name them; empty: made from the name",
            ),
        ],
    )
}

/// The id a new respondent named `name` would get.
pub fn suggested_id(a: &crate::model::Assessment, name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return None;
    }
    crate::validate::free_id(&crate::validate::suggest_id(name), |id| {
        a.respondent(id).is_some()
    })
}

/// The picker was submitted: choose the speaker, adding a respondent first when a name was
/// typed. Returns the save when a respondent was added.
pub fn submit(app: &mut App, form: &Form) -> Vec<Effect> {
    let who = form.choice("who");
    let name = form.text("name");
    if who != NEW && name.is_empty() {
        if let Some(s) = app.session.as_mut() {
            s.speaker = (!who.is_empty()).then_some(who);
            s.sync_option(&app.content);
            app.status = format!("answers taken now are {}'s", safe(&speaker_label(s)));
        }
        app.overlay = None;
        return Vec::new();
    }
    if name.is_empty() {
        return refuse(app, "type the new respondent's name");
    }
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let typed = form.text("id");
    let id = if typed.is_empty() {
        match suggested_id(&s.assessment, &name) {
            Some(id) => id,
            None => return refuse(app, "that name gives no id: type one"),
        }
    } else {
        typed
    };
    let r = Respondent {
        id: id.clone(),
        name: name.clone(),
        role: form.text("role"),
        team: form.text("team"),
    };
    let done = format!("added {} ({id}); answers taken now are theirs", safe(&name));
    let result = try_edit_assessment(app, &done, |a| {
        if a.respondent(&r.id).is_some() {
            return Err(format!("`{}` is taken; choose another id", r.id));
        }
        a.respondents.push(r);
        Ok(())
    });
    match result {
        Ok(effects) => {
            app.overlay = None;
            if let Some(s) = app.session.as_mut() {
                s.speaker = Some(id);
                s.sync_option(&app.content);
            }
            effects
        }
        Err(e) => refuse(app, &e),
    }
}

fn refuse(app: &mut App, msg: &str) -> Vec<Effect> {
    if let Some(Overlay::Form(f)) = app.overlay.as_mut() {
        f.error = msg.to_string();
    }
    Vec::new()
}

fn same(a: &crate::model::Answer, q: &QuestionState) -> bool {
    *a.questionnaire == *q.questionnaire
        && a.subject.as_deref() == q.subject.as_deref()
        && *a.question == *q.question
}

/// Settles the current question: the speaker's answer is marked final and every other
/// answer to it is not. Saved and re-scored through the checked edit path.
pub fn settle(app: &mut App) -> Vec<Effect> {
    let Some(s) = app.session.as_ref() else {
        return Vec::new();
    };
    let Some(cur) = s.current().cloned() else {
        return Vec::new();
    };
    let who = s.speaker.clone();
    let label = speaker_label(s);
    let answers: Vec<_> = s
        .assessment
        .answers
        .iter()
        .filter(|a| same(a, &cur))
        .collect();
    if !answers.iter().any(|a| a.respondent == who) {
        app.status = format!("{} has not answered this question", safe(&label));
        return Vec::new();
    }
    if answers.len() < 2 {
        app.status = "only one answer: nothing to settle".into();
        return Vec::new();
    }
    let done = format!("settled on {}'s answer", safe(&label));
    edit_assessment(app, &done, |a| {
        for x in a.answers.iter_mut().filter(|x| same(x, &cur)) {
            x.is_final = x.respondent == who;
        }
        Ok(())
    })
}

/// Every answer given to `cur` when there are several: who said what, with confidence and
/// note, the one that counts marked and why. Empty with one answer or none.
pub fn lines<'a>(s: &Session, cur: &QuestionState, t: &Theme) -> Vec<Line<'a>> {
    let Some(v) = s.eval.voices.iter().find(|v| {
        *v.questionnaire == *cur.questionnaire
            && v.subject.as_deref() == cur.subject.as_deref()
            && *v.question == *cur.question
    }) else {
        return Vec::new();
    };
    let name = |r: &Option<String>| match r {
        None => "the assessor".to_string(),
        Some(id) => s.assessment.respondent_name(id),
    };
    let mut out = vec![
        Line::raw(""),
        Line::styled(
            if v.disagree && v.why == crate::engine::voices::Why::Final {
                "Answers (they differ; settled):"
            } else if v.disagree {
                "Answers (they differ):"
            } else {
                "Answers:"
            },
            t.title(),
        ),
    ];
    for voice in &v.answers {
        let counts = voice.respondent == v.counted;
        let note = s
            .assessment
            .answers
            .iter()
            .find(|a| same(a, cur) && a.respondent == voice.respondent)
            .map(|a| a.note.trim().to_string())
            .unwrap_or_default();
        let mut text = format!(
            "{}: {}",
            safe(&name(&voice.respondent)),
            safe(&voice.answer)
        );
        if let Some(c) = voice.confidence {
            text.push_str(&format!(" · {c}"));
        }
        if !note.is_empty() {
            let first = note.lines().next().unwrap_or_default();
            text.push_str(&format!(" · “{}”", safe(first)));
        }
        let speaking = voice.respondent == s.speaker;
        out.push(Line::from(vec![
            Span::styled(
                if counts { "✓ " } else { "  " },
                if counts { t.good() } else { t.dim() },
            ),
            Span::styled(text, if speaking { t.chosen() } else { Style::new() }),
        ]));
    }
    out.push(Line::styled(format!("✓ counts: {}", v.why.text()), t.dim()));
    out
}

/// One line cut to `width` columns, ending in "…" when it was longer: one row, never wrapped.
fn cut(line: &Line<'static>, width: usize) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    if line.width() <= width {
        return line.clone();
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for span in &line.spans {
        let w = span.content.width();
        if used + w < width {
            spans.push(span.clone());
            used += w;
            continue;
        }
        // This span takes the line to its end: as much of it as leaves a column for "…".
        let kept = crate::text::fit(&span.content, width - used);
        spans.push(Span::styled(kept.trim_end().to_string(), span.style));
        break;
    }
    Line::from(spans)
}

/// [`lines`] fitted to `room` rows of `width` columns: whole when they fit; else one row per
/// answer, cut with "…" (and then without the line that says why the ✓ one counts); and when
/// even that is too tall, the first answers (the one that counts always among them) and how
/// many more there are. Never more rows than `room`.
pub fn fitted(
    s: &Session,
    cur: &QuestionState,
    t: &Theme,
    width: u16,
    room: u16,
) -> Vec<Line<'static>> {
    let all = lines(s, cur, t);
    let (w, room) = (usize::from(width).max(1), usize::from(room));
    // [blank, header, one line per answer…, "✓ counts: why"]
    if all.len() < 4 || room == 0 {
        return Vec::new();
    }
    let wrapped = ratatui::widgets::Paragraph::new(all.clone())
        .wrap(ratatui::widgets::Wrap { trim: false })
        .line_count(width.max(1));
    if wrapped <= room {
        return all;
    }
    let compact: Vec<Line<'static>> = all[1..].iter().map(|l| cut(l, w)).collect();
    if compact.len() < room {
        return [vec![Line::raw("")], compact].concat();
    }
    if compact.len() == room {
        return compact;
    }
    // Without the line that says why: the ✓ still marks the answer that counts.
    if compact.len() - 1 == room {
        return compact[..room].to_vec();
    }
    let voices = &compact[1..compact.len() - 1];
    let n = voices.len();
    let differ = s
        .eval
        .voices
        .iter()
        .find(|v| {
            *v.questionnaire == *cur.questionnaire
                && v.subject.as_deref() == cur.subject.as_deref()
                && *v.question == *cur.question
        })
        .map(|v| {
            (
                v.disagree,
                v.answers.iter().position(|x| x.respondent == v.counted),
            )
        });
    let (disagree, counted) = differ.unwrap_or((false, None));
    let more = |m: usize| {
        let whole = if disagree {
            "— all on the Results screen"
        } else {
            "(a taller terminal shows all)"
        };
        cut(&Line::styled(format!("… and {m} more {whole}"), t.dim()), w)
    };
    if room < 3 {
        return vec![cut(
            &Line::styled(
                format!(
                    "{n} answers{}: too many for this height ({})",
                    if disagree { ", they differ" } else { "" },
                    if disagree {
                        "see the Results screen"
                    } else {
                        "a taller terminal shows them"
                    }
                ),
                t.warn(),
            ),
            w,
        )];
    }
    // The header, as many answers as leave a row for how many more, the one that counts
    // among them (in place of the last shown when it comes later).
    let k = room - 2;
    let mut shown: Vec<usize> = (0..k).collect();
    if let Some(c) = counted
        && c >= k
        && let Some(last) = shown.last_mut()
    {
        *last = c;
    }
    let mut out = vec![compact[0].clone()];
    out.extend(shown.iter().map(|&i| voices[i].clone()));
    out.push(more(n - k));
    out
}

/// The Results screen's list of disagreements: each question respondents answer differently
/// (its prompt, who says what, the one that counts) and each data object they name different
/// owners for. Empty when they agree everywhere.
pub fn disagreements(
    content: &crate::content::Content,
    s: &Session,
    t: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let w = usize::from(width).max(20);
    let a = &s.assessment;
    let name = |r: &Option<String>| match r {
        None => "the assessor".to_string(),
        Some(id) => a.respondent_name(id),
    };
    let mut out = Vec::new();
    for v in s.eval.voices.iter().filter(|v| v.disagree) {
        let prompt = content
            .questionnaire(&v.questionnaire)
            .and_then(|qn| qn.question(&v.question))
            .map_or_else(|| v.question.clone(), |q| q.prompt.trim().to_string());
        let on = v
            .subject
            .as_ref()
            .map_or(String::new(), |x| format!(" ({x})"));
        let settled = v.why == crate::engine::voices::Why::Final;
        out.push(Line::styled(
            crate::text::fit(
                &format!(
                    "{}{}{}",
                    if settled { "settled · " } else { "" },
                    safe(&prompt),
                    safe(&on),
                ),
                w,
            ),
            if settled { t.dim() } else { Style::new() },
        ));
        for voice in &v.answers {
            let counts = voice.respondent == v.counted;
            out.push(Line::from(vec![
                Span::styled(
                    if counts { "  ✓ " } else { "    " },
                    if counts { t.good() } else { t.dim() },
                ),
                Span::raw(crate::text::fit(
                    &format!(
                        "{}: {}",
                        safe(&name(&voice.respondent)),
                        safe(&voice.answer)
                    ),
                    w.saturating_sub(4),
                )),
            ]));
        }
    }
    for (object, own) in &a.ownership {
        for (label, entry) in own.views() {
            let distinct: std::collections::BTreeSet<&str> =
                entry.said.values().map(String::as_str).collect();
            if entry.is_final || distinct.len() < 2 {
                continue;
            }
            let scope = label.map_or(String::new(), |l| format!(" in scope {l}"));
            out.push(Line::raw(crate::text::fit(
                &format!("Who owns {}{}", object.as_str(), safe(&scope)),
                w,
            )));
            for (who, system) in &entry.said {
                let sys = a
                    .systems
                    .iter()
                    .find(|x| &x.id == system)
                    .map_or(system.clone(), |x| x.name.clone());
                out.push(Line::raw(crate::text::fit(
                    &format!("    {}: {}", safe(&a.respondent_name(who)), safe(&sys)),
                    w,
                )));
            }
        }
    }
    out
}

/// What a respondent's answers in one questionnaire say against the answers that count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stand {
    /// Answered, and nowhere against the answer that counts.
    Agree,
    /// Answered at least one question differently from the answer that counts.
    Disagree,
    /// Gave no answer in it.
    NotAsked,
}

/// Questionnaires (those any respondent answered, in content order) × respondents: where each
/// one agrees with the answers that count, disagrees, or was not asked.
pub fn stands(content: &crate::content::Content, s: &Session) -> Vec<(String, Vec<Stand>)> {
    let a = &s.assessment;
    let answered = |q: &str, r: &str| {
        a.answers
            .iter()
            .any(|x| x.questionnaire == q && x.respondent.as_deref() == Some(r))
    };
    let against = |q: &str, r: &str| {
        s.eval.voices.iter().any(|v| {
            v.questionnaire == q
                && v.disagree
                && v.counted.as_deref() != Some(r)
                && v.answers.iter().any(|x| {
                    x.respondent.as_deref() == Some(r)
                        && v.answers
                            .iter()
                            .find(|c| c.respondent == v.counted)
                            .is_some_and(|c| c.answer != x.answer)
                })
        })
    };
    content
        .questionnaires
        .iter()
        .filter(|q| a.respondents.iter().any(|r| answered(&q.id, &r.id)))
        .map(|q| {
            let row = a
                .respondents
                .iter()
                .map(|r| {
                    if !answered(&q.id, &r.id) {
                        Stand::NotAsked
                    } else if against(&q.id, &r.id) {
                        Stand::Disagree
                    } else {
                        Stand::Agree
                    }
                })
                .collect();
            (q.title.clone(), row)
        })
        .collect()
}

/// The grid of [`stands`] for the Results screen: one column per respondent (first names),
/// ✓ agrees, ✗ disagrees, · not asked.
pub fn grid(content: &crate::content::Content, s: &Session, t: &Theme) -> Vec<Line<'static>> {
    let rows = stands(content, s);
    if rows.is_empty() {
        return Vec::new();
    }
    let a = &s.assessment;
    let names: Vec<String> = a
        .respondents
        .iter()
        .map(|r| {
            let n = if r.name.is_empty() { &r.id } else { &r.name };
            crate::text::fit(&safe(n.split_whitespace().next().unwrap_or(n)), 8)
        })
        .collect();
    let mut out = vec![Line::styled(
        format!(
            "{:<24}{}",
            "✓ agrees · ✗ differs · · not asked",
            names.iter().map(|n| format!(" {n:>8}")).collect::<String>()
        ),
        t.dim(),
    )];
    for (title, row) in rows {
        let mut spans = vec![Span::raw(crate::text::fit(&safe(&title), 24))];
        for stand in row {
            let (mark, style) = match stand {
                Stand::Agree => ("✓", t.good()),
                Stand::Disagree => ("✗", t.bad()),
                Stand::NotAsked => ("·", t.dim()),
            };
            spans.push(Span::styled(format!(" {mark:>8}"), style));
        }
        out.push(Line::from(spans));
    }
    out
}

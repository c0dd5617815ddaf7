//! `stackmap answer` and `stackmap score`: the engine on the command line.

use std::io::{self, Write};

use crate::engine::gate::Gate;
use crate::engine::{self, Evaluation, round1};
use crate::error::{Error, Result};
use crate::model::*;
use crate::text::safe;
use crate::validate::assessment::typed_value;
use crate::vocab::*;
use crate::workspace::{self, Sources};

use super::output::{json, table};
use super::{AnswerArgs, Format, ScoreArgs};

fn io_err(e: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

pub fn answer(
    sources: &Sources,
    args: &AnswerArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    if args.rest_unknown {
        return rest_unknown(sources, args, out);
    }
    let question_id = args.question.clone().unwrap_or_default();
    let content = sources.content_strict()?;
    let now = super::edit::now();
    let saved = workspace::update_assessment(&args.file, &content, |a| {
        let q = questionnaire(&content, &args.questionnaire)?;
        let question = q.question(&question_id).ok_or_else(|| {
            let moved = q.moved_hint(&question_id);
            Error::Usage(if moved.is_empty() {
                format!(
                    "questionnaire `{}` has no question `{}`{}",
                    q.id,
                    question_id,
                    crate::diag::hint(&question_id, q.index.keys().map(String::as_str))
                )
            } else {
                format!(
                    "questionnaire `{}` has no question `{}`{moved}",
                    q.id, question_id
                )
            })
        })?;
        let subject = subject_of(q, a, args.subject.as_ref())?;
        if args.confirm {
            return crate::infer::confirm(
                a,
                &q.id,
                subject.as_deref(),
                &question.id,
                args.confidence.as_deref().and_then(Confidence::parse),
                args.by.clone().filter(|b| !b.trim().is_empty()),
                now,
            )
            .map_err(Error::Usage);
        }
        let state = if args.unknown {
            AnswerState::Unknown
        } else if args.na {
            AnswerState::NotApplicable
        } else {
            let text = args.value.as_deref().unwrap_or_default();
            let systems: Vec<&str> = a.systems.iter().map(|s| s.id.as_str()).collect();
            AnswerState::Value(typed_value(question, text, &systems).map_err(Error::Usage)?)
        };
        let by = args
            .by
            .clone()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| a.engagement.assessor.clone());
        if let Some(r) = &args.respondent
            && a.respondent(r).is_none()
        {
            return Err(Error::Usage(format!(
                "`{r}` is not a respondent of this assessment{}; add one with `stackmap respondent FILE --id ID --name NAME`",
                crate::diag::hint(r, a.respondents.iter().map(|x| x.id.as_str()))
            )));
        }
        let existing = a.answers.iter().position(|x| {
            x.questionnaire == q.id
                && x.subject == subject
                && x.question == question.id
                && x.respondent == args.respondent
        });
        let previous = existing.map(|i| a.answers.remove(i));
        // One answer counts: marking this one final unmarks the others.
        if args.is_final {
            for x in a.answers.iter_mut().filter(|x| {
                x.questionnaire == q.id && x.subject == subject && x.question == question.id
            }) {
                x.is_final = false;
            }
        }
        a.answers.push(Answer {
            questionnaire: q.id.clone(),
            subject,
            question: question.id.clone(),
            state,
            // A note or evidence given replaces the old one; left out, the old one stays.
            note: args
                .note
                .clone()
                .or_else(|| previous.as_ref().map(|p| p.note.clone()))
                .unwrap_or_default(),
            private: args.private
                || (args.note.is_none() && previous.as_ref().is_some_and(|p| p.private)),
            evidence: if args.evidence.is_empty() {
                previous
                    .as_ref()
                    .map(|p| p.evidence.clone())
                    .unwrap_or_default()
            } else {
                args.evidence.clone()
            },
            confidence: args
                .confidence
                .as_deref()
                .and_then(Confidence::parse)
                .or_else(|| previous.as_ref().and_then(|p| p.confidence)),
            by,
            at: Some(now),
            // A person's answer: it replaces one read from the inventory.
            inferred_by: None,
            respondent: args.respondent.clone(),
            is_final: args.is_final || previous.as_ref().is_some_and(|p| p.is_final),
        });
        a.engagement.updated = Some(now);
        Ok(())
    })?;
    writeln!(out, "saved {}", safe(&args.file.display().to_string())).map_err(io_err)?;
    // Saved either way; say so when the answer will not count, so nobody wonders why the
    // score did not move.
    let file = args.file.display().to_string();
    if let Ok(e) = engine::evaluate_assessment(&content, &saved, &file, None) {
        let asked = e.questions.iter().find(|s| {
            *s.questionnaire == *args.questionnaire
                && s.subject.as_deref() == args.subject.as_deref()
                && *s.question == *question_id
        });
        let why = match asked {
            Some(s) if !s.applicable && !args.na => {
                Some("its condition does not hold for this subject now".to_string())
            }
            // An unknown or a value the profile does not ask for is heard all the same.
            None if args.na => Some(format!(
                "profile `{}` does not ask this question",
                e.profile
            )),
            _ => None,
        };
        if let Some(why) = why {
            writeln!(err, "note: the answer is kept but not scored: {why}").map_err(io_err)?;
        } else if asked.is_some_and(|s| !s.asked) {
            writeln!(
                err,
                "note: profile `{}` does not ask this question; the answer counts all the same",
                e.profile
            )
            .map_err(io_err)?;
        }
    }
    Ok(0)
}

/// The questionnaire `id` of the content in force.
fn questionnaire<'c>(content: &'c crate::content::Content, id: &str) -> Result<&'c Questionnaire> {
    content.questionnaire(id).ok_or_else(|| {
        Error::Usage(format!(
            "unknown questionnaire `{}`{}",
            id,
            crate::diag::hint_or(
                id,
                content.questionnaires.iter().map(|q| q.id.as_str()),
                crate::content::LIST_QUESTIONNAIRES
            )
        ))
    })
}

/// The subject named for a question of `q` (`None` for engagement scope), checked against
/// the assessment.
fn subject_of(
    q: &Questionnaire,
    a: &Assessment,
    subject: Option<&String>,
) -> Result<Option<String>> {
    Ok(match (q.scope, subject) {
        (Scope::Engagement, None) => None,
        (Scope::Engagement, Some(_)) => {
            return Err(Error::Usage(format!(
                "`{}` is asked once per engagement: leave out --subject",
                q.id
            )));
        }
        (scope, None) => {
            return Err(Error::Usage(format!(
                "`{}` is asked per {scope}: name it with --subject",
                q.id
            )));
        }
        (Scope::System, Some(s)) => {
            if a.system(s).is_none() {
                return Err(Error::Usage(format!(
                    "--subject `{s}` is not a system of this assessment{}",
                    crate::diag::hint(s, a.systems.iter().map(|x| x.id.as_str()))
                )));
            }
            Some(s.clone())
        }
        (Scope::Flow, Some(s)) => {
            if a.flow(s).is_none() {
                return Err(Error::Usage(format!(
                    "--subject `{s}` is not a flow of this assessment{}",
                    crate::diag::hint(s, a.flows.iter().map(|x| x.id.as_str()))
                )));
            }
            Some(s.clone())
        }
    })
}

/// `answer --rest-unknown`: every applicable question of the questionnaire and subject with
/// no answer yet becomes unknown, under the same lock and checks as one answer.
fn rest_unknown(sources: &Sources, args: &AnswerArgs, out: &mut dyn Write) -> Result<i32> {
    let content = sources.content_strict()?;
    let now = super::edit::now();
    let file = args.file.display().to_string();
    let mut marked = Vec::new();
    let mut asked = false;
    let mut profile = String::new();
    workspace::update_assessment(&args.file, &content, |a| {
        let q = questionnaire(&content, &args.questionnaire)?;
        let subject = subject_of(q, a, args.subject.as_ref())?;
        let by = args
            .by
            .clone()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| a.engagement.assessor.clone());
        let e = engine::evaluate_assessment(&content, a, &file, None)?;
        asked = e.questions.iter().any(|s| {
            *s.questionnaire == *q.id && s.subject.as_deref() == subject.as_deref() && s.asked
        });
        profile.clone_from(&e.profile);
        marked = crate::edit::rest_unknown(a, &e, &q.id, subject.as_deref(), &by, Some(now));
        if !marked.is_empty() {
            a.engagement.updated = Some(now);
        }
        Ok(())
    })?;
    writeln!(out, "saved {}", safe(&file)).map_err(io_err)?;
    let whose = args
        .subject
        .as_deref()
        .map(|s| format!(" about `{}`", safe(s)))
        .unwrap_or_default();
    if !asked {
        writeln!(
            out,
            "  nothing to mark: profile `{profile}` does not ask `{}`{whose}",
            args.questionnaire
        )
        .map_err(io_err)?;
    } else if marked.is_empty() {
        writeln!(
            out,
            "  nothing to mark: every applicable question of `{}`{whose} has an answer",
            args.questionnaire
        )
        .map_err(io_err)?;
    } else {
        writeln!(
            out,
            "  marked unknown in `{}`{whose}: {}",
            args.questionnaire,
            marked.join(", ")
        )
        .map_err(io_err)?;
    }
    Ok(0)
}

pub fn score(
    sources: &Sources,
    args: &ScoreArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let gates: Vec<Gate> = args
        .fail_on
        .iter()
        .map(|g| {
            g.parse::<Gate>()
                .map_err(|e| Error::Usage(format!("--fail-on {g}: {e}")))
        })
        .collect::<Result<_>>()?;
    let (content, a) = workspace::content_and_assessment(sources, &args.file)?;
    for g in &gates {
        if let Gate::Finding(id) = g
            && content.finding(id).is_none()
        {
            return Err(Error::Usage(format!(
                "--fail-on finding={id}: no finding has that id, so the gate could never fail; \
                 run `stackmap list findings` to see the ids"
            )));
        }
    }
    let file = args.file.display().to_string();
    let e = engine::evaluate_assessment(&content, &a, &file, args.slice_budget)?;
    match args.format {
        Format::Json if args.questions => json(out, &WithQuestions::new(&e)).map_err(io_err)?,
        Format::Json => super::output::evaluation_json(out, &e).map_err(io_err)?,
        Format::Text => text(out, &a, &e, args.all_reasons).map_err(io_err)?,
    }
    let failed: Vec<String> = gates.iter().filter_map(|g| g.check(&e)).collect();
    for f in &failed {
        writeln!(err, "gate failed: {f}").map_err(io_err)?;
    }
    // The process ends right after this command: handing the large trees back to the
    // allocator one node at a time costs several milliseconds on a big engagement and
    // achieves nothing the exit does not.
    std::mem::forget(e);
    std::mem::forget(a);
    std::mem::forget(content);
    Ok(if failed.is_empty() { 0 } else { 1 })
}

/// The evaluation with its per-question states, for `score --questions`.
#[derive(serde::Serialize)]
struct WithQuestions<'a> {
    #[serde(flatten)]
    evaluation: &'a Evaluation,
    questions: Vec<QuestionOut<'a>>,
}

#[derive(serde::Serialize)]
struct QuestionOut<'a> {
    questionnaire: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    section: &'a str,
    question: &'a str,
    applicable: bool,
    answered: bool,
    unknown: bool,
    /// 0–100; absent when unanswered, unknown or unscored.
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    /// `false` (and only then written) for a question the profile does not ask, here because
    /// its answer was heard and counts.
    #[serde(skip_serializing_if = "is_true")]
    asked: bool,
    /// `true` (and only then written) for an answer read from the inventory, not confirmed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    inferred: bool,
}

fn is_true(b: &bool) -> bool {
    *b
}

impl<'a> WithQuestions<'a> {
    fn new(e: &'a Evaluation) -> Self {
        WithQuestions {
            evaluation: e,
            questions: e
                .questions
                .iter()
                .map(|q| QuestionOut {
                    questionnaire: &q.questionnaire,
                    subject: q.subject.as_deref(),
                    section: &q.section,
                    question: &q.question,
                    applicable: q.applicable,
                    answered: q.answered,
                    unknown: q.unknown,
                    score: q.score.map(|s| round1(100.0 * s)),
                    asked: q.asked,
                    inferred: q.inferred,
                })
                .collect(),
        }
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn text(out: &mut dyn Write, a: &Assessment, e: &Evaluation, all: bool) -> io::Result<()> {
    writeln!(
        out,
        "{} — {} (profile {})",
        safe(&a.engagement.client),
        safe(&a.engagement.title),
        e.profile
    )?;
    writeln!(
        out,
        "Overall {} · coverage {} ({} of {} applicable questions answered)",
        e.overall_label(1),
        pct(e.coverage),
        e.answered,
        e.applicable
    )?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = e
        .dimensions
        .iter()
        .map(|d| {
            vec![
                d.id.words().to_string(),
                d.score.label(1),
                pct(d.score.coverage),
                format!("{}", round1(d.weight)),
            ]
        })
        .collect();
    table(out, &["DIMENSION", "SCORE", "COVERAGE", "WEIGHT"], &rows)?;
    for (lane, title) in [
        (Horizon::Immediate, "Immediate fixes"),
        (Horizon::Architecture, "Architecture changes"),
    ] {
        writeln!(out)?;
        let list: Vec<_> = e.lane(lane).collect();
        writeln!(out, "{title} ({})", list.len())?;
        if list.is_empty() {
            writeln!(out, "  none")?;
        }
        for d in list {
            writeln!(out, "{:>3}. {}  [{}]", d.rank, safe(&d.title), d.id)?;
            let t = &d.terms;
            let mut line = format!("     priority {} = {}", t.computed, t.product());
            if let Some(m) = t.manual {
                line = format!(
                    "     priority {m} (set by the assessor: {}); computed {}",
                    safe(&t.manual_reason),
                    t.computed
                );
            }
            writeln!(out, "{line}")?;
            let mut facts = vec![format!("status {}", d.status)];
            if let Some(s) = d.slice {
                facts.push(format!("slice {s}"));
            }
            if !d.owner.is_empty() {
                facts.push(format!("owner {}", safe(&d.owner)));
            }
            if !d.depends_on.is_empty() {
                facts.push(format!("after {}", d.depends_on.join(", ")));
            }
            writeln!(out, "     {}", facts.join(" · "))?;
            if d.about.wider_than_title() {
                let flows = if all { usize::MAX } else { 3 };
                writeln!(out, "     about {}", safe(&d.about.describe(a, flows)))?;
            }
            let shown = if all {
                d.because.len()
            } else {
                d.because.len().min(3)
            };
            for b in &d.because[..shown] {
                writeln!(
                    out,
                    "     because {}",
                    safe(b.text.lines().next().unwrap_or_default())
                )?;
            }
            if shown < d.because.len() {
                writeln!(
                    out,
                    "     … and {} more (--all-reasons)",
                    d.because.len() - shown
                )?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "Roadmap")?;
    if e.roadmap.is_empty() {
        writeln!(out, "  nothing to sequence")?;
    }
    for s in &e.roadmap {
        writeln!(
            out,
            "  Slice {} (effort {}): {}",
            s.slice,
            s.effort,
            s.decisions.join(", ")
        )?;
    }
    open_questions(out, a, e, all)?;
    for w in &e.warnings {
        writeln!(out, "warning: {}", safe(&w.to_string()))?;
    }
    Ok(())
}

/// Open questions shown in the text output before `--all-reasons` asks for every one.
const OPEN_SHOWN: usize = 10;

/// "What to ask next": the engine's open questions, grouped by subject as it ranks them.
fn open_questions(
    out: &mut dyn Write,
    a: &Assessment,
    e: &Evaluation,
    all: bool,
) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "What to ask next ({})", e.open_questions.len())?;
    if e.open_questions.is_empty() {
        writeln!(out, "  nothing open")?;
    }
    let shown = if all {
        e.open_questions.len()
    } else {
        e.open_questions.len().min(OPEN_SHOWN)
    };
    let mut current = None;
    for q in &e.open_questions[..shown] {
        if current != Some(&q.subject) {
            current = Some(&q.subject);
            let name = match &q.subject {
                None => "the engagement".to_string(),
                Some(s) if s.kind == engine::SubjectKind::System => {
                    format!("system {}", safe(&a.system_name(&s.id)))
                }
                Some(s) if s.kind == engine::SubjectKind::Object => {
                    format!("data object {}", safe(&s.id))
                }
                Some(s) => format!("flow {}", safe(&a.flow_name(&s.id))),
            };
            writeln!(out, "  {name}")?;
        }
        let what = q
            .field
            .clone()
            .or_else(|| q.question.clone())
            .unwrap_or_default();
        writeln!(out, "   - {} [{}, {}]", safe(&q.text), what, q.why.label())?;
        if !q.could_raise.is_empty() {
            writeln!(out, "     could raise {}", q.could_raise.join(", "))?;
        }
    }
    if shown < e.open_questions.len() {
        writeln!(
            out,
            "  … and {} more (--all-reasons)",
            e.open_questions.len() - shown
        )?;
    }
    Ok(())
}

//! The pre-read: the questions a profile asks, written for the client before the first
//! workshop (`stackmap questions`), as CSV to fill in and read back (`import --answers`, see
//! `import::answers`) or as Markdown to print. Pure: text in, text out.
//!
//! The questions are those the profile asks whose conditions hold now (and those marked not
//! applicable, so the mark can be seen and undone), per questionnaire in the profile's order,
//! per subject, in interview order. Columns: docs/FORMATS.md, "Answers (CSV)".

use std::collections::HashMap;

use crate::content::Content;
use crate::engine::Evaluation;
use crate::import::answers::{answer_text, expected};
use crate::model::*;
use crate::report::Audience;
use crate::text::{reflow, safe, safe_multiline};
use crate::vocab::*;

/// The columns the CSV is written with, in order (`import::ANSWER_COLUMNS` reads them).
pub const COLUMNS: &[&str] = &[
    "questionnaire",
    "subject",
    "question",
    "prompt",
    "help",
    "options",
    "answer",
    "note",
    "confidence",
    "by",
    "subject_name",
    "section",
    "kind",
    "inferred",
];

/// One question asked of one subject, with the answer the file has.
pub struct Item<'c, 'a> {
    pub questionnaire: &'c Questionnaire,
    pub section: &'c Section,
    pub question: &'c Question,
    pub subject: Option<String>,
    pub answer: Option<&'a Answer>,
}

/// The questions to send, in interview order.
pub fn items<'c, 'a>(content: &'c Content, a: &'a Assessment, e: &Evaluation) -> Vec<Item<'c, 'a>> {
    let Some(profile) = content.profile(&a.engagement.profile) else {
        return Vec::new();
    };
    let asked = profile.interview(content);
    // Subjects per questionnaire in the order the engine met them; which (subject, question)
    // it asks now.
    let mut subjects: Vec<(&str, Vec<Option<&str>>)> = Vec::new();
    let mut shown: HashMap<(&str, Option<&str>, &str), ()> = HashMap::new();
    for s in &e.questions {
        if !s.asked || !(s.applicable || s.na) {
            continue;
        }
        let q: &str = &s.questionnaire;
        let subject = s.subject.as_deref();
        match subjects.iter_mut().find(|(id, _)| *id == q) {
            Some((_, list)) => {
                if !list.contains(&subject) {
                    list.push(subject);
                }
            }
            None => subjects.push((q, vec![subject])),
        }
        shown.insert((q, subject, &s.question), ());
    }
    let answers: HashMap<(&str, Option<&str>, &str), &Answer> = a
        .answers
        .iter()
        .map(|x| {
            (
                (
                    x.questionnaire.as_str(),
                    x.subject.as_deref(),
                    x.question.as_str(),
                ),
                x,
            )
        })
        .collect();
    let mut order: Vec<&str> = Vec::new();
    for x in &asked {
        if !order.contains(&x.questionnaire.id.as_str()) {
            order.push(&x.questionnaire.id);
        }
    }
    let mut out = Vec::new();
    for qid in order {
        let Some((_, subs)) = subjects.iter().find(|(id, _)| *id == qid) else {
            continue;
        };
        for subject in subs {
            for x in asked.iter().filter(|x| x.questionnaire.id == qid) {
                let key = (qid, *subject, x.question.id.as_str());
                if !shown.contains_key(&key) {
                    continue;
                }
                out.push(Item {
                    questionnaire: x.questionnaire,
                    section: x.section,
                    question: x.question,
                    subject: subject.map(str::to_string),
                    answer: answers.get(&key).copied(),
                });
            }
        }
    }
    out
}

/// The question's help, short: its first paragraph, cut at a sentence end near 200 characters.
pub fn short_help(help: &str) -> String {
    let text = reflow(help);
    let first = text.split("\n\n").next().unwrap_or_default().trim();
    const MAX: usize = 200;
    if first.chars().count() <= MAX {
        return first.to_string();
    }
    let cut: String = first.chars().take(MAX).collect();
    match cut.rfind(". ") {
        Some(i) if i > 40 => cut[..=i].to_string(),
        _ => format!("{}…", cut.trim_end()),
    }
}

fn subject_name(a: &Assessment, q: &Questionnaire, subject: Option<&str>) -> String {
    match (q.scope, subject) {
        (Scope::System, Some(s)) => a.system_name(s),
        (Scope::Flow, Some(s)) => a.flow_name(s),
        _ => String::new(),
    }
}

/// A note as the audience may see it: a private note only for the assessor's team.
fn note(x: &Answer, audience: Audience) -> &str {
    if x.private && audience == Audience::Client {
        ""
    } else {
        &x.note
    }
}

/// A cell safe to open in a spreadsheet: controls visible (newlines kept), and a leading `=`,
/// `+`, `-` or `@` behind a `'` so it cannot run as a formula (`import --answers` takes the
/// `'` off again).
fn cell(s: &str) -> String {
    let s = safe_multiline(s);
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    }
}

/// The questions file: RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, one row
/// per question and subject.
pub fn csv(content: &Content, a: &Assessment, e: &Evaluation, audience: Audience) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // The csv writer only fails on I/O, and a Vec does not fail.
    let _ = w.write_record(COLUMNS);
    for it in items(content, a, e) {
        let q = it.question;
        let (answer, note_text, confidence, by, inferred) = match it.answer {
            Some(x) => (
                answer_text(&x.state),
                note(x, audience).to_string(),
                x.confidence
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_default(),
                x.by.clone(),
                // Read from the map, not yet confirmed by a person: the rule that read it.
                x.inferred_by.clone().unwrap_or_default(),
            ),
            None => Default::default(),
        };
        let _ = w.write_record([
            it.questionnaire.id.clone(),
            it.subject.clone().unwrap_or_default(),
            q.id.clone(),
            cell(&reflow(&q.prompt)),
            cell(&short_help(&q.help)),
            cell(&expected(q, a)),
            cell(&answer),
            cell(&note_text),
            confidence,
            cell(&by),
            cell(&subject_name(a, it.questionnaire, it.subject.as_deref())),
            it.section.id.clone(),
            q.kind.as_str().to_string(),
            cell(&inferred),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// Markdown text: a line break inside a paragraph kept, characters Markdown reads escaped.
fn md(s: &str) -> String {
    let mut out = String::new();
    for c in safe(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The questions as Markdown, to print for a meeting: per questionnaire and subject, each
/// question with its help, what an answer may be, and the answer so far (or a line to write on).
pub fn markdown(content: &Content, a: &Assessment, e: &Evaluation, audience: Audience) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Questions for {} — {}\n",
        md(&a.engagement.client),
        md(&a.engagement.title)
    );
    let _ = writeln!(
        out,
        "Profile `{}`. “unknown” and “n/a” (does not apply) are answers too; a note says more.\n",
        safe(&a.engagement.profile)
    );
    let items = items(content, a, e);
    let mut heading: Option<(&str, Option<String>)> = None;
    let mut n = 0;
    for it in &items {
        let here = (it.questionnaire.id.as_str(), it.subject.clone());
        if heading.as_ref().is_none_or(|h| h.0 != here.0) {
            let _ = writeln!(out, "## {}\n", md(&it.questionnaire.title));
            n = 0;
        }
        if heading.as_ref() != Some(&here) && it.subject.is_some() {
            let _ = writeln!(
                out,
                "### {} (`{}`)\n",
                md(&subject_name(a, it.questionnaire, it.subject.as_deref())),
                safe(it.subject.as_deref().unwrap_or_default())
            );
            n = 0;
        }
        heading = Some(here);
        n += 1;
        let q = it.question;
        let _ = writeln!(
            out,
            "{n}. **{}** `{}/{}`",
            md(&reflow(&q.prompt)),
            it.questionnaire.id,
            q.id
        );
        let help = short_help(&q.help);
        if !help.is_empty() {
            let _ = writeln!(out, "   {}", md(&help));
        }
        let _ = writeln!(out, "   - Answer with {}", md(&expected(q, a)));
        match it.answer {
            Some(x) if x.state != AnswerState::Open => {
                let _ = writeln!(
                    out,
                    "   - Answer so far: **{}**{}",
                    match answer_text(&x.state) {
                        // A multi question answered with nothing chosen.
                        t if t.is_empty() => "none of these".to_string(),
                        t => md(&t),
                    },
                    if x.is_inferred() {
                        " (read from the map of your systems: confirm or correct it)"
                    } else {
                        ""
                    }
                );
            }
            _ => {
                let _ = writeln!(out, "   - Answer: ____________________");
            }
        }
        if let Some(x) = it.answer {
            let text = note(x, audience);
            if !text.is_empty() {
                let _ = writeln!(out, "   - Note: {}", md(&reflow(text)));
            }
        }
        let _ = writeln!(out);
    }
    if items.is_empty() {
        let _ = writeln!(
            out,
            "No questions to ask: the profile asks none that apply now."
        );
    }
    out
}

//! Reading answers back from a filled-in questions file (`stackmap questions --format csv`,
//! then `stackmap import --answers`), and the text an answer is written as in that file.
//!
//! Pure, like the rest of the import: [`import_answers`] returns the new assessment and what
//! each row did, or every problem found (each at its file, line and column, saying what was
//! expected) and nothing else. Values are read by `validate::assessment::typed_value`, the one
//! reader `stackmap answer` and the terminal UI use, after an option's label is read as its id.
//! The rules are documented in docs/FORMATS.md, "Answers (CSV)".

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::content::Content;
use crate::diag::{Diagnostic, hint};
use crate::model::*;
use crate::validate::assessment::typed_value;
use crate::vocab::*;

use super::table::{Ctx, Row, Table, read_table};
use super::words::{ANSWER_COLUMNS, Field};
use super::{CsvText, ImportReport};

/// What a row did to the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// An answer where there was none (or only an open one, a note without a value).
    Added,
    /// An answer that differed, replaced (`--overwrite`).
    Replaced,
    /// The same answer, with a note, confidence or author it did not have yet.
    Completed,
    /// An answer that differs from the file's, left as the file has it.
    Skipped,
    /// Nothing new.
    Unchanged,
}

/// One row that named a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowResult {
    pub line: u32,
    pub questionnaire: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub question: String,
    pub outcome: Outcome,
    /// The answer in the file before, as the questions file writes it (empty: none).
    pub was: String,
    /// The answer the row gives.
    pub row: String,
    /// For a skipped or replaced row: what differs (`answer`, `note`, `confidence`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differs: Vec<&'static str>,
}

/// What an answers import did, row by row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnswersReport {
    /// Rows naming a question, in file order (blank rows are not listed).
    pub rows: Vec<RowResult>,
    /// Rows that named a question but gave no answer and no note: they change nothing.
    pub blank: usize,
}

impl AnswersReport {
    pub fn count(&self, o: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == o).count()
    }
}

/// The text an answer state is written as in the questions file: an option id (several,
/// separated by commas, for a multi question), a number, the text, a system id, `unknown`,
/// `n/a`, or nothing for an open answer.
pub fn answer_text(state: &AnswerState) -> String {
    match state {
        AnswerState::Value(v) => match v {
            Value::Choice(id) | Value::System(id) => id.clone(),
            Value::Choices(ids) => ids.join(","),
            Value::Number(x) => x.to_string(),
            Value::Text(t) => t.clone(),
        },
        AnswerState::Unknown => "unknown".into(),
        AnswerState::NotApplicable => "n/a".into(),
        AnswerState::Open => String::new(),
    }
}

/// What an answer to `q` may be, in words, for the questions file and for messages.
pub fn expected(q: &Question, a: &Assessment) -> String {
    let options = || {
        q.options
            .iter()
            .map(|o| {
                if o.label.trim().is_empty() || o.label == o.id {
                    o.id.clone()
                } else {
                    format!("{}: {}", o.id, o.label.trim())
                }
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let range = || match (q.min, q.max) {
        (Some(lo), Some(hi)) => format!(" from {lo} to {hi}"),
        (Some(lo), None) => format!(" of at least {lo}"),
        (None, Some(hi)) => format!(" of at most {hi}"),
        (None, None) => String::new(),
    };
    let unit = if q.unit.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", q.unit.trim())
    };
    match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => format!("one of: {}", options()),
        QuestionKind::Multi => format!("any of, separated by commas: {}", options()),
        QuestionKind::Scale => {
            let ends = match (q.min_label.trim(), q.max_label.trim()) {
                ("", "") => String::new(),
                (lo, hi) => format!(" ({} = {lo}, {} = {hi})", fmt(q.min), fmt(q.max)),
            };
            format!("a whole number{}{ends}", range())
        }
        QuestionKind::Number => format!("a number{}{unit}", range()),
        QuestionKind::Text => "free text".into(),
        QuestionKind::SystemPick => {
            let systems: Vec<String> = a
                .systems
                .iter()
                .map(|s| {
                    if s.name == s.id {
                        s.id.clone()
                    } else {
                        format!("{}: {}", s.id, s.name)
                    }
                })
                .collect();
            format!("one system: {}", systems.join(" | "))
        }
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

/// A cell as the client left it, with the `'` the questions file puts before a leading `=`,
/// `+`, `-` or `@` (so a spreadsheet does not run it as a formula) taken off again.
fn unquote(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

fn is_unknown(t: &str) -> bool {
    t.eq_ignore_ascii_case("unknown")
}

fn is_na(t: &str) -> bool {
    ["n/a", "na", "not applicable"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
}

/// The typed answer text for `q` with option labels read as their ids, a decimal comma read
/// as a point and a system's name read as its id; then `typed_value` decides.
fn value(q: &Question, text: &str, a: &Assessment) -> Result<Value, String> {
    let option = |t: &str| -> String {
        let t = t.trim();
        if q.option(t).is_some() {
            return t.to_string();
        }
        q.options
            .iter()
            .find(|o| o.label.trim().eq_ignore_ascii_case(t) || o.id.eq_ignore_ascii_case(t))
            .map_or_else(|| t.to_string(), |o| o.id.clone())
    };
    let text = match q.kind {
        QuestionKind::Single | QuestionKind::YesNo => option(text),
        QuestionKind::Multi => {
            let whole = option(text);
            if q.option(&whole).is_some() {
                whole
            } else {
                text.split([',', ';', '|', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(option)
                    .collect::<Vec<_>>()
                    .join(",")
            }
        }
        QuestionKind::Number | QuestionKind::Scale => {
            let t = text.trim();
            if t.matches(',').count() == 1 && !t.contains('.') {
                t.replace(',', ".")
            } else {
                t.to_string()
            }
        }
        QuestionKind::SystemPick => {
            let t = text.trim();
            if a.system(t).is_some() {
                t.to_string()
            } else {
                let named: Vec<&System> = a
                    .systems
                    .iter()
                    .filter(|s| s.name.trim().eq_ignore_ascii_case(t))
                    .collect();
                match named.as_slice() {
                    [one] => one.id.clone(),
                    _ => t.to_string(),
                }
            }
        }
        QuestionKind::Text => text.to_string(),
    };
    let systems: Vec<&str> = a.systems.iter().map(|s| s.id.as_str()).collect();
    typed_value(q, &text, &systems)
}

/// One good row, read.
struct Read {
    line: u32,
    questionnaire: String,
    subject: Option<String>,
    question: String,
    state: AnswerState,
    note: String,
    confidence: Option<Confidence>,
    by: String,
}

/// Records the answers of a filled-in questions file in `assessment`.
///
/// Every row is checked first; when any has a problem, every problem is returned and nothing
/// else. Otherwise a row whose answer (or note, or confidence) differs from one the file has
/// is skipped, or replaces it with `overwrite`; a row that only adds what the file lacks is
/// applied; a row with no answer and no note changes nothing; a row with a note and no answer
/// records an open answer (a note waiting for its value). `by` is who answered where a row
/// does not say (empty: the engagement's assessor); `at` stamps what changed. The result is
/// checked the way a saved file is.
pub fn import_answers(
    content: &Content,
    assessment: &Assessment,
    file: CsvText,
    overwrite: bool,
    by: &str,
    at: Option<DateTime<FixedOffset>>,
) -> Result<(Assessment, AnswersReport), Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let table = read_table(file, ANSWER_COLUMNS, "questions", &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut scratch = ImportReport::default();
    let mut ctx = Ctx {
        diags: &mut diags,
        report: &mut scratch,
    };
    let mut report = AnswersReport::default();
    let mut read: Vec<Read> = Vec::new();
    for row in &table.rows {
        match read_row(&table, row, content, assessment, &mut ctx) {
            RowRead::Blank => report.blank += 1,
            RowRead::Bad => {}
            RowRead::Good(r) => {
                if let Some(first) = read.iter().find(|x| {
                    x.questionnaire == r.questionnaire
                        && x.subject == r.subject
                        && x.question == r.question
                }) {
                    let col = table.at.get(&Field::Question).copied().unwrap_or(0);
                    ctx.error(
                        &table,
                        row,
                        col,
                        format!(
                            "`{}` is answered again for this subject (first at line {}); keep one row",
                            r.question, first.line
                        ),
                    );
                } else {
                    read.push(*r);
                }
            }
        }
    }
    if !diags.is_empty() {
        diags.sort_by_key(|d| (d.line, d.column));
        return Err(diags);
    }
    let default_by = if by.trim().is_empty() {
        assessment.engagement.assessor.clone()
    } else {
        by.to_string()
    };
    let mut a = assessment.clone();
    for r in read {
        let existing = a.answers.iter().position(|x| {
            x.questionnaire == r.questionnaire
                && x.subject == r.subject
                && x.question == r.question
                && x.respondent.is_none()
        });
        let was = existing.map_or_else(String::new, |i| answer_text(&a.answers[i].state));
        let mut result = RowResult {
            line: r.line,
            questionnaire: r.questionnaire.clone(),
            subject: r.subject.clone(),
            question: r.question.clone(),
            outcome: Outcome::Unchanged,
            was,
            row: answer_text(&r.state),
            differs: Vec::new(),
        };
        let by = if r.by.is_empty() {
            default_by.clone()
        } else {
            r.by.clone()
        };
        match existing {
            None => {
                let mut x = Answer::new(r.questionnaire, r.subject, r.question, r.state);
                x.note = r.note;
                x.confidence = r.confidence;
                x.by = by;
                x.at = at;
                a.answers.push(x);
                result.outcome = Outcome::Added;
            }
            Some(i) => {
                let x = &mut a.answers[i];
                // An answer read from the inventory is replaced by the client's, like an open one.
                // A row that repeats it as the questions CSV wrote it (same value, confidence
                // `assumed` or blank, no note) was not answered: it stays inferred.
                let repeated = r.state == x.state
                    && r.confidence.is_none_or(|c| c == Confidence::Assumed)
                    && r.note.is_empty();
                let inferred_before = x.is_inferred() && r.state != AnswerState::Open && !repeated;
                let open_before = x.state == AnswerState::Open || inferred_before;
                // What differs from what the file says (a blank cell says nothing).
                if r.state != AnswerState::Open && r.state != x.state && !open_before {
                    result.differs.push("answer");
                }
                if !r.note.is_empty() && !x.note.is_empty() && r.note != x.note {
                    result.differs.push("note");
                }
                if let (Some(new), Some(old)) = (r.confidence, x.confidence)
                    && new != old
                    && !inferred_before
                {
                    result.differs.push("confidence");
                }
                if !result.differs.is_empty() && !overwrite {
                    result.outcome = Outcome::Skipped;
                } else {
                    let new_state =
                        (r.state != AnswerState::Open && r.state != x.state) || inferred_before;
                    let fills = (!r.note.is_empty() && r.note != x.note)
                        || (r.confidence.is_some() && r.confidence != x.confidence)
                        || (!r.by.is_empty() && r.by != x.by);
                    if new_state {
                        x.state = r.state;
                        x.by = by;
                        x.at = at;
                        if inferred_before {
                            x.inferred_by = None;
                            x.confidence = None;
                        }
                    } else if !r.by.is_empty() {
                        x.by = r.by;
                    }
                    if !r.note.is_empty() {
                        x.note = r.note;
                    }
                    if r.confidence.is_some() {
                        x.confidence = r.confidence;
                    }
                    result.outcome = if !result.differs.is_empty() {
                        Outcome::Replaced
                    } else if new_state && open_before {
                        Outcome::Added
                    } else if new_state || fills {
                        Outcome::Completed
                    } else {
                        Outcome::Unchanged
                    };
                    if fills && !new_state {
                        x.at = at;
                    }
                }
            }
        }
        report.rows.push(result);
    }
    a.canonicalise();
    crate::workspace::checked_text(&a, "<import>", content)?;
    Ok((a, report))
}

enum RowRead {
    Blank,
    Bad,
    Good(Box<Read>),
}

fn read_row(table: &Table, row: &Row, content: &Content, a: &Assessment, ctx: &mut Ctx) -> RowRead {
    let cell = |f: Field| table.cell(row, f).map(|(v, i)| (unquote(v).trim(), i));
    let answer = cell(Field::Answer);
    let note = cell(Field::Note)
        .map(|(v, _)| v.to_string())
        .unwrap_or_default();
    if answer.is_none() && note.is_empty() {
        return RowRead::Blank;
    }
    let col = |f: Field| table.at.get(&f).copied().unwrap_or(0);
    let mut bad = false;
    let Some((qid, qcol)) = cell(Field::Questionnaire) else {
        ctx.error(
            table,
            row,
            col(Field::Questionnaire),
            "empty: expected the questionnaire id this question belongs to, as `stackmap questions` writes it",
        );
        return RowRead::Bad;
    };
    let Some(q) = content.questionnaire(qid) else {
        ctx.error(
            table,
            row,
            qcol,
            format!(
                "unknown questionnaire `{qid}`: expected a questionnaire id of the content in force{}",
                crate::diag::hint_or(
                    qid,
                    content.questionnaires.iter().map(|q| q.id.as_str()),
                    crate::content::LIST_QUESTIONNAIRES
                )
            ),
        );
        return RowRead::Bad;
    };
    let question = match cell(Field::Question) {
        None => {
            ctx.error(
                table,
                row,
                col(Field::Question),
                format!("empty: expected a question id of `{}`", q.id),
            );
            None
        }
        Some((id, i)) => {
            let found = q.question(id);
            if found.is_none() {
                ctx.error(
                    table,
                    row,
                    i,
                    match q.moved(id) {
                        Some(m) => format!(
                            "`{}` has no question `{id}`: it is now asked as `{}/{}`; put the row there",
                            q.id, m.to.0, m.to.1
                        ),
                        None => format!(
                            "`{}` has no question `{id}`: expected one of its question ids{}",
                            q.id,
                            hint(id, q.index.keys().map(String::as_str))
                        ),
                    },
                );
            }
            found
        }
    };
    let subject = match (q.scope, cell(Field::Subject)) {
        (Scope::Engagement, None) => Some(None),
        (Scope::Engagement, Some((s, i))) => {
            ctx.error(
                table,
                row,
                i,
                format!(
                    "`{}` is asked once per engagement: expected an empty subject, not `{s}`",
                    q.id
                ),
            );
            None
        }
        (scope, None) => {
            ctx.error(
                table,
                row,
                col(Field::Subject),
                format!(
                    "empty: `{}` is asked per {scope}; expected the {scope} id it is about",
                    q.id
                ),
            );
            None
        }
        (Scope::System, Some((s, i))) => match a.system(s).or_else(|| {
            let named: Vec<&System> = a
                .systems
                .iter()
                .filter(|x| x.name.trim().eq_ignore_ascii_case(s))
                .collect();
            match named.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        }) {
            Some(x) => Some(Some(x.id.clone())),
            None => {
                ctx.error(
                    table,
                    row,
                    i,
                    format!(
                        "`{s}` is not a system of this assessment: expected a system id{}",
                        hint(s, a.systems.iter().map(|x| x.id.as_str()))
                    ),
                );
                None
            }
        },
        (Scope::Flow, Some((s, i))) => match a.flow(s) {
            Some(x) => Some(Some(x.id.clone())),
            None => {
                ctx.error(
                    table,
                    row,
                    i,
                    format!(
                        "`{s}` is not a flow of this assessment: expected a flow id{}",
                        hint(s, a.flows.iter().map(|x| x.id.as_str()))
                    ),
                );
                None
            }
        },
    };
    let confidence = match cell(Field::Confidence) {
        None => None,
        Some((c, i)) => match Confidence::parse(&c.to_lowercase()) {
            Some(c) => Some(c),
            None => {
                ctx.error(
                    table,
                    row,
                    i,
                    format!("unknown confidence `{c}`: expected verified, stated or assumed"),
                );
                bad = true;
                None
            }
        },
    };
    let (Some(question), Some(subject)) = (question, subject) else {
        return RowRead::Bad;
    };
    let state = match answer {
        None => AnswerState::Open,
        Some((t, _)) if is_unknown(t) => AnswerState::Unknown,
        Some((t, _)) if is_na(t) => AnswerState::NotApplicable,
        Some((t, i)) => match value(question, t, a) {
            Ok(v) => AnswerState::Value(v),
            Err(why) => {
                ctx.error(
                    table,
                    row,
                    i,
                    format!(
                        "{why}; expected {}, or `unknown`, or `n/a`",
                        expected(question, a)
                    ),
                );
                return RowRead::Bad;
            }
        },
    };
    if bad {
        return RowRead::Bad;
    }
    RowRead::Good(Box::new(Read {
        line: row.line,
        questionnaire: q.id.clone(),
        subject,
        question: question.id.clone(),
        state,
        note,
        confidence,
        by: cell(Field::By)
            .map(|(v, _)| v.to_string())
            .unwrap_or_default(),
    }))
}

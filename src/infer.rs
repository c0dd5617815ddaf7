//! Answers read from the inventory (`[[infer]]`, FORMATS.md §2.16).
//!
//! A questionnaire's `[[infer]]` rules say which answer the systems, flows and ownership map
//! already imply. [`apply`] keeps an assessment's inferred answers in line with its inventory:
//! it adds the answers the facts imply now, changes those whose facts changed and removes those
//! whose facts are gone. It never touches an answer a person gave (any entry without
//! `inferred_by`, even one that only holds a note), and a person's answer replaces an inferred
//! one. Every path that changes the inventory calls it before saving: `update_assessment` (the
//! command line, imports into a file), the terminal UI's checked edit path, and `import`.
//! Loading a file never calls it: a file loads as written.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use crate::content::Content;
use crate::engine::context::{Ctx, Subject};
use crate::model::*;
use crate::vocab::*;

type Key = (String, Option<String>, String);

/// What [`apply`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.added + self.changed + self.removed == 0
    }
}

/// The answers the inventory implies now, keyed by (questionnaire, subject, question), each
/// with the rule that gives it: the questions the assessment's profile asks, per subject they
/// are asked of; for each, the first `[[infer]]` rule in file order whose `when` holds. Empty
/// when the profile is not in force.
pub fn derive<'c>(content: &'c Content, a: &Assessment) -> BTreeMap<Key, &'c Infer> {
    let mut out = BTreeMap::new();
    let Some(profile) = content.profile(&a.engagement.profile) else {
        return out;
    };
    let asked: std::collections::HashSet<(&str, &str)> = profile
        .interview(content)
        .iter()
        .map(|x| (x.questionnaire.id.as_str(), x.question.id.as_str()))
        .collect();
    let ctx = Ctx::new(content, profile, a);
    for q in &content.questionnaires {
        if q.infers.is_empty() {
            continue;
        }
        let subjects = crate::engine::score::subjects(a, q);
        for rule in &q.infers {
            if !asked.contains(&(q.id.as_str(), rule.question.id.as_str())) {
                continue;
            }
            let section = q
                .index
                .get(&rule.question.id)
                .map(|&(si, _)| &q.sections[si]);
            for subject in &subjects {
                if let (Subject::System(s), Some(sec)) = (subject, section)
                    && !sec.categories.is_empty()
                    && !sec.categories.contains(&s.category)
                {
                    continue;
                }
                let key = (
                    q.id.clone(),
                    subject.id().map(str::to_string),
                    rule.question.id.clone(),
                );
                if out.contains_key(&key) {
                    continue;
                }
                if ctx.eval(&rule.when, q, *subject) {
                    out.insert(key, rule);
                }
            }
        }
    }
    out
}

/// Brings the inferred answers of `a` in line with its inventory (see the module note).
/// Inferred answers that still hold are left exactly as they are.
pub fn apply(content: &Content, a: &mut Assessment) -> Change {
    let derived: BTreeMap<Key, (String, Value)> = derive(content, a)
        .into_iter()
        .map(|(k, r)| (k, (r.id.clone(), r.value.clone())))
        .collect();
    let mut change = Change::default();
    let mut seen: std::collections::HashSet<Key> = std::collections::HashSet::new();
    a.answers.retain_mut(|x| {
        let key = (
            x.questionnaire.clone(),
            x.subject.clone(),
            x.question.clone(),
        );
        let is_inferred = x.is_inferred();
        seen.insert(key.clone());
        if !is_inferred {
            return true;
        }
        match derived.get(&key) {
            None => {
                change.removed += 1;
                false
            }
            Some((rule, value)) => {
                let state = AnswerState::Value(value.clone());
                if x.inferred_by.as_deref() != Some(rule.as_str()) || x.state != state {
                    x.inferred_by = Some(rule.clone());
                    x.state = state;
                    x.confidence = Some(Confidence::Assumed);
                    change.changed += 1;
                }
                true
            }
        }
    });
    for (key, (rule, value)) in derived {
        if seen.contains(&key) {
            continue;
        }
        let mut x = Answer::new(key.0, key.1, key.2, AnswerState::Value(value));
        x.confidence = Some(Confidence::Assumed);
        x.inferred_by = Some(rule);
        a.answers.push(x);
        change.added += 1;
    }
    if !change.is_empty() {
        a.answers.sort_by(|x, y| {
            (&x.questionnaire, &x.subject, &x.question).cmp(&(
                &y.questionnaire,
                &y.subject,
                &y.question,
            ))
        });
    }
    change
}

/// [`apply`] when the inventory (systems, flows, ownership) of `after` differs from `before`'s:
/// what the save paths call, so a change to answers alone leaves the inferred answers as they
/// are (and a file saved by an older stackmap gains none until its inventory changes).
pub fn apply_if_inventory_changed(
    content: &Content,
    before: &Assessment,
    after: &mut Assessment,
) -> Change {
    if before.systems == after.systems
        && before.flows == after.flows
        && before.ownership == after.ownership
    {
        return Change::default();
    }
    apply(content, after)
}

/// Confirms the inferred answer to a question: it becomes an ordinary answer, with
/// `confidence` (default `stated`: a person said so), `by` (default the engagement's
/// assessor) and `at`. An error when the question has no inferred answer.
pub fn confirm(
    a: &mut Assessment,
    questionnaire: &str,
    subject: Option<&str>,
    question: &str,
    confidence: Option<Confidence>,
    by: Option<String>,
    now: DateTime<FixedOffset>,
) -> Result<(), String> {
    let assessor = a.engagement.assessor.clone();
    let Some(x) = a.answers.iter_mut().find(|x| {
        x.questionnaire == questionnaire
            && x.subject.as_deref() == subject
            && x.question == question
    }) else {
        return Err(format!(
            "`{questionnaire}/{question}` has no answer to confirm; answer it with --value"
        ));
    };
    if !x.is_inferred() {
        return Err(format!(
            "`{questionnaire}/{question}` was answered by a person, not inferred: nothing to \
             confirm (change it with --value)"
        ));
    }
    confirm_answer(x, confidence, by.unwrap_or(assessor), now);
    Ok(())
}

/// Turns an inferred answer into a person's: the value stays; the mark goes.
pub fn confirm_answer(
    x: &mut Answer,
    confidence: Option<Confidence>,
    by: String,
    now: DateTime<FixedOffset>,
) {
    x.inferred_by = None;
    x.confidence = Some(confidence.unwrap_or(Confidence::Stated));
    x.by = by;
    x.at = Some(now);
}

/// The rule that gave an inferred answer, if the content still has it.
pub fn rule_of<'c>(content: &'c Content, x: &Answer) -> Option<&'c Infer> {
    let id = x.inferred_by.as_deref()?;
    content
        .questionnaire(&x.questionnaire)?
        .infers
        .iter()
        .find(|i| i.id == id)
}

/// The facts behind an inferred answer, in words: the rule's `because`, else its id.
pub fn because(content: &Content, x: &Answer) -> String {
    match rule_of(content, x) {
        Some(r) if !r.because.is_empty() => format!("{} ({})", r.because, r.id),
        Some(r) => format!("rule {}", r.id),
        None => x
            .inferred_by
            .as_deref()
            .map_or(String::new(), |id| format!("rule {id}")),
    }
}

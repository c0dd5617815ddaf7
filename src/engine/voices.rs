//! Several voices: which answer counts when respondents answer one question differently, and
//! where they disagree (FORMATS.md §2.17).
//!
//! The rule, in order: an answer marked `final = true` counts; else the assessor's own answer
//! (no `respondent`) unless it is only a note; else, when every respondent said the same, that; else the least
//! favourable answer among those given with the highest confidence (verified, then stated,
//! then assumed, then none said) — a value before an unknown, an unknown before "does not
//! apply", the lowest score among values, then the first respondent by id. Caution wins: a
//! risk one person sees is not averaged away by two who do not.

use serde::Serialize;

use super::score::{describe, question_score};
use crate::model::*;
use crate::vocab::*;

/// The built-in finding raised where respondents disagree, one decision per question or
/// object: `respondents-disagree@inventory`, `respondents-disagree@QUESTIONNAIRE/QUESTION`
/// (`…/SUBJECT/QUESTION` for a system or flow).
pub const DISAGREE: &str = "respondents-disagree";

/// Why an answer counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// Marked `final = true`.
    Final,
    /// The assessor's own answer.
    Assessor,
    /// Every respondent said the same.
    Agreed,
    /// The rule: the least favourable among those with the highest confidence.
    LeastFavourable,
}

impl Why {
    pub fn text(self) -> &'static str {
        match self {
            Why::Final => "marked final",
            Why::Assessor => "the assessor's own answer",
            Why::Agreed => "every respondent said the same",
            Why::LeastFavourable => {
                "no final answer: the least favourable among those given with the highest confidence"
            }
        }
    }
}

/// A question several answers were given to, and which one counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voices {
    pub questionnaire: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub question: String,
    /// The respondent whose answer counts; `None`: the assessor's.
    pub counted: Option<String>,
    pub why: Why,
    /// Whether the answers differ (values, unknown, not applicable).
    pub disagree: bool,
    pub answers: Vec<Voice>,
}

/// One answer among several.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voice {
    /// `None`: the assessor.
    pub respondent: Option<String>,
    pub answer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_final: bool,
}

/// The answer's state as a person reads it.
pub fn answer_text(q: Option<&Question>, s: &AnswerState) -> String {
    match s {
        AnswerState::Value(v) => q.map_or_else(|| format!("{v:?}"), |q| describe(q, v)),
        AnswerState::Unknown => "unknown".into(),
        AnswerState::NotApplicable => "does not apply".into(),
        AnswerState::Open => "not answered yet".into(),
    }
}

fn confidence_rank(c: Option<Confidence>) -> u8 {
    match c {
        Some(Confidence::Verified) => 0,
        Some(Confidence::Stated) => 1,
        Some(Confidence::Assumed) => 2,
        None => 3,
    }
}

/// Which of several answers to one question counts (an index into `list`), and why.
pub fn pick(q: Option<&Question>, list: &[&Answer]) -> (usize, Why) {
    // An answer read from the map counts only where no person has answered.
    let person = |a: &&Answer| !a.is_inferred();
    if list.iter().any(person) && !list.iter().all(person) {
        let people: Vec<usize> = (0..list.len()).filter(|&i| person(&list[i])).collect();
        let heard: Vec<&Answer> = people.iter().map(|&i| list[i]).collect();
        let (j, why) = pick(q, &heard);
        return (people[j], why);
    }
    if let Some(i) = list.iter().position(|a| a.is_final) {
        return (i, Why::Final);
    }
    // The assessor's own, unless it only holds a note (not answered yet).
    if let Some(i) = list
        .iter()
        .position(|a| a.respondent.is_none() && a.state != AnswerState::Open)
    {
        return (i, Why::Assessor);
    }
    let heard: Vec<usize> = (0..list.len())
        .filter(|&i| list[i].state != AnswerState::Open)
        .collect();
    let first = heard.first().copied().unwrap_or(0);
    if heard.iter().all(|&i| list[i].state == list[first].state) {
        return (first, Why::Agreed);
    }
    let best = heard
        .iter()
        .map(|&i| confidence_rank(list[i].confidence))
        .min()
        .unwrap_or(3);
    // Lower sorts first: a value (by its score), then unknown, then not applicable.
    let key = |a: &Answer| -> (u8, f64) {
        match &a.state {
            AnswerState::Value(v) => (0, q.and_then(|q| question_score(q, v)).unwrap_or(1.0)),
            AnswerState::Unknown => (1, 0.0),
            AnswerState::NotApplicable => (2, 0.0),
            AnswerState::Open => (3, 0.0),
        }
    };
    let i = heard
        .iter()
        .copied()
        .filter(|&i| confidence_rank(list[i].confidence) == best)
        .min_by(|&x, &y| {
            key(list[x])
                .partial_cmp(&key(list[y]))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| list[x].respondent.cmp(&list[y].respondent))
        })
        .unwrap_or(first);
    (i, Why::LeastFavourable)
}

/// Whether several answers differ: two heard answers (not open) whose states are not equal.
pub fn differ(list: &[&Answer]) -> bool {
    let mut heard = list.iter().filter(|a| a.state != AnswerState::Open);
    let Some(first) = heard.next() else {
        return false;
    };
    heard.any(|a| a.state != first.state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(respondent: Option<&str>, state: AnswerState, c: Option<Confidence>) -> Answer {
        let mut a = Answer::new("q".into(), None, "x".into(), state);
        a.respondent = respondent.map(str::to_string);
        a.confidence = c;
        a
    }

    fn n(x: f64) -> AnswerState {
        AnswerState::Value(Value::Number(x))
    }

    #[test]
    fn the_rule_picks_final_then_the_assessor_then_agreement_then_caution() {
        let q = Question {
            id: "x".into(),
            pos: crate::diag::Pos::START,
            prompt: String::new(),
            help: String::new(),
            kind: QuestionKind::Scale,
            weight: 1.0,
            dimension: Dimension::Ownership,
            important: true,
            tags: vec![],
            sources: vec![],
            distinct_from: vec![],
            objects: vec![],
            capabilities: vec![],
            show_if: None,
            options: vec![],
            multi_score: MultiScore::Mean,
            min: Some(1.0),
            max: Some(5.0),
            unit: String::new(),
            min_label: String::new(),
            max_label: String::new(),
            thresholds: vec![],
        };
        let v = Some(Confidence::Verified);
        let s = Some(Confidence::Stated);
        let (a, b, c) = (
            answer(Some("a"), n(5.0), v),
            answer(Some("b"), n(2.0), s),
            answer(Some("c"), n(4.0), v),
        );
        // Highest confidence first (a, c verified), then the lower score among them (c).
        assert_eq!(pick(Some(&q), &[&a, &b, &c]), (2, Why::LeastFavourable));
        let mut fin = b.clone();
        fin.is_final = true;
        assert_eq!(pick(Some(&q), &[&a, &fin, &c]), (1, Why::Final));
        let mine = answer(None, n(3.0), None);
        assert_eq!(pick(Some(&q), &[&mine, &a, &c]), (0, Why::Assessor));
        // The assessor's note alone does not count over what respondents said.
        let note = answer(None, AnswerState::Open, None);
        assert_eq!(pick(Some(&q), &[&note, &a]).1, Why::Agreed);
        // A value counts before an unknown: an unknown never hides what someone did say.
        let unknown = answer(Some("d"), AnswerState::Unknown, v);
        assert_eq!(pick(Some(&q), &[&a, &unknown]), (0, Why::LeastFavourable));
        // An answer read from the map (the assessor's, inferred) gives way to any person's.
        let mut read = mine.clone();
        read.inferred_by = Some("rule".into());
        assert_eq!(pick(Some(&q), &[&read, &a]), (1, Why::Agreed));
        assert_eq!(pick(Some(&q), &[&read]), (0, Why::Assessor));
        assert!(differ(&[&a, &unknown]) && !differ(&[&a, &note]));
    }
}

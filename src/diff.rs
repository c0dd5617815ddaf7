//! What changed between two assessments or snapshots ("what changed since the last
//! workshop?"): answers, inventory, scores, decisions — and, kept apart, changes in the
//! questionnaires themselves (a question added, removed or reworded is a change of method,
//! not of the client's stack).
//!
//! Pure and symmetric: `diff(b, a)` is the mirror of `diff(a, b)` (added ↔ removed, old ↔ new,
//! deltas negated), and every list is ordered by its own keys, never by which side came first.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::content::Content;
use crate::engine::Evaluation;
use crate::model::{Answer, AnswerState, Assessment, Question, Value};

/// One side of a diff.
pub struct Side<'a> {
    pub assessment: &'a Assessment,
    pub content: &'a Content,
    pub evaluation: &'a Evaluation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    fn mirror(self) -> Self {
        match self {
            Change::Added => Change::Removed,
            Change::Removed => Change::Added,
            Change::Changed => Change::Changed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerChange {
    pub questionnaire: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub question: String,
    /// Who gave the answer (a respondent's id), where a respondent did; absent for the
    /// assessor's own answers. Several people's answers to one question are each a change of
    /// their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondent: Option<String>,
    /// The respondent's name, as the interview shows it (the id where the file names nobody
    /// by it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondent_name: Option<String>,
    /// The question's prompt, as the interview asks it (empty when neither side's
    /// questionnaire has the question).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub prompt: String,
    /// The questionnaire's title, as the interview shows it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub questionnaire_title: String,
    /// The subject's name (a system's or a flow's), where the answer is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_name: Option<String>,
    pub change: Change,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    pub note_changed: bool,
    /// The answer's `final` mark (the one that counts, settled) given (`marked`) or taken
    /// away (`unmarked`); absent when it did not change. An added final answer is `marked`,
    /// a removed one `unmarked`.
    #[serde(rename = "final", skip_serializing_if = "Option::is_none")]
    pub final_mark: Option<FinalMark>,
    /// The question's score (0–100) on each side, where it was scored there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_score: Option<f64>,
}

/// A `final` mark given or taken away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FinalMark {
    Marked,
    Unmarked,
}

impl FinalMark {
    fn mirror(self) -> Self {
        match self {
            FinalMark::Marked => FinalMark::Unmarked,
            FinalMark::Unmarked => FinalMark::Marked,
        }
    }
}

/// Whether a change is a step back, a step forward, or neither: what a screen highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Worse,
    Better,
    Neutral,
}

impl AnswerChange {
    /// `answered: X`, `answer removed (was X)` or `X → Y`, with `(note changed)` and
    /// `(marked final)` or `(final mark removed)`; a respondent's answer names them
    /// (`answered by Ana Ruiz: X`, `answer by Ana Ruiz removed (was X)`, `Ana Ruiz: X → Y`).
    /// Values and names pass through `esc` (plain text or Markdown escaping).
    pub fn describe(&self, esc: &dyn Fn(&str) -> String) -> String {
        let mut note = String::new();
        if self.note_changed {
            note.push_str(" (note changed)");
        }
        match self.final_mark {
            Some(FinalMark::Marked) => note.push_str(" (marked final)"),
            Some(FinalMark::Unmarked) => note.push_str(" (final mark removed)"),
            None => {}
        }
        let (old, new) = (
            esc(self.old.as_deref().unwrap_or_default()),
            esc(self.new.as_deref().unwrap_or_default()),
        );
        let who = self
            .respondent_name
            .as_deref()
            .or(self.respondent.as_deref())
            .map(esc);
        match (self.change, who) {
            (Change::Added, None) => format!("answered: {new}{note}"),
            (Change::Added, Some(who)) => format!("answered by {who}: {new}{note}"),
            (Change::Removed, None) => format!("answer removed (was {old}){note}"),
            (Change::Removed, Some(who)) => {
                format!("answer by {who} removed (was {old}){note}")
            }
            (Change::Changed, None) => format!("{old} → {new}{note}"),
            (Change::Changed, Some(who)) => format!("{who}: {old} → {new}{note}"),
        }
    }

    /// A changed answer that scores lower, or a scored answer turned unknown, is worse. A
    /// first answer or one taken away is neither: it tells what is known, not whether the
    /// stack got better; nor is an answer turned "not applicable" (the question does not
    /// apply: nothing got worse).
    pub fn tone(&self) -> Tone {
        if self.change != Change::Changed || self.new.as_deref() == Some(NOT_APPLICABLE) {
            return Tone::Neutral;
        }
        match (self.old_score, self.new_score) {
            (Some(o), Some(n)) if n < o => Tone::Worse,
            (Some(o), Some(n)) if n > o => Tone::Better,
            (Some(_), None) => Tone::Worse,
            (None, Some(_)) => Tone::Better,
            _ => Tone::Neutral,
        }
    }
}

impl AnswerChange {
    /// The question as people read it: its prompt, or its id where no questionnaire has it.
    pub fn question_text(&self) -> &str {
        if self.prompt.is_empty() {
            &self.question
        } else {
            &self.prompt
        }
    }
}

/// How an answer of "not applicable" reads in a diff.
const NOT_APPLICABLE: &str = "not applicable";

impl ScoreChange {
    /// `Vendor fit: 50.0 → 62.5 (+12.5)`: the dimension in words, never its id.
    pub fn describe(&self) -> String {
        let f = |x: Option<f64>| x.map_or("—".into(), |v| format!("{v:.1}"));
        let delta = self.delta.map_or(String::new(), |x| format!(" ({x:+.1})"));
        format!(
            "{}: {} → {}{delta}",
            crate::vocab::dimension_words(&self.id),
            f(self.old),
            f(self.new)
        )
    }

    pub fn tone(&self) -> Tone {
        match self.delta {
            Some(d) if d < 0.0 => Tone::Worse,
            Some(d) if d > 0.0 => Tone::Better,
            _ => Tone::Neutral,
        }
    }
}

impl DecisionChange {
    /// `new (immediate #2)`, `re-ranked #3 → #1`, …; the owner passes through `esc`.
    pub fn describe(&self, esc: &dyn Fn(&str) -> String) -> String {
        let (old, new) = (
            self.old.clone().unwrap_or_default(),
            self.new.clone().unwrap_or_default(),
        );
        match self.change {
            DecisionMove::New => format!("new ({new})"),
            DecisionMove::Resolved => format!("resolved (was {old})"),
            DecisionMove::Reranked => format!("re-ranked #{old} → #{new}"),
            DecisionMove::MovedLane => format!("moved lane {old} → {new}"),
            DecisionMove::Status => format!("status {old} → {new}"),
            DecisionMove::Owner => format!("owner {} → {}", esc(&old), esc(&new)),
        }
    }

    /// A new decision is a new problem found; a resolved one, a problem gone.
    pub fn tone(&self) -> Tone {
        match self.change {
            DecisionMove::New => Tone::Worse,
            DecisionMove::Resolved => Tone::Better,
            _ => Tone::Neutral,
        }
    }
}

impl ItemChange {
    /// The item by its name where the diff has one, else its id.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }

    pub fn describe(&self) -> String {
        match self.change {
            Change::Added => "added".to_string(),
            Change::Removed => "removed".to_string(),
            Change::Changed => format!("changed: {}", self.fields.join(", ")),
        }
    }
}

impl MethodChange {
    pub fn describe(&self) -> &'static str {
        match self.change {
            Change::Added => "question added",
            Change::Removed => "question removed",
            Change::Changed => "question reworded or rescored",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    pub kind: &'static str,
    pub id: String,
    /// The item as people read it: a system's or a flow's name, a data object's label.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub change: Change,
    /// For `changed`: the fields that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreChange {
    /// A dimension id, or `overall`.
    pub id: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
    pub delta: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionChange {
    pub id: String,
    pub title: String,
    pub change: DecisionMove,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionMove {
    New,
    Resolved,
    Reranked,
    MovedLane,
    Status,
    Owner,
}

impl DecisionMove {
    fn mirror(self) -> Self {
        match self {
            DecisionMove::New => DecisionMove::Resolved,
            DecisionMove::Resolved => DecisionMove::New,
            x => x,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodChange {
    pub questionnaire: String,
    pub question: String,
    /// `added`, `removed`, or `changed` (reworded: prompt, options or scores differ).
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Diff {
    pub answers: Vec<AnswerChange>,
    pub inventory: Vec<ItemChange>,
    pub scores: Vec<ScoreChange>,
    pub decisions: Vec<DecisionChange>,
    pub methodology: Vec<MethodChange>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
            && self.inventory.is_empty()
            && self.scores.is_empty()
            && self.decisions.is_empty()
            && self.methodology.is_empty()
    }

    /// The same diff read the other way round.
    pub fn mirror(&self) -> Diff {
        let mut d = Diff {
            answers: self
                .answers
                .iter()
                .map(|a| AnswerChange {
                    change: a.change.mirror(),
                    old: a.new.clone(),
                    new: a.old.clone(),
                    old_score: a.new_score,
                    new_score: a.old_score,
                    final_mark: a.final_mark.map(FinalMark::mirror),
                    ..a.clone()
                })
                .collect(),
            inventory: self
                .inventory
                .iter()
                .map(|i| ItemChange {
                    change: i.change.mirror(),
                    ..i.clone()
                })
                .collect(),
            scores: self
                .scores
                .iter()
                .map(|s| ScoreChange {
                    old: s.new,
                    new: s.old,
                    delta: s.delta.map(|x| -x),
                    ..s.clone()
                })
                .collect(),
            decisions: self
                .decisions
                .iter()
                .map(|x| DecisionChange {
                    change: x.change.mirror(),
                    old: x.new.clone(),
                    new: x.old.clone(),
                    ..x.clone()
                })
                .collect(),
            methodology: self
                .methodology
                .iter()
                .map(|m| MethodChange {
                    change: m.change.mirror(),
                    ..m.clone()
                })
                .collect(),
        };
        d.sort();
        d
    }

    fn sort(&mut self) {
        self.answers.sort_by(|a, b| {
            (&a.questionnaire, &a.subject, &a.question, &a.respondent).cmp(&(
                &b.questionnaire,
                &b.subject,
                &b.question,
                &b.respondent,
            ))
        });
        self.inventory
            .sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
        // Regressions first, then the rest by id.
        self.scores.sort_by(|a, b| {
            let neg = |s: &ScoreChange| s.delta.is_some_and(|d| d < 0.0);
            (!neg(a), &a.id).cmp(&(!neg(b), &b.id))
        });
        self.decisions
            .sort_by(|a, b| (&a.id, a.change).cmp(&(&b.id, b.change)));
        self.methodology
            .sort_by(|a, b| (&a.questionnaire, &a.question).cmp(&(&b.questionnaire, &b.question)));
    }
}

/// One section of a diff as the shells show it (see [`Diff::outline`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Section<'a> {
    /// Scores, regressions first.
    Scores(&'a [ScoreChange]),
    /// Decisions: new and resolved first, then lane, status and owner moves; by id within
    /// each. Re-ranks are apart, in `Reranks`.
    Decisions(Vec<&'a DecisionChange>),
    /// Decisions that only moved within their lane: most often the knock-on of the changes
    /// above, so last and folded into one line where the shell can (all of them are here).
    Reranks(Vec<&'a DecisionChange>),
    /// Answers, in runs of one questionnaire and subject.
    Answers(Vec<AnswerGroup<'a>>),
    /// Systems and flows added, removed or changed.
    Inventory(&'a [ItemChange]),
    /// Changes in the questionnaires themselves: a change of method, not of the client's
    /// stack, so always last and apart.
    Method(&'a [MethodChange]),
}

impl Section<'_> {
    /// The section's heading.
    pub fn title(&self) -> &'static str {
        match self {
            Section::Scores(_) => "Scores (regressions first)",
            Section::Decisions(_) => "Decisions",
            Section::Reranks(_) => "Re-ranked",
            Section::Answers(_) => "Answers",
            Section::Inventory(_) => "Inventory",
            Section::Method(_) => "Questionnaire changes (method, not the client's stack)",
        }
    }
}

/// The changed answers of one questionnaire about one subject (or the engagement).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerGroup<'a> {
    pub questionnaire: &'a str,
    pub subject: Option<&'a str>,
    pub changes: &'a [AnswerChange],
}

impl AnswerGroup<'_> {
    /// `questionnaire / subject`, or the questionnaire alone for the engagement: by their
    /// titles and names where the diff has them, else by id.
    pub fn label(&self) -> String {
        let first = &self.changes[0];
        let questionnaire = if first.questionnaire_title.is_empty() {
            self.questionnaire
        } else {
            &first.questionnaire_title
        };
        match (self.subject, &first.subject_name) {
            (Some(_), Some(name)) => format!("{questionnaire} / {name}"),
            (Some(s), None) => format!("{questionnaire} / {s}"),
            (None, _) => questionnaire.to_string(),
        }
    }
}

impl Section<'_> {
    /// The one line a folded re-rank section reads as: how many, and the largest move.
    pub fn reranks_summary(changes: &[&DecisionChange]) -> String {
        let step = |x: &DecisionChange| {
            let n = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
            n(&x.old).zip(n(&x.new)).map_or(0, |(o, n)| (o - n).abs())
        };
        let most = changes.iter().map(|x| step(x)).max().unwrap_or(0);
        let n = changes.len();
        let what = if n == 1 { "decision" } else { "decisions" };
        if most > 0 {
            let places = if most == 1 { "place" } else { "places" };
            format!("{n} {what} re-ranked in their lane, by up to {most} {places}")
        } else {
            format!("{n} {what} re-ranked in their lane")
        }
    }
}

impl Diff {
    /// The sections every shell shows, in the order they show them, the empty ones left out:
    /// decisions new and resolved (then lane, status and owner moves), answers, inventory,
    /// scores, the re-ranks (the knock-on of all that), then the questionnaire changes apart.
    /// Empty when nothing changed.
    pub fn outline(&self) -> Vec<Section<'_>> {
        let mut out = Vec::new();
        let order = |m: DecisionMove| {
            use DecisionMove::*;
            [New, Resolved, MovedLane, Status, Owner]
                .iter()
                .position(|x| *x == m)
        };
        let mut decisions: Vec<&DecisionChange> = self
            .decisions
            .iter()
            .filter(|x| x.change != DecisionMove::Reranked)
            .collect();
        decisions.sort_by_key(|x| order(x.change));
        if !decisions.is_empty() {
            out.push(Section::Decisions(decisions));
        }
        if !self.answers.is_empty() {
            let groups = self
                .answers
                .chunk_by(|a, b| (&a.questionnaire, &a.subject) == (&b.questionnaire, &b.subject))
                .map(|changes| AnswerGroup {
                    questionnaire: &changes[0].questionnaire,
                    subject: changes[0].subject.as_deref(),
                    changes,
                })
                .collect();
            out.push(Section::Answers(groups));
        }
        if !self.inventory.is_empty() {
            out.push(Section::Inventory(&self.inventory));
        }
        if !self.scores.is_empty() {
            out.push(Section::Scores(&self.scores));
        }
        let reranks: Vec<&DecisionChange> = self
            .decisions
            .iter()
            .filter(|x| x.change == DecisionMove::Reranked)
            .collect();
        if !reranks.is_empty() {
            out.push(Section::Reranks(reranks));
        }
        if !self.methodology.is_empty() {
            out.push(Section::Method(&self.methodology));
        }
        out
    }
}

fn render_value(q: Option<&Question>, a: &Answer) -> String {
    match &a.state {
        AnswerState::Unknown => "unknown".into(),
        AnswerState::NotApplicable => NOT_APPLICABLE.into(),
        AnswerState::Open => "not answered yet".into(),
        AnswerState::Value(v) => match (q, v) {
            (Some(q), v) => crate::engine::score::describe(q, v),
            (None, Value::Choice(s) | Value::Text(s) | Value::System(s)) => s.clone(),
            (None, Value::Choices(c)) => c.join(", "),
            (None, Value::Number(x)) => crate::engine::score::describe_number(*x),
        },
    }
}

/// A question's wording and scoring, to tell a reworded question from an unchanged one.
fn signature(q: &Question) -> String {
    let mut s = format!("{}|{}|{}", q.prompt.trim(), q.kind, q.weight);
    for o in &q.options {
        s.push_str(&format!("|{}={}:{}", o.id, o.label.trim(), o.score));
    }
    for t in &q.thresholds {
        s.push_str(&format!("|{:?}:{}", t.upto, t.score));
    }
    s
}

type QuestionKey<'a> = (&'a str, Option<&'a str>, &'a str);

/// Every scored question's score, by (questionnaire, subject, question).
fn question_scores(e: &Evaluation) -> std::collections::HashMap<QuestionKey<'_>, f64> {
    e.questions
        .iter()
        .filter_map(|q| {
            Some((
                (&*q.questionnaire, q.subject.as_deref(), &*q.question),
                q.score?,
            ))
        })
        .collect()
}

pub fn diff(a: &Side, b: &Side) -> Diff {
    let mut d = Diff::default();
    // Answers, one per respondent: several people's answers to one question are each
    // compared with the same person's on the other side.
    type Key = (String, Option<String>, String, Option<String>);
    fn index<'s>(s: &Side<'s>) -> BTreeMap<Key, &'s Answer> {
        s.assessment
            .answers
            .iter()
            .map(|x| {
                (
                    (
                        x.questionnaire.clone(),
                        x.subject.clone(),
                        x.question.clone(),
                        x.respondent.clone(),
                    ),
                    x,
                )
            })
            .collect()
    }
    let (ia, ib) = (index(a), index(b));
    let question = |s: &Side, k: &Key| {
        s.content
            .questionnaire(&k.0)
            .and_then(|q| q.question(&k.2))
            .cloned()
    };
    let keys: BTreeSet<&Key> = ia.keys().chain(ib.keys()).collect();
    for k in keys {
        let (x, y) = (ia.get(k).copied(), ib.get(k).copied());
        let (change, old, new, note, final_mark) = match (x, y) {
            (None, Some(y)) => (
                Change::Added,
                None,
                Some(render_value(question(b, k).as_ref(), y)),
                !y.note.is_empty(),
                y.is_final.then_some(FinalMark::Marked),
            ),
            (Some(x), None) => (
                Change::Removed,
                Some(render_value(question(a, k).as_ref(), x)),
                None,
                !x.note.is_empty(),
                x.is_final.then_some(FinalMark::Unmarked),
            ),
            (Some(x), Some(y)) => {
                let same_state = x.state == y.state;
                let same_note = x.note == y.note;
                if same_state && same_note && x.is_final == y.is_final {
                    continue;
                }
                (
                    Change::Changed,
                    Some(render_value(question(a, k).as_ref(), x)),
                    Some(render_value(question(b, k).as_ref(), y)),
                    !same_note,
                    match (x.is_final, y.is_final) {
                        (false, true) => Some(FinalMark::Marked),
                        (true, false) => Some(FinalMark::Unmarked),
                        _ => None,
                    },
                )
            }
            (None, None) => continue,
        };
        // Names as people read them, the same whichever way round the diff is taken: the
        // smaller of the two sides' where both have one.
        let pick = |x: Option<String>, y: Option<String>| match (x, y) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        let prompt = pick(
            question(a, k).map(|q| q.prompt.trim().to_string()),
            question(b, k).map(|q| q.prompt.trim().to_string()),
        );
        let title = |s: &Side| s.content.questionnaire(&k.0).map(|q| q.title.clone());
        let subject_name = k.1.as_ref().and_then(|id| {
            let name = |s: &Side| {
                let a = s.assessment;
                a.systems
                    .iter()
                    .find(|x| x.id == *id)
                    .map(|x| x.name.clone())
                    .or_else(|| {
                        a.flows
                            .iter()
                            .find(|f| f.id == *id)
                            .map(|_| a.flow_name(id))
                    })
            };
            pick(name(a), name(b))
        });
        let respondent_name = k.3.as_ref().map(|id| {
            let name = |s: &Side| {
                s.assessment
                    .respondent(id)
                    .map(|_| s.assessment.respondent_name(id))
            };
            pick(name(a), name(b)).unwrap_or_else(|| id.clone())
        });
        d.answers.push(AnswerChange {
            questionnaire: k.0.clone(),
            subject: k.1.clone(),
            question: k.2.clone(),
            respondent: k.3.clone(),
            respondent_name,
            prompt: prompt.unwrap_or_default(),
            questionnaire_title: pick(title(a), title(b)).unwrap_or_default(),
            subject_name,
            change,
            old,
            new,
            note_changed: note,
            final_mark,
            old_score: None,
            new_score: None,
        });
    }
    if !d.answers.is_empty() {
        // Each changed question's score on both sides, to tell a regression from progress.
        let (sa, sb) = (question_scores(a.evaluation), question_scores(b.evaluation));
        for x in &mut d.answers {
            let k = (
                x.questionnaire.as_str(),
                x.subject.as_deref(),
                x.question.as_str(),
            );
            x.old_score = sa.get(&k).copied();
            x.new_score = sb.get(&k).copied();
        }
    }

    // Inventory: systems, flows, ownership.
    let mut items = |kind: &'static str,
                     left: BTreeMap<String, Vec<(&'static str, String)>>,
                     right: BTreeMap<String, Vec<(&'static str, String)>>| {
        let ids: BTreeSet<&String> = left.keys().chain(right.keys()).collect();
        for id in ids {
            match (left.get(id), right.get(id)) {
                (None, Some(_)) => d.inventory.push(ItemChange {
                    kind,
                    id: id.clone(),
                    name: String::new(),
                    change: Change::Added,
                    fields: Vec::new(),
                }),
                (Some(_), None) => d.inventory.push(ItemChange {
                    kind,
                    id: id.clone(),
                    name: String::new(),
                    change: Change::Removed,
                    fields: Vec::new(),
                }),
                (Some(x), Some(y)) if x != y => {
                    let fields = x
                        .iter()
                        .zip(y)
                        .filter(|(p, q)| p.1 != q.1)
                        .map(|(p, _)| p.0)
                        .collect();
                    d.inventory.push(ItemChange {
                        kind,
                        id: id.clone(),
                        name: String::new(),
                        change: Change::Changed,
                        fields,
                    });
                }
                _ => {}
            }
        }
    };
    let systems = |s: &Side| -> BTreeMap<String, Vec<(&'static str, String)>> {
        s.assessment
            .systems
            .iter()
            .map(|x| {
                (
                    x.id.clone(),
                    vec![
                        ("name", x.name.clone()),
                        ("vendor", x.vendor.clone()),
                        ("category", x.category.to_string()),
                        ("status", x.status.to_string()),
                        ("team", x.team.clone()),
                        ("capabilities", format!("{:?}", x.capabilities)),
                        ("scopes", format!("{:?}", x.scopes)),
                        ("time", format!("{:?}", x.time)),
                    ],
                )
            })
            .collect()
    };
    items("system", systems(a), systems(b));
    let flows = |s: &Side| -> BTreeMap<String, Vec<(&'static str, String)>> {
        s.assessment
            .flows
            .iter()
            .map(|f| {
                (
                    f.id.clone(),
                    vec![
                        ("from", f.from.clone()),
                        ("to", f.to.clone()),
                        ("via", format!("{:?}", f.via)),
                        ("objects", format!("{:?}", f.objects)),
                        ("mechanism", f.mechanism.to_string()),
                        ("mode", f.mode.to_string()),
                        ("direction", f.direction.to_string()),
                        ("checkout", f.checkout.to_string()),
                        ("source", f.source.clone()),
                        ("contract", f.contract.clone()),
                        ("failure", f.failure.clone()),
                        ("owner", f.owner.clone()),
                        ("owners", format!("{:?}", f.owners)),
                        ("none", format!("{:?}", f.none)),
                    ],
                )
            })
            .collect()
    };
    items("flow", flows(a), flows(b));
    let ownership = |s: &Side| -> BTreeMap<String, Vec<(&'static str, String)>> {
        s.assessment
            .ownership
            .iter()
            .flat_map(|(k, own)| {
                // Each scoped entry is an item of its own: `price (eu)`.
                own.views().into_iter().map(move |(l, w)| {
                    (
                        match l {
                            None => k.to_string(),
                            Some(l) => format!("{k} ({l})"),
                        },
                        vec![
                            ("owner", format!("{:?}", w.owner)),
                            ("target", format!("{:?}", w.target)),
                            ("writers", format!("{:?}", w.writers)),
                            ("readers", format!("{:?}", w.readers)),
                        ],
                    )
                })
            })
            .collect()
    };
    items("ownership", ownership(a), ownership(b));
    // Names for people, the same whichever way round (the smaller where both sides have one).
    for x in &mut d.inventory {
        let name = |s: &Side| -> Option<String> {
            let m = s.assessment;
            match x.kind {
                "system" => m.system(&x.id).map(|y| y.name.clone()),
                "flow" => m.flow(&x.id).map(|_| m.flow_name(&x.id)),
                _ => {
                    let (object, rest) = x.id.split_once(' ').unwrap_or((&x.id, ""));
                    crate::vocab::DataObject::parse(object)
                        .map(|o| format!("{} {rest}", o.words()).trim_end().to_string())
                }
            }
        };
        x.name = match (name(a), name(b)) {
            (Some(p), Some(q)) => p.min(q),
            (p, q) => p.or(q).unwrap_or_default(),
        };
    }

    // Scores.
    let (ea, eb) = (a.evaluation, b.evaluation);
    let mut score = |id: String, old: Option<f64>, new: Option<f64>| {
        if old != new {
            let delta = old.zip(new).map(|(o, n)| crate::engine::round1(n - o));
            d.scores.push(ScoreChange {
                id,
                old,
                new,
                delta,
            });
        }
    };
    score("overall".into(), ea.overall, eb.overall);
    for (x, y) in ea.dimensions.iter().zip(&eb.dimensions) {
        score(x.id.to_string(), x.score.score, y.score.score);
    }

    // Decisions.
    let da: BTreeMap<&str, &crate::engine::Decision> =
        ea.decisions.iter().map(|x| (x.id.as_str(), x)).collect();
    let db: BTreeMap<&str, &crate::engine::Decision> =
        eb.decisions.iter().map(|x| (x.id.as_str(), x)).collect();
    let ids: BTreeSet<&str> = da.keys().chain(db.keys()).copied().collect();
    for id in ids {
        let push = |d: &mut Diff, title: &str, change, old: Option<String>, new: Option<String>| {
            d.decisions.push(DecisionChange {
                id: id.to_string(),
                title: title.to_string(),
                change,
                old,
                new,
            });
        };
        match (da.get(id), db.get(id)) {
            (None, Some(y)) => push(
                &mut d,
                &y.title,
                DecisionMove::New,
                None,
                Some(format!("{} #{}", y.horizon, y.rank)),
            ),
            (Some(x), None) => push(
                &mut d,
                &x.title,
                DecisionMove::Resolved,
                Some(format!("{} #{}", x.horizon, x.rank)),
                None,
            ),
            (Some(x), Some(y)) => {
                // A group's title follows which of its findings are raised, so the two sides
                // may title it differently; take one that does not depend on the direction.
                let title = std::cmp::min(&x.title, &y.title).clone();
                let y = &crate::engine::Decision {
                    title,
                    ..(*y).clone()
                };
                if x.horizon != y.horizon {
                    push(
                        &mut d,
                        &y.title,
                        DecisionMove::MovedLane,
                        Some(x.horizon.to_string()),
                        Some(y.horizon.to_string()),
                    );
                } else if x.rank != y.rank {
                    push(
                        &mut d,
                        &y.title,
                        DecisionMove::Reranked,
                        Some(x.rank.to_string()),
                        Some(y.rank.to_string()),
                    );
                }
                if x.status != y.status {
                    push(
                        &mut d,
                        &y.title,
                        DecisionMove::Status,
                        Some(x.status.to_string()),
                        Some(y.status.to_string()),
                    );
                }
                if x.owner != y.owner {
                    push(
                        &mut d,
                        &y.title,
                        DecisionMove::Owner,
                        Some(x.owner.clone()),
                        Some(y.owner.clone()),
                    );
                }
            }
            (None, None) => {}
        }
    }

    // Methodology: the questionnaires of both sides, question by question.
    let qids: BTreeSet<&str> = a
        .content
        .questionnaires
        .iter()
        .chain(&b.content.questionnaires)
        .map(|q| q.id.as_str())
        .collect();
    for qid in qids {
        let (qa, qb) = (a.content.questionnaire(qid), b.content.questionnaire(qid));
        let sigs = |q: Option<&crate::model::Questionnaire>| -> BTreeMap<String, String> {
            q.map(|q| {
                q.questions()
                    .map(|(_, x)| (x.id.clone(), signature(x)))
                    .collect()
            })
            .unwrap_or_default()
        };
        let (sa, sb) = (sigs(qa), sigs(qb));
        let all: BTreeSet<&String> = sa.keys().chain(sb.keys()).collect();
        for question in all {
            let change = match (sa.get(question), sb.get(question)) {
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Removed,
                (Some(x), Some(y)) if x != y => Change::Changed,
                _ => continue,
            };
            d.methodology.push(MethodChange {
                questionnaire: qid.to_string(),
                question: question.clone(),
                change,
            });
        }
    }
    d.sort();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(id: &str, change: DecisionMove) -> DecisionChange {
        DecisionChange {
            id: id.into(),
            title: id.into(),
            change,
            old: None,
            new: None,
        }
    }

    fn answer(questionnaire: &str, subject: Option<&str>, question: &str) -> AnswerChange {
        AnswerChange {
            questionnaire: questionnaire.into(),
            subject: subject.map(Into::into),
            question: question.into(),
            respondent: None,
            respondent_name: None,
            prompt: String::new(),
            questionnaire_title: String::new(),
            subject_name: None,
            change: Change::Added,
            old: None,
            new: Some("x".into()),
            note_changed: false,
            final_mark: None,
            old_score: None,
            new_score: None,
        }
    }

    #[test]
    fn the_outline_puts_what_came_and_went_then_answers_then_re_ranks_and_method_last() {
        let mut d = Diff {
            decisions: vec![
                decision("a", DecisionMove::Reranked),
                decision("b", DecisionMove::Owner),
                decision("c", DecisionMove::New),
                decision("d", DecisionMove::Resolved),
            ],
            answers: vec![
                answer("flows", Some("f1"), "q1"),
                answer("flows", Some("f1"), "q2"),
                answer("flows", Some("f2"), "q1"),
                answer("ownership", None, "q1"),
            ],
            methodology: vec![MethodChange {
                questionnaire: "flows".into(),
                question: "q9".into(),
                change: Change::Added,
            }],
            ..Diff::default()
        };
        d.sort();
        let outline = d.outline();
        let titles: Vec<&str> = outline.iter().map(Section::title).collect();
        assert_eq!(
            titles,
            [
                "Decisions",
                "Answers",
                "Re-ranked",
                "Questionnaire changes (method, not the client's stack)"
            ]
        );
        let Section::Decisions(decisions) = &outline[0] else {
            panic!("{outline:?}")
        };
        let ids: Vec<&str> = decisions.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["c", "d", "b"]);
        let Section::Reranks(reranks) = &outline[2] else {
            panic!("{outline:?}")
        };
        assert_eq!(reranks.len(), 1);
        let Section::Answers(groups) = &outline[1] else {
            panic!("{outline:?}")
        };
        let runs: Vec<(String, usize)> = groups
            .iter()
            .map(|g| (g.label(), g.changes.len()))
            .collect();
        assert_eq!(
            runs,
            [
                ("flows / f1".to_string(), 2),
                ("flows / f2".to_string(), 1),
                ("ownership".to_string(), 1)
            ]
        );
        assert!(Diff::default().outline().is_empty());
    }
}

//! Re-scoring after one answer changed, for the terminal UI's key path.
//!
//! An answer is read by few runs (one questionnaire asked of one subject): its own
//! questionnaire's run for its subject, and the runs whose conditions name its question in
//! another questionnaire (for the same subject, or every subject when that questionnaire is
//! asked of the engagement). [`Memo`] keeps what every run gave the last time (its part in the totals, its
//! raises, where its question states sit); [`Memo::answer_changed`] scores again only the runs
//! that read the changed answer, puts their question states and runs in place, sums the totals
//! again from the kept parts in the same order as a full scoring (so every figure is the same
//! to the last bit), and ends as `evaluate` does (findings, decisions, open questions ...).
//!
//! The result is the one `evaluate` gives, field for field: `tests/incremental.rs` holds it
//! to that over random single-answer edits. Still pure: the memo is an input like the others.
//!
//! The contract: between two calls, only the answers to the one key named changed (any
//! respondent's); the content, the profile and the inventory did not. Anything else — an
//! inventory edit, an undo of a whole-assessment change, a new profile — goes through
//! [`Memo::evaluate`] again. Where the memo can see that the contract is broken (other
//! questionnaires walked, other subjects), it scores everything.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::context::Ctx;
use super::score::{self, Part};
use super::*;
use crate::model::{Condition, Questionnaire};

/// What the last evaluation kept for the next one. Built by [`Memo::evaluate`].
#[derive(Debug, Clone)]
pub struct Memo {
    /// Per questionnaire walked: its id, whether it is in the profile, its parts.
    walk: Vec<(String, bool, Range<usize>)>,
    /// Per questionnaire walked: the questions of other questionnaires its conditions name
    /// (questionnaire, question).
    reads: Vec<Vec<(String, String)>>,
    /// Per questionnaire walked: whether it was listed (`Evaluation::questionnaires`).
    listed: Vec<bool>,
    parts: Vec<Part>,
    /// Per part: its question states in `Evaluation::questions`.
    questions: Vec<Range<usize>>,
    /// The parts of each system or flow, in walk order.
    by_subject: FxHashMap<(SubjectKind, String), Vec<usize>>,
    /// The analyses' raises that read the inventory alone.
    inventory: Vec<Raise>,
    /// The profile it was made with.
    profile: String,
}

/// The questions a condition names in a questionnaire named explicitly
/// (`questionnaire = "..."`).
fn named(c: &Condition, out: &mut Vec<(String, String)>) {
    match c {
        Condition::All(v) | Condition::Any(v) => v.iter().for_each(|x| named(x, out)),
        Condition::Not(x) => named(x, out),
        Condition::Answer {
            questionnaire: Some(q),
            question,
            ..
        } => out.push((q.id.clone(), question.id.clone())),
        _ => {}
    }
}

/// Every question a questionnaire's conditions name elsewhere (sections, questions, rules).
fn reads(q: &Questionnaire) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in &q.sections {
        if let Some(c) = &s.show_if {
            named(c, &mut out);
        }
        for x in &s.questions {
            if let Some(c) = &x.show_if {
                named(c, &mut out);
            }
        }
    }
    for r in &q.rules {
        named(&r.when, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Memo {
    /// Evaluates as `evaluate` does, keeping what the next [`Memo::answer_changed`] reuses.
    pub fn evaluate(
        content: &Content,
        profile: &Profile,
        assessment: &Assessment,
        slice_budget: Option<u32>,
    ) -> (Evaluation, Memo) {
        let ctx = Ctx::new(content, profile, assessment);
        let (mut scored, kept) = score::score_keeping(&ctx, true);
        let inventory = analyses::inventory(&ctx);
        scored.raises.extend(inventory.iter().cloned());
        analyses::disagreements(&ctx, &mut scored.raises);
        let mut by_subject: FxHashMap<(SubjectKind, String), Vec<usize>> = FxHashMap::default();
        for (i, p) in kept.parts.iter().enumerate() {
            if let Some(key) = &p.subject {
                by_subject.entry(key.clone()).or_default().push(i);
            }
        }
        let reads = kept
            .walk
            .iter()
            .map(|(id, _, _)| content.questionnaire(id).map(reads).unwrap_or_default())
            .collect();
        let listed = listed(&kept.walk, &kept.parts);
        let memo = Memo {
            walk: kept.walk,
            reads,
            listed,
            parts: kept.parts,
            questions: kept.questions,
            by_subject,
            inventory,
            profile: profile.id.clone(),
        };
        (conclude(&ctx, slice_budget, scored, None), memo)
    }

    /// `eval` (made with this memo) becomes the evaluation of `assessment`, in which only the
    /// answers to `changed` (questionnaire, subject, question — any respondent's) differ
    /// from the last time. Returns what is left of the previous evaluation, for the caller to
    /// free where it costs nothing.
    pub fn answer_changed(
        &mut self,
        content: &Content,
        profile: &Profile,
        assessment: &Assessment,
        slice_budget: Option<u32>,
        eval: &mut Evaluation,
        changed: (&str, Option<&str>, &str),
    ) -> Evaluation {
        let ctx = Ctx::new(content, profile, assessment);
        let walk = score::walk(&ctx);
        // An evaluation this memo did not make, or another walk: everything again.
        let same = profile.id == self.profile
            && eval.profile == profile.id
            && self.questions.last().map_or(0, |r| r.end) == eval.questions.len()
            && walk.len() == self.walk.len()
            && walk
                .iter()
                .zip(&self.walk)
                .all(|((q, inc), (id, p, _))| q.id == *id && inc.is_some() == *p);
        if !same {
            return self.start_again(content, profile, assessment, slice_budget, eval);
        }
        // The runs that read the changed answer, scored again.
        let (cq, cs, cquestion) = changed;
        let engagement = content
            .questionnaire(cq)
            .is_none_or(|t| t.scope == Scope::Engagement);
        let mut fresh: Vec<(usize, Part, Vec<QuestionState>, Option<SubjectRun>)> = Vec::new();
        for (wi, (q, inc)) in walk.iter().enumerate() {
            let own = q.id == cq;
            let names = self.reads[wi]
                .iter()
                .any(|(q, x)| q == cq && x == cquestion);
            if !own && !names {
                continue;
            }
            let range = self.walk[wi].2.clone();
            let subjects = score::subjects(assessment, q);
            if subjects.len() != range.len() {
                return self.start_again(content, profile, assessment, slice_budget, eval);
            }
            let ids = score::Ids::new(q);
            for (k, subject) in subjects.into_iter().enumerate() {
                let reads_it = (own && subject.id() == cs)
                    || (names
                        && if engagement {
                            cs.is_none()
                        } else {
                            subject.id() == cs
                        });
                if reads_it {
                    let pi = range.start + k;
                    if self.parts[pi].subject.as_ref().map(|(_, id)| id.as_str()) != subject.id() {
                        return self.start_again(content, profile, assessment, slice_budget, eval);
                    }
                    let (part, qs, run) = score::run(&ctx, q, *inc, subject, &ids);
                    fresh.push((pi, part, qs, run));
                }
            }
        }
        fresh.sort_by_key(|f| f.0);

        // Question states: in place where a run has as many as before (the usual case).
        let mut questions = std::mem::take(&mut eval.questions);
        if fresh
            .iter()
            .all(|(pi, _, qs, _)| qs.len() == self.questions[*pi].len())
        {
            for (pi, _, qs, _) in &mut fresh {
                let range = self.questions[*pi].clone();
                for (slot, q) in questions[range].iter_mut().zip(qs.drain(..)) {
                    *slot = q;
                }
            }
        } else {
            let mut old = questions.into_iter();
            let mut out = Vec::with_capacity(old.len());
            let mut next = fresh.iter_mut().peekable();
            for (pi, range) in self.questions.iter_mut().enumerate() {
                let n = range.len();
                let start = out.len();
                match next.peek_mut() {
                    Some((i, _, qs, _)) if *i == pi => {
                        old.by_ref().take(n).for_each(drop);
                        out.append(qs);
                        next.next();
                    }
                    _ => out.extend(old.by_ref().take(n)),
                }
                *range = start..out.len();
            }
            questions = out;
        }

        // Runs: moved from the previous result, the fresh ones put in their place.
        let mut old = std::mem::take(&mut eval.questionnaires).into_iter();
        let mut next = fresh.iter_mut().peekable();
        let mut listed_runs: Vec<Option<(QuestionnaireScore, bool)>> = Vec::new();
        for (wi, (q, _)) in walk.iter().enumerate() {
            let mut entry = if self.listed[wi] { old.next() } else { None };
            let range = self.walk[wi].2.clone();
            let touched = next.peek().is_some_and(|f| range.contains(&f.0));
            if touched {
                let mut before = entry
                    .as_mut()
                    .map(|e| std::mem::take(&mut e.subjects))
                    .unwrap_or_default()
                    .into_iter();
                let mut runs = Vec::with_capacity(before.len());
                for pi in range {
                    let was = self.parts[pi].shown.then(|| before.next()).flatten();
                    match next.peek_mut() {
                        Some((i, _, _, run)) if *i == pi => {
                            runs.extend(run.take());
                            next.next();
                        }
                        _ => runs.extend(was),
                    }
                }
                let e = entry.get_or_insert_with(|| QuestionnaireScore {
                    id: q.id.clone(),
                    title: q.title.clone(),
                    scope: q.scope,
                    score: Score {
                        score: None,
                        coverage: 0.0,
                        answered: 0,
                        applicable: 0,
                        short: false,
                    },
                    subjects: Vec::new(),
                });
                e.subjects = runs;
            }
            listed_runs.push(entry.map(|e| (e, touched)));
        }

        // Parts: the fresh ones kept for next time; the subjects they are about, again.
        let mut subjects_touched: Vec<(SubjectKind, String)> = Vec::new();
        for (pi, part, _, _) in fresh {
            if let Some(key) = &part.subject {
                subjects_touched.push(key.clone());
            }
            self.parts[pi] = part;
        }
        subjects_touched.sort_unstable();
        subjects_touched.dedup();
        let mut subjects = std::mem::take(&mut eval.subjects);
        for (kind, id) in subjects_touched {
            let parts = self
                .by_subject
                .get(&(kind, id.clone()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            let now =
                score::subject_score(profile, kind, &id, parts.iter().map(|&i| &self.parts[i]));
            match (
                subjects.binary_search_by(|s| (s.kind, s.id.as_str()).cmp(&(kind, id.as_str()))),
                now,
            ) {
                (Ok(i), Some(s)) => subjects[i] = s,
                (Ok(i), None) => {
                    subjects.remove(i);
                }
                (Err(i), Some(s)) => subjects.insert(i, s),
                (Err(_), None) => {}
            }
        }

        // Totals, summed again in walk order.
        let flags: Vec<(bool, Range<usize>)> =
            self.walk.iter().map(|(_, p, r)| (*p, r.clone())).collect();
        let (scores, dimensions, total, overall) = score::totals(profile, &flags, &self.parts);
        let questionnaires: Vec<QuestionnaireScore> = listed_runs
            .into_iter()
            .zip(&scores)
            .filter_map(|(entry, score)| {
                let (mut e, _) = entry?;
                e.score = score.clone()?;
                Some(e)
            })
            .collect();
        self.listed = scores.iter().map(Option::is_some).collect();

        // The raises are read where they are kept, not copied.
        let mut disagree = Vec::new();
        analyses::disagreements(&ctx, &mut disagree);
        let findings = decide::findings_of(
            content,
            self.parts
                .iter()
                .flat_map(|p| p.raises.iter())
                .chain(&self.inventory)
                .chain(&disagree),
        );
        let scored = score::Scored {
            overall,
            total,
            dimensions,
            questionnaires,
            subjects,
            questions,
            raises: Vec::new(),
        };
        std::mem::replace(eval, conclude(&ctx, slice_budget, scored, Some(findings)))
    }

    /// Everything scored again, the memo made anew.
    fn start_again(
        &mut self,
        content: &Content,
        profile: &Profile,
        assessment: &Assessment,
        slice_budget: Option<u32>,
        eval: &mut Evaluation,
    ) -> Evaluation {
        let (fresh, memo) = Memo::evaluate(content, profile, assessment, slice_budget);
        *self = memo;
        std::mem::replace(eval, fresh)
    }
}

/// Whether each questionnaire walked is listed: in the profile, or with a run shown.
fn listed(walk: &[(String, bool, Range<usize>)], parts: &[Part]) -> Vec<bool> {
    walk.iter()
        .map(|(_, p, r)| *p || parts[r.clone()].iter().any(|x| x.shown))
        .collect()
}

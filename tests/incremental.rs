//! The incremental re-scoring (`engine::incremental::Memo`) gives what `engine::evaluate`
//! gives from scratch, field for field and byte for byte once serialised: over many random
//! single-answer edits (values, unknown, not applicable, removals, notes, confidence, final,
//! a respondent's answer beside the assessor's) on the demo, on a mid-size engagement and on
//! generated assessments; and a memo told the wrong question is caught by the same check.

mod common;

// The generator of the benchmarks' engagement, for a mid-size one and its answer values (it
// brings its own copy of `common::lcg`).
#[path = "../benches/support/large.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
mod large;

use common::content;
use large::lcg::Lcg;
use proptest::prelude::*;
use stackmap::engine::incremental::Memo;
use stackmap::engine::{self, Evaluation};
use stackmap::model::*;
use stackmap::vocab::Confidence;

fn full(a: &Assessment) -> Evaluation {
    let c = content();
    engine::evaluate(
        c,
        c.profile(&a.engagement.profile).expect("profile"),
        a,
        None,
    )
}

fn same(incremental: &Evaluation, a: &Assessment, what: &str) {
    let scratch = full(a);
    // Field by field first, so a failure names the field.
    macro_rules! fields {
        ($($f:ident),*) => {$(
            assert!(incremental.$f == scratch.$f, "{what}: `{}` differs", stringify!($f));
        )*};
    }
    fields!(
        profile,
        overall,
        min_coverage,
        coverage,
        answered,
        applicable,
        dimensions,
        questionnaires,
        subjects,
        findings,
        decisions,
        roadmap,
        vendors,
        open_questions,
        warnings,
        voices,
        questions
    );
    assert!(*incremental == scratch, "{what}: evaluations differ");
    assert_eq!(
        serde_json::to_string(incremental).expect("json"),
        serde_json::to_string(&scratch).expect("json"),
        "{what}: serialised differently"
    );
}

/// Every question a condition names in another questionnaire (`questionnaire = "..."`).
fn named() -> Vec<(String, String)> {
    fn walk(c: &Condition, out: &mut Vec<(String, String)>) {
        match c {
            Condition::All(v) | Condition::Any(v) => v.iter().for_each(|x| walk(x, out)),
            Condition::Not(x) => walk(x, out),
            Condition::Answer {
                questionnaire: Some(q),
                question,
                ..
            } => out.push((q.id.clone(), question.id.clone())),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for q in &content().questionnaires {
        for s in &q.sections {
            s.show_if.iter().for_each(|c| walk(c, &mut out));
            for x in &s.questions {
                x.show_if.iter().for_each(|c| walk(c, &mut out));
            }
        }
        q.rules.iter().for_each(|r| walk(&r.when, &mut out));
    }
    out.sort();
    out.dedup();
    out
}

/// One random edit of the answers to one question, as the screen makes them: returns the
/// (questionnaire, subject, question) changed and what was done.
fn edit(
    r: &mut Lcg,
    a: &mut Assessment,
    eval: &Evaluation,
) -> (String, Option<String>, String, String) {
    let c = content();
    // A question of the engagement (other questionnaires' conditions read those for every
    // subject), any question the interview walks, or one with an answer already.
    let engagement: Vec<&engine::QuestionState> = eval
        .questions
        .iter()
        .filter(|s| s.subject.is_none())
        .collect();
    let named = named();
    let (qn, subject, question) = if r.chance(20) && !named.is_empty() {
        // A question another questionnaire's conditions name.
        let (qn, question) = named[r.below(named.len())].clone();
        let subject = match c.questionnaire(&qn).map(|q| q.scope) {
            Some(stackmap::vocab::Scope::Engagement) | None => None,
            Some(_) => eval.questions[r.below(eval.questions.len())]
                .subject
                .as_deref()
                .map(str::to_string),
        };
        (qn, subject, question)
    } else if r.chance(30) && !engagement.is_empty() {
        let s = engagement[r.below(engagement.len())];
        (s.questionnaire.to_string(), None, s.question.to_string())
    } else if r.chance(70) || a.answers.is_empty() {
        let s = &eval.questions[r.below(eval.questions.len())];
        (
            s.questionnaire.to_string(),
            s.subject.as_deref().map(str::to_string),
            s.question.to_string(),
        )
    } else {
        let x = &a.answers[r.below(a.answers.len())];
        (
            x.questionnaire.clone(),
            x.subject.clone(),
            x.question.clone(),
        )
    };
    let respondent = match r.below(10) {
        0 => Some("ana".to_string()),
        1 => Some("bo".to_string()),
        _ => None,
    };
    let Some(q) = c.questionnaire(&qn).and_then(|x| x.question(&question)) else {
        return (qn, subject, question, "nothing".into());
    };
    let index = a.answers.iter().position(|x| {
        x.respondent == respondent
            && x.questionnaire == qn
            && x.subject == subject
            && x.question == question
    });
    let mut answer = index.map(|i| a.answers[i].clone()).unwrap_or_else(|| {
        let mut x = Answer::new(
            qn.clone(),
            subject.clone(),
            question.clone(),
            AnswerState::Open,
        );
        x.respondent = respondent.clone();
        x
    });
    let did = match r.below(12) {
        0..=4 => {
            answer.state = AnswerState::Value(large::value(r, q, &a.systems));
            "value"
        }
        5 => {
            answer.state = AnswerState::Unknown;
            "unknown"
        }
        6 => {
            answer.state = AnswerState::NotApplicable;
            "not applicable"
        }
        7 => {
            if let Some(i) = index {
                a.answers.remove(i);
            }
            return (qn, subject, question, "removed".into());
        }
        8 => {
            answer.note = format!("note {}", r.below(100));
            answer.private = r.chance(30);
            "note"
        }
        9 => {
            answer.confidence = Some(Confidence::ALL[r.below(Confidence::ALL.len())]);
            "confidence"
        }
        10 => {
            answer.is_final = !answer.is_final;
            "final"
        }
        _ => {
            answer.inferred_by = Some("some-rule".into());
            answer.confidence = Some(Confidence::Assumed);
            "inferred"
        }
    };
    if answer.state == AnswerState::Open {
        answer.state = AnswerState::Unknown;
    }
    match index {
        Some(i) => a.answers[i] = answer,
        None => a.answers.push(answer),
    }
    (qn, subject, question, did.into())
}

/// `n` random edits, each re-scored incrementally and checked against a full evaluation.
fn edits(mut a: Assessment, seed: u64, n: usize) {
    let c = content();
    let profile = c.profile(&a.engagement.profile).expect("profile").clone();
    let (mut eval, mut memo) = Memo::evaluate(c, &profile, &a, None);
    same(&eval, &a, "first evaluation");
    let mut r = Lcg(seed);
    for i in 0..n {
        let (qn, subject, question, did) = edit(&mut r, &mut a, &eval);
        let _old = memo.answer_changed(
            c,
            &profile,
            &a,
            None,
            &mut eval,
            (&qn, subject.as_deref(), &question),
        );
        same(
            &eval,
            &a,
            &format!("edit {i} (seed {seed}): {did} on {qn}/{subject:?}/{question}"),
        );
    }
}

fn demo() -> Assessment {
    common::load_text(stackmap::demo::TEXT).expect("demo loads")
}

#[test]
fn incremental_equals_full_on_the_demo() {
    for seed in [1, 2, 3] {
        edits(demo(), seed, 60);
    }
}

#[test]
fn incremental_equals_full_on_a_mid_size_engagement() {
    let a = common::load_text(&large::generate_sized(24, 90)).expect("generated loads");
    assert!(a.answers.len() > 1000, "{} answers", a.answers.len());
    edits(a, 7, 40);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn incremental_equals_full_on_generated_assessments(
        a in common::assessment(),
        seed in any::<u64>(),
    ) {
        edits(a, seed, 12);
    }
}

/// The check above can fail: a memo told another question than the one that changed keeps
/// the old scores for it, and the evaluation differs from a full one.
#[test]
fn a_memo_told_the_wrong_question_is_caught() {
    let c = content();
    let mut a = demo();
    let profile = c.profile(&a.engagement.profile).expect("profile").clone();
    let (mut eval, mut memo) = Memo::evaluate(c, &profile, &a, None);
    // An answered, scored question of a system: its best and worst option differ.
    let i = a
        .answers
        .iter()
        .position(|x| {
            x.subject.is_some()
                && x.respondent.is_none()
                && matches!(x.state, AnswerState::Value(Value::Choice(_)))
                && c.questionnaire(&x.questionnaire)
                    .and_then(|q| q.question(&x.question))
                    .is_some_and(|q| q.is_scored() && q.options.len() > 1)
        })
        .expect("a scored answer");
    let q = c
        .questionnaire(&a.answers[i].questionnaire)
        .and_then(|q| q.question(&a.answers[i].question))
        .expect("question");
    let AnswerState::Value(Value::Choice(now)) = &a.answers[i].state else {
        unreachable!()
    };
    let other = q
        .options
        .iter()
        .find(|o| o.id != *now && o.score != q.option(now).map_or(-1.0, |x| x.score))
        .expect("an option that scores differently");
    a.answers[i].state = AnswerState::Value(Value::Choice(other.id.clone()));
    memo.answer_changed(
        c,
        &profile,
        &a,
        None,
        &mut eval,
        ("no-such-questionnaire", None, "no-such-question"),
    );
    assert!(eval != full(&a), "a stale part went unnoticed");
}

//! Engine properties over generated assessments: the ranked list is a permutation of the
//! decisions, the same input gives byte-identical JSON, and a better answer never lowers its
//! question's score nor raises a finding the worse answer did not.

mod common;

use std::collections::BTreeSet;

use common::{assessment, content};
use proptest::prelude::*;
use stackmap::engine::{self, Evaluation};
use stackmap::model::*;
use stackmap::vocab::*;

fn run(a: &Assessment) -> Evaluation {
    let c = content();
    engine::evaluate(
        c,
        c.profile(&a.engagement.profile).expect("profile"),
        a,
        None,
    )
}

/// (finding, subject) pairs raised because of one answer or any rule.
fn raised(e: &Evaluation) -> BTreeSet<(String, String, String)> {
    e.findings
        .iter()
        .flat_map(|f| {
            f.because
                .iter()
                .map(move |b| (f.id.clone(), b.reference.to_string(), b.text.to_string()))
        })
        .map(|(f, r, _)| (f, r, String::new()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn the_two_thread_json_is_byte_for_byte_the_plain_json(a in assessment()) {
        let e = run(&a);
        let mut plain = Vec::new();
        stackmap::cli::output::json(&mut plain, &e).expect("writes");
        let mut split = Vec::new();
        stackmap::cli::output::evaluation_json(&mut split, &e).expect("writes");
        prop_assert_eq!(String::from_utf8(split).expect("utf-8"), String::from_utf8(plain).expect("utf-8"));
    }

    #[test]
    fn ranks_are_a_permutation_within_each_lane(a in assessment()) {
        let e = run(&a);
        let groups: BTreeSet<&str> = e.findings.iter().map(|f| f.decision.as_str()).collect();
        // One decision per group of findings, or one per subject (`GROUP@SUBJECT`).
        let bases: BTreeSet<&str> = e.decisions.iter().map(|d| d.id.split_once('@').map_or(d.id.as_str(), |(b, _)| b)).collect();
        prop_assert!(bases.is_subset(&groups), "every decision comes from a group of findings");
        // A group is left off only when it is an architecture change about systems that are all
        // being retired (retiring them settles it), or when each of its decisions went into
        // another one with the same remedy (its findings are that decision's).
        let retiring = |id: &str| a.systems.iter().any(|s| s.id == id && s.status == stackmap::vocab::SystemStatus::Retiring);
        for g in groups.difference(&bases) {
            let members: Vec<_> = e.findings.iter().filter(|f| f.decision == *g).collect();
            if members.iter().all(|f| e.decisions.iter().any(|d| d.findings.contains(&f.id))) {
                continue;
            }
            prop_assert!(members.iter().any(|f| f.horizon == Horizon::Architecture), "{} left off, not an architecture change", g);
            for f in &members {
                for (s, _) in &f.raised {
                    prop_assert!(s.kind == stackmap::engine::SubjectKind::System && retiring(&s.id), "{} left off, but raised for {:?}", g, s);
                }
            }
        }
        let ids: BTreeSet<&str> = e.decisions.iter().map(|d| d.id.as_str()).collect();
        prop_assert_eq!(ids.len(), e.decisions.len(), "no decision twice");
        for lane in Horizon::ALL {
            let mut ranks: Vec<u32> = e.lane(*lane).map(|d| d.rank).collect();
            ranks.sort_unstable();
            let want: Vec<u32> = (1..=ranks.len() as u32).collect();
            prop_assert_eq!(ranks, want);
        }
        // The roadmap holds every decision that is not rejected, once.
        let mut in_roadmap: Vec<&str> = e.roadmap.iter().flat_map(|s| s.decisions.iter().map(String::as_str)).collect();
        in_roadmap.sort_unstable();
        let mut expected: Vec<&str> = e.decisions.iter().filter(|d| d.status != DecisionStatus::Rejected).map(|d| d.id.as_str()).collect();
        expected.sort_unstable();
        prop_assert_eq!(in_roadmap, expected);
        for s in &e.roadmap {
            let largest = s.decisions.iter().filter_map(|d| e.decision(d)).map(|d| u32::from(d.terms.effort)).max().unwrap_or(0);
            prop_assert!(s.effort <= 8 || s.decisions.len() == 1, "slice {} over budget: {} (largest {largest})", s.slice, s.effort);
        }
        // A decision comes after everything it depends on, unless they form a cycle.
        if e.warnings.is_empty() {
            for d in &e.decisions {
                for dep in &d.depends_on {
                    if let (Some(a), Some(b)) = (d.slice, e.decision(dep).and_then(|x| x.slice)) {
                        prop_assert!(a > b, "{} in slice {a} depends on {dep} in slice {b}", d.id);
                    }
                }
            }
        }
    }

    #[test]
    fn the_same_input_gives_byte_identical_json(a in assessment()) {
        let one = serde_json::to_string(&run(&a)).expect("json");
        let two = serde_json::to_string(&run(&a.clone())).expect("json");
        prop_assert_eq!(one, two);
    }

    #[test]
    fn a_better_option_never_lowers_the_score_nor_adds_a_finding(a in assessment(), pick in any::<proptest::sample::Index>(), to in any::<proptest::sample::Index>()) {
        // Take one answered single or yes/no question, move it to an option at least as good.
        let c = content();
        // A question one voice answered: where respondents answered it too, a better option
        // from one of them can hand the count to another's worse answer, or start a
        // disagreement (tests/voices.rs).
        let alone = |x: &Answer| a.answers.iter().filter(|y| y.questionnaire == x.questionnaire && y.subject == x.subject && y.question == x.question).count() == 1;
        let candidates: Vec<usize> = a.answers.iter().enumerate().filter(|(_, x)| {
            let q = c.questionnaire(&x.questionnaire).and_then(|q| q.question(&x.question));
            matches!(x.state, AnswerState::Value(Value::Choice(_))) && q.is_some_and(|q| matches!(q.kind, QuestionKind::Single | QuestionKind::YesNo)) && alone(x)
        }).map(|(i, _)| i).collect();
        prop_assume!(!candidates.is_empty());
        let i = candidates[pick.index(candidates.len())];
        let ans = &a.answers[i];
        let q = c.questionnaire(&ans.questionnaire).and_then(|q| q.question(&ans.question)).expect("question");
        let AnswerState::Value(Value::Choice(cur)) = &ans.state else { unreachable!() };
        let cur_score = q.option(cur).expect("option").score;
        let better: Vec<&AnswerOption> = q.options.iter().filter(|o| o.score >= cur_score).collect();
        let target = better[to.index(better.len())];
        let mut b = a.clone();
        b.answers[i].state = AnswerState::Value(Value::Choice(target.id.clone()));
        let (ea, eb) = (run(&a), run(&b));
        let state = |e: &Evaluation| e.questions.iter().find(|s| *s.questionnaire == *ans.questionnaire && s.subject.as_deref() == ans.subject.as_deref() && *s.question == *ans.question).cloned();
        let (sa, sb) = (state(&ea), state(&eb));
        if let (Some(sa), Some(sb)) = (&sa, &sb) && sa.applicable && sb.applicable {
            prop_assert!(sb.score >= sa.score, "{}: {:?} → {:?}", ans.question, sa.score, sb.score);
        }
        // An answer can reveal follow-up questions (`show_if`): knowing the limits are not
        // published shows "what share of the limit do you use?", whose answer may raise its own
        // finding. Those, and rules that read them, are new facts, not the better option's doing.
        let key = |s: &stackmap::engine::QuestionState| match &s.subject {
            Some(sub) => format!("{}/{sub}/{}", s.questionnaire, s.question),
            None => format!("{}/{}", s.questionnaire, s.question),
        };
        let was: BTreeSet<String> = ea.questions.iter().filter(|s| s.applicable).map(key).collect();
        let revealed: BTreeSet<String> = eb.questions.iter().filter(|s| s.applicable).map(key).filter(|k| !was.contains(k)).collect();
        let from_revealed = |r: &str| revealed.contains(r) || (!revealed.is_empty() && r.matches('/').count() == 1 && !was.contains(r));
        let before = raised(&ea);
        let added: Vec<_> = raised(&eb).into_iter().filter(|x| !before.contains(x) && !from_revealed(&x.1)).collect();
        prop_assert!(added.is_empty(), "moving {} from {cur} to {} added {added:?}", ans.question, target.id);
    }
}

#[test]
fn nothing_answered_scores_with_coverage_zero() {
    let c = content();
    let text = std::fs::read_to_string("tests/fixtures/valid/assessment.toml").expect("fixture");
    let mut a = common::load_text(&text).expect("valid");
    a.answers.clear();
    let e = run(&a);
    assert_eq!(e.overall, None);
    assert_eq!(e.coverage, 0.0);
    assert!(e.applicable > 0);
    assert!(c.questionnaire("flow-contract").is_some());
}

#[test]
fn shipped_options_raise_nested_findings_worst_to_best() {
    // The content rule behind the property above: an option at least as good as another
    // raises no finding the other does not.
    for q in &content().questionnaires {
        for (_, question) in q.questions() {
            for a in &question.options {
                for b in &question.options {
                    if b.score >= a.score {
                        let of = |o: &AnswerOption| {
                            o.raises
                                .iter()
                                .map(|r| r.id.clone())
                                .collect::<BTreeSet<_>>()
                        };
                        let extra: Vec<_> = of(b).difference(&of(a)).cloned().collect();
                        assert!(
                            extra.is_empty(),
                            "{}/{}: `{}` raises {extra:?} that worse `{}` does not",
                            q.id,
                            question.id,
                            b.id,
                            a.id
                        );
                    }
                }
            }
        }
    }
}

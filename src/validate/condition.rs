//! Conditions (`show_if`, rules' `when`): TOML structure → `Condition`.
//!
//! A condition has exactly one head: a combinator (`all`, `any`, `not`), an answer test
//! (`question`), an inventory test (`has_system`, `subject`, `object`) or `scenario`. Which
//! heads are allowed depends on where the condition sits: `subject` needs a system or flow
//! scope. References to questions of the same questionnaire are checked by the caller, which
//! knows the question order; references into other questionnaires are checked content-wide.

use crate::diag::Sink;
use crate::model::{
    AnswerTest, Condition, FlowFilter, ObjectTest, Ref, SubjectFilter, SystemFilter,
};
use crate::raw::{RawCondition, S};
use crate::vocab::*;

use super::{int_in, reference, vocab, vocab_strlist};

/// Where a condition is written, for the checks that depend on it.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub scope: Scope,
}

pub fn condition(sink: &mut Sink, raw: &S<RawCondition>, place: Place) -> Option<Condition> {
    let c = raw.get_ref();
    let span = raw.span();
    let heads: Vec<&str> = [
        ("all", c.all.is_some()),
        ("any", c.any.is_some()),
        ("not", c.not.is_some()),
        ("question", c.question.is_some()),
        ("has_system", c.has_system.is_some()),
        ("has_flow", c.has_flow.is_some()),
        ("subject", c.subject.is_some()),
        ("object", c.object.is_some()),
        ("scenario", c.scenario.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, set)| set.then_some(k))
    .collect();
    match heads.len() {
        0 => {
            sink.error(
                &span,
                "empty condition: it needs one of `all`, `any`, `not`, `question`, \
                 `has_system`, `has_flow`, `subject`, `object` or `scenario`",
            );
            return None;
        }
        1 => {}
        _ => {
            sink.error(
                &span,
                format!(
                    "a condition tests one thing, found `{}`: combine tests with \
                     `all = [{{ ... }}, {{ ... }}]`",
                    heads.join("`, `")
                ),
            );
            return None;
        }
    }
    stray_keys(sink, c, &span, heads[0]);
    match heads[0] {
        "all" | "any" => {
            let list = c.all.as_ref().or(c.any.as_ref())?;
            if list.is_empty() {
                sink.error(
                    &span,
                    format!("`{}` needs at least one condition", heads[0]),
                );
                return None;
            }
            let items: Vec<Condition> = list
                .iter()
                .filter_map(|x| condition(sink, x, place))
                .collect();
            if items.len() != list.len() {
                return None;
            }
            Some(if heads[0] == "all" {
                Condition::All(items)
            } else {
                Condition::Any(items)
            })
        }
        "not" => {
            let inner = condition(sink, c.not.as_ref()?, place)?;
            Some(Condition::Not(Box::new(inner)))
        }
        "question" => answer(sink, c, &span),
        "has_system" => {
            let f = c.has_system.as_ref()?;
            let r = f.get_ref();
            let mut out = SystemFilter {
                at_least: 1,
                ..SystemFilter::default()
            };
            if let Some(v) = &r.category {
                out.category = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.status {
                out.status = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.capability {
                out.capability = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.at_least {
                out.at_least = int_in(sink, v, 1, 10_000, "`at_least`")? as u32;
            }
            Some(Condition::HasSystem(out))
        }
        "has_flow" => {
            let f = c.has_flow.as_ref()?;
            let r = f.get_ref();
            let mut out = FlowFilter {
                at_least: 1,
                ..FlowFilter::default()
            };
            if let Some(v) = &r.mechanism {
                out.mechanism = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.mode {
                out.mode = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.objects {
                out.objects = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.touches {
                out.touches = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.none {
                out.none = vocab_strlist(sink, v);
            }
            out.checkout = r.checkout.as_ref().map(|b| *b.get_ref());
            if let Some(b) = &r.with_subject {
                if *b.get_ref() && place.scope != Scope::System {
                    sink.error(
                        &b.span(),
                        "`has_flow.with_subject` needs a system-scope questionnaire: it keeps \
                         the flows from, to or via the system asked about",
                    );
                    return None;
                }
                out.with_subject = *b.get_ref();
            }
            out.count_callees = r.count_callees.as_ref().is_some_and(|b| *b.get_ref());
            if let Some(v) = &r.at_least {
                out.at_least = int_in(sink, v, 1, 10_000, "`at_least`")? as u32;
            }
            Some(Condition::HasFlow(out))
        }
        "subject" => {
            let f = c.subject.as_ref()?;
            let r = f.get_ref();
            let fspan = f.span();
            let mut out = SubjectFilter::default();
            let system_keys = [
                ("category", r.category.is_some()),
                ("status", r.status.is_some()),
                ("capability", r.capability.is_some()),
            ];
            let flow_keys = [
                ("mechanism", r.mechanism.is_some()),
                ("mode", r.mode.is_some()),
                ("checkout", r.checkout.is_some()),
                ("objects", r.objects.is_some()),
                ("touches", r.touches.is_some()),
                ("none", r.none.is_some()),
            ];
            let (wrong, scope_name): (&[(&str, bool)], &str) = match place.scope {
                Scope::Engagement => {
                    sink.error(
                        &span,
                        "`subject` conditions need a system- or flow-scope questionnaire; \
                         use `has_system` to test the inventory",
                    );
                    return None;
                }
                Scope::System => (&flow_keys, "system"),
                Scope::Flow => (&system_keys, "flow"),
            };
            for (k, set) in wrong {
                if *set {
                    sink.error(
                        &fspan,
                        format!("`subject.{k}` does not apply to a {scope_name} subject"),
                    );
                }
            }
            if let Some(v) = &r.category {
                out.category = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.status {
                out.status = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.capability {
                out.capability = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.mechanism {
                out.mechanism = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.mode {
                out.mode = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.objects {
                out.objects = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.touches {
                out.touches = vocab_strlist(sink, v);
            }
            if let Some(v) = &r.none {
                out.none = vocab_strlist(sink, v);
            }
            out.checkout = r.checkout.as_ref().map(|b| *b.get_ref());
            Some(Condition::Subject(out))
        }
        "object" => {
            let o = c.object.as_ref()?;
            let object = vocab::<DataObject>(sink, o);
            let tests = [
                c.owner_missing.is_some(),
                c.owner_category.is_some(),
                c.owner_retiring.is_some(),
                c.writers_at_least.is_some(),
                c.moving.is_some(),
            ];
            let n = tests.iter().filter(|t| **t).count();
            if n != 1 {
                sink.error(
                    &span,
                    format!(
                        "an `object` condition needs exactly one test of `owner_missing`, \
                         `owner_category`, `owner_retiring`, `writers_at_least` or `moving`; \
                         found {n}"
                    ),
                );
                return None;
            }
            let test = if let Some(b) = &c.owner_missing {
                ObjectTest::OwnerMissing(*b.get_ref())
            } else if let Some(v) = &c.owner_category {
                ObjectTest::OwnerCategory(vocab_strlist(sink, v))
            } else if let Some(b) = &c.owner_retiring {
                ObjectTest::OwnerRetiring(*b.get_ref())
            } else if let Some(v) = &c.writers_at_least {
                ObjectTest::WritersAtLeast(int_in(sink, v, 0, 10_000, "`writers_at_least`")? as u32)
            } else {
                ObjectTest::Moving(*c.moving.as_ref()?.get_ref())
            };
            Some(Condition::Object {
                object: object?,
                test,
            })
        }
        "scenario" => {
            let v = c.scenario.as_ref()?;
            let list = vocab_strlist::<Scenario>(sink, v);
            (list.len() == v.get_ref().0.len()).then_some(Condition::Scenario(list))
        }
        _ => None,
    }
}

fn answer(sink: &mut Sink, c: &RawCondition, span: &std::ops::Range<usize>) -> Option<Condition> {
    let q = c.question.as_ref()?;
    let (qid, qpos) = reference(sink, q, "question")?;
    let questionnaire = match &c.questionnaire {
        Some(v) => {
            let (id, pos) = reference(sink, v, "questionnaire")?;
            Some(Ref { id, pos })
        }
        None => None,
    };
    let tests = [
        c.is.is_some(),
        c.answered.is_some(),
        c.unknown.is_some(),
        c.na.is_some(),
        c.at_least.is_some(),
        c.below.is_some(),
    ];
    let n = tests.iter().filter(|t| **t).count();
    if n != 1 {
        sink.error(
            span,
            format!(
                "a `question` condition needs exactly one test of `is`, `answered`, `unknown`, \
                 `na`, `at_least` or `below`; found {n}"
            ),
        );
        return None;
    }
    let test = if let Some(v) = &c.is {
        if v.get_ref().0.is_empty() {
            sink.error(&v.span(), "`is` needs at least one option id");
            return None;
        }
        AnswerTest::Is(v.get_ref().0.clone())
    } else if let Some(b) = &c.answered {
        AnswerTest::Answered(*b.get_ref())
    } else if let Some(b) = &c.unknown {
        AnswerTest::Unknown(*b.get_ref())
    } else if let Some(b) = &c.na {
        AnswerTest::Na(*b.get_ref())
    } else if let Some(x) = &c.at_least {
        AnswerTest::AtLeast(finite(sink, x)?)
    } else {
        AnswerTest::Below(finite(sink, c.below.as_ref()?)?)
    };
    Some(Condition::Answer {
        questionnaire,
        question: Ref { id: qid, pos: qpos },
        test,
    })
}

fn finite(sink: &mut Sink, v: &S<f64>) -> Option<f64> {
    if v.get_ref().is_finite() {
        Some(*v.get_ref())
    } else {
        sink.error(&v.span(), "expected a finite number");
        None
    }
}

/// Keys that belong to another head (`is` without `question`, `owner_missing` without
/// `object`) would be silently ignored; report them.
fn stray_keys(sink: &mut Sink, c: &RawCondition, span: &std::ops::Range<usize>, head: &str) {
    let answer_keys = [
        ("questionnaire", c.questionnaire.is_some()),
        ("is", c.is.is_some()),
        ("answered", c.answered.is_some()),
        ("unknown", c.unknown.is_some()),
        ("na", c.na.is_some()),
        ("at_least", c.at_least.is_some()),
        ("below", c.below.is_some()),
    ];
    let object_keys = [
        ("owner_missing", c.owner_missing.is_some()),
        ("owner_category", c.owner_category.is_some()),
        ("owner_retiring", c.owner_retiring.is_some()),
        ("writers_at_least", c.writers_at_least.is_some()),
        ("moving", c.moving.is_some()),
    ];
    if head != "question" {
        for (k, set) in answer_keys {
            if set {
                sink.error(
                    span,
                    format!("`{k}` only applies to a `question` condition"),
                );
            }
        }
    }
    if head != "object" {
        for (k, set) in object_keys {
            if set {
                sink.error(span, format!("`{k}` only applies to an `object` condition"));
            }
        }
    }
}

/// Every answer reference in a condition, with its test, for reference checks.
pub fn answer_refs<'c>(
    c: &'c Condition,
    out: &mut Vec<(&'c Option<Ref>, &'c Ref, &'c AnswerTest)>,
) {
    match c {
        Condition::All(v) | Condition::Any(v) => v.iter().for_each(|x| answer_refs(x, out)),
        Condition::Not(x) => answer_refs(x, out),
        Condition::Answer {
            questionnaire,
            question,
            test,
        } => out.push((questionnaire, question, test)),
        _ => {}
    }
}

/// The first head of a condition that reads something other than the inventory (an answer, a
/// scenario), for `[[infer]]`, whose conditions read the inventory only.
pub fn not_inventory(c: &Condition) -> Option<&'static str> {
    match c {
        Condition::All(v) | Condition::Any(v) => v.iter().find_map(not_inventory),
        Condition::Not(x) => not_inventory(x),
        Condition::Answer { .. } => Some("question"),
        Condition::Scenario(_) => Some("scenario"),
        Condition::HasSystem(_)
        | Condition::HasFlow(_)
        | Condition::Subject(_)
        | Condition::Object { .. } => None,
    }
}

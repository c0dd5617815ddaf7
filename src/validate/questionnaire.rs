//! Questionnaire files → `Questionnaire`, with every problem in the file reported.
//!
//! Checks here are the ones a single file can answer: required keys, ids and their
//! uniqueness inside the file, option lists and scores per question kind, thresholds, and
//! `show_if` references to questions of the same questionnaire (which must come earlier, so
//! conditions can never loop). References that may point into other files — `raises`,
//! `depends_on`, a `show_if` into another questionnaire — are checked content-wide in
//! `content`.

use std::collections::HashMap;

use crate::diag::{Sink, hint};
use crate::model::*;
use crate::raw::*;
use crate::vocab::*;

use super::condition::{self, Place, answer_refs};
use super::{
    Seen, int_in, is_valid_id, number_in, reference, required, required_id, vocab, vocab_list,
};

pub fn questionnaire(
    raw: &RawQuestionnaire,
    source: Source,
    sink: &mut Sink,
) -> Option<Questionnaire> {
    let file = 0..0;
    let id = required_id(sink, &raw.id, &file, "the questionnaire", "questionnaire");
    let own_id = id.as_ref().map(|(i, _)| i.clone()).unwrap_or_default();
    let own = own_id.as_str();
    let title = required(sink, &raw.title, &file, "title", "the questionnaire");
    let version = match &raw.version {
        None => {
            sink.error(&file, "missing `version` in the questionnaire (a whole number, 1 or more; raise it when questions change)");
            None
        }
        Some(v) => int_in(sink, v, 1, i64::from(u32::MAX), "`version`").map(|v| v as u32),
    };
    let scope = match &raw.scope {
        None => {
            sink.error(
                &file,
                "missing `scope` in the questionnaire; expected `engagement`, `system` or `flow`",
            );
            None
        }
        Some(v) => vocab::<Scope>(sink, v),
    };
    let categories = vocab_list::<Category>(sink, &raw.categories);
    if !raw.categories.is_empty() && scope.is_some_and(|s| s != Scope::System) {
        sink.error(
            &raw.categories[0].span(),
            "`categories` only applies to system-scope questionnaires",
        );
    }
    let dimension = raw
        .dimension
        .as_ref()
        .and_then(|d| vocab::<Dimension>(sink, d));
    let scope_for_checks = scope.unwrap_or(Scope::Engagement);

    // Findings first: options refer to them.
    let mut findings = Vec::new();
    let mut seen_findings = Seen::new("finding");
    for f in &raw.findings {
        if let Some(f) = finding(sink, f)
            && seen_findings.insert(sink, &f.id, f.pos)
        {
            findings.push(f);
        }
    }

    let mut sections = Vec::new();
    let mut seen_sections = Seen::new("section");
    let mut seen_questions = Seen::new("question");
    // Question id → (order, kind, option ids): for same-file `show_if` checks.
    let mut earlier: HashMap<String, (usize, QuestionKind, Vec<String>)> = HashMap::new();
    // Every question id is known up front (as "later" until reached), so a condition that
    // reads a later question is told so, rather than that the question does not exist.
    for s in &raw.sections {
        for q in &s.get_ref().questions {
            if let Some(id) = &q.get_ref().id {
                earlier.insert(
                    id.get_ref().clone(),
                    (usize::MAX, QuestionKind::Text, Vec::new()),
                );
            }
        }
    }
    let mut order = 0usize;
    for s in &raw.sections {
        let span = s.span();
        let r = s.get_ref();
        let sid = required_id(sink, &r.id, &span, "a [[section]]", "section");
        let stitle = required(sink, &r.title, &span, "title", "a [[section]]");
        let scats = match &r.categories {
            Some(list) => {
                if scope.is_some_and(|s| s != Scope::System) {
                    sink.error(
                        &s.span(),
                        "`categories` only applies to sections of system-scope questionnaires",
                    );
                }
                let cats = vocab_list::<Category>(sink, list);
                if !categories.is_empty()
                    && let Some(c) = cats.iter().find(|c| !categories.contains(c))
                {
                    sink.error(
                        &s.span(),
                        format!(
                            "section category `{c}` can never be asked: the questionnaire is only asked of {}",
                            categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                cats
            }
            None => Vec::new(),
        };
        let show_if = r.show_if.as_ref().and_then(|c| {
            let cond = condition::condition(
                sink,
                c,
                Place {
                    scope: scope_for_checks,
                },
            )?;
            check_local_refs(sink, &cond, order, &earlier, own);
            Some(cond)
        });
        if r.questions.is_empty() {
            sink.error(
                &span,
                "a [[section]] needs at least one [[section.question]]",
            );
        }
        let mut questions = Vec::new();
        for q in &r.questions {
            let this_order = order;
            order += 1;
            let Some(question) = question(
                sink,
                q,
                dimension,
                scope_for_checks,
                this_order,
                &earlier,
                own,
            ) else {
                continue;
            };
            if !seen_questions.insert(sink, &question.id, question.pos) {
                continue;
            }
            earlier.insert(
                question.id.clone(),
                (
                    this_order,
                    question.kind,
                    question.options.iter().map(|o| o.id.clone()).collect(),
                ),
            );
            questions.push(question);
        }
        if let Some((sid, spos)) = sid
            && seen_sections.insert(sink, &sid, spos)
        {
            sections.push(Section {
                id: sid,
                title: stitle.map(|t| t.get_ref().clone()).unwrap_or_default(),
                help: r.help.clone().unwrap_or_default(),
                categories: scats,
                show_if,
                questions,
            });
        }
    }

    let mut rules = Vec::new();
    let mut seen_rules = Seen::new("rule");
    for r in &raw.rules {
        let span = r.span();
        let rr = r.get_ref();
        let rid = required_id(sink, &rr.id, &span, "a [[rule]]", "rule");
        let when = match &rr.when {
            None => {
                sink.error(
                    &span,
                    "missing `when` in a [[rule]]: the condition that raises its findings",
                );
                None
            }
            Some(c) => condition::condition(
                sink,
                c,
                Place {
                    scope: scope_for_checks,
                },
            )
            .inspect(|cond| {
                check_local_refs(sink, cond, usize::MAX, &earlier, own);
            }),
        };
        if rr.raises.is_empty() {
            sink.error(&span, "a [[rule]] needs `raises`: the findings it raises");
        }
        let raises = refs(sink, &rr.raises, "finding");
        if let (Some((rid, pos)), Some(when)) = (rid, when)
            && seen_rules.insert(sink, &rid, pos)
        {
            rules.push(Rule {
                id: rid,
                pos,
                title: rr.title.clone().unwrap_or_default(),
                when,
                raises,
            });
        }
    }

    let infers = infers(sink, &raw.infers, &sections, scope_for_checks);

    if raw.sections.is_empty() && raw.findings.is_empty() {
        sink.error(&file, "a questionnaire needs at least one [[section]] (or, for a findings-only file, one [[finding]])");
    }

    // Items with problems were reported and dropped (or kept with safe values); the rest is
    // returned so content-wide checks still run on it and report their problems too. Callers
    // that need valid content refuse it when the sink holds errors.
    let (id, id_pos) = id?;
    let mut index = HashMap::new();
    for (si, s) in sections.iter().enumerate() {
        for (qi, q) in s.questions.iter().enumerate() {
            index.insert(q.id.clone(), (si, qi));
        }
    }
    let mut moved = Vec::new();
    let mut seen_moved = Seen::new("moved question");
    for m in &raw.moved {
        let span = m.span();
        let mr = m.get_ref();
        let q = required_id(sink, &mr.question, &span, "a [[moved]]", "question");
        let to = match &mr.to {
            None => {
                sink.error(&span, "missing `to` in a [[moved]]: the question's one home, `questionnaire/question`");
                None
            }
            Some(t) => qualified(sink, t).map(|home| (home, sink.pos(&t.span()))),
        };
        if let Some((qid, _)) = &q
            && index.contains_key(qid)
        {
            sink.error_id(
                &mr.question.as_ref().map_or(span.clone(), |x| x.span()),
                qid,
                format!("`{qid}` is still a question of this file: a [[moved]] entry names a question that left it"),
            );
            continue;
        }
        let mut options = Vec::new();
        for (old, new) in &mr.options {
            if !is_valid_id(old) || !is_valid_id(new.get_ref()) {
                sink.error(
                    &new.span(),
                    format!(
                        "`{old} = \"{}\"`: option ids are lowercase letters, digits and hyphens",
                        new.get_ref()
                    ),
                );
                continue;
            }
            options.push((old.clone(), new.get_ref().clone()));
        }
        if let (Some((qid, pos)), Some((to, to_pos))) = (q, to)
            && seen_moved.insert(sink, &qid, pos)
        {
            moved.push(Moved {
                question: qid,
                pos,
                to,
                to_pos,
                options,
            });
        }
    }
    Some(Questionnaire {
        id,
        id_pos,
        title: title?.get_ref().clone(),
        version: version?,
        scope: scope?,
        categories,
        dimension,
        description: raw.description.clone().unwrap_or_default(),
        sections,
        findings,
        rules,
        infers,
        moved,
        source,
        index,
    })
}

/// `[[infer]]` entries: an id, a question of this file that can hold a value read from the
/// inventory, a `when` that reads the inventory only, and a value that fits the question.
fn infers(
    sink: &mut Sink,
    raw: &[S<crate::raw::RawInfer>],
    sections: &[Section],
    scope: Scope,
) -> Vec<Infer> {
    let mut out = Vec::new();
    let mut seen = Seen::new("infer rule");
    for r in raw {
        let span = r.span();
        let rr = r.get_ref();
        let rid = required_id(sink, &rr.id, &span, "an [[infer]]", "infer rule");
        let question = match &rr.question {
            None => {
                sink.error(
                    &span,
                    "missing `question` in an [[infer]]: the question it answers",
                );
                None
            }
            Some(q) => {
                let found = sections
                    .iter()
                    .flat_map(|s| s.questions.iter())
                    .find(|x| x.id == *q.get_ref());
                match found {
                    Some(x) if !x.is_scored() => {
                        sink.error_id(
                            &q.span(),
                            q.get_ref(),
                            format!(
                                "`{}` is a {} question: an [[infer]] answers a choice, scale or \
                                 number question",
                                x.id,
                                x.kind.as_str()
                            ),
                        );
                        None
                    }
                    Some(x) => Some((x, sink.pos(&q.span()))),
                    None => {
                        let names: Vec<&str> = sections
                            .iter()
                            .flat_map(|s| s.questions.iter().map(|x| x.id.as_str()))
                            .collect();
                        sink.error_id(
                            &q.span(),
                            q.get_ref(),
                            format!(
                                "an [[infer]] answers a question of its own questionnaire; there \
                                 is no question `{}`{}",
                                q.get_ref(),
                                crate::diag::hint(q.get_ref(), names.iter().copied())
                            ),
                        );
                        None
                    }
                }
            }
        };
        let when = match &rr.when {
            None => {
                sink.error(
                    &span,
                    "missing `when` in an [[infer]]: the inventory facts that imply the answer",
                );
                None
            }
            Some(c) => condition::condition(sink, c, Place { scope }).and_then(|cond| {
                match condition::not_inventory(&cond) {
                    Some(head) => {
                        sink.error(
                            &c.span(),
                            format!(
                                "an [[infer]] reads the inventory only (`has_system`, `has_flow`, \
                                 `subject`, `object`); `{head}` is not an inventory fact"
                            ),
                        );
                        None
                    }
                    None => Some(cond),
                }
            }),
        };
        let value = match (&rr.value, &question) {
            (None, _) => {
                sink.error(
                    &span,
                    "missing `value` in an [[infer]]: the answer it infers",
                );
                None
            }
            (Some(_), None) => None,
            (Some(v), Some((q, _))) => {
                match crate::validate::assessment::check_value(q, v.get_ref().clone(), &[]) {
                    Ok(x) => Some(x),
                    Err(msg) => {
                        sink.error_id(&v.span(), &q.id, msg);
                        None
                    }
                }
            }
        };
        if let (Some((rid, pos)), Some((q, qpos)), Some(when), Some(value)) =
            (rid, question, when, value)
            && seen.insert(sink, &rid, pos)
        {
            out.push(Infer {
                id: rid,
                pos,
                question: Ref {
                    id: q.id.clone(),
                    pos: qpos,
                },
                when,
                value,
                because: rr.because.clone().unwrap_or_default(),
            });
        }
    }
    out
}

/// A `questionnaire/question` reference, split; reports a bad one.
fn qualified(sink: &mut Sink, v: &S<String>) -> Option<(String, String)> {
    let text = v.get_ref();
    match text.split_once('/') {
        Some((q, x)) if is_valid_id(q) && is_valid_id(x) => Some((q.to_string(), x.to_string())),
        _ => {
            sink.error(
                &v.span(),
                format!("`{text}`: expected `questionnaire/question`, two ids joined by a slash"),
            );
            None
        }
    }
}

fn refs(sink: &mut Sink, list: &[S<String>], what: &str) -> Vec<Ref> {
    list.iter()
        .filter_map(|v| reference(sink, v, what).map(|(id, pos)| Ref { id, pos }))
        .collect()
}

fn finding(sink: &mut Sink, f: &S<RawFinding>) -> Option<Finding> {
    let span = f.span();
    let r = f.get_ref();
    let id = required_id(sink, &r.id, &span, "a [[finding]]", "finding");
    let title = required(sink, &r.title, &span, "title", "a [[finding]]");
    let horizon = match &r.horizon {
        None => {
            sink.error(
                &span,
                "missing `horizon` in a [[finding]]; expected `immediate` or `architecture`",
            );
            None
        }
        Some(h) => vocab::<Horizon>(sink, h),
    };
    // A bad level is reported and replaced by 1, so that the finding still exists and
    // references to it do not cascade into "unknown finding" errors.
    let mut level = |v: &Option<S<i64>>, key: &str| -> u8 {
        match v {
            None => {
                sink.error(&span, format!("missing `{key}` in a [[finding]] (1 to 5)"));
                1
            }
            Some(v) => int_in(sink, v, 1, 5, &format!("`{key}`")).map_or(1, |x| x as u8),
        }
    };
    let impact = level(&r.impact, "impact");
    let risk = level(&r.risk, "risk");
    let effort = level(&r.effort, "effort");
    let objects = vocab_list::<DataObject>(sink, &r.objects);
    let capabilities = vocab_list::<Capability>(sink, &r.capabilities);
    let depends_on = refs(sink, &r.depends_on, "finding");
    let recommendation = required(
        sink,
        &r.recommendation,
        &span,
        "recommendation",
        "a [[finding]]",
    );
    let decision = r
        .decision
        .as_ref()
        .and_then(|d| reference(sink, d, "decision"))
        .map(|(id, pos)| Ref { id, pos });
    let stake = r
        .stake
        .as_ref()
        .and_then(|x| vocab::<Stake>(sink, x))
        .unwrap_or(Stake::Operations);
    let per = r.per.as_ref().and_then(|x| vocab::<Per>(sink, x));
    let (id, pos) = id?;
    Some(Finding {
        id,
        pos,
        title: title.map(|t| t.get_ref().clone()).unwrap_or_default(),
        horizon: horizon.unwrap_or(Horizon::Immediate),
        impact,
        risk,
        effort,
        objects,
        depends_on,
        recommendation: recommendation
            .map(|t| t.get_ref().clone())
            .unwrap_or_default(),
        detail: r.detail.clone().unwrap_or_default(),
        decision,
        stake,
        per,
        apart: r.apart.clone().unwrap_or_default(),
        sources: r.sources.clone(),
        capabilities,
        decision_title: r
            .decision_title
            .as_ref()
            .map(|t| t.get_ref().trim().to_string())
            .unwrap_or_default(),
        was: r.was.clone(),
    })
}

fn question(
    sink: &mut Sink,
    q: &S<RawQuestion>,
    default_dimension: Option<Dimension>,
    scope: Scope,
    order: usize,
    earlier: &HashMap<String, (usize, QuestionKind, Vec<String>)>,
    own: &str,
) -> Option<Question> {
    let span = q.span();
    let r = q.get_ref();
    let place = "a [[section.question]]";
    let mut distinct_from = Vec::new();
    for d in &r.distinct_from {
        if qualified(sink, d).is_some() {
            distinct_from.push(Ref {
                id: d.get_ref().clone(),
                pos: sink.pos(&d.span()),
            });
        }
    }
    let id = required_id(sink, &r.id, &span, place, "question");
    let prompt = required(sink, &r.prompt, &span, "prompt", place);
    let kind = match &r.kind {
        None => {
            sink.error(
                &span,
                format!(
                    "missing `kind` in {place}{}",
                    hint("", QuestionKind::names())
                ),
            );
            None
        }
        Some(k) => vocab::<QuestionKind>(sink, k),
    };
    let weight = match &r.weight {
        None => Some(1.0),
        Some(w) => number_in(sink, w, 0.1, 10.0, "`weight`"),
    };
    let dimension = match (&r.dimension, default_dimension) {
        (Some(d), _) => vocab::<Dimension>(sink, d),
        (None, Some(d)) => Some(d),
        (None, None) => {
            sink.error(
                &span,
                "missing `dimension`: set it on the question or on the questionnaire",
            );
            None
        }
    };
    let show_if = r.show_if.as_ref().and_then(|c| {
        let cond = condition::condition(sink, c, Place { scope })?;
        check_local_refs(sink, &cond, order, earlier, own);
        Some(cond)
    });
    let multi_score = match &r.multi_score {
        None => MultiScore::Mean,
        Some(m) => {
            if kind.is_some_and(|k| k != QuestionKind::Multi) {
                sink.error(&m.span(), "`multi_score` only applies to `multi` questions");
            }
            vocab::<MultiScore>(sink, m).unwrap_or(MultiScore::Mean)
        }
    };
    let objects = vocab_list::<DataObject>(sink, &r.objects);
    let capabilities = vocab_list::<Capability>(sink, &r.capabilities);
    let kind = kind?;
    unit(sink, r, kind, &span);
    let options = options(sink, r, kind, &span);
    let thresholds = thresholds(sink, r, kind, &span);
    let (min, max) = range(sink, r, kind, &span);
    let (id, pos) = id?;
    Some(Question {
        id,
        pos,
        prompt: prompt.map(|p| p.get_ref().clone()).unwrap_or_default(),
        help: r.help.clone().unwrap_or_default(),
        kind,
        weight: weight.unwrap_or(1.0),
        dimension: dimension.unwrap_or(Dimension::Resilience),
        important: r.important.unwrap_or(false),
        tags: r.tags.clone(),
        sources: r.sources.clone(),
        distinct_from,
        objects,
        capabilities,
        show_if,
        options: options.unwrap_or_default(),
        multi_score,
        min,
        max,
        unit: r.unit.clone().unwrap_or_default(),
        min_label: r.min_label.clone().unwrap_or_default(),
        max_label: r.max_label.clone().unwrap_or_default(),
        thresholds: thresholds.unwrap_or_default(),
    })
}

/// The longest `unit`: it is shown beside an input field and after every value.
pub const UNIT_MAX: usize = 24;

/// A number states its unit ("days", "%", "orders/hour"): one short line, shown beside the
/// field and after the value. A number without one is allowed (a count), with a warning.
fn unit(sink: &mut Sink, r: &RawQuestion, kind: QuestionKind, span: &std::ops::Range<usize>) {
    match r.unit.as_deref().map(str::trim) {
        Some(u) if u.chars().any(char::is_control) || u.chars().count() > UNIT_MAX => {
            sink.error(
                span,
                format!(
                    "`unit` is one short line (at most {UNIT_MAX} characters), e.g. \"days\" or \"%\""
                ),
            );
        }
        Some("") | None if kind == QuestionKind::Number => sink.warning(
            span,
            "a `number` question states no `unit`: the field and the answer show a bare number (add e.g. unit = \"days\")",
        ),
        _ => {}
    }
}

fn options(
    sink: &mut Sink,
    r: &RawQuestion,
    kind: QuestionKind,
    span: &std::ops::Range<usize>,
) -> Option<Vec<AnswerOption>> {
    use QuestionKind::*;
    let Some(list) = &r.options else {
        return match kind {
            Single | Multi => {
                sink.error(
                    span,
                    format!(
                        "missing `options`: a `{kind}` question needs {}",
                        at_least(kind)
                    ),
                );
                None
            }
            YesNo => Some(vec![
                AnswerOption {
                    id: "no".into(),
                    label: "No".into(),
                    help: String::new(),
                    score: 0.0,
                    raises: vec![],
                },
                AnswerOption {
                    id: "yes".into(),
                    label: "Yes".into(),
                    help: String::new(),
                    score: 1.0,
                    raises: vec![],
                },
            ]),
            _ => Some(Vec::new()),
        };
    };
    match kind {
        Scale | Number | Text | SystemPick => {
            let instead = match kind {
                Scale => "; a scale takes `min` and `max` (and `thresholds` to raise findings)",
                Number => "; a number takes `thresholds`",
                _ => "",
            };
            sink.error(
                &list.span(),
                format!("`options` do not apply to a `{kind}` question{instead}"),
            );
            return None;
        }
        Single | Multi | YesNo => {}
    }
    let items = list.get_ref();
    if items.is_empty() {
        sink.error(
            &list.span(),
            format!(
                "empty `options`: a `{kind}` question needs {}",
                at_least(kind)
            ),
        );
        return None;
    }
    if items.len() < 2 && kind != Multi {
        sink.error(
            &list.span(),
            format!("a `{kind}` question needs at least two options"),
        );
    }
    let mut out = Vec::new();
    let mut seen = Seen::new("option");
    let mut ok = true;
    for o in items {
        let ospan = o.span();
        let x = o.get_ref();
        let id = required_id(sink, &x.id, &ospan, "an option", "option");
        let label = required(sink, &x.label, &ospan, "label", "an option");
        let score = match &x.score {
            None => {
                sink.error(&ospan, "missing `score` in an option (0 worst to 1 best)");
                None
            }
            Some(s) => number_in(sink, s, 0.0, 1.0, "option `score`"),
        };
        let raises = refs(sink, &x.raises, "finding");
        // Duplicates are reported even when the option has other problems.
        let fresh = id
            .as_ref()
            .is_some_and(|(id, pos)| seen.insert(sink, id, *pos));
        match (id, label, score) {
            (Some((id, _)), Some(label), Some(score)) => {
                if fresh {
                    out.push(AnswerOption {
                        id,
                        label: label.get_ref().clone(),
                        help: x.help.clone().unwrap_or_default(),
                        score,
                        raises,
                    });
                }
            }
            _ => ok = false,
        }
    }
    if kind == YesNo && ok {
        let mut ids: Vec<&str> = out.iter().map(|o| o.id.as_str()).collect();
        ids.sort_unstable();
        if ids != ["no", "yes"] {
            sink.error(
                &list.span(),
                "a `yes_no` question's options must be exactly `yes` and `no`",
            );
            ok = false;
        }
    }
    ok.then_some(out)
}

fn at_least(kind: QuestionKind) -> &'static str {
    if kind == QuestionKind::Multi {
        "at least one option"
    } else {
        "at least two options"
    }
}

fn thresholds(
    sink: &mut Sink,
    r: &RawQuestion,
    kind: QuestionKind,
    span: &std::ops::Range<usize>,
) -> Option<Vec<Threshold>> {
    let Some(list) = &r.thresholds else {
        if kind == QuestionKind::Number {
            sink.error(span, "missing `thresholds`: a `number` question maps values to scores with `thresholds = [{ upto = 1, score = 1.0 }, { score = 0.0 }]`");
            return None;
        }
        return Some(Vec::new());
    };
    if !matches!(kind, QuestionKind::Number | QuestionKind::Scale) {
        sink.error(
            &list.span(),
            format!("`thresholds` do not apply to a `{kind}` question"),
        );
        return None;
    }
    let items = list.get_ref();
    if items.is_empty() {
        sink.error(
            &list.span(),
            "empty `thresholds`: give at least one band, the last without `upto`",
        );
        return None;
    }
    let mut out: Vec<Threshold> = Vec::new();
    let mut ok = true;
    for (i, t) in items.iter().enumerate() {
        let x = t.get_ref();
        let last = i + 1 == items.len();
        let upto = match &x.upto {
            Some(u) if !u.get_ref().is_finite() => {
                sink.error(&u.span(), "`upto` must be a finite number");
                ok = false;
                None
            }
            Some(u) => {
                if last {
                    sink.error(
                        &u.span(),
                        "the last threshold catches every larger value: leave out its `upto`",
                    );
                    ok = false;
                }
                if let Some(prev) = out.last().and_then(|p| p.upto)
                    && *u.get_ref() <= prev
                {
                    sink.error(
                        &u.span(),
                        format!(
                            "thresholds must rise: `upto = {}` follows `upto = {prev}`",
                            u.get_ref()
                        ),
                    );
                    ok = false;
                }
                Some(*u.get_ref())
            }
            None => {
                if !last {
                    sink.error(&t.span(), "only the last threshold may leave out `upto`");
                    ok = false;
                }
                None
            }
        };
        let score = match &x.score {
            // A scale scores by position; its thresholds only raise findings.
            None if kind == QuestionKind::Scale => 0.0,
            None => {
                sink.error(
                    &t.span(),
                    "missing `score` in a threshold (0 worst to 1 best)",
                );
                ok = false;
                0.0
            }
            Some(s) => number_in(sink, s, 0.0, 1.0, "threshold `score`").unwrap_or_else(|| {
                ok = false;
                0.0
            }),
        };
        out.push(Threshold {
            upto,
            score,
            raises: refs(sink, &x.raises, "finding"),
        });
    }
    ok.then_some(out)
}

fn range(
    sink: &mut Sink,
    r: &RawQuestion,
    kind: QuestionKind,
    span: &std::ops::Range<usize>,
) -> (Option<f64>, Option<f64>) {
    let min = r.min.as_ref();
    let max = r.max.as_ref();
    match kind {
        QuestionKind::Scale => {
            let (Some(lo), Some(hi)) = (min, max) else {
                sink.error(
                    span,
                    "a `scale` question needs `min` and `max` (whole numbers, for example 1 and 5)",
                );
                return (None, None);
            };
            let (l, h) = (*lo.get_ref(), *hi.get_ref());
            if l.fract() != 0.0 || h.fract() != 0.0 || !l.is_finite() || !h.is_finite() {
                sink.error(
                    &lo.span(),
                    "a scale's `min` and `max` must be whole numbers",
                );
            } else if l >= h {
                sink.error(&hi.span(), format!("`max` ({h}) must be above `min` ({l})"));
            } else if h - l > 10.0 {
                sink.error(
                    &hi.span(),
                    "a scale has at most 11 steps (for example 0 to 10)",
                );
            }
            (Some(l), Some(h))
        }
        QuestionKind::Number => {
            if let (Some(lo), Some(hi)) = (min, max)
                && lo.get_ref() >= hi.get_ref()
            {
                sink.error(&hi.span(), "`max` must be above `min`");
            }
            (min.map(|v| *v.get_ref()), max.map(|v| *v.get_ref()))
        }
        _ => {
            for v in [min, max].into_iter().flatten() {
                sink.error(
                    &v.span(),
                    format!("`min` and `max` do not apply to a `{kind}` question"),
                );
            }
            (None, None)
        }
    }
}

/// Checks the answer references of a condition that stay inside this questionnaire: the
/// question exists, comes before `order`, and the test fits its kind.
fn check_local_refs(
    sink: &mut Sink,
    cond: &Condition,
    order: usize,
    earlier: &HashMap<String, (usize, QuestionKind, Vec<String>)>,
    own: &str,
) {
    let mut found = Vec::new();
    answer_refs(cond, &mut found);
    for (questionnaire, question, test) in found {
        // Naming this questionnaire explicitly is still a local reference: it must obey the
        // same "earlier questions only" rule, or two questions could show each other.
        if questionnaire.as_ref().is_some_and(|r| r.id != own) {
            continue;
        }
        match earlier.get(&question.id) {
            // A rule reading a question that failed validation: reported with the question.
            Some((usize::MAX, _, _)) if order == usize::MAX => {}
            Some((o, kind, options)) if *o < order => {
                if let Err(msg) = test_fits(&question.id, *kind, options, test) {
                    sink.error_at(question.pos, msg, Some(question.id.clone()));
                }
            }
            Some(_) => sink.error_at(
                question.pos,
                format!(
                    "a condition may only read questions asked before it; `{}` comes later",
                    question.id
                ),
                Some(question.id.clone()),
            ),
            None => {
                let names: Vec<&str> = earlier.keys().map(String::as_str).collect();
                sink.error_at(
                    question.pos,
                    format!(
                        "condition names unknown question `{}`{}",
                        question.id,
                        hint(&question.id, names)
                    ),
                    Some(question.id.clone()),
                );
            }
        }
    }
}

/// Whether an answer test makes sense for a question of this kind and these options.
pub fn test_fits(
    qid: &str,
    kind: QuestionKind,
    options: &[String],
    test: &AnswerTest,
) -> Result<(), String> {
    use QuestionKind::*;
    match test {
        AnswerTest::Is(ids) => {
            if !matches!(kind, Single | Multi | YesNo) {
                return Err(format!(
                    "`is` tests an option, but `{qid}` is a `{kind}` question"
                ));
            }
            for id in ids {
                if !options.iter().any(|o| o == id) {
                    return Err(format!(
                        "`{qid}` has no option `{id}`{}",
                        hint(id, options.iter().map(String::as_str))
                    ));
                }
            }
            Ok(())
        }
        AnswerTest::AtLeast(_) | AnswerTest::Below(_) => {
            if matches!(kind, Scale | Number) {
                Ok(())
            } else {
                Err(format!(
                    "`at_least` and `below` test numbers, but `{qid}` is a `{kind}` question"
                ))
            }
        }
        AnswerTest::Answered(_) | AnswerTest::Unknown(_) | AnswerTest::Na(_) => Ok(()),
    }
}

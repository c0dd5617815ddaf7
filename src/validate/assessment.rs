//! Assessment files → `Assessment`, checked against the content in force.
//!
//! Every reference an assessment makes is checked here in one pass: the profile, systems
//! named by flows, ownership and pain points, the questionnaire, subject and question of
//! every answer, option ids and value types, and decision ids. The model that comes out needs
//! no further checking by the engine, the TUI or the reports.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use chrono::{DateTime, FixedOffset};

use crate::content::Content;
use crate::diag::{Sink, hint, hint_or};
use crate::model::*;
use crate::raw::*;
use crate::vocab::*;

use super::{Seen, number_in, required, required_id, vocab, vocab_list, vocab_str};

pub fn assessment(
    mut raw: RawAssessment,
    content: &Content,
    sink: &mut Sink,
) -> Option<Assessment> {
    let file = 0..0;
    // Schema 1 files are read with the defaults of what schema 2 added (nothing stated
    // absent, every flow a push, one estate-wide scope); writing those keys needs schema 2.
    let schema = raw
        .schema
        .as_ref()
        .map_or(crate::load::SCHEMA, |s| *s.get_ref());
    let needs_schema = |sink: &mut Sink, span: &Range<usize>, key: &str| {
        if schema < crate::load::SCHEMA_FACTS {
            sink.error(
                span,
                format!(
                    "`{key}` is new in schema {}: this file says `schema = {schema}`; change it to `schema = {}` (stackmap writes schema {} on its next save)",
                    crate::load::SCHEMA_FACTS,
                    crate::load::SCHEMA_FACTS,
                    crate::load::SCHEMA
                ),
            );
        }
    };
    let engagement = match &raw.engagement {
        None => {
            sink.error(
                &file,
                "missing [engagement]: an assessment names its client, title and profile there",
            );
            None
        }
        Some(e) => engagement(sink, e, content),
    };

    // Systems first: everything else refers to them.
    let mut systems = Vec::new();
    let mut seen = Seen::new("system");
    for s in &raw.systems {
        // Duplicates are reported even when the system has other problems.
        let fresh = match &s.get_ref().id {
            Some(id) if super::is_valid_id(id.get_ref()) => {
                let pos = sink.pos(&id.span());
                seen.insert(sink, id.get_ref(), pos)
            }
            _ => true,
        };
        if let Some(first) = s.get_ref().scopes.first() {
            needs_schema(sink, &first.span(), "scopes");
        }
        if let Some(sys) = system(sink, s)
            && fresh
        {
            systems.push(sys);
        }
    }
    let system_ids: HashSet<&str> = raw
        .systems
        .iter()
        .filter_map(|s| s.get_ref().id.as_ref().map(|i| i.get_ref().as_str()))
        .collect();
    let scope_labels: std::collections::BTreeSet<&str> = systems
        .iter()
        .flat_map(|s: &System| s.scopes.iter().map(String::as_str))
        .collect();
    let sys_ref = |sink: &mut Sink, v: &S<String>, what: &str| -> Option<String> {
        if system_ids.contains(v.get_ref().as_str()) {
            Some(v.get_ref().clone())
        } else {
            sink.error_id(
                &v.span(),
                v.get_ref(),
                format!(
                    "{what} `{}` is not a system of this assessment{}",
                    v.get_ref(),
                    hint(v.get_ref(), system_ids.iter().copied())
                ),
            );
            None
        }
    };

    let mut flows = Vec::new();
    let mut seen = Seen::new("flow");
    for f in &raw.flows {
        let span = f.span();
        let r = f.get_ref();
        let id = required_id(sink, &r.id, &span, "a [[flow]]", "flow");
        let fresh = id
            .as_ref()
            .is_none_or(|(id, pos)| seen.insert(sink, id, *pos));
        let from = required(sink, &r.from, &span, "from", "a [[flow]]")
            .and_then(|v| sys_ref(sink, v, "flow end `from`"));
        let to = required(sink, &r.to, &span, "to", "a [[flow]]")
            .and_then(|v| sys_ref(sink, v, "flow end `to`"));
        if let (Some(a), Some(b), Some(v)) = (&from, &to, &r.to)
            && a == b
        {
            sink.error(
                &v.span(),
                format!("flow goes from `{a}` to itself; a flow connects two systems"),
            );
        }
        let via = r
            .via
            .as_ref()
            .and_then(|v| sys_ref(sink, v, "flow hub `via`"));
        if let (Some(hub), Some(v)) = (&via, &r.via)
            && (Some(hub) == from.as_ref() || Some(hub) == to.as_ref())
        {
            sink.error(
                &v.span(),
                format!("`via` names `{hub}`, an end of the flow; `via` is the hub between `from` and `to`"),
            );
        }
        // A hub is an integration platform or glue code; another kind is only warned about,
        // so files that say so still load.
        if let (Some(hub), Some(v)) = (&via, &r.via)
            && let Some(sys) = systems.iter().find(|s: &&System| s.id == *hub)
            && !matches!(sys.category, Category::Ipaas | Category::Glue)
        {
            sink.warning(
                &v.span(),
                format!(
                    "`via` names `{hub}`, a system of category `{}`; a hub is an integration platform (`ipaas`) or glue code (`glue`)",
                    sys.category
                ),
            );
        }
        let objects = vocab_list::<DataObject>(sink, &r.objects);
        let mechanism = match &r.mechanism {
            None => {
                sink.error(
                    &span,
                    format!(
                        "missing `mechanism` in a [[flow]]{}",
                        hint("", Mechanism::names())
                    ),
                );
                None
            }
            Some(m) => vocab::<Mechanism>(sink, m),
        };
        let mode = match &r.mode {
            Some(m) => vocab::<FlowMode>(sink, m),
            None => Some(mechanism.map_or(FlowMode::Async, FlowMode::default_for)),
        };
        let direction = match &r.direction {
            None => Some(FlowDirection::Push),
            Some(d) => {
                needs_schema(sink, &d.span(), "direction");
                vocab::<FlowDirection>(sink, d)
            }
        };
        let owners = r.owners.as_ref();
        let get = |f: fn(&RawOwners) -> &Option<String>| {
            owners.and_then(|o| f(o).clone()).unwrap_or_default()
        };
        let none = match &r.none {
            None => Vec::new(),
            Some(list) => {
                needs_schema(sink, &list.span(), "none");
                let mut parts = vocab_list::<FlowPart>(sink, list.get_ref());
                parts.sort();
                // A part stated absent and named at once contradicts itself.
                let text = |p: FlowPart| -> Option<String> {
                    match p {
                        FlowPart::Source => r.source.clone(),
                        FlowPart::Contract => r.contract.clone(),
                        FlowPart::Failure => r.failure.clone(),
                        FlowPart::Owner => r.owner.clone(),
                        FlowPart::Failures => get(|o| &o.failures).into(),
                        FlowPart::Retries => get(|o| &o.retries).into(),
                        FlowPart::Dashboards => get(|o| &o.dashboards).into(),
                        FlowPart::Runbook => get(|o| &o.runbook).into(),
                        FlowPart::ReleaseHandoff => get(|o| &o.release_handoff).into(),
                    }
                };
                for p in &parts {
                    if let Some(t) = text(*p)
                        && !t.trim().is_empty()
                        && !is_absence_word(&t)
                    {
                        let key = if FlowPart::STEPS.contains(p) {
                            format!("`{p} = {t:?}`")
                        } else {
                            format!("`{p} = {t:?}` in [flow.owners]")
                        };
                        sink.error(
                            &list.span(),
                            format!("`none` says the flow has no {p}, but {key} names one; keep one of them"),
                        );
                    }
                }
                parts
            }
        };
        if let (Some((id, _)), Some(from), Some(to), Some(mechanism), Some(mode), Some(direction)) =
            (id, from, to, mechanism, mode, direction)
            && fresh
        {
            flows.push(Flow {
                id,
                name: r.name.clone().unwrap_or_default(),
                from,
                to,
                via,
                objects,
                mechanism,
                mode,
                direction,
                checkout: r.checkout.unwrap_or(false),
                source: r.source.clone().unwrap_or_default(),
                contract: r.contract.clone().unwrap_or_default(),
                failure: r.failure.clone().unwrap_or_default(),
                owner: r.owner.clone().unwrap_or_default(),
                owners: Owners {
                    failures: get(|o| &o.failures),
                    retries: get(|o| &o.retries),
                    dashboards: get(|o| &o.dashboards),
                    runbook: get(|o| &o.runbook),
                    release_handoff: get(|o| &o.release_handoff),
                },
                none,
                notes: r.notes.clone().unwrap_or_default(),
            });
        }
    }
    let flow_ids: HashSet<&str> = raw
        .flows
        .iter()
        .filter_map(|f| f.get_ref().id.as_ref().map(|i| i.get_ref().as_str()))
        .collect();

    // Respondents before ownership and answers: both may name them.
    let mut respondents = Vec::new();
    {
        let mut seen = Seen::new("respondent");
        for x in &raw.respondents {
            let span = x.span();
            let r = x.get_ref();
            let Some((id, pos)) = required_id(sink, &r.id, &span, "a [[respondent]]", "respondent")
            else {
                continue;
            };
            let name = required(sink, &r.name, &span, "name", "a [[respondent]]");
            if seen.insert(sink, &id, pos)
                && let Some(name) = name
            {
                respondents.push(Respondent {
                    id,
                    name: name.get_ref().clone(),
                    role: r.role.clone().unwrap_or_default(),
                    team: r.team.clone().unwrap_or_default(),
                });
            }
        }
    }
    let respondent_ids: BTreeSet<&str> = raw
        .respondents
        .iter()
        .filter_map(|r| r.get_ref().id.as_ref().map(|i| i.get_ref().as_str()))
        .collect();
    let respondent_ref = |sink: &mut Sink, r: &S<String>| -> Option<String> {
        if respondent_ids.contains(r.get_ref().as_str()) {
            Some(r.get_ref().clone())
        } else {
            sink.error_id(
                &r.span(),
                r.get_ref(),
                format!(
                    "unknown respondent `{}`{}",
                    r.get_ref(),
                    hint_or(
                        r.get_ref(),
                        respondent_ids.iter().copied(),
                        "list the people interviewed as [[respondent]] tables (id, name, role, team)"
                    )
                ),
            );
            None
        }
    };
    let said = |sink: &mut Sink, m: &Option<BTreeMap<String, S<String>>>| {
        let mut out = BTreeMap::new();
        for (who, system) in m.iter().flatten() {
            let known = respondent_ids.contains(who.as_str());
            if !known {
                sink.error(
                    &system.span(),
                    format!(
                        "`said` names unknown respondent `{who}`{}",
                        hint_or(
                            who,
                            respondent_ids.iter().copied(),
                            "list the people interviewed as [[respondent]] tables"
                        )
                    ),
                );
            }
            if let Some(sys) = sys_ref(sink, system, "owner a respondent named in `said`")
                && known
            {
                out.insert(who.clone(), sys);
            }
        }
        out
    };

    let mut ownership = std::collections::BTreeMap::new();
    for (k, v) in &raw.ownership {
        let object = vocab_str::<DataObject>(sink, k, &v.span());
        let r = v.get_ref();
        let mut entry = ownership_entry(
            sink,
            &sys_ref,
            (&r.owner, &r.target, &r.writers, &r.readers, &r.note),
        );
        entry.said = said(sink, &r.said);
        if let Some(f) = &r.is_final {
            if *f.get_ref() && entry.owner.is_none() {
                sink.error(
                    &f.span(),
                    "`final = true` settles the owner: it needs `owner`",
                );
            }
            entry.is_final = *f.get_ref();
        }
        if let Some(scoped) = &r.scope {
            needs_schema(sink, &scoped.span(), "scope");
            for (label, e) in scoped.get_ref() {
                if !scope_labels.contains(label.as_str()) {
                    sink.error(
                        &e.span(),
                        format!(
                            "scope `{label}` is not a scope of any system{}",
                            hint_or(
                                label,
                                scope_labels.iter().copied(),
                                "list it in the `scopes` of the systems that serve it"
                            )
                        ),
                    );
                    continue;
                }
                let x = e.get_ref();
                let mut scoped_entry = ownership_entry(
                    sink,
                    &sys_ref,
                    (&x.owner, &x.target, &x.writers, &x.readers, &x.note),
                );
                scoped_entry.said = said(sink, &x.said);
                if let Some(f) = &x.is_final {
                    if *f.get_ref() && scoped_entry.owner.is_none() {
                        sink.error(
                            &f.span(),
                            "`final = true` settles the owner: it needs `owner`",
                        );
                    }
                    scoped_entry.is_final = *f.get_ref();
                }
                entry.scopes.insert(label.clone(), scoped_entry);
            }
        }
        if let Some(object) = object {
            ownership.insert(object, entry);
        }
    }

    // Notes (pain points, initiatives) may name systems and flows: check them now.
    if let Some(e) = &raw.engagement {
        for n in e
            .get_ref()
            .pain_points
            .iter()
            .chain(&e.get_ref().initiatives)
        {
            for s in &n.get_ref().systems {
                sys_ref(sink, s, "linked system");
            }
            for f in &n.get_ref().flows {
                if !flow_ids.contains(f.get_ref().as_str()) {
                    sink.error_id(
                        &f.span(),
                        f.get_ref(),
                        format!(
                            "linked flow `{}` is not a flow of this assessment{}",
                            f.get_ref(),
                            hint(f.get_ref(), flow_ids.iter().copied())
                        ),
                    );
                }
            }
        }
    }

    let systems_by_id: HashMap<&str, &RawSystem> = raw
        .systems
        .iter()
        .filter_map(|s| {
            s.get_ref()
                .id
                .as_ref()
                .map(|i| (i.get_ref().as_str(), s.get_ref()))
        })
        .collect();
    // Answers to a question that moved to one home elsewhere are read as answers to it.
    let moved = move_answers(sink, &mut raw.answers, content);
    // Duplicates first, on the names as written and without copying them, so an answer is
    // reported as a duplicate even when its value has a problem of its own. A moved answer
    // never makes a duplicate: the home's own answer wins, and a different moved value is
    // kept in its note (`merge_moved`).
    let mut duplicate = vec![false; raw.answers.len()];
    merge_moved(sink, &mut raw.answers, &moved, &mut duplicate);
    {
        fn name(v: &Option<S<String>>) -> &str {
            v.as_ref().map_or("", |x| x.get_ref().as_str())
        }
        type Key<'k> = (&'k str, Option<&'k str>, &'k str, Option<&'k str>);
        let mut first: rustc_hash::FxHashMap<Key, usize> = rustc_hash::FxHashMap::default();
        first.reserve(raw.answers.len());
        for (i, a) in raw.answers.iter().enumerate() {
            if duplicate[i] {
                continue;
            }
            let r = a.get_ref();
            let key = (
                name(&r.questionnaire),
                r.subject.as_ref().map(|x| x.get_ref().as_str()),
                name(&r.question),
                r.respondent.as_ref().map(|x| x.get_ref().as_str()),
            );
            if let Some(&j) = first.get(&key) {
                duplicate[i] = true;
                let line = sink.pos(&raw.answers[j].span()).line;
                sink.error_id(
                    &a.span(),
                    key.2,
                    format!(
                        "duplicate answer to `{}` / `{}`{}{} (first at line {line}); keep one",
                        key.0,
                        key.2,
                        key.1.map(|s| format!(" for `{s}`")).unwrap_or_default(),
                        key.3
                            .map(|s| format!(" by respondent `{s}`"))
                            .unwrap_or_default(),
                    ),
                );
            } else {
                first.insert(key, i);
            }
        }
    }
    let system_list: Vec<&str> = system_ids.iter().copied().collect();
    let mut answers = Vec::with_capacity(raw.answers.len());
    let mut finals: Vec<(usize, Range<usize>)> = Vec::new();
    for (a, dup) in std::mem::take(&mut raw.answers).into_iter().zip(duplicate) {
        if dup {
            continue;
        }
        let span = a.span();
        let who = match &a.get_ref().respondent {
            None => Some(None),
            Some(r) => respondent_ref(sink, r).map(Some),
        };
        let is_final = a.get_ref().is_final.as_ref().is_some_and(|f| *f.get_ref());
        if let Some(mut ans) = answer(sink, a, content, &systems_by_id, &system_list, &flow_ids)
            && let Some(who) = who
        {
            ans.respondent = who;
            ans.is_final = is_final;
            if is_final {
                finals.push((answers.len(), span));
            }
            answers.push(ans);
        }
    }
    // Two answers marked `final` for one question: only one can count. The same value twice
    // (two respondents who agree, both marked) settles it all the same.
    {
        let mut by_key: rustc_hash::FxHashMap<(&str, Option<&str>, &str), usize> =
            rustc_hash::FxHashMap::default();
        for (i, span) in &finals {
            let x = &answers[*i];
            let key = (
                x.questionnaire.as_str(),
                x.subject.as_deref(),
                x.question.as_str(),
            );
            match by_key.get(&key) {
                Some(&j) if answers[j].state != x.state => {
                    let line = sink
                        .pos(
                            &finals
                                .iter()
                                .find(|f| f.0 == j)
                                .map_or(0..0, |f| f.1.clone()),
                        )
                        .line;
                    sink.error_id(
                        span,
                        &x.question,
                        format!(
                            "two final answers to `{}` / `{}`{} differ (the other at line {line}); only one answer can count: keep `final = true` on one",
                            x.questionnaire,
                            x.question,
                            x.subject.as_deref().map(|s| format!(" for `{s}`")).unwrap_or_default(),
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    by_key.insert(key, *i);
                }
            }
        }
    }

    let decision_ids = content.decision_ids();
    let mut decisions = Vec::new();
    let mut seen = Seen::new("decision override");
    for d in &raw.decisions {
        let span = d.span();
        let r = d.get_ref();
        let Some((id, pos)) = required_id(sink, &r.id, &span, "a [[decision]]", "decision") else {
            continue;
        };
        // `DECISION@SUBJECT` names one subject of a decision made per subject; the bare
        // `DECISION` all of them; a finding's id, the decision it groups into. An id the content no longer has is a warning, not a load
        // error: the override is kept (and saved) and follows nothing until it matches again.
        let base = id.split_once('@').map_or(id.as_str(), |(b, _)| b);
        // A finding id names the decision the finding groups into: overrides written before
        // findings were grouped keep following their decision.
        let former = content.findings().any(|f| f.was.iter().any(|w| w == base));
        if !decision_ids.contains(base) && content.finding(base).is_none() && !former {
            let known: BTreeSet<&str> = decision_ids
                .iter()
                .copied()
                .chain(content.findings().map(|f| f.id.as_str()))
                .collect();
            sink.warning_at(
                pos,
                format!(
                    "unknown decision `{id}`: the override applies to nothing{}",
                    hint_or(base, known.into_iter(), "decision ids are finding ids (or a finding's `decision` group); `stackmap list findings` shows them")
                ),
            );
        }
        let status = r
            .status
            .as_ref()
            .and_then(|s| vocab::<DecisionStatus>(sink, s));
        let priority = r
            .priority
            .as_ref()
            .and_then(|p| number_in(sink, p, 0.0, 1000.0, "a manual `priority`"));
        let reason = r.priority_reason.clone().unwrap_or_default();
        if let Some(p) = &r.priority
            && reason.trim().is_empty()
        {
            sink.error(&p.span(), "a manual `priority` needs its `priority_reason`: say why, so the report can show it");
        }
        if seen.insert(sink, &id, pos) {
            decisions.push(DecisionOverride {
                id,
                status,
                owner: r.owner.clone().unwrap_or_default(),
                note: r.note.clone().unwrap_or_default(),
                priority,
                priority_reason: reason,
            });
        }
    }

    let mut conflicts = Vec::new();
    {
        let mut seen = Seen::new("conflict");
        for x in &raw.conflicts {
            let span = x.span();
            let r = x.get_ref();
            let Some((id, pos)) = required_id(sink, &r.id, &span, "a [[conflict]]", "conflict")
            else {
                continue;
            };
            let c = Conflict {
                id,
                what: r.what.clone().unwrap_or_default(),
                about: r.about.clone().unwrap_or_default(),
                ours: r.ours.clone().unwrap_or_default(),
                theirs: r.theirs.clone().unwrap_or_default(),
            };
            if seen.insert(sink, &c.id, pos) {
                sink.warning_at(
                    pos,
                    format!(
                        "unsettled merge conflict `{}` on {}: keep one side in the file and delete this [[conflict]]",
                        c.id,
                        if c.about.is_empty() { "a fact" } else { &c.about }
                    ),
                );
                conflicts.push(c);
            }
        }
    }

    if sink.has_errors() {
        return None;
    }
    let mut a = Assessment {
        engagement: engagement?,
        systems,
        flows,
        ownership,
        answers,
        decisions,
        respondents,
        conflicts,
    };
    a.canonicalise();
    Some(a)
}

/// Checks a system reference and reports it when it names no system.
type SysRef<'a> = dyn Fn(&mut Sink, &S<String>, &str) -> Option<String> + 'a;

type RawEntry<'r> = (
    &'r Option<S<String>>,
    &'r Option<S<String>>,
    &'r [S<String>],
    &'r [S<String>],
    &'r Option<String>,
);

/// One ownership entry (estate-wide or for one scope), its systems checked by `sys_ref`.
fn ownership_entry(
    sink: &mut Sink,
    sys_ref: &SysRef<'_>,
    (owner, target, writers, readers, note): RawEntry<'_>,
) -> Ownership {
    Ownership {
        owner: owner
            .as_ref()
            .and_then(|x| sys_ref(sink, x, "source of truth `owner`")),
        target: target
            .as_ref()
            .and_then(|x| sys_ref(sink, x, "target owner")),
        writers: writers
            .iter()
            .filter_map(|x| sys_ref(sink, x, "writer"))
            .collect(),
        readers: readers
            .iter()
            .filter_map(|x| sys_ref(sink, x, "reader"))
            .collect(),
        note: note.clone().unwrap_or_default(),
        said: Default::default(),
        is_final: false,
        scopes: Default::default(),
    }
}

fn engagement(sink: &mut Sink, e: &S<RawEngagement>, content: &Content) -> Option<Engagement> {
    let span = e.span();
    let r = e.get_ref();
    let client = required(sink, &r.client, &span, "client", "[engagement]");
    let title = required(sink, &r.title, &span, "title", "[engagement]");
    let profile = match &r.profile {
        None => {
            sink.error(&span, "missing `profile` in [engagement]");
            None
        }
        Some(p) => Some(p),
    }
    .and_then(|p| {
        // One id, or several whose questions are asked together (FORMATS.md §3.1).
        let ids: Vec<String> = p.get_ref().0.iter().map(|x| x.trim().to_string()).collect();
        if ids.len() == 1 && ids[0].is_empty() {
            sink.error(&p.span(), "`profile` in [engagement] must not be empty");
            return None;
        }
        if ids.is_empty() || ids.iter().any(String::is_empty) {
            sink.error(
                &p.span(),
                "`profile` is empty: name a profile, or several in a list (`profile = [\"marketplace-launch\", \"replatforming\"]`)",
            );
            return None;
        }
        let mut ok = true;
        for (i, id) in ids.iter().enumerate() {
            if ids[..i].contains(id) {
                sink.error_id(&p.span(), id, format!("profile `{id}` is named twice; name it once"));
                ok = false;
            } else if content.profile(id).is_none() || id.contains(crate::model::PROFILE_JOIN) {
                sink.error_id(
                    &p.span(),
                    id,
                    format!(
                        "unknown profile `{id}`{}",
                        hint_or(
                            id,
                            content.profiles.iter().map(|p| p.id.as_str()),
                            crate::content::LIST_PROFILES
                        )
                    ),
                );
                ok = false;
            }
        }
        ok.then(|| crate::model::join_profiles(&ids))
    });
    let created = r.created.as_ref().and_then(|d| datetime(sink, d));
    let updated = r.updated.as_ref().and_then(|d| datetime(sink, d));
    let pain_points = notes(sink, &r.pain_points, "pain point");
    let initiatives = notes(sink, &r.initiatives, "initiative");
    Some(Engagement {
        client: client?.get_ref().clone(),
        title: title?.get_ref().clone(),
        profile: profile?,
        assessor: r.assessor.clone().unwrap_or_default(),
        created,
        updated,
        summary: r.summary.clone().unwrap_or_default(),
        pain_points,
        initiatives,
    })
}

fn notes(sink: &mut Sink, list: &[S<RawNote>], what: &str) -> Vec<Note> {
    let mut out = Vec::new();
    let mut seen = Seen::new(what);
    let place = format!("a {what}");
    for n in list {
        let span = n.span();
        let r = n.get_ref();
        let id = required_id(sink, &r.id, &span, &place, what);
        let text = required(sink, &r.text, &span, "text", &place);
        let objects = vocab_list::<DataObject>(sink, &r.objects);
        if let (Some((id, pos)), Some(text)) = (id, text)
            && seen.insert(sink, &id, pos)
        {
            out.push(Note {
                id,
                text: text.get_ref().clone(),
                systems: r.systems.iter().map(|s| s.get_ref().clone()).collect(),
                flows: r.flows.iter().map(|s| s.get_ref().clone()).collect(),
                objects,
            });
        }
    }
    out
}

/// A TOML offset date-time → chrono. Local times are refused: an assessment travels between
/// time zones, and "10:00" alone means nothing there.
pub(crate) fn datetime(
    sink: &mut Sink,
    d: &S<toml::value::Datetime>,
) -> Option<DateTime<FixedOffset>> {
    let converted = to_chrono(d.get_ref());
    if converted.is_none() {
        let t = d.get_ref();
        let message = match (t.date, t.time, t.offset) {
            (Some(_), Some(time), Some(_)) if time.second == Some(60) => format!(
                "`{t}` is a leap second (second 60), which stackmap does not store; write the \
                 second before it ({:02}:{:02}:59) or the next minute",
                time.hour, time.minute
            ),
            (Some(_), Some(_), Some(_)) => format!(
                "`{t}` is not a date-time stackmap can store (the offset must be within ±23:59); \
                 write it like 2026-11-27T10:00:00Z"
            ),
            _ => format!(
                "`{t}` needs a date, a time and a UTC offset, for example 2026-11-27T10:00:00Z"
            ),
        };
        sink.error(&d.span(), message);
    }
    converted
}

/// Builds the chrono value from the TOML date-time's parts; no text round trip (every answer
/// carries a time, so this runs tens of thousands of times on a large engagement).
fn to_chrono(d: &toml::value::Datetime) -> Option<DateTime<FixedOffset>> {
    use chrono::{NaiveDate, NaiveTime, TimeZone};
    let (date, time, offset) = (d.date?, d.time?, d.offset?);
    let minutes = match offset {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => i32::from(minutes),
    };
    let tz = FixedOffset::east_opt(minutes * 60)?;
    let naive = NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?
    .and_time(NaiveTime::from_hms_nano_opt(
        u32::from(time.hour),
        u32::from(time.minute),
        u32::from(time.second.unwrap_or(0)),
        time.nanosecond.unwrap_or(0),
    )?);
    tz.from_local_datetime(&naive).single()
}

fn system(sink: &mut Sink, s: &S<RawSystem>) -> Option<System> {
    let span = s.span();
    let r = s.get_ref();
    let id = required_id(sink, &r.id, &span, "a [[system]]", "system");
    let name = required(sink, &r.name, &span, "name", "a [[system]]");
    let category = match &r.category {
        None => {
            sink.error(
                &span,
                format!(
                    "missing `category` in a [[system]]{}",
                    hint("", Category::names())
                ),
            );
            None
        }
        Some(c) => vocab::<Category>(sink, c),
    };
    let status = match &r.status {
        None => Some(SystemStatus::Existing),
        Some(v) => vocab::<SystemStatus>(sink, v),
    };
    let capabilities = vocab_list::<Capability>(sink, &r.capabilities);
    let time = r.time.as_ref().and_then(|t| vocab::<TimeDecision>(sink, t));
    if r.time.is_some() && time.is_none() {
        return None;
    }
    let mut scopes: Vec<String> = Vec::new();
    let mut scopes_ok = true;
    for label in &r.scopes {
        let l = label.get_ref();
        if let Err(why) = scope_label(l) {
            sink.error(&label.span(), format!("scope `{l}` {why}"));
            scopes_ok = false;
        } else if !scopes.contains(l) {
            scopes.push(l.clone());
        }
    }
    if !scopes_ok {
        return None;
    }
    Some(System {
        id: id?.0,
        name: name?.get_ref().clone(),
        vendor: r.vendor.clone().unwrap_or_default(),
        category: category?,
        status: status?,
        team: r.team.clone().unwrap_or_default(),
        capabilities,
        time,
        notes: r.notes.clone().unwrap_or_default(),
        scopes,
    })
}

/// The longest scope label.
pub const MAX_SCOPE_LABEL: usize = 64;

/// Whether a scope label can be one: free text (a brand, a region, a channel) on one line,
/// without spaces around it, at most [`MAX_SCOPE_LABEL`] characters. `Err` says why not.
pub fn scope_label(l: &str) -> Result<(), &'static str> {
    if l.trim().is_empty() {
        Err("is empty: name the brand, region or channel")
    } else if l.trim() != l {
        Err("has spaces around it")
    } else if l.chars().any(|c| c.is_control() || crate::text::is_bidi(c)) {
        Err("has a control character: a scope label is one line of text")
    } else if l.chars().count() > MAX_SCOPE_LABEL {
        Err("is longer than 64 characters")
    } else {
        Ok(())
    }
}

/// Rewrites answers saved under a question that moved (`[[moved]]`) to its home: questionnaire,
/// question, option ids, and no subject when the home is asked once per engagement. Returns
/// which answers moved, each with the name it was saved under. Nothing is lost: an option id
/// the map does not know stays as written, and the answer's own checks report it.
fn move_answers(
    sink: &mut Sink,
    answers: &mut [S<RawAnswer>],
    content: &Content,
) -> Vec<Option<String>> {
    let mut moved = vec![None; answers.len()];
    for (i, a) in answers.iter_mut().enumerate() {
        let span = a.span();
        let r = a.get_mut();
        let (Some(qn), Some(qq)) = (&r.questionnaire, &r.question) else {
            continue;
        };
        let Some(q) = content.questionnaire(qn.get_ref()) else {
            continue;
        };
        if q.question(qq.get_ref()).is_some() {
            continue;
        }
        let Some(m) = q.moved(qq.get_ref()) else {
            continue;
        };
        let Some(home) = content.questionnaire(&m.to.0) else {
            continue;
        };
        let old = format!(
            "`{}/{}`{}",
            q.id,
            m.question,
            r.subject
                .as_ref()
                .map(|x| format!(" for `{}`", x.get_ref()))
                .unwrap_or_default()
        );
        if let Some(v) = r.value.as_mut() {
            let map = |x: &mut toml::Value| {
                if let toml::Value::String(id) = x {
                    *id = m.option(id).to_string();
                }
            };
            match v.get_mut() {
                toml::Value::Array(items) => items.iter_mut().for_each(map),
                other => map(other),
            }
        }
        if let Some(x) = r.questionnaire.as_mut() {
            *x.get_mut() = m.to.0.clone();
        }
        if let Some(x) = r.question.as_mut() {
            *x.get_mut() = m.to.1.clone();
        }
        if home.scope == Scope::Engagement {
            r.subject = None;
        }
        sink.warning(
            &span,
            format!(
                "{old} is now asked as `{}/{}`: this answer is read there, and saving writes it there",
                m.to.0, m.to.1
            ),
        );
        moved[i] = Some(old);
    }
    moved
}

/// Where a moved answer meets another answer to the same home question (the home's own, or a
/// second moved one), the home's own answer is kept, else the first moved one. A different
/// value from a moved answer is not dropped silently: it is added to the kept answer's note,
/// with a warning.
fn merge_moved(
    sink: &mut Sink,
    answers: &mut [S<RawAnswer>],
    moved: &[Option<String>],
    duplicate: &mut [bool],
) {
    fn key(a: &RawAnswer) -> (String, Option<String>, String) {
        let n = |v: &Option<S<String>>| v.as_ref().map_or(String::new(), |x| x.get_ref().clone());
        (
            n(&a.questionnaire),
            a.subject.as_ref().map(|x| x.get_ref().clone()),
            n(&a.question),
        )
    }
    if moved.iter().all(Option::is_none) {
        return;
    }
    let mut groups: BTreeMap<(String, Option<String>, String), Vec<usize>> = BTreeMap::new();
    for (i, a) in answers.iter().enumerate() {
        groups.entry(key(a.get_ref())).or_default().push(i);
    }
    for ((qn, _, qq), idx) in groups {
        if idx.len() < 2 || idx.iter().all(|&i| moved[i].is_none()) {
            continue;
        }
        let keep = idx
            .iter()
            .copied()
            .find(|&i| moved[i].is_none())
            .unwrap_or(idx[0]);
        let shown = |a: &RawAnswer| -> String {
            match (
                &a.value,
                a.unknown.as_ref().map(|b| *b.get_ref()),
                a.na.as_ref().map(|b| *b.get_ref()),
            ) {
                (Some(v), _, _) => v.get_ref().to_string(),
                (None, Some(true), _) => "unknown".to_string(),
                (None, _, Some(true)) => "n/a".to_string(),
                _ => "no answer".to_string(),
            }
        };
        let kept_value = shown(answers[keep].get_ref());
        for &i in &idx {
            if i == keep || moved[i].is_none() {
                continue;
            }
            duplicate[i] = true;
            let value = shown(answers[i].get_ref());
            let from = moved[i].clone().unwrap_or_default();
            let line = sink.pos(&answers[keep].span()).line;
            let span = answers[i].span();
            let moved_note = answers[i]
                .get_ref()
                .note
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .to_string();
            let r = answers[keep].get_mut();
            let note = r.note.get_or_insert_with(String::new);
            // What the moved answer said that the kept one does not: its value if it differs,
            // and its note. Nothing the client said is dropped.
            let mut said = if value == kept_value {
                String::new()
            } else {
                format!("Also answered {value} to {from}.")
            };
            if !moved_note.is_empty() && !note.contains(&moved_note) {
                if said.is_empty() {
                    said = format!("Noted under {from}: {moved_note}");
                } else {
                    said.push_str(&format!(" Noted there: {moved_note}"));
                }
            }
            if !said.is_empty() {
                if !note.is_empty() {
                    note.push('\n');
                }
                note.push_str(&said);
            }
            if value == kept_value {
                sink.warning(&span, format!("this answer to {from} says what the answer to `{qn}/{qq}` at line {line} says; it is merged into that one{}", if moved_note.is_empty() { "" } else { ", its note added" }));
            } else {
                sink.warning(&span, format!("this answer to {from} ({value}) differs from the answer to `{qn}/{qq}` at line {line} ({kept_value}); that one is kept and this one is added to its note"));
            }
        }
    }
}

fn answer(
    sink: &mut Sink,
    a: S<RawAnswer>,
    content: &Content,
    systems: &HashMap<&str, &RawSystem>,
    system_ids: &[&str],
    flows: &HashSet<&str>,
) -> Option<Answer> {
    let span = a.span();
    // Owned, so that the strings move into the model instead of being copied: an assessment
    // can hold tens of thousands of answers.
    let mut r = a.into_inner();
    let qv = required(
        sink,
        &r.questionnaire,
        &span,
        "questionnaire",
        "an [[answer]]",
    )?;
    let Some(q) = content.questionnaire(qv.get_ref()) else {
        sink.error_id(
            &qv.span(),
            qv.get_ref(),
            format!(
                "unknown questionnaire `{}`{}",
                qv.get_ref(),
                hint_or(
                    qv.get_ref(),
                    content.questionnaires.iter().map(|q| q.id.as_str()),
                    crate::content::LIST_QUESTIONNAIRES
                )
            ),
        );
        return None;
    };
    let subject = match (q.scope, &r.subject) {
        (Scope::Engagement, None) => None,
        (Scope::Engagement, Some(s)) => {
            sink.error(
                &s.span(),
                format!("`{}` is asked once per engagement: remove `subject`", q.id),
            );
            return None;
        }
        (scope, None) => {
            sink.error(
                &span,
                format!(
                    "missing `subject`: `{}` is asked per {scope}, name the {scope} id",
                    q.id
                ),
            );
            return None;
        }
        (Scope::System, Some(s)) => {
            let Some(sys) = systems.get(s.get_ref().as_str()) else {
                sink.error_id(
                    &s.span(),
                    s.get_ref(),
                    format!(
                        "subject `{}` is not a system of this assessment{}",
                        s.get_ref(),
                        hint(s.get_ref(), systems.keys().copied())
                    ),
                );
                return None;
            };
            if !q.categories.is_empty()
                && let Some(cat) = sys
                    .category
                    .as_ref()
                    .and_then(|c| Category::parse(c.get_ref()))
                && !q.categories.contains(&cat)
            {
                sink.warning(
                    &s.span(),
                    format!("`{}` is only asked of {} systems; this answer for `{}` ({cat}) is kept but not scored", q.id, q.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "), s.get_ref()),
                );
            }
            Some(())
        }
        (Scope::Flow, Some(s)) => {
            if !flows.contains(s.get_ref().as_str()) {
                sink.error_id(
                    &s.span(),
                    s.get_ref(),
                    format!(
                        "subject `{}` is not a flow of this assessment{}",
                        s.get_ref(),
                        hint(s.get_ref(), flows.iter().copied())
                    ),
                );
                return None;
            }
            Some(())
        }
    };
    let subject = subject.and(r.subject.take().map(S::into_inner));
    let qn = required(sink, &r.question, &span, "question", "an [[answer]]")?;
    let Some(question) = q.question(qn.get_ref()) else {
        sink.error_id(
            &qn.span(),
            qn.get_ref(),
            format!(
                "questionnaire `{}` has no question `{}`{}",
                q.id,
                qn.get_ref(),
                hint(qn.get_ref(), q.index.keys().map(String::as_str))
            ),
        );
        return None;
    };
    let unknown = r.unknown.as_ref().is_some_and(|b| *b.get_ref());
    let na = r.na.as_ref().is_some_and(|b| *b.get_ref());
    let state = match (r.value.take(), unknown, na) {
        (Some(v), false, false) => AnswerState::Value(value(sink, question, v, system_ids)?),
        (None, true, false) => AnswerState::Unknown,
        (None, false, true) => AnswerState::NotApplicable,
        // A note (or evidence) taken before the question was answered: it stays unanswered.
        (None, false, false)
            if r.note.as_deref().is_some_and(|n| !n.is_empty()) || !r.evidence.is_empty() =>
        {
            AnswerState::Open
        }
        (None, false, false) => {
            sink.error(
                &span,
                "an [[answer]] needs `value`, or `unknown = true`, or `na = true` (or, for a \
                 question not answered yet, a `note`)",
            );
            return None;
        }
        _ => {
            sink.error(
                &span,
                "an [[answer]] has one of `value`, `unknown = true` or `na = true`, not several",
            );
            return None;
        }
    };
    let confidence = match &r.confidence {
        None => None,
        Some(c) => Some(vocab::<Confidence>(sink, c)?),
    };
    let at = match &r.at {
        None => None,
        Some(d) => Some(datetime(sink, d)?),
    };
    let inferred_by = inferred_by(sink, q, question, &r.inferred, &r.inferred_by, &span)?;
    Some(Answer {
        questionnaire: q.id.clone(),
        subject,
        question: question.id.clone(),
        state,
        note: r.note.take().unwrap_or_default(),
        private: r.private.unwrap_or(false),
        evidence: std::mem::take(&mut r.evidence),
        confidence,
        by: r.by.take().unwrap_or_default(),
        at,
        inferred_by,
        respondent: None,
        is_final: false,
    })
}

/// `inferred = true` with `inferred_by = "RULE"`: both or neither. `Some(None)`: a person's
/// answer; `Some(Some(rule))`: an inferred one; `None`: an error was reported. A rule the
/// content no longer has is a warning: the answer loads, and the next change to the inventory
/// re-derives it.
fn inferred_by(
    sink: &mut Sink,
    q: &Questionnaire,
    question: &Question,
    inferred: &Option<S<bool>>,
    by: &Option<S<String>>,
    span: &Range<usize>,
) -> Option<Option<String>> {
    let flag = inferred.as_ref().is_some_and(|b| *b.get_ref());
    match (flag, by) {
        (false, None) => Some(None),
        (true, None) => {
            sink.error(
                span,
                "`inferred = true` needs `inferred_by`: the [[infer]] rule that gave the answer",
            );
            None
        }
        (false, Some(b)) => {
            sink.error(
                &b.span(),
                "`inferred_by` needs `inferred = true` (a person's answer has neither)",
            );
            None
        }
        (true, Some(b)) => {
            let rule = q.infers.iter().find(|i| i.id == *b.get_ref());
            match rule {
                None => sink.warning(
                    &b.span(),
                    format!(
                        "questionnaire `{}` has no [[infer]] rule `{}`; the answer is kept as \
                         inferred until the inventory next changes",
                        q.id,
                        b.get_ref()
                    ),
                ),
                Some(i) if i.question.id != question.id => sink.warning(
                    &b.span(),
                    format!(
                        "[[infer]] rule `{}` answers `{}`, not `{}`",
                        i.id, i.question.id, question.id
                    ),
                ),
                Some(_) => {}
            }
            Some(Some(b.get_ref().clone()))
        }
    }
}

/// Checks a value against its question's kind. Also used by `stackmap answer`, through
/// `parse_value`, so the command line and the file accept exactly the same values.
fn value(sink: &mut Sink, q: &Question, v: S<toml::Value>, systems: &[&str]) -> Option<Value> {
    let span: Range<usize> = v.span();
    match check_value(q, v.into_inner(), systems) {
        Ok(x) => Some(x),
        Err(msg) => {
            sink.error_id(&span, &q.id, msg);
            None
        }
    }
}

/// An answer typed as text — `--value` on the command line, the answer field of the terminal
/// UI — read as the value for `q` and checked by [`check_value`]: option ids separated by
/// commas for a multi question (only commas is a slip, refused, not "nothing chosen": that is
/// the empty text), a number for a number or scale question, the text itself otherwise.
pub fn typed_value(q: &Question, text: &str, systems: &[&str]) -> Result<Value, String> {
    let raw = match q.kind {
        QuestionKind::Multi
            if !text.trim().is_empty() && text.split(',').all(|s| s.trim().is_empty()) =>
        {
            toml::Value::String(text.to_string())
        }
        QuestionKind::Multi => toml::Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| toml::Value::String(s.to_string()))
                .collect(),
        ),
        QuestionKind::Scale | QuestionKind::Number => match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 => {
                toml::Value::Integer(x as i64)
            }
            Ok(x) if x.is_finite() => toml::Value::Float(x),
            _ => toml::Value::String(text.to_string()),
        },
        _ => toml::Value::String(text.to_string()),
    };
    check_value(q, raw, systems)
}

/// The one place that decides whether a value fits a question.
pub fn check_value(q: &Question, v: toml::Value, systems: &[&str]) -> Result<Value, String> {
    use QuestionKind::*;
    let options = || q.options.iter().map(|o| o.id.as_str());
    let option = |id: String| -> Result<String, String> {
        if q.option(&id).is_some() {
            Ok(id)
        } else {
            Err(format!(
                "`{}` has no option `{id}`{}",
                q.id,
                hint(&id, options())
            ))
        }
    };
    let number = |v: &toml::Value| -> Option<f64> {
        match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) if f.is_finite() => Some(*f),
            _ => None,
        }
    };
    // `nan` and `inf` are TOML floats but no answer: say so, rather than "the value is a
    // number" of a value that looks like one.
    if let toml::Value::Float(f) = &v
        && !f.is_finite()
        && matches!(q.kind, Scale | Number)
    {
        let shown = if f.is_nan() {
            "nan".to_string()
        } else {
            crate::text::number(*f)
        };
        let wanted = if q.kind == Scale {
            format!(
                "a whole number from {} to {}",
                crate::text::number(q.min.unwrap_or(0.0)),
                crate::text::number(q.max.unwrap_or(0.0))
            )
        } else {
            "a finite number, such as 12".to_string()
        };
        return Err(format!(
            "`{}` cannot take `{shown}`: it is not a number stackmap can score; give {wanted}",
            q.id
        ));
    }
    match q.kind {
        Single | YesNo => match v {
            toml::Value::String(s) => option(s).map(Value::Choice),
            _ => Err(format!(
                "`{}` is a {} question: the value is one option id, as a string{}",
                q.id,
                q.kind,
                hint("", options())
            )),
        },
        Multi => {
            let toml::Value::Array(items) = v else {
                return Err(format!(
                    "`{}` is a multi question: the value is a list of option ids, like [\"a\", \"b\"] (on the command line: --value a,b)",
                    q.id
                ));
            };
            let mut out: Vec<String> = Vec::new();
            for item in items {
                let toml::Value::String(s) = item else {
                    return Err(format!("`{}` takes option ids as strings", q.id));
                };
                let id = option(s)?;
                if out.contains(&id) {
                    return Err(format!("option `{id}` is chosen twice"));
                }
                out.push(id);
            }
            // One canonical order (the questionnaire's), so the same choices typed in any
            // order save, score and diff identically.
            out.sort_by_key(|id| q.options.iter().position(|o| &o.id == id));
            Ok(Value::Choices(out))
        }
        Scale => {
            let (lo, hi) = (q.min.unwrap_or(0.0), q.max.unwrap_or(0.0));
            match number(&v) {
                Some(x) if x.fract() == 0.0 && x >= lo && x <= hi => Ok(Value::Number(x)),
                _ => Err(format!(
                    "`{}` is a scale from {} to {}: the value is a whole number in that range",
                    q.id,
                    crate::text::number(lo),
                    crate::text::number(hi)
                )),
            }
        }
        Number => {
            let Some(x) = number(&v) else {
                return Err(format!(
                    "`{}` is a number question: the value is a number",
                    q.id
                ));
            };
            use crate::text::number as shown;
            if let Some(lo) = q.min
                && x < lo
            {
                return Err(format!(
                    "`{}` takes numbers from {}; {} is below",
                    q.id,
                    shown(lo),
                    shown(x)
                ));
            }
            if let Some(hi) = q.max
                && x > hi
            {
                return Err(format!(
                    "`{}` takes numbers up to {}; {} is above",
                    q.id,
                    shown(hi),
                    shown(x)
                ));
            }
            Ok(Value::Number(x))
        }
        Text => match v {
            toml::Value::String(s) => Ok(Value::Text(s)),
            _ => Err(format!(
                "`{}` is a text question: the value is a string",
                q.id
            )),
        },
        SystemPick => match v {
            toml::Value::String(s) if systems.contains(&s.as_str()) => Ok(Value::System(s)),
            toml::Value::String(s) => Err(format!(
                "`{s}` is not a system of this assessment{}",
                hint(&s, systems.iter().copied())
            )),
            _ => Err(format!(
                "`{}` picks a system: the value is a system id, as a string",
                q.id
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: QuestionKind, options: &[&str]) -> Question {
        let content = crate::workspace::Sources::default()
            .content_strict()
            .expect("shipped content");
        let mut q = content
            .questionnaires
            .iter()
            .flat_map(|q| q.questions().map(|(_, x)| x.clone()))
            .find(|x| x.kind == kind)
            .expect("a question of the kind");
        if !options.is_empty() {
            q.options.retain(|o| options.contains(&o.id.as_str()));
        }
        q
    }

    #[test]
    fn typed_text_reads_as_each_kind_of_value() {
        let multi = question(QuestionKind::Multi, &[]);
        let ids: Vec<String> = multi.options.iter().take(2).map(|o| o.id.clone()).collect();
        assert_eq!(
            typed_value(&multi, &format!(" {} ,{}", ids[1], ids[0]), &[]),
            Ok(Value::Choices(ids.clone()))
        );
        assert_eq!(typed_value(&multi, "", &[]), Ok(Value::Choices(Vec::new())));
        assert!(typed_value(&multi, " , ", &[]).is_err());
        let number = question(QuestionKind::Number, &[]);
        assert_eq!(typed_value(&number, " 12 ", &[]), Ok(Value::Number(12.0)));
        assert!(typed_value(&number, "twelve", &[]).is_err());
        let pick = question(QuestionKind::SystemPick, &[]);
        assert_eq!(
            typed_value(&pick, "erp", &["erp"]),
            Ok(Value::System("erp".into()))
        );
        assert!(typed_value(&pick, "crm", &["erp"]).is_err());
    }
}

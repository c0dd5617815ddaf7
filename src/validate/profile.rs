//! Profile files → `Profile`. References to questionnaires, sections, questions and findings
//! are checked content-wide in `content`, where all questionnaires are known.

use std::collections::BTreeMap;

use crate::diag::Sink;
use crate::model::*;
use crate::raw::*;
use crate::vocab::*;

use super::{Seen, int_in, number_in, reference, required, required_id, vocab_list, vocab_str};

pub fn profile(raw: &RawProfile, source: Source, sink: &mut Sink) -> Option<Profile> {
    let file = 0..0;
    let id = required_id(sink, &raw.id, &file, "the profile", "profile");
    let title = required(sink, &raw.title, &file, "title", "the profile");
    let description = required(sink, &raw.description, &file, "description", "the profile");
    let scenarios = vocab_list::<Scenario>(sink, &raw.scenarios);
    if raw.questionnaires.is_empty() {
        sink.error(
            &file,
            "missing `questionnaires` in the profile: list the questionnaires it asks, \
             for example `questionnaires = [{ id = \"flow-contract\" }]`",
        );
    }
    let mut includes = Vec::new();
    let mut seen = Seen::new("questionnaire entry");
    for inc in &raw.questionnaires {
        let span = inc.span();
        let r = inc.get_ref();
        let Some(idv) = required(sink, &r.id, &span, "id", "a profile's questionnaire entry")
        else {
            continue;
        };
        let Some((qid, pos)) = reference(sink, idv, "questionnaire") else {
            continue;
        };
        let list = |sink: &mut Sink, v: &Option<Vec<S<String>>>, what: &str| -> Vec<Ref> {
            let mut out: Vec<Ref> = Vec::new();
            let mut seen = Seen::new(what);
            for s in v.iter().flatten() {
                if let Some((id, pos)) = reference(sink, s, what)
                    && seen.insert(sink, &id, pos)
                {
                    out.push(Ref { id, pos });
                }
            }
            out
        };
        let sections = list(sink, &r.sections, "section");
        let questions = list(sink, &r.questions, "question");
        if r.sections.as_ref().is_some_and(Vec::is_empty) {
            sink.error(
                &span,
                "empty `sections`: leave it out to include every section",
            );
        }
        if r.questions.as_ref().is_some_and(Vec::is_empty) {
            sink.error(
                &span,
                "empty `questions`: leave it out to include every question",
            );
        }
        if seen.insert(sink, &qid, pos) {
            includes.push(Include {
                id: Ref { id: qid, pos },
                sections,
                questions,
            });
        }
    }
    let mut weights = BTreeMap::new();
    for (k, v) in &raw.weights {
        let d = vocab_str::<Dimension>(sink, k, &v.span());
        let w = number_in(sink, v, 0.0, 10.0, "a dimension weight");
        if let (Some(d), Some(w)) = (d, w) {
            weights.insert(d, w);
        }
    }
    // Unlisted dimensions weigh 1, so only a profile that sets every one to 0 counts nothing.
    if Dimension::ALL
        .iter()
        .all(|d| weights.get(d).is_some_and(|w| *w == 0.0))
    {
        sink.error(
            &file,
            "every dimension weight is 0: at least one must count",
        );
    }
    let mut boosts = Vec::new();
    for (k, v) in &raw.boosts {
        let r = if crate::validate::is_valid_id(k) {
            Some((k.clone(), sink.pos(&v.span())))
        } else {
            sink.error(
                &v.span(),
                format!(
                    "finding id `{k}` is not valid: use lowercase letters, digits, `-` and `_`"
                ),
            );
            None
        };
        let b = number_in(sink, v, 0.1, 10.0, "a finding boost");
        if let (Some((id, pos)), Some(b)) = (r, b) {
            boosts.push((Ref { id, pos }, b));
        }
    }
    let slice_budget = match &raw.slice_budget {
        None => Some(DEFAULT_SLICE_BUDGET),
        Some(v) => int_in(sink, v, 1, 1000, "`slice_budget`").map(|x| x as u32),
    };
    let min_coverage = match &raw.min_coverage {
        None => Some(DEFAULT_MIN_COVERAGE),
        Some(v) => number_in(sink, v, 0.0, 1.0, "`min_coverage`"),
    };
    // Returned despite problems (already reported) so that content-wide checks still run.
    let (id, id_pos) = id?;
    Some(Profile {
        id,
        id_pos,
        title: title.map(|t| t.get_ref().clone()).unwrap_or_default(),
        description: description.map(|t| t.get_ref().clone()).unwrap_or_default(),
        scenarios,
        questionnaires: includes,
        weights,
        boosts,
        slice_budget: slice_budget.unwrap_or(DEFAULT_SLICE_BUDGET),
        min_coverage: min_coverage.unwrap_or(DEFAULT_MIN_COVERAGE),
        source,
    })
}

//! The Markdown report: renders on GitHub and in common viewers. Sections, in order: the
//! engagement summary, executive summary, progress since the last snapshot (when there are
//! snapshots), the risk heat map, target architecture (as-is and to-be), the source of
//! truth map, vendor fit per system, the overlap matrix, flow health, the two decision lanes,
//! the roadmap, the operating model, pain points and the decisions that address them, vendor
//! comparisons, what to ask next (the open questions), and an appendix of answers with notes.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{Audience, Input, addressing, top};
use crate::engine::Decision;
use crate::text::{reflow, safe};
use crate::vocab::*;

/// Text for Markdown: controls made visible, line breaks flattened, and the characters that
/// mean something in Markdown or HTML escaped with a backslash — and an `&` that starts an
/// entity, so `&amp;` in a name is shown as typed, not decoded.
pub fn md(s: &str) -> String {
    let s = safe(&reflow(s).replace("\n\n", " ¶ "));
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!'
        ) || (c == '&' && starts_entity(&s[i + 1..]))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the text after an `&` makes it an entity reference a Markdown viewer would decode
/// (`amp;`, `#38;`, `#x26;`): such an `&` is escaped; a plain `&` ("Summit & Pine") is left as
/// it is, since it shows as itself.
fn starts_entity(after: &str) -> bool {
    let name: usize = after
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .map(char::len_utf8)
        .sum();
    name > 0 && after[name..].starts_with(';')
}

/// Prose that keeps its paragraphs (the engagement summary).
fn md_paragraphs(s: &str) -> String {
    reflow(s)
        .split("\n\n")
        .map(md)
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn score(s: Option<f64>) -> String {
    s.map_or("—".into(), |x| format!("{x:.0}"))
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn header(out: &mut String, cells: &[&str]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(cells.len()));
}

pub fn render(r: &Input) -> String {
    let a = r.assessment;
    let e = r.evaluation;
    let g = &a.engagement;
    let profile = r.content.profile(&g.profile);
    let mut o = String::new();
    let _ = writeln!(o, "# {} — {}\n", md(&g.client), md(&g.title));
    let mut meta = vec![format!(
        "Scenario: **{}**",
        md(profile.map_or(&g.profile, |p| &p.title))
    )];
    if !g.assessor.is_empty() {
        meta.push(format!("assessor: {}", md(&g.assessor)));
    }
    if let Some(u) = g.updated {
        meta.push(format!("last updated {}", u.format("%Y-%m-%d")));
    }
    if r.audience == Audience::Internal {
        meta.push("**internal edition** (private notes and override reasons included)".into());
    }
    let _ = writeln!(o, "{}\n", meta.join(" · "));
    if !g.summary.trim().is_empty() {
        let _ = writeln!(o, "{}\n", md_paragraphs(&g.summary));
    }

    // Executive summary.
    let _ = writeln!(o, "## Executive summary\n");
    if e.overall.is_some() || e.applicable == 0 || e.coverage >= e.min_coverage {
        let _ = writeln!(
            o,
            "Overall score **{}** of 100, with {} of the applicable questions answered ({} of {}).\n",
            score(e.overall),
            pct(e.coverage),
            e.answered,
            e.applicable
        );
    } else {
        let _ = writeln!(
            o,
            "Overall score: **{}** — {} of the applicable questions answered ({} of {}); a score is shown from {}.\n",
            crate::engine::NOT_ENOUGH,
            pct(e.coverage),
            e.answered,
            e.applicable,
            pct(e.min_coverage)
        );
    }
    header(&mut o, &["Dimension", "Score", "Coverage", "Weight"]);
    for d in &e.dimensions {
        row(
            &mut o,
            &[
                d.id.words().to_string(),
                d.score.label(0),
                pct(d.score.coverage),
                format!("{}", d.weight),
            ],
        );
    }
    let immediate = e.lane(Horizon::Immediate).count();
    let architecture = e.lane(Horizon::Architecture).count();
    let _ = writeln!(
        o,
        "\n{immediate} immediate fixes and {architecture} architecture changes. The three that matter most:\n"
    );
    for (i, d) in top(e, 3).iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. **{}** ({}, priority {}) — {}",
            i + 1,
            md(&d.title),
            d.horizon,
            d.priority,
            md(first_sentence(&d.recommendation))
        );
    }
    o.push('\n');

    // Progress since the last snapshot, when there are snapshots.
    if let Some(p) = r.progress.and_then(crate::export::trend::progress_markdown) {
        o.push_str(&p);
    }

    // Where the trouble sits.
    o.push_str(&crate::export::heatmap::markdown(r));

    // Target architecture.
    let _ = writeln!(o, "## Target architecture\n");
    let _ = writeln!(
        o,
        "Each system as it is and as it should be: the data objects it is the source of truth for today and in the target, its status and its TIME decision.\n"
    );
    header(
        &mut o,
        &[
            "System",
            "Category",
            "Status",
            "TIME",
            "Owns today",
            "Owns in the target",
        ],
    );
    for s in &a.systems {
        let owns = |target: bool| {
            let list: Vec<String> = a
                .ownership
                .iter()
                .flat_map(|(k, own)| own.views().into_iter().map(move |(l, w)| (k, l, w)))
                .filter(|(_, _, w)| {
                    if target {
                        w.target.as_deref().or(w.owner.as_deref()) == Some(&s.id)
                    } else {
                        w.owner.as_deref() == Some(&s.id)
                    }
                })
                .map(|(k, l, _)| match l {
                    None => k.to_string(),
                    Some(l) => format!("{k} ({})", md(l)),
                })
                .collect();
            if list.is_empty() {
                "—".to_string()
            } else {
                list.join(", ")
            }
        };
        row(
            &mut o,
            &[
                md(&s.name),
                s.category.to_string(),
                s.status.to_string(),
                s.time.map_or("—".into(), |t| t.to_string()),
                owns(false),
                owns(true),
            ],
        );
    }
    o.push('\n');

    // Source of truth map.
    let _ = writeln!(o, "## Source of truth\n");
    header(
        &mut o,
        &[
            "Data object",
            "Owner today",
            "Target owner",
            "Writers",
            "Readers",
            "Conflicts",
        ],
    );
    for rowdata in crate::tables::ownership_rows(a, e) {
        let (object, Some(own)) = (rowdata.object, rowdata.ownership) else {
            continue;
        };
        let conflicts: Vec<String> = rowdata.findings.iter().map(|f| md(&f.title)).collect();
        for (label, w) in own.views() {
            let names = |ids: &[String]| {
                if ids.is_empty() {
                    "—".into()
                } else {
                    ids.iter()
                        .map(|x| md(&r.system_name(x)))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            row(
                &mut o,
                &[
                    match label {
                        None => object.to_string(),
                        Some(l) => format!("{object} ({})", md(l)),
                    },
                    w.owner
                        .as_deref()
                        .map_or("**none**".into(), |x| md(&r.system_name(x))),
                    w.target
                        .as_deref()
                        .map_or("—".into(), |x| md(&r.system_name(x))),
                    names(&w.writers),
                    names(&w.readers),
                    if conflicts.is_empty() {
                        "—".into()
                    } else {
                        conflicts.join("; ")
                    },
                ],
            );
        }
    }
    o.push('\n');

    // Vendor fit per system.
    let _ = writeln!(o, "## Vendor fit\n");
    header(
        &mut o,
        &[
            "System",
            "Category",
            "Status",
            "Vendor fit",
            "Coupling",
            "Findings",
        ],
    );
    for h in crate::tables::system_heat(a, e) {
        let s = h.system;
        row(
            &mut o,
            &[
                md(&s.name),
                s.category.to_string(),
                s.status.to_string(),
                h.vendor_fit.map_or("—".into(), |x| x.label(0)),
                h.coupling.map_or("—".into(), |x| x.label(0)),
                h.findings.to_string(),
            ],
        );
    }
    o.push('\n');

    // Overlap matrix.
    let ov = crate::tables::overlap(a);
    let _ = writeln!(o, "## Overlap\n");
    if ov.rows.is_empty() {
        let _ = writeln!(o, "No capabilities recorded for the running systems.\n");
    } else {
        let mut cols = vec!["Capability".to_string()];
        cols.extend(ov.systems.iter().map(|s| md(&s.name)));
        let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        header(&mut o, &refs);
        for (i, (c, held)) in ov.rows.iter().enumerate() {
            let holders = ov.holders(i);
            let mut cells = vec![if holders >= 2 {
                format!("**{c}** ({holders} systems)")
            } else {
                c.to_string()
            }];
            cells.extend(
                held.iter()
                    .map(|h| if *h { "●".to_string() } else { String::new() }),
            );
            row(&mut o, &cells);
        }
        o.push('\n');
    }

    // Flow health: the four steps.
    let _ = writeln!(o, "## Flow health\n");
    let _ = writeln!(
        o,
        "The four steps of every flow: **assessed** (the score from answered questions; below 70 is weak), **stated** (named in the inventory, no question answered yet), **none** (stated absent: a gap) or *not captured* (nothing written down yet: an open question, not a finding).\n"
    );
    header(
        &mut o,
        &[
            "Flow",
            "From → to",
            "Mechanism",
            "Source",
            "Contract",
            "Failure",
            "Owner",
        ],
    );
    for h in crate::tables::flow_health(a, e) {
        let f = h.flow;
        let step = |i: usize| match h.steps[i] {
            crate::tables::Step::None => "**none**".to_string(),
            crate::tables::Step::NotCaptured => "*not captured*".to_string(),
            other => other.label(),
        };
        row(
            &mut o,
            &[
                md(&r.flow_name(&f.id)),
                format!(
                    "{} → {}{}",
                    md(&r.system_name(&f.from)),
                    md(&r.system_name(&f.to)),
                    if f.direction == crate::vocab::FlowDirection::Pull {
                        " (pull)"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{}{}",
                    f.mechanism,
                    if f.checkout { ", checkout" } else { "" }
                ),
                step(0),
                step(1),
                step(2),
                step(3),
            ],
        );
    }
    o.push('\n');

    // Decisions.
    for (lane, title) in [
        (Horizon::Immediate, "Immediate fixes"),
        (Horizon::Architecture, "Architecture changes"),
    ] {
        let _ = writeln!(o, "## {title}\n");
        let list: Vec<&Decision> = e.lane(lane).collect();
        if list.is_empty() {
            let _ = writeln!(o, "None.\n");
        }
        for d in list {
            decision(&mut o, r, d);
        }
    }

    // Roadmap.
    let _ = writeln!(o, "## Roadmap\n");
    let _ = writeln!(
        o,
        "Slices of at most {} effort points, dependencies first; each slice can be validated before the next commitment.\n",
        profile.map_or(crate::model::DEFAULT_SLICE_BUDGET, |p| p.slice_budget)
    );
    for s in &e.roadmap {
        let names: Vec<String> = s
            .decisions
            .iter()
            .map(|id| e.decision(id).map_or(id.clone(), |d| md(&d.title)))
            .collect();
        let _ = writeln!(
            o,
            "- **Slice {}** (effort {}): {}",
            s.slice,
            s.effort,
            names.join("; ")
        );
    }
    if e.roadmap.is_empty() {
        let _ = writeln!(o, "Nothing to sequence.");
    }
    // Prerequisites that are still open questions: the order may change once they are asked.
    for d in e.decisions.iter().filter(|d| !d.waits_on_open.is_empty()) {
        let _ = writeln!(
            o,
            "- *{}* may have to wait for {}: still an open question (see What to ask next).",
            md(&d.title),
            d.waits_on_open
                .iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for w in &e.warnings {
        let _ = writeln!(o, "\n> Note: {}", md(w));
    }
    o.push('\n');

    // Operating model.
    let _ = writeln!(o, "## Operating model\n");
    let _ = writeln!(
        o,
        "Who answers for each flow's failures, retries, dashboards, runbook and release handoff; **none** where the client states nobody does, *not captured* where nothing is written down yet.\n"
    );
    header(
        &mut o,
        &[
            "Flow",
            "Accountable",
            "Failures",
            "Retries",
            "Dashboards",
            "Runbook",
            "Release handoff",
        ],
    );
    for f in &a.flows {
        // A stated absence is a gap; a blank is only not captured yet.
        let cell = |p: crate::vocab::FlowPart| {
            if f.is_none(p) {
                "**none**".to_string()
            } else if f.is_stated(p) {
                md(f.text(p))
            } else {
                "*not captured*".to_string()
            }
        };
        let mut cells = vec![md(&r.flow_name(&f.id)), cell(crate::vocab::FlowPart::Owner)];
        cells.extend(
            Duty::ALL
                .iter()
                .map(|d| cell(crate::vocab::FlowPart::duty(*d))),
        );
        row(&mut o, &cells);
    }
    o.push('\n');
    header(&mut o, &["Data object", "Source of truth", "Owning team"]);
    for (object, own) in &a.ownership {
        for (label, w) in own.views() {
            let sys = w.owner.as_deref().and_then(|x| a.system(x));
            row(
                &mut o,
                &[
                    match label {
                        None => object.to_string(),
                        Some(l) => format!("{object} ({})", md(l)),
                    },
                    sys.map_or("**gap**".into(), |s| md(&s.name)),
                    sys.map(|s| s.team.as_str())
                        .filter(|t| !t.is_empty())
                        .map_or("**gap**".into(), md),
                ],
            );
        }
    }
    o.push('\n');

    // Pain points.
    if !g.pain_points.is_empty() {
        let _ = writeln!(o, "## Pain points and what addresses them\n");
        for p in &g.pain_points {
            let by = addressing(e, p);
            if by.is_empty() {
                let _ = writeln!(
                    o,
                    "- **{}** — ⚠ no decision addresses this yet",
                    md(&p.text)
                );
            } else {
                let list: Vec<String> = by
                    .iter()
                    .map(|d| format!("{} ({}, {})", md(&d.title), d.horizon, d.rank))
                    .collect();
                let _ = writeln!(o, "- **{}** — {}", md(&p.text), list.join("; "));
            }
        }
        o.push('\n');
    }
    if !g.initiatives.is_empty() {
        let _ = writeln!(
            o,
            "Planned initiatives: {}.\n",
            g.initiatives
                .iter()
                .map(|n| md(&n.text))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }

    // Vendor comparisons where candidates exist.
    let with_candidates: Vec<_> = e
        .vendors
        .iter()
        .filter(|v| {
            v.systems
                .iter()
                .any(|s| s.status == SystemStatus::Candidate)
        })
        .collect();
    if !with_candidates.is_empty() {
        let _ = writeln!(o, "## Vendor comparison\n");
        for v in with_candidates {
            let _ = writeln!(o, "### {}\n", v.category.description());
            header(
                &mut o,
                &[
                    "System",
                    "Status",
                    "Vendor fit",
                    "Coupling",
                    "Findings",
                    "Flows it adds or takes away",
                ],
            );
            for s in &v.systems {
                row(
                    &mut o,
                    &[
                        md(&s.name),
                        s.status.to_string(),
                        s.vendor_fit.label(0),
                        s.coupling.label(0),
                        s.findings.len().to_string(),
                        s.flows.len().to_string(),
                    ],
                );
            }
            o.push('\n');
        }
    }

    // What to ask next: the engine's open questions, grouped by subject.
    let _ = writeln!(o, "## What to ask next\n");
    if e.open_questions.is_empty() {
        let _ = writeln!(o, "Nothing open.\n");
    } else {
        let _ = writeln!(
            o,
            "What is not known yet, apart from the decisions: steps of a flow not written down, data objects the ownership map says nothing about, answers nobody knew or only assumed, and unanswered questions that could raise one of the top decisions. Ranked by the most important decision each could raise or clear.\n"
        );
        let mut current: Option<&Option<crate::engine::SubjectRef>> = None;
        for q in &e.open_questions {
            if current != Some(&q.subject) {
                current = Some(&q.subject);
                let _ = writeln!(
                    o,
                    "{}**{}**\n",
                    if o.ends_with("\n\n") { "" } else { "\n" },
                    md(&super::open_subject(r, q))
                );
            }
            let raises = super::could_raise(r, q);
            let _ = writeln!(
                o,
                "- {} — *{}*{}",
                md(&q.text),
                q.why.label(),
                if raises.is_empty() {
                    String::new()
                } else {
                    format!("; could raise: {}", md(&raises.join("; ")))
                }
            );
        }
        o.push('\n');
    }

    from_the_map(&mut o, r);

    // Appendix.
    let _ = writeln!(o, "## Appendix: answers with notes\n");
    for x in &a.answers {
        if x.note.trim().is_empty() || (x.private && r.audience == Audience::Client) {
            continue;
        }
        let Some((q, subject)) = r.answered(x) else {
            continue;
        };
        let private = if x.private { " *(private)*" } else { "" };
        let who = x
            .respondent
            .as_deref()
            .map(|id| format!(" ({})", md(&a.respondent_name(id))))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "- **{}{}**{who}{private}: {}",
            subject
                .map(|s| format!("{} — ", md(&s)))
                .unwrap_or_default(),
            md(&q.prompt),
            md(&x.note)
        );
    }
    voices_appendix(&mut o, r);
    o
}

/// "Read from the map": which answers the inventory gave (to confirm) and which a person gave
/// that the map implies too, so the client sees what was asked and what was read. Left out
/// when there are neither.
fn from_the_map(o: &mut String, r: &Input) {
    let m = r.from_the_map();
    if m.is_empty() {
        return;
    }
    let _ = writeln!(o, "## Read from the map\n");
    let _ = writeln!(
        o,
        "{} read from the inventory rather than asked (counted at the lowest confidence, assumed, until someone confirms them); {} given by the client that the inventory implies as well.\n",
        match m.inferred.len() {
            0 => "No answers were".to_string(),
            1 => "1 answer was".to_string(),
            n => format!("{n} answers were"),
        },
        match m.confirmed.len() {
            0 => "none was".to_string(),
            1 => "1 answer was".to_string(),
            n => format!("{n} answers were"),
        }
    );
    let line = |o: &mut String, x: &crate::model::Answer, tail: &str| {
        let Some((q, subject)) = r.answered(x) else {
            return;
        };
        let value = match &x.state {
            crate::model::AnswerState::Value(v) => crate::engine::score::describe(q, v),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "- **{}{}**: {}{tail}",
            subject
                .map(|s| format!("{} — ", md(&s)))
                .unwrap_or_default(),
            md(&q.prompt),
            md(&value)
        );
    };
    if !m.inferred.is_empty() {
        let _ = writeln!(o, "### Inferred, to confirm\n");
        for (x, because) in &m.inferred {
            line(o, x, &format!(" — *{}*", md(because)));
        }
        o.push('\n');
    }
    if !m.confirmed.is_empty() {
        let _ = writeln!(o, "### Confirmed by the client\n");
        for x in &m.confirmed {
            line(o, x, "");
        }
        o.push('\n');
    }
}

/// Questions several people answered: every answer, the one that counted and why.
fn voices_appendix(o: &mut String, r: &Input) {
    let e = r.evaluation;
    if e.voices.is_empty() {
        return;
    }
    let a = r.assessment;
    let _ = writeln!(o, "\n## Appendix: answers from several respondents\n");
    for v in &e.voices {
        let prompt = r
            .content
            .questionnaire(&v.questionnaire)
            .and_then(|q| q.question(&v.question))
            .map_or(v.question.clone(), |q| q.prompt.clone());
        let subject = v
            .subject
            .as_deref()
            .map(|s| format!("{} — ", md(&r.subject_name(s))))
            .unwrap_or_default();
        let name = |id: &Option<String>| {
            id.as_deref()
                .map_or("the assessor".to_string(), |id| a.respondent_name(id))
        };
        let said: Vec<String> = v
            .answers
            .iter()
            .map(|x| format!("{}: {}", md(&name(&x.respondent)), md(&x.answer)))
            .collect();
        let _ = writeln!(
            o,
            "- **{subject}{}**{}: {}. Counted: {} ({}).",
            md(&prompt),
            if v.disagree { " *(they disagree)*" } else { "" },
            said.join("; "),
            md(&name(&v.counted)),
            v.why.text()
        );
    }
}

fn first_sentence(s: &str) -> &str {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

fn decision(o: &mut String, r: &Input, d: &Decision) {
    let t = &d.terms;
    let _ = writeln!(o, "### {}. {}\n", d.rank, md(&d.title));
    let mut facts = vec![format!("priority **{}**", d.priority)];
    facts.push(format!("status {}", d.status));
    if let Some(s) = d.slice {
        facts.push(format!("slice {s}"));
    }
    if !d.owner.is_empty() {
        facts.push(format!("owner {}", md(&d.owner)));
    }
    let _ = writeln!(o, "{}\n", facts.join(" · "));
    let mut formula = format!("Priority = {} = {}.", t.product(), t.computed);
    if let Some(m) = t.manual {
        if r.audience == Audience::Internal && !t.manual_reason.is_empty() {
            let _ = write!(
                formula,
                " Set to {m} by the assessor: {}",
                md(&t.manual_reason)
            );
        } else {
            let _ = write!(formula, " Set to {m} by the assessor.");
        }
    }
    let _ = writeln!(o, "{formula}\n");
    if d.about.wider_than_title() {
        let _ = writeln!(
            o,
            "**About:** {}.\n",
            md(&d.about.describe(r.assessment, usize::MAX))
        );
    }
    let _ = writeln!(o, "**What to do.** {}\n", md(&d.recommendation));
    if !d.depends_on.is_empty() {
        let names: Vec<String> = d
            .depends_on
            .iter()
            .map(|x| r.evaluation.decision(x).map_or(x.clone(), |y| md(&y.title)))
            .collect();
        let _ = writeln!(o, "**After:** {}\n", names.join("; "));
    }
    let because: BTreeSet<String> = d.because.iter().map(|b| md(&b.text)).collect();
    let _ = writeln!(o, "**Why:**\n");
    for b in because.iter().take(8) {
        let _ = writeln!(o, "- {b}");
    }
    if because.len() > 8 {
        let _ = writeln!(o, "- … and {} more", because.len() - 8);
    }
    o.push('\n');
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn markdown_text_is_escaped() {
        assert_eq!(md("A|B \"C\" <D>"), "A\\|B \"C\" \\<D\\>");
        assert_eq!(md("*bold* [link](x)"), "\\*bold\\* \\[link\\](x)");
        assert_eq!(md("\u{1b}[2J"), "␛\\[2J");
        assert_eq!(md("one\ntwo"), "one two");
    }
}

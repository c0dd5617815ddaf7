//! Decisions as tickets: a Jira CSV its importer takes without mapping, and GitHub issues as
//! JSON with a reviewable `gh issue create` script beside it. stackmap sends nothing itself.
//!
//! Each ticket carries the decision, why (its reasons, by name), the recommendation, its
//! dependencies by title, owner and status, and the stackmap id (`stackmap id: ID`, and a
//! label) so a later export can be matched with what the tracker already holds.
//!
//! Jira columns (see docs/FORMATS.md): `Issue ID`, `Issue Type`, `Summary`, `Priority`,
//! `Description`, `Labels` (repeated, one label per column, as the importer expects for a
//! multi-value field), `Parent` (the `Issue ID` of the slice's Epic row), `Linked Issues`
//! (repeated, one `Issue ID` a decision depends on per column: the importer links them once a link type is chosen for
//! the column; left unmapped, it is skipped and the dependencies are still in the description).
//! Epic rows come first: the importer creates parents before children.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Filter, chosen, lane_title};
use crate::engine::Decision;
use crate::report::markdown::md;
use crate::report::{Audience, Input};
use crate::text::{reflow, safe};
use crate::vocab::{DecisionStatus, Horizon};

/// The Jira CSV's header row, in order; then `Labels` (`LABEL_COLUMNS` times) and `Linked
/// Issues` (as many times as the most dependencies a decision has, at least once).
pub const JIRA_COLUMNS: &[&str] = &[
    "Issue ID",
    "Issue Type",
    "Summary",
    "Priority",
    "Description",
    "Parent",
];

/// How many `Labels` columns the CSV has: `stackmap`, the lane, the stake, the status.
pub const LABEL_COLUMNS: usize = 4;

/// The label every exported ticket carries.
pub const LABEL: &str = "stackmap";

/// Jira's default priority scheme, from a decision's place in its lane: the first three are
/// High, up to ten Medium, the rest Low; deferred decisions are Lowest.
pub fn jira_priority(d: &Decision) -> &'static str {
    match d.status {
        DecisionStatus::Deferred | DecisionStatus::Rejected => "Lowest",
        _ if d.rank <= 3 => "High",
        _ if d.rank <= 10 => "Medium",
        _ => "Low",
    }
}

/// The labels of a ticket: `stackmap`, the lane, the stake and the status (no spaces: Jira
/// splits labels on them).
pub fn labels(d: &Decision) -> Vec<String> {
    vec![
        LABEL.to_string(),
        format!("lane-{}", d.horizon),
        format!("stake-{}", d.terms.stake),
        format!("status-{}", d.status),
    ]
}

/// The milestone (GitHub) or epic (Jira) a decision belongs to: its roadmap slice.
pub fn slice_name(slice: Option<u32>) -> String {
    slice.map_or("Not planned (rejected)".into(), |s| format!("Slice {s}"))
}

/// One paragraph of a ticket, in the markup of the tracker.
trait Markup {
    fn text(&self, s: &str) -> String;
    fn heading(&self, s: &str) -> String;
    fn code(&self, s: &str) -> String;
    fn bold(&self, s: &str) -> String;
}

struct Markdown;

impl Markup for Markdown {
    fn text(&self, s: &str) -> String {
        md(s)
    }
    fn heading(&self, s: &str) -> String {
        format!("### {s}")
    }
    fn code(&self, s: &str) -> String {
        // Ids are plain (letters, digits, `-`, `.`, `@`, `/`); a backtick could still not
        // end the span early: it is dropped.
        format!("`{}`", safe(s).replace('`', ""))
    }
    fn bold(&self, s: &str) -> String {
        format!("**{s}**")
    }
}

/// Jira's wiki markup (the CSV importer reads the description as wiki markup).
struct Wiki;

impl Markup for Wiki {
    fn text(&self, s: &str) -> String {
        let s = safe(&reflow(s).replace("\n\n", " ¶ "));
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if matches!(
                c,
                '\\' | '{'
                    | '}'
                    | '['
                    | ']'
                    | '|'
                    | '*'
                    | '_'
                    | '!'
                    | '^'
                    | '~'
                    | '+'
                    | '?'
                    | '#'
                    | '-'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }
    fn heading(&self, s: &str) -> String {
        format!("h3. {s}")
    }
    fn code(&self, s: &str) -> String {
        format!("{{{{{}}}}}", self.text(s))
    }
    fn bold(&self, s: &str) -> String {
        format!("*{s}*")
    }
}

/// A decision's title by id (for dependencies): the decision's, else the id.
fn title_of(r: &Input, id: &str) -> String {
    r.evaluation
        .decision(id)
        .map_or_else(|| id.to_string(), |d| d.title.clone())
}

fn body(r: &Input, d: &Decision, m: &dyn Markup) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} {}", m.bold("Decision:"), m.text(&d.title));
    let _ = writeln!(
        o,
        "\n{} {} — rank {} — priority {} ({})",
        m.bold("Lane:"),
        lane_title(d.horizon),
        d.rank,
        d.priority,
        m.text(&d.terms.product())
    );
    let owner = if d.owner.trim().is_empty() {
        "not named yet".to_string()
    } else {
        m.text(&d.owner)
    };
    let _ = writeln!(
        o,
        "\n{} {} — {} {} — {} {}",
        m.bold("Status:"),
        d.status,
        m.bold("Owner:"),
        owner,
        m.bold("Roadmap:"),
        slice_name(d.slice)
    );
    let _ = writeln!(o, "\n{}\n", m.heading("Why"));
    for b in &d.because {
        let _ = writeln!(o, "* {} ({})", m.text(&b.text), m.code(&b.reference));
    }
    let _ = writeln!(o, "\n{}\n", m.heading("Recommendation"));
    let _ = writeln!(o, "{}", m.text(&d.recommendation));
    if !d.depends_on.is_empty() {
        let _ = writeln!(o, "\n{}\n", m.heading("Depends on"));
        for id in &d.depends_on {
            let _ = writeln!(o, "* {} ({})", m.text(&title_of(r, id)), m.code(id));
        }
    }
    if !d.waits_on_open.is_empty() {
        let _ = writeln!(
            o,
            "\n{}\n",
            m.heading("May wait on (an open question could raise it)")
        );
        for id in &d.waits_on_open {
            let t = r
                .content
                .finding(id)
                .map_or_else(|| id.clone(), |f| f.title.clone());
            let _ = writeln!(o, "* {} ({})", m.text(&t), m.code(id));
        }
    }
    // The decision's note (what was agreed) is for everyone; the reason for a hand-set
    // priority is the assessor's, as in the reports.
    if !d.note.trim().is_empty() {
        let _ = writeln!(o, "\n{} {}", m.bold("Note:"), m.text(&d.note));
    }
    if r.audience == Audience::Internal && !d.terms.manual_reason.trim().is_empty() {
        let _ = writeln!(
            o,
            "\n{} {}",
            m.bold("Priority set by hand:"),
            m.text(&d.terms.manual_reason)
        );
    }
    let _ = writeln!(o, "\nstackmap id: {}", m.code(&d.id));
    o
}

/// The Jira CSV: one Epic row per roadmap slice the chosen decisions fall in, then one Task
/// row per decision, its `Parent` the slice's Epic. RFC 4180, CRLF, UTF-8 without a BOM
/// (Jira reads UTF-8; a BOM would become part of the first header), cells defused against
/// formulas as the report's CSV.
pub fn jira_csv(r: &Input, f: &Filter) -> String {
    let ds = chosen(r, f);
    let issue_id = |id: &str| {
        ds.iter()
            .position(|d| d.id == id)
            .map(|i| (1001 + i).to_string())
    };
    let links: Vec<Vec<String>> = ds
        .iter()
        .map(|d| d.depends_on.iter().filter_map(|x| issue_id(x)).collect())
        .collect();
    let link_columns = links.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header: Vec<&str> = JIRA_COLUMNS.to_vec();
    header.extend(std::iter::repeat_n("Labels", LABEL_COLUMNS));
    header.extend(std::iter::repeat_n("Linked Issues", link_columns));
    let _ = w.write_record(&header);
    let cell = crate::report::csv::cell;
    // Epics: one per slice, numbered from 1; decisions from 1001 in export order.
    let mut slices: Vec<Option<u32>> = ds.iter().map(|d| d.slice).collect();
    slices.dedup();
    let epic_id = |s: Option<u32>| slices.iter().position(|x| *x == s).map_or(0, |i| i + 1);
    let client = &r.assessment.engagement.client;
    for s in &slices {
        let mut row = vec![
            epic_id(*s).to_string(),
            "Epic".into(),
            cell(&format!("{} — {}", slice_name(*s), client)),
            "Medium".into(),
            cell(&format!(
                "Roadmap {} of the {} assessment (stackmap).",
                Wiki.text(&slice_name(*s).to_lowercase()),
                Wiki.text(client)
            )),
            String::new(),
        ];
        row.push(LABEL.to_string());
        row.resize(header.len(), String::new());
        let _ = w.write_record(&row);
    }
    for (i, (d, links)) in ds.iter().zip(&links).enumerate() {
        let mut row = vec![
            (1001 + i).to_string(),
            "Task".into(),
            cell(&d.title),
            jira_priority(d).into(),
            long_cell(&body(r, d, &Wiki)),
            epic_id(d.slice).to_string(),
        ];
        row.extend(labels(d));
        row.extend(links.iter().cloned());
        row.resize(header.len(), String::new());
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell that keeps its line breaks (the description): controls other than newlines made
/// visible, formulas defused as in `report::csv::cell`.
fn long_cell(s: &str) -> String {
    let s = crate::text::safe_multiline(s);
    if s.trim_start().starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    }
}

/// One GitHub issue, as the JSON file holds it and the script creates it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GithubIssue {
    /// The stackmap decision id: match it with the `stackmap id:` line of the body.
    pub stackmap_id: String,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub milestone: String,
}

pub fn github_issues(r: &Input, f: &Filter) -> Vec<GithubIssue> {
    chosen(r, f)
        .into_iter()
        .map(|d| GithubIssue {
            stackmap_id: d.id.clone(),
            title: safe(&d.title),
            body: body(r, d, &Markdown),
            labels: labels(d),
            milestone: slice_name(d.slice),
        })
        .collect()
}

/// The JSON file: `{"client": ..., "issues": [...]}`, two-space indented, newline-ended.
pub fn github_json(r: &Input, issues: &[GithubIssue]) -> String {
    #[derive(Serialize)]
    struct File<'a> {
        client: String,
        title: String,
        issues: &'a [GithubIssue],
    }
    let mut s = serde_json::to_string_pretty(&File {
        client: safe(&r.assessment.engagement.client),
        title: safe(&r.assessment.engagement.title),
        issues,
    })
    .unwrap_or_default();
    s.push('\n');
    s
}

/// A word for a POSIX shell: single-quoted, a `'` inside written `'\''`. Nothing in single
/// quotes is expanded, so a title like `$(rm -rf ~)` stays text.
pub fn shell_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The script beside the JSON: one `gh issue create` per issue with the file's values,
/// nothing else runs. It says what it will do; the labels and milestones must exist first
/// (their `gh` commands are in the comments, for whoever reviews it to run).
pub fn github_script(json_name: &str, issues: &[GithubIssue]) -> String {
    let mut o = String::new();
    o.push_str("#!/bin/sh\n");
    let _ = writeln!(
        o,
        "# Creates {} GitHub issue{} from {} (written by `stackmap export --to github`).",
        issues.len(),
        if issues.len() == 1 { "" } else { "s" },
        safe(json_name).replace('\n', " ")
    );
    o.push_str("# Review it, then run it in the repository's clone (or set GH_REPO=owner/name).\n");
    o.push_str("# It only calls `gh issue create`; stackmap sends nothing itself.\n#\n");
    o.push_str("# gh refuses labels and milestones that do not exist yet. Create them first:\n");
    let mut labels: Vec<&str> = issues
        .iter()
        .flat_map(|i| i.labels.iter().map(String::as_str))
        .collect();
    labels.sort_unstable();
    labels.dedup();
    for l in labels {
        let _ = writeln!(o, "#   gh label create {} --force", shell_word(l));
    }
    let mut milestones: Vec<&str> = issues.iter().map(|i| i.milestone.as_str()).collect();
    milestones.dedup();
    for m in milestones {
        let _ = writeln!(
            o,
            "#   gh api repos/{{owner}}/{{repo}}/milestones -f title={}",
            shell_word(m)
        );
    }
    o.push_str("set -eu\n");
    for i in issues {
        let _ = write!(
            o,
            "\n# {}\ngh issue create --title {} --milestone {}",
            safe(&i.stackmap_id),
            shell_word(&i.title),
            shell_word(&i.milestone)
        );
        for l in &i.labels {
            let _ = write!(o, " --label {}", shell_word(l));
        }
        let _ = writeln!(o, " --body {}", shell_word(&i.body));
    }
    o
}

/// Whether a decision is in the architecture lane.
pub fn is_architecture(d: &Decision) -> bool {
    d.horizon == Horizon::Architecture
}

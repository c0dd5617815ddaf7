//! `stackmap snapshot`, `snapshots` and `diff`.

use std::io::Write;
use std::path::Path;

use super::output::{json, table};
use super::{DiffArgs, DiffFormat, Format, SnapshotArgs, SnapshotsArgs};
use crate::content::Content;
use crate::diff::{self, Diff, Section, Side};
use crate::engine::{self, Evaluation};
use crate::error::{Error, Result};
use crate::model::Assessment;
use crate::snapshot;
use crate::text::safe;
use crate::workspace::{self, Sources};

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

pub fn snapshot(sources: &Sources, args: &SnapshotArgs, out: &mut dyn Write) -> Result<i32> {
    let now = chrono::Utc::now();
    let now = chrono::DateTime::from_timestamp(now.timestamp(), 0)
        .unwrap_or(now)
        .fixed_offset();
    let path = snapshot::take_file(sources, &args.file, &args.label, now)?;
    writeln!(out, "{}", path.display()).map_err(io)?;
    Ok(0)
}

#[derive(serde::Serialize)]
struct Listed<'a> {
    label: &'a str,
    taken_at: String,
    path: String,
    #[serde(flatten)]
    summary: &'a snapshot::Summary,
}

pub fn list(args: &SnapshotsArgs, out: &mut dyn Write) -> Result<i32> {
    if !args.file.exists() {
        return Err(Error::Usage(format!(
            "{} does not exist",
            args.file.display()
        )));
    }
    snapshot::check_folder(&args.file)?;
    let (all, skipped) = snapshot::list(&args.file);
    for w in &skipped {
        eprintln!("warning: {}", safe(w));
    }
    let items: Vec<Listed> = all
        .iter()
        .map(|(p, s)| Listed {
            label: &s.label,
            taken_at: s.taken_at.to_rfc3339(),
            path: p.display().to_string(),
            summary: &s.summary,
        })
        .collect();
    match args.format {
        Format::Json => json(out, &items).map_err(io)?,
        Format::Text => {
            if items.is_empty() {
                writeln!(
                    out,
                    "no snapshots yet; take one with `stackmap snapshot {} --label LABEL`",
                    args.file.display()
                )
                .map_err(io)?;
            } else {
                let rows: Vec<Vec<String>> = items
                    .iter()
                    .map(|i| {
                        vec![
                            safe(i.label),
                            i.taken_at.clone(),
                            i.summary.overall.map_or("—".into(), |x| format!("{x:.1}")),
                            format!("{:.0}%", i.summary.coverage * 100.0),
                        ]
                    })
                    .collect();
                table(out, &["LABEL", "TAKEN", "OVERALL", "ANSWERED"], &rows).map_err(io)?;
            }
        }
    }
    Ok(0)
}

/// One side of a diff, loaded: a snapshot brings its own content, an assessment uses the
/// content in force.
struct Loaded {
    name: String,
    assessment: Assessment,
    content: Content,
    evaluation: Evaluation,
}

fn load_side(sources: &Sources, spec: &str) -> Result<Loaded> {
    let path = snapshot::resolve(spec)?;
    let text = crate::content::read_text(&path).map_err(|d| Error::Invalid(vec![d]))?;
    let is_snapshot = super::report::top_level_kind(&text).as_deref() == Some("snapshot");
    if is_snapshot {
        let s = snapshot::load(&path)?;
        let evaluation = engine::evaluate_assessment(&s.content, &s.assessment, spec, None)?;
        Ok(Loaded {
            name: format!("{spec} ({})", s.label),
            assessment: s.assessment,
            content: s.content,
            evaluation,
        })
    } else {
        let content = sources.content_strict()?;
        let assessment = workspace::load_assessment(Path::new(&path), &content)?;
        let evaluation = engine::evaluate_assessment(&content, &assessment, spec, None)?;
        Ok(Loaded {
            name: spec.to_string(),
            assessment,
            content,
            evaluation,
        })
    }
}

pub fn diff(sources: &Sources, args: &DiffArgs, out: &mut dyn Write) -> Result<i32> {
    // The two sides are independent: load, validate and score them at once. An error in A is
    // reported before one in B, as if they had been read in turn.
    let (a, b) = std::thread::scope(|scope| {
        let b = scope.spawn(|| load_side(sources, &args.b));
        let a = load_side(sources, &args.a);
        let b = b
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    });
    let (a, b) = (a?, b?);
    let d = diff::diff(
        &Side {
            assessment: &a.assessment,
            content: &a.content,
            evaluation: &a.evaluation,
        },
        &Side {
            assessment: &b.assessment,
            content: &b.content,
            evaluation: &b.evaluation,
        },
    );
    match args.format {
        DiffFormat::Json => json(out, &d).map_err(io)?,
        DiffFormat::Text => write!(out, "{}", text(&a.name, &b.name, &d, false)).map_err(io)?,
        DiffFormat::Md => write!(out, "{}", text(&a.name, &b.name, &d, true)).map_err(io)?,
    }
    let changed = !d.is_empty();
    // The process ends right after this command; freeing both engagements node by node only
    // costs time (see `score`).
    std::mem::forget(d);
    std::mem::forget(a);
    std::mem::forget(b);
    Ok(if args.exit_code && changed { 1 } else { 0 })
}

fn text(a: &str, b: &str, d: &Diff, md: bool) -> String {
    use std::fmt::Write as _;
    let esc = |s: &str| {
        if md {
            crate::report::markdown::md(s)
        } else {
            safe(s)
        }
    };
    let mut o = String::new();
    let h = |o: &mut String, title: &str| {
        let _ = if md {
            writeln!(o, "\n## {title}\n")
        } else {
            writeln!(o, "\n{title}")
        };
    };
    let bullet = if md { "- " } else { "  " };
    let _ = if md {
        writeln!(o, "# What changed: {} → {}", esc(a), esc(b))
    } else {
        writeln!(o, "What changed: {} → {}", esc(a), esc(b))
    };
    if d.is_empty() {
        let _ = writeln!(o, "\nNothing changed.");
        return o;
    }
    for section in d.outline() {
        h(&mut o, section.title());
        match section {
            Section::Scores(scores) => {
                for s in scores {
                    let _ = writeln!(o, "{bullet}{}", s.describe());
                }
            }
            Section::Decisions(decisions) => {
                for x in decisions {
                    let _ = writeln!(
                        o,
                        "{bullet}{} [{}]: {}",
                        esc(&x.title),
                        x.id,
                        x.describe(&esc)
                    );
                }
            }
            Section::Answers(groups) => {
                for g in groups {
                    let _ = writeln!(
                        o,
                        "{}{}{}",
                        if md { "\n**" } else { " " },
                        esc(&g.label()),
                        if md { "**\n" } else { "" }
                    );
                    for x in g.changes {
                        let _ = writeln!(
                            o,
                            "{bullet}{}: {}",
                            esc(x.question_text()),
                            x.describe(&esc)
                        );
                    }
                }
            }
            Section::Reranks(changes) => {
                // One line: the re-ranks are the knock-on of the changes above; every one of
                // them is in `--format json`.
                let _ = writeln!(
                    o,
                    "{bullet}{} (each one: --format json)",
                    Section::reranks_summary(&changes)
                );
            }
            Section::Inventory(items) => {
                for x in items {
                    let _ = writeln!(o, "{bullet}{} {}: {}", x.kind, esc(x.label()), x.describe());
                }
            }
            Section::Method(changes) => {
                for m in changes {
                    let _ = writeln!(
                        o,
                        "{bullet}{} / {}: {}",
                        m.questionnaire,
                        m.question,
                        m.describe()
                    );
                }
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DecisionChange, DecisionMove};

    #[test]
    fn decisions_read_new_and_resolved_before_re_ranks_as_on_the_screen() {
        let change = |id: &str, change, old: &str, new: &str| DecisionChange {
            id: id.into(),
            title: id.to_uppercase(),
            change,
            old: Some(old.into()),
            new: Some(new.into()),
        };
        let d = Diff {
            decisions: vec![
                change("a", DecisionMove::Reranked, "3", "1"),
                change("b", DecisionMove::New, "", "immediate #2"),
            ],
            ..Diff::default()
        };
        assert_eq!(
            text("old.toml", "new.toml", &d, false),
            "What changed: old.toml → new.toml\n\nDecisions\n  B [b]: new (immediate #2)\n\nRe-ranked\n  1 decision re-ranked in their lane, by up to 2 places (each one: --format json)\n"
        );
    }
}

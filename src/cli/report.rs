//! `stackmap report` and `stackmap map`: load, evaluate, render, write.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{AudienceArg, MapArgs, MapFormat, ReportArgs, ReportFormat};
use crate::engine::{self, Evaluation};
use crate::error::{Error, Result};
use crate::model::Assessment;
use crate::report::{self, Audience, Input};
use crate::workspace::{self, Sources};

fn evaluate(
    sources: &Sources,
    file: &Path,
) -> Result<(crate::content::Content, Assessment, Evaluation)> {
    let content = sources.content_strict()?;
    let a = workspace::load_assessment(file, &content)?;
    let e = engine::evaluate_assessment(&content, &a, &file.display().to_string(), None)?;
    Ok((content, a, e))
}

/// Refuses to write a report over the assessment it came from, or over any file that holds
/// an assessment or a snapshot, unless `force`: a slip of the tab key must not destroy an
/// engagement.
pub(super) fn guard(input: &Path, to: &Option<std::path::PathBuf>, force: bool) -> Result<()> {
    let Some(out) = to.as_deref().filter(|p| !is_stdout(p)) else {
        return Ok(());
    };
    // What sits at OUT, before any work: a directory, socket or read-only file is refused;
    // a device or FIFO is a stream (never read here: reading a FIFO would wait for a writer).
    let target = crate::save::target(out, true).map_err(|e| Error::Io {
        path: out.to_path_buf(),
        source: e,
    })?;
    if target == crate::save::Target::Stream {
        return Ok(());
    }
    let same = matches!((input.canonicalize(), out.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same {
        return Err(Error::Usage(format!(
            "-o {} is the assessment itself; write the report to another file",
            out.display()
        )));
    }
    // Only the keys before the first table say what a file holds: the first 64 KiB are read,
    // never the whole file (a 1 GB file costs no more than a small one).
    if !force
        && let Some(head) = crate::save::read_head(out, crate::save::HEAD_BYTES)
        && holds_work(&String::from_utf8_lossy(&head))
    {
        return Err(Error::Usage(format!(
            "{} holds an assessment or a snapshot; choose another file, or pass --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

/// Whether a file's top-level `kind` is an assessment or a snapshot (top-level keys come
/// before the first table header).
pub fn holds_work(text: &str) -> bool {
    top_level_kind(text).is_some_and(|k| k == "assessment" || k == "snapshot")
}

/// The `kind = "..."` of a stackmap file, read from the lines before its first table.
pub fn top_level_kind(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| {
            l.strip_prefix("kind")
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
        })
        .and_then(|v| v.split('"').nth(1).map(str::to_string))
}

/// `-o -` is stdout, as for most command-line tools.
fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes the output: to OUT (a file atomically, a device or FIFO as a stream; see
/// `save::write_output`), or to stdout when there is no OUT or it is `-`.
pub(super) fn emit(
    text: &str,
    to: &Option<std::path::PathBuf>,
    out: &mut dyn Write,
) -> Result<i32> {
    match to.as_deref().filter(|p| !is_stdout(p)) {
        Some(path) => crate::save::write_output(path, text).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?,
        None => out.write_all(text.as_bytes()).map_err(|e| Error::Io {
            path: "<output>".into(),
            source: e,
        })?,
    }
    Ok(0)
}

/// The JSON report: the engine's whole result, with the engagement it is about and which
/// decisions address each pain point.
#[derive(Serialize)]
struct JsonReport<'a> {
    client: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    pain_points: Vec<PainOut<'a>>,
    #[serde(flatten)]
    result: &'a Evaluation,
}

#[derive(Serialize)]
struct PainOut<'a> {
    id: &'a str,
    text: &'a str,
    addressed_by: Vec<&'a str>,
}

pub fn report(sources: &Sources, args: &ReportArgs, out: &mut dyn Write) -> Result<i32> {
    guard(&args.file, &args.out, args.force)?;
    let (content, a, e) = evaluate(sources, &args.file)?;
    // Progress since the last snapshot, for the Markdown and HTML reports.
    let progress = if matches!(args.format, ReportFormat::Md | ReportFormat::Html) {
        let (t, skipped) = super::export::trend_of(&args.file, &content, &a, &e);
        for w in &skipped {
            eprintln!("warning: {}", crate::text::safe(w));
        }
        t
    } else {
        None
    };
    let input = Input {
        content: &content,
        assessment: &a,
        evaluation: &e,
        audience: match args.audience {
            AudienceArg::Client => Audience::Client,
            AudienceArg::Internal => Audience::Internal,
        },
        progress: progress.as_ref(),
    };
    let text = match args.format {
        ReportFormat::Md => report::markdown::render(&input),
        ReportFormat::Html => report::html::render(&input),
        ReportFormat::Csv => report::csv::render(&input),
        ReportFormat::Json => {
            let j = JsonReport {
                client: &a.engagement.client,
                title: &a.engagement.title,
                summary: &a.engagement.summary,
                pain_points: a
                    .engagement
                    .pain_points
                    .iter()
                    .map(|p| PainOut {
                        id: &p.id,
                        text: &p.text,
                        addressed_by: report::addressing(&e, p)
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect(),
                    })
                    .collect(),
                result: &e,
            };
            let mut s = crate::text::to_json(&j).map_err(|err| Error::Usage(err.to_string()))?;
            s.push('\n');
            s
        }
    };
    emit(&text, &args.out, out)
}

pub fn map(sources: &Sources, args: &MapArgs, out: &mut dyn Write) -> Result<i32> {
    guard(&args.file, &args.out, args.force)?;
    let (content, a, e) = evaluate(sources, &args.file)?;
    let input = Input {
        content: &content,
        assessment: &a,
        evaluation: &e,
        audience: Audience::Client,
        progress: None,
    };
    let text = match args.format {
        MapFormat::Mermaid => report::map::mermaid_map(&input),
        MapFormat::Dot => report::map::dot_map(&input),
    };
    emit(&text, &args.out, out)
}

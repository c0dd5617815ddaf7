//! `stackmap import`: a client's CSV files of systems and flows into an assessment.
//!
//! The work is `crate::import::import`; this reads the files, saves the result under the
//! assessment's sidecar lock (the same path `answer` takes) and prints what was added.

use std::io::{self, Write};

use crate::content;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::import::{CsvText, ImportReport};
use crate::model::Assessment;
use crate::workspace::{self, Sources};

use super::ImportArgs;

fn io_err(e: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

fn csv(f: Option<&(String, String)>) -> Option<CsvText<'_>> {
    f.map(|(path, text)| CsvText { path, text })
}

/// `1 flow`, `2 flows`.
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn import(
    sources: &Sources,
    args: &ImportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let content = sources.content_strict()?;
    let read = |p: &Option<std::path::PathBuf>| -> Result<Option<(String, String)>> {
        p.as_ref()
            .map(|p| {
                content::read_csv_text(p)
                    .map(|t| (p.display().to_string(), t))
                    .map_err(|d| Error::Invalid(vec![d]))
            })
            .transpose()
    };
    let systems = read(&args.systems)?;
    let flows = read(&args.flows)?;
    let run = |a: &Assessment| {
        crate::import::import(&content, a, csv(systems.as_ref()), csv(flows.as_ref()))
    };

    let mut rejected: Option<Vec<Diagnostic>> = None;
    let outcome = if args.dry_run {
        let a = workspace::load_assessment(&args.file, &content)?;
        match run(&a) {
            Ok((new, report)) => Ok((new, report)),
            Err(d) => {
                rejected = Some(d);
                Err(())
            }
        }
    } else {
        let now = chrono::Utc::now();
        let now = chrono::DateTime::from_timestamp(now.timestamp(), 0)
            .unwrap_or(now)
            .fixed_offset();
        let mut report = None;
        let saved = workspace::update_assessment(&args.file, &content, |a| match run(a) {
            Ok((new, r)) => {
                *a = new;
                a.engagement.updated = Some(now);
                report = Some(r);
                Ok(())
            }
            Err(d) => {
                rejected = Some(d);
                Err(Error::Usage("the import was rejected".into()))
            }
        });
        match (saved, report) {
            (Ok(a), Some(r)) => Ok((a, r)),
            (Err(_), _) if rejected.is_some() => Err(()),
            (Err(e), _) => return Err(e),
            (Ok(_), None) => unreachable!("a save without an import"),
        }
    };
    match outcome {
        Ok((a, report)) => summary(args, &a, &report, out).map_err(io_err)?,
        Err(()) => {
            let diags = rejected.unwrap_or_default();
            for d in &diags {
                writeln!(err, "{d}").map_err(io_err)?;
            }
            writeln!(
                err,
                "error: nothing imported: {} found; {} is unchanged",
                plural(diags.len(), "problem", "problems"),
                args.file.display()
            )
            .map_err(io_err)?;
            return Ok(2);
        }
    }
    Ok(0)
}

fn summary(
    args: &ImportArgs,
    a: &Assessment,
    report: &ImportReport,
    out: &mut dyn Write,
) -> io::Result<()> {
    let what = format!(
        "{} and {}",
        plural(report.systems.len(), "system", "systems"),
        plural(report.flows.len(), "flow", "flows")
    );
    if args.dry_run {
        writeln!(
            out,
            "dry run: would add {what} to {} (nothing written)",
            args.file.display()
        )?;
    } else {
        writeln!(out, "added {what} to {}", args.file.display())?;
    }
    let width = report
        .systems
        .iter()
        .chain(&report.flows)
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
    for id in &report.systems {
        if let Some(s) = a.system(id) {
            writeln!(
                out,
                "  system  {id:width$}  {} ({}, {})",
                crate::text::safe(&s.name),
                s.category,
                s.status
            )?;
        }
    }
    for id in &report.flows {
        if let Some(f) = a.flow(id) {
            let via = f
                .via
                .as_ref()
                .map(|v| format!(" via {v}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  flow    {id:width$}  {} → {}{via} ({}, {})",
                f.from, f.to, f.mechanism, f.mode
            )?;
        }
    }
    if !report.mapped.is_empty() {
        writeln!(out, "read as:")?;
        let width = report
            .mapped
            .iter()
            .map(|m| m.what.len())
            .max()
            .unwrap_or(0);
        for m in &report.mapped {
            writeln!(
                out,
                "  {:width$}  {} → {}",
                m.what,
                crate::text::safe(&m.from),
                m.to
            )?;
        }
    }
    // Answers the new systems and flows imply: filled in, not yet confirmed by anyone.
    if report.inferred > 0 {
        writeln!(
            out,
            "{} {} from the map — confirm {} in the interview",
            plural(report.inferred, "answer", "answers"),
            if args.dry_run {
                "would be read"
            } else {
                "read"
            },
            if report.inferred == 1 { "it" } else { "them" }
        )?;
    }
    if report.inferred_removed > 0 {
        writeln!(
            out,
            "{} {} the map no longer implies",
            if args.dry_run {
                "would remove"
            } else {
                "removed"
            },
            plural(
                report.inferred_removed,
                "inferred answer",
                "inferred answers"
            )
        )?;
    }
    Ok(())
}

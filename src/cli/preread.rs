//! `stackmap questions` and `stackmap import --answers`: the pre-read sent to the client and
//! the filled-in spreadsheet read back. The work is `crate::preread` and
//! `crate::import::answers`; this loads, saves under the sidecar lock (as `answer` does) and
//! says what each row did.

use std::io::{self, Write};

use crate::content;
use crate::diag::Diagnostic;
use crate::engine;
use crate::error::{Error, Result};
use crate::import::CsvText;
use crate::import::answers::{AnswersReport, Outcome, RowResult};
use crate::report::Audience;
use crate::text::safe;
use crate::workspace::{self, Sources};

use super::import::plural;
use super::{AudienceArg, ImportArgs, QuestionsArgs, QuestionsFormat};

fn io_err(e: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

pub fn questions(sources: &Sources, args: &QuestionsArgs, out: &mut dyn Write) -> Result<i32> {
    super::report::guard(&args.file, &args.out, args.force)?;
    let (content, a) = workspace::content_and_assessment(sources, &args.file)?;
    let e = engine::evaluate_assessment(&content, &a, &args.file.display().to_string(), None)?;
    let audience = match args.audience {
        AudienceArg::Client => Audience::Client,
        AudienceArg::Internal => Audience::Internal,
    };
    let text = match args.format {
        QuestionsFormat::Csv => crate::preread::csv(&content, &a, &e, audience),
        QuestionsFormat::Md => crate::preread::markdown(&content, &a, &e, audience),
    };
    super::report::emit(&text, &args.out, out)
}

pub fn import_answers(
    sources: &Sources,
    args: &ImportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let Some(path) = &args.answers else {
        return Ok(2);
    };
    let content = sources.content_strict()?;
    let shown = path.display().to_string();
    let text = content::read_text(path).map_err(|d| Error::Invalid(vec![d]))?;
    let csv = CsvText {
        path: &shown,
        text: &text,
    };
    // Who answered where a row does not say: as for `answer`, STACKMAP_ASSESSOR, else the
    // engagement's assessor.
    let by = std::env::var("STACKMAP_ASSESSOR").unwrap_or_default();
    let now = super::edit::now();
    let run = |a: &crate::model::Assessment| {
        crate::import::answers::import_answers(&content, a, csv, args.overwrite, &by, Some(now))
    };
    let mut rejected: Option<Vec<Diagnostic>> = None;
    let report = if args.dry_run {
        let a = workspace::load_assessment(&args.file, &content)?;
        match run(&a) {
            Ok((_, r)) => Some(r),
            Err(d) => {
                rejected = Some(d);
                None
            }
        }
    } else {
        let mut report = None;
        let saved = workspace::update_assessment(&args.file, &content, |a| match run(a) {
            Ok((new, r)) => {
                let changed = new != *a;
                *a = new;
                if changed {
                    a.engagement.updated = Some(now);
                }
                report = Some(r);
                Ok(())
            }
            Err(d) => {
                rejected = Some(d);
                Err(Error::Usage("the import was rejected".into()))
            }
        });
        match saved {
            Ok(_) => report,
            Err(_) if rejected.is_some() => None,
            Err(e) => return Err(e),
        }
    };
    let Some(report) = report else {
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
    };
    summary(args, &shown, &report, out, err).map_err(io_err)?;
    Ok(0)
}

fn key(r: &RowResult) -> String {
    match &r.subject {
        Some(s) => format!("{}/{}/{}", r.questionnaire, s, r.question),
        None => format!("{}/{}", r.questionnaire, r.question),
    }
}

fn shown_answer(s: &str) -> String {
    if s.is_empty() {
        "(no answer yet)".into()
    } else {
        safe(s)
    }
}

fn summary(
    args: &ImportArgs,
    csv: &str,
    report: &AnswersReport,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let added = report.count(Outcome::Added);
    let replaced = report.count(Outcome::Replaced);
    let completed = report.count(Outcome::Completed);
    let skipped = report.count(Outcome::Skipped);
    let unchanged = report.count(Outcome::Unchanged);
    let verb = if args.dry_run {
        "would record"
    } else {
        "recorded"
    };
    writeln!(
        out,
        "{}{verb} {} ({added} new, {replaced} replaced, {completed} completed) in {}; {unchanged} unchanged, {} skipped, {} blank",
        if args.dry_run { "dry run: " } else { "" },
        plural(added + replaced + completed, "answer", "answers"),
        args.file.display(),
        skipped,
        report.blank,
    )?;
    if args.dry_run {
        writeln!(out, "nothing written")?;
    }
    for r in &report.rows {
        let what = match r.outcome {
            Outcome::Added => "new",
            Outcome::Replaced => "replaced",
            Outcome::Completed => "completed",
            Outcome::Skipped | Outcome::Unchanged => continue,
        };
        writeln!(out, "  {what:9}  {}  {}", key(r), shown_answer(&r.row))?;
    }
    if skipped > 0 {
        writeln!(
            err,
            "{} differ from the answers in {} and were skipped (pass --overwrite to replace them):",
            plural(skipped, "row", "rows"),
            args.file.display()
        )?;
        for r in report.rows.iter().filter(|r| r.outcome == Outcome::Skipped) {
            writeln!(
                err,
                "  {}:{}: {}: {} differs: the file has {}, the row says {}",
                safe(csv),
                r.line,
                key(r),
                r.differs.join(" and "),
                shown_answer(&r.was),
                shown_answer(&r.row)
            )?;
        }
    }
    Ok(())
}

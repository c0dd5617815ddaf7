//! `stackmap merge A B [--base O] -o OUT`: two assessment files of one engagement into one,
//! usable as a git merge driver (exit 0 clean, 1 conflicts left, 2 bad input).

use std::io::{self, Write};

use crate::error::{Error, Result};
use crate::text::safe;
use crate::workspace::{self, Sources};

use super::{MergeArgs, SettleArgs};

/// `stackmap settle FILE --conflict ID --keep ours|theirs`: one conflict settled, checked,
/// under the file's lock, saved atomically; the conflicts left are counted.
pub fn settle(sources: &Sources, args: &SettleArgs, out: &mut dyn Write) -> Result<i32> {
    let content = sources.content_strict()?;
    let keep = if args.keep == "theirs" {
        crate::merge::Keep::Theirs
    } else {
        crate::merge::Keep::Ours
    };
    let a = workspace::update_assessment(&args.file, &content, |a| {
        *a = crate::merge::settle(&content, a, &args.conflict, keep)
            .map_err(|why| Error::Usage(format!("{}: {why}", args.file.display())))?;
        Ok(())
    })?;
    writeln!(
        out,
        "settled {} (kept {}); {} conflict{} left",
        safe(&args.conflict),
        args.keep,
        a.conflicts.len(),
        if a.conflicts.len() == 1 { "" } else { "s" }
    )
    .map_err(io_err)?;
    Ok(0)
}

fn io_err(e: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

pub fn merge(
    sources: &Sources,
    args: &MergeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let content = sources.content_strict()?;
    // Every input is read and checked before anything is written.
    let read = |p: &std::path::Path| -> Result<(String, crate::model::Assessment)> {
        let text = crate::content::read_text(p).map_err(|d| Error::Invalid(vec![d]))?;
        let a = workspace::assessment_from_text(&text, &p.display().to_string(), &content)?;
        Ok((text, a))
    };
    // The files are read and checked at once, one thread each: a large engagement takes a
    // few hundred milliseconds to validate, and a merge driver runs on every `git merge`.
    let (a, b, o) = std::thread::scope(|scope| {
        let b = scope.spawn(|| read(&args.b));
        let o = args.base.as_ref().map(|p| scope.spawn(move || read(p)));
        let a = read(&args.a);
        let join = |h: std::thread::ScopedJoinHandle<'_, _>| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        (a, join(b), o.map(join))
    });
    let (ours_text, ours) = a?;
    let (_, theirs) = b?;
    let base = match o {
        Some(o) => Some(o?.1),
        None => None,
    };
    let merged = crate::merge::merge(&ours, &theirs, base.as_ref());
    let shown = args.out.display().to_string();
    // Laid out as the first file was (its comments and order kept), checked to load back.
    let text =
        workspace::checked_text_keeping(Some(&ours_text), &merged.assessment, &shown, &content)
            .map_err(|diags| {
                Error::Usage(format!(
                    "the merged file would not load, so nothing was written:\n{}",
                    diags
                        .iter()
                        .map(|d| format!("  {d}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                ))
            })?;
    crate::save::write_output(&args.out, &text).map_err(|e| Error::Io {
        path: args.out.clone(),
        source: e,
    })?;
    let all = merged.assessment.conflicts.len();
    writeln!(out, "merged into {}", safe(&shown)).map_err(io_err)?;
    if all == 0 {
        return Ok(0);
    }
    writeln!(
        err,
        "{} conflict{} to settle ({} new): each is a [[conflict]] entry holding both sides; keep one side in the file and delete the entry",
        all,
        if all == 1 { "" } else { "s" },
        merged.new_conflicts
    )
    .map_err(io_err)?;
    for c in &merged.assessment.conflicts {
        writeln!(err, "  {}: {}", safe(&c.id), safe(&c.about)).map_err(io_err)?;
    }
    Ok(1)
}

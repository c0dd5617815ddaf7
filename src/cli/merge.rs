//! `stackmap merge A B [--base O] -o OUT`: two assessment files of one engagement into one,
//! usable as a git merge driver (exit 0 clean, 1 conflicts left, 2 bad input).

use std::io::{self, Write};

use crate::error::{Error, Result};
use crate::text::safe;
use std::path::Path;
use std::sync::OnceLock;

use crate::content::Content;
use crate::model::Assessment;
use crate::workspace::{self, Sources, Unchecked};

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

/// Releases the threads waiting for the content in force: when dropped before the content was
/// set (it could not be built, or building it panicked), the cell says there is none.
struct Release<'c>(&'c OnceLock<Option<Content>>);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        let _ = self.0.set(None);
    }
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
    // Every input is read and checked before anything is written. The three files are parsed
    // at once, one thread each, while this thread builds the content in force (parsing does
    // not need it); each is then validated on its own thread. A large engagement takes a
    // few hundred milliseconds to load, and a merge driver runs on every `git merge`.
    let cell: OnceLock<Option<Content>> = OnceLock::new();
    let read = |p: &Path| -> Result<(String, Assessment)> {
        let shown = p.display().to_string();
        let text = crate::content::read_text(p).map_err(|d| Error::Invalid(vec![d]))?;
        let parsed = Unchecked::parse(&text, &shown);
        // `None`: the content could not be built; that error is the one reported.
        let Some(content) = cell.wait() else {
            return Err(Error::Usage(
                "the content in force could not be built".into(),
            ));
        };
        let a = parsed.validate(&text, &shown, content)?;
        Ok((text, a))
    };
    let (content, a, b, o) = std::thread::scope(|scope| {
        let b = scope.spawn(|| read(&args.b));
        let o = args.base.as_ref().map(|p| scope.spawn(move || read(p)));
        // Whatever happens here (an error, a panic), the threads waiting on the content are
        // released: `None` tells them there is none.
        let release = Release(&cell);
        let content = sources.content_strict().map(|c| {
            let _ = cell.set(Some(c));
        });
        drop(release);
        // The first file is read here; its layout (is it its own canonical text?) decides how
        // the merged file is laid out.
        let a = read(&args.a).map(|(text, a)| {
            let canonical = crate::save::to_toml(&a);
            (crate::save::Layout::new(text, &canonical), a)
        });
        let join = |h: std::thread::ScopedJoinHandle<'_, _>| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        (content, a, join(b), o.map(join))
    });
    // Errors in the order a sequential load reports them: the content's, then A, B, the base.
    content?;
    let Some(Some(content)) = cell.get() else {
        return Err(Error::Usage(
            "the content in force could not be built".into(),
        ));
    };
    let (layout, ours) = a?;
    let (_, theirs) = b?;
    let base = match o {
        Some(o) => Some(o?.1),
        None => None,
    };
    let merged = crate::merge::merge(&ours, &theirs, base.as_ref());
    let shown = args.out.display().to_string();
    // Laid out as the first file was (its comments and order kept), checked to load back.
    let text = workspace::checked_text_laid_out(Some(&layout), &merged.assessment, &shown, content)
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
    // The large values are not freed: at exit that would only cost time (tens of milliseconds
    // on a large engagement), one allocation at a time.
    std::mem::forget((ours, theirs, base, layout, text));
    let said = tell(&merged, &shown, out, err);
    std::mem::forget(merged);
    said
}

/// What the merge did: where it went, and the conflicts left (exit 1) or none (exit 0).
fn tell(
    merged: &crate::merge::Merged,
    shown: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let all = merged.assessment.conflicts.len();
    writeln!(out, "merged into {}", safe(shown)).map_err(io_err)?;
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

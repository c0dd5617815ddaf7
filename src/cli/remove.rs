//! `stackmap remove`: a system or a flow out of an assessment, with everything that goes
//! with it.
//!
//! The work is `crate::edit`; this checks the id, saves under the assessment's sidecar lock
//! (the same path `answer` and `import` take) and prints what went, or with `--dry-run` what
//! would go.

use std::io::{self, Write};

use crate::edit::{self, Removal};
use crate::error::{Error, Result};
use crate::model::Assessment;
use crate::text::safe;
use crate::workspace::{self, Sources};

use super::RemoveArgs;
use super::import::plural;

fn io_err(e: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

/// What is removed, said before it goes: `system `erp` (NetSuite)`, and the flows that go
/// with it by id and name.
struct Said {
    what: String,
    flows: Vec<(String, String)>,
    removal: Removal,
}

/// Checks that the id names a system (or a flow) of `a` and says what removing it takes.
fn said(args: &RemoveArgs, a: &Assessment) -> Result<Said> {
    let file = args.file.display();
    let (what, removal) = match (&args.system, &args.flow) {
        (Some(id), _) => {
            let s = a.system(id).ok_or_else(|| {
                Error::Usage(format!(
                    "{file} has no system `{id}`{}",
                    crate::diag::hint(id, a.systems.iter().map(|s| s.id.as_str()))
                ))
            })?;
            (
                format!("system `{id}` ({})", safe(&s.name)),
                edit::system_removal(a, id),
            )
        }
        (None, Some(id)) => {
            if a.flow(id).is_none() {
                return Err(Error::Usage(format!(
                    "{file} has no flow `{id}`{}",
                    crate::diag::hint(id, a.flows.iter().map(|f| f.id.as_str()))
                )));
            }
            (
                format!("flow `{id}` ({})", safe(&a.flow_name(id))),
                edit::flow_removal(a, id),
            )
        }
        (None, None) => {
            return Err(Error::Usage(
                "name what to remove: --system ID or --flow ID".into(),
            ));
        }
    };
    let flows = removal
        .flows
        .iter()
        .map(|f| (f.clone(), safe(&a.flow_name(f))))
        .collect();
    Ok(Said {
        what,
        flows,
        removal,
    })
}

pub fn remove(sources: &Sources, args: &RemoveArgs, out: &mut dyn Write) -> Result<i32> {
    let content = sources.content_strict()?;
    let file = args.file.display();
    let said = if args.dry_run {
        let mut a = workspace::load_assessment(&args.file, &content)?;
        if let (Some(id), true) = (&args.system, args.keep_flows_direct) {
            edit::make_direct(&mut a, id);
        }
        let said = said(args, &a)?;
        writeln!(
            out,
            "dry run: would remove {} from {file} (nothing written)",
            said.what
        )
        .map_err(io_err)?;
        said
    } else {
        let now = chrono::Utc::now();
        let now = chrono::DateTime::from_timestamp(now.timestamp(), 0)
            .unwrap_or(now)
            .fixed_offset();
        let mut done = None;
        workspace::update_assessment(&args.file, &content, |a| {
            if let (Some(id), true) = (&args.system, args.keep_flows_direct) {
                edit::make_direct(a, id);
            }
            let s = said(args, a)?;
            match (&args.system, &args.flow) {
                (Some(id), _) => edit::remove_system(a, id),
                (None, Some(id)) => edit::remove_flow(a, id),
                (None, None) => Removal::default(),
            };
            a.engagement.updated = Some(now);
            done = Some(s);
            Ok(())
        })?;
        let Some(said) = done else {
            return Err(Error::Usage("nothing was removed".into()));
        };
        writeln!(out, "removed {} from {file}", said.what).map_err(io_err)?;
        said
    };
    along(&said, out).map_err(io_err)?;
    Ok(0)
}

/// The lines under the headline: what goes with it.
fn along(said: &Said, out: &mut dyn Write) -> io::Result<()> {
    let r = &said.removal;
    if r.is_empty() {
        return writeln!(out, "nothing else names it");
    }
    writeln!(out, "with it:")?;
    let width = said
        .flows
        .iter()
        .map(|(id, _)| id.chars().count())
        .max()
        .unwrap_or(0);
    for (id, name) in &said.flows {
        writeln!(out, "  flow {id:width$}  {name}")?;
    }
    if r.answers > 0 {
        writeln!(out, "  {}", plural(r.answers, "answer", "answers"))?;
    }
    if r.places > 0 {
        writeln!(
            out,
            "  {} in the ownership map",
            plural(r.places, "place", "places")
        )?;
    }
    if r.notes > 0 {
        writeln!(
            out,
            "  its links from {}",
            plural(
                r.notes,
                "pain point or initiative",
                "pain points and initiatives"
            )
        )?;
    }
    Ok(())
}

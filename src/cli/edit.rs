//! `stackmap own` and `stackmap engagement`: the ownership map and the engagement's notes,
//! changed from the command line as the screens change them. The work is `crate::edit`; this
//! saves it under the assessment's sidecar lock, checked like every save
//! (`workspace::update_assessment`).

use std::io::{self, Write};

use crate::edit::OwnershipChange;
use crate::error::{Error, Result};
use crate::text::safe;
use crate::vocab::*;
use crate::workspace::{self, Sources};

use super::{EngagementArgs, OwnArgs, RespondentArgs};

fn io_err(e: io::Error) -> Error {
    Error::Io {
        path: "<output>".into(),
        source: e,
    }
}

/// The time a change is stamped with: now, to the second.
pub(super) fn now() -> chrono::DateTime<chrono::FixedOffset> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp(now.timestamp(), 0)
        .unwrap_or(now)
        .fixed_offset()
}

/// A list of ids typed separated by commas; the empty text is the empty list.
fn ids(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A system typed for `--owner` or `--target`: the empty text clears it.
fn system(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub fn own(sources: &Sources, args: &OwnArgs, out: &mut dyn Write) -> Result<i32> {
    let object = DataObject::parse(args.object.trim()).ok_or_else(|| {
        Error::Usage(format!(
            "`{}` is not a data object{}; run `stackmap list objects` to see them",
            args.object,
            crate::diag::hint(
                &args.object.to_lowercase(),
                DataObject::ALL.iter().map(|o| o.as_str())
            )
        ))
    })?;
    let change = OwnershipChange {
        owner: args.owner.as_deref().map(system),
        target: args.target.as_deref().map(system),
        writers: args.writers.as_deref().map(ids),
        readers: args.readers.as_deref().map(ids),
        note: args.note.clone(),
        said: args
            .respondent
            .as_ref()
            .zip(args.said.as_deref())
            .map(|(r, s)| (r.trim().to_string(), system(s))),
        settled: args.is_final.then_some(true),
    };
    if args.respondent.is_some() != args.said.is_some() {
        return Err(Error::Usage(
            "--respondent ID and --said SYSTEM go together: who said which system owns it".into(),
        ));
    }
    if change == OwnershipChange::default() {
        return Err(Error::Usage(format!(
            "nothing to change for `{object}`: pass --owner, --target, --writers, --readers, --note, --respondent with --said, or --final"
        )));
    }
    let content = sources.content_strict()?;
    let now = now();
    let saved = workspace::update_assessment(&args.file, &content, |a| {
        crate::edit::set_ownership(a, object, args.scope.as_deref(), &change)
            .map_err(Error::Usage)?;
        a.engagement.updated = Some(now);
        Ok(())
    })?;
    writeln!(out, "saved {}", safe(&args.file.display().to_string())).map_err(io_err)?;
    let entry = saved
        .ownership
        .get(&object)
        .map(|w| w.in_scope(args.scope.as_deref()).clone())
        .unwrap_or_default();
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let scope = args
        .scope
        .as_deref()
        .map(|s| format!(" in scope {}", safe(s)))
        .unwrap_or_default();
    writeln!(
        out,
        "  {object}{scope}: owner {} · target {} · writers {} · readers {}",
        entry.owner.as_deref().unwrap_or("none"),
        entry.target.as_deref().unwrap_or("none"),
        list(&entry.writers),
        list(&entry.readers)
    )
    .map_err(io_err)?;
    Ok(0)
}

pub fn engagement(sources: &Sources, args: &EngagementArgs, out: &mut dyn Write) -> Result<i32> {
    if !args.about.is_empty() && args.pain_point.is_none() && args.initiative.is_none() {
        return Err(Error::Usage(
            "--about says what a pain point or an initiative is about: pass --pain-point TEXT or --initiative TEXT with it".into(),
        ));
    }
    let content = sources.content_strict()?;
    let now = now();
    let mut added = None;
    workspace::update_assessment(&args.file, &content, |a| {
        if let Some(s) = &args.summary {
            a.engagement.summary.clone_from(s);
        }
        let note = match (&args.pain_point, &args.initiative) {
            (Some(t), _) => Some((false, t)),
            (None, Some(t)) => Some((true, t)),
            (None, None) => None,
        };
        if let Some((initiative, text)) = note {
            let id =
                crate::edit::add_note(a, initiative, text, &args.about).map_err(Error::Usage)?;
            added = Some((initiative, id));
        }
        a.engagement.updated = Some(now);
        Ok(())
    })?;
    writeln!(out, "saved {}", safe(&args.file.display().to_string())).map_err(io_err)?;
    if args.summary.is_some() {
        writeln!(out, "  summary set").map_err(io_err)?;
    }
    if let Some((initiative, id)) = added {
        let what = if initiative {
            "initiative"
        } else {
            "pain point"
        };
        writeln!(out, "  added {what} `{id}`").map_err(io_err)?;
    }
    Ok(0)
}

pub fn respondent(sources: &Sources, args: &RespondentArgs, out: &mut dyn Write) -> Result<i32> {
    let id = args.id.trim();
    if !crate::validate::is_valid_id(id) {
        return Err(Error::Usage(format!(
            "`{}` is not a valid respondent id: use lowercase letters, digits and dashes (e.g. `finance-it`)",
            args.id
        )));
    }
    if args.name.trim().is_empty() {
        return Err(Error::Usage("--name must not be empty".into()));
    }
    let content = sources.content_strict()?;
    let now = now();
    let mut added = false;
    workspace::update_assessment(&args.file, &content, |a| {
        let r = crate::model::Respondent {
            id: id.to_string(),
            name: args.name.trim().to_string(),
            role: args.role.clone().unwrap_or_default(),
            team: args.team.clone().unwrap_or_default(),
        };
        match a.respondents.iter_mut().find(|x| x.id == id) {
            Some(x) => {
                x.name = r.name;
                if args.role.is_some() {
                    x.role = r.role;
                }
                if args.team.is_some() {
                    x.team = r.team;
                }
            }
            None => {
                a.respondents.push(r);
                added = true;
            }
        }
        a.canonicalise();
        a.engagement.updated = Some(now);
        Ok(())
    })?;
    writeln!(out, "saved {}", safe(&args.file.display().to_string())).map_err(io_err)?;
    writeln!(
        out,
        "  {} respondent `{}`",
        if added { "added" } else { "updated" },
        safe(id)
    )
    .map_err(io_err)?;
    Ok(0)
}

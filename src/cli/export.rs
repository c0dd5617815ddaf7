//! `stackmap export` and `stackmap trend`: load, evaluate, hand the result to `export`, write.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::report::{emit, guard};
use super::{AudienceArg, ExportArgs, ExportTo, LaneArg, TrendArgs, TrendFormat};
use crate::content::Content;
use crate::engine::{self, Evaluation};
use crate::error::{Error, Result};
use crate::export::architecture::{self, View};
use crate::export::{Filter, adr, fingerprint, tickets, trend};
use crate::model::Assessment;
use crate::report::{Audience, Input};
use crate::snapshot;
use crate::text::safe;
use crate::vocab::Horizon;
use crate::workspace::{self, Sources};

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

fn load(sources: &Sources, file: &Path) -> Result<(Content, Assessment, Evaluation)> {
    let content = sources.content_strict()?;
    let a = workspace::load_assessment(file, &content)?;
    let e = engine::evaluate_assessment(&content, &a, &file.display().to_string(), None)?;
    Ok((content, a, e))
}

pub fn export(sources: &Sources, args: &ExportArgs, out: &mut dyn Write) -> Result<i32> {
    let tickets_only = matches!(args.to, ExportTo::JiraCsv | ExportTo::Github);
    if !tickets_only && (args.lane.is_some() || args.slice.is_some()) {
        return Err(Error::Usage(
            "--lane and --slice choose tickets: they go with --to jira-csv or --to github".into(),
        ));
    }
    if args.target && !matches!(args.to, ExportTo::Structurizr | ExportTo::Backstage) {
        return Err(Error::Usage(
            "--target draws the to-be map: it goes with --to structurizr or --to backstage".into(),
        ));
    }
    let (content, a, e) = match args.to {
        ExportTo::Adr | ExportTo::Github => load(sources, &args.file)?,
        _ => {
            guard(&args.file, &args.out, args.force)?;
            load(sources, &args.file)?
        }
    };
    let input = Input {
        content: &content,
        assessment: &a,
        evaluation: &e,
        audience: match args.audience {
            AudienceArg::Client => Audience::Client,
            AudienceArg::Internal => Audience::Internal,
        },
        progress: None,
    };
    let filter = Filter {
        lane: args.lane.map(|l| match l {
            LaneArg::Immediate => Horizon::Immediate,
            LaneArg::Architecture => Horizon::Architecture,
        }),
        slice: args.slice,
    };
    let view = if args.target { View::ToBe } else { View::AsIs };
    match args.to {
        ExportTo::JiraCsv => emit(&tickets::jira_csv(&input, &filter), &args.out, out),
        ExportTo::Structurizr => emit(&architecture::structurizr(&input, view), &args.out, out),
        ExportTo::Backstage => emit(&architecture::backstage(&input, view), &args.out, out),
        ExportTo::Github => github(&input, &filter, args, out),
        ExportTo::Adr => adrs(&input, args, out),
    }
}

/// The script's path beside the JSON: `NAME.sh` for `NAME.json` (or `NAME` with no extension).
pub fn script_path(json: &Path) -> PathBuf {
    json.with_extension("sh")
}

fn github(input: &Input, f: &Filter, args: &ExportArgs, out: &mut dyn Write) -> Result<i32> {
    let Some(json) = args.out.clone().filter(|p| p.as_os_str() != "-") else {
        return Err(Error::Usage(
            "--to github writes two files, the issues and the script that creates them: give -o FILE.json".into(),
        ));
    };
    let script = script_path(&json);
    if script == json {
        return Err(Error::Usage(format!(
            "-o {} would put the script over the issues; name the JSON FILE.json",
            json.display()
        )));
    }
    guard(&args.file, &Some(json.clone()), args.force)?;
    guard(&args.file, &Some(script.clone()), args.force)?;
    let issues = tickets::github_issues(input, f);
    let name = json
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    crate::save::write_output(&json, &tickets::github_json(input, &issues)).map_err(io(&json))?;
    crate::save::write_output(&script, &tickets::github_script(&name, &issues))
        .map_err(io(&script))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(&script)
            && m.is_file()
        {
            let mut p = m.permissions();
            p.set_mode(p.mode() | 0o100);
            let _ = std::fs::set_permissions(&script, p);
        }
    }
    writeln!(
        out,
        "wrote {} issue{} to {} and the script that creates them to {} (review it, then run it)",
        issues.len(),
        if issues.len() == 1 { "" } else { "s" },
        json.display(),
        script.display()
    )
    .map_err(io(&json))?;
    Ok(0)
}

fn adrs(input: &Input, args: &ExportArgs, out: &mut dyn Write) -> Result<i32> {
    let Some(dir) = args.out.clone().filter(|p| p.as_os_str() != "-") else {
        return Err(Error::Usage(
            "--to adr writes one file per decision: give -o DIR".into(),
        ));
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let mpath = dir.join(adr::MANIFEST);
    let manifest = match std::fs::read_to_string(&mpath) {
        Ok(t) => adr::Manifest::parse(&t).ok_or_else(|| {
            Error::Usage(format!(
                "{} is not a stackmap ADR manifest; move it away to start numbering afresh",
                mpath.display()
            ))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => adr::Manifest::default(),
        Err(e) => return Err(io(&mpath)(e)),
    };
    let drafts = adr::plan(input, &manifest);
    let mut written: Vec<&adr::Draft> = Vec::new();
    let (mut new, mut updated, mut same, mut kept) = (0, 0, 0, Vec::new());
    for d in &drafts {
        let path = dir.join(&d.file);
        let current = std::fs::read_to_string(&path).ok();
        let known = manifest.adrs.get(&d.id);
        match current {
            Some(c) if c == d.text => {
                same += 1;
                written.push(d);
            }
            Some(c) if !args.force && known.is_none_or(|k| k.fingerprint != fingerprint(&c)) => {
                kept.push(d.file.clone());
            }
            current => {
                crate::save::write_output(&path, &d.text).map_err(io(&path))?;
                if current.is_some() {
                    updated += 1;
                } else {
                    new += 1;
                }
                written.push(d);
            }
        }
    }
    let m = adr::updated(&manifest, &written);
    let text = m.to_text();
    if std::fs::read_to_string(&mpath).ok().as_deref() != Some(text.as_str()) {
        crate::save::write_output(&mpath, &text).map_err(io(&mpath))?;
    }
    let w = |e| io(&dir)(e);
    writeln!(
        out,
        "{}: {} ADR draft{} ({new} new, {updated} updated, {same} unchanged, {} kept as edited)",
        dir.display(),
        drafts.len(),
        if drafts.len() == 1 { "" } else { "s" },
        kept.len()
    )
    .map_err(w)?;
    for k in &kept {
        writeln!(
            out,
            "kept {}: edited since stackmap wrote it; --force replaces it",
            safe(k)
        )
        .map_err(w)?;
    }
    Ok(0)
}

/// A snapshot or the live file, loaded and scored with its own content.
pub struct Loaded {
    pub label: String,
    pub date: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub live: bool,
    pub content: Option<Content>,
    pub assessment: Assessment,
    pub evaluation: Evaluation,
}

/// The snapshots of `file`, oldest first, each scored with its frozen content; warnings for
/// files in the folder that are not snapshots.
pub fn snapshots(file: &Path) -> (Vec<Loaded>, Vec<String>) {
    let (all, mut skipped) = snapshot::list(file);
    let mut out = Vec::new();
    for (p, s) in all {
        match engine::evaluate_assessment(&s.content, &s.assessment, &p.display().to_string(), None)
        {
            Ok(e) => out.push(Loaded {
                label: s.label.clone(),
                date: Some(s.taken_at),
                live: false,
                assessment: s.assessment.clone(),
                content: Some(s.content.clone()),
                evaluation: e,
            }),
            Err(err) => skipped.push(format!("skipped {}: {err}", p.display())),
        }
    }
    (out, skipped)
}

/// The trend over the snapshots of `file` and the live file (`content`, `a`, `e`); `None`
/// when it has no snapshots.
pub fn trend_of(
    file: &Path,
    content: &Content,
    a: &Assessment,
    e: &Evaluation,
) -> (Option<trend::Trend>, Vec<String>) {
    let (loaded, skipped) = snapshots(file);
    if loaded.is_empty() {
        return (None, skipped);
    }
    let mut sources: Vec<trend::Source> = loaded
        .iter()
        .map(|l| trend::Source {
            label: l.label.clone(),
            date: l.date,
            live: false,
            content: l.content.as_ref().unwrap_or(content),
            assessment: &l.assessment,
            evaluation: &l.evaluation,
        })
        .collect();
    sources.push(trend::Source {
        label: "live".into(),
        date: a.engagement.updated,
        live: true,
        content,
        assessment: a,
        evaluation: e,
    });
    (Some(trend::trend(&sources)), skipped)
}

pub fn trend(sources: &Sources, args: &TrendArgs, out: &mut dyn Write) -> Result<i32> {
    let (content, a, e) = load(sources, &args.file)?;
    snapshot::check_folder(&args.file)?;
    let (t, skipped) = trend_of(&args.file, &content, &a, &e);
    for w in &skipped {
        eprintln!("warning: {}", safe(w));
    }
    let t = t.unwrap_or_else(|| {
        trend::trend(&[trend::Source {
            label: "live".into(),
            date: a.engagement.updated,
            live: true,
            content: &content,
            assessment: &a,
            evaluation: &e,
        }])
    });
    let text = match args.format {
        TrendFormat::Text => trend::text(&t),
        TrendFormat::Md => trend::markdown(&t),
        TrendFormat::Json => trend::json(&t),
    };
    out.write_all(text.as_bytes())
        .map_err(io(Path::new("<output>")))?;
    Ok(0)
}

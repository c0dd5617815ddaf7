//! One function per command. Each writes its output to `out`, diagnostics to `err`, and
//! returns the exit code: 0 ok, 2 bad input. `main` turns an `Err` into a message and 2.

use std::io::{self, Write};

use clap::CommandFactory;
use serde::Serialize;

use super::output::{json, table};
use super::{CheckArgs, Cli, Command, CompletionsArgs, Format, ListArgs, ListWhat, NewArgs};
use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::model::*;
use crate::paths::Dirs;
use crate::vocab::*;
use crate::workspace::{self, Sources};

/// Runs a parsed command line.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let sources = Sources {
        dirs: Dirs::resolve(cli.global.home.as_deref()),
        questionnaire_dirs: cli.global.questionnaires.clone(),
        profile_dirs: cli.global.profiles.clone(),
    };
    let io = |e: io::Error| Error::Io {
        path: "<output>".into(),
        source: e,
    };
    let Some(command) = cli.command else {
        return crate::tui::run(&sources, None);
    };
    match command {
        Command::Open(args) => crate::tui::run(&sources, Some(args.file)),
        Command::Demo(args) => demo(&sources, &args, out, err),
        Command::New(args) => new(&sources, &args, out).map_err(|e| match e {
            NewError::Lib(e) => e,
            NewError::Io(e) => io(e),
        }),
        Command::Check(args) => check(&sources, &args, out, err).map_err(io),
        Command::List(args) => list(&sources, &args, out, err).map_err(io),
        Command::Answer(args) => super::score::answer(&sources, &args, out, err),
        Command::Own(args) => super::edit::own(&sources, &args, out),
        Command::Respondent(args) => super::edit::respondent(&sources, &args, out),
        Command::Merge(args) => super::merge::merge(&sources, &args, out, err),
        Command::Settle(args) => super::merge::settle(&sources, &args, out),
        Command::Engagement(args) => super::edit::engagement(&sources, &args, out),
        Command::Questions(args) => super::preread::questions(&sources, &args, out),
        Command::Import(args) if args.answers.is_some() => {
            super::preread::import_answers(&sources, &args, out, err)
        }
        Command::Import(args) => super::import::import(&sources, &args, out, err),
        Command::Remove(args) => super::remove::remove(&sources, &args, out),
        Command::Score(args) => super::score::score(&sources, &args, out, err),
        Command::Report(args) => super::report::report(&sources, &args, out),
        Command::Map(args) => super::report::map(&sources, &args, out),
        Command::Export(args) => super::export::export(&sources, &args, out),
        Command::Trend(args) => super::export::trend(&sources, &args, out),
        Command::Snapshot(args) => super::snapshots::snapshot(&sources, &args, out),
        Command::Snapshots(args) => super::snapshots::list(&args, out),
        Command::Diff(args) => super::snapshots::diff(&sources, &args, out),
        Command::Completions(args) => completions(&args, out).map(|()| 0).map_err(io),
        Command::Man => man(out).map(|()| 0).map_err(io),
    }
}

fn print_diagnostics(err: &mut dyn Write, diags: &[Diagnostic]) -> io::Result<()> {
    for d in diags {
        writeln!(err, "{d}")?;
    }
    Ok(())
}

fn errors(diags: &[Diagnostic]) -> usize {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

// ---------------------------------------------------------------------------------------
// new

enum NewError {
    Lib(Error),
    Io(io::Error),
}

impl From<Error> for NewError {
    fn from(e: Error) -> Self {
        NewError::Lib(e)
    }
}

fn new(sources: &Sources, args: &NewArgs, out: &mut dyn Write) -> Result<i32, NewError> {
    let content = sources.content_strict()?;
    for (i, id) in args.profile.iter().enumerate() {
        if id.contains(PROFILE_JOIN) || content.profiles.iter().all(|p| &p.id != id) {
            let hint = crate::diag::hint_or(
                id,
                content.profiles.iter().map(|p| p.id.as_str()),
                crate::content::LIST_PROFILES,
            );
            return Err(Error::Usage(format!("unknown profile `{id}`{hint}")).into());
        }
        if args.profile[..i].contains(id) {
            return Err(
                Error::Usage(format!("--profile `{id}` is given twice; give it once")).into(),
            );
        }
    }
    if args.client.trim().is_empty() {
        return Err(Error::Usage("--client must not be empty".into()).into());
    }
    if args.file.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; choose another path (stackmap never overwrites an assessment with a new one)",
            args.file.display()
        ))
        .into());
    }
    let now = chrono::Utc::now().with_nanosecond_zero().fixed_offset();
    let assessment = Assessment::new(
        args.client.clone(),
        args.title
            .clone()
            .unwrap_or_else(|| format!("{} assessment", args.client)),
        join_profiles(&args.profile),
        args.assessor.clone().unwrap_or_default(),
        now,
    );
    let text = crate::save::to_toml(&assessment);
    crate::save::write_atomic(&args.file, &text).map_err(|e| {
        NewError::Lib(Error::Io {
            path: args.file.clone(),
            source: e,
        })
    })?;
    writeln!(
        out,
        "{}",
        crate::text::safe(&args.file.display().to_string())
    )
    .map_err(NewError::Io)?;
    Ok(0)
}

trait NoNanos {
    fn with_nanosecond_zero(self) -> Self;
}

impl NoNanos for chrono::DateTime<chrono::Utc> {
    /// Timestamps in files are to the second: sub-second noise makes diffs and reading worse.
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}

// ---------------------------------------------------------------------------------------
// demo

fn demo(
    sources: &Sources,
    args: &super::DemoArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let mut path = match &args.out {
        Some(p) => p.clone(),
        None => sources
            .dirs
            .as_ref()
            .map(|d| d.data.join(crate::demo::FILE_NAME))
            .ok_or_else(|| {
                Error::Usage(
                    "no data directory on this system: pass --out FILE or set STACKMAP_HOME".into(),
                )
            })?,
    };
    let io = |e: io::Error| Error::Io {
        path: "<output>".into(),
        source: e,
    };
    // A demo someone has edited holds their work: never replaced unless asked (`--force`).
    // In the data dir it is simply kept and named, so `stackmap score "$(stackmap demo)"`
    // works on it; `--fresh` writes a new copy beside it.
    if crate::demo::edited(&path) && !args.force {
        if args.fresh {
            let dir = path.parent().unwrap_or(std::path::Path::new("."));
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            path = workspace::free_path(dir, &stem);
        } else if args.out.is_none() {
            writeln!(
                err,
                "kept {}: it differs from the shipped demo (it holds your changes); \
                 --fresh writes a new copy beside it, --force replaces it",
                crate::text::safe(&path.display().to_string())
            )
            .map_err(io)?;
            writeln!(out, "{}", path.display()).map_err(io)?;
            return Ok(0);
        }
    }
    let written = crate::demo::write(&path, args.force)?;
    writeln!(out, "{}", written.display()).map_err(io)?;
    Ok(0)
}

// ---------------------------------------------------------------------------------------
// check

#[derive(Serialize)]
struct CheckReport<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    files: &'a [workspace::Checked],
    diagnostics: &'a [Diagnostic],
}

fn check(
    sources: &Sources,
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let (checked, diags) = if args.paths.is_empty() {
        let (content, diags) = sources.content();
        let files: Vec<workspace::Checked> = content
            .questionnaires
            .iter()
            .map(|q| (&q.source, FileKind::Questionnaire))
            .chain(
                content
                    .profiles
                    .iter()
                    .map(|p| (&p.source, FileKind::Profile)),
            )
            .map(|(s, k)| workspace::Checked {
                path: s.path().to_string(),
                kind: Some(k.as_str()),
                ok: !diags
                    .iter()
                    .any(|d| d.path == s.path() && d.severity == Severity::Error),
            })
            .collect();
        (files, diags)
    } else {
        workspace::check(sources, &args.paths)
    };
    let mut diags = diags;
    // Stable: problems in one file stay in the order they were found where positions tie.
    diags.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let n_err = errors(&diags);
    let n_warn = diags.len() - n_err;
    match args.format {
        Format::Json => json(
            out,
            &CheckReport {
                ok: n_err == 0,
                errors: n_err,
                warnings: n_warn,
                files: &checked,
                diagnostics: &diags,
            },
        )?,
        Format::Text => {
            print_diagnostics(err, &diags)?;
            let what = if args.paths.is_empty() {
                format!("{} content files in force", checked.len())
            } else {
                format!(
                    "{} file{}",
                    checked.len(),
                    if checked.len() == 1 { "" } else { "s" }
                )
            };
            if n_err == 0 {
                let warn = if n_warn > 0 {
                    format!(", {n_warn} warning(s)")
                } else {
                    String::new()
                };
                writeln!(out, "ok: checked {what}{warn}")?;
            } else {
                writeln!(err, "checked {what}: {n_err} error(s), {n_warn} warning(s)")?;
            }
        }
    }
    Ok(if n_err == 0 { 0 } else { 2 })
}

// ---------------------------------------------------------------------------------------
// list

#[derive(Serialize)]
struct QuestionnaireItem<'a> {
    id: &'a str,
    title: &'a str,
    version: u32,
    scope: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimension: Option<&'static str>,
    source: String,
    question_count: usize,
    /// Questions that cite at least one source.
    sourced: usize,
    finding_count: usize,
}

#[derive(Serialize)]
struct ProfileItem<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    source: String,
    questionnaires: Vec<&'a str>,
    scenarios: Vec<&'static str>,
    slice_budget: u32,
}

#[derive(Serialize)]
struct FindingItem<'a> {
    id: &'a str,
    /// The decision this finding groups into (decision overrides name this id).
    decision: &'a str,
    title: &'a str,
    horizon: &'static str,
    impact: u8,
    risk: u8,
    effort: u8,
    questionnaire: &'a str,
}

#[derive(Serialize)]
struct VocabItem {
    id: &'static str,
    description: &'static str,
}

fn vocab_items<T: Vocab>(describe: fn(T) -> &'static str) -> Vec<VocabItem> {
    T::all()
        .iter()
        .map(|v| VocabItem {
            id: v.as_str(),
            description: describe(*v),
        })
        .collect()
}

fn list(
    sources: &Sources,
    args: &ListArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let (content, diags) = sources.content();
    print_diagnostics(err, &diags)?;
    let code = if errors(&diags) > 0 { 2 } else { 0 };
    let vocab: Option<Vec<VocabItem>> = match args.what {
        ListWhat::Objects => Some(vocab_items::<DataObject>(DataObject::description)),
        ListWhat::Categories => Some(vocab_items::<Category>(Category::description)),
        ListWhat::Capabilities => Some(vocab_items::<Capability>(Capability::description)),
        ListWhat::Dimensions => Some(vocab_items::<Dimension>(Dimension::description)),
        ListWhat::Scenarios => Some(vocab_items::<Scenario>(Scenario::description)),
        _ => None,
    };
    if let Some(items) = vocab {
        match args.format {
            Format::Json => json(out, &items)?,
            Format::Text => table(
                out,
                &["ID", "DESCRIPTION"],
                &items
                    .iter()
                    .map(|i| vec![i.id.to_string(), i.description.to_string()])
                    .collect::<Vec<_>>(),
            )?,
        }
        return Ok(code);
    }
    match args.what {
        ListWhat::Questionnaires => {
            let items: Vec<QuestionnaireItem> = content
                .questionnaires
                .iter()
                .map(|q| QuestionnaireItem {
                    id: &q.id,
                    title: &q.title,
                    version: q.version,
                    scope: q.scope.as_str(),
                    categories: q.categories.iter().map(|c| c.as_str()).collect(),
                    dimension: q.dimension.map(|d| d.as_str()),
                    source: q.source.label(),
                    question_count: q.question_count(),
                    sourced: q.questions().filter(|(_, x)| !x.sources.is_empty()).count(),
                    finding_count: q.findings.len(),
                })
                .collect();
            match args.format {
                Format::Json => json(out, &items)?,
                Format::Text => table(
                    out,
                    &[
                        "ID",
                        "SCOPE",
                        "VERSION",
                        "QUESTIONS",
                        "FINDINGS",
                        "SOURCE",
                        "TITLE",
                    ],
                    &items
                        .iter()
                        .map(|i| {
                            vec![
                                i.id.to_string(),
                                i.scope.to_string(),
                                i.version.to_string(),
                                i.question_count.to_string(),
                                i.finding_count.to_string(),
                                i.source.clone(),
                                i.title.to_string(),
                            ]
                        })
                        .collect::<Vec<_>>(),
                )?,
            }
        }
        ListWhat::Profiles => {
            let items: Vec<ProfileItem> = content
                .profiles
                .iter()
                .map(|p| ProfileItem {
                    id: &p.id,
                    title: &p.title,
                    description: &p.description,
                    source: p.source.label(),
                    questionnaires: p.questionnaires.iter().map(|i| i.id.id.as_str()).collect(),
                    scenarios: p.scenarios.iter().map(|s| s.as_str()).collect(),
                    slice_budget: p.slice_budget,
                })
                .collect();
            match args.format {
                Format::Json => json(out, &items)?,
                Format::Text => table(
                    out,
                    &["ID", "QUESTIONNAIRES", "SOURCE", "TITLE"],
                    &items
                        .iter()
                        .map(|i| {
                            vec![
                                i.id.to_string(),
                                i.questionnaires.len().to_string(),
                                i.source.clone(),
                                i.title.to_string(),
                            ]
                        })
                        .collect::<Vec<_>>(),
                )?,
            }
        }
        ListWhat::Findings => {
            let mut items: Vec<FindingItem> = content
                .questionnaires
                .iter()
                .flat_map(|q| {
                    q.findings.iter().map(move |f| FindingItem {
                        id: &f.id,
                        decision: f.decision_id(),
                        title: &f.title,
                        horizon: f.horizon.as_str(),
                        impact: f.impact,
                        risk: f.risk,
                        effort: f.effort,
                        questionnaire: &q.id,
                    })
                })
                .collect();
            items.sort_by(|a, b| a.id.cmp(b.id));
            match args.format {
                Format::Json => json(out, &items)?,
                Format::Text => table(
                    out,
                    &[
                        "ID",
                        "DECISION",
                        "HORIZON",
                        "I/R/E",
                        "QUESTIONNAIRE",
                        "TITLE",
                    ],
                    &items
                        .iter()
                        .map(|i| {
                            vec![
                                i.id.to_string(),
                                i.decision.to_string(),
                                i.horizon.to_string(),
                                format!("{}/{}/{}", i.impact, i.risk, i.effort),
                                i.questionnaire.to_string(),
                                i.title.to_string(),
                            ]
                        })
                        .collect::<Vec<_>>(),
                )?,
            }
        }
        _ => {}
    }
    if args.format == Format::Text {
        for (kind, id, source) in &content.overridden {
            writeln!(
                err,
                "note: {kind} `{id}` from {} is overridden",
                source.path()
            )?;
        }
    }
    Ok(code)
}

// ---------------------------------------------------------------------------------------
// completions, man

fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "stackmap", out);
    out.flush()
}

fn man(out: &mut dyn Write) -> io::Result<()> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd).render(out)?;
    out.flush()
}

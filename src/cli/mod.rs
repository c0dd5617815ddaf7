//! The command line: clap definitions here, one function per command in `commands`.
//!
//! Command and flag names are a contract with scripts outside stackmap; add, never rename.
//! Commands that later issues own (`answer`, `score`, `report`, ...) are absent until they
//! exist, rather than stubbed.

pub mod commands;
pub mod output;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A terminal workbench for commerce-integration architects.
///
/// stackmap steps an assessor through questionnaires on ownership, vendor fit, overlap,
/// coupling and integration flows, scores the answers and builds a ranked decision list.
#[derive(Debug, Parser)]
#[command(
    name = "stackmap",
    version,
    about,
    long_about,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Extra questionnaires: every *.toml in DIR; a file with an embedded file's id replaces it
    #[arg(long = "questionnaires", value_name = "DIR", global = true)]
    pub questionnaires: Vec<PathBuf>,

    /// Extra profiles: every *.toml in DIR; a file with an embedded file's id replaces it
    #[arg(long = "profiles", value_name = "DIR", global = true)]
    pub profiles: Vec<PathBuf>,

    /// Keep config (user content) and data (assessments) under DIR/config and DIR/data
    #[arg(long, value_name = "DIR", env = "STACKMAP_HOME", global = true)]
    pub home: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new assessment file
    New(NewArgs),
    /// Check files of any kind (questionnaire, profile, assessment, snapshot), or all content in force
    Check(CheckArgs),
    /// List questionnaires, profiles or a fixed vocabulary
    List(ListArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Where to write the assessment (refused if it exists)
    pub file: PathBuf,
    /// The client's name
    #[arg(long)]
    pub client: String,
    /// The scenario profile (`stackmap list profiles`)
    #[arg(long)]
    pub profile: String,
    /// A title for the engagement [default: "<client> assessment"]
    #[arg(long)]
    pub title: Option<String>,
    /// Who runs the assessment
    #[arg(long, env = "STACKMAP_ASSESSOR")]
    pub assessor: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check; none checks all content in force
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list
    #[arg(value_enum)]
    pub what: ListWhat,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Questionnaires,
    Profiles,
    Findings,
    Objects,
    Categories,
    Capabilities,
    Dimensions,
    Scenarios,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

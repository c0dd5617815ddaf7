//! The command line: clap definitions here, one function per command in `commands`.
//!
//! Command and flag names are a contract with scripts outside stackmap; add, never rename.
//! Commands that later issues own (`answer`, `score`, `report`, ...) are absent until they
//! exist, rather than stubbed.

pub mod commands;
pub mod edit;
pub mod export;
pub mod import;
pub mod merge;
pub mod output;
pub mod preread;
pub mod remove;
pub mod report;
pub mod score;
pub mod snapshots;

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

    /// Without a command, stackmap opens its screen (the home screen)
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// Open an assessment in the interview screen, on the first unanswered question
    Open(OpenArgs),
    /// Write the demo engagement (a mid-market retailer mid-replatform) and print its path
    Demo(DemoArgs),
    /// Create a new assessment file
    New(NewArgs),
    /// Check files of any kind (questionnaire, profile, assessment, snapshot), or all content in force
    Check(CheckArgs),
    /// List questionnaires, profiles or a fixed vocabulary
    List(ListArgs),
    /// Record one answer in an assessment, or mark the rest of a questionnaire unknown (saved atomically)
    Answer(AnswerArgs),
    /// Add a respondent (a person interviewed) to an assessment, or change one (saved atomically)
    Respondent(RespondentArgs),
    /// Merge two assessment files of one engagement (optionally three-way with --base); exit 1 when conflicts remain
    Merge(MergeArgs),
    /// Settle one `[[conflict]]` a merge left: keep the file's side or the other file's (saved atomically)
    Settle(SettleArgs),
    /// Say who owns a data object: the owner today, the target, writers and readers, per scope (saved atomically)
    Own(OwnArgs),
    /// Set the engagement's summary, or add a pain point or an initiative (saved atomically)
    Engagement(EngagementArgs),
    /// Write the questions the profile asks, in interview order, for the client to fill in (CSV or Markdown)
    Questions(QuestionsArgs),
    /// Add systems and flows from a client's CSV files, or read answers back from a filled-in questions CSV (all rows or none)
    Import(ImportArgs),
    /// Remove a system or a flow and everything that goes with it (saved atomically)
    Remove(RemoveArgs),
    /// Score an assessment: dimensions, findings, the ranked decision list and the roadmap
    Score(ScoreArgs),
    /// Write the report a client keeps: Markdown, self-contained HTML, the decision list as CSV, or JSON
    Report(ReportArgs),
    /// Draw the ecosystem map as Mermaid or Graphviz DOT
    Map(MapArgs),
    /// Hand the work over: decisions as Jira CSV or GitHub issues, architecture decisions as MADR drafts, the map as Structurizr DSL or a Backstage catalog
    Export(ExportArgs),
    /// Progress across the snapshots and the live file: scores, coverage, decisions and open questions, and what changed between each two
    Trend(TrendArgs),
    /// Freeze the assessment under a label, with its result and the content it was scored with
    Snapshot(SnapshotArgs),
    /// List an assessment's snapshots
    Snapshots(SnapshotsArgs),
    /// What changed between two assessments or snapshots (FILE, SNAPSHOT or FILE@LABEL)
    Diff(DiffArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The assessment file
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write it [default: the data dir]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing file that differs from the shipped demo
    #[arg(long, conflicts_with = "fresh")]
    pub force: bool,
    /// Write a new copy of the shipped demo beside an existing one that differs (NAME-2.toml,
    /// ...), keeping the edited one
    #[arg(long)]
    pub fresh: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Where to write the assessment (refused if it exists)
    pub file: PathBuf,
    /// The client's name
    #[arg(long)]
    pub client: String,
    /// The scenario profile (`stackmap list profiles`); repeat it for an engagement that is
    /// several scenarios at once (their questions are asked together)
    #[arg(long, required = true)]
    pub profile: Vec<String>,
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
#[command(group(clap::ArgGroup::new("answer").required(true).args(["value", "unknown", "na", "rest_unknown", "confirm"])))]
pub struct AnswerArgs {
    /// The assessment file
    pub file: PathBuf,
    /// The questionnaire id
    #[arg(long)]
    pub questionnaire: String,
    /// The system or flow id, for system- and flow-scope questionnaires
    #[arg(long)]
    pub subject: Option<String>,
    /// The question id
    #[arg(long, required_unless_present = "rest_unknown")]
    pub question: Option<String>,
    /// The answer: an option id; option ids separated by commas for multi; a number; text; a system id
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<String>,
    /// The answer is not known yet
    #[arg(long)]
    pub unknown: bool,
    /// The question does not apply
    #[arg(long)]
    pub na: bool,
    /// Confirm the answer read from the inventory (`inferred = true`): it becomes an ordinary
    /// answer, with --confidence (default `stated`)
    #[arg(long)]
    pub confirm: bool,
    /// Mark every applicable question of the questionnaire (and --subject) that has no answer
    /// yet as unknown; answers given stay as they are
    #[arg(long, conflicts_with_all = ["question", "note", "private", "evidence", "confidence"])]
    pub rest_unknown: bool,
    /// A note, stored exactly as given
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Keep the note out of client reports
    #[arg(long)]
    pub private: bool,
    /// A link or reference to evidence (repeatable)
    #[arg(long)]
    pub evidence: Vec<String>,
    /// How sure the answer is
    #[arg(long, value_parser = ["verified", "stated", "assumed"])]
    pub confidence: Option<String>,
    /// Who gave the answer [default: STACKMAP_ASSESSOR, else the engagement's assessor]
    #[arg(long, env = "STACKMAP_ASSESSOR")]
    pub by: Option<String>,
    /// The respondent (a `[[respondent]]` id) whose answer this is; left out, the assessor's own
    #[arg(long, value_name = "ID")]
    pub respondent: Option<String>,
    /// Mark the answer as the one that counts (`final = true`), clearing the mark on the others
    #[arg(long = "final", conflicts_with = "rest_unknown")]
    pub is_final: bool,
}

#[derive(Debug, Args)]
pub struct RespondentArgs {
    /// The assessment file
    pub file: PathBuf,
    /// The respondent's id (lowercase letters, digits and dashes), named by answers' `respondent`
    #[arg(long)]
    pub id: String,
    /// The person's name
    #[arg(long)]
    pub name: String,
    /// Their role (e.g. "E-commerce lead")
    #[arg(long)]
    pub role: Option<String>,
    /// Their team (e.g. "Finance IT")
    #[arg(long)]
    pub team: Option<String>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The first assessment file ("ours")
    pub a: PathBuf,
    /// The second assessment file ("theirs")
    pub b: PathBuf,
    /// The common ancestor: a three-way merge (a deletion on one side is kept; a change on one side wins)
    #[arg(long, value_name = "FILE")]
    pub base: Option<PathBuf>,
    /// Where to write the merged file (may be A itself, as a git merge driver does)
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SettleArgs {
    /// The merged assessment file
    pub file: PathBuf,
    /// The conflict's id (`stackmap check FILE` lists them)
    #[arg(long, value_name = "ID")]
    pub conflict: String,
    /// Which side to keep: `ours` (the version in the file) or `theirs` (the other file's)
    #[arg(long, value_name = "SIDE", value_parser = ["ours", "theirs"])]
    pub keep: String,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("csv").required(true).multiple(true).args(["systems", "flows", "answers"])))]
pub struct ImportArgs {
    /// The assessment file to add to
    pub file: PathBuf,
    /// A CSV file of systems (header: name,category,... ; see docs/FORMATS.md)
    #[arg(long, value_name = "CSV")]
    pub systems: Option<PathBuf>,
    /// A CSV file of flows (header: from,to,mechanism,...); they may name systems of FILE or of --systems
    #[arg(long, value_name = "CSV")]
    pub flows: Option<PathBuf>,
    /// A filled-in questions CSV (`stackmap questions --format csv`): its answers, notes,
    /// confidence and who answered are recorded (see docs/FORMATS.md)
    #[arg(long, value_name = "CSV", conflicts_with_all = ["systems", "flows"])]
    pub answers: Option<std::path::PathBuf>,
    /// With --answers: replace answers that differ from the file's instead of skipping them
    #[arg(long, requires = "answers")]
    pub overwrite: bool,
    /// Check the files and say what would be added, without writing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct OwnArgs {
    /// The assessment file
    pub file: PathBuf,
    /// The data object (`stackmap list objects`), e.g. product, price, order
    pub object: String,
    /// The system that is the source of truth today (`--owner ''` clears it)
    #[arg(long, value_name = "SYSTEM")]
    pub owner: Option<String>,
    /// The system that should be the source of truth (`--target ''` clears it)
    #[arg(long, value_name = "SYSTEM")]
    pub target: Option<String>,
    /// The systems that write it, separated by commas; replaces the list (`--writers ''` empties it)
    #[arg(long, value_name = "ID,...")]
    pub writers: Option<String>,
    /// The systems that read it, separated by commas; replaces the list (`--readers ''` empties it)
    #[arg(long, value_name = "ID,...")]
    pub readers: Option<String>,
    /// A note on the object's ownership, stored exactly as given
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Say it for one scope (a brand, region or channel label) only: written under
    /// `[ownership.OBJECT.scope.LABEL]`
    #[arg(long, value_name = "LABEL")]
    pub scope: Option<String>,
    /// Record what a respondent said owns it (with --said; `--said ''` forgets it): `said` in the entry
    #[arg(long, value_name = "ID", requires = "said")]
    pub respondent: Option<String>,
    /// The system the respondent named as the owner (with --respondent)
    #[arg(long, value_name = "SYSTEM", requires = "respondent")]
    pub said: Option<String>,
    /// Settle the owner (`final = true`): what respondents said otherwise is no longer a disagreement
    #[arg(long = "final")]
    pub is_final: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["summary", "pain_point", "initiative"])))]
pub struct EngagementArgs {
    /// The assessment file
    pub file: PathBuf,
    /// The engagement's summary, replacing the one there (`--summary ''` clears it)
    #[arg(long, allow_hyphen_values = true)]
    pub summary: Option<String>,
    /// Add a pain point: a problem the client names
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        conflicts_with = "initiative"
    )]
    pub pain_point: Option<String>,
    /// Add an initiative: a change the client plans
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub initiative: Option<String>,
    /// What the pain point or initiative is about: system, flow or data object ids, separated by commas
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub about: Vec<String>,
}

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// The assessment file
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = QuestionsFormat::Csv)]
    pub format: QuestionsFormat,
    /// Write to OUT instead of stdout (atomically)
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Who reads it: `client` leaves out private notes
    #[arg(long, value_enum, default_value_t = AudienceArg::Client)]
    pub audience: AudienceArg,
    /// Replace OUT even if it holds an assessment or a snapshot
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuestionsFormat {
    Csv,
    Md,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["system", "flow"])))]
pub struct RemoveArgs {
    /// The assessment file
    pub file: PathBuf,
    /// A system: it goes with its flows (from, to or via it), the answers about it, about them
    /// or picking it, its places in the ownership map and its links from notes
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    /// A flow: it goes with the answers about it and its links from notes
    #[arg(long, value_name = "ID")]
    pub flow: Option<String>,
    /// Say what would go, without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// With --system, a hub: keep the flows that pass through it, made direct (from their
    /// source to their destination), instead of removing them with it
    #[arg(long, requires = "system")]
    pub keep_flows_direct: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The assessment file
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a condition holds, e.g. `immediate>=20`, `overall<60`, `coverage<0.8`,
    /// `finding=duplicate-creates` (repeatable)
    #[arg(long = "fail-on", value_name = "GATE")]
    pub fail_on: Vec<String>,
    /// The effort a roadmap slice may hold [default: the profile's slice_budget]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub slice_budget: Option<u32>,
    /// In text output, show every reason behind each decision (default: the first three) and
    /// every open question (default: the first ten)
    #[arg(long)]
    pub all_reasons: bool,
    /// In JSON output, add `questions`: every question asked of every subject, with its
    /// applicability, state and score (0–100)
    #[arg(long)]
    pub questions: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The assessment file
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write to OUT instead of stdout (atomically)
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Who reads it: `client` leaves out private notes and override reasons
    #[arg(long, value_enum, default_value_t = AudienceArg::Client)]
    pub audience: AudienceArg,
    /// Replace OUT even if it holds an assessment or a snapshot
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    Client,
    Internal,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    /// The assessment file
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = MapFormat::Mermaid)]
    pub format: MapFormat,
    /// Write to OUT instead of stdout (atomically)
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Replace OUT even if it holds an assessment or a snapshot
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The assessment file
    pub file: PathBuf,
    /// What to write
    #[arg(long, value_enum)]
    pub to: ExportTo,
    /// Write to OUT instead of stdout (atomically); for `github` the JSON file (the script goes
    /// beside it as NAME.sh), for `adr` the folder of drafts
    #[arg(short = 'o', long = "out", value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Who reads it: `client` leaves out the reasons for hand-set priorities
    #[arg(long, value_enum, default_value_t = AudienceArg::Client)]
    pub audience: AudienceArg,
    /// Tickets of one lane only (jira-csv, github)
    #[arg(long, value_enum)]
    pub lane: Option<LaneArg>,
    /// Tickets of one roadmap slice only (jira-csv, github)
    #[arg(long, value_name = "N")]
    pub slice: Option<u32>,
    /// Draw the to-be landscape instead of the as-is one (structurizr, backstage)
    #[arg(long)]
    pub target: bool,
    /// Replace OUT even if it holds an assessment or a snapshot; for `adr`, replace drafts
    /// edited since stackmap wrote them
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportTo {
    JiraCsv,
    Github,
    Adr,
    Structurizr,
    Backstage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LaneArg {
    Immediate,
    Architecture,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// The assessment file
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = TrendFormat::Text)]
    pub format: TrendFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendFormat {
    Text,
    Md,
    Json,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The assessment file
    pub file: PathBuf,
    /// A label for it, e.g. "workshop 2" (unique per assessment)
    #[arg(long)]
    pub label: String,
}

#[derive(Debug, Args)]
pub struct SnapshotsArgs {
    /// The assessment file
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older side: an assessment, a snapshot file, or FILE@LABEL
    pub a: String,
    /// The newer side
    pub b: String,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when anything differs, 0 when nothing does (like `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Md,
    Json,
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

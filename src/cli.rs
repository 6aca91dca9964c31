//! The command line: every subcommand and flag, parsed with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::window::{DateField, Window};

/// Sparky turns an organisation's git history into a trustworthy development blog.
#[derive(Debug, Parser)]
#[command(name = "sparky", version, about, propagate_version = true)]
pub struct Cli {
    /// More logging (-v: debug, -vv: trace). `SPARKY_LOG` takes a full filter.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Never draw progress bars (they are hidden anyway when stderr is not a terminal).
    #[arg(long, global = true)]
    pub no_progress: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the reports (daily digests, weekly reports, monthly reviews) into the Quartz content
    /// folder. Without a config, builds the bundled demo organisation.
    Build(BuildArgs),
    /// Compute facts for a day, ISO week, month or the whole history, per repository and org.
    Facts(FactsArgs),
    /// Check a Quartz content folder: every Sparky page's front matter, facts file, headings,
    /// links, markup and numbers. Exits 1 when it finds a problem, for use in CI.
    Check(CheckArgs),
    /// Print the social-media drafts (X, Bluesky, Mastodon, LinkedIn) of one report, as
    /// `sparky build` writes them into the social folder.
    Social(SocialArgs),
    /// Create or update the bare mirrors of every configured repository.
    Mirror(MirrorArgs),
    /// Write a fully commented default `sparky.toml` (with --docs-repo: also the recipes and the
    /// CI workflow a Quartz docs repository needs).
    Init(InitArgs),
    /// Commit the files Sparky wrote (only those) into the docs repository and push them.
    Publish(PublishArgs),
    /// Work with the report templates.
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in templates into DIR to start customising them (set
    /// `[output] templates_dir` to use them).
    Eject {
        /// The folder to write into.
        #[arg(default_value = "sparky-templates")]
        dir: PathBuf,
        /// Overwrite templates that already exist there.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The content folder to write into (default: `[output] content_dir`, else `./content`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Use the existing mirrors without fetching (no network).
    #[arg(long)]
    pub offline: bool,
    /// Only these kinds of report (repeatable).
    #[arg(long, value_enum)]
    pub period: Vec<PeriodArg>,
    /// Only the report of this window (a day, an ISO week or a month).
    #[arg(long, short, value_parser = parse_window)]
    pub window: Option<Window>,
    /// Also write the period in progress, marked as such.
    #[arg(long)]
    pub include_partial: bool,
    /// Write nothing; print what would be created, changed and removed.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite pages a human edited and files Sparky did not write.
    #[arg(long)]
    pub force: bool,
    /// Take over the pages at Sparky's paths that Sparky did not write (an older blog's pages,
    /// say); pages of Sparky's that a human edited stay protected (`--force` overwrites those).
    #[arg(long)]
    pub adopt: bool,
    /// Print the template context of the `--window` page as JSON instead of writing.
    #[arg(long, requires = "window")]
    pub dump_context: bool,
    /// Render a page body from a context saved with `--dump-context` and print it (no git work).
    #[arg(long, value_name = "FILE", conflicts_with = "dump_context")]
    pub from_context: Option<PathBuf>,
    #[command(flatten)]
    pub periods: PeriodFlags,
    #[command(flatten)]
    pub llm: LlmArgs,
}

/// Which language model writes the prose for one run (overrides `[llm]`).
#[derive(Debug, Args, Clone, Default)]
pub struct LlmArgs {
    /// Who writes the prose: `none` (template text), `ollama`, or `openai` (an OpenAI-compatible
    /// server). Overrides `[llm] provider`.
    #[arg(long = "llm", value_name = "PROVIDER", value_enum, env = "SPARKY_LLM")]
    pub provider: Option<LlmProviderArg>,
    /// The model server's URL. Overrides `[llm] base_url`.
    #[arg(long = "llm-url", value_name = "URL", env = "SPARKY_LLM_URL")]
    pub url: Option<String>,
    /// The model's name, e.g. `llama3.2`. Overrides `[llm] model`.
    #[arg(long = "llm-model", value_name = "NAME", env = "SPARKY_LLM_MODEL")]
    pub model: Option<String>,
    /// Ask the model again instead of reusing its cached answers.
    #[arg(long)]
    pub refresh_llm: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LlmProviderArg {
    None,
    Ollama,
    Openai,
}

impl From<LlmProviderArg> for crate::config::LlmProvider {
    fn from(p: LlmProviderArg) -> Self {
        match p {
            LlmProviderArg::None => crate::config::LlmProvider::None,
            LlmProviderArg::Ollama => crate::config::LlmProvider::Ollama,
            LlmProviderArg::Openai => crate::config::LlmProvider::Openai,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PeriodArg {
    Day,
    Week,
    Month,
}

impl From<PeriodArg> for crate::config::ReportPeriod {
    fn from(p: PeriodArg) -> Self {
        match p {
            PeriodArg::Day => crate::config::ReportPeriod::Day,
            PeriodArg::Week => crate::config::ReportPeriod::Week,
            PeriodArg::Month => crate::config::ReportPeriod::Month,
        }
    }
}

/// Where the repositories come from and where the cache lives; shared by all data commands.
#[derive(Debug, Args, Clone, Default)]
pub struct SourceArgs {
    /// The config file (default: `sparky.toml` in the current folder, if present).
    #[arg(long, value_name = "FILE", env = "SPARKY_CONFIG")]
    pub config: Option<PathBuf>,
    /// A repository to read instead of the configured ones: a local path (read in place) or a URL
    /// (`https://`, `ssh://`, `file://`: mirrored). Repeatable.
    #[arg(long = "repo", value_name = "PATH_OR_URL")]
    pub repos: Vec<String>,
    /// A folder whose repositories (bare or not) are all read, instead of the configured ones.
    #[arg(long, value_name = "DIR")]
    pub repos_dir: Option<PathBuf>,
    /// The cache folder for mirrors and history (default: `.sparky/` beside the config, or in the
    /// current folder without one).
    #[arg(long, value_name = "DIR", env = "SPARKY_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FactsArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The window: a day (2025-11-14), an ISO week (2025-W49), a month (2025-11) or `all`.
    #[arg(long, short, default_value = "all", value_parser = parse_window)]
    pub window: Window,
    /// Print the facts as versioned JSON on stdout (schema: docs/facts-schema.md).
    #[arg(long)]
    pub json: bool,
    /// Use the existing mirrors without fetching (no network).
    #[arg(long)]
    pub offline: bool,
    #[command(flatten)]
    pub periods: PeriodFlags,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The content folder to check (default: `[output] content_dir` of the config, else
    /// `./content`).
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// The config file whose `[output] content_dir` is checked (default: `sparky.toml` in the
    /// current folder, if present).
    #[arg(long, value_name = "FILE", env = "SPARKY_CONFIG")]
    pub config: Option<PathBuf>,
    /// Print the findings as JSON on stdout instead of one `path:line: kind: message` line each.
    #[arg(long)]
    pub json: bool,
    /// Treat pages edited by hand (their `sparky_hash` no longer matches) as errors, not
    /// warnings.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct SocialArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The report's window: a day (2025-11-14), an ISO week (2025-W46) or a month (2025-11).
    #[arg(long, short, value_parser = parse_window)]
    pub window: Window,
    /// Print the drafts as versioned JSON (what a posting bot reads) instead of Markdown.
    #[arg(long)]
    pub json: bool,
    /// Use the existing mirrors without fetching (no network).
    #[arg(long)]
    pub offline: bool,
    #[command(flatten)]
    pub periods: PeriodFlags,
}

#[derive(Debug, Args)]
pub struct MirrorArgs {
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write `sparky.toml` into.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing `sparky.toml`.
    #[arg(long, conflicts_with = "docs_repo")]
    pub force: bool,
    /// Set up a Quartz docs repository: `sparky.toml`, `sparky.just` recipes and a GitHub Actions
    /// workflow, each only where no such file exists yet.
    #[arg(long)]
    pub docs_repo: bool,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The config file (default: `sparky.toml` in the current folder, if present).
    #[arg(long, value_name = "FILE", env = "SPARKY_CONFIG")]
    pub config: Option<PathBuf>,
    /// The cache folder holding the output manifest (default: `.sparky/` beside the config).
    #[arg(long, value_name = "DIR", env = "SPARKY_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// The content folder `sparky build --out` wrote into.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the commit that would be made; commit and push nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// How commits are placed in periods, overriding `[periods]` for one run.
#[derive(Debug, Args, Clone, Default)]
pub struct PeriodFlags {
    /// Override the configured IANA time zone (e.g. `Europe/Berlin`).
    #[arg(long, value_name = "TZ", env = "SPARKY_TIME_ZONE")]
    pub time_zone: Option<String>,
    /// Override which commit date places a commit in a period.
    #[arg(long, value_enum)]
    pub date_field: Option<DateFieldArg>,
}

impl PeriodFlags {
    pub fn overrides(&self) -> crate::settings::PeriodOverrides {
        crate::settings::PeriodOverrides {
            time_zone: self.time_zone.clone(),
            date_field: self.date_field.map(Into::into),
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DateFieldArg {
    Committer,
    Author,
}

impl From<DateFieldArg> for DateField {
    fn from(a: DateFieldArg) -> Self {
        match a {
            DateFieldArg::Committer => DateField::Committer,
            DateFieldArg::Author => DateField::Author,
        }
    }
}

fn parse_window(s: &str) -> Result<Window, String> {
    s.parse::<Window>()
        .map_err(|e| format!("{e}\nhint: {}", e.hint()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn window_flag_parses() {
        let cli = Cli::try_parse_from(["sparky", "facts", "--window", "2025-W49", "--json"])
            .expect("parses");
        let Command::Facts(f) = cli.command else {
            panic!("facts")
        };
        assert_eq!(f.window.to_string(), "2025-W49");
        assert!(Cli::try_parse_from(["sparky", "facts", "--window", "2025-W60"]).is_err());
    }
}

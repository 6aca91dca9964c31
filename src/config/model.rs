//! The typed shape of `sparky.toml`: one struct per section, each strict and defaulted.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The whole configuration file. Every section may be omitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[[repos]]`: repositories listed one by one.
    pub repos: Vec<RepoEntry>,
    /// `[sources]`: where else to look for repositories.
    pub sources: SourcesSection,
    /// `[periods]`: how commits are placed in time.
    pub periods: Periods,
    /// `[identities]`: who is who, and who is a bot.
    pub identities: Identities,
    /// `[churn]`: which files count towards line statistics.
    pub churn: Churn,
    /// `[mirror]`: how remote repositories are fetched.
    pub mirror: MirrorSection,
    /// `[cache]`: where derived data is kept.
    pub cache: CacheSection,
    /// `[output]`: which reports `sparky build` writes, and where.
    pub output: OutputSection,
    /// `[github]`: repository discovery and issue, pull request and release data from GitHub.
    pub github: GithubSection,
    /// `[publish]`: where `sparky publish` commits and pushes.
    pub publish: super::PublishSection,
    /// `[social]`: the social-media drafts written beside each report.
    pub social: super::SocialSection,
    /// `[llm]`: which language model, if any, writes the report prose.
    pub llm: super::LlmSection,
}

/// One `[[repos]]` entry: exactly one of `url` or `path`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RepoEntry {
    /// A remote (or `file://`) URL, mirrored under the cache folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A local repository, relative to the config file's folder, read in place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// The repository's name; derived from the URL or folder when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The branch to read; the repository's `HEAD` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
}

/// `[sources]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourcesSection {
    /// A folder scanned for repositories, relative to the config file's folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repos_dir: Option<PathBuf>,
}

/// `[periods]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Periods {
    /// IANA time zone name used to cut periods (weeks, months).
    pub time_zone: String,
    /// Which commit date places a commit in a period.
    pub date_field: DateField,
}

impl Default for Periods {
    fn default() -> Self {
        Periods {
            time_zone: "UTC".to_string(),
            date_field: DateField::Committer,
        }
    }
}

/// Which of a commit's two dates counts (defined with the windows it places commits in).
pub use crate::window::DateField;

/// `[identities]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Identities {
    /// An extra mailmap file, relative to the config file's folder; it must exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailmap: Option<PathBuf>,
    /// Whether [`DEFAULT_BOT_PATTERNS`](super::DEFAULT_BOT_PATTERNS) apply.
    pub default_bots: bool,
    /// Extra case-insensitive substrings matched on a name or email to mark a bot.
    pub bots: Vec<String>,
    /// Whether [`DEFAULT_AGENT_PATTERNS`](super::DEFAULT_AGENT_PATTERNS) apply.
    pub default_agents: bool,
    /// Extra patterns marking an AI coding agent: a substring of a name or email, or `=name`.
    pub agents: Vec<String>,
    /// Several emails that belong to one person.
    pub aliases: Vec<Alias>,
}

impl Default for Identities {
    fn default() -> Self {
        Identities {
            mailmap: None,
            default_bots: true,
            default_agents: true,
            agents: Vec::new(),
            bots: Vec::new(),
            aliases: Vec::new(),
        }
    }
}

/// One `[[identities.aliases]]` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Alias {
    /// The name shown for this person.
    pub name: String,
    /// Every email this person commits with.
    pub emails: Vec<String>,
}

/// `[churn]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Churn {
    /// Whether [`DEFAULT_CHURN_EXCLUDES`](super::DEFAULT_CHURN_EXCLUDES) apply.
    pub default_excludes: bool,
    /// Extra globs (globset syntax, `*` stops at `/`) of paths left out of line counts.
    pub exclude: Vec<String>,
}

impl Default for Churn {
    fn default() -> Self {
        Churn {
            default_excludes: true,
            exclude: Vec::new(),
        }
    }
}

/// `[mirror]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MirrorSection {
    /// The environment variable holding an https token; the token never goes in the file.
    pub token_env: String,
    /// How many repositories are mirrored at once, 1 to 32.
    pub jobs: usize,
}

/// The default for `[mirror] token_env`.
pub const DEFAULT_TOKEN_ENV: &str = "SPARKY_GIT_TOKEN";

impl Default for MirrorSection {
    fn default() -> Self {
        MirrorSection {
            token_env: DEFAULT_TOKEN_ENV.to_string(),
            jobs: 4,
        }
    }
}

/// `[cache]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheSection {
    /// The cache folder (mirrors, history), relative to the config file's folder.
    pub dir: PathBuf,
}

impl Default for CacheSection {
    fn default() -> Self {
        CacheSection {
            dir: PathBuf::from(".sparky"),
        }
    }
}

/// A kind of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportPeriod {
    Day,
    Week,
    Month,
}

/// `[output]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputSection {
    /// The Quartz site's content folder, relative to the config file's folder.
    pub content_dir: PathBuf,
    /// The folder under `content_dir` that holds the reports (`blog/YYYY/MM/…`).
    pub base_folder: String,
    /// The organisation's name in titles ("This Week in acme").
    pub org_name: String,
    /// The `author` of every page.
    pub author: String,
    /// Which reports to write.
    pub periods: Vec<ReportPeriod>,
    /// The first day reported on (`YYYY-MM-DD`); without it, the `recent` periods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// The last day reported on (`YYYY-MM-DD`); without it, the last complete period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Without `since`: how many recent complete periods of each kind to write.
    pub recent: u32,
    /// Whether days without commits get a (short) daily digest.
    pub quiet_days: bool,
    /// Whether weeks and months without commits get a (short) report.
    pub quiet_periods: bool,
    /// A folder whose templates override the built-in ones by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templates_dir: Option<PathBuf>,
    /// The site's public URL (with its base path), for links in social drafts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_url: Option<String>,
}

impl Default for OutputSection {
    fn default() -> Self {
        OutputSection {
            content_dir: PathBuf::from("content"),
            base_folder: "blog".to_string(),
            org_name: "the organisation".to_string(),
            author: "Sparky".to_string(),
            periods: vec![ReportPeriod::Day, ReportPeriod::Week, ReportPeriod::Month],
            since: None,
            until: None,
            recent: 8,
            quiet_days: false,
            quiet_periods: false,
            templates_dir: None,
            site_url: None,
        }
    }
}

/// `[github]`. Off unless `org` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GithubSection {
    /// The organisation whose repositories are discovered and enriched; unset turns GitHub off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The REST API's base URL (`https://<host>/api/v3` for GitHub Enterprise Server).
    pub api_url: String,
    /// The environment variable holding the API token; the token never goes in the file.
    pub token_env: String,
    /// Whether the organisation's repositories are listed and mirrored beside `[[repos]]`.
    pub discover: bool,
    /// Whether discovery keeps forks.
    pub include_forks: bool,
    /// Whether discovery keeps archived repositories.
    pub include_archived: bool,
    /// Whether discovery keeps private (and internal) repositories.
    pub include_private: bool,
    /// Regular expressions: when any is given, discovery keeps only names matching one.
    pub include: Vec<String>,
    /// Regular expressions: discovery drops names matching any.
    pub exclude: Vec<String>,
    /// The longest total wait (rate limits, server-error retries) in one run, in seconds
    /// (0 to 3600).
    pub max_wait_secs: u64,
    /// The most pages (of 100 items) read from one listing (1 to 1000).
    pub max_pages: u64,
    /// The time limit for one request, in seconds (1 to 600).
    pub timeout_secs: u64,
}

/// The default for `[github] api_url`.
pub const DEFAULT_GITHUB_API_URL: &str = "https://api.github.com";
/// The default for `[github] token_env`.
pub const DEFAULT_GITHUB_TOKEN_ENV: &str = "GITHUB_TOKEN";

impl Default for GithubSection {
    fn default() -> Self {
        GithubSection {
            org: None,
            api_url: DEFAULT_GITHUB_API_URL.to_string(),
            token_env: DEFAULT_GITHUB_TOKEN_ENV.to_string(),
            discover: true,
            include_forks: false,
            include_archived: false,
            include_private: false,
            include: Vec::new(),
            exclude: Vec::new(),
            max_wait_secs: 60,
            max_pages: 100,
            timeout_secs: 30,
        }
    }
}

/// Builds one churn glob the way every churn glob is built: `*` and `?` stop at `/`.
pub(crate) fn build_glob(glob: &str) -> Result<globset::Glob, globset::Error> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
}

impl Config {
    /// The time zone periods are cut in; UTC if the name is unknown (which [`load`](super::load)
    /// rejects, so only a hand-built `Config` can get there).
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::db()
            .get(&self.periods.time_zone)
            .unwrap_or_else(|e| {
                tracing::warn!(
                    "unknown time zone `{}` ({e}), using UTC",
                    self.periods.time_zone
                );
                jiff::tz::TimeZone::UTC
            })
    }

    /// Paths whose changed lines are not churn: the built-in globs (unless disabled) and the
    /// configured ones. Globs that do not build are skipped with a warning ([`load`](super::load)
    /// rejects them, so only a hand-built `Config` can have them).
    pub fn churn_matcher(&self) -> globset::GlobSet {
        let defaults: &[&str] = if self.churn.default_excludes {
            super::DEFAULT_CHURN_EXCLUDES
        } else {
            &[]
        };
        let globs = defaults
            .iter()
            .copied()
            .chain(self.churn.exclude.iter().map(String::as_str));
        let mut builder = globset::GlobSetBuilder::new();
        for glob in globs {
            match build_glob(glob) {
                Ok(g) => {
                    builder.add(g);
                }
                Err(e) => tracing::warn!("skipping churn glob: {e}"),
            }
        }
        builder.build().unwrap_or_else(|e| {
            tracing::warn!("churn globs do not combine ({e}), excluding nothing");
            globset::GlobSet::empty()
        })
    }

    /// Lower-case substrings that mark a name or email as a bot: the built-in patterns (unless
    /// disabled) and the configured ones.
    pub fn bot_patterns(&self) -> Vec<String> {
        let i = &self.identities;
        patterns(i.default_bots, super::DEFAULT_BOT_PATTERNS, &i.bots)
    }

    /// Patterns that mark an AI coding agent: the built-in ones (unless disabled) and the
    /// configured ones.
    pub fn agent_patterns(&self) -> Vec<String> {
        let i = &self.identities;
        patterns(i.default_agents, super::DEFAULT_AGENT_PATTERNS, &i.agents)
    }
}

/// The built-in patterns when `builtin` is on, then the configured ones, trimmed and lower-cased.
fn patterns(builtin: bool, defaults: &[&str], extra: &[String]) -> Vec<String> {
    let defaults = if builtin { defaults } else { &[] };
    defaults
        .iter()
        .copied()
        .chain(extra.iter().map(String::as_str))
        .map(|p| p.trim().to_lowercase())
        .collect()
}

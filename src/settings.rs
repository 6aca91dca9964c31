//! Settings: the config file, environment and command line resolved once into one immutable
//! value (flag > `SPARKY_*` environment > file > defaults).

use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::tz::TimeZone;

use crate::cli::SourceArgs;
use crate::config::{self, LoadedConfig};
use crate::facts::FactsSettings;
use crate::forge::GithubSettings;
use crate::identity::Alias;
use crate::mirror::Secret;
use crate::source::{self, RepoSpec};
use crate::window::DateField;

/// Everything a data command needs, resolved.
pub struct Settings {
    pub specs: Vec<RepoSpec>,
    pub cache_dir: PathBuf,
    pub facts: FactsSettings,
    /// Text of the extra mailmap file (empty without one).
    pub extra_mailmap: String,
    pub aliases: Vec<Alias>,
    pub bot_patterns: Vec<String>,
    /// What marks an AI coding agent (see `Identities::with_agents`).
    pub agent_patterns: Vec<String>,
    pub token: Option<Secret>,
    pub mirror_jobs: usize,
    /// `[github]`; `None` when `org` is unset.
    pub github: Option<GithubSettings>,
    /// `[output]`, with paths still relative (see `content_dir` and `templates_dir`).
    pub output: config::OutputSection,
    /// The content folder, resolved against the config's folder (or the current folder).
    pub content_dir: PathBuf,
    /// The template overrides folder, resolved.
    pub templates_dir: Option<PathBuf>,
    /// The sources are the bundled demo organisation.
    pub demo: bool,
    /// The folder relative paths start from: the config file's folder, else the current one.
    pub base_dir: PathBuf,
    /// `[publish]`, with `repo` still relative to `base_dir`.
    pub publish: config::PublishSection,
    /// `[social]`.
    pub social: config::SocialSection,
    /// The social drafts folder, resolved against the config's folder (or the current folder).
    pub social_dir: PathBuf,
    /// `[llm]` as configured (the command line applies on top, in `narrate::llm`).
    pub llm: config::LlmSection,
}

/// What a command reads when neither a config nor `--repo`/`--repos-dir` names repositories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The git repository the command runs in.
    CurrentRepository,
    /// The bundled demo organisation.
    Demo,
}

/// Per-command overrides of the `[periods]` section.
#[derive(Debug, Clone, Default)]
pub struct PeriodOverrides {
    pub time_zone: Option<String>,
    pub date_field: Option<DateField>,
}

/// An invalid `--time-zone`.
#[derive(Debug, thiserror::Error)]
#[error("unknown time zone `{name}` given on the command line")]
pub struct TimeZoneError {
    pub name: String,
    #[source]
    pub source: jiff::Error,
}

impl Settings {
    /// Loads the config (the named one, or `sparky.toml` in `cwd` if present), then applies the
    /// command line.
    pub fn resolve(
        args: &SourceArgs,
        periods: &PeriodOverrides,
        cwd: &Path,
    ) -> anyhow::Result<Settings> {
        Self::resolve_with(args, periods, cwd, Fallback::CurrentRepository)
    }

    /// Like [`resolve`](Self::resolve), choosing what to read when nothing names repositories.
    pub fn resolve_with(
        args: &SourceArgs,
        periods: &PeriodOverrides,
        cwd: &Path,
        fallback: Fallback,
    ) -> anyhow::Result<Settings> {
        let config_path = args.config.clone().or_else(|| config::find(cwd));
        let loaded: Option<LoadedConfig> = match &config_path {
            Some(p) => Some(config::load(p)?),
            None => None,
        };
        let demo = fallback == Fallback::Demo
            && loaded.is_none()
            && args.repos.is_empty()
            && args.repos_dir.is_none();
        let defaults = config::Config::default();
        let cfg = loaded.as_ref().map_or(&defaults, |l| &l.config);
        // The command line's sources replace the configured ones, discovery included.
        let cli_sources = !args.repos.is_empty() || args.repos_dir.is_some();
        let github = GithubSettings::from_config(&cfg.github, !cli_sources);
        let only_discovered = github.as_ref().is_some_and(|g| g.discover)
            && cfg.repos.is_empty()
            && cfg.sources.repos_dir.is_none();
        let specs = if only_discovered || demo {
            // The organisation's repositories are the sources, found when the pipeline runs.
            Vec::new()
        } else {
            source::resolve(loaded.as_ref(), &args.repos, args.repos_dir.as_deref(), cwd)?
        };

        let cache_dir = match (&args.cache_dir, &loaded) {
            (Some(dir), _) => cwd.join(dir),
            (None, Some(l)) => l.cache_dir(),
            (None, None) => cwd.join(&cfg.cache.dir),
        };

        let (time_zone, time_zone_name) = match &periods.time_zone {
            Some(name) => {
                let tz = TimeZone::get(name).map_err(|source| TimeZoneError {
                    name: name.clone(),
                    source,
                })?;
                (tz, name.clone())
            }
            None => match &loaded {
                Some(l) => (l.time_zone(), cfg.periods.time_zone.clone()),
                None => (TimeZone::UTC, "UTC".to_string()),
            },
        };
        let date_field = periods.date_field.unwrap_or(cfg.periods.date_field);

        let extra_mailmap = match loaded.as_ref().and_then(LoadedConfig::mailmap) {
            Some(path) => std::fs::read_to_string(&path)
                .with_context(|| format!("failed to read the mailmap `{}`", path.display()))?,
            None => String::new(),
        };
        let aliases = cfg
            .identities
            .aliases
            .iter()
            .map(|a| Alias {
                name: a.name.clone(),
                emails: a.emails.clone(),
            })
            .collect();
        let bot_patterns = cfg.bot_patterns();
        let agent_patterns = cfg.agent_patterns();

        let churn_excludes = match &loaded {
            Some(l) => l.churn_matcher(),
            None => config::Config::default().churn_matcher(),
        };
        let token = std::env::var(&cfg.mirror.token_env)
            .ok()
            .filter(|t| !t.is_empty())
            .map(Secret::new);

        let base_dir = loaded
            .as_ref()
            .map_or_else(|| cwd.to_path_buf(), |l| l.base_dir.clone());
        let mut output = cfg.output.clone();
        if demo {
            output.org_name = crate::demo::ORG_NAME.to_string();
            output.since = Some(crate::demo::SINCE.to_string());
        }
        let content_dir = base_dir.join(&output.content_dir);
        let templates_dir = output.templates_dir.as_ref().map(|d| base_dir.join(d));
        let social_dir = base_dir.join(&cfg.social.dir);
        Ok(Settings {
            social: cfg.social.clone(),
            social_dir,
            specs,
            output,
            content_dir,
            templates_dir,
            demo,
            cache_dir,
            facts: FactsSettings {
                time_zone,
                time_zone_name,
                date_field,
                churn_excludes,
            },
            extra_mailmap,
            aliases,
            bot_patterns,
            agent_patterns,
            token,
            mirror_jobs: cfg.mirror.jobs,
            github,
            publish: cfg.publish.clone(),
            base_dir,
            llm: cfg.llm.clone(),
        })
    }
}

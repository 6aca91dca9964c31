//! Configuration: finding, loading (read → parse → validate) and writing `sparky.toml`.
//!
//! Every section is strict (`deny_unknown_fields`) and defaulted, so an empty file is a valid
//! configuration and a typo is an error that points at the line, with a did-you-mean hint.

mod defaults;
mod error;
mod github;
mod llm;
mod model;
mod parse;
mod publish;
mod social;
mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use defaults::{
    DEFAULT_AGENT_PATTERNS, DEFAULT_BOT_PATTERNS, DEFAULT_CHURN_EXCLUDES, DEFAULT_CONFIG,
};
pub use error::{ConfigError, Position};
pub(crate) use github::{check_api_url, is_loopback as is_loopback_url};
pub use llm::{DEFAULT_LLM_KEY_ENV, DEFAULT_LLM_MODEL, LlmOptions, LlmProvider, LlmSection};
pub use model::{
    Alias, CacheSection, Churn, Config, DEFAULT_GITHUB_API_URL, DEFAULT_GITHUB_TOKEN_ENV,
    DEFAULT_TOKEN_ENV, DateField, GithubSection, Identities, MirrorSection, OutputSection, Periods,
    RepoEntry, ReportPeriod, SourcesSection,
};
pub use publish::{DEFAULT_PUBLISH_TOKEN_ENV, MAX_PUBLISH_RETRIES, PublishSection};
pub use social::{DEFAULT_SOCIAL_DIR, SocialPlatform, SocialSection};
pub use validate::MAX_JOBS;
pub(crate) use validate::is_valid_repo_name;

/// The configuration file's name.
pub const FILE_NAME: &str = "sparky.toml";

/// A validated configuration and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedConfig {
    pub config: Config,
    /// The file, as given to [`load`].
    pub path: PathBuf,
    /// The file's folder, absolute: relative paths in the file start here.
    pub base_dir: PathBuf,
}

impl LoadedConfig {
    /// `path` resolved against the config file's folder (absolute paths stay as they are).
    pub fn resolve_path(&self, path: &Path) -> PathBuf {
        self.base_dir.join(path)
    }

    /// The cache folder, resolved.
    pub fn cache_dir(&self) -> PathBuf {
        self.resolve_path(&self.config.cache.dir)
    }

    /// `[sources] repos_dir`, resolved.
    pub fn repos_dir(&self) -> Option<PathBuf> {
        self.config
            .sources
            .repos_dir
            .as_deref()
            .map(|p| self.resolve_path(p))
    }

    /// `[identities] mailmap`, resolved.
    pub fn mailmap(&self) -> Option<PathBuf> {
        self.config
            .identities
            .mailmap
            .as_deref()
            .map(|p| self.resolve_path(p))
    }

    /// See [`Config::time_zone`].
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        self.config.time_zone()
    }

    /// See [`Config::churn_matcher`].
    pub fn churn_matcher(&self) -> globset::GlobSet {
        self.config.churn_matcher()
    }

    /// See [`Config::bot_patterns`].
    pub fn bot_patterns(&self) -> Vec<String> {
        self.config.bot_patterns()
    }

    /// See [`Config::agent_patterns`].
    pub fn agent_patterns(&self) -> Vec<String> {
        self.config.agent_patterns()
    }
}

/// The largest `sparky.toml` Sparky reads (1 MiB): far beyond any real configuration, small
/// enough that parsing and checking it stays instant and bounded in memory.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads, parses and validates the configuration file at `path`.
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let read_error = |source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_CONFIG_BYTES {
        return Err(ConfigError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_CONFIG_BYTES,
        });
    }
    let text = std::fs::read_to_string(path).map_err(read_error)?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let base_dir = std::path::absolute(parent)
        .and_then(|p| p.canonicalize())
        .map_err(read_error)?;
    let (config, doc) = parse::parse(path, &text)?;
    validate::validate(&config, &doc, path, &text, &base_dir)?;
    tracing::debug!(path = %path.display(), repos = config.repos.len(), "loaded configuration");
    Ok(LoadedConfig {
        config,
        path: path.to_path_buf(),
        base_dir,
    })
}

/// Finds `sparky.toml` for a run started in `start`: in `start` itself, then in each parent
/// up to and including the root of the git work tree that holds `start`. Outside a git work
/// tree only `start` is looked at, so a stray file in a home folder is never picked up.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let root = start.ancestors().find(|dir| dir.join(".git").exists());
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if root.is_none_or(|root| dir == root) {
            break;
        }
    }
    None
}

/// Writes the commented default configuration to `dir/sparky.toml` atomically (a temporary
/// file renamed into place) and returns its path. An existing file is kept unless `force`.
pub fn init(dir: &Path, force: bool) -> Result<PathBuf, ConfigError> {
    let path = dir.join(FILE_NAME);
    if !force && path.symlink_metadata().is_ok() {
        return Err(ConfigError::AlreadyExists { path });
    }
    let write_error = |source| ConfigError::Write {
        path: path.clone(),
        source,
    };
    let mut file = tempfile::Builder::new()
        .prefix(".sparky.toml.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(write_error)?;
    file.write_all(DEFAULT_CONFIG.as_bytes())
        .map_err(write_error)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        file.as_file().set_permissions(mode).map_err(write_error)?;
    }
    file.as_file().sync_all().map_err(write_error)?;
    let persisted = if force {
        file.persist(&path)
    } else {
        file.persist_noclobber(&path)
    };
    match persisted {
        Ok(_) => Ok(path),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(ConfigError::AlreadyExists { path })
        }
        Err(e) => Err(write_error(e.error)),
    }
}

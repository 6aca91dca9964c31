//! `[publish]`: where `sparky publish` commits and pushes the files Sparky wrote, and as whom.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::model::Config;
use super::validate::{Checker, key};

/// The default for `[publish] token_env`.
pub const DEFAULT_PUBLISH_TOKEN_ENV: &str = "SPARKY_PUBLISH_TOKEN";

/// The largest accepted `[publish] max_retries`.
pub const MAX_PUBLISH_RETRIES: u32 = 10;

/// `[publish]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublishSection {
    /// The clone of the docs repository (with a work tree) holding the content folder, relative
    /// to the config file's folder.
    pub repo: PathBuf,
    /// The remote pushed to.
    pub remote: String,
    /// The branch pushed to; the branch checked out in the clone when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The commit's author and committer name.
    pub author_name: String,
    /// The commit's author and committer email.
    pub author_email: String,
    /// The environment variable holding an https token for pushing.
    pub token_env: String,
    /// How often a push rejected because someone pushed first is retried on the new tip.
    pub max_retries: u32,
}

impl Default for PublishSection {
    fn default() -> Self {
        PublishSection {
            repo: PathBuf::from("."),
            remote: "origin".to_string(),
            branch: None,
            author_name: "Sparky".to_string(),
            author_email: "sparky@localhost".to_string(),
            token_env: DEFAULT_PUBLISH_TOKEN_ENV.to_string(),
            max_retries: 3,
        }
    }
}

/// Checks `[publish]`. The clone itself is looked at only by `sparky publish`, so a missing
/// docs clone never stops `sparky build`.
pub(super) fn validate(c: &Checker<'_>, config: &Config) -> Result<(), ConfigError> {
    let p = &config.publish;
    let here = |k: &str| [key("publish"), key(k)];
    c.not_empty(&here("repo"), "repo", &p.repo.to_string_lossy())?;
    c.not_empty(&here("remote"), "remote", &p.remote)?;
    if let Some(branch) = &p.branch {
        c.not_empty(&here("branch"), "branch", branch)?;
        if branch.starts_with("refs/") || branch.starts_with('-') || branch.contains(' ') {
            return Err(ConfigError::InvalidValue {
                at: c.at(&here("branch")),
                key: "branch".into(),
                section: "[publish]".into(),
                found: branch.clone(),
                hint: "a branch name without `refs/heads/`, e.g. `branch = \"main\"`".into(),
            });
        }
    }
    c.not_empty(&here("author_name"), "author_name", &p.author_name)?;
    c.not_empty(&here("author_email"), "author_email", &p.author_email)?;
    c.token_env(&here("token_env"), &p.token_env)?;
    if p.max_retries > MAX_PUBLISH_RETRIES {
        return Err(ConfigError::InvalidValue {
            at: c.at(&here("max_retries")),
            key: "max_retries".into(),
            section: "[publish]".into(),
            found: p.max_retries.to_string(),
            hint: format!("a number from 0 to {MAX_PUBLISH_RETRIES}, e.g. `max_retries = 3`"),
        });
    }
    Ok(())
}

//! `[github]` resolved into [`GithubSettings`]: regular expressions compiled, the token read
//! from the environment (held as a [`Secret`], never printed).

use std::time::Duration;

use regex::Regex;

use super::DiscoveryFilter;
use crate::config::GithubSection;
use crate::mirror::Secret;

/// `[github]`, resolved.
#[derive(Debug, Clone)]
pub struct GithubSettings {
    pub org: String,
    pub api_url: String,
    /// Read from the environment; never logged or written.
    pub token: Option<Secret>,
    /// The variable the token comes from, for messages.
    pub token_env: String,
    pub discover: bool,
    pub filter: DiscoveryFilter,
    /// The most time spent waiting for rate limits in one run.
    pub max_wait: Duration,
    pub max_pages: u64,
    pub timeout: Duration,
}

impl GithubSettings {
    /// The settings for `section`, `None` when `org` is unset. `discover` is turned off when
    /// the command line replaces the configured sources. Patterns that do not compile are
    /// skipped with a warning (`config::load` rejects them, so only a hand-built section has
    /// them).
    pub fn from_config(section: &GithubSection, discover: bool) -> Option<GithubSettings> {
        let org = section.org.clone()?;
        let compile = |patterns: &[String]| -> Vec<Regex> {
            patterns
                .iter()
                .filter_map(|p| {
                    Regex::new(p)
                        .map_err(|e| tracing::warn!("skipping the pattern `{p}`: {e}"))
                        .ok()
                })
                .collect()
        };
        let token = std::env::var(&section.token_env)
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(Secret::new);
        Some(GithubSettings {
            org,
            api_url: section.api_url.clone(),
            token,
            token_env: section.token_env.clone(),
            discover: section.discover && discover,
            filter: DiscoveryFilter {
                include_forks: section.include_forks,
                include_archived: section.include_archived,
                include_private: section.include_private,
                include: compile(&section.include),
                exclude: compile(&section.exclude),
            },
            max_wait: Duration::from_secs(section.max_wait_secs),
            max_pages: section.max_pages.max(1),
            timeout: Duration::from_secs(section.timeout_secs.max(1)),
        })
    }
}

//! Forge: the optional GitHub layer on top of git. It discovers an organisation's repositories
//! and enriches each window's facts with issues, pull requests and releases from the REST API.
//!
//! One [`GithubRun`] per command: [`start`](GithubRun::start) → [`discover`](GithubRun::discover)
//! (more sources) → [`fetch`](GithubRun::fetch) (once, for every window) →
//! [`apply`](GithubRun::apply) (per window). Nothing here aborts a run: every failure becomes
//! a line in the facts' `enrichment.github`, and git's facts stay as they are.

mod activity;
mod api;
mod cache;
mod client;
mod discover;
mod error;
mod join;
mod ratelimit;
mod response;
mod settings;

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tracing::{info, warn};

pub use client::Stats;
pub use discover::{DiscoveredRepo, DiscoveryFilter};
pub use error::ForgeError;
pub use settings::GithubSettings;

use crate::cmd::chain;
use crate::facts::{EnrichmentState, EnrichmentStatus, OrgFacts, OrgGithub};
use crate::source::{Location, RepoSpec};
use crate::window::Window;
use api::RepoActivity;
use client::{Client, ClientOptions};

/// What GitHub contributed to one command run. [`Default`] is a run without `[github]`.
#[derive(Default)]
pub struct GithubRun {
    settings: Option<GithubSettings>,
    offline: bool,
    client: Option<Client>,
    /// Why the run stopped asking GitHub (no token, 401, unreachable, rate limit).
    fatal: Option<String>,
    /// Non-fatal problems, in the order they happened.
    notes: Vec<String>,
    discovered: Vec<DiscoveredRepo>,
    /// Discovery was asked for and did not happen: sources may be missing.
    discovery_failed: bool,
    /// Set by `fetch`: the start the data covers (`Some(None)`: everything).
    fetched_since: Option<Option<Timestamp>>,
    /// Repositories `fetch` was asked for.
    asked: usize,
    /// By repository name (as in the facts).
    activity: BTreeMap<String, RepoActivity>,
}

impl GithubRun {
    /// Prepares a run: nothing happens without `settings`; with `offline`, only the cache is read.
    pub fn start(settings: Option<&GithubSettings>, cache_dir: &Path, offline: bool) -> Self {
        let Some(s) = settings else {
            return GithubRun::default();
        };
        let mut run = GithubRun {
            settings: Some(s.clone()),
            offline,
            ..GithubRun::default()
        };
        let client = if s.token.is_none() && !offline {
            Err(ForgeError::MissingToken {
                env: s.token_env.clone(),
            })
        } else {
            Client::new(&ClientOptions {
                api_url: &s.api_url,
                token: s.token.as_ref(),
                token_env: &s.token_env,
                cache_dir,
                offline,
                max_wait: s.max_wait,
                max_pages: s.max_pages,
                timeout: s.timeout,
            })
        };
        match client {
            Ok(c) => run.client = Some(c),
            Err(e) => run.give_up(&e),
        }
        run
    }

    /// The configured sources plus the organisation's repositories (configured ones win on a
    /// clash). Without discovery, or when it fails, the configured sources alone.
    pub fn discover(&mut self, explicit: &[RepoSpec]) -> Vec<RepoSpec> {
        let Some(s) = &self.settings else {
            return explicit.to_vec();
        };
        if !s.discover {
            return explicit.to_vec();
        }
        let Some(client) = &mut self.client else {
            self.discovery_failed = true;
            return explicit.to_vec();
        };
        let org = s.org.clone();
        match discover::list(client, &org, &s.filter) {
            Ok((found, truncated)) => {
                if truncated {
                    self.note(format!(
                        "the repository listing of `{org}` hit `[github] max_pages`; some \
                         repositories were not discovered"
                    ));
                }
                info!(org = %org, repos = found.len(), "discovered repositories on GitHub");
                self.discovered = found;
            }
            Err(e) if e.is_fatal() => {
                self.discovery_failed = true;
                self.give_up(&e);
            }
            Err(e) => {
                self.discovery_failed = true;
                let text = format!("discovery of `{org}`: {}", chain(&e));
                self.note_with_hint(text, &e);
            }
        }
        discover::merge(explicit, &self.discovered)
    }

    /// Reads issues, pull requests and releases for `repos`, once, covering every window in
    /// `windows` (their earliest start in `tz`; everything if one is `all`).
    pub fn fetch(&mut self, repos: &[&RepoSpec], windows: &[Window], tz: &TimeZone) {
        if self.settings.is_none() {
            return;
        }
        let since = if windows.iter().any(|w| w.bounds(tz).is_none()) || windows.is_empty() {
            None
        } else {
            windows
                .iter()
                .filter_map(|w| w.bounds(tz))
                .map(|b| b.start)
                .min()
        };
        self.fetched_since = Some(since);
        self.asked = repos.len();
        let started = std::time::Instant::now();
        for spec in repos {
            if self.fatal.is_some() {
                break;
            }
            let full_name = self.full_name(spec);
            let Some(client) = &mut self.client else {
                break;
            };
            match activity::fetch(client, &full_name, since) {
                Ok((activity, notes)) => {
                    for n in notes {
                        self.note(n);
                    }
                    self.activity.insert(spec.name.clone(), activity);
                }
                Err(e) if e.is_fatal() => self.give_up(&e),
                Err(e) => {
                    let text = format!("`{}` ({full_name}): {}", spec.name, chain(&e));
                    self.note_with_hint(text, &e);
                }
            }
        }
        let s = self.stats();
        info!(
            "GitHub: {} of {} repositories enriched ({} requests, {} not modified, {} from the offline cache) in {:.2}s",
            self.activity.len(),
            repos.len(),
            s.requests,
            s.not_modified,
            s.offline_hits,
            started.elapsed().as_secs_f64()
        );
    }

    /// Adds the window's GitHub data to `facts` (computed for `window` in `tz`) and says how
    /// the enrichment went.
    pub fn apply(&self, facts: &mut OrgFacts, window: Window, tz: &TimeZone) {
        let bounds = window.bounds(tz);
        let covered = match self.fetched_since {
            Some(None) => true,
            Some(Some(since)) => bounds.is_some_and(|b| b.start >= since),
            None => false,
        };
        let mut org = OrgGithub::default();
        if covered {
            for repo in &mut facts.repos {
                if let Some(a) = self.activity.get(&repo.name) {
                    let g = join::slice(a, bounds);
                    org.add(&g);
                    repo.github = Some(g);
                    join::join_details(&mut repo.pull_requests.details, a);
                }
            }
        }
        facts.org.github = (org.repos > 0).then_some(org);
        facts.enrichment.github = self.status(covered, org.repos);
    }

    /// Requests made so far.
    pub fn stats(&self) -> Stats {
        self.client.as_ref().map(|c| c.stats).unwrap_or_default()
    }

    /// The repositories discovery kept.
    pub fn discovered(&self) -> &[DiscoveredRepo] {
        &self.discovered
    }

    /// Whether discovery was configured but did not happen, so repositories may be missing.
    pub fn discovery_failed(&self) -> bool {
        self.discovery_failed
    }

    fn status(&self, covered: bool, enriched: u64) -> EnrichmentStatus {
        let skipped = |reason: String| EnrichmentStatus {
            status: EnrichmentState::Skipped,
            reason: Some(reason),
            notes: self.notes.clone(),
        };
        if self.settings.is_none() {
            return skipped("GitHub enrichment is off: `[github] org` is not set".to_string());
        }
        if let Some(fatal) = &self.fatal {
            let missing = self.asked.saturating_sub(self.activity.len());
            let reason = if enriched > 0 {
                format!(
                    "{fatal}; {missing} of {} repositories not enriched",
                    self.asked
                )
            } else {
                fatal.clone()
            };
            return EnrichmentStatus {
                status: if enriched > 0 {
                    EnrichmentState::Partial
                } else {
                    EnrichmentState::Skipped
                },
                reason: Some(reason),
                notes: self.notes.clone(),
            };
        }
        if self.fetched_since.is_none() {
            return skipped("this command does not fetch GitHub data".to_string());
        }
        if !covered {
            return skipped("GitHub data was fetched for later windows only".to_string());
        }
        if let Some(first) = self.notes.first() {
            let reason = match self.notes.len() {
                1 => first.clone(),
                n => format!("{first} (and {} more)", n - 1),
            };
            let status = if enriched > 0 {
                EnrichmentState::Partial
            } else {
                EnrichmentState::Skipped
            };
            return EnrichmentStatus {
                status,
                reason: Some(reason),
                notes: self.notes.clone(),
            };
        }
        EnrichmentStatus {
            status: if self.offline {
                EnrichmentState::OfflineCache
            } else {
                EnrichmentState::Ok
            },
            reason: None,
            notes: Vec::new(),
        }
    }

    /// `owner/name` on GitHub for a source: from discovery, from a URL on the forge's host,
    /// or `<org>/<name>`.
    fn full_name(&self, spec: &RepoSpec) -> String {
        let Some(s) = &self.settings else {
            return spec.name.clone();
        };
        let url = match &spec.location {
            Location::Url(u) => Some(u.as_str()),
            Location::Local(_) => None,
        };
        if let Some(d) = self
            .discovered
            .iter()
            .find(|d| d.name == spec.name && Some(d.clone_url.as_str()) == url)
        {
            return d.full_name.clone();
        }
        let on_forge = url
            .and_then(discover::host_and_path)
            .filter(|(host, path)| *host == forge_host(&s.api_url) && path.split('/').count() == 2);
        match on_forge {
            Some((_, path)) => path,
            None => format!("{}/{}", s.org, spec.name),
        }
    }

    fn give_up(&mut self, e: &ForgeError) {
        if self.fatal.is_none() {
            warn!("GitHub is skipped for the rest of this run: {}", chain(e));
            if let Some(hint) = e.hint() {
                warn!("hint: {hint}");
            }
            self.fatal = Some(chain(e));
        }
    }

    fn note(&mut self, text: String) {
        warn!("GitHub: {text}");
        self.notes.push(text);
    }

    fn note_with_hint(&mut self, text: String, e: &ForgeError) {
        self.note(text);
        if let Some(hint) = e.hint() {
            warn!("hint: {hint}");
        }
    }
}

/// The web host of an API URL: `github.com` for `api.github.com`, the host itself otherwise
/// (GitHub Enterprise Server serves the API under `/api/v3` on its own host).
fn forge_host(api_url: &str) -> String {
    let host = discover::host_and_path(&format!("{}/x", api_url.trim_end_matches('/')))
        .map(|(h, _)| h)
        .unwrap_or_default();
    match host.as_str() {
        "api.github.com" => "github.com".to_string(),
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_run_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<GithubRun>();
    }

    #[test]
    fn forge_hosts() {
        assert_eq!(forge_host("https://api.github.com"), "github.com");
        assert_eq!(forge_host("https://ghe.corp/api/v3/"), "ghe.corp");
        assert_eq!(forge_host("http://127.0.0.1:9000"), "127.0.0.1");
    }

    #[test]
    fn sources_map_to_full_names() {
        let settings = GithubSettings {
            org: "acme".into(),
            api_url: "https://api.github.com".into(),
            token: None,
            token_env: "GITHUB_TOKEN".into(),
            discover: true,
            filter: DiscoveryFilter::default(),
            max_wait: Duration::ZERO,
            max_pages: 1,
            timeout: Duration::from_secs(1),
        };
        let run = GithubRun {
            settings: Some(settings),
            ..GithubRun::default()
        };
        let spec = |name: &str, location: Location| RepoSpec {
            name: name.into(),
            location,
            branch: None,
        };
        let url = |u: &str| Location::Url(u.into());
        assert_eq!(
            run.full_name(&spec("x", url("https://github.com/other/thing.git"))),
            "other/thing"
        );
        assert_eq!(
            run.full_name(&spec("x", url("https://gitlab.com/other/thing.git"))),
            "acme/x"
        );
        assert_eq!(
            run.full_name(&spec("api", Location::Local("/srv/api".into()))),
            "acme/api"
        );
    }
}

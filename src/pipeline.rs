//! The orchestrator: runs the stages in a fixed order (sources → mirror → history → facts) and
//! turns per-repository failures into a list instead of an abort. Every command reuses it.
//! With `[github]`, discovery adds sources before mirroring, [`enrich`] fetches GitHub data once
//! for a command's windows, and [`facts_for`] joins it into each window's facts.

mod read;

use read::Read;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use tracing::{debug, info};

use crate::facts::{self, FailedRepo, OrgFacts, PreparedRepo, StaleRepo};
use crate::forge::GithubRun;
use crate::history::{ExtractStats, RepoHistory};
use crate::identity::Identities;
use crate::links;
use crate::mirror::{self, MirrorJob, MirrorOptions};
use crate::settings::Settings;
use crate::source::{Location, RepoSpec};
use crate::window::Window;

/// A repository whose history was read.
pub struct GatheredRepo {
    pub spec: RepoSpec,
    pub history: RepoHistory,
    pub stats: ExtractStats,
    /// Read from its mirror as last fetched, because this run could not fetch it.
    pub stale: Option<StaleRepo>,
}

/// Everything read from git for one run.
pub struct Gathered {
    /// Sorted by name.
    pub repos: Vec<GatheredRepo>,
    /// Repositories that could not be mirrored or read, sorted by name.
    pub failed: Vec<FailedRepo>,
    /// GitHub discovery and, after [`enrich`], GitHub data (inert without `[github]`).
    pub github: GithubRun,
    /// Local trouble that cost no figures (a history cache that could not be written).
    pub warnings: Vec<String>,
}

impl Gathered {
    /// Some repositories failed or are stale, or GitHub discovery did not say which
    /// repositories there are.
    pub fn is_partial(&self) -> bool {
        !self.failed.is_empty()
            || self.repos.iter().any(|r| r.stale.is_some())
            || self.github.discovery_failed()
    }
}

/// How the mirror stage behaves in this run.
#[derive(Debug, Clone, Copy, Default)]
pub struct GatherOptions {
    /// Use existing mirrors without fetching.
    pub offline: bool,
    pub progress: bool,
}

/// Where the mirrors live inside the cache folder.
pub fn mirror_path(cache_dir: &Path, name: &str) -> PathBuf {
    cache_dir.join("mirrors").join(format!("{name}.git"))
}

fn history_cache_path(cache_dir: &Path, name: &str) -> PathBuf {
    cache_dir.join("history").join(format!("{name}.bin"))
}

/// A source resolved to a repository on disk.
struct Located {
    spec: RepoSpec,
    path: PathBuf,
    stale: Option<StaleRepo>,
}

/// Mirrors (unless offline) every URL source, then reads every repository's history.
pub fn gather(settings: &Settings, opts: GatherOptions) -> Gathered {
    let started = Instant::now();
    let mut github = GithubRun::start(settings.github.as_ref(), &settings.cache_dir, opts.offline);
    let specs = github.discover(&settings.specs);
    debug!(elapsed = ?started.elapsed(), repos = specs.len(), "sources stage done");
    let (located, mut failed) = locate_specs(settings, &specs, opts);
    debug!(elapsed = ?started.elapsed(), repos = located.len(), "mirror stage done");

    let started = Instant::now();
    let results: Vec<Read> = located
        .into_par_iter()
        .map(|loc| read::repository(settings, loc, opts))
        .collect();
    let mut repos = Vec::new();
    let mut warnings = Vec::new();
    for r in results {
        warnings.extend(r.warning);
        match r.outcome {
            Ok(repo) => repos.push(repo),
            Err(f) => {
                info!(repo = %f.name, "skipped: {}", f.error);
                failed.push(f);
            }
        }
    }
    repos.sort_by(|a, b| a.spec.name.cmp(&b.spec.name));
    failed.sort_by(|a, b| a.name.cmp(&b.name));
    debug!(elapsed = ?started.elapsed(), "history stage done");
    Gathered {
        repos,
        failed,
        github,
        warnings,
    }
}

/// Resolves each source to a repository on disk: local paths as they are, URLs through their
/// mirror. Sources that fail are returned as failures, including URLs whose fetch failed this
/// run though an older mirror is there (`sparky mirror` reports what it could not fetch).
pub fn locate(
    settings: &Settings,
    opts: GatherOptions,
) -> (Vec<(RepoSpec, PathBuf)>, Vec<FailedRepo>) {
    let mut github = GithubRun::start(settings.github.as_ref(), &settings.cache_dir, opts.offline);
    let (located, mut failed) = locate_specs(settings, &github.discover(&settings.specs), opts);
    let mut ok = Vec::new();
    for loc in located {
        match loc.stale {
            Some(stale) => failed.push(FailedRepo {
                name: stale.name,
                error: stale.reason,
            }),
            None => ok.push((loc.spec, loc.path)),
        }
    }
    failed.sort_by(|a, b| a.name.cmp(&b.name));
    (ok, failed)
}

fn locate_specs(
    settings: &Settings,
    specs: &[RepoSpec],
    opts: GatherOptions,
) -> (Vec<Located>, Vec<FailedRepo>) {
    let mut located = Vec::new();
    let mut failed = Vec::new();
    let mut jobs = Vec::new();
    for spec in specs {
        match &spec.location {
            Location::Local(path) => located.push(Located {
                spec: spec.clone(),
                path: path.clone(),
                stale: None,
            }),
            Location::Url(url) => {
                let dest = mirror_path(&settings.cache_dir, &spec.name);
                if opts.offline {
                    if mirror::is_usable(url, &dest) {
                        located.push(Located {
                            spec: spec.clone(),
                            path: dest,
                            stale: None,
                        });
                    } else {
                        failed.push(FailedRepo {
                            name: spec.name.clone(),
                            error: "no mirror yet and --offline forbids fetching one".into(),
                        });
                    }
                } else {
                    jobs.push((
                        spec.clone(),
                        MirrorJob {
                            name: spec.name.clone(),
                            url: url.clone(),
                            dest,
                        },
                    ));
                }
            }
        }
    }
    if !jobs.is_empty() {
        let mopts = mirror_options(settings, opts);
        let just_jobs: Vec<MirrorJob> = jobs.iter().map(|(_, j)| j.clone()).collect();
        for ((spec, job), result) in jobs.into_iter().zip(mirror::sync_all(&just_jobs, &mopts)) {
            match result {
                Ok(outcome) => {
                    info!(repo = %spec.name, "mirror {}", outcome.action);
                    located.push(Located {
                        spec,
                        path: job.dest,
                        stale: None,
                    });
                }
                // A fetch that fails this run (a remote briefly unreachable) leaves a good
                // mirror as it was: read it, and say how old its data is.
                Err(e) if mirror::is_usable(&job.url, &job.dest) => {
                    let reason = public_text(settings, &crate::cmd::chain(&e));
                    let as_of = mirror::last_fetch(&job.dest).map(|t| t.to_string());
                    info!(repo = %spec.name, "could not fetch; reading the mirror as last fetched{}: {reason}", as_of.as_deref().map(|t| format!(" ({t})")).unwrap_or_default());
                    located.push(Located {
                        stale: Some(StaleRepo {
                            name: spec.name.clone(),
                            as_of,
                            reason,
                        }),
                        spec,
                        path: job.dest,
                    });
                }
                Err(e) => {
                    info!(repo = %spec.name, "skipped: {}", crate::cmd::chain(&e));
                    failed.push(FailedRepo {
                        name: spec.name,
                        error: public_text(settings, &crate::cmd::chain(&e)),
                    });
                }
            }
        }
    }
    (located, failed)
}

fn mirror_options(settings: &Settings, opts: GatherOptions) -> MirrorOptions {
    MirrorOptions {
        token: settings.token.clone(),
        progress: opts.progress,
        jobs: settings.mirror_jobs,
    }
}

/// At most this many characters of an error go into a public file.
const PUBLIC_ERROR_CHARS: usize = 400;

/// An error message fit for a published file: the build machine's folders replaced by the
/// names a reader knows (the cache folder as the config names it, `~` for the home folder),
/// and bounded in length.
fn public_text(settings: &Settings, msg: &str) -> String {
    let mut text = msg.to_string();
    let mut swaps: Vec<(String, String)> = Vec::new();
    let rel = |p: &Path| {
        p.strip_prefix(&settings.base_dir)
            .ok()
            .map(|r| r.display().to_string())
    };
    if let Some(r) = rel(&settings.cache_dir) {
        swaps.push((settings.cache_dir.display().to_string(), r));
    } else {
        swaps.push((settings.cache_dir.display().to_string(), "<cache>".into()));
    }
    swaps.push((settings.base_dir.display().to_string(), ".".into()));
    if let Some(home) = std::env::var_os("HOME").filter(|h| h.len() > 1) {
        swaps.push((Path::new(&home).display().to_string(), "~".into()));
    }
    for (from, to) in swaps {
        if !from.is_empty() && from != "/" {
            text = text.replace(&from, &to);
        }
    }
    if text.chars().count() > PUBLIC_ERROR_CHARS {
        text = text.chars().take(PUBLIC_ERROR_CHARS).collect::<String>() + " [...]";
    }
    text
}

/// Facts for one window from what was gathered.
pub fn facts_for(settings: &Settings, gathered: &Gathered, window: Window) -> OrgFacts {
    Analysis::new(settings, gathered).facts(window)
}

/// What was gathered, prepared once (identities resolved, dates picked) for any number of
/// windows.
pub struct Analysis<'g> {
    settings: &'g Settings,
    gathered: &'g Gathered,
    prepared: Vec<PreparedRepo<'g>>,
    /// Each repository's web page on a known forge, parallel to `prepared`.
    urls: Vec<Option<String>>,
}

impl<'g> Analysis<'g> {
    pub fn new(settings: &'g Settings, gathered: &'g Gathered) -> Self {
        let started = Instant::now();
        let prepared = gathered
            .repos
            .par_iter()
            .map(|r| {
                let ids = Identities::new(
                    &r.history.mailmap,
                    &settings.extra_mailmap,
                    &settings.aliases,
                    &settings.bot_patterns,
                )
                .with_agents(&settings.agent_patterns);
                PreparedRepo::new(&r.spec.name, &r.history, &ids, &settings.facts)
            })
            .collect();
        let urls = gathered
            .repos
            .iter()
            .map(|r| match &r.spec.location {
                Location::Url(url) => links::web_url(url),
                Location::Local(path) => links::origin_url(path).and_then(|u| links::web_url(&u)),
            })
            .collect();
        debug!(elapsed = ?started.elapsed(), "prepared history for facts");
        Analysis {
            settings,
            gathered,
            prepared,
            urls,
        }
    }

    /// Facts for one window.
    pub fn facts(&self, window: Window) -> OrgFacts {
        let mut f = facts::compute(
            &self.prepared,
            self.gathered.failed.clone(),
            window,
            &self.settings.facts,
        );
        self.gathered
            .github
            .apply(&mut f, window, &self.settings.facts.time_zone);
        for repo in &mut f.repos {
            if let Some(i) = self.prepared.iter().position(|p| p.name == repo.name) {
                repo.url = self.urls[i].clone();
            }
        }
        f.stale_repos = self
            .gathered
            .repos
            .iter()
            .filter_map(|r| r.stale.clone())
            .filter(|s| f.repos.iter().any(|r| r.name == s.name))
            .collect();
        f
    }

    /// Calendar days (in the configured time zone) with at least one commit in any repository.
    pub fn active_days(&self) -> std::collections::BTreeSet<jiff::civil::Date> {
        let tz = &self.settings.facts.time_zone;
        self.prepared
            .iter()
            .flat_map(|p| p.commits_in(None).map(move |i| p.time(i)))
            .filter_map(|t| jiff::Timestamp::from_second(t).ok())
            .map(|t| t.to_zoned(tz.clone()).date())
            .collect()
    }
}

/// Fetches GitHub issues, pull requests and releases for every gathered repository, once for
/// all the `windows` a command will compute (a no-op without `[github]`).
pub fn enrich(settings: &Settings, gathered: &mut Gathered, windows: &[Window]) {
    let started = Instant::now();
    let specs: Vec<&RepoSpec> = gathered.repos.iter().map(|r| &r.spec).collect();
    gathered
        .github
        .fetch(&specs, windows, &settings.facts.time_zone);
    debug!(elapsed = ?started.elapsed(), "github stage done");
}

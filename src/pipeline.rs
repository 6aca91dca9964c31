//! The orchestrator: runs the stages in a fixed order (sources → mirror → history → facts) and
//! turns per-repository failures into a list instead of an abort. Every command reuses it.
//! With `[github]`, discovery adds sources before mirroring, [`enrich`] fetches GitHub data once
//! for a command's windows, and [`facts_for`] joins it into each window's facts.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use tracing::{debug, info, warn};

use crate::facts::{self, FailedRepo, OrgFacts, PreparedRepo};
use crate::forge::GithubRun;
use crate::history::{self, ExtractOptions, ExtractStats, RepoHistory};
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
}

/// Everything read from git for one run.
pub struct Gathered {
    /// Sorted by name.
    pub repos: Vec<GatheredRepo>,
    /// Repositories that could not be mirrored or read, sorted by name.
    pub failed: Vec<FailedRepo>,
    /// GitHub discovery and, after [`enrich`], GitHub data (inert without `[github]`).
    pub github: GithubRun,
}

impl Gathered {
    /// Some repositories failed, or GitHub discovery did not say which repositories there are.
    pub fn is_partial(&self) -> bool {
        !self.failed.is_empty() || self.github.discovery_failed()
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

/// Mirrors (unless offline) every URL source, then reads every repository's history.
pub fn gather(settings: &Settings, opts: GatherOptions) -> Gathered {
    let started = Instant::now();
    let mut github = GithubRun::start(settings.github.as_ref(), &settings.cache_dir, opts.offline);
    let specs = github.discover(&settings.specs);
    debug!(elapsed = ?started.elapsed(), repos = specs.len(), "sources stage done");
    let (located, mut failed) = locate_specs(settings, &specs, opts);
    debug!(elapsed = ?started.elapsed(), repos = located.len(), "mirror stage done");

    let started = Instant::now();
    let results: Vec<(RepoSpec, Result<history::Extracted, history::HistoryError>)> = located
        .into_par_iter()
        .map(|(spec, path)| {
            let cache = history_cache_path(&settings.cache_dir, &spec.name);
            let r = history::extract(
                &path,
                spec.branch.as_deref(),
                Some(&cache),
                &ExtractOptions::default(),
            );
            (spec, r)
        })
        .collect();
    let mut repos = Vec::new();
    for (spec, r) in results {
        match r {
            Ok(x) => {
                debug!(repo = %spec.name, total = x.stats.total, cached = x.stats.from_cache, read = x.stats.read, "history read");
                repos.push(GatheredRepo {
                    spec,
                    history: x.history,
                    stats: x.stats,
                });
            }
            Err(e) => {
                warn!(repo = %spec.name, "skipped: {}", crate::cmd::chain(&e));
                failed.push(FailedRepo {
                    name: spec.name,
                    error: crate::cmd::chain(&e),
                });
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
    }
}

/// Resolves each source to a repository on disk: local paths as they are, URLs through their
/// mirror. Sources that fail are returned as failures.
pub fn locate(
    settings: &Settings,
    opts: GatherOptions,
) -> (Vec<(RepoSpec, PathBuf)>, Vec<FailedRepo>) {
    let mut github = GithubRun::start(settings.github.as_ref(), &settings.cache_dir, opts.offline);
    locate_specs(settings, &github.discover(&settings.specs), opts)
}

fn locate_specs(
    settings: &Settings,
    specs: &[RepoSpec],
    opts: GatherOptions,
) -> (Vec<(RepoSpec, PathBuf)>, Vec<FailedRepo>) {
    let mut located = Vec::new();
    let mut failed = Vec::new();
    let mut jobs = Vec::new();
    for spec in specs {
        match &spec.location {
            Location::Local(path) => located.push((spec.clone(), path.clone())),
            Location::Url(url) => {
                let dest = mirror_path(&settings.cache_dir, &spec.name);
                if opts.offline {
                    if mirror::is_usable(url, &dest) {
                        located.push((spec.clone(), dest));
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
        let mopts = MirrorOptions {
            token: settings.token.clone(),
            progress: opts.progress,
            jobs: settings.mirror_jobs,
        };
        let just_jobs: Vec<MirrorJob> = jobs.iter().map(|(_, j)| j.clone()).collect();
        for ((spec, job), result) in jobs.into_iter().zip(mirror::sync_all(&just_jobs, &mopts)) {
            match result {
                Ok(outcome) => {
                    info!(repo = %spec.name, "mirror {}", outcome.action);
                    located.push((spec, job.dest));
                }
                Err(e) => {
                    warn!(repo = %spec.name, "skipped: {}", crate::cmd::chain(&e));
                    failed.push(FailedRepo {
                        name: spec.name,
                        error: crate::cmd::chain(&e),
                    });
                }
            }
        }
    }
    (located, failed)
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

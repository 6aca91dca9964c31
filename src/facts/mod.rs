//! Facts: what happened in a window, per repository and for the whole organisation, with trends
//! against the previous window. Every figure is computed from the extracted history.

mod activity;
mod classify;
pub mod enrichment;
pub mod model;
mod prepared;
mod repo;
mod trend;

use std::collections::HashMap;

use globset::GlobSet;
use jiff::tz::TimeZone;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

pub use enrichment::*;
pub use model::*;
pub use repo::PreparedRepo;
use repo::{RepoTally, window_facts};
use trend::Headline;

use crate::history::ObjectId;
use crate::window::{Bounds, DateField, Window};

/// How commits are placed in windows and which paths count as generated.
pub struct FactsSettings {
    pub time_zone: TimeZone,
    /// The IANA name shown in the facts (e.g. `Europe/Berlin`).
    pub time_zone_name: String,
    pub date_field: DateField,
    pub churn_excludes: GlobSet,
}

/// Facts for `window` over the prepared repositories (any order; output is sorted by name).
pub fn compute(
    repos: &[PreparedRepo<'_>],
    failed: Vec<FailedRepo>,
    window: Window,
    settings: &FactsSettings,
) -> OrgFacts {
    let bounds = window.bounds(&settings.time_zone);
    let previous = window.previous();
    let prev_bounds = previous.and_then(|p| p.bounds(&settings.time_zone));

    // Repositories in parallel, and within each the window beside the previous one.
    let mut per_repo: Vec<(RepoFacts, RepoTally, Headline)> = repos
        .par_iter()
        .map(|r| {
            let ((mut f, tally), before) = rayon::join(
                || {
                    let (mut f, tally) = window_facts(r, bounds);
                    f.notable_commits = activity::notable_commits(r, bounds);
                    f.per_day = activity::per_day(r, window, &settings.time_zone);
                    f.range = activity::range(r, bounds);
                    (f, tally)
                },
                || prev_bounds.map(|pb| Headline::of(&window_facts(r, Some(pb)).0)),
            );
            if let (Some(p), Some(before)) = (previous, before) {
                f.trend = Some(trend::trend(p.to_string(), Headline::of(&f), before));
            }
            (f, tally, before.unwrap_or_default())
        })
        .collect();
    per_repo.sort_by(|a, b| a.0.name.cmp(&b.0.name));

    let mut org = org_totals(&per_repo, repos, bounds);
    if let Some(p) = previous {
        let before = per_repo
            .iter()
            .fold(Headline::default(), |acc, (_, _, h)| Headline {
                commits: acc.commits + h.commits,
                authors: 0,
                lines_changed: acc.lines_changed + h.lines_changed,
                merged_pull_requests: acc.merged_pull_requests + h.merged_pull_requests,
            });
        let before = Headline {
            authors: org_authors_count(repos, prev_bounds),
            ..before
        };
        let now = Headline {
            commits: org.commits,
            authors: org.authors.len() as u64,
            lines_changed: org.lines_excluding_generated.added
                + org.lines_excluding_generated.deleted,
            merged_pull_requests: org.merged_pull_requests,
        };
        org.trend = Some(trend::trend(p.to_string(), now, before));
    }
    let mut failed = failed;
    failed.sort_by(|a, b| a.name.cmp(&b.name));
    OrgFacts {
        schema_version: SCHEMA_VERSION,
        generator: format!("sparky {}", env!("CARGO_PKG_VERSION")),
        window: window_info(window, bounds, settings),
        repos: per_repo.into_iter().map(|(f, _, _)| f).collect(),
        failed_repos: failed,
        stale_repos: Vec::new(),
        org,
        enrichment: Enrichment::default(),
    }
}

fn window_info(window: Window, bounds: Option<Bounds>, settings: &FactsSettings) -> WindowInfo {
    let show = |t: jiff::Timestamp| {
        t.to_zoned(settings.time_zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    WindowInfo {
        label: window.to_string(),
        kind: serde_json::to_value(window.kind())
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        start: bounds.map(|b| show(b.start)),
        end: bounds.map(|b| show(b.end)),
        time_zone: settings.time_zone_name.clone(),
        date_field: settings.date_field.as_str().to_string(),
        previous: window.previous().map(|p| p.to_string()),
    }
}

fn org_totals(
    per_repo: &[(RepoFacts, RepoTally, Headline)],
    repos: &[PreparedRepo<'_>],
    bounds: Option<Bounds>,
) -> OrgTotals {
    let mut t = OrgTotals {
        repos: per_repo.len() as u64,
        active_repos: 0,
        commits: 0,
        distinct_commits: 0,
        shared_commits: 0,
        non_merge_commits: 0,
        merge_commits: 0,
        merged_pull_requests: 0,
        tags: 0,
        authors: Vec::new(),
        bot_commits: 0,
        lines: Lines::default(),
        lines_excluding_generated: Lines::default(),
        conventional: Conventional::default(),
        breaking_changes: 0,
        first_time_contributors: Vec::new(),
        trend: None,
        github: None,
    };
    // Commits are distinct within a repository: only two active ones can share some.
    let several_active = per_repo.iter().filter(|(f, _, _)| f.commits > 0).count() > 1;
    let mut ids: FxHashSet<ObjectId> = FxHashSet::default();
    let mut people: HashMap<&str, (Author, i64)> = HashMap::new();
    for (f, tally, _) in per_repo {
        t.active_repos += u64::from(f.commits > 0);
        t.commits += f.commits;
        t.non_merge_commits += f.non_merge_commits;
        t.merge_commits += f.merge_commits;
        t.merged_pull_requests += f.pull_requests.merged();
        t.tags += f.tags.len() as u64;
        t.bot_commits += f.bot_commits;
        t.lines.add(&f.lines);
        t.lines_excluding_generated
            .add(&f.lines_excluding_generated);
        t.conventional.add(&f.conventional);
        t.breaking_changes += f.breaking_changes.len() as u64;
        if several_active {
            ids.extend(tally.commit_ids.iter().copied());
        }
        for (key, (author, last)) in &tally.authors {
            let e = people.entry(key.as_str()).or_insert_with(|| {
                (
                    Author {
                        commits: 0,
                        ..author.clone()
                    },
                    *last,
                )
            });
            e.0.commits += author.commits;
            e.0.bot |= author.bot;
            if *last > e.1 {
                // The most recently active repository's spelling of the name wins.
                e.0.name = author.name.clone();
                e.1 = *last;
            }
        }
    }
    t.distinct_commits = match several_active {
        true => ids.len() as u64,
        false => t.commits,
    };
    t.shared_commits = t.commits - t.distinct_commits;
    t.first_time_contributors = org_first_timers(&people, repos, bounds);
    let mut authors: Vec<Author> = people.into_values().map(|(a, _)| a).collect();
    authors.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    t.authors = authors;
    t
}

fn org_first_timers(
    people: &HashMap<&str, (Author, i64)>,
    repos: &[PreparedRepo<'_>],
    bounds: Option<Bounds>,
) -> Vec<String> {
    let mut v: Vec<String> = people
        .iter()
        .filter(|(_, (a, _))| !a.bot)
        .filter(|(key, _)| {
            let first = repos.iter().filter_map(|r| r.first_seen.get(**key)).min();
            first.is_some_and(|&t| bounds.is_none_or(|b| b.contains(t)))
        })
        .map(|(_, (a, _))| a.name.clone())
        .collect();
    v.sort();
    v
}

fn org_authors_count(repos: &[PreparedRepo<'_>], bounds: Option<Bounds>) -> u64 {
    let mut keys: FxHashSet<&str> = FxHashSet::default();
    for r in repos {
        keys.extend(r.commits_in(bounds).map(|i| r.author(i).key.as_str()));
    }
    keys.len() as u64
}

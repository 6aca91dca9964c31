//! Facts: what happened in a window, per repository and for the whole organisation, with trends
//! against the previous window. Every figure is computed from the extracted history.

mod activity;
pub mod classify;
pub mod enrichment;
pub mod model;
mod org;
mod people;
mod prepared;
mod repo;
mod themes;
mod trend;
mod weeks;

use std::collections::HashMap;

use globset::GlobSet;
use jiff::tz::TimeZone;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

pub use enrichment::*;
pub use model::*;
pub use people::{Contribution, RepoCommits};
pub use repo::PreparedRepo;
use repo::{RepoTally, window_facts};
use trend::Headline;
pub use weeks::{RepoCommit, RepoTags, RepoTheme, WeekFacts};

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
                    (f.themes, f.more_themes) = themes::themes(r, bounds);
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

    // Name order decides which repository a shared commit counts for.
    let by_name: HashMap<&str, &PreparedRepo<'_>> =
        repos.iter().map(|r| (r.name.as_str(), r)).collect();
    let sorted: Vec<&PreparedRepo<'_>> = per_repo
        .iter()
        .filter_map(|(f, _, _)| by_name.get(f.name.as_str()).copied())
        .collect();
    let (mut org, shared, counted) = org_totals(&per_repo, &sorted, window, bounds, settings);
    for (k, ((f, _, _), with)) in per_repo.iter_mut().zip(shared).enumerate() {
        if let (false, Some((per_day, own))) = (with.is_empty(), counted.get(k)) {
            // What changed here that the organisation has not counted elsewhere.
            f.counted_per_day = per_day.clone();
            (f.themes, f.more_themes) = themes::themes_of(sorted[k], own.iter().copied());
        }
        f.shared_with = with;
    }
    if let Some(p) = previous {
        let before = match prev_bounds {
            Some(pb) if per_repo.iter().filter(|(_, _, h)| h.commits > 0).count() > 1 => {
                let d = org::distinct(&sorted, Some(pb), None);
                Headline {
                    commits: d.commits,
                    authors: d.authors.len() as u64,
                    lines_changed: d.lines_excluding_generated.added
                        + d.lines_excluding_generated.deleted,
                    merged_pull_requests: d.merged_pull_requests,
                }
            }
            _ => per_repo
                .iter()
                .fold(Headline::default(), |acc, (_, _, h)| Headline {
                    commits: acc.commits + h.commits,
                    authors: 0,
                    lines_changed: acc.lines_changed + h.lines_changed,
                    merged_pull_requests: acc.merged_pull_requests + h.merged_pull_requests,
                }),
        };
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
    if let Window::Month { .. } = window {
        // A month is told week by week and person by person.
        org.weeks = weeks::weeks(&sorted, window, &settings.time_zone);
        org.contributions = people::contributions(&sorted, bounds);
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

/// Per repository: the commits per day and the commits the organisation counts for it.
type Counted = (Vec<u64>, Vec<usize>);

/// Organisation totals, each commit counted once, and what each repository (by name) shares
/// with the others.
fn org_totals(
    per_repo: &[(RepoFacts, RepoTally, Headline)],
    sorted: &[&PreparedRepo<'_>],
    window: Window,
    bounds: Option<Bounds>,
    settings: &FactsSettings,
) -> (OrgTotals, Vec<Vec<SharedHistory>>, Vec<Counted>) {
    let mut t = OrgTotals {
        repos: per_repo.len() as u64,
        active_repos: per_repo.iter().filter(|(f, _, _)| f.commits > 0).count() as u64,
        commits: 0,
        distinct_commits: 0,
        repo_commits: per_repo.iter().map(|(f, _, _)| f.commits).sum(),
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
        per_day: Vec::new(),
        weeks: Vec::new(),
        contributions: Vec::new(),
        trend: None,
        github: None,
    };
    // Commits are distinct within a repository: only two active ones can share some. With one,
    // the sums are the distinct figures and the per-repository facts already hold them.
    let (people, shared, counted) = if t.active_repos > 1 {
        let d = org::distinct(sorted, bounds, Some((window, &settings.time_zone)));
        t.commits = d.commits;
        t.non_merge_commits = d.non_merge_commits;
        t.merge_commits = d.merge_commits;
        t.merged_pull_requests = d.merged_pull_requests;
        t.tags = d.tags;
        t.bot_commits = d.bot_commits;
        t.lines = d.lines;
        t.lines_excluding_generated = d.lines_excluding_generated;
        t.conventional = d.conventional;
        t.breaking_changes = d.breaking_changes;
        t.per_day = d.per_day;
        let names: Vec<&str> = per_repo.iter().map(|(f, _, _)| f.name.as_str()).collect();
        (
            d.authors,
            org::shared_with(&names, &d.shared),
            d.counted_per_day.into_iter().zip(d.counted).collect(),
        )
    } else {
        for (f, _, _) in per_repo.iter().filter(|(f, _, _)| f.commits > 0) {
            t.commits = f.commits;
            t.non_merge_commits = f.non_merge_commits;
            t.merge_commits = f.merge_commits;
            t.merged_pull_requests = f.pull_requests.merged();
            t.bot_commits = f.bot_commits;
            t.lines = f.lines;
            t.lines_excluding_generated = f.lines_excluding_generated;
            t.conventional = f.conventional;
            t.breaking_changes = f.breaking_changes.len() as u64;
            t.per_day = f.per_day.clone();
        }
        t.tags = org::distinct_tags(sorted, bounds);
        (
            org::people_of(per_repo.iter().map(|(_, tally, _)| tally)),
            vec![Vec::new(); per_repo.len()],
            Vec::new(),
        )
    };
    t.distinct_commits = t.commits;
    t.shared_commits = t.repo_commits - t.commits;
    t.first_time_contributors = org_first_timers(&people, sorted, bounds);
    let mut authors: Vec<Author> = people.into_values().map(|(a, _)| a).collect();
    authors.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    t.authors = authors;
    (t, shared, counted)
}

fn org_first_timers(
    people: &HashMap<String, (Author, i64)>,
    repos: &[&PreparedRepo<'_>],
    bounds: Option<Bounds>,
) -> Vec<String> {
    let mut v: Vec<String> = people
        .iter()
        .filter(|(_, (a, _))| a.is_person())
        .filter(|(key, _)| {
            let first = repos.iter().filter_map(|r| r.first_seen.get(*key)).min();
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

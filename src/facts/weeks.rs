//! A month week by week: each ISO week that overlaps the month, clipped to the month's days, with
//! its own organisation figures (each commit once, as `org` counts them), its main themes and
//! its releases.

use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use super::model::{Author, Lines, Theme};
use super::repo::{PreparedRepo, tag_in, tag_time};
use super::{activity, classify, org, themes};
use crate::window::{Bounds, Window, WindowKind};

/// Themes kept per week across the organisation.
const THEMES: usize = 6;
/// Themes of one repository among them, so one busy repository does not hide the others.
const THEMES_PER_REPO: usize = 2;

/// One ISO week of a month, clipped to the month's days.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WeekFacts {
    /// The ISO week, `2025-W46`.
    pub week: String,
    /// The first and last calendar day of the week inside the month (`YYYY-MM-DD`).
    pub first_day: String,
    pub last_day: String,
    /// Distinct commits (shared history counted once).
    pub commits: u64,
    /// Repositories with at least one commit in the week.
    pub active_repos: u64,
    /// Authors who are people, AI coding agents and bots.
    pub people: u64,
    pub agents: u64,
    pub bots: u64,
    /// The people with the most commits in the week (at most three), most first.
    pub top_people: Vec<Author>,
    /// People whose first commit anywhere in the organisation is in the week.
    pub first_time_contributors: Vec<String>,
    /// Merged pull requests, one on shared history counted once.
    pub merged_pull_requests: u64,
    /// Lines over the distinct non-merge commits, after exclusions.
    pub lines_excluding_generated: Lines,
    /// The week's main themes across repositories, most commits first (at most six, two per
    /// repository), over the commits the organisation counts for each repository.
    pub themes: Vec<RepoTheme>,
    /// Breaking changes in the week (non-merge commits the organisation counts, `type!:` or a
    /// `BREAKING CHANGE:` footer), by repository name, oldest first.
    #[serde(default)]
    pub breaking_changes: Vec<RepoCommit>,
    /// Tags created in the week per repository (a tag on shared history for the first
    /// repository by name), oldest first.
    pub tags: Vec<RepoTags>,
}

/// A theme of one repository.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepoTheme {
    pub repo: String,
    pub theme: Theme,
}

/// A commit of one repository.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepoCommit {
    pub repo: String,
    pub id: String,
    pub subject: String,
}

/// Tags of one repository, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepoTags {
    pub repo: String,
    pub tags: Vec<String>,
}

/// The weeks of a month window (empty for other windows), oldest first; `repos` sorted by name.
pub(super) fn weeks(repos: &[&PreparedRepo<'_>], window: Window, tz: &TimeZone) -> Vec<WeekFacts> {
    clipped_weeks(window)
        .into_iter()
        .filter_map(|(week, first, last)| {
            let bounds = days_bounds(first, last, tz)?;
            Some(week_facts(repos, week, first, last, bounds))
        })
        .collect()
}

/// Each ISO week overlapping a month, with its first and last day inside the month.
fn clipped_weeks(window: Window) -> Vec<(Window, Date, Date)> {
    let (Window::Month { .. }, Some(first)) = (window, window.first_day()) else {
        return Vec::new();
    };
    let Ok(end) = first.checked_add(1.month()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut day = first;
    while day < end {
        let week = Window::containing(WindowKind::Week, day);
        let sunday = week
            .first_day()
            .and_then(|m| m.checked_add(6.days()).ok())
            .unwrap_or(day);
        let last = sunday.min(end.yesterday().unwrap_or(day));
        out.push((week, day, last));
        match last.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

/// The instants from the start of `first` to the end of `last` in `tz`.
fn days_bounds(first: Date, last: Date, tz: &TimeZone) -> Option<Bounds> {
    Some(Bounds {
        start: first.to_zoned(tz.clone()).ok()?.timestamp(),
        end: last.tomorrow().ok()?.to_zoned(tz.clone()).ok()?.timestamp(),
    })
}

fn week_facts(
    repos: &[&PreparedRepo<'_>],
    week: Window,
    first: Date,
    last: Date,
    bounds: Bounds,
) -> WeekFacts {
    let d = org::distinct(repos, Some(bounds), None);
    let authors = || d.authors.values().map(|(a, _)| a);
    let mut ranked: Vec<RepoTheme> = Vec::new();
    for (r, counted) in repos.iter().zip(&d.counted) {
        let (themes, _) = themes::themes_of(r, counted.iter().copied());
        ranked.extend(
            themes
                .into_iter()
                .take(THEMES_PER_REPO)
                .map(|theme| RepoTheme {
                    repo: r.name.clone(),
                    theme,
                }),
        );
    }
    // Most commits first; on a tie the repository earlier by name, then its own order.
    ranked.sort_by_key(|t| std::cmp::Reverse(t.theme.commits));
    ranked.truncate(THEMES);
    let mut top: Vec<Author> = authors().filter(|a| a.is_person()).cloned().collect();
    top.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    top.truncate(3);
    let mut first_timers: Vec<String> = d
        .authors
        .iter()
        .filter(|(_, (a, _))| a.is_person())
        .filter(|(key, _)| {
            let first = repos.iter().filter_map(|r| r.first_seen.get(*key)).min();
            first.is_some_and(|&t| bounds.contains(t))
        })
        .map(|(_, (a, _))| a.name.clone())
        .collect();
    first_timers.sort();
    WeekFacts {
        week: week.to_string(),
        first_day: first.to_string(),
        last_day: last.to_string(),
        commits: d.commits,
        active_repos: repos
            .iter()
            .filter(|r| r.commits_in(Some(bounds)).next().is_some())
            .count() as u64,
        people: authors().filter(|a| a.is_person()).count() as u64,
        agents: authors().filter(|a| a.agent).count() as u64,
        bots: authors().filter(|a| a.bot).count() as u64,
        top_people: top,
        first_time_contributors: first_timers,
        merged_pull_requests: d.merged_pull_requests,
        lines_excluding_generated: d.lines_excluding_generated,
        themes: ranked,
        breaking_changes: breaking(repos, &d.counted),
        tags: tags(repos, bounds),
    }
}

/// The breaking changes among the commits counted for each repository, oldest first.
fn breaking(repos: &[&PreparedRepo<'_>], counted: &[Vec<usize>]) -> Vec<RepoCommit> {
    let mut out = Vec::new();
    for (r, commits) in repos.iter().zip(counted) {
        let mut found: Vec<(i64, RepoCommit)> = commits
            .iter()
            .map(|&i| (i, r.commit(i)))
            .filter(|(_, c)| !c.is_merge())
            .filter(|(_, c)| classify::is_breaking(c))
            .map(|(i, c)| {
                let commit = RepoCommit {
                    repo: r.name.clone(),
                    id: c.id.to_string(),
                    subject: activity::bounded_subject(&c.subject),
                };
                (r.time(i), commit)
            })
            .collect();
        found.sort_by_key(|(t, _)| *t);
        out.extend(found.into_iter().map(|(_, c)| c));
    }
    out
}

/// Tags created in `bounds` per repository, the same name on the same commit once.
fn tags(repos: &[&PreparedRepo<'_>], bounds: Bounds) -> Vec<RepoTags> {
    let mut seen: FxHashSet<(&str, &str)> = FxHashSet::default();
    let mut out = Vec::new();
    for r in repos {
        let mut tags: Vec<(i64, &str)> = r
            .history
            .tags
            .iter()
            .filter(|t| tag_in(r, t, Some(bounds)))
            .filter(|t| seen.insert((&t.name, &t.commit)))
            .map(|t| (tag_time(r, t), t.name.as_str()))
            .collect();
        if tags.is_empty() {
            continue;
        }
        tags.sort();
        out.push(RepoTags {
            repo: r.name.clone(),
            tags: tags.into_iter().map(|(_, n)| n.to_string()).collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clipped_weeks;

    #[test]
    fn weeks_of_a_month_are_clipped_to_its_days() {
        let w: crate::window::Window = "2025-11".parse().expect("window");
        let got: Vec<String> = clipped_weeks(w)
            .into_iter()
            .map(|(w, a, b)| format!("{w} {a} {b}"))
            .collect();
        assert_eq!(
            got,
            [
                "2025-W44 2025-11-01 2025-11-02",
                "2025-W45 2025-11-03 2025-11-09",
                "2025-W46 2025-11-10 2025-11-16",
                "2025-W47 2025-11-17 2025-11-23",
                "2025-W48 2025-11-24 2025-11-30",
            ]
        );
        // A month starting on a Monday and ending mid-week; a week across the new year.
        let dec: crate::window::Window = "2025-12".parse().expect("window");
        let last = clipped_weeks(dec)
            .pop()
            .map(|(w, a, b)| format!("{w} {a} {b}"));
        assert_eq!(last.as_deref(), Some("2026-W01 2025-12-29 2025-12-31"));
        assert!(clipped_weeks("2025-W46".parse().expect("window")).is_empty());
    }
}

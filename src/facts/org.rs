//! Organisation figures: every commit counted once. A commit several repositories share (a fork,
//! a mirror, a library split out with its history) counts for the first of them by name; its
//! lines, files, pull request and author count once too. Each repository keeps its own figures
//! and learns which other repositories share its window's commits.

use std::collections::{BTreeSet, HashMap};

use jiff::tz::TimeZone;
use rustc_hash::{FxHashMap, FxHashSet};

use super::activity;
use super::classify;
use super::model::{Author, Conventional, DayActivity, Lines, SharedHistory};
use super::repo::{PreparedRepo, RepoTally};
use crate::history::ObjectId;
use crate::window::{Bounds, Window};

/// The distinct figures of one window.
#[derive(Default)]
pub(super) struct Distinct {
    pub commits: u64,
    pub non_merge_commits: u64,
    pub merge_commits: u64,
    pub bot_commits: u64,
    pub merged_pull_requests: u64,
    pub tags: u64,
    pub lines: Lines,
    pub lines_excluding_generated: Lines,
    pub conventional: Conventional,
    pub breaking_changes: u64,
    /// Commit counts per person key, with the display name, bot flag and latest commit time.
    pub authors: HashMap<String, (Author, i64)>,
    pub per_day: Vec<DayActivity>,
    /// Per repository (in the order given): commits shared with each other repository.
    pub shared: Vec<FxHashMap<usize, u64>>,
    /// Per repository, the commits per day counted for it (parallel to `per_day`).
    pub counted_per_day: Vec<Vec<u64>>,
    /// Per repository, the indices of the commits counted for it.
    pub counted: Vec<Vec<usize>>,
}

/// Counts the commits of `repos` (sorted by name) in `bounds`, each commit once.
pub(super) fn distinct(
    repos: &[&PreparedRepo<'_>],
    bounds: Option<Bounds>,
    window: Option<(Window, &TimeZone)>,
) -> Distinct {
    let mut d = Distinct {
        shared: vec![FxHashMap::default(); repos.len()],
        counted: vec![Vec::new(); repos.len()],
        counted_per_day: vec![Vec::new(); repos.len()],
        ..Distinct::default()
    };
    let days = window.and_then(|(w, tz)| activity::day_slots(w, tz));
    if let Some((_, slots)) = &days {
        d.per_day = slots.clone();
        d.counted_per_day = vec![vec![0; slots.len()]; repos.len()];
    }
    let mut owner: FxHashMap<ObjectId, usize> = FxHashMap::default();
    for (k, r) in repos.iter().enumerate() {
        // Pull requests are told apart by repository and number, counted by the commits that
        // count: one whose commits all belong to an earlier repository is that repository's.
        let mut prs: BTreeSet<u64> = BTreeSet::new();
        for i in r.commits_in(bounds) {
            let c = r.commit(i);
            let first = *owner.entry(c.id).or_insert(k);
            if first != k {
                *d.shared[k].entry(first).or_default() += 1;
                *d.shared[first].entry(k).or_default() += 1;
                continue;
            }
            d.commits += 1;
            d.counted[k].push(i);
            let person = r.author(i);
            let e = d.authors.entry(person.key.clone()).or_insert_with(|| {
                (
                    Author {
                        name: person.name.clone(),
                        commits: 0,
                        bot: person.bot,
                        agent: person.agent,
                    },
                    i64::MIN,
                )
            });
            e.0.commits += 1;
            if r.time(i) > e.1 {
                // The most recent commit's spelling of the name wins.
                e.0.name = person.name.clone();
                e.1 = r.time(i);
            }
            d.bot_commits += u64::from(person.bot);
            let n = days
                .as_ref()
                .zip(window)
                .and_then(|((first, _), (_, tz))| activity::day_index(*first, tz, r.time(i)))
                .filter(|&n| n < d.per_day.len());
            if let Some(n) = n {
                d.counted_per_day[k][n] += 1;
            }
            let day = n.map(|n| &mut d.per_day[n]);
            if c.is_merge() {
                d.merge_commits += 1;
                prs.extend(classify::merge_pull_request(&c.subject));
                if let Some(slot) = day {
                    slot.commits += 1;
                }
                continue;
            }
            d.non_merge_commits += 1;
            prs.extend(classify::squash_ref(&c.subject));
            let header = classify::conventional(&c.subject);
            d.conventional.count_kind(classify::kind_of(header));
            if header.is_some_and(|h| h.breaking) || c.breaking_footer {
                d.breaking_changes += 1;
            }
            d.lines.add(&r.lines(i));
            let counted = r.counted_lines(i);
            d.lines_excluding_generated.add(&counted);
            if let Some(slot) = day {
                slot.commits += 1;
                slot.added += counted.added;
                slot.deleted += counted.deleted;
            }
        }
        d.merged_pull_requests += prs.len() as u64;
    }
    d.tags = distinct_tags(repos, bounds);
    d
}

/// Tags created in `bounds`, the same name on the same commit in several repositories once.
pub(super) fn distinct_tags(repos: &[&PreparedRepo<'_>], bounds: Option<Bounds>) -> u64 {
    let mut tags: FxHashSet<(&str, &str)> = FxHashSet::default();
    for r in repos {
        for t in &r.history.tags {
            if super::repo::tag_in(r, t, bounds) {
                tags.insert((&t.name, &t.commit));
            }
        }
    }
    tags.len() as u64
}

/// What each repository shares with the others, most commits first, from [`Distinct::shared`].
pub(super) fn shared_with(
    names: &[&str],
    shared: &[FxHashMap<usize, u64>],
) -> Vec<Vec<SharedHistory>> {
    shared
        .iter()
        .map(|m| {
            let mut v: Vec<SharedHistory> = m
                .iter()
                .map(|(&other, &commits)| SharedHistory {
                    repo: names[other].to_string(),
                    commits,
                })
                .collect();
            v.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.repo.cmp(&b.repo)));
            v
        })
        .collect()
}

/// People across repositories from the per-repository tallies (used when no commit is shared,
/// where the sums are already distinct).
pub(super) fn people_of<'t>(
    tallies: impl Iterator<Item = &'t RepoTally>,
) -> HashMap<String, (Author, i64)> {
    let mut people: HashMap<String, (Author, i64)> = HashMap::new();
    for tally in tallies {
        for (key, (author, last)) in &tally.authors {
            let e = people.entry(key.clone()).or_insert_with(|| {
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
            e.0.agent |= author.agent;
            if *last > e.1 {
                // The most recently active repository's spelling of the name wins.
                e.0.name = author.name.clone();
                e.1 = *last;
            }
        }
    }
    people
}

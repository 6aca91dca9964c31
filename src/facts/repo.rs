//! Per-repository facts for one window, from a prepared history.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use super::classify;
use super::enrichment::{DetailSource, PullRequestDetail};
use super::model::{
    Author, CommitRef, Conventional, Hotspot, Hotspots, Lines, PullRequests, RepoFacts,
};
pub use super::prepared::PreparedRepo;
use crate::history::CommitRecord;
use crate::identity::Person;
use crate::window::{Bounds, DateField};

const HOTSPOTS: usize = 10;

/// What one window of one repository adds to organisation totals beyond its public facts.
pub struct RepoTally {
    /// Commit counts per person key, with the display name and bot flag.
    pub authors: HashMap<String, (Author, i64)>,
}

/// Computes a repository's facts for `bounds` (no trend; see `facts::trend`).
pub fn window_facts<'a>(repo: &PreparedRepo<'a>, bounds: Option<Bounds>) -> (RepoFacts, RepoTally) {
    let mut f = empty(repo);
    // Per person index: commits and the latest commit time.
    let mut authors: Vec<(u64, i64)> = vec![(0, i64::MIN); repo.people.len()];
    let mut co_authors: Vec<u64> = vec![0; repo.people.len()];
    // Per path index: churn, commits, and the last commit counted (a path is counted once per
    // commit even if it appears twice). A map, not a vector over every path: a day's window
    // should cost what its commits change, not what the whole history ever touched.
    let mut paths: FxHashMap<u32, (u64, u64, usize)> = FxHashMap::default();
    let mut pr_merges = Vec::new();
    let mut pr_squashes = Vec::new();
    // Pull request number → title as git has it (newest commit first).
    let mut pr_titles: BTreeMap<u64, Option<String>> = BTreeMap::new();
    for i in repo.commits_in(bounds) {
        let c: &'a CommitRecord = repo.commit(i);
        f.commits += 1;
        let a = &mut authors[repo.author_of[i]];
        a.0 += 1;
        a.1 = a.1.max(repo.time(i));
        for &p in &repo.co_authors_of[i] {
            co_authors[p] += 1;
        }
        if repo.author(i).bot {
            f.bot_commits += 1;
        }
        if c.lossy_message {
            f.lossy_messages += 1;
        }
        if c.is_merge() {
            f.merge_commits += 1;
            if let Some(n) = classify::merge_pull_request(&c.subject) {
                pr_merges.push(n);
                let title = pr_titles.entry(n).or_default();
                if title.is_none() {
                    *title = classify::merge_title(&c.body);
                }
            }
            continue;
        }
        f.non_merge_commits += 1;
        if let Some(n) = classify::squash_ref(&c.subject) {
            pr_squashes.push(n);
            let title = pr_titles.entry(n).or_default();
            if title.is_none() {
                *title = classify::squash_title(&c.subject);
            }
        }
        let header = classify::conventional(&c.subject);
        f.conventional.count_kind(classify::kind_of(header));
        let bang = header.is_some_and(|h| h.breaking);
        if bang || c.breaking_footer {
            f.breaking_changes.push(CommitRef {
                id: c.id.to_string(),
                subject: super::activity::bounded_subject(&c.subject),
            });
        }
        if c.diff_error.is_some() {
            f.incomplete_diffs += 1;
        }
        f.lines.add(&repo.lines(i));
        f.lines_excluding_generated.add(&repo.counted_lines(i));
        for (p, file) in repo.counted_files(i) {
            let e = paths.entry(p).or_insert((0, 0, usize::MAX));
            e.0 += u64::from(file.added) + u64::from(file.deleted);
            if e.2 != i {
                e.1 += 1;
                e.2 = i;
            }
        }
    }
    let authors: Vec<(usize, u64, i64)> = authors
        .into_iter()
        .enumerate()
        .filter(|&(_, (n, _))| n > 0)
        .map(|(p, (n, last))| (p, n, last))
        .collect();
    f.pull_requests = PullRequests {
        merge_commits: sorted_unique(pr_merges),
        squash_refs: sorted_unique(pr_squashes),
        details: pr_titles
            .into_iter()
            .map(|(number, title)| PullRequestDetail {
                number,
                title,
                labels: Vec::new(),
                url: None,
                source: DetailSource::Git,
            })
            .collect(),
    };
    f.authors = ranked(authors.iter().map(|&(p, n, _)| (&repo.people[p], n)));
    f.co_authors = ranked(
        co_authors
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(p, &n)| (&repo.people[p], n)),
    );
    f.hotspots = hotspots(
        paths
            .into_iter()
            .map(|(p, (churn, commits, _))| (repo.path(p), churn, commits)),
    );
    f.tags = tags_in(repo, bounds);
    f.first_time_contributors = first_timers(
        authors.iter().map(|&(p, _, _)| &repo.people[p]),
        &repo.first_seen,
        bounds,
    );
    let tally = RepoTally {
        authors: authors
            .iter()
            .map(|&(p, n, last)| {
                let person = &repo.people[p];
                (
                    person.key.clone(),
                    (
                        Author {
                            name: person.name.clone(),
                            commits: n,
                            bot: person.bot,
                            agent: person.agent,
                        },
                        last,
                    ),
                )
            })
            .collect(),
    };
    (f, tally)
}

fn empty(repo: &PreparedRepo<'_>) -> RepoFacts {
    let h = repo.history;
    RepoFacts {
        name: repo.name.clone(),
        url: None,
        branch: h.branch.clone(),
        head: h.head.clone(),
        commits: 0,
        non_merge_commits: 0,
        merge_commits: 0,
        pull_requests: PullRequests::default(),
        tags: Vec::new(),
        authors: Vec::new(),
        co_authors: Vec::new(),
        bot_commits: 0,
        lines: Lines::default(),
        lines_excluding_generated: Lines::default(),
        conventional: Conventional::default(),
        breaking_changes: Vec::new(),
        hotspots: Hotspots::default(),
        themes: Vec::new(),
        more_themes: Default::default(),
        notable_commits: Vec::new(),
        per_day: Vec::new(),
        range: None,
        first_time_contributors: Vec::new(),
        shared_with: Vec::new(),
        counted_per_day: Vec::new(),
        unreadable_commits: h.unreadable.len() as u64,
        incomplete_diffs: 0,
        lossy_messages: 0,
        trend: None,
        github: None,
    }
}

fn sorted_unique(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Most commits first, then by name, for a stable order.
pub fn ranked<'p>(people: impl Iterator<Item = (&'p Person, u64)>) -> Vec<Author> {
    let mut v: Vec<Author> = people
        .map(|(p, n)| Author {
            name: p.name.clone(),
            commits: n,
            bot: p.bot,
            agent: p.agent,
        })
        .collect();
    v.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    v
}

/// The paths and folders with the most churn, from each path's churn and commit count.
fn hotspots<'p>(paths: impl Iterator<Item = (&'p str, u64, u64)>) -> Hotspots {
    let paths: Vec<(&str, u64, u64)> = paths.collect();
    let mut folders: FxHashMap<&str, (u64, u64)> = FxHashMap::default();
    for &(path, churn, commits) in &paths {
        let folder = path.rsplit_once('/').map_or(".", |(dir, _)| dir);
        let e = folders.entry(folder).or_default();
        e.0 += churn;
        e.1 += commits;
    }
    let folders = folders
        .into_iter()
        .map(|(folder, (churn, commits))| (folder, churn, commits))
        .collect();
    Hotspots {
        paths: top(paths),
        folders: top(folders),
    }
}

/// The [`HOTSPOTS`] entries with the most churn, most first (ties by path).
fn top(mut v: Vec<(&str, u64, u64)>) -> Vec<Hotspot> {
    v.retain(|&(_, churn, _)| churn > 0);
    let order =
        |a: &(&str, u64, u64), b: &(&str, u64, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    if v.len() > HOTSPOTS {
        v.select_nth_unstable_by(HOTSPOTS, order);
        v.truncate(HOTSPOTS);
    }
    v.sort_unstable_by(order);
    v.into_iter()
        .map(|(path, churn, commits)| Hotspot {
            path: path.to_string(),
            churn,
            commits,
        })
        .collect()
}

fn tags_in(repo: &PreparedRepo<'_>, bounds: Option<Bounds>) -> Vec<String> {
    let mut tags: Vec<(i64, &str)> = repo
        .history
        .tags
        .iter()
        .filter(|t| tag_in(repo, t, bounds))
        .map(|t| (tag_time(repo, t), t.name.as_str()))
        .collect();
    tags.sort();
    tags.into_iter().map(|(_, n)| n.to_string()).collect()
}

/// Whether tag `t` was created in `bounds`.
pub(super) fn tag_in(
    repo: &PreparedRepo<'_>,
    t: &crate::history::TagRecord,
    bounds: Option<Bounds>,
) -> bool {
    bounds.is_none_or(|b| b.contains(tag_time(repo, t)))
}

/// A tag's date: the tagger's for annotated tags, otherwise the commit's configured date.
pub(super) fn tag_time(repo: &PreparedRepo<'_>, t: &crate::history::TagRecord) -> i64 {
    t.tagger_time.unwrap_or(match repo.date_field {
        DateField::Committer => t.commit_committer_time,
        DateField::Author => t.commit_author_time,
    })
}

fn first_timers<'p>(
    people: impl Iterator<Item = &'p Person>,
    first_seen: &HashMap<String, i64>,
    bounds: Option<Bounds>,
) -> Vec<String> {
    let mut v: Vec<String> = people
        .filter(|p| !p.bot && !p.agent)
        .filter(|p| {
            first_seen
                .get(&p.key)
                .is_some_and(|&t| bounds.is_none_or(|b| b.contains(t)))
        })
        .map(|p| p.name.clone())
        .collect();
    v.sort();
    v
}

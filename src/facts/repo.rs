//! Per-repository facts for one window, from a repository's history.

use std::collections::{BTreeMap, HashMap, HashSet};

use globset::GlobSet;

use super::classify;
use super::enrichment::{DetailSource, PullRequestDetail};
use super::model::{
    Author, CommitRef, Conventional, Hotspot, Hotspots, Lines, PullRequests, RepoFacts,
};
use crate::history::{CommitRecord, RepoHistory};
use crate::identity::{Identities, Person};
use crate::window::{Bounds, DateField};

const HOTSPOTS: usize = 10;

/// A repository's history with identities resolved and dates picked, ready for any window.
pub struct PreparedRepo<'a> {
    pub name: String,
    pub history: &'a RepoHistory,
    /// Distinct people, indexed by `author_of` and `co_authors_of`.
    pub people: Vec<Person>,
    author_of: Vec<usize>,
    co_authors_of: Vec<Vec<usize>>,
    /// The configured date of each commit (Unix seconds), parallel to `history.commits`.
    time_of: Vec<i64>,
    /// Earliest commit time per person key (authors only).
    pub first_seen: HashMap<String, i64>,
    date_field: DateField,
}

impl<'a> PreparedRepo<'a> {
    pub fn new(
        name: &str,
        history: &'a RepoHistory,
        ids: &Identities,
        date_field: DateField,
    ) -> Self {
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut people: Vec<Person> = Vec::new();
        let mut person = |name: &str, email: &str| -> usize {
            if let Some(&i) = index.get(&(name.to_string(), email.to_string())) {
                return i;
            }
            let p = ids.resolve(name, email);
            let i = *by_key.entry(p.key.clone()).or_insert_with(|| {
                people.push(p.clone());
                people.len() - 1
            });
            index.insert((name.to_string(), email.to_string()), i);
            i
        };
        let mut author_of = Vec::with_capacity(history.commits.len());
        let mut co_authors_of = Vec::with_capacity(history.commits.len());
        let mut time_of = Vec::with_capacity(history.commits.len());
        for c in &history.commits {
            author_of.push(person(&c.author.name, &c.author.email));
            co_authors_of.push(
                c.co_authors
                    .iter()
                    .map(|a| person(&a.name, &a.email))
                    .collect(),
            );
            time_of.push(match date_field {
                DateField::Committer => c.committer.time,
                DateField::Author => c.author.time,
            });
        }
        let mut first_seen: HashMap<String, i64> = HashMap::new();
        for (i, &t) in time_of.iter().enumerate() {
            let key = &people[author_of[i]].key;
            let e = first_seen.entry(key.clone()).or_insert(t);
            *e = (*e).min(t);
        }
        PreparedRepo {
            name: name.to_string(),
            history,
            people,
            author_of,
            co_authors_of,
            time_of,
            first_seen,
            date_field,
        }
    }

    /// Indices of the commits dated in `bounds` (all commits when `None`).
    pub fn commits_in(&self, bounds: Option<Bounds>) -> impl Iterator<Item = usize> + '_ {
        (0..self.history.commits.len())
            .filter(move |&i| bounds.is_none_or(|b| b.contains(self.time_of[i])))
    }

    /// The configured date of commit `i` (Unix seconds).
    pub fn time(&self, i: usize) -> i64 {
        self.time_of[i]
    }

    pub fn author(&self, commit: usize) -> &Person {
        &self.people[self.author_of[commit]]
    }

    pub fn commit(&self, i: usize) -> &CommitRecord {
        &self.history.commits[i]
    }
}

/// Caches whether a path is excluded from churn, so each distinct path is matched once.
pub struct Exclusions<'g> {
    globs: &'g GlobSet,
    seen: HashMap<String, bool>,
}

impl<'g> Exclusions<'g> {
    pub fn new(globs: &'g GlobSet) -> Self {
        Exclusions {
            globs,
            seen: HashMap::new(),
        }
    }

    pub fn excluded(&mut self, path: &str) -> bool {
        if let Some(&hit) = self.seen.get(path) {
            return hit;
        }
        let hit = self.globs.is_match(path);
        self.seen.insert(path.to_string(), hit);
        hit
    }
}

/// What one window of one repository adds to organisation totals beyond its public facts.
pub struct RepoTally<'a> {
    /// Commit counts per person key, with the display name and bot flag.
    pub authors: HashMap<String, (Author, i64)>,
    pub commit_ids: HashSet<&'a str>,
}

/// Computes a repository's facts for `bounds` (no trend; see `facts::trend`).
pub fn window_facts<'a>(
    repo: &PreparedRepo<'a>,
    bounds: Option<Bounds>,
    excl: &mut Exclusions<'_>,
) -> (RepoFacts, RepoTally<'a>) {
    let history: &'a RepoHistory = repo.history;
    let mut f = empty(repo);
    let mut authors: HashMap<usize, (u64, i64)> = HashMap::new();
    let mut co_authors: HashMap<usize, u64> = HashMap::new();
    let mut paths: HashMap<&'a str, (u64, u64)> = HashMap::new();
    let mut commit_ids = HashSet::new();
    let mut pr_merges = Vec::new();
    let mut pr_squashes = Vec::new();
    // Pull request number → title as git has it (newest commit first).
    let mut pr_titles: BTreeMap<u64, Option<String>> = BTreeMap::new();
    for i in repo.commits_in(bounds) {
        let c: &'a CommitRecord = &history.commits[i];
        commit_ids.insert(c.id.as_str());
        f.commits += 1;
        let a = authors.entry(repo.author_of[i]).or_insert((0, i64::MIN));
        a.0 += 1;
        a.1 = a.1.max(repo.time_of[i]);
        for &p in &repo.co_authors_of[i] {
            *co_authors.entry(p).or_default() += 1;
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
        f.conventional.count(&c.subject);
        let bang = classify::conventional(&c.subject).is_some_and(|h| h.breaking);
        if bang || c.breaking_footer {
            f.breaking_changes.push(CommitRef {
                id: c.id.clone(),
                subject: c.subject.clone(),
            });
        }
        if c.diff_error.is_some() {
            f.incomplete_diffs += 1;
        }
        let mut touched: HashSet<&str> = HashSet::new();
        for file in &c.files {
            add_lines(&mut f.lines, file.added, file.deleted);
            if excl.excluded(&file.path) {
                continue;
            }
            add_lines(&mut f.lines_excluding_generated, file.added, file.deleted);
            let e = paths.entry(file.path.as_str()).or_default();
            e.0 += u64::from(file.added) + u64::from(file.deleted);
            if touched.insert(&file.path) {
                e.1 += 1;
            }
        }
    }
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
    f.authors = ranked(authors.iter().map(|(&p, &(n, _))| (&repo.people[p], n)));
    f.co_authors = ranked(co_authors.iter().map(|(&p, &n)| (&repo.people[p], n)));
    f.hotspots = hotspots(&paths);
    f.tags = tags_in(repo, bounds);
    f.first_time_contributors = first_timers(
        authors.keys().map(|&p| &repo.people[p]),
        &repo.first_seen,
        bounds,
    );
    let tally = RepoTally {
        authors: authors
            .iter()
            .map(|(&p, &(n, last))| {
                let person = &repo.people[p];
                (
                    person.key.clone(),
                    (
                        Author {
                            name: person.name.clone(),
                            commits: n,
                            bot: person.bot,
                        },
                        last,
                    ),
                )
            })
            .collect(),
        commit_ids,
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
        notable_commits: Vec::new(),
        per_day: Vec::new(),
        range: None,
        first_time_contributors: Vec::new(),
        unreadable_commits: h.unreadable.len() as u64,
        incomplete_diffs: 0,
        lossy_messages: 0,
        trend: None,
        github: None,
    }
}

fn add_lines(l: &mut Lines, added: u32, deleted: u32) {
    l.added += u64::from(added);
    l.deleted += u64::from(deleted);
    l.files_changed += 1;
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
        })
        .collect();
    v.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    v
}

fn hotspots(paths: &HashMap<&str, (u64, u64)>) -> Hotspots {
    let mut folders: HashMap<&str, (u64, u64)> = HashMap::new();
    for (path, &(churn, commits)) in paths {
        let folder = path.rsplit_once('/').map_or(".", |(dir, _)| dir);
        let e = folders.entry(folder).or_default();
        e.0 += churn;
        e.1 += commits;
    }
    Hotspots {
        paths: top(paths),
        folders: top(&folders),
    }
}

fn top(map: &HashMap<&str, (u64, u64)>) -> Vec<Hotspot> {
    let mut v: Vec<Hotspot> = map
        .iter()
        .filter(|(_, (churn, _))| *churn > 0)
        .map(|(p, &(churn, commits))| Hotspot {
            path: p.to_string(),
            churn,
            commits,
        })
        .collect();
    v.sort_by(|a, b| b.churn.cmp(&a.churn).then_with(|| a.path.cmp(&b.path)));
    v.truncate(HOTSPOTS);
    v
}

fn tags_in(repo: &PreparedRepo<'_>, bounds: Option<Bounds>) -> Vec<String> {
    let mut tags: Vec<(i64, &str)> = repo
        .history
        .tags
        .iter()
        .map(|t| (tag_time(repo, t), t.name.as_str()))
        .filter(|(time, _)| bounds.is_none_or(|b| b.contains(*time)))
        .collect();
    tags.sort();
    tags.into_iter().map(|(_, n)| n.to_string()).collect()
}

/// A tag's date: the tagger's for annotated tags, otherwise the commit's configured date.
fn tag_time(repo: &PreparedRepo<'_>, t: &crate::history::TagRecord) -> i64 {
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
        .filter(|p| !p.bot)
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

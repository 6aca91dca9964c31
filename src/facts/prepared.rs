//! A repository's history prepared once for any number of windows: identities resolved, dates
//! picked, paths interned and matched against the churn exclusions, and each commit's line
//! totals summed.

use std::collections::HashMap;

use globset::GlobSet;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::FactsSettings;
use super::model::Lines;
use crate::history::{CommitRecord, RepoHistory};
use crate::identity::{Identities, Person};
use crate::window::{Bounds, DateField};

/// A repository's history with everything that does not depend on the window worked out.
pub struct PreparedRepo<'a> {
    pub name: String,
    pub history: &'a RepoHistory,
    /// Distinct people, indexed by `author_of` and `co_authors_of`.
    pub people: Vec<Person>,
    pub(super) author_of: Vec<usize>,
    pub(super) co_authors_of: Vec<Vec<usize>>,
    /// The configured date of each commit (Unix seconds), parallel to `history.commits`.
    time_of: Vec<i64>,
    /// Each commit's lines over all its files, and over the files outside the churn exclusions.
    lines_of: Vec<(Lines, Lines)>,
    /// Every file change's path as an index into `paths`, all commits in a row: commit `i`'s
    /// files are `file_paths[file_start[i]..file_start[i + 1]]`.
    file_paths: Vec<u32>,
    file_start: Vec<usize>,
    /// Distinct paths, and whether each is excluded from churn.
    paths: Vec<&'a str>,
    excluded: Vec<bool>,
    /// Earliest commit time per person key (authors only).
    pub first_seen: HashMap<String, i64>,
    pub(super) date_field: DateField,
}

impl<'a> PreparedRepo<'a> {
    /// Prepares `history`: who wrote each commit and the lines of each commit's files, side by
    /// side.
    pub fn new(
        name: &str,
        history: &'a RepoHistory,
        ids: &Identities,
        settings: &FactsSettings,
    ) -> Self {
        let commits = &history.commits;
        let (who, files) = rayon::join(
            || Authorship::new(commits, ids, settings.date_field),
            || Files::new(commits, &settings.churn_excludes),
        );
        PreparedRepo {
            name: name.to_string(),
            history,
            people: who.people,
            author_of: who.author_of,
            co_authors_of: who.co_authors_of,
            time_of: who.time_of,
            lines_of: files.lines_of,
            file_paths: files.file_paths,
            file_start: files.file_start,
            paths: files.paths,
            excluded: files.excluded,
            first_seen: who.first_seen,
            date_field: settings.date_field,
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

    pub fn commit(&self, i: usize) -> &'a CommitRecord {
        &self.history.commits[i]
    }

    /// Commit `i`'s lines over all its files.
    pub fn lines(&self, i: usize) -> Lines {
        self.lines_of[i].0
    }

    /// Commit `i`'s lines over the files outside the churn exclusions.
    pub fn counted_lines(&self, i: usize) -> Lines {
        self.lines_of[i].1
    }

    /// Commit `i`'s file changes that count as churn, each with its path's index.
    pub fn counted_files(
        &self,
        i: usize,
    ) -> impl Iterator<Item = (u32, &'a crate::history::FileChange)> + '_ {
        let ids = &self.file_paths[self.file_start[i]..self.file_start[i + 1]];
        ids.iter()
            .zip(&self.history.commits[i].files)
            .filter(|&(&p, _)| !self.excluded[p as usize])
            .map(|(&p, f)| (p, f))
    }

    /// The path with index `p`.
    pub fn path(&self, p: u32) -> &'a str {
        self.paths[p as usize]
    }
}

/// Each commit's author and co-authors as people, and its configured date.
struct Authorship {
    people: Vec<Person>,
    author_of: Vec<usize>,
    co_authors_of: Vec<Vec<usize>>,
    time_of: Vec<i64>,
    first_seen: HashMap<String, i64>,
}

impl Authorship {
    fn new(commits: &[CommitRecord], ids: &Identities, date_field: DateField) -> Self {
        let mut people = People::new(ids);
        let mut author_of = Vec::with_capacity(commits.len());
        let mut co_authors_of = Vec::with_capacity(commits.len());
        let mut time_of = Vec::with_capacity(commits.len());
        // Authors first: a person's name is the one their email has as a commit author, not a
        // co-author trailer's spelling ("Claude Code", not "Claude Opus 4.5").
        for c in commits {
            author_of.push(people.index(&c.author.name, &c.author.email));
            time_of.push(match date_field {
                DateField::Committer => c.committer.time,
                DateField::Author => c.author.time,
            });
        }
        for c in commits {
            co_authors_of.push(
                c.co_authors
                    .iter()
                    .map(|a| people.index(&a.name, &a.email))
                    .collect(),
            );
        }
        let people = people.people;
        let mut first = vec![i64::MAX; people.len()];
        for (&p, &t) in author_of.iter().zip(&time_of) {
            first[p] = first[p].min(t);
        }
        let first_seen = people
            .iter()
            .zip(first)
            .filter(|&(_, t)| t != i64::MAX)
            .map(|(p, t)| (p.key.clone(), t))
            .collect();
        Authorship {
            people,
            author_of,
            co_authors_of,
            time_of,
            first_seen,
        }
    }
}

/// Every changed path interned, each distinct one matched against the exclusions once, and
/// each commit's lines summed.
struct Files<'a> {
    lines_of: Vec<(Lines, Lines)>,
    file_paths: Vec<u32>,
    file_start: Vec<usize>,
    paths: Vec<&'a str>,
    excluded: Vec<bool>,
}

impl<'a> Files<'a> {
    fn new(commits: &'a [CommitRecord], churn_excludes: &GlobSet) -> Self {
        let mut at: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut paths = Vec::new();
        let mut file_paths = Vec::with_capacity(commits.iter().map(|c| c.files.len()).sum());
        let mut file_start = Vec::with_capacity(commits.len() + 1);
        file_start.push(0);
        for c in commits {
            for file in &c.files {
                let next = paths.len() as u32;
                let p = *at.entry(file.path.as_str()).or_insert_with(|| {
                    paths.push(file.path.as_str());
                    next
                });
                file_paths.push(p);
            }
            file_start.push(file_paths.len());
        }
        let excluded: Vec<bool> = paths
            .par_iter()
            .map(|path| churn_excludes.is_match(path))
            .collect();
        let lines_of = commits
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                let (mut all, mut counted) = (Lines::default(), Lines::default());
                for (file, &p) in c.files.iter().zip(&file_paths[file_start[i]..]) {
                    all.count_file(file.added, file.deleted);
                    if !excluded[p as usize] {
                        counted.count_file(file.added, file.deleted);
                    }
                }
                (all, counted)
            })
            .collect();
        Files {
            lines_of,
            file_paths,
            file_start,
            paths,
            excluded,
        }
    }
}

/// Resolves each distinct (name, email) pair once and groups people by their key.
struct People<'i, 'a> {
    ids: &'i Identities,
    by_signature: FxHashMap<(&'a str, &'a str), usize>,
    by_key: FxHashMap<String, usize>,
    people: Vec<Person>,
}

impl<'i, 'a> People<'i, 'a> {
    fn new(ids: &'i Identities) -> Self {
        People {
            ids,
            by_signature: FxHashMap::default(),
            by_key: FxHashMap::default(),
            people: Vec::new(),
        }
    }

    fn index(&mut self, name: &'a str, email: &'a str) -> usize {
        if let Some(&i) = self.by_signature.get(&(name, email)) {
            return i;
        }
        let p = self.ids.resolve(name, email);
        let i = match self.by_key.get(&p.key) {
            Some(&i) => i,
            None => {
                self.by_key.insert(p.key.clone(), self.people.len());
                self.people.push(p);
                self.people.len() - 1
            }
        };
        self.by_signature.insert((name, email), i);
        i
    }
}

//! A repository's history prepared once for any number of windows: identities resolved, dates
//! picked, paths interned and matched against the churn exclusions, and each commit's line
//! totals summed.

use std::collections::HashMap;

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
    pub fn new(
        name: &str,
        history: &'a RepoHistory,
        ids: &Identities,
        settings: &FactsSettings,
    ) -> Self {
        let commits = &history.commits;
        let mut people = People::new(ids);
        let mut author_of = Vec::with_capacity(commits.len());
        let mut co_authors_of = Vec::with_capacity(commits.len());
        let mut time_of = Vec::with_capacity(commits.len());
        for c in commits {
            author_of.push(people.index(&c.author.name, &c.author.email));
            co_authors_of.push(
                c.co_authors
                    .iter()
                    .map(|a| people.index(&a.name, &a.email))
                    .collect(),
            );
            time_of.push(match settings.date_field {
                DateField::Committer => c.committer.time,
                DateField::Author => c.author.time,
            });
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

        let mut prepared = PreparedRepo {
            name: name.to_string(),
            history,
            people,
            author_of,
            co_authors_of,
            time_of,
            lines_of: Vec::with_capacity(commits.len()),
            file_paths: Vec::new(),
            file_start: Vec::with_capacity(commits.len() + 1),
            paths: Vec::new(),
            excluded: Vec::new(),
            first_seen,
            date_field: settings.date_field,
        };
        prepared.intern_paths(commits, settings);
        prepared
    }

    /// Interns every changed path, matches each distinct one against the exclusions once, and
    /// sums each commit's lines.
    fn intern_paths(&mut self, commits: &'a [CommitRecord], settings: &FactsSettings) {
        let mut at: FxHashMap<&'a str, u32> = FxHashMap::default();
        self.file_paths
            .reserve_exact(commits.iter().map(|c| c.files.len()).sum());
        self.file_start.push(0);
        for c in commits {
            let (mut all, mut counted) = (Lines::default(), Lines::default());
            for file in &c.files {
                let next = self.paths.len() as u32;
                let p = *at.entry(file.path.as_str()).or_insert_with(|| {
                    self.paths.push(&file.path);
                    self.excluded
                        .push(settings.churn_excludes.is_match(&file.path));
                    next
                });
                self.file_paths.push(p);
                all.count_file(file.added, file.deleted);
                if !self.excluded[p as usize] {
                    counted.count_file(file.added, file.deleted);
                }
            }
            self.lines_of.push((all, counted));
            self.file_start.push(self.file_paths.len());
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

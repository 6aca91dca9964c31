//! Who did what in a window: per author, their commits (each counted once, where `org` counts
//! it), the repositories they worked in and what their work was about.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::classify;
use super::model::{Conventional, Lines};
use super::repo::PreparedRepo;
use super::weeks::RepoTheme;
use super::{org, themes};
use crate::window::Bounds;

/// Themes kept per author: two for the repository with most of their commits, one for each of
/// the others.
const THEMES: usize = 12;

/// One author's work in the window.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contribution {
    pub name: String,
    /// Distinct commits (the same as in `org.authors`).
    pub commits: u64,
    pub bot: bool,
    pub agent: bool,
    /// Lines over their non-merge commits, after exclusions.
    pub lines_excluding_generated: Lines,
    /// Conventional-commit types of their non-merge commits.
    pub conventional: Conventional,
    /// Where their commits count (a shared commit for the first repository by name), most
    /// commits first.
    pub repos: Vec<RepoCommits>,
    /// What their non-merge commits were about: the two main themes in the repository with most
    /// of their commits, then the main one in each other repository (at most twelve).
    pub themes: Vec<RepoTheme>,
    /// Commits by others that credit them in a `Co-authored-by:` trailer.
    pub co_authored: u64,
}

/// Commits in one repository.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepoCommits {
    pub repo: String,
    pub commits: u64,
}

/// Per author key: the display name, the commits per repository (index into `repos`), lines and
/// co-authored commits.
#[derive(Default)]
struct Tally {
    per_repo: FxHashMap<usize, Vec<usize>>,
    lines: Lines,
    conventional: Conventional,
    co_authored: u64,
}

/// Every author of the window, most commits first (ties by name); `repos` sorted by name.
pub(super) fn contributions(
    repos: &[&PreparedRepo<'_>],
    bounds: Option<Bounds>,
) -> Vec<Contribution> {
    let d = org::distinct(repos, bounds, None);
    let mut by: FxHashMap<&str, Tally> = FxHashMap::default();
    for (k, (r, counted)) in repos.iter().zip(&d.counted).enumerate() {
        for &i in counted {
            let t = by.entry(r.author(i).key.as_str()).or_default();
            t.per_repo.entry(k).or_default().push(i);
            let c = r.commit(i);
            if !c.is_merge() {
                t.lines.add(&r.counted_lines(i));
                let kind = classify::kind_of(classify::conventional(&c.subject));
                t.conventional.count_kind(kind);
            }
            for &p in &r.co_authors_of[i] {
                if r.people[p].key != r.author(i).key {
                    by.entry(r.people[p].key.as_str()).or_default().co_authored += 1;
                }
            }
        }
    }
    let mut out: Vec<Contribution> = d
        .authors
        .iter()
        .map(|(key, (a, _))| {
            let t = by.remove(key.as_str()).unwrap_or_default();
            let mut per_repo: Vec<(usize, Vec<usize>)> = t.per_repo.into_iter().collect();
            per_repo.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
            let themes: Vec<RepoTheme> = per_repo
                .iter()
                .enumerate()
                .flat_map(|(n, (k, commits))| {
                    let r = repos[*k];
                    let (v, _) = themes::themes_of(r, commits.iter().copied());
                    v.into_iter()
                        .take(if n == 0 { 2 } else { 1 })
                        .map(|theme| RepoTheme {
                            repo: r.name.clone(),
                            theme,
                        })
                })
                .take(THEMES)
                .collect();
            Contribution {
                name: a.name.clone(),
                commits: a.commits,
                bot: a.bot,
                agent: a.agent,
                lines_excluding_generated: t.lines,
                conventional: t.conventional,
                repos: per_repo
                    .iter()
                    .map(|(k, c)| RepoCommits {
                        repo: repos[*k].name.clone(),
                        commits: c.len() as u64,
                    })
                    .collect(),
                themes,
                co_authored: t.co_authored,
            }
        })
        .collect();
    // Co-authors who wrote no commit of their own are not authors: not listed.
    out.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    out
}

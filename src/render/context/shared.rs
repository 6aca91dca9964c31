//! Shared history on a page: repositories whose window is the same commits get one section, the
//! others say what they share, and lists across repositories never show a commit, tag or path
//! twice.

use std::collections::HashSet;

use super::figures::{list, num, plural};
use crate::facts::{OrgFacts, RepoFacts};
use crate::render::escape::inline;

/// Whether `a` and `b` have some of the same commits in the window.
pub(super) fn share(a: &RepoFacts, b: &RepoFacts) -> bool {
    a.name == b.name || a.shared_with.iter().any(|s| s.repo == b.name)
}

/// Whether `r`'s window holds exactly `first`'s commits.
fn same_commits(r: &RepoFacts, first: &RepoFacts) -> bool {
    r.commits > 0
        && r.commits == first.commits
        && r.shared_with
            .iter()
            .any(|s| s.repo == first.name && s.commits == r.commits)
}

/// Active repositories in name order, each with the later ones whose window is the same commits.
pub(super) fn groups(facts: &OrgFacts) -> Vec<(&RepoFacts, Vec<&RepoFacts>)> {
    let mut out: Vec<(&RepoFacts, Vec<&RepoFacts>)> = Vec::new();
    for r in facts
        .repos
        .iter()
        .filter(|r| r.commits > 0 || !r.tags.is_empty())
    {
        match out.iter_mut().find(|(first, _)| same_commits(r, first)) {
            Some((_, same)) => same.push(r),
            None => out.push((r, Vec::new())),
        }
    }
    out
}

/// A section's heading text: "term-test and ratatui-testlib".
pub(super) fn heading(first: &RepoFacts, same: &[&RepoFacts]) -> String {
    let names: Vec<String> = std::iter::once(first)
        .chain(same.iter().copied())
        .map(|r| inline(&r.name))
        .collect();
    match names.as_slice() {
        [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => names.concat(),
    }
}

/// What a section shares: "The same 31 commits are in ratatui-testlib." or "12 of these
/// commits are also in core." (safe Markdown; empty when nothing is shared).
pub(super) fn sentence(first: &RepoFacts, same: &[&RepoFacts]) -> String {
    let mut out = Vec::new();
    if !same.is_empty() {
        let names: Vec<String> = same.iter().map(|r| inline(&r.name)).collect();
        out.push(format!(
            "The same {} {} in {}.",
            plural(first.commits, "commit is", "commits are"),
            if same.len() == 1 { "also" } else { "all" },
            list(&names)
        ));
    }
    let grouped: HashSet<&str> = same.iter().map(|r| r.name.as_str()).collect();
    for s in first
        .shared_with
        .iter()
        .filter(|s| !grouped.contains(s.repo.as_str()))
    {
        let whole = s.commits == first.commits;
        out.push(match whole {
            true => format!(
                "All {} of its commits are also in {}.",
                num(s.commits),
                inline(&s.repo)
            ),
            false => format!(
                "{} of them {} also in {}.",
                num(s.commits),
                if s.commits == 1 { "is" } else { "are" },
                inline(&s.repo)
            ),
        });
    }
    out.join(" ")
}

/// Keeps the first of each key, in order.
pub(super) fn first_of_each<T, K: std::hash::Hash + Eq>(
    items: Vec<T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|i| seen.insert(key(i))).collect()
}

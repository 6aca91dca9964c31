//! Views of repositories, commits and people, with links to the forge where one is known.

use super::{CommitView, Detail, GithubView, Person, RepoView, SUBJECT_CHARS};
use crate::facts::{NotableCommit, RepoFacts};
use crate::links;
use crate::render::escape::{inline, link, truncate};

pub(super) fn person(a: &crate::facts::Author) -> Person {
    Person {
        name: inline(&a.name),
        commits: a.commits,
        bot: a.bot,
        agent: a.agent,
    }
}

/// A repository's merged pull request numbers, ascending.
pub(super) fn pr_numbers(r: &RepoFacts) -> Vec<u64> {
    let mut prs: Vec<u64> = r
        .pull_requests
        .merge_commits
        .iter()
        .chain(&r.pull_requests.squash_refs)
        .copied()
        .collect();
    prs.sort_unstable();
    prs.dedup();
    prs
}

/// A repository's section; pull requests in `skip` were listed for a repository it shares
/// history with.
pub(super) fn repo_view(r: &RepoFacts, limit: usize, detail: Detail, skip: &[u64]) -> RepoView {
    let web = r.url.as_deref();
    let mut prs = pr_numbers(r);
    prs.retain(|n| !skip.contains(n));
    // The newest first, at most `limit`: the rest are in the facts file.
    prs.reverse();
    let more_pull_requests = prs.len().saturating_sub(detail.pull_requests) as u64;
    prs.truncate(detail.pull_requests);
    RepoView {
        name: inline(&r.name),
        heading: inline(&r.name),
        shared: String::new(),
        month: String::new(),
        title: web
            .and_then(|w| link(&r.name, w))
            .unwrap_or_else(|| inline(&r.name)),
        summary: String::new(),
        commits: r.commits,
        merge_commits: r.merge_commits,
        authors: r.authors.len() as u64,
        lines_added: r.lines_excluding_generated.added,
        lines_deleted: r.lines_excluding_generated.deleted,
        files_changed: r.lines_excluding_generated.files_changed,
        pull_requests: prs.iter().map(|&n| pr_with_title(r, n)).collect(),
        more_pull_requests,
        changes: super::changes::lines(r, detail.themes, detail.examples),
        github: r.github.as_ref().map(github_view),
        tags: r.tags.iter().map(|t| tag_link(r, t)).collect(),
        notable: r
            .notable_commits
            .iter()
            .take(limit)
            .map(|c| commit_view(r, c))
            .collect(),
        contributors: r.authors.iter().take(limit).map(person).collect(),
        first_time_contributors: r
            .first_time_contributors
            .iter()
            .map(|n| inline(n))
            .collect(),
        compare: match (web, &r.range) {
            (Some(w), Some(range)) => range
                .from
                .as_deref()
                .and_then(|from| links::compare(w, from, &range.to))
                .and_then(|u| link("compare the changes", &u)),
            _ => None,
        },
    }
}

fn item(i: &crate::facts::ForgeItem) -> String {
    let number = link(&format!("#{}", i.number), &i.url)
        .unwrap_or_else(|| inline(&format!("#{}", i.number)));
    let mut s = format!("{number} {}", inline(&truncate(&i.title, SUBJECT_CHARS)));
    if let Some(login) = &i.author_login {
        s.push_str(&format!(" ({})", inline(login)));
    }
    s
}

fn github_view(g: &crate::facts::RepoGithub) -> GithubView {
    GithubView {
        issues_opened: g.issues_opened.iter().map(item).collect(),
        issues_closed: g.issues_closed.iter().map(item).collect(),
        pull_requests_opened: g.pull_requests_opened.iter().map(item).collect(),
        pull_requests_closed_unmerged: g.pull_requests_closed_unmerged.iter().map(item).collect(),
        releases: g
            .releases
            .iter()
            .map(|rel| {
                let text = rel
                    .name
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&rel.tag);
                link(text, &rel.url).unwrap_or_else(|| inline(text))
            })
            .collect(),
    }
}

/// `#N`, linked when possible, followed by its title when git or the API knows it.
fn pr_with_title(r: &RepoFacts, n: u64) -> String {
    let detail = r.pull_requests.details.iter().find(|d| d.number == n);
    let number = match detail.and_then(|d| d.url.as_deref()) {
        Some(url) => link(&format!("#{n}"), url).unwrap_or_else(|| pr_link(r, n)),
        None => pr_link(r, n),
    };
    match detail
        .and_then(|d| d.title.as_deref())
        .filter(|t| !t.is_empty())
    {
        Some(title) => format!("{number} {}", inline(&truncate(title, SUBJECT_CHARS))),
        None => number,
    }
}

pub(super) fn commit_view(r: &RepoFacts, c: &NotableCommit) -> CommitView {
    // The pull request is shown as its own (linked) reference, so its `(#N)` leaves the subject.
    let subject = match c.pull_request {
        Some(n) => c
            .subject
            .trim_end()
            .strip_suffix(&format!("(#{n})"))
            .unwrap_or(&c.subject)
            .trim_end(),
        None => c.subject.as_str(),
    };
    CommitView {
        repo: inline(&r.name),
        id: commit_link(r, &c.id),
        subject: inline(&truncate(subject, SUBJECT_CHARS)),
        author: inline(&c.author),
        added: c.added,
        deleted: c.deleted,
        files: c.files,
        pull_request: c.pull_request.map(|n| pr_link(r, n)),
        kind: c.kind.clone(),
    }
}

fn short(id: &str) -> &str {
    id.get(..7).unwrap_or(id)
}

pub(super) fn commit_link(r: &RepoFacts, id: &str) -> String {
    let text = short(id);
    r.url
        .as_deref()
        .and_then(|w| links::commit(w, id))
        .and_then(|u| link(text, &u))
        .unwrap_or_else(|| inline(text))
}

fn pr_link(r: &RepoFacts, n: u64) -> String {
    let text = format!("#{n}");
    r.url
        .as_deref()
        .and_then(|w| links::pull_request(w, n))
        .and_then(|u| link(&text, &u))
        .unwrap_or_else(|| inline(&text))
}

pub(super) fn tag_link(r: &RepoFacts, t: &str) -> String {
    r.url
        .as_deref()
        .and_then(|w| links::tag(w, t))
        .and_then(|u| link(t, &u))
        .unwrap_or_else(|| inline(t))
}

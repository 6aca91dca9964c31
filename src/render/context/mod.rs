//! The page context: what report templates see. Every string in it is already safe Markdown
//! (untrusted text went through `escape`), so a template, built-in or user-written, cannot
//! publish raw commit text by mistake. Numbers are the facts' own.

mod figures;
mod refs;

use serde::{Deserialize, Serialize};

use super::escape::{code_path, inline, truncate};
use crate::facts::OrgFacts;
use crate::narrate::Narrative;
pub use figures::{change_text, num};
use figures::{enrichment_note, numbers};
use refs::{commit_link, commit_view, person, repo_view, tag_link};

/// Longest commit subject shown before it is cut with `…`.
pub(crate) const SUBJECT_CHARS: usize = 120;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageContext {
    /// `day`, `week` or `month`.
    pub kind: String,
    /// The window label: `2025-11-14`, `2025-W46`, `2025-11`.
    pub period: String,
    /// The period in words: "Friday 14 November 2025", "week 46 of 2025 (10 to 16 November)".
    pub period_human: String,
    /// The period is still in progress: figures will change.
    pub partial: bool,
    /// No commit anywhere in the window.
    pub quiet: bool,
    pub org_name: String,
    pub headline: Headline,
    pub narrative: Narrative,
    pub releases: Vec<Release>,
    pub breaking: Vec<CommitView>,
    pub new_contributors: Vec<String>,
    /// The largest commits across repositories.
    pub largest: Vec<CommitView>,
    /// The "by the numbers" table.
    pub numbers: Vec<NumberRow>,
    pub repos: Vec<RepoView>,
    pub contributors: Vec<Person>,
    pub hotspots: Vec<Hotspot>,
    pub charts: Vec<ChartRef>,
    pub nav: Nav,
    pub counted: Counted,
    /// The facts file beside the page (its file name).
    pub facts_file: String,
    /// How many items each list shows for this kind of report.
    pub list_limit: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Headline {
    pub commits: u64,
    pub non_merge_commits: u64,
    pub merge_commits: u64,
    pub authors: u64,
    pub people: u64,
    pub bots: u64,
    pub active_repos: u64,
    pub repos: u64,
    pub merged_pull_requests: u64,
    pub tags: u64,
    pub lines_added: u64,
    pub lines_deleted: u64,
    pub files_changed: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Release {
    pub repo: String,
    /// The tag, linked to its release page when the forge is known.
    pub tag: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommitView {
    pub repo: String,
    /// The short id, linked to the commit when the forge is known.
    pub id: String,
    pub subject: String,
    pub author: String,
    pub added: u64,
    pub deleted: u64,
    pub files: u64,
    /// The pull request (`#N`, linked when possible), if the subject names one.
    pub pull_request: Option<String>,
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NumberRow {
    pub label: String,
    pub value: String,
    /// Against the previous period: "+12 (+20 %)", "+3", "no change", or empty.
    pub change: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub commits: u64,
    pub bot: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hotspot {
    pub repo: String,
    pub path: String,
    pub churn: u64,
    pub commits: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RepoView {
    pub name: String,
    /// The name linked to the repository's page when the forge is known.
    pub title: String,
    /// The narrative's sentence about this repository.
    pub summary: String,
    pub commits: u64,
    pub merge_commits: u64,
    pub authors: u64,
    pub lines_added: u64,
    pub lines_deleted: u64,
    pub files_changed: u64,
    pub pull_requests: Vec<String>,
    pub tags: Vec<String>,
    pub notable: Vec<CommitView>,
    pub contributors: Vec<Person>,
    pub first_time_contributors: Vec<String>,
    /// "compare" link over the window when the forge is known.
    pub compare: Option<String>,
    /// What GitHub adds (issues, pull requests not merged through git, releases), when enabled.
    pub github: Option<GithubView>,
}

/// GitHub's view of a repository's window: each item a linked, escaped line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GithubView {
    pub issues_opened: Vec<String>,
    pub issues_closed: Vec<String>,
    pub pull_requests_opened: Vec<String>,
    pub pull_requests_closed_unmerged: Vec<String>,
    pub releases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChartRef {
    pub file: String,
    /// Alt text, safe Markdown.
    pub alt: String,
}

/// Wikilinks to neighbouring pages, ready to print.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Nav {
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The week and month a day belongs to, the month a week belongs to.
    pub up: Vec<String>,
    pub index: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Counted {
    pub start: String,
    pub end: String,
    pub time_zone: String,
    pub date_field: String,
    pub generator: String,
    pub bot_commits: u64,
    pub failed_repos: Vec<String>,
    /// One sentence per repository read from its mirror as last fetched (safe Markdown).
    pub stale_repos: Vec<String>,
    pub unreadable_commits: u64,
    pub incomplete_diffs: u64,
    pub excluded_lines: u64,
    /// How GitHub enrichment went, when it was asked for (safe Markdown); empty otherwise.
    pub enrichment: String,
}

/// What the page knows about itself besides the facts.
pub struct PageMeta {
    pub kind: String,
    pub period_human: String,
    pub partial: bool,
    pub org_name: String,
    pub nav: Nav,
    pub charts: Vec<ChartRef>,
    pub facts_file: String,
    pub list_limit: usize,
}

/// Builds the context of one report.
pub fn build(facts: &OrgFacts, meta: PageMeta, narrative: Narrative) -> PageContext {
    let o = &facts.org;
    let limit = meta.list_limit;
    let repos: Vec<RepoView> = facts
        .repos
        .iter()
        .filter(|r| r.commits > 0 || !r.tags.is_empty())
        .map(|r| RepoView {
            summary: narrative.repos.get(&r.name).cloned().unwrap_or_default(),
            ..repo_view(r, limit)
        })
        .collect();
    let mut largest: Vec<(u64, CommitView)> = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.notable_commits
                .iter()
                .map(move |c| (c.added + c.deleted, commit_view(r, c)))
        })
        .filter(|(churn, _)| *churn > 0)
        .collect();
    largest.sort_by_key(|c| std::cmp::Reverse(c.0));
    let releases = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.tags.iter().map(move |t| Release {
                repo: inline(&r.name),
                tag: tag_link(r, t),
            })
        })
        .collect();
    let breaking = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.breaking_changes.iter().map(move |b| {
                let notable = r.notable_commits.iter().find(|n| n.id == b.id);
                match notable {
                    Some(n) => commit_view(r, n),
                    None => CommitView {
                        repo: inline(&r.name),
                        id: commit_link(r, &b.id),
                        subject: inline(&truncate(&b.subject, SUBJECT_CHARS)),
                        author: String::new(),
                        added: 0,
                        deleted: 0,
                        files: 0,
                        pull_request: None,
                        kind: String::new(),
                    },
                }
            })
        })
        .collect();
    let excluded = (o.lines.added + o.lines.deleted)
        .saturating_sub(o.lines_excluding_generated.added + o.lines_excluding_generated.deleted);
    let mut hotspots: Vec<Hotspot> = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.hotspots.paths.iter().map(move |h| Hotspot {
                repo: inline(&r.name),
                path: code_path(&h.path),
                churn: h.churn,
                commits: h.commits,
            })
        })
        .collect();
    hotspots.sort_by_key(|h| std::cmp::Reverse(h.churn));
    hotspots.truncate(limit.min(10));
    PageContext {
        kind: meta.kind,
        period: facts.window.label.clone(),
        period_human: meta.period_human,
        partial: meta.partial,
        quiet: o.commits == 0,
        org_name: inline(&meta.org_name),
        headline: Headline {
            commits: o.commits,
            non_merge_commits: o.non_merge_commits,
            merge_commits: o.merge_commits,
            authors: o.authors.len() as u64,
            people: o.authors.iter().filter(|a| !a.bot).count() as u64,
            bots: o.authors.iter().filter(|a| a.bot).count() as u64,
            active_repos: o.active_repos,
            repos: o.repos,
            merged_pull_requests: o.merged_pull_requests,
            tags: o.tags,
            lines_added: o.lines_excluding_generated.added,
            lines_deleted: o.lines_excluding_generated.deleted,
            files_changed: o.lines_excluding_generated.files_changed,
        },
        narrative,
        releases,
        breaking,
        new_contributors: o
            .first_time_contributors
            .iter()
            .map(|n| inline(n))
            .collect(),
        largest: largest
            .into_iter()
            .take(limit.min(5))
            .map(|(_, c)| c)
            .collect(),
        numbers: numbers(facts),
        repos,
        contributors: o.authors.iter().take(limit).map(person).collect(),
        hotspots,
        charts: meta.charts,
        nav: meta.nav,
        counted: Counted {
            start: facts.window.start.clone().unwrap_or_default(),
            end: facts.window.end.clone().unwrap_or_default(),
            time_zone: inline(&facts.window.time_zone),
            date_field: facts.window.date_field.clone(),
            generator: facts.generator.clone(),
            bot_commits: o.bot_commits,
            failed_repos: facts.failed_repos.iter().map(|f| inline(&f.name)).collect(),
            stale_repos: facts
                .stale_repos
                .iter()
                .map(|s| {
                    format!(
                        "{}: data as of {} (its last successful fetch); this run could not fetch it: {}",
                        inline(&s.name),
                        s.as_of.as_deref().map_or_else(|| "an unknown time".to_string(), inline),
                        inline(&s.reason)
                    )
                })
                .collect(),
            unreadable_commits: facts.repos.iter().map(|r| r.unreadable_commits).sum(),
            incomplete_diffs: facts.repos.iter().map(|r| r.incomplete_diffs).sum(),
            excluded_lines: excluded,
            enrichment: enrichment_note(facts),
        },
        facts_file: meta.facts_file,
        list_limit: limit,
    }
}

//! The page context: what report templates see. Every string in it is already safe Markdown
//! (untrusted text went through `escape`), so a template, built-in or user-written, cannot
//! publish raw commit text by mistake. Numbers are the facts' own.

mod changes;
mod figures;
mod month;
mod refs;
pub mod releases;
mod shared;

use serde::{Deserialize, Serialize};

use super::escape::{code_path, inline, truncate};
use crate::facts::OrgFacts;
use crate::narrate::Narrative;
pub use figures::{change_text, list, merged_sentence, num, plural};
use figures::{enrichment_note, numbers};
pub(crate) use month::who;
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
    /// After periods without commits: "These are the first commits since 2025-W40."; empty
    /// otherwise.
    #[serde(default)]
    pub gap: String,
    /// Months: how the month compares with the one before and what kinds of work it held
    /// (paragraphs).
    #[serde(default)]
    pub month_context: Vec<String>,
    /// Months: one section per week with commits.
    #[serde(default)]
    pub weeks: Vec<WeekView>,
    /// Months: the sentence opening the weeks (the busiest, and the quiet ones: "Week 47 was
    /// quiet."); may be empty.
    #[serde(default)]
    pub weeks_intro: String,
    /// Months: one line per person, most commits first.
    #[serde(default)]
    pub who_did_what: Vec<String>,
    /// Months: the people not listed, and the AI coding agents and bots, in a sentence.
    #[serde(default)]
    pub who_else: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Headline {
    pub commits: u64,
    pub non_merge_commits: u64,
    pub merge_commits: u64,
    pub authors: u64,
    pub people: u64,
    pub bots: u64,
    /// AI coding agents among the authors.
    #[serde(default)]
    pub agents: u64,
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
    /// The repository's tags in one phrase: the tag itself (linked to its release page when the
    /// forge is known) when there is one, else "42 tags, v0.2.0 to v0.15.0: minor releases …".
    pub tag: String,
    /// How many tags the phrase covers.
    #[serde(default)]
    pub count: u64,
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

/// One week of a month.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WeekView {
    /// "Week 46 (10-16 November)", or "1-2 November (week 44)" for a week the month clips.
    pub heading: String,
    /// What happened, in a paragraph (safe Markdown).
    pub text: String,
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
    #[serde(default)]
    pub agent: bool,
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
    /// The section heading: the name, or the names of the repositories whose window is the same
    /// commits ("term-test and ratatui-testlib").
    #[serde(default)]
    pub heading: String,
    /// What the repository shares with others ("12 of them are also in core."); may be empty.
    #[serde(default)]
    pub shared: String,
    /// Months: when the repository was active and who committed most; empty otherwise.
    #[serde(default)]
    pub month: String,
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
    /// The newest merged pull requests, at most the list limit.
    pub pull_requests: Vec<String>,
    /// Merged pull requests not listed (they are in the facts file).
    #[serde(default)]
    pub more_pull_requests: u64,
    /// What changed, by theme (safe Markdown lines).
    #[serde(default)]
    pub changes: Vec<String>,
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

/// How much of each list a page shows: a report is fitted to its length by trying these from
/// the richest down (see `render::page`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail {
    /// Themes per repository under "What changed".
    pub themes: usize,
    /// Commit subjects per theme.
    pub examples: usize,
    /// Merged pull requests per repository.
    pub pull_requests: usize,
    /// Months: people in "who did what".
    pub people: usize,
    /// Months: themes named per week.
    pub week_themes: usize,
}

/// What the page knows about itself besides the facts.
#[derive(Clone)]
pub struct PageMeta {
    pub kind: String,
    pub period_human: String,
    pub partial: bool,
    pub org_name: String,
    pub nav: Nav,
    pub charts: Vec<ChartRef>,
    pub facts_file: String,
    pub list_limit: usize,
    pub detail: Detail,
    pub gap: String,
    /// Months: week label (`2025-W46`) and a wikilink to that week's report, for the weeks
    /// that have one.
    pub week_links: Vec<(String, String)>,
}

/// Builds the context of one report.
pub fn build(facts: &OrgFacts, meta: PageMeta, narrative: Narrative) -> PageContext {
    let o = &facts.org;
    let limit = meta.list_limit;
    // A pull request on shared history is listed once, in the first section that has it.
    let mut listed: Vec<(&crate::facts::RepoFacts, Vec<u64>)> = Vec::new();
    let mut repos: Vec<RepoView> = Vec::new();
    for (r, same) in shared::groups(facts) {
        let skip: Vec<u64> = listed
            .iter()
            .filter(|(o, _)| shared::share(o, r))
            .flat_map(|(_, n)| n.iter().copied())
            .collect();
        repos.push(RepoView {
            summary: narrative.repos.get(&r.name).cloned().unwrap_or_default(),
            heading: shared::heading(r, &same),
            shared: shared::sentence(r, &same),
            month: month::repo_note(facts, r),
            ..repo_view(r, limit, meta.detail, &skip)
        });
        listed.push((r, refs::pr_numbers(r)));
    }
    // A commit several repositories share is listed once, for the first of them by name.
    let mut largest: Vec<(u64, &str, CommitView)> = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.notable_commits
                .iter()
                .map(move |c| (c.added + c.deleted, c.id.as_str(), commit_view(r, c)))
        })
        .filter(|(churn, _, _)| *churn > 0)
        .collect();
    largest.sort_by_key(|c| std::cmp::Reverse(c.0));
    let largest = shared::first_of_each(largest, |c| c.1);
    // A tag on shared history is one release: listed for the first repository that has it.
    let mut releases: Vec<(&crate::facts::RepoFacts, &str)> = Vec::new();
    for r in &facts.repos {
        for t in &r.tags {
            if !releases
                .iter()
                .any(|(o, tag)| tag == t && shared::share(o, r))
            {
                releases.push((r, t));
            }
        }
    }
    // One line per repository: its tags collapsed.
    let mut per_repo: Vec<(&crate::facts::RepoFacts, Vec<&str>)> = Vec::new();
    for (r, t) in releases {
        match per_repo.iter_mut().find(|(o, _)| o.name == r.name) {
            Some((_, tags)) => tags.push(t),
            None => per_repo.push((r, vec![t])),
        }
    }
    let releases = per_repo
        .into_iter()
        .map(|(r, tags)| {
            let names: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
            let shown: Vec<String> = tags.iter().map(|t| tag_link(r, t)).collect();
            Release {
                repo: inline(&r.name),
                tag: releases::summary(&names, &shown, limit.min(5) / 2 + 1),
                count: names.len() as u64,
            }
        })
        .collect();
    let breaking: Vec<(&str, CommitView)> = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.breaking_changes.iter().map(move |b| {
                (b.id.as_str(), {
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
        })
        .collect();
    let breaking = shared::first_of_each(breaking, |b| b.0)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let excluded = (o.lines.added + o.lines.deleted)
        .saturating_sub(o.lines_excluding_generated.added + o.lines_excluding_generated.deleted);
    let mut spots: Vec<(&crate::facts::RepoFacts, &crate::facts::Hotspot)> = facts
        .repos
        .iter()
        .flat_map(|r| r.hotspots.paths.iter().map(move |h| (r, h)))
        .collect();
    spots.sort_by_key(|(_, h)| std::cmp::Reverse(h.churn));
    // The same path in repositories that share history is one file's churn, shown once.
    let mut kept: Vec<(&crate::facts::RepoFacts, &crate::facts::Hotspot)> = Vec::new();
    for (r, h) in spots {
        if !kept
            .iter()
            .any(|(o, k)| k.path == h.path && shared::share(o, r))
        {
            kept.push((r, h));
        }
    }
    let hotspots: Vec<Hotspot> = kept
        .into_iter()
        .take(limit.min(10))
        .map(|(r, h)| Hotspot {
            repo: inline(&r.name),
            path: code_path(&h.path),
            churn: h.churn,
            commits: h.commits,
        })
        .collect();
    let (who_did_what, who_else) = month::who_did_what(facts, meta.detail);
    let (weeks, weeks_intro) = month::weeks(facts, &meta.week_links, meta.detail);
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
            people: o.authors.iter().filter(|a| a.is_person()).count() as u64,
            bots: o.authors.iter().filter(|a| a.bot).count() as u64,
            agents: o.authors.iter().filter(|a| a.agent).count() as u64,
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
            .map(|(_, _, c)| c)
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
        gap: meta.gap,
        month_context: month::in_context(facts),
        weeks,
        weeks_intro,
        who_did_what,
        who_else,
    }
}

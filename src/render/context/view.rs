//! The views a report template sees: the page context and its parts. Every string in them is
//! already safe Markdown (see the parent module).

use serde::{Deserialize, Serialize};

use crate::narrate::Narrative;

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

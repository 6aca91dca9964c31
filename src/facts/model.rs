//! The facts schema: what `sparky facts --json` prints and templates see. Versioned; every key is
//! documented in `docs/facts-schema.md`. No email address is ever part of it.

use serde::{Deserialize, Serialize};

use super::enrichment::{Enrichment, OrgGithub, PullRequestDetail, RepoGithub};
use super::people::Contribution;
use super::weeks::WeekFacts;

/// Bumped whenever a key is removed or changes meaning, and for additions consumers must know
/// of (2: the optional GitHub layer, `enrichment` and `pull_requests.details`; 3: organisation
/// figures count each commit once, `repo_commits`, `org.per_day`, `repos.shared_with`).
pub const SCHEMA_VERSION: u32 = 3;

/// Facts for one window across the organisation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OrgFacts {
    pub schema_version: u32,
    pub generator: String,
    pub window: WindowInfo,
    /// Per repository, sorted by name.
    pub repos: Vec<RepoFacts>,
    /// Repositories that could not be mirrored or read, sorted by name.
    pub failed_repos: Vec<FailedRepo>,
    /// Repositories read from their mirror as last fetched, because this run could not fetch
    /// them: their figures are as of `as_of`. Sorted by name; absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_repos: Vec<StaleRepo>,
    pub org: OrgTotals,
    /// Which optional layers on top of git ran, and how they went.
    #[serde(default)]
    pub enrichment: Enrichment,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WindowInfo {
    /// `2025-11-14`, `2025-W49`, `2025-11` or `all`.
    pub label: String,
    /// `day`, `week`, `month` or `all`.
    pub kind: String,
    /// Inclusive start in the configured time zone (RFC 3339), absent for `all`.
    pub start: Option<String>,
    /// Exclusive end in the configured time zone (RFC 3339), absent for `all`.
    pub end: Option<String>,
    pub time_zone: String,
    /// `committer` or `author`.
    pub date_field: String,
    /// The window trends compare against, absent for `all`.
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FailedRepo {
    pub name: String,
    pub error: String,
}

/// A repository whose figures come from its mirror as last fetched.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StaleRepo {
    pub name: String,
    /// When the mirror was last fetched successfully (RFC 3339, UTC), when known.
    pub as_of: Option<String>,
    /// Why this run could not fetch it.
    pub reason: String,
}

/// Facts for one repository in one window.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepoFacts {
    pub name: String,
    /// The repository's web page on a known forge (GitHub, GitLab, Codeberg, Bitbucket), from
    /// its URL or its `origin` remote; absent otherwise. Links to commits, pull requests and tags
    /// are built from it.
    pub url: Option<String>,
    /// The branch read; absent for an empty repository.
    pub branch: Option<String>,
    /// The branch tip's commit id; absent for an empty repository.
    pub head: Option<String>,
    /// All commits dated in the window (merges included).
    pub commits: u64,
    pub non_merge_commits: u64,
    pub merge_commits: u64,
    pub pull_requests: PullRequests,
    /// Tags created in the window (annotated: tagger date; lightweight: the commit's date), oldest
    /// first.
    pub tags: Vec<String>,
    /// Authors after mailmap and aliases, most commits first.
    pub authors: Vec<Author>,
    /// People credited by `Co-authored-by:` trailers, most commits first.
    pub co_authors: Vec<Author>,
    /// Commits whose author is a bot.
    pub bot_commits: u64,
    /// Churn over non-merge commits, as `git log --numstat --no-merges` counts it.
    pub lines: Lines,
    /// The same after the churn exclusions (lock files, vendored and generated paths).
    pub lines_excluding_generated: Lines,
    /// Conventional-commit types of non-merge commits.
    pub conventional: Conventional,
    /// Non-merge commits marked breaking (`type!:` or a `BREAKING CHANGE:` footer).
    pub breaking_changes: Vec<CommitRef>,
    pub hotspots: Hotspots,
    /// What the window's non-merge commits were about, by conventional type and scope (or
    /// folder), most commits first, at most twelve. When the window shares commits with other
    /// repositories: over the commits the organisation counts for this one (see `org`).
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// The themes beyond those twelve, and their commits.
    #[serde(default)]
    pub more_themes: MoreThemes,
    /// The largest non-merge commits by lines changed (after exclusions), at most ten, largest first.
    pub notable_commits: Vec<NotableCommit>,
    /// Activity per calendar day of the window (weeks and months only), oldest first.
    pub per_day: Vec<DayActivity>,
    /// The window's span of history for a compare link: from the first parent of its oldest
    /// commit (absent when that is a root commit) to its newest commit; absent when quiet.
    pub range: Option<CommitRange>,
    /// Authors (not bots) whose first commit in this repository is in the window.
    pub first_time_contributors: Vec<String>,
    /// Other repositories with some of the same commits in the window (forks, mirrors, history
    /// copied into a split-out library), most shared commits first.
    #[serde(default)]
    pub shared_with: Vec<SharedHistory>,
    /// Of `per_day`'s commits, those the organisation figures count for this repository (a
    /// commit shared with a repository earlier by name counts there); absent when the window
    /// shares nothing or is not a week or month.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counted_per_day: Vec<u64>,
    /// Commits that are reachable but could not be read (counted nowhere else).
    pub unreadable_commits: u64,
    /// Commits whose diff could not be computed fully (their lines are missing from `lines`).
    pub incomplete_diffs: u64,
    /// Commits whose message was not valid UTF-8 and was decoded lossily.
    pub lossy_messages: u64,
    /// Comparison with the previous window of the same kind; absent for `all`.
    pub trend: Option<Trend>,
    /// What GitHub says about the window; absent without GitHub data for this repository.
    #[serde(default)]
    pub github: Option<RepoGithub>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct PullRequests {
    /// Numbers from merge commits titled `Merge pull request #N from …`, ascending.
    pub merge_commits: Vec<u64>,
    /// Numbers from non-merge commits whose subject ends in `(#N)` (squash merges), ascending.
    pub squash_refs: Vec<u64>,
    /// One entry per distinct number above, ascending: what git says, replaced by the API's
    /// title, labels and link where GitHub enrichment has that pull request.
    #[serde(default)]
    pub details: Vec<PullRequestDetail>,
}

impl PullRequests {
    /// Distinct pull request numbers across both lists.
    pub fn merged(&self) -> u64 {
        let mut all: Vec<u64> = self
            .merge_commits
            .iter()
            .chain(&self.squash_refs)
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all.len() as u64
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Author {
    pub name: String,
    pub commits: u64,
    pub bot: bool,
    /// An AI coding agent (Claude Code, Copilot, …): neither a person nor a bot.
    #[serde(default)]
    pub agent: bool,
}

impl Author {
    /// A person: neither a bot nor an AI coding agent.
    pub fn is_person(&self) -> bool {
        !self.bot && !self.agent
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Default)]
pub struct Lines {
    pub added: u64,
    pub deleted: u64,
    /// File entries summed over commits (one per `--numstat` line; binary files included).
    pub files_changed: u64,
}

impl Lines {
    /// Counts one file entry of `git log --numstat`.
    pub fn count_file(&mut self, added: u32, deleted: u32) {
        self.added += u64::from(added);
        self.deleted += u64::from(deleted);
        self.files_changed += 1;
    }

    /// Adds another total to this one.
    pub fn add(&mut self, other: &Lines) {
        self.added += other.added;
        self.deleted += other.deleted;
        self.files_changed += other.files_changed;
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Default)]
pub struct Conventional {
    pub feat: u64,
    pub fix: u64,
    pub docs: u64,
    pub refactor: u64,
    pub perf: u64,
    pub test: u64,
    pub build: u64,
    pub ci: u64,
    pub chore: u64,
    /// Everything else, including subjects that are not conventional commits.
    pub other: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommitRef {
    pub id: String,
    pub subject: String,
}

/// Commits of one conventional type in one area of the code.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Theme {
    /// `feat`, `fix`, `docs`, `refactor`, `perf`, `test`, `build`, `ci`, `chore` or `other`.
    pub kind: String,
    /// The conventional scope, lower-cased, or else the top folder of the first file changed;
    /// absent for commits with neither.
    pub area: Option<String>,
    pub commits: u64,
    /// Up to three distinct descriptions (the subject after `type(scope): `, without a trailing
    /// `(#N)`), newest first.
    pub examples: Vec<String>,
}

/// Themes not listed, and their commits.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Default)]
pub struct MoreThemes {
    pub themes: u64,
    pub commits: u64,
}

/// A commit worth naming in a report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotableCommit {
    pub id: String,
    pub subject: String,
    /// Author's name after mailmap.
    pub author: String,
    /// Lines added and deleted, after exclusions.
    pub added: u64,
    pub deleted: u64,
    /// Files changed (every `--numstat` entry, exclusions included).
    pub files: u64,
    /// The pull request named by a `(#N)` subject, if any.
    pub pull_request: Option<u64>,
    pub breaking: bool,
    /// Conventional-commit type (`feat`, `fix`, …, `other`).
    pub kind: String,
}

/// Commits a repository's window has in common with another repository's.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SharedHistory {
    pub repo: String,
    pub commits: u64,
}

/// A span of history between two commits.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommitRange {
    pub from: Option<String>,
    pub to: String,
}

/// One calendar day in the configured time zone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DayActivity {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub commits: u64,
    /// Lines added and deleted over non-merge commits, after exclusions.
    pub added: u64,
    pub deleted: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Hotspots {
    /// Files with the most churn (added + deleted, after exclusions), at most ten.
    pub paths: Vec<Hotspot>,
    /// Folders (a file's parent folder; `.` for the top level) with the most churn, at most ten.
    pub folders: Vec<Hotspot>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hotspot {
    pub path: String,
    pub churn: u64,
    pub commits: u64,
}

/// A figure now and in the previous window.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Change {
    pub current: u64,
    pub previous: u64,
    pub delta: i64,
    /// Percent change rounded to a whole number; absent when the previous figure is below
    /// the low-base guard (5), where a percentage would mislead ("+300 %" for 1 → 4).
    pub percent: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Trend {
    pub previous: String,
    pub commits: Change,
    pub authors: Change,
    /// Lines added + deleted after exclusions.
    pub lines_changed: Change,
    pub merged_pull_requests: Change,
}

/// Organisation-wide figures for the window. Every commit counts once, even when several
/// repositories share it (forks, mirrors, copied history): its lines, files, pull request and
/// author count once too.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OrgTotals {
    /// Repositories read successfully.
    pub repos: u64,
    /// Repositories with at least one commit in the window.
    pub active_repos: u64,
    /// Distinct commits.
    pub commits: u64,
    /// The same as `commits` (kept for readers of schema 2).
    pub distinct_commits: u64,
    /// Sum of per-repository commits, shared ones counted in each repository.
    #[serde(default)]
    pub repo_commits: u64,
    /// How many per-repository commits were duplicates of another repository's
    /// (`repo_commits - commits`).
    pub shared_commits: u64,
    pub non_merge_commits: u64,
    pub merge_commits: u64,
    /// Merged pull requests, one whose commits several repositories share counted once.
    pub merged_pull_requests: u64,
    /// Tags, the same name on the same commit in several repositories counted once.
    pub tags: u64,
    /// People across repositories (grouped by mapped email), most commits first.
    pub authors: Vec<Author>,
    pub bot_commits: u64,
    pub lines: Lines,
    pub lines_excluding_generated: Lines,
    pub conventional: Conventional,
    pub breaking_changes: u64,
    /// Authors (not bots) whose first commit anywhere in the organisation is in the window.
    pub first_time_contributors: Vec<String>,
    /// Activity per calendar day, distinct commits (weeks and months only), oldest first.
    #[serde(default)]
    pub per_day: Vec<DayActivity>,
    /// Months only: each ISO week overlapping the month, clipped to its days, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weeks: Vec<WeekFacts>,
    /// Months only: who did what, every author most commits first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<Contribution>,
    pub trend: Option<Trend>,
    /// GitHub counts over the enriched repositories; absent when none was enriched.
    #[serde(default)]
    pub github: Option<OrgGithub>,
}

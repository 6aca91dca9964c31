//! The facts schema's optional layers on top of git: what GitHub adds per repository and for
//! the organisation, pull request details, and the status of each enrichment. Documented in
//! `docs/facts-schema.md`; titles, labels and logins are untrusted text, kept as written (the
//! renderers escape them). No email address is ever part of it.

use serde::{Deserialize, Serialize};

/// Which enrichment layers ran for these facts, and how it went.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Enrichment {
    pub github: EnrichmentStatus,
}

/// How one enrichment layer went.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EnrichmentStatus {
    pub status: EnrichmentState,
    /// Why the layer was skipped or is partial; absent when `ok` or `offline-cache`.
    pub reason: Option<String>,
    /// One line per problem (a repository not enriched, a listing cut short), in repository
    /// order.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Default for EnrichmentStatus {
    fn default() -> Self {
        EnrichmentStatus {
            status: EnrichmentState::Skipped,
            reason: Some("not requested".to_string()),
            notes: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum EnrichmentState {
    /// Every repository was enriched with fresh (or revalidated) data.
    Ok,
    /// Nothing was enriched; `reason` says why.
    Skipped,
    /// Some repositories or listings are missing; `reason` and `notes` say which.
    Partial,
    /// Everything came from the on-disk cache (`--offline`).
    OfflineCache,
}

/// One issue or pull request.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ForgeItem {
    pub number: u64,
    pub title: String,
    /// Label names in the order the forge lists them.
    pub labels: Vec<String>,
    /// The author's login; absent for deleted accounts.
    pub author_login: Option<String>,
    /// The forge's own page for it (its `html_url`).
    pub url: String,
}

/// One published release.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ForgeRelease {
    pub tag: String,
    /// The release's title; absent when none was given.
    pub name: Option<String>,
    pub url: String,
}

/// What GitHub says happened in one repository in the window.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct RepoGithub {
    /// `owner/name` on GitHub.
    pub full_name: String,
    /// Issues (not pull requests) opened in the window, by number.
    pub issues_opened: Vec<ForgeItem>,
    /// Issues whose latest closing is in the window, by number.
    pub issues_closed: Vec<ForgeItem>,
    pub pull_requests_opened: Vec<ForgeItem>,
    pub pull_requests_merged: Vec<ForgeItem>,
    pub pull_requests_closed_unmerged: Vec<ForgeItem>,
    /// Releases published in the window (drafts never), oldest first.
    pub releases: Vec<ForgeRelease>,
}

/// Organisation-wide counts from GitHub, over the repositories that were enriched.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct OrgGithub {
    /// Repositories with GitHub data in these facts.
    pub repos: u64,
    pub issues_opened: u64,
    pub issues_closed: u64,
    pub pull_requests_opened: u64,
    pub pull_requests_merged: u64,
    pub pull_requests_closed_unmerged: u64,
    pub releases: u64,
}

impl OrgGithub {
    pub fn add(&mut self, r: &RepoGithub) {
        self.repos += 1;
        self.issues_opened += r.issues_opened.len() as u64;
        self.issues_closed += r.issues_closed.len() as u64;
        self.pull_requests_opened += r.pull_requests_opened.len() as u64;
        self.pull_requests_merged += r.pull_requests_merged.len() as u64;
        self.pull_requests_closed_unmerged += r.pull_requests_closed_unmerged.len() as u64;
        self.releases += r.releases.len() as u64;
    }
}

/// A merged pull request found in git, joined with the forge's data when there is some.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PullRequestDetail {
    pub number: u64,
    /// From the API; from git, the squash subject without ` (#N)` or the merge commit's first
    /// body line (GitHub puts the title there); absent when git has none.
    pub title: Option<String>,
    /// From the API only (empty from git).
    pub labels: Vec<String>,
    /// The API's `html_url`; absent from git.
    pub url: Option<String>,
    pub source: DetailSource,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DetailSource {
    Git,
    Api,
}

//! The REST API's JSON as far as Sparky reads it (repositories, issues, pull requests,
//! releases), and the owned records kept from it. Unknown fields are ignored; no email is read.

use jiff::Timestamp;
use serde::Deserialize;

/// An entry of `GET /orgs/{org}/repos`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ApiRepo {
    pub name: String,
    pub full_name: String,
    pub clone_url: String,
    #[serde(default)]
    pub fork: bool,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub private: bool,
    /// `public`, `private` or `internal` (GitHub Enterprise).
    #[serde(default)]
    pub visibility: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ApiUser {
    pub login: String,
}

/// Labels are objects in listings; plain names are accepted too.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum ApiLabel {
    Object { name: String },
    Name(String),
}

impl ApiLabel {
    fn into_name(self) -> String {
        match self {
            ApiLabel::Object { name } | ApiLabel::Name(name) => name,
        }
    }
}

/// An entry of `GET /repos/{o}/{r}/issues` (pull requests appear too, with `pull_request`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ApiIssue {
    pub number: u64,
    pub title: String,
    pub html_url: String,
    pub user: Option<ApiUser>,
    #[serde(default)]
    pub labels: Vec<ApiLabel>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    #[serde(default)]
    pub pull_request: Option<serde_json::Value>,
}

/// An entry of `GET /repos/{o}/{r}/pulls`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ApiPull {
    pub number: u64,
    pub title: String,
    pub html_url: String,
    pub user: Option<ApiUser>,
    #[serde(default)]
    pub labels: Vec<ApiLabel>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub merged_at: Option<Timestamp>,
}

/// An entry of `GET /repos/{o}/{r}/releases`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ApiRelease {
    pub tag_name: String,
    pub name: Option<String>,
    pub html_url: String,
    #[serde(default)]
    pub draft: bool,
    pub created_at: Timestamp,
    pub published_at: Option<Timestamp>,
}

/// An issue or pull request, kept for slicing into windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub number: u64,
    pub title: String,
    pub labels: Vec<String>,
    pub author_login: Option<String>,
    pub url: String,
    pub created: Timestamp,
    pub closed: Option<Timestamp>,
    /// Pull requests only.
    pub merged: Option<Timestamp>,
}

impl From<ApiIssue> for Item {
    fn from(i: ApiIssue) -> Self {
        Item {
            number: i.number,
            title: i.title,
            labels: i.labels.into_iter().map(ApiLabel::into_name).collect(),
            author_login: i.user.map(|u| u.login),
            url: i.html_url,
            created: i.created_at,
            closed: i.closed_at,
            merged: None,
        }
    }
}

impl From<ApiPull> for Item {
    fn from(p: ApiPull) -> Self {
        Item {
            number: p.number,
            title: p.title,
            labels: p.labels.into_iter().map(ApiLabel::into_name).collect(),
            author_login: p.user.map(|u| u.login),
            url: p.html_url,
            created: p.created_at,
            closed: p.closed_at,
            merged: p.merged_at,
        }
    }
}

/// A published release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Release {
    pub tag: String,
    pub name: Option<String>,
    pub url: String,
    pub published: Timestamp,
}

/// One repository's activity since the run's earliest window start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RepoActivity {
    /// `owner/name` on GitHub.
    pub full_name: String,
    pub issues: Vec<Item>,
    pub pulls: Vec<Item>,
    pub releases: Vec<Release>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_parse_without_emails_and_keep_pull_request_marker() {
        let json = r#"[{"number": 3, "title": "Crash <script>", "html_url": "https://github.com/a/b/issues/3",
            "user": {"login": "jane", "email": "jane@example.com"}, "labels": [{"name": "bug"}, "p1"],
            "created_at": "2025-11-03T10:00:00Z", "closed_at": null, "state": "open"},
            {"number": 4, "title": "PR", "html_url": "https://github.com/a/b/pull/4", "user": null,
            "labels": [], "created_at": "2025-11-03T10:00:00Z", "closed_at": null,
            "pull_request": {"url": "x"}}]"#;
        let issues: Vec<ApiIssue> = serde_json::from_str(json).expect("parses");
        assert!(issues[0].pull_request.is_none());
        assert!(issues[1].pull_request.is_some());
        let item = Item::from(issues[0].clone());
        assert_eq!(item.labels, ["bug", "p1"]);
        assert_eq!(item.author_login.as_deref(), Some("jane"));
        assert_eq!(item.title, "Crash <script>");
        assert_eq!(Item::from(issues[1].clone()).author_login, None);
    }
}

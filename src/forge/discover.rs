//! Discovery: the organisation's repositories from `GET /orgs/{org}/repos`, filtered (forks,
//! archived, private, name patterns) and merged with the configured sources, which win on a
//! clash of names or URLs.

use regex::Regex;

use super::activity::PER_PAGE;
use super::api::ApiRepo;
use super::client::{Client, Listing};
use super::error::ForgeError;
use crate::config::is_valid_repo_name;
use crate::source::{Location, RepoSpec};

/// Which listed repositories are kept.
#[derive(Debug, Clone, Default)]
pub struct DiscoveryFilter {
    pub include_forks: bool,
    pub include_archived: bool,
    /// Private and internal repositories (off by default: the site is public).
    pub include_private: bool,
    /// When not empty, a name must match one of these.
    pub include: Vec<Regex>,
    /// A name matching any of these is dropped.
    pub exclude: Vec<Regex>,
}

/// A repository the organisation lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveredRepo {
    pub name: String,
    /// `owner/name`.
    pub full_name: String,
    pub clone_url: String,
    pub fork: bool,
    pub archived: bool,
    /// Private, or internal to an enterprise.
    pub private: bool,
}

impl From<ApiRepo> for DiscoveredRepo {
    fn from(r: ApiRepo) -> Self {
        let hidden = r.visibility.as_deref().is_some_and(|v| v != "public");
        DiscoveredRepo {
            name: r.name,
            full_name: r.full_name,
            clone_url: r.clone_url,
            fork: r.fork,
            archived: r.archived,
            private: r.private || hidden,
        }
    }
}

impl DiscoveryFilter {
    /// Why `repo` is dropped, or `None` when it is kept.
    pub fn drops(&self, repo: &DiscoveredRepo) -> Option<&'static str> {
        if repo.fork && !self.include_forks {
            return Some("a fork");
        }
        if repo.archived && !self.include_archived {
            return Some("archived");
        }
        if repo.private && !self.include_private {
            return Some("private");
        }
        if !self.include.is_empty() && !self.include.iter().any(|r| r.is_match(&repo.name)) {
            return Some("not matched by `include`");
        }
        if self.exclude.iter().any(|r| r.is_match(&repo.name)) {
            return Some("matched by `exclude`");
        }
        None
    }
}

/// The organisation's repositories that pass `filter`, sorted by name, and whether the page
/// cap cut the listing short.
pub(crate) fn list(
    client: &mut Client,
    org: &str,
    filter: &DiscoveryFilter,
) -> Result<(Vec<DiscoveredRepo>, bool), ForgeError> {
    let url = client.url(&format!(
        "orgs/{org}/repos?type=all&sort=full_name&per_page={PER_PAGE}"
    ));
    let Listing { items, truncated } = client.list::<ApiRepo>(&url, |_| true)?;
    let mut kept: Vec<DiscoveredRepo> = Vec::new();
    for repo in items.into_iter().map(DiscoveredRepo::from) {
        if let Some(why) = filter.drops(&repo) {
            tracing::debug!(repo = %repo.full_name, "not discovered: {why}");
        } else if !is_valid_repo_name(&repo.name) {
            tracing::info!(repo = %repo.full_name, "not discovered: its name cannot name a mirror folder");
        } else if !kept.iter().any(|k| k.name == repo.name) {
            kept.push(repo);
        }
    }
    kept.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((kept, truncated))
}

/// The configured sources plus the discovered repositories they do not already name or point
/// at, sorted by name.
pub(crate) fn merge(explicit: &[RepoSpec], discovered: &[DiscoveredRepo]) -> Vec<RepoSpec> {
    let mut specs = explicit.to_vec();
    for d in discovered {
        let key = repo_key(&d.clone_url);
        let clash = explicit.iter().any(|s| {
            s.name == d.name
                || matches!(&s.location, Location::Url(u) if key.is_some() && repo_key(u) == key)
        });
        if clash {
            tracing::debug!(repo = %d.full_name, "configured explicitly; the configured entry wins");
            continue;
        }
        specs.push(RepoSpec {
            name: d.name.clone(),
            location: Location::Url(d.clone_url.clone()),
            branch: None,
        });
    }
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    specs
}

/// The host and path of a remote URL (`https://host/o/r.git`, `ssh://git@host/o/r`,
/// `git@host:o/r.git`), without user, port, `.git` or slashes at the ends.
pub(crate) fn host_and_path(url: &str) -> Option<(String, String)> {
    let (host, path) = match url.split_once("://") {
        Some((_, rest)) => rest.split_once('/')?,
        None => url.split_once(':')?,
    };
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let path = path.trim_matches('/');
    let path = path
        .strip_suffix(".git")
        .unwrap_or(path)
        .trim_end_matches('/');
    (!host.is_empty() && !path.is_empty()).then(|| (host, path.to_string()))
}

/// A URL reduced to `host/path`, lower-cased, to tell that two URLs name one repository.
fn repo_key(url: &str) -> Option<String> {
    host_and_path(url).map(|(h, p)| format!("{h}/{}", p.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(name: &str, fork: bool, archived: bool, private: bool) -> DiscoveredRepo {
        DiscoveredRepo {
            name: name.into(),
            full_name: format!("acme/{name}"),
            clone_url: format!("https://github.com/acme/{name}.git"),
            fork,
            archived,
            private,
        }
    }

    #[test]
    fn filters() {
        let f = DiscoveryFilter::default();
        assert_eq!(f.drops(&repo("a", false, false, false)), None);
        assert_eq!(f.drops(&repo("a", true, false, false)), Some("a fork"));
        assert_eq!(f.drops(&repo("a", false, true, false)), Some("archived"));
        assert_eq!(f.drops(&repo("a", false, false, true)), Some("private"));
        let f = DiscoveryFilter {
            include_forks: true,
            include_archived: true,
            include_private: true,
            include: vec![Regex::new("^api").expect("regex")],
            exclude: vec![Regex::new("-old$").expect("regex")],
        };
        assert_eq!(f.drops(&repo("api", true, true, true)), None);
        assert_eq!(
            f.drops(&repo("web", false, false, false)),
            Some("not matched by `include`")
        );
        assert_eq!(
            f.drops(&repo("api-old", false, false, false)),
            Some("matched by `exclude`")
        );
    }

    #[test]
    fn explicit_sources_win() {
        let explicit = vec![
            RepoSpec {
                name: "api".into(),
                location: Location::Local("/srv/api".into()),
                branch: Some("dev".into()),
            },
            RepoSpec {
                name: "site".into(),
                location: Location::Url("git@github.com:Acme/web".into()),
                branch: None,
            },
        ];
        let found = [
            repo("api", false, false, false),
            repo("web", false, false, false),
            repo("cli", false, false, false),
        ];
        let merged = merge(&explicit, &found);
        let names: Vec<&str> = merged.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["api", "cli", "site"]);
        assert_eq!(merged[0], explicit[0]);
        assert_eq!(
            merged[1].location,
            Location::Url("https://github.com/acme/cli.git".into())
        );
    }

    #[test]
    fn url_parts() {
        let hp = |u: &str| host_and_path(u);
        let want = Some(("github.com".to_string(), "acme/api".to_string()));
        assert_eq!(hp("https://github.com/acme/api.git"), want);
        assert_eq!(hp("https://x:y@GitHub.com:443/acme/api/"), want);
        assert_eq!(hp("ssh://git@github.com/acme/api"), want);
        assert_eq!(hp("git@github.com:acme/api.git"), want);
        assert_eq!(hp("file:///srv/api.git").map(|x| x.0), None);
    }
}

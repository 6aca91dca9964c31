//! Forge links: a repository's web page derived from its remote URL, and the commit, pull
//! request, tag and compare URLs built from it. Only known forges get links; anything else gets
//! none rather than a guess.

use std::path::Path;

/// The forges whose URL layouts Sparky knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    GitHub,
    GitLab,
    /// Gitea and Forgejo (Codeberg).
    Gitea,
    Bitbucket,
}

fn forge_of(host: &str) -> Option<Forge> {
    match host {
        "github.com" => Some(Forge::GitHub),
        "gitlab.com" => Some(Forge::GitLab),
        "codeberg.org" | "gitea.com" => Some(Forge::Gitea),
        "bitbucket.org" => Some(Forge::Bitbucket),
        _ => None,
    }
}

/// `https://host/owner/repo` for a remote URL on a known forge (https, ssh or scp-like), with
/// credentials, port and `.git` dropped; `None` for anything else.
pub fn web_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (host, path) = if let Some(rest) = ["https://", "http://", "ssh://", "git://"]
        .iter()
        .find_map(|p| remote.strip_prefix(p))
    {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?.split(':').next()?;
        (host, path)
    } else {
        // scp-like: git@github.com:owner/repo.git
        let (user_host, path) = remote.split_once(':')?;
        if user_host.contains('/') {
            return None;
        }
        (user_host.rsplit('@').next()?, path)
    };
    let host = host.to_ascii_lowercase();
    forge_of(&host)?;
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let safe = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    if segments.len() < 2 || !segments.iter().all(|s| safe(s)) {
        return None;
    }
    Some(format!("https://{host}/{}", segments.join("/")))
}

fn forge(web: &str) -> Option<Forge> {
    let host = web.strip_prefix("https://")?.split('/').next()?;
    forge_of(host)
}

/// Percent-encodes everything but unreserved characters (for tag names in paths).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn is_hex_id(id: &str) -> bool {
    (4..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The web page of a commit.
pub fn commit(web: &str, id: &str) -> Option<String> {
    if !is_hex_id(id) {
        return None;
    }
    Some(match forge(web)? {
        Forge::GitHub | Forge::Gitea => format!("{web}/commit/{id}"),
        Forge::GitLab => format!("{web}/-/commit/{id}"),
        Forge::Bitbucket => format!("{web}/commits/{id}"),
    })
}

/// The web page of pull request (merge request) `n`.
pub fn pull_request(web: &str, n: u64) -> Option<String> {
    Some(match forge(web)? {
        Forge::GitHub => format!("{web}/pull/{n}"),
        Forge::Gitea => format!("{web}/pulls/{n}"),
        Forge::GitLab => format!("{web}/-/merge_requests/{n}"),
        Forge::Bitbucket => format!("{web}/pull-requests/{n}"),
    })
}

/// The web page of a tag (its release page where the forge has one).
pub fn tag(web: &str, name: &str) -> Option<String> {
    let t = encode(name);
    Some(match forge(web)? {
        Forge::GitHub | Forge::Gitea => format!("{web}/releases/tag/{t}"),
        Forge::GitLab => format!("{web}/-/tags/{t}"),
        Forge::Bitbucket => format!("{web}/src/{t}"),
    })
}

/// The comparison of two commits.
pub fn compare(web: &str, from: &str, to: &str) -> Option<String> {
    if !is_hex_id(from) || !is_hex_id(to) {
        return None;
    }
    Some(match forge(web)? {
        Forge::GitHub | Forge::Gitea => format!("{web}/compare/{from}...{to}"),
        Forge::GitLab => format!("{web}/-/compare/{from}...{to}"),
        Forge::Bitbucket => format!("{web}/branches/compare/{to}%0D{from}"),
    })
}

/// The `origin` remote's URL of a local repository (work tree or bare), read from its config
/// file; `None` when there is none.
pub fn origin_url(repo: &Path) -> Option<String> {
    let config = [repo.join(".git").join("config"), repo.join("config")]
        .into_iter()
        .find_map(|p| std::fs::read_to_string(p).ok())?;
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line.replace(' ', "") == "[remote\"origin\"]";
        } else if in_origin
            && let Some((key, value)) = line.split_once('=')
            && key.trim().eq_ignore_ascii_case("url")
        {
            return Some(value.trim().trim_matches('"').to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_urls_from_every_remote_form() {
        let gh = Some("https://github.com/acme/api".to_string());
        assert_eq!(web_url("https://github.com/acme/api.git"), gh);
        assert_eq!(web_url("https://user:tok@github.com/acme/api"), gh);
        assert_eq!(web_url("git@github.com:acme/api.git"), gh);
        assert_eq!(web_url("ssh://git@github.com:22/acme/api.git"), gh);
        assert_eq!(
            web_url("https://gitlab.com/group/sub/proj.git").as_deref(),
            Some("https://gitlab.com/group/sub/proj")
        );
        assert_eq!(web_url("file:///srv/git/api.git"), None);
        assert_eq!(web_url("/srv/git/api"), None);
        assert_eq!(web_url("https://git.example.com/acme/api"), None);
        assert_eq!(web_url("https://github.com/acme/<script>"), None);
        assert_eq!(web_url("https://github.com/acme"), None);
    }

    #[test]
    fn links_per_forge() {
        let gh = "https://github.com/acme/api";
        assert_eq!(
            commit(gh, "abc123").as_deref(),
            Some("https://github.com/acme/api/commit/abc123")
        );
        assert_eq!(commit(gh, "not-hex"), None);
        assert_eq!(
            pull_request(gh, 12).as_deref(),
            Some("https://github.com/acme/api/pull/12")
        );
        assert_eq!(
            tag(gh, "v1.0 beta/rc").as_deref(),
            Some("https://github.com/acme/api/releases/tag/v1.0%20beta%2Frc")
        );
        let gl = "https://gitlab.com/g/p";
        assert_eq!(
            pull_request(gl, 3).as_deref(),
            Some("https://gitlab.com/g/p/-/merge_requests/3")
        );
        assert_eq!(
            compare(gl, "aa11", "bb22").as_deref(),
            Some("https://gitlab.com/g/p/-/compare/aa11...bb22")
        );
    }

    #[test]
    fn origin_is_read_from_the_repository_config() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
        std::fs::write(
            dir.path().join(".git/config"),
            "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = x\n[remote \"origin\"]\n\turl = git@github.com:acme/web.git\n",
        )
        .expect("write");
        assert_eq!(
            origin_url(dir.path()).as_deref(),
            Some("git@github.com:acme/web.git")
        );
    }
}

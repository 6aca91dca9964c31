//! Errors of the mirror stage: which repository, which folder, what went wrong, what to do.

use std::path::PathBuf;

/// Why mirroring one repository failed. URLs are always shown redacted ([`super::redact_url`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MirrorError {
    #[error("`{url}` is not a repository URL or path gix understands")]
    InvalidUrl {
        url: String,
        #[source]
        source: GitError,
    },
    #[error("cannot reach `{url}` to mirror it into `{}`", dest.display())]
    Unreachable {
        url: String,
        dest: PathBuf,
        #[source]
        source: GitError,
    },
    #[error("`{url}` requires credentials that were missing or refused (mirror `{}`)", dest.display())]
    Auth {
        url: String,
        dest: PathBuf,
        #[source]
        source: GitError,
    },
    #[error("failed to clone `{url}` into `{}`", dest.display())]
    Clone {
        url: String,
        dest: PathBuf,
        #[source]
        source: GitError,
    },
    #[error("failed to fetch `{url}` into `{}`", dest.display())]
    Fetch {
        url: String,
        dest: PathBuf,
        #[source]
        source: GitError,
    },
    #[error("mirroring `{url}` into `{}` was interrupted", dest.display())]
    Interrupted { url: String, dest: PathBuf },
    #[error("cannot write the mirror at `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` holds something other than a git repository; refusing to replace it with a mirror of `{url}`", dest.display())]
    Occupied { url: String, dest: PathBuf },
    #[error("`{}` is the mirror folder of more than one repository (`{url}` and another)", dest.display())]
    DuplicateDestination { url: String, dest: PathBuf },
    #[error(
        "refusing to send the git token to `{url}` over plain http: anyone on the network could read it"
    )]
    InsecureToken { url: String },
}

impl MirrorError {
    /// Something the user can do about the error, if anything.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            MirrorError::InvalidUrl { .. } => {
                "use an https://, ssh:// or file:// URL, `git@host:org/repo`, or a local path"
                    .into()
            }
            MirrorError::Unreachable { .. } => "check the URL and that the host is reachable; \
                 use --offline to build from existing mirrors"
                .into(),
            MirrorError::Auth { .. } => {
                "set SPARKY_GIT_TOKEN to a token that can read the repository \
                 (tokens are only sent over https)"
                    .into()
            }
            MirrorError::Clone { .. } => {
                "run again; if it keeps failing, check the URL with `git ls-remote`".into()
            }
            MirrorError::Fetch { dest, .. } => format!(
                "run again; if it keeps failing, delete `{}` to mirror from scratch",
                dest.display()
            ),
            MirrorError::Interrupted { .. } => return None,
            MirrorError::Io { .. } => {
                "check that the cache folder is writable and the disk is not full".into()
            }
            MirrorError::Occupied { dest, .. } => format!(
                "move `{}` away or point the cache somewhere else",
                dest.display()
            ),
            MirrorError::DuplicateDestination { .. } => "give each repository a unique name".into(),
            MirrorError::InsecureToken { .. } => {
                "use the repository's https:// URL (or ssh), or unset the token variable for this run".into()
            }
        })
    }

    /// The redacted URL of the repository, when the error concerns one.
    pub fn url(&self) -> Option<&str> {
        match self {
            MirrorError::InvalidUrl { url, .. }
            | MirrorError::Unreachable { url, .. }
            | MirrorError::Auth { url, .. }
            | MirrorError::Clone { url, .. }
            | MirrorError::Fetch { url, .. }
            | MirrorError::Interrupted { url, .. }
            | MirrorError::Occupied { url, .. }
            | MirrorError::DuplicateDestination { url, .. }
            | MirrorError::InsecureToken { url } => Some(url),
            MirrorError::Io { .. } => None,
        }
    }
}

/// What gix reported, flattened to one line with every secret removed.
///
/// gix's own error tree can quote the URL it was given (with any `user:password@`) and transport
/// details, so it is rendered once, scrubbed, and only the text is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError {
    message: String,
}

impl GitError {
    pub(crate) fn new(message: String) -> Self {
        GitError { message }
    }

    /// Renders every diagnostic of `err`'s tree as `a: b: c`, then scrubs it.
    pub(crate) fn from_gix(err: &gix::Error, scrubber: &super::redact::Scrubber) -> Self {
        let mut parts: Vec<String> = Vec::new();
        for e in err.iter_errors() {
            let text = e.to_string();
            if !text.is_empty() && !parts.contains(&text) {
                parts.push(text);
            }
        }
        if parts.is_empty() {
            parts.push(err.to_string());
        }
        GitError::new(scrubber.scrub(&parts.join(": ")))
    }
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GitError {}

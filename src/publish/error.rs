//! Publish errors: each names the clone, remote, branch or file involved, and says what to do.

use std::path::PathBuf;

/// A git error's message with every URL redacted and the token removed: what may be shown.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct GitMessage {
    pub message: String,
    /// libgit2's error code, to tell a rejected push from a broken connection.
    pub code: git2::ErrorCode,
}

impl GitMessage {
    pub(crate) fn new(err: &git2::Error, token: Option<&str>) -> Self {
        let mut message = err.message().to_string();
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            message = message.replace(token, "***");
        }
        let message = message
            .split_whitespace()
            .map(crate::mirror::redact_url)
            .collect::<Vec<_>>()
            .join(" ");
        GitMessage {
            message,
            code: err.code(),
        }
    }
}

/// Why `sparky publish` stopped. Nothing is pushed and the clone's branch, index and work tree
/// are left as they were, whichever of these it is.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("`{}` is not a git repository", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: GitMessage,
    },
    #[error("`{}` is a bare repository; publishing needs a clone with a work tree", path.display())]
    Bare { path: PathBuf },
    #[error("the content folder `{}` is not inside the docs clone `{}`", content.display(), repo.display())]
    ContentOutside { content: PathBuf, repo: PathBuf },
    #[error("HEAD is detached in `{}` and no branch is configured", path.display())]
    Detached { path: PathBuf },
    #[error("the clone is on branch `{checked_out}`, but `[publish] branch` is `{configured}`")]
    WrongBranch {
        checked_out: String,
        configured: String,
    },
    #[error("branch `{branch}` has {ahead} commit(s) that are not on `{remote}/{branch}`")]
    Unpushed {
        branch: String,
        remote: String,
        ahead: usize,
    },
    #[error("no remote `{remote}` in the docs clone")]
    NoRemote {
        remote: String,
        #[source]
        source: GitMessage,
    },
    #[error(
        "`{path}` was changed on `{remote}/{branch}` (now at {tip}) while Sparky changed it too; nothing was published"
    )]
    Conflict {
        path: String,
        remote: String,
        branch: String,
        tip: String,
    },
    #[error("`{remote}` refused the push to `{branch}`: {reason}")]
    Refused {
        remote: String,
        branch: String,
        reason: String,
    },
    #[error(
        "gave up after {attempts} attempt(s): `{remote}/{branch}` kept moving while Sparky pushed"
    )]
    GaveUp {
        remote: String,
        branch: String,
        attempts: u32,
    },
    #[error("failed to fetch `{branch}` from `{remote}` ({url})")]
    Fetch {
        remote: String,
        url: String,
        branch: String,
        #[source]
        source: GitMessage,
    },
    #[error("failed to push to `{remote}` ({url})")]
    Push {
        remote: String,
        url: String,
        #[source]
        source: GitMessage,
    },
    #[error("failed to {action} in the docs clone")]
    Git {
        action: &'static str,
        #[source]
        source: GitMessage,
    },
    #[error("failed to read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl PublishError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        use PublishError::*;
        Some(match self {
            Open { .. } | Bare { .. } => {
                "run `sparky publish` in a clone of the docs repository, or set `[publish] repo` to one"
                    .into()
            }
            ContentOutside { .. } => {
                "`[output] content_dir` must be a folder of the docs clone set by `[publish] repo`"
                    .into()
            }
            Detached { .. } => "set `[publish] branch`, e.g. `branch = \"main\"`".into(),
            WrongBranch { configured, .. } => {
                format!("`git switch {configured}` first, or change `[publish] branch`")
            }
            Unpushed { remote, branch, .. } => format!(
                "Sparky pushes only its own commit: push those commits first (`git push {remote} {branch}`), or move them to another branch"
            ),
            NoRemote { remote, .. } => format!(
                "`git remote -v` lists the clone's remotes; set `[publish] remote`, or `git remote add {remote} URL`"
            ),
            Conflict { remote, branch, .. } => format!(
                "someone edited a page Sparky also rewrote: `git pull {remote} {branch}`, then `sparky build` (it keeps the human edit unless --force) and `sparky publish` again"
            ),
            Refused { .. } => {
                "the remote declined the push (a protected branch or a hook): let the token push to that branch, or publish to another `[publish] branch`".into()
            }
            GaveUp { .. } => {
                "run `sparky publish` again, or raise `[publish] max_retries`".into()
            }
            Fetch { source, .. } | Push { source, .. } => {
                if source.message.contains("credentials")
                    || source.message.contains("token")
                    || source.message.contains("authentication")
                {
                    "for an https remote put a token that may push in the variable named by `[publish] token_env` (default SPARKY_PUBLISH_TOKEN)".into()
                } else if source.message.contains("unsupported URL protocol") {
                    "Sparky pushes over https (with a token) or to a local path; ssh remotes are not supported: use the https URL".into()
                } else {
                    "check the remote's URL (`git remote -v`) and that it can be reached from here".into()
                }
            }
            Git { .. } | Read { .. } => return None,
        })
    }
}

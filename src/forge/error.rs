//! Errors talking to GitHub: each names the API path (never the token), says whether the rest
//! of the run can still use the API, and carries a hint where the user can act.

use std::path::PathBuf;

/// What went wrong with one request or listing.
#[derive(Debug, thiserror::Error)]
pub enum ForgeError {
    #[error("no GitHub token: the environment variable `{env}` is not set")]
    MissingToken { env: String },

    #[error("the token in `{env}` holds characters an HTTP header cannot carry")]
    TokenNotAHeader { env: String },

    #[error("`{url}` is not a usable API URL: {why}")]
    BadApiUrl { url: String, why: &'static str },

    #[error("failed to set up the HTTP client")]
    Client {
        #[source]
        source: reqwest::Error,
    },

    #[error("the GitHub API at `{api}` is unreachable")]
    Unreachable {
        api: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("GitHub rejected the token (401) for `{path}`")]
    Unauthorized { path: String },

    #[error(
        "GitHub's rate limit is exhausted: waiting {wait_secs}s would pass the cap of {cap_secs}s (`{path}`)"
    )]
    RateLimited {
        path: String,
        wait_secs: u64,
        cap_secs: u64,
    },

    #[error("GitHub refused `{path}` (403): {message}")]
    Forbidden { path: String, message: String },

    #[error("`{path}` was not found on GitHub (404)")]
    NotFound { path: String },

    #[error("GitHub answered `{path}` with {status}")]
    Status { path: String, status: u16 },

    #[error("GitHub sent malformed JSON for `{path}`")]
    Malformed {
        path: String,
        #[source]
        source: serde_json::Error,
    },

    #[error("offline, and no cached response for `{path}`")]
    NotCached { path: String },

    #[error("`{path}` links to another host (`{host}`) for its next page")]
    ForeignLink { path: String, host: String },

    #[error("`{path}` has more than {max_pages} pages; the rest was not read")]
    TooManyPages { path: String, max_pages: u64 },

    #[error("failed to write the GitHub cache file `{}`", path.display())]
    Cache {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("gave up on GitHub for this run earlier: {reason}")]
    GaveUp { reason: String },
}

impl ForgeError {
    /// Whether every later request would fail the same way, so the run stops asking.
    pub(crate) fn is_fatal(&self) -> bool {
        matches!(
            self,
            ForgeError::MissingToken { .. }
                | ForgeError::TokenNotAHeader { .. }
                | ForgeError::BadApiUrl { .. }
                | ForgeError::Client { .. }
                | ForgeError::Unreachable { .. }
                | ForgeError::Unauthorized { .. }
                | ForgeError::RateLimited { .. }
                | ForgeError::GaveUp { .. }
        )
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ForgeError::MissingToken { env } => format!(
                "export a GitHub token in `{env}` (read-only access to public repositories is \
                 enough), or name another variable with `[github] token_env`"
            ),
            ForgeError::TokenNotAHeader { env } => {
                format!("check the value of `{env}`: a token is one line of letters and digits")
            }
            ForgeError::BadApiUrl { .. } => {
                "use `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise \
                 Server"
                    .to_string()
            }
            ForgeError::Unreachable { .. } => {
                "check the network and `[github] api_url`; the facts keep git's data".to_string()
            }
            ForgeError::Unauthorized { .. } => {
                "the token is wrong, expired or revoked: create a new one".to_string()
            }
            ForgeError::RateLimited { .. } => {
                "run again after the reset, or raise `[github] max_wait_secs`; unchanged data \
                 costs no quota on the next run thanks to the cache"
                    .to_string()
            }
            ForgeError::Forbidden { .. } => {
                "the token may lack access to this organisation (SSO authorisation, scopes)"
                    .to_string()
            }
            ForgeError::NotFound { .. } => {
                "check `[github] org`, or the repository's name on GitHub; private repositories \
                 need a token that can see them"
                    .to_string()
            }
            ForgeError::NotCached { .. } => {
                "run once without `--offline` to fill the cache".to_string()
            }
            ForgeError::TooManyPages { .. } => {
                "raise `[github] max_pages`, or choose a shorter window".to_string()
            }
            ForgeError::Cache { .. } => {
                "make the cache folder writable, or choose another with --cache-dir".to_string()
            }
            ForgeError::Client { .. }
            | ForgeError::Status { .. }
            | ForgeError::Malformed { .. }
            | ForgeError::ForeignLink { .. }
            | ForgeError::GaveUp { .. } => return None,
        })
    }
}

//! Types: what the mirror stage takes and gives back — options, jobs, outcomes, and a secret
//! that cannot be printed.

use std::path::PathBuf;

/// A secret that never prints: Debug/Display show "***".
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// How to mirror.
#[derive(Debug, Clone)]
pub struct MirrorOptions {
    /// Token for https remotes: sent in memory as an HTTP basic-auth header to the URL's host,
    /// over https only (or http to a loopback address).
    pub token: Option<Secret>,
    /// Show one progress line per repository on stderr (hidden anyway when it is not a terminal).
    pub progress: bool,
    /// How many repositories [`sync_all`] mirrors at once.
    pub jobs: usize,
}

impl Default for MirrorOptions {
    fn default() -> Self {
        MirrorOptions {
            token: None,
            progress: false,
            jobs: 4,
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MirrorAction {
    /// There was no mirror: it was cloned.
    Cloned,
    /// `updated` refs were created or moved (`HEAD` naming another branch counts as one) and
    /// `pruned` refs deleted upstream were removed.
    Fetched { updated: usize, pruned: usize },
    /// The mirror already matched the remote.
    UpToDate,
    /// The mirror could not be trusted and was cloned again from scratch.
    Rebuilt { reason: String },
}

impl std::fmt::Display for MirrorAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MirrorAction::Cloned => f.write_str("cloned"),
            MirrorAction::Fetched { updated, pruned } => {
                write!(f, "fetched ({updated} refs updated, {pruned} pruned)")
            }
            MirrorAction::UpToDate => f.write_str("up to date"),
            MirrorAction::Rebuilt { reason } => write!(f, "rebuilt ({reason})"),
        }
    }
}

/// The result of mirroring one repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorOutcome {
    /// The bare repository, ready for the history stage.
    pub path: PathBuf,
    pub action: MirrorAction,
}

/// One repository for [`sync_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorJob {
    /// Shown on the progress line.
    pub name: String,
    pub url: String,
    /// The bare repository folder under the cache.
    pub dest: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("hunter2-token");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        let opts = MirrorOptions {
            token: Some(s),
            ..Default::default()
        };
        assert!(!format!("{opts:?}").contains("hunter2"));
    }
}

//! Sources: which repositories to read, resolved from the config and command line into
//! [`RepoSpec`]s with unique names.

use std::path::PathBuf;

/// Where a repository lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A repository on this machine (bare or with a work tree), read in place.
    Local(PathBuf),
    /// A URL (`file://`, `https://`, `ssh://`, scp-like): mirrored under the cache folder.
    Url(String),
}

/// One repository to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoSpec {
    /// Unique name within the organisation (derived from the URL or folder when not configured).
    pub name: String,
    pub location: Location,
    /// The branch to read; `None` means the repository's default branch (its `HEAD`).
    pub branch: Option<String>,
}

//! The owned records that history extraction produces and the cache stores.
//!
//! These are raw git facts: identities are as written in the commit (mailmap and bot detection
//! are applied later, in `identity`), and no window or time zone has been applied yet.

pub use gix::ObjectId;
use serde::{Deserialize, Serialize};

/// One repository's history on its branch, as read from its mirror or local clone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RepoHistory {
    /// The branch that was read (short name, e.g. `main`), or `None` for an empty repository.
    pub branch: Option<String>,
    /// The commit id (hex) at the tip of the branch, `None` for an empty repository.
    pub head: Option<String>,
    /// Every commit reachable from the tip, newest first by committer time, ties by id.
    pub commits: Vec<CommitRecord>,
    /// Every tag in the repository that points (possibly through annotated tags) at a commit.
    pub tags: Vec<TagRecord>,
    /// Commits that are reachable but could not be read at all (missing or corrupt object).
    pub unreadable: Vec<UnreadableCommit>,
    /// The text of `.mailmap` at the tip of the branch, empty if there is none.
    pub mailmap: String,
}

/// A person and a time, as recorded in a commit or tag header.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub email: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// The recorded UTC offset in seconds (e.g. 3600 for `+0100`).
    pub offset: i32,
}

/// A `Co-authored-by:` trailer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CoAuthor {
    pub name: String,
    pub email: String,
}

/// Everything Sparky needs to know about one commit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommitRecord {
    #[serde(with = "super::ids::one")]
    pub id: ObjectId,
    /// Parent ids in order (first parent first).
    #[serde(with = "super::ids::many")]
    pub parents: Vec<ObjectId>,
    pub author: Signature,
    pub committer: Signature,
    /// First paragraph of the message folded onto one line, as `git log --format=%s` prints it.
    pub subject: String,
    /// The rest of the message after the subject paragraph, trimmed.
    pub body: String,
    /// `Co-authored-by:` trailers in order of appearance.
    pub co_authors: Vec<CoAuthor>,
    /// A `BREAKING CHANGE:` or `BREAKING-CHANGE:` footer is present.
    pub breaking_footer: bool,
    /// The message was not valid UTF-8 (and not in a declared encoding Sparky can decode); it was
    /// decoded lossily.
    pub lossy_message: bool,
    /// Per-file changes against the first parent (empty tree for a root commit), with git's default
    /// rename detection; `git log --numstat` semantics. Empty for merge commits (not diffed).
    pub files: Vec<FileChange>,
    /// Set when the diff could not be computed (e.g. a missing blob); `files` is then incomplete.
    pub diff_error: Option<String>,
}

impl CommitRecord {
    /// A record of `id` with nothing else known yet: no parents, empty signatures and message,
    /// no files.
    pub fn new(id: ObjectId) -> CommitRecord {
        CommitRecord {
            id,
            parents: Vec::new(),
            author: Signature::default(),
            committer: Signature::default(),
            subject: String::new(),
            body: String::new(),
            co_authors: Vec::new(),
            breaking_footer: false,
            lossy_message: false,
            files: Vec::new(),
            diff_error: None,
        }
    }

    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}

/// One line of `git log --numstat`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileChange {
    /// The path after the change (the new path of a rename, the old path of a deletion).
    pub path: String,
    /// The path before a rename, `None` otherwise.
    pub old_path: Option<String>,
    /// Lines added; 0 for binary files.
    pub added: u32,
    /// Lines deleted; 0 for binary files.
    pub deleted: u32,
    /// Git would print `-\t-` for this file (either side has a NUL in its first 8000 bytes).
    pub binary: bool,
}

/// A tag that resolves to a commit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TagRecord {
    /// Short name, e.g. `v1.2.0`.
    pub name: String,
    /// The commit the tag finally points at (hex).
    pub commit: String,
    /// For annotated tags: the tagger signature time (seconds), `None` for lightweight tags or
    /// annotated tags without a tagger.
    pub tagger_time: Option<i64>,
    /// The target commit's author time (seconds).
    pub commit_author_time: i64,
    /// The target commit's committer time (seconds).
    pub commit_committer_time: i64,
}

/// A commit that is reachable but whose object could not be read or decoded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UnreadableCommit {
    pub id: String,
    pub reason: String,
}

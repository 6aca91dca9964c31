//! Publish: commits the files Sparky owns (the output manifest) into a clone of the docs
//! repository and pushes that commit to the configured branch. All of Sparky's git2 calls live
//! in this module.
//!
//! [`publish`] runs: open the clone → check HEAD → read what Sparky wants (unedited files only)
//! → compose the tree on HEAD → commit → push. A push rejected because someone pushed first
//! fetches the new tip, composes again there (a path both sides changed is a conflict: stop,
//! change nothing) and retries, a bounded number of times. It never force-pushes, never commits
//! a path Sparky does not own, makes no commit when the tree is unchanged, and moves the local
//! branch only once the push has landed.

mod error;
mod local;
mod message;
mod remote;
mod tree;
mod wanted;

use std::path::{Path, PathBuf};
use std::time::Duration;

use git2::{Oid, Repository, Signature};

pub use error::{GitMessage, PublishError};
pub use local::LocalState;
pub use tree::{Change, ChangeKind};

use crate::mirror::Secret;
use crate::output::manifest::Manifest;

/// What to publish, where, and as whom.
#[derive(Debug)]
pub struct PublishRequest {
    /// The clone of the docs repository (a work tree).
    pub repo_dir: PathBuf,
    /// The content folder Sparky writes, inside the clone.
    pub content_dir: PathBuf,
    /// The output manifest of that content folder.
    pub manifest_path: PathBuf,
    /// Other folders Sparky writes inside the clone (the social drafts), each with its manifest;
    /// a folder outside the clone is skipped.
    pub extra_roots: Vec<(PathBuf, PathBuf)>,
    pub remote: String,
    /// `None`: the branch checked out in the clone.
    pub branch: Option<String>,
    pub author_name: String,
    pub author_email: String,
    pub token: Option<Secret>,
    /// Retries after a push rejected because someone pushed first.
    pub max_retries: u32,
    /// Decide the commit, make and push nothing.
    pub dry_run: bool,
}

/// What a publish did (or, in a dry run, would do).
#[derive(Debug)]
pub struct PublishOutcome {
    pub remote: String,
    /// The push URL, redacted.
    pub url: String,
    pub branch: String,
    /// How many files the output manifest says Sparky wrote into the content folder.
    pub owned: usize,
    /// `None` when there was nothing to commit.
    pub commit: Option<PublishedCommit>,
    /// Files Sparky wrote that are not committed, with the reason.
    pub left_out: Vec<(String, &'static str)>,
    /// Push attempts made (0 in a dry run or without a commit).
    pub attempts: u32,
    pub local: LocalState,
}

/// The commit made (or that would be made).
#[derive(Debug)]
pub struct PublishedCommit {
    /// `None` in a dry run.
    pub id: Option<String>,
    pub parent: Option<String>,
    pub author: String,
    pub message: String,
    pub changes: Vec<Change>,
}

/// Publishes what Sparky wrote. See the module documentation for the steps.
pub fn publish(req: &PublishRequest) -> Result<PublishOutcome, PublishError> {
    let repo = Repository::open(&req.repo_dir).map_err(|e| PublishError::Open {
        path: req.repo_dir.clone(),
        source: GitMessage::new(&e, None),
    })?;
    let workdir = repo
        .workdir()
        .map(Path::to_path_buf)
        .ok_or_else(|| PublishError::Bare {
            path: req.repo_dir.clone(),
        })?;
    let head = local::head(&repo, req.branch.as_deref())?;
    let token = req.token.as_ref();
    let remote = remote::Remote::find(&repo, &req.remote, token)?;
    let manifest = Manifest::load(&req.manifest_path);
    let extras: Vec<(PathBuf, Manifest)> = req
        .extra_roots
        .iter()
        .filter(|(dir, _)| dir.is_dir())
        .map(|(dir, m)| (dir.clone(), Manifest::load(m)))
        .filter(|(_, m)| !m.files.is_empty() || !m.removed.is_empty())
        .collect();
    let mut outcome = PublishOutcome {
        remote: remote.name.clone(),
        url: remote.shown_url(),
        branch: head.branch.clone(),
        owned: manifest.files.len() + extras.iter().map(|(_, m)| m.files.len()).sum::<usize>(),
        commit: None,
        left_out: Vec::new(),
        attempts: 0,
        local: LocalState::UpToDate,
    };
    if manifest.files.is_empty() && manifest.removed.is_empty() && extras.is_empty() {
        return Ok(outcome);
    }
    let content_rel = content_in_repo(&workdir, &req.content_dir)?;
    let mut wanted = wanted::collect(&manifest, &req.content_dir, &content_rel)?;
    for (dir, extra) in &extras {
        match content_in_repo(&workdir, dir) {
            Ok(rel) => {
                let more = wanted::collect(extra, dir, &rel)?;
                wanted.files.extend(more.files);
                wanted.left_out.extend(more.left_out);
            }
            Err(_) => tracing::warn!(
                "not publishing `{}`: it is outside the docs repository",
                dir.display()
            ),
        }
    }
    outcome.left_out = wanted.left_out.clone();
    let original_tree = match head.commit {
        Some(id) => Some(commit_tree(&repo, id)?),
        None => None,
    };
    let mut parent = head.commit;
    let mut composed = tree::compose(
        &repo,
        &tree::Base {
            original: original_tree.as_ref(),
            tip: original_tree.as_ref(),
            remote: &remote.name,
            branch: &head.branch,
            tip_id: parent,
        },
        &wanted,
    )?;
    outcome
        .left_out
        .extend(composed.kept.iter().map(|p| (p.clone(), KEPT)));
    if composed.changes.is_empty() {
        return Ok(outcome);
    }
    local::check_nothing_unpushed(&repo, &head, &remote.name)?;
    let signature = || {
        Signature::now(&req.author_name, &req.author_email)
            .map_err(git("make the commit's signature"))
    };
    let author = format!("{} <{}>", req.author_name, req.author_email);
    if req.dry_run {
        outcome.commit = Some(PublishedCommit {
            id: None,
            parent: parent.map(tree::short),
            author,
            message: message::compose(&composed.changes),
            changes: composed.changes,
        });
        return Ok(outcome);
    }

    loop {
        let text = message::compose(&composed.changes);
        let commit = make_commit(&repo, &signature()?, &text, composed.tree, parent)?;
        outcome.attempts += 1;
        match remote.push(&repo, commit, &head.branch) {
            Ok(()) => {
                tracing::debug!(commit = %commit, attempts = outcome.attempts, "pushed");
                // The push landed: a clone that cannot follow is reported, not an error.
                outcome.local =
                    local::after_push(&repo, &head, &remote.name, commit, parent, &wanted)
                        .unwrap_or_else(|e| LocalState::Behind {
                            reason: crate::cmd::chain(&e),
                        });
                outcome.commit = Some(PublishedCommit {
                    id: Some(commit.to_string()),
                    parent: parent.map(tree::short),
                    author,
                    message: text,
                    changes: composed.changes,
                });
                return Ok(outcome);
            }
            Err(remote::PushFailure::Failed(e)) => return Err(e),
            Err(remote::PushFailure::Behind(reason)) => {
                tracing::info!(%reason, attempt = outcome.attempts, "the remote branch moved; fetching its new tip");
                if outcome.attempts > req.max_retries {
                    return Err(PublishError::GaveUp {
                        remote: remote.name.clone(),
                        branch: head.branch.clone(),
                        attempts: outcome.attempts,
                    });
                }
                std::thread::sleep(Duration::from_millis(100 * u64::from(outcome.attempts)));
                parent = remote.fetch_tip(&repo, &head.branch)?;
                let tip_tree = match parent {
                    Some(id) => Some(commit_tree(&repo, id)?),
                    None => None,
                };
                composed = tree::compose(
                    &repo,
                    &tree::Base {
                        original: original_tree.as_ref(),
                        tip: tip_tree.as_ref(),
                        remote: &remote.name,
                        branch: &head.branch,
                        tip_id: parent,
                    },
                    &wanted,
                )?;
                if composed.changes.is_empty() {
                    // The new tip already holds everything Sparky wanted to publish.
                    outcome.local = LocalState::Behind {
                        reason: format!("`{}/{}` moved on", remote.name, head.branch),
                    };
                    return Ok(outcome);
                }
            }
        }
    }
}

/// Why a removal was not committed.
const KEPT: &str = "removed by Sparky, but the committed file was edited: left in place";

/// The content folder's path inside the work tree, with `/` (empty for the work tree itself).
fn content_in_repo(workdir: &Path, content_dir: &Path) -> Result<String, PublishError> {
    let outside = || PublishError::ContentOutside {
        content: content_dir.to_path_buf(),
        repo: workdir.to_path_buf(),
    };
    let canonical = |p: &Path| {
        p.canonicalize().map_err(|source| PublishError::Read {
            path: p.to_path_buf(),
            source,
        })
    };
    let workdir = canonical(workdir)?;
    let content = canonical(content_dir)?;
    let rel = content.strip_prefix(&workdir).map_err(|_| outside())?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.first().is_some_and(|p| p == ".git") {
        return Err(outside());
    }
    Ok(parts.join("/"))
}

fn commit_tree(repo: &Repository, id: Oid) -> Result<git2::Tree<'_>, PublishError> {
    repo.find_commit(id)
        .and_then(|c| c.tree())
        .map_err(git("read a commit's tree"))
}

fn make_commit(
    repo: &Repository,
    signature: &Signature<'_>,
    message: &str,
    tree: Oid,
    parent: Option<Oid>,
) -> Result<Oid, PublishError> {
    let tree = repo.find_tree(tree).map_err(git("read the new tree"))?;
    let parent = parent
        .map(|id| repo.find_commit(id))
        .transpose()
        .map_err(git("read the parent commit"))?;
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(None, signature, signature, message, &tree, &parents)
        .map_err(git("make the commit"))
}

/// Maps a local git2 failure (no token involved) to [`PublishError::Git`].
pub(crate) fn git(action: &'static str) -> impl Fn(git2::Error) -> PublishError {
    move |e| PublishError::Git {
        action,
        source: GitMessage::new(&e, None),
    }
}

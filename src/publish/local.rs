//! Local: the clone before and after a publish. Before: which branch is checked out, and whether
//! it holds commits the remote lacks. After the push landed: the index records Sparky's files,
//! the branch (or detached HEAD) moves to the pushed commit, and when the commit went on a newer
//! tip, the other files that tip changed are checked out too, unless that would touch a local
//! edit, in which case the clone is left behind and says so.

use std::path::Path;

use git2::{BranchType, Oid, Repository};

use super::wanted::{Want, Wanted};
use super::{PublishError, git, tree};

/// What HEAD is.
pub(crate) struct Head {
    /// The branch published to.
    pub branch: String,
    /// HEAD is that branch (not detached).
    pub attached: bool,
    /// HEAD's commit (`None`: no commit yet).
    pub commit: Option<Oid>,
}

/// Resolves HEAD against the configured branch.
pub(crate) fn head(repo: &Repository, configured: Option<&str>) -> Result<Head, PublishError> {
    let workdir = || repo.workdir().unwrap_or(repo.path()).to_path_buf();
    let (checked_out, commit) = match repo.head() {
        Ok(head) if head.is_branch() => {
            let name = head.shorthand().unwrap_or_default().to_string();
            let commit = head
                .peel_to_commit()
                .map_err(git("read HEAD's commit"))?
                .id();
            (Some(name), Some(commit))
        }
        Ok(head) => (None, head.target()),
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => {
            let target = repo
                .find_reference("HEAD")
                .ok()
                .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
                .unwrap_or_default();
            let name = target.strip_prefix("refs/heads/").unwrap_or(&target);
            (Some(name.to_string()), None)
        }
        Err(e) => return Err(git("read HEAD")(e)),
    };
    match (checked_out, configured) {
        (Some(name), Some(configured)) if name != configured => Err(PublishError::WrongBranch {
            checked_out: name,
            configured: configured.to_string(),
        }),
        (Some(name), _) => Ok(Head {
            branch: name,
            attached: true,
            commit,
        }),
        (None, Some(configured)) => Ok(Head {
            branch: configured.to_string(),
            attached: false,
            commit,
        }),
        (None, None) => Err(PublishError::Detached { path: workdir() }),
    }
}

/// Refuses to push commits of someone else's: HEAD must not be ahead of the remote-tracking branch.
pub(crate) fn check_nothing_unpushed(
    repo: &Repository,
    head: &Head,
    remote: &str,
) -> Result<(), PublishError> {
    let Some(commit) = head.commit else {
        return Ok(());
    };
    let tracking = format!("{remote}/{}", head.branch);
    let Ok(branch) = repo.find_branch(&tracking, BranchType::Remote) else {
        return Ok(());
    };
    let Some(upstream) = branch.get().target() else {
        return Ok(());
    };
    let (ahead, _) = repo
        .graph_ahead_behind(commit, upstream)
        .map_err(git("compare HEAD with the remote branch"))?;
    if ahead > 0 {
        return Err(PublishError::Unpushed {
            branch: head.branch.clone(),
            remote: remote.to_string(),
            ahead,
        });
    }
    Ok(())
}

/// How the clone looks after the push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalState {
    /// The branch (or HEAD) is at the pushed commit and the work tree matches it.
    UpToDate,
    /// The push went on a newer tip whose other changes could not be checked out here.
    Behind { reason: String },
}

/// Brings the clone to `commit`, which was pushed on top of `parent`.
pub(crate) fn after_push(
    repo: &Repository,
    head: &Head,
    remote: &str,
    commit: Oid,
    parent: Option<Oid>,
    wanted: &Wanted,
) -> Result<LocalState, PublishError> {
    let msg = "sparky publish";
    if repo.find_remote(remote).is_ok() {
        let tracking = format!("refs/remotes/{remote}/{}", head.branch);
        repo.reference(&tracking, commit, true, msg)
            .map_err(git("update the remote-tracking branch"))?;
    }
    let pushed = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(git("read the pushed tree"))?;
    // The work tree already holds Sparky's files: record them in the index, so neither
    // `git status` nor the checkout below takes them for local edits.
    let mut index = repo.index().map_err(git("read the index"))?;
    for (path, want) in &wanted.files {
        let in_commit = tree::blob_at(Some(&pushed), path);
        let done = match want {
            Want::Write { bytes, .. } => {
                let ours = Oid::hash_object(git2::ObjectType::Blob, bytes).ok();
                if in_commit.is_none() || in_commit != ours {
                    continue;
                }
                index.add_path(Path::new(path))
            }
            Want::Delete { .. } => {
                if in_commit.is_some() || index.get_path(Path::new(path), 0).is_none() {
                    continue;
                }
                index.remove_path(Path::new(path))
            }
        };
        done.map_err(git("record Sparky's files in the index"))?;
    }
    index.write().map_err(git("write the index"))?;

    if parent != head.commit {
        // The commit went on a newer tip: bring in what others changed since HEAD.
        let theirs = others_changes(repo, head.commit, parent, wanted)?;
        if !theirs.is_empty() {
            let mut checkout = git2::build::CheckoutBuilder::new();
            checkout.safe().disable_pathspec_match(true);
            for path in &theirs {
                checkout.path(path.as_str());
            }
            if let Err(e) = repo.checkout_tree(pushed.as_object(), Some(&mut checkout)) {
                return Ok(LocalState::Behind {
                    reason: e.message().to_string(),
                });
            }
        }
    }
    if head.attached {
        let name = format!("refs/heads/{}", head.branch);
        repo.reference(&name, commit, true, msg)
            .map_err(git("move the branch"))?;
    } else {
        repo.set_head_detached(commit)
            .map_err(git("move the detached HEAD"))?;
    }
    Ok(LocalState::UpToDate)
}

/// Paths that differ between `from` (HEAD) and `to` (the tip the commit went on), except Sparky's.
fn others_changes(
    repo: &Repository,
    from: Option<Oid>,
    to: Option<Oid>,
    wanted: &Wanted,
) -> Result<Vec<String>, PublishError> {
    let tree = |id: Option<Oid>| -> Result<Option<git2::Tree<'_>>, PublishError> {
        id.map(|id| repo.find_commit(id).and_then(|c| c.tree()))
            .transpose()
            .map_err(git("read a commit's tree"))
    };
    let (old, new) = (tree(from)?, tree(to)?);
    let diff = repo
        .diff_tree_to_tree(old.as_ref(), new.as_ref(), None)
        .map_err(git("compare HEAD with the remote branch"))?;
    let mut paths = Vec::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(path) = file.path().and_then(Path::to_str)
                && !wanted.files.contains_key(path)
                && !paths.iter().any(|p| p == path)
            {
                paths.push(path.to_string());
            }
        }
    }
    Ok(paths)
}

//! Tree: the commit's tree, composed from a base commit's tree and what Sparky wants, touching
//! no other path. Composing again on a newer tip is a three-way check per path: Sparky's change
//! applies where the tip still has what the clone had, and a path someone else changed
//! differently is a conflict.

use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};

use super::wanted::{FileInfo, Want, Wanted};
use super::{PublishError, git};
use crate::output::manifest;

/// One path the commit changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Path in the repository, with `/`.
    pub path: String,
    pub kind: ChangeKind,
    /// For written files: what the file is (`None` for deletions).
    pub(crate) file: Option<FileInfo>,
}

/// How a path changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

impl Change {
    /// Whether the file is a report page (not an index page, facts file or chart).
    pub fn is_report(&self) -> bool {
        self.file
            .as_ref()
            .is_some_and(|f| f.role == crate::output::Role::Report)
    }
}

impl ChangeKind {
    /// `A`, `M` or `D`, as `git status --short` shows them.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Modified => 'M',
            ChangeKind::Deleted => 'D',
        }
    }
}

/// A tree to commit and how it differs from its base.
pub(crate) struct Composed {
    pub tree: Oid,
    pub changes: Vec<Change>,
    /// Removals Sparky would make but will not, because the committed file was edited.
    pub kept: Vec<String>,
}

/// Where the tree starts from.
pub(crate) struct Base<'r> {
    /// The tree of the clone's HEAD when publishing started (`None`: no commit yet).
    pub original: Option<&'r Tree<'r>>,
    /// The tree the commit goes on top of: the same, or a newer tip of the remote branch.
    pub tip: Option<&'r Tree<'r>>,
    /// How the conflict message names the tip: `origin`, `main`, short id.
    pub remote: &'r str,
    pub branch: &'r str,
    pub tip_id: Option<Oid>,
}

/// Composes the tree Sparky would commit on `base.tip`.
pub(crate) fn compose(
    repo: &Repository,
    base: &Base<'_>,
    wanted: &Wanted,
) -> Result<Composed, PublishError> {
    let mut builder = git2::build::TreeUpdateBuilder::new();
    let mut changes = Vec::new();
    let mut kept = Vec::new();
    for (path, want) in &wanted.files {
        let original = blob_at(base.original, path);
        let tip = blob_at(base.tip, path);
        let ours = match want {
            Want::Write { bytes, .. } => {
                Some(Oid::hash_object(ObjectType::Blob, bytes).map_err(git("hash a file"))?)
            }
            Want::Delete { sha256 } => {
                // Only a file that still holds Sparky's bytes is Sparky's to delete.
                let committed = original.map(|id| repo.find_blob(id));
                match committed {
                    Some(Ok(blob)) if manifest::sha256(blob.content()) == *sha256 => None,
                    Some(_) => {
                        kept.push(path.clone());
                        continue;
                    }
                    None => continue,
                }
            }
        };
        if ours == original || ours == tip {
            // Not a change of Sparky's, or the tip already has it.
            continue;
        }
        if tip != original {
            return Err(PublishError::Conflict {
                path: path.clone(),
                remote: base.remote.to_string(),
                branch: base.branch.to_string(),
                tip: base.tip_id.map(short).unwrap_or_default(),
            });
        }
        let kind = match (tip, ours) {
            (None, _) => ChangeKind::Added,
            (Some(_), Some(_)) => ChangeKind::Modified,
            (Some(_), None) => ChangeKind::Deleted,
        };
        let file = match want {
            Want::Write { bytes, file } => {
                let id = repo.blob(bytes).map_err(git("write a file's blob"))?;
                builder.upsert(path.as_str(), id, git2::FileMode::Blob);
                Some(file.clone())
            }
            Want::Delete { .. } => {
                builder.remove(path.as_str());
                None
            }
        };
        changes.push(Change {
            path: path.clone(),
            kind,
            file,
        });
    }
    let empty;
    let tip_tree = match base.tip {
        Some(tree) => tree,
        None => {
            let id = repo
                .treebuilder(None)
                .and_then(|b| b.write())
                .map_err(git("write an empty tree"))?;
            empty = repo.find_tree(id).map_err(git("read an empty tree"))?;
            &empty
        }
    };
    let tree = builder
        .create_updated(repo, tip_tree)
        .map_err(git("build the commit's tree"))?;
    Ok(Composed {
        tree,
        changes,
        kept,
    })
}

/// The blob id at `path` in `tree`, if there is a file there.
pub(crate) fn blob_at(tree: Option<&Tree<'_>>, path: &str) -> Option<Oid> {
    let entry: TreeEntry<'_> = tree?.get_path(std::path::Path::new(path)).ok()?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

/// A commit id as shown to people: 10 hex digits.
pub(crate) fn short(id: Oid) -> String {
    id.to_string()[..10].to_string()
}

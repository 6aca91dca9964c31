//! Which commits to read: the branch tip (HEAD's branch by default) and every commit reachable
//! from it through all parents, with each commit's tree, read cheaply from the commit-graph
//! file when there is one and from commit headers otherwise.

use std::path::Path;

use gix::hashtable::HashSet;
use gix::objs::{CommitRefIter, Find, FindExt, bstr::ByteSlice, commit::ref_iter::Token};
use gix::{ObjectId, Repository};

use super::HistoryError;
use super::cache::{Loaded, Parent};
use super::model::UnreadableCommit;

/// The branch being read and its tip commit.
pub(crate) struct Tip {
    /// Short branch name; `None` for a detached HEAD.
    pub branch: Option<String>,
    /// `None` when the branch is unborn (empty repository).
    pub id: Option<ObjectId>,
}

/// A reachable commit that is not cached, as far as reading it needs to know.
pub(crate) struct Node {
    pub id: ObjectId,
    pub tree: ObjectId,
    /// Parents as git log shows them (none at a shallow boundary).
    pub parents: Vec<ObjectId>,
    /// The commit is at the boundary of a shallow clone (its parents are missing).
    pub shallow_boundary: bool,
    /// The commit object's bytes when the walk read them (saves reading them again).
    pub raw: Vec<u8>,
}

/// Everything reachable from the tip that is not cached.
pub(crate) struct Walked {
    /// The commits to read, in walk order: depth first, first parent first (good locality).
    pub nodes: Vec<Node>,
    pub unreadable: Vec<UnreadableCommit>,
}

/// Finds the tip to read: `branch` under `refs/heads/` (or a full `refs/…` name), or the
/// branch HEAD points to (`branch: None` for a detached HEAD).
pub(crate) fn resolve_tip(
    repo: &Repository,
    path: &Path,
    branch: Option<&str>,
) -> Result<Tip, HistoryError> {
    let fail = |branch: &str| {
        let branch = branch.to_owned();
        let path = path.to_owned();
        move |source| HistoryError::ReadRef {
            branch,
            path,
            source,
        }
    };
    let head = repo.head().map_err(fail("HEAD"))?;
    let head_branch = head
        .referent_name()
        .map(|n| n.shorten().to_str_lossy().into_owned());
    // An unborn HEAD means an empty repository only if there is no branch at all; otherwise
    // HEAD names a branch that does not exist (e.g. a mirror whose default branch was renamed).
    let unborn = |name: &str| {
        let available = local_branches(repo);
        if available.is_empty() {
            Ok(Tip {
                branch: Some(name.to_owned()),
                id: None,
            })
        } else {
            let (branch, path) = (name.to_owned(), path.to_owned());
            Err(HistoryError::BranchNotFound {
                branch,
                path,
                available,
            })
        }
    };
    let Some(name) = branch else {
        if head.is_unborn() {
            return unborn(head_branch.as_deref().unwrap_or("HEAD"));
        }
        let id = head.into_peeled_id().map_err(fail("HEAD"))?.detach();
        return Ok(Tip {
            branch: head_branch,
            id: Some(id),
        });
    };
    let full = if name.starts_with("refs/") {
        name.to_owned()
    } else {
        format!("refs/heads/{name}")
    };
    let found = repo.try_find_reference(full.as_str()).map_err(fail(name))?;
    let Some(mut reference) = found else {
        if head.is_unborn() && head_branch.as_deref() == Some(name) {
            return unborn(name);
        }
        return Err(HistoryError::BranchNotFound {
            branch: name.to_owned(),
            path: path.to_owned(),
            available: local_branches(repo),
        });
    };
    let id = reference.peel_to_id().map_err(fail(name))?.detach();
    let short = reference.name().shorten().to_str_lossy().into_owned();
    Ok(Tip {
        branch: Some(short),
        id: Some(id),
    })
}

/// Short names of all local branches, sorted (for error messages).
fn local_branches(repo: &Repository) -> Vec<String> {
    let Ok(platform) = repo.references() else {
        return Vec::new();
    };
    let Ok(iter) = platform.local_branches() else {
        return Vec::new();
    };
    let mut names: Vec<String> = iter
        .filter_map(Result::ok)
        .map(|r| r.name().shorten().to_str_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Walks every commit reachable from `tip`. Commits whose records are in `cached` are only
/// marked reached there and followed through the parent positions it stores (no object is
/// read, no id hashed); the others become nodes to read. A commit that cannot be read is
/// reported as unreadable and its ancestors are reached only through other paths.
pub(crate) fn walk(
    repo: &Repository,
    objects: &impl Find,
    tip: ObjectId,
    cached: &mut Loaded,
) -> Walked {
    let graph = repo.commit_graph_if_enabled().ok().flatten();
    let shallow: HashSet<ObjectId> = match repo.shallow_commits() {
        Ok(Some(list)) => list.iter().copied().collect(),
        _ => HashSet::default(),
    };
    let mut seen: HashSet<ObjectId> = HashSet::default();
    let mut stack = vec![Parent::Id(tip)];
    let mut out = Walked {
        nodes: Vec::new(),
        unreadable: Vec::new(),
    };
    let mut buf = Vec::new();
    while let Some(next) = stack.pop() {
        // A cached commit, unless it is a shallow boundary (its record would show parents).
        let (id, position) = match next {
            Parent::Cached(pos) => (cached.id(pos), Some(pos)),
            Parent::Id(id) => {
                if !seen.insert(id) {
                    continue;
                }
                (id, cached.position(&id))
            }
        };
        let shallow_boundary = !shallow.is_empty() && shallow.contains(&id);
        if let Some(pos) = position.filter(|_| !shallow_boundary) {
            if cached.reach(pos) {
                stack.extend(cached.parents(pos).rev());
            }
            continue;
        }
        let mut raw = Vec::new();
        let header = match graph.as_ref().and_then(|g| from_graph(g, &id)) {
            Some(header) => Ok(header),
            None => from_object(objects, &id, &mut buf).map(|(header, bytes)| {
                raw = bytes;
                header
            }),
        };
        let (tree, mut parents) = match header {
            Ok(header) => header,
            Err(reason) => {
                out.unreadable.push(UnreadableCommit {
                    id: id.to_string(),
                    reason,
                });
                continue;
            }
        };
        if shallow_boundary {
            parents.clear();
        }
        let unseen = parents.iter().rev().filter(|p| !seen.contains(*p));
        stack.extend(unseen.map(|p| Parent::Id(*p)));
        out.nodes.push(Node {
            id,
            tree,
            parents,
            shallow_boundary,
            raw,
        });
    }
    out
}

type Header = (ObjectId, Vec<ObjectId>);

fn from_graph(graph: &gix::commitgraph::Graph, id: &gix::oid) -> Option<Header> {
    let commit = graph.commit_by_id(id)?;
    let tree = commit.root_tree_id().to_owned();
    let mut parents = Vec::new();
    for pos in commit.iter_parents() {
        parents.push(graph.id_at(pos.ok()?).to_owned());
    }
    Some((tree, parents))
}

/// Reads a commit's tree and parents from its object; also returns the object's bytes.
pub(crate) fn from_object(
    objects: &impl Find,
    id: &gix::oid,
    buf: &mut Vec<u8>,
) -> Result<(Header, Vec<u8>), String> {
    let data = objects
        .find(id, buf)
        .map_err(|e| format!("cannot read commit: {e}"))?;
    if data.kind != gix::objs::Kind::Commit {
        return Err(format!("cannot read commit: it is a {}", data.kind));
    }
    let raw = data.data.to_vec();
    let mut tree = None;
    let mut parents = Vec::new();
    for token in CommitRefIter::from_bytes(&raw, id.kind()) {
        match token {
            Ok(Token::Tree { id }) => tree = Some(id),
            Ok(Token::Parent { id }) => parents.push(id),
            Ok(_) => break,
            Err(e) => return Err(format!("cannot decode commit: {e}")),
        }
    }
    let tree = tree.ok_or_else(|| "cannot decode commit: no tree".to_owned())?;
    Ok(((tree, parents), raw))
}

//! Repository-wide facts recomputed on every run: tags that resolve to commits (with tagger
//! and commit times) and the `.mailmap` text at the tip.

use gix::bstr::ByteSlice;
use gix::objs::{CommitRefIter, FindExt, TagRef, commit::ref_iter::Token};
use gix::{ObjectId, Repository};

use super::model::TagRecord;

/// Annotated tags pointing at tags pointing at…: git gives up eventually too.
const MAX_TAG_DEPTH: usize = 32;

/// Every `refs/tags/*` that peels to a commit, sorted by name. Broken tags are skipped with a
/// warning.
pub(crate) fn read_tags(repo: &Repository) -> Vec<TagRecord> {
    let refs = match repo
        .references()
        .and_then(|r| r.tags().map(|i| i.collect::<Vec<_>>()))
    {
        Ok(refs) => refs,
        Err(err) => {
            tracing::warn!("cannot list tags: {err}");
            return Vec::new();
        }
    };
    let mut buf = Vec::new();
    let mut tags = Vec::new();
    for reference in refs {
        let mut reference = match reference {
            Ok(r) => r,
            Err(err) => {
                tracing::warn!("skipping unreadable tag reference: {err}");
                continue;
            }
        };
        let name = reference.name().shorten().to_str_lossy().into_owned();
        let start = match reference.follow_to_object() {
            Ok(id) => id.detach(),
            Err(err) => {
                tracing::warn!("skipping tag `{name}`: {err}");
                continue;
            }
        };
        match peel(repo, start, &mut buf) {
            Ok(Some((commit, tagger_time, author, committer))) => tags.push(TagRecord {
                name,
                commit: commit.to_string(),
                tagger_time,
                commit_author_time: author,
                commit_committer_time: committer,
            }),
            Ok(None) => {}
            Err(err) => tracing::warn!("skipping tag `{name}`: {err}"),
        }
    }
    tags.sort_by(|a, b| a.name.cmp(&b.name));
    tags
}

type Peeled = (ObjectId, Option<i64>, i64, i64);

/// Follows tag objects to a commit: the commit, the outermost tagger's time, and the commit's
/// author and committer times. `None` if the tag ends at a tree or blob.
fn peel(repo: &Repository, mut id: ObjectId, buf: &mut Vec<u8>) -> Result<Option<Peeled>, String> {
    let mut tagger_time = None;
    for depth in 0..MAX_TAG_DEPTH {
        let data = repo
            .objects
            .find(&id, buf)
            .map_err(|e| format!("cannot read {id}: {e}"))?;
        match data.kind {
            gix::objs::Kind::Tag => {
                let tag = TagRef::from_bytes(data.data, id.kind())
                    .map_err(|e| format!("cannot decode tag {id}: {e}"))?;
                if depth == 0 {
                    tagger_time = tag.tagger().ok().flatten().map(|s| s.seconds());
                }
                id = tag.target();
            }
            gix::objs::Kind::Commit => {
                let (mut author, mut committer) = (0, 0);
                for token in CommitRefIter::from_bytes(data.data, id.kind()) {
                    match token {
                        Ok(Token::Author { signature }) => author = signature.seconds(),
                        Ok(Token::Committer { signature }) => {
                            committer = signature.seconds();
                            break;
                        }
                        Ok(_) => {}
                        Err(e) => return Err(format!("cannot decode commit {id}: {e}")),
                    }
                }
                return Ok(Some((id, tagger_time, author, committer)));
            }
            _ => return Ok(None),
        }
    }
    Err(format!("more than {MAX_TAG_DEPTH} nested tags"))
}

/// The text of `.mailmap` in the tree of `commit` (lossily decoded), empty if there is none.
pub(crate) fn read_mailmap(repo: &Repository, commit: &gix::oid) -> String {
    let mut buf = Vec::new();
    let tree = match repo
        .objects
        .find_commit_iter(commit, &mut buf)
        .and_then(|mut c| c.tree_id())
    {
        Ok(tree) => tree,
        Err(err) => {
            tracing::warn!("cannot read commit {commit} for .mailmap: {err}");
            return String::new();
        }
    };
    let entry = match repo.objects.find_tree(&tree, &mut buf) {
        Ok(tree) => tree
            .entries
            .iter()
            .find(|e| e.filename == ".mailmap" && e.mode.is_blob())
            .map(|e| e.oid.to_owned()),
        Err(err) => {
            tracing::warn!("cannot read tree {tree} for .mailmap: {err}");
            None
        }
    };
    let Some(id) = entry else {
        return String::new();
    };
    match repo.objects.find_blob(&id, &mut buf) {
        Ok(blob) => blob.data.to_str_lossy().into_owned(),
        Err(err) => {
            tracing::warn!("cannot read .mailmap blob {id}: {err}");
            String::new()
        }
    }
}

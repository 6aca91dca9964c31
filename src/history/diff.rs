//! Per-commit `git log --numstat` figures: the tree diff against the first parent with git's
//! rename detection on top; the per-file counting lives in `lines`.

use std::sync::Arc;

use gix::bstr::ByteSlice;
use gix::diff::blob::Diff;
use gix::{ObjectId, oid};

use super::lines::{is_binary, numstat};
use super::model::FileChange;
use super::objects::Reader;
use super::rename::{self, Candidate};
use super::tree::{self, Change as Entry};

/// A file's content as git diffs it, shared with the object cache.
type Blob = Arc<Vec<u8>>;

/// Reusable per-thread state for diffing commits.
#[derive(Default)]
pub(crate) struct Differ {
    changes: Vec<Entry>,
    diff: Diff,
}

/// The outcome for one commit: changes in path order, and a message if some could not be read.
pub(crate) struct CommitDiff {
    pub files: Vec<FileChange>,
    pub error: Option<String>,
}

/// The content git diffs for an entry: the blob, or `Subproject commit <id>` for a submodule.
fn load(objects: &Reader, id: &oid, mode: u32) -> Result<Blob, String> {
    if mode == 0o160000 {
        return Ok(Arc::new(format!("Subproject commit {id}\n").into_bytes()));
    }
    match objects.get(id) {
        Ok(Some((gix::objs::Kind::Blob, data))) => Ok(data),
        Ok(Some((kind, _))) => Err(format!("object {id} is a {kind}, not a blob")),
        Ok(None) => Err(format!("blob {id} is missing")),
        Err(err) => Err(format!("cannot read blob {id}: {err}")),
    }
}

impl Differ {
    /// Diffs `tree` against `parent_tree` (the empty tree for `None`) like
    /// `git log --numstat` does for one non-merge commit.
    pub fn diff(&mut self, objects: &Reader, parent_tree: Option<&oid>, tree: &oid) -> CommitDiff {
        if parent_tree == Some(tree) {
            return CommitDiff {
                files: Vec::new(),
                error: None,
            };
        }
        let mut entries = std::mem::take(&mut self.changes);
        entries.clear();
        if let Err(err) = tree::diff(objects, parent_tree, tree, &mut entries) {
            return failed(err);
        }
        entries.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        let mut out = CommitDiff {
            files: Vec::with_capacity(entries.len()),
            error: None,
        };
        let has_dels = entries.iter().any(|e| e.new.is_none());
        let has_adds = entries.iter().any(|e| e.old.is_none());
        if has_dels && has_adds {
            self.with_renames(objects, &entries, &mut out);
        } else {
            for e in &entries {
                self.single(objects, e, &mut out);
            }
        }
        out.files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        self.changes = entries;
        out
    }

    /// A modification, addition or deletion on its own (no rename involved).
    fn single(&mut self, objects: &Reader, e: &Entry, out: &mut CommitDiff) {
        let side = |side: Option<(ObjectId, u32)>| match side {
            Some((id, mode)) => load(objects, &id, mode).map(Some),
            None => Ok(None),
        };
        let (old, new) = match (side(e.old), side(e.new)) {
            (Ok(old), Ok(new)) => (old, new),
            (Err(msg), _) | (_, Err(msg)) => return note(out, &e.path.to_str_lossy(), msg),
        };
        let path = text(&e.path);
        let same = e.old.map(|o| o.0) == e.new.map(|n| n.0);
        let (old, new) = (
            old.as_deref().map_or(&[][..], Vec::as_slice),
            new.as_deref().map_or(&[][..], Vec::as_slice),
        );
        out.files
            .push(numstat(&mut self.diff, path, old, new, same));
    }

    /// All entries of a commit with both deletions and additions: pair renames first.
    fn with_renames(&mut self, objects: &Reader, entries: &[Entry], out: &mut CommitDiff) {
        let mut dels = Vec::new();
        let mut adds = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match (e.old, e.new) {
                (Some(_), None) => dels.push(i),
                (None, Some(_)) => adds.push(i),
                _ => self.single(objects, e, out),
            }
        }
        let mut contents: Vec<Option<Blob>> = Vec::with_capacity(dels.len() + adds.len());
        for &i in dels.iter().chain(&adds) {
            let e = &entries[i];
            let (id, mode) = e
                .old
                .or(e.new)
                .expect("an addition or a deletion has one side");
            match load(objects, &id, mode) {
                Ok(blob) => contents.push(Some(blob)),
                Err(msg) => {
                    note(out, &e.path.to_str_lossy(), msg);
                    contents.push(None);
                }
            }
        }
        let (del_data, add_data) = contents.split_at(dels.len());
        let srcs = candidates(entries, &dels, del_data);
        let dsts = candidates(entries, &adds, add_data);
        let pairs = rename::detect(&srcs, &dsts);
        let mut src_paired = vec![false; srcs.len()];
        let mut dst_paired = vec![false; dsts.len()];
        for &(s, d) in &pairs {
            src_paired[s] = true;
            dst_paired[d] = true;
            let (src, dst) = (&srcs[s], &dsts[d]);
            let (Some(old), Some(new)) = (src.data, dst.data) else {
                continue;
            };
            let path = text(dst.path);
            let mut change = numstat(&mut self.diff, path, old, new, src.oid == dst.oid);
            change.old_path = Some(text(src.path));
            out.files.push(change);
        }
        let unpaired = srcs.iter().zip(&src_paired).map(|(c, p)| (c, p, true));
        let unpaired = unpaired.chain(dsts.iter().zip(&dst_paired).map(|(c, p)| (c, p, false)));
        for (c, &paired, deleted) in unpaired {
            let Some(data) = c.data.filter(|_| !paired) else {
                continue;
            };
            let path = text(c.path);
            let (old, new) = if deleted {
                (data, &[][..])
            } else {
                (&[][..], data)
            };
            out.files
                .push(numstat(&mut self.diff, path, old, new, false));
        }
    }
}

/// Rename candidates for the entries at `indices`, with their loaded contents.
fn candidates<'a>(
    entries: &'a [Entry],
    indices: &[usize],
    contents: &'a [Option<Blob>],
) -> Vec<Candidate<'a>> {
    indices
        .iter()
        .zip(contents)
        .map(|(&i, data)| {
            let e = &entries[i];
            let (id, mode) = e.old.as_ref().or(e.new.as_ref()).expect("one side present");
            let data = data.as_deref().map(Vec::as_slice);
            let binary = data.is_some_and(is_binary);
            Candidate {
                path: e.path.as_slice(),
                oid: id.as_ref(),
                mode: *mode,
                data,
                binary,
            }
        })
        .collect()
}

/// A path as text (lossily for the rare non-UTF-8 name).
fn text(path: &[u8]) -> String {
    path.to_str_lossy().into_owned()
}

fn failed(msg: String) -> CommitDiff {
    CommitDiff {
        files: Vec::new(),
        error: Some(msg),
    }
}

/// Records a file that could not be read; the commit keeps its other files.
fn note(out: &mut CommitDiff, path: &str, msg: String) {
    let line = format!("{path}: {msg}");
    match &mut out.error {
        Some(existing) => {
            existing.push_str("; ");
            existing.push_str(&line);
        }
        None => out.error = Some(line),
    }
}

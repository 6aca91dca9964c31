//! Reading commits into records in parallel: rayon tasks, one per thread, each with its own
//! thread-local repository, object reader and diff buffers, all sharing one delta-base cache,
//! pulling runs of consecutive commits from a shared counter so neighbouring commits (which
//! share trees and file versions) are read close together in time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use gix::bstr::ByteSlice;
use gix::hashtable::HashMap;
use gix::objs::{CommitRef, FindExt};
use gix::{ObjectId, ThreadSafeRepository};

use super::HistoryError;
use super::base_cache::SharedCache;
use super::diff::Differ;
use super::message::{self, Encoding};
use super::model::{CommitRecord, Signature, UnreadableCommit};
use super::objects::{Packs, Reader};
use super::walk::{Node, from_object};

/// Commits a worker takes at a time: neighbours share trees, which the caches then reuse.
const RUN: usize = 16;
/// Cache of decoded pack objects and delta bases shared by the workers: the size of git's
/// `core.deltaBaseCacheLimit` default (smaller caches measured a few percent slower).
const BASE_CACHE_BYTES: usize = 96 * 1024 * 1024;

/// A read commit, or why it could not be read.
pub(crate) type Outcome = Result<CommitRecord, UnreadableCommit>;

/// Reads `jobs` on `threads` threads (rayon's default pool for `None`); the outcomes are in the
/// order of `jobs`. `trees` maps the walked commits to their trees (for first-parent diffs; a
/// parent not in it has its commit read).
pub(crate) fn read_commits(
    repo: &ThreadSafeRepository,
    packs: &Arc<Packs>,
    jobs: &[&Node],
    trees: &HashMap<ObjectId, ObjectId>,
    threads: Option<usize>,
) -> Result<Vec<Outcome>, HistoryError> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let cache = SharedCache::new(BASE_CACHE_BYTES);
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(jobs.len()));
    let run = || {
        let workers = rayon::current_num_threads()
            .min(jobs.len().div_ceil(RUN))
            .max(1);
        rayon::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| {
                    let mut worker = Worker::new(repo, packs, &cache);
                    let mut local = Vec::new();
                    loop {
                        let start = next.fetch_add(RUN, Ordering::Relaxed);
                        if start >= jobs.len() {
                            break;
                        }
                        for (i, node) in jobs.iter().enumerate().skip(start).take(RUN) {
                            local.push((i, worker.read(node, trees)));
                        }
                    }
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend(local);
                });
            }
        });
    };
    match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|source| HistoryError::ThreadPool { source })?
            .install(run),
        None => run(),
    }
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_unstable_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, outcome)| outcome).collect())
}

/// One thread's reader.
struct Worker {
    objects: super::objects::Reader,
    differ: Differ,
    buf: Vec<u8>,
    parent_buf: Vec<u8>,
}

impl Worker {
    fn new(repo: &ThreadSafeRepository, packs: &Arc<Packs>, cache: &Arc<SharedCache>) -> Worker {
        let repo = repo.to_thread_local();
        let objects = Reader::new(Arc::clone(packs), Arc::clone(cache), &repo);
        Worker {
            objects,
            differ: Differ::default(),
            buf: Vec::new(),
            parent_buf: Vec::new(),
        }
    }

    fn read(&mut self, node: &Node, trees: &HashMap<ObjectId, ObjectId>) -> Outcome {
        let unreadable = |reason: String| UnreadableCommit {
            id: node.id.to_string(),
            reason,
        };
        let objects = &self.objects;
        let raw: &[u8] = if node.raw.is_empty() {
            let data = objects
                .find(&node.id, &mut self.buf)
                .map_err(|e| unreadable(format!("cannot read commit: {e}")))?;
            if data.kind != gix::objs::Kind::Commit {
                return Err(unreadable(format!("not a commit but a {}", data.kind)));
            }
            data.data
        } else {
            &node.raw
        };
        let commit = CommitRef::from_bytes(raw, node.id.kind())
            .map_err(|e| unreadable(format!("cannot decode commit: {e}")))?;
        let encoding = Encoding::from_header(commit.encoding.map(|e| e.as_bytes()));
        let author = commit
            .author()
            .map_err(|e| unreadable(format!("cannot decode author: {e}")))?;
        let committer = commit
            .committer()
            .map_err(|e| unreadable(format!("cannot decode committer: {e}")))?;
        let (text, lossy) = message::decode(commit.message, encoding);
        let msg = message::parse(&text, lossy);
        let mut record = CommitRecord {
            id: node.id,
            parents: node.parents.clone(),
            author: signature(author, encoding),
            committer: signature(committer, encoding),
            subject: msg.subject,
            body: msg.body,
            co_authors: msg.co_authors,
            breaking_footer: msg.breaking_footer,
            lossy_message: msg.lossy,
            files: Vec::new(),
            diff_error: None,
        };
        if node.parents.len() <= 1 {
            let parent_tree = match node.parents.first() {
                None => Ok(None),
                Some(parent) => match trees.get(parent) {
                    Some(tree) => Ok(Some(*tree)),
                    None => from_object(objects, parent, &mut self.parent_buf)
                        .map(|((tree, _), _)| Some(tree))
                        .map_err(|e| format!("parent commit {parent}: {e}")),
                },
            };
            match parent_tree {
                Ok(parent_tree) => {
                    let diff = self
                        .differ
                        .diff(objects, parent_tree.as_deref(), &commit.tree());
                    record.files = diff.files;
                    record.diff_error = diff.error;
                }
                Err(msg) => record.diff_error = Some(msg),
            }
        }
        Ok(record)
    }
}

/// A signature with its text decoded like the message and its time parsed leniently.
fn signature(sig: gix::actor::SignatureRef<'_>, encoding: Encoding) -> Signature {
    let sig = sig.trim();
    let (time, offset) = match sig.time() {
        Ok(t) => (t.seconds, t.offset),
        Err(_) => (sig.seconds(), 0),
    };
    Signature {
        name: message::decode(sig.name, encoding).0,
        email: message::decode(sig.email, encoding).0,
        time,
        offset,
    }
}

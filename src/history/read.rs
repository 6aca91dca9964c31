//! Reading commits into records in parallel: rayon tasks, one per thread, each with its own
//! thread-local repository, object caches and diff buffers, pulling runs of consecutive
//! commits from a shared counter so neighbouring commits (which share trees) stay together.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use gix::bstr::ByteSlice;
use gix::hashtable::HashMap;
use gix::objs::FindExt;
use gix::{ObjectId, ThreadSafeRepository};

use super::HistoryError;
use super::diff::Differ;
use super::message::{self, Encoding};
use super::model::{CommitRecord, Signature, UnreadableCommit};
use super::walk::Node;

/// Commits a worker takes at a time: neighbours share trees, which the caches then reuse.
const RUN: usize = 16;
/// Per-thread cache of decoded objects (trees are read once as a commit's tree and again as its
/// child's parent tree).
const OBJECT_CACHE_BYTES: usize = 32 * 1024 * 1024;
/// Per-thread cache of delta bases in packs (git's `core.deltaBaseCacheLimit` default is 96 MiB).
const PACK_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// A read commit, or why it could not be read.
pub(crate) type Outcome = Result<CommitRecord, UnreadableCommit>;

/// Reads `jobs` on `threads` threads (rayon's default pool for `None`); the outcomes are in the
/// order of `jobs`. `trees` maps every walked commit to its tree (for first-parent diffs).
pub(crate) fn read_commits(
    repo: &ThreadSafeRepository,
    jobs: &[&Node],
    trees: &HashMap<ObjectId, ObjectId>,
    threads: Option<usize>,
) -> Result<Vec<Outcome>, HistoryError> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(jobs.len()));
    let run = || {
        let workers = rayon::current_num_threads()
            .min(jobs.len().div_ceil(RUN))
            .max(1);
        rayon::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| {
                    let mut worker = Worker::new(repo);
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
    repo: gix::Repository,
    differ: Differ,
    buf: Vec<u8>,
}

impl Worker {
    fn new(repo: &ThreadSafeRepository) -> Worker {
        let mut repo = repo.to_thread_local();
        repo.object_cache_size(OBJECT_CACHE_BYTES);
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                PACK_CACHE_BYTES,
            ))
        });
        Worker {
            repo,
            differ: Differ::default(),
            buf: Vec::new(),
        }
    }

    fn read(&mut self, node: &Node, trees: &HashMap<ObjectId, ObjectId>) -> Outcome {
        let unreadable = |reason: String| UnreadableCommit {
            id: node.id.to_string(),
            reason,
        };
        let objects = &self.repo.objects;
        let commit = objects
            .find_commit(&node.id, &mut self.buf)
            .map_err(|e| unreadable(format!("cannot read commit: {e}")))?;
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
            id: node.id.to_string(),
            parents: node.parents.iter().map(ToString::to_string).collect(),
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
                Some(parent) => trees
                    .get(parent)
                    .map(Some)
                    .ok_or_else(|| format!("cannot read parent commit {parent}")),
            };
            match parent_tree {
                Ok(parent_tree) => {
                    let diff =
                        self.differ
                            .diff(objects, parent_tree.map(|t| t.as_ref()), &node.tree);
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

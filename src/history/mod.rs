//! History: every commit on a repository's branch, with per-file line counts, read with gix in
//! parallel and cached on disk by commit id.
//!
//! [`extract`] runs: open → resolve the tip → walk commit ids → reuse cached records → read the
//! rest in parallel → sort → store the cache if it changed → tags and `.mailmap`.

mod base_cache;
mod cache;
mod diff;
mod ids;
mod lines;
mod message;
pub mod model;
mod objects;
mod read;
mod rename;
mod tags;
mod tree;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use gix::hashtable::HashMap;

pub use model::*;

/// Delta-base cache of the (single-threaded) walk: commits are rarely deltified.
const WALK_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// How to extract.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Worker threads for reading commits; `None` uses rayon's default pool.
    pub threads: Option<usize>,
}

/// What an extraction did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractStats {
    /// Reachable commits (readable and unreadable).
    pub total: usize,
    /// Records taken from the cache.
    pub from_cache: usize,
    /// Commits read from the repository in this run.
    pub read: usize,
    /// Cached records dropped because they are no longer reachable.
    pub dropped_from_cache: usize,
}

/// The result of [`extract`].
#[derive(Debug, Clone)]
pub struct Extracted {
    pub history: RepoHistory,
    pub stats: ExtractStats,
    /// The repository is a shallow clone: its boundary commits show no parents, so their
    /// diffs count the whole tree as added.
    pub shallow: bool,
    /// The history cache could not be written (the history itself was read): why.
    pub cache_warning: Option<String>,
}

/// Why a repository's history could not be extracted at all. Single commits never fail the
/// repository: they end up in [`RepoHistory::unreadable`] or [`CommitRecord::diff_error`].
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot open repository `{}`", path.display())]
    OpenRepo {
        path: PathBuf,
        #[source]
        source: gix::Error,
    },
    #[error("cannot resolve `{branch}` in `{}`", path.display())]
    ReadRef {
        branch: String,
        path: PathBuf,
        #[source]
        source: gix::Error,
    },
    #[error(
        "branch `{branch}` not found in `{}` (branches: {})",
        path.display(),
        if available.is_empty() { "none".to_owned() } else { available.join(", ") }
    )]
    BranchNotFound {
        branch: String,
        path: PathBuf,
        available: Vec<String>,
    },
    #[error("cannot write history cache `{}`", path.display())]
    CacheWrite {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the history reader threads")]
    ThreadPool {
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// Extracts the history of `branch` (`None`: the branch HEAD points to) from the bare or
/// non-bare repository at `repo_path`. With `cache_file`, records are reused from and stored
/// to that file (written only when something changed).
pub fn extract(
    repo_path: &Path,
    branch: Option<&str>,
    cache_file: Option<&Path>,
    opts: &ExtractOptions,
) -> Result<Extracted, HistoryError> {
    let started = Instant::now();
    // The cache is decoded while the repository is opened: on a warm run the two are most of
    // the time.
    let (opened, mut cached) = rayon::join(
        || open(repo_path, branch),
        || cache_file.map(cache::load).unwrap_or_default(),
    );
    let (sync, tip, packs) = opened?;
    let repo = sync.to_thread_local();
    tracing::debug!(valid = cached.valid, elapsed = ?started.elapsed(), "opened repository, loaded cache");
    let walked = match tip.id {
        Some(id) => {
            let cache = base_cache::SharedCache::new(WALK_CACHE_BYTES);
            let reader = objects::Reader::new(Arc::clone(&packs), cache, &repo);
            walk::walk(&repo, &reader, id, &mut cached)
        }
        None => walk::Walked {
            nodes: Vec::new(),
            unreadable: Vec::new(),
        },
    };
    tracing::debug!(commits = walked.nodes.len(), elapsed = ?started.elapsed(), "walked history");

    let cache_was_valid = cached.valid;
    let jobs: Vec<&walk::Node> = walked.nodes.iter().collect();
    let (mut commits, dropped_from_cache) = cached.into_reached();
    let from_cache = commits.len();
    tracing::debug!(from_cache, to_read = jobs.len(), elapsed = ?started.elapsed(), "consulted cache");

    let trees: HashMap<_, _> = walked.nodes.iter().map(|n| (n.id, n.tree)).collect();
    let outcomes = read::read_commits(&sync, &packs, &jobs, &trees, opts.threads)?;
    tracing::debug!(read = outcomes.len(), elapsed = ?started.elapsed(), "read commits");
    let mut unreadable = walked.unreadable;
    let (mut fresh, mut not_cacheable) = (0, std::collections::HashSet::new());
    for (outcome, node) in outcomes.into_iter().zip(&jobs) {
        match outcome {
            Ok(record) => {
                match cacheable(&record, node) {
                    true => fresh += 1,
                    false => _ = not_cacheable.insert(record.id),
                }
                commits.push(record);
            }
            Err(u) => unreadable.push(u),
        }
    }
    let commits = newest_first(commits);
    unreadable.sort_unstable_by(|a, b| a.id.cmp(&b.id));

    let shallow = jobs.iter().any(|n| n.shallow_boundary);
    let mut cache_warning = None;
    let changed = !cache_was_valid || fresh > 0 || dropped_from_cache > 0;
    if let Some(path) = cache_file.filter(|_| changed) {
        let keep: Vec<&CommitRecord> = commits
            .iter()
            .filter(|r| !not_cacheable.contains(&r.id))
            .collect();
        match cache::store(path, &keep) {
            Ok(()) => {
                tracing::debug!(records = keep.len(), elapsed = ?started.elapsed(), "stored cache")
            }
            // Local trouble (a full disk, a read-only cache) costs the next run time, not
            // this run its figures.
            Err(e) => cache_warning = Some(crate::cmd::chain(&e)),
        }
    }

    let mailmap = tip
        .id
        .map(|id| tags::read_mailmap(&repo, &id))
        .unwrap_or_default();
    let stats = ExtractStats {
        total: commits.len() + unreadable.len(),
        from_cache,
        read: jobs.len(),
        dropped_from_cache,
    };
    let history = RepoHistory {
        branch: tip.branch,
        head: tip.id.map(|id| id.to_string()),
        commits,
        tags: tags::read_tags(&repo),
        unreadable,
        mailmap,
    };
    tracing::debug!(?stats, elapsed = ?started.elapsed(), "extracted history");
    Ok(Extracted {
        history,
        stats,
        shallow,
        cache_warning,
    })
}

/// Opens the repository, resolves the tip of `branch` and opens its packs.
fn open(
    repo_path: &Path,
    branch: Option<&str>,
) -> Result<(gix::ThreadSafeRepository, walk::Tip, Arc<objects::Packs>), HistoryError> {
    let sync = gix::ThreadSafeRepository::open_opts(repo_path, gix::open::Options::isolated())
        .map_err(|source| HistoryError::OpenRepo {
            path: repo_path.to_owned(),
            source,
        })?;
    let repo = sync.to_thread_local();
    let tip = walk::resolve_tip(&repo, repo_path, branch)?;
    let packs = objects::Packs::open(repo.objects.store_ref().path(), repo.object_hash());
    Ok((sync, tip, packs))
}

/// Sorts newest first by committer time, ties by id. Records are large, so the keys are sorted
/// and the records then permuted in place, each moved about once.
fn newest_first(mut commits: Vec<CommitRecord>) -> Vec<CommitRecord> {
    let mut keys: Vec<(i64, ObjectId, usize)> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (-c.committer.time, c.id, i))
        .collect();
    keys.sort_unstable();
    // Position k receives the record now at `order[k]`; walk each cycle of the permutation.
    let mut order: Vec<Option<usize>> = keys.into_iter().map(|(_, _, i)| Some(i)).collect();
    for start in 0..order.len() {
        let mut at = start;
        while let Some(from) = order[at].take() {
            if from == start {
                break;
            }
            commits.swap(at, from);
            at = from;
        }
    }
    commits
}

/// Records worth keeping: complete ones whose parents are the commit's real parents (a shallow
/// boundary commit shows none and is diffed against the empty tree, which changes on unshallow).
fn cacheable(record: &CommitRecord, node: &walk::Node) -> bool {
    record.diff_error.is_none() && !node.shallow_boundary
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record whose id is `digit` forty times.
    fn record(digit: &str, time: i64) -> CommitRecord {
        let sig = Signature {
            time,
            ..Signature::default()
        };
        let id = ObjectId::from_hex(digit.repeat(40).as_bytes()).expect("hex");
        CommitRecord {
            author: sig.clone(),
            committer: sig,
            ..CommitRecord::new(id)
        }
    }

    #[test]
    fn newest_first_then_by_id() {
        let input = [("c", 1), ("a", 3), ("e", 2), ("b", 3), ("d", 1), ("f", 5)];
        let sorted = newest_first(input.iter().map(|&(id, t)| record(id, t)).collect());
        let ids: Vec<String> = sorted
            .iter()
            .map(|r| r.id.to_string()[..1].to_owned())
            .collect();
        assert_eq!(ids, ["f", "a", "b", "e", "c", "d"]);
    }
}

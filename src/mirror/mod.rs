//! Mirror: a complete bare copy of each source repository under the cache — cloned once, then
//! fetched incrementally, checked before every use and rebuilt when it cannot be trusted.
//!
//! [`sync`] mirrors one URL, [`sync_all`] many at once. Each run ends in one [`MirrorAction`]:
//! a first clone, an incremental fetch (with pruning of refs deleted upstream), nothing to do,
//! or a rebuild of a mirror that failed validation. Network failures leave a good mirror as it
//! was. Credentials live only in memory and never appear in files, logs or errors.

mod auth;
mod error;
mod fetch;
mod layout;
mod progress;
mod redact;
mod refs;
mod types;
mod validate;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

pub use error::{GitError, MirrorError};
pub use redact::redact_url;
pub use types::{MirrorAction, MirrorJob, MirrorOptions, MirrorOutcome, Secret};

use fetch::{Changes, Failure, Stage};
use progress::{Line, Lines};
use redact::Scrubber;
use validate::Health;

/// Whether `dest` holds a complete, trustworthy mirror of `url` (what `--offline` may read).
pub fn is_usable(url: &str, dest: &Path) -> bool {
    matches!(validate::inspect(dest, &redact_url(url)), Health::Good(_))
}

/// When the mirror at `dest` was last fetched successfully, when known.
pub fn last_fetch(dest: &Path) -> Option<jiff::Timestamp> {
    layout::last_fetch(dest)
}

/// Mirror one URL into `dest` (a bare repository folder under the cache).
pub fn sync(url: &str, dest: &Path, opts: &MirrorOptions) -> Result<MirrorOutcome, MirrorError> {
    let name = dest
        .file_name()
        .map_or_else(|| redact_url(url), |n| n.to_string_lossy().into_owned());
    run(url, dest, opts, &Line::standalone(opts.progress, &name))
}

/// Mirror many concurrently (bounded by `opts.jobs`), with one progress line per repository when
/// `opts.progress`. Results come back in input order; one failure never stops the others.
pub fn sync_all(
    jobs: &[MirrorJob],
    opts: &MirrorOptions,
) -> Vec<Result<MirrorOutcome, MirrorError>> {
    let lines = Lines::new(opts.progress);
    let mut seen = HashSet::new();
    let work: Vec<(&MirrorJob, bool, Line)> = jobs
        .iter()
        .map(|job| {
            let first = seen.insert(job.dest.components().collect::<PathBuf>());
            (job, first, lines.add(&job.name))
        })
        .collect();
    let one = |(job, first, line): &(&MirrorJob, bool, Line)| {
        if *first {
            run(&job.url, &job.dest, opts, line)
        } else {
            line.finish("skipped: duplicate destination");
            Err(MirrorError::DuplicateDestination {
                url: redact_url(&job.url),
                dest: job.dest.clone(),
            })
        }
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
    {
        Ok(pool) => pool.install(|| work.par_iter().map(one).collect()),
        Err(e) => {
            tracing::warn!(error = %e, "cannot start mirror threads; mirroring one by one");
            work.iter().map(one).collect()
        }
    }
}

/// Everything one sync needs to know, with the URL already parsed and its shown form redacted.
struct Ctx<'a> {
    url: gix::Url,
    shown: String,
    scrubber: Scrubber,
    dest: &'a Path,
    opts: &'a MirrorOptions,
    line: &'a Line,
}

#[derive(Clone, Copy)]
enum Op {
    Clone,
    Fetch,
}

fn run(
    url: &str,
    dest: &Path,
    opts: &MirrorOptions,
    line: &Line,
) -> Result<MirrorOutcome, MirrorError> {
    let started = Instant::now();
    let scrubber = Scrubber::new(url, opts.token.as_ref().map(Secret::expose));
    let shown = scrubber.shown_url().to_string();
    let parsed = fetch::parse_url(url).map_err(|e| MirrorError::InvalidUrl {
        url: shown.clone(),
        source: GitError::from_gix(&e, &scrubber),
    });
    let insecure = opts.token.is_some() && crate::secure::is_cleartext_to_network(url);
    let parsed = match insecure {
        true => Err(MirrorError::InsecureToken { url: shown.clone() }),
        false => parsed,
    };
    let result = parsed.and_then(|url| {
        let ctx = Ctx {
            url,
            shown: shown.clone(),
            scrubber,
            dest,
            opts,
            line,
        };
        layout::remove_leftovers(dest)?;
        update(&ctx)
    });
    let elapsed = started.elapsed();
    match &result {
        Ok(action) => {
            layout::record_fetch(dest);
            line.finish(&describe(action));
            tracing::info!(url = %shown, dest = %dest.display(), ?action, ?elapsed, "mirrored");
        }
        Err(e) => {
            line.finish("failed");
            tracing::debug!(url = %shown, dest = %dest.display(), error = %e, ?elapsed, "mirroring failed");
        }
    }
    result.map(|action| MirrorOutcome {
        path: dest.to_path_buf(),
        action,
    })
}

fn update(ctx: &Ctx<'_>) -> Result<MirrorAction, MirrorError> {
    let repo = match validate::inspect(ctx.dest, &ctx.shown) {
        Health::Missing => return clone(ctx).map(|()| MirrorAction::Cloned),
        Health::Broken(reason) => return rebuild(ctx, reason),
        Health::Foreign => {
            return Err(MirrorError::Occupied {
                url: ctx.shown.clone(),
                dest: ctx.dest.to_path_buf(),
            });
        }
        Health::Good(repo) => repo,
    };
    ctx.line.stage("fetching");
    match fetch::mirror(
        &repo,
        &ctx.url,
        ctx.opts.token.as_ref(),
        ctx.line,
        &reflog(ctx),
    ) {
        Ok(Changes {
            updated: 0,
            pruned: 0,
        }) => Ok(MirrorAction::UpToDate),
        Ok(Changes { updated, pruned }) => Ok(MirrorAction::Fetched { updated, pruned }),
        Err(failure) if is_local_damage(&failure) => {
            drop(repo);
            let cause = GitError::from_gix(&failure.error, &ctx.scrubber);
            rebuild(ctx, format!("fetching into it hit damaged data: {cause}"))
        }
        Err(failure) => Err(ctx.error(failure, Op::Fetch)),
    }
}

/// Whether a failed fetch points at damage in the mirror rather than at the remote or the
/// network: once connected, corrupt or missing objects are ours (validation does not read
/// trees and blobs), so the mirror is rebuilt instead of trusted.
fn is_local_damage(failure: &Failure) -> bool {
    failure.stage == Stage::Transfer
        && (failure.error.is_corrupted() || failure.error.is_not_found())
}

fn rebuild(ctx: &Ctx<'_>, reason: String) -> Result<MirrorAction, MirrorError> {
    tracing::warn!(url = %ctx.shown, dest = %ctx.dest.display(), %reason, "rebuilding the mirror from scratch");
    clone(ctx).map(|()| MirrorAction::Rebuilt { reason })
}

/// Clones into a staging folder next to `dest` and moves it into place once complete and marked.
/// Whatever is at `dest` stays untouched until then.
fn clone(ctx: &Ctx<'_>) -> Result<(), MirrorError> {
    ctx.line.stage("cloning");
    let staged = layout::staging_folder(ctx.dest)?;
    let repo = gix::init_bare(staged.path()).map_err(|error| {
        ctx.error(
            Failure {
                stage: Stage::Transfer,
                error,
            },
            Op::Clone,
        )
    })?;
    fetch::mirror(
        &repo,
        &ctx.url,
        ctx.opts.token.as_ref(),
        ctx.line,
        &reflog(ctx),
    )
    .map_err(|failure| ctx.error(failure, Op::Clone))?;
    drop(repo);
    layout::write_marker(staged.path(), &ctx.shown)?;
    layout::install(staged, ctx.dest)
}

fn reflog(ctx: &Ctx<'_>) -> String {
    format!("sparky: mirror {}", ctx.shown)
}

impl Ctx<'_> {
    fn error(&self, failure: Failure, op: Op) -> MirrorError {
        let url = self.shown.clone();
        let dest = self.dest.to_path_buf();
        if failure.error.is_cancelled() || gix::interrupt::is_triggered() {
            return MirrorError::Interrupted { url, dest };
        }
        let source = GitError::from_gix(&failure.error, &self.scrubber);
        match (failure.stage, op) {
            (Stage::Connect, _)
                if failure.error.is_unauthenticated() || failure.error.is_permission_denied() =>
            {
                MirrorError::Auth { url, dest, source }
            }
            (Stage::Connect, _) => MirrorError::Unreachable { url, dest, source },
            (Stage::Transfer, Op::Clone) => MirrorError::Clone { url, dest, source },
            (Stage::Transfer, Op::Fetch) => MirrorError::Fetch { url, dest, source },
        }
    }
}

fn describe(action: &MirrorAction) -> String {
    match action {
        MirrorAction::Cloned => "cloned".into(),
        MirrorAction::Fetched { updated, pruned } => {
            format!("fetched: {updated} updated, {pruned} pruned")
        }
        MirrorAction::UpToDate => "up to date".into(),
        MirrorAction::Rebuilt { .. } => "rebuilt".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_damaged_data_after_connecting_means_local_damage() {
        use gix::error::ErrorExt;
        let failure = |stage, error| Failure { stage, error };
        assert!(is_local_damage(&failure(
            Stage::Transfer,
            gix::error::corruption("bad pack").raise()
        )));
        assert!(is_local_damage(&failure(
            Stage::Transfer,
            gix::error::not_found("no object").raise()
        )));
        assert!(!is_local_damage(&failure(
            Stage::Connect,
            gix::error::corruption("bad ref line").raise()
        )));
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(!is_local_damage(&failure(
            Stage::Transfer,
            gix::Error::from_error(reset)
        )));
    }
}

//! The history stage for one repository: extract, then refuse what would publish wrong
//! figures (a shallow clone, missing objects), cloning a damaged mirror again once first.

use std::path::Path;

use tracing::{debug, warn};

use super::{
    GatherOptions, GatheredRepo, Located, history_cache_path, mirror_options, public_text,
};
use crate::facts::FailedRepo;
use crate::history::{self, ExtractOptions, Extracted};
use crate::settings::Settings;
use crate::source::Location;

/// What reading one repository gave.
pub(super) struct Read {
    pub outcome: Result<GatheredRepo, FailedRepo>,
    /// Local trouble that cost no figures.
    pub warning: Option<String>,
}

/// Why a history that could be read must not be published.
#[derive(Debug, thiserror::Error)]
pub enum Incomplete {
    #[error(
        "`{name}` is a shallow clone: its oldest commits would count as adding every file, so its figures would be wrong"
    )]
    Shallow { name: String },
    #[error("`{name}` is damaged: {count} {} cannot be read fully ({first})", if *count == 1 { "commit" } else { "commits" })]
    Damaged {
        name: String,
        count: usize,
        first: String,
    },
}

impl Incomplete {
    /// What to do about it, for a local repository (`mirrored`: Sparky's own mirror).
    fn hint(&self, mirrored: bool) -> &'static str {
        match (self, mirrored) {
            (Incomplete::Shallow { .. }, _) => {
                "fetch its whole history: `git fetch --unshallow` in it, or `fetch-depth: 0` on actions/checkout"
            }
            (Incomplete::Damaged { .. }, true) => {
                "the mirror was cloned again and is still damaged: check the remote repository (`git fsck`), or delete the mirror folder under the cache to start over"
            }
            (Incomplete::Damaged { .. }, false) => {
                "run `git fsck` in it and restore the missing objects (fetch them from a good remote, or clone it again)"
            }
        }
    }
}

/// The history of `loc`, complete, or why not.
pub(super) fn repository(settings: &Settings, loc: Located, opts: GatherOptions) -> Read {
    let name = loc.spec.name.clone();
    let cache = history_cache_path(&settings.cache_dir, &name);
    let mirrored = matches!(loc.spec.location, Location::Url(_));
    let mut first = checked(&loc, &cache);
    // A mirror is ours: a damaged one is cloned again once (never when offline, or when the
    // fetch already failed this run: the remote is not there to clone from).
    if mirrored
        && !opts.offline
        && loc.stale.is_none()
        && let Err(Problem::Incomplete(why @ Incomplete::Damaged { .. })) = &first
    {
        warn!(repo = %name, "{why}; cloning the mirror again");
        first = reclone(settings, &loc, &cache, opts).and_then(|()| checked(&loc, &cache));
    }
    // The repository's own folder is a build-machine path: it is named by its name instead.
    let own_path = loc.path.display().to_string();
    let fail = |error: String| Read {
        outcome: Err(FailedRepo {
            name: name.clone(),
            error: public_text(settings, &error.replace(&own_path, &name)),
        }),
        warning: None,
    };
    match first {
        Ok(x) => {
            debug!(repo = %name, total = x.stats.total, cached = x.stats.from_cache, read = x.stats.read, "history read");
            let warning = x.cache_warning.map(|w| {
                format!("{name}: the history cache could not be saved (the next run reads the history again): {w}")
            });
            Read {
                outcome: Ok(GatheredRepo {
                    spec: loc.spec,
                    history: x.history,
                    stats: x.stats,
                    stale: loc.stale,
                }),
                warning,
            }
        }
        Err(Problem::Incomplete(why)) => fail(format!("{why}; hint: {}", why.hint(mirrored))),
        Err(Problem::Failed(msg)) => fail(msg),
    }
}

enum Problem {
    Incomplete(Incomplete),
    Failed(String),
}

fn checked(loc: &Located, cache: &Path) -> Result<Extracted, Problem> {
    let x = history::extract(
        &loc.path,
        loc.spec.branch.as_deref(),
        Some(cache),
        &ExtractOptions::default(),
    )
    .map_err(|e| Problem::Failed(crate::cmd::chain(&e)))?;
    let name = loc.spec.name.clone();
    if x.shallow {
        return Err(Problem::Incomplete(Incomplete::Shallow { name }));
    }
    let unreadable = x
        .history
        .unreadable
        .iter()
        .map(|u| format!("commit {}: {}", u.id, u.reason));
    let undiffable = x.history.commits.iter().filter_map(|c| {
        c.diff_error
            .as_ref()
            .map(|e| format!("commit {}: {e}", c.id))
    });
    let problems: Vec<String> = unreadable.chain(undiffable).collect();
    if let Some(first) = problems.first() {
        return Err(Problem::Incomplete(Incomplete::Damaged {
            name,
            count: problems.len(),
            first: first.clone(),
        }));
    }
    Ok(x)
}

/// Moves the damaged mirror and its history cache away and clones the repository again.
fn reclone(
    settings: &Settings,
    loc: &Located,
    cache: &Path,
    opts: GatherOptions,
) -> Result<(), Problem> {
    let Location::Url(url) = &loc.spec.location else {
        return Ok(());
    };
    let _ = std::fs::remove_file(cache);
    if let Err(e) = std::fs::remove_dir_all(&loc.path) {
        return Err(Problem::Failed(format!(
            "cannot remove the damaged mirror `{}`: {e}",
            loc.path.display()
        )));
    }
    let mopts = super::MirrorOptions {
        progress: false,
        ..mirror_options(settings, opts)
    };
    crate::mirror::sync(url, &loc.path, &mopts)
        .map(|_| ())
        .map_err(|e| {
            Problem::Failed(format!(
                "the damaged mirror could not be cloned again: {}",
                crate::cmd::chain(&e)
            ))
        })
}

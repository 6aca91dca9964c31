//! Fetch: the network half of mirroring, and the only code that drives gix's remote API.
//!
//! One fetch serves both the first clone (into an empty bare repository) and every update:
//! all branches and tags with forced refspecs and packed refs; [`super::refs`] then does what
//! gix does not do by itself.

use gix::bstr::ByteSlice;
use gix::error::ErrorExt;
use gix::remote::fetch::refs::update::Mode;
use gix::remote::fetch::{RefLogMessage, Status, Tags};
use gix::remote::{Direction, ref_map};
use gix::url::Scheme;

use super::Secret;
use super::progress::Line;
use super::refs;

/// Branches and tags, forced so that force-pushes and moved tags are followed. Other namespaces
/// (`refs/pull/*`, `refs/changes/*`, notes) are not history and are left out.
const REFSPECS: [&str; 2] = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

/// Where a fetch failed, which decides how the caller reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Setting up the remote, connecting, handshake and listing refs: nothing was written yet.
    Connect,
    /// Receiving the pack and updating refs.
    Transfer,
}

#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) stage: Stage,
    pub(crate) error: gix::Error,
}

fn at(stage: Stage) -> impl FnOnce(gix::Error) -> Failure {
    move |error| Failure { stage, error }
}

/// What one fetch changed in the mirror.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Changes {
    /// Refs created or moved, plus one if `HEAD` now names another branch.
    pub(crate) updated: usize,
    /// Refs deleted because upstream no longer has them.
    pub(crate) pruned: usize,
}

/// Parses `url`, refusing transports that run arbitrary commands (`ext::`, remote helpers) and
/// passwords that would cross the network unencrypted.
pub(crate) fn parse_url(url: &str) -> gix::Result<gix::Url> {
    let parsed = gix::url::parse(url.as_bytes().as_bstr())?;
    match parsed.scheme {
        Scheme::Http if parsed.user().is_some() || parsed.password().is_some() => {
            Err(gix::error::validation(
                "credentials in an http:// URL would travel in clear text; use https",
            )
            .raise())
        }
        Scheme::File | Scheme::Ssh | Scheme::Http | Scheme::Https | Scheme::Git => Ok(parsed),
        _ => Err(gix::error::unsupported(
            "only file, ssh, git, http and https transports are mirrored",
        )
        .raise()),
    }
}

/// Fetches every branch and tag of `url` into the bare `repo` and makes its refs and `HEAD`
/// match the remote's.
pub(crate) fn mirror(
    repo: &gix::Repository,
    url: &gix::Url,
    token: Option<&Secret>,
    line: &Line,
    reflog_message: &str,
) -> Result<Changes, Failure> {
    let remote = repo
        // The URL as given, without `insteadOf` rewrites: the token goes where the user said.
        .remote_at_without_url_rewrite(url.clone())
        .map_err(at(Stage::Connect))?
        .with_fetch_tags(Tags::None)
        .with_refspecs(REFSPECS, Direction::Fetch)
        .map_err(at(Stage::Connect))?;
    line.stage("connecting");
    let connection = super::auth::connect(&remote, url, token).map_err(at(Stage::Connect))?;
    let head = gix::refspec::parse("HEAD".into(), gix::refspec::parse::Operation::Fetch)
        .map_err(|e| Failure {
            stage: Stage::Connect,
            error: e.raise(),
        })?
        .to_owned();
    let options = ref_map::Options {
        // The prefixes derived from our refspecs are `refs/heads/`, `refs/tags/` and `HEAD`
        // (from the extra refspec): the server lists exactly what we mirror, and large
        // `refs/pull/*` namespaces never cross the wire.
        prefix_from_spec_as_filter_on_remote: true,
        extra_refspecs: vec![head],
        ..Default::default()
    };
    let prepare = connection
        .prepare_fetch(line.gix(), options)
        .map_err(at(Stage::Connect))?;
    // gix locks every mapped ref even when nothing changed, hundreds of lock files for a
    // large mirror: when the listing shows nothing to do, stop here.
    if refs::already_mirrored(repo, prepare.ref_map()).map_err(at(Stage::Transfer))? {
        return Ok(Changes::default());
    }
    line.stage("fetching");
    let outcome = prepare
        .with_write_packed_refs_only(true)
        .with_reflog_message(RefLogMessage::Override {
            message: reflog_message.into(),
        })
        .receive(line.gix(), &gix::interrupt::IS_INTERRUPTED)
        .map_err(at(Stage::Transfer))?;

    line.stage("updating refs");
    let update_refs = match &outcome.status {
        Status::NoPackReceived { update_refs, .. } | Status::Change { update_refs, .. } => {
            update_refs
        }
    };
    let mut updated = 0;
    let mut rejected = Vec::new();
    let mut missing_objects = false;
    for (update, mapping) in update_refs.updates.iter().zip(&outcome.ref_map.mappings) {
        match &update.mode {
            Mode::New | Mode::FastForward | Mode::Forced => updated += 1,
            Mode::NoChangeNeeded | Mode::ImplicitTagNotSentByRemote => {}
            other => {
                missing_objects |= matches!(other, Mode::RejectedSourceObjectNotFound { .. });
                let name = mapping
                    .remote
                    .as_name()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                rejected.push(format!("{name}: {other}"));
            }
        }
    }
    if !rejected.is_empty() {
        let message = format!("some refs could not be updated: {}", rejected.join(", "));
        let error = if missing_objects {
            // The server assumed we had objects our refs promise; the local store lost them.
            gix::error::corruption(message).raise()
        } else {
            gix::error::Message::new(message).raise()
        };
        return Err(Failure {
            stage: Stage::Transfer,
            error,
        });
    }
    let pruned = refs::prune(repo, &outcome.ref_map).map_err(at(Stage::Transfer))?;
    let head_moved =
        refs::follow_head(repo, &outcome.ref_map, reflog_message).map_err(at(Stage::Transfer))?;
    Ok(Changes {
        updated: updated + usize::from(head_moved),
        pruned,
    })
}

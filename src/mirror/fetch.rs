//! Fetch: the network half of mirroring, and the only code that drives gix's remote API.
//!
//! One fetch serves both the first clone (into an empty bare repository) and every update:
//! all branches and tags with forced refspecs, packed refs, then what gix does not do by
//! itself — prune refs deleted upstream and follow the remote's `HEAD`.

use std::collections::HashSet;

use gix::bstr::{BStr, ByteSlice};
use gix::error::ErrorExt;
use gix::protocol::handshake::Ref;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
use gix::remote::fetch::refs::update::Mode;
use gix::remote::fetch::{RefLogMessage, RefMap, Status, Tags};
use gix::remote::{Direction, ref_map};
use gix::url::Scheme;

use super::Secret;
use super::progress::Line;

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
        .remote_at(url.clone())
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
    let pruned = prune(repo, &outcome.ref_map).map_err(at(Stage::Transfer))?;
    let head_moved =
        follow_head(repo, &outcome.ref_map, reflog_message).map_err(at(Stage::Transfer))?;
    Ok(Changes {
        updated: updated + usize::from(head_moved),
        pruned,
    })
}

/// Deletes every local ref the fetch did not map: branches and tags deleted upstream, and
/// anything outside the mirrored namespaces. Returns how many were deleted.
fn prune(repo: &gix::Repository, ref_map: &RefMap) -> gix::Result<usize> {
    let keep: HashSet<&BStr> = ref_map
        .mappings
        .iter()
        .filter_map(|m| m.local.as_ref().map(|l| l.as_bstr()))
        .collect();
    let mut edits = Vec::new();
    for reference in repo.references()?.all()? {
        let reference = reference?;
        let name = reference.name();
        if !name.as_bstr().starts_with(b"refs/") || keep.contains(name.as_bstr()) {
            continue;
        }
        edits.push(RefEdit {
            change: Change::Delete {
                expected: PreviousValue::MustExistAndMatch(reference.target().into_owned()),
                log: RefLog::AndReference,
            },
            name: name.to_owned(),
            deref: false,
        });
    }
    let pruned = edits.len();
    if pruned > 0 {
        repo.edit_references(edits)?;
    }
    Ok(pruned)
}

/// Points `HEAD` at the branch the remote's `HEAD` names. Returns whether it changed.
fn follow_head(
    repo: &gix::Repository,
    ref_map: &RefMap,
    reflog_message: &str,
) -> gix::Result<bool> {
    let Some(target) = remote_default_branch(ref_map) else {
        return Ok(false);
    };
    let target = gix::refs::FullName::try_from(target).map_err(|e| e.raise())?;
    if repo.head_name()?.as_ref() == Some(&target) {
        return Ok(false);
    }
    repo.edit_reference(RefEdit {
        change: Change::Update {
            log: LogChange {
                mode: RefLog::AndReference,
                force_create_reflog: false,
                message: reflog_message.into(),
            },
            expected: PreviousValue::Any,
            new: gix::refs::Target::Symbolic(target),
        },
        name: "HEAD"
            .try_into()
            .map_err(|e: gix::validate::reference::name::Error| e.raise())?,
        deref: false,
    })?;
    Ok(true)
}

/// The branch the remote's `HEAD` names, or for a server that doesn't say (detached `HEAD`,
/// old protocol), the branch at the same commit, preferring `main` and `master`.
fn remote_default_branch(ref_map: &RefMap) -> Option<gix::bstr::BString> {
    let head = ref_map
        .remote_refs
        .iter()
        .find(|r| r.unpack().0 == "HEAD")?;
    let commit = match head {
        Ref::Symbolic { target, .. } | Ref::Unborn { target, .. } => {
            return target.starts_with(b"refs/heads/").then(|| target.clone());
        }
        Ref::Direct { object, .. } => object,
        Ref::Peeled { .. } => return None,
    };
    let mut candidates: Vec<&BStr> = ref_map
        .remote_refs
        .iter()
        .filter_map(|r| match r {
            Ref::Direct {
                full_ref_name,
                object,
            } if object == commit && full_ref_name.starts_with(b"refs/heads/") => {
                Some(full_ref_name.as_bstr())
            }
            _ => None,
        })
        .collect();
    candidates.sort_by_key(|name| {
        (
            *name != "refs/heads/main",
            *name != "refs/heads/master",
            *name,
        )
    });
    candidates.first().map(|name| (*name).to_owned())
}

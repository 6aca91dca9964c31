//! Refs: makes the mirror's refs and `HEAD` match what the remote listed — the parts of a
//! mirror fetch gix leaves to us (pruning, the remote's default branch, the no-op check).

use std::collections::{HashMap, HashSet};

use gix::bstr::{BStr, BString, ByteSlice};
use gix::error::ErrorExt;
use gix::protocol::handshake::Ref;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
use gix::remote::fetch::RefMap;

/// True if every local ref already has the id the remote listed, there is no local ref the
/// remote lacks, and `HEAD` names the remote's default branch: fetching would change nothing.
pub(crate) fn already_mirrored(repo: &gix::Repository, ref_map: &RefMap) -> gix::Result<bool> {
    let mut local: HashMap<BString, gix::ObjectId> = HashMap::new();
    for reference in repo.references()?.all()? {
        let reference = reference?;
        let Some(id) = reference.target().try_id().map(ToOwned::to_owned) else {
            return Ok(false);
        };
        local.insert(reference.name().as_bstr().to_owned(), id);
    }
    let mut matched = 0;
    for mapping in &ref_map.mappings {
        let Some(name) = &mapping.local else { continue };
        match (mapping.remote.as_id(), local.get(name)) {
            (Some(remote), Some(local)) if remote == local.as_ref() => matched += 1,
            _ => return Ok(false),
        }
    }
    if matched != local.len() {
        return Ok(false);
    }
    Ok(match remote_default_branch(ref_map) {
        Some(target) => repo
            .head_name()?
            .is_some_and(|head| head.as_bstr() == target),
        None => true,
    })
}

/// Deletes every local ref the fetch did not map: branches and tags deleted upstream, and
/// anything outside the mirrored namespaces. Returns how many were deleted.
pub(crate) fn prune(repo: &gix::Repository, ref_map: &RefMap) -> gix::Result<usize> {
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
pub(crate) fn follow_head(
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

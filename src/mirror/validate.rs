//! Validation: decides whether an existing mirror can be fetched into or must be rebuilt.
//!
//! A mirror is trusted only if it carries the completion marker for the same URL, gix opens it
//! as a bare repository, `HEAD` and every ref (through annotated tags) resolve to objects that
//! exist, and every commit reachable from them exists. Trees and blobs are not walked: that
//! would cost as much as `git fsck`; the history stage skips commits it cannot diff.

use std::path::Path;

use super::layout;

/// The state of a mirror folder before syncing.
pub(crate) enum Health {
    /// Nothing there yet (or an empty folder).
    Missing,
    /// A complete mirror, opened.
    Good(Box<gix::Repository>),
    /// A mirror is there but cannot be trusted; the reason is shown to the user.
    Broken(String),
    /// Something that is not a git repository at all: not ours to delete.
    Foreign,
}

pub(crate) fn inspect(dest: &Path, redacted_url: &str) -> Health {
    if !dest.exists() || layout::is_empty_folder(dest) {
        return Health::Missing;
    }
    match layout::marker_url(dest) {
        None if !looks_like_bare_repository(dest) => return Health::Foreign,
        None => {
            return Health::Broken(
                "it has no completion marker (an interrupted or foreign mirror)".into(),
            );
        }
        Some(Some(url)) if url != redacted_url => {
            return Health::Broken(format!("it mirrors `{url}`, not `{redacted_url}`"));
        }
        Some(_) => {}
    }
    let options = gix::open::Options::default().strict_config(false);
    let repo = match gix::open_opts(dest, options) {
        Ok(repo) => repo,
        Err(e) => return Health::Broken(format!("gix cannot open it: {}", one_line(&e))),
    };
    if !repo.is_bare() {
        return Health::Broken("it is not a bare repository".into());
    }
    match dangling_ref(&repo) {
        Ok(None) => Health::Good(Box::new(repo)),
        Ok(Some(reason)) => Health::Broken(reason),
        Err(e) => Health::Broken(format!("its refs cannot be read: {}", one_line(&e))),
    }
}

/// The first ref (or `HEAD`) whose object is missing, or the first hole in the commit history,
/// described.
fn dangling_ref(repo: &gix::Repository) -> gix::Result<Option<String>> {
    if let Err(e) = repo.head()?.try_peel_to_id() {
        return Ok(Some(format!(
            "HEAD points at a missing object: {}",
            one_line(&e)
        )));
    }
    let mut tips = Vec::new();
    for reference in repo.references()?.all()? {
        let mut reference = reference?;
        let name = reference.name().as_bstr().to_string();
        if let Some(id) = reference.target().try_id()
            && !repo.has_object(id)
        {
            return Ok(Some(format!("{name} points at missing object {id}")));
        }
        match reference.peel_to_id() {
            Ok(id) if repo.find_header(id)?.kind() == gix::objs::Kind::Commit => {
                tips.push(id.detach())
            }
            Ok(_) => {}
            Err(e) => return Ok(Some(format!("{name} cannot be resolved: {}", one_line(&e)))),
        }
    }
    for commit in repo.rev_walk(tips).all()? {
        if let Err(e) = commit {
            return Ok(Some(format!(
                "its history has a missing commit: {}",
                one_line(&e)
            )));
        }
    }
    Ok(None)
}

/// `HEAD` and `objects/` at the top, readable or not: a bare repository, perhaps damaged.
fn looks_like_bare_repository(dest: &Path) -> bool {
    dest.join("HEAD").is_file() && dest.join("objects").is_dir()
}

fn one_line(e: &gix::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.iter_errors() {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

//! Layout: a mirror's place on disk — temporary siblings, the completion marker, and the
//! rename that makes a finished mirror appear at its destination in one step.
//!
//! A mirror is built in `.NAME.sparky-tmp-XXXX` next to `NAME` and renamed into place only once
//! it is complete and marked, so a crash leaves at worst a leftover sibling (removed on the
//! next run), never a half-written mirror at `NAME`.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::MirrorError;

/// The completion marker, a file at the top of the bare repository.
pub(crate) const MARKER: &str = "sparky-mirror";
const TMP: &str = "sparky-tmp-";
const OLD: &str = "sparky-old-";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MirrorError + '_ {
    move |source| MirrorError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn name_and_parent(dest: &Path) -> Result<(String, PathBuf), MirrorError> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| MirrorError::Io {
            path: dest.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a mirror folder needs a name",
            ),
        })?;
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((name, parent))
}

/// Removes temporary siblings of `dest` left by an interrupted earlier run.
pub(crate) fn remove_leftovers(dest: &Path) -> Result<(), MirrorError> {
    let (name, parent) = name_and_parent(dest)?;
    let entries = match std::fs::read_dir(&parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(&parent)(e)),
    };
    let prefixes = [format!(".{name}.{TMP}"), format!(".{name}.{OLD}")];
    for entry in entries {
        let entry = entry.map_err(io(&parent))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let path = entry.path();
            tracing::debug!(path = %path.display(), "removing leftover of an interrupted mirror run");
            remove_any(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// A new empty folder next to `dest`, deleted again unless [`install`] moves it into place.
pub(crate) fn staging_folder(dest: &Path) -> Result<TempDir, MirrorError> {
    let (name, parent) = name_and_parent(dest)?;
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    tempfile::Builder::new()
        .prefix(&format!(".{name}.{TMP}"))
        .tempdir_in(&parent)
        .map_err(io(&parent))
}

/// Marks the repository in `dir` as a complete mirror of `redacted_url`.
pub(crate) fn write_marker(dir: &Path, redacted_url: &str) -> Result<(), MirrorError> {
    let path = dir.join(MARKER);
    let mut file = std::fs::File::create(&path).map_err(io(&path))?;
    writeln!(file, "# written by sparky once this mirror was complete").map_err(io(&path))?;
    writeln!(file, "url = {redacted_url}").map_err(io(&path))?;
    file.sync_all().map_err(io(&path))
}

/// The URL recorded in the marker of the mirror at `dest`: `None` without a marker,
/// `Some(None)` for a marker without a URL line.
pub(crate) fn marker_url(dest: &Path) -> Option<Option<String>> {
    let text = std::fs::read_to_string(dest.join(MARKER)).ok()?;
    Some(
        text.lines()
            .find_map(|line| line.strip_prefix("url = "))
            .map(str::to_string),
    )
}

/// Moves the finished mirror in `staged` to `dest`, replacing what is there (a broken mirror).
pub(crate) fn install(staged: TempDir, dest: &Path) -> Result<(), MirrorError> {
    let (name, parent) = name_and_parent(dest)?;
    let old = match std::fs::symlink_metadata(dest) {
        Ok(_) => {
            let old = parent.join(format!(".{name}.{OLD}{}", std::process::id()));
            remove_any(&old).map_err(io(&old))?;
            std::fs::rename(dest, &old).map_err(io(dest))?;
            Some(old)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(dest)(e)),
    };
    if let Err(e) = std::fs::rename(staged.path(), dest) {
        if let Some(old) = &old {
            // Put the previous mirror back; the staged one is deleted when `staged` drops.
            std::fs::rename(old, dest).ok();
        }
        return Err(io(dest)(e));
    }
    let _in_place: PathBuf = staged.keep();
    if let Some(old) = old
        && let Err(e) = remove_any(&old)
    {
        tracing::warn!(path = %old.display(), error = %e, "could not remove the replaced mirror; it is removed on the next run");
    }
    Ok(())
}

/// The file that records a mirror's last successful fetch (RFC 3339, UTC).
const FETCHED: &str = "sparky-fetched";

/// Records that the mirror at `dest` was fetched (or cloned) successfully just now.
pub(crate) fn record_fetch(dest: &Path) {
    let now = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or(jiff::Timestamp::now());
    if let Err(e) = std::fs::write(dest.join(FETCHED), format!("{now}\n")) {
        tracing::debug!(dest = %dest.display(), error = %e, "could not record the fetch time");
    }
}

/// When the mirror at `dest` was last fetched successfully: the recorded time, else the time
/// its completion marker was written.
pub(crate) fn last_fetch(dest: &Path) -> Option<jiff::Timestamp> {
    if let Some(t) = std::fs::read_to_string(dest.join(FETCHED))
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        return Some(t);
    }
    let modified = std::fs::metadata(dest.join(MARKER)).ok()?.modified().ok()?;
    jiff::Timestamp::try_from(modified)
        .ok()
        .and_then(|t| t.round(jiff::Unit::Second).ok())
}

/// True if `dest` is an existing, empty folder (which a caller may have created for us).
pub(crate) fn is_empty_folder(dest: &Path) -> bool {
    std::fs::read_dir(dest).is_ok_and(|mut entries| entries.next().is_none())
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

//! Output: writes rendered files into the content folder safely. Atomic writes (temp file and
//! rename), only when the bytes change, never over a file a human edited or a file Sparky did not
//! write (unless forced), pruning only Sparky's own unedited files, and a dry run that touches
//! nothing.

pub mod manifest;
pub mod safe;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use manifest::{Entry, Listing, Manifest, Role};

use crate::render::page;

/// One file to put in the content folder.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path relative to the content folder, with `/`.
    pub rel: String,
    pub bytes: Vec<u8>,
    pub role: Role,
    pub period: Option<String>,
    pub listing: Option<Listing>,
}

/// How to write.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Overwrite files a human edited or that Sparky did not write.
    pub force: bool,
    /// Decide everything, write nothing.
    pub dry_run: bool,
    /// Overwrite files Sparky did not write (but not Sparky's files a human edited).
    pub adopt: bool,
}

/// What happened (or, in a dry run, would happen) to each file.
#[derive(Debug, Default)]
pub struct Outcome {
    pub created: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
    /// Files left alone, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Files at Sparky's paths that Sparky did not write, left alone (see [`WriteOptions::adopt`]).
    pub foreign: Vec<String>,
}

/// The content folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("failed to write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to remove `{}`", path.display())]
    Remove {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Writes `files` under `content_dir`, prunes Sparky's files of the `rebuilt` periods that were not
/// produced again, and updates the manifest at `manifest_path`.
///
/// The manifest is reconciled with the disk first, and the writes and removals about to happen
/// are recorded in it before they happen: whatever stops the run part-way, the next run knows
/// which files are Sparky's. When a write fails, the manifest is saved matching the disk before
/// the error returns.
pub fn apply(
    content_dir: &Path,
    manifest_path: &Path,
    files: &[OutFile],
    rebuilt: &BTreeSet<String>,
    opts: WriteOptions,
) -> Result<Outcome, OutputError> {
    // The bytes on disk, so a manifest that lost entries on loading (foreign paths) is saved.
    let loaded = std::fs::read(manifest_path).ok();
    let mut manifest = match &loaded {
        Some(bytes) => Manifest::parse(bytes, manifest_path),
        None => Manifest::empty(),
    };
    let loaded = loaded.unwrap_or_default();
    manifest.reconcile(content_dir);
    if !opts.dry_run && content_dir.is_dir() {
        safe::sweep_temp_files(content_dir);
    }
    let mut out = Outcome::default();
    let mut writes: Vec<(&OutFile, PathBuf)> = Vec::new();
    for file in files {
        let target = match safe::target(content_dir, &file.rel) {
            Ok(t) => t,
            Err(reason) => {
                out.skipped.push((file.rel.clone(), reason.to_string()));
                continue;
            }
        };
        let current = std::fs::read(&target).ok();
        let verdict = match &current {
            None => Verdict::Create,
            Some(bytes) if *bytes == file.bytes => Verdict::Same,
            Some(bytes) => match ownership(&manifest, &file.rel, bytes) {
                Ownership::Ours => Verdict::Change,
                _ if opts.force => Verdict::Change,
                Ownership::Foreign if opts.adopt => Verdict::Change,
                Ownership::Edited => {
                    Verdict::Skip("edited since Sparky wrote it (use --force to overwrite)")
                }
                Ownership::Foreign => Verdict::Foreign,
            },
        };
        match verdict {
            Verdict::Foreign => {
                out.foreign.push(file.rel.clone());
                continue;
            }
            Verdict::Skip(reason) => {
                out.skipped.push((file.rel.clone(), reason.to_string()));
                continue;
            }
            Verdict::Same => out.unchanged.push(file.rel.clone()),
            Verdict::Create => {
                out.created.push(file.rel.clone());
                writes.push((file, target));
            }
            Verdict::Change => {
                out.changed.push(file.rel.clone());
                writes.push((file, target));
            }
        }
        manifest.removed.remove(&file.rel);
        let previous = manifest.files.get(&file.rel).map(|e| e.sha256.clone());
        let sha = manifest::sha256(&file.bytes);
        manifest.files.insert(
            file.rel.clone(),
            Entry {
                sha256: previous.clone().unwrap_or_else(|| sha.clone()),
                role: file.role,
                period: file.period.clone(),
                listing: file.listing.clone(),
                pending: (previous.as_ref() != Some(&sha)).then_some(sha),
            },
        );
    }
    let produced: BTreeSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    let removals = stale_files(
        content_dir,
        &mut manifest,
        &produced,
        rebuilt,
        opts,
        &mut out,
    );
    if opts.dry_run {
        return Ok(out);
    }
    // The intent: what is about to be written and removed, on disk before any of it happens.
    for (rel, _) in &removals {
        if let Some(e) = manifest.files.get(rel) {
            manifest.removed.insert(rel.clone(), e.sha256.clone());
        }
    }
    let intent = manifest.to_bytes();
    if intent != loaded {
        write_atomically(manifest_path, &intent)?;
    }
    let done = writes
        .iter()
        .try_for_each(|(file, target)| write_atomically(target, &file.bytes))
        .and_then(|()| {
            removals.iter().try_for_each(|(_, target)| {
                std::fs::remove_file(target).map_err(|source| OutputError::Remove {
                    path: target.clone(),
                    source,
                })
            })
        });
    // Done: every file is as intended. Stopped part-way: ask the disk what happened.
    match &done {
        Ok(()) => manifest.settle(),
        Err(_) => manifest.reconcile(content_dir),
    }
    let bytes = manifest.to_bytes();
    if bytes != intent {
        let saved = write_atomically(manifest_path, &bytes);
        done?;
        saved?;
    } else {
        done?;
    }
    Ok(out)
}

enum Verdict {
    Create,
    Same,
    Change,
    Skip(&'static str),
    /// Not Sparky's file: left alone, reported apart.
    Foreign,
}

/// Whether the file at `rel` exists and was not written by Sparky (no manifest entry, no
/// `sparky_hash`): a page of an older blog at one of Sparky's paths.
pub fn is_foreign(content_dir: &Path, manifest: &Manifest, rel: &str) -> bool {
    let Ok(target) = safe::target(content_dir, rel) else {
        return false;
    };
    std::fs::read(target)
        .is_ok_and(|bytes| matches!(ownership(manifest, rel, &bytes), Ownership::Foreign))
}

enum Ownership {
    /// Sparky wrote these exact bytes.
    Ours,
    /// Sparky wrote the file, and someone changed it since.
    Edited,
    Foreign,
}

/// Whose file this is. A page carries its own hash, so a page whose hash matches its bytes is
/// Sparky's whatever the manifest says (a manifest lost with a cache, or left behind by a run
/// that stopped part-way, never makes Sparky's own page look edited).
fn ownership(manifest: &Manifest, rel: &str, bytes: &[u8]) -> Ownership {
    let own_hash = || page::verify_hash(&String::from_utf8_lossy(bytes));
    match manifest.files.get(rel) {
        Some(e) => {
            let sha = manifest::sha256(bytes);
            if e.sha256 == sha || e.pending.as_ref() == Some(&sha) || own_hash() == Some(true) {
                Ownership::Ours
            } else {
                Ownership::Edited
            }
        }
        None => match own_hash() {
            Some(true) => Ownership::Ours,
            Some(false) => Ownership::Edited,
            None => Ownership::Foreign,
        },
    }
}

/// Sparky's files of the rebuilt periods that were not produced again and may be removed
/// (its own, unedited, reachable without leaving the folder), with their paths on disk.
fn stale_files(
    content_dir: &Path,
    manifest: &mut Manifest,
    produced: &BTreeSet<&str>,
    rebuilt: &BTreeSet<String>,
    opts: WriteOptions,
    out: &mut Outcome,
) -> Vec<(String, PathBuf)> {
    let stale: Vec<String> = manifest
        .files
        .iter()
        .filter(|(rel, e)| {
            !produced.contains(rel.as_str())
                && e.period.as_ref().is_some_and(|p| rebuilt.contains(p))
        })
        .map(|(rel, _)| rel.clone())
        .collect();
    let mut removals = Vec::new();
    for rel in stale {
        let target = match safe::target(content_dir, &rel) {
            Ok(t) => t,
            Err(reason) => {
                out.skipped.push((rel, reason.to_string()));
                continue;
            }
        };
        let Ok(bytes) = std::fs::read(&target) else {
            manifest.files.remove(&rel);
            continue;
        };
        if matches!(ownership(manifest, &rel, &bytes), Ownership::Ours) || opts.force {
            out.removed.push(rel.clone());
            removals.push((rel, target));
        } else {
            out.skipped.push((
                rel,
                "no longer generated, but edited since Sparky wrote it: left in place".into(),
            ));
        }
    }
    removals
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(err)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(safe::TEMP_PREFIX)
        .tempfile_in(parent)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, bytes: &str, period: &str) -> OutFile {
        OutFile {
            rel: rel.into(),
            bytes: bytes.into(),
            role: Role::Chart,
            period: Some(period.into()),
            listing: None,
        }
    }

    #[test]
    fn prunes_only_own_unedited_files_of_rebuilt_periods() {
        let dir = tempfile::tempdir().expect("dir");
        let content = dir.path().join("content");
        let manifest = dir.path().join("manifest.json");
        let rebuilt: BTreeSet<String> = ["P".to_string()].into();
        let opts = WriteOptions::default();
        let first = [
            file("a.svg", "a", "P"),
            file("b.svg", "b", "P"),
            file("c.svg", "c", "Q"),
            file("d.svg", "d", "P"),
        ];
        let out = apply(&content, &manifest, &first, &rebuilt, opts).expect("first");
        assert_eq!(out.created.len(), 4);
        std::fs::write(content.join("d.svg"), "edited").expect("edit");
        // Period P is rebuilt without b and d; Q is not rebuilt.
        let out = apply(&content, &manifest, &first[..1], &rebuilt, opts).expect("second");
        assert_eq!(out.removed, ["b.svg"]);
        assert_eq!(
            out.skipped.len(),
            1,
            "the edited d.svg stays: {:?}",
            out.skipped
        );
        assert!(!content.join("b.svg").exists());
        assert!(
            content.join("c.svg").exists(),
            "other periods are untouched"
        );
        assert_eq!(
            std::fs::read_to_string(content.join("d.svg")).expect("d"),
            "edited"
        );
        // The removal is remembered (for `sparky publish`) until the file comes back.
        let removed = Manifest::load(&manifest).removed;
        assert_eq!(
            removed.keys().collect::<Vec<_>>(),
            ["b.svg"],
            "only Sparky's own removals"
        );
        assert_eq!(removed["b.svg"], manifest::sha256(b"b"));
        apply(&content, &manifest, &first[..2], &rebuilt, opts).expect("third");
        assert!(Manifest::load(&manifest).removed.is_empty());
    }

    #[test]
    fn a_run_stopped_between_its_intent_and_its_writes_leaves_nothing_stuck() {
        let dir = tempfile::tempdir().expect("dir");
        let content = dir.path().join("content");
        let manifest = dir.path().join("m.json");
        let opts = WriteOptions::default();
        let rebuilt: BTreeSet<String> = ["P".to_string()].into();
        apply(
            &content,
            &manifest,
            &[file("a.svg", "old", "P")],
            &rebuilt,
            opts,
        )
        .expect("first");
        // The run that was to write "new" recorded its intent, wrote the file, and was killed
        // before the manifest's final save: the manifest still says "old" plus the pending hash.
        let mut m = Manifest::load(&manifest);
        m.files.get_mut("a.svg").expect("entry").pending = Some(manifest::sha256(b"new"));
        std::fs::write(&manifest, m.to_bytes()).expect("intent");
        std::fs::write(content.join("a.svg"), "new").expect("the write that happened");
        // The next run produces yet other bytes: the file is Sparky's, not a human's edit.
        let out = apply(
            &content,
            &manifest,
            &[file("a.svg", "newer", "P")],
            &rebuilt,
            opts,
        )
        .expect("next");
        assert_eq!(out.changed, ["a.svg"], "{:?}", out.skipped);
        let m = Manifest::load(&manifest);
        assert_eq!(m.files["a.svg"].sha256, manifest::sha256(b"newer"));
        assert_eq!(m.files["a.svg"].pending, None);
        // A removal recorded but not done is undone; one done is remembered for publish.
        let mut m = Manifest::load(&manifest);
        m.removed.insert("a.svg".into(), manifest::sha256(b"newer"));
        m.reconcile(&content);
        assert!(m.removed.is_empty() && m.files.contains_key("a.svg"));
        m.removed.insert("a.svg".into(), manifest::sha256(b"newer"));
        std::fs::remove_file(content.join("a.svg")).expect("removed");
        m.reconcile(&content);
        assert!(m.removed.contains_key("a.svg") && !m.files.contains_key("a.svg"));
    }

    #[test]
    fn dry_run_touches_nothing_and_writes_are_world_readable() {
        let dir = tempfile::tempdir().expect("dir");
        let content = dir.path().join("content");
        let manifest = dir.path().join("m.json");
        let files = [file("x/y.md", "hello", "P")];
        let dry = WriteOptions {
            dry_run: true,
            ..WriteOptions::default()
        };
        let out = apply(&content, &manifest, &files, &BTreeSet::new(), dry).expect("dry");
        assert_eq!(out.created, ["x/y.md"]);
        assert!(!content.exists() && !manifest.exists());
        apply(
            &content,
            &manifest,
            &files,
            &BTreeSet::new(),
            WriteOptions::default(),
        )
        .expect("real");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(content.join("x/y.md"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o644);
        }
        let leftovers: Vec<_> = std::fs::read_dir(content.join("x"))
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".sparky-"))
            .collect();
        assert!(leftovers.is_empty(), "no temp files left behind");
    }
}

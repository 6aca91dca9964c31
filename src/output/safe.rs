//! Where Sparky may write inside an output folder: never through a symlinked folder that leads
//! outside it, and never leaving the temporary files of a killed run behind.

use std::path::{Path, PathBuf};

/// The prefix of every temporary file [`super::write_atomically`] creates.
pub const TEMP_PREFIX: &str = ".sparky-";

/// The file `rel` names under `root`, or why Sparky must not touch it: a folder on the way is
/// a symlink that resolves outside `root` (or cannot be resolved).
pub fn target(root: &Path, rel: &str) -> Result<PathBuf, &'static str> {
    let parts: Vec<&str> = rel.split('/').collect();
    let mut at = root.to_path_buf();
    let mut canonical_root: Option<PathBuf> = None;
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            break; // Nothing there yet: it will be created as a real folder.
        };
        if meta.file_type().is_symlink() {
            let root_real = match &canonical_root {
                Some(r) => r.clone(),
                None => {
                    let r = std::fs::canonicalize(root).map_err(|_| UNRESOLVED)?;
                    canonical_root = Some(r.clone());
                    r
                }
            };
            let real = std::fs::canonicalize(&at).map_err(|_| UNRESOLVED)?;
            if !real.starts_with(&root_real) {
                return Err(OUTSIDE);
            }
        }
    }
    Ok(root.join(rel))
}

const OUTSIDE: &str =
    "a folder on its path is a symlink leading outside the output folder: left alone";
const UNRESOLVED: &str = "a folder on its path is a symlink that cannot be resolved: left alone";

/// Removes the temporary files (`.sparky-*`) a killed run left in `root`, without following
/// symlinks. Returns how many were removed. Only call it while holding the folder's lock.
pub fn sweep_temp_files(root: &Path) -> usize {
    sweep(
        root,
        |name, is_dir| !is_dir && name.starts_with(TEMP_PREFIX),
        &[],
    )
}

/// Removes the temporary files and folders a killed run left in the cache folder (atomic
/// writes in progress: `.tmp*`, `.sparky-*`, `.entry.*.tmp`, half-made demo repositories `.demo-*`),
/// leaving the mirrors, which clean up their own. Only call it while holding the cache lock.
pub fn sweep_cache_temp_files(cache_dir: &Path) -> usize {
    let is_temp = |name: &str, is_dir: bool| {
        if is_dir {
            name.starts_with(".demo-")
        } else {
            name.starts_with(".tmp")
                || name.starts_with(TEMP_PREFIX)
                || (name.starts_with(".entry.") && name.ends_with(".tmp"))
        }
    };
    let mut removed = sweep(cache_dir, is_temp, &["mirrors"]);
    // Inside each mirror: the pack a killed fetch was writing, and the lock files git and gix
    // hold while updating refs (nothing else writes Sparky's mirrors while the lock is held).
    let mirrors = std::fs::read_dir(cache_dir.join("mirrors"))
        .into_iter()
        .flatten();
    for mirror in mirrors.filter_map(Result::ok).map(|e| e.path()) {
        let pack = mirror.join("objects").join("pack");
        removed += sweep(
            &pack,
            |name, is_dir| !is_dir && name.starts_with(".tmp"),
            &[],
        );
        removed += sweep(
            &mirror,
            |name, is_dir| !is_dir && name.ends_with(".lock"),
            &["objects"],
        );
    }
    removed
}

fn sweep(root: &Path, is_temp: impl Fn(&str, bool) -> bool, skip: &[&str]) -> usize {
    let mut removed = 0;
    let mut walk = walkdir::WalkDir::new(root).follow_links(false).into_iter();
    while let Some(Ok(entry)) = walk.next() {
        let name = entry.file_name().to_string_lossy();
        let is_dir = entry.file_type().is_dir();
        if entry.depth() == 1 && is_dir && skip.contains(&name.as_ref()) {
            walk.skip_current_dir();
            continue;
        }
        if entry.depth() == 0 || !is_temp(&name, is_dir) {
            continue;
        }
        let gone = if is_dir {
            walk.skip_current_dir();
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        };
        if gone.is_ok() {
            tracing::debug!(path = %entry.path().display(), "removed a temporary file left by an earlier run");
            removed += 1;
        }
    }
    removed
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn symlinked_folders_leading_outside_are_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path().join("content");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("real")).expect("mkdir");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::os::unix::fs::symlink(&outside, root.join("blog")).expect("link");
        std::os::unix::fs::symlink(root.join("real"), root.join("inner")).expect("link");
        assert_eq!(target(&root, "blog/a.md"), Err(OUTSIDE));
        assert!(target(&root, "inner/a.md").is_ok(), "a link inside is fine");
        assert!(target(&root, "new/deeper/a.md").is_ok());
        assert!(target(&root, "a.md").is_ok());
    }

    #[test]
    fn sweeping_removes_only_sparky_temp_files() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir_all(dir.path().join("x")).expect("mkdir");
        std::fs::write(dir.path().join("x/.sparky-abc"), "half").expect("write");
        std::fs::write(dir.path().join("x/page.md"), "page").expect("write");
        std::fs::write(dir.path().join(".hidden"), "h").expect("write");
        assert_eq!(sweep_temp_files(dir.path()), 1);
        assert!(dir.path().join("x/page.md").exists() && dir.path().join(".hidden").exists());
    }

    #[test]
    fn the_cache_sweep_leaves_mirrors_and_real_files() {
        let dir = tempfile::tempdir().expect("dir");
        let d = dir.path();
        for sub in ["history", "mirrors/a.git", "demo/.demo-x1/objects", "forge"] {
            std::fs::create_dir_all(d.join(sub)).expect("mkdir");
        }
        for file in [
            "history/.tmpAb12",
            "history/a.bin",
            "mirrors/a.git/.tmpKeep",
            "forge/.entry.x.tmp",
            "forge/k.json",
        ] {
            std::fs::write(d.join(file), "x").expect("write");
        }
        assert_eq!(sweep_cache_temp_files(d), 3);
        assert!(d.join("history/a.bin").exists() && d.join("forge/k.json").exists());
        assert!(
            d.join("mirrors/a.git/.tmpKeep").exists(),
            "mirrors are not swept here"
        );
        assert!(!d.join("demo/.demo-x1").exists());
    }
}

//! The manifest: which files in a content folder Sparky wrote, with the hash of the bytes it
//! wrote, so it only ever prunes or overwrites its own, unedited files (and `sparky publish`
//! commits only those). Kept in the cache folder, with paths relative to the content folder,
//! named after the content folder's path relative to the config's folder: a cache restored on
//! another machine, or a project folder moved elsewhere, finds its manifest again.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bumped when the manifest's meaning changes; an unknown version is ignored (nothing is then
/// considered Sparky's, so nothing is overwritten or pruned without `--force`).
pub const MANIFEST_VERSION: u32 = 1;

/// What a written file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Report,
    Index,
    Facts,
    Chart,
    /// Social-media drafts (kept in their own folder, outside the content folder).
    Social,
}

/// One file Sparky owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// SHA-256 of the bytes Sparky last wrote.
    pub sha256: String,
    pub role: Role,
    /// The window label the file belongs to (`2025-W46`), absent for index pages.
    pub period: Option<String>,
    /// For reports: what index pages list.
    pub listing: Option<Listing>,
    /// SHA-256 of the bytes Sparky was about to write when it saved this manifest (a write in
    /// flight, recorded before the write): the file is Sparky's if it holds either hash.
    /// [`Manifest::reconcile`] settles it against the disk at the start of the next run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
}

/// How an index page lists a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// `day`, `week` or `month`.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// `YYYY-MM-DD`: the last day of the period.
    pub date: String,
}

/// Files by path relative to the content folder (with `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub files: BTreeMap<String, Entry>,
    /// Files Sparky removed (a period rebuilt without them), with the SHA-256 of the bytes it
    /// had written: `sparky publish` deletes them from the docs repository too, but only where
    /// the committed file still holds exactly those bytes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub removed: BTreeMap<String, String>,
}

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest file for a content folder: one per content folder, so a cache can serve several
/// sites, named by a hash of the content folder's path relative to `base_dir` (the config file's
/// folder). Relative, so the same project in another folder or on another machine (a CI cache)
/// finds the same manifest.
pub fn path_for(cache_dir: &Path, base_dir: &Path, content_dir: &Path) -> PathBuf {
    let key = sha256(relative_key(base_dir, content_dir).as_bytes());
    cache_dir
        .join("output")
        .join(format!("{}.json", &key[..16]))
}

/// Like [`path_for`], moving a manifest written by an older Sparky (named by the hash of the
/// absolute content path) to its portable name first.
pub fn locate(cache_dir: &Path, base_dir: &Path, content_dir: &Path) -> PathBuf {
    let path = path_for(cache_dir, base_dir, content_dir);
    if !path.exists() {
        let legacy_key = sha256(content_dir.to_string_lossy().as_bytes());
        let legacy = cache_dir
            .join("output")
            .join(format!("{}.json", &legacy_key[..16]));
        if legacy.is_file() && std::fs::rename(&legacy, &path).is_ok() {
            tracing::debug!(from = %legacy.display(), to = %path.display(), "moved the output manifest to its portable name");
        }
    }
    path
}

/// `path` relative to `base`, lexically (`.` and `..` resolved without touching the disk),
/// with `/` separators: `content`, `site/content`, `../site/content`.
fn relative_key(base: &Path, path: &Path) -> String {
    let base = normalize(base);
    let path = normalize(path);
    let common = base
        .iter()
        .zip(path.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(path[common..].iter().cloned());
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

fn normalize(path: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if out.last().is_some_and(|last| last != "..") {
                    out.pop();
                } else {
                    out.push("..".to_string());
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                out.clear();
                out.push(c.as_os_str().to_string_lossy().into_owned());
            }
            Component::Normal(n) => out.push(n.to_string_lossy().into_owned()),
        }
    }
    out
}

impl Manifest {
    /// A manifest that owns nothing.
    pub fn empty() -> Manifest {
        Manifest {
            version: MANIFEST_VERSION,
            files: BTreeMap::new(),
            removed: BTreeMap::new(),
        }
    }

    /// Loads the manifest, or an empty one when there is none or it cannot be read.
    pub fn load(path: &Path) -> Manifest {
        match std::fs::read(path) {
            Ok(bytes) => Manifest::parse(&bytes, path),
            Err(_) => Manifest::empty(),
        }
    }

    /// The manifest in `bytes` (read from `path`, named in warnings), or an empty one when it
    /// cannot be read.
    pub fn parse(bytes: &[u8], path: &Path) -> Manifest {
        match serde_json::from_slice::<Manifest>(bytes) {
            Ok(m) if m.version == MANIFEST_VERSION => m.confined(path),
            _ => {
                tracing::warn!(
                    "ignoring the unreadable or foreign output manifest `{}`: files already in the content folder are treated as not Sparky's",
                    path.display()
                );
                Manifest::empty()
            }
        }
    }

    /// Drops every entry whose path is not a plain relative path inside the folder (absolute,
    /// `..`, `.`, empty or backslashed components): the manifest lives in a cache that CI
    /// restores from elsewhere, so it is untrusted input and must never name a file outside.
    fn confined(mut self, path: &Path) -> Manifest {
        let mut dropped = Vec::new();
        self.files.retain(|rel, _| {
            let ok = is_confined(rel);
            if !ok {
                dropped.push(rel.clone());
            }
            ok
        });
        self.removed.retain(|rel, _| {
            let ok = is_confined(rel);
            if !ok {
                dropped.push(rel.clone());
            }
            ok
        });
        for rel in dropped {
            tracing::warn!(
                "ignoring `{rel}` in the output manifest `{}`: not a relative path inside the folder",
                path.display()
            );
        }
        self
    }

    /// Settles what a run that stopped part-way (killed, disk full, permission denied) left
    /// behind, so the manifest matches the disk under `root`: a write in flight whose bytes
    /// reached the disk is Sparky's; one that did not is forgotten when the file is missing;
    /// a removal in flight is done when the file is gone and undone when it is still there.
    pub fn reconcile(&mut self, root: &Path) {
        let mut missing = Vec::new();
        for (rel, entry) in &mut self.files {
            let Some(pending) = entry.pending.take() else {
                continue;
            };
            match std::fs::read(root.join(rel)) {
                Ok(bytes) if sha256(&bytes) == pending => entry.sha256 = pending,
                Ok(_) => {}
                Err(_) => missing.push(rel.clone()),
            }
        }
        for rel in missing {
            self.files.remove(&rel);
        }
        let in_flight: Vec<String> = self
            .removed
            .keys()
            .filter(|rel| self.files.contains_key(*rel))
            .cloned()
            .collect();
        for rel in in_flight {
            if root.join(&rel).exists() {
                self.removed.remove(&rel);
            } else {
                self.files.remove(&rel);
            }
        }
    }

    /// Records that every write and removal in flight happened (no file is read: the caller
    /// saw each one succeed).
    pub fn settle(&mut self) {
        for entry in self.files.values_mut() {
            if let Some(pending) = entry.pending.take() {
                entry.sha256 = pending;
            }
        }
        let removed: Vec<String> = self
            .removed
            .keys()
            .filter(|rel| self.files.contains_key(*rel))
            .cloned()
            .collect();
        for rel in removed {
            self.files.remove(&rel);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// Whether `rel` is a normalised relative path with `/` separators that stays inside the folder
/// it is relative to: no absolute path, drive, `..`, `.`, empty component or backslash.
pub fn is_confined(rel: &str) -> bool {
    let drive = rel.len() >= 2 && rel.as_bytes()[1] == b':';
    !(rel.is_empty() || rel.contains('\\') || rel.contains('\0') || drive)
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_confined() {
        for ok in ["a.md", "blog/weekly/2025-W46.md", "x/.sparky-y", "a..b/c"] {
            assert!(is_confined(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../sparky.toml",
            "a/../../b",
            "./a",
            "a//b",
            "a/",
            "C:/x",
            "a\\..\\b",
            "a/./b",
        ] {
            assert!(!is_confined(bad), "{bad}");
        }
    }

    #[test]
    fn a_tampered_manifest_loses_its_escaping_entries() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("m.json");
        let entry =
            serde_json::json!({"sha256": "00", "role": "report", "period": "P", "listing": null});
        let text = serde_json::json!({
            "version": MANIFEST_VERSION,
            "files": {"/etc/passwd": entry, "../sparky.toml": entry, "blog/a.md": entry},
            "removed": {"../../x": "00", "blog/b.md": "00"},
        });
        std::fs::write(&path, text.to_string()).expect("write");
        let m = Manifest::load(&path);
        assert_eq!(m.files.keys().collect::<Vec<_>>(), ["blog/a.md"]);
        assert_eq!(m.removed.keys().collect::<Vec<_>>(), ["blog/b.md"]);
    }

    #[test]
    fn the_manifest_name_depends_on_the_relative_content_path_only() {
        let a = path_for(
            Path::new("/c"),
            Path::new("/home/me/docs"),
            Path::new("/home/me/docs/content"),
        );
        let b = path_for(
            Path::new("/c"),
            Path::new("/runner/work/docs"),
            Path::new("/runner/work/docs/./content"),
        );
        assert_eq!(a, b);
        let other = path_for(
            Path::new("/c"),
            Path::new("/home/me/docs"),
            Path::new("/home/me/docs/site"),
        );
        assert_ne!(a, other);
    }

    #[test]
    fn a_manifest_named_by_the_absolute_path_is_moved_to_its_portable_name() {
        let cache = tempfile::tempdir().expect("cache");
        let (base, content) = (Path::new("/srv/docs"), Path::new("/srv/docs/content"));
        let legacy_key = sha256(content.to_string_lossy().as_bytes());
        let legacy = cache
            .path()
            .join("output")
            .join(format!("{}.json", &legacy_key[..16]));
        std::fs::create_dir_all(legacy.parent().expect("parent")).expect("mkdir");
        std::fs::write(&legacy, "{}").expect("write");
        let path = locate(cache.path(), base, content);
        assert_eq!(path, path_for(cache.path(), base, content));
        assert!(path.exists() && !legacy.exists());
    }

    #[test]
    fn relative_keys() {
        let key = |b: &str, p: &str| relative_key(Path::new(b), Path::new(p));
        assert_eq!(key("/a/b", "/a/b/content"), "content");
        assert_eq!(key("/a/b", "/a/b/x/../content"), "content");
        assert_eq!(key("/a/b", "/a/site/content"), "../site/content");
        assert_eq!(key("/a/b", "/a/b"), ".");
        assert_eq!(key("/a/b", "/a/b/../b/content"), "content");
    }
}

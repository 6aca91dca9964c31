//! The manifest: which files in a content folder Sparky wrote, with the hash of the bytes it
//! wrote, so it only ever prunes or overwrites its own, unedited files. Kept in the cache folder,
//! with paths relative to the content folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
}

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest file for a content folder: one per content folder, named by a hash of its path
/// so a cache can serve several sites.
pub fn path_for(cache_dir: &Path, content_dir: &Path) -> PathBuf {
    let key = sha256(content_dir.to_string_lossy().as_bytes());
    cache_dir
        .join("output")
        .join(format!("{}.json", &key[..16]))
}

impl Manifest {
    /// Loads the manifest, or an empty one when there is none or it cannot be read.
    pub fn load(path: &Path) -> Manifest {
        let Ok(bytes) = std::fs::read(path) else {
            return Manifest {
                version: MANIFEST_VERSION,
                files: BTreeMap::new(),
            };
        };
        match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(m) if m.version == MANIFEST_VERSION => m,
            _ => {
                tracing::warn!(
                    "ignoring the unreadable or foreign output manifest `{}`: files already in the content folder are treated as not Sparky's",
                    path.display()
                );
                Manifest {
                    version: MANIFEST_VERSION,
                    files: BTreeMap::new(),
                }
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

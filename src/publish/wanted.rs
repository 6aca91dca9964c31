//! Wanted: what Sparky wants the docs repository to hold, read from the output manifest and the
//! work tree. Only files whose bytes are exactly what Sparky wrote are Sparky's to commit; a file
//! edited since is left out, whoever edited it.

use std::collections::BTreeMap;
use std::path::Path;

use super::PublishError;
use crate::output::manifest::{self, Manifest, Role};

/// What Sparky wants at one path of the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Want {
    /// These bytes (the file as Sparky wrote it).
    Write { bytes: Vec<u8>, file: FileInfo },
    /// No file, where the committed one still holds the bytes with this SHA-256.
    Delete { sha256: String },
}

/// What the commit message says about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileInfo {
    pub role: Role,
    /// A report's title.
    pub title: Option<String>,
}

/// Everything Sparky owns, by path relative to the repository's work tree (with `/`).
#[derive(Debug, Default)]
pub(crate) struct Wanted {
    pub files: BTreeMap<String, Want>,
    /// Files Sparky wrote that were edited since, with why they are left out.
    pub left_out: Vec<(String, &'static str)>,
}

/// Reads what Sparky owns under `content_dir` (which is `content_rel` inside the work tree).
pub(crate) fn collect(
    manifest: &Manifest,
    content_dir: &Path,
    content_rel: &str,
) -> Result<Wanted, PublishError> {
    let in_repo = |rel: &str| {
        if content_rel.is_empty() {
            rel.to_string()
        } else {
            format!("{content_rel}/{rel}")
        }
    };
    let mut wanted = Wanted::default();
    for (rel, entry) in &manifest.files {
        let path = content_dir.join(rel);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                wanted
                    .left_out
                    .push((in_repo(rel), "deleted since Sparky wrote it"));
                continue;
            }
            Err(source) => return Err(PublishError::Read { path, source }),
        };
        if manifest::sha256(&bytes) != entry.sha256 {
            wanted
                .left_out
                .push((in_repo(rel), "edited since Sparky wrote it"));
            continue;
        }
        let file = FileInfo {
            role: entry.role,
            title: entry.listing.as_ref().map(|l| l.title.clone()),
        };
        wanted
            .files
            .insert(in_repo(rel), Want::Write { bytes, file });
    }
    for (rel, sha256) in &manifest.removed {
        if manifest.files.contains_key(rel) || content_dir.join(rel).exists() {
            continue;
        }
        let sha256 = sha256.clone();
        wanted.files.insert(in_repo(rel), Want::Delete { sha256 });
    }
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::manifest::{Entry, Listing};

    fn entry(bytes: &str, role: Role) -> Entry {
        Entry {
            sha256: manifest::sha256(bytes.as_bytes()),
            role,
            period: Some("2025-W46".into()),
            listing: (role == Role::Report).then(|| Listing {
                kind: "week".into(),
                title: "Week 46".into(),
                description: String::new(),
                date: "2025-11-16".into(),
            }),
            pending: None,
        }
    }

    #[test]
    fn only_unedited_files_and_removals_are_wanted() {
        let dir = tempfile::tempdir().expect("dir");
        let content = dir.path();
        std::fs::write(content.join("a.md"), "a").expect("write");
        std::fs::write(content.join("b.json"), "edited").expect("write");
        let mut m = Manifest::empty();
        m.files.insert("a.md".into(), entry("a", Role::Report));
        m.files.insert("b.json".into(), entry("b", Role::Facts));
        m.files.insert("gone.svg".into(), entry("c", Role::Chart));
        m.removed.insert("old.svg".into(), manifest::sha256(b"old"));
        let w = collect(&m, content, "content").expect("collect");
        let keys: Vec<&str> = w.files.keys().map(String::as_str).collect();
        assert_eq!(keys, ["content/a.md", "content/old.svg"]);
        let Some(Want::Write { file, .. }) = w.files.get("content/a.md") else {
            panic!("a.md is written")
        };
        assert_eq!(file.title.as_deref(), Some("Week 46"));
        assert_eq!(
            w.left_out,
            [
                ("content/b.json".to_string(), "edited since Sparky wrote it"),
                (
                    "content/gone.svg".to_string(),
                    "deleted since Sparky wrote it"
                )
            ]
        );
    }
}

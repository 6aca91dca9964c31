//! The content folder as Quartz sees it: every file under it, for resolving links, and the
//! Markdown pages to check.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::error::CheckError;

/// Every file of a content folder, by path relative to it with `/` separators. Hidden files and
/// folders (`.obsidian`, `.git`…) and `node_modules` are left out, as Quartz leaves them out.
pub(super) struct Site {
    pub root: PathBuf,
    pub files: BTreeSet<String>,
}

impl Site {
    pub fn scan(root: &Path) -> Result<Site, CheckError> {
        if !root.is_dir() {
            return Err(CheckError::NoContent {
                path: root.to_path_buf(),
            });
        }
        let mut files = BTreeSet::new();
        let walk = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || {
                    let name = e.file_name().to_string_lossy();
                    !name.starts_with('.') && name != "node_modules"
                }
            });
        for entry in walk {
            let entry = entry.map_err(|source| CheckError::Walk {
                path: root.to_path_buf(),
                source,
            })?;
            if !entry.path().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(rel.join("/"));
        }
        Ok(Site {
            root: root.to_path_buf(),
            files,
        })
    }

    /// The Markdown files, sorted.
    pub fn markdown(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .map(String::as_str)
            .filter(|f| f.ends_with(".md"))
    }

    pub fn has(&self, rel: &str) -> bool {
        self.files.contains(rel)
    }

    pub fn read(&self, rel: &str) -> Result<Vec<u8>, CheckError> {
        let path = self.root.join(rel);
        std::fs::read(&path).map_err(|source| CheckError::Read { path, source })
    }

    /// Whether a page or file `target` (relative to the content root, no `.md`) exists: the
    /// page `target.md`, a folder page `target/index.md`, or the file `target` itself.
    pub fn resolves(&self, target: &str) -> bool {
        let target = target.trim_end_matches('/');
        if target.is_empty() {
            return self.has("index.md");
        }
        self.has(&format!("{target}.md"))
            || self.has(&format!("{target}/index.md"))
            || self.has(target)
    }
}

/// `rel` joined onto the folder `dir` (both relative, `/` separators), with `.` and `..`
/// resolved; `None` when it climbs out of the content folder.
pub(super) fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths_inside_the_content_folder() {
        assert_eq!(
            join("blog/2025/11", "a.json").as_deref(),
            Some("blog/2025/11/a.json")
        );
        assert_eq!(
            join("blog/2025/11", "../10/b.svg").as_deref(),
            Some("blog/2025/10/b.svg")
        );
        assert_eq!(join("blog/2025", "/x/y.md").as_deref(), Some("x/y.md"));
        assert_eq!(join("blog", "../../etc/passwd"), None);
    }
}

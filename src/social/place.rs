//! Where the drafts go: a folder beside the Quartz content folder, never inside it. Quartz
//! publishes every Markdown file under `content/` as a page (and copies every other file as an
//! asset), so drafts there would go live before anyone reviewed them.

use std::path::{Component, Path, PathBuf};

/// The social folder is inside the content folder.
#[derive(Debug, thiserror::Error)]
#[error("the social drafts folder `{}` is inside the content folder `{}`", dir.display(), content.display())]
pub struct InsideContent {
    pub dir: PathBuf,
    pub content: PathBuf,
}

impl InsideContent {
    pub fn hint(&self) -> String {
        "Quartz would publish the drafts as pages: set `[social] dir` to a folder beside the \
         content folder (the default is `social`), or `[social] enabled = false`"
            .to_string()
    }
}

/// The drafts folder for a content folder named on the command line (`--out DIR`): the
/// configured `[social] dir` when it is not the default, otherwise `social` beside `content`, so
/// drafts follow the content instead of landing in the current folder.
pub fn beside_out(content: &Path, configured: &Path, resolved: PathBuf) -> PathBuf {
    if configured != Path::new(crate::config::DEFAULT_SOCIAL_DIR) {
        return resolved;
    }
    let content = lexical(content);
    content.parent().map_or(resolved, |parent| {
        parent.join(crate::config::DEFAULT_SOCIAL_DIR)
    })
}

/// `path` made absolute (against the current folder) with `.` and `..` resolved by name, not
/// through the file system (the folders may not exist yet).
pub fn lexical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Refuses a social folder inside (or equal to) the content folder.
pub fn check(dir: &Path, content: &Path) -> Result<(), InsideContent> {
    if lexical(dir).starts_with(lexical(content)) {
        return Err(InsideContent {
            dir: dir.to_path_buf(),
            content: content.to_path_buf(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_must_be_outside_the_content_folder() {
        let base = Path::new("/site");
        assert!(check(&base.join("social"), &base.join("content")).is_ok());
        assert!(check(&base.join("content/social"), &base.join("content")).is_err());
        assert!(check(&base.join("content"), &base.join("content")).is_err());
        assert!(check(&base.join("x/../content/./d"), &base.join("content")).is_err());
        assert!(check(&base.join("content-social"), &base.join("content")).is_ok());
    }
}

//! Errors that stop `sparky check` before it can judge any page (problems in pages are findings).

use std::path::PathBuf;

/// The content folder cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("the content folder `{}` does not exist", path.display())]
    NoContent { path: PathBuf },
    #[error("failed to list the content folder `{}`", path.display())]
    Walk {
        path: PathBuf,
        #[source]
        source: walkdir::Error,
    },
    #[error("failed to read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl CheckError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            CheckError::NoContent { .. } => Some(
                "name the Quartz content folder with --content DIR, or run `sparky build` first"
                    .into(),
            ),
            _ => None,
        }
    }
}

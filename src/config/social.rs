//! `[social]`: the social-media drafts `sparky build` writes beside each report.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A platform drafts are written for (defined with the drafts).
pub use crate::social::Platform as SocialPlatform;

/// `[social]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialSection {
    /// Whether `sparky build` writes drafts for each report it writes.
    pub enabled: bool,
    /// Where the drafts go, relative to the config file's folder; never inside `content_dir`
    /// (Quartz would publish them).
    pub dir: PathBuf,
    /// Hashtags added to every draft, written with or without `#`.
    pub hashtags: Vec<String>,
    /// The character limit of the Mastodon instance posted to.
    pub mastodon_limit: usize,
    /// Which platforms to draft for.
    pub platforms: Vec<SocialPlatform>,
}

impl Default for SocialSection {
    fn default() -> Self {
        SocialSection {
            enabled: true,
            dir: PathBuf::from("social"),
            hashtags: Vec::new(),
            mastodon_limit: crate::social::platform::MASTODON_DEFAULT_LIMIT,
            platforms: crate::social::platform::ALL.to_vec(),
        }
    }
}

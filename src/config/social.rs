//! `[social]`: the social-media drafts `sparky build` writes beside each report.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::model::Config;
use super::parse::Seg;
use super::validate::{Checker, key};

/// The drafts folder when `[social] dir` is not set, beside the content folder.
pub const DEFAULT_SOCIAL_DIR: &str = "social";

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
            dir: PathBuf::from(DEFAULT_SOCIAL_DIR),
            hashtags: Vec::new(),
            mastodon_limit: crate::social::platform::MASTODON_DEFAULT_LIMIT,
            platforms: crate::social::platform::ALL.to_vec(),
        }
    }
}

/// Longest `[output] site_url` that social drafts accept: a link must fit in one post on every
/// platform, and Bluesky counts it in full.
pub const MAX_SITE_URL_CHARS: usize = 200;

/// Checks `[social]` (and the site URL drafts link to), each error pointing at the value.
pub(super) fn validate(c: &Checker<'_>, config: &Config) -> Result<(), ConfigError> {
    let s = &config.social;
    let invalid = |path: &[Seg], k: &str, found: String, hint: String| ConfigError::InvalidValue {
        at: c.at(path),
        key: k.to_string(),
        section: "[social]".to_string(),
        found,
        hint,
    };
    c.not_empty(
        &[key("social"), key("dir")],
        "dir",
        &s.dir.to_string_lossy(),
    )?;
    let dir = crate::social::lexical(&c.base_dir.join(&s.dir));
    let content = crate::social::lexical(&c.base_dir.join(&config.output.content_dir));
    if dir.starts_with(&content) {
        let hint = format!(
            "Quartz publishes everything under `{}`: put the drafts beside it, e.g. `dir = \"social\"`",
            config.output.content_dir.display()
        );
        let found = format!("`{}`", s.dir.display());
        return Err(invalid(&[key("social"), key("dir")], "dir", found, hint));
    }
    if s.hashtags.len() > 10 {
        let hint = "at most 10 hashtags".to_string();
        let found = format!("{} hashtags", s.hashtags.len());
        return Err(invalid(
            &[key("social"), key("hashtags")],
            "hashtags",
            found,
            hint,
        ));
    }
    for (i, tag) in s.hashtags.iter().enumerate() {
        if let Err(why) = crate::social::sanitize::hashtag(tag) {
            let path = [key("social"), key("hashtags"), Seg::Index(i)];
            let hint = format!("{why}, e.g. \"buildinpublic\"");
            return Err(invalid(&path, "hashtags", format!("{tag:?}"), hint));
        }
    }
    if !(200..=100_000).contains(&s.mastodon_limit) {
        let hint = "your instance's limit, from 200 to 100000 (500 on most instances)".to_string();
        let found = s.mastodon_limit.to_string();
        let path = [key("social"), key("mastodon_limit")];
        return Err(invalid(&path, "mastodon_limit", found, hint));
    }
    if s.platforms.is_empty() {
        let hint = "list at least one of \"x\", \"bluesky\", \"mastodon\", \"linkedin\", or set `enabled = false`".to_string();
        return Err(invalid(
            &[key("social"), key("platforms")],
            "platforms",
            "[]".into(),
            hint,
        ));
    }
    if let Some(url) = &config.output.site_url {
        // Characters every platform keeps inside a detected link, so the link stays whole.
        let safe = url
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-._~/:%+".contains(ch));
        if !safe || url.chars().count() > MAX_SITE_URL_CHARS || !public_host(url) {
            return Err(ConfigError::InvalidValue {
                at: c.at(&[key("output"), key("site_url")]),
                key: "site_url".to_string(),
                section: "[output]".to_string(),
                found: format!("{url:?}"),
                hint: "a public address (a domain with a top-level domain, so X and Mastodon \
                       recognise the link) of at most 200 characters of letters, digits and \
                       `-._~/:%+` (percent-encode others), e.g. \"https://acme.github.io/docs\""
                    .to_string(),
            });
        }
    }
    Ok(())
}

/// Whether the URL's host is a domain ending in a top-level domain of letters (`acme.dev`), as
/// X and Mastodon need to recognise the link (and count it as 23); `localhost` or an IP address
/// would be counted character by character there.
fn public_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    match host.rsplit_once('.') {
        Some((name, tld)) => {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

//! The on-disk HTTP cache: one JSON file per URL under `<cache>/github/http/`, written
//! atomically, holding a response body with its ETag and next-page link. Never a token: tokens
//! travel in request headers, which are not stored, and API URLs carry none.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::ForgeError;

/// One cached response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The URL it answers (checked on read, so a hash collision is a miss).
    pub url: String,
    pub etag: Option<String>,
    /// The `rel="next"` link, so a `304` can continue the pagination.
    pub next: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache under `cache_dir` (`.sparky/` by default).
    pub fn new(cache_dir: &Path) -> Self {
        Cache {
            dir: cache_dir.join("github").join("http"),
        }
    }

    /// The cached response for `url`; `None` when there is none or it is unreadable.
    pub fn read(&self, url: &str) -> Option<Entry> {
        let text = std::fs::read_to_string(self.path(url)).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        (entry.url == url).then_some(entry)
    }

    /// Stores `entry`: a temporary file in the same folder, renamed over the old one.
    pub fn write(&self, entry: &Entry) -> Result<(), ForgeError> {
        let path = self.path(&entry.url);
        let fail = |source| ForgeError::Cache {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let mut file = tempfile::Builder::new()
            .prefix(".entry.")
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(fail)?;
        let json = serde_json::to_vec(entry).map_err(|e| fail(e.into()))?;
        file.write_all(&json).map_err(fail)?;
        file.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }

    fn path(&self, url: &str) -> PathBuf {
        self.dir
            .join(format!("{:016x}.json", fnv1a(url.as_bytes())))
    }
}

/// FNV-1a, 64 bits: a stable file name for a URL (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_miss() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(dir.path());
        let url = "https://api.github.com/orgs/acme/repos?per_page=100";
        assert_eq!(cache.read(url), None);
        let entry = Entry {
            url: url.to_string(),
            etag: Some("W/\"abc\"".to_string()),
            next: Some(format!("{url}&page=2")),
            body: "[]".to_string(),
        };
        cache.write(&entry).expect("write");
        cache.write(&entry).expect("overwrite");
        assert_eq!(cache.read(url), Some(entry));
        assert_eq!(cache.read("https://api.github.com/other"), None);
        let files = std::fs::read_dir(dir.path().join("github/http"))
            .expect("list")
            .count();
        assert_eq!(files, 1, "no temporary files left behind");
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}

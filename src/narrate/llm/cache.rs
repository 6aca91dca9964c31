//! The answer cache: one JSON file per request under `<cache>/llm/`, named by a hash of
//! (provider, model, options, messages, format). Same facts, same prompts, same answers: a
//! rebuild sends no request and writes the same bytes. Written atomically; unreadable entries
//! count as misses.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Bumped when the meaning of a cached entry changes.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    version: u32,
    provider: String,
    model: String,
    content: String,
}

/// A folder of cached answers.
pub(super) struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
        }
    }

    /// The key of a request: a hex SHA-256 over its canonical JSON (no secrets in it).
    pub fn key(request: &serde_json::Value) -> String {
        let mut bytes = format!("sparky-llm-cache-v{VERSION}\n").into_bytes();
        bytes.extend(request.to_string().into_bytes());
        crate::output::manifest::sha256(&bytes)
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir
            .join(key.get(..2).unwrap_or("xx"))
            .join(format!("{key}.json"))
    }

    /// The cached answer for `key`, if there is a readable one.
    pub fn get(&self, key: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.path(key)).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        (entry.version == VERSION).then_some(entry.content)
    }

    /// Stores an answer; a failure is logged, never fatal (the next build asks again).
    pub fn put(&self, key: &str, provider: &str, model: &str, content: &str) {
        let path = self.path(key);
        let entry = Entry {
            version: VERSION,
            provider: provider.to_string(),
            model: model.to_string(),
            content: content.to_string(),
        };
        let write = || -> std::io::Result<()> {
            let folder = path.parent().unwrap_or(&self.dir);
            std::fs::create_dir_all(folder)?;
            let mut file = tempfile::NamedTempFile::new_in(folder)?;
            serde_json::to_writer(&mut file, &entry)?;
            file.persist(&path).map_err(|e| e.error)?;
            Ok(())
        };
        if let Err(e) = write() {
            tracing::warn!(
                "failed to cache a model answer in `{}`: {e}",
                path.display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_and_keys_depend_on_every_part() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = Cache::new(dir.path());
        let a = serde_json::json!({"model": "m", "messages": [{"role": "user", "content": "x"}]});
        let b = serde_json::json!({"model": "m", "messages": [{"role": "user", "content": "y"}]});
        let (ka, kb) = (Cache::key(&a), Cache::key(&b));
        assert_ne!(ka, kb);
        assert_eq!(ka, Cache::key(&a.clone()), "stable");
        assert_eq!(cache.get(&ka), None);
        cache.put(&ka, "ollama", "m", "an answer");
        assert_eq!(cache.get(&ka).as_deref(), Some("an answer"));
        let broken = cache.path(&kb);
        std::fs::create_dir_all(broken.parent().expect("parent")).expect("mkdir");
        std::fs::write(&broken, "{not json").expect("write");
        assert_eq!(cache.get(&kb), None, "a broken entry is a miss");
    }
}

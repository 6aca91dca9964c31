//! Test support: a temp-repo builder driven by the `git` CLI and a harness for the `sparky` binary.
#![allow(dead_code)]

pub mod cli;
pub mod github;
pub mod http;
pub mod llm;
pub mod quartz;
pub mod repo;
pub mod truth;

pub use cli::Sparky;
pub use repo::{TestRepo, git_in};

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

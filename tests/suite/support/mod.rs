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

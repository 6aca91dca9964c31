//! Sparky's integration test suite: one binary, one module per area.

mod cli;
mod config;
mod facts_cli;
mod github;
mod github_config;
mod github_failures;
mod history;
mod mirror;
mod scenarios;
mod source;
mod support;

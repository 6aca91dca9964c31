//! Sparky's integration test suite: one binary, one module per area.

mod adoption;
mod build;
mod busy_org;
mod cache;
mod chart;
mod check;
mod cli;
mod config;
mod docs_repo;
mod facts_cli;
mod faults;
mod github;
mod github_config;
mod github_failures;
mod history;
mod history_lines;
mod llm;
mod mirror;
mod pages_quartz;
mod publish;
mod quartz;
mod scenarios;
mod social;
mod social_props;
mod source;
mod support;

//! Sparky's integration test suite: one binary, one module per area.

mod cli;
mod config;
mod facts_cli;
mod history;
mod mirror;
mod quartz;
mod scenarios;
mod source;
mod support;

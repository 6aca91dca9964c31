//! Sparky's integration test suite: one binary, one module per area.

mod build;
mod chart;
mod cli;
mod config;
mod facts_cli;
mod history;
mod llm;
mod mirror;
mod pages_quartz;
mod quartz;
mod scenarios;
mod source;
mod support;

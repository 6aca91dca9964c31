//! Sparky's integration test suite: one binary, one module per area.

mod config;
mod facts_cli;
mod scenarios;
mod source;
mod support;

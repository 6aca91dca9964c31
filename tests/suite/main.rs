//! Sparky's integration test suite: one binary, one module per area.

mod facts_cli;
mod scenarios;
mod support;

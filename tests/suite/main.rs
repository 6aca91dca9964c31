//! Sparky's integration test suite: one binary, one module per area.

mod config;
mod source;
mod support;

//! Sparky's integration test suite: one binary, one module per area.

mod mirror;
mod support;

//! Sparky's integration test suite: one binary, one module per area.

mod history;
mod support;

//! Sparky turns an organisation's git history into facts, and facts into a development blog.
//!
//! The pipeline runs one way, one module per stage:
//! [`source`] (which repositories) → [`mirror`] (bare mirrors) → [`history`] (commits and line
//! counts, cached) → [`window`] + [`identity`] + [`facts`] (what happened in a period), with
//! [`forge`] adding repositories and issue, pull request and release data from GitHub.
//! [`pipeline`] calls the stages in that order; [`cmd`] holds the subcommands that use it.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod exit;
pub mod facts;
pub mod forge;
pub mod history;
pub mod identity;
pub mod logging;
pub mod mirror;
pub mod pipeline;
pub mod settings;
pub mod source;
pub mod window;

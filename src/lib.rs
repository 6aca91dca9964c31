//! Sparky turns an organisation's git history into facts, and facts into a development blog.
//!
//! The pipeline runs one way, one module per stage:
//! [`source`] (which repositories) → [`mirror`] (bare mirrors) → [`history`] (commits and line
//! counts, cached) → [`window`] + [`identity`] + [`facts`] (what happened in a period), with
//! [`forge`] adding repositories and issue, pull request and release data from GitHub.
//! [`plan`] picks the periods; [`narrate`] writes the prose; [`render`] writes what reaches the
//! Quartz site (text safety, front matter, charts), [`output`] puts it in the content folder
//! and [`publish`] commits and pushes it to the docs repository; [`check`] reads a content
//! folder back and validates it against the facts files beside the pages.
//! [`social`] drafts posts about each report for review.
//! [`pipeline`] calls the stages in that order; [`cmd`] holds the subcommands that use it.

pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod demo;
pub mod exit;
pub mod facts;
pub mod forge;
pub mod history;
pub mod identity;
pub mod links;
pub mod lock;
pub mod logging;
pub mod mirror;
pub mod narrate;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod secure;
pub mod settings;
pub mod social;
pub mod source;
pub mod window;

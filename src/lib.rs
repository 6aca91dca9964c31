//! Sparky turns an organisation's git history into facts, and facts into a development blog.
//!
//! The pipeline runs one way: sources → mirror → history → windows/facts → narrative → render.

pub mod history;
pub mod mirror;
pub mod source;

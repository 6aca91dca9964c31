//! History: every commit on a repository's branch, with per-file line counts, read with gix in
//! parallel and cached on disk by commit id.

pub mod model;

pub use model::*;

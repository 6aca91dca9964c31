//! Rendering: how Sparky's pages are written so the Quartz site shows them as intended.
//!
//! [`escape`] makes untrusted text literal in Markdown bodies and front matter; [`frontmatter`]
//! writes the verified-safe front matter and reads it back strictly.

pub mod escape;
pub mod frontmatter;

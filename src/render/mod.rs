//! Rendering: facts into Quartz pages (front matter, Markdown body from Tera templates, a JSON
//! facts file and SVG charts beside each page), safe for untrusted text.

pub mod chart;
pub mod context;
pub mod escape;
mod fit;
pub mod frontmatter;
pub mod index;
pub mod page;
pub mod paths;
mod report_charts;
pub mod templates;
pub mod words;

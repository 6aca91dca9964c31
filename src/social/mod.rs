//! Social-media drafts: for each report, posts for X, Bluesky, Mastodon and LinkedIn to review
//! (Sparky never posts), built from the facts: the headline figures, up to three highlights,
//! the report's public URL and the configured hashtags.
//!
//! The flow: [`content`] (what to say: template sentences, or a [`Writer`]'s) →
//! [`sanitize`] (every word of it defanged and bounded) → [`thread`] (fitted to each
//! [`platform`]'s limit, as a thread when needed) → [`export`] (a versioned JSON file for a
//! posting bot and a Markdown file for people).

pub mod content;
pub mod export;
pub mod place;
pub mod platform;
pub mod sanitize;
pub mod thread;

use serde::{Deserialize, Serialize};

pub use content::{Content, TemplateWriter, Writer};
pub use place::{InsideContent, lexical};
pub use platform::{Platform, Rules};

use crate::facts::OrgFacts;
use crate::window::Window;
use thread::Block;

/// What the drafts of one report need besides its facts.
#[derive(Debug, Clone)]
pub struct Spec {
    pub window: Window,
    pub partial: bool,
    /// The organisation's name (sanitised like any untrusted text).
    pub org_name: String,
    /// The report's page path without `.md` (`blog/2025/11/week-2025-46`).
    pub page: String,
    /// The report's public URL; `None` without `[output] site_url`.
    pub url: Option<String>,
    /// Hashtag slugs, without `#` (see [`sanitize::hashtag`]).
    pub hashtags: Vec<String>,
    /// The platforms to draft for, with their limits.
    pub targets: Vec<(Platform, usize)>,
}

/// The drafts of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drafts {
    pub period: String,
    pub page: String,
    pub url: Option<String>,
    pub hashtags: Vec<String>,
    pub content: Content,
    /// Things the reviewer should know (a missing link, words left out).
    pub notes: Vec<String>,
    pub drafts: Vec<Draft>,
}

/// One platform's draft: one post, or a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub platform: Platform,
    pub limit: usize,
    /// The unit `limit` and each post's `count` are in.
    pub unit: String,
    pub posts: Vec<Post>,
}

/// One post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub text: String,
    /// The length in the platform's unit.
    pub count: usize,
    /// Where the report's link is, if in this post.
    pub link: Option<Span>,
    /// Where each configured hashtag is.
    pub hashtags: Vec<Span>,
}

/// A range of a post's text in UTF-8 bytes (what Bluesky's facets use), with what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub byte_start: usize,
    pub byte_end: usize,
    /// The URL, or the hashtag without `#`.
    pub value: String,
}

/// The URL Quartz serves a page at: the site's URL and the page path without `.md`.
pub fn page_url(site_url: &str, page: &str) -> String {
    format!("{}/{page}", site_url.trim_end_matches('/'))
}

/// Drafts over `facts` with Sparky's template text.
pub fn drafts(facts: &OrgFacts, spec: &Spec) -> Drafts {
    drafts_with(facts, spec, &TemplateWriter)
}

/// Drafts over `facts` with text from `writer` (the template content is what it starts from).
pub fn drafts_with(facts: &OrgFacts, spec: &Spec, writer: &dyn Writer) -> Drafts {
    let template = content::template(facts, &spec.org_name, &spec.window, spec.partial);
    let written = writer.write(facts, template);
    // Kept as posted: sanitised, whoever wrote it (a posting bot must never see raw text).
    let content = Content {
        headline: sanitize::post_text(&written.headline),
        highlights: written
            .highlights
            .iter()
            .take(content::MAX_HIGHLIGHTS)
            .map(|h| sanitize::post_text(h))
            .filter(|h| !h.is_empty())
            .collect(),
        source: sanitize::post_text(&written.source),
    };
    let mut notes = Vec::new();
    if spec.url.is_none() {
        notes.push(
            "no link to the report: set `[output] site_url` in sparky.toml to add one".to_string(),
        );
    }
    let mut targets = spec.targets.clone();
    targets.sort();
    targets.dedup_by_key(|t| t.0);
    let drafts = targets
        .iter()
        .map(|&(platform, limit)| {
            let rules = Rules {
                platform,
                limit,
                link: spec.url.as_deref(),
            };
            let fitted = thread::fit(&blocks(&content, spec, platform), &rules);
            for word in &fitted.dropped {
                let what = if Some(word.as_str()) == spec.url.as_deref() {
                    "the link"
                } else {
                    "a word"
                };
                notes.push(format!(
                    "{}: left out {what}, longer than a post allows",
                    platform.title()
                ));
            }
            Draft {
                platform,
                limit,
                unit: platform.unit().to_string(),
                posts: fitted
                    .posts
                    .into_iter()
                    .map(|text| post(text, &rules, spec))
                    .collect(),
            }
        })
        .collect();
    Drafts {
        period: spec.window.to_string(),
        page: spec.page.clone(),
        url: spec.url.clone(),
        hashtags: spec.hashtags.clone(),
        content,
        notes,
        drafts,
    }
}

/// The blocks of a draft: the headline, each highlight (already sanitised), the link, the
/// hashtags.
fn blocks(content: &Content, spec: &Spec, platform: Platform) -> Vec<Block> {
    let bullet = if platform == Platform::Linkedin {
        "• "
    } else {
        "- "
    };
    let mut out = vec![Block {
        text: content.headline.clone(),
        sep: "\n\n",
    }];
    for (i, h) in content.highlights.iter().enumerate() {
        out.push(Block {
            text: format!("{bullet}{h}"),
            sep: if i == 0 { "\n\n" } else { "\n" },
        });
    }
    if let Some(url) = &spec.url {
        out.push(Block {
            text: format!("Full report: {url}"),
            sep: "\n\n",
        });
    }
    if !spec.hashtags.is_empty() {
        let tags: Vec<String> = spec.hashtags.iter().map(|t| format!("#{t}")).collect();
        out.push(Block {
            text: tags.join(" "),
            sep: "\n\n",
        });
    }
    out
}

fn post(text: String, rules: &Rules<'_>, spec: &Spec) -> Post {
    let link = spec.url.as_ref().and_then(|url| {
        text.find(url.as_str()).map(|at| Span {
            byte_start: at,
            byte_end: at + url.len(),
            value: url.clone(),
        })
    });
    let hashtags = hashtag_spans(&text, &spec.hashtags);
    Post {
        count: rules.count(&text),
        link,
        hashtags,
        text,
    }
}

/// The configured hashtags in `text`, as whole words.
fn hashtag_spans(text: &str, tags: &[String]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for word in text.split_inclusive([' ', '\n']) {
        let bare = word.trim_end_matches([' ', '\n']);
        if let Some(tag) = bare.strip_prefix('#')
            && tags.iter().any(|t| t == tag)
        {
            out.push(Span {
                byte_start: at,
                byte_end: at + bare.len(),
                value: tag.to_string(),
            });
        }
        at += word.len();
    }
    out
}

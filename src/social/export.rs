//! The drafts as files: versioned JSON for a posting bot, Markdown for the people who review
//! them. Both go to the social folder (never the Quartz content folder, which Quartz publishes),
//! beside a path that mirrors the report's: `blog/2025/11/week-2025-46.social.{json,md}`.

use serde::Serialize;

use super::Drafts;
use crate::output::manifest::sha256;
use crate::output::{OutFile, Role};

/// Bumped whenever a key of the JSON file is removed or changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// The front-matter key holding the Markdown file's own hash (the same key as a report's, so a
/// lost manifest still recognises an unedited draft file).
const HASH_KEY: &str = crate::render::page::HASH_KEY;

#[derive(Serialize)]
struct Versioned<'a> {
    schema_version: u32,
    generator: &'a str,
    #[serde(flatten)]
    drafts: &'a Drafts,
}

/// The JSON document (pretty, with a final newline).
pub fn json(drafts: &Drafts, generator: &str) -> Vec<u8> {
    let doc = Versioned {
        schema_version: SCHEMA_VERSION,
        generator,
        drafts,
    };
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The Markdown for review (what `sparky social` prints). Post texts are in fenced code blocks,
/// so they show exactly as they will be posted, untrusted parts included.
pub fn markdown(d: &Drafts) -> String {
    let mut s = format!("# Social drafts for {}\n\n", d.period);
    s.push_str("Drafts to review and post by hand or with a bot; Sparky never posts.\n");
    match &d.url {
        Some(url) => s.push_str(&format!("The report: <{url}>.\n")),
        None => s.push_str(&format!("The report: `{}` (no public URL).\n", d.page)),
    }
    // The source is a model's name at most: shown with anything but name characters dropped.
    let source: String = d
        .content
        .source
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " ._:/-".contains(*c))
        .collect();
    s.push_str(&format!("Text: {}.", source.trim()));
    if !d.hashtags.is_empty() {
        let tags: Vec<String> = d.hashtags.iter().map(|t| format!("`#{t}`")).collect();
        s.push_str(&format!(" Hashtags: {}.", tags.join(" ")));
    }
    s.push('\n');
    for note in &d.notes {
        s.push_str(&format!("\n> Note: {note}\n"));
    }
    for draft in &d.drafts {
        let n = draft.posts.len();
        let shape = match n {
            0 => "nothing fits".to_string(),
            1 => "1 post".to_string(),
            n => format!("a thread of {n} posts"),
        };
        s.push_str(&format!("\n## {}: {shape}\n", draft.platform.title()));
        for (i, post) in draft.posts.iter().enumerate() {
            let which = if n == 1 {
                String::new()
            } else {
                format!("Post {} of {n}: ", i + 1)
            };
            let fence = fence_for(&post.text);
            s.push_str(&format!(
                "\n{which}{} of {} {}.\n\n{fence}text\n{}\n{fence}\n",
                post.count, draft.limit, draft.unit, post.text
            ));
        }
    }
    s
}

/// A backtick fence longer than any run of backticks in `text`.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The Markdown file: [`markdown`] under a small front matter that records the period and the
/// file's hash, so a human edit is detected and kept.
pub fn markdown_file(d: &Drafts) -> String {
    let body = markdown(d);
    let head = |hash: &str| {
        format!(
            "---\nsparky_social: {}\n{HASH_KEY}: \"{hash}\"\n---\n",
            serde_json::Value::String(d.period.clone())
        )
    };
    let unsigned = format!("{}{body}", head(""));
    let hash = sha256(unsigned.as_bytes());
    format!("{}{body}", head(&hash[..32]))
}

/// The two files of a report's drafts, with paths relative to the social folder.
pub fn files(d: &Drafts, generator: &str) -> Vec<OutFile> {
    let file = |ext: &str, bytes: Vec<u8>| OutFile {
        rel: format!("{}.social.{ext}", d.page),
        bytes,
        role: Role::Social,
        period: Some(d.period.clone()),
        listing: None,
    };
    vec![
        file("json", json(d, generator)),
        file("md", markdown_file(d).into_bytes()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_review_file_carries_a_hash_that_detects_edits() {
        let d = Drafts {
            period: "2025-W46".into(),
            page: "blog/2025/11/week-2025-46".into(),
            url: None,
            hashtags: vec![],
            content: crate::social::Content {
                headline: "h".into(),
                highlights: vec![],
                source: "template".into(),
            },
            notes: vec![],
            drafts: vec![],
        };
        let file = markdown_file(&d);
        assert_eq!(crate::render::page::verify_hash(&file), Some(true));
        let edited = file.replace("Sparky never posts", "we post on Mondays");
        assert_eq!(crate::render::page::verify_hash(&edited), Some(false));
    }

    #[test]
    fn fences_outgrow_backtick_runs() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ``` b"), "````");
        assert_eq!(fence_for("`````"), "``````");
    }
}

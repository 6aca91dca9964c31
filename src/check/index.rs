//! Index pages (`sparky_index`): each entry `- [[stem|label]]: summary` agrees with the report it
//! lists (the summary is its description, the label's numbers are its title's), and the other
//! figures on the page are the count of listed reports or figures of the listed reports.

use std::collections::BTreeMap;

use super::allowed::Allowed;
use super::body::NumberRule;
use super::finding::{Kind, Sink};
use super::links::wikilinks;
use super::numbers::{mask, tokens};
use super::page::Page;
use super::text::visible;
use crate::render::escape::neutralize;

/// What an index needs to know of a report it lists.
pub(super) struct Listed {
    pub title: String,
    pub description: String,
}

/// Checks the list items of an index page against the reports they link; returns the rule its
/// numbers are judged by.
pub(super) fn check(
    page: &Page,
    reports: &BTreeMap<String, Option<Listed>>,
    sink: &mut Sink,
) -> NumberRule {
    let mut count = 0;
    let mut skip_lines = Vec::new();
    let mut texts: Vec<&str> = Vec::new();
    if let Some((first, body)) = &page.body {
        for (i, line) in body.lines().enumerate() {
            let Some(rest) = line.strip_prefix("- ").filter(|r| r.starts_with("[[")) else {
                continue;
            };
            let offset = line.len() - rest.len();
            let Some(link) = wikilinks(rest)
                .0
                .into_iter()
                .next()
                .filter(|l| l.start == 0)
            else {
                continue;
            };
            count += 1;
            let stem = link.target.split('#').next().unwrap_or("");
            let Some((stem, listed)) = reports.get_key_value(stem) else {
                continue;
            };
            skip_lines.push(first + i);
            let Some(listed) = listed else {
                // That report's front matter is unreadable: reported on its own page.
                continue;
            };
            texts.extend([
                stem.as_str(),
                listed.title.as_str(),
                listed.description.as_str(),
            ]);
            let label = link.alias.as_deref().unwrap_or("");
            let in_title: Vec<String> = tokens(&listed.title).into_iter().map(|n| n.key).collect();
            for n in tokens(label)
                .into_iter()
                .filter(|n| !in_title.contains(&n.key))
            {
                sink.error(
                    first + i,
                    Kind::Index,
                    format!(
                        "the label of `{stem}` shows `{}`, which its title does not",
                        n.shown
                    ),
                );
            }
            let summary = visible(&line[offset + link.end..]);
            let summary = summary.trim_start_matches(':').trim();
            let expected = neutralize(&listed.description);
            if !summary.is_empty() && summary != expected {
                sink.error(
                    first + i,
                    Kind::Index,
                    format!(
                        "the summary of `{stem}` \"{summary}\" differs from its description \"{expected}\""
                    ),
                );
            }
        }
    }
    let allowed = Allowed::for_index(count, texts.into_iter());
    let source = format!("the {count} listed reports (their count, titles and descriptions)");
    if let Ok(Ok(fm)) = page.front.as_ref().map(|f| f.to_front_matter()) {
        let no_ids = |_: &str| false;
        for n in tokens(&mask(&fm.description, None, &no_ids)) {
            if !allowed.contains(&n) {
                sink.error(
                    page.key_line("description"),
                    Kind::Description,
                    format!(
                        "`{}` in the description is not a figure of {source}",
                        n.shown
                    ),
                );
            }
        }
    }
    NumberRule {
        allowed,
        period_words: None,
        source,
        skip_lines,
    }
}

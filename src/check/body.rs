//! The body of a Sparky page, line by line: no H1, links that resolve, no untrusted markup, and
//! no number the facts do not hold.

use super::allowed::Allowed;
use super::finding::{Kind, Sink};
use super::links;
use super::markup;
use super::numbers::{mask, tokens};
use super::page::Page;
use super::site::Site;
use super::text::visible;

/// How the numbers of a page are judged.
pub(super) struct NumberRule {
    pub allowed: Allowed,
    /// The page's period in words, which is not prose (its day and year are not figures).
    pub period_words: Option<String>,
    /// Where the allowed figures come from, for messages ("week-2025-46.json").
    pub source: String,
    /// Lines whose figures were already compared another way (an index entry's summary).
    pub skip_lines: Vec<usize>,
}

/// Checks every line of the body of `page`.
pub(super) fn check(page: &Page, site: &Site, numbers: Option<&NumberRule>, sink: &mut Sink) {
    let Some((first, body)) = &page.body else {
        return;
    };
    let mut fence: Option<String> = None;
    let mut previous_blank = true;
    for (i, line) in body.lines().enumerate() {
        let number = first + i;
        let indent = line.len() - line.trim_start_matches(' ').len();
        let start = line.trim_start_matches(' ');
        let marker: String = start
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let fence_line = indent < 4
            && marker.len() >= 3
            && marker
                .chars()
                .all(|c| c == marker.chars().next().unwrap_or('`'));
        let in_fence = fence.is_some();
        if fence_line {
            match &fence {
                Some(open) if marker.starts_with(open.as_str()) => fence = None,
                Some(_) => {}
                None => fence = Some(marker.clone()),
            }
        }
        if !in_fence && !fence_line && indent < 4 {
            heading(start, previous_blank, number, sink);
        }
        links::check(line, number, page.folder(), site, sink);
        for problem in markup::check(line, in_fence || fence_line) {
            sink.error(number, Kind::Markup, problem);
        }
        if let Some(rule) = numbers.filter(|r| !r.skip_lines.contains(&number)) {
            unknown_numbers(line, number, rule, sink);
        }
        previous_blank = line.trim().is_empty();
    }
}

/// A level-1 heading: `# Title`, or a line of `=` under a paragraph (setext).
fn heading(start: &str, previous_blank: bool, number: usize, sink: &mut Sink) {
    if start == "#" || start.starts_with("# ") || start.starts_with("#\t") {
        sink.error(
            number,
            Kind::H1,
            "a `# ` heading in the body: Quartz already shows the title as the H1, so it appears twice (use `##`)",
        );
    } else if !previous_blank && !start.is_empty() && start.trim_end().chars().all(|c| c == '=') {
        sink.error(
            number,
            Kind::H1,
            "a line of `=` makes the line above an H1 (setext heading): Quartz already shows the title as the H1",
        );
    }
}

fn unknown_numbers(line: &str, number: usize, rule: &NumberRule, sink: &mut Sink) {
    let is_id = |w: &str| rule.allowed.is_commit_id(w);
    let prose = mask(&visible(line), rule.period_words.as_deref(), &is_id);
    let mut seen: Vec<String> = Vec::new();
    for n in tokens(&prose) {
        if rule.allowed.contains(&n) || seen.contains(&n.shown) {
            continue;
        }
        sink.error(
            number,
            Kind::Number,
            format!("`{}` is not a figure of {}", n.shown, rule.source),
        );
        seen.push(n.shown);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::page::Role;
    use super::*;
    use crate::render::frontmatter::parse;

    fn findings(body: &str) -> Vec<String> {
        let site = Site {
            root: ".".into(),
            files: BTreeSet::from(["blog/index.md".to_string()]),
        };
        let text = format!("---\ntitle: x\n---\n{body}");
        let page = Page {
            rel: "blog/x.md".into(),
            front: parse(&text).map(|(fm, _)| fm),
            body: Some((4, body.to_string())),
            text,
            utf8: true,
            role: Role::Index,
        };
        let mut sink = Sink::new(&page.rel);
        check(&page, &site, None, &mut sink);
        let mut out: Vec<String> = sink
            .findings
            .iter()
            .map(|f| format!("{}:{}", f.line, f.kind))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn h1_in_both_forms_but_not_in_code() {
        assert_eq!(findings("# Title\n\n## Fine\n"), ["4:h1"]);
        assert_eq!(findings("\nTitle\n===\n"), ["6:h1"]);
        assert_eq!(
            findings("\n===\n"),
            Vec::<String>::new(),
            "no paragraph above"
        );
        assert_eq!(
            findings("```\n# not a heading\n<b>x</b>\n```\n"),
            Vec::<String>::new()
        );
        assert_eq!(
            findings("```\n[[nowhere]]\n```\n"),
            ["5:markup", "5:wikilink"],
            "Quartz rewrites `[[` in code too"
        );
        assert_eq!(
            findings("[[blog/index|the blog]] [x](blog/index.md)\n"),
            ["4:link"]
        );
    }
}

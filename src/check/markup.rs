//! Untrusted markup: constructs in a body that Sparky never writes and that Quartz would turn
//! into something other than text (`QUARTZ.md`, "Body rules" and "Encoding untrusted text").
//!
//! Sparky's own constructs are set aside first: its wikilinks (`[[path|label]]`), link and image
//! destinations, `<br>`, `<!---->`, `<code>…</code>` and the partial-period callout
//! `> [!warning] In progress`. What is left is text as [`inline`](crate::render::escape::inline)
//! encodes it, and must hold none of:
//! - `%%` anywhere (an Obsidian comment: Quartz deletes up to the next `%%`, over the raw file);
//! - `[[` outside Sparky's wikilinks, or any `![[…]]` embed (rewritten over the raw file);
//! - a raw HTML tag: an unescaped `<` followed by a letter, `/`, `!` or `?`;
//! - an unescaped `$` (LaTeX math);
//! - `==x==` in the decoded text of one text node (a highlight, Quartz's `==([^=]+)==`;
//!   `\=\=` decodes to `==` too, which is why the encoding puts `<!---->` between two `=`);
//! - `#word` in the decoded text of one text node, at its start or after a space, unless all
//!   digits (Quartz makes a tag page of it, escaped or not);
//! - a blockquote whose text starts with `[!` (a callout), other than Sparky's own;
//! - a link whose destination has a scheme other than `http`/`https` (`javascript:`…).
//!
//! Inside a fenced code block only the raw-file passes (`%%`, `[[`) apply.

use super::links::{Wikilink, destinations, scheme, wikilinks};
use super::text::{Char, destination_end, own_tag_at, scan};

/// The one callout Sparky writes.
pub(super) const PARTIAL_CALLOUT: &str = "> [!warning] In progress";

/// The markup problems of one raw body line, as messages.
pub(super) fn check(line: &str, in_fence: bool) -> Vec<String> {
    let mut out = Vec::new();
    if line.contains("%%") {
        out.push(
            "`%%` starts an Obsidian comment: Quartz deletes the text up to the next `%%`".into(),
        );
    }
    let (links, unclosed) = wikilinks(line);
    for link in links.iter().filter(|l| !l.is_sparkys()) {
        out.push(if link.embed {
            format!("`{}` embeds a page: Sparky never embeds", link.shown())
        } else {
            format!(
                "`{}` is not a wikilink Sparky writes (`[[path|label]]`): text became a link",
                link.shown()
            )
        });
    }
    if unclosed > 0 {
        out.push("`[[` without `]]`: Quartz rewrites it before parsing".into());
    }
    if in_fence {
        return out;
    }
    for d in destinations(line) {
        if let Some(s) = scheme(&d.dest).filter(|s| !matches!(*s, "http" | "https")) {
            out.push(format!(
                "link to a `{s}:` address: Sparky links only to http(s) pages and files beside the page"
            ));
        }
    }
    let ours: Vec<&Wikilink> = links.iter().filter(|l| l.is_sparkys()).collect();
    for segment in segments(line, &ours) {
        segment_problems(&segment, &mut out);
    }
    if let Some(problem) = callout(line) {
        out.push(problem);
    }
    out.dedup();
    out
}

/// The text nodes of `line`: split at Sparky's own tags, wikilinks and link destinations, which
/// are removed.
fn segments(line: &str, ours: &[&Wikilink]) -> Vec<Vec<Char>> {
    let chars = scan(line);
    let mut out = vec![Vec::new()];
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if let Some(link) = ours.iter().find(|l| l.start <= ch.at && ch.at < l.end) {
            out.push(Vec::new());
            while i < chars.len() && chars[i].at < link.end {
                i += 1;
            }
            continue;
        }
        if !ch.escaped
            && ch.c == '<'
            && let Some((tag, _)) = own_tag_at(line, ch.at)
        {
            out.push(Vec::new());
            while i < chars.len() && chars[i].at < ch.at + tag.len() {
                i += 1;
            }
            continue;
        }
        if !ch.escaped && ch.c == ']' && chars.get(i + 1).is_some_and(|n| !n.escaped && n.c == '(')
        {
            out.push(Vec::new());
            i = destination_end(&chars, i + 1);
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.push(ch);
        }
        i += 1;
    }
    out
}

fn segment_problems(segment: &[Char], out: &mut Vec<String>) {
    for (k, ch) in segment.iter().enumerate() {
        if ch.escaped {
            continue;
        }
        let next = segment.get(k + 1).map(|n| n.c);
        if ch.c == '<' && next.is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(n)) {
            let tag: String = segment[k..]
                .iter()
                .map(|c| c.c)
                .take_while(|c| *c != '>')
                .take(40)
                .collect();
            out.push(format!(
                "raw HTML `{tag}>`: Quartz passes it to the reader's browser"
            ));
        }
        if ch.c == '$' {
            out.push("unescaped `$` starts LaTeX math".into());
        }
    }
    let decoded: Vec<char> = segment.iter().map(|c| c.c).collect();
    if has_highlight(&decoded) {
        out.push("`==…==` makes a highlight (and `==<tag>==` runs raw HTML)".into());
    }
    for (k, c) in decoded.iter().enumerate() {
        if *c != '#' || (k > 0 && !decoded[k - 1].is_whitespace()) {
            continue;
        }
        let word: String = decoded[k + 1..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || "-_/".contains(**c))
            .collect();
        if !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit()) {
            out.push(format!("`#{word}` becomes a tag page"));
        }
    }
}

/// Whether `text` holds `==x==` (Quartz's highlight: `==([^=]+)==`).
fn has_highlight(text: &[char]) -> bool {
    let mut k = 0;
    while k + 1 < text.len() {
        if text[k] == '=' && text[k + 1] == '=' {
            let inner = text[k + 2..].iter().take_while(|c| **c != '=').count();
            let close = k + 2 + inner;
            if inner > 0 && text.get(close + 1) == Some(&'=') {
                return true;
            }
        }
        k += 1;
    }
    false
}

/// A callout other than Sparky's partial-period one.
fn callout(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with('>') || line.trim_end() == PARTIAL_CALLOUT {
        return None;
    }
    let inner = trimmed.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    let decoded: String = scan(inner).iter().map(|c| c.c).collect();
    decoded.starts_with("[!").then(|| {
        let head: String = decoded.chars().take_while(|c| *c != ']').collect();
        format!("callout `{head}]`: Sparky writes only `{PARTIAL_CALLOUT}`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::escape::{code_path, inline, link};

    #[test]
    fn sparkys_own_encoding_is_clean() {
        let hostile = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/hostile/strings.txt"
        ))
        .unwrap_or_default();
        assert!(hostile.lines().count() > 100);
        for s in hostile.lines().map(|l| l.replace("\\n", "\n")) {
            for line in [
                format!("- {} and {}", inline(&s), code_path(&s)),
                format!("| {} | x |", inline(&s)),
                link(&s, "https://example.com/a?b=1&c").unwrap_or_default(),
                format!(
                    "- Next: [[blog/2025/11/week-2025-47|2025-W47]] {}",
                    inline(&s)
                ),
            ] {
                assert_eq!(check(&line, false), Vec::<String>::new(), "{s:?} -> {line}");
            }
        }
        assert!(check(PARTIAL_CALLOUT, false).is_empty());
        assert!(check("## Highlights", false).is_empty());
        assert!(check("![alt \\(1\\)](week-2025-46-commits.svg)", false).is_empty());
    }

    #[test]
    fn raw_constructs_are_reported() {
        let one = |line: &str| check(line, false).join(" | ");
        assert!(one("a <script>x</script> b").contains("raw HTML `<script>`"));
        assert!(one("[[evil]]").contains("`[[evil]]` is not a wikilink"));
        assert!(one("![[blog/index|x]]").contains("embeds"));
        assert!(one("say ==hi==").contains("highlight"));
        assert!(
            one("say \\=\\=hi\\=\\=").contains("highlight"),
            "escaping is not enough"
        );
        assert!(
            one("a == b; c === d").contains("highlight"),
            "as the regex sees it"
        );
        assert!(
            one("a == b").is_empty() && one("===").is_empty(),
            "no `==x==`"
        );
        assert!(one("x $a$").contains("math"));
        assert!(one("a %%b").contains("Obsidian comment"));
        assert!(one("fix \\#BuildInPublic").contains("`#BuildInPublic`"));
        assert!(one("fix #123").is_empty(), "digits only are left alone");
        assert!(one("> [!note] hi").contains("callout `[!note]`"));
        assert!(one("[x](javascript:alert(1))").contains("`javascript:`"));
        assert!(one("<!-- open").contains("raw HTML"));
        assert!(
            check("[[evil]] %% <b>", true).len() == 2,
            "fences: raw passes only"
        );
    }
}

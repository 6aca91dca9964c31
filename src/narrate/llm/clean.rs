//! A model's answer before its claims are read: tidied (no preamble, no emphasis asterisks, one
//! line), and searched for markup. Markup is a claim that is never in the facts, so an answer
//! with HTML, links, tags or headings is rejected; whatever is used is still encoded with
//! `escape::inline`, so even markup that slipped past could only ever show literally.

use crate::render::escape::neutralize;

/// The answer as one plain line: controls neutralised, a leading "Here is …:" line dropped,
/// `*`, `_`-pairs and backticks removed, list markers dropped, surrounding quotes removed,
/// whitespace collapsed.
pub(super) fn tidy(answer: &str) -> String {
    let text = neutralize(answer);
    let mut lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines.retain(|l| !l.is_empty());
    if lines.len() > 1 && lines[0].ends_with(':') {
        lines.remove(0);
    }
    let joined: Vec<String> = lines
        .iter()
        .map(|l| {
            let l = l
                .strip_prefix("- ")
                .or_else(|| l.strip_prefix("• "))
                .unwrap_or(l);
            l.replace(['*', '`'], "").replace("__", "")
        })
        .collect();
    let one = joined.join(" ");
    let one: String = one.split_whitespace().collect::<Vec<_>>().join(" ");
    for (open, close) in [('"', '"'), ('“', '”')] {
        if let Some(inner) = one.strip_prefix(open).and_then(|s| s.strip_suffix(close))
            && !inner.contains(['"', '“', '”'])
        {
            return inner.trim().to_string();
        }
    }
    one
}

/// Markup found in `text` (each as a short excerpt): HTML tags and entities, wikilinks, embeds
/// and links, URLs, `#tags` and headings, highlights, comments, math, rules, block references,
/// table pipes and template syntax.
pub(super) fn markup(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let hit = match c {
            '<' => next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?'),
            '[' => matches!(next, '[' | '^'),
            ']' => matches!(next, '(' | ']'),
            '!' => next == '[',
            '#' => !next.is_ascii_digit(),
            '=' => next == '=',
            '%' => next == '%',
            '$' | '|' | '^' => true,
            '{' => matches!(next, '{' | '%'),
            '&' => next == '#' || entity(&chars[i + 1..]),
            '-' => next == '-' && chars.get(i + 2) == Some(&'-'),
            ':' => next == '/' && chars.get(i + 2) == Some(&'/'),
            'w' | 'W' => {
                let word: String = chars[i..].iter().take(4).collect();
                word.eq_ignore_ascii_case("www.") && (i == 0 || !chars[i - 1].is_alphanumeric())
            }
            _ => false,
        };
        if hit {
            let start = i.saturating_sub(8);
            let end = (i + 12).min(chars.len());
            found.push(
                chars[start..end]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string(),
            );
            i = end;
        } else {
            i += 1;
        }
    }
    if text.starts_with('>') {
        found.push(">".to_string());
    }
    found
}

/// `&name;` right after an `&`.
fn entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_drops_preambles_emphasis_and_quotes() {
        assert_eq!(
            tidy("Here is the paragraph:\n\n**Busy** week:\n- `api` grew\n"),
            "Busy week: api grew"
        );
        assert_eq!(tidy("\"A quoted answer.\""), "A quoted answer.");
        assert_eq!(tidy("\"One\" and \"two\""), "\"One\" and \"two\"");
        assert_eq!(tidy("a\u{202e}b\r\nc"), "a\u{fffd}b c");
    }

    #[test]
    fn markup_of_every_kind_is_found() {
        for bad in [
            "see <script>alert(1)</script>",
            "a [[wiki]] link",
            "a [link](https://x.y)",
            "![[embed]]",
            "visit https://evil.example",
            "visit www.evil.example",
            "tagged #release",
            "## Heading",
            "==highlight==",
            "%%hidden%%",
            "costs $5",
            "---",
            "a | b",
            "para ^block",
            "{{ x }}",
            "&amp; &#60;",
            "> quoted",
        ] {
            assert!(!markup(bad).is_empty(), "{bad}");
        }
        for fine in [
            "PR #12 merged; 3 < 4 and a-b - c: d",
            "The www team.",
            "pull requests #140 and #22",
            "Q&A",
        ] {
            assert!(markup(fine).is_empty(), "{fine}: {:?}", markup(fine));
        }
    }
}

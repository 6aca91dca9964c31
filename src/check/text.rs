//! Reading a body line the way Markdown does: backslash escapes, Sparky's own inline tags
//! (`<!---->`, `<br>`, `<code>`), link destinations; and the visible text a reader gets.

/// One character of a raw line and whether a backslash escaped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Char {
    pub c: char,
    pub escaped: bool,
    /// Byte offset of the character (of its backslash when escaped) in the line.
    pub at: usize,
}

/// The characters of `line`, with `\X` (X an ASCII punctuation character) read as an escaped X,
/// as CommonMark does.
pub(super) fn scan(line: &str) -> Vec<Char> {
    let mut out = Vec::with_capacity(line.len());
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\\'
            && let Some(&(_, next)) = chars.peek()
            && next.is_ascii_punctuation()
        {
            chars.next();
            out.push(Char {
                c: next,
                escaped: true,
                at,
            });
            continue;
        }
        out.push(Char {
            c,
            escaped: false,
            at,
        });
    }
    out
}

/// The inline tags Sparky writes itself, and what each leaves in the visible text.
pub(super) const OWN_TAGS: [(&str, &str); 4] = [
    ("<!---->", ""),
    ("<br>", " "),
    ("<code>", ""),
    ("</code>", ""),
];

/// The own tag starting at byte `at` of `line`, if any.
pub(super) fn own_tag_at(line: &str, at: usize) -> Option<(&'static str, &'static str)> {
    let rest = line.get(at..)?;
    OWN_TAGS.into_iter().find(|(tag, _)| rest.starts_with(tag))
}

/// The text a reader sees of a raw body line, as far as numbers are concerned: escapes decoded,
/// Sparky's own tags removed (`<br>` as a space), a wikilink shown as its alias (its target
/// hidden), Markdown link and image destinations hidden, their text and alt text kept.
pub(super) fn visible(line: &str) -> String {
    let line = hide_wikilink_targets(line);
    let chars = scan(&line);
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if !ch.escaped
            && ch.c == '<'
            && let Some((tag, shown)) = own_tag_at(&line, ch.at)
        {
            out.push_str(shown);
            i = skip_bytes(&chars, i, ch.at + tag.len());
            continue;
        }
        if !ch.escaped && ch.c == ']' && chars.get(i + 1).is_some_and(|n| !n.escaped && n.c == '(')
        {
            out.push(' ');
            i = destination_end(&chars, i + 1);
            continue;
        }
        out.push(ch.c);
        i += 1;
    }
    out
}

/// The index after the `)` closing the destination whose `(` is at `open`.
pub(super) fn destination_end(chars: &[Char], open: usize) -> usize {
    let mut depth = 0usize;
    for (j, ch) in chars.iter().enumerate().skip(open) {
        if ch.escaped {
            continue;
        }
        match ch.c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    chars.len()
}

/// The index of the first char at or after byte offset `end`.
fn skip_bytes(chars: &[Char], from: usize, end: usize) -> usize {
    let mut i = from;
    while i < chars.len() && chars[i].at < end {
        i += 1;
    }
    i
}

/// `[[target|alias]]` becomes `alias`, `[[target]]` a space: the target is a path, not prose.
fn hide_wikilink_targets(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start + 2..].find("]]") else {
            break;
        };
        let inner = &rest[start + 2..start + 2 + len];
        out.push_str(&rest[..start]);
        out.push(' ');
        if let Some((_, alias)) = inner.split_once('|') {
            out.push_str(alias);
        }
        out.push(' ');
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_read_like_commonmark() {
        let c = scan(r"a\#b\\c\d");
        let shown: String = c.iter().map(|c| c.c).collect();
        assert_eq!(shown, r"a#b\c\d");
        assert!(c[1].escaped && c[3].escaped && !c[5].escaped);
    }

    #[test]
    fn visible_text_drops_targets_tags_and_escapes() {
        assert_eq!(
            visible("v2<!---->\\.<!---->0 and a<br>b <code>src\\/x</code>"),
            "v2.0 and a b src/x"
        );
        assert_eq!(
            visible("- Next: [[blog/2025/11/week-2025-47|2025-W47]]"),
            "- Next:  2025-W47 "
        );
        assert_eq!(
            visible("[the facts file](week-2025-46.json) and ![alt 3](x-9.svg)"),
            "[the facts file  and ![alt 3 "
        );
        assert_eq!(visible("[\\#<!---->7](https://x/pull/7)."), "[#7 .");
    }
}

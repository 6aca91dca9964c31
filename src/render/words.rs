//! Page length as a reader counts it: the words of the rendered text, without tables, images,
//! the navigation and the "how this was counted" footer, link targets or escapes.

/// The reader's word count of a page body (Markdown, front matter optional).
pub fn reader_words(markdown: &str) -> usize {
    let body = match markdown.strip_prefix("---\n") {
        Some(rest) => rest.split_once("\n---\n").map_or(rest, |(_, b)| b),
        None => markdown,
    };
    let mut words = 0;
    let mut footer = false;
    for line in body.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            footer = matches!(h.trim(), "Navigation" | "How this was counted");
        }
        let line = line.trim_start();
        if footer || line.starts_with('|') || line.starts_with("![") {
            continue;
        }
        words += visible(line)
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
    }
    words
}

/// A line without HTML tags and comments, link destinations and wikilink targets.
fn visible(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            // `<br>` separates words; other tags and comments vanish.
            if rest[..end].eq_ignore_ascii_case("<br") {
                out.push(' ');
            }
            rest = &rest[end + 1..];
            continue;
        }
        if rest.starts_with("](")
            && let Some(end) = rest.find(')')
        {
            rest = &rest[end + 1..];
            continue;
        }
        if let Some(inner) = rest.strip_prefix("[[")
            && let Some(end) = inner.find("]]")
        {
            let link = &inner[..end];
            out.push_str(link.rsplit('|').next().unwrap_or(link));
            rest = &inner[end + 2..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::reader_words;

    #[test]
    fn counts_what_a_reader_reads() {
        let page = "---\ntitle: \"x\"\n---\n\nOne two<!----> thr\\-<!---->ee [four](https://x.example/a b).\n\n\
                    | not | counted |\n![not counted](a.svg)\n- [[blog/x|five six]] +1 / -2\n\n\
                    ## Navigation\n\nnot counted\n\n## How this was counted\n\nnot counted";
        assert_eq!(reader_words(page), 8);
    }
}

//! Interim text safety (replaced by the full encoding of shared/QUARTZ.md).

/// Untrusted text for a paragraph, list item or table cell.
pub fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, ch) in text.trim().chars().enumerate() {
        let ch = if ch.is_control() && ch != '\n' && ch != '\t' {
            '\u{FFFD}'
        } else {
            ch
        };
        if ch == '\n' {
            out.push_str("<br>");
            continue;
        }
        if ch.is_ascii_punctuation() {
            if (ch == '.' || ch == '@') && i > 0 {
                out.push_str("<!---->");
            }
            out.push('\\');
            out.push(ch);
            if "[=#^-<:@.".contains(ch) {
                out.push_str("<!---->");
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// A Markdown link to a URL Sparky built (http(s) only).
pub fn link(text: &str, url: &str) -> Option<String> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return None;
    }
    let url: String = url
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '(' => "%28".to_string(),
            ')' => "%29".to_string(),
            '<' => "%3C".to_string(),
            '>' => "%3E".to_string(),
            c => c.to_string(),
        })
        .collect();
    Some(format!("[{}]({url})", inline(text)))
}

/// At most `max_chars` characters, with `…` when cut.
pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// A JSON-quoted front-matter string.
pub fn front_matter_string(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '<' => '\u{2039}',
            '>' => '\u{203A}',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect();
    serde_json::to_string(cleaned.trim())
        .unwrap_or_else(|_| "\"\"".into())
        .replace('%', "\\u0025")
        .replace('[', "\\u005b")
        .replace(']', "\\u005d")
}

/// A lowercase hyphenated tag.
pub fn tag_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "untitled".into()
    } else {
        out
    }
}

/// Image alt text: one line, no brackets or percent signs (which Quartz rewrites anywhere in the
/// source), every other ASCII punctuation character backslash-escaped.
pub fn alt_text(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        let ch = match ch {
            '[' => '(',
            ']' => ')',
            '%' => ' ',
            c if c.is_control() => ' ',
            c => c,
        };
        if ch.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(ch);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

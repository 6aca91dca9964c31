//! Text safety: turns untrusted text (commit subjects and bodies, people's names, branch, tag and
//! file names, model output) into Markdown and front matter that Quartz 4.5.2 shows literally.
//!
//! The body encoding is the one verified in a real Quartz 4.5.2 build (`/work/shared/QUARTZ.md`,
//! "Encoding untrusted text"); the conformance harness in `quartz-integration/conformance/`
//! re-checks it on every test run. Backslash escapes or HTML entities alone are not enough,
//! because Quartz's Obsidian-flavoured plugin rewrites the *decoded* text after Markdown parsing
//! (`[[x]]`, `#word`, `==x==`, `^id`, `->`) and deletes `%%…%%` from the *raw* file before it.

/// An empty HTML comment: invisible, but it splits the decoded text into separate text nodes, so
/// no pattern that Quartz applies to one text node can span it.
const BREAK: &str = "<!---->";

/// ASCII punctuation that is Markdown or a Quartz construct wherever it stands, always
/// backslash-escaped: emphasis, code, links, raw HTML, entities, tables, strikethrough, math,
/// Obsidian comments, tags and block references.
const ALWAYS_ESCAPED: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~', '$', '%', '#', '^',
];

/// The characters that reach no reader intact: C0 controls other than TAB and LF, DEL, the C1
/// block, bidirectional controls, the byte-order mark and the non-characters U+FFFE/U+FFFF.
///
/// They are replaced by U+FFFD. Hazards: a bidi override (U+202E) makes the page read differently
/// from its source ("Trojan Source"); U+0007 or U+FFFE in a title or in the first body sentence
/// makes the RSS feed invalid XML; js-yaml rejects C0/C1 controls and U+FFFE/FFFF in front matter
/// and one such file fails the whole site build.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// Step 1 of the body encoding, and exactly what a reader sees of [`inline`]'s output: CR and
/// CRLF become LF, every [`is_unsafe_char`] becomes U+FFFD, and surrounding whitespace is
/// trimmed (leading spaces would otherwise start an indented code block).
pub fn neutralize(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let replaced: String = unified
        .chars()
        .map(|c| if is_unsafe_char(c) { '\u{fffd}' } else { c })
        .collect();
    replaced.trim().to_string()
}

/// Untrusted text for a Markdown paragraph, list item, table cell, heading or link text, shown
/// literally by Quartz 4.5.2, except that remark-smartypants, which Quartz runs on all text,
/// turns `'` and `"` curly and a pair of backticks (` `` `) into `“`.
///
/// The encoding of QUARTZ.md, applied only where a construct could form, so the source stays
/// readable and headings keep plain text and anchors (`v2.0.0` stays `v2.0.0`,
/// `ratatui-testlib` stays `ratatui-testlib`):
/// 1. [`neutralize`]: line endings, control/bidi characters, trim.
/// 2. A backslash before [`ALWAYS_ESCAPED`] punctuation, and before any ASCII punctuation that
///    starts the text or ends a leading run of digits (block markup: `#`, `>`, `-`, `+`, `=`,
///    `1.`, `1)`). This defeats Markdown syntax, raw HTML, entities, GFM autolinks in `<…>`,
///    `$…$` math, the table cell separator (`\|`), and means every `%` and `[` in the raw file
///    follows a `\`, so the raw-source passes never see `%%…%%`, `[[…]]` or `^[…]`.
/// 3. [`BREAK`] between the characters of a pattern Quartz applies to decoded text after
///    parsing: `[[`, `==` (including `==<script>…</script>==`), `#tag` (not `#123`), `^id`,
///    arrows (`->`, `-->`, `=>`, `<-`, `<=`), `--` and `...` (smartypants), `://` and `www.`
///    (GFM autolink literals) and both sides of `@` (emails). Never the first token.
/// 4. LF becomes `<br>`, so the text stays on one source line: tables and list items survive
///    and no line of it can start a block.
pub fn inline(text: &str) -> String {
    let clean = neutralize(text);
    let chars: Vec<char> = clean.chars().collect();
    let mut out = String::with_capacity(clean.len() + 16);
    let mut leading_digits = true;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            out.push_str("<br>");
            leading_digits = false;
            continue;
        }
        let starts_block = i == 0 || (leading_digits && matches!(c, '.' | ')'));
        leading_digits &= c.is_ascii_digit();
        if c == '@' && i > 0 {
            out.push_str(BREAK);
        }
        if c == '.'
            && i >= 3
            && chars[i - 3..i]
                .iter()
                .collect::<String>()
                .eq_ignore_ascii_case("www")
        {
            out.push_str(BREAK);
        }
        if c.is_ascii_punctuation() && (starts_block || ALWAYS_ESCAPED.contains(&c)) {
            out.push('\\');
        }
        out.push(c);
        if next.is_some() && breaks_after(c, &chars[i + 1..]) {
            out.push_str(BREAK);
        }
    }
    out
}

/// Whether a pattern Quartz applies after parsing could start with `c` followed by `rest`.
fn breaks_after(c: char, rest: &[char]) -> bool {
    let next = rest.first().copied().unwrap_or(' ');
    match c {
        '[' => next == '[',
        '=' => matches!(next, '=' | '>'),
        '-' => matches!(next, '-' | '>'),
        '<' => matches!(next, '-' | '='),
        '.' => next == '.',
        ':' => next == '/',
        '@' | '^' => true,
        '#' => {
            // A tag: `#` and a run of letters, digits, `-`, `_`, `/` or emoji (`#` and `*` are
            // emoji too), unless the run is all digits (`#123` stays text in Quartz).
            let run: Vec<char> = rest
                .iter()
                .copied()
                .take_while(|&r| {
                    !r.is_whitespace() && (!r.is_ascii_punctuation() || "-_/#*".contains(r))
                })
                .collect();
            !run.is_empty() && !run.iter().all(char::is_ascii_digit)
        }
        _ => false,
    }
}

/// A Markdown link `[text](url)` for an http(s) URL that Sparky builds itself (a commit, pull
/// request or repository page); `None` for any other scheme (`javascript:`, `data:`, relative
/// paths…), because CrawlLinks would rewrite those into site-relative links nobody intended.
///
/// The text goes through [`inline`] (the URL itself when the text is empty, so the link is never
/// invisible). The destination is percent-encoded where it could break out of `(…)` or trip a
/// raw-source pass: spaces and controls, `( ) < > [ ] { } | \ ^ " `` ` ``, non-ASCII bytes and any
/// `%` not starting a `%XX` escape (so `%%` cannot occur); `&` is backslash-escaped so an entity
/// such as `&amp;` is not decoded.
pub fn link(text: &str, url: &str) -> Option<String> {
    let destination = destination(url)?;
    let shown = if neutralize(text).is_empty() {
        url
    } else {
        text
    };
    Some(format!("[{}]({destination})", inline(shown)))
}

/// The percent-encoded link destination, or `None` for anything but `http://` or `https://`
/// followed by at least one character.
fn destination(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    if url.len() <= scheme_len {
        return None;
    }
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len() + 8);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'%' if bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit) =>
            {
                out.push('%')
            }
            b'&' => out.push_str("\\&"),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(char::from(b)),
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'#' | b'@' | b'!' | b'$' => {
                out.push(char::from(b))
            }
            b'\'' | b'*' | b'+' | b',' | b';' | b'=' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Some(out)
}

/// A file path (or any short untrusted text) in a monospace style: a raw `<code>` element around
/// the [`inline`] encoding.
///
/// A Markdown code span is not safe in Quartz: `%%…%%` and `[[…]]` are rewritten in the raw file
/// before parsing, code spans included, and a span ending in `{:lang}` loses that suffix to the
/// syntax highlighter. Between raw `<code>` tags the text is ordinary Markdown, so the full
/// [`inline`] encoding applies; the highlighter cannot take a `{:lang}` suffix either, because
/// in Quartz's default plugin order it runs before the raw HTML becomes elements, and a comment
/// follows every `:` in any case. Checked in every context by the conformance test.
pub fn code_path(text: &str) -> String {
    let encoded = inline(text);
    let mut out = String::with_capacity(encoded.len() + 8);
    let mut rest = encoded.as_str();
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        if !rest.is_empty() && !rest.starts_with(BREAK) {
            out.push_str(BREAK);
        }
    }
    out.push_str(rest);
    format!("<code>{out}</code>")
}

/// At most `max_chars` characters of `text`, ending in `…` when it was cut. Apply it to the raw
/// text, *before* [`inline`] or [`front_matter_string`], so no escape is ever cut in half.
///
/// Counts `char`s (no grapheme tables), but never cuts just before a combining mark, variation
/// selector, emoji modifier or tag character, never just after a zero-width joiner, and never
/// between the two halves of a flag, so the last visible symbol is never half an emoji.
/// Whitespace before the `…` is dropped.
pub fn truncate(text: &str, max_chars: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max_chars {
        return text.to_string();
    }
    if max_chars == 0 {
        return String::new();
    }
    let mut cut = max_chars - 1;
    while cut > 0 && splits_cluster(&chars, cut) {
        cut -= 1;
    }
    let kept: String = chars[..cut].iter().collect();
    format!("{}…", kept.trim_end())
}

/// Whether cutting `chars` before index `at` would split a symbol.
fn splits_cluster(chars: &[char], at: usize) -> bool {
    let next = chars[at];
    let prev = chars[at - 1];
    if prev == '\u{200d}' || is_extending(next) {
        return true;
    }
    if is_regional_indicator(next) {
        let run = chars[..at]
            .iter()
            .rev()
            .take_while(|c| is_regional_indicator(**c))
            .count();
        return run % 2 == 1;
    }
    false
}

/// Characters that extend the symbol before them.
fn is_extending(c: char) -> bool {
    matches!(c,
        '\u{200d}' | '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}' | '\u{fe00}'..='\u{fe0f}' | '\u{fe20}'..='\u{fe2f}'
        | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0020}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}')
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

/// The text a front-matter string carries (what [`front_matter_string`] quotes, and what Quartz
/// reads back): [`is_unsafe_char`]s become U+FFFD; CR, LF and TAB become spaces (front matter is
/// one line per key, and U+0007/newlines in a title broke the RSS feed); `<` and `>` become the
/// look-alikes `‹` (U+2039) and `›` (U+203A), because Quartz's search inserts titles as HTML (a
/// title with `<img onerror>` ran script) and because `]]>` in a description ends the RSS CDATA
/// section; the result is trimmed.
pub fn front_matter_text(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' => ' ',
            '<' => '\u{2039}',
            '>' => '\u{203a}',
            c if is_unsafe_char(c) => '\u{fffd}',
            c => c,
        })
        .collect();
    mapped.trim().to_string()
}

/// A double-quoted YAML scalar for a Quartz front-matter value (title, description, author,
/// Sparky's own strings), safe in every place Quartz puts it: page title and H1, og tags, search
/// index, RSS.
///
/// The text is [`front_matter_text`], JSON-quoted (what `serde_json` writes for a string: js-yaml
/// reads JSON escapes in double quotes, so `: `, `#`, `"`, `\`, a leading `@ * & ! % > |` and
/// `---` are all plain content), then `%`, `[` and `]` are written as `\u0025`, `\u005b` and
/// `\u005d`: Quartz deletes `%%…%%` and rewrites `[[…]]` in the raw file, front matter included
/// (`%%` in a title plus `%%` in the body failed the build).
pub fn front_matter_string(text: &str) -> String {
    let quoted = serde_json::Value::String(front_matter_text(text)).to_string();
    let mut out = String::with_capacity(quoted.len() + 8);
    for c in quoted.chars() {
        match c {
            '%' => out.push_str("\\u0025"),
            '[' => out.push_str("\\u005b"),
            ']' => out.push_str("\\u005d"),
            c => out.push(c),
        }
    }
    out
}

/// The longest tag slug written; a tag becomes a file name (`tags/<slug>.html`), so it must stay
/// well under file-system name limits.
const MAX_TAG_CHARS: usize = 64;

/// A tag for the front-matter `tags` list: lowercase letters and digits (any script) joined by
/// single hyphens, at most 64 characters, `untagged` when nothing is left.
///
/// Hazards: `#` in a tag (`tags: [#sparky]` broke the build), `/` (makes a nested tag), spaces
/// (`Weekly Report` became a separate tag `Weekly-Report`), `&`, `%` and `?` (Quartz's slugger
/// rewrites them). The result is a fixed point of Quartz's own tag slugger, so the tag page name
/// is exactly this string.
pub fn tag_slug(text: &str) -> String {
    let mut slug = String::new();
    let mut pending_hyphen = false;
    let mut count = 0;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() && !is_unsafe_char(c) {
            if pending_hyphen && !slug.is_empty() {
                if count + 2 > MAX_TAG_CHARS {
                    break;
                }
                slug.push('-');
                count += 1;
            }
            if count + 1 > MAX_TAG_CHARS {
                break;
            }
            pending_hyphen = false;
            slug.push(c);
            count += 1;
        } else {
            pending_hyphen = true;
        }
    }
    if slug.is_empty() {
        "untagged".to_string()
    } else {
        slug
    }
}

/// Image alt text: one line, no brackets or percent signs (which Quartz rewrites anywhere in the
/// source), controls and bidi characters neutralised, every other ASCII punctuation character
/// backslash-escaped. The alt text is an attribute, not a text node, so the post-parse patterns
/// (`#tag`, `==x==`) do not reach it.
pub fn alt_text(text: &str) -> String {
    let mut out = String::new();
    for ch in neutralize(text).chars() {
        let ch = match ch {
            '[' => '(',
            ']' => ')',
            '%' | '\n' | '\t' => ' ',
            c => c,
        };
        if ch.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(ch);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralize_unifies_line_endings_and_trims() {
        assert_eq!(neutralize("  a\r\nb\rc\n  "), "a\nb\nc");
        assert_eq!(neutralize("\u{feff}\u{feff}"), "\u{fffd}\u{fffd}");
        assert_eq!(neutralize(" \t\n "), "");
    }

    #[test]
    fn neutralize_replaces_controls_bidi_and_noncharacters() {
        for c in [
            '\u{0}', '\u{7}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}', '\u{85}',
            '\u{9f}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
            '\u{feff}', '\u{fffe}', '\u{ffff}',
        ] {
            assert_eq!(
                neutralize(&format!("a{c}b")),
                "a\u{fffd}b",
                "U+{:04X}",
                c as u32
            );
        }
        // TAB survives inside the text, ZWJ/ZWSP and other format characters are left alone.
        assert_eq!(
            neutralize("a\tb\u{200d}c\u{200b}d"),
            "a\tb\u{200d}c\u{200b}d"
        );
    }

    #[test]
    fn inline_escapes_only_where_a_construct_could_form() {
        let all = "x!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        let out = inline(all);
        for &c in ALWAYS_ESCAPED {
            assert!(out.contains(&format!("\\{c}")), "{c} unescaped in {out}");
        }
        assert_eq!(inline("plain words 123 é"), "plain words 123 é");
        let plain = "v2.0.0 ratatui-testlib feat(ui): dark mode, again; why? yes! a - b 2025-11-14";
        assert_eq!(inline(plain), plain);
        // Block markup at the start of the text.
        assert_eq!(inline("- x"), "\\- x");
        assert_eq!(inline("1. x"), "1\\. x");
        assert_eq!(inline("12) x"), "12\\) x");
        assert_eq!(inline("+ x"), "\\+ x");
        assert_eq!(inline("= x"), "\\= x");
        assert_eq!(inline("snake_case"), "snake\\_case");
    }

    #[test]
    fn inline_breaks_post_parse_patterns() {
        assert_eq!(inline("[[x]]"), "\\[<!---->\\[x\\]\\]");
        assert_eq!(inline("==hi=="), "\\=<!---->=hi=<!---->=");
        assert_eq!(inline("#tag"), "\\#<!---->tag");
        assert_eq!(inline("x #tag/sub"), "x \\#<!---->tag/sub");
        assert_eq!(inline("x #12"), "x \\#12");
        assert_eq!(inline("x ^id"), "x \\^<!---->id");
        assert_eq!(inline("a->b"), "a-<!---->\\>b");
        assert_eq!(inline("a=>b"), "a=<!---->\\>b");
        assert_eq!(inline("a <- b"), "a \\<<!---->- b");
        assert_eq!(inline("a--b...c"), "a-<!---->-b.<!---->.<!---->.c");
        assert_eq!(inline("www.example.com"), "www<!---->.example.com");
        assert_eq!(inline("a@b.c"), "a<!---->@<!---->b.c");
        assert_eq!(inline("https://x"), "https:<!---->//x");
    }

    #[test]
    fn inline_never_starts_with_the_comment() {
        for s in [
            ".", "@", "..x", "@me", ".hidden", "-", "<!--", "```", "    code",
        ] {
            let out = inline(s);
            assert!(!out.starts_with('<'), "{s:?} -> {out}");
        }
        assert_eq!(inline(".x"), "\\.x");
        assert_eq!(inline("@x"), "\\@<!---->x");
        assert_eq!(inline("-."), "\\-.");
    }

    #[test]
    fn inline_keeps_text_on_one_line() {
        assert_eq!(inline("a\nb\r\nc"), "a<br>b<br>c");
        assert!(!inline("x\n    indented\n# heading\n> quote\n1. item").contains('\n'));
        assert_eq!(inline("\n\nx\n\n"), "x");
    }

    #[test]
    fn inline_covers_comments_math_and_table_pipes() {
        // `%%`: every `%` is preceded by a backslash, so the raw file never holds `%%`.
        assert!(!inline("%%hidden%%").contains("%%"));
        assert!(!inline("100%% sure %").contains("%%"));
        // `$`: escaped, which remark-math honours.
        assert_eq!(inline("$x$"), "\\$x\\$");
        assert_eq!(inline("$$"), "\\$\\$");
        // `|`: escaped, which GFM tables honour inside a cell.
        assert_eq!(inline("a | b"), "a \\| b");
        // `[[` and `^[` cannot appear in the raw output.
        let out = inline("[[a]] ![[b]] ^[note]");
        assert!(!out.contains("[[") && !out.contains("^["));
    }

    #[test]
    fn link_accepts_only_http_and_https() {
        assert_eq!(
            link("commit", "https://example.com/a/b").as_deref(),
            Some("[commit](https://example.com/a/b)")
        );
        assert!(link("x", "HTTP://example.com").is_some());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
            "ftp://x",
            "https://",
            "",
            "mailto:a@b",
            " javascript:x",
        ] {
            assert_eq!(link("x", bad), None, "{bad}");
        }
    }

    #[test]
    fn link_percent_encodes_what_breaks_the_destination() {
        let out =
            link("t", "https://x/a b(c)<d>[e]{f}|g\\h^i\"j`k\u{7}ü%%20%zz").unwrap_or_default();
        assert_eq!(
            out,
            "[t](https://x/a%20b%28c%29%3Cd%3E%5Be%5D%7Bf%7D%7Cg%5Ch%5Ei%22j%60k%07%C3%BC%25%20%25zz)"
        );
        assert_eq!(
            link("t", "https://x/?a=1&amp;b=2").as_deref(),
            Some("[t](https://x/?a=1\\&amp;b=2)")
        );
    }

    #[test]
    fn link_text_is_encoded_and_never_empty() {
        assert_eq!(
            link("[x](y)", "https://e.org").as_deref(),
            Some("[\\[x\\](y)](https://e.org)")
        );
        assert_eq!(
            link("  ", "https://e.org").as_deref(),
            Some("[https:<!---->//e.org](https://e.org)")
        );
    }

    #[test]
    fn code_path_wraps_the_inline_encoding() {
        assert_eq!(
            code_path("src/pty/part4.rs"),
            "<code>src/pty/part4.rs</code>"
        );
        assert_eq!(
            code_path("src/%%a%%.rs"),
            "<code>src/\\%\\%a\\%\\%.rs</code>"
        );
        // A comment after every `:`, so a `{:lang}` suffix can never form.
        assert_eq!(code_path("a{:rust}"), "<code>a{:<!---->rust}</code>");
        assert_eq!(code_path("x://y:"), "<code>x:<!---->//y:</code>");
        assert_eq!(code_path(""), "<code></code>");
    }

    #[test]
    fn truncate_counts_chars_and_marks_the_cut() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("héllo wörld", 8), "héllo w…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
        assert_eq!(truncate("", 3), "");
        let long = "x".repeat(5000);
        assert_eq!(truncate(&long, 100).chars().count(), 100);
    }

    #[test]
    fn truncate_does_not_split_symbols() {
        let family = "ab\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        // Cutting inside the ZWJ sequence backs off to before it.
        assert_eq!(truncate(family, 5), "ab…");
        assert_eq!(truncate("ae\u{301}x", 3), "a…");
        assert_eq!(truncate("a\u{1f44d}\u{1f3fd}b", 3), "a…");
        let flags = "\u{1f1e9}\u{1f1ea}\u{1f1eb}\u{1f1f7}z";
        assert_eq!(truncate(flags, 4), "\u{1f1e9}\u{1f1ea}…");
    }

    #[test]
    fn truncate_happens_before_escaping() {
        let cut = inline(&truncate("a.b.c.d.e", 4));
        assert_eq!(cut, "a.b…");
    }

    #[test]
    fn front_matter_string_is_json_with_hazards_removed() {
        assert_eq!(front_matter_string("Week 47"), "\"Week 47\"");
        assert_eq!(
            front_matter_string("a \"b\" \\ c"),
            "\"a \\\"b\\\" \\\\ c\""
        );
        assert_eq!(
            front_matter_string("line\none\r\ntwo\tx"),
            "\"line one  two x\""
        );
        assert_eq!(
            front_matter_string("%%x%% [[y]]"),
            "\"\\u0025\\u0025x\\u0025\\u0025 \\u005b\\u005by\\u005d\\u005d\""
        );
        assert_eq!(
            front_matter_string("<img src=x>"),
            "\"\u{2039}img src=x\u{203a}\""
        );
        assert_eq!(front_matter_string("a]]>b"), "\"a\\u005d\\u005d\u{203a}b\"");
        assert_eq!(
            front_matter_string("bell\u{7} \u{fffe}"),
            "\"bell\u{fffd} \u{fffd}\""
        );
        assert_eq!(front_matter_string("  "), "\"\"");
    }

    #[test]
    fn front_matter_string_decodes_back_to_front_matter_text() {
        for s in [
            "@x: y # z",
            "---",
            "* | > & !",
            "\u{1f468}\u{200d}\u{1f469}",
            "a%b[c]d",
        ] {
            let quoted = front_matter_string(s);
            let json = quoted
                .replace("\\u0025", "%")
                .replace("\\u005b", "[")
                .replace("\\u005d", "]");
            let back: String = serde_json::from_str(&json).unwrap_or_default();
            assert_eq!(back, front_matter_text(s));
        }
    }

    /// The structural invariants of [`inline`]'s output, which the conformance test relies on:
    /// one line, never starting with `<`, no raw `%%`, `[[`, `^[`, `==`, and, once the inserted
    /// comments and `<br>`s are removed, every [`ALWAYS_ESCAPED`] character escaped and nothing
    /// else changed.
    fn assert_inline_invariants(input: &str) {
        let out = inline(input);
        assert!(!out.contains(['\n', '\r']), "{input:?} -> {out}");
        assert!(!out.starts_with('<'), "{input:?} -> {out}");
        for raw in ["%%", "[[", "^[", "=="] {
            assert!(!out.contains(raw), "{raw} in {input:?} -> {out}");
        }
        let bare = out.replace(BREAK, "").replace("<br>", "");
        let mut decoded = String::new();
        let mut chars = bare.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let next = chars.next().unwrap_or(' ');
                assert!(next.is_ascii_punctuation(), "{input:?} -> {out}");
                decoded.push(next);
            } else {
                assert!(
                    !ALWAYS_ESCAPED.contains(&c),
                    "unescaped {c} in {input:?} -> {out}"
                );
                decoded.push(c);
            }
        }
        // Nothing else was added, dropped or changed.
        assert_eq!(decoded, neutralize(input).replace('\n', ""));
    }

    #[test]
    fn inline_invariants_hold_for_the_hostile_corpus() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hostile/strings.txt");
        let corpus = std::fs::read_to_string(path).unwrap_or_default();
        assert!(corpus.lines().count() > 100);
        for line in corpus.lines() {
            assert_inline_invariants(&line.replace("\\n", "\n"));
        }
    }

    #[test]
    fn inline_invariants_hold_for_random_strings() {
        let mut state: u64 = 0x0dd_ba11_cafe_f00d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        const PICK: &str = "[]=#^-<>:@.%$|`*_~!\\\"'(){}&\n\r\t \u{7}\u{202e}\u{feff}a1é😀\u{200d}";
        let pick: Vec<char> = PICK.chars().collect();
        for _ in 0..5_000 {
            let len = next() % 24;
            let s: String = (0..len)
                .map(|_| match next() % 3 {
                    0 => char::from_u32((next() % 0x3_0000) as u32).unwrap_or('x'),
                    _ => pick[(next() % pick.len() as u64) as usize],
                })
                .collect();
            assert_inline_invariants(&s);
        }
    }

    #[test]
    fn tag_slug_is_lowercase_hyphenated() {
        assert_eq!(tag_slug("Weekly Report"), "weekly-report");
        assert_eq!(tag_slug("#sparky"), "sparky");
        assert_eq!(tag_slug("dev/ops"), "dev-ops");
        assert_eq!(tag_slug("  a  &  b?%  "), "a-b");
        assert_eq!(tag_slug("Café Über"), "café-über");
        assert_eq!(tag_slug("2025"), "2025");
        assert_eq!(tag_slug(""), "untagged");
        assert_eq!(tag_slug("#/ ?"), "untagged");
        let long = tag_slug(&"ab ".repeat(100));
        assert!(long.chars().count() <= 64 && !long.ends_with('-'), "{long}");
    }
}

//! Untrusted text for posts: normalised, shortened and defanged so it can neither notify anyone
//! (`@user`), start a hashtag (`#tag`), nor become a link, on any of the platforms.
//!
//! **Defanging, visibly.** Every `@` becomes `[@]`, every `#` becomes `[#]`, `://` becomes
//! `[:]//` and a `.` followed by a letter becomes `[.]` (the convention security write-ups use
//! for addresses that must not be clickable). Each platform needs the handle, tag or domain
//! label to touch the sigil or dot, so none of them parses these forms, whatever the platform's
//! regex. The alternatives were worse: an invisible zero-width space after `@` is stripped by
//! some clients and by copy-and-paste into others, hides the change from the person reviewing
//! the draft and breaks screen readers; look-alike characters (`＠`, `﹫`) are themselves read as
//! `@` by X or turn back into `@` under NFKC. The bracket forms are plain ASCII, survive any
//! normalisation and show the reviewer exactly what will be posted.
//!
//! Links matter for the limits too: X and Mastodon count any URL they detect as 23 characters,
//! so an undetected `a.co` in a commit subject would make a post longer on X than counted here.
//! After defanging, the only URL in a draft is the report's own link.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::render::escape::is_unsafe_char;

/// Characters a platform reads as `@` (X reads the full-width form; NFKC maps the small form).
const AT_SIGNS: &[char] = &['@', '\u{ff20}', '\u{fe6b}'];
/// Characters a platform reads as `#` (X and Bluesky read the full-width form).
const HASH_SIGNS: &[char] = &['#', '\u{ff03}', '\u{fe5f}'];

/// Longest word kept whole, in characters; a longer one (only untrusted or model text has
/// them) is shortened with `…`, so that every word fits in a post on every platform.
pub const MAX_WORD_CHARS: usize = 100;

/// NFC (what X counts after), [`is_unsafe_char`]s as U+FFFD (bidirectional overrides would
/// make a post read differently from its text), every run of whitespace as one space, trimmed.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfc() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(if is_unsafe_char(c) { '\u{fffd}' } else { c });
    }
    out
}

/// The defanged form (see the module documentation). Idempotent: `[@]`, `[#]`, `[.]` and
/// `[:]//` are left as they are.
pub fn defang(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let bracketed = prev == Some('[') && next == Some(']');
        if AT_SIGNS.contains(&c) {
            out.push_str(if bracketed && c == '@' { "@" } else { "[@]" });
        } else if HASH_SIGNS.contains(&c) {
            out.push_str(if bracketed && c == '#' { "#" } else { "[#]" });
        } else if c == '.' && next.is_some_and(char::is_alphabetic) {
            out.push_str("[.]");
        } else if c == ':' && chars.get(i + 1..i + 3) == Some(&['/', '/']) {
            out.push_str("[:]");
        } else {
            out.push(c);
        }
    }
    out
}

/// At most `max_chars` characters, whole grapheme clusters only, ending in `…` when shortened.
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let n = g.chars().count();
        if used + n + 1 > max_chars {
            break;
        }
        kept.push_str(g);
        used += n;
    }
    format!("{}…", kept.trim_end())
}

/// Untrusted text (a name, a tag, a subject) ready for a post: cleaned, at most `max_chars`
/// characters before defanging, defanged.
pub fn untrusted(text: &str, max_chars: usize) -> String {
    defang(&shorten(&clean(text), max_chars))
}

/// Any text that goes into a post, Sparky's own included: cleaned, defanged and with every word
/// at most [`MAX_WORD_CHARS`].
pub fn post_text(text: &str) -> String {
    defang(&clean(text))
        .split(' ')
        .map(shorten_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A defanged word shortened to [`MAX_WORD_CHARS`], never ending in half a defanged sigil
/// (`[#…` would leave a `#` that is not followed by `]`).
fn shorten_word(word: &str) -> String {
    let short = shorten(word, MAX_WORD_CHARS);
    let Some(kept) = short.strip_suffix('…').filter(|_| short != word) else {
        return short;
    };
    let kept = ["[@", "[#", "[.", "[:"]
        .iter()
        .find_map(|half| kept.strip_suffix(half))
        .unwrap_or(kept);
    format!("{kept}…")
}

/// Longest hashtag accepted, in characters, without the `#`.
pub const MAX_HASHTAG_CHARS: usize = 50;

/// A configured hashtag as the platforms read it: the `#` dropped, grapheme clusters starting
/// with a letter, digit or `_` kept (so marks stay with their letters), everything else
/// dropped; several words are joined in CamelCase (`build in public` → `buildInPublic`),
/// which screen readers can pronounce. A hashtag needs a letter: X, Mastodon and Bluesky do
/// not link `#2025`.
pub fn hashtag(text: &str) -> Result<String, &'static str> {
    let text: String = text.nfc().collect();
    let mut slug = String::new();
    let mut new_word = false;
    for g in text.graphemes(true) {
        let first = g.chars().next().unwrap_or(' ');
        if first.is_alphanumeric() || first == '_' {
            if new_word && !slug.is_empty() {
                slug.extend(first.to_uppercase());
                slug.push_str(&g[first.len_utf8()..]);
            } else {
                slug.push_str(g);
            }
            new_word = false;
        } else {
            new_word = true;
        }
    }
    if !slug.chars().any(char::is_alphabetic) {
        return Err("a hashtag needs at least one letter");
    }
    if slug.chars().count() > MAX_HASHTAG_CHARS {
        return Err("a hashtag is at most 50 characters");
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defang_neutralises_mentions_hashtags_and_links() {
        assert_eq!(defang("@alice"), "[@]alice");
        assert_eq!(defang("＠alice ﹫bob"), "[@]alice [@]bob");
        assert_eq!(defang("#tag ＃tag"), "[#]tag [#]tag");
        assert_eq!(defang("a@b.co"), "a[@]b[.]co");
        assert_eq!(
            defang("https://evil.example/x"),
            "https[:]//evil[.]example/x"
        );
        assert_eq!(defang("README.md"), "README[.]md");
        assert_eq!(defang("v1.2.0 and 3.14"), "v1.2.0 and 3.14");
        assert_eq!(defang("end. Next"), "end. Next");
        assert_eq!(defang("xn--p1ai.рф"), "xn--p1ai[.]рф");
    }

    #[test]
    fn defang_is_idempotent() {
        for s in ["@a #b c.d e://f [@] [#] [.] [:]//", "[@x] [#]] @]", "a.b.c"] {
            let once = defang(s);
            assert_eq!(defang(&once), once, "{s}");
        }
    }

    #[test]
    fn clean_normalises_and_collapses() {
        assert_eq!(clean("  e\u{301}\n\tx\r\ny  "), "é x y");
        assert_eq!(clean("a\u{202e}b\u{7}c"), "a\u{fffd}b\u{fffd}c");
        assert_eq!(clean("a\u{2028}b"), "a b");
    }

    #[test]
    fn shorten_keeps_whole_clusters() {
        assert_eq!(shorten("abcdef", 6), "abcdef");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("ab 👨\u{200d}👩\u{200d}👧", 5), "ab…");
        assert_eq!(shorten(&format!("Z{}", "\u{336}".repeat(50)), 10), "…");
    }

    #[test]
    fn post_text_bounds_every_word() {
        let long = "x".repeat(500);
        let out = post_text(&format!("a {long} b"));
        assert!(out.split(' ').all(|w| w.chars().count() <= MAX_WORD_CHARS));
        assert!(out.starts_with("a x") && out.ends_with("… b"));
    }

    #[test]
    fn shortening_never_leaves_half_a_defanged_sigil() {
        for sigil in ["#", "@", ".x", "://"] {
            for pad in 90..100 {
                let word = format!("{}{sigil}{}", "a".repeat(pad), "b".repeat(20));
                let out = post_text(&word);
                assert!(out.chars().count() <= MAX_WORD_CHARS, "{out}");
                for half in ["[@…", "[#…", "[.…", "[:…"] {
                    assert!(!out.ends_with(half), "{out}");
                }
            }
        }
    }

    #[test]
    fn hashtags_are_slugs_with_a_letter() {
        assert_eq!(hashtag("#sparky"), Ok("sparky".into()));
        assert_eq!(hashtag("build in public"), Ok("buildInPublic".into()));
        assert_eq!(hashtag("dev/ops"), Ok("devOps".into()));
        assert_eq!(hashtag("Rust_lang"), Ok("Rust_lang".into()));
        assert_eq!(hashtag("हिन्दी"), Ok("हिन्दी".into()));
        assert_eq!(hashtag("日本"), Ok("日本".into()));
        assert!(hashtag("#2025").is_err());
        assert!(hashtag("🎉").is_err());
        assert!(hashtag(&"a".repeat(51)).is_err());
    }
}

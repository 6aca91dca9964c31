//! Platform rules: each platform's post limit, counted in the platform's own unit, never below
//! what the platform itself counts (where platforms differ or are vague, the larger count is
//! taken, so a draft that fits here fits there).

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

/// A platform Sparky drafts posts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    X,
    Bluesky,
    Mastodon,
    Linkedin,
}

/// Every platform, in the order drafts are listed.
pub const ALL: [Platform; 4] = [
    Platform::X,
    Platform::Bluesky,
    Platform::Mastodon,
    Platform::Linkedin,
];

/// What X (t.co), and Mastodon in its own count, charge for any URL, whatever its length.
pub const URL_WEIGHT: usize = 23;
/// The default character limit of a Mastodon instance (`[social] mastodon_limit` changes it).
pub const MASTODON_DEFAULT_LIMIT: usize = 500;
/// Bluesky's second limit on a post's text, in UTF-8 bytes (`app.bsky.feed.post`).
pub const BLUESKY_MAX_BYTES: usize = 3000;

impl Platform {
    /// The name in files and config: `x`, `bluesky`, `mastodon`, `linkedin`.
    pub fn key(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Bluesky => "bluesky",
            Platform::Mastodon => "mastodon",
            Platform::Linkedin => "linkedin",
        }
    }

    /// The name people use.
    pub fn title(self) -> &'static str {
        match self {
            Platform::X => "X",
            Platform::Bluesky => "Bluesky",
            Platform::Mastodon => "Mastodon",
            Platform::Linkedin => "LinkedIn",
        }
    }

    /// The post limit: X 280, Bluesky 300, LinkedIn 3,000, Mastodon the instance's.
    pub fn limit(self, mastodon_limit: usize) -> usize {
        match self {
            Platform::X => 280,
            Platform::Bluesky => 300,
            Platform::Mastodon => mastodon_limit,
            Platform::Linkedin => 3000,
        }
    }

    /// The unit the limit is counted in.
    pub fn unit(self) -> &'static str {
        match self {
            Platform::X => "weighted characters",
            Platform::Bluesky => "graphemes",
            Platform::Mastodon => "characters",
            Platform::Linkedin => "characters",
        }
    }
}

/// One platform's limit, and the link the count treats specially.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    pub platform: Platform,
    pub limit: usize,
    /// The report's URL: X and Mastodon count it as [`URL_WEIGHT`] wherever it appears.
    pub link: Option<&'a str>,
}

impl Rules<'_> {
    /// `text`'s length in the platform's unit.
    ///
    /// - **X**: twitter-text v3 weights (`config/v3.json`): a code point in U+0000-10FF,
    ///   U+2000-200D, U+2010-201F or U+2032-2037 weighs 1, any other 2; every URL weighs 23.
    ///   X counts after NFC normalisation and counts a whole emoji sequence as 2; Sparky writes
    ///   NFC text and weighs each code point of an emoji on its own (a family emoji weighs 8
    ///   here, 2 on X), and weighs `©` and `®` 2 in case X reads them as emoji. Never below X.
    /// - **Bluesky**: extended grapheme clusters (UAX #29), plus one for each Indic conjunct
    ///   (a virama joining two consonants), which segmenters older than Unicode 15.1 count as
    ///   two clusters; the text must also stay within 3,000 UTF-8 bytes (see [`fits`]).
    /// - **Mastodon**: Unicode scalar values, every URL as 23. The server counts grapheme
    ///   clusters, which are never more than scalar values.
    /// - **LinkedIn**: UTF-16 code units (what a JavaScript `length` counts), the most any
    ///   reading of "3,000 characters" can mean; links count in full.
    ///
    /// [`fits`]: Self::fits
    pub fn count(&self, text: &str) -> usize {
        match self.platform {
            Platform::X => self.with_links(text, |s| s.chars().map(x_weight).sum()),
            Platform::Mastodon => self.with_links(text, |s| s.chars().count()),
            Platform::Bluesky => graphemes(text),
            Platform::Linkedin => text.encode_utf16().count(),
        }
    }

    /// Whether `text` is a valid post: within the limit, and for Bluesky within its byte limit.
    pub fn fits(&self, text: &str) -> bool {
        let bytes_ok = self.platform != Platform::Bluesky || text.len() <= BLUESKY_MAX_BYTES;
        bytes_ok && self.count(text) <= self.limit
    }

    /// Counts the text between occurrences of the link with `measure`, and each occurrence as
    /// [`URL_WEIGHT`].
    fn with_links(&self, text: &str, measure: impl Fn(&str) -> usize) -> usize {
        match self.link {
            Some(link) if !link.is_empty() => {
                let pieces: Vec<&str> = text.split(link).collect();
                pieces.iter().map(|p| measure(p)).sum::<usize>() + (pieces.len() - 1) * URL_WEIGHT
            }
            _ => measure(text),
        }
    }
}

/// A code point's weight on X (twitter-text v3), `©`/`®` taken as emoji.
pub fn x_weight(c: char) -> usize {
    let cp = c as u32;
    let light = matches!(cp, 0..=0x10ff | 0x2000..=0x200d | 0x2010..=0x201f | 0x2032..=0x2037);
    if light && c != '\u{a9}' && c != '\u{ae}' {
        1
    } else {
        2
    }
}

/// Grapheme clusters, counting each Indic conjunct as the two clusters older segmenters see.
pub fn graphemes(text: &str) -> usize {
    text.graphemes(true)
        .map(|g| {
            let mut chars = g.chars().peekable();
            let mut n = 1;
            while let Some(c) = chars.next() {
                if is_virama(c) && chars.peek().is_some() {
                    n += 1;
                }
            }
            n
        })
        .sum()
}

/// The Indic viramas that link consonants into one cluster since Unicode 15.1 (GB9c).
fn is_virama(c: char) -> bool {
    matches!(
        c,
        '\u{094d}' | '\u{09cd}' | '\u{0acd}' | '\u{0b4d}' | '\u{0c4d}' | '\u{0d4d}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(platform: Platform, link: Option<&str>) -> Rules<'_> {
        Rules {
            platform,
            limit: 280,
            link,
        }
    }

    #[test]
    fn x_weighs_cjk_and_emoji_double_and_links_as_23() {
        let x = rules(
            Platform::X,
            Some("https://example.com/a/very/long/path/indeed"),
        );
        assert_eq!(x.count("hello"), 5);
        assert_eq!(x.count("日本語"), 6);
        assert_eq!(x.count("café – “ok”"), 11);
        assert_eq!(x.count("👍"), 2);
        // A family: three emoji (2 each) joined by two ZWJs (1 each); X itself counts 2.
        assert_eq!(x.count("👨\u{200d}👩\u{200d}👧"), 8);
        assert_eq!(x.count("© ®"), 5);
        assert_eq!(
            x.count("see https://example.com/a/very/long/path/indeed now"),
            4 + 23 + 4
        );
        assert_eq!(
            x.count("עברית العربية"),
            13,
            "right-to-left scripts weigh 1"
        );
    }

    #[test]
    fn bluesky_counts_graphemes_and_conjuncts_conservatively() {
        let b = rules(Platform::Bluesky, Some("https://example.com"));
        assert_eq!(b.count("👨\u{200d}👩\u{200d}👧"), 1);
        assert_eq!(b.count("🇩🇪"), 1);
        assert_eq!(b.count("e\u{301}"), 1);
        assert_eq!(b.count("https://example.com"), 19, "links count in full");
        // क्ष: one cluster since Unicode 15.1, two before.
        assert_eq!(b.count("\u{915}\u{94d}\u{937}"), 2);
        let zalgo = format!("Z{}", "\u{336}".repeat(3000));
        assert_eq!(b.count(&zalgo), 1);
        assert!(!b.fits(&zalgo), "within 300 graphemes but over 3,000 bytes");
    }

    #[test]
    fn mastodon_counts_scalars_and_linkedin_utf16() {
        let m = rules(Platform::Mastodon, Some("https://example.com/x"));
        assert_eq!(m.count("👍 https://example.com/x"), 2 + 23);
        let l = rules(Platform::Linkedin, None);
        assert_eq!(l.count("👍a"), 3);
        assert_eq!(l.count("é"), 1);
    }
}

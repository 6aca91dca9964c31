//! Numbers in prose: how a figure is recognised, and which text is not prose.
//!
//! A number is a run of ASCII digits that does not follow a letter, digit or `_` (so `v2`,
//! `W46`, `sha256` are names, not figures), optionally with thousands groups (`1,234`), a sign
//! before it (`+12`, `-3`, `−3`) and a percent sign after it (`20 %`, `20%`). A run that
//! continues with letters still counts (`3x` is 3). Figures are compared by magnitude: the sign
//! and the percent sign are shown in findings but not checked, and `09` equals `9`.
//!
//! Not prose, so never checked (the text is blanked before numbers are read):
//! - dates `YYYY-MM-DD` and times (`2025-11-10T00:00:00+00:00`, `10:30`, `10:30:15`),
//! - window labels `YYYY-Www` and `YYYY-MM`,
//! - URLs (`http://…`, `https://…` up to the next space),
//! - commit ids: words of 7 to 40 hexadecimal characters that begin a commit id of the facts,
//! - the period in words of the page ("week 46 of 2025 (10 November to 16 November 2025)"),
//! - link destinations and wikilink targets (removed by [`visible`](super::text::visible)).

/// One number as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Num {
    /// As shown, sign and percent included (`-14`, `1,234`, `82 %`).
    pub shown: String,
    /// The magnitude's digits without separators or leading zeros (`14`, `1234`, `0`).
    pub key: String,
    /// Directly followed by `…`: a number cut short by truncation.
    pub truncated: bool,
}

/// The magnitude key of a digit string.
fn key_of(digits: &str) -> String {
    let d: String = digits.chars().filter(char::is_ascii_digit).collect();
    let trimmed = d.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The numbers in `text`, in order.
pub(super) fn tokens(text: &str) -> Vec<Num> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let glued = i > 0 && is_word(chars[i - 1]);
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if glued {
            continue;
        }
        if i - start <= 3 {
            while chars.get(i) == Some(&',')
                && (1..=3).all(|k| chars.get(i + k).is_some_and(char::is_ascii_digit))
                && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
            {
                i += 4;
            }
        }
        let digits: String = chars[start..i].iter().collect();
        let sign = start
            .checked_sub(1)
            .map(|s| chars[s])
            .filter(|s| matches!(s, '+' | '-' | '\u{2212}'))
            .filter(|_| start < 2 || !is_word(chars[start - 2]));
        let mut shown: String = sign.map(String::from).unwrap_or_default();
        shown.push_str(&digits);
        let truncated = chars.get(i) == Some(&'…');
        let percent = match (chars.get(i), chars.get(i + 1)) {
            (Some('%'), _) => Some("%"),
            (Some(' '), Some('%')) => Some(" %"),
            _ => None,
        };
        if let Some(p) = percent {
            shown.push_str(p);
        }
        out.push(Num {
            key: key_of(&digits),
            shown,
            truncated,
        });
    }
    out
}

/// Blanks what is not prose in `text` (see the module documentation): `period_words` (the
/// page's period in words), URLs, dates, times, window labels and words `is_commit_id` accepts.
pub(super) fn mask(
    text: &str,
    period_words: Option<&str>,
    is_commit_id: &dyn Fn(&str) -> bool,
) -> String {
    let mut text = text.to_string();
    if let Some(words) = period_words.filter(|w| !w.is_empty()) {
        text = text.replace(words, &" ".repeat(words.chars().count()));
    }
    let mut chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !is_word(chars[i - 1]);
        let len = if boundary {
            url_len(&chars[i..])
                .or_else(|| date_like_len(&chars[i..]))
                .or_else(|| {
                    hex_word_len(&chars[i..]).filter(|&n| is_commit_id(&word(&chars, i, n)))
                })
        } else {
            None
        };
        match len {
            Some(n) => {
                chars[i..i + n].iter_mut().for_each(|c| *c = ' ');
                i += n;
            }
            None => i += 1,
        }
    }
    chars.into_iter().collect()
}

fn word(chars: &[char], at: usize, len: usize) -> String {
    chars[at..at + len].iter().collect()
}

fn url_len(s: &[char]) -> Option<usize> {
    let head: String = s.iter().take(8).collect::<String>().to_ascii_lowercase();
    if !(head.starts_with("http://") || head.starts_with("https://")) {
        return None;
    }
    Some(s.iter().take_while(|c| !c.is_whitespace()).count())
}

/// `n` ASCII digits at the start of `s`, then not a digit.
fn digits(s: &[char], n: usize) -> bool {
    (0..n).all(|k| s.get(k).is_some_and(char::is_ascii_digit))
        && !s.get(n).is_some_and(char::is_ascii_digit)
}

/// The length of a date, RFC 3339 time, window label or clock time at the start of `s`.
fn date_like_len(s: &[char]) -> Option<usize> {
    let at = |k: usize| s.get(k).copied();
    if digits(s, 2) && at(2) == Some(':') && digits(&s[3..], 2) {
        return Some(if at(5) == Some(':') && digits(&s[6..], 2) {
            8
        } else {
            5
        });
    }
    if !digits(s, 4) || at(4) != Some('-') {
        return None;
    }
    if at(5) == Some('W') && digits(&s[6..], 2) {
        return Some(8);
    }
    if !digits(&s[5..], 2) {
        return None;
    }
    if at(7) == Some('-') && digits(&s[8..], 2) {
        return Some(10 + time_len(&s[10..]));
    }
    let month: u32 = s[5..7].iter().collect::<String>().parse().ok()?;
    (1..=12).contains(&month).then_some(7)
}

/// `T10:00:00`, `T10:00:00.5Z`, `T10:00+01:00` … after a date; 0 when absent.
fn time_len(s: &[char]) -> usize {
    let at = |k: usize| s.get(k).copied();
    if !matches!(at(0), Some('T' | 't')) || !digits(&s[1..], 2) || at(3) != Some(':') {
        return 0;
    }
    if !s.get(4..).is_some_and(|r| digits(r, 2)) {
        return 0;
    }
    let mut n = 6;
    if at(n) == Some(':') && s.get(n + 1..).is_some_and(|r| digits(r, 2)) {
        n += 3;
    }
    if at(n) == Some('.') {
        n += 1 + s[n + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    match at(n) {
        Some('Z' | 'z') => n + 1,
        Some('+' | '-')
            if s.get(n + 1..).is_some_and(|r| digits(r, 2))
                && at(n + 3) == Some(':')
                && s.get(n + 4..).is_some_and(|r| digits(r, 2)) =>
        {
            n + 6
        }
        _ => n,
    }
}

/// The length of a word of 7 to 40 hexadecimal characters with a digit, at the start of `s`.
fn hex_word_len(s: &[char]) -> Option<usize> {
    let n = s.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    let ends = !s.get(n).is_some_and(|c| is_word(*c));
    ((7..=40).contains(&n) && ends && s[..n].iter().any(char::is_ascii_digit)).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|n| n.shown).collect()
    }

    #[test]
    fn numbers_with_groups_signs_and_percent() {
        assert_eq!(
            shown("17 commits, +1,234 lines (-82 %) and 5% of 10,00 v2 W46 3x 0869"),
            ["17", "+1,234", "-82 %", "5%", "10", "00", "3", "0869"]
        );
        assert_eq!(tokens("1,234")[0].key, "1234");
        assert_eq!(tokens("0869")[0].key, "869");
        assert_eq!(tokens("007")[0].key, "7");
        assert!(tokens("sub 12…")[0].truncated);
        assert_eq!(shown("a-1 x+2 (−3)"), ["1", "2", "−3"]);
        assert_eq!(shown("web 10, api 4"), ["10", "4"]);
    }

    #[test]
    fn masks_dates_labels_urls_ids_and_the_period() {
        let none = |_: &str| false;
        let ids = |w: &str| "0869eeb7123456".starts_with(w);
        let m = |t: &str| mask(t, Some("week 46 of 2025"), &ids);
        assert_eq!(tokens(&m("In week 46 of 2025, 3")).len(), 1);
        assert!(tokens(&m("2025-11-14 2025-W46 2025-11 10:30:15")).is_empty());
        assert!(tokens(&m("2025-11-10T00:00:00+00:00 2025-11-10T00:00Z")).is_empty());
        assert!(tokens(&m("https://x.org/a/1 0869eeb")).is_empty());
        assert_eq!(
            shown(&mask("2025-13 1234567", None, &none)),
            ["2025", "13", "1234567"]
        );
        assert_eq!(shown(&m("9999999 ab12")), ["9999999"]);
    }
}

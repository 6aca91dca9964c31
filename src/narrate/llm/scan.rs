//! The scanner under claim extraction: text → tokens (words, numbers, references, dates,
//! versions, commit ids, identifiers). The facts' own texts (names, subjects, paths) go through
//! the same scanner, so a name is split the same way where it is known and where it is claimed.

use jiff::civil::Date;

/// One token's kind and value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// Letters only (an apostrophe inside allowed); case kept.
    Word(String),
    Num {
        value: f64,
        decimals: u32,
        signed: bool,
    },
    /// A `%` standing apart, or split from a number.
    PercentSign,
    /// `1.2k`.
    Compact {
        value: f64,
        step: f64,
    },
    /// `3rd`.
    Ordinal(u64),
    /// `#123`.
    Hash(u64),
    /// `@name`.
    Handle(String),
    IsoDate(Date),
    IsoWeek(i16, i8),
    /// `W46`.
    WeekLabel(i8),
    YearMonth(i16, i8),
    /// `10:30`.
    Time,
    /// `v2.0.0`, `1.4.2-rc1`.
    Version(String),
    /// 7 to 40 hex digits with a digit and a letter.
    Hex(String),
    /// `3x`.
    Times(f64),
    /// Anything else with letters and digits or inner punctuation (`web-2025.11`, `src/a.rs`).
    Ident(String),
}

/// A token with what surrounds it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    /// The token as written.
    pub raw: String,
    /// Punctuation (`, . ; : ! ? )`) follows: names and units do not run across it.
    pub stop_after: bool,
    /// A sentence ends after it (`.`, `!` or `?` follows).
    pub sentence_end: bool,
    /// Written with a leading `~`.
    pub approx: bool,
}

/// Unicode spaces, dashes and quotes made ASCII; thousands separators (`1,234`) removed.
pub(super) fn prepare(text: &str) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}' => ' ',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let separator = c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.len() > i + 3
            && chars[i + 1..=i + 3].iter().all(char::is_ascii_digit)
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !separator {
            out.push(c);
        }
    }
    out
}

const LEADING: &str = "\"'([{<";
const TRAILING: &str = ".,;:!?)\"']}>…";

/// The tokens of `text`.
pub(super) fn scan(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for chunk in prepare(text).split_whitespace() {
        let mut core = chunk;
        let mut approx = false;
        while let Some(c) = core.chars().next() {
            if c == '~' {
                approx = true;
            } else if !LEADING.contains(c) {
                break;
            }
            core = &core[c.len_utf8()..];
        }
        let mut stop_after = false;
        let mut sentence_end = false;
        loop {
            while let Some(c) = core.chars().last().filter(|c| TRAILING.contains(*c)) {
                // A closing bracket whose opener is inside stays (`github-actions[bot]`).
                let opener = match c {
                    ')' => Some('('),
                    ']' => Some('['),
                    '}' => Some('{'),
                    _ => None,
                };
                if opener.is_some_and(|o| core.contains(o)) {
                    break;
                }
                stop_after = true;
                sentence_end |= matches!(c, '.' | '!' | '?');
                core = &core[..core.len() - c.len_utf8()];
            }
            // A possessive ends a name ("Carol's repository" names no repository).
            match core.strip_suffix("'s") {
                Some(rest) if !rest.is_empty() => {
                    core = rest;
                    stop_after = true;
                }
                _ => break,
            }
        }
        split(core, approx, &mut out);
        if stop_after && let Some(last) = out.last_mut() {
            last.stop_after = true;
            last.sentence_end |= sentence_end;
        }
    }
    out
}

fn push(out: &mut Vec<Token>, tok: Tok, raw: &str, approx: bool) {
    out.push(Token {
        tok,
        raw: raw.to_string(),
        stop_after: false,
        sentence_end: false,
        approx,
    });
}

fn alphabetic(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_alphabetic)
}

/// Splits `and/or`, `+48/-0`, `first-time`, `10-16`; classifies everything else whole.
fn split(core: &str, approx: bool, out: &mut Vec<Token>) {
    if !core.chars().any(char::is_alphanumeric) {
        if core == "%" {
            push(out, Tok::PercentSign, core, false);
        }
        return;
    }
    let plain = |p: &str| alphabetic(p) || number(p).is_some();
    if core.contains('/') && core.split('/').all(plain) {
        for part in core.split('/') {
            split(part, approx, out);
        }
        return;
    }
    let body = core.trim_start_matches(['+', '-']);
    let same_kind = body.split('-').all(alphabetic) || body.split('-').all(|p| number(p).is_some());
    if body.contains('-') && iso(core).is_none() && same_kind {
        let parts: Vec<&str> = body.split('-').collect();
        let words: Option<Vec<u64>> = parts
            .iter()
            .map(|p| match p.to_lowercase().as_str() {
                "one" => Some(1),
                lower => super::words::number_word(lower),
            })
            .collect();
        if let Some(ws) = words.filter(|w| w.len() == 2 && w[0] >= 20 && w[1] < 10) {
            let n = (ws[0] + ws[1]) as f64;
            let tok = Tok::Num {
                value: n,
                decimals: 0,
                signed: false,
            };
            return push(out, tok, core, approx);
        }
        for part in parts {
            split(part, approx, out);
        }
        return;
    }
    if let Some(n) = core.strip_suffix('%')
        && let Some(tok) = number(n)
    {
        push(out, tok, n, approx);
        return push(out, Tok::PercentSign, "%", false);
    }
    push(out, classify(core), core, approx);
}

/// `[+-]digits[.digits]`.
fn number(s: &str) -> Option<Tok> {
    let signed = s.starts_with(['+', '-']);
    let body = s.trim_start_matches(['+', '-']);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (body.contains('.') && !digits(frac)) || s.len() - body.len() > 1 {
        return None;
    }
    Some(Tok::Num {
        value: body.parse().ok()?,
        decimals: frac.len() as u32,
        signed,
    })
}

/// `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`.
fn iso(s: &str) -> Option<Tok> {
    let b = s.as_bytes();
    let d = |r: std::ops::Range<usize>| -> Option<i64> {
        let p = s.get(r)?;
        p.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| p.parse().ok())?
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, day) = (d(0..4)?, d(5..7)?, d(8..10)?);
        return Date::new(y as i16, m as i8, day as i8)
            .ok()
            .map(Tok::IsoDate);
    }
    if b.len() == 8 && b[4] == b'-' && (b[5] == b'W' || b[5] == b'w') {
        return Some(Tok::IsoWeek(d(0..4)? as i16, d(6..8)? as i8));
    }
    if b.len() == 7 && b[4] == b'-' {
        let (y, m) = (d(0..4)?, d(5..7)?);
        return (1..=12)
            .contains(&m)
            .then_some(Tok::YearMonth(y as i16, m as i8));
    }
    None
}

fn classify(s: &str) -> Tok {
    let lower = s.to_lowercase();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = s.strip_prefix('#').filter(|n| digits(n)) {
        return n.parse().map_or(Tok::Ident(lower.clone()), Tok::Hash);
    }
    if let Some(h) = s.strip_prefix('@').filter(|h| !h.is_empty()) {
        return Tok::Handle(h.to_lowercase());
    }
    if let Some(tok) = number(s).or_else(|| iso(s)) {
        return tok;
    }
    if let Some(w) = lower
        .strip_prefix('w')
        .filter(|w| digits(w) && w.len() <= 2)
    {
        return Tok::WeekLabel(w.parse().unwrap_or(0));
    }
    if let Some(Tok::Num {
        value, decimals, ..
    }) = lower.strip_suffix('k').and_then(number)
    {
        return Tok::Compact {
            value: value * 1000.0,
            step: 1000.0 / 10f64.powi(decimals as i32),
        };
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(n) = lower.strip_suffix(suffix).filter(|n| digits(n)) {
            return n.parse().map_or(Tok::Ident(lower.clone()), Tok::Ordinal);
        }
    }
    if let Some(Tok::Num { value, .. }) = lower.strip_suffix('x').and_then(number) {
        return Tok::Times(value);
    }
    if let Some((h, m)) = s.split_once(':')
        && digits(h)
        && h.len() <= 2
        && digits(m.trim_end_matches(['a', 'm', 'p']))
    {
        return Tok::Time;
    }
    let v = lower.strip_prefix('v').unwrap_or(&lower);
    let (version, _) = v.split_once(['-', '+']).unwrap_or((v, ""));
    if version.contains('.') && version.split('.').all(digits) {
        return Tok::Version(lower);
    }
    let hex = (7..=40).contains(&s.len())
        && lower.bytes().all(|b| b.is_ascii_hexdigit())
        && lower.bytes().any(|b| b.is_ascii_digit())
        && lower.bytes().any(|b| b.is_ascii_alphabetic());
    if hex {
        return Tok::Hex(lower);
    }
    let word = s.chars().all(|c| c.is_alphabetic() || c == '\'')
        && s.chars().next().is_some_and(char::is_alphabetic);
    if word {
        return Tok::Word(s.to_string());
    }
    Tok::Ident(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        scan(text).into_iter().map(|t| t.tok).collect()
    }

    fn n(value: f64) -> Tok {
        Tok::Num {
            value,
            decimals: 0,
            signed: false,
        }
    }

    #[test]
    fn numbers_dates_and_references() {
        assert_eq!(
            prepare("1,234,567 and 1,23 and 12,345x"),
            "1234567 and 1,23 and 12345x"
        );
        assert_eq!(
            toks("1,234 commits (+20%), #12"),
            vec![
                n(1234.0),
                Tok::Word("commits".into()),
                Tok::Num {
                    value: 20.0,
                    decimals: 0,
                    signed: true
                },
                Tok::PercentSign,
                Tok::Hash(12),
            ]
        );
        assert_eq!(
            toks("2025-11-14 2025-W46 W45 2025-11 10:30"),
            vec![
                Tok::IsoDate(jiff::civil::date(2025, 11, 14)),
                Tok::IsoWeek(2025, 46),
                Tok::WeekLabel(45),
                Tok::YearMonth(2025, 11),
                Tok::Time,
            ]
        );
        assert_eq!(
            toks("v2.0.0. 1.2k 3rd 2x 8ee4541 web-2025.11 src/router.rs"),
            vec![
                Tok::Version("v2.0.0".into()),
                Tok::Compact {
                    value: 1200.0,
                    step: 100.0
                },
                Tok::Ordinal(3),
                Tok::Times(2.0),
                Tok::Hex("8ee4541".into()),
                Tok::Ident("web-2025.11".into()),
                Tok::Ident("src/router.rs".into()),
            ]
        );
    }

    #[test]
    fn words_split_like_names_and_keep_stops() {
        let t = scan("Carol's first-time and/or twenty-three, 10-16 @bob ~40");
        let kinds: Vec<Tok> = t.iter().map(|t| t.tok.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                Tok::Word("Carol".into()),
                Tok::Word("first".into()),
                Tok::Word("time".into()),
                Tok::Word("and".into()),
                Tok::Word("or".into()),
                n(23.0),
                n(10.0),
                n(16.0),
                Tok::Handle("bob".into()),
                n(40.0),
            ]
        );
        assert!(t[5].stop_after, "a comma follows twenty-three");
        assert!(t[0].stop_after, "a possessive ends a name");
        assert!(!t[1].stop_after);
        assert!(t[9].approx);
        assert_eq!(
            toks("github-actions[bot]"),
            vec![Tok::Ident("github-actions[bot]".into())]
        );
    }
}

//! Label hygiene for untrusted text: control and bidi stripping, width-aware truncation with `…`,
//! and XML escaping for element text and attribute values.

/// The mark appended to a label that was cut short.
const ELLIPSIS: char = '…';

/// Characters that never reach a chart or its alt text: C0/C1 controls, DEL, bidi embeddings,
/// overrides, isolates and marks, the BOM, line/paragraph separators and `U+xFFFE`/`U+xFFFF`
/// noncharacters (not allowed in XML).
fn is_unwanted(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
    ) || (c as u32) & 0xfffe == 0xfffe
}

/// Untrusted text made safe to show on one line: tabs and line breaks become spaces, unwanted
/// characters are dropped, runs of whitespace collapse to one space, ends are trimmed.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(1024));
    let mut pending_space = false;
    for c in s.chars() {
        let c = if matches!(c, '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}') {
            ' '
        } else {
            c
        };
        if is_unwanted(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Advances of printable ASCII (space to `~`) in hundredths of an em, from DejaVu Sans: a wide
/// face (what `system-ui` falls back to on Linux), so estimates err wide on other systems.
const ASCII_ADVANCE: [u8; 95] = [
    32, 41, 46, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 34, //
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 34, 34, 84, 84, 84, 54, //
    100, 69, 69, 70, 78, 64, 58, 78, 76, 30, 30, 66, 56, 87, 75, 79, //
    61, 79, 70, 64, 62, 74, 69, 99, 69, 62, 69, 40, 34, 40, 84, 50, //
    50, 62, 64, 55, 64, 62, 36, 64, 64, 28, 28, 58, 28, 98, 64, 62, //
    64, 64, 42, 53, 40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84,
];

/// Approximate advance of `c` in em, erring wide so labels never collide.
fn char_em(c: char) -> f64 {
    match c {
        ' '..='~' => f64::from(ASCII_ADVANCE[c as usize - 0x20]) / 100.0,
        '\u{300}'..='\u{36f}' | '\u{200b}'..='\u{200d}' | '\u{fe00}'..='\u{fe0f}' => 0.0,
        '\u{1100}'..='\u{115f}'
        | '\u{2026}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{1f000}'..='\u{10ffff}' => 1.0,
        _ => 0.7,
    }
}

/// Estimated rendered width of `s` in pixels at `font_px`.
pub(crate) fn width(s: &str, font_px: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * font_px
}

/// `s` cut to fit `max_px` at `font_px`, ending in `…` when cut. Expects cleaned text.
pub(crate) fn fit(s: &str, max_px: f64, font_px: f64) -> String {
    if width(s, font_px) <= max_px {
        return s.to_owned();
    }
    let budget = max_px - char_em(ELLIPSIS) * font_px;
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        used += char_em(c) * font_px;
        if used > budget {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push(ELLIPSIS);
    out
}

/// `s` cut to at most `max_chars` characters (the last being `…` when cut). Expects cleaned text.
pub(crate) fn clip(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max_chars.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push(ELLIPSIS);
    out
}

/// `s` escaped for XML element text and double- or single-quoted attribute values. Characters
/// XML cannot carry are dropped here too, so the output is well-formed whatever the input.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_unwanted(c) => {}
            c => out.push(c),
        }
    }
    out
}

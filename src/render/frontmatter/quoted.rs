//! Double-quoted front-matter scalars: exactly JSON's string syntax (what
//! [`front_matter_string`](crate::render::escape::front_matter_string) writes), read the way
//! js-yaml reads it, with no control characters once decoded.

use super::error::FrontMatterErrorKind as Kind;
use super::parse::is_control;

/// The rest of a double-quoted string after its opening quote: JSON escapes only, nothing after
/// the closing quote.
pub(super) fn double_quoted(rest: &str) -> Result<String, Kind> {
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                if !rest[i + 1..].trim().is_empty() {
                    return Err(Kind::TrailingText);
                }
                if let Some(c) = out.chars().find(|c| is_control(*c)) {
                    let code = format!("U+{:04X}", u32::from(c));
                    return Err(Kind::ControlChar { code });
                }
                return Ok(out);
            }
            '\\' => {
                let (_, e) = chars.next().ok_or(Kind::UnterminatedString)?;
                let simple = match e {
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '/' => Some('/'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    _ => None,
                };
                match (simple, e) {
                    (Some(c), _) => out.push(c),
                    (None, 'u') => out.push(unicode_escape(&mut chars)?),
                    (None, e) => {
                        return Err(Kind::BadEscape {
                            escape: format!("\\{e}"),
                        });
                    }
                }
            }
            c => out.push(c),
        }
    }
    Err(Kind::UnterminatedString)
}

/// The character of a `\uXXXX` escape (after the `u`), joining a surrogate pair.
fn unicode_escape(chars: &mut std::str::CharIndices<'_>) -> Result<char, Kind> {
    let high = hex4(chars)?;
    let code = if (0xD800..0xDC00).contains(&high) {
        let backslash = chars.next().map(|(_, c)| c);
        let u = chars.next().map(|(_, c)| c);
        if backslash != Some('\\') || u != Some('u') {
            return Err(bad_unicode(high));
        }
        let low = hex4(chars)?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(bad_unicode(high));
        }
        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    } else {
        high
    };
    char::from_u32(code).ok_or(bad_unicode(code))
}

fn hex4(chars: &mut std::str::CharIndices<'_>) -> Result<u32, Kind> {
    let digits: String = chars.take(4).map(|(_, c)| c).collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Kind::BadEscape {
            escape: format!("\\u{digits}"),
        });
    }
    u32::from_str_radix(&digits, 16).map_err(|_| Kind::BadEscape {
        escape: format!("\\u{digits}"),
    })
}

fn bad_unicode(code: u32) -> Kind {
    Kind::BadEscape {
        escape: format!("\\u{code:04x}"),
    }
}

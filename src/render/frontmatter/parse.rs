//! The strict front-matter reader behind `sparky check` and human-edit detection: exactly the
//! subset [`FrontMatter::render`](super::FrontMatter::render) writes, plus plain scalars, dates,
//! integers, booleans and lists a person might leave. Anything else is an error with its line.

use jiff::civil::Date;

use super::error::{FrontMatterError, FrontMatterErrorKind as Kind};
use super::{Entry, ParsedFrontMatter, Scalar, Value, quoted};

/// Splits `page` into its front matter and its body (everything after the closing `---` line).
///
/// Accepted: a first line `---`; `key: value` lines at column 0 (keys of letters, digits, `_`,
/// `-`); values that are JSON-escaped double-quoted strings, plain scalars (`null`/`~`, booleans,
/// integers, `YYYY-MM-DD` dates, RFC 3339 times, simple strings) or inline lists `[a, "b"]` of
/// them; `key:` followed by `- item` lines of one indentation; blank lines and `#` comment lines;
/// LF or CRLF line endings; a closing `---` line.
///
/// Rejected, with the 1-based line: tabs, control characters, duplicate keys, a missing closing
/// `---` (or a `---`-prefixed line that is not exactly `---`), an unquoted `: ` or ` #`, a value
/// starting with a YAML indicator (`@ * & ! | > % [` …) that is not a list, single quotes,
/// non-JSON escapes, numbers Quartz would read differently (`1.5`, `0x1f`, `1_000`, beyond
/// 2^53), nesting,
/// and `%%` or `[[` anywhere (Quartz rewrites those before reading the YAML).
pub fn parse(page: &str) -> Result<(ParsedFrontMatter, &str), FrontMatterError> {
    let mut lines = Vec::new();
    let mut offset = 0;
    let mut body = None;
    for (index, raw) in page.split_inclusive('\n').enumerate() {
        let number = index + 1;
        offset += raw.len();
        let text = raw.strip_suffix('\n').unwrap_or(raw);
        let text = text.strip_suffix('\r').unwrap_or(text);
        if index == 0 {
            if text != "---" || !raw.ends_with('\n') {
                return Err(err(1, Kind::MissingOpening));
            }
            continue;
        }
        if text == "---" {
            body = Some(&page[offset..]);
            break;
        }
        if text.starts_with("---") {
            return Err(err(number, Kind::DelimiterLike));
        }
        lines.push((number, text));
    }
    let Some(body) = body else {
        if page.is_empty() {
            return Err(err(1, Kind::MissingOpening));
        }
        return Err(err(
            page.split_inclusive('\n').count(),
            Kind::MissingClosing,
        ));
    };
    Ok((parse_lines(&lines)?, body))
}

/// Whether `s` has the shape `NNNN-NN-NN`.
pub(super) fn is_date_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn err(line: usize, kind: Kind) -> FrontMatterError {
    FrontMatterError { line, kind }
}

/// The key whose block list is being read, with the indentation of its first item.
struct OpenList {
    entry: usize,
    indent: Option<usize>,
}

fn parse_lines(lines: &[(usize, &str)]) -> Result<ParsedFrontMatter, FrontMatterError> {
    let mut parsed = ParsedFrontMatter::default();
    let mut open: Option<OpenList> = None;
    for &(number, text) in lines {
        check_line(number, text)?;
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = text.len() - trimmed.len();
        if trimmed == "-" || trimmed.starts_with("- ") {
            let list = open.as_mut().ok_or(err(number, Kind::OrphanListItem))?;
            if *list.indent.get_or_insert(indent) != indent {
                return Err(err(number, Kind::ListIndent));
            }
            let item = trimmed[1..].trim();
            if item.is_empty() {
                return Err(err(number, Kind::EmptyListItem));
            }
            if item.starts_with('[') || item.starts_with('{') || item.starts_with("- ") {
                return Err(err(number, Kind::Nested));
            }
            let scalar = scalar(item, false).map_err(|kind| err(number, kind))?;
            let entry = &mut parsed.entries[list.entry];
            match &mut entry.value {
                Value::List(items) => items.push(scalar),
                value => *value = Value::List(vec![scalar]),
            }
            continue;
        }
        if indent > 0 {
            return Err(err(number, Kind::ExpectedKey));
        }
        open = None;
        let (key, rest) = text.split_once(':').ok_or(err(number, Kind::ExpectedKey))?;
        if !is_key(key) {
            return Err(err(number, Kind::BadKey { key: key.into() }));
        }
        if let Some(first) = parsed.entry(key) {
            let kind = Kind::DuplicateKey {
                key: key.into(),
                first_line: first.line,
            };
            return Err(err(number, kind));
        }
        let value = if rest.trim().is_empty() {
            open = Some(OpenList {
                entry: parsed.entries.len(),
                indent: None,
            });
            Value::Scalar(Scalar::Null)
        } else if !rest.starts_with(' ') {
            return Err(err(number, Kind::SpaceAfterColon { key: key.into() }));
        } else {
            value(rest.trim()).map_err(|kind| err(number, kind))?
        };
        parsed.entries.push(Entry {
            key: key.to_string(),
            value,
            line: number,
        });
    }
    Ok(parsed)
}

/// Problems anywhere on a line: tabs, raw control characters, and the patterns Quartz rewrites
/// in the raw file before gray-matter sees it.
fn check_line(number: usize, text: &str) -> Result<(), FrontMatterError> {
    if text.contains('\t') {
        return Err(err(number, Kind::Tab));
    }
    if let Some(c) = text.chars().find(|c| is_control(*c)) {
        let code = format!("U+{:04X}", u32::from(c));
        return Err(err(number, Kind::ControlChar { code }));
    }
    if text.contains("%%") {
        return Err(err(number, Kind::ObsidianComment));
    }
    if text.contains("[[") {
        return Err(err(number, Kind::Wikilink));
    }
    Ok(())
}

/// Characters that may not appear in a front matter, raw or escaped: what
/// [`is_unsafe_char`](crate::render::escape::is_unsafe_char) lists, plus TAB, CR and LF inside a
/// value (render turns them into spaces).
pub(super) fn is_control(c: char) -> bool {
    matches!(c, '\t' | '\r' | '\n') || crate::render::escape::is_unsafe_char(c)
}

fn is_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The value after `key: `.
fn value(text: &str) -> Result<Value, Kind> {
    if text.starts_with('[') {
        return inline_list(text).map(Value::List);
    }
    if text.starts_with('{') {
        return Err(Kind::Nested);
    }
    scalar(text, false).map(Value::Scalar)
}

/// An inline list `[a, "b", 3]` of scalars.
fn inline_list(text: &str) -> Result<Vec<Scalar>, Kind> {
    let inner = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .ok_or(Kind::UnclosedList)?;
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut items = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if in_quotes {
        return Err(Kind::UnterminatedString);
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .map(|item| match item.trim() {
            "" => Err(Kind::EmptyListItem),
            t if t.starts_with('[') || t.starts_with('{') => Err(Kind::Nested),
            t => scalar(t, true),
        })
        .collect()
}

/// One scalar; `in_flow` inside an inline list, where `, [ ] { }` end a plain scalar.
fn scalar(text: &str, in_flow: bool) -> Result<Scalar, Kind> {
    if let Some(rest) = text.strip_prefix('"') {
        return quoted::double_quoted(rest).map(Scalar::Str);
    }
    let first = text.chars().next().unwrap_or(' ');
    if first == '\'' {
        return Err(Kind::SingleQuoted);
    }
    let second_is_space = text[first.len_utf8()..].starts_with(' ') || text.len() == 1;
    let indicator = match first {
        '-' | '?' | ':' => second_is_space,
        '[' | ']' | '{' | '}' | ',' | '#' | '&' | '*' | '!' | '|' | '>' | '"' | '%' | '@' | '`' => {
            true
        }
        _ => false,
    };
    if indicator {
        return Err(Kind::IndicatorStart { indicator: first });
    }
    if text.contains(" #") {
        return Err(Kind::CommentInValue);
    }
    if text.contains(": ") || text.ends_with(':') {
        return Err(Kind::UnquotedColon);
    }
    if in_flow && text.contains([',', '[', ']', '{', '}']) {
        return Err(Kind::FlowIndicator);
    }
    plain(text)
}

/// A plain (unquoted) scalar, typed the way js-yaml's JSON schema and Quartz would read it.
fn plain(text: &str) -> Result<Scalar, Kind> {
    match text {
        "~" | "null" | "Null" | "NULL" => return Ok(Scalar::Null),
        "true" | "True" | "TRUE" => return Ok(Scalar::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Scalar::Bool(false)),
        _ => {}
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
    {
        let out_of_range = || Kind::IntOutOfRange { text: text.into() };
        let value: i64 = text.parse().map_err(|_| out_of_range())?;
        if value.unsigned_abs() > super::MAX_SAFE_INTEGER {
            return Err(out_of_range());
        }
        return Ok(Scalar::Int(value));
    }
    if is_date_shape(text) {
        let date: Date = text
            .parse()
            .map_err(|_| Kind::InvalidDate { text: text.into() })?;
        return Ok(Scalar::Date(date));
    }
    let time_separator = text
        .as_bytes()
        .get(10)
        .is_some_and(|b| matches!(b, b'T' | b't'));
    if time_separator && text.get(..10).is_some_and(is_date_shape) {
        let time = text
            .parse()
            .map_err(|_| Kind::InvalidDate { text: text.into() })?;
        return Ok(Scalar::Timestamp(time));
    }
    if looks_numeric(text) {
        return Err(Kind::AmbiguousScalar { text: text.into() });
    }
    Ok(Scalar::Str(text.to_string()))
}

/// Whether js-yaml might read `text` as a number other than a plain decimal integer: signs,
/// leading zeros, `_` separators, hex/octal/binary, decimals, exponents, `.inf`, `.nan`.
fn looks_numeric(text: &str) -> bool {
    let unsigned = text.trim_start_matches(['+', '-']);
    let lower = unsigned.to_ascii_lowercase();
    if lower == ".inf" || lower == ".nan" {
        return true;
    }
    let starts_numeric = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    starts_numeric
        && unsigned.bytes().any(|b| b.is_ascii_digit())
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b"._+-xXoO".contains(&b))
}

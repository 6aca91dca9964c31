//! Parsing: TOML text into a [`Config`], with toml and serde errors turned into positioned
//! [`ConfigError`]s that name the key, its section and what was expected.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{ConfigError, Position};
use super::model::Config;

/// One step of a path into the document: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Parses `text` (read from `file`) into a [`Config`], also returning the spanned document
/// so later checks can point at values.
pub(crate) fn parse<'t>(file: &Path, text: &'t str) -> Result<(Config, DeTable<'t>), ConfigError> {
    let doc = DeTable::parse(text).map_err(|e| ConfigError::Syntax {
        at: Position::new(file, text, e.span().unwrap_or(0..0)),
        message: e.message().to_string(),
    })?;
    let de = toml::de::Deserializer::from(doc.clone());
    match Config::deserialize(de) {
        Ok(config) => Ok((config, doc.into_inner())),
        Err(e) => Err(translate(file, text, doc.get_ref(), &e)),
    }
}

/// Turns a deserialization error into the most specific [`ConfigError`] it matches.
///
/// toml's error exposes only a message and a span. The key and section come from the span
/// (looked up in the document); the valid keys and expected type come from serde's message
/// wording (`unknown field `x`, expected one of …`, `invalid type: …, expected …`), which has
/// been stable for years. Should it change, the error degrades to [`ConfigError::Syntax`] with
/// the raw message, still positioned.
fn translate(file: &Path, text: &str, doc: &DeTable<'_>, err: &toml::de::Error) -> ConfigError {
    let span = err.span().unwrap_or(0..0);
    let at = Position::new(file, text, span.clone());
    let message = err.message();
    let found = find(doc, &span);
    let (section, key) = match &found {
        Some((path, _)) => describe(path),
        None => ("the top level".to_string(), String::new()),
    };
    let value = found.as_ref().and_then(|(_, v)| *v);

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (bad, valid) = match rest.split_once("`, expected ") {
            Some((bad, tail)) => (bad, backticked(tail)),
            None => (rest.split('`').next().unwrap_or(rest), Vec::new()),
        };
        let key = if key.is_empty() { bad.to_string() } else { key };
        let suggestion = closest(&key, valid.iter().map(String::as_str));
        let hint = unknown_key_hint(&section, suggestion.as_deref(), &valid);
        return ConfigError::UnknownKey {
            at,
            key,
            section,
            valid,
            hint,
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (bad, expected) = rest.split_once("`, expected ").unwrap_or((rest, ""));
        let options = backticked(expected);
        let hint = match closest(bad, options.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? `{key}` accepts {expected}"),
            None => format!("`{key}` accepts {expected}"),
        };
        let found = format!("`{bad}`");
        return ConfigError::InvalidValue {
            at,
            key,
            section,
            found,
            hint,
        };
    }
    let expected = if let Some(rest) = message.strip_prefix("invalid type: ") {
        rest.rsplit_once(", expected ").map(|(_, e)| toml_type(e))
    } else if message == "wanted string or table" {
        Some("a string")
    } else {
        None
    };
    if let (Some(expected), Some(value)) = (expected, value) {
        let found = describe_value(text, value);
        let hint = wrong_type_hint(&key, expected, value.get_ref());
        return ConfigError::WrongType {
            at,
            key,
            section,
            expected,
            found,
            hint,
        };
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let (Some((_, expected)), Some(value)) = (rest.rsplit_once(", expected "), value)
    {
        let expected = match toml_type(expected) {
            "an integer" => "a non-negative integer",
            other => other,
        };
        let found = describe_value(text, value);
        let hint = format!("`{key}` must be {expected}");
        return ConfigError::InvalidValue {
            at,
            key,
            section,
            found,
            hint,
        };
    }
    ConfigError::Syntax {
        at,
        message: message.to_string(),
    }
}

/// Finds the key whose key span, or value span, is `span`: its path and, for a value, the value.
fn find<'d, 't>(
    table: &'d DeTable<'t>,
    span: &Range<usize>,
) -> Option<(Vec<Seg>, Option<&'d Spanned<DeValue<'t>>>)> {
    for (k, v) in table.iter() {
        let seg = Seg::Key(k.get_ref().to_string());
        if k.span() == *span {
            return Some((vec![seg], None));
        }
        if let Some((mut path, value)) = find_in_value(v, span) {
            path.insert(0, seg);
            return Some((path, value));
        }
    }
    None
}

fn find_in_value<'d, 't>(
    value: &'d Spanned<DeValue<'t>>,
    span: &Range<usize>,
) -> Option<(Vec<Seg>, Option<&'d Spanned<DeValue<'t>>>)> {
    if value.span() == *span {
        return Some((Vec::new(), Some(value)));
    }
    match value.get_ref() {
        DeValue::Table(t) => find(t, span),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let (mut path, v) = find_in_value(item, span)?;
            path.insert(0, Seg::Index(i));
            Some((path, v))
        }),
        _ => None,
    }
}

/// The span of the value at `path`, if the document has it.
pub(crate) fn span_at(doc: &DeTable<'_>, path: &[Seg]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    let Seg::Key(key) = first else { return None };
    let (_, mut value) = doc.iter().find(|(k, _)| k.get_ref() == key)?;
    for seg in rest {
        value = match seg {
            Seg::Key(k) => value.get_ref().get(k.as_str())?,
            Seg::Index(i) => value.get_ref().get(*i)?,
        };
    }
    Some(value.span())
}

/// `(section, key)` for a path: `[periods]`, `[[repos]]` or `the top level`, and the last key.
pub(crate) fn describe(path: &[Seg]) -> (String, String) {
    let mut path = path;
    while let Some((Seg::Index(_), rest)) = path.split_last() {
        path = rest;
    }
    let Some((Seg::Key(key), parents)) = path.split_last() else {
        return ("the top level".to_string(), String::new());
    };
    let names: Vec<&str> = parents
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let section = match parents.last() {
        None => "the top level".to_string(),
        Some(Seg::Index(_)) => format!("`[[{}]]`", names.join(".")),
        Some(Seg::Key(_)) => format!("`[{}]`", names.join(".")),
    };
    (section, key.clone())
}

/// The words between backticks, in order: `` `a`, `b` `` gives `a`, `b`.
fn backticked(s: &str) -> Vec<String> {
    s.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn unknown_key_hint(section: &str, suggestion: Option<&str>, valid: &[String]) -> String {
    let list = valid
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let accepts = if valid.is_empty() {
        format!("{section} takes no keys")
    } else {
        format!("{section} accepts {list}")
    };
    match suggestion {
        Some(s) => format!("did you mean `{s}`? {accepts}"),
        None => accepts,
    }
}

/// Serde's name for an expected type, in TOML's words.
fn toml_type(expected: &str) -> &'static str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" => "an integer",
        "a boolean" => "a boolean (`true` or `false`)",
        "a string" | "path string" | "a borrowed string" | "a character" => "a string",
        "a sequence" => "an array",
        "a map" => "a table",
        e if e.starts_with("struct ") => "a table",
        e if e.starts_with("enum ") => "a string",
        e if e.starts_with("f32") || e.starts_with("f64") => "a number",
        _ => "a value of another type",
    }
}

/// `a string ("four")`, `an integer (4)`, `an array`, `a table`.
fn describe_value(text: &str, value: &Spanned<DeValue<'_>>) -> String {
    let raw = text.get(value.span()).unwrap_or("").trim();
    match value.get_ref() {
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
        DeValue::Integer(_) => format!("an integer ({raw})"),
        DeValue::Float(_) => format!("a float ({raw})"),
        DeValue::Boolean(_) => format!("a boolean ({raw})"),
        DeValue::Datetime(_) => format!("a date-time ({raw})"),
        DeValue::String(_) => format!("a string ({raw})"),
    }
}

fn wrong_type_hint(key: &str, expected: &str, value: &DeValue<'_>) -> String {
    let base = format!("`{key}` takes {expected}");
    match (expected, value) {
        ("an integer", DeValue::String(s)) if s.trim().parse::<i64>().is_ok() => {
            format!("{base}; remove the quotes: `{key} = {}`", s.trim())
        }
        (e, DeValue::String(s)) if e.starts_with("a boolean") && (s == "true" || s == "false") => {
            format!("{base}; remove the quotes: `{key} = {s}`")
        }
        ("an array", DeValue::String(s)) => {
            format!("{base}; wrap it in brackets: `{key} = [{s:?}]`")
        }
        _ => base,
    }
}

/// The candidate closest to `word` (case-insensitive edit distance), if it is close enough
/// to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("time_zon", "time_zone"), 1);
        assert_eq!(edit_distance("timezone", "time_zone"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_needs_a_near_match() {
        let keys = ["time_zone", "date_field"];
        assert_eq!(closest("Time_Zon", keys).as_deref(), Some("time_zone"));
        assert_eq!(closest("datefield", keys).as_deref(), Some("date_field"));
        assert_eq!(closest("colour", keys), None);
    }

    #[test]
    fn backticked_words() {
        assert_eq!(backticked("one of `a`, `b`, `c`"), ["a", "b", "c"]);
        assert_eq!(backticked("`a` or `b`"), ["a", "b"]);
    }
}

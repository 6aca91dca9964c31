//! Front matter: writes the form verified safe in Quartz 4.5.2 and reads it back strictly.
//!
//! [`FrontMatter::render`] writes every string JSON-quoted through
//! [`front_matter_string`](super::escape::front_matter_string), `date: YYYY-MM-DD`, tags as a
//! block list of [`tag_slug`](super::escape::tag_slug)s, unique `[a-z_]+` keys in a fixed order,
//! spaces only, and always a closing `---`. [`parse`] accepts exactly that subset plus the plain
//! scalars a person editing the file might leave, and rejects everything else with a line number:
//! one front matter js-yaml cannot read fails the whole site build.

mod error;
mod parse;
mod quoted;

use jiff::civil::Date;

use super::escape::{front_matter_string, front_matter_text, tag_slug};

pub use error::{FrontMatterError, FrontMatterErrorKind};
pub use parse::parse;

/// The largest integer magnitude Quartz reads exactly (JavaScript's `Number.MAX_SAFE_INTEGER`,
/// 2^53 − 1); beyond it js-yaml yields a neighbouring number.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The keys [`FrontMatter::render`] always writes, in this order, before the extra keys.
pub const FIXED_KEYS: [&str; 5] = ["title", "description", "date", "tags", "author"];

/// The front matter of a page Sparky writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// The page title; Quartz shows it as the page's H1 (so the body must not start with one).
    /// An empty title makes Quartz use the file name.
    pub title: String,
    pub description: String,
    /// Written as `YYYY-MM-DD`, which Quartz reads as local midnight of the build machine.
    pub date: Date,
    /// Written through [`tag_slug`], duplicates dropped.
    pub tags: Vec<String>,
    pub author: String,
    /// Sparky's own keys (`sparky_period`, `sparky_generator`, `sparky_narrative`,
    /// `sparky_hash`…), written after the fixed keys in this order. Keys must match `[a-z_]+` and
    /// differ from [`FIXED_KEYS`] and from each other, integers must be safe in JavaScript; see
    /// [`FrontMatter::validate`].
    pub extra: Vec<(String, FmValue)>,
}

/// The value of an extra key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FmValue {
    String(String),
    /// At most [`MAX_SAFE_INTEGER`] in magnitude: Quartz reads numbers as JavaScript doubles.
    Int(i64),
    Bool(bool),
    List(Vec<String>),
}

/// A scalar as [`parse`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Bool(bool),
    /// A plain `YYYY-MM-DD`.
    Date(Date),
    /// A plain RFC 3339 time with an offset (`2025-11-14T10:00:00Z`).
    Timestamp(jiff::Timestamp),
    /// `null`, `~` or an empty value.
    Null,
}

/// A value as [`parse`] reads it: a scalar, or a block or inline (`[a, b]`) list of scalars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(Scalar),
    List(Vec<Scalar>),
}

/// One `key: value` of a parsed front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
    /// 1-based line of the key in the page.
    pub line: usize,
}

/// A front matter read by [`parse`]: its entries in file order, keys unique.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedFrontMatter {
    pub entries: Vec<Entry>,
}

impl FrontMatter {
    /// Checks the extra keys: each must match `[a-z_]+`, none may repeat or be one of
    /// [`FIXED_KEYS`], and no integer may exceed [`MAX_SAFE_INTEGER`] in magnitude.
    pub fn validate(&self) -> Result<(), FrontMatterError> {
        for (index, (key, value)) in self.extra.iter().enumerate() {
            if let Some(kind) = extra_problem(&self.extra[..index], key, value) {
                return Err(FrontMatterError { line: 0, kind });
            }
        }
        Ok(())
    }

    /// The front matter block, `---\n…\n---\n`, ready to be followed by the body.
    ///
    /// Never writes anything js-yaml or Quartz would misread: an extra key that
    /// [`validate`](Self::validate) rejects is left out (and logged), never written broken or
    /// written as a number Quartz would read differently.
    pub fn render(&self) -> String {
        let mut out = String::from("---\n");
        push_line(&mut out, "title", &front_matter_string(&self.title));
        push_line(
            &mut out,
            "description",
            &front_matter_string(&self.description),
        );
        push_line(
            &mut out,
            "date",
            &self.date.strftime("%Y-%m-%d").to_string(),
        );
        let mut tags: Vec<String> = Vec::new();
        for tag in self.tags.iter().map(|t| tag_slug(t)) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        push_list(&mut out, "tags", &tags);
        push_line(&mut out, "author", &front_matter_string(&self.author));
        for (index, (key, value)) in self.extra.iter().enumerate() {
            if let Some(problem) = extra_problem(&self.extra[..index], key, value) {
                tracing::warn!("front matter key left out: {problem}");
                continue;
            }
            match value {
                FmValue::String(s) => push_line(&mut out, key, &front_matter_string(s)),
                FmValue::Int(i) => push_line(&mut out, key, &i.to_string()),
                FmValue::Bool(b) => push_line(&mut out, key, if *b { "true" } else { "false" }),
                FmValue::List(items) => push_list(&mut out, key, items),
            }
        }
        out.push_str("---\n");
        out
    }

    /// This front matter as Quartz will read it back: every string passed through
    /// [`front_matter_text`], tags slugged and de-duplicated, extra keys that
    /// [`validate`](Self::validate) rejects dropped.
    /// `parse(&fm.render())` yields exactly this.
    pub fn normalized(&self) -> FrontMatter {
        let mut tags: Vec<String> = Vec::new();
        for tag in self.tags.iter().map(|t| tag_slug(t)) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut extra: Vec<(String, FmValue)> = Vec::new();
        for (index, (key, value)) in self.extra.iter().enumerate() {
            if extra_problem(&self.extra[..index], key, value).is_some() {
                continue;
            }
            let value = match value {
                FmValue::String(s) => FmValue::String(front_matter_text(s)),
                FmValue::List(items) => {
                    FmValue::List(items.iter().map(|s| front_matter_text(s)).collect())
                }
                other => other.clone(),
            };
            extra.push((key.clone(), value));
        }
        FrontMatter {
            title: front_matter_text(&self.title),
            description: front_matter_text(&self.description),
            date: self.date,
            tags,
            author: front_matter_text(&self.author),
            extra,
        }
    }
}

/// What is wrong with extra key `key` and its value, given the extra keys before it.
fn extra_problem(
    before: &[(String, FmValue)],
    key: &str,
    value: &FmValue,
) -> Option<FrontMatterErrorKind> {
    if let FmValue::Int(i) = value
        && i.unsigned_abs() > MAX_SAFE_INTEGER
    {
        return Some(FrontMatterErrorKind::IntOutOfRange {
            text: i.to_string(),
        });
    }
    extra_key_problem(before, key)
}

/// What is wrong with extra key `key`, given the extra keys before it.
fn extra_key_problem(before: &[(String, FmValue)], key: &str) -> Option<FrontMatterErrorKind> {
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Some(FrontMatterErrorKind::InvalidExtraKey {
            key: key.to_string(),
        });
    }
    if FIXED_KEYS.contains(&key) || before.iter().any(|(k, _)| k == key) {
        return Some(FrontMatterErrorKind::DuplicateKey {
            key: key.to_string(),
            first_line: 0,
        });
    }
    None
}

fn push_line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

fn push_list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        push_line(out, key, "[]");
        return;
    }
    out.push_str(key);
    out.push_str(":\n");
    for item in items {
        out.push_str("  - ");
        out.push_str(&front_matter_string(item));
        out.push('\n');
    }
}

impl ParsedFrontMatter {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }

    /// The entry of `key`, if present.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Reads the entries back into a [`FrontMatter`]: `title` and `date` are required
    /// (`date` a plain date, or a quoted `YYYY-MM-DD`), `description` and `author` are strings
    /// (empty when absent), `tags` a list of strings; every other key becomes an extra key,
    /// which must match `[a-z_]+` and hold a string, integer, boolean or list of strings.
    pub fn to_front_matter(&self) -> Result<FrontMatter, FrontMatterError> {
        let title = self.required("title", string_of)?;
        let date = self.required("date", date_of)?;
        let description = self.optional("description", string_of)?;
        let author = self.optional("author", string_of)?;
        let tags = self.optional("tags", list_of)?;
        let mut extra = Vec::new();
        for entry in self
            .entries
            .iter()
            .filter(|e| !FIXED_KEYS.contains(&e.key.as_str()))
        {
            if let Some(kind) = extra_key_problem(&extra, &entry.key) {
                return Err(FrontMatterError {
                    line: entry.line,
                    kind,
                });
            }
            let value = match &entry.value {
                Value::Scalar(Scalar::Str(s)) => FmValue::String(s.clone()),
                Value::Scalar(Scalar::Int(i)) => FmValue::Int(*i),
                Value::Scalar(Scalar::Bool(b)) => FmValue::Bool(*b),
                Value::List(_) => FmValue::List(list_of(entry)?),
                _ => return Err(wrong_type(entry, "a string, integer, boolean or list")),
            };
            extra.push((entry.key.clone(), value));
        }
        Ok(FrontMatter {
            title,
            description,
            date,
            tags,
            author,
            extra,
        })
    }

    fn required<T>(
        &self,
        key: &'static str,
        read: impl Fn(&Entry) -> Result<T, FrontMatterError>,
    ) -> Result<T, FrontMatterError> {
        match self.entry(key) {
            Some(entry) => read(entry),
            None => Err(FrontMatterError {
                line: 1,
                kind: FrontMatterErrorKind::MissingKey { key },
            }),
        }
    }

    fn optional<T: Default>(
        &self,
        key: &'static str,
        read: impl Fn(&Entry) -> Result<T, FrontMatterError>,
    ) -> Result<T, FrontMatterError> {
        self.entry(key).map_or(Ok(T::default()), read)
    }
}

fn wrong_type(entry: &Entry, expected: &'static str) -> FrontMatterError {
    FrontMatterError {
        line: entry.line,
        kind: FrontMatterErrorKind::WrongType {
            key: entry.key.clone(),
            expected,
        },
    }
}

fn string_of(entry: &Entry) -> Result<String, FrontMatterError> {
    match &entry.value {
        Value::Scalar(Scalar::Str(s)) => Ok(s.clone()),
        _ => Err(wrong_type(entry, "a string")),
    }
}

fn list_of(entry: &Entry) -> Result<Vec<String>, FrontMatterError> {
    match &entry.value {
        Value::List(items) => items
            .iter()
            .map(|item| match item {
                Scalar::Str(s) => Ok(s.clone()),
                _ => Err(wrong_type(entry, "a list of strings")),
            })
            .collect(),
        _ => Err(wrong_type(entry, "a list of strings")),
    }
}

fn date_of(entry: &Entry) -> Result<Date, FrontMatterError> {
    match &entry.value {
        Value::Scalar(Scalar::Date(d)) => Ok(*d),
        Value::Scalar(Scalar::Str(s)) if parse::is_date_shape(s) => s
            .parse()
            .map_err(|_| wrong_type(entry, "a date (YYYY-MM-DD)")),
        _ => Err(wrong_type(entry, "a date (YYYY-MM-DD)")),
    }
}

#[cfg(test)]
mod tests;

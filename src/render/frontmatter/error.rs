//! Front-matter errors: what is wrong, on which line, and how Quartz would suffer from it.

/// A front matter Sparky will not write or accept, at a 1-based line of the page (0 when the
/// problem is in a [`FrontMatter`](super::FrontMatter) value rather than in a page).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("front matter line {line}: {kind}")]
pub struct FrontMatterError {
    pub line: usize,
    pub kind: FrontMatterErrorKind,
}

/// What is wrong with a front matter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterErrorKind {
    #[error("the page does not start with a `---` line")]
    MissingOpening,
    #[error("no closing `---` line (Quartz would read the whole page as YAML)")]
    MissingClosing,
    #[error(
        "a line starting with `---` that is not exactly `---` (gray-matter ends the front matter there)"
    )]
    DelimiterLike,
    #[error("a tab character (YAML forbids tabs in indentation; use spaces)")]
    Tab,
    #[error("a control character ({code}); write it as a JSON escape or remove it")]
    ControlChar { code: String },
    #[error("`%%` in front matter: Quartz deletes everything up to the next `%%`, body included")]
    ObsidianComment,
    #[error("`[[` in front matter: Quartz rewrites it as a wikilink before reading the YAML")]
    Wikilink,
    #[error("expected `key: value`, `key:` or a `- item` of a list")]
    ExpectedKey,
    #[error("key `{key}` is not a plain name (letters, digits, `_`, `-`)")]
    BadKey { key: String },
    #[error("extra key `{key}` must match `[a-z_]+`")]
    InvalidExtraKey { key: String },
    #[error("duplicate key `{key}` (first on line {first_line}); js-yaml fails the build on it")]
    DuplicateKey { key: String, first_line: usize },
    #[error("missing space after `:` of key `{key}`")]
    SpaceAfterColon { key: String },
    #[error("an unquoted `: ` inside a value (js-yaml fails on it); double-quote the value")]
    UnquotedColon,
    #[error("` #` inside an unquoted value starts a YAML comment and drops the rest; quote it")]
    CommentInValue,
    #[error("an unquoted value may not start with `{indicator}`; double-quote it")]
    IndicatorStart { indicator: char },
    #[error("single-quoted strings are not supported; use double quotes")]
    SingleQuoted,
    #[error("`{text}` would be read as a number; quote it or write a plain integer")]
    AmbiguousScalar { text: String },
    #[error(
        "integer `{text}` is beyond ±(2^53 − 1), where Quartz (JavaScript) reads a different number"
    )]
    IntOutOfRange { text: String },
    #[error("`{text}` looks like a date but is not a valid one")]
    InvalidDate { text: String },
    #[error("unknown escape `{escape}` in a double-quoted string (only JSON escapes are allowed)")]
    BadEscape { escape: String },
    #[error("unterminated double-quoted string")]
    UnterminatedString,
    #[error("text after the closing quote")]
    TrailingText,
    #[error("inline list without a closing `]`")]
    UnclosedList,
    #[error("nested lists and maps are not supported")]
    Nested,
    #[error("`,`, `[`, `]`, `{{` or `}}` inside an unquoted list item; quote the item")]
    FlowIndicator,
    #[error("empty list item")]
    EmptyListItem,
    #[error("a list item without a `key:` line above it")]
    OrphanListItem,
    #[error("list items must all have the same indentation")]
    ListIndent,
    #[error("required key `{key}` is missing")]
    MissingKey { key: &'static str },
    #[error("key `{key}` must be {expected}")]
    WrongType { key: String, expected: &'static str },
}

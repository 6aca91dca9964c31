//! Configuration errors: each names the file, and where it can, the line, column and source
//! line of the offending text, plus a hint the user can act on.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A place in the configuration file, with the line it points into (boxed in errors, to keep
/// `Result<_, ConfigError>` small).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The configuration file, as it was given to [`load`](super::load).
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The text of that line, without its line ending.
    pub source_line: String,
    /// How many characters from `column` on are underlined (at least 1).
    pub width: usize,
}

impl Position {
    /// The position of the byte range `span` in `text`, which was read from `file`.
    pub(crate) fn new(file: &Path, text: &str, span: Range<usize>) -> Box<Self> {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let source_line = text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let width = text[start..end.min(line_end)].chars().count().max(1);
        Box::new(Position {
            file: file.to_path_buf(),
            line: text[..line_start].matches('\n').count() + 1,
            column: text[line_start..start].chars().count() + 1,
            source_line,
            width,
        })
    }

    /// The source line with a caret under the position, in the style of compiler messages;
    /// starts with a newline so it can follow a one-line message.
    pub fn snippet(&self) -> String {
        const SNIPPET_CHARS: usize = 160;
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        // Keep tabs so the caret lines up however the terminal renders them.
        let indent: String = self
            .source_line
            .chars()
            .take(self.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        // A huge line is cut where the terminal would wrap it anyway: the caret still points.
        let shown: String = self.source_line.chars().take(SNIPPET_CHARS).collect();
        let cut = if shown.len() < self.source_line.len() {
            " [...]"
        } else {
            ""
        };
        let width = self
            .width
            .min(SNIPPET_CHARS.saturating_sub(indent.chars().count()).max(1));
        format!(
            "\n{pad} |\n{number} | {shown}{cut}\n{pad} | {indent}{}",
            "^".repeat(width)
        )
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Everything that can go wrong reading, checking or writing `sparky.toml`.
///
/// Variants with a position display as `file:line:column: message` followed by the source
/// line and a caret; [`hint`](Self::hint) says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("failed to read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("`{}` is {size} bytes; a sparky.toml may be at most {max} bytes", path.display())]
    TooLarge { path: PathBuf, size: u64, max: u64 },

    #[error("{at}: a value of {len} characters; values may be at most {max}{}", at.snippet())]
    TooLong {
        at: Box<Position>,
        len: usize,
        max: usize,
    },

    #[error("{at}: {message}{}", at.snippet())]
    Syntax { at: Box<Position>, message: String },

    #[error("{at}: unknown key `{key}` in {section}{}", at.snippet())]
    UnknownKey {
        at: Box<Position>,
        key: String,
        /// The table holding the key, e.g. `[periods]` or `[[repos]]`.
        section: String,
        /// The keys that table accepts.
        valid: Vec<String>,
        /// Names the closest valid key when one is close, and lists the valid keys.
        hint: String,
    },

    #[error("{at}: `{key}` in {section} must be {expected}, found {found}{}", at.snippet())]
    WrongType {
        at: Box<Position>,
        key: String,
        section: String,
        /// The expected TOML type, e.g. `an integer`.
        expected: &'static str,
        found: String,
        hint: String,
    },

    #[error("{at}: invalid value for `{key}` in {section}: {found}{}", at.snippet())]
    InvalidValue {
        at: Box<Position>,
        key: String,
        section: String,
        found: String,
        /// Says what the key accepts, e.g. `` `committer` or `author` ``.
        hint: String,
    },

    #[error("{at}: unknown time zone `{name}`{}", at.snippet())]
    UnknownTimeZone {
        at: Box<Position>,
        name: String,
        hint: String,
    },

    #[error("{at}: invalid glob `{glob}`{}", at.snippet())]
    InvalidGlob {
        at: Box<Position>,
        glob: String,
        #[source]
        source: globset::Error,
    },

    #[error("{at}: `jobs` must be between 1 and {max}, found {jobs}{}", at.snippet())]
    JobsOutOfRange {
        at: Box<Position>,
        jobs: usize,
        max: usize,
    },

    #[error("{at}: invalid regular expression `{pattern}` in `{key}`{}", at.snippet())]
    InvalidRegex {
        at: Box<Position>,
        key: String,
        pattern: String,
        #[source]
        source: regex::Error,
    },

    #[error("{at}: `{key}` must be between {min} and {max}, found {found}{}", at.snippet())]
    OutOfRange {
        at: Box<Position>,
        key: String,
        found: u64,
        min: u64,
        max: u64,
    },

    #[error("{at}: repository {number} sets both `url` and `path`{}", at.snippet())]
    RepoUrlAndPath { at: Box<Position>, number: usize },

    #[error("{at}: repository {number} sets neither `url` nor `path`{}", at.snippet())]
    RepoWithoutSource { at: Box<Position>, number: usize },

    #[error("{at}: invalid repository name `{name}`{}", at.snippet())]
    InvalidRepoName { at: Box<Position>, name: String },

    #[error("{at}: `{key}` points to `{}`, which does not exist{}", path.display(), at.snippet())]
    PathNotFound {
        at: Box<Position>,
        key: String,
        /// The path after resolving it against the config file's folder.
        path: PathBuf,
        hint: String,
    },

    #[error("{at}: `{key}` must not be empty{}", at.snippet())]
    EmptyValue { at: Box<Position>, key: String },

    #[error("{at}: alias `{name}` lists no emails{}", at.snippet())]
    AliasWithoutEmails { at: Box<Position>, name: String },

    #[error("{at}: email `{email}` belongs to two aliases, `{first}` and `{second}`{}", at.snippet())]
    DuplicateAliasEmail {
        at: Box<Position>,
        email: String,
        first: String,
        second: String,
    },

    /// The value is not echoed (it may be a token pasted by mistake); the snippet masks it.
    #[error("{at}: `token_env` must be the name of an environment variable{}", at.snippet())]
    InvalidTokenEnv { at: Box<Position>, hint: String },

    #[error("failed to write `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("`{}` already exists", path.display())]
    AlreadyExists { path: PathBuf },
}

impl ConfigError {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<&str> {
        use ConfigError::*;
        match self {
            UnknownKey { hint, .. }
            | WrongType { hint, .. }
            | InvalidValue { hint, .. }
            | UnknownTimeZone { hint, .. }
            | PathNotFound { hint, .. }
            | InvalidTokenEnv { hint, .. } => Some(hint),
            InvalidGlob { .. } => Some(
                "globs use globset syntax: `*` (not across `/`), `**`, `?`, `[abc]`, `{a,b}`; \
                 e.g. `docs/generated/**`",
            ),
            JobsOutOfRange { .. } => Some("use a number from 1 to 32, e.g. `jobs = 4`"),
            InvalidRegex { .. } => Some(
                "patterns are regular expressions (Rust `regex` syntax) matched anywhere in a \
                 repository name, e.g. `^docs-` or `-archive$`",
            ),
            OutOfRange { .. } => Some("use a whole number in that range"),
            RepoUrlAndPath { .. } | RepoWithoutSource { .. } => Some(
                "set exactly one: `url` for a remote to mirror, or `path` for a local repository",
            ),
            InvalidRepoName { .. } => Some(
                "names may contain letters, digits, `.`, `_` and `-`, and must not start with `.`",
            ),
            EmptyValue { .. } => Some("give it a value or remove it"),
            AliasWithoutEmails { .. } => {
                Some("list the person's emails, e.g. `emails = [\"jane@example.com\"]`")
            }
            DuplicateAliasEmail { .. } => Some("keep each email in one alias only"),
            AlreadyExists { .. } => Some("pass `--force` to overwrite it"),
            TooLong { .. } => Some("shorten it: names, paths, URLs and patterns fit in a line"),
            TooLarge { .. } => Some(
                "a configuration lists repositories and settings; check that the file is the right one",
            ),
            Read { .. } | Syntax { .. } | Write { .. } => None,
        }
    }

    /// Where in the file the error is, when it is about a place in the file.
    pub fn position(&self) -> Option<&Position> {
        use ConfigError::*;
        match self {
            Syntax { at, .. }
            | TooLong { at, .. }
            | UnknownKey { at, .. }
            | WrongType { at, .. }
            | InvalidValue { at, .. }
            | UnknownTimeZone { at, .. }
            | InvalidGlob { at, .. }
            | JobsOutOfRange { at, .. }
            | InvalidRegex { at, .. }
            | OutOfRange { at, .. }
            | RepoUrlAndPath { at, .. }
            | RepoWithoutSource { at, .. }
            | InvalidRepoName { at, .. }
            | PathNotFound { at, .. }
            | EmptyValue { at, .. }
            | AliasWithoutEmails { at, .. }
            | DuplicateAliasEmail { at, .. }
            | InvalidTokenEnv { at, .. } => Some(at),
            Read { .. } | Write { .. } | AlreadyExists { .. } | TooLarge { .. } => None,
        }
    }
}

//! Commit text: decoding bytes to strings (UTF-8, declared Latin-1/Windows-1252, else lossy),
//! splitting the message into subject and body like `git log --format=%s/%b`, and reading
//! `Co-authored-by:` trailers and `BREAKING CHANGE:` footers.

use super::model::CoAuthor;

/// The parts of a commit message Sparky keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Message {
    pub subject: String,
    pub body: String,
    pub co_authors: Vec<CoAuthor>,
    pub breaking_footer: bool,
    pub lossy: bool,
}

/// How the bytes of a commit's text are to be read, from its `encoding` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// No header, UTF-8, or an encoding Sparky cannot decode: UTF-8, lossily if need be.
    Utf8,
    /// ISO-8859-1 and its aliases: every byte is the code point of the same value.
    Latin1,
    /// Windows-1252: like Latin-1 except for 0x80..=0x9F.
    Windows1252,
}

impl Encoding {
    /// Interprets the value of a commit's `encoding` header (case and punctuation ignored).
    pub fn from_header(name: Option<&[u8]>) -> Encoding {
        let Some(name) = name else {
            return Encoding::Utf8;
        };
        let norm: Vec<u8> = name
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|b| b.to_ascii_lowercase())
            .collect();
        match norm.as_slice() {
            b"iso88591" | b"latin1" | b"l1" | b"cp819" | b"ibm819" | b"iso8859188" => {
                Encoding::Latin1
            }
            b"windows1252" | b"cp1252" | b"xcp1252" => Encoding::Windows1252,
            _ => Encoding::Utf8,
        }
    }
}

/// Decodes text from a commit. Valid UTF-8 is taken as is; otherwise a declared Latin-1 or
/// Windows-1252 encoding is decoded exactly; anything else is decoded lossily and reported as
/// lossy (`true`).
pub(crate) fn decode(bytes: &[u8], encoding: Encoding) -> (String, bool) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), false);
    }
    match encoding {
        Encoding::Latin1 => (bytes.iter().map(|&b| char::from(b)).collect(), false),
        Encoding::Windows1252 => (bytes.iter().map(|&b| windows_1252(b)).collect(), false),
        Encoding::Utf8 => (String::from_utf8_lossy(bytes).into_owned(), true),
    }
}

/// Windows-1252 differs from Latin-1 only in 0x80..=0x9F; the five unassigned bytes map to
/// the C1 controls of the same value, as the WHATWG encoding standard does.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Git's `isspace` (sane_ctype): space, tab, LF, CR.
fn is_git_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn is_blank(line: &str) -> bool {
    line.trim_end_matches(is_git_space).is_empty()
}

/// Splits `msg` into lines that keep their `\n`, like git's `get_one_line`.
fn lines_with_newline(msg: &str) -> impl Iterator<Item = &str> {
    msg.split_inclusive('\n')
}

/// Parses a decoded message: subject and body exactly as `git log --format=%s` / `%b` (body
/// with trailing whitespace removed), then trailers from the footer.
pub(crate) fn parse(text: &str, lossy: bool) -> Message {
    // skip_blank_lines, then the subject paragraph (format_subject), then skip_blank_lines.
    let mut rest = text;
    let mut lines = lines_with_newline(text).peekable();
    while let Some(line) = lines.peek() {
        if !is_blank(line) {
            break;
        }
        rest = &rest[line.len()..];
        lines.next();
    }
    let mut subject = String::new();
    for line in lines.by_ref() {
        rest = &rest[line.len()..];
        let trimmed = line.trim_end_matches(is_git_space);
        if trimmed.is_empty() {
            break;
        }
        if !subject.is_empty() {
            subject.push(' ');
        }
        subject.push_str(trimmed);
    }
    for line in lines {
        if !is_blank(line) {
            break;
        }
        rest = &rest[line.len()..];
    }
    let body = rest.trim_end_matches(is_git_space).to_owned();
    let (co_authors, breaking_footer) = trailers(&body);
    Message {
        subject,
        body,
        co_authors,
        breaking_footer,
        lossy,
    }
}

/// A footer line in the sense of git trailers and Conventional Commits: `Token: value` or
/// `Token #value` where the token is made of letters, digits and `-`, or `BREAKING CHANGE: …`.
fn is_footer_line(line: &str) -> bool {
    if is_breaking(line) {
        return true;
    }
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(line.len());
    end > 0 && (line[end..].starts_with(": ") || line[end..].starts_with(" #"))
}

fn is_breaking(line: &str) -> bool {
    line.starts_with("BREAKING CHANGE:") || line.starts_with("BREAKING-CHANGE:")
}

/// Reads trailers from the footer of `body`: the last paragraph, plus the paragraphs right
/// before it that open with a footer line (e.g. a `BREAKING CHANGE:` paragraph followed by
/// `Co-authored-by:` trailers). Returns the co-authors in order and
/// whether a breaking-change footer is present.
fn trailers(body: &str) -> (Vec<CoAuthor>, bool) {
    let paragraphs: Vec<Vec<&str>> = body
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect::<Vec<_>>()
        .split(|l| l.trim().is_empty())
        .filter(|p| !p.is_empty())
        .map(<[&str]>::to_vec)
        .collect();
    let mut start = paragraphs.len().saturating_sub(1);
    while start > 0 && is_footer_line(paragraphs[start - 1][0]) {
        start -= 1;
    }
    let mut co_authors = Vec::new();
    let mut breaking = false;
    for line in paragraphs.iter().skip(start).flatten() {
        breaking |= is_breaking(line);
        if let Some(co) = co_author(line) {
            co_authors.push(co);
        }
    }
    (co_authors, breaking)
}

/// Parses `Co-authored-by: Name <email>` (key case-insensitive).
fn co_author(line: &str) -> Option<CoAuthor> {
    const KEY: &str = "co-authored-by:";
    let head = line.get(..KEY.len())?;
    if !head.eq_ignore_ascii_case(KEY) {
        return None;
    }
    let value = line[KEY.len()..].trim();
    let open = value.find('<')?;
    let close = value[open..].find('>')? + open;
    let name = value[..open].trim().to_owned();
    let email = value[open + 1..close].trim().to_owned();
    (!email.is_empty()).then_some(CoAuthor { name, email })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Message {
        parse(text, false)
    }

    #[test]
    fn subject_paragraph_is_folded_and_body_trimmed() {
        let m = p("\n\nfirst line  \nsecond line\n\n\n  body 1\nbody 2\n\n");
        assert_eq!(m.subject, "first line second line");
        assert_eq!(m.body, "  body 1\nbody 2");
    }

    #[test]
    fn subject_only() {
        let m = p("just this");
        assert_eq!((m.subject.as_str(), m.body.as_str()), ("just this", ""));
    }

    #[test]
    fn co_authors_and_breaking_footer_in_the_footer_only() {
        let m = p(
            "feat: x\n\nCo-authored-by: Not Me <no@x>\nis prose here\n\nmore prose\n\n\
                   BREAKING CHANGE: api gone\nco-authored-by: Bob B <bob@x>\n\
                   Co-Authored-By:   Carol <carol@x> \nSigned-off-by: A <a@x>\n",
        );
        assert!(m.breaking_footer);
        let names: Vec<_> = m.co_authors.iter().map(|c| (&*c.name, &*c.email)).collect();
        assert_eq!(names, [("Bob B", "bob@x"), ("Carol", "carol@x")]);
    }

    #[test]
    fn last_paragraph_counts_even_without_leading_footer() {
        let m = p("fix\n\nbody\n\nsome text\nCo-authored-by: Dan <dan@x>\n");
        assert_eq!(m.co_authors.len(), 1);
        assert!(!m.breaking_footer);
    }

    #[test]
    fn breaking_change_needs_upper_case_and_a_footer_position() {
        assert!(p("x\n\nBREAKING-CHANGE: yes\n").breaking_footer);
        assert!(!p("x\n\nbreaking change: no\n").breaking_footer);
        assert!(!p("BREAKING CHANGE: subject is not a footer\n").breaking_footer);
    }

    #[test]
    fn decoding() {
        assert_eq!(
            decode("é".as_bytes(), Encoding::Latin1),
            ("é".into(), false)
        );
        assert_eq!(decode(b"caf\xe9", Encoding::Latin1), ("café".into(), false));
        assert_eq!(decode(b"\x80", Encoding::Windows1252), ("€".into(), false));
        assert_eq!(
            decode(b"caf\xe9", Encoding::Utf8),
            ("caf\u{fffd}".into(), true)
        );
        assert_eq!(Encoding::from_header(Some(b"ISO-8859-1")), Encoding::Latin1);
        assert_eq!(Encoding::from_header(Some(b"latin1")), Encoding::Latin1);
        assert_eq!(
            Encoding::from_header(Some(b"Windows-1252")),
            Encoding::Windows1252
        );
        assert_eq!(Encoding::from_header(Some(b"Shift_JIS")), Encoding::Utf8);
    }
}

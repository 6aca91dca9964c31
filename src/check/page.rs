//! A Sparky page read for checking: which kind it is, its front matter as the strict parser
//! reads it, and its body with the line it starts on.

use super::error::CheckError;
use super::site::Site;
use crate::render::frontmatter::{self, FrontMatterError, ParsedFrontMatter};

/// What a Sparky page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// A report: its front matter has `sparky_generator`.
    Report,
    /// An index page: its front matter has `sparky_index`.
    Index,
}

pub(super) struct Page {
    /// Relative to the content folder.
    pub rel: String,
    pub text: String,
    /// The file was valid UTF-8.
    pub utf8: bool,
    pub role: Role,
    pub front: Result<ParsedFrontMatter, FrontMatterError>,
    /// The body and the 1-based line of the page it starts on; `None` without a closing `---`.
    pub body: Option<(usize, String)>,
}

impl Page {
    /// Reads `rel`; `None` when it is not a Sparky page.
    pub fn load(site: &Site, rel: &str) -> Result<Option<Page>, CheckError> {
        let bytes = site.read(rel)?;
        let (text, utf8) = match String::from_utf8(bytes) {
            Ok(t) => (t, true),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
        };
        let Some(role) = role_of(&text) else {
            return Ok(None);
        };
        let front = frontmatter::parse(&text).map(|(fm, _)| fm);
        let body = split_body(&text);
        Ok(Some(Page {
            rel: rel.to_string(),
            text,
            utf8,
            role,
            front,
            body,
        }))
    }

    /// The page's folder, relative to the content folder.
    pub fn folder(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The page's path without `.md`: its wikilink target.
    pub fn stem(&self) -> &str {
        self.rel.strip_suffix(".md").unwrap_or(&self.rel)
    }

    /// The 1-based line of front-matter key `key`, found textually (also when the front matter
    /// does not parse); 1 when absent.
    pub fn key_line(&self, key: &str) -> usize {
        front_lines(&self.text)
            .find(|(_, l)| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
            .map_or(1, |(n, _)| n)
    }
}

/// The front-matter lines (number, text) between the opening and closing `---`, read without
/// parsing, so a page whose YAML is broken is still recognised.
fn front_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let opened = text.lines().next().is_some_and(|l| l.trim_end() == "---");
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(move |(_, l)| opened && l.trim_end() != "---")
        .map(|(i, l)| (i + 1, l))
}

fn role_of(text: &str) -> Option<Role> {
    front_lines(text).find_map(|(_, l)| {
        if l.starts_with("sparky_generator:") {
            Some(Role::Report)
        } else if l.starts_with("sparky_index:") {
            Some(Role::Index)
        } else {
            None
        }
    })
}

fn split_body(text: &str) -> Option<(usize, String)> {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if i > 0 && line.trim_end() == "---" {
            return Some((i + 2, text[offset..].to_string()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_sparky_pages_even_with_broken_yaml() {
        let page = "---\ntitle: This Week: W47\nsparky_generator: \"sparky\"\n---\n\nBody\n";
        assert_eq!(role_of(page), Some(Role::Report));
        assert_eq!(role_of("---\nsparky_index: true\n---\n"), Some(Role::Index));
        assert_eq!(role_of("---\ntitle: x\n---\nsparky_index: true\n"), None);
        assert_eq!(role_of("no front matter"), None);
        assert_eq!(split_body(page), Some((5, "\nBody\n".to_string())));
    }
}

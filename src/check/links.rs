//! Links in a body line: wikilinks (`[[target|alias]]`, `[[target]]`, `![[embed]]`) and Markdown
//! links and images, found the way Quartz finds them, and whether their targets exist.

use super::finding::{Kind, Sink};
use super::site::{Site, join};
use super::text::{destination_end, scan};

/// One `[[…]]` of a raw line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Wikilink {
    /// Byte range of `[[…]]` (without a leading `!`) in the line.
    pub start: usize,
    pub end: usize,
    pub target: String,
    pub alias: Option<String>,
    /// `![[…]]`.
    pub embed: bool,
}

impl Wikilink {
    /// The shape Sparky writes: `[[path|label]]`, the path of letters, digits and `/_.-`, the
    /// label of letters, digits, spaces and `-(),.` (see `render::index`).
    pub fn is_sparkys(&self) -> bool {
        let path_ok = !self.target.is_empty()
            && self
                .target
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_.-".contains(c));
        let alias_ok = self.alias.as_deref().is_some_and(|a| {
            !a.trim().is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || " -(),.".contains(c))
        });
        !self.embed && path_ok && alias_ok
    }

    /// The target as written, for messages.
    pub fn shown(&self) -> String {
        let bang = if self.embed { "!" } else { "" };
        match &self.alias {
            Some(a) => format!("{bang}[[{}|{a}]]", self.target),
            None => format!("{bang}[[{}]]", self.target),
        }
    }
}

/// Every closed `[[…]]` in `line`, and how many `[[` have no `]]`.
pub(super) fn wikilinks(line: &str) -> (Vec<Wikilink>, usize) {
    let mut out = Vec::new();
    let mut unclosed = 0;
    let mut from = 0;
    while let Some(found) = line[from..].find("[[") {
        let start = from + found;
        let Some(len) = line[start + 2..].find("]]") else {
            unclosed += 1;
            from = start + 2;
            continue;
        };
        let inner = &line[start + 2..start + 2 + len];
        let (target, alias) = match inner.split_once('|') {
            Some((t, a)) => (t.trim_end_matches('\\'), Some(a.to_string())),
            None => (inner, None),
        };
        let end = start + 2 + len + 2;
        out.push(Wikilink {
            start,
            end,
            target: target.to_string(),
            alias,
            embed: line[..start].ends_with('!'),
        });
        from = end;
    }
    (out, unclosed)
}

/// A Markdown link or image destination in a raw line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Destination {
    pub dest: String,
    pub image: bool,
}

/// The destinations of the inline links and images `[text](dest)` / `![alt](dest)` of `line`.
pub(super) fn destinations(line: &str) -> Vec<Destination> {
    let chars = scan(line);
    let mut openers: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch.escaped {
            i += 1;
            continue;
        }
        if ch.c == '[' {
            openers.push(i);
        } else if ch.c == ']' {
            let opener = openers.pop();
            if opener.is_some() && chars.get(i + 1).is_some_and(|n| !n.escaped && n.c == '(') {
                let end = destination_end(&chars, i + 1);
                let inner_end = chars.get(end - 1).map_or(line.len(), |c| c.at);
                let raw = line.get(chars[i + 1].at + 1..inner_end).unwrap_or("");
                let dest = raw.split_whitespace().next().unwrap_or("");
                let dest = dest.trim_start_matches('<').trim_end_matches('>');
                let image = opener
                    .and_then(|o| o.checked_sub(1))
                    .is_some_and(|b| chars[b].c == '!' && !chars[b].escaped);
                out.push(Destination {
                    dest: dest.to_string(),
                    image,
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The scheme of a destination (`https`, `javascript`…), if it has one.
pub(super) fn scheme(dest: &str) -> Option<&str> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    ok.then_some(scheme)
}

/// Reports the wikilinks and relative links of `line` whose targets do not exist.
pub(super) fn check(line: &str, number: usize, folder: &str, site: &Site, sink: &mut Sink) {
    for link in wikilinks(line).0 {
        let target = link.target.split('#').next().unwrap_or("").trim();
        if link.target.starts_with('#') || site.resolves(target) {
            continue;
        }
        let message = if let Some(rest) = target.strip_prefix("content/") {
            format!(
                "wikilink `{}` does not resolve: targets are relative to the content folder (`[[{rest}]]`, without `content/`)",
                link.shown()
            )
        } else {
            format!(
                "wikilink `{}` does not resolve: no `{target}.md` in the content folder",
                link.shown()
            )
        };
        sink.error(number, Kind::Wikilink, message);
    }
    for d in destinations(line) {
        if d.dest.is_empty() || d.dest.starts_with('#') || scheme(&d.dest).is_some() {
            continue;
        }
        let path = d.dest.split(['#', '?']).next().unwrap_or("");
        let path = percent_decode(path);
        let what = if d.image { "image" } else { "link" };
        match join(folder, &path) {
            Some(p) if site.has(&p) || site.resolves(p.trim_end_matches(".md")) => {}
            Some(p) => sink.error(
                number,
                Kind::Link,
                format!("{what} `{}` points at a missing file (`{p}`)", d.dest),
            ),
            None => sink.error(
                number,
                Kind::Link,
                format!("{what} `{}` points outside the content folder", d.dest),
            ),
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_wikilinks_embeds_and_unclosed_ones() {
        let (links, unclosed) = wikilinks("- [[blog/index|the blog]] ![[x]] [[evil]] [[open");
        assert_eq!(unclosed, 1);
        assert_eq!(links.len(), 3);
        assert!(links[0].is_sparkys());
        assert!(links[1].embed && !links[1].is_sparkys());
        assert!(!links[2].is_sparkys(), "no label");
        assert_eq!(links[2].shown(), "[[evil]]");
    }

    #[test]
    fn finds_link_and_image_destinations() {
        let d = destinations(
            "[a \\[x\\]](https://e.org/a_(b)) ![alt \\(1\\)](w-commits.svg) \\[no](x) [t](<f.json> \"t\")",
        );
        let dests: Vec<(&str, bool)> = d.iter().map(|d| (d.dest.as_str(), d.image)).collect();
        assert_eq!(
            dests,
            [
                ("https://e.org/a_(b)", false),
                ("w-commits.svg", true),
                ("f.json", false)
            ]
        );
        assert_eq!(scheme("javascript:alert(1)"), Some("javascript"));
        assert_eq!(scheme("week-2025-46.json"), None);
        assert_eq!(percent_decode("a%20b%zz"), "a b%zz");
    }
}

//! Reading meaning from commit subjects: pull request numbers and conventional-commit types.

use super::model::Conventional;

/// `Merge pull request #N from …` (GitHub's merge commit subject) → N.
pub fn merge_pull_request(subject: &str) -> Option<u64> {
    let rest = subject.strip_prefix("Merge pull request #")?;
    let digits: &str = &rest[..rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len())];
    let after = &rest[digits.len()..];
    if digits.is_empty() || !after.starts_with(" from ") {
        return None;
    }
    digits.parse().ok()
}

/// A subject ending in `(#N)` (GitHub's squash-merge subject) → N.
pub fn squash_ref(subject: &str) -> Option<u64> {
    // Called for every commit: trims the digits off the end rather than searching for `(#`.
    let inner = subject.trim_end().strip_suffix(')')?;
    let head = inner.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &inner[head.len()..];
    if digits.is_empty() || !head.ends_with("(#") {
        return None;
    }
    digits.parse().ok()
}

/// The pull request title a squash-merge subject keeps: the subject without its ` (#N)`.
pub fn squash_title(subject: &str) -> Option<String> {
    squash_ref(subject)?;
    let open = subject.rfind("(#")?;
    let title = subject[..open].trim_end();
    (!title.is_empty()).then(|| title.to_string())
}

/// The pull request title in a GitHub merge commit: the first line of its body, unless that is
/// a trailer such as `Signed-off-by:`.
pub fn merge_title(body: &str) -> Option<String> {
    let line = body.lines().next()?.trim();
    let lower = line.to_ascii_lowercase();
    let trailer = ["signed-off-by:", "co-authored-by:"]
        .iter()
        .any(|t| lower.starts_with(t));
    (!line.is_empty() && !trailer).then(|| line.to_string())
}

/// A conventional-commit header: `type(scope)!: description`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    pub kind: &'a str,
    pub breaking: bool,
}

/// Parses a conventional-commit header; `None` when the subject is not one.
pub fn conventional(subject: &str) -> Option<Header<'_>> {
    // Called for every commit: a byte scan, cheaper for short subjects than a substring search.
    let colon = subject.as_bytes().windows(2).position(|w| w == b": ")?;
    let head = &subject[..colon];
    let (head, breaking) = match head.strip_suffix('!') {
        Some(h) => (h, true),
        None => (head, false),
    };
    let kind = match head.find('(') {
        Some(open) => {
            if !head.ends_with(')') || open == 0 {
                return None;
            }
            &head[..open]
        }
        None => head,
    };
    let valid =
        !kind.is_empty() && kind.len() <= 20 && kind.bytes().all(|b| b.is_ascii_alphabetic());
    valid.then_some(Header { kind, breaking })
}

/// A conventional subject's scope (`screen` in `feat(screen): …`, absent without one) and its
/// description; a subject that is not conventional is all description.
pub fn scope_and_description(subject: &str) -> (Option<&str>, &str) {
    if conventional(subject).is_none() {
        return (None, subject.trim());
    }
    let Some((head, description)) = subject.split_once(": ") else {
        return (None, subject.trim());
    };
    let scope = head
        .split_once('(')
        .and_then(|(_, rest)| rest.trim_end_matches('!').strip_suffix(')'))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    (scope, description.trim())
}

/// Whether a commit announces a breaking change: `type!:` in its subject or a
/// `BREAKING CHANGE:` footer.
pub fn is_breaking(c: &crate::history::CommitRecord) -> bool {
    c.breaking_footer || conventional(&c.subject).is_some_and(|h| h.breaking)
}

/// The conventional type a subject counts under: `feat`, `fix`, `docs`, `refactor`, `perf`,
/// `test`, `build`, `ci`, `chore` or `other`.
pub fn kind(subject: &str) -> &'static str {
    kind_of(conventional(subject))
}

/// The conventional type of a parsed header (`other` without one), case-insensitively.
pub fn kind_of(header: Option<Header<'_>>) -> &'static str {
    // A header's kind is at most 20 ASCII letters: lower-case it on the stack.
    let mut buf = [0u8; 20];
    let kind = header.and_then(|h| {
        let lower = buf.get_mut(..h.kind.len())?;
        lower.copy_from_slice(h.kind.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).ok()
    });
    match kind {
        Some("feat") | Some("feature") => "feat",
        Some("fix") | Some("bugfix") => "fix",
        Some("docs") | Some("doc") => "docs",
        Some("refactor") => "refactor",
        Some("perf") => "perf",
        Some("test") | Some("tests") => "test",
        Some("build") | Some("deps") => "build",
        Some("ci") => "ci",
        Some("chore") => "chore",
        _ => "other",
    }
}

impl Conventional {
    /// Counts one commit under `kind`, a type [`kind`] or [`kind_of`] returns (`other` when it
    /// is not a known conventional type).
    pub fn count_kind(&mut self, kind: &str) {
        let slot = match kind {
            "feat" => &mut self.feat,
            "fix" => &mut self.fix,
            "docs" => &mut self.docs,
            "refactor" => &mut self.refactor,
            "perf" => &mut self.perf,
            "test" => &mut self.test,
            "build" => &mut self.build,
            "ci" => &mut self.ci,
            "chore" => &mut self.chore,
            _ => &mut self.other,
        };
        *slot += 1;
    }

    pub fn add(&mut self, o: &Conventional) {
        self.feat += o.feat;
        self.fix += o.fix;
        self.docs += o.docs;
        self.refactor += o.refactor;
        self.perf += o.perf;
        self.test += o.test;
        self.build += o.build;
        self.ci += o.ci;
        self.chore += o.chore;
        self.other += o.other;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_request_subjects() {
        assert_eq!(
            merge_pull_request("Merge pull request #42 from acme/feature-x"),
            Some(42)
        );
        assert_eq!(merge_pull_request("Merge pull request #42"), None);
        assert_eq!(merge_pull_request("Merge branch 'main'"), None);
        assert_eq!(squash_ref("Add parser (#17)"), Some(17));
        assert_eq!(squash_ref("Add parser (#17) "), Some(17));
        assert_eq!(squash_ref("Fix (#x)"), None);
        assert_eq!(squash_ref("Mention (#17) in the middle"), None);
        assert_eq!(squash_ref("Empty (#)"), None);
        assert_eq!(squash_ref("No hash (17)"), None);
        assert_eq!(squash_ref("Two (#3) (#17)"), Some(17));
        assert_eq!(squash_ref("Glued (#3)(#17)"), Some(17));
        assert_eq!(squash_ref("Release 2.0 (#170)"), Some(170));
    }

    #[test]
    fn pull_request_titles_from_git() {
        assert_eq!(
            squash_title("feat: add X (#12)").as_deref(),
            Some("feat: add X")
        );
        assert_eq!(squash_title("(#12)"), None);
        assert_eq!(squash_title("feat: add X"), None);
        assert_eq!(
            merge_title("Add the widget\n\nlonger text").as_deref(),
            Some("Add the widget")
        );
        assert_eq!(merge_title(""), None);
        assert_eq!(merge_title("Signed-off-by: A <a@b>"), None);
    }

    #[test]
    fn conventional_headers() {
        assert_eq!(
            conventional("feat(api)!: drop v1"),
            Some(Header {
                kind: "feat",
                breaking: true
            })
        );
        assert_eq!(
            conventional("fix: crash"),
            Some(Header {
                kind: "fix",
                breaking: false
            })
        );
        assert_eq!(conventional("Update README"), None);
        assert_eq!(conventional("see http://x: y"), None);
        let mut c = Conventional::default();
        for s in [
            "feat: a",
            "FIX: b",
            "docs(readme): c",
            "style: d",
            "Merge branch 'x'",
        ] {
            c.count_kind(kind(s));
        }
        assert_eq!((c.feat, c.fix, c.docs, c.other), (1, 1, 1, 2));
    }
}

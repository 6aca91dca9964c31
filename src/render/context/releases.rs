//! Releases in a few words: a repository's tags collapsed into a count, the first and last, the
//! major and minor releases named before patches and pre-releases.

use super::figures::{list, num};

/// What a tag name says about the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Major,
    Minor,
    Patch,
    PreRelease,
    /// Not a version number.
    Other,
}

/// The level of a tag such as `v1.2.0`, `1.2.3`, `v2.0.0-rc.1`, `release-4` (other).
pub fn level(tag: &str) -> Level {
    let version = tag.rsplit(['/', '@']).next().unwrap_or(tag);
    let version = version.trim_start_matches(['v', 'V']);
    let (core, pre) = match version.split_once(['-', '+']) {
        Some((core, rest)) => (core, !rest.is_empty() && version.contains('-')),
        None => (version, false),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty()
        || parts.len() > 4
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Level::Other;
    }
    if pre {
        return Level::PreRelease;
    }
    let zero = |i: usize| parts.get(i).is_none_or(|p| p.bytes().all(|b| b == b'0'));
    match (zero(1), zero(2)) {
        (true, true) if !zero(0) => Level::Major,
        (_, true) => Level::Minor,
        _ => Level::Patch,
    }
}

/// A repository's tags (oldest first, already safe Markdown in `shown`, parallel to `names`) in
/// one phrase: "v0.15.0" for one, otherwise "42 tags, v0.2.0 to v0.15.0: minor releases v0.3.0,
/// v0.4.0 and v0.5.0 (and 9 more), 21 patches and 7 pre-releases".
pub fn summary(names: &[String], shown: &[String], limit: usize) -> String {
    match names.len() {
        0 => return String::new(),
        1 => return shown[0].clone(),
        _ => {}
    }
    let count = |l: Level| names.iter().filter(|n| level(n) == l).count();
    let mut s = format!(
        "{} tags, {} to {}",
        num(names.len() as u64),
        shown[0],
        shown[shown.len() - 1]
    );
    let mut named: Vec<String> = Vec::new();
    for (l, one, many) in [
        (Level::Major, "major release", "major releases"),
        (Level::Minor, "minor release", "minor releases"),
    ] {
        let picked: Vec<&String> = names
            .iter()
            .zip(shown)
            .filter(|(n, _)| level(n) == l)
            .map(|(_, s)| s)
            .collect();
        if picked.is_empty() {
            continue;
        }
        // The newest ones matter most.
        let newest: Vec<String> = picked
            .iter()
            .rev()
            .take(limit)
            .rev()
            .map(|s| s.to_string())
            .collect();
        let more = picked.len() - newest.len();
        let word = if picked.len() == 1 { one } else { many };
        let mut phrase = format!("{word} {}", list(&newest));
        if more > 0 {
            phrase.push_str(&format!(" (and {} earlier)", num(more as u64)));
        }
        named.push(phrase);
    }
    for (l, one, many) in [
        (Level::Patch, "patch", "patches"),
        (Level::PreRelease, "pre-release", "pre-releases"),
        (Level::Other, "other tag", "other tags"),
    ] {
        let n = count(l) as u64;
        if n > 0 {
            named.push(format!("{} {}", num(n), if n == 1 { one } else { many }));
        }
    }
    if !named.is_empty() {
        s.push_str(": ");
        s.push_str(&list(&named));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_from_tag_names() {
        assert_eq!(level("v1.0.0"), Level::Major);
        assert_eq!(level("v0.3.0"), Level::Minor);
        assert_eq!(level("2.1"), Level::Minor);
        assert_eq!(level("v0.3.2"), Level::Patch);
        assert_eq!(level("v2.0.0-rc.1"), Level::PreRelease);
        assert_eq!(level("crate-a@1.2.0"), Level::Minor);
        assert_eq!(level("release-4"), Level::Other);
        assert_eq!(level("nightly"), Level::Other);
    }

    #[test]
    fn many_tags_collapse_into_one_phrase() {
        let names: Vec<String> = [
            "v0.1.0",
            "v0.1.1",
            "v0.2.0-rc.1",
            "v0.2.0",
            "v0.3.0",
            "v0.3.1",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            summary(&names, &names, 2),
            "6 tags, v0.1.0 to v0.3.1: minor releases v0.2.0 and v0.3.0 (and 1 earlier), \
             2 patches and 1 pre-release"
        );
        assert_eq!(summary(&names[..1], &names[..1], 2), "v0.1.0");
    }
}

//! What a window's work was about: non-merge commits grouped by conventional type and scope (or,
//! without a scope, the top folder they touched), each theme with a few of its subjects.

use rustc_hash::FxHashMap;

use super::classify;
use super::model::{MoreThemes, Theme};
use super::repo::PreparedRepo;
use crate::window::Bounds;

/// Themes kept per repository and window.
const THEMES: usize = 12;
/// Subjects kept per theme.
const EXAMPLES: usize = 3;

/// A conventional type and an area.
type ThemeKey = (&'static str, Option<String>);

/// The window's themes, most commits first (ties: type order, then area).
pub fn themes(repo: &PreparedRepo<'_>, bounds: Option<Bounds>) -> (Vec<Theme>, MoreThemes) {
    themes_of(repo, repo.commits_in(bounds))
}

/// The themes of the commits with indices `commits`.
pub fn themes_of(
    repo: &PreparedRepo<'_>,
    commits: impl Iterator<Item = usize>,
) -> (Vec<Theme>, MoreThemes) {
    let mut by: FxHashMap<ThemeKey, (u64, Vec<String>)> = FxHashMap::default();
    for i in commits {
        let c = repo.commit(i);
        if c.is_merge() {
            continue;
        }
        let kind = classify::kind(&c.subject);
        let (scope, description) = classify::scope_and_description(&c.subject);
        let area = scope.map(str::to_lowercase).or_else(|| {
            repo.counted_files(i)
                .next()
                .and_then(|(p, _)| folder(repo.path(p)))
        });
        let e = by.entry((kind, area)).or_default();
        e.0 += 1;
        let description = classify::squash_title(description).unwrap_or(description.to_string());
        let description = super::activity::bounded_subject(&description);
        if e.1.len() < EXAMPLES && !e.1.contains(&description) {
            e.1.push(description);
        }
    }
    let mut v: Vec<Theme> = by
        .into_iter()
        .map(|((kind, area), (commits, examples))| Theme {
            kind: kind.to_string(),
            area,
            commits,
            examples,
        })
        .collect();
    let rank = |k: &str| {
        [
            "feat", "fix", "perf", "refactor", "docs", "test", "build", "ci", "chore", "other",
        ]
        .iter()
        .position(|x| *x == k)
        .unwrap_or(usize::MAX)
    };
    v.sort_by(|a, b| {
        b.commits
            .cmp(&a.commits)
            .then_with(|| rank(&a.kind).cmp(&rank(&b.kind)))
            .then_with(|| a.area.cmp(&b.area))
    });
    let rest = v.split_off(THEMES.min(v.len()));
    let more = MoreThemes {
        themes: rest.len() as u64,
        commits: rest.iter().map(|t| t.commits).sum(),
    };
    (v, more)
}

/// A file's folder, at most two levels deep (`src/screen` for `src/screen/buffer.rs`); `None`
/// for a file at the top level.
fn folder(path: &str) -> Option<String> {
    let (dir, _) = path.rsplit_once('/')?;
    let mut parts = dir.split('/');
    let first = parts.next()?;
    Some(match parts.next() {
        Some(second) => format!("{first}/{second}"),
        None => first.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::folder;

    #[test]
    fn areas_are_folders_at_most_two_deep() {
        assert_eq!(folder("README.md"), None);
        assert_eq!(folder("src/lib.rs").as_deref(), Some("src"));
        assert_eq!(folder("src/screen/a/b.rs").as_deref(), Some("src/screen"));
    }
}

//! "What changed" in a repository: its themes (conventional type and scope, or the folder the
//! work touched) as short lines built from commit subjects, the largest themes first.

use super::SUBJECT_CHARS;
use super::figures::num;
use crate::facts::RepoFacts;
use crate::render::escape::{inline, truncate};

/// What a conventional type is called in a report.
fn label(kind: &str) -> &'static str {
    match kind {
        "feat" => "New features",
        "fix" => "Fixes",
        "perf" => "Performance",
        "refactor" => "Refactoring",
        "docs" => "Documentation",
        "test" => "Tests",
        "build" => "Build and dependencies",
        "ci" => "Continuous integration",
        "chore" => "Maintenance",
        _ => "Other changes",
    }
}

/// What a conventional type's commits are called inside a sentence ("features in layout").
pub(super) fn noun(kind: &str) -> &'static str {
    match kind {
        "feat" => "features",
        "fix" => "fixes",
        "perf" => "performance work",
        "refactor" => "refactoring",
        "docs" => "documentation",
        "test" => "tests",
        "build" => "build and dependency work",
        "ci" => "continuous integration",
        "chore" => "maintenance",
        _ => "other changes",
    }
}

/// At most `limit` lines (safe Markdown), then one line for the rest:
/// "New features in screen (12 commits): screen buffer; width; colours."
pub(super) fn lines(r: &RepoFacts, limit: usize, examples: usize) -> Vec<String> {
    let themes = &r.themes;
    let mut out: Vec<String> = themes
        .iter()
        .take(limit)
        .map(|t| {
            let area = t
                .area
                .as_deref()
                .map(|a| format!(" in {}", inline(a)))
                .unwrap_or_default();
            let subject = |e: &String| inline(&truncate(e, SUBJECT_CHARS / 2));
            // A theme of one commit is that commit: its subject says more than "(1 commit)".
            if t.commits == 1
                && examples > 0
                && let Some(e) = t.examples.first()
            {
                return format!("{}{area}: {}", label(&t.kind), subject(e));
            }
            let said: Vec<String> = t.examples.iter().take(examples).map(subject).collect();
            let unit = if t.commits == 1 { "commit" } else { "commits" };
            let mut line = format!("{}{area} ({} {unit})", label(&t.kind), num(t.commits));
            if !said.is_empty() {
                line.push_str(&format!(": {}", said.join("; ")));
            }
            line
        })
        .collect();
    // The rest without a derived figure: every theme is in the facts file. With no room for
    // any theme, the section says nothing of them.
    if limit > 0 && (themes.len() > limit || r.more_themes.themes > 0) {
        out.push("And smaller themes, listed in the facts file.".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{OrgFacts, Theme};

    fn repo(themes: Vec<Theme>) -> RepoFacts {
        let text = include_str!("../../../fixtures/llm/day-2025-10-29.json");
        let f: OrgFacts = serde_json::from_str(text).expect("facts");
        let mut r = f.repos[0].clone();
        r.themes = themes;
        r.more_themes = Default::default();
        r
    }

    fn theme(kind: &str, area: &str, commits: u64, examples: &[&str]) -> Theme {
        Theme {
            kind: kind.into(),
            area: Some(area.into()),
            commits,
            examples: examples.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_theme_of_one_commit_says_what_it_was() {
        let r = repo(vec![
            theme("feat", "screen", 3, &["width", "colours"]),
            theme("fix", "args", 1, &["reject empty names"]),
        ]);
        assert_eq!(
            lines(&r, 5, 2),
            vec![
                "New features in screen (3 commits): width; colours",
                "Fixes in args: reject empty names",
            ]
        );
        // Without room for examples, counts only; without room for themes, nothing.
        assert_eq!(
            lines(&r, 5, 0),
            vec![
                "New features in screen (3 commits)",
                "Fixes in args (1 commit)"
            ]
        );
        assert_eq!(
            lines(&r, 1, 0),
            vec![
                "New features in screen (3 commits)",
                "And smaller themes, listed in the facts file."
            ]
        );
        assert!(lines(&r, 0, 0).is_empty());
    }
}

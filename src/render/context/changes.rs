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
            let unit = if t.commits == 1 { "commit" } else { "commits" };
            let said: Vec<String> = t
                .examples
                .iter()
                .take(examples)
                .map(|e| inline(&truncate(e, SUBJECT_CHARS / 2)))
                .collect();
            let mut line = format!("{}{area} ({} {unit})", label(&t.kind), num(t.commits));
            if !said.is_empty() {
                line.push_str(&format!(": {}", said.join("; ")));
            }
            line
        })
        .collect();
    // The rest without a derived figure: every theme is in the facts file.
    if themes.len() > limit || r.more_themes.themes > 0 {
        out.push("And smaller themes, listed in the facts file.".to_string());
    }
    out
}

//! Figures in words: thousands separators, changes against the previous period, the
//! "by the numbers" table and the enrichment note.

use super::NumberRow;
use crate::facts::{Change, OrgFacts};
use crate::render::escape::inline;

/// `1234` → `1,234`.
pub fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "3 commits", "1 commit".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", num(n), if n == 1 { one } else { many })
}

/// " 70 pull requests were merged." (with its leading space), or nothing for none.
pub fn merged_sentence(n: u64) -> String {
    if n == 0 {
        return String::new();
    }
    format!(
        " {} merged.",
        plural(n, "pull request was", "pull requests were")
    )
}

/// "a, b and c".
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "5 people, 2 AI coding agents and 1 bot", naming only the kinds present ("1 AI coding
/// agent"); "0 people" only when there is no one at all.
pub(crate) fn who(people: u64, agents: u64, bots: u64) -> String {
    let mut parts = Vec::new();
    if people > 0 || agents + bots == 0 {
        parts.push(plural(people, "person", "people"));
    }
    if agents > 0 {
        parts.push(plural(agents, "AI coding agent", "AI coding agents"));
    }
    if bots > 0 {
        parts.push(plural(bots, "bot", "bots"));
    }
    list(&parts)
}

/// A change in words: "+12 (+20 %)", "-3", "no change".
pub fn change_text(c: &Change) -> String {
    if c.delta == 0 {
        return "no change".into();
    }
    let sign = if c.delta > 0 { "+" } else { "-" };
    let abs = num(c.delta.unsigned_abs());
    match c.percent {
        Some(p) => format!("{sign}{abs} ({}{} %)", if p > 0 { "+" } else { "" }, p),
        None => format!("{sign}{abs}"),
    }
}

pub(super) fn numbers(f: &OrgFacts) -> Vec<NumberRow> {
    let o = &f.org;
    let t = o.trend.as_ref();
    let row = |label: &str, value: u64, change: Option<&Change>| NumberRow {
        label: label.to_string(),
        value: num(value),
        change: change.map(change_text).unwrap_or_default(),
    };
    let lines = o.lines_excluding_generated.added + o.lines_excluding_generated.deleted;
    vec![
        row("Commits", o.commits, t.map(|t| &t.commits)),
        row("Merge commits", o.merge_commits, None),
        row(
            "Merged pull requests",
            o.merged_pull_requests,
            t.map(|t| &t.merged_pull_requests),
        ),
        row("Authors", o.authors.len() as u64, t.map(|t| &t.authors)),
        row("Lines changed", lines, t.map(|t| &t.lines_changed)),
        row("Lines added", o.lines_excluding_generated.added, None),
        row("Lines deleted", o.lines_excluding_generated.deleted, None),
        row(
            "Files changed",
            o.lines_excluding_generated.files_changed,
            None,
        ),
        row("Tags", o.tags, None),
        row("Active repositories", o.active_repos, None),
    ]
}

pub(super) fn enrichment_note(f: &OrgFacts) -> String {
    use crate::facts::EnrichmentState;
    let g = &f.enrichment.github;
    match (g.status, g.reason.as_deref()) {
        // Not configured: nothing to say on the page (the facts file still says so).
        (EnrichmentState::Skipped, Some(r))
            if r == "not requested" || r.starts_with("GitHub enrichment is off") =>
        {
            String::new()
        }
        (EnrichmentState::Ok, _) => {
            "GitHub issues, pull requests and releases were added from its API.".into()
        }
        (EnrichmentState::OfflineCache, _) => {
            "GitHub data came from the local cache (offline build).".into()
        }
        (EnrichmentState::Skipped, reason) => {
            format!(
                "GitHub data was skipped: {}.",
                inline(reason.unwrap_or("unknown reason"))
            )
        }
        (EnrichmentState::Partial, reason) => {
            format!(
                "GitHub data is incomplete: {}.",
                inline(reason.unwrap_or("some repositories failed"))
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::who;

    #[test]
    fn who_names_only_the_kinds_of_author_present() {
        assert_eq!(who(5, 2, 1), "5 people, 2 AI coding agents and 1 bot");
        assert_eq!(who(0, 1, 0), "1 AI coding agent");
        assert_eq!(who(0, 0, 1), "1 bot");
        assert_eq!(who(1, 0, 2), "1 person and 2 bots");
        assert_eq!(who(0, 0, 0), "0 people");
    }
}

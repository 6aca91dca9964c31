//! A month at a glance: how it compares with the month before, what kinds of work it held and
//! where the code changed; and each repository's month in a sentence.

use super::{folder_name, kinds, weeks::week_name};
use crate::facts::{Change, Hotspot, OrgFacts, RepoFacts};
use crate::render::context::figures::{list, num, plural};
use crate::render::context::shared;
use crate::render::escape::inline;
use crate::render::paths::month_name;

/// How the month compares with the one before, what kinds of work it held and where the code
/// changed: a paragraph each, empty for a quiet month or another window.
pub(in crate::render::context) fn in_context(f: &OrgFacts) -> Vec<String> {
    if f.window.kind != "month" || f.org.commits == 0 {
        return Vec::new();
    }
    [against_previous(f), work_mix(f), where_code_changed(f)]
        .into_iter()
        .flatten()
        .collect()
}

/// "Against October: 298 commits against 8, …. The largest changes by repository: …."
fn against_previous(f: &OrgFacts) -> Option<String> {
    let t = f.org.trend.as_ref()?;
    let before = month_label(&t.previous);
    let pairs = [
        ("commit", "commits", &t.commits),
        ("author", "authors", &t.authors),
        ("line changed", "lines changed", &t.lines_changed),
        (
            "merged pull request",
            "merged pull requests",
            &t.merged_pull_requests,
        ),
    ];
    let said: Vec<String> = pairs
        .iter()
        .map(|(one, many, c)| {
            format!(
                "{} against {}",
                plural(c.current, one, many),
                num(c.previous)
            )
        })
        .collect();
    let mut s = format!("Against {before}: {}.", list(&said));
    let names = |keep: &dyn Fn(&RepoFacts, &Change) -> bool| -> Vec<String> {
        f.repos
            .iter()
            .filter(|r| r.trend.as_ref().is_some_and(|t| keep(r, &t.commits)))
            .map(|r| inline(&r.name))
            .collect()
    };
    let new = names(&|r, c| r.commits > 0 && c.previous == 0);
    if !new.is_empty() {
        s.push_str(&format!(
            " Active this month but not in {before}: {}.",
            list(&new)
        ));
    }
    let gone = names(&|r, c| r.commits == 0 && c.previous > 0);
    if !gone.is_empty() {
        s.push_str(&format!(
            " Active in {before} but not this month: {}.",
            list(&gone)
        ));
    }
    // Repositories whose month is the same commits move together: named once, as one section.
    let mut moved: Vec<(String, &Change)> = shared::groups(f)
        .into_iter()
        .filter_map(|(r, same)| Some((shared::heading(r, &same), &r.trend.as_ref()?.commits)))
        .filter(|(_, c)| c.delta != 0)
        .collect();
    moved.sort_by(|a, b| {
        b.1.delta
            .unsigned_abs()
            .cmp(&a.1.delta.unsigned_abs())
            .then(a.0.cmp(&b.0))
    });
    let moved: Vec<String> = moved
        .iter()
        .take(3)
        .map(|(names, c)| {
            format!(
                "{names} ({} against {})",
                plural(c.current, "commit", "commits"),
                num(c.previous)
            )
        })
        .collect();
    if !moved.is_empty() {
        s.push_str(&format!(
            " The largest changes by repository: {}.",
            list(&moved)
        ));
    }
    Some(s)
}

/// "The month's 263 non-merge commits were 57 features, 49 fixes, …. Commits landed on 9 of its
/// 30 days."
fn work_mix(f: &OrgFacts) -> Option<String> {
    let o = &f.org;
    let kinds: Vec<String> = kinds(&o.conventional)
        .into_iter()
        .map(|(k, n)| format!("{} {}", num(n), counted_noun(k, n)))
        .collect();
    if kinds.is_empty() {
        return None;
    }
    let verb = if o.non_merge_commits == 1 {
        "was"
    } else {
        "were"
    };
    let mut s = format!(
        "The month's {} {verb} {}",
        plural(o.non_merge_commits, "non-merge commit", "non-merge commits"),
        list(&kinds)
    );
    if o.merge_commits > 0 {
        s.push_str(&format!(
            ", beside {}",
            plural(o.merge_commits, "merge commit", "merge commits")
        ));
    }
    s.push('.');
    if !o.per_day.is_empty() {
        let days = o.per_day.iter().filter(|d| d.commits > 0).count() as u64;
        s.push_str(&format!(
            " Commits landed on {} of its {} days.",
            num(days),
            num(o.per_day.len() as u64)
        ));
    }
    Some(s)
}

/// "The code changed most in ratatui-testlib's src/render (423 lines in 30 commits), src/keys
/// (…) and cli's src (…)": the five folders with the most churn across repositories, among those
/// more than one commit changed.
fn where_code_changed(f: &OrgFacts) -> Option<String> {
    let mut folders: Vec<(&RepoFacts, &Hotspot)> = f
        .repos
        .iter()
        .flat_map(|r| r.hotspots.folders.iter().map(move |h| (r, h)))
        // Where work came together: a folder more than one commit changed.
        .filter(|(_, h)| h.churn > 0 && h.commits > 1)
        .collect();
    folders.sort_by(|a, b| b.1.churn.cmp(&a.1.churn).then(a.0.name.cmp(&b.0.name)));
    // A folder of repositories that share history is one folder: named once.
    let mut kept: Vec<(&RepoFacts, &Hotspot)> = Vec::new();
    for (r, h) in folders {
        let shared = |o: &RepoFacts| r.shared_with.iter().any(|s| s.repo == o.name);
        if !kept.iter().any(|(o, k)| k.path == h.path && shared(o)) {
            kept.push((r, h));
        }
    }
    let mut previous = "";
    let named: Vec<String> = kept
        .iter()
        .take(5)
        .map(|(r, h)| {
            let whose = if r.name == previous {
                String::new()
            } else {
                format!("{}'s ", inline(&r.name))
            };
            previous = &r.name;
            format!(
                "{whose}{} ({} in {})",
                folder_name(&h.path),
                plural(h.churn, "line", "lines"),
                plural(h.commits, "commit", "commits")
            )
        })
        .collect();
    (!named.is_empty()).then(|| format!("The code changed most in {}.", list(&named)))
}

/// A repository's month in a sentence: the weeks and days it was active and its most active
/// people ("Active in week 46, on 7 days. Commits by …"); empty for other windows.
pub(in crate::render::context) fn repo_note(f: &OrgFacts, r: &RepoFacts) -> String {
    if f.window.kind != "month" || r.commits == 0 {
        return String::new();
    }
    let active: Vec<&crate::facts::DayActivity> =
        r.per_day.iter().filter(|d| d.commits > 0).collect();
    let weeks: Vec<String> = f
        .org
        .weeks
        .iter()
        .filter(|w| {
            active
                .iter()
                .any(|d| d.date >= w.first_day && d.date <= w.last_day)
        })
        .map(|w| week_name(w).0)
        .collect();
    let mut s = String::new();
    if !weeks.is_empty() {
        s.push_str(&format!(
            "Active in {}, on {}.",
            list(&weeks),
            plural(active.len() as u64, "day", "days")
        ));
    }
    let people: Vec<String> = r
        .authors
        .iter()
        .filter(|a| a.is_person())
        .take(4)
        .map(|a| format!("{} ({})", inline(&a.name), num(a.commits)))
        .collect();
    let all = r.authors.iter().filter(|a| a.is_person()).count();
    if people.len() > 1 {
        let more = if all > people.len() {
            ", among others"
        } else {
            ""
        };
        s.push_str(&format!(" Commits by {}{more}.", list(&people)));
    }
    let folders: Vec<String> = r
        .hotspots
        .folders
        .iter()
        .filter(|h| h.churn > 0)
        .take(3)
        .map(|h| {
            let lines = plural(h.churn, "line", "lines");
            format!("{} ({lines})", folder_name(&h.path))
        })
        .collect();
    if !folders.is_empty() {
        s.push_str(&format!(" Most lines changed in {}.", list(&folders)));
    }
    s.trim_start().to_string()
}

/// What `n` commits of a conventional type are called in a count ("12 fixes").
fn counted_noun(kind: &str, n: u64) -> &'static str {
    let one = n == 1;
    match kind {
        "feat" if one => "feature",
        "feat" => "features",
        "fix" if one => "fix",
        "fix" => "fixes",
        "perf" => "for performance",
        "refactor" if one => "refactoring",
        "refactor" => "refactorings",
        "docs" => "on documentation",
        "test" => "on tests",
        "build" => "on the build and dependencies",
        "ci" => "on continuous integration",
        "chore" => "for maintenance",
        _ if one => "other change",
        _ => "other changes",
    }
}

/// "October" for `2025-10` (the month just before needs no year); the label itself otherwise.
fn month_label(label: &str) -> String {
    match label.split_once('-').map(|(_, m)| m.parse::<i8>()) {
        Some(Ok(m)) if (1..=12).contains(&m) => month_name(m),
        _ => inline(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_before_is_named_without_its_year() {
        assert_eq!(month_label("2025-10"), "October");
        assert_eq!(month_label("2025-01"), "January");
        assert_eq!(counted_noun("fix", 1), "fix");
        assert_eq!(counted_noun("fix", 2), "fixes");
    }
}

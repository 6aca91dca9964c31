//! What a draft says, before it is fitted to a platform: a headline with the period's figures
//! and up to three highlights, all taken from the facts. Template sentences are built here;
//! a [`Writer`] may replace them (a language model, once its claims are checked).

use serde::{Deserialize, Serialize};

use super::sanitize::untrusted;
use crate::facts::{Change, OrgFacts};
use crate::render::context::{num, plural};
use crate::window::Window;

/// Longest repository, tag or person name shown, in characters (longer ones end in `…`).
const NAME_CHARS: usize = 40;
/// Longest commit subject shown, in characters.
const SUBJECT_CHARS: usize = 80;
/// Highlights per draft.
pub const MAX_HIGHLIGHTS: usize = 3;

/// The text of a draft, platform-independent. Every string is plain text; the composer
/// sanitises all of it again (idempotently), so text from any source is safe to put here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    /// One or two sentences with the headline figures.
    pub headline: String,
    /// At most [`MAX_HIGHLIGHTS`] short sentences.
    pub highlights: Vec<String>,
    /// Who wrote it: `template`, or a model's name.
    pub source: String,
}

/// Where the words of the drafts come from. The template writer is Sparky's own; a model-backed
/// writer receives the template content and returns its own text, or the template's when its
/// claims do not check out against the facts. Whatever it returns is sanitised, shortened and
/// fitted to each platform's limit like any untrusted text.
pub trait Writer {
    fn write(&self, facts: &OrgFacts, template: Content) -> Content;
}

/// The template writer: keeps the template content.
pub struct TemplateWriter;

impl Writer for TemplateWriter {
    fn write(&self, _facts: &OrgFacts, template: Content) -> Content {
        template
    }
}

/// The period as a post names it: "on Friday 14 November 2025", "in the week of 10 November
/// 2025", "in November 2025".
pub fn period_phrase(window: &Window) -> String {
    match *window {
        Window::Day(d) => format!("on {}", d.strftime("%A %-d %B %Y")),
        Window::Week { .. } => match window.first_day() {
            Some(d) => format!("in the week of {}", d.strftime("%-d %B %Y")),
            None => format!("in {window}"),
        },
        Window::Month { .. } => format!("in {}", crate::render::page::period_human(window)),
        Window::All => "over the whole history".to_string(),
    }
}

/// "a, b and c", with "and N more" past `max` items.
fn list(items: &[String], max: usize) -> String {
    let shown: Vec<String> = items.iter().take(max).cloned().collect();
    let rest = items.len().saturating_sub(max);
    match (shown.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => one.clone(),
        (all, 0) => {
            let (last, init) = all.split_last().unwrap_or((&all[0], &[]));
            format!("{} and {last}", init.join(", "))
        }
        (all, n) => format!("{} and {n} more", all.join(", ")),
    }
}

/// Sparky's own content for a report over `facts`.
pub fn template(facts: &OrgFacts, org_name: &str, window: &Window, partial: bool) -> Content {
    Content {
        headline: headline(facts, org_name, window, partial),
        highlights: highlights(facts),
        source: "template".to_string(),
    }
}

fn headline(f: &OrgFacts, org_name: &str, window: &Window, partial: bool) -> String {
    let o = &f.org;
    let so_far = if partial { ", so far" } else { "" };
    let lead = format!(
        "{} {}{so_far}",
        untrusted(org_name, NAME_CHARS),
        period_phrase(window)
    );
    if o.commits == 0 {
        return format!("{lead}: a quiet one, no commits.");
    }
    let people = o.authors.iter().filter(|a| a.is_person()).count() as u64;
    let from = if people == 0 {
        "bots".to_string()
    } else {
        plural(people, "person", "people")
    };
    let lines = o.lines_excluding_generated;
    let story = story_lead(f).map_or(String::new(), |s| format!("{s} "));
    let mut s = format!(
        "{lead}: {story}{} from {from} across {}, +{}/-{} lines",
        plural(o.commits, "commit", "commits"),
        plural(o.active_repos, "repository", "repositories"),
        num(lines.added),
        num(lines.deleted),
    );
    if o.merged_pull_requests > 0 {
        s.push_str(&format!(
            ", {} merged",
            plural(o.merged_pull_requests, "pull request", "pull requests")
        ));
    }
    s.push('.');
    if let Some(t) = &o.trend {
        s.push_str(&trend(&t.commits, &t.previous));
    }
    s
}

/// The story's top item, the way the report's story ranks it: the busiest repository's
/// release, else its breaking change, merged pull request or largest commit, in its own words
/// ("api released v2.0.0.", "web: add dark mode."); none in a quiet period.
fn story_lead(f: &OrgFacts) -> Option<String> {
    let r = f
        .repos
        .iter()
        .filter(|r| r.commits > 0)
        .max_by(|a, b| a.commits.cmp(&b.commits).then(b.name.cmp(&a.name)))?;
    let name = untrusted(&r.name, NAME_CHARS);
    if let Some(t) = r.tags.first() {
        return Some(format!("{name} released {}.", untrusted(t, NAME_CHARS)));
    }
    let subject = r
        .breaking_changes
        .first()
        .map(|b| b.subject.as_str())
        .or_else(|| {
            r.pull_requests
                .details
                .iter()
                .find_map(|d| d.title.as_deref())
        })
        .or_else(|| r.notable_commits.first().map(|c| c.subject.as_str()))?;
    let subject = untrusted(subject, SUBJECT_CHARS);
    Some(format!("{name}: {}.", subject.trim_end_matches('.')))
}

/// " 7 more commits than in 2025-W45 (+20%)." or nothing when unchanged.
fn trend(c: &Change, previous: &str) -> String {
    if c.delta == 0 {
        return String::new();
    }
    let n = c.delta.unsigned_abs();
    let more = if c.delta > 0 { "more" } else { "fewer" };
    let unit = if n == 1 { "commit" } else { "commits" };
    let percent = c.percent.map_or(String::new(), |p| format!(" ({p:+}%)"));
    format!(" {} {more} {unit} than in {previous}{percent}.", num(n))
}

/// Releases, breaking changes, newcomers, the largest change and the busiest repository, in
/// that order of importance, at most three.
fn highlights(f: &OrgFacts) -> Vec<String> {
    let name = |s: &str| untrusted(s, NAME_CHARS);
    let mut out = Vec::new();
    // A tag on shared history is one release, named for the first repository that has it.
    let mut tagged: Vec<(&crate::facts::RepoFacts, &String)> = Vec::new();
    for r in &f.repos {
        for t in &r.tags {
            let seen = tagged
                .iter()
                .any(|(o, x)| *x == t && r.shared_with.iter().any(|s| s.repo == o.name));
            if !seen {
                tagged.push((r, t));
            }
        }
    }
    let releases: Vec<String> = tagged
        .into_iter()
        .map(|(r, t)| format!("{} {}", name(&r.name), name(t)))
        .collect();
    if !releases.is_empty() {
        out.push(format!("Released: {}.", list(&releases, 3)));
    }
    let breaking: Vec<String> = f
        .repos
        .iter()
        .filter(|r| !r.breaking_changes.is_empty())
        .map(|r| name(&r.name))
        .collect();
    if !breaking.is_empty() {
        let n = f.org.breaking_changes;
        out.push(format!(
            "{} in {}: check before upgrading.",
            plural(n, "breaking change", "breaking changes"),
            list(&breaking, 3)
        ));
    }
    let newcomers: Vec<String> = f
        .org
        .first_time_contributors
        .iter()
        .map(|n| name(n))
        .collect();
    if !newcomers.is_empty() {
        out.push(format!(
            "First commits from {}: welcome!",
            list(&newcomers, 3)
        ));
    }
    let largest = f
        .repos
        .iter()
        .flat_map(|r| r.notable_commits.iter().map(move |c| (r, c)))
        .filter(|(_, c)| c.added + c.deleted > 0)
        .max_by_key(|(_, c)| c.added + c.deleted);
    if let Some((r, c)) = largest {
        out.push(format!(
            "Largest change, in {}: “{}” (+{}/-{} lines).",
            name(&r.name),
            untrusted(&c.subject, SUBJECT_CHARS),
            num(c.added),
            num(c.deleted)
        ));
    }
    let active: Vec<_> = f.repos.iter().filter(|r| r.commits > 0).collect();
    if active.len() > 1
        && let Some(top) = active.iter().max_by_key(|r| r.commits)
        && active.iter().filter(|r| r.commits == top.commits).count() == 1
    {
        out.push(format!(
            "Busiest repository: {} with {}.",
            name(&top.name),
            plural(top.commits, "commit", "commits")
        ));
    }
    out.truncate(MAX_HIGHLIGHTS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        let v = |n: usize| (1..=n).map(|i| format!("r{i}")).collect::<Vec<_>>();
        assert_eq!(list(&v(1), 3), "r1");
        assert_eq!(list(&v(2), 3), "r1 and r2");
        assert_eq!(list(&v(3), 3), "r1, r2 and r3");
        assert_eq!(list(&v(5), 3), "r1, r2, r3 and 2 more");
    }

    #[test]
    fn periods_in_posts() {
        let w = |s: &str| s.parse::<Window>().expect("window");
        assert_eq!(
            period_phrase(&w("2025-11-14")),
            "on Friday 14 November 2025"
        );
        assert_eq!(
            period_phrase(&w("2025-W46")),
            "in the week of 10 November 2025"
        );
        assert_eq!(period_phrase(&w("2025-11")), "in November 2025");
    }
}

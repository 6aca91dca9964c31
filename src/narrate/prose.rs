//! Template prose: sentences assembled from facts, with every number and name taken from them.
//! Names are escaped here because the sentences are Markdown.

use crate::facts::{OrgFacts, RepoFacts};
use crate::render::context::{change_text, list, merged_sentence, num, plural, who};
use crate::render::escape::inline;

/// The opening paragraph.
pub fn summary(f: &OrgFacts, period: &str) -> String {
    let o = &f.org;
    if o.commits == 0 {
        let mut s = format!("A quiet period: no commits landed in {period}.");
        if o.tags > 0 {
            s.push_str(&format!(
                " {} created all the same.",
                plural(o.tags, "tag was", "tags were")
            ));
        }
        return s;
    }
    let people = o.authors.iter().filter(|a| a.is_person()).count() as u64;
    let bots = o.authors.iter().filter(|a| a.bot).count() as u64;
    let agents = o.authors.iter().filter(|a| a.agent).count() as u64;
    let on = if f.window.kind == "day" { "On" } else { "In" };
    let mut s = format!(
        "{on} {period}, {} landed across {} of {}, from {}.",
        plural(o.commits, "commit", "commits"),
        num(o.active_repos),
        plural(o.repos, "repository", "repositories"),
        who(people, agents, bots),
    );
    let lines = o.lines_excluding_generated;
    if lines.added + lines.deleted > 0 {
        s.push_str(&format!(
            " Together they added {} and removed {} in {}.",
            plural(lines.added, "line", "lines"),
            plural(lines.deleted, "line", "lines"),
            plural(lines.files_changed, "file change", "file changes"),
        ));
    }
    s.push_str(&merged_sentence(o.merged_pull_requests));
    if let Some(t) = &o.trend
        && (t.commits.previous > 0 || t.commits.current > 0)
    {
        let unit = if t.commits.delta.unsigned_abs() == 1 {
            "commit"
        } else {
            "commits"
        };
        s.push_str(&format!(
            " Compared with {}: {} {unit}.",
            inline(&t.previous),
            change_text(&t.commits)
        ));
    }
    s
}

/// Releases, breaking changes and newcomers, one sentence each.
pub fn highlights(f: &OrgFacts) -> Vec<String> {
    let mut out = Vec::new();
    for (k, r) in f.repos.iter().enumerate() {
        // A tag on shared history was already named for the first repository that has it.
        let earlier = |t: &String| {
            f.repos[..k]
                .iter()
                .any(|o| o.tags.contains(t) && r.shared_with.iter().any(|s| s.repo == o.name))
        };
        let tags: Vec<String> = r
            .tags
            .iter()
            .filter(|t| !earlier(t))
            .map(|t| inline(t))
            .collect();
        match tags.as_slice() {
            [] => {}
            [one] => out.push(format!("{} tagged {one}.", inline(&r.name))),
            [.., last] => out.push(format!(
                "{} tagged {} releases, the latest {last}.",
                inline(&r.name),
                num(tags.len() as u64)
            )),
        }
    }
    let breaking = f.org.breaking_changes;
    if breaking > 0 {
        let repos: Vec<String> = f
            .repos
            .iter()
            .filter(|r| !r.breaking_changes.is_empty())
            .map(|r| inline(&r.name))
            .collect();
        out.push(format!(
            "{} in {}: read them before upgrading.",
            plural(breaking, "breaking change", "breaking changes"),
            list(&repos)
        ));
    }
    let newcomers = &f.org.first_time_contributors;
    if !newcomers.is_empty() {
        let names: Vec<String> = newcomers.iter().map(|n| inline(n)).collect();
        out.push(format!(
            "{} made their first commit to the organisation: welcome!",
            list(&names)
        ));
    }
    out
}

/// One sentence about a repository's window.
pub fn repo_sentence(r: &RepoFacts) -> String {
    let people = r.authors.iter().filter(|a| a.is_person()).count() as u64;
    let agents = r.authors.iter().filter(|a| a.agent).count() as u64;
    let bots = r.authors.iter().filter(|a| a.bot).count() as u64;
    let mut s = format!(
        "{} from {}",
        plural(r.commits, "commit", "commits"),
        who(people, agents, bots)
    );
    // "(3 by bots)" unless it says nothing more than "1 bot" did ("from 2 people and 1 bot").
    if r.bot_commits > bots && people + agents > 0 {
        s.push_str(&format!(" ({} by bots)", num(r.bot_commits)));
    }
    let l = r.lines_excluding_generated;
    s.push_str(&format!(", +{} / -{} lines", num(l.added), num(l.deleted)));
    let runner_up = r.authors.get(1).map_or(0, |a| a.commits);
    if let Some(top) = r
        .authors
        .first()
        .filter(|a| a.is_person() && a.commits > runner_up && runner_up > 0)
    {
        s.push_str(&format!(
            "; most active: {} ({})",
            inline(&top.name),
            plural(top.commits, "commit", "commits")
        ));
    }
    s.push('.');
    s
}

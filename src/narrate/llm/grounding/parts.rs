//! The parts of a grounding beyond the totals: one repository's facts, the calendar the
//! period may name, and the days with commits.

use jiff::civil::Date;

use super::{B, Detail};
use crate::facts::{OrgFacts, RepoFacts};
use crate::narrate::llm::words::Kind;
use crate::window::Window;

/// One repository's facts: counts, share, pull requests, tags, people, notable commits, files.
pub(super) fn repo(b: &mut B, r: &RepoFacts, org_commits: u64, detail: Detail) {
    b.g.repos.insert(r.name.to_lowercase());
    let name = b.name(&r.name);
    let people = r.authors.iter().filter(|a| a.is_person()).count() as u64;
    let l = r.lines_excluding_generated;
    let mut s = format!(
        "Repository {name}: {}",
        b.count(r.commits, Kind::Commits, "commit", "commits")
    );
    if let Some(p) = share(r.commits, org_commits) {
        s.push_str(&format!(" ({} % of all)", b.n(p, Kind::Percent)));
    }
    s.push_str(&format!(
        ", {} and {} by bots, {} added and {} deleted ({} changed), {}, {} merge commits",
        b.count(people, Kind::People, "person", "people"),
        b.count(r.bot_commits, Kind::Commits, "commit", "commits"),
        b.count(l.added, Kind::Lines, "line", "lines"),
        b.n(l.deleted, Kind::Lines),
        b.count(l.added + l.deleted, Kind::Lines, "line", "lines"),
        b.count(l.files_changed, Kind::Files, "file change", "file changes"),
        b.n(r.merge_commits, Kind::Commits),
    ));
    let mut prs: Vec<u64> = r
        .pull_requests
        .merge_commits
        .iter()
        .chain(&r.pull_requests.squash_refs)
        .copied()
        .collect();
    prs.sort_unstable();
    prs.dedup();
    b.n(prs.len() as u64, Kind::PullRequests);
    if !prs.is_empty() {
        b.g.pull_requests.extend(&prs);
        let list: Vec<String> = prs.iter().map(|n| format!("#{n}")).collect();
        s.push_str(&format!(", merged pull requests {}", list.join(", ")));
    }
    b.n(r.tags.len() as u64, Kind::Tags);
    if !r.tags.is_empty() {
        for t in &r.tags {
            b.g.tags.insert(t.to_lowercase());
        }
        let tags: Vec<String> = r.tags.iter().map(|t| b.name(t)).collect();
        s.push_str(&format!(", tags {}", tags.join(", ")));
    }
    if !r.breaking_changes.is_empty() {
        let n = r.breaking_changes.len() as u64;
        s.push_str(&format!(
            ", {}",
            b.count(n, Kind::Breaking, "breaking change", "breaking changes")
        ));
    }
    if let Some(t) = &r.trend {
        let d = t.commits.delta;
        s.push_str(&format!(
            ", {} in the previous period ({}{})",
            b.count(t.commits.previous, Kind::Commits, "commit", "commits"),
            if d < 0 { "-" } else { "+" },
            b.n(d.unsigned_abs(), Kind::Commits)
        ));
    }
    b.line(&format!("{s}."));
    let limit = detail.people().min(5);
    if limit > 0 {
        let (p, bots) = b.people(&r.authors, limit);
        let all = [p, bots]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        b.line(&format!("  People in {name} by commits: {all}."));
    }
    if !r.first_time_contributors.is_empty() {
        let names: Vec<String> = r
            .first_time_contributors
            .iter()
            .map(|n| b.name(n))
            .collect();
        b.line(&format!("  First commits to {name}: {}.", names.join(", ")));
    }
    for c in r.notable_commits.iter().take(detail.commits()) {
        b.g.commits.push(c.id.to_lowercase());
        let subject = b.text(&crate::render::escape::truncate(&c.subject, 100));
        let line = format!(
            "  Commit {} \"{subject}\" by {} (+{} / -{} lines, {}).",
            &c.id[..c.id.len().min(7)],
            b.name(&c.author),
            b.n(c.added, Kind::Lines),
            b.n(c.deleted, Kind::Lines),
            b.count(c.files, Kind::Files, "file", "files")
        );
        b.line(&line);
    }
    if detail.commits() > 0 {
        for bc in r.breaking_changes.iter().take(5) {
            b.g.commits.push(bc.id.to_lowercase());
            let subject = b.text(&crate::render::escape::truncate(&bc.subject, 100));
            b.line(&format!("  Breaking change: \"{subject}\"."));
        }
    }
    for h in r.hotspots.paths.iter().take(detail.hotspots()) {
        let path = b.text(&h.path);
        b.g.identifiers.insert(h.path.to_lowercase());
        let line = format!(
            "  Most changed file: {path} ({} lines changed).",
            b.n(h.churn, Kind::Lines)
        );
        b.line(&line);
    }
}

/// The window's dates: the previous period's first day to this period's last.
pub(super) fn dates(b: &mut B, f: &OrgFacts) {
    let Ok(window) = f.window.label.parse::<Window>() else {
        return;
    };
    let prev = window.previous().unwrap_or(window);
    let (Some(first), Some(last)) = (prev.first_day(), crate::render::page::last_day(&window))
    else {
        return;
    };
    b.g.first = Some(first);
    b.g.last = Some(last);
    if let Window::Day(d) = window {
        b.g.weekdays = Some(vec![d.weekday(), first.weekday()]);
    }
    let days = (last.since(first).map_or(0, |s| s.get_days()) + 1).max(1) as u64;
    b.g.figures.push((days, Kind::Days));
    if let Some(this) = window.first_day() {
        let own = (last.since(this).map_or(0, |s| s.get_days()) + 1).max(1) as u64;
        b.g.figures.push((own, Kind::Days));
    }
}

/// Days with commits and the busiest day, summed over repositories.
pub(super) fn activity(b: &mut B, f: &OrgFacts) {
    let Some(days) = f.repos.iter().map(|r| &r.per_day).find(|d| !d.is_empty()) else {
        return;
    };
    let totals: Vec<(String, u64)> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                d.date.clone(),
                f.repos
                    .iter()
                    .filter_map(|r| r.per_day.get(i))
                    .map(|d| d.commits)
                    .sum(),
            )
        })
        .collect();
    let active = totals.iter().filter(|(_, n)| *n > 0).count() as u64;
    let Some((date, most)) = totals
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    else {
        return;
    };
    let day: Option<Date> = date.parse().ok();
    let named = day.map_or(date.clone(), |d| d.strftime("%A %-d %B %Y").to_string());
    let line = format!(
        "Days with commits: {} of {}; busiest day: {named} with {}.",
        b.n(active, Kind::Days),
        b.n(totals.len() as u64, Kind::Days),
        b.count(*most, Kind::Commits, "commit", "commits")
    );
    b.text(&named);
    b.line(&line);
}

/// `part` as a whole percentage of `whole`, rounded half up.
fn share(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 200 + whole) / (whole * 2))
}

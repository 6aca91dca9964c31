//! The page context: what report templates see. Every string in it is already safe Markdown
//! (untrusted text went through `escape`), so a template, built-in or user-written, cannot
//! publish raw commit text by mistake. Numbers are the facts' own.

mod changes;
mod figures;
mod month;
mod refs;
pub mod releases;
mod shared;
mod view;

use super::escape::{code_path, inline, truncate};
use crate::facts::OrgFacts;
use crate::narrate::Narrative;
pub(crate) use figures::who;
pub use figures::{change_text, list, merged_sentence, num, plural};
use figures::{enrichment_note, numbers};
use refs::{commit_link, commit_view, person, repo_view, tag_link};
pub use view::*;

/// Longest commit subject shown before it is cut with `…`.
pub(crate) const SUBJECT_CHARS: usize = 120;

/// Builds the context of one report.
pub fn build(facts: &OrgFacts, meta: PageMeta, narrative: Narrative) -> PageContext {
    let o = &facts.org;
    let limit = meta.list_limit;
    // A pull request on shared history is listed once, in the first section that has it.
    let mut listed: Vec<(&crate::facts::RepoFacts, Vec<u64>)> = Vec::new();
    let mut repos: Vec<RepoView> = Vec::new();
    for (r, same) in shared::groups(facts) {
        let skip: Vec<u64> = listed
            .iter()
            .filter(|(o, _)| shared::share(o, r))
            .flat_map(|(_, n)| n.iter().copied())
            .collect();
        repos.push(RepoView {
            summary: narrative.repos.get(&r.name).cloned().unwrap_or_default(),
            heading: shared::heading(r, &same),
            shared: shared::sentence(r, &same),
            month: month::repo_note(facts, r),
            ..repo_view(r, limit, meta.detail, &skip)
        });
        listed.push((r, refs::pr_numbers(r)));
    }
    // A commit several repositories share is listed once, for the first of them by name.
    let mut largest: Vec<(u64, &str, CommitView)> = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.notable_commits
                .iter()
                .map(move |c| (c.added + c.deleted, c.id.as_str(), commit_view(r, c)))
        })
        .filter(|(churn, _, _)| *churn > 0)
        .collect();
    largest.sort_by_key(|c| std::cmp::Reverse(c.0));
    let largest = shared::first_of_each(largest, |c| c.1);
    // A tag on shared history is one release: listed for the first repository that has it.
    let mut releases: Vec<(&crate::facts::RepoFacts, &str)> = Vec::new();
    for r in &facts.repos {
        for t in &r.tags {
            if !releases
                .iter()
                .any(|(o, tag)| tag == t && shared::share(o, r))
            {
                releases.push((r, t));
            }
        }
    }
    // One line per repository: its tags collapsed.
    let mut per_repo: Vec<(&crate::facts::RepoFacts, Vec<&str>)> = Vec::new();
    for (r, t) in releases {
        match per_repo.iter_mut().find(|(o, _)| o.name == r.name) {
            Some((_, tags)) => tags.push(t),
            None => per_repo.push((r, vec![t])),
        }
    }
    let releases = per_repo
        .into_iter()
        .map(|(r, tags)| {
            let names: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
            let shown: Vec<String> = tags.iter().map(|t| tag_link(r, t)).collect();
            Release {
                repo: inline(&r.name),
                tag: releases::summary(&names, &shown, limit.min(5) / 2 + 1),
                count: names.len() as u64,
            }
        })
        .collect();
    let breaking: Vec<(&str, CommitView)> = facts
        .repos
        .iter()
        .flat_map(|r| {
            r.breaking_changes.iter().map(move |b| {
                (b.id.as_str(), {
                    let notable = r.notable_commits.iter().find(|n| n.id == b.id);
                    match notable {
                        Some(n) => commit_view(r, n),
                        None => CommitView {
                            repo: inline(&r.name),
                            id: commit_link(r, &b.id),
                            subject: inline(&truncate(&b.subject, SUBJECT_CHARS)),
                            author: String::new(),
                            added: 0,
                            deleted: 0,
                            files: 0,
                            pull_request: None,
                            kind: String::new(),
                        },
                    }
                })
            })
        })
        .collect();
    let breaking = shared::first_of_each(breaking, |b| b.0)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let excluded = (o.lines.added + o.lines.deleted)
        .saturating_sub(o.lines_excluding_generated.added + o.lines_excluding_generated.deleted);
    let mut spots: Vec<(&crate::facts::RepoFacts, &crate::facts::Hotspot)> = facts
        .repos
        .iter()
        .flat_map(|r| r.hotspots.paths.iter().map(move |h| (r, h)))
        .collect();
    spots.sort_by_key(|(_, h)| std::cmp::Reverse(h.churn));
    // The same path in repositories that share history is one file's churn, shown once.
    let mut kept: Vec<(&crate::facts::RepoFacts, &crate::facts::Hotspot)> = Vec::new();
    for (r, h) in spots {
        if !kept
            .iter()
            .any(|(o, k)| k.path == h.path && shared::share(o, r))
        {
            kept.push((r, h));
        }
    }
    let hotspots: Vec<Hotspot> = kept
        .into_iter()
        .take(limit.min(10))
        .map(|(r, h)| Hotspot {
            repo: inline(&r.name),
            path: code_path(&h.path),
            churn: h.churn,
            commits: h.commits,
        })
        .collect();
    let (who_did_what, who_else) = month::who_did_what(facts, meta.detail);
    let (weeks, weeks_intro) = month::weeks(facts, &meta.week_links, meta.detail);
    PageContext {
        kind: meta.kind,
        period: facts.window.label.clone(),
        period_human: meta.period_human,
        partial: meta.partial,
        quiet: o.commits == 0,
        org_name: inline(&meta.org_name),
        headline: Headline {
            commits: o.commits,
            non_merge_commits: o.non_merge_commits,
            merge_commits: o.merge_commits,
            authors: o.authors.len() as u64,
            people: o.authors.iter().filter(|a| a.is_person()).count() as u64,
            bots: o.authors.iter().filter(|a| a.bot).count() as u64,
            agents: o.authors.iter().filter(|a| a.agent).count() as u64,
            active_repos: o.active_repos,
            repos: o.repos,
            merged_pull_requests: o.merged_pull_requests,
            tags: o.tags,
            lines_added: o.lines_excluding_generated.added,
            lines_deleted: o.lines_excluding_generated.deleted,
            files_changed: o.lines_excluding_generated.files_changed,
        },
        narrative,
        releases,
        breaking,
        new_contributors: o
            .first_time_contributors
            .iter()
            .map(|n| inline(n))
            .collect(),
        largest: largest
            .into_iter()
            .take(limit.min(5))
            .map(|(_, _, c)| c)
            .collect(),
        numbers: numbers(facts),
        repos,
        contributors: o.authors.iter().take(limit).map(person).collect(),
        hotspots,
        charts: meta.charts,
        nav: meta.nav,
        counted: Counted {
            start: facts.window.start.clone().unwrap_or_default(),
            end: facts.window.end.clone().unwrap_or_default(),
            time_zone: inline(&facts.window.time_zone),
            date_field: facts.window.date_field.clone(),
            generator: facts.generator.clone(),
            bot_commits: o.bot_commits,
            failed_repos: facts.failed_repos.iter().map(|f| inline(&f.name)).collect(),
            stale_repos: facts
                .stale_repos
                .iter()
                .map(|s| {
                    format!(
                        "{}: data as of {} (its last successful fetch); this run could not fetch it: {}",
                        inline(&s.name),
                        s.as_of.as_deref().map_or_else(|| "an unknown time".to_string(), inline),
                        inline(&s.reason)
                    )
                })
                .collect(),
            unreadable_commits: facts.repos.iter().map(|r| r.unreadable_commits).sum(),
            incomplete_diffs: facts.repos.iter().map(|r| r.incomplete_diffs).sum(),
            excluded_lines: excluded,
            enrichment: enrichment_note(facts),
        },
        facts_file: meta.facts_file,
        list_limit: limit,
        gap: meta.gap,
        month_context: month::in_context(facts),
        weeks,
        weeks_intro,
        who_did_what,
        who_else,
    }
}

//! `sparky build` on an organisation shaped like a real one (`fixtures/scenarios/busy-org`):
//! three repositories share a library's history, a busy week has hundreds of commits and dozens
//! of tags and pull requests, AI coding agents write commits and co-author others, and quiet
//! weeks sit between bursts. Every organisation figure a reader sees must count each commit
//! once (checked against the git CLI), no quiet week gets a page, lists are capped and pages stay
//! within their length.

use std::collections::BTreeSet;
use std::path::Path;

use sparky::render::context::num;

use crate::scenarios::build;
use crate::support::{Sparky, git_in, truth};

const NOW: &str = "2025-12-02T12:00:00Z";

/// The reader's word counts a report must keep to: (fewest for a busy period, most ever).
fn limits(rel: &str) -> (usize, usize) {
    if rel.contains("/week-") {
        (800, 1200)
    } else if rel.ends_with("-2025.md") {
        (2000, 3000)
    } else {
        (200, 300)
    }
}

/// The repositories of the fixture, by name.
fn repo_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("repos"))
        .expect("repos")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The instants from the start of day `first` to the end of day `last`, UTC.
fn days_bounds(first: &str, last: &str) -> (i64, i64) {
    let start = truth::bounds(first, "UTC").expect("day").0;
    let end = truth::bounds(last, "UTC").expect("day").1;
    (start, end)
}

/// The fixture organisation, built as of [`NOW`].
fn built() -> tempfile::TempDir {
    let tmp = build("busy-org");
    Sparky::new(tmp.path(), &["build"])
        .env("SPARKY_NOW", NOW)
        .run()
        .success();
    tmp
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// What git says about the organisation in a window, each commit counted once: distinct commits,
/// and the lines added and deleted by the distinct non-merge commits.
fn distinct_truth(dir: &Path, label: &str) -> (u64, u64, u64) {
    let window = truth::bounds(label, "UTC");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let (mut added, mut deleted) = (0, 0);
    for repo in &repo_names(dir) {
        let path = dir.join("repos").join(repo);
        let ids: BTreeSet<String> = truth::log(&path, "HEAD")
            .into_iter()
            .filter(|e| window.is_none_or(|(s, e2)| s <= e.committer_time && e.committer_time < e2))
            .map(|e| e.id)
            .filter(|id| !seen.contains(id))
            .collect();
        let (a, d, _) = truth::numstat(&path, "HEAD", &ids, &[]);
        added += a;
        deleted += d;
        seen.extend(ids);
    }
    (seen.len() as u64, added, deleted)
}

/// Words as a reader counts them: the rendered text of the body without tables, images, the
/// navigation and the "how this was counted" footer.
fn reader_words(page: &str) -> usize {
    let body = page.splitn(3, "---\n").nth(2).unwrap_or(page);
    let mut words = 0;
    let mut footer = false;
    for line in body.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            footer = matches!(h.trim(), "Navigation" | "How this was counted");
        }
        if footer || line.starts_with('|') || line.starts_with("![") {
            continue;
        }
        let mut text = line.replace("<!---->", "").replace("<br>", " ");
        // Link destinations and wikilink targets are not read.
        while let Some(start) = text.find("](") {
            let Some(end) = text[start..].find(')') else {
                break;
            };
            text.replace_range(start + 1..start + end + 1, "");
        }
        while let (Some(start), Some(bar)) = (text.find("[["), text.find('|')) {
            if bar < start {
                break;
            }
            text.replace_range(start..bar + 1, "");
        }
        words += text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
    }
    words
}

#[test]
fn organisation_figures_count_each_commit_once_on_every_surface() {
    let tmp = built();
    let dir = tmp.path();
    for (label, page, social) in [
        (
            "2025-W46",
            "content/blog/2025/11/week-2025-46.md",
            "social/blog/2025/11/week-2025-46.social.md",
        ),
        (
            "2025-11-11",
            "content/blog/2025/11/2025-11-11.md",
            "social/blog/2025/11/2025-11-11.social.md",
        ),
    ] {
        let (commits, added, deleted) = distinct_truth(dir, label);
        let sum: u64 = ["ratatui-testlib", "term-fork", "term-test"]
            .iter()
            .map(|r| {
                let out = git_in(&dir.join("repos").join(r), &["rev-list", "--count", "HEAD"]);
                String::from_utf8_lossy(&out)
                    .trim()
                    .parse::<u64>()
                    .expect("count")
            })
            .sum();
        assert!(commits * 2 < sum, "{label}: the fixture shares history");
        let facts: serde_json::Value =
            serde_json::from_str(&read(dir, &page.replace(".md", ".json"))).expect("facts");
        assert_eq!(facts["org"]["commits"], commits, "{label}: facts");
        assert_eq!(
            facts["org"]["lines"]["added"], added,
            "{label}: lines added"
        );
        assert_eq!(
            facts["org"]["lines"]["deleted"], deleted,
            "{label}: lines deleted"
        );
        let text = read(dir, page);
        let n = format!("{} commits", num(commits));
        let description = text
            .lines()
            .find(|l| l.starts_with("description: "))
            .expect("description");
        assert!(description.contains(&n), "{label}: {description}");
        let intro = text.split("\n---\n").nth(1).expect("body").trim_start();
        assert!(
            intro.lines().next().is_some_and(|l| l.contains(&n)),
            "{label}: intro {intro}"
        );
        assert!(
            text.contains(&format!("| Commits | {} |", num(commits))),
            "{label}: numbers table"
        );
        assert!(
            text.contains(&format!("added {} lines", num(added))),
            "{label}: intro lines"
        );
        let drafts = read(dir, social);
        assert!(drafts.contains(&n), "{label}: social drafts");
        // The index pages name the latest report of each kind: the week and the month's
        // last day are listed, with their figures.
        let index = read(dir, "content/blog/2025/11/index.md");
        if let Some(line) = index
            .lines()
            .find(|l| l.contains(&page["content/".len()..page.len() - 3]))
        {
            assert!(line.contains(&n), "{label}: index summary {line}");
        } else {
            assert!(label != "2025-W46", "the latest week is listed");
        }
    }

    let week = read(dir, "content/blog/2025/11/week-2025-46.md");
    // Identical periods share a section; partial sharing is said.
    assert!(
        week.contains("\n### ratatui-testlib and term-test\n"),
        "{week}"
    );
    // Plain headings: no escaping artifact in a heading's text (Quartz's TOC and anchors).
    for line in week.lines().filter(|l| l.starts_with('#')) {
        assert!(!line.contains("<!--") && !line.contains('\\'), "{line}");
    }
    assert!(
        week.contains("v0.14.0"),
        "versions stay readable in the source"
    );
    assert_eq!(
        week.matches("\n### ").count(),
        9,
        "nine sections for ten repositories"
    );
    assert!(
        week.contains("The same 245 commits are also in term"),
        "{week}"
    );
    assert!(week.contains("245 of them are also in ratatui"), "{week}");
    // The largest-work and hotspot tables never repeat a commit or a path.
    for section in ["## Largest pieces of work", "## Hotspots"] {
        let rows: Vec<&str> = week
            .split(section)
            .nth(1)
            .expect("section")
            .lines()
            .skip(3)
            .take_while(|l| l.starts_with('|'))
            .collect();
        assert!(!rows.is_empty(), "{section}");
        let keys: BTreeSet<&str> = rows
            .iter()
            .map(|r| r.split('|').nth(2).expect("cell"))
            .collect();
        assert_eq!(keys.len(), rows.len(), "{section} repeats: {rows:#?}");
    }
    // Tags: 42 in each repository, the same 42 releases: one collapsed line, never all names.
    let releases = week.split("## Releases").nth(1).expect("releases");
    let releases = releases.split("\n## ").next().unwrap_or_default();
    assert_eq!(releases.trim().lines().count(), 1, "{releases}");
    assert!(releases.contains("42 tags"), "{releases}");
    let listed = week
        .split("Merged pull requests (the newest ")
        .nth(1)
        .expect("capped pull requests");
    let (shown, rest) = listed.split_once(')').expect("count");
    let more: u64 = rest
        .lines()
        .next()
        .and_then(|l| l.rsplit_once("; and "))
        .and_then(|(_, m)| m.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("and N more");
    assert_eq!(
        shown.parse::<u64>().expect("shown") + more,
        70,
        "newest pull requests shown, the rest counted"
    );

    // Agents are counted apart and never welcomed.
    let newcomers = week.split("## New contributors").nth(1).expect("newcomers");
    let newcomers = newcomers.split("\n## ").next().unwrap_or_default();
    assert!(
        !newcomers.contains("Claude") && !newcomers.contains("Amp"),
        "{newcomers}"
    );
    assert!(week.contains("| Claude Code (AI agent) | 1 |"), "{week}");
    assert!(week.contains("| Amp AI (AI agent) | 1 |"), "{week}");
    assert!(
        !week.contains("Claude Opus"),
        "co-author trailer's spelling"
    );
    assert!(week.contains("from 5 people, 2 AI coding agents and 1 bot"));

    // Quiet weeks and months get no page, facts file or drafts; the next report names the gap.
    for quiet in ["41", "42", "43", "44"] {
        let stem = format!("blog/2025/10/week-2025-{quiet}");
        assert!(!dir.join(format!("content/{stem}.md")).exists(), "{stem}");
        assert!(!dir.join(format!("content/{stem}.json")).exists(), "{stem}");
        assert!(
            !dir.join(format!("social/{stem}.social.md")).exists(),
            "{stem}"
        );
    }
    let w45 = read(dir, "content/blog/2025/11/week-2025-45.md");
    assert!(
        w45.contains("These are the first commits since 2025-W40."),
        "{w45}"
    );
    // `until` stops the plan: nothing after 2025-11-16.
    assert!(!dir.join("content/blog/2025/11/2025-11-18.md").exists());

    // `sparky check` agrees with every figure on every page.
    Sparky::new(dir, &["check"]).run().success();
    // Index pages lead with the latest reports and leave the full listing to Quartz.
    let blog = read(dir, "content/blog/index.md");
    assert!(blog.contains("## Latest") && blog.contains("[[blog/2025/11/index|November]]"));
    assert!(blog.matches("\n- [[").count() <= 4, "{blog}");
    // Lengths as a reader counts them: never over the maximum, and busy periods within range.
    for entry in walkdir::WalkDir::new(dir.join("content")) {
        let entry = entry.expect("entry");
        let rel = entry.path().to_string_lossy().into_owned();
        if !rel.ends_with(".md") || rel.ends_with("index.md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("page");
        let words = reader_words(&text);
        let (min, max) = limits(&rel);
        assert!(words <= max, "{rel}: {words} words, more than {max}");
        let facts: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(rel.replace(".md", ".json")).expect("facts"),
        )
        .expect("json");
        let busy = facts["org"]["commits"].as_u64().expect("commits") >= 30;
        if busy {
            assert!(words >= min, "{rel}: {words} words, fewer than {min}");
        }
    }
}

#[test]
fn the_month_is_told_week_by_week_and_person_by_person_with_git_s_figures() {
    let tmp = built();
    let dir = tmp.path();
    let page = read(dir, "content/blog/2025/11/november-2025.md");
    let facts: serde_json::Value =
        serde_json::from_str(&read(dir, "content/blog/2025/11/november-2025.json")).expect("facts");
    let names = repo_names(dir);
    let logs: Vec<Vec<truth::LogEntry>> = names
        .iter()
        .map(|r| truth::log(&dir.join("repos").join(r), "HEAD"))
        .collect();

    // Every ISO week touching November, clipped to it; each week's distinct commits (the
    // union of every repository's commits by committer date) as git counts them.
    let weeks = facts["org"]["weeks"].as_array().expect("weeks");
    let labels: Vec<&str> = weeks.iter().filter_map(|w| w["week"].as_str()).collect();
    assert_eq!(
        labels,
        ["2025-W44", "2025-W45", "2025-W46", "2025-W47", "2025-W48"]
    );
    let section = page
        .split("## Week by week")
        .nth(1)
        .expect("week by week")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    for w in weeks {
        let (first, last) = (
            w["first_day"].as_str().expect("first"),
            w["last_day"].as_str().expect("last"),
        );
        let (start, end) = days_bounds(first, last);
        let ids: BTreeSet<&str> = logs
            .iter()
            .flatten()
            .filter(|e| start <= e.committer_time && e.committer_time < end)
            .map(|e| e.id.as_str())
            .collect();
        let active = logs
            .iter()
            .filter(|log| {
                log.iter()
                    .any(|e| start <= e.committer_time && e.committer_time < end)
            })
            .count();
        assert_eq!(w["commits"], ids.len() as u64, "{first}..{last}: commits");
        assert_eq!(w["active_repos"], active as u64, "{first}..{last}: repos");
        let week = w["week"].as_str().expect("label");
        let number = week.rsplit('W').next().expect("number");
        if ids.is_empty() {
            continue;
        }
        let day = |d: &str| {
            d.rsplit('-')
                .next()
                .expect("day")
                .trim_start_matches('0')
                .to_string()
        };
        // Fewer commits than repositories can only be shared history, and the page says so.
        let place = if ids.len() < active {
            format!(", counted once across the {active} repositories that have them,")
        } else {
            format!(" in {active} repositories")
        };
        let heading = format!(
            "### Week {number} ({}-{} November)\n\n{} commits{place}",
            day(first),
            day(last),
            num(ids.len() as u64)
        );
        assert!(section.contains(&heading), "{heading}\n{section}");
    }
    assert!(
        section.contains(
            "Commits landed in week 45 and week 46; 1-2 November, week 47 and week 48 were quiet."
        ),
        "{section}"
    );
    // Repositories whose month is the same commits are named once among the largest changes.
    let context = page
        .lines()
        .find(|l| l.contains("The largest changes by repository"))
        .expect("the month in context");
    assert!(
        context.contains("ratatui-testlib and term-test (") && !context.contains(", term-test ("),
        "{context}"
    );
    for line in page.lines().filter(|l| l.starts_with('#')) {
        assert!(!line.contains("<!--") && !line.contains('\\'), "{line}");
    }
    assert!(
        section.contains("[[blog/2025/11/week-2025-46|week 46]]"),
        "the week links its report"
    );
    assert!(section.contains("ratatui-testlib tagged 42 releases"));
    assert!(section.contains("70 pull requests were merged"));

    // Who did what: each person's commits as git counts them (mailmap applied, grouped by
    // email, a commit shared by several repositories once).
    let mut by_email: std::collections::BTreeMap<String, BTreeSet<&str>> = Default::default();
    let (start, end) = truth::bounds("2025-11", "UTC").expect("month");
    for e in logs.iter().flatten() {
        if start <= e.committer_time && e.committer_time < end {
            by_email
                .entry(e.author_email.clone())
                .or_default()
                .insert(e.id.as_str());
        }
    }
    let who = page
        .split("## Who did what")
        .nth(1)
        .expect("who did what")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let people: Vec<&str> = who.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(people.len(), 5, "{who}");
    let contributions = facts["org"]["contributions"].as_array().expect("who");
    let mut counts: Vec<u64> = contributions
        .iter()
        .map(|c| c["commits"].as_u64().expect("commits"))
        .collect();
    let mut git_counts: Vec<u64> = by_email.values().map(|ids| ids.len() as u64).collect();
    counts.sort_unstable();
    git_counts.sort_unstable();
    assert_eq!(counts, git_counts, "per-author commits against git");
    for c in contributions
        .iter()
        .filter(|c| c["bot"] == false && c["agent"] == false)
    {
        let name = c["name"].as_str().expect("name");
        let line = format!("- {name}: {} commits", c["commits"]);
        assert!(people.iter().any(|l| l.starts_with(&line)), "{line}\n{who}");
    }
    for machine in ["Claude", "Amp", "dependabot"] {
        assert!(
            people.iter().all(|l| !l.contains(machine)),
            "{machine} is not a person: {who}"
        );
    }
    assert!(
        who.contains("the AI coding agent Claude Code (1 commit in web, co-author of 1 more)"),
        "{who}"
    );
    assert!(
        who.contains("the bot dependabot\\[bot\\] (1 commit in web)"),
        "{who}"
    );

    // A repository whose window only agents or bots wrote says who they are.
    for entry in walkdir::WalkDir::new(dir.join("content")) {
        let entry = entry.expect("entry");
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("page");
            assert!(
                !text.contains("from 0 people"),
                "{}",
                entry.path().display()
            );
        }
    }
    let day = read(dir, "content/blog/2025/11/2025-11-12.md");
    assert!(day.contains("1 commit from 1 AI coding agent,"), "{day}");
    let day = read(dir, "content/blog/2025/11/2025-11-15.md");
    assert!(day.contains("1 commit from 1 bot,"), "{day}");
}

//! Scenario fixtures: `fixtures/scenarios/<name>/` holds `setup.sh` (builds the repositories with
//! pinned dates), `sparky.toml` and `windows` (one `sparky facts` argument list per line). For every
//! window, each repository's facts must equal what the git CLI says over the same window.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::support::Sparky;
use crate::support::cli::fixtures_dir;
use crate::support::truth::{self, Truth};

/// Builds the scenario in a temporary folder and returns it.
pub fn build(name: &str) -> tempfile::TempDir {
    let src = fixtures_dir().join("scenarios").join(name);
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::copy(src.join("sparky.toml"), tmp.path().join("sparky.toml")).expect("copy config");
    let out = std::process::Command::new("bash")
        .arg(src.join("setup.sh"))
        .current_dir(tmp.path())
        .env(
            "SCENARIO_LIB",
            fixtures_dir().join("scenarios").join("lib.sh"),
        )
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "setup.sh of {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmp
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn nums(v: &Value) -> Vec<u64> {
    v.as_array().expect("array").iter().map(u).collect()
}

fn lines(v: &Value) -> (u64, u64, u64) {
    (u(&v["added"]), u(&v["deleted"]), u(&v["files_changed"]))
}

/// Compares one repository's facts with git's truth, naming the figure on mismatch.
pub fn assert_repo_matches(ctx: &str, repo: &Value, t: &Truth) {
    let name = repo["name"].as_str().expect("name");
    let at = |what: &str| format!("{ctx}: repo `{name}`: {what}");
    assert_eq!(u(&repo["commits"]), t.commits, "{}", at("commits"));
    assert_eq!(
        u(&repo["merge_commits"]),
        t.merges,
        "{}",
        at("merge_commits")
    );
    assert_eq!(
        u(&repo["non_merge_commits"]),
        t.non_merges,
        "{}",
        at("non_merge_commits")
    );
    assert_eq!(
        nums(&repo["pull_requests"]["merge_commits"]),
        t.pr_merges,
        "{}",
        at("pull_requests.merge_commits")
    );
    assert_eq!(
        nums(&repo["pull_requests"]["squash_refs"]),
        t.squash_refs,
        "{}",
        at("pull_requests.squash_refs")
    );
    let tags: BTreeSet<String> = repo["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|v| v.as_str().expect("tag").to_string())
        .collect();
    assert_eq!(tags, t.tags, "{}", at("tags"));
    let mut authors: Vec<(String, u64)> = repo["authors"]
        .as_array()
        .expect("authors")
        .iter()
        .map(|a| {
            (
                a["name"].as_str().expect("name").to_string(),
                u(&a["commits"]),
            )
        })
        .collect();
    authors.sort();
    assert_eq!(authors, t.authors, "{}", at("authors"));
    assert_eq!(
        u(&repo["bot_commits"]),
        t.bot_commits,
        "{}",
        at("bot_commits")
    );
    assert_eq!(lines(&repo["lines"]), t.lines, "{}", at("lines"));
    assert_eq!(
        lines(&repo["lines_excluding_generated"]),
        t.lines_excluding,
        "{}",
        at("lines_excluding_generated")
    );
    let firsts: BTreeSet<String> = repo["first_time_contributors"]
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_str().expect("name").to_string())
        .collect();
    assert_eq!(firsts, t.first_timers, "{}", at("first_time_contributors"));
}

/// Runs every window of a scenario and compares each repository and the org totals with git.
fn run(name: &str) {
    let tmp = build(name);
    let windows =
        std::fs::read_to_string(fixtures_dir().join("scenarios").join(name).join("windows"))
            .expect("windows file");
    let bots: Vec<&str> = sparky::config::DEFAULT_BOT_PATTERNS.to_vec();
    let excludes: Vec<&str> = sparky::config::DEFAULT_CHURN_EXCLUDES.to_vec();
    let mut checked = 0;
    for line in windows
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut args = vec!["facts", "--json", "--window"];
        args.extend(line.split_whitespace());
        let facts = Sparky::new(tmp.path(), &args).run().success().json();
        let ctx = format!("{name} [{line}]");
        let tz = facts["window"]["time_zone"].as_str().expect("tz");
        let author_dates = facts["window"]["date_field"] == "author";
        let window = truth::bounds(line.split_whitespace().next().expect("window"), tz);
        let mut all_ids = BTreeSet::new();
        let mut sum = 0;
        for repo in facts["repos"].as_array().expect("repos") {
            let path = tmp
                .path()
                .join("repos")
                .join(repo["name"].as_str().expect("name"));
            if repo["head"].is_null() {
                assert_eq!(
                    u(&repo["commits"]),
                    0,
                    "{ctx}: empty repository has commits"
                );
                continue;
            }
            let t = truth::truth(&path, "HEAD", window, author_dates, &bots, &excludes);
            assert_repo_matches(&ctx, repo, &t);
            sum += t.commits;
            all_ids.extend(t.ids);
            checked += 1;
        }
        assert_eq!(
            u(&facts["org"]["repo_commits"]),
            sum,
            "{ctx}: org.repo_commits"
        );
        assert_eq!(
            u(&facts["org"]["commits"]),
            all_ids.len() as u64,
            "{ctx}: org.commits counts each commit once"
        );
        assert_eq!(
            u(&facts["org"]["distinct_commits"]),
            all_ids.len() as u64,
            "{ctx}: org.distinct_commits"
        );
        assert_eq!(
            facts["failed_repos"],
            Value::Array(vec![]),
            "{ctx}: no repository fails"
        );
    }
    assert!(checked > 0, "scenario {name} checked nothing");
}

#[test]
fn every_scenario_folder_has_a_test() {
    let src = include_str!("scenarios.rs");
    for entry in std::fs::read_dir(fixtures_dir().join("scenarios")).expect("scenarios folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_string();
            assert!(
                src.contains(&format!("run(\"{name}\")")),
                "fixtures/scenarios/{name} has no test in scenarios.rs"
            );
            assert!(
                Path::new(&path.join("windows")).exists(),
                "{name} lacks a windows file"
            );
        }
    }
}

#[test]
fn busy_org() {
    run("busy-org");
}

#[test]
fn basic_org() {
    run("basic-org");
}

#[test]
fn time_zone_boundaries() {
    run("tz-boundary");
}

#[test]
fn shared_history() {
    run("shared-history");
}

#[test]
fn edge_cases() {
    run("edge-cases");
}

#[test]
fn hostile_history() {
    run("hostile");
}

//! GitHub enrichment end to end against a fake REST API on 127.0.0.1: discovery and its
//! filters, issues, pull requests and releases per window, the join into git's pull requests,
//! ETag revalidation (quota), the offline cache, and the token never leaving memory. Failures
//! and rate limits are in `github_failures`.

use std::path::Path;

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::support::cli::{Run, arg};
use crate::support::github::{FakeGithub, issue, pull, pull_as_issue, release, repo};
use crate::support::{Sparky, TestRepo};

pub(crate) const TOKEN: &str = "ghp_FAKEt0ken4Sparky0Tests0123456789";
pub(crate) const WINDOW: &str = "2025-11";

/// A temporary folder with a `sparky.toml` whose `[github]` section talks to `api`.
pub(crate) fn site(api: &str, repos_toml: &str, github_extra: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = format!(
        "{repos_toml}\n[github]\norg = \"acme\"\napi_url = \"{api}\"\nmax_wait_secs = 5\n{github_extra}\n"
    );
    std::fs::write(dir.path().join("sparky.toml"), toml).expect("write config");
    dir
}

pub(crate) fn facts(cwd: &Path, extra: &[&str]) -> Sparky {
    let mut args = vec!["facts", "--json", "--window", WINDOW];
    args.extend_from_slice(extra);
    Sparky::new(cwd, &args).env("GITHUB_TOKEN", TOKEN)
}

pub(crate) fn status(f: &Value) -> (&str, &str) {
    let g = &f["enrichment"]["github"];
    (
        g["status"].as_str().expect("status"),
        g["reason"].as_str().unwrap_or(""),
    )
}

pub(crate) fn numbers(v: &Value) -> Vec<u64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|i| i["number"].as_u64().expect("number"))
        .collect()
}

pub(crate) fn repo_named<'a>(f: &'a Value, name: &str) -> &'a Value {
    f["repos"]
        .as_array()
        .expect("repos")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no repo `{name}` in {f:#}"))
}

pub(crate) fn names(f: &Value) -> Vec<String> {
    f["repos"]
        .as_array()
        .expect("repos")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_string())
        .collect()
}

/// Asserts that `secret` appears in none of the run's output nor any file below `dir`.
pub(crate) fn assert_never_leaked(secret: &str, runs: &[&Run], dir: &Path) {
    for run in runs {
        assert!(!run.stdout().contains(secret), "token on stdout");
        assert!(!run.stderr().contains(secret), "token on stderr");
    }
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "token written to {}",
                entry.path().display()
            );
        }
    }
}

/// Every key of `v`, at any depth.
fn keys(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                keys(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

/// Every key the facts carry is named in `docs/facts-schema.md`.
fn assert_documented(facts: &Value) {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/facts-schema.md"))
            .expect("schema docs");
    let mut all = std::collections::BTreeSet::new();
    keys(facts, &mut all);
    for k in all {
        let word = regex::Regex::new(&format!(r"\b{k}\b")).expect("regex");
        assert!(
            word.is_match(&docs),
            "`{k}` is not documented in docs/facts-schema.md"
        );
    }
}

/// `api`: a merge of pull request 7, squash merges of 9 (known to the API) and 11 (unknown to
/// it), and a tag; all in November 2025.
pub(crate) fn api_repo() -> TestRepo {
    let mut r = TestRepo::new();
    r.at("2025-11-02T10:00:00+00:00")
        .commit("feat: init", &[("a.txt", "1\n")]);
    r.branch("feature");
    r.at("2025-11-03T10:00:00+00:00")
        .commit("feat: widget", &[("w.txt", "w\n")]);
    r.checkout("main");
    r.at("2025-11-04T10:00:00+00:00").merge(
        "feature",
        "Merge pull request #7 from acme/feature\n\nWidget from git",
    );
    r.at("2025-11-07T10:00:00+00:00")
        .commit("fix: crash on empty input (#9)", &[("a.txt", "1\n2\n")]);
    r.at("2025-11-08T10:00:00+00:00")
        .commit("chore: bump deps (#11)", &[("a.txt", "1\n2\n3\n")]);
    r.tag("v1.0");
    r
}

pub(crate) fn small_repo(date: &str) -> TestRepo {
    let mut r = TestRepo::new();
    r.at(date).commit("docs: readme", &[("README.md", "hi\n")]);
    r
}

/// The fake's data for `acme/api`, with more history than one window so pagination must stop.
pub(crate) fn serve_api_activity(gh: &FakeGithub) {
    let f = "acme/api";
    gh.with(|s| {
        s.issues.insert(
            f.into(),
            vec![
                issue(
                    f,
                    1,
                    "Crash on start",
                    "alice",
                    &["bug"],
                    "2025-11-03T09:00:00Z",
                    Some("2025-11-05T09:00:00Z"),
                ),
                issue(
                    f,
                    2,
                    "Old request",
                    "bob",
                    &[],
                    "2025-10-20T09:00:00Z",
                    Some("2025-11-10T09:00:00Z"),
                ),
                issue(
                    f,
                    3,
                    "<script>alert(1)</script> | pipe [x](y)",
                    "mallory",
                    &["needs *triage*"],
                    "2025-11-20T09:00:00Z",
                    None,
                ),
                issue(
                    f,
                    12,
                    "Long gone",
                    "bob",
                    &[],
                    "2025-09-01T09:00:00Z",
                    Some("2025-09-02T09:00:00Z"),
                ),
                pull_as_issue(f, 10, "Dark mode", "2025-11-25T09:00:00Z"),
            ],
        );
        s.pulls.insert(
            f.into(),
            vec![
                pull(
                    f,
                    7,
                    "Add widget API",
                    "alice",
                    &["feature"],
                    "2025-11-02T09:00:00Z",
                    Some("2025-11-04T10:00:00Z"),
                    true,
                ),
                pull(
                    f,
                    8,
                    "Abandoned idea",
                    "bob",
                    &[],
                    "2025-11-03T09:00:00Z",
                    Some("2025-11-06T09:00:00Z"),
                    false,
                ),
                pull(
                    f,
                    9,
                    "Fix crash on empty input",
                    "carol",
                    &["bug", "p1"],
                    "2025-10-28T09:00:00Z",
                    Some("2025-11-07T10:00:00Z"),
                    true,
                ),
                pull(
                    f,
                    10,
                    "Dark mode",
                    "dave",
                    &[],
                    "2025-11-25T09:00:00Z",
                    None,
                    false,
                ),
                pull(
                    f,
                    5,
                    "Summer",
                    "bob",
                    &[],
                    "2025-08-01T09:00:00Z",
                    Some("2025-08-02T09:00:00Z"),
                    true,
                ),
                pull(
                    f,
                    4,
                    "July",
                    "bob",
                    &[],
                    "2025-07-01T09:00:00Z",
                    Some("2025-07-02T09:00:00Z"),
                    false,
                ),
                pull(
                    f,
                    3,
                    "June",
                    "bob",
                    &[],
                    "2025-06-01T09:00:00Z",
                    Some("2025-06-02T09:00:00Z"),
                    true,
                ),
                pull(
                    f,
                    2,
                    "May",
                    "bob",
                    &[],
                    "2025-05-01T09:00:00Z",
                    Some("2025-05-02T09:00:00Z"),
                    true,
                ),
                pull(
                    f,
                    1,
                    "April",
                    "bob",
                    &[],
                    "2025-04-01T09:00:00Z",
                    Some("2025-04-02T09:00:00Z"),
                    true,
                ),
            ],
        );
        s.releases.insert(
            f.into(),
            vec![
                release(f, "v1.1", Some("Draft"), "2025-11-28T09:00:00Z", None),
                release(
                    f,
                    "v1.0",
                    Some("First"),
                    "2025-11-14T09:00:00Z",
                    Some("2025-11-15T09:00:00Z"),
                ),
                release(
                    f,
                    "v0.9",
                    None,
                    "2025-10-01T09:00:00Z",
                    Some("2025-10-01T09:00:00Z"),
                ),
                release(
                    f,
                    "v0.8",
                    None,
                    "2025-09-01T09:00:00Z",
                    Some("2025-09-01T09:00:00Z"),
                ),
            ],
        );
    });
}

pub(crate) fn serve_empty(gh: &FakeGithub, full: &str) {
    gh.with(|s| {
        s.issues.insert(full.into(), Vec::new());
        s.pulls.insert(full.into(), Vec::new());
        s.releases.insert(full.into(), Vec::new());
    });
}

#[test]
fn enrichment_joins_api_data_revalidates_with_etags_and_serves_offline() {
    let api = api_repo();
    let web = small_repo("2025-11-05T10:00:00+00:00");
    let gh = FakeGithub::start("acme", TOKEN, 2);
    let gone = "file:///nonexistent/never-mirrored.git";
    gh.with(|s| {
        s.repos = vec![
            // Listed explicitly too: the configured local path wins.
            repo(
                "acme",
                "api",
                "https://github.com/acme/api.git",
                false,
                false,
                false,
            ),
            repo("acme", "web", &web.url(), false, false, false),
            repo("acme", "fork-x", gone, true, false, false),
            repo("acme", "old", gone, false, true, false),
            repo("acme", "secret", gone, false, false, true),
            repo("acme", "sandbox-tmp", gone, false, false, false),
        ];
    });
    serve_api_activity(&gh);
    serve_empty(&gh, "acme/web");
    let repos = format!(
        "[[repos]]\npath = \"{}\"\nname = \"api\"\n",
        api.path().display()
    );
    let dir = site(&gh.api_url(), &repos, "exclude = [\"-tmp$\"]");

    let first_run = facts(dir.path(), &[])
        .env("SPARKY_LOG", "trace")
        .run()
        .success();
    let first = first_run.json();
    assert_eq!(
        names(&first),
        ["api", "web"],
        "filters and explicit-wins merge"
    );
    assert_eq!(first["failed_repos"], json!([]));
    assert_eq!(status(&first), ("ok", ""));
    assert_eq!(first["schema_version"], 3);
    assert_documented(&first);

    let g = &repo_named(&first, "api")["github"];
    assert_eq!(g["full_name"], "acme/api");
    assert_eq!(numbers(&g["issues_opened"]), [1, 3]);
    assert_eq!(numbers(&g["issues_closed"]), [1, 2]);
    assert_eq!(numbers(&g["pull_requests_opened"]), [7, 8, 10]);
    assert_eq!(numbers(&g["pull_requests_merged"]), [7, 9]);
    assert_eq!(numbers(&g["pull_requests_closed_unmerged"]), [8]);
    assert_eq!(
        g["issues_opened"][1],
        json!({
            "number": 3,
            "title": "<script>alert(1)</script> | pipe [x](y)",
            "labels": ["needs *triage*"],
            "author_login": "mallory",
            "url": "https://github.com/acme/api/issues/3"
        }),
        "untrusted text is kept as written; escaping is the renderers' job"
    );
    assert_eq!(
        g["releases"],
        json!([{"tag": "v1.0", "name": "First", "url": "https://github.com/acme/api/releases/tag/v1.0"}])
    );
    let pr = &repo_named(&first, "api")["pull_requests"];
    assert_eq!(pr["merge_commits"], json!([7]));
    assert_eq!(pr["squash_refs"], json!([9, 11]));
    assert_eq!(
        pr["details"],
        json!([
            {"number": 7, "title": "Add widget API", "labels": ["feature"],
             "url": "https://github.com/acme/api/pull/7", "source": "api"},
            {"number": 9, "title": "Fix crash on empty input", "labels": ["bug", "p1"],
             "url": "https://github.com/acme/api/pull/9", "source": "api"},
            {"number": 11, "title": "chore: bump deps", "labels": [], "url": null, "source": "git"},
        ])
    );
    let empty: Value = json!([]);
    let w = &repo_named(&first, "web")["github"];
    assert_eq!(w["issues_opened"], empty);
    assert_eq!(w["releases"], empty);
    assert_eq!(
        first["org"]["github"],
        json!({"repos": 2, "issues_opened": 2, "issues_closed": 2, "pull_requests_opened": 3,
               "pull_requests_merged": 2, "pull_requests_closed_unmerged": 1, "releases": 1})
    );
    assert!(
        !first_run.stdout().contains("example.com"),
        "no email from the API reaches the facts"
    );

    // Pagination: every listing followed `rel="next"`, and pull requests stopped at the first
    // page that ended before the window (pages 4 and 5 hold older ones).
    let log = gh.log();
    let pulls: Vec<&str> = log
        .iter()
        .filter(|l| l.path() == "/repos/acme/api/pulls")
        .map(|l| l.target.as_str())
        .collect();
    assert_eq!(pulls.len(), 3, "{pulls:#?}");
    assert!(
        log.iter()
            .any(|l| l.target.contains("/orgs/acme/repos") && l.target.contains("page=3"))
    );
    assert!(log.iter().all(|l| l.status == 200), "{log:#?}");
    assert!(
        log.iter()
            .all(|l| l.authorization.as_deref() == Some(&format!("Bearer {TOKEN}")))
    );
    assert!(log.iter().all(|l| l.if_none_match.is_none()));
    assert!(
        log.iter()
            .any(|l| l.target.contains("since=2025-11-01T00:00:00Z")),
        "issues asked from the window's start"
    );
    let first_requests: Vec<String> = log.iter().map(|l| l.target.clone()).collect();
    let quota_after_first = gh.with(|s| s.remaining);

    // Second build: the same requests, all conditional, all 304 — and the same facts.
    gh.clear_log();
    let second_run = facts(dir.path(), &[]).run().success();
    assert_eq!(
        second_run.json(),
        first,
        "facts are identical after revalidation"
    );
    let log = gh.log();
    let targets: Vec<String> = log.iter().map(|l| l.target.clone()).collect();
    assert_eq!(targets, first_requests);
    assert!(log.iter().all(|l| l.if_none_match.is_some()), "{log:#?}");
    assert!(log.iter().all(|l| l.status == 304), "{log:#?}");
    assert_eq!(
        gh.with(|s| s.remaining),
        quota_after_first,
        "304s cost no quota"
    );
    eprintln!(
        "quota: first build {} requests (200), second build {} requests ({} × 304), quota used {}",
        first_requests.len(),
        log.len(),
        log.iter().filter(|l| l.status == 304).count(),
        5000 - quota_after_first
    );

    // Offline: nothing is asked; the same facts come from the cache.
    gh.clear_log();
    let offline_run = facts(dir.path(), &["--offline"]).run().success();
    let mut offline = offline_run.json();
    assert!(
        gh.log().is_empty(),
        "offline sends nothing: {:#?}",
        gh.log()
    );
    assert_eq!(status(&offline), ("offline-cache", ""));
    offline["enrichment"]["github"]["status"] = json!("ok");
    assert_eq!(offline, first);

    // Offline without a token still works from the cache.
    let no_token = Sparky::new(
        dir.path(),
        &["facts", "--json", "--window", WINDOW, "--offline"],
    )
    .run()
    .success();
    assert_eq!(status(&no_token.json()).0, "offline-cache");

    assert_never_leaked(TOKEN, &[&first_run, &second_run, &offline_run], dir.path());
    assert!(
        first_run.stderr().contains("github request"),
        "trace logs were on"
    );
}

#[test]
fn discovery_filters_forks_archived_private_and_names() {
    let gh = FakeGithub::start("acme", TOKEN, 100);
    let sources: Vec<(&str, TestRepo, bool, bool, bool)> = vec![
        (
            "app",
            small_repo("2025-11-03T10:00:00+00:00"),
            false,
            false,
            false,
        ),
        (
            "app-fork",
            small_repo("2025-11-03T10:00:00+00:00"),
            true,
            false,
            false,
        ),
        (
            "attic",
            small_repo("2025-11-03T10:00:00+00:00"),
            false,
            true,
            false,
        ),
        (
            "internal",
            small_repo("2025-11-03T10:00:00+00:00"),
            false,
            false,
            true,
        ),
        (
            "web-tmp",
            small_repo("2025-11-03T10:00:00+00:00"),
            false,
            false,
            false,
        ),
    ];
    gh.with(|s| {
        s.repos = sources
            .iter()
            .map(|(n, r, fork, archived, private)| {
                repo("acme", n, &r.url(), *fork, *archived, *private)
            })
            .collect();
        for (n, ..) in &sources {
            let full = format!("acme/{n}");
            s.issues.insert(full.clone(), Vec::new());
            s.pulls.insert(full.clone(), Vec::new());
            s.releases.insert(full, Vec::new());
        }
    });
    let cases: [(&str, &[&str]); 4] = [
        ("", &["app", "web-tmp"]),
        (
            "include_forks = true\ninclude_archived = true\ninclude_private = true",
            &["app", "app-fork", "attic", "internal", "web-tmp"],
        ),
        (
            "include = [\"^a\"]\ninclude_forks = true",
            &["app", "app-fork"],
        ),
        (
            "include_private = true\nexclude = [\"-tmp$\", \"^app$\"]",
            &["internal"],
        ),
    ];
    for (extra, want) in cases {
        let dir = site(&gh.api_url(), "", extra);
        let f = facts(dir.path(), &[]).run().success().json();
        assert_eq!(names(&f), want, "with `{extra}`");
        assert_eq!(status(&f), ("ok", ""), "with `{extra}`");
    }

    // `sparky mirror` discovers too; `--repo` replaces the configured sources, discovery included.
    let dir = site(&gh.api_url(), "", "");
    Sparky::new(dir.path(), &["mirror"])
        .env("GITHUB_TOKEN", TOKEN)
        .run()
        .success();
    assert!(dir.path().join(".sparky/mirrors/app.git").is_dir());
    assert!(!dir.path().join(".sparky/mirrors/attic.git").exists());
    let only = small_repo("2025-11-03T10:00:00+00:00");
    let path = arg(only.path());
    let f = facts(dir.path(), &["--repo", &path]).run().success().json();
    assert_eq!(names(&f).len(), 1);
}

/// A site with one local repository `api` (discovery off) and the fake serving its data.
pub(crate) fn one_repo_site(extra: &str) -> (FakeGithub, TestRepo, TempDir) {
    let gh = FakeGithub::start("acme", TOKEN, 100);
    serve_api_activity(&gh);
    let api = api_repo();
    let repos = format!(
        "[[repos]]\npath = \"{}\"\nname = \"api\"\n",
        api.path().display()
    );
    let dir = site(&gh.api_url(), &repos, &format!("discover = false\n{extra}"));
    (gh, api, dir)
}

/// Git's facts are untouched whatever happened to GitHub.
pub(crate) fn assert_git_facts(f: &Value) {
    let api = repo_named(f, "api");
    assert_eq!(api["commits"], 5);
    assert_eq!(api["pull_requests"]["squash_refs"], json!([9, 11]));
}

#[test]
fn without_github_the_facts_say_so_and_keep_git_details() {
    let api = api_repo();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = arg(api.path());
    let f = Sparky::new(
        dir.path(),
        &["facts", "--json", "--window", WINDOW, "--repo", &path],
    )
    .run()
    .success()
    .json();
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped");
    assert!(reason.contains("`[github] org` is not set"), "{reason}");
    assert_eq!(f["org"]["github"], Value::Null);
    let details = &f["repos"][0]["pull_requests"]["details"];
    assert_eq!(
        details[0],
        json!({"number": 7, "title": "Widget from git", "labels": [], "url": null, "source": "git"})
    );
    assert_eq!(details[1]["title"], "fix: crash on empty input");
}

#[test]
fn a_window_outside_the_cached_range_is_not_served_from_it() {
    let (gh, _api, dir) = one_repo_site("");
    facts(dir.path(), &[]).run().success();
    gh.clear_log();
    // The whole history was never fetched: offline has nothing for it.
    let f = Sparky::new(
        dir.path(),
        &["facts", "--json", "--window", "all", "--offline"],
    )
    .run()
    .success()
    .json();
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped");
    assert!(reason.contains("no cached response"), "{reason}");
    assert!(gh.log().is_empty());
}

#[test]
fn reports_show_github_activity_literally_and_say_when_it_was_skipped() {
    let api = api_repo();
    let gh = FakeGithub::start("acme", TOKEN, 2);
    gh.with(|s| s.repos = vec![]);
    serve_api_activity(&gh);
    let repos = format!(
        "[[repos]]\npath = \"{}\"\nname = \"api\"\n\n[output]\nperiods = [\"month\"]\nsince = \"2025-11-01\"\n",
        api.path().display()
    );
    let dir = site(&gh.api_url(), &repos, "discover = false");
    Sparky::new(dir.path(), &["build", "--window", WINDOW])
        .env("GITHUB_TOKEN", TOKEN)
        .run()
        .success();
    let page = std::fs::read_to_string(dir.path().join("content/blog/2025/11/november-2025.md"))
        .expect("month page");
    assert!(page.contains("Issues opened:"), "{page}");
    assert!(page.contains("Crash on start (alice)"), "{page}");
    assert!(
        page.contains("Pull requests closed without merging:"),
        "{page}"
    );
    assert!(page.contains("Abandoned idea"), "{page}");
    assert!(
        page.contains("GitHub issues, pull requests and releases were added"),
        "{page}"
    );
    assert!(
        !page.contains("<script>"),
        "an issue title stays literal: {page}"
    );
    // Without a token the build still succeeds and the page says what it skipped.
    let no_token = site(&gh.api_url(), &repos, "discover = false");
    Sparky::new(no_token.path(), &["build", "--window", WINDOW])
        .run()
        .success();
    let page = std::fs::read_to_string(
        no_token
            .path()
            .join("content/blog/2025/11/november-2025.md"),
    )
    .expect("month page");
    assert!(page.contains("GitHub data was skipped"), "{page}");
    assert!(!page.contains("Issues opened:"), "{page}");
}

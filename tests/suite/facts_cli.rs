//! `sparky facts` end to end: sources without a config, mirrors across a force-push, shared
//! history, privacy of emails, and every kind of bad input with its message and exit code.

use std::path::Path;

use crate::scenarios::{assert_repo_matches, build};
use crate::support::cli::arg;
use crate::support::truth;
use crate::support::{Sparky, TestRepo};

fn facts_json(cwd: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["facts", "--json"];
    args.extend_from_slice(extra);
    Sparky::new(cwd, &args).run().success().json()
}

fn truth_all(repo: &Path) -> truth::Truth {
    let bots: Vec<&str> = sparky::config::DEFAULT_BOT_PATTERNS.to_vec();
    let excludes: Vec<&str> = sparky::config::DEFAULT_CHURN_EXCLUDES.to_vec();
    truth::truth(repo, "HEAD", None, false, &bots, &excludes)
}

#[test]
fn default_source_is_the_repository_you_are_in() {
    let mut repo = TestRepo::new();
    repo.at("2025-11-03T10:00:00+00:00")
        .commit("feat: one", &[("a.txt", "1\n")]);
    repo.at("2025-11-04T10:00:00+00:00")
        .commit("fix: two", &[("a.txt", "1\n2\n")]);
    std::fs::create_dir_all(repo.path().join("sub/dir")).expect("mkdir");
    let f = facts_json(&repo.path().join("sub/dir"), &[]);
    assert_eq!(f["repos"].as_array().map(Vec::len), Some(1));
    assert_repo_matches("cwd", &f["repos"][0], &truth_all(repo.path()));
    assert!(
        repo.path().join("sub/dir/.sparky/history").is_dir(),
        "without a config the cache is in the current folder"
    );
}

#[test]
fn mirror_follows_a_force_push_and_drops_rewritten_history() {
    let mut src = TestRepo::new();
    for i in 0..4 {
        src.at(&format!("2025-11-0{}T10:00:00+00:00", i + 3))
            .commit(
                &format!("feat: step {i}"),
                &[("f.txt", &"x\n".repeat(i + 1))],
            );
    }
    let cache = tempfile::tempdir().expect("cache");
    let cwd = tempfile::tempdir().expect("cwd");
    let url = src.url();
    let args = ["--repo", url.as_str(), "--cache-dir", &arg(cache.path())];
    let before = facts_json(cwd.path(), &args);
    assert_repo_matches("before", &before["repos"][0], &truth_all(src.path()));

    src.git(&["reset", "-q", "--hard", "HEAD~2"]);
    src.at("2025-11-10T10:00:00+00:00")
        .commit("feat: rewritten", &[("g.txt", "new\n")]);
    let after = facts_json(cwd.path(), &args);
    assert_repo_matches(
        "after force-push",
        &after["repos"][0],
        &truth_all(src.path()),
    );
    assert_eq!(after["repos"][0]["commits"], 3);
    assert_eq!(
        after["repos"][0]["head"].as_str(),
        Some(src.head().as_str())
    );
}

#[test]
fn offline_uses_existing_mirrors_and_fails_cleanly_without_one() {
    let src = TestRepo::new();
    src.commit("one", &[("a", "1\n")]);
    let cache = tempfile::tempdir().expect("cache");
    let cwd = tempfile::tempdir().expect("cwd");
    let url = src.url();
    let c = arg(cache.path());
    let offline = [
        "facts",
        "--json",
        "--offline",
        "--repo",
        url.as_str(),
        "--cache-dir",
        c.as_str(),
    ];
    let run = Sparky::new(cwd.path(), &offline).run().expect_code(1);
    assert_eq!(run.json()["repos"], serde_json::json!([]));
    let error = run.json()["failed_repos"][0]["error"].clone();
    assert!(
        error.as_str().is_some_and(|e| e.contains("--offline")),
        "{error}"
    );
    facts_json(
        cwd.path(),
        &["--repo", url.as_str(), "--cache-dir", c.as_str()],
    );
    let f = Sparky::new(cwd.path(), &offline).run().success().json();
    assert_eq!(f["repos"][0]["commits"], 1);
}

#[test]
fn shared_history_counts_once_in_distinct_commits() {
    let tmp = build("shared-history");
    let f = facts_json(tmp.path(), &["--window", "all"]);
    assert_eq!(
        f["org"]["repo_commits"], 12,
        "6 + 6 commits across the two repositories"
    );
    assert_eq!(
        f["org"]["commits"], 7,
        "5 shared, 1 fork-only, 1 upstream-only"
    );
    assert_eq!(f["org"]["distinct_commits"], 7);
    assert_eq!(f["org"]["shared_commits"], 5);
}

#[test]
fn no_email_address_reaches_any_output() {
    let tmp = build("basic-org");
    for args in [
        vec!["facts", "--json"],
        vec!["facts"],
        vec!["facts", "--window", "2025-W46", "-v"],
    ] {
        let run = Sparky::new(tmp.path(), &args).run().success();
        let all = format!("{}{}", run.stdout(), run.stderr());
        for email in [
            "alice@example.com",
            "bob@old.example",
            "bob@example.com",
            "carol@example.com",
            "dave@example.com",
            "users.noreply",
        ] {
            assert!(
                !all.contains(email),
                "{email} leaked in `sparky {args:?}`:\n{all}"
            );
        }
    }
}

#[test]
fn the_table_shows_the_same_figures() {
    let tmp = build("basic-org");
    let run = Sparky::new(tmp.path(), &["facts", "--window", "2025-W45"])
        .run()
        .success();
    let out = run.stdout();
    assert!(
        out.starts_with("2025-W45 (2025-11-03T00:00:00+00:00 to 2025-11-10T00:00:00+00:00"),
        "{out}"
    );
    let api = out
        .lines()
        .find(|l| l.starts_with("api "))
        .expect("api row");
    let cells: Vec<&str> = api.split_whitespace().collect();
    assert_eq!(
        &cells[..4],
        ["api", "5", "1", "2"],
        "commits, merges, PRs: {api}"
    );
}

#[test]
fn bad_window_is_a_usage_error_with_a_hint() {
    let repo = TestRepo::new();
    Sparky::new(repo.path(), &["facts", "--window", "2025-W54"])
        .run()
        .expect_code(2)
        .stderr_has("has no ISO week 54")
        .stderr_has("hint:");
}

#[test]
fn missing_path_is_a_clear_error_and_writes_nothing() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = Sparky::new(cwd.path(), &["facts", "--repo", "does/not/exist"])
        .run()
        .expect_code(2);
    assert!(run.stderr().contains("does/not/exist"), "{}", run.stderr());
    assert!(run.stderr().contains("hint:"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_dir(cwd.path()).expect("read").count(),
        0,
        "nothing written"
    );
}

#[test]
fn unreachable_source_is_listed_and_the_rest_continue() {
    let good = TestRepo::new();
    good.commit("one", &[("a", "1\n")]);
    let cwd = tempfile::tempdir().expect("cwd");
    let bad = "file:///nonexistent/sparky-test/gone.git";
    let run = Sparky::new(
        cwd.path(),
        &[
            "facts",
            "--json",
            "--repo",
            &arg(good.path()),
            "--repo",
            bad,
        ],
    )
    .run()
    .expect_code(1);
    let f = run.json();
    assert_eq!(f["repos"].as_array().map(Vec::len), Some(1));
    assert_eq!(f["repos"][0]["commits"], 1);
    assert_eq!(f["failed_repos"][0]["name"], "gone");
    assert!(
        f["failed_repos"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("gone.git")),
        "{f}"
    );
    assert!(run.stderr().contains("gone"), "{}", run.stderr());
}

#[test]
fn unwritable_cache_folder_fails_before_any_git_work() {
    let repo = TestRepo::new();
    repo.commit("one", &[("a", "1\n")]);
    let blocker = tempfile::NamedTempFile::new().expect("file");
    let cache = blocker.path().join("cache");
    let run = Sparky::new(repo.path(), &["facts", "--cache-dir", &arg(&cache)])
        .run()
        .expect_code(2);
    assert!(run.stderr().contains(&arg(&cache)), "{}", run.stderr());
    assert!(run.stderr().contains("hint:"), "{}", run.stderr());
}

#[test]
fn corrupt_mirror_is_rebuilt_not_trusted() {
    let src = TestRepo::new();
    src.commit("one", &[("a", "1\n")]);
    src.commit("two", &[("a", "1\n2\n")]);
    let cache = tempfile::tempdir().expect("cache");
    let cwd = tempfile::tempdir().expect("cwd");
    let url = src.url();
    let args = ["--repo", url.as_str(), "--cache-dir", &arg(cache.path())];
    let first = facts_json(cwd.path(), &args);
    let name = first["repos"][0]["name"].as_str().expect("name");
    let mirror = sparky::pipeline::mirror_path(cache.path(), name);
    assert!(mirror.is_dir(), "mirror at {}", mirror.display());
    std::fs::write(mirror.join("HEAD"), "garbage\n").expect("corrupt HEAD");
    for entry in walk_files(&mirror.join("objects")) {
        std::fs::write(entry, b"not a pack").expect("corrupt object");
    }
    let f = facts_json(cwd.path(), &args);
    assert_repo_matches("rebuilt", &f["repos"][0], &truth_all(src.path()));
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

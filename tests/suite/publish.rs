//! `sparky publish` against local bare remotes and a smart-HTTP server: the first publish, a
//! no-op, a dry run, someone pushing first (stale clone and a real race), a human edit that
//! conflicts, an unreachable remote, and the token's path.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::support::cli::Run;
use crate::support::{Sparky, TestRepo, git_in, http};

/// Sparky's clock in these tests: every period of November 2025 is complete.
const NOW: &str = "2025-12-02T00:00:00Z";
const TOKEN: &str = "tok-Publish-7c1d9e";

/// A docs repository: a bare remote seeded with a small Quartz site whose `sparky.toml` reports
/// on `source`, plus clones of it.
struct Docs {
    root: TempDir,
    source: TestRepo,
}

/// A clone of the docs repository, where a human works and Sparky runs.
struct Work {
    path: PathBuf,
}

impl Docs {
    fn new() -> Docs {
        let mut source = TestRepo::new();
        source.at("2025-11-10T09:00:00Z");
        source.commit("api: first endpoint", &[("src/api.rs", "fn a() {}\n")]);
        source
            .at("2025-11-11T10:00:00Z")
            .by("Bea Builder", "bea@example.com");
        source.commit("api: second endpoint", &[("src/b.rs", "fn b() {}\n")]);
        let root = tempfile::tempdir().expect("root");
        let root_path = root.path().canonicalize().expect("canonical");
        git_in(
            &root_path,
            &["init", "-q", "--bare", "-b", "main", "docs.git"],
        );
        let docs = Docs { root, source };
        let seed = docs.clone_as("seed");
        seed.write("quartz.config.ts", "export default {}\n");
        seed.write("content/index.md", "---\ntitle: \"Home\"\n---\nWelcome.\n");
        seed.write(".gitignore", ".sparky/\nnode_modules/\n");
        seed.write("sparky.toml", &docs.config("acme"));
        seed.git(&["add", "-A"]);
        seed.git(&["commit", "-q", "-m", "A Quartz site"]);
        seed.git(&["push", "-q", "origin", "main"]);
        docs
    }

    fn root(&self) -> PathBuf {
        self.root.path().canonicalize().expect("canonical")
    }

    fn remote(&self) -> PathBuf {
        self.root().join("docs.git")
    }

    fn config(&self, org: &str) -> String {
        format!(
            "[[repos]]\npath = \"{}\"\nname = \"api\"\n\n[output]\norg_name = \"{org}\"\nsince = \"2025-11-10\"\n\n\
             [publish]\nauthor_name = \"Docs Bot\"\nauthor_email = \"docs-bot@example.com\"\n\n\
             [social]\nenabled = false\n",
            self.source.path().display()
        )
    }

    fn clone_as(&self, name: &str) -> Work {
        git_in(
            &self.root(),
            &["clone", "-q", &self.remote().to_string_lossy(), name],
        );
        let work = Work {
            path: self.root().join(name),
        };
        work.git(&["config", "user.name", "Hugh Human"]);
        work.git(&["config", "user.email", "hugh@example.com"]);
        work
    }

    /// `git` in the bare remote.
    fn remote_git(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&git_in(&self.remote(), args))
            .trim()
            .to_string()
    }

    fn remote_tip(&self) -> String {
        self.remote_git(&["rev-parse", "refs/heads/main"])
    }
}

impl Work {
    fn git(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&git_in(&self.path, args))
            .trim_end()
            .to_string()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn sparky(&self, args: &[&str]) -> Sparky {
        Sparky::new(&self.path, args).env("SPARKY_NOW", NOW)
    }

    fn build(&self) -> Run {
        self.sparky(&["build"]).run().success()
    }

    fn publish(&self, args: &[&str]) -> Run {
        let mut all = vec!["publish"];
        all.extend_from_slice(args);
        self.sparky(&all).run()
    }

    /// What a failed publish must not change: HEAD, every ref, the index and the work tree.
    fn state(&self) -> (String, String, String) {
        (
            self.git(&["for-each-ref", "--format=%(refname) %(objectname)"]),
            self.git(&["status", "--porcelain", "--untracked-files=all"]),
            self.git(&["ls-files", "--stage"]),
        )
    }
}

/// The files a commit changed, from git itself.
fn changed_in(docs: &Docs, commit: &str) -> BTreeSet<String> {
    docs.remote_git(&[
        "diff-tree",
        "--no-commit-id",
        "--name-only",
        "-r",
        &format!("{commit}^"),
        commit,
    ])
    .lines()
    .map(str::to_string)
    .collect()
}

/// The files Sparky wrote, per its output manifest (paths in the repository).
fn manifest_files(work: &Work) -> BTreeSet<String> {
    let path = sparky::output::manifest::path_for(
        &work.path.join(".sparky"),
        &work.path,
        &work.path.join("content"),
    );
    sparky::output::Manifest::load(&path)
        .files
        .keys()
        .map(|rel| format!("content/{rel}"))
        .collect()
}

#[test]
fn first_publish_commits_only_sparkys_files_with_the_configured_author() {
    let docs = Docs::new();
    let work = docs.clone_as("work");
    let seeded = docs.remote_tip();
    // A human's work in progress, which publishing must not touch.
    work.write("content/index.md", "---\ntitle: \"Home\"\n---\nEdited.\n");
    work.write("content/notes/draft.md", "draft\n");
    work.build();
    let human_status = " M content/index.md\n?? content/notes/draft.md";

    let dry = work.publish(&["--dry-run"]).success();
    assert!(
        dry.stdout().contains("would commit on main"),
        "{}",
        dry.stdout()
    );
    assert!(
        dry.stdout()
            .contains("A content/blog/2025/11/week-2025-46.md"),
        "{}",
        dry.stdout()
    );
    assert!(
        dry.stdout()
            .contains("Author: Docs Bot <docs-bot@example.com>")
    );
    assert_eq!(docs.remote_tip(), seeded, "a dry run pushes nothing");
    assert_eq!(work.git(&["rev-parse", "HEAD"]), seeded);

    let run = work.publish(&[]).success();
    assert!(run.stderr().contains("published "), "{}", run.stderr());
    let tip = docs.remote_tip();
    assert_eq!(docs.remote_git(&["rev-parse", "main^"]), seeded);
    assert_eq!(
        docs.remote_git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>", "main"]),
        "Docs Bot <docs-bot@example.com>|Docs Bot <docs-bot@example.com>"
    );
    let changed = changed_in(&docs, &tip);
    assert_eq!(changed, manifest_files(&work), "exactly Sparky's files");
    assert!(changed.iter().all(|p| p.starts_with("content/blog/")));
    let message = docs.remote_git(&["log", "-1", "--format=%B", "main"]);
    assert!(
        message.starts_with("Sparky: 4 reports, 13 other files\n\nReports:\n"),
        "{message}"
    );
    assert!(
        message
            .contains("- This Week in acme - 2025-W46 (content/blog/2025/11/week-2025-46.md, new)"),
        "{message}"
    );
    // The clone follows: its branch is the pushed commit, and only the human's changes remain.
    assert_eq!(work.git(&["rev-parse", "HEAD"]), tip);
    assert_eq!(work.git(&["rev-parse", "origin/main"]), tip);
    assert_eq!(
        work.git(&["status", "--porcelain", "--untracked-files=all"]),
        human_status
    );

    // Nothing changed: no commit, no push.
    work.build();
    let again = work.publish(&[]).success();
    assert!(
        again.stderr().contains("nothing to publish"),
        "{}",
        again.stderr()
    );
    assert_eq!(docs.remote_tip(), tip);
    assert_eq!(docs.remote_git(&["rev-list", "--count", "main"]), "2");
}

#[test]
fn files_sparky_removed_are_deleted_and_edited_ones_left_out() {
    let docs = Docs::new();
    let work = docs.clone_as("work");
    work.build();
    work.publish(&[]).success();
    let page = "content/blog/2025/11/week-2025-46.md";
    // A human edits a page Sparky wrote; then a rebuild of November 10 drops its files.
    let edited = work.read(page) + "\nA human note.\n";
    work.write(page, &edited);
    let content = work.path.join("content");
    let manifest =
        sparky::output::manifest::path_for(&work.path.join(".sparky"), &work.path, &content);
    let rebuilt: BTreeSet<String> = ["2025-11-10".to_string()].into();
    let pruned = sparky::output::apply(
        &content,
        &manifest,
        &[],
        &rebuilt,
        sparky::output::WriteOptions::default(),
    )
    .expect("prune");
    assert!(!pruned.removed.is_empty());

    let run = work.publish(&[]).expect_code(1);
    assert!(
        run.stderr()
            .contains(&format!("left out {page}: edited since Sparky wrote it")),
        "{}",
        run.stderr()
    );
    let tip = docs.remote_tip();
    let deleted = docs.remote_git(&[
        "diff-tree",
        "--no-commit-id",
        "--name-status",
        "-r",
        "main^",
        "main",
    ]);
    let expected: Vec<String> = pruned
        .removed
        .iter()
        .map(|rel| format!("D\tcontent/{rel}"))
        .collect();
    assert_eq!(deleted, expected.join("\n"));
    assert!(
        docs.remote_git(&["log", "-1", "--format=%B", "main"])
            .contains("Removed (no longer generated):")
    );
    assert_eq!(work.git(&["rev-parse", "HEAD"]), tip);
    assert_eq!(
        work.git(&["status", "--porcelain"]),
        format!(" M {page}"),
        "the human's edit stays uncommitted"
    );
}

#[test]
fn someone_pushing_first_is_fetched_and_retried_on_the_new_tip() {
    let docs = Docs::new();
    let work = docs.clone_as("work");
    let other = docs.clone_as("other");
    other.write("content/about.md", "---\ntitle: \"About\"\n---\nUs.\n");
    other.git(&["add", "-A"]);
    other.git(&["commit", "-q", "-m", "About page"]);
    other.git(&["push", "-q", "origin", "main"]);
    let theirs = docs.remote_tip();
    work.build();

    // With no retries allowed, the stale clone gives up and changes nothing.
    std::fs::write(
        work.path.join("no-retry.toml"),
        "[publish]\nmax_retries = 0\n",
    )
    .expect("write");
    let before = work.state();
    let run = work.publish(&["--config", "no-retry.toml"]).expect_code(2);
    assert!(
        run.stderr().contains("gave up after 1 attempt(s)"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("hint: "), "{}", run.stderr());
    assert_eq!(work.state(), before);
    assert_eq!(docs.remote_tip(), theirs);

    let run = work.publish(&[]).success();
    assert!(
        run.stderr().contains("(1 retry: someone pushed first)"),
        "{}",
        run.stderr()
    );
    assert_eq!(docs.remote_git(&["rev-parse", "main^"]), theirs);
    assert_eq!(
        changed_in(&docs, "main"),
        manifest_files(&work),
        "the retried commit holds Sparky's files only"
    );
    // The clone caught up with both commits, the other person's file included.
    assert_eq!(work.git(&["rev-parse", "HEAD"]), docs.remote_tip());
    assert!(work.read("content/about.md").contains("Us."));
    assert_eq!(
        work.git(&["status", "--porcelain"]),
        "?? no-retry.toml",
        "a clean clone"
    );
}

#[test]
fn a_human_edit_upstream_of_a_page_sparky_rewrote_stops_and_changes_nothing() {
    let docs = Docs::new();
    let work = docs.clone_as("work");
    work.build();
    work.publish(&[]).success();
    let page = "content/blog/2025/11/week-2025-46.md";
    let other = docs.clone_as("other");
    other.write(page, &(other.read(page) + "\nFixed a typo by hand.\n"));
    other.git(&["commit", "-q", "-am", "Fix the weekly report by hand"]);
    other.git(&["push", "-q", "origin", "main"]);
    let theirs = docs.remote_tip();
    // Sparky rewrites the same page (a new organisation name) in the stale clone.
    work.write("sparky.toml", &docs.config("acme labs"));
    work.build();
    let before = work.state();

    let run = work.publish(&[]).expect_code(2);
    let err = run.stderr();
    assert!(
        err.contains(&format!("`{page}` was changed on `origin/main`")),
        "{err}"
    );
    assert!(err.contains("nothing was published"), "{err}");
    assert!(
        err.contains("hint: someone edited a page Sparky also rewrote"),
        "{err}"
    );
    assert_eq!(docs.remote_tip(), theirs);
    assert_eq!(work.state(), before, "the clone is as it was");
}

#[test]
fn an_unreachable_remote_fails_and_changes_nothing() {
    let docs = Docs::new();
    let work = docs.clone_as("work");
    work.build();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    for url in [
        docs.root()
            .join("missing.git")
            .to_string_lossy()
            .into_owned(),
        format!("http://127.0.0.1:{closed}/docs.git"),
    ] {
        work.git(&["remote", "set-url", "origin", &url]);
        let before = work.state();
        let run = work.publish(&[]).expect_code(2);
        assert!(
            run.stderr().contains("failed to push to `origin`"),
            "{url}: {}",
            run.stderr()
        );
        assert!(run.stderr().contains("hint: "), "{}", run.stderr());
        assert_eq!(work.state(), before, "{url}: nothing changed");
    }
}

#[test]
fn concurrent_publishes_over_authenticated_http_both_land() {
    let docs = Docs::new();
    docs.remote_git(&["config", "http.receivepack", "true"]);
    let server = http::git_backend(docs.root(), Some(http::basic_auth("x-access-token", TOKEN)));
    let url = server.url("docs.git");
    // Two clones write reports into different folders of the same site.
    let works: Vec<Work> = ["a", "b"]
        .iter()
        .map(|name| {
            let work = docs.clone_as(name);
            work.git(&["remote", "set-url", "origin", &url]);
            work
        })
        .collect();
    let folder = |i: usize| if i == 0 { "content" } else { "content/team" };
    for (i, work) in works.iter().enumerate() {
        work.sparky(&["build", "--out", folder(i)]).run().success();
    }

    let missing = works[0].publish(&[]).expect_code(2);
    assert!(
        missing.stderr().contains("SPARKY_PUBLISH_TOKEN"),
        "without a token the hint names the variable: {}",
        missing.stderr()
    );

    let runs: Vec<Run> = std::thread::scope(|s| {
        let handles: Vec<_> = works
            .iter()
            .enumerate()
            .map(|(i, work)| {
                s.spawn(move || {
                    work.sparky(&["publish", "--out", folder(i)])
                        .env("SPARKY_PUBLISH_TOKEN", TOKEN)
                        .run()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let mut retried = 0;
    for run in runs {
        let run = run.success();
        retried += usize::from(run.stderr().contains("someone pushed first"));
        for text in [run.stdout(), run.stderr()] {
            assert!(!text.contains(TOKEN), "token shown: {text}");
        }
    }
    assert!(
        retried >= 1,
        "both started from the same tip: one of them retried"
    );
    assert_eq!(
        docs.remote_git(&["rev-list", "--count", "--merges", "main"]),
        "0",
        "linear history"
    );
    assert_eq!(docs.remote_git(&["rev-list", "--count", "main"]), "3");
    let tree = docs.remote_git(&["ls-tree", "-r", "--name-only", "main"]);
    for page in [
        "content/blog/2025/11/week-2025-46.md",
        "content/team/blog/2025/11/week-2025-46.md",
    ] {
        assert!(tree.lines().any(|l| l == page), "{page} missing:\n{tree}");
    }
    let log = docs.remote_git(&["log", "--format=%an%n%B", "main"]);
    assert!(!log.contains(TOKEN));
    for work in &works {
        assert_eq!(
            work.git(&["remote", "get-url", "origin"]),
            url,
            "URL unchanged"
        );
        assert!(
            files_containing(&work.path.join(".git"), TOKEN).is_empty(),
            "the token reached the clone's .git"
        );
    }
}

/// Files under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn publish_config_is_documented_strict_and_located() {
    for key in [
        "[publish]",
        "repo =",
        "remote =",
        "branch =",
        "author_name =",
        "author_email =",
        "token_env = \"SPARKY_PUBLISH_TOKEN\"",
        "max_retries =",
    ] {
        assert!(
            sparky::config::DEFAULT_CONFIG.contains(key),
            "default config lacks `{key}`"
        );
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sparky.toml");
    for (text, at, hint) in [
        (
            "[publish]\nmax_retry = 2\n",
            "sparky.toml:2:1",
            "did you mean `max_retries`?",
        ),
        (
            "[publish]\nmax_retries = \"2\"\n",
            "sparky.toml:2:15",
            "remove the quotes",
        ),
        (
            "[publish]\nmax_retries = 11\n",
            "sparky.toml:2:15",
            "from 0 to 10",
        ),
        (
            "[publish]\nbranch = \"refs/heads/main\"\n",
            "sparky.toml:2:10",
            "without `refs/heads/`",
        ),
        (
            "[publish]\nauthor_email = \" \"\n",
            "sparky.toml:2:16",
            "give it a value",
        ),
        (
            "[publish]\ntoken_env = \"ghp_abcdef123456\"\n",
            "sparky.toml:2:13",
            "names the environment variable",
        ),
    ] {
        std::fs::write(&path, text).expect("write");
        let err = sparky::config::load(&path).expect_err(text);
        let shown = err.to_string();
        assert!(shown.contains(at), "{text:?}: {shown}");
        assert!(
            err.hint().is_some_and(|h| h.contains(hint)),
            "{text:?}: {:?}",
            err.hint()
        );
        assert!(
            !shown.contains("ghp_abcdef123456"),
            "a pasted token is masked"
        );
    }
}

#[test]
fn publishing_before_any_build_says_so() {
    let docs = Docs::new();
    let work = docs.clone_as("work");
    let run = work.publish(&[]).success();
    assert!(
        run.stderr().contains("run `sparky build` first"),
        "{}",
        run.stderr()
    );
    let on_other_branch = docs.clone_as("other");
    on_other_branch.git(&["switch", "-q", "-c", "feature"]);
    on_other_branch.write("p.toml", "[publish]\nbranch = \"main\"\n");
    let run = on_other_branch
        .publish(&["--config", "p.toml"])
        .expect_code(2);
    assert!(
        run.stderr()
            .contains("the clone is on branch `feature`, but `[publish] branch` is `main`"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("hint: `git switch main` first"));
}

#[test]
fn publishing_into_an_empty_repository_makes_its_first_commit() {
    let docs = Docs::new();
    let root = docs.root();
    git_in(&root, &["init", "-q", "--bare", "-b", "main", "empty.git"]);
    git_in(&root, &["clone", "-q", "empty.git", "fresh"]);
    let work = Work {
        path: root.join("fresh"),
    };
    work.write("sparky.toml", &docs.config("acme"));
    work.write(".git/info/exclude", ".sparky/\nsparky.toml\n");
    work.build();
    let branch = work.git(&["symbolic-ref", "--short", "HEAD"]);
    let run = work.publish(&[]).success();
    assert!(run.stderr().contains("published "), "{}", run.stderr());
    let empty = root.join("empty.git");
    let remote_git = |args: &[&str]| {
        String::from_utf8_lossy(&git_in(&empty, args))
            .trim()
            .to_string()
    };
    assert_eq!(
        remote_git(&["rev-list", "--count", &branch]),
        "1",
        "a root commit"
    );
    let tree: BTreeSet<String> = remote_git(&["ls-tree", "-r", "--name-only", &branch])
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(tree, manifest_files(&work));
    assert_eq!(
        work.git(&["rev-parse", "HEAD"]),
        remote_git(&["rev-parse", &branch])
    );
    assert_eq!(work.git(&["status", "--porcelain"]), "");
}

#[test]
fn social_drafts_are_published_with_the_reports() {
    let docs = Docs::new();
    let work = docs.clone_as("work");
    let config = work
        .read("sparky.toml")
        .replace("[social]\nenabled = false\n", "");
    work.write("sparky.toml", &config);
    work.git(&["commit", "-qam", "turn social drafts on"]);
    work.git(&["push", "-q", "origin", "main"]);
    work.build();
    assert!(
        work.path
            .join("social/blog/2025/11/week-2025-46.social.md")
            .is_file()
    );
    work.publish(&[]).success();
    let changed = changed_in(&docs, &docs.remote_tip());
    assert!(
        changed.contains("social/blog/2025/11/week-2025-46.social.json"),
        "{changed:?}"
    );
    assert!(
        changed.contains("content/blog/2025/11/week-2025-46.md"),
        "{changed:?}"
    );
    assert!(
        changed
            .iter()
            .all(|p| p.starts_with("content/blog/") || p.starts_with("social/blog/")),
        "{changed:?}"
    );
}

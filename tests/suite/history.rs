//! History extraction against the git CLI: every figure Sparky reads is compared with what
//! `git log` / `git for-each-ref` print for the same repository.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use sparky::history::{
    CommitRecord, ExtractOptions, Extracted, FileChange, HistoryError, RepoHistory, extract,
};

use crate::support::{TestRepo, git_in};

pub(crate) fn run(path: &Path) -> Extracted {
    extract(path, None, None, &ExtractOptions::default()).expect("extract succeeds")
}

fn run_cached(path: &Path, cache: &Path) -> Extracted {
    extract(path, None, Some(cache), &ExtractOptions::default()).expect("extract succeeds")
}

/// One numstat line in comparable form: (path, old path, added, deleted, binary).
pub(crate) type Stat = (String, Option<String>, u32, u32, bool);

pub(crate) fn stats_of(files: &[FileChange]) -> Vec<Stat> {
    let mut v: Vec<Stat> = files
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                f.old_path.clone(),
                f.added,
                f.deleted,
                f.binary,
            )
        })
        .collect();
    v.sort();
    v
}

/// `git log --numstat -M --no-merges -z` (git's default diff and rename detection) for `rev`,
/// as commit id → sorted numstat lines.
pub(crate) fn git_numstat(path: &Path, rev: &str) -> BTreeMap<String, Vec<Stat>> {
    let out = git_in(
        path,
        &[
            "log",
            "--numstat",
            "-M",
            "--no-merges",
            "-z",
            "--format=@@%H",
            rev,
        ],
    );
    let text = String::from_utf8_lossy(&out).into_owned();
    let mut map: BTreeMap<String, Vec<Stat>> = BTreeMap::new();
    let mut current = String::new();
    let mut tokens = text.split('\0');
    while let Some(token) = tokens.next() {
        let token = token.trim_start_matches('\n');
        if let Some(id) = token.strip_prefix("@@") {
            current = id.to_owned();
            map.entry(current.clone()).or_default();
            continue;
        }
        if token.is_empty() {
            continue;
        }
        let mut parts = token.splitn(3, '\t');
        let (a, d, p) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let (path, old) = if p.is_empty() {
            let old = tokens.next().unwrap().to_owned();
            (tokens.next().unwrap().to_owned(), Some(old))
        } else {
            (p.to_owned(), None)
        };
        let binary = a == "-";
        let num = |s: &str| if binary { 0 } else { s.parse::<u32>().unwrap() };
        map.get_mut(&current)
            .unwrap()
            .push((path, old, num(a), num(d), binary));
    }
    for v in map.values_mut() {
        v.sort();
    }
    map
}

/// What `git log` prints per commit, in git's order.
#[derive(Debug, PartialEq)]
struct GitCommit {
    id: String,
    parents: Vec<String>,
    author: (String, String, i64, i32),
    committer: (String, String, i64, i32),
    subject: String,
    body: String,
    co_authors: Vec<String>,
}

fn git_commits(path: &Path, rev: &str) -> Vec<GitCommit> {
    let format = "--format=%H%x00%P%x00%an%x00%ae%x00%ad%x00%cn%x00%ce%x00%cd%x00%s%x00%b%x00\
                  %(trailers:key=Co-authored-by,valueonly,separator=%x1f)%x00%x01";
    let out = git_in(path, &["log", "--date=raw", format, rev]);
    let text = String::from_utf8_lossy(&out).into_owned();
    let raw_date = |s: &str| {
        let (t, z) = s.split_once(' ').unwrap();
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let (h, m) = (
            z[1..3].parse::<i32>().unwrap(),
            z[3..5].parse::<i32>().unwrap(),
        );
        (t.parse::<i64>().unwrap(), sign * (h * 3600 + m * 60))
    };
    text.split('\x01')
        .map(|c| c.trim_start_matches('\n'))
        .filter(|c| !c.is_empty())
        .map(|c| {
            let f: Vec<&str> = c.split('\0').collect();
            let (at, ao) = raw_date(f[4]);
            let (ct, co) = raw_date(f[7]);
            GitCommit {
                id: f[0].to_owned(),
                parents: f[1].split_whitespace().map(str::to_owned).collect(),
                author: (f[2].to_owned(), f[3].to_owned(), at, ao),
                committer: (f[5].to_owned(), f[6].to_owned(), ct, co),
                subject: f[8].to_owned(),
                body: f[9].trim_end().to_owned(),
                co_authors: f[10]
                    .split('\x1f')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}

fn ours(c: &CommitRecord) -> GitCommit {
    let sig = |s: &sparky::history::Signature| (s.name.clone(), s.email.clone(), s.time, s.offset);
    GitCommit {
        id: c.id.to_string(),
        parents: c.parents.iter().map(ToString::to_string).collect(),
        author: sig(&c.author),
        committer: sig(&c.committer),
        subject: c.subject.clone(),
        body: c.body.clone(),
        co_authors: c
            .co_authors
            .iter()
            .map(|a| format!("{} <{}>", a.name, a.email))
            .collect(),
    }
}

/// Asserts that `history` equals git's view of `rev` in `path`: the same commits in the same
/// order with the same metadata, merges undiffed, and numstat equal for every non-merge.
fn assert_matches_git(path: &Path, rev: &str, history: &RepoHistory) {
    let expected = git_commits(path, rev);
    let actual: Vec<GitCommit> = history.commits.iter().map(ours).collect();
    assert_eq!(actual, expected);
    let numstat = git_numstat(path, rev);
    for c in &history.commits {
        let id = c.id.to_string();
        if c.is_merge() {
            assert!(c.files.is_empty(), "merge {id} was diffed");
            assert!(!numstat.contains_key(&id));
        } else {
            assert_eq!(c.diff_error, None, "commit {}", c.subject);
            assert_eq!(
                stats_of(&c.files),
                numstat[&id],
                "numstat of `{}` ({})",
                c.subject,
                c.id
            );
        }
    }
}

fn lines(range: std::ops::Range<u32>, tag: &str) -> String {
    range
        .map(|i| format!("line {i} of the {tag} file, with some words\n"))
        .collect()
}

/// A history touching every numstat rule: root, edits, adds/deletes, renames with and without
/// edits, a rename below the threshold, binaries, missing final newlines, a huge one-line file,
/// CRLF, mode/type changes, a symlink, a submodule, a file replaced by a folder, a merge.
fn mixed_history() -> TestRepo {
    let mut r = TestRepo::new();
    let body = lines(0..40, "core");
    r.tick().commit(
        "root: initial files",
        &[
            ("README.md", "hello\nworld\n"),
            ("src/lib.rs", &body),
            ("src/util/mod.rs", &lines(0..12, "util")),
            ("docs/empty.txt", ""),
            ("docs/guide.md", &lines(0..10, "guide")),
            ("notes.txt", &lines(0..6, "notes")),
        ],
    );
    r.tick().commit(
        "edit lib",
        &[("src/lib.rs", &body.replace("line 7 ", "LINE 7 "))],
    );
    r.tick()
        .rm("docs/empty.txt")
        .write("docs/new.md", "new\nfile\n");
    r.commit_all("add and delete");
    let edited = lines(0..40, "core")
        .replace("line 3 ", "L3 ")
        .replace("line 30 ", "L30 ")
        + "tail\n";
    r.tick()
        .mv("src/lib.rs", "src/core.rs")
        .write("src/core.rs", &edited);
    r.commit_all("rename with edits");
    r.tick()
        .mv("src/util/mod.rs", "src/helpers/mod.rs")
        .commit_all("pure rename");
    r.tick()
        .rm("notes.txt")
        .write("misc/other.txt", "completely\ndifferent\ncontent\n");
    r.commit_all("rename below the similarity threshold");
    r.tick().write(
        "assets/logo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR binary".as_slice(),
    );
    r.commit_all("add binary");
    r.tick().write(
        "assets/logo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR changed".as_slice(),
    );
    r.commit_all("modify binary");
    r.tick()
        .mv("assets/logo.png", "assets/icon.png")
        .commit_all("rename binary");
    r.tick()
        .commit("drop final newline", &[("README.md", "hello\nworld")]);
    r.tick().commit(
        "edit last line without newline",
        &[("README.md", "hello\nthere")],
    );
    r.tick()
        .commit("restore final newline", &[("README.md", "hello\nthere\n")]);
    let huge = "x".repeat(3 * 1024 * 1024);
    r.tick()
        .commit("huge one-line file", &[("data/huge.txt", &huge)]);
    r.tick().commit(
        "edit huge line",
        &[("data/huge.txt", &(huge.clone() + "y"))],
    );
    r.tick()
        .commit("crlf file", &[("win.txt", "a\r\nb\r\nc\r\n")]);
    r.tick()
        .commit("crlf edit", &[("win.txt", "a\r\nB\r\nc\r\n")]);
    r.tick()
        .git(&["update-index", "--chmod=+x", "docs/guide.md"]);
    r.commit_staged("mode change only");
    std::os::unix::fs::symlink("README.md", r.path().join("link")).unwrap();
    r.tick().commit_all("add symlink");
    std::fs::remove_file(r.path().join("link")).unwrap();
    r.tick()
        .commit("symlink becomes a file", &[("link", "now a file\n")]);
    r.tick().git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{},sub", "1".repeat(40)),
    ]);
    r.commit_staged("add submodule");
    r.tick().git(&[
        "update-index",
        "--cacheinfo",
        &format!("160000,{},sub", "2".repeat(40)),
    ]);
    r.commit_staged("bump submodule");
    r.tick()
        .rm("misc/other.txt")
        .write("misc/other.txt/inside.txt", "folder now\n");
    r.commit_all("file becomes a folder");
    r.tick().commit_all("empty commit");
    r.tick().branch("feature");
    r.tick().commit("feature one", &[("feature/a.txt", "a\n")]);
    r.tick()
        .commit("feature two", &[("feature/a.txt", "a\nb\n")]);
    r.checkout("main");
    r.tick_in("+0530")
        .commit("main meanwhile", &[("README.md", "hi\nthere\n")]);
    r.tick().merge("feature", "Merge branch 'feature'");
    r.tick()
        .commit("after merge", &[("feature/a.txt", "a\nb\nc\n")]);
    r
}

#[test]
fn mixed_history_matches_git_log() {
    let r = mixed_history();
    let got = run(r.path());
    let h = &got.history;
    assert_eq!(h.branch.as_deref(), Some("main"));
    assert_eq!(h.head.as_deref(), Some(r.head().as_str()));
    assert!(h.unreadable.is_empty());
    assert_matches_git(r.path(), "main", h);
    assert_eq!(got.stats.total, h.commits.len());
    assert_eq!((got.stats.read, got.stats.from_cache), (h.commits.len(), 0));
    // Spot checks so a git change in defaults would not silently pass.
    let by_subject = |s: &str| h.commits.iter().find(|c| c.subject == s).unwrap();
    let rename = &by_subject("rename with edits").files;
    assert_eq!(rename.len(), 1);
    assert_eq!(rename[0].old_path.as_deref(), Some("src/lib.rs"));
    assert_eq!((rename[0].added, rename[0].deleted), (4, 3));
    assert!(by_subject("modify binary").files[0].binary);
    let eof = &by_subject("drop final newline").files[0];
    assert_eq!((eof.added, eof.deleted), (1, 1));
    let mode = &by_subject("mode change only").files[0];
    assert_eq!(
        (mode.path.as_str(), mode.added, mode.deleted),
        ("docs/guide.md", 0, 0)
    );
    assert!(by_subject("empty commit").files.is_empty());
    let merge = by_subject("Merge branch 'feature'");
    assert!(merge.is_merge() && merge.files.is_empty());
    assert!(h.commits.iter().any(|c| c.subject == "feature one"));
    assert_eq!(by_subject("main meanwhile").author.offset, 5 * 3600 + 1800);
}

#[test]
fn packed_history_matches_git_log() {
    let r = mixed_history();
    let loose = run(r.path()).history;
    // Offset deltas, then reference deltas: both chain kinds are decoded like git does.
    for config in [
        "repack.useDeltaBaseOffset=true",
        "repack.useDeltaBaseOffset=false",
    ] {
        r.git(&[
            "-c",
            config,
            "repack",
            "-q",
            "-a",
            "-d",
            "-f",
            "--depth=50",
            "--window=50",
        ]);
        r.git(&["prune-packed"]);
        let packed = run(r.path()).history;
        assert_matches_git(r.path(), "main", &packed);
        assert_eq!(packed, loose);
    }
    // With a commit-graph the walk takes parents and trees from it.
    r.git(&["commit-graph", "write", "--reachable"]);
    assert_eq!(run(r.path()).history, loose);
}

/// A tiny deterministic generator (no dependency needed for a test's coin flips).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn renames_around_the_similarity_threshold_pair_like_git() {
    let mut rng = Lcg(7);
    let mut r = TestRepo::new();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..24 {
        let text: String = (0..4 + rng.next(30))
            .map(|k| format!("l{k} {}\n", rng.next(9)))
            .collect();
        files.insert(format!("d{}/f{i}.txt", rng.next(4)), text);
    }
    for (path, text) in &files {
        r.write(path, text);
    }
    r.tick().commit_all("root");
    for c in 0..30 {
        for _ in 0..1 + rng.next(4) {
            let keys: Vec<String> = files.keys().cloned().collect();
            let from = keys[rng.next(keys.len() as u64) as usize].clone();
            let text = files.remove(&from).unwrap();
            let _ = std::fs::remove_file(r.path().join(&from)); // may not be committed yet
            // Edit a random share of the lines (0-100 %), sometimes the last newline too.
            let share = rng.next(101);
            let mut edited: String = text
                .lines()
                .map(|l| {
                    if rng.next(100) < share {
                        format!("x{}\n", rng.next(999))
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            if rng.next(8) == 0 {
                edited.pop();
            }
            let base = from.rsplit('/').next().unwrap().to_owned();
            let name = if rng.next(3) == 0 {
                format!("g{c}.txt")
            } else {
                base
            };
            let to = format!("e{}/{name}", rng.next(4));
            if files.contains_key(&to) || rng.next(6) == 0 {
                continue; // a plain deletion
            }
            if rng.next(5) == 0 {
                files.insert(format!("e9/dup{c}.txt"), edited.clone()); // an identical twin
            }
            files.insert(to, edited);
        }
        for (path, text) in &files {
            r.write(path, text);
        }
        r.tick().commit_all(&format!("shuffle {c}"));
    }
    let h = run(r.path()).history;
    assert!(
        h.commits
            .iter()
            .flat_map(|c| &c.files)
            .filter(|f| f.old_path.is_some())
            .count()
            > 20
    );
    assert_matches_git(r.path(), "main", &h);
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let r = mixed_history();
    let one = extract(r.path(), None, None, &ExtractOptions { threads: Some(1) }).unwrap();
    let three = extract(r.path(), None, None, &ExtractOptions { threads: Some(3) }).unwrap();
    assert_eq!(one.history, three.history);
    let sorted = one
        .history
        .commits
        .windows(2)
        .all(|w| (w[0].committer.time, &w[1].id) >= (w[1].committer.time, &w[0].id));
    assert!(sorted, "newest first, ties by id");
}

#[test]
fn subjects_bodies_and_trailers_match_git() {
    let mut r = TestRepo::new();
    r.tick().commit(
        "feat: add the thing\nspanning two lines  \n\nBody paragraph\nwith two lines.\n\n\
         BREAKING CHANGE: the old API is gone\n\n\
         Co-authored-by: Bob Builder <bob@example.org>\n\
         co-authored-by: Carol Coder <carol@example.net>\n",
        &[("a", "1\n")],
    );
    r.tick().commit(
        "fix: small\n\nBREAKING-CHANGE: renamed flag\n",
        &[("a", "2\n")],
    );
    r.tick().commit(
        "chore: prose mentions\n\nWe said BREAKING CHANGE: in prose here.\n\n\
         Reviewed-by: Dan <dan@example.com>\n",
        &[("a", "3\n")],
    );
    r.tick()
        .commit_raw_message(b"\n\n  leading blank lines\n\n\n    indented body\n\n\n");
    let h = run(r.path()).history;
    assert_matches_git(r.path(), "main", &h);
    let c = |s: &str| h.commits.iter().find(|c| c.subject.starts_with(s)).unwrap();
    assert_eq!(c("feat:").subject, "feat: add the thing spanning two lines");
    assert!(c("feat:").breaking_footer);
    assert_eq!(c("feat:").co_authors.len(), 2);
    assert!(c("fix:").breaking_footer);
    assert!(!c("chore:").breaking_footer);
    assert_eq!(c("  leading").body, "    indented body");
}

#[test]
fn non_utf8_messages_are_decoded_or_flagged() {
    let mut r = TestRepo::new();
    r.tick()
        .commit_encoded(b"caf\xe9 latin1\n\nna\xefve body\n", "ISO-8859-1");
    r.tick().commit_raw_object(b"caf\xe9 without header\n");
    r.tick().commit("plain utf-8 caf\u{e9}", &[]);
    let h = run(r.path()).history;
    assert_matches_git(r.path(), "main", &h);
    let c = |s: &str| h.commits.iter().find(|c| c.subject.contains(s)).unwrap();
    assert_eq!(c("latin1").subject, "café latin1");
    assert_eq!(c("latin1").body, "naïve body");
    assert!(!c("latin1").lossy_message);
    assert_eq!(c("without header").subject, "caf\u{fffd} without header");
    assert!(c("without header").lossy_message);
    assert!(!c("plain").lossy_message);
}

#[test]
fn tags_peel_to_commits_with_their_times() {
    let mut r = TestRepo::new();
    r.tick().commit("one", &[("a", "1\n")]);
    r.tick().tag("v0.1-light");
    r.tick().tag_annotated("v0.1", "release 0.1");
    r.tick().branch("side").commit("side only", &[("b", "1\n")]);
    r.tick().tag_annotated("side-tag", "not on main");
    r.checkout("main");
    r.tick().commit("two", &[("a", "2\n")]);
    r.tick()
        .git(&["tag", "-a", "nested", "-m", "tag of a tag", "v0.1"]);
    let tree = r.git(&["rev-parse", "HEAD^{tree}"]);
    r.git(&["tag", "tree-tag", tree.trim()]);
    let h = run(r.path()).history;

    let out = r.git(&[
        "for-each-ref",
        "refs/tags",
        "--format=%(refname:short) %(objecttype) %(taggerdate:unix)",
    ]);
    let peeled = |name: &str| {
        r.git(&["rev-parse", &format!("{name}^{{commit}}")])
            .trim()
            .to_owned()
    };
    let times = |id: &str| {
        let t = r.git(&["log", "-1", "--format=%at %ct", id]);
        let mut it = t.split_whitespace().map(|s| s.parse::<i64>().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    };
    let expected: Vec<_> = out
        .lines()
        .filter(|l| !l.starts_with("tree-tag"))
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let commit = peeled(f[0]);
            let tagger = (f[1] == "tag").then(|| f[2].parse::<i64>().unwrap());
            (f[0].to_owned(), commit.clone(), tagger, times(&commit))
        })
        .collect();
    let actual: Vec<_> = h
        .tags
        .iter()
        .map(|t| {
            let times = (t.commit_author_time, t.commit_committer_time);
            (t.name.clone(), t.commit.clone(), t.tagger_time, times)
        })
        .collect();
    assert_eq!(actual, expected);
    assert_eq!(h.tags.len(), 4, "the tag of a tree is left out");
    assert!(
        h.tags
            .iter()
            .any(|t| t.name == "v0.1-light" && t.tagger_time.is_none())
    );
}

#[test]
fn mailmap_is_read_at_the_tip() {
    let mut r = TestRepo::new();
    r.tick().commit("one", &[("a", "1\n")]);
    assert_eq!(run(r.path()).history.mailmap, "");
    let text = "Alice Example <alice@example.com> <alice@old.example.com>\n";
    r.tick().commit("mailmap", &[(".mailmap", text)]);
    assert_eq!(run(r.path()).history.mailmap, text);
    // Recomputed on every run, also when every commit comes from the cache.
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("repo.cache");
    run_cached(r.path(), &cache);
    let warm = run_cached(r.path(), &cache);
    assert_eq!(
        (warm.stats.from_cache, warm.history.mailmap.as_str()),
        (2, text)
    );
}

#[test]
fn empty_repository_is_an_empty_history() {
    let r = TestRepo::new();
    let got = run(r.path());
    assert_eq!(got.history.branch.as_deref(), Some("main"));
    assert_eq!(got.history.head, None);
    assert!(got.history.commits.is_empty() && got.history.tags.is_empty());
    assert_eq!(got.stats.total, 0);
    let named = extract(r.path(), Some("main"), None, &ExtractOptions::default()).unwrap();
    assert!(named.history.commits.is_empty());
}

#[test]
fn head_naming_a_missing_branch_is_an_error_when_others_exist() {
    let mut r = TestRepo::new();
    r.tick().commit("one", &[("a", "1\n")]);
    r.git(&["branch", "-m", "main", "trunk"]);
    r.git(&["symbolic-ref", "HEAD", "refs/heads/main"]);
    let err = extract(r.path(), None, None, &ExtractOptions::default()).unwrap_err();
    match err {
        HistoryError::BranchNotFound {
            branch, available, ..
        } => {
            assert_eq!(
                (branch.as_str(), available),
                ("main", vec!["trunk".to_owned()])
            );
        }
        other => panic!("unexpected error {other:?}"),
    }
    let trunk = extract(r.path(), Some("trunk"), None, &ExtractOptions::default()).unwrap();
    assert_eq!(trunk.history.commits.len(), 1);
}

#[test]
fn missing_blob_sets_diff_error_without_aborting() {
    let mut r = TestRepo::new();
    r.tick()
        .commit("one", &[("a.txt", "1\n"), ("keep.txt", "k\n")]);
    r.tick()
        .commit("two", &[("a.txt", "1\n2\n"), ("b.txt", "b\n")]);
    r.tick().commit("three", &[("a.txt", "1\n2\n3\n")]);
    r.tick().commit("four", &[("keep.txt", "k\nk\n")]);
    let blob = r.git(&["rev-parse", "HEAD~2:a.txt"]);
    std::fs::remove_file(r.loose_object(blob.trim())).unwrap();
    let h = run(r.path()).history;
    assert_eq!(h.commits.len(), 4);
    let c = |s: &str| h.commits.iter().find(|c| c.subject == s).unwrap();
    assert_eq!(c("one").diff_error, None);
    assert_eq!(c("four").diff_error, None);
    for s in ["two", "three"] {
        let err = c(s).diff_error.as_deref().expect("diff error");
        assert!(err.contains("a.txt") && err.contains(blob.trim()), "{err}");
    }
    // Damaged commits are not cached: they are read again next time (the blob may come back).
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("repo.cache");
    run_cached(r.path(), &cache);
    let again = run_cached(r.path(), &cache);
    assert_eq!((again.stats.read, again.stats.from_cache), (2, 2));
    // The readable file of the damaged commit is still counted.
    assert_eq!(
        stats_of(&c("two").files),
        vec![("b.txt".into(), None, 1, 0, false)]
    );
}

#[test]
fn unreadable_commit_is_listed_and_the_rest_kept() {
    let mut r = TestRepo::new();
    r.tick().commit("one", &[("a", "1\n")]);
    let two = r.tick().commit("two", &[("a", "2\n")]);
    r.tick().commit("three", &[("a", "3\n")]);
    std::fs::remove_file(r.loose_object(&two)).unwrap();
    let h = run(r.path()).history;
    assert_eq!(
        h.commits
            .iter()
            .map(|c| c.subject.as_str())
            .collect::<Vec<_>>(),
        ["three"]
    );
    assert_eq!(h.unreadable.len(), 1);
    assert_eq!(h.unreadable[0].id, two);
    // The parent's tree is unknown, so the child's diff reports it.
    assert!(h.commits[0].diff_error.is_some());
}

#[test]
fn bare_repository_and_branches() {
    let mut work = TestRepo::new();
    work.tick().commit("one", &[("a", "1\n")]);
    work.tick()
        .branch("dev")
        .commit("dev work", &[("b", "1\n")]);
    work.checkout("main");
    work.tick().commit("two", &[("a", "2\n")]);
    let bare = TestRepo::new_bare();
    let url = bare.path().to_string_lossy().into_owned();
    work.git(&["push", "-q", &url, "main", "dev"]);

    let h = run(bare.path()).history;
    assert_eq!(h.branch.as_deref(), Some("main"));
    assert_matches_git(bare.path(), "main", &h);

    let dev = extract(bare.path(), Some("dev"), None, &ExtractOptions::default()).unwrap();
    assert_eq!(dev.history.branch.as_deref(), Some("dev"));
    assert_matches_git(bare.path(), "dev", &dev.history);
    let full = extract(
        bare.path(),
        Some("refs/heads/dev"),
        None,
        &ExtractOptions::default(),
    );
    assert_eq!(full.unwrap().history.commits, dev.history.commits);

    let err = extract(bare.path(), Some("nope"), None, &ExtractOptions::default()).unwrap_err();
    match &err {
        HistoryError::BranchNotFound {
            branch, available, ..
        } => {
            assert_eq!(branch, "nope");
            assert_eq!(available, &["dev", "main"]);
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().contains("branch `nope` not found"), "{err}");
    let missing = extract(
        &bare.path().join("nowhere"),
        None,
        None,
        &ExtractOptions::default(),
    );
    assert!(matches!(missing, Err(HistoryError::OpenRepo { .. })));
}

#[test]
fn shallow_clone_shows_its_boundary_as_a_root_like_git() {
    let mut r = TestRepo::new();
    for i in 0..4 {
        r.tick()
            .commit(&format!("c{i}"), &[("a", &lines(0..i + 2, "a"))]);
    }
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("shallow");
    let url = format!("file://{}", r.path().display());
    git_in(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            &url,
            &clone.to_string_lossy(),
        ],
    );
    let cache = dir.path().join("shallow.cache");
    let h = run_cached(&clone, &cache).history;
    assert_eq!(h.commits.len(), 2);
    assert!(
        h.commits[1].parents.is_empty(),
        "the boundary shows no parents, like git log"
    );
    assert_matches_git(&clone, "HEAD", &h);
    // The boundary is not cached (it would change on unshallow): it is read again.
    let again = run_cached(&clone, &cache);
    assert_eq!((again.stats.read, again.stats.from_cache), (1, 1));
    assert_eq!(again.history, h);
}

#[test]
fn cache_reuses_records_and_reads_only_new_commits() {
    let mut r = TestRepo::new();
    for i in 0..5 {
        r.tick()
            .commit(&format!("c{i}"), &[("a", &lines(0..i + 1, "a"))]);
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("nested/repo.cache");
    let cold = run_cached(r.path(), &cache);
    assert_eq!((cold.stats.read, cold.stats.from_cache), (5, 0));
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();

    let warm = run_cached(r.path(), &cache);
    assert_eq!(
        (warm.stats.read, warm.stats.from_cache, warm.stats.total),
        (0, 5, 5)
    );
    assert_eq!(warm.history, cold.history);
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written,
        "not rewritten"
    );

    r.tick().commit("c5", &[("b", "b\n")]);
    r.tick().commit("c6", &[("b", "b\nb\n")]);
    let more = run_cached(r.path(), &cache);
    assert_eq!((more.stats.read, more.stats.from_cache), (2, 5));
    assert_eq!(more.history, run(r.path()).history);
    assert_matches_git(r.path(), "main", &more.history);

    // History rewritten upstream: two commits replaced by one.
    r.git(&["reset", "-q", "--hard", "HEAD~2"]);
    r.tick().commit("rewritten", &[("c", "c\n")]);
    let rewritten = run_cached(r.path(), &cache);
    assert_eq!(rewritten.stats.dropped_from_cache, 2);
    assert_eq!((rewritten.stats.read, rewritten.stats.from_cache), (1, 5));
    assert!(
        !rewritten
            .history
            .commits
            .iter()
            .any(|c| c.subject == "c5" || c.subject == "c6")
    );
    assert_eq!(run_cached(r.path(), &cache).stats.from_cache, 6);
}

#[test]
fn damaged_or_foreign_cache_is_rebuilt() {
    let mut r = TestRepo::new();
    for i in 0..4 {
        r.tick()
            .commit(&format!("c{i}"), &[("a", &lines(0..i + 1, "a"))]);
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("repo.cache");
    let reference = run_cached(r.path(), &cache).history;
    let good = std::fs::read(&cache).unwrap();

    let version = env!("CARGO_PKG_VERSION").as_bytes();
    let at = good
        .windows(version.len())
        .position(|w| w == version)
        .expect("version in header");
    let mut foreign = good.clone();
    foreign[at..at + version.len()].copy_from_slice(&b"9.9.9-other"[..version.len()]);
    let mut flipped = good.clone();
    let middle = good.len() * 2 / 3;
    flipped[middle] ^= 0x40;
    let damaged = [
        good[..good.len() / 2].to_vec(),
        flipped,
        foreign,
        b"garbage".to_vec(),
        vec![],
    ];
    for bytes in damaged {
        std::fs::write(&cache, &bytes).unwrap();
        let got = run_cached(r.path(), &cache);
        assert_eq!((got.stats.read, got.stats.from_cache), (4, 0));
        assert_eq!(got.history, reference);
        assert_eq!(std::fs::read(&cache).unwrap(), good, "rewritten");
    }
}

//! Mirror stage: clone, fetch, prune, validation and rebuilds, failures and secrets, checked
//! against what the git CLI reports for the source and the mirror.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use sparky::mirror::{
    self, MirrorAction, MirrorError, MirrorJob, MirrorOptions, MirrorOutcome, Secret,
};
use tempfile::TempDir;

use crate::support::{TestRepo, git_in, http};

const TOKEN: &str = "tok_Sup3rSecret_0123456789abcdef";

fn opts() -> MirrorOptions {
    MirrorOptions {
        token: None,
        progress: false,
        jobs: 2,
    }
}

fn with_token() -> MirrorOptions {
    MirrorOptions {
        token: Some(Secret::new(TOKEN)),
        ..opts()
    }
}

/// A source with two branches, a lightweight and an annotated tag, and a pull-request ref that
/// must not be mirrored.
fn source() -> TestRepo {
    let mut repo = TestRepo::new();
    repo.commit("first", &[("a.txt", "one\n")]);
    repo.tag("v0.1");
    repo.at("2025-11-11T09:00:00+00:00");
    repo.commit("second", &[("a.txt", "one\ntwo\n")]);
    repo.tag_annotated("v1.0", "release 1.0");
    repo.branch("feature");
    repo.at("2025-11-12T09:00:00+00:00");
    repo.commit("feature work", &[("b.txt", "feature\n")]);
    repo.checkout("main");
    let main = repo.head();
    repo.git(&["update-ref", "refs/pull/1/head", &main]);
    repo
}

/// `refname → objectname` of every ref, as git sees it.
fn refs(repo: &Path) -> BTreeMap<String, String> {
    let out = git_in(repo, &["for-each-ref", "--format=%(refname) %(objectname)"]);
    String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(name, id)| (name.to_string(), id.to_string()))
        .collect()
}

/// The refs a mirror must hold: the source's branches and tags.
fn branches_and_tags(repo: &Path) -> BTreeMap<String, String> {
    refs(repo)
        .into_iter()
        .filter(|(name, _)| name.starts_with("refs/heads/") || name.starts_with("refs/tags/"))
        .collect()
}

fn head(repo: &Path) -> String {
    String::from_utf8_lossy(&git_in(repo, &["symbolic-ref", "HEAD"]))
        .trim()
        .to_string()
}

/// The mirror has exactly the source's branches and tags, the same HEAD, all objects, and
/// its refs packed.
fn assert_mirrors(source: &TestRepo, mirror: &Path) {
    assert_eq!(
        refs(mirror),
        branches_and_tags(source.path()),
        "mirror refs differ from source"
    );
    assert_eq!(
        head(mirror),
        head(source.path()),
        "mirror HEAD differs from source"
    );
    git_in(mirror, &["fsck", "--no-progress", "--no-dangling"]);
    assert!(
        mirror.join("sparky-mirror").is_file(),
        "completion marker missing"
    );
    assert!(mirror.join("packed-refs").is_file(), "refs are not packed");
    let loose: Vec<_> = files(&mirror.join("refs")).into_keys().collect();
    assert!(loose.is_empty(), "loose refs written: {loose:?}");
}

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir").to_path_buf();
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(p, _)| p)
        .collect()
}

/// Display, every `source()` and Debug of an error, plus its hint.
fn everything_shown(e: &MirrorError) -> String {
    let mut text = format!("{e}\n{e:?}\n{:?}\n", e.hint());
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!("caused by: {s}\n"));
        source = s.source();
    }
    text
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char
            } else {
                '='
            });
        }
    }
    out
}

fn basic_auth_for_token() -> String {
    format!(
        "Basic {}",
        base64(format!("x-access-token:{TOKEN}").as_bytes())
    )
}

fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn sync(source: &TestRepo, dest: &Path) -> MirrorOutcome {
    mirror::sync(&source.url(), dest, &opts())
        .unwrap_or_else(|e| panic!("sync failed: {}", everything_shown(&e)))
}

fn sibling_names(dest: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dest.parent().expect("parent"))
        .expect("read cache")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn first_sync_mirrors_branches_tags_and_head_but_not_pull_refs() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("repos").join("demo.git");

    let outcome = sync(&source, &dest);

    assert_eq!(
        outcome,
        MirrorOutcome {
            path: dest.clone(),
            action: MirrorAction::Cloned
        }
    );
    assert_mirrors(&source, &dest);
    let mirrored = refs(&dest);
    assert!(mirrored.contains_key("refs/tags/v0.1") && mirrored.contains_key("refs/tags/v1.0"));
    assert!(mirrored.contains_key("refs/heads/feature"));
    assert!(
        !mirrored.keys().any(|r| r.starts_with("refs/pull/")),
        "{mirrored:?}"
    );
    assert_eq!(
        sibling_names(&dest),
        vec!["demo.git".to_string()],
        "temporary folders left behind"
    );
}

#[test]
fn plain_local_paths_are_mirrored_like_file_urls() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    let path = source.path().to_str().expect("utf-8 path");

    let outcome = mirror::sync(path, &dest, &opts()).expect("clone from a path");

    assert_eq!(outcome.action, MirrorAction::Cloned);
    assert_mirrors(&source, &dest);
    let again = mirror::sync(path, &dest, &opts()).expect("fetch from a path");
    assert_eq!(again.action, MirrorAction::UpToDate);
}

#[test]
fn second_sync_without_changes_is_up_to_date() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);
    let before = files(&dest);

    assert_eq!(sync(&source, &dest).action, MirrorAction::UpToDate);
    assert_eq!(files(&dest), before, "an up-to-date sync changed files");
}

#[test]
fn new_commits_branches_and_tags_are_fetched() {
    let mut source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);

    source.at("2025-11-13T09:00:00+00:00");
    source.commit("third", &[("a.txt", "one\ntwo\nthree\n")]);
    source.commit("fourth", &[("c.txt", "four\n")]);
    source.tag_annotated("v1.1", "release 1.1");
    source.git(&["branch", "hotfix"]);

    assert_eq!(
        sync(&source, &dest).action,
        MirrorAction::Fetched {
            updated: 3,
            pruned: 0
        }
    );
    assert_mirrors(&source, &dest);
}

#[test]
fn force_pushed_branch_is_followed() {
    let mut source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);

    source.git(&["checkout", "-q", "--orphan", "unrelated"]);
    source.at("2025-11-14T09:00:00+00:00");
    let unrelated = source.commit("unrelated root", &[("z.txt", "z\n")]);
    source.checkout("main");
    source.git(&["branch", "-f", "feature", &unrelated]);
    source.git(&["branch", "-D", "unrelated"]);

    assert_eq!(
        sync(&source, &dest).action,
        MirrorAction::Fetched {
            updated: 1,
            pruned: 0
        }
    );
    assert_mirrors(&source, &dest);
    assert_eq!(refs(&dest)["refs/heads/feature"], unrelated);
}

#[test]
fn branch_and_tag_deleted_upstream_are_pruned() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);

    source.git(&["branch", "-D", "feature"]);
    source.git(&["tag", "-d", "v1.0"]);

    assert_eq!(
        sync(&source, &dest).action,
        MirrorAction::Fetched {
            updated: 0,
            pruned: 2
        }
    );
    assert_mirrors(&source, &dest);
}

#[test]
fn remote_head_change_is_followed() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);
    assert_eq!(head(&dest), "refs/heads/main");

    source.checkout("feature");

    assert_eq!(
        sync(&source, &dest).action,
        MirrorAction::Fetched {
            updated: 1,
            pruned: 0
        }
    );
    assert_eq!(head(&dest), "refs/heads/feature");
    assert_mirrors(&source, &dest);
}

#[test]
fn empty_source_is_mirrored_and_later_filled() {
    let empty = TestRepo::new_bare();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("empty.git");

    assert_eq!(sync(&empty, &dest).action, MirrorAction::Cloned);
    assert!(refs(&dest).is_empty());

    let work = TestRepo::new();
    work.commit("first", &[("a.txt", "a\n")]);
    work.git(&["push", "-q", &empty.url(), "main"]);

    assert_eq!(
        sync(&empty, &dest).action,
        MirrorAction::Fetched {
            updated: 1,
            pruned: 0
        }
    );
    assert_mirrors(&empty, &dest);
}

/// Damages a fresh mirror with `damage`, then expects a rebuild whose reason mentions
/// `reason_has`, a correct mirror afterwards, and an up-to-date sync after that.
fn assert_rebuilt_after(damage: impl FnOnce(&Path), reason_has: &str) {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);

    damage(&dest);

    match sync(&source, &dest).action {
        MirrorAction::Rebuilt { reason } => {
            assert!(reason.contains(reason_has), "reason: {reason}")
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_mirrors(&source, &dest);
    assert_eq!(sync(&source, &dest).action, MirrorAction::UpToDate);
    assert_eq!(sibling_names(&dest), vec!["demo.git".to_string()]);
}

#[test]
fn mirror_without_marker_is_rebuilt() {
    assert_rebuilt_after(
        |dest| std::fs::remove_file(dest.join("sparky-mirror")).expect("remove marker"),
        "marker",
    );
}

#[test]
fn mirror_with_garbage_head_is_rebuilt() {
    assert_rebuilt_after(
        |dest| std::fs::write(dest.join("HEAD"), "garbage\n").expect("write HEAD"),
        "HEAD",
    );
}

#[test]
fn mirror_with_deleted_pack_is_rebuilt() {
    assert_rebuilt_after(
        |dest| {
            let pack_dir = dest.join("objects").join("pack");
            for entry in std::fs::read_dir(&pack_dir).expect("pack dir") {
                std::fs::remove_file(entry.expect("entry").path()).expect("remove pack file");
            }
        },
        "missing object",
    );
}

/// Ref tips intact but older history lost with the first pack: found before fetching.
#[test]
fn mirror_with_lost_history_behind_intact_tips_is_rebuilt() {
    let mut source = TestRepo::new();
    source.commit("first", &[("a.txt", "one\n")]);
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);
    let first_pack: Vec<PathBuf> = std::fs::read_dir(dest.join("objects").join("pack"))
        .expect("pack dir")
        .map(|e| e.expect("entry").path())
        .collect();
    source.at("2025-11-12T09:00:00+00:00");
    source.commit("second", &[("a.txt", "one\ntwo\n")]);
    assert_eq!(
        sync(&source, &dest).action,
        MirrorAction::Fetched {
            updated: 1,
            pruned: 0
        }
    );
    for path in first_pack {
        std::fs::remove_file(path).expect("remove first pack");
    }
    source.at("2025-11-13T09:00:00+00:00");
    source.commit("third", &[("a.txt", "one\ntwo\nthree\n")]);

    match sync(&source, &dest).action {
        MirrorAction::Rebuilt { reason } => {
            assert!(reason.contains("missing commit"), "reason: {reason}")
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_mirrors(&source, &dest);
}

#[test]
fn mirror_of_another_url_is_rebuilt() {
    let other = source();
    other.commit("other history", &[("o.txt", "o\n")]);
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&other, &dest);

    match sync(&source, &dest).action {
        MirrorAction::Rebuilt { reason } => assert!(reason.contains("mirrors"), "reason: {reason}"),
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_mirrors(&source, &dest);
}

#[test]
fn a_folder_that_is_not_a_repository_is_never_replaced() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    std::fs::create_dir_all(&dest).expect("dest");
    std::fs::write(dest.join("notes.txt"), "precious").expect("write");

    let e = mirror::sync(&source.url(), &dest, &opts()).expect_err("occupied");

    assert!(
        matches!(e, MirrorError::Occupied { .. }),
        "{}",
        everything_shown(&e)
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("notes.txt")).expect("still there"),
        "precious"
    );
    assert_eq!(sibling_names(&dest), vec!["demo.git".to_string()]);
}

#[test]
fn leftovers_of_an_interrupted_clone_do_not_break_the_next_run() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    // A clone killed half-way: its staging folder, a partial repository inside.
    let staging = cache.path().join(".demo.git.sparky-tmp-Ab12Cd");
    git_in(
        cache.path(),
        &[
            "init",
            "-q",
            "--bare",
            staging.to_str().expect("utf-8 path"),
        ],
    );
    std::fs::write(
        staging.join("objects").join("pack").join("tmp_pack_x"),
        b"half a pack",
    )
    .expect("write");
    // A rebuild killed between its two renames: the previous mirror set aside, none in place.
    let old = cache.path().join(".demo.git.sparky-old-999");
    std::fs::create_dir_all(old.join("objects")).expect("old mirror");

    assert_eq!(sync(&source, &dest).action, MirrorAction::Cloned);
    assert_mirrors(&source, &dest);
    assert_eq!(
        sibling_names(&dest),
        vec!["demo.git".to_string()],
        "leftovers were not removed"
    );
}

#[test]
fn unreachable_source_leaves_the_existing_mirror_untouched() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    sync(&source, &dest);
    let before = files(&dest);

    // The same URL stops answering.
    let parked = source.path().with_extension("parked");
    std::fs::rename(source.path(), &parked).expect("park source");
    let result = mirror::sync(&source.url(), &dest, &opts());
    std::fs::rename(&parked, source.path()).expect("restore source");
    let e = result.expect_err("a vanished source must fail");
    assert!(
        matches!(e, MirrorError::Unreachable { .. }),
        "{}",
        everything_shown(&e)
    );
    assert!(e.to_string().contains(&dest.display().to_string()), "{e}");
    assert!(
        e.hint().is_some_and(|h| h.contains("--offline")),
        "{:?}",
        e.hint()
    );
    assert_eq!(files(&dest), before, "a failed fetch changed the mirror");

    // Other unreachable URLs aimed at the same folder.
    let http = format!("http://127.0.0.1:{}/x.git", closed_port());
    for url in ["file:///nonexistent/x", http.as_str()] {
        let e = mirror::sync(url, &dest, &opts()).expect_err("unreachable");
        assert!(
            matches!(e, MirrorError::Unreachable { .. }),
            "{url}: {}",
            everything_shown(&e)
        );
        assert!(e.to_string().contains(url), "{e}");
        assert_eq!(files(&dest), before, "{url} changed the mirror");
        assert_eq!(sibling_names(&dest), vec!["demo.git".to_string()]);
    }

    assert_eq!(sync(&source, &dest).action, MirrorAction::UpToDate);
}

#[test]
fn token_is_never_written_to_the_mirror() {
    let source = source();
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");

    mirror::sync(&source.url(), &dest, &with_token()).expect("clone");
    source.commit("more", &[("m.txt", "m\n")]);
    mirror::sync(&source.url(), &dest, &with_token()).expect("fetch");

    assert_eq!(files_containing(cache.path(), TOKEN), Vec::<PathBuf>::new());
}

#[test]
fn token_is_offered_to_an_http_server_but_never_shown() {
    let server = http::canned(
        "401 Unauthorized",
        &["WWW-Authenticate: Basic realm=\"sparky\""],
    );
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");

    let e = mirror::sync(&server.url("org/demo.git"), &dest, &with_token()).expect_err("401");

    assert!(
        matches!(e, MirrorError::Auth { .. }),
        "{}",
        everything_shown(&e)
    );
    let shown = everything_shown(&e);
    for secret in [TOKEN.to_string(), basic_auth_for_token()] {
        assert!(!shown.contains(&secret), "secret shown: {shown}");
    }
    let offered: Vec<_> = server
        .requests()
        .into_iter()
        .filter_map(|r| r.headers.get("authorization").cloned())
        .collect();
    assert_eq!(
        offered,
        vec![basic_auth_for_token()],
        "the token was not offered exactly once"
    );
    assert!(!dest.exists());
    assert!(files_containing(cache.path(), TOKEN).is_empty());
}

#[test]
fn server_errors_and_credentials_in_urls_are_not_leaked() {
    let failing = http::canned("500 Internal Server Error", &[]);
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    let e = mirror::sync(&failing.url("x.git"), &dest, &with_token()).expect_err("500");
    assert!(
        matches!(e, MirrorError::Unreachable { .. }),
        "{}",
        everything_shown(&e)
    );
    assert!(!everything_shown(&e).contains(TOKEN));

    let denying = http::canned(
        "401 Unauthorized",
        &["WWW-Authenticate: Basic realm=\"sparky\""],
    );
    let url = format!("http://alice:pw-Secret-42@127.0.0.1:{}/x.git", denying.port);
    let e = mirror::sync(&url, &dest, &with_token()).expect_err("clear-text credentials");
    assert!(
        matches!(e, MirrorError::InvalidUrl { .. }),
        "{}",
        everything_shown(&e)
    );
    assert!(
        denying.requests().is_empty(),
        "credentials were sent over http"
    );
    let shown = everything_shown(&e);
    assert!(
        !shown.contains("pw-Secret-42") && !shown.contains(TOKEN),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("http://***@127.0.0.1:{}/x.git", denying.port)),
        "{shown}"
    );
}

#[test]
fn token_authenticates_a_real_http_clone_and_fetch() {
    let source = source();
    let root = TempDir::new().expect("server root");
    git_in(
        root.path(),
        &["clone", "-q", "--bare", &source.url(), "demo.git"],
    );
    let served = root.path().join("demo.git");
    let server = http::git_backend(root.path().to_path_buf(), Some(basic_auth_for_token()));
    let cache = TempDir::new().expect("cache");
    let dest = cache.path().join("demo.git");
    let url = server.url("demo.git");

    let e = mirror::sync(&url, &dest, &opts()).expect_err("no token, no access");
    assert!(
        matches!(e, MirrorError::Auth { .. }),
        "{}",
        everything_shown(&e)
    );
    assert!(e.hint().is_some_and(|h| h.contains("SPARKY_GIT_TOKEN")));

    assert_eq!(
        mirror::sync(&url, &dest, &with_token())
            .expect("clone")
            .action,
        MirrorAction::Cloned
    );
    assert_eq!(refs(&dest), branches_and_tags(&served));
    assert_eq!(head(&dest), "refs/heads/main");
    git_in(&dest, &["fsck", "--no-progress"]);
    let updated = git_in(&served, &["rev-parse", "refs/tags/v0.1"]);
    let updated = String::from_utf8_lossy(&updated).trim().to_string();
    git_in(&served, &["update-ref", "refs/heads/feature", &updated]);
    assert_eq!(
        mirror::sync(&url, &dest, &with_token())
            .expect("fetch")
            .action,
        MirrorAction::Fetched {
            updated: 1,
            pruned: 0
        }
    );
    assert_eq!(refs(&dest), branches_and_tags(&served));
    for secret in [
        TOKEN.to_string(),
        base64(format!("x-access-token:{TOKEN}").as_bytes()),
    ] {
        assert!(files_containing(cache.path(), &secret).is_empty());
    }
}

#[test]
fn sync_all_returns_results_in_input_order() {
    let good = source();
    let cache = TempDir::new().expect("cache");
    let jobs = vec![
        MirrorJob {
            name: "bad".into(),
            url: "file:///nonexistent/bad".into(),
            dest: cache.path().join("bad.git"),
        },
        MirrorJob {
            name: "good".into(),
            url: good.url(),
            dest: cache.path().join("good.git"),
        },
        MirrorJob {
            name: "again".into(),
            url: good.url(),
            dest: cache.path().join("good.git"),
        },
    ];

    let results = mirror::sync_all(
        &jobs,
        &MirrorOptions {
            progress: true,
            ..opts()
        },
    );

    assert_eq!(results.len(), 3);
    assert!(
        matches!(&results[0], Err(MirrorError::Unreachable { url, .. }) if url == "file:///nonexistent/bad")
    );
    assert_eq!(
        results[1].as_ref().expect("good source").action,
        MirrorAction::Cloned
    );
    assert!(
        matches!(&results[2], Err(MirrorError::DuplicateDestination { .. })),
        "{:?}",
        results[2]
    );
    assert_mirrors(&good, &cache.path().join("good.git"));
    assert!(!cache.path().join("bad.git").exists());
}

#[test]
fn redact_url_hides_user_information() {
    assert_eq!(
        mirror::redact_url("https://user:tok@github.com/o/r.git"),
        "https://***@github.com/o/r.git"
    );
    assert_eq!(
        mirror::redact_url("https://ghp_abc@github.com/o/r"),
        "https://***@github.com/o/r"
    );
    assert_eq!(
        mirror::redact_url("https://github.com/o/r.git"),
        "https://github.com/o/r.git"
    );
    assert_eq!(
        mirror::redact_url("git@github.com:o/r.git"),
        "git@github.com:o/r.git"
    );
    assert_eq!(mirror::redact_url("file:///srv/r"), "file:///srv/r");
}

#[test]
fn invalid_and_command_running_urls_are_refused() {
    let cache = TempDir::new().expect("cache");
    let e = mirror::sync(
        "ext::sh -c touch% /tmp/pwned",
        &cache.path().join("x.git"),
        &opts(),
    )
    .expect_err("ext");
    assert!(
        matches!(e, MirrorError::InvalidUrl { .. }),
        "{}",
        everything_shown(&e)
    );
    assert!(e.hint().is_some());
}

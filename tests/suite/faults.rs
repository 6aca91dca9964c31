//! Faults never make the published site wrong (issue 12): a tampered manifest, a remote gone
//! for one run, a killed or failing build, a full disk, damaged and shallow repositories, two
//! builds at once, tokens over plain http, symlinked folders, unbounded input. Each case runs
//! the real binary on real git repositories that the test damages.

use std::path::{Path, PathBuf};

use crate::support::cli::{Run, arg};
use crate::support::{Sparky, TestRepo, git_in, snapshot};

/// Two repositories with commits in week 2025-W46 (10-16 November 2025), as `file://` URLs.
struct Org {
    api: TestRepo,
    web: TestRepo,
    dir: tempfile::TempDir,
}

fn repo_with(files: &[(&str, &str)], subject: &str) -> TestRepo {
    let mut r = TestRepo::new();
    for (i, (path, text)) in files.iter().enumerate() {
        r.tick();
        r.commit(&format!("{subject} {i}"), &[(path, text)]);
    }
    r
}

impl Org {
    fn new() -> Org {
        let api = repo_with(
            &[
                ("src/a.rs", "a\n"),
                ("src/b.rs", "b\nc\n"),
                ("README", "r\n"),
            ],
            "feat: api",
        );
        let web = repo_with(&[("index.html", "<p>\n"), ("app.js", "x\ny\n")], "fix: web");
        let org = Org {
            api,
            web,
            dir: tempfile::tempdir().expect("dir"),
        };
        org.config(&[("api", &org.api.url()), ("web", &org.web.url())]);
        org
    }

    /// The same repositories built from scratch in a new folder.
    fn clean_copy(&self) -> Org {
        let clean = Org {
            api: self.api.clone_handle(),
            web: self.web.clone_handle(),
            dir: tempfile::tempdir().expect("dir"),
        };
        clean.config(&[("api", &self.api.url()), ("web", &self.web.url())]);
        clean.build(&[]).success();
        clean
    }

    fn cwd(&self) -> &Path {
        self.dir.path()
    }

    fn config(&self, repos: &[(&str, &str)]) {
        let mut text = String::from("[output]\nsince = \"2025-11-10\"\nperiods = [\"week\"]\n\n");
        for (name, source) in repos {
            let key = if source.starts_with('/') {
                "path"
            } else {
                "url"
            };
            text.push_str(&format!(
                "[[repos]]\nname = \"{name}\"\n{key} = \"{source}\"\n\n"
            ));
        }
        std::fs::write(self.cwd().join("sparky.toml"), text).expect("config");
    }

    fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--no-progress"];
        args.extend_from_slice(extra);
        Sparky::new(self.cwd(), &args)
            .env("SPARKY_NOW", "2025-11-20T00:00:00Z")
            .run()
    }

    fn content(&self) -> PathBuf {
        self.cwd().join("content")
    }

    fn week_facts(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.content().join("blog/2025/11/week-2025-46.json"))
            .expect("week facts");
        serde_json::from_str(&text).expect("json")
    }
}

/// The manifest of the content folder (the social folder has its own).
fn manifest_file(cwd: &Path) -> PathBuf {
    std::fs::read_dir(cwd.join(".sparky/output"))
        .expect("output folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("week-2025-46.md\"")))
        .expect("the content manifest")
}

fn repo_names(facts: &serde_json::Value) -> Vec<String> {
    facts["repos"]
        .as_array()
        .expect("repos")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
fn a_tampered_manifest_never_deletes_outside_the_content_folder() {
    let org = Org::new();
    org.build(&[]).success();
    let victim = org.cwd().join("sparky.toml");
    let outside = org.cwd().join("precious.txt");
    std::fs::write(&outside, "keep me").expect("write");
    let sha = |p: &Path| sparky::output::manifest::sha256(&std::fs::read(p).expect("read"));
    let path = manifest_file(org.cwd());
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let entry = |sha: String| serde_json::json!({"sha256": sha, "role": "chart", "period": "2025-W46", "listing": null});
    m["files"]["../sparky.toml"] = entry(sha(&victim));
    m["files"][arg(&outside)] = entry(sha(&outside));
    std::fs::write(&path, m.to_string()).expect("tamper");
    let run = org.build(&[]).success();
    assert!(victim.exists() && outside.exists(), "{}", run.stderr());
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let keys: Vec<&String> = m["files"].as_object().expect("files").keys().collect();
    assert!(
        keys.iter()
            .all(|k| !k.contains("..") && !k.starts_with('/')),
        "{keys:?}"
    );
}

#[test]
fn a_remote_gone_for_one_run_keeps_its_figures_and_says_how_old_they_are() {
    let org = Org::new();
    org.build(&[]).success();
    let before = org.week_facts();
    assert_eq!(repo_names(&before), ["api", "web"]);
    // The remote disappears for this run: its mirror is read, marked stale, exit 1.
    let moved = org.web.path().with_extension("away");
    std::fs::rename(org.web.path(), &moved).expect("move");
    let run = org.build(&[]).expect_code(1).stderr_has("stale web");
    let after = org.week_facts();
    assert_eq!(
        after["org"], before["org"],
        "organisation figures unchanged"
    );
    assert_eq!(
        after["repos"], before["repos"],
        "per-repository figures unchanged"
    );
    let stale = &after["stale_repos"][0];
    assert_eq!(stale["name"], "web", "{}", run.stderr());
    assert!(
        stale["as_of"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{stale}"
    );
    let page =
        std::fs::read_to_string(org.content().join("blog/2025/11/week-2025-46.md")).expect("page");
    assert!(page.contains("Not fresh: web: data as of"), "{page}");
    assert!(
        !after.to_string().contains(&arg(org.cwd())),
        "no build-machine path in public facts"
    );
    // Back again: the page is as it was before.
    std::fs::rename(&moved, org.web.path()).expect("move back");
    org.build(&[]).success();
    assert_eq!(org.week_facts(), before);
}

#[test]
fn a_repository_that_cannot_be_read_leaves_the_pages_that_knew_it() {
    let org = Org::new();
    org.build(&[]).success();
    let before = snapshot(&org.content());
    // The mirror and the remote are both gone: nothing to read for `web`.
    std::fs::remove_dir_all(org.cwd().join(".sparky/mirrors/web.git")).expect("rm mirror");
    let moved = org.web.path().with_extension("away");
    std::fs::rename(org.web.path(), &moved).expect("move");
    let run = org
        .build(&[])
        .expect_code(1)
        .stderr_has("kept blog/2025/11/week-2025-46.md");
    assert!(run.stderr().contains("failed web"), "{}", run.stderr());
    assert_eq!(
        snapshot(&org.content()),
        before,
        "nothing published got less"
    );
    // Every repository failing: exit 2, nothing written.
    std::fs::remove_dir_all(org.cwd().join(".sparky/mirrors")).expect("rm mirrors");
    let api_moved = org.api.path().with_extension("away");
    std::fs::rename(org.api.path(), &api_moved).expect("move");
    org.build(&[]).expect_code(2).stderr_has("wrote nothing");
    assert_eq!(snapshot(&org.content()), before);
    std::fs::rename(&moved, org.web.path()).expect("back");
    std::fs::rename(&api_moved, org.api.path()).expect("back");
}

#[test]
fn damaged_repositories_fail_loudly_and_a_damaged_mirror_is_cloned_again() {
    // A local repository with a missing blob: a per-repository failure naming the fix.
    let org = Org::new();
    let blob = org.api.git(&["rev-parse", "HEAD:README"]);
    std::fs::remove_file(org.api.loose_object(blob.trim())).expect("delete blob");
    org.config(&[("api", &arg(org.api.path())), ("web", &org.web.url())]);
    let run = org.build(&[]).expect_code(1);
    assert!(
        run.stderr().contains("failed api") && run.stderr().contains("damaged"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("git fsck"), "{}", run.stderr());
    let facts = org.week_facts();
    assert_eq!(repo_names(&facts), ["web"]);
    assert_eq!(facts["failed_repos"][0]["name"], "api");
    let published = facts.to_string();
    for path in [org.api.path(), org.cwd()] {
        assert!(
            !published.contains(&arg(path)),
            "a build-machine path in {published}"
        );
    }

    // A mirror whose pack is truncated, history cache gone: cloned again, same figures.
    let org = Org::new();
    org.build(&[]).success();
    let before = snapshot(&org.content());
    let packs = org.cwd().join(".sparky/mirrors/api.git/objects/pack");
    for e in std::fs::read_dir(&packs)
        .expect("packs")
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "pack") {
            let bytes = std::fs::read(e.path()).expect("pack");
            std::fs::write(e.path(), &bytes[..bytes.len() / 2]).expect("truncate");
        }
    }
    std::fs::remove_dir_all(org.cwd().join(".sparky/history")).expect("rm cache");
    let run = org.build(&[]).success();
    assert_eq!(snapshot(&org.content()), before, "{}", run.stderr());
}

#[test]
fn a_shallow_clone_is_refused_with_the_fix() {
    let org = Org::new();
    let shallow = org.cwd().join("shallow");
    git_in(
        org.cwd(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &org.api.url(),
            &arg(&shallow),
        ],
    );
    let run = Sparky::new(
        org.cwd(),
        &["build", "--repo", &arg(&shallow), "--out", "c2"],
    )
    .env("SPARKY_NOW", "2025-11-20T00:00:00Z")
    .run()
    .expect_code(2);
    assert!(
        run.stderr().contains("shallow clone") && run.stderr().contains("--unshallow"),
        "{}",
        run.stderr()
    );
    assert!(!org.cwd().join("c2").exists(), "nothing written");
}

#[test]
fn killed_builds_converge_to_the_clean_bytes_with_no_stuck_page_or_orphan() {
    let org = Org::new();
    org.build(&[]).success();
    // New commits change every page; builds are killed at many points on the way.
    let mut api = org.api.clone_handle();
    api.at("2025-11-12T09:00:00+00:00");
    api.commit("feat: more", &[("src/c.rs", "1\n2\n3\n")]);
    for delay_ms in [5u64, 20, 40, 60, 80, 100, 130, 160, 200, 250, 300, 400] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sparky"))
            .current_dir(org.cwd())
            .args(["build", "--no-progress", "-q"])
            .env("SPARKY_NOW", "2025-11-20T00:00:00Z")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Some of them change the output again before the next kill.
        if delay_ms % 100 == 0 {
            api.tick();
            api.commit(
                &format!("fix: again {delay_ms}"),
                &[("src/c.rs", &format!("{delay_ms}\n"))],
            );
        }
    }
    let run = org.build(&[]).success();
    assert!(
        !run.stderr().lines().any(|l| l.starts_with("skipped ")),
        "{}",
        run.stderr()
    );
    let orphans: Vec<String> = snapshot(org.cwd())
        .into_keys()
        .filter(|k| {
            let name = k.rsplit('/').next().unwrap_or(k);
            name.starts_with(".sparky-") || name.starts_with(".tmp")
        })
        .collect();
    assert!(orphans.is_empty(), "{orphans:?}");
    // A clean build of the same repositories writes the same bytes.
    let clean = org.clean_copy();
    assert_eq!(snapshot(&org.content()), snapshot(&clean.content()));
    let check = Sparky::new(org.cwd(), &["check"]).run();
    assert_eq!(check.code(), 0, "{}{}", check.stdout(), check.stderr());
}

#[test]
fn two_builds_at_once_take_turns() {
    let org = Org::new();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_sparky"))
            .current_dir(org.cwd())
            .args(["build", "--no-progress"])
            .env("SPARKY_NOW", "2025-11-20T00:00:00Z")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    for out in [&a, &b] {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let clean = org.clean_copy();
    assert_eq!(snapshot(&org.content()), snapshot(&clean.content()));
    // A run that cannot get the lock in time gives up with exit 2 and a hint.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(org.cwd().join(".sparky/sparky.lock"))
        .expect("lock file");
    lock.lock().expect("hold the lock");
    let run = Sparky::new(org.cwd(), &["build", "--no-progress"])
        .env("SPARKY_LOCK_TIMEOUT", "1")
        .run()
        .expect_code(2)
        .stderr_has("another sparky run");
    assert!(run.stderr().contains("hint:"), "{}", run.stderr());
}

#[test]
fn a_git_token_never_reaches_a_plain_http_server_on_the_network() {
    let Some(ip) = crate::support::http::network_address() else {
        eprintln!("skipped: this machine has no network address besides loopback");
        return;
    };
    let org = Org::new();
    let root = org.api.path().parent().expect("parent").to_path_buf();
    let name = org
        .api
        .path()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let server = crate::support::http::git_backend_at("0.0.0.0:0", root, None);
    let url = format!("http://{ip}:{}/{name}", server.port);
    org.config(&[("api", &url)]);
    let run = Sparky::new(org.cwd(), &["mirror", "--no-progress"])
        .env("SPARKY_GIT_TOKEN", "hunter2")
        .run();
    assert_ne!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains("refusing to send the git token"),
        "{}",
        run.stderr()
    );
    assert!(
        server.requests().is_empty(),
        "not even one request: {:?}",
        server.requests()
    );
    // Without a token the same server is mirrored: the refusal was about the token alone.
    Sparky::new(org.cwd(), &["mirror", "--no-progress"])
        .run()
        .success();
    assert!(!server.requests().is_empty());
}

#[test]
fn secrets_never_travel_over_plain_http() {
    let org = Org::new();
    org.config(&[("api", "http://example.invalid/acme/api.git")]);
    let run = Sparky::new(org.cwd(), &["mirror", "--no-progress"])
        .env("SPARKY_GIT_TOKEN", "hunter2")
        .run();
    assert_ne!(run.code(), 0);
    assert!(
        run.stderr().contains("refusing to send the git token"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("hunter2"));
    let api = arg(org.api.path());
    let args = [
        "build",
        "--repo",
        &api,
        "--llm",
        "openai",
        "--llm-url",
        "http://gpu.example.invalid/v1",
    ];
    let run = Sparky::new(org.cwd(), &args)
        .env("SPARKY_LLM_API_KEY", "sk-secret")
        .run()
        .expect_code(2);
    assert!(
        run.stderr().contains("refusing to send the LLM API key"),
        "{}",
        run.stderr()
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_leading_outside_is_never_written_through() {
    let org = Org::new();
    let outside = tempfile::tempdir().expect("outside");
    std::fs::create_dir_all(org.content()).expect("content");
    std::os::unix::fs::symlink(outside.path(), org.content().join("blog")).expect("link");
    let run = org.build(&[]).expect_code(1);
    assert!(
        run.stderr().contains("symlink leading outside"),
        "{}",
        run.stderr()
    );
    assert!(
        snapshot(outside.path()).is_empty(),
        "nothing written outside"
    );
}

#[test]
fn leftovers_of_a_killed_run_are_removed_and_input_is_bounded() {
    let org = Org::new();
    org.build(&[]).success();
    let orphan = org.content().join("blog/2025/11/.sparky-XyZ123");
    let cache_orphan = org.cwd().join(".sparky/history/.tmpAbC");
    std::fs::write(&orphan, "half").expect("orphan");
    std::fs::write(&cache_orphan, "half").expect("orphan");
    org.build(&[]).success();
    assert!(!orphan.exists() && !cache_orphan.exists());

    // A huge subject reaches the public facts cut, with a visible marker.
    let mut api = org.api.clone_handle();
    api.at("2025-11-13T10:00:00+00:00");
    let subject = format!("feat: {}", "x".repeat(100_000));
    api.commit(&subject, &[("big.rs", &"line\n".repeat(5000))]);
    org.build(&[]).success();
    let facts = org.week_facts().to_string();
    assert!(facts.len() < 100_000, "facts file is {} bytes", facts.len());
    assert!(facts.contains("[...]"), "the cut is visible");

    // A 10 MB config is refused at once, naming the file and the limit.
    std::fs::write(
        org.cwd().join("sparky.toml"),
        format!("# {}\n", "y".repeat(10_000_000)),
    )
    .expect("big");
    let started = std::time::Instant::now();
    Sparky::new(org.cwd(), &["build"])
        .run()
        .expect_code(2)
        .stderr_has("may be at most");
    assert!(started.elapsed().as_secs() < 20);
    // Windows far in the future are refused, not read as the whole history.
    Sparky::new(
        org.cwd(),
        &[
            "facts",
            "--repo",
            &arg(org.api.path()),
            "--window",
            "9999-12",
        ],
    )
    .run()
    .expect_code(2)
    .stderr_has("the year must be from");
}

/// A small tmpfs at `dir` (as root), unmounted on drop; `None` where mounting is not allowed.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                &arg(dir),
            ])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }

    /// Fills the file system up to its last few `spare` bytes.
    fn fill(&self, spare: usize) {
        let path = self.0.join("filler");
        let mut file = std::fs::File::create(&path).expect("filler");
        let chunk = vec![0u8; 4096];
        while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
        drop(file);
        let len = std::fs::metadata(&path).expect("filler").len();
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_len(len.saturating_sub(spare as u64)));
    }

    fn empty(&self) {
        let _ = std::fs::remove_file(self.0.join("filler"));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// A full disk, simulated with a small tmpfs (the test runs as root in CI; elsewhere it says
/// so and checks nothing).
#[test]
fn full_disks_cost_no_repository_and_leave_no_stuck_page() {
    let org = Org::new();
    let Some(history) = Tmpfs::mount(&org.cwd().join(".sparky/history"), "64k") else {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    };
    // The disk of the history cache is full: the caches cannot be saved, every repository
    // still counts, exit 0.
    org.config(&[("api", &arg(org.api.path())), ("web", &arg(org.web.path()))]);
    history.fill(0);
    let run = org.build(&[]).success();
    assert!(
        run.stderr().contains("history cache could not be saved"),
        "{}",
        run.stderr()
    );
    assert_eq!(repo_names(&org.week_facts()), ["api", "web"]);
    drop(history);
    let disk = Tmpfs::mount(&org.cwd().join("disk"), "512k").expect("a second tmpfs");

    // The content folder is full: exit 2, then, with space again, a clean result (no page
    // refused as edited) equal to a build that never failed.
    let out = arg(&disk.0.join("content"));
    org.build(&["--out", &out]).success();
    let mut api = org.api.clone_handle();
    api.at("2025-11-13T10:00:00+00:00");
    api.commit("feat: grow", &[("src/grow.rs", &"grow\n".repeat(200))]);
    disk.fill(3000);
    let run = org.build(&["--out", &out]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("failed to write"), "{}", run.stderr());
    disk.empty();
    let run = org.build(&["--out", &out]).success();
    assert!(
        !run.stderr().lines().any(|l| l.starts_with("skipped ")),
        "{}",
        run.stderr()
    );
    org.build(&[]).success();
    let mut full = snapshot(&disk.0.join("content"));
    full.retain(|k, _| !k.starts_with("lost+found"));
    assert_eq!(full, snapshot(&org.content()));
}

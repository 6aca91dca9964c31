//! A temporary git repository driven by the real `git` CLI with pinned dates and an isolated
//! configuration, so tests build histories deterministically and can ask git for ground truth.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A throwaway repository (work tree or bare) in its own temporary folder.
pub struct TestRepo {
    /// The folder, deleted with the repository that created it (not with a [`handle`](Self::handle)).
    _dir: Option<TempDir>,
    path: PathBuf,
    /// The date used for the next commit/tag, in any format git accepts
    /// (`2025-11-14T10:00:00+01:00`).
    date: String,
    author: (String, String),
    /// Minutes advanced by [`tick`](Self::tick).
    clock: i64,
}

/// Runs `git` with the host's configuration isolated and pinned identity defaults.
pub fn git_command(cwd: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(cwd)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", cwd)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    cmd
}

/// Runs git in `cwd`, asserts success, returns stdout bytes.
pub fn git_in(cwd: &Path, args: &[&str]) -> Vec<u8> {
    let out = git_output(cwd, args, &[]);
    assert_success(args, &out);
    out.stdout
}

fn git_output(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = git_command(cwd);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("git can be spawned")
}

fn assert_success(args: &[&str], out: &Output) {
    assert!(
        out.status.success(),
        "git {args:?} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestRepo {
    /// `git init -b main` in a new temporary folder.
    pub fn new() -> Self {
        Self::init(&["init", "-q", "-b", "main", "."])
    }

    /// `git init --bare -b main` in a new temporary folder.
    pub fn new_bare() -> Self {
        Self::init(&["init", "-q", "--bare", "-b", "main", "."])
    }

    fn init(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().canonicalize().expect("canonical temp dir");
        git_in(&path, args);
        let repo = TestRepo {
            _dir: Some(dir),
            path,
            date: "2025-11-10T12:00:00+00:00".into(),
            author: ("Alice Example".into(), "alice@example.com".into()),
            clock: 0,
        };
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.git(&["config", "tag.gpgsign", "false"]);
        repo.git(&["config", "core.autocrlf", "false"]);
        repo
    }

    /// Another handle on the same repository (same identity and clock), which does not own
    /// its folder: commits through it land in this repository.
    pub fn clone_handle(&self) -> TestRepo {
        TestRepo {
            _dir: None,
            path: self.path.clone(),
            date: self.date.clone(),
            author: self.author.clone(),
            clock: self.clock,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `file://` URL of this repository.
    pub fn url(&self) -> String {
        format!("file://{}", self.path.display())
    }

    /// Sets the date used for following commits and tags (author and committer).
    pub fn at(&mut self, date: &str) -> &mut Self {
        self.date = date.to_string();
        self
    }

    /// Advances the date of following commits and tags by one minute from 2025-11-10 12:00 UTC,
    /// so every commit gets its own, increasing time.
    pub fn tick(&mut self) -> &mut Self {
        self.tick_in("+0000")
    }

    /// Like [`tick`](Self::tick), recording the time in the time zone `tz` (e.g. `+0530`).
    pub fn tick_in(&mut self, tz: &str) -> &mut Self {
        self.clock += 1;
        self.date = format!("@{} {tz}", 1_762_776_000 + self.clock * 60);
        self
    }

    /// Sets the author (and committer) for following commits.
    pub fn by(&mut self, name: &str, email: &str) -> &mut Self {
        self.author = (name.to_string(), email.to_string());
        self
    }

    fn env(&self) -> Vec<(&str, &str)> {
        vec![
            ("GIT_AUTHOR_NAME", self.author.0.as_str()),
            ("GIT_AUTHOR_EMAIL", self.author.1.as_str()),
            ("GIT_COMMITTER_NAME", self.author.0.as_str()),
            ("GIT_COMMITTER_EMAIL", self.author.1.as_str()),
            ("GIT_AUTHOR_DATE", self.date.as_str()),
            ("GIT_COMMITTER_DATE", self.date.as_str()),
        ]
    }

    /// Runs git here with the current identity and date; asserts success; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&self.git_bytes(args)).into_owned()
    }

    /// Like [`git`](Self::git) but returns raw bytes.
    pub fn git_bytes(&self, args: &[&str]) -> Vec<u8> {
        let out = git_output(&self.path, args, &self.env());
        assert_success(args, &out);
        out.stdout
    }

    /// Writes a file (creating folders) without staging it.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.path.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent folders");
        }
        std::fs::write(&p, contents).expect("write file");
        self
    }

    /// Writes the given files, stages everything and commits with `message`; returns the id.
    pub fn commit(&self, message: &str, files: &[(&str, &str)]) -> String {
        for (rel, contents) in files {
            self.write(rel, contents);
        }
        self.commit_all(message)
    }

    /// Stages everything in the work tree and commits with `message` (empty commits allowed).
    pub fn commit_all(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&[
            "commit",
            "-q",
            "--allow-empty",
            "--no-verify",
            "-m",
            message,
        ]);
        self.head()
    }

    /// Commits with a raw message given as bytes (for non-UTF-8 messages).
    pub fn commit_raw_message(&self, message: &[u8]) -> String {
        let msg_file = self.path.join(".git").join("SPARKY_TEST_MSG");
        std::fs::write(&msg_file, message).expect("write message file");
        self.git(&["add", "-A"]);
        let f = msg_file.to_string_lossy().into_owned();
        self.git(&[
            "commit",
            "-q",
            "--allow-empty",
            "--no-verify",
            "--cleanup=verbatim",
            "-F",
            &f,
        ]);
        self.head()
    }

    /// Commits a raw message with `i18n.commitEncoding` set, so the commit carries an
    /// `encoding` header (unless the encoding is UTF-8).
    pub fn commit_encoded(&self, message: &[u8], encoding: &str) -> String {
        let msg_file = self.path.join(".git").join("SPARKY_TEST_MSG");
        std::fs::write(&msg_file, message).expect("write message file");
        self.git(&["add", "-A"]);
        let f = msg_file.to_string_lossy().into_owned();
        let config = format!("i18n.commitEncoding={encoding}");
        self.git(&[
            "-c",
            &config,
            "commit",
            "-q",
            "--allow-empty",
            "--cleanup=verbatim",
            "-F",
            &f,
        ]);
        self.head()
    }

    /// Commits everything like [`commit_all`](Self::commit_all) but then rewrites the commit
    /// object with `message` as its raw bytes (git itself re-encodes non-UTF-8 messages that
    /// have no `encoding` header, so this is the only way to get one).
    pub fn commit_raw_object(&self, message: &[u8]) -> String {
        let placeholder = self.commit_all("placeholder");
        let raw = self.git_bytes(&["cat-file", "commit", "HEAD"]);
        let end = raw
            .windows(2)
            .position(|w| w == b"\n\n")
            .expect("header end")
            + 2;
        let mut object = raw[..end].to_vec();
        object.extend_from_slice(message);
        let file = self.path.join(".git").join("SPARKY_TEST_OBJECT");
        std::fs::write(&file, object).expect("write commit object");
        let f = file.to_string_lossy().into_owned();
        let id = self
            .git(&["hash-object", "-t", "commit", "-w", &f])
            .trim()
            .to_string();
        self.git(&["update-ref", "HEAD", &id, &placeholder]);
        id
    }

    /// Commits what is staged in the index as is (no `git add -A`).
    pub fn commit_staged(&self, message: &str) -> String {
        self.git(&[
            "commit",
            "-q",
            "--allow-empty",
            "--no-verify",
            "-m",
            message,
        ]);
        self.head()
    }

    /// The loose object file of `id` in this (non-bare) repository.
    pub fn loose_object(&self, id: &str) -> PathBuf {
        self.path
            .join(".git")
            .join("objects")
            .join(&id[..2])
            .join(&id[2..])
    }

    /// `git mv from to` (staged, not committed).
    pub fn mv(&self, from: &str, to: &str) -> &Self {
        if let Some(parent) = self.path.join(to).parent() {
            std::fs::create_dir_all(parent).expect("create target folders");
        }
        self.git(&["mv", from, to]);
        self
    }

    /// `git rm path` (staged, not committed).
    pub fn rm(&self, rel: &str) -> &Self {
        self.git(&["rm", "-q", rel]);
        self
    }

    /// Creates and checks out a new branch.
    pub fn branch(&self, name: &str) -> &Self {
        self.git(&["checkout", "-q", "-b", name]);
        self
    }

    pub fn checkout(&self, name: &str) -> &Self {
        self.git(&["checkout", "-q", name]);
        self
    }

    /// `git merge --no-ff -m message branch`; returns the merge commit id.
    pub fn merge(&self, branch: &str, message: &str) -> String {
        self.git(&["merge", "-q", "--no-ff", "--no-edit", "-m", message, branch]);
        self.head()
    }

    /// A lightweight tag at HEAD.
    pub fn tag(&self, name: &str) -> &Self {
        self.git(&["tag", name]);
        self
    }

    /// An annotated tag at HEAD, tagged at the current date.
    pub fn tag_annotated(&self, name: &str, message: &str) -> &Self {
        self.git(&["tag", "-a", name, "-m", message]);
        self
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }
}

impl Default for TestRepo {
    fn default() -> Self {
        Self::new()
    }
}

//! Line counts against `git log --numstat -M`, commit by commit and file by file, over whole
//! histories: this repository's own and generated ones whose edits are where a Myers diff
//! without git's heuristics (or with them fed different inputs) aligns lines differently from
//! git: runs of `}` and blank lines, moved and duplicated blocks, long files edited in several
//! places, renames with edits, missing final newlines, CRLF and binary files.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use sparky::history::RepoHistory;

use crate::history::{Lcg, git_numstat, run, stats_of};
use crate::support::TestRepo;

/// Every non-merge commit of `history` whose numstat differs from git's, described.
fn differences(path: &Path, rev: &str, history: &RepoHistory) -> Vec<String> {
    let git = git_numstat(path, rev);
    let mut out = Vec::new();
    for c in history.commits.iter().filter(|c| !c.is_merge()) {
        let ours = stats_of(&c.files);
        let theirs = &git[&c.id.to_string()];
        if c.diff_error.is_some() || &ours != theirs {
            let mut msg = format!("commit {} `{}`:", c.id, c.subject);
            for (o, t) in ours.iter().zip(theirs).filter(|(o, t)| o != t) {
                write!(msg, "\n  sparky {o:?}\n  git    {t:?}").unwrap();
            }
            if ours.len() != theirs.len() || c.diff_error.is_some() {
                write!(
                    msg,
                    "\n  {} vs {} files, {:?}",
                    ours.len(),
                    theirs.len(),
                    c.diff_error
                )
                .unwrap();
            }
            out.push(msg);
        }
    }
    out
}

/// Extracts `path` and compares it with git: (non-merge commits compared, differences).
fn compare(path: &Path, rev: &str) -> (usize, Vec<String>) {
    let history = run(path).history;
    let compared = history.commits.iter().filter(|c| !c.is_merge()).count();
    (compared, differences(path, rev, &history))
}

/// Fails with the first differences, if there are any.
fn assert_none(compared: usize, diffs: &[String]) {
    assert!(
        diffs.is_empty(),
        "{} of {compared} commits differ from git log --numstat -M:\n{}",
        diffs.len(),
        diffs[..diffs.len().min(8)].join("\n")
    );
}

/// A text file as a list of lines, written with a chosen terminator.
#[derive(Clone)]
struct TextFile {
    lines: Vec<String>,
    crlf: bool,
    final_newline: bool,
}

impl TextFile {
    fn bytes(&self) -> Vec<u8> {
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut text = self.lines.join(eol);
        if self.final_newline && !self.lines.is_empty() {
            text.push_str(eol);
        }
        text.into_bytes()
    }
}

/// Source-like code: short functions closed by `}` and separated by blank lines, so the
/// lines git calls frequent (braces, blanks, `return`) make up a good share of every file.
struct Code {
    rng: Lcg,
    next_id: u64,
}

impl Code {
    fn function(&mut self) -> Vec<String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut f = vec![format!("fn f{id}(x: u32) -> u32 {{")];
        for j in 0..1 + self.rng.next(9) {
            match self.rng.next(7) {
                0 => f.extend([
                    "    if x > 1 {".into(),
                    format!("        g{id}_{j}();"),
                    "    }".into(),
                ]),
                1 => f.push(String::new()),
                2 => f.push("    return x;".into()),
                _ => f.push(format!("    let v{j} = x * {};", self.rng.next(50))),
            }
        }
        f.extend(["}".into(), String::new()]);
        f
    }

    fn functions(&mut self, n: u64) -> Vec<String> {
        (0..n).flat_map(|_| self.function()).collect()
    }

    /// Between one and `max` functions.
    fn some_functions(&mut self, max: u64) -> Vec<String> {
        let n = 1 + self.rng.next(max);
        self.functions(n)
    }

    fn file(&mut self, n: u64) -> TextFile {
        TextFile {
            lines: self.functions(n),
            crlf: false,
            final_newline: true,
        }
    }

    /// One random edit of the kinds that make diffs disagree.
    fn edit(&mut self, file: &mut TextFile) {
        let len = file.lines.len() as u64;
        let at = |rng: &mut Lcg| rng.next(len + 1) as usize;
        match self.rng.next(9) {
            // Replace a stretch with new functions: their braces and blanks match old ones.
            0 | 1 => {
                let from = at(&mut self.rng);
                let to = (from + 1 + self.rng.next(60) as usize).min(file.lines.len());
                let new = self.some_functions(6);
                file.lines.splice(from..to, new);
            }
            2 => {
                let from = at(&mut self.rng);
                let new = self.some_functions(4);
                file.lines.splice(from..from, new);
            }
            // Move a block elsewhere.
            3 => {
                let from = at(&mut self.rng);
                let to = (from + 1 + self.rng.next(30) as usize).min(file.lines.len());
                let block: Vec<String> = file.lines.drain(from..to).collect();
                let dest = self.rng.next(file.lines.len() as u64 + 1) as usize;
                file.lines.splice(dest..dest, block);
            }
            // Duplicate a block.
            4 => {
                let from = at(&mut self.rng);
                let to = (from + 1 + self.rng.next(20) as usize).min(file.lines.len());
                let block = file.lines[from..to].to_vec();
                file.lines.splice(to..to, block);
            }
            // Several scattered one-line edits.
            5 => {
                for _ in 0..1 + self.rng.next(8) {
                    if let Some(i) = (!file.lines.is_empty())
                        .then(|| self.rng.next(file.lines.len() as u64) as usize)
                    {
                        file.lines[i] = format!("    edited({});", self.rng.next(1000));
                    }
                }
            }
            // A run of blank lines in, or blank lines and braces out.
            6 => {
                let from = at(&mut self.rng);
                let blanks = vec![String::new(); 1 + self.rng.next(6) as usize];
                file.lines.splice(from..from, blanks);
            }
            7 => {
                let mut k = 0;
                file.lines.retain(|l| {
                    k += 1;
                    !(l.is_empty() || l == "}") || k % 5 != 0
                });
            }
            _ => file.final_newline = !file.final_newline,
        }
    }
}

/// A generated history of `commits` commits over code files, a CRLF file, a binary file, a
/// renamed-and-edited file and a side branch merged back.
fn generated(seed: u64, commits: u64) -> TestRepo {
    let mut code = Code {
        rng: Lcg(seed),
        next_id: 0,
    };
    let mut files: BTreeMap<String, TextFile> = BTreeMap::new();
    files.insert("src/long.rs".into(), code.file(120));
    for i in 0..4 {
        let n = 4 + code.rng.next(30);
        files.insert(format!("src/m{i}.rs"), code.file(n));
    }
    let mut crlf = code.file(15);
    crlf.crlf = true;
    files.insert("win/crlf.rs".into(), crlf);
    let mut r = TestRepo::new();
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0".to_vec();
    let write_all = |r: &TestRepo, files: &BTreeMap<String, TextFile>, binary: &[u8]| {
        for (path, f) in files {
            r.write(path, f.bytes());
        }
        r.write("assets/logo.png", binary);
    };
    write_all(&r, &files, &binary);
    r.tick().commit_all("root");
    for c in 0..commits {
        if c == commits / 2 {
            r.branch("side");
            r.tick().commit("side work", &[("side.txt", "side\n")]);
            r.checkout("main");
        }
        let paths: Vec<String> = files.keys().cloned().collect();
        for _ in 0..1 + code.rng.next(3) {
            let path = &paths[code.rng.next(paths.len() as u64) as usize];
            let mut f = files[path].clone();
            code.edit(&mut f);
            files.insert(path.clone(), f);
        }
        match code.rng.next(12) {
            0 => binary.extend_from_slice(format!("\0{c}").as_bytes()),
            1 => {
                // Rename with edits.
                let from = &paths[code.rng.next(paths.len() as u64) as usize];
                if from != "src/long.rs" {
                    let to = format!("moved/c{c}.rs");
                    let mut f = files.remove(from).unwrap();
                    r.mv(from, &to);
                    code.edit(&mut f);
                    files.insert(to, f);
                }
            }
            2 => {
                let n = 2 + code.rng.next(10);
                files.insert(format!("src/new{c}.rs"), code.file(n));
            }
            _ => {}
        }
        write_all(&r, &files, &binary);
        r.tick().commit_all(&format!("edit {c}"));
    }
    r.tick().merge("side", "Merge branch 'side'");
    r
}

#[test]
fn generated_histories_count_lines_like_git() {
    let (mut compared, mut diffs) = (0, Vec::new());
    for seed in [1, 2, 3] {
        let r = generated(seed, 40);
        let (n, d) = compare(r.path(), "main");
        compared += n;
        diffs.extend(d);
    }
    assert_none(compared, &diffs);
    assert!(compared > 100);
}

#[test]
fn own_history_counts_lines_like_git() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join(".git").exists() {
        return; // a source tarball has no history
    }
    let (compared, diffs) = compare(root, "HEAD");
    assert_none(compared, &diffs);
    assert!(compared > 0);
}

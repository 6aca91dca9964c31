//! Times history extraction on a repository: cold without a cache, cold writing a cache, warm
//! from the cache, and optionally checks every commit's numstat against `git log`.
//!
//! ```text
//! cargo run --release --example extract_bench -- REPO [--branch B] [--threads N]
//!     [--cache FILE] [--verify] [--git] [--cold-only] [--warm-only]
//! ```
//! `--git` also times `git log --numstat --no-merges` on the same repository; `--verify`
//! compares per-commit numstat with git's and prints the totals of both. `--cold-only` stops
//! after the first (uncached) extraction; `--warm-only` runs a single extraction against an
//! existing `--cache FILE`, to time a warm run (and its peak memory) in a fresh process. Set
//! `RUST_LOG=sparky=debug` for per-phase timings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use sparky::history::{ExtractOptions, RepoHistory, extract};

struct Args {
    repo: PathBuf,
    branch: Option<String>,
    threads: Option<usize>,
    cache: Option<PathBuf>,
    verify: bool,
    git: bool,
    cold_only: bool,
    warm_only: bool,
}

fn parse_args() -> Result<Args> {
    let mut args = std::env::args().skip(1);
    let mut out = Args {
        repo: PathBuf::new(),
        branch: None,
        threads: None,
        cache: None,
        verify: false,
        git: false,
        cold_only: false,
        warm_only: false,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--branch" => out.branch = Some(args.next().context("--branch needs a value")?),
            "--threads" => {
                out.threads = Some(args.next().context("--threads needs a value")?.parse()?)
            }
            "--cache" => out.cache = Some(args.next().context("--cache needs a value")?.into()),
            "--verify" => out.verify = true,
            "--git" => out.git = true,
            "--cold-only" => out.cold_only = true,
            "--warm-only" => out.warm_only = true,
            _ if arg.starts_with("--") => bail!("unknown flag {arg}"),
            _ => out.repo = arg.into(),
        }
    }
    if out.repo.as_os_str().is_empty() {
        bail!(
            "usage: extract_bench REPO [--branch B] [--threads N] [--cache FILE] [--verify] [--git] \
             [--cold-only] [--warm-only]"
        );
    }
    Ok(out)
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = parse_args()?;
    let opts = ExtractOptions {
        threads: args.threads,
    };
    let branch = args.branch.as_deref();

    if args.git {
        let started = Instant::now();
        let out = git(
            &args.repo,
            &["log", "--numstat", "--no-merges", branch.unwrap_or("HEAD")],
        )?;
        println!(
            "git log --numstat --no-merges: {:.3}s ({} bytes)",
            secs(started.elapsed()),
            out.len()
        );
    }

    if args.warm_only {
        let cache = args
            .cache
            .as_deref()
            .context("--warm-only needs --cache FILE")?;
        let started = Instant::now();
        let warm = extract(&args.repo, branch, Some(cache), &opts)?;
        let s = &warm.stats;
        let (read, cached) = (s.read, s.from_cache);
        println!(
            "warm: {:.3}s — read {read}, from cache {cached}",
            secs(started.elapsed())
        );
        return Ok(());
    }

    let started = Instant::now();
    let cold = extract(&args.repo, branch, None, &opts)?;
    let cold_time = started.elapsed();
    let h = &cold.history;
    let merges = h.commits.iter().filter(|c| c.is_merge()).count();
    println!(
        "cold, no cache: {:.3}s — {} commits ({merges} merges), {} unreadable, {} tags, {} diff errors",
        secs(cold_time),
        h.commits.len(),
        h.unreadable.len(),
        h.tags.len(),
        h.commits.iter().filter(|c| c.diff_error.is_some()).count()
    );

    if args.cold_only {
        return Ok(());
    }
    let temp = tempfile::tempdir()?;
    let cache = args
        .cache
        .clone()
        .unwrap_or_else(|| temp.path().join("history.cache"));
    let _ = std::fs::remove_file(&cache);
    let started = Instant::now();
    let writing = extract(&args.repo, branch, Some(&cache), &opts)?;
    let writing_time = started.elapsed();
    let size = std::fs::metadata(&cache).map(|m| m.len()).unwrap_or(0);
    println!(
        "cold, writing cache: {:.3}s — cache {} KiB",
        secs(writing_time),
        size / 1024
    );
    let started = Instant::now();
    let warm = extract(&args.repo, branch, Some(&cache), &opts)?;
    let warm_time = started.elapsed();
    println!(
        "warm: {:.3}s — read {}, from cache {} ({:.1} % of cold)",
        secs(warm_time),
        warm.stats.read,
        warm.stats.from_cache,
        100.0 * secs(warm_time) / secs(cold_time)
    );
    if writing.history != cold.history || warm.history != cold.history {
        bail!("cached extraction differs from the uncached one");
    }
    if args.verify {
        verify(&args.repo, branch.unwrap_or("HEAD"), h)?;
    }
    Ok(())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()?;
    if !out.status.success() {
        bail!(
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out.stdout)
}

/// (path, old path, added, deleted, binary) per file.
type Stat = (String, Option<String>, u64, u64, bool);

/// Compares every non-merge commit's numstat with `git log --numstat --no-merges -z`.
fn verify(repo: &Path, rev: &str, history: &RepoHistory) -> Result<()> {
    let out = git(
        repo,
        &[
            "log",
            "--numstat",
            "--no-merges",
            "-z",
            "--format=@@%H",
            rev,
        ],
    )?;
    let text = String::from_utf8_lossy(&out);
    let mut expected: HashMap<String, Vec<Stat>> = HashMap::new();
    let mut current = String::new();
    let mut tokens = text.split('\0');
    while let Some(token) = tokens.next() {
        let token = token.trim_start_matches('\n');
        if let Some(id) = token.strip_prefix("@@") {
            current = id.to_owned();
            expected.entry(current.clone()).or_default();
            continue;
        }
        let mut parts = token.splitn(3, '\t');
        let (Some(a), Some(d), Some(p)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (path, old) = if p.is_empty() {
            let old = tokens.next().context("rename source")?.to_owned();
            (
                tokens.next().context("rename target")?.to_owned(),
                Some(old),
            )
        } else {
            (p.to_owned(), None)
        };
        let binary = a == "-";
        let num = |s: &str| if binary { Ok(0) } else { s.parse::<u64>() };
        let stat = (path, old, num(a)?, num(d)?, binary);
        expected
            .get_mut(&current)
            .context("numstat before a commit")?
            .push(stat);
    }
    let (mut mismatches, mut ours_total, mut git_total) =
        (0, (0u64, 0u64, 0u64), (0u64, 0u64, 0u64));
    for c in history.commits.iter().filter(|c| !c.is_merge()) {
        let mut ours: Vec<Stat> = c
            .files
            .iter()
            .map(|f| {
                (
                    f.path.clone(),
                    f.old_path.clone(),
                    f.added.into(),
                    f.deleted.into(),
                    f.binary,
                )
            })
            .collect();
        ours.sort();
        let mut theirs = expected.remove(&c.id.to_string()).unwrap_or_default();
        theirs.sort();
        for (total, stats) in [(&mut ours_total, &ours), (&mut git_total, &theirs)] {
            total.0 += stats.iter().map(|s| s.2).sum::<u64>();
            total.1 += stats.iter().map(|s| s.3).sum::<u64>();
            total.2 += stats.len() as u64;
        }
        if ours != theirs {
            mismatches += 1;
            if mismatches <= 5 {
                println!(
                    "mismatch in {} `{}`:\n  ours: {ours:?}\n  git:  {theirs:?}",
                    c.id, c.subject
                );
            }
        }
    }
    println!(
        "verify: {mismatches} of {} non-merge commits differ from git; {} commits only in git",
        history.commits.iter().filter(|c| !c.is_merge()).count(),
        expected.len()
    );
    println!("totals (added, deleted, files): ours {ours_total:?}, git {git_total:?}");
    Ok(())
}

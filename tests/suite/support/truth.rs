//! Ground truth from the `git` CLI: the figures `sparky facts` must reproduce for a repository
//! and a window, computed here with git itself and a few lines of arithmetic.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use jiff::ToSpan;
use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;

use super::repo::git_in;

/// A window's bounds in Unix seconds, half-open, or `None` for `all`.
pub fn bounds(label: &str, tz: &str) -> Option<(i64, i64)> {
    if label == "all" {
        return None;
    }
    let tz = TimeZone::get(tz).expect("valid time zone");
    let (start, end): (Date, Date) = if let Some((y, w)) = label.split_once("-W") {
        let d = ISOWeekDate::new(
            y.parse().expect("year"),
            w.parse().expect("week"),
            Weekday::Monday,
        )
        .expect("ISO week")
        .date();
        (d, d.checked_add(7.days()).expect("date"))
    } else if label.len() == 7 {
        let d: Date = format!("{label}-01").parse().expect("month");
        (d, d.checked_add(1.month()).expect("date"))
    } else {
        let d: Date = label.parse().expect("day");
        (d, d.tomorrow().expect("date"))
    };
    let ts = |d: Date| {
        d.to_zoned(tz.clone())
            .expect("zoned")
            .timestamp()
            .as_second()
    };
    Some((ts(start), ts(end)))
}

/// One commit as `git log` prints it (mailmap applied to %aN/%aE).
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub id: String,
    pub parents: usize,
    pub author_time: i64,
    pub committer_time: i64,
    pub author_name: String,
    pub author_email: String,
    pub raw_author: String,
    pub subject: String,
}

/// `git log BRANCH` with the fields the truth needs.
pub fn log(repo: &Path, branch: &str) -> Vec<LogEntry> {
    let out = git_in(
        repo,
        &[
            "log",
            branch,
            "--format=%x1e%H%x00%P%x00%at%x00%ct%x00%aN%x00%aE%x00%an %ae%x00%s",
        ],
    );
    String::from_utf8_lossy(&out)
        .split('\x1e')
        .filter(|r| !r.trim().is_empty())
        .map(|r| {
            let f: Vec<&str> = r.trim_end_matches('\n').split('\0').collect();
            LogEntry {
                id: f[0].to_string(),
                parents: f[1].split_whitespace().count(),
                author_time: f[2].parse().expect("author time"),
                committer_time: f[3].parse().expect("committer time"),
                author_name: f[4].to_string(),
                author_email: f[5].to_lowercase(),
                raw_author: f[6].to_lowercase(),
                subject: f[7].to_string(),
            }
        })
        .collect()
}

/// Summed `--numstat` over the commits in `ids`: (added, deleted, file entries).
pub fn numstat(
    repo: &Path,
    branch: &str,
    ids: &BTreeSet<String>,
    pathspec: &[String],
) -> (u64, u64, u64) {
    let mut args: Vec<String> = ["log", branch, "--no-merges", "--numstat", "--format=%x1e%H"]
        .map(String::from)
        .to_vec();
    if !pathspec.is_empty() {
        args.push("--".into());
        args.push(".".into());
        args.extend(pathspec.iter().cloned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = String::from_utf8_lossy(&git_in(repo, &args)).into_owned();
    let (mut added, mut deleted, mut files) = (0, 0, 0);
    for record in out.split('\x1e').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let id = lines.next().expect("id line").trim();
        if !ids.contains(id) {
            continue;
        }
        for l in lines.filter(|l| !l.trim().is_empty()) {
            let mut parts = l.splitn(3, '\t');
            let (a, d) = (parts.next().expect("added"), parts.next().expect("deleted"));
            added += a.parse::<u64>().unwrap_or(0); // `-` for binary files
            deleted += d.parse::<u64>().unwrap_or(0);
            files += 1;
        }
    }
    (added, deleted, files)
}

/// The figures for one repository and window.
#[derive(Debug, Default, PartialEq)]
pub struct Truth {
    pub ids: BTreeSet<String>,
    pub commits: u64,
    pub merges: u64,
    pub non_merges: u64,
    pub pr_merges: Vec<u64>,
    pub squash_refs: Vec<u64>,
    pub tags: BTreeSet<String>,
    /// (name, commits), sorted.
    pub authors: Vec<(String, u64)>,
    pub bot_commits: u64,
    pub lines: (u64, u64, u64),
    pub lines_excluding: (u64, u64, u64),
    pub first_timers: BTreeSet<String>,
}

/// Computes the truth with git for `window` (`(start, end)` seconds, `None` = all).
pub fn truth(
    repo: &Path,
    branch: &str,
    window: Option<(i64, i64)>,
    author_dates: bool,
    bots: &[&str],
    excludes: &[&str],
) -> Truth {
    let entries = log(repo, branch);
    let time = |e: &LogEntry| {
        if author_dates {
            e.author_time
        } else {
            e.committer_time
        }
    };
    let inside = |t: i64| window.is_none_or(|(s, e)| s <= t && t < e);
    let in_window: Vec<&LogEntry> = entries.iter().filter(|e| inside(time(e))).collect();
    if let (Some((s, e)), false) = (window, author_dates) {
        // Cross-check the arithmetic against git's own date filter.
        let since = format!("--since-as-filter=@{s}");
        let until = format!("--until=@{}", e - 1);
        let ids = git_in(repo, &["log", branch, "--format=%H", &since, &until]);
        assert_eq!(
            String::from_utf8_lossy(&ids).lines().count(),
            in_window.len(),
            "git's --since/--until disagree"
        );
    }
    let mut t = Truth {
        ids: in_window.iter().map(|e| e.id.clone()).collect(),
        ..Truth::default()
    };
    t.commits = in_window.len() as u64;
    t.merges = in_window.iter().filter(|e| e.parents > 1).count() as u64;
    t.non_merges = t.commits - t.merges;
    for e in &in_window {
        if e.parents > 1 {
            if let Some(rest) = e.subject.strip_prefix("Merge pull request #") {
                let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if rest[n.len()..].starts_with(" from ") {
                    t.pr_merges.push(n.parse().expect("number"));
                }
            }
        } else if let Some(n) = squash_number(&e.subject) {
            t.squash_refs.push(n);
        }
    }
    t.pr_merges.sort_unstable();
    t.pr_merges.dedup();
    t.squash_refs.sort_unstable();
    t.squash_refs.dedup();
    let is_bot = |e: &LogEntry| {
        let hay = format!(
            "{} {} {}",
            e.raw_author,
            e.author_name.to_lowercase(),
            e.author_email
        );
        bots.iter().any(|b| hay.contains(&b.to_lowercase()))
    };
    t.bot_commits = in_window.iter().filter(|e| is_bot(e)).count() as u64;
    let mut by_email: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for e in &in_window {
        let slot = by_email
            .entry(e.author_email.clone())
            .or_insert((e.author_name.clone(), 0));
        slot.1 += 1;
    }
    t.authors = by_email.values().cloned().collect();
    t.authors.sort();
    let mut first: HashMap<&str, (i64, &LogEntry)> = HashMap::new();
    for e in &entries {
        let slot = first.entry(e.author_email.as_str()).or_insert((time(e), e));
        if time(e) < slot.0 {
            *slot = (time(e), e);
        }
    }
    // AI coding agents are never new contributors (the built-in patterns: `=name` is a whole name).
    let is_agent = |e: &LogEntry| {
        sparky::config::DEFAULT_AGENT_PATTERNS.iter().any(|p| {
            let name = e.author_name.to_lowercase();
            match p.strip_prefix('=') {
                Some(whole) => name == whole,
                None => name.contains(p) || e.author_email.to_lowercase().contains(p),
            }
        })
    };
    t.first_timers = first
        .values()
        .filter(|(time, e)| inside(*time) && !is_bot(e) && !is_agent(e))
        .map(|(_, e)| {
            by_email
                .get(&e.author_email)
                .map_or(e.author_name.clone(), |(n, _)| n.clone())
        })
        .collect();
    t.tags = tags(repo, author_dates)
        .into_iter()
        .filter(|(_, time)| inside(*time))
        .map(|(n, _)| n)
        .collect();
    t.lines = numstat(repo, branch, &t.ids, &[]);
    let pathspec: Vec<String> = excludes
        .iter()
        .map(|g| format!(":(exclude,glob){g}"))
        .collect();
    t.lines_excluding = numstat(repo, branch, &t.ids, &pathspec);
    t
}

/// Every tag with its date: tagger date when annotated, else the commit's date.
pub fn tags(repo: &Path, author_dates: bool) -> Vec<(String, i64)> {
    let commit_date = if author_dates {
        "authordate"
    } else {
        "committerdate"
    };
    let fmt = format!(
        "--format=%(refname:short)%00%(objecttype)%00%(taggerdate:unix)%00%({commit_date}:unix)"
    );
    let out = git_in(repo, &["for-each-ref", "refs/tags", &fmt]);
    String::from_utf8_lossy(&out)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\0').collect();
            let time = if f[1] == "tag" { f[2] } else { f[3] };
            (f[0].to_string(), time.parse().expect("tag time"))
        })
        .collect()
}

/// `… (#N)` at the end of a subject.
fn squash_number(subject: &str) -> Option<u64> {
    let inner = subject.trim_end().strip_suffix(')')?;
    inner.rsplit_once("(#")?.1.parse().ok()
}

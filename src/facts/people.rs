//! Who did what in a window: per author, their commits (each counted once, where `org` counts
//! it), the repositories they worked in and what their work was about.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::classify;
use super::model::{Conventional, Lines};
use super::repo::PreparedRepo;
use super::weeks::RepoTheme;
use super::{org, themes};
use crate::window::Bounds;

/// Themes kept per author: two for the repository with most of their commits, one for each of
/// the others.
const THEMES: usize = 12;

/// One author's work in the window.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contribution {
    pub name: String,
    /// Distinct commits (the same as in `org.authors`).
    pub commits: u64,
    pub bot: bool,
    pub agent: bool,
    /// Lines over their non-merge commits, after exclusions.
    pub lines_excluding_generated: Lines,
    /// Conventional-commit types of their non-merge commits.
    pub conventional: Conventional,
    /// Where their commits count (a shared commit for the first repository by name), most
    /// commits first.
    pub repos: Vec<RepoCommits>,
    /// What their non-merge commits were about: the two main themes in the repository with most
    /// of their commits, then the main one in each other repository (at most twelve).
    pub themes: Vec<RepoTheme>,
    /// Commits by others that credit them in a `Co-authored-by:` trailer.
    pub co_authored: u64,
}

/// Commits in one repository.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RepoCommits {
    pub repo: String,
    pub commits: u64,
}

/// Per author key: the display name, the commits per repository (index into `repos`), lines and
/// co-authored commits.
#[derive(Default)]
struct Tally {
    per_repo: FxHashMap<usize, Vec<usize>>,
    lines: Lines,
    conventional: Conventional,
    co_authored: u64,
}

/// Every author of the window, most commits first (ties by name); `repos` sorted by name.
pub(super) fn contributions(
    repos: &[&PreparedRepo<'_>],
    bounds: Option<Bounds>,
) -> Vec<Contribution> {
    let d = org::distinct(repos, bounds, None);
    let mut by: FxHashMap<&str, Tally> = FxHashMap::default();
    for (k, (r, counted)) in repos.iter().zip(&d.counted).enumerate() {
        for &i in counted {
            let t = by.entry(r.author(i).key.as_str()).or_default();
            t.per_repo.entry(k).or_default().push(i);
            let c = r.commit(i);
            if !c.is_merge() {
                t.lines.add(&r.counted_lines(i));
                let kind = classify::kind_of(classify::conventional(&c.subject));
                t.conventional.count_kind(kind);
            }
            for &p in &r.co_authors_of[i] {
                if r.people[p].key != r.author(i).key {
                    by.entry(r.people[p].key.as_str()).or_default().co_authored += 1;
                }
            }
        }
    }
    let mut out: Vec<Contribution> = d
        .authors
        .iter()
        .map(|(key, (a, _))| {
            let t = by.remove(key.as_str()).unwrap_or_default();
            let mut per_repo: Vec<(usize, Vec<usize>)> = t.per_repo.into_iter().collect();
            per_repo.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
            let themes: Vec<RepoTheme> = per_repo
                .iter()
                .enumerate()
                .flat_map(|(n, (k, commits))| {
                    let r = repos[*k];
                    let (v, _) = themes::themes_of(r, commits.iter().copied());
                    v.into_iter()
                        .take(if n == 0 { 2 } else { 1 })
                        .map(|theme| RepoTheme {
                            repo: r.name.clone(),
                            theme,
                        })
                })
                .take(THEMES)
                .collect();
            Contribution {
                name: a.name.clone(),
                commits: a.commits,
                bot: a.bot,
                agent: a.agent,
                lines_excluding_generated: t.lines,
                conventional: t.conventional,
                repos: per_repo
                    .iter()
                    .map(|(k, c)| RepoCommits {
                        repo: repos[*k].name.clone(),
                        commits: c.len() as u64,
                    })
                    .collect(),
                themes,
                co_authored: t.co_authored,
            }
        })
        .collect();
    // Co-authors who wrote no commit of their own are not authors: not listed.
    out.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use crate::facts::{FactsSettings, PreparedRepo, compute};
    use crate::history::{CoAuthor, CommitRecord, FileChange, ObjectId, RepoHistory, Signature};
    use crate::identity::Identities;
    use crate::window::DateField;

    /// A commit `digit` (its id is the digit forty times) by `name` at `time`.
    fn commit(digit: &str, name: &str, email: &str, time: &str, subject: &str) -> CommitRecord {
        let t: jiff::Timestamp = time.parse().expect("time");
        let sig = Signature {
            name: name.into(),
            email: email.into(),
            time: t.as_second(),
            offset: 0,
        };
        CommitRecord {
            author: sig.clone(),
            committer: sig,
            subject: subject.into(),
            files: vec![FileChange {
                path: format!("src/{digit}.rs"),
                old_path: None,
                added: 2,
                deleted: 1,
                binary: false,
            }],
            ..CommitRecord::new(ObjectId::from_hex(digit.repeat(40).as_bytes()).expect("hex"))
        }
    }

    fn history(commits: Vec<CommitRecord>) -> RepoHistory {
        RepoHistory {
            branch: Some("main".into()),
            head: None,
            commits,
            tags: Vec::new(),
            unreadable: Vec::new(),
            mailmap: String::new(),
        }
    }

    #[test]
    fn a_month_counts_each_commit_once_per_week_and_per_author() {
        let shared = commit(
            "a",
            "Alice",
            "alice@x.org",
            "2025-11-03T10:00:00Z",
            "feat(screen): buffer",
        );
        let mut with_agent = commit(
            "b",
            "Alice",
            "alice@x.org",
            "2025-11-04T10:00:00Z",
            "fix: width",
        );
        with_agent.co_authors.push(CoAuthor {
            name: "Claude".into(),
            email: "noreply@anthropic.com".into(),
        });
        let agent = commit(
            "c",
            "Claude Code",
            "noreply@anthropic.com",
            "2025-11-11T10:00:00Z",
            "docs: guide",
        );
        let early = commit(
            "d",
            "Bob",
            "bob@x.org",
            "2025-11-01T10:00:00Z",
            "test: more",
        );
        let one = history(vec![agent, with_agent, shared.clone()]);
        let two = history(vec![shared, early]);
        let settings = FactsSettings {
            time_zone: jiff::tz::TimeZone::UTC,
            time_zone_name: "UTC".into(),
            date_field: DateField::Committer,
            churn_excludes: globset::GlobSet::empty(),
        };
        let ids = Identities::new("", "", &[], &[]).with_agents(&["noreply@anthropic.com".into()]);
        let repos = [
            PreparedRepo::new("one", &one, &ids, &settings),
            PreparedRepo::new("two", &two, &ids, &settings),
        ];
        let f = compute(
            &repos,
            Vec::new(),
            "2025-11".parse().expect("window"),
            &settings,
        );

        let weeks: Vec<(&str, u64, u64, u64)> = f
            .org
            .weeks
            .iter()
            .map(|w| (w.first_day.as_str(), w.commits, w.active_repos, w.agents))
            .collect();
        assert_eq!(
            weeks,
            [
                ("2025-11-01", 1, 1, 0),
                ("2025-11-03", 2, 2, 0),
                ("2025-11-10", 1, 1, 1),
                ("2025-11-17", 0, 0, 0),
                ("2025-11-24", 0, 0, 0),
            ]
        );
        assert_eq!(f.org.weeks[1].first_time_contributors, ["Alice"]);
        assert_eq!(f.org.weeks[1].themes[0].repo, "one");

        let who: Vec<(&str, u64, bool, u64)> = f
            .org
            .contributions
            .iter()
            .map(|c| (c.name.as_str(), c.commits, c.agent, c.co_authored))
            .collect();
        assert_eq!(
            who,
            [
                ("Alice", 2, false, 0),
                ("Bob", 1, false, 0),
                ("Claude Code", 1, true, 1)
            ]
        );
        let alice = &f.org.contributions[0];
        // The shared commit counts once, for the first repository by name.
        assert_eq!(alice.repos.len(), 1);
        assert_eq!(
            (alice.repos[0].repo.as_str(), alice.repos[0].commits),
            ("one", 2)
        );
        assert_eq!((alice.conventional.feat, alice.conventional.fix), (1, 1));
        assert_eq!(alice.lines_excluding_generated.added, 4);
        // Days and weeks have no month sections.
        let day = compute(
            &repos,
            Vec::new(),
            "2025-11-03".parse().expect("window"),
            &settings,
        );
        assert!(day.org.weeks.is_empty() && day.org.contributions.is_empty());
    }
}

//! Grounding: the facts a section may state, built once per section from [`OrgFacts`]. The same
//! builder writes the compact facts text the prompt shows and records every figure, name,
//! reference and date in it, so the checker accepts exactly what the prompt said exists.

use std::collections::{BTreeSet, HashSet};

use jiff::civil::{Date, Weekday};

mod parts;

use parts::{activity, dates, repo};

use super::scan::{Tok, scan};
use super::words::Kind;
use crate::facts::{Author, OrgFacts, RepoFacts};

/// What one section may claim.
#[derive(Debug, Default)]
pub(super) struct Grounding {
    pub figures: Vec<(u64, Kind)>,
    /// Percent changes in the facts (signed), for "doubled", "halved".
    pub changes: Vec<i64>,
    /// Tokens of people's, repositories' and the organisation's names.
    pub name_tokens: HashSet<String>,
    /// The same names as token sequences: a claimed name of several tokens lies inside one.
    pub phrases: Vec<Vec<String>>,
    /// Every lowercase word of the prompt (facts, commit subjects, instructions, template text).
    pub vocabulary: HashSet<String>,
    /// Identifiers, versions and paths written in the facts (lowercase).
    pub identifiers: HashSet<String>,
    pub repos: HashSet<String>,
    pub tags: HashSet<String>,
    pub pull_requests: BTreeSet<u64>,
    /// `#N` written in commit subjects (issues or pull requests).
    pub mentions: BTreeSet<u64>,
    pub commits: Vec<String>,
    /// First and last day that may be named: the previous period's first to this one's last.
    pub first: Option<Date>,
    pub last: Option<Date>,
    /// For a day: the weekdays that may be named.
    pub weekdays: Option<Vec<Weekday>>,
    /// The facts as the prompt shows them.
    pub text: String,
}

impl Grounding {
    /// Text from the facts: its words become vocabulary, its identifiers, numbers and `#N`
    /// references become things that may be repeated.
    pub fn learn_text(&mut self, text: &str) {
        for t in scan(text) {
            match t.tok {
                Tok::Word(w) => {
                    self.vocabulary.insert(w.to_lowercase());
                }
                Tok::Num { value, .. } if value.fract() == 0.0 && value >= 0.0 => {
                    self.figures.push((value as u64, Kind::Text));
                }
                Tok::Hash(n) => {
                    self.mentions.insert(n);
                }
                Tok::Ident(s) | Tok::Version(s) | Tok::Hex(s) | Tok::Handle(s) => {
                    self.identifiers.insert(s);
                }
                _ => {}
            }
        }
    }
}

/// How much of the facts a prompt shows (lower when the context is small).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Detail(pub u8);

impl Detail {
    pub const FULL: Detail = Detail(3);

    fn people(self) -> usize {
        [0, 3, 5, 10][usize::from(self.0.min(3))]
    }
    fn commits(self) -> usize {
        [0, 0, 1, 3][usize::from(self.0.min(3))]
    }
    fn hotspots(self) -> usize {
        [0, 0, 0, 2][usize::from(self.0.min(3))]
    }
}

/// Which facts: the whole page, or one repository (with the organisation's totals).
/// `Page` and `Repo` check text about the whole report (the checker's tests use them).
#[derive(Clone, Copy)]
#[allow(dead_code)]
pub(super) enum Scope<'a> {
    Page,
    Repo(&'a RepoFacts),
    /// One repository's facts alone: its sentences may state only its own figures.
    Only(&'a RepoFacts),
}

struct B {
    pub g: Grounding,
}

impl B {
    fn n(&mut self, value: u64, kind: Kind) -> String {
        self.g.figures.push((value, kind));
        crate::render::context::num(value)
    }

    /// "1 file", "3 files": a figure with its noun.
    fn count(&mut self, value: u64, kind: Kind, one: &str, many: &str) -> String {
        let n = self.n(value, kind);
        format!("{n} {}", if value == 1 { one } else { many })
    }

    fn line(&mut self, line: &str) {
        self.g.text.push_str(line);
        self.g.text.push('\n');
    }

    /// Text from the facts: its words become vocabulary, its identifiers, numbers and `#N`
    /// references become things that may be repeated.
    fn text(&mut self, text: &str) -> String {
        self.g.learn_text(text);
        crate::render::escape::neutralize(text).replace('\n', " ")
    }

    /// A name (person, repository, organisation): claimable as a whole or in part.
    fn name(&mut self, name: &str) -> String {
        // `github-actions[bot]` is also `GitHub Actions` and `github-actions`.
        let tokens: Vec<String> = scan(name)
            .into_iter()
            .flat_map(|t| match t.tok {
                Tok::Word(w) => vec![w.to_lowercase()],
                Tok::Ident(s) | Tok::Handle(s) | Tok::Version(s) | Tok::Hex(s) => {
                    self.g.identifiers.insert(s.clone());
                    s.split(|c: char| !c.is_alphanumeric())
                        .filter(|p| !p.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                _ => Vec::new(),
            })
            .collect();
        self.g.name_tokens.extend(tokens.iter().cloned());
        self.g.phrases.push(tokens);
        self.g.identifiers.insert(name.trim().to_lowercase());
        self.text(name)
    }

    fn people(&mut self, authors: &[Author], limit: usize) -> (String, String) {
        let mut people = Vec::new();
        let mut bots = Vec::new();
        for a in authors.iter().take(limit) {
            let entry = format!(
                "{} {}",
                self.name(&a.name),
                self.n(a.commits, Kind::Commits)
            );
            if !a.is_person() {
                bots.push(entry)
            } else {
                people.push(entry)
            }
        }
        (people.join(", "), bots.join(", "))
    }
}

/// The page a section belongs to.
#[derive(Clone, Copy)]
pub(super) struct PageInfo<'a> {
    pub org_name: &'a str,
    pub period_human: &'a str,
}

/// The grounding of one section.
pub(super) fn build(
    f: &OrgFacts,
    page: PageInfo<'_>,
    scope: Scope<'_>,
    detail: Detail,
) -> Grounding {
    let period_human = page.period_human;
    let mut b = B {
        g: Grounding::default(),
    };
    dates(&mut b, f);
    if let Scope::Only(r) = scope {
        repo(&mut b, r, f.org.commits, detail);
        return b.g;
    }
    let o = &f.org;
    let people = o.authors.iter().filter(|a| a.is_person()).count() as u64;
    let bots = o.authors.iter().filter(|a| !a.is_person()).count() as u64;
    let org_name = b.name(page.org_name);
    let mut line = format!("Period: {period_human} ({})", f.window.label);
    if let (Some(first), Some(last)) = (b.g.first, b.g.last) {
        line.push_str(&format!(
            ", compared with the previous period; dates from {first} to {last} may be named"
        ));
    }
    b.text(period_human);
    b.line(&format!("{line}."));
    b.line(&format!("Organisation: {org_name}."));
    let l = o.lines_excluding_generated;
    let totals = format!(
        "Totals: {} ({} merge commits, {} by bots), {} and {} ({} authors), {} of {} active, {} added and {} deleted ({} changed) in {}, {}, {}, {}.",
        b.count(o.commits, Kind::Commits, "commit", "commits"),
        b.n(o.merge_commits, Kind::Commits),
        b.n(o.bot_commits, Kind::Commits),
        b.count(people, Kind::People, "person", "people"),
        b.count(bots, Kind::Bots, "bot", "bots"),
        b.n(o.authors.len() as u64, Kind::Authors),
        b.n(o.active_repos, Kind::Repos),
        b.count(o.repos, Kind::Repos, "repository", "repositories"),
        b.count(l.added, Kind::Lines, "line", "lines"),
        b.n(l.deleted, Kind::Lines),
        b.count(l.added + l.deleted, Kind::Lines, "line", "lines"),
        b.count(l.files_changed, Kind::Files, "file change", "file changes"),
        b.count(
            o.merged_pull_requests,
            Kind::PullRequests,
            "merged pull request",
            "merged pull requests"
        ),
        b.count(o.tags, Kind::Tags, "tag", "tags"),
        b.count(
            o.breaking_changes,
            Kind::Breaking,
            "breaking change",
            "breaking changes"
        ),
    );
    b.line(&totals);
    let page = matches!(scope, Scope::Page);
    let c = o.conventional;
    let kinds: Vec<String> = [
        (c.feat, "feature", "features"),
        (c.fix, "fix", "fixes"),
        (c.docs, "documentation commit", "documentation commits"),
        (c.refactor, "refactor", "refactors"),
        (c.perf, "performance commit", "performance commits"),
        (c.test, "test commit", "test commits"),
        (c.build, "build commit", "build commits"),
        (c.ci, "CI commit", "CI commits"),
        (c.chore, "chore", "chores"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0 && page)
    .map(|(n, one, many)| b.count(n, Kind::Commits, one, many))
    .collect();
    if !kinds.is_empty() {
        b.line(&format!("Kinds of commit: {}.", kinds.join(", ")));
    }
    if let Some(t) = &o.trend {
        let prev = b.text(&t.previous);
        let mut parts = Vec::new();
        for (label, ch, kind) in [
            ("commits", &t.commits, Kind::Commits),
            ("authors", &t.authors, Kind::Authors),
            ("lines changed", &t.lines_changed, Kind::Lines),
            (
                "merged pull requests",
                &t.merged_pull_requests,
                Kind::PullRequests,
            ),
        ] {
            let mut s = format!(
                "{label} {} (was {}, {}{}",
                b.n(ch.current, kind),
                b.n(ch.previous, kind),
                if ch.delta < 0 { "-" } else { "+" },
                b.n(ch.delta.unsigned_abs(), kind)
            );
            if let Some(p) = ch.percent {
                b.g.changes.push(p);
                s.push_str(&format!(
                    ", {}{} %",
                    if p < 0 { "-" } else { "+" },
                    b.n(p.unsigned_abs(), Kind::Percent)
                ));
            }
            s.push(')');
            parts.push(s);
        }
        b.line(&format!("Against {prev}: {}.", parts.join("; ")));
    }
    if page {
        activity(&mut b, f);
    }
    let limit = if page { detail.people() } else { 0 };
    if limit > 0 {
        let (p, bots) = b.people(&o.authors, limit);
        b.line(&format!(
            "People by commits: {}.",
            if p.is_empty() { "none".into() } else { p }
        ));
        if !bots.is_empty() {
            b.line(&format!("Bots by commits: {bots}."));
        }
    }
    if page && !o.first_time_contributors.is_empty() {
        let names: Vec<String> = o
            .first_time_contributors
            .iter()
            .map(|n| b.name(n))
            .collect();
        b.line(&format!(
            "First commits to the organisation: {}.",
            names.join(", ")
        ));
    }
    for r in f
        .repos
        .iter()
        .filter(|r| r.commits > 0 || !r.tags.is_empty())
    {
        let mine = match scope {
            Scope::Page => true,
            Scope::Repo(x) | Scope::Only(x) => x.name == r.name,
        };
        if mine {
            repo(&mut b, r, o.commits, detail);
        }
    }
    b.g
}

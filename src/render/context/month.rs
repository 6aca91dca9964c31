//! What only a monthly review tells: the month week by week, who did what, and how the month
//! compares with the one before. Every sentence is built from the month's facts; names and
//! subjects are escaped here because the sentences are Markdown.

use jiff::civil::Date;

use super::changes::noun;
use super::figures::{list, merged_sentence, num, plural};
use super::{Detail, SUBJECT_CHARS, WeekView};
use crate::facts::{Contribution, Conventional, OrgFacts, RepoTheme, WeekFacts};
use crate::render::escape::{inline, truncate};
use crate::render::paths::month_name;

/// One section per week with commits, and a sentence naming the quiet ones (empty when none
/// was). `links` maps a week label (`2025-W46`) to a wikilink to its report.
pub(super) fn weeks(
    f: &OrgFacts,
    links: &[(String, String)],
    detail: Detail,
) -> (Vec<WeekView>, String) {
    let mut out = Vec::new();
    let (mut active, mut quiet) = (Vec::new(), Vec::new());
    for w in &f.org.weeks {
        let (name, heading) = week_name(w);
        if w.commits == 0 {
            quiet.push(name);
            continue;
        }
        active.push(name);
        let link = links.iter().find(|(l, _)| *l == w.week).map(|(_, s)| s);
        out.push(WeekView {
            heading,
            text: week_paragraph(f, w, link, detail),
        });
    }
    let verb = if quiet.len() == 1 { "was" } else { "were" };
    let quiet = match (active.is_empty(), quiet.is_empty()) {
        (_, true) => String::new(),
        (true, false) => capitalised(&format!("{} {verb} quiet.", list(&quiet))),
        (false, false) => format!(
            "Commits landed in {}; {} {verb} quiet.",
            list(&active),
            list(&quiet)
        ),
    };
    (out, quiet)
}

/// "week 47" for a whole week, "1-2 November" for one clipped by the month; and the heading
/// form, "Week 46 (10-16 November)" or "1-2 November (week 44)".
fn week_name(w: &WeekFacts) -> (String, String) {
    let number = w
        .week
        .rsplit('W')
        .next()
        .unwrap_or(&w.week)
        .trim_start_matches('0');
    let (Ok(a), Ok(b)) = (w.first_day.parse::<Date>(), w.last_day.parse::<Date>()) else {
        return (format!("week {number}"), format!("Week {number}"));
    };
    let days = format!("{}-{} {}", a.day(), b.day(), month_name(a.month()));
    let (am, bm) = (
        a.weekday().to_monday_one_offset(),
        b.weekday().to_monday_one_offset(),
    );
    if am == 1 && bm == 7 {
        (format!("week {number}"), format!("Week {number} ({days})"))
    } else {
        (days.clone(), format!("{days} (week {number})"))
    }
}

fn week_paragraph(f: &OrgFacts, w: &WeekFacts, link: Option<&String>, detail: Detail) -> String {
    let l = w.lines_excluding_generated;
    let mut s = format!(
        "{} in {} from {}, +{} / -{} lines",
        plural(w.commits, "commit", "commits"),
        plural(w.active_repos, "repository", "repositories"),
        who(w.people, w.agents, w.bots),
        num(l.added),
        num(l.deleted),
    );
    s.push_str(&days_phrase(f, w));
    let leaders: Vec<String> = w
        .top_people
        .iter()
        .map(|a| format!("{} ({})", inline(&a.name), num(a.commits)))
        .collect();
    if w.top_people.len() > 1 {
        s.push_str(&format!(" Most commits: {}.", list(&leaders)));
    }
    let shown: Vec<&RepoTheme> = w.themes.iter().take(detail.week_themes).collect();
    let themes = theme_phrases(&shown, detail.examples.min(2));
    if !themes.is_empty() {
        s.push_str(&format!(" The main work: {}.", list(&themes)));
    }
    let tags: Vec<String> = w
        .tags
        .iter()
        .map(|r| match r.tags.as_slice() {
            [one] => format!("{} tagged {}", inline(&r.repo), inline(one)),
            [first, .., last] => format!(
                "{} tagged {} releases, from {} to {}",
                inline(&r.repo),
                num(r.tags.len() as u64),
                inline(first),
                inline(last)
            ),
            [] => String::new(),
        })
        .collect();
    if !tags.is_empty() {
        s.push_str(&format!(" Releases: {}.", list(&tags)));
    }
    s.push_str(&merged_sentence(w.merged_pull_requests));
    let newcomers: Vec<String> = w
        .first_time_contributors
        .iter()
        .map(|n| inline(n))
        .collect();
    if !newcomers.is_empty() {
        s.push_str(&format!(
            " First commits to the organisation: {}.",
            list(&newcomers)
        ));
    }
    if let Some(link) = link {
        s.push_str(&format!(" The week's own report: {link}."));
    }
    s
}

/// When in the week the commits landed: the busiest day when one stands out, else the days.
fn days_phrase(f: &OrgFacts, w: &WeekFacts) -> String {
    let mut days: Vec<(&crate::facts::DayActivity, Date)> = f
        .org
        .per_day
        .iter()
        .filter(|d| d.date >= w.first_day && d.date <= w.last_day && d.commits > 0)
        .filter_map(|d| Some((d, d.date.parse::<Date>().ok()?)))
        .collect();
    let day = |d: &Date| d.strftime("%A %-d %B").to_string();
    days.sort_by(|a, b| b.0.commits.cmp(&a.0.commits).then(a.1.cmp(&b.1)));
    match days.as_slice() {
        [] => ".".to_string(),
        [(_, one)] => format!(", all on {}.", day(one)),
        [(top, date), (next, _), ..] if top.commits > next.commits => format!(
            ", on {} days; the busiest was {} with {}.",
            num(days.len() as u64),
            day(date),
            plural(top.commits, "commit", "commits")
        ),
        _ if days.len() > 3 => format!(", on {} days.", num(days.len() as u64)),
        _ => {
            let mut dates: Vec<Date> = days.iter().map(|(_, d)| *d).collect();
            dates.sort();
            let named: Vec<String> = dates.iter().map(day).collect();
            format!(", spread over {}.", list(&named))
        }
    }
}

/// "features in ratatui-testlib's layout (6 commits: “a”, “b”)"; `repo` is how the repository is
/// named: `Some("its")` after a phrase about the same one, `None` to leave it out.
fn theme_phrase(t: &RepoTheme, examples: usize, repo: Option<&str>) -> String {
    let place = match (&t.theme.area, repo) {
        (Some(a), Some(r)) => format!(" in {r} {}", inline(a)),
        (None, Some(r)) if r != "its" => format!(" in {}", r.trim_end_matches("'s")),
        (Some(a), None) => format!(" in {}", inline(a)),
        _ => String::new(),
    };
    let said: Vec<String> = t
        .theme
        .examples
        .iter()
        .take(examples)
        .map(|e| format!("“{}”", inline(&truncate(e, SUBJECT_CHARS / 2))))
        .collect();
    let count = plural(t.theme.commits, "commit", "commits");
    let detail = if said.is_empty() {
        count
    } else {
        format!("{count}: {}", said.join(", "))
    };
    format!("{}{place} ({detail})", noun(&t.theme.kind))
}

/// Themes of several repositories in a row, the repository named once per run ("its" after).
fn theme_phrases(themes: &[&RepoTheme], examples: usize) -> Vec<String> {
    let mut previous: Option<&str> = None;
    themes
        .iter()
        .map(|t| {
            let name = if previous == Some(t.repo.as_str()) {
                "its".to_string()
            } else {
                format!("{}'s", inline(&t.repo))
            };
            previous = Some(t.repo.as_str());
            theme_phrase(t, examples, Some(&name))
        })
        .collect()
}

/// "5 people, 2 AI coding agents and 1 bot", naming only the kinds present ("1 AI coding
/// agent"); "0 people" only when there is no one at all.
pub(crate) fn who(people: u64, agents: u64, bots: u64) -> String {
    let mut parts = Vec::new();
    if people > 0 || agents + bots == 0 {
        parts.push(plural(people, "person", "people"));
    }
    if agents > 0 {
        parts.push(plural(agents, "AI coding agent", "AI coding agents"));
    }
    if bots > 0 {
        parts.push(plural(bots, "bot", "bots"));
    }
    list(&parts)
}

/// One line per person (never a bot or agent), most commits first, at most `detail.people`;
/// then one sentence for the people not listed and for the agents and bots.
pub(super) fn who_did_what(f: &OrgFacts, detail: Detail) -> (Vec<String>, String) {
    let people: Vec<&Contribution> = f
        .org
        .contributions
        .iter()
        .filter(|c| !c.bot && !c.agent)
        .collect();
    let shown = people.len().min(detail.people);
    let lines = people[..shown]
        .iter()
        .map(|c| person_line(c, detail))
        .collect();
    let mut rest = Vec::new();
    if people.len() > shown {
        let more = &people[shown..];
        rest.push(format!(
            "And {} more, with {} between them.",
            plural(more.len() as u64, "person", "people"),
            plural(more.iter().map(|c| c.commits).sum(), "commit", "commits")
        ));
    }
    let machines: Vec<String> = f
        .org
        .contributions
        .iter()
        .filter(|c| c.bot || c.agent)
        .map(|c| {
            let what = if c.agent {
                "the AI coding agent"
            } else {
                "the bot"
            };
            let mut s = format!(
                "{what} {} ({} in {}",
                inline(&c.name),
                plural(c.commits, "commit", "commits"),
                list(&c.repos.iter().map(|r| inline(&r.repo)).collect::<Vec<_>>())
            );
            if c.co_authored > 0 {
                s.push_str(&format!(", co-author of {} more", num(c.co_authored)));
            }
            s.push(')');
            s
        })
        .collect();
    if !machines.is_empty() {
        rest.push(format!("Besides the people above: {}.", list(&machines)));
    }
    (lines, rest.join(" "))
}

/// "Carol Coder: 82 commits (+854 / -111 lines), mostly new features (30) and fixes (25). In
/// ratatui-testlib (71 commits): …; also cli (2: …) and bench (1)."
fn person_line(c: &Contribution, detail: Detail) -> String {
    let l = c.lines_excluding_generated;
    let mut s = format!(
        "{}: {} (+{} / -{} lines)",
        inline(&c.name),
        plural(c.commits, "commit", "commits"),
        num(l.added),
        num(l.deleted)
    );
    s.push_str(&kinds_phrase(&kinds(&c.conventional)));
    s.push('.');
    let examples = detail.examples.min(2);
    let Some(main) = c.repos.first() else {
        return s;
    };
    let main_themes: Vec<String> = c
        .themes
        .iter()
        .filter(|t| t.repo == main.repo)
        .map(|t| theme_phrase(t, examples, None))
        .collect();
    s.push_str(&format!(
        " In {} ({})",
        inline(&main.repo),
        plural(main.commits, "commit", "commits")
    ));
    if !main_themes.is_empty() {
        s.push_str(&format!(": {}", list(&main_themes)));
    }
    let others: Vec<String> = c.repos[1..]
        .iter()
        .map(|r| {
            let theme = c.themes.iter().find(|t| t.repo == r.repo);
            let mut said = format!("{} ({}", inline(&r.repo), num(r.commits));
            if let Some(t) = theme {
                said.push_str(&format!(", {}", noun(&t.theme.kind)));
                if let Some(a) = &t.theme.area {
                    said.push_str(&format!(" in {}", inline(a)));
                }
                if let Some(e) = t.theme.examples.first().filter(|_| examples > 0) {
                    said.push_str(&format!(": “{}”", inline(&truncate(e, SUBJECT_CHARS / 2))));
                }
            }
            said.push(')');
            said
        })
        .collect();
    if !others.is_empty() {
        s.push_str(&format!("; also {}", list(&others)));
    }
    s.push('.');
    s
}

/// ", mostly features (30)" or ", mostly features (30) and fixes (25)" when one or two kinds
/// are most of the work, ", all fixes" for one kind, ", fixes (1) and tests (1)" for two, else
/// ", a mix of features (2), fixes (2), tests (1) and more".
fn kinds_phrase(kinds: &[(&'static str, u64)]) -> String {
    let total: u64 = kinds.iter().map(|(_, n)| n).sum();
    let said = |(k, n): &(&str, u64)| format!("{} ({})", noun(k), num(*n));
    match kinds {
        [] => String::new(),
        [(k, _)] => format!(", all {}", noun(k)),
        [a, ..] if a.1 * 2 > total => format!(", mostly {}", said(a)),
        [a, b] => format!(", {} and {}", said(a), said(b)),
        [a, b, ..] if (a.1 + b.1) * 2 > total => {
            format!(", mostly {} and {}", said(a), said(b))
        }
        _ => {
            let mut named: Vec<String> = kinds.iter().take(3).map(said).collect();
            if kinds.len() > 3 {
                named.push("more".to_string());
            }
            format!(", a mix of {}", list(&named))
        }
    }
}

/// A folder as a sentence names it: `.` is the top level.
fn folder_name(path: &str) -> String {
    if path == "." {
        "top-level files".to_string()
    } else {
        inline(path)
    }
}

/// The kinds of work with commits, most first (ties in the facts' order).
fn kinds(c: &Conventional) -> Vec<(&'static str, u64)> {
    let mut v: Vec<(&'static str, u64)> = [
        ("feat", c.feat),
        ("fix", c.fix),
        ("perf", c.perf),
        ("refactor", c.refactor),
        ("docs", c.docs),
        ("test", c.test),
        ("build", c.build),
        ("ci", c.ci),
        ("chore", c.chore),
        ("other", c.other),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .collect();
    v.sort_by_key(|k| std::cmp::Reverse(k.1));
    v
}

/// How the month compares with the one before, and what kinds of work it held: a few
/// sentences, empty for a quiet month.
pub(super) fn in_context(f: &OrgFacts) -> Vec<String> {
    let o = &f.org;
    let mut out = Vec::new();
    if f.window.kind != "month" || o.commits == 0 {
        return out;
    }
    if let Some(t) = &o.trend {
        let before = month_label(&t.previous);
        let pairs = [
            ("commit", "commits", &t.commits),
            ("author", "authors", &t.authors),
            ("line changed", "lines changed", &t.lines_changed),
            (
                "merged pull request",
                "merged pull requests",
                &t.merged_pull_requests,
            ),
        ];
        let said: Vec<String> = pairs
            .iter()
            .map(|(one, many, c)| {
                format!(
                    "{} against {}",
                    plural(c.current, one, many),
                    num(c.previous)
                )
            })
            .collect();
        let mut s = format!("Against {before}: {}.", list(&said));
        let new: Vec<String> = f
            .repos
            .iter()
            .filter(|r| r.commits > 0)
            .filter(|r| r.trend.as_ref().is_some_and(|t| t.commits.previous == 0))
            .map(|r| inline(&r.name))
            .collect();
        let gone: Vec<String> = f
            .repos
            .iter()
            .filter(|r| r.commits == 0)
            .filter(|r| r.trend.as_ref().is_some_and(|t| t.commits.previous > 0))
            .map(|r| inline(&r.name))
            .collect();
        if !new.is_empty() {
            s.push_str(&format!(
                " Active this month but not in {before}: {}.",
                list(&new)
            ));
        }
        if !gone.is_empty() {
            s.push_str(&format!(
                " Active in {before} but not this month: {}.",
                list(&gone)
            ));
        }
        let mut moved: Vec<(&str, &crate::facts::Change)> = f
            .repos
            .iter()
            .filter_map(|r| Some((r.name.as_str(), &r.trend.as_ref()?.commits)))
            .filter(|(_, c)| c.delta != 0)
            .collect();
        moved.sort_by(|a, b| {
            b.1.delta
                .unsigned_abs()
                .cmp(&a.1.delta.unsigned_abs())
                .then(a.0.cmp(b.0))
        });
        let moved: Vec<String> = moved
            .iter()
            .take(3)
            .map(|(name, c)| {
                format!(
                    "{} ({} against {})",
                    inline(name),
                    plural(c.current, "commit", "commits"),
                    num(c.previous)
                )
            })
            .collect();
        if !moved.is_empty() {
            s.push_str(&format!(
                " The largest changes by repository: {}.",
                list(&moved)
            ));
        }
        out.push(s);
    }
    let kinds: Vec<String> = kinds(&o.conventional)
        .into_iter()
        .map(|(k, n)| format!("{} {}", num(n), counted_noun(k, n)))
        .collect();
    if !kinds.is_empty() {
        let verb = if o.non_merge_commits == 1 {
            "was"
        } else {
            "were"
        };
        let mut s = format!(
            "The month's {} {verb} {}",
            plural(o.non_merge_commits, "non-merge commit", "non-merge commits"),
            list(&kinds)
        );
        if o.merge_commits > 0 {
            s.push_str(&format!(
                ", beside {}",
                plural(o.merge_commits, "merge commit", "merge commits")
            ));
        }
        s.push('.');
        let days = o.per_day.iter().filter(|d| d.commits > 0).count() as u64;
        if !o.per_day.is_empty() {
            s.push_str(&format!(
                " Commits landed on {} of its {} days.",
                num(days),
                num(o.per_day.len() as u64)
            ));
        }
        out.push(s);
    }
    let mut folders: Vec<(&str, &crate::facts::Hotspot)> = f
        .repos
        .iter()
        .flat_map(|r| r.hotspots.folders.iter().map(move |h| (r.name.as_str(), h)))
        .filter(|(_, h)| h.churn > 0)
        .collect();
    folders.sort_by(|a, b| b.1.churn.cmp(&a.1.churn).then(a.0.cmp(b.0)));
    // A folder in repositories that share history is one folder: named once.
    let mut seen: Vec<&str> = Vec::new();
    folders.retain(|(_, h)| {
        let new = !seen.contains(&h.path.as_str());
        seen.push(&h.path);
        new
    });
    let mut previous = "";
    let named: Vec<String> = folders
        .iter()
        .take(5)
        .map(|(repo, h)| {
            let whose = if *repo == previous {
                String::new()
            } else {
                format!("{}'s ", inline(repo))
            };
            previous = repo;
            format!(
                "{whose}{} ({} in {})",
                folder_name(&h.path),
                plural(h.churn, "line", "lines"),
                plural(h.commits, "commit", "commits")
            )
        })
        .collect();
    if !named.is_empty() {
        out.push(format!("The code changed most in {}.", list(&named)));
    }
    out
}

/// A repository's month in a sentence: the weeks and days it was active and its most active
/// people ("Active in week 46, on 7 days. Commits by …"); empty for other windows.
pub(super) fn repo_note(f: &OrgFacts, r: &crate::facts::RepoFacts) -> String {
    if f.window.kind != "month" || r.commits == 0 {
        return String::new();
    }
    let active: Vec<&crate::facts::DayActivity> =
        r.per_day.iter().filter(|d| d.commits > 0).collect();
    let weeks: Vec<String> = f
        .org
        .weeks
        .iter()
        .filter(|w| {
            active
                .iter()
                .any(|d| d.date >= w.first_day && d.date <= w.last_day)
        })
        .map(|w| week_name(w).0)
        .collect();
    let mut s = String::new();
    if !weeks.is_empty() {
        s.push_str(&format!(
            "Active in {}, on {}.",
            list(&weeks),
            plural(active.len() as u64, "day", "days")
        ));
    }
    let people: Vec<String> = r
        .authors
        .iter()
        .filter(|a| a.is_person())
        .take(4)
        .map(|a| format!("{} ({})", inline(&a.name), num(a.commits)))
        .collect();
    let all = r.authors.iter().filter(|a| a.is_person()).count();
    if people.len() > 1 {
        let more = if all > people.len() {
            ", among others"
        } else {
            ""
        };
        s.push_str(&format!(" Commits by {}{more}.", list(&people)));
    }
    let folders: Vec<String> = r
        .hotspots
        .folders
        .iter()
        .filter(|h| h.churn > 0)
        .take(3)
        .map(|h| {
            let lines = plural(h.churn, "line", "lines");
            format!("{} ({lines})", folder_name(&h.path))
        })
        .collect();
    if !folders.is_empty() {
        s.push_str(&format!(" Most lines changed in {}.", list(&folders)));
    }
    s.trim_start().to_string()
}

/// What `n` commits of a conventional type are called in a count ("12 fixes").
fn counted_noun(kind: &str, n: u64) -> &'static str {
    let one = n == 1;
    match kind {
        "feat" if one => "feature",
        "feat" => "features",
        "fix" if one => "fix",
        "fix" => "fixes",
        "perf" => "for performance",
        "refactor" if one => "refactoring",
        "refactor" => "refactorings",
        "docs" => "on documentation",
        "test" => "on tests",
        "build" => "on the build and dependencies",
        "ci" => "on continuous integration",
        "chore" => "for maintenance",
        _ if one => "other change",
        _ => "other changes",
    }
}

/// "October" for `2025-10` (the month just before needs no year); the label itself otherwise.
fn month_label(label: &str) -> String {
    match label.split_once('-').map(|(_, m)| m.parse::<i8>()) {
        Some(Ok(m)) if (1..=12).contains(&m) => month_name(m),
        _ => inline(label),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(label: &str, first: &str, last: &str) -> WeekFacts {
        WeekFacts {
            week: label.into(),
            first_day: first.into(),
            last_day: last.into(),
            commits: 0,
            active_repos: 0,
            people: 0,
            agents: 0,
            bots: 0,
            top_people: Vec::new(),
            first_time_contributors: Vec::new(),
            merged_pull_requests: 0,
            lines_excluding_generated: crate::facts::Lines::default(),
            themes: Vec::new(),
            tags: Vec::new(),
        }
    }

    #[test]
    fn who_names_only_the_kinds_of_author_present() {
        assert_eq!(who(5, 2, 1), "5 people, 2 AI coding agents and 1 bot");
        assert_eq!(who(0, 1, 0), "1 AI coding agent");
        assert_eq!(who(0, 0, 1), "1 bot");
        assert_eq!(who(1, 0, 2), "1 person and 2 bots");
        assert_eq!(who(0, 0, 0), "0 people");
    }

    #[test]
    fn weeks_are_named_by_number_or_by_their_days_when_clipped() {
        let full = week_name(&week("2025-W46", "2025-11-10", "2025-11-16"));
        assert_eq!(full, ("week 46".into(), "Week 46 (10-16 November)".into()));
        let clipped = week_name(&week("2025-W44", "2025-11-01", "2025-11-02"));
        assert_eq!(
            clipped,
            ("1-2 November".into(), "1-2 November (week 44)".into())
        );
        let first = week_name(&week("2026-W01", "2026-01-01", "2026-01-04"));
        assert_eq!(first.0, "1-4 January");
        assert_eq!(month_label("2025-10"), "October");
    }

    #[test]
    fn kinds_of_work_in_words() {
        assert_eq!(kinds_phrase(&[]), "");
        assert_eq!(kinds_phrase(&[("fix", 4)]), ", all fixes");
        assert_eq!(
            kinds_phrase(&[("feat", 8), ("fix", 1), ("docs", 1)]),
            ", mostly features (8)"
        );
        assert_eq!(
            kinds_phrase(&[("refactor", 1), ("test", 1)]),
            ", refactoring (1) and tests (1)"
        );
        assert_eq!(
            kinds_phrase(&[("feat", 4), ("fix", 3), ("docs", 1), ("ci", 1)]),
            ", mostly features (4) and fixes (3)"
        );
        assert_eq!(
            kinds_phrase(&[("feat", 2), ("fix", 2), ("docs", 2), ("ci", 2), ("test", 2)]),
            ", a mix of features (2), fixes (2), documentation (2) and more"
        );
    }
}

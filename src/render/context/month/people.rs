//! Who did what in a month: a line per person, then the people not listed and the AI coding
//! agents and bots in a sentence.

use super::{kinds, theme_phrase};
use crate::facts::{Contribution, OrgFacts};
use crate::render::context::changes::noun;
use crate::render::context::figures::{list, num, plural};
use crate::render::context::{Detail, SUBJECT_CHARS};
use crate::render::escape::{inline, truncate};

/// One line per person (never a bot or agent), most commits first, at most `detail.people`;
/// then one sentence for the people not listed and for the agents and bots.
pub(in crate::render::context) fn who_did_what(
    f: &OrgFacts,
    detail: Detail,
) -> (Vec<String>, String) {
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

#[cfg(test)]
mod tests {
    use super::*;

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

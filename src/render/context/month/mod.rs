//! What only a monthly review tells: the month week by week ([`weeks`]), who did what
//! ([`people`]), and how the month compares with the one before and what each repository's month
//! was ([`overview`]). Every sentence is built from the month's facts; names and subjects are
//! escaped here because the sentences are Markdown.

mod overview;
mod people;
mod weeks;

pub(in crate::render::context) use overview::{in_context, repo_note};
pub(in crate::render::context) use people::who_did_what;
pub(in crate::render::context) use weeks::weeks;

use super::SUBJECT_CHARS;
use super::changes::noun;
use super::figures::{list, plural};
use crate::facts::{Conventional, RepoTheme, Theme};
use crate::render::escape::{inline, truncate};

/// "features in ratatui-testlib's layout (6 commits: “a”, “b”)"; `repo` is how the repository is
/// named: `Some("its")` after a phrase about the same one, `None` to leave it out.
fn theme_phrase(t: &RepoTheme, examples: usize, repo: Option<&str>) -> String {
    let place = match (&t.theme.area, repo) {
        (Some(a), Some(r)) => format!(" in {r} {}", inline(a)),
        (None, Some(r)) if r != "its" => format!(" in {}", r.trim_end_matches("'s")),
        (Some(a), None) => format!(" in {}", inline(a)),
        _ => String::new(),
    };
    let count = plural(t.theme.commits, "commit", "commits");
    format!(
        "{}{place} ({})",
        noun(&t.theme.kind),
        with_examples(count, &t.theme, examples)
    )
}

/// "6 commits: “a”, “b”": a count and up to `examples` of the theme's subjects.
fn with_examples(count: String, theme: &Theme, examples: usize) -> String {
    let said: Vec<String> = theme
        .examples
        .iter()
        .take(examples)
        .map(|e| format!("“{}”", inline(&truncate(e, SUBJECT_CHARS / 2))))
        .collect();
    if said.is_empty() {
        count
    } else {
        format!("{count}: {}", said.join(", "))
    }
}

/// Themes of several repositories in a row, the repository named once per run ("its" after).
/// The same work without an area in several repositories (an "initial import" everywhere) is one
/// phrase: "maintenance in bench, cli and infra (1 commit each: “initial import”)".
fn theme_phrases(themes: &[&RepoTheme], examples: usize) -> Vec<String> {
    let same = |a: &RepoTheme, b: &RepoTheme| a.theme.area.is_none() && a.theme == b.theme;
    let mut previous: Option<&str> = None;
    let mut out = Vec::new();
    for (k, t) in themes.iter().enumerate() {
        if themes[..k].iter().any(|o| same(o, t)) {
            continue;
        }
        let repos: Vec<String> = themes[k..]
            .iter()
            .filter(|o| same(t, o))
            .map(|o| inline(&o.repo))
            .collect();
        if repos.len() > 1 {
            let count = format!("{} each", plural(t.theme.commits, "commit", "commits"));
            out.push(format!(
                "{} in {} ({})",
                noun(&t.theme.kind),
                list(&repos),
                with_examples(count, &t.theme, examples)
            ));
            previous = None;
            continue;
        }
        let name = if previous == Some(t.repo.as_str()) {
            "its".to_string()
        } else {
            format!("{}'s", inline(&t.repo))
        };
        previous = Some(t.repo.as_str());
        out.push(theme_phrase(t, examples, Some(&name)));
    }
    out
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

/// A folder as a sentence names it: `.` is the top level.
fn folder_name(path: &str) -> String {
    if path == "." {
        "top-level files".to_string()
    } else {
        inline(path)
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

    #[test]
    fn the_same_work_in_several_repositories_is_one_phrase() {
        let theme = |repo: &str, kind: &str, area: Option<&str>| RepoTheme {
            repo: repo.into(),
            theme: Theme {
                kind: kind.into(),
                area: area.map(String::from),
                commits: 1,
                examples: vec!["initial import".into()],
            },
        };
        let themes = [
            theme("bench", "chore", None),
            theme("cli", "chore", None),
            theme("cli", "feat", Some("cmd")),
            theme("web", "feat", Some("cmd")),
            theme("web", "chore", None),
        ];
        let refs: Vec<&RepoTheme> = themes.iter().collect();
        assert_eq!(
            theme_phrases(&refs, 1),
            [
                "maintenance in bench, cli and web (1 commit each: “initial import”)",
                "features in cli's cmd (1 commit: “initial import”)",
                "features in web's cmd (1 commit: “initial import”)",
            ]
        );
    }
}

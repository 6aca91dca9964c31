//! The story of a period: what each repository built, fixed, released and changed, told from
//! the period's own texts (release names, pull-request titles, commit subjects, paths). Each
//! model sentence cites the items it comes from; it is accepted only when every citation is an
//! item of that repository's period and the specific terms it uses occur in the cited texts.

use std::collections::{BTreeSet, HashSet};

use super::scan::{Tok, scan};
use super::words;
use crate::facts::{RepoFacts, classify};

/// Items shown to the model per repository (the top ones by kind: releases, breaking changes,
/// pull requests, notable commits).
pub(super) const MAX_ITEMS: usize = 10;
/// Releases among them: a tag name alone says little, and a busy period has dozens.
const MAX_RELEASES: usize = 2;

/// The releases worth an item: the most significant (major, then minor, then the rest), the
/// latest first among equals; in the period's order.
fn releases(tags: &[String]) -> Vec<&String> {
    use crate::render::context::releases::level;
    let mut ranked: Vec<(usize, &String)> = tags.iter().enumerate().collect();
    ranked.sort_by_key(|(i, t)| (level(t), std::cmp::Reverse(*i)));
    ranked.truncate(MAX_RELEASES);
    ranked.sort_by_key(|(i, _)| *i);
    ranked.into_iter().map(|(_, t)| t).collect()
}

/// One citable thing of a repository's period.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Item {
    /// What the model writes to cite it: `#12`, a 7-character commit id, or a tag.
    pub cite: String,
    /// Its text: a title, subject or release name.
    pub text: String,
    /// Where it lives, when the repository has a web address.
    pub link: Option<String>,
}

impl Item {
    /// The group it is listed in: its area (a conventional scope, lowercase) and kind, as far
    /// as its text names them.
    fn group(&self) -> (Option<String>, Option<&'static str>) {
        let first = self.text.split("; ").next().unwrap_or_default();
        let area = classify::scope_and_description(first)
            .0
            .map(str::to_lowercase);
        (area, kind_word(first))
    }

    /// How the model sees it: its citation and its descriptions without the conventional
    /// header (`[#12] add the parser`); the header goes to its group.
    fn shown(&self) -> String {
        let said: Vec<&str> = self
            .text
            .split("; ")
            .map(|t| classify::scope_and_description(t).1)
            .collect();
        format!("[{}] {}", self.cite, said.join("; "))
    }
}

/// A subject's conventional type as a group name (`None`: not conventional).
fn kind_word(text: &str) -> Option<&'static str> {
    let header = classify::conventional(text)?;
    if header.breaking {
        return Some("breaking changes");
    }
    Some(match classify::kind_of(Some(header)) {
        "feat" => "features",
        "fix" => "fixes",
        "perf" => "performance",
        "refactor" => "refactoring",
        "docs" => "documentation",
        "test" => "tests",
        "build" => "build",
        "ci" => "CI",
        "chore" => "maintenance",
        _ => return None,
    })
}

/// Whether a sentence only repeats an item's description (its words in its order, the
/// header and a final stop aside): a title, not a sentence of what was done.
pub(super) fn repeats_an_item(sentence: &str, items: &[&Item]) -> bool {
    let norm = |t: &str| -> String {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let said = norm(sentence);
    items.iter().any(|i| {
        i.text
            .split("; ")
            .any(|t| norm(classify::scope_and_description(t).1) == said)
    })
}

/// Whether a sentence carries a conventional-commit header (`feat(api): …`), a title copied
/// rather than told.
pub(super) fn copies_a_header(sentence: &str) -> bool {
    sentence
        .split(['.', ';'])
        .any(|part| classify::conventional(part.trim()).is_some())
}

/// The citable items of a repository's period, most telling first, and every text of the
/// period (items beyond the cap, theme examples, hot paths) for the term check.
pub(super) struct Story {
    pub items: Vec<Item>,
    /// Lowercase stems of every word and identifier in the period's texts.
    pub terms: HashSet<String>,
}

impl Story {
    pub fn of(r: &RepoFacts) -> Story {
        let url = r
            .url
            .as_deref()
            .map(|u| u.trim_end_matches('/').to_string());
        let mut items: Vec<Item> = Vec::new();
        let mut push = |cite: String, text: &str, link: Option<String>| {
            let text = strip_pr_suffix(text.trim());
            let text = crate::render::escape::truncate(text, 120);
            if text.is_empty() {
                return;
            }
            match items.iter_mut().find(|i| i.cite == cite) {
                Some(i) if !i.text.contains(&text) => i.text = format!("{}; {text}", i.text),
                Some(_) => {}
                None => items.push(Item { cite, text, link }),
            }
        };
        let gh = r.github.as_ref();
        for t in releases(&r.tags) {
            let name = gh
                .and_then(|g| g.releases.iter().find(|x| &x.tag == t))
                .and_then(|x| x.name.clone())
                .filter(|n| n != t);
            let text = match name {
                Some(n) => format!("release {t} \"{n}\""),
                None => format!("release {t}"),
            };
            let link = url.as_ref().map(|u| format!("{u}/releases/tag/{t}"));
            push(t.clone(), &text, link);
        }
        let commit = |id: &str| {
            let short = id[..id.len().min(7)].to_string();
            let link = url.as_ref().map(|u| format!("{u}/commit/{id}"));
            (short, link)
        };
        let pr = |n: u64| url.as_ref().map(|u| format!("{u}/pull/{n}"));
        for b in &r.breaking_changes {
            let (cite, link) = commit(&b.id);
            push(cite, &b.subject, link);
        }
        if let Some(g) = gh {
            for p in &g.pull_requests_merged {
                push(format!("#{}", p.number), &p.title, Some(p.url.clone()));
            }
        }
        for d in &r.pull_requests.details {
            if let Some(title) = &d.title {
                push(
                    format!("#{}", d.number),
                    title,
                    d.url.clone().or(pr(d.number)),
                );
            }
        }
        for c in &r.notable_commits {
            let (cite, link) = match c.pull_request {
                Some(n) => (format!("#{n}"), pr(n)),
                None => commit(&c.id),
            };
            push(cite, &c.subject, link);
        }
        let mut terms = HashSet::new();
        for i in &items {
            terms.extend(terms_of(&i.text).into_iter().chain(terms_of(&i.cite)));
        }
        for t in &r.themes {
            terms.extend(terms_of(t.area.as_deref().unwrap_or_default()));
            for e in &t.examples {
                terms.extend(terms_of(e));
            }
        }
        for h in &r.hotspots.paths {
            terms.extend(terms_of(&h.path));
        }
        terms.extend(terms_of(&r.name));
        items.truncate(MAX_ITEMS);
        Story { items, terms }
    }

    pub fn item(&self, cite: &str) -> Option<&Item> {
        let c = cite
            .trim()
            .trim_start_matches(['[', '('])
            .trim_end_matches([']', ')']);
        self.items.iter().find(|i| i.cite.eq_ignore_ascii_case(c))
    }

    /// The prompt's list of the first `cap` items, grouped by area and kind in order of first
    /// mention: `server (features): [#12] request IDs | [1a2b3c4] graceful shutdown`.
    pub fn lines(&self, cap: usize) -> Vec<String> {
        type Group = (Option<String>, Option<&'static str>);
        let mut groups: Vec<(Group, Vec<String>)> = Vec::new();
        for i in self.items.iter().take(cap) {
            let g = i.group();
            match groups.iter_mut().find(|(k, _)| *k == g) {
                Some((_, shown)) => shown.push(i.shown()),
                None => groups.push((g, vec![i.shown()])),
            }
        }
        groups
            .into_iter()
            .map(|((area, kind), shown)| {
                let name = match (area, kind) {
                    (Some(a), Some(k)) => format!("{a} ({k}): "),
                    (Some(a), None) => format!("{a}: "),
                    (None, Some(k)) => format!("{k}: "),
                    (None, None) => String::new(),
                };
                format!("{name}{}", shown.join(" | "))
            })
            .collect()
    }
}

/// A subject without its trailing `(#N)` (the citation says it).
fn strip_pr_suffix(text: &str) -> &str {
    match text.rfind(" (#") {
        Some(i)
            if text.ends_with(')')
                && text[i + 3..text.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
        {
            &text[..i]
        }
        _ => text,
    }
}

/// Words every account of work may use without a source: the report's own vocabulary, and the
/// verbs and nouns of describing changes.
const GENERIC: &str = "
    add adds introduce introduces introducing improve improves improved improving update updates
    updated updating support supports supported supporting allow allows allowed enable enables
    enabled make makes making handle handles handled handling remove removes removed removing
    rework reworked rewrite rewrote rewritten refactor refactored tidy tidied clean cleaned
    correct corrected ensure ensures ensured provide provides provided providing extend extended
    expand expanded bump bumped upgrade upgraded now also new newer better faster simpler
    clearer cleaner several various number set sets theme themes area areas fixed fixing
    change changed changing version versions tagged tag tags pull request requests commit
    commits repository repositories week month day period work team landed land lands
    delivered delivers deliver ship ships shipped saw see sees got gets get brought bring brings
    received receives receive went goes along including included includes include across
    users user code project projects their them they its this that these those with without
    into onto from over under between while when where which who what how first second
    thing things piece pieces part parts process processes implement implements
    implemented implementing
    last latest initial release releases released continued continues continue further plus
    run runs running ran use uses used using setup start starts started feature features
    able way ways place step steps
";

fn is_generic(w: &str) -> bool {
    static S: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    S.get_or_init(|| GENERIC.split_whitespace().collect())
        .contains(w)
        || words::is_common(w)
        || words::is_built_in(w)
        || words::is_repo_stop(w)
}

/// A word's stem for matching: lowercase, without a plural, tense or agent ending, nor a final
/// `e` (`parsers`, `parsing`, `parse`: `pars`; `caches`, `caching`: `cach`).
pub(super) fn stem(w: &str) -> String {
    let mut w = w.to_lowercase();
    for suffix in ["ing", "ers", "er", "ed", "es", "s"] {
        if w.chars().count() >= suffix.len() + 3
            && let Some(s) = w.strip_suffix(suffix)
        {
            w = s.to_string();
            break;
        }
    }
    if w.chars().count() > 3 && w.ends_with('e') {
        w.pop();
    }
    w
}

/// Stems of every word, and every identifier or version with its parts, in `text`.
pub(super) fn terms_of(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in scan(text) {
        match t.tok {
            Tok::Word(w) => {
                out.insert(stem(&w));
            }
            Tok::Ident(s) | Tok::Version(s) | Tok::Hex(s) | Tok::Handle(s) => {
                for part in s.split(|c: char| !c.is_alphanumeric()) {
                    if !part.is_empty() {
                        out.insert(stem(part));
                    }
                }
                out.insert(s.to_lowercase());
            }
            _ => {}
        }
    }
    out
}

/// The specific terms a sentence uses: words and identifiers that are not the ordinary words
/// of describing work. Each must come from the texts.
pub(super) fn specific_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in scan(text) {
        let term = match t.tok {
            Tok::Word(w) => {
                let l = w.to_lowercase();
                if l.chars().count() < 3 || is_generic(&l) || is_generic(&stem(&l)) {
                    continue;
                }
                l
            }
            Tok::Ident(s) | Tok::Version(s) => s.to_lowercase(),
            _ => continue,
        };
        if !out.contains(&term) {
            out.push(term);
        }
    }
    out
}

/// Whether `term` (from [`specific_terms`]) occurs among `stems`.
pub(super) fn occurs(term: &str, stems: &HashSet<String>) -> bool {
    stems.contains(term)
        || stems.contains(&stem(term))
        || (term.contains(|c: char| !c.is_alphanumeric())
            && term
                .split(|c: char| !c.is_alphanumeric())
                .filter(|p| !p.is_empty())
                .all(|p| stems.contains(&stem(p)) || stems.contains(p)))
}

/// Why one cited sentence about `repo` is not grounded in its story (empty: it is).
pub(super) fn check_sentence(
    repo: &str,
    story: &Story,
    text: &str,
    refs: &[String],
) -> Vec<String> {
    let mut why = Vec::new();
    if refs.is_empty() {
        why.push(format!(
            "\"{text}\": cite the items it comes from in \"refs\""
        ));
        return why;
    }
    let mut cited: HashSet<String> = HashSet::new();
    for r in refs {
        match story.item(r) {
            Some(i) => {
                cited.extend(terms_of(&i.text));
                cited.extend(terms_of(&i.cite));
            }
            None => why.push(format!("\"{r}\" is not an item of {repo} in this period")),
        }
    }
    if !why.is_empty() {
        return why;
    }
    cited.extend(terms_of(repo));
    for term in specific_terms(text) {
        if occurs(&term, &cited) {
            continue;
        }
        if occurs(&term, &story.terms) {
            why.push(format!(
                "\"{term}\" is not in the items cited ({}); cite the item that names it",
                refs.join(", ")
            ));
        } else {
            why.push(format!(
                "\"{term}\" does not occur in {repo}'s texts for this period"
            ));
        }
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(items: &[(&str, &str)]) -> Story {
        let items: Vec<Item> = items
            .iter()
            .map(|(c, t)| Item {
                cite: c.to_string(),
                text: t.to_string(),
                link: None,
            })
            .collect();
        let mut terms = HashSet::new();
        for i in &items {
            terms.extend(terms_of(&i.text));
        }
        Story { items, terms }
    }

    #[test]
    fn a_sentence_is_checked_against_the_items_it_cites() {
        let s = story(&[
            ("#12", "feat(stdlib): add the collections module"),
            ("v0.4.0", "release v0.4.0 \"Package manager\""),
        ]);
        let refs = |r: &[&str]| r.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(
            check_sentence(
                "fsrs",
                &s,
                "A new collections module landed in the stdlib.",
                &refs(&["#12"])
            )
            .is_empty()
        );
        assert!(
            check_sentence(
                "fsrs",
                &s,
                "Release v0.4.0 brought the package manager.",
                &refs(&["v0.4.0"])
            )
            .is_empty()
        );
        let wrong_cite =
            check_sentence("fsrs", &s, "The package manager arrived.", &refs(&["#12"]));
        assert!(
            wrong_cite[0].contains("not in the items cited"),
            "{wrong_cite:?}"
        );
        let invented = check_sentence("fsrs", &s, "Kubernetes support landed.", &refs(&["#12"]));
        assert!(invented[0].contains("does not occur"), "{invented:?}");
        let no_item = check_sentence("fsrs", &s, "The collections module.", &refs(&["#99"]));
        assert!(no_item[0].contains("not an item"), "{no_item:?}");
        assert!(!check_sentence("fsrs", &s, "The collections module.", &[]).is_empty());
    }

    #[test]
    fn items_are_listed_by_area_and_kind_without_their_headers() {
        let s = story(&[
            ("#120", "feat(server): request IDs in every log line"),
            ("a1b2c3d", "fix(store): retry serialization failures"),
            ("v1.0.0", "release v1.0.0"),
            ("d4e5f6a", "feat(server): graceful shutdown"),
            ("b7c8d9e", "plain subject"),
        ]);
        assert_eq!(
            s.lines(10),
            vec![
                "server (features): [#120] request IDs in every log line | [d4e5f6a] graceful shutdown",
                "store (fixes): [a1b2c3d] retry serialization failures",
                "[v1.0.0] release v1.0.0 | [b7c8d9e] plain subject",
            ]
        );
        assert_eq!(
            s.lines(2),
            vec![
                "server (features): [#120] request IDs in every log line",
                "store (fixes): [a1b2c3d] retry serialization failures",
            ]
        );
    }

    #[test]
    fn a_copied_header_is_not_a_sentence() {
        assert!(copies_a_header("fix: optional fields default to None"));
        assert!(copies_a_header("Done. feat(api): batch 5"));
        assert!(!copies_a_header("Optional fields now default to None."));
        assert!(!copies_a_header("Work landed on CI: deploy api v2."));
    }

    #[test]
    fn a_repeated_title_is_not_a_sentence() {
        let s = story(&[("4a50baf", "ci: canary stage before full rollout")]);
        let cited: Vec<&Item> = s.items.iter().collect();
        assert!(repeats_an_item("Canary stage before full rollout.", &cited));
        assert!(repeats_an_item("canary stage, before full rollout", &cited));
        assert!(!repeats_an_item(
            "Added a canary stage before full rollout.",
            &cited
        ));
    }

    #[test]
    fn the_most_significant_releases_are_kept_in_order() {
        let tags: Vec<String> = ["v0.5.8-rc.1", "v0.6.0", "v0.6.1", "v1.0.0", "v1.0.1"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(releases(&tags), vec!["v0.6.0", "v1.0.0"]);
        let patches: Vec<String> = ["v0.1.1", "v0.1.2", "v0.1.3"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(releases(&patches), vec!["v0.1.2", "v0.1.3"]);
    }

    #[test]
    fn forms_of_a_word_share_a_stem() {
        for (a, b) in [
            ("parsers", "parsing"),
            ("parse", "parser"),
            ("caches", "caching"),
            ("routes", "route"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} {b}");
        }
    }

    #[test]
    fn generic_words_and_capitals_need_no_source() {
        assert!(specific_terms("Meanwhile, the team also improved things.").is_empty());
        assert_eq!(
            specific_terms("Added src/lexer.rs support"),
            vec!["src/lexer.rs"]
        );
    }
}

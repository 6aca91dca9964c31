//! The pages `sparky build` writes, read the way Quartz reads them (the conformance harness):
//! every page parses with the intended title, date and tags, and hostile git history reaches
//! the reader as literal text, with no element, link or Obsidian construct Sparky did not intend.

use std::path::Path;

use crate::scenarios::build;
use crate::support::Sparky;
use crate::support::quartz::harness;

/// Elements Sparky's own templates produce.
const ALLOWED: &[&str] = &[
    "p",
    "h2",
    "h3",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "img",
    "br",
    "code",
    "blockquote",
];

pub(crate) fn check_site(content: &Path, what: &str) -> usize {
    let Some(h) = harness() else { return 0 };
    let pages = h.check(content);
    assert!(!pages.is_empty(), "{what}: no pages checked");
    for (file, page) in &pages {
        let source = std::fs::read_to_string(content.join(file)).expect("page source");
        let ctx = format!("{what}: {file}");
        assert_eq!(page["ok"], true, "{ctx}: does not parse: {page}");
        assert_eq!(page["h1_in_body"], false, "{ctx}: H1 in body");
        assert_eq!(page["title_from_frontmatter"], true, "{ctx}: title");
        assert_eq!(page["date_valid"], true, "{ctx}: date");
        // What Quartz reads is what Sparky's strict parser reads: the intended values.
        let (fm, _) =
            sparky::render::frontmatter::parse(&source).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let intended = fm
            .to_front_matter()
            .unwrap_or_else(|e| panic!("{ctx}: {e:?}"));
        assert_eq!(
            page["title"].as_str(),
            Some(intended.title.as_str()),
            "{ctx}: title"
        );
        assert_eq!(
            page["description"].as_str(),
            Some(intended.description.as_str()),
            "{ctx}: description"
        );
        assert_eq!(
            page["date"].as_str().map(|d| &d[..10]),
            Some(intended.date.to_string().as_str()),
            "{ctx}: date"
        );
        for element in page["elements"].as_array().expect("elements") {
            let e = element.as_str().expect("element");
            assert!(ALLOWED.contains(&e), "{ctx}: unexpected <{e}>");
        }
        for link in page["links"].as_array().expect("links") {
            let l = link.as_str().expect("link");
            let ours = l.starts_with("blog/") && !l.contains("..")
                || (!l.contains('/') && (l.ends_with(".json") || l.ends_with(".svg")))
                || l.starts_with("https://github.com/");
            assert!(ours, "{ctx}: link Sparky did not make: {l}");
        }
        let ofm = &page["ofm"];
        for construct in [
            "highlights",
            "comments",
            "tags",
            "block_refs",
            "math",
            "arrows",
            "inline_footnotes",
        ] {
            assert_eq!(
                ofm[construct], 0,
                "{ctx}: a {construct} construct fired: {ofm}"
            );
        }
        let own_wikilinks = source.matches("[[").count() as u64;
        assert_eq!(
            ofm["wikilinks"].as_u64(),
            Some(2 * own_wikilinks),
            "{ctx}: wikilinks beyond Sparky's own"
        );
        let partial = source.contains("sparky_partial: true");
        assert_eq!(
            ofm["callouts"].as_u64(),
            Some(2 * u64::from(partial)),
            "{ctx}: callouts"
        );
    }
    pages.len()
}

#[test]
fn demo_site_parses_as_intended_in_quartz() {
    let cwd = tempfile::tempdir().expect("cwd");
    Sparky::new(cwd.path(), &["build", "--include-partial"])
        .env("SPARKY_NOW", "2025-11-19T12:00:00Z")
        .run()
        .success();
    check_site(&cwd.path().join("content"), "demo");
}

#[test]
fn hostile_history_reaches_the_reader_literally() {
    let tmp = build("hostile");
    Sparky::new(tmp.path(), &["build"])
        .env("SPARKY_NOW", "2025-12-01T00:00:00Z")
        .run()
        .success();
    let content = tmp.path().join("content");
    let checked = check_site(&content, "hostile");
    if checked > 0 {
        let week =
            std::fs::read_to_string(content.join("blog/2025/11/week-2025-46.md")).expect("week");
        assert!(
            week.contains("## Largest pieces of work"),
            "the hostile week has content"
        );
    }
}

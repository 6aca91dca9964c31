//! Quartz conformance: pages written with `sparky::render` from the hostile corpus
//! (`fixtures/hostile/strings.txt`) go through a reproduction of Quartz 4.5.2's parsers
//! (`quartz-integration/conformance/check-pages.mjs`, one node process for the whole folder).
//! Every page must parse; title, date, tags and description must come out exactly as the
//! documented neutralisation says; the HTML may hold only the page's own structure; and no
//! Obsidian-flavoured construct may fire. Control pages written *without* the encoding prove the
//! harness does see each hazard.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::date;
use serde_json::Value;
use sparky::render::escape::{code_path, front_matter_text, inline, link, tag_slug};
use sparky::render::frontmatter::{FmValue, FrontMatter, parse};

use crate::support::cli::fixtures_dir;
use crate::support::quartz::harness;

mod differential;

/// The corpus: one string per line; `\n`, `\r` and `\u{HEX}` are escapes, every other backslash
/// is literal; empty lines are skipped.
pub(crate) fn corpus() -> Vec<String> {
    let path = fixtures_dir().join("hostile/strings.txt");
    let text = std::fs::read_to_string(&path).expect("read the hostile corpus");
    text.lines()
        .filter(|l| !l.is_empty())
        .map(unescape)
        .collect()
}

fn unescape(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("\\n") {
            out.push('\n');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("\\r") {
            out.push('\r');
            rest = after;
        } else if let Some((hex, after)) = tail.strip_prefix("\\u{").and_then(|t| t.split_once('}'))
        {
            let code = u32::from_str_radix(hex, 16).expect("hex escape");
            out.push(char::from_u32(code).expect("scalar value"));
            rest = after;
        } else {
            out.push('\\');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// What a reader must see of `inline(s)`: written independently of `escape::neutralize`, from
/// QUARTZ.md step 1 (line endings to LF, control/bidi/BOM/non-characters to U+FFFD, trimmed).
fn reader_sees(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let mapped: String = unified
        .chars()
        .map(|c| match u32::from(c) {
            0..=8 | 0xB..=0x1F | 0x7F..=0x9F | 0x200E | 0x200F | 0x202A..=0x202E => '\u{FFFD}',
            0x2066..=0x2069 | 0xFEFF | 0xFFFE | 0xFFFF => '\u{FFFD}',
            _ => c,
        })
        .collect();
    mapped.trim().to_string()
}

/// Quartz turns straight quotes curly in all text (remark-smartypants); compare without that.
fn unsmart(s: &str) -> String {
    s.replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
}

/// remark-smartypants also turns a run of exactly two backticks into an opening double quote
/// (retext-smartypants `backticks: true`); what the reader sees of `s` once [`unsmart`]ed.
fn smart_backticks(s: &str) -> String {
    let mut out = String::new();
    let mut run = 0;
    for c in s.chars().chain(std::iter::once('\0')) {
        if c == '`' {
            run += 1;
            continue;
        }
        if run == 2 {
            out.push('"');
        } else {
            out.push_str(&"`".repeat(run));
        }
        run = 0;
        out.push(c);
    }
    out.pop();
    out
}

fn url_for(i: usize) -> String {
    format!("https://example.com/acme/sparky/commit/{i:04}")
}

/// The front matter of the page for corpus string `i`: the string in every field.
fn hostile_front_matter(i: usize, s: &str) -> FrontMatter {
    FrontMatter {
        title: s.to_string(),
        description: format!("{s} (description)"),
        date: date(2025, 11, 14),
        tags: vec![s.to_string(), "sparky".into()],
        author: s.to_string(),
        extra: vec![
            ("sparky_hostile".into(), FmValue::String(s.to_string())),
            ("sparky_index".into(), FmValue::Int(i as i64)),
        ],
    }
}

/// The page for corpus string `i`: the string in front matter and in five body contexts.
fn hostile_page(i: usize, s: &str) -> String {
    let text = inline(s);
    let link = link(s, &url_for(i)).expect("http(s) link");
    format!(
        "{}\n{text}\n\n| Context | Value |\n| --- | --- |\n| cell | {text} |\n\n{link}\n\n\
         - {text}\n- second\n\n{}\n",
        hostile_front_matter(i, s).render(),
        code_path(s)
    )
}

/// Pages written without the encoding (or with backslashes only), and what the harness must
/// report for each: evidence that it reproduces each hazard QUARTZ.md describes.
type Control = (&'static str, &'static str, fn(&Value) -> bool);

const FM: &str = "---\ntitle: \"control\"\ndate: 2025-11-14\n---\n";

fn controls() -> Vec<Control> {
    fn ofm(page: &Value, key: &str) -> u64 {
        page["ofm"][key].as_u64().unwrap_or(0)
    }
    fn has(page: &Value, field: &str, item: &str) -> bool {
        page[field]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(item)))
    }
    vec![
        ("wikilink", "[[wikilink]]", |p| ofm(p, "wikilinks") > 0),
        ("wikilink-escaped", "\\[\\[x\\]\\]", |p| {
            ofm(p, "wikilinks") > 0
        }),
        ("tag", "see #BuildInPublic", |p| {
            ofm(p, "tags") > 0 && has(p, "tags", "BuildInPublic")
        }),
        ("tag-escaped", "\\#0000FF", |p| ofm(p, "tags") > 0),
        ("highlight", "==hi==", |p| ofm(p, "highlights") > 0),
        (
            "highlight-script-escaped",
            "\\=\\=\\<script\\>x\\</script\\>\\=\\=",
            |p| ofm(p, "highlights") > 0 && has(p, "elements", "script"),
        ),
        ("comment", "a %%hidden%% b", |p| ofm(p, "comments") > 0),
        ("comment-in-code-span", "`50%% of %%x`", |p| {
            ofm(p, "comments") > 0
        }),
        ("math", "$x^2$", |p| ofm(p, "math") > 0),
        ("script", "<script>alert(1)</script>", |p| {
            has(p, "elements", "script")
        }),
        ("img", "<img src=x onerror=alert(1)>", |p| {
            has(p, "elements", "img")
        }),
        ("arrow", "a -> b", |p| ofm(p, "arrows") > 0),
        ("block-ref", "a paragraph ^blockid", |p| {
            ofm(p, "block_refs") > 0
        }),
        ("callout", "> [!note] callout", |p| ofm(p, "callouts") > 0),
        ("footnote", "a ^[inline] note", |p| {
            ofm(p, "inline_footnotes") > 0
        }),
        ("www", "www.example.com", |p| {
            has(p, "links", "http://www.example.com")
        }),
        ("h1", "# Title again", |p| {
            p["h1_in_body"] == Value::Bool(true)
        }),
    ]
}

#[test]
fn hostile_text_reaches_quartz_readers_literally() {
    let Some(harness) = harness() else { return };
    let strings = corpus();
    assert!(strings.len() >= 100, "corpus too small: {}", strings.len());
    assert!(strings.iter().any(|s| s.chars().count() == 5000));
    let tmp = tempfile::tempdir().expect("temp dir");
    let content = tmp.path().join("content");
    write_pages(&content, &strings);
    let front_matters = differential::pages();
    for (rel, text) in &front_matters {
        write_page(&content, rel, text);
    }
    let pages = harness.check(&content);

    let mut failures = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        let file = format!("hostile/{i:03}.md");
        match pages.get(&file) {
            Some(page) => {
                check_hostile(i, s, page, &mut failures);
                check_strict_reader(i, s, page, &mut failures);
            }
            None => failures.push(format!("{file}: not reported")),
        }
    }
    check_link_page(&pages, &mut failures);
    for (name, body, fired) in controls() {
        let file = format!("control/{name}.md");
        match pages.get(&file) {
            Some(page) if page["ok"] == Value::Bool(true) && fired(page) => {}
            Some(page) => failures.push(format!("{file}: the hazard did not show: {page}")),
            None => failures.push(format!("{file}: not reported ({body:?})")),
        }
    }
    check_front_matter_controls(&pages, &mut failures);
    differential::check(&front_matters, &pages, &mut failures);
    assert!(
        failures.is_empty(),
        "{} conformance failures:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

fn write_page(content: &Path, rel: &str, text: &str) {
    let path = content.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, text).expect("write page");
}

fn write_pages(content: &Path, strings: &[String]) {
    let write = |rel: &str, text: &str| write_page(content, rel, text);
    for (i, s) in strings.iter().enumerate() {
        write(&format!("hostile/{i:03}.md"), &hostile_page(i, s));
    }
    write("links/tricky.md", &format!("{FM}\n{}\n", tricky_link()));
    for (name, body, _) in controls() {
        write(&format!("control/{name}.md"), &format!("{FM}\n{body}\n"));
    }
    write(
        "control/fm-colon.md",
        "---\ntitle: This Week: W47\n---\nx\n",
    );
    write(
        "control/fm-hash.md",
        "---\ntitle: Week #47 report\n---\nx\n",
    );
    write(
        "control/fm-tags.md",
        "---\ntitle: x\ntags: [#sparky]\n---\nx\n",
    );
}

fn check_hostile(i: usize, s: &str, page: &Value, failures: &mut Vec<String>) {
    let mut problems = String::new();
    if page["ok"] != Value::Bool(true) {
        failures.push(format!(
            "hostile/{i:03}.md ({s:?}) failed: {}",
            page["error"]
        ));
        return;
    }
    // Front matter, exactly as the documented neutralisation says.
    let title = front_matter_text(s);
    let shown_title = if title.is_empty() {
        format!("{i:03}")
    } else {
        title.clone()
    };
    let mut tags = vec![tag_slug(s)];
    if tags[0] != "sparky" {
        tags.push("sparky".into());
    }
    expect(&mut problems, "title", &page["title"], shown_title.into());
    expect(
        &mut problems,
        "description",
        &page["description"],
        front_matter_text(&format!("{s} (description)")).into(),
    );
    expect(
        &mut problems,
        "date",
        &page["date"],
        "2025-11-14T00:00:00.000Z".into(),
    );
    expect(&mut problems, "tags", &page["tags"], tags.into());
    expect(
        &mut problems,
        "author",
        &page["frontmatter"]["author"],
        title.clone().into(),
    );
    expect(
        &mut problems,
        "sparky_hostile",
        &page["frontmatter"]["sparky_hostile"],
        title.into(),
    );
    expect(
        &mut problems,
        "sparky_index",
        &page["frontmatter"]["sparky_index"],
        i.into(),
    );
    expect(
        &mut problems,
        "h1_in_body",
        &page["h1_in_body"],
        false.into(),
    );
    // No Obsidian-flavoured construct fired.
    for (key, count) in page["ofm"].as_object().into_iter().flatten() {
        expect(&mut problems, &format!("ofm.{key}"), count, 0.into());
    }
    // Only the page's own structure, attributes and link.
    let seen = reader_sees(s);
    let breaks = seen.matches('\n').count();
    let mut want = BTreeMap::from([
        ("p", 3),
        ("table", 1),
        ("thead", 1),
        ("tbody", 1),
        ("tr", 2),
        ("th", 2),
        ("td", 2),
        ("a", 1),
        ("ul", 1),
        ("li", 2),
        ("code", 1),
    ]);
    if breaks > 0 {
        want.insert("br", 5 * breaks);
    }
    let mut got: BTreeMap<&str, usize> = BTreeMap::new();
    for e in page["elements"].as_array().into_iter().flatten() {
        *got.entry(e.as_str().unwrap_or("?")).or_default() += 1;
    }
    if got != want {
        let _ = write!(problems, "\n  elements: got {got:?}, want {want:?}");
    }
    expect(
        &mut problems,
        "attributes",
        &page["attributes"],
        vec!["a[href]"].into(),
    );
    expect(
        &mut problems,
        "links",
        &page["links"],
        vec![url_for(i)].into(),
    );
    // Each context shows the text literally (quotes aside).
    let texts = |tag: &str| -> Vec<String> {
        let all = page["texts"].as_array().into_iter().flatten();
        all.filter(|t| t["tag"] == tag)
            .map(|t| unsmart(t["text"].as_str().unwrap_or_default()))
            .collect()
    };
    let want_text = smart_backticks(&unsmart(&seen));
    for (context, got) in [
        ("paragraph", texts("p").first().cloned()),
        ("table cell", texts("td").get(1).cloned()),
        ("link text", texts("a").first().cloned()),
        ("list item", texts("li").first().cloned()),
        ("code", texts("code").first().cloned()),
    ] {
        if got.as_deref() != Some(want_text.as_str()) {
            let _ = write!(problems, "\n  {context}: got {got:?}, want {want_text:?}");
        }
    }
    if !problems.is_empty() {
        failures.push(format!("hostile/{i:03}.md ({s:?}):{problems}"));
    }
}

/// Sparky's own strict reader (`sparky check`) reads the page back to the normalized front
/// matter and the body, and agrees with Quartz's reader on every value.
fn check_strict_reader(i: usize, s: &str, report: &Value, failures: &mut Vec<String>) {
    let file = format!("hostile/{i:03}.md");
    let text = hostile_page(i, s);
    let want = hostile_front_matter(i, s).normalized();
    match parse(&text) {
        Ok((parsed, body)) => {
            if parsed.to_front_matter().as_ref() != Ok(&want) || !body.contains("- second") {
                failures.push(format!("{file}: sparky's reader got {parsed:?}"));
            }
            differential::agree(&file, "", &parsed, report, failures);
        }
        Err(e) => failures.push(format!(
            "{file}: sparky's reader rejected its own page: {e}"
        )),
    }
}

fn expect(problems: &mut String, what: &str, got: &Value, want: Value) {
    if *got != want {
        let _ = write!(problems, "\n  {what}: got {got}, want {want}");
    }
}

/// A destination with every character that could break out of `(…)` or trip a raw pass.
const TRICKY_URL: &str = "https://example.com/a b/(c)/[d]/%%/$x$/==y==/?q=1&amp;r=<2>|`#^id";

fn tricky_link() -> String {
    link("tricky", TRICKY_URL).expect("https link")
}

fn check_link_page(pages: &BTreeMap<String, Value>, failures: &mut Vec<String>) {
    let want =
        "https://example.com/a%20b/%28c%29/%5Bd%5D/%25%25/$x$/==y==/?q=1&amp;r=%3C2%3E%7C%60#%5Eid";
    let Some(page) = pages.get("links/tricky.md") else {
        failures.push("links/tricky.md: not reported".into());
        return;
    };
    let zero = page["ofm"]
        .as_object()
        .into_iter()
        .flatten()
        .all(|(_, v)| v == 0);
    if page["links"] != Value::from(vec![want])
        || !zero
        || page["elements"] != Value::from(vec!["p", "a"])
    {
        failures.push(format!("links/tricky.md ({}): {page}", tricky_link()));
    }
}

fn check_front_matter_controls(pages: &BTreeMap<String, Value>, failures: &mut Vec<String>) {
    let page = |f: &str| pages.get(f).cloned().unwrap_or_default();
    if page("control/fm-colon.md")["ok"] != Value::Bool(false) {
        failures.push("control/fm-colon.md: an unquoted `: ` should fail the parse".into());
    }
    if page("control/fm-hash.md")["title"] != "Week" {
        failures.push("control/fm-hash.md: ` #` should truncate the title".into());
    }
    if page("control/fm-tags.md")["ok"] != Value::Bool(false) {
        failures.push("control/fm-tags.md: `[#sparky]` should fail the parse".into());
    }
}

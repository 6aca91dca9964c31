//! `sparky check` end to end: a demo site and hostile history check clean; each kind of damage
//! to a copy of the demo site is reported as exactly one precise finding (plus the "edited by
//! hand" warning a changed page always gets), with exit code 1.

use std::path::Path;

use crate::scenarios::build;
use crate::support::Sparky;
use crate::support::cli::Run;

const WEEK: &str = "blog/2025/11/week-2025-46.md";

/// The demo organisation built into `dir/content`, the current week included (partial).
fn demo(dir: &Path) {
    Sparky::new(dir, &["build", "--include-partial"])
        .env("SPARKY_NOW", "2025-11-19T12:00:00Z")
        .run()
        .success();
}

fn check(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    Sparky::new(dir, &all).run()
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("content").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Replaces the one occurrence of `from` in page `rel`; returns the 1-based line it is on.
fn tamper(dir: &Path, rel: &str, from: &str, to: &str) -> usize {
    let text = read(dir, rel);
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {rel}");
    let line = line_of(&text, from);
    std::fs::write(dir.join("content").join(rel), text.replacen(from, to, 1)).expect("write");
    line
}

fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    text[..at].matches('\n').count() + 1
}

/// The warning every page changed by hand gets, at its `sparky_hash` line.
fn edited(dir: &Path, rel: &str) -> String {
    let line = line_of(&read(dir, rel), "sparky_hash: ");
    format!(
        "content/{rel}:{line}: edited: edited by hand: the page no longer matches its `sparky_hash` (a warning; an error with --strict)"
    )
}

/// Asserts exit 1 and exactly these finding lines.
fn expect_findings(run: Run, expected: &[String]) {
    let stdout = run.stdout();
    let got: Vec<&str> = stdout.lines().collect();
    assert_eq!(got, expected, "stderr: {}", run.stderr());
    let run = run.expect_code(1);
    assert!(
        run.stderr()
            .contains(&format!("checked 26 pages: {} problems", expected.len())),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_demo_site_checks_clean() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let run = check(dir.path(), &[]).success();
    assert_eq!(run.stdout(), "");
    assert!(
        run.stderr().contains("checked 26 pages: 0 problems"),
        "{}",
        run.stderr()
    );
    // The partial-period callout is Sparky's own, and the partial week was checked.
    assert!(read(dir.path(), "blog/2025/11/week-2025-47.md").contains("> [!warning] In progress"));
}

#[test]
fn hostile_history_checks_clean() {
    let tmp = build("hostile");
    Sparky::new(tmp.path(), &["build"])
        .env("SPARKY_NOW", "2025-12-01T00:00:00Z")
        .run()
        .success();
    let run = check(tmp.path(), &[]);
    assert_eq!(run.stdout(), "", "{}", run.stderr());
    run.success().stderr_has("checked 12 pages: 0 problems");
}

#[test]
fn a_number_the_facts_do_not_hold_is_named_with_its_line() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(dir.path(), WEEK, "17 commits landed", "19 commits landed");
    expect_findings(
        check(dir.path(), &[]),
        &[
            edited(dir.path(), WEEK),
            format!("content/{WEEK}:{line}: number: `19` is not a figure of week-2025-46.json"),
        ],
    );
}

#[test]
fn a_body_h1_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(
        dir.path(),
        WEEK,
        "## Highlights\n",
        "# Title\n\n## Highlights\n",
    );
    expect_findings(
        check(dir.path(), &[]),
        &[
            edited(dir.path(), WEEK),
            format!(
                "content/{WEEK}:{line}: h1: a `# ` heading in the body: Quartz already shows the title as the H1, so it appears twice (use `##`)"
            ),
        ],
    );
}

#[test]
fn a_broken_wikilink_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(
        dir.path(),
        WEEK,
        "[[blog/2025/10/week-2025-44|",
        "[[blog/2025/10/week-2025-41|",
    );
    expect_findings(
        check(dir.path(), &[]),
        &[
            edited(dir.path(), WEEK),
            format!(
                "content/{WEEK}:{line}: wikilink: wikilink `[[blog/2025/10/week-2025-41|2025-W44]]` does not resolve: no `blog/2025/10/week-2025-41.md` in the content folder"
            ),
        ],
    );
}

#[test]
fn untrusted_markup_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(
        dir.path(),
        WEEK,
        "- api tagged",
        "- <script>x</script> [[evil]] ==hi== api tagged",
    );
    let at = |rest: &str| format!("content/{WEEK}:{line}: {rest}");
    expect_findings(
        check(dir.path(), &[]),
        &[
            edited(dir.path(), WEEK),
            at("markup: `==…==` makes a highlight (and `==<tag>==` runs raw HTML)"),
            at(
                "markup: `[[evil]]` is not a wikilink Sparky writes (`[[path|label]]`): text became a link",
            ),
            at("markup: raw HTML `</script>`: Quartz passes it to the reader's browser"),
            at("markup: raw HTML `<script>`: Quartz passes it to the reader's browser"),
            at(
                "wikilink: wikilink `[[evil]]` does not resolve: no `evil.md` in the content folder",
            ),
        ],
    );
}

#[test]
fn a_description_figure_that_differs_from_the_facts_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(
        dir.path(),
        WEEK,
        "description: \"17 commits",
        "description: \"18 commits",
    );
    let rest = "by 4 people across 3 repositories; 2 merged pull requests; 2 tags.";
    // The index pages name only the latest reports (the week after this one), so only the page
    // itself is wrong.
    let expected = [
        format!(
            "content/{WEEK}:{line}: description: description \"18 commits {rest}\" does not match week-2025-46.json: expected \"17 commits {rest}\""
        ),
        edited(dir.path(), WEEK),
    ];
    expect_findings(check(dir.path(), &[]), &expected);
}

#[test]
fn a_missing_facts_file_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    std::fs::remove_file(dir.path().join("content/blog/2025/11/week-2025-46.json")).expect("rm");
    let text = read(dir.path(), WEEK);
    let facts_line = line_of(&text, "sparky_facts: ");
    let link_line = line_of(&text, "](week-2025-46.json)");
    expect_findings(
        check(dir.path(), &[]),
        &[
            format!(
                "content/{WEEK}:{facts_line}: facts: the facts file `week-2025-46.json` does not exist beside the page"
            ),
            format!(
                "content/{WEEK}:{link_line}: link: link `week-2025-46.json` points at a missing file (`blog/2025/11/week-2025-46.json`)"
            ),
        ],
    );
}

#[test]
fn a_bad_date_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(dir.path(), WEEK, "date: 2025-11-16", "date: 2025-11-31");
    let wrong_day = "blog/2025/11/2025-11-12.md";
    let wrong_line = tamper(
        dir.path(),
        wrong_day,
        "date: 2025-11-12",
        "date: 2025-11-13",
    );
    let expected = [
        format!(
            "content/{wrong_day}:{wrong_line}: period: date 2025-11-13 is not the last day of 2025-11-12 (2025-11-12)"
        ),
        edited(dir.path(), wrong_day),
        format!(
            "content/{WEEK}:{line}: front-matter: `2025-11-31` looks like a date but is not a valid one (Quartz cannot read this front matter as intended)"
        ),
        edited(dir.path(), WEEK),
    ];
    expect_findings(check(dir.path(), &[]), &expected);
}

#[test]
fn broken_yaml_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(
        dir.path(),
        WEEK,
        "title: \"This Week in acme (demo) - 2025-W46\"",
        "title: This Week: W46",
    );
    expect_findings(
        check(dir.path(), &[]),
        &[
            format!(
                "content/{WEEK}:{line}: front-matter: an unquoted `: ` inside a value (js-yaml fails on it); double-quote the value (Quartz cannot read this front matter as intended)"
            ),
            edited(dir.path(), WEEK),
        ],
    );
}

#[test]
fn json_output_has_a_stable_shape() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    let line = tamper(dir.path(), WEEK, "17 commits landed", "19 commits landed");
    let run = check(dir.path(), &["--json"]).expect_code(1);
    let doc = run.json();
    assert_eq!(doc["content"], "content");
    assert_eq!(doc["pages"], 26);
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["warnings"], 1);
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2);
    assert_eq!(
        findings[1],
        serde_json::json!({
            "path": format!("content/{WEEK}"),
            "file": WEEK,
            "line": line,
            "kind": "number",
            "severity": "error",
            "message": "`19` is not a figure of week-2025-46.json",
        })
    );
    assert_eq!(findings[0]["kind"], "edited");
    assert_eq!(findings[0]["severity"], "warning");
    let clean = tempfile::tempdir().expect("dir");
    demo(clean.path());
    let doc = check(clean.path(), &["--json"]).success().json();
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["errors"], 0);
}

#[test]
fn edits_by_hand_warn_and_fail_only_with_strict() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    tamper(
        dir.path(),
        WEEK,
        "## Highlights\n",
        "A note from the team.\n\n## Highlights\n",
    );
    let run = check(dir.path(), &[]).success();
    assert_eq!(run.stdout().trim_end(), edited(dir.path(), WEEK));
    run.stderr_has("checked 26 pages: 1 problem (0 errors, 1 warning)");
    let line = line_of(&read(dir.path(), WEEK), "sparky_hash: ");
    let run = check(dir.path(), &["--strict"]).expect_code(1);
    assert_eq!(
        run.stdout().trim_end(),
        format!(
            "content/{WEEK}:{line}: edited: edited by hand: the page no longer matches its `sparky_hash`"
        )
    );
}

#[test]
fn the_content_folder_comes_from_the_flag_the_config_or_the_default() {
    let dir = tempfile::tempdir().expect("dir");
    demo(dir.path());
    std::fs::rename(dir.path().join("content"), dir.path().join("site")).expect("mv");
    // No config and no ./content: a usage error with a hint.
    check(dir.path(), &[])
        .expect_code(2)
        .stderr_has("the content folder")
        .stderr_has("hint: name the Quartz content folder with --content DIR");
    check(dir.path(), &["--content", "site"])
        .success()
        .stderr_has("checked 26 pages");
    std::fs::write(
        dir.path().join("sparky.toml"),
        "[output]\ncontent_dir = \"site\"\n",
    )
    .expect("config");
    let text = std::fs::read_to_string(dir.path().join("site").join(WEEK)).expect("week");
    std::fs::write(dir.path().join("site").join(WEEK), text + "\n# End\n").expect("write");
    let run = check(dir.path(), &[]).expect_code(1);
    assert!(
        run.stdout().contains(&format!("site/{WEEK}:")),
        "paths name the configured folder: {}",
        run.stdout()
    );
    std::fs::write(
        dir.path().join("sparky.toml"),
        "[output]\ncontent_dirr = 1\n",
    )
    .expect("bad");
    check(dir.path(), &[])
        .expect_code(2)
        .stderr_has("content_dirr");
}

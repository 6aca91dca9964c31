//! `sparky build` end to end on the bundled demo organisation: what is written, that every
//! figure equals git's, that reruns change nothing, that human edits survive, dry runs, partial
//! periods, narrowing, context round trips and template overrides.

use std::path::Path;

use crate::scenarios::assert_repo_matches;
use crate::support::cli::arg;
use crate::support::{Sparky, snapshot, truth};

fn demo_build(cwd: &Path, extra: &[&str]) -> crate::support::cli::Run {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    Sparky::new(cwd, &args).run()
}

fn page(cwd: &Path, rel: &str) -> String {
    std::fs::read_to_string(cwd.join("content").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn demo_build_writes_every_report_with_facts_and_indexes() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = demo_build(cwd.path(), &[]).success();
    assert!(
        run.stderr().contains("demo organisation"),
        "{}",
        run.stderr()
    );
    let files = snapshot(&cwd.path().join("content"));
    for rel in [
        "blog/index.md",
        "blog/2025/index.md",
        "blog/2025/11/index.md",
        "blog/2025/10/2025-10-20.md",
        "blog/2025/10/2025-10-20.json",
        "blog/2025/10/week-2025-43.md",
        "blog/2025/11/week-2025-46.md",
        "blog/2025/11/week-2025-46.json",
        "blog/2025/10/october-2025.md",
        "blog/2025/11/november-2025.md",
    ] {
        assert!(
            files.contains_key(rel),
            "{rel} missing; have {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        !files.keys().any(|k| k.contains("2025-11-0")),
        "W45 is quiet: no daily digests for its days"
    );
    for (rel, bytes) in files.iter().filter(|(k, _)| k.ends_with(".md")) {
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(text.starts_with("---\ntitle: \""), "{rel} front matter");
        let body = text.split("\n---\n").nth(1).expect("body");
        assert!(
            !body.lines().any(|l| l.starts_with("# ")),
            "{rel} has an H1 in its body"
        );
        for target in wikilinks(&text) {
            assert!(
                files.contains_key(&format!("{target}.md")),
                "{rel} links to missing [[{target}]]"
            );
        }
    }
    assert!(
        !files.contains_key("blog/2025/11/week-2025-45.md")
            && !files.contains_key("blog/2025/11/week-2025-45.json"),
        "a week without commits gets no page and no facts file"
    );
    let after = page(cwd.path(), "blog/2025/11/week-2025-46.md");
    assert!(
        after.contains("These are the first commits since 2025-W44."),
        "the week after the gap names it: {after}"
    );
}

fn wikilinks(text: &str) -> Vec<String> {
    text.split("[[")
        .skip(1)
        .filter_map(|rest| rest.split_once("]]"))
        .map(|(inner, _)| inner.split('|').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn every_figure_in_a_report_equals_git() {
    let cwd = tempfile::tempdir().expect("cwd");
    demo_build(cwd.path(), &[]).success();
    let bots: Vec<&str> = sparky::config::DEFAULT_BOT_PATTERNS.to_vec();
    let excludes: Vec<&str> = sparky::config::DEFAULT_CHURN_EXCLUDES.to_vec();
    for (file, window) in [
        ("blog/2025/11/week-2025-46.json", "2025-W46"),
        ("blog/2025/10/october-2025.json", "2025-10"),
        ("blog/2025/10/2025-10-29.json", "2025-10-29"),
    ] {
        let facts: serde_json::Value =
            serde_json::from_str(&page(cwd.path(), file)).expect("facts json");
        assert_eq!(facts["window"]["label"], window);
        for repo in facts["repos"].as_array().expect("repos") {
            let name = repo["name"].as_str().expect("name");
            let path = cwd.path().join(".sparky/demo").join(format!("{name}.git"));
            let t = truth::truth(
                &path,
                "HEAD",
                truth::bounds(window, "UTC"),
                false,
                &bots,
                &excludes,
            );
            assert_repo_matches(file, repo, &t);
        }
        // The page states the facts file's headline figures.
        let md = page(cwd.path(), &file.replace(".json", ".md"));
        let commits = facts["org"]["commits"].as_u64().expect("commits");
        assert!(
            md.contains(&format!("| Commits | {commits} |")),
            "{file}: commits row"
        );
        assert!(
            md.contains(&format!("description: \"{commits} commits")),
            "{file}: description"
        );
    }
}

#[test]
fn rerun_changes_nothing_and_writes_nothing() {
    let cwd = tempfile::tempdir().expect("cwd");
    demo_build(cwd.path(), &[]).success();
    let before = snapshot(&cwd.path().join("content"));
    let mtimes: Vec<_> = walkdir::WalkDir::new(cwd.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.metadata().expect("meta").modified().expect("mtime"))
        .collect();
    let run = demo_build(cwd.path(), &[]).success();
    assert!(
        run.stderr().contains("wrote 0 pages") && run.stderr().contains("0 created, 0 changed"),
        "{}",
        run.stderr()
    );
    assert_eq!(snapshot(&cwd.path().join("content")), before);
    let after: Vec<_> = walkdir::WalkDir::new(cwd.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.metadata().expect("meta").modified().expect("mtime"))
        .collect();
    assert_eq!(mtimes, after, "no file was rewritten");
}

#[test]
fn a_human_edit_is_kept_unless_forced() {
    let cwd = tempfile::tempdir().expect("cwd");
    demo_build(cwd.path(), &[]).success();
    let rel = "blog/2025/11/week-2025-46.md";
    let edited =
        page(cwd.path(), rel).replace("## Highlights", "## Highlights\n\nA note from a human.");
    std::fs::write(cwd.path().join("content").join(rel), &edited).expect("edit");
    let run = demo_build(cwd.path(), &[]).expect_code(1);
    assert!(
        run.stderr().contains(&format!("skipped {rel}: edited")),
        "{}",
        run.stderr()
    );
    assert_eq!(page(cwd.path(), rel), edited, "the edit survives");
    demo_build(cwd.path(), &["--force"]).success();
    assert!(
        !page(cwd.path(), rel).contains("A note from a human."),
        "--force rewrites it"
    );
}

#[test]
fn a_file_sparky_did_not_write_is_never_overwritten() {
    let cwd = tempfile::tempdir().expect("cwd");
    let mine = cwd.path().join("content/blog/index.md");
    std::fs::create_dir_all(mine.parent().expect("parent")).expect("mkdir");
    std::fs::write(&mine, "---\ntitle: My blog\n---\nHand-written.\n").expect("write");
    let run = demo_build(cwd.path(), &[]).expect_code(1);
    assert!(
        run.stderr()
            .contains("kept blog/index.md: a page Sparky did not write"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "---\ntitle: My blog\n---\nHand-written.\n"
    );
}

#[test]
fn dry_run_writes_nothing_and_says_what_it_would_do() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = demo_build(cwd.path(), &["--dry-run"]).success();
    assert!(!cwd.path().join("content").exists(), "nothing written");
    assert!(
        run.stdout()
            .contains("would create blog/2025/11/week-2025-46.md"),
        "{}",
        run.stdout()
    );
    assert!(run.stderr().contains("would write"), "{}", run.stderr());
    demo_build(cwd.path(), &[]).success();
    let rel = "blog/2025/11/week-2025-46.md";
    std::fs::write(cwd.path().join("content").join(rel), "changed").expect("edit");
    let run = demo_build(cwd.path(), &["--dry-run", "--force"]).success();
    assert!(
        run.stdout().contains(&format!("would change {rel}")),
        "{}",
        run.stdout()
    );
    assert_eq!(page(cwd.path(), rel), "changed");
}

#[test]
fn window_and_period_narrow_without_pruning_the_rest() {
    let cwd = tempfile::tempdir().expect("cwd");
    demo_build(cwd.path(), &[]).success();
    let before = snapshot(&cwd.path().join("content"));
    demo_build(cwd.path(), &["--window", "2025-W46"]).success();
    demo_build(cwd.path(), &["--period", "month"]).success();
    assert_eq!(snapshot(&cwd.path().join("content")), before);
    let fresh = tempfile::tempdir().expect("cwd");
    demo_build(fresh.path(), &["--period", "week"]).success();
    let files = snapshot(&fresh.path().join("content"));
    assert!(
        files
            .keys()
            .all(|k| k.contains("week-") || k.ends_with("index.md")),
        "{:?}",
        files.keys()
    );
}

#[test]
fn the_period_in_progress_is_marked() {
    let cwd = tempfile::tempdir().expect("cwd");
    // Against the demo, "now" is Wednesday 12 November 2025 at noon.
    let run = Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .env("SPARKY_NOW", "2025-11-12T12:00:00Z")
        .run()
        .success();
    let _ = run;
    let text = page(cwd.path(), "blog/2025/11/week-2025-46.md");
    assert!(
        text.contains("title: \"This Week in acme (demo) - 2025-W46 (in progress)\""),
        "{text}"
    );
    assert!(text.contains("sparky_partial: true"), "{text}");
    assert!(text.contains("> [!warning] In progress"), "{text}");
}

#[test]
fn dumped_context_renders_the_same_body() {
    let cwd = tempfile::tempdir().expect("cwd");
    demo_build(cwd.path(), &[]).success();
    let ctx = demo_build(cwd.path(), &["--window", "2025-W46", "--dump-context"])
        .success()
        .stdout();
    let parsed: serde_json::Value = serde_json::from_str(&ctx).expect("context is JSON");
    assert_eq!(parsed["period"], "2025-W46");
    let file = cwd.path().join("ctx.json");
    std::fs::write(&file, &ctx).expect("write");
    let body = Sparky::new(cwd.path(), &["build", "--from-context", &arg(&file)])
        .run()
        .success()
        .stdout();
    let text = page(cwd.path(), "blog/2025/11/week-2025-46.md");
    let page_body = text
        .splitn(3, "---\n")
        .nth(2)
        .expect("body")
        .trim_start_matches('\n');
    assert_eq!(body, page_body);
}

#[test]
fn ejected_templates_override_the_built_ins() {
    let cwd = tempfile::tempdir().expect("cwd");
    Sparky::new(cwd.path(), &["templates", "eject", "tpl"])
        .run()
        .success();
    assert!(cwd.path().join("tpl/weekly.md").is_file());
    assert!(cwd.path().join("tpl/partials/footer.md").is_file());
    let weekly = cwd.path().join("tpl/weekly.md");
    let text = std::fs::read_to_string(&weekly).expect("read");
    std::fs::write(&weekly, format!("Custom opening.\n{text}")).expect("write");
    let demo = cwd.path().join(".sparky/demo/api.git");
    // A config that reads the demo repositories with the custom templates.
    Sparky::new(cwd.path(), &["build", "--dry-run"])
        .run()
        .success();
    assert!(demo.is_dir());
    std::fs::write(
        cwd.path().join("sparky.toml"),
        "[[repos]]\npath = \".sparky/demo/api.git\"\n\n[output]\ntemplates_dir = \"tpl\"\nsince = \"2025-11-10\"\nperiods = [\"week\"]\n",
    )
    .expect("config");
    Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .run()
        .success();
    assert!(page(cwd.path(), "blog/2025/11/week-2025-46.md").contains("\nCustom opening.\n"));
    std::fs::write(&weekly, "{% if %}").expect("break it");
    let run = Sparky::new(cwd.path(), &["build"]).run().expect_code(2);
    assert!(
        run.stderr().contains("weekly.md") && run.stderr().contains("hint:"),
        "{}",
        run.stderr()
    );
}

#[test]
fn weekly_report_snapshot() {
    let cwd = tempfile::tempdir().expect("cwd");
    demo_build(cwd.path(), &[]).success();
    insta::assert_snapshot!(
        "demo_week_2025_46",
        page(cwd.path(), "blog/2025/11/week-2025-46.md")
    );
    insta::assert_snapshot!(
        "demo_day_2025_10_29",
        page(cwd.path(), "blog/2025/10/2025-10-29.md")
    );
    insta::assert_snapshot!(
        "demo_month_2025_10",
        page(cwd.path(), "blog/2025/10/october-2025.md")
    );
}

#[test]
fn forge_links_come_from_the_remote_url() {
    let mut repo = crate::support::TestRepo::new();
    repo.at("2025-11-03T10:00:00+00:00")
        .commit("chore: before the window", &[("b.txt", "0\n")]);
    repo.at("2025-11-10T10:00:00+00:00")
        .commit("feat: start", &[("a.txt", "1\n")]);
    repo.at("2025-11-11T10:00:00+00:00")
        .commit("feat: parser (#12)", &[("a.txt", "1\n2\n")]);
    repo.tag("v1.0");
    repo.git(&["remote", "add", "origin", "git@github.com:acme/api.git"]);
    let cwd = tempfile::tempdir().expect("cwd");
    let run = Sparky::new(
        cwd.path(),
        &["build", "--repo", &arg(repo.path()), "--window", "2025-W46"],
    )
    .run()
    .success();
    let _ = run;
    let week = page(cwd.path(), "blog/2025/11/week-2025-46.md");
    let head = repo.head();
    for url in [
        format!("https://github.com/acme/api/commit/{head}"),
        "https://github.com/acme/api/pull/12".to_string(),
        "https://github.com/acme/api/releases/tag/v1.0".to_string(),
        "https://github.com/acme/api/compare/".to_string(),
        "(https://github.com/acme/api)".to_string(),
    ] {
        assert!(week.contains(&url), "missing {url} in:\n{week}");
    }
    // No remote on a known forge, no links.
    let plain = tempfile::tempdir().expect("cwd");
    let bare = crate::support::TestRepo::new();
    bare.commit("feat: x", &[("a", "1\n")]);
    Sparky::new(
        plain.path(),
        &[
            "build",
            "--repo",
            &arg(bare.path()),
            "--period",
            "month",
            "--include-partial",
        ],
    )
    .run()
    .success();
    let files = snapshot(&plain.path().join("content"));
    assert!(
        files
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("https://")),
        "no invented links"
    );
}

#[test]
fn daily_digest_across_a_time_zone_boundary_snapshot() {
    let tmp = crate::scenarios::build("tz-boundary");
    std::fs::write(
        tmp.path().join("sparky.toml"),
        "[[repos]]\npath = \"repos/clock\"\n\n[periods]\ntime_zone = \"Europe/Berlin\"\n\n[output]\nsince = \"2025-11-13\"\nperiods = [\"day\"]\n",
    )
    .expect("config");
    Sparky::new(tmp.path(), &["build", "--window", "2025-11-14"])
        .run()
        .success();
    let day = std::fs::read_to_string(tmp.path().join("content/blog/2025/11/2025-11-14.md"))
        .expect("page");
    assert!(
        day.contains("2025-11-14T00:00:00+01:00 (inclusive) to 2025-11-15T00:00:00+01:00"),
        "{day}"
    );
    insta::assert_snapshot!("tz_boundary_day_2025_11_14", day);
}

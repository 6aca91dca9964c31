//! Social drafts end to end: `sparky build` writes them beside the content folder (never in
//! it), safely and idempotently; `sparky social` prints them; `[social]` is strict; snapshots
//! of the demo organisation's drafts.

use std::path::Path;

use crate::support::Sparky;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Files under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            rel.to_string_lossy().into_owned()
        })
        .collect();
    out.sort();
    out
}

/// A folder whose `sparky.toml` reads the demo repositories (materialised by a first dry run)
/// with `extra` appended.
fn configured(extra: &str) -> tempfile::TempDir {
    let cwd = tempfile::tempdir().expect("cwd");
    Sparky::new(cwd.path(), &["build", "--dry-run", "--window", "2025-W46"])
        .run()
        .success();
    let mut config = String::new();
    for name in ["api", "infra", "web"] {
        config.push_str(&format!(
            "[[repos]]\npath = \".sparky/demo/{name}.git\"\n\n"
        ));
    }
    config.push_str(extra);
    std::fs::write(cwd.path().join("sparky.toml"), config).expect("config");
    cwd
}

const SITE: &str = "[output]\norg_name = \"acme\"\nsince = \"2025-10-20\"\nsite_url = \"https://acme.github.io/docs/\"\n\n[social]\nhashtags = [\"#BuildInPublic\", \"dev tools\"]\n";

#[test]
fn build_writes_drafts_beside_the_content_folder_never_in_it() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = Sparky::new(cwd.path(), &["build"]).run().success();
    assert!(run.stderr().contains("social drafts"), "{}", run.stderr());
    let content = listing(&cwd.path().join("content"));
    assert!(
        !content.iter().any(|f| f.contains(".social.")),
        "no draft where Quartz publishes"
    );
    let social = listing(&cwd.path().join("social"));
    let reports: Vec<&String> = content
        .iter()
        .filter(|f| f.ends_with(".md") && !f.ends_with("index.md"))
        .collect();
    assert_eq!(social.len(), 2 * reports.len(), "{social:?}");
    for report in reports {
        let stem = report.strip_suffix(".md").expect("md");
        for ext in ["json", "md"] {
            let file = format!("{stem}.social.{ext}");
            assert!(social.contains(&file), "{file} missing");
        }
    }
    let json: serde_json::Value = serde_json::from_str(&read(
        &cwd.path()
            .join("social/blog/2025/11/week-2025-46.social.json"),
    ))
    .expect("json");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["url"], serde_json::Value::Null);
    assert!(
        json["notes"][0]
            .as_str()
            .expect("note")
            .contains("site_url")
    );

    // A rerun writes nothing; a human edit of a draft is kept unless forced.
    let run = Sparky::new(cwd.path(), &["build"]).run().success();
    assert!(
        run.stderr().contains("wrote 0 pages and 0 social drafts"),
        "{}",
        run.stderr()
    );
    let md = cwd
        .path()
        .join("social/blog/2025/11/week-2025-46.social.md");
    let edited = read(&md).replace("Drafts to review", "Reviewed by Ana. Drafts to review");
    std::fs::write(&md, &edited).expect("edit");
    let run = Sparky::new(cwd.path(), &["build"]).run().expect_code(1);
    assert!(
        run.stderr()
            .contains("skipped social/blog/2025/11/week-2025-46.social.md: edited"),
        "{}",
        run.stderr()
    );
    assert_eq!(read(&md), edited);
    Sparky::new(cwd.path(), &["build", "--force"])
        .run()
        .success();
    assert!(!read(&md).contains("Reviewed by Ana"));
}

#[test]
fn drafts_link_the_page_quartz_serves_and_carry_the_hashtags() {
    let cwd = configured(SITE);
    Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .run()
        .success();
    let json: serde_json::Value = serde_json::from_str(&read(
        &cwd.path()
            .join("social/blog/2025/11/week-2025-46.social.json"),
    ))
    .expect("json");
    let url = "https://acme.github.io/docs/blog/2025/11/week-2025-46";
    assert_eq!(json["url"], url);
    assert_eq!(
        json["hashtags"],
        serde_json::json!(["BuildInPublic", "devTools"])
    );
    for draft in json["drafts"].as_array().expect("drafts") {
        let posts = draft["posts"].as_array().expect("posts");
        let texts: Vec<&str> = posts
            .iter()
            .map(|p| p["text"].as_str().expect("text"))
            .collect();
        assert_eq!(
            texts.iter().filter(|t| t.contains(url)).count(),
            1,
            "{texts:?}"
        );
        assert!(
            texts.concat().contains("#BuildInPublic #devTools"),
            "{texts:?}"
        );
    }
    let markdown = Sparky::new(cwd.path(), &["social", "--window", "2025-W46"])
        .run()
        .success()
        .stdout();
    let file = read(
        &cwd.path()
            .join("social/blog/2025/11/week-2025-46.social.md"),
    );
    assert!(file.ends_with(&markdown), "prints the file's body");
    let printed = Sparky::new(cwd.path(), &["social", "-w", "2025-W46", "--json"])
        .run()
        .success();
    assert_eq!(printed.json(), json);
    insta::assert_snapshot!("social_week_2025_46_with_site_url", markdown);
}

#[test]
fn demo_drafts_snapshot() {
    let cwd = tempfile::tempdir().expect("cwd");
    Sparky::new(cwd.path(), &["build"]).run().success();
    for (name, rel) in [
        (
            "social_demo_week_2025_46",
            "blog/2025/11/week-2025-46.social.md",
        ),
        (
            "social_demo_day_2025_10_29",
            "blog/2025/10/2025-10-29.social.md",
        ),
        (
            "social_demo_month_2025_10",
            "blog/2025/10/october-2025.social.md",
        ),
    ] {
        insta::assert_snapshot!(name, read(&cwd.path().join("social").join(rel)));
    }
}

#[test]
fn a_dry_run_lists_the_drafts_and_writes_none() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = Sparky::new(cwd.path(), &["build", "--dry-run"])
        .run()
        .success();
    assert!(
        run.stdout()
            .contains("would create social/blog/2025/11/week-2025-46.social.json"),
        "{}",
        run.stdout()
    );
    assert!(!cwd.path().join("social").exists());
}

#[test]
fn social_prints_one_report_and_refuses_the_whole_history() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = Sparky::new(cwd.path(), &["social", "--window", "2025-10"])
        .run()
        .success();
    assert!(
        run.stdout().starts_with("# Social drafts for 2025-10\n"),
        "{}",
        run.stdout()
    );
    assert!(
        !cwd.path().join("social").exists(),
        "printing writes no draft"
    );
    let run = Sparky::new(cwd.path(), &["social", "--window", "all"])
        .run()
        .expect_code(2);
    assert!(
        run.stderr().contains("social drafts belong to a report"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_social_folder_inside_the_content_folder_is_refused() {
    let cwd = configured("[social]\ndir = \"content/social\"\n");
    let run = Sparky::new(cwd.path(), &["build"]).run().expect_code(2);
    assert!(
        run.stderr().contains("invalid value for `dir` in [social]")
            && run
                .stderr()
                .contains("Quartz publishes everything under `content`"),
        "{}",
        run.stderr()
    );
    let cwd = configured("[social]\ndir = \"drafts\"\n");
    let run = Sparky::new(cwd.path(), &["build", "--out", "."])
        .run()
        .expect_code(2);
    assert!(
        run.stderr().contains("is inside the content folder")
            && run
                .stderr()
                .contains("hint: Quartz would publish the drafts"),
        "{}",
        run.stderr()
    );
    let cwd = configured("[social]\nenabled = false\n");
    let run = Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .run()
        .success();
    assert!(!cwd.path().join("social").exists());
    assert!(!run.stderr().contains("social drafts"), "{}", run.stderr());
}

#[test]
fn social_config_is_strict() {
    for (text, needle) in [
        (
            "[social]\nhashtag = []\n",
            "unknown key `hashtag` in `[social]`",
        ),
        (
            "[social]\nhashtags = [\"#2025\"]\n",
            "needs at least one letter",
        ),
        ("[social]\nmastodon_limit = 50\n", "from 200 to 100000"),
        ("[social]\nplatforms = []\n", "set `enabled = false`"),
        (
            "[social]\nplatforms = [\"twitter\"]\n",
            "`platforms` accepts",
        ),
        ("[social]\nenabled = \"yes\"\n", "must be a boolean"),
        (
            "[output]\nsite_url = \"https://acme.dev/my docs\"\n",
            "percent-encode",
        ),
        (
            "[output]\nsite_url = \"http://localhost:8080/docs\"\n",
            "a public address",
        ),
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sparky.toml");
        std::fs::write(&path, text).expect("write");
        let err = sparky::config::load(&path).expect_err(text);
        let shown = format!("{err}\nhint: {}", err.hint().unwrap_or_default());
        assert!(shown.contains(needle), "{text}\n{shown}");
        assert!(err.position().is_some(), "{text}: positioned");
    }
    let defaults = sparky::config::DEFAULT_CONFIG;
    for key in [
        "[social]",
        "enabled =",
        "hashtags =",
        "mastodon_limit =",
        "platforms =",
    ] {
        assert!(defaults.contains(key), "default config lacks `{key}`");
    }
}

#[test]
fn drafts_follow_the_content_folder_out_names() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = Sparky::new(
        cwd.path(),
        &["build", "--window", "2025-W46", "--out", "site/content"],
    )
    .run()
    .success();
    assert!(
        cwd.path()
            .join("site/social/blog/2025/11/week-2025-46.social.md")
            .exists(),
        "{}",
        run.stderr()
    );
    assert!(
        !cwd.path().join("social").exists(),
        "nothing lands in the current folder"
    );
}

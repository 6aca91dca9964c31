//! Adoption: the first build on a site that already has pages at Sparky's paths (the real
//! site's old prototype pages) names each page and what to do, blames no repository, leaves
//! the pages and their periods alone; `sparky check` names the cause; `--adopt` takes them over.

use std::path::Path;

use crate::support::cli::fixtures_dir;
use crate::support::{Sparky, snapshot};

const OLD_PAGES: [&str; 2] = ["blog/index.md", "blog/2025/11/week-2025-46.md"];

fn site_with_old_pages() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    for rel in OLD_PAGES {
        let to = dir.path().join("content").join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(fixtures_dir().join("docs-site/content").join(rel), &to).expect("copy");
    }
    dir
}

fn old(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures_dir().join("docs-site/content").join(rel)).expect("fixture")
}

fn build(cwd: &Path, extra: &[&str]) -> crate::support::cli::Run {
    let mut args = vec!["build", "--no-progress"];
    args.extend_from_slice(extra);
    Sparky::new(cwd, &args).run()
}

#[test]
fn the_first_build_names_the_old_pages_and_blames_no_repository() {
    let site = site_with_old_pages();
    let run = build(site.path(), &[]).expect_code(1);
    let err = run.stderr();
    for rel in OLD_PAGES {
        assert!(
            err.contains(&format!("kept {rel}: a page Sparky did not write")),
            "{err}"
        );
        assert_eq!(
            std::fs::read(site.path().join("content").join(rel)).expect("page"),
            old(rel)
        );
    }
    assert!(
        err.contains("no repository failed") && err.contains("--adopt"),
        "{err}"
    );
    assert!(
        err.contains("0 repos failed") && err.contains("2 not Sparky's"),
        "{err}"
    );
    assert!(!err.lines().any(|l| l.starts_with("failed ")), "{err}");
    // Nothing of Sparky's sits beside the old weekly report.
    let files = snapshot(&site.path().join("content"));
    assert!(
        !files.contains_key("blog/2025/11/week-2025-46.json"),
        "{:?}",
        files.keys()
    );
    assert!(
        files.contains_key("blog/2025/11/week-2025-47.md"),
        "other reports are written"
    );

    // `sparky check` passes and names the cause.
    let check = Sparky::new(site.path(), &["check"]).run().success();
    assert!(
        check
            .stdout()
            .contains("blog/2025/11/week-2025-46.md:1: foreign:")
            && check.stdout().contains("--adopt"),
        "{}",
        check.stdout()
    );

    // A rerun changes nothing; `--adopt` takes the pages over, and then all is Sparky's.
    build(site.path(), &[]).expect_code(1);
    build(site.path(), &["--adopt"]).success();
    for rel in OLD_PAGES {
        let now = std::fs::read_to_string(site.path().join("content").join(rel)).expect("page");
        assert!(now.contains("sparky_hash"), "{rel} is Sparky's now");
    }
    build(site.path(), &[]).success();
    let check = Sparky::new(site.path(), &["check"]).run().success();
    assert!(check.stderr().contains("0 problems"), "{}", check.stderr());
}

#[test]
fn adopting_never_overwrites_a_page_of_sparkys_that_a_human_edited() {
    let site = site_with_old_pages();
    build(site.path(), &["--adopt"]).success();
    let page = site.path().join("content/blog/2025/11/week-2025-47.md");
    let edited = std::fs::read_to_string(&page).expect("page") + "\nA note from the team.\n";
    std::fs::write(&page, &edited).expect("edit");
    let run = build(site.path(), &["--adopt"]).expect_code(1);
    assert!(
        run.stderr()
            .contains("skipped blog/2025/11/week-2025-47.md: edited"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read_to_string(&page).expect("page"), edited);
}

//! The cache folder travels: a project folder copied elsewhere (or a CI cache restored on another
//! machine) rebuilds with zero writes, holds no absolute path of the project, and a truncated or
//! foreign cache is detected and rebuilt without rewriting the site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::support::{Sparky, TestRepo, git_in};

const NOW: &str = "2025-12-02T00:00:00Z";

/// Every file under `dir`: bytes and modification time, by relative path.
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            let meta = e.metadata().expect("metadata");
            (
                rel.to_string_lossy().into_owned(),
                (
                    std::fs::read(e.path()).expect("read"),
                    meta.modified().expect("mtime"),
                ),
            )
        })
        .collect()
}

fn source(name: &str) -> TestRepo {
    let mut repo = TestRepo::new();
    repo.at("2025-11-10T09:00:00Z");
    repo.commit(&format!("{name}: start"), &[("README.md", "hello\n")]);
    repo.at("2025-11-12T15:30:00Z");
    repo.commit(&format!("{name}: more"), &[("src/lib.rs", "fn x() {}\n")]);
    repo
}

/// A project folder: `sparky.toml`, a repository inside the folder (read in place) and one
/// outside it (mirrored from a `file://` URL).
fn project(parent: &Path, outside: &TestRepo) -> PathBuf {
    let dir = parent.join("project");
    std::fs::create_dir_all(dir.join("repos")).expect("mkdir");
    let inside = source("web");
    git_in(
        &dir.join("repos"),
        &["clone", "-q", &inside.path().to_string_lossy(), "web"],
    );
    std::fs::write(
        dir.join("sparky.toml"),
        format!(
            "[[repos]]\npath = \"repos/web\"\n\n[[repos]]\nurl = \"{}\"\nname = \"api\"\n\n\
             [output]\nsince = \"2025-11-10\"\n",
            outside.url()
        ),
    )
    .expect("config");
    dir
}

fn build(dir: &Path) -> String {
    Sparky::new(dir, &["build"])
        .env("SPARKY_NOW", NOW)
        .run()
        .success()
        .stderr()
}

#[test]
fn a_project_copied_elsewhere_rebuilds_with_zero_writes() {
    let outside = source("api");
    let first = tempfile::tempdir().expect("first");
    let first_parent = first.path().canonicalize().expect("canonical");
    let dir = project(&first_parent, &outside);
    build(&dir);
    assert!(dir.join(".sparky/mirrors/api.git").is_dir());
    assert!(
        dir.join(".sparky/history")
            .read_dir()
            .expect("history")
            .count()
            >= 2
    );

    let second = tempfile::tempdir().expect("second");
    let second_parent = second.path().canonicalize().expect("canonical");
    let status = std::process::Command::new("cp")
        .args(["-a"])
        .arg(&dir)
        .arg(&second_parent)
        .status()
        .expect("cp");
    assert!(status.success());
    std::fs::remove_dir_all(&dir).expect("remove the original");
    let moved = second_parent.join("project");
    let before = files(&moved);

    let summary = build(&moved);
    assert!(
        summary.contains("0 created, 0 changed") && summary.contains("0 removed"),
        "{summary}"
    );
    let after = files(&moved);
    // A mirror records when it was last fetched (what a stale page says): that time moves.
    let changed: Vec<&String> = after
        .iter()
        .filter(|(rel, _)| !rel.ends_with("/sparky-fetched"))
        .filter(|(rel, v)| before.get(*rel) != Some(v))
        .map(|(rel, _)| rel)
        .collect();
    assert!(
        changed.is_empty(),
        "files written after the move: {changed:?}"
    );
    assert_eq!(before.len(), after.len(), "files appeared or vanished");

    // Nothing in the cache names the project's folder, old or new.
    for parent in [&first_parent, &second_parent] {
        let needle = parent.to_string_lossy().into_owned();
        let holding: Vec<&String> = after
            .iter()
            .filter(|(rel, (bytes, _))| {
                rel.starts_with(".sparky/")
                    && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            })
            .map(|(rel, _)| rel)
            .collect();
        assert!(holding.is_empty(), "{needle} in {holding:?}");
    }
}

#[test]
fn a_truncated_or_foreign_cache_is_rebuilt_without_rewriting_the_site() {
    let outside = source("api");
    let parent = tempfile::tempdir().expect("parent");
    let dir = project(&parent.path().canonicalize().expect("canonical"), &outside);
    build(&dir);
    let output = dir.join(".sparky/output");
    let manifest = std::fs::read_dir(&output)
        .expect("output")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("a manifest");
    let good_manifest = std::fs::read(&manifest).expect("read");
    let history = dir.join(".sparky/history/web.bin");
    let good_history = std::fs::read(&history).expect("read");
    let site = files(&dir.join("content"));

    let foreign = String::from_utf8(good_manifest.clone())
        .expect("utf-8")
        .replacen("\"version\": 1", "\"version\": 999", 1);
    for (manifest_bytes, history_bytes) in [
        (
            good_manifest[..good_manifest.len() / 2].to_vec(),
            good_history[..good_history.len() - 7].to_vec(),
        ),
        (foreign.into_bytes(), b"SPKYHIST".to_vec()),
    ] {
        std::fs::write(&manifest, manifest_bytes).expect("damage");
        std::fs::write(&history, history_bytes).expect("damage");
        let summary = build(&dir);
        assert!(summary.contains("0 created, 0 changed"), "{summary}");
        assert_eq!(
            files(&dir.join("content")),
            site,
            "the site was not rewritten"
        );
        assert_eq!(std::fs::read(&manifest).expect("read"), good_manifest);
        assert_eq!(std::fs::read(&history).expect("read"), good_history);
    }
}

//! Source resolution: URLs versus paths, names, duplicates, `repos_dir` scanning, the CLI
//! replacing the config, and the current-folder fallback.

use std::path::{Path, PathBuf};

use sparky::config::{self, LoadedConfig};
use sparky::source::{self, Location, RepoSpec, SourceError};
use tempfile::TempDir;

use crate::support::{TestRepo, git_in};

/// A canonical temporary folder (the `TempDir` keeps it alive).
fn temp() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().canonicalize().expect("canonical");
    (dir, path)
}

/// `git init` (work tree) at `root/rel`.
fn work_tree(root: &Path, rel: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(&path).expect("mkdir");
    git_in(&path, &["init", "-q"]);
    path
}

/// `git init --bare` at `root/rel`.
fn bare(root: &Path, rel: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(&path).expect("mkdir");
    git_in(&path, &["init", "-q", "--bare"]);
    path
}

fn load_config(dir: &Path, text: &str) -> LoadedConfig {
    let path = dir.join("sparky.toml");
    std::fs::write(&path, text).expect("write config");
    config::load(&path).unwrap_or_else(|e| panic!("config loads: {e}"))
}

fn names(specs: &[RepoSpec]) -> Vec<&str> {
    specs.iter().map(|s| s.name.as_str()).collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

#[test]
fn name_derivation() {
    let table = [
        ("https://github.com/acme/api.git", Some("api")),
        ("https://github.com/acme/api", Some("api")),
        ("https://github.com/acme/api/", Some("api")),
        ("git@github.com:acme/web", Some("web")),
        ("git@github.com:acme/web.git", Some("web")),
        ("host:solo.git", Some("solo")),
        ("ssh://git@host:2222/org/svc.git", Some("svc")),
        ("file:///srv/git/lib.git", Some("lib")),
        ("https://host/org/repo.git?ref=x#frag", Some("repo")),
        ("/x/y/tools/", Some("tools")),
        ("/x/lib.git", Some("lib")),
        ("/x/api/.git", Some("api")),
        ("/x/My Repo (old)", Some("My-Repo--old-")),
        ("/x/.hidden", Some("hidden")),
        ("/", None),
        ("https://host/org/.git", Some("org")),
    ];
    for (source, expected) in table {
        assert_eq!(
            source::derive_name(source).as_deref(),
            expected,
            "name of {source}"
        );
    }
}

#[test]
fn url_or_path() {
    for url in [
        "https://github.com/acme/api",
        "http://host/a",
        "ssh://git@host/a",
        "git://host/a",
        "file:///srv/a.git",
        "git@github.com:acme/web.git",
        "github.com:acme/web",
    ] {
        assert!(source::is_url(url), "{url} is a URL");
    }
    for path in [
        "../api",
        "/srv/api",
        "api",
        "./a:b",
        "dir/x:y",
        "C:\\repos\\api",
        ".",
    ] {
        assert!(!source::is_url(path), "{path} is a path");
    }
}

#[test]
fn cli_values_become_urls_and_canonical_local_paths() {
    let (_tmp, root) = temp();
    let api = work_tree(&root, "api");
    let lib = bare(&root, "lib.git");
    let repos = strings(&[
        "api",
        "lib.git/",
        "https://github.com/acme/web.git",
        "file:///srv/x.git",
    ]);
    let specs = source::resolve(None, &repos, None, &root).expect("resolves");
    assert_eq!(
        specs,
        [
            RepoSpec {
                name: "api".into(),
                location: Location::Local(api),
                branch: None
            },
            RepoSpec {
                name: "lib".into(),
                location: Location::Local(lib),
                branch: None
            },
            RepoSpec {
                name: "web".into(),
                location: Location::Url("https://github.com/acme/web.git".into()),
                branch: None,
            },
            RepoSpec {
                name: "x".into(),
                location: Location::Url("file:///srv/x.git".into()),
                branch: None,
            },
        ]
    );
}

#[test]
fn non_repository_paths_are_errors_with_hints() {
    let (_tmp, root) = temp();
    std::fs::create_dir_all(root.join("plain")).expect("mkdir");
    let api = work_tree(&root, "api");
    std::fs::create_dir_all(api.join("src")).expect("mkdir");

    let cases = [
        ("plain", "a folder holding `.git`"),
        ("missing", "no such folder"),
        ("api/src", "inside the repository"),
    ];
    for (value, hint) in cases {
        let err = source::resolve(None, &strings(&[value]), None, &root).expect_err(value);
        let SourceError::NotARepository { path, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(path.ends_with(value), "{value}: {}", path.display());
        assert!(err.to_string().contains("is not a git repository"), "{err}");
        let got = err.hint().expect("hint");
        assert!(got.contains(hint), "{value}: {got}");
    }

    let err = source::resolve(None, &strings(&["ftp://host/a.git"]), None, &root).expect_err("ftp");
    assert!(matches!(err, SourceError::UnsupportedUrl { .. }), "{err:?}");
}

#[test]
fn config_repos_resolve_relative_to_the_config_folder() {
    let (_tmp, root) = temp();
    let conf = root.join("conf");
    std::fs::create_dir_all(&conf).expect("mkdir");
    let api = work_tree(&root, "api");
    let text = "[[repos]]\npath = \"../api\"\nbranch = \"develop\"\n\n\
                [[repos]]\nurl = \"git@github.com:acme/web.git\"\nname = \"frontend\"\n";
    let loaded = load_config(&conf, text);

    // The working folder does not matter for paths in the config.
    let specs = source::resolve(Some(&loaded), &[], None, Path::new("/")).expect("resolves");
    assert_eq!(
        specs,
        [
            RepoSpec {
                name: "api".into(),
                location: Location::Local(api),
                branch: Some("develop".into()),
            },
            RepoSpec {
                name: "frontend".into(),
                location: Location::Url("git@github.com:acme/web.git".into()),
                branch: None,
            },
        ]
    );
}

#[test]
fn cli_sources_replace_config_sources() {
    let (_tmp, root) = temp();
    work_tree(&root, "configured");
    work_tree(&root, "scanned/one");
    let cli = work_tree(&root, "cli");
    let loaded = load_config(&root, "[[repos]]\npath = \"configured\"\n");

    let specs = source::resolve(Some(&loaded), &strings(&["cli"]), None, &root).expect("cli");
    assert_eq!(
        specs,
        [RepoSpec {
            name: "cli".into(),
            location: Location::Local(cli),
            branch: None
        }]
    );

    let dir = Path::new("scanned");
    let specs = source::resolve(Some(&loaded), &[], Some(dir), &root).expect("cli dir");
    assert_eq!(names(&specs), ["one"]);

    let specs = source::resolve(Some(&loaded), &[], None, &root).expect("config");
    assert_eq!(names(&specs), ["configured"]);
}

#[test]
fn duplicate_names_are_errors() {
    let (_tmp, root) = temp();
    work_tree(&root, "a/api");
    work_tree(&root, "b/api");
    let err = source::resolve(None, &strings(&["a/api", "b/api"]), None, &root).expect_err("dup");
    let SourceError::DuplicateName {
        name,
        first,
        second,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (name.as_str(), first.as_str(), second.as_str()),
        ("api", "a/api", "b/api")
    );
    assert!(
        err.hint().expect("hint").contains("name ="),
        "{:?}",
        err.hint()
    );

    let text = "[[repos]]\npath = \"a/api\"\n\n[[repos]]\nurl = \"https://host/org/api.git\"\n";
    let loaded = load_config(&root, text);
    let err = source::resolve(Some(&loaded), &[], None, &root).expect_err("dup");
    assert!(matches!(&err, SourceError::DuplicateName { name, .. } if name == "api"));

    let text = "[[repos]]\npath = \"a/api\"\n\n[[repos]]\nurl = \"https://host/org/api.git\"\n\
                name = \"api-remote\"\n";
    let loaded = load_config(&root, text);
    let specs = source::resolve(Some(&loaded), &[], None, &root).expect("renamed");
    assert_eq!(names(&specs), ["api", "api-remote"]);
}

#[test]
fn repos_dir_scan_finds_work_trees_and_bare_repositories() {
    let (_tmp, root) = temp();
    let repos = root.join("repos");
    work_tree(&repos, "zeta");
    work_tree(&repos, "group/alpha");
    bare(&repos, "group/beta.git");
    // A repository inside a repository is part of it, not another source.
    work_tree(&repos, "zeta/vendor/inner");
    // Hidden folders, plain folders and too-deep repositories are not sources.
    work_tree(&repos, ".cache/hidden");
    std::fs::create_dir_all(repos.join("notes/drafts")).expect("mkdir");
    std::fs::write(repos.join("notes/README.md"), "not a repo").expect("write");
    work_tree(&repos, "d1/d2/d3/d4/deep");
    // Symlinks are not followed.
    #[cfg(unix)]
    std::os::unix::fs::symlink(repos.join("zeta"), repos.join("link")).expect("symlink");

    let specs = source::resolve(None, &[], Some(Path::new("repos")), &root).expect("scan");
    assert_eq!(names(&specs), ["alpha", "beta", "zeta"]);
    assert_eq!(
        specs[0].location,
        Location::Local(repos.join("group/alpha"))
    );
    assert_eq!(
        specs[1].location,
        Location::Local(repos.join("group/beta.git"))
    );
    assert!(specs.iter().all(|s| s.branch.is_none()));

    let again = source::resolve(None, &[], Some(&repos), Path::new("/")).expect("scan");
    assert_eq!(again, specs, "absolute dir, same result");
}

#[test]
fn repos_dir_and_listed_repositories_combine_without_duplicates() {
    let (_tmp, root) = temp();
    let api = work_tree(&root, "repos/api");
    work_tree(&root, "repos/web");
    let text = "[[repos]]\npath = \"repos/api\"\nname = \"backend\"\nbranch = \"main\"\n\n\
                [sources]\nrepos_dir = \"repos\"\n";
    let loaded = load_config(&root, text);
    let specs = source::resolve(Some(&loaded), &[], None, &root).expect("resolves");
    assert_eq!(names(&specs), ["backend", "web"]);
    assert_eq!(specs[0].location, Location::Local(api));
}

#[test]
fn empty_repos_dir_is_an_error() {
    let (_tmp, root) = temp();
    std::fs::create_dir_all(root.join("empty/plain")).expect("mkdir");
    let err = source::resolve(None, &[], Some(Path::new("empty")), &root).expect_err("empty");
    assert!(matches!(err, SourceError::EmptyReposDir { .. }), "{err:?}");
    assert!(err.hint().is_some());
}

#[test]
fn without_sources_the_current_repository_is_read() {
    let repo = TestRepo::new();
    std::fs::create_dir_all(repo.path().join("src/deep")).expect("mkdir");
    let from_sub = source::resolve(None, &[], None, &repo.path().join("src/deep")).expect("cwd");
    let expected_name = source::derive_name(&repo.path().to_string_lossy()).expect("name");
    assert_eq!(
        from_sub,
        [RepoSpec {
            name: expected_name,
            location: Location::Local(repo.path().to_path_buf()),
            branch: None,
        }]
    );

    // A config without sources falls back too.
    let loaded = load_config(repo.path(), "[periods]\ntime_zone = \"UTC\"\n");
    let specs = source::resolve(Some(&loaded), &[], None, repo.path()).expect("cwd");
    assert_eq!(specs, from_sub);

    let bare = TestRepo::new_bare();
    let specs = source::resolve(None, &[], None, bare.path()).expect("bare cwd");
    assert_eq!(
        specs[0].location,
        Location::Local(bare.path().to_path_buf())
    );
}

#[test]
fn outside_a_repository_without_sources_is_an_error() {
    let (_tmp, root) = temp();
    let err = source::resolve(None, &[], None, &root).expect_err("no repo");
    assert!(matches!(err, SourceError::NoRepository { .. }), "{err:?}");
    let hint = err.hint().expect("hint");
    assert!(
        hint.contains("sparky init") && hint.contains("--repo"),
        "{hint}"
    );
}

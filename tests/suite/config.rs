//! `sparky.toml`: the default file, strict parsing with positioned errors and hints, semantic
//! checks, path resolution, `find` and `init`.

use std::path::{Path, PathBuf};

use sparky::config::{self, Config, ConfigError, DEFAULT_CONFIG, DateField, LoadedConfig};
use tempfile::TempDir;

use crate::support::git_in;

/// A temporary folder with `sparky.toml` holding `text`.
fn write_config(text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sparky.toml");
    std::fs::write(&path, text).expect("write config");
    (dir, path)
}

fn load_ok(text: &str) -> (TempDir, LoadedConfig) {
    let (dir, path) = write_config(text);
    let loaded = config::load(&path).unwrap_or_else(|e| panic!("config loads: {e}\n{text}"));
    (dir, loaded)
}

fn load_err(text: &str) -> ConfigError {
    let (_dir, path) = write_config(text);
    match config::load(&path) {
        Ok(c) => panic!("config should fail:\n{text}\nloaded: {c:#?}"),
        Err(e) => e,
    }
}

/// `(line, column)` of an error, which must have a position.
fn line_col(err: &ConfigError) -> (usize, usize) {
    let at = err
        .position()
        .unwrap_or_else(|| panic!("error has a position: {err}"));
    (at.line, at.column)
}

fn hint(err: &ConfigError) -> &str {
    err.hint()
        .unwrap_or_else(|| panic!("error has a hint: {err}"))
}

#[test]
fn default_config_parses_to_the_defaults() {
    let (_dir, loaded) = load_ok(DEFAULT_CONFIG);
    assert_eq!(loaded.config, Config::default());
    assert!(
        loaded.config.repos.is_empty(),
        "the default file lists no repositories"
    );
}

#[test]
fn default_config_mentions_every_key() {
    let keys = [
        "[[repos]]",
        "url =",
        "path =",
        "name =",
        "branch =",
        "[sources]",
        "repos_dir =",
        "[periods]",
        "time_zone =",
        "date_field =",
        "[identities]",
        "mailmap =",
        "default_bots =",
        "bots =",
        "[[identities.aliases]]",
        "emails =",
        "[churn]",
        "default_excludes =",
        "exclude =",
        "[mirror]",
        "token_env =",
        "jobs =",
        "[cache]",
        "dir =",
    ];
    for key in keys {
        assert!(DEFAULT_CONFIG.contains(key), "default config lacks `{key}`");
    }
}

#[test]
fn empty_file_is_the_defaults() {
    let (dir, loaded) = load_ok("");
    assert_eq!(loaded.config, Config::default());
    assert_eq!(loaded.config.periods.date_field, DateField::Committer);
    assert_eq!(loaded.config.mirror.jobs, 4);
    assert_eq!(
        loaded.base_dir,
        dir.path().canonicalize().expect("canonical")
    );
    assert_eq!(loaded.cache_dir(), loaded.base_dir.join(".sparky"));
}

#[test]
fn typo_key_names_position_key_and_closest_key() {
    let err = load_err("[periods]\ndate_field = \"author\"\ntime_zon = \"UTC\"\n");
    let ConfigError::UnknownKey {
        key,
        section,
        valid,
        ..
    } = &err
    else {
        panic!("expected an unknown key: {err:?}")
    };
    assert_eq!(key, "time_zon");
    assert_eq!(section, "`[periods]`");
    assert_eq!(valid, &["time_zone", "date_field"]);
    let text = err.to_string();
    assert!(
        text.contains("sparky.toml:3:1: unknown key `time_zon` in `[periods]`"),
        "{text}"
    );
    assert!(
        text.contains("3 | time_zon = \"UTC\"\n  | ^^^^^^^^"),
        "caret under the key:\n{text}"
    );
    assert!(
        hint(&err).starts_with("did you mean `time_zone`?"),
        "{}",
        hint(&err)
    );
    assert!(
        hint(&err).contains("`date_field`"),
        "lists the valid keys: {}",
        hint(&err)
    );
}

#[test]
fn typo_section_and_repo_key_get_suggestions() {
    let err = load_err("[period]\ntime_zone = \"UTC\"\n");
    assert_eq!(line_col(&err), (1, 2));
    assert!(
        err.to_string()
            .contains("unknown key `period` in the top level"),
        "{err}"
    );
    assert!(
        hint(&err).starts_with("did you mean `periods`?"),
        "{}",
        hint(&err)
    );

    let err = load_err("[[repos]]\nurl = \"https://example.com/a\"\nnmae = \"a\"\n");
    assert_eq!(line_col(&err), (3, 1));
    assert!(
        err.to_string()
            .contains("unknown key `nmae` in `[[repos]]`"),
        "{err}"
    );
    assert!(
        hint(&err).starts_with("did you mean `name`?"),
        "{}",
        hint(&err)
    );

    let err = load_err("[mirror]\ncolour = 1\n");
    assert!(
        !hint(&err).contains("did you mean"),
        "nothing close: {}",
        hint(&err)
    );
    assert!(hint(&err).contains("`token_env`, `jobs`"), "{}", hint(&err));
}

#[test]
fn wrong_type_names_expected_type_and_position() {
    let err = load_err("[mirror]\njobs = \"four\"\n");
    let ConfigError::WrongType {
        key,
        expected,
        found,
        ..
    } = &err
    else {
        panic!("expected a wrong type: {err:?}")
    };
    assert_eq!((key.as_str(), *expected), ("jobs", "an integer"));
    assert_eq!(found, "a string (\"four\")");
    assert_eq!(line_col(&err), (2, 8));
    let text = err.to_string();
    assert!(
        text.contains("sparky.toml:2:8: `jobs` in `[mirror]` must be an integer"),
        "{text}"
    );
    assert!(hint(&err).contains("integer"), "{}", hint(&err));

    let err = load_err("[mirror]\njobs = \"4\"\n");
    assert!(
        hint(&err).contains("remove the quotes: `jobs = 4`"),
        "{}",
        hint(&err)
    );

    let err = load_err("[identities]\nbots = \"ci-robot\"\n");
    assert!(err.to_string().contains("must be an array"), "{err}");

    let err = load_err("[churn]\ndefault_excludes = \"yes\"\n");
    assert!(err.to_string().contains("must be a boolean"), "{err}");

    let err = load_err("periods = 3\n");
    assert!(
        err.to_string()
            .contains("`periods` in the top level must be a table"),
        "{err}"
    );
}

#[test]
fn bad_date_field_suggests_a_variant() {
    let err = load_err("[periods]\ndate_field = \"authored\"\n");
    assert!(matches!(err, ConfigError::InvalidValue { .. }), "{err:?}");
    assert_eq!(line_col(&err), (2, 14));
    assert!(
        hint(&err).starts_with("did you mean `author`?"),
        "{}",
        hint(&err)
    );
    assert!(hint(&err).contains("`committer`"), "{}", hint(&err));
}

#[test]
fn negative_jobs_is_an_invalid_value() {
    let err = load_err("[mirror]\njobs = -1\n");
    assert!(matches!(err, ConfigError::InvalidValue { .. }), "{err:?}");
    assert!(
        hint(&err).contains("non-negative integer"),
        "{}",
        hint(&err)
    );
}

#[test]
fn syntax_error_has_a_position() {
    let err = load_err("[periods]\ntime_zone = \"UTC\n");
    assert!(matches!(err, ConfigError::Syntax { .. }), "{err:?}");
    assert_eq!(line_col(&err).0, 2);
    assert!(
        err.to_string()
            .starts_with(&format!("{}", err.position().expect("pos")))
    );
}

#[test]
fn unknown_time_zone_points_at_the_value_with_an_example() {
    let err = load_err("[periods]\ntime_zone = \"Europe/Berln\"\n");
    let ConfigError::UnknownTimeZone { name, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(name, "Europe/Berln");
    assert_eq!(line_col(&err), (2, 13));
    assert!(
        err.to_string()
            .contains("sparky.toml:2:13: unknown time zone `Europe/Berln`")
    );
    assert!(
        hint(&err).contains("did you mean `Europe/Berlin`?"),
        "{}",
        hint(&err)
    );
    assert!(hint(&err).contains("`UTC`"), "{}", hint(&err));

    let err = load_err("[periods]\ntime_zone = \"Mars/Olympus\"\n");
    assert!(
        hint(&err).contains("such as `Europe/Berlin`"),
        "{}",
        hint(&err)
    );
}

#[test]
fn time_zone_is_case_insensitive_and_resolves() {
    let (_dir, loaded) = load_ok("[periods]\ntime_zone = \"europe/berlin\"\n");
    assert_eq!(loaded.time_zone().iana_name(), Some("Europe/Berlin"));
}

#[test]
fn invalid_glob_points_at_the_item() {
    let err = load_err("[churn]\nexclude = [\"docs/**\", \"src/[gen\"]\n");
    let ConfigError::InvalidGlob { glob, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(glob, "src/[gen");
    assert_eq!(line_col(&err), (2, 23));
    assert!(
        std::error::Error::source(&err).is_some(),
        "keeps globset's reason"
    );
}

#[test]
fn churn_matcher_combines_defaults_and_extras() {
    let (_dir, loaded) = load_ok("[churn]\nexclude = [\"docs/generated/**\"]\n");
    let m = loaded.churn_matcher();
    for excluded in [
        "Cargo.lock",
        "web/package-lock.json",
        "a/node_modules/x/y.js",
        "assets/app.min.js",
        "docs/generated/api.md",
        "go.sum",
    ] {
        assert!(m.is_match(excluded), "{excluded} should be excluded");
    }
    for kept in ["src/main.rs", "docs/guide.md", "lockfile.rs", "vendored.rs"] {
        assert!(!m.is_match(kept), "{kept} should count");
    }

    let (_dir, loaded) = load_ok("[churn]\ndefault_excludes = false\nexclude = [\"*.md\"]\n");
    let m = loaded.churn_matcher();
    assert!(!m.is_match("Cargo.lock"));
    assert!(m.is_match("README.md"));
    assert!(!m.is_match("docs/README.md"), "`*` does not cross `/`");
}

#[test]
fn bot_patterns_combine_defaults_and_extras() {
    let (_dir, loaded) = load_ok("[identities]\nbots = [\"Release-Robot\"]\n");
    let bots = loaded.bot_patterns();
    assert!(bots.contains(&"dependabot".to_string()));
    assert!(
        bots.contains(&"release-robot".to_string()),
        "lower-cased: {bots:?}"
    );
    let (_dir, loaded) = load_ok("[identities]\ndefault_bots = false\nbots = [\"ci\"]\n");
    assert_eq!(loaded.bot_patterns(), ["ci"]);
}

#[test]
fn jobs_must_be_in_range() {
    for (jobs, ok) in [(0, false), (1, true), (32, true), (33, false)] {
        let text = format!("[mirror]\njobs = {jobs}\n");
        let (_dir, path) = write_config(&text);
        match config::load(&path) {
            Ok(loaded) => assert!(ok && loaded.config.mirror.jobs == jobs, "{jobs} loaded"),
            Err(err) => {
                assert!(!ok, "{jobs} rejected: {err}");
                assert!(matches!(err, ConfigError::JobsOutOfRange { .. }), "{err:?}");
                assert_eq!(line_col(&err), (2, 8));
                assert!(hint(&err).contains("1 to 32"));
            }
        }
    }
}

#[test]
fn repo_needs_exactly_one_of_url_and_path() {
    let both = "[[repos]]\nurl = \"https://example.com/a\"\npath = \".\"\n";
    let err = load_err(both);
    assert!(
        matches!(err, ConfigError::RepoUrlAndPath { number: 1, .. }),
        "{err:?}"
    );
    assert_eq!(line_col(&err), (3, 8));
    assert!(hint(&err).contains("exactly one"), "{}", hint(&err));

    let neither = "[[repos]]\nurl = \"https://example.com/a\"\n\n[[repos]]\nname = \"b\"\n";
    let err = load_err(neither);
    assert!(
        matches!(err, ConfigError::RepoWithoutSource { number: 2, .. }),
        "{err:?}"
    );
    assert_eq!(line_col(&err).0, 4, "points at the second [[repos]]: {err}");
}

#[test]
fn repo_name_must_be_usable() {
    let err = load_err("[[repos]]\nurl = \"https://example.com/a\"\nname = \"my repo\"\n");
    assert!(
        matches!(err, ConfigError::InvalidRepoName { .. }),
        "{err:?}"
    );
    assert_eq!(line_col(&err), (3, 8));
}

#[test]
fn relative_paths_resolve_against_the_config_folder() {
    let root = tempfile::tempdir().expect("temp dir");
    let root = root.path();
    for dir in ["conf", "api", "conf/repos"] {
        std::fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    std::fs::write(root.join("conf/team.mailmap"), "").expect("mailmap");
    let text = "[[repos]]\npath = \"../api\"\n\n[sources]\nrepos_dir = \"repos\"\n\n\
                [identities]\nmailmap = \"team.mailmap\"\n\n[cache]\ndir = \"cache\"\n";
    std::fs::write(root.join("conf/sparky.toml"), text).expect("config");

    let loaded = config::load(&root.join("conf/sparky.toml")).expect("loads");
    let base = root.join("conf").canonicalize().expect("canonical");
    assert_eq!(loaded.base_dir, base);
    let repo_path = loaded.config.repos[0].path.as_deref().expect("path");
    assert_eq!(loaded.resolve_path(repo_path), base.join("../api"));
    assert_eq!(loaded.repos_dir(), Some(base.join("repos")));
    assert_eq!(loaded.mailmap(), Some(base.join("team.mailmap")));
    assert_eq!(loaded.cache_dir(), base.join("cache"));
    assert_eq!(loaded.resolve_path(Path::new("/abs")), Path::new("/abs"));
}

#[test]
fn missing_relative_paths_are_errors_at_their_value() {
    let err = load_err("[[repos]]\npath = \"../nowhere\"\n");
    let ConfigError::PathNotFound { key, path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(key, "path");
    assert!(path.ends_with("../nowhere"), "{}", path.display());
    assert_eq!(line_col(&err), (2, 8));
    assert!(
        hint(&err).contains("relative paths start from"),
        "{}",
        hint(&err)
    );

    let err = load_err("[identities]\nmailmap = \"team.mailmap\"\n");
    assert!(
        matches!(&err, ConfigError::PathNotFound { key, .. } if key == "mailmap"),
        "{err:?}"
    );
    assert_eq!(line_col(&err), (2, 11));

    let err = load_err("[sources]\nrepos_dir = \"repos\"\n");
    assert!(matches!(&err, ConfigError::PathNotFound { key, .. } if key == "repos_dir"));
}

#[test]
fn aliases_and_bots_are_checked() {
    let dup = "[[identities.aliases]]\nname = \"Jane\"\nemails = [\"j@a.example\"]\n\n\
               [[identities.aliases]]\nname = \"John\"\nemails = [\"x@b.example\", \"J@A.example\"]\n";
    let err = load_err(dup);
    let ConfigError::DuplicateAliasEmail { first, second, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((first.as_str(), second.as_str()), ("Jane", "John"));
    assert_eq!(line_col(&err), (7, 26));

    let err = load_err("[[identities.aliases]]\nname = \"Jane\"\n");
    assert!(
        matches!(err, ConfigError::AliasWithoutEmails { .. }),
        "{err:?}"
    );

    let err = load_err("[identities]\nbots = [\"\"]\n");
    assert!(matches!(err, ConfigError::EmptyValue { .. }), "{err:?}");
    assert_eq!(line_col(&err), (2, 9));

    let (_dir, loaded) =
        load_ok("[[identities.aliases]]\nname = \"Jane Doe\"\nemails = [\"jane@old.example\"]\n");
    assert_eq!(
        loaded.config.identities.aliases[0].emails,
        ["jane@old.example"]
    );
}

#[test]
fn token_env_must_be_a_variable_name_and_is_never_echoed() {
    let err = load_err("[mirror]\ntoken_env = \"ghp_secret123\"\n");
    assert!(
        matches!(err, ConfigError::InvalidTokenEnv { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(!text.contains("secret"), "token leaked: {text}");
    assert!(text.contains("token_env = ***************"), "{text}");
    assert!(hint(&err).contains("SPARKY_GIT_TOKEN"));

    let err = load_err("[mirror]\ntoken_env = \"glpat-abc\"\n");
    assert!(
        matches!(err, ConfigError::InvalidTokenEnv { .. }),
        "{err:?}"
    );
    let (_dir, loaded) = load_ok("[mirror]\ntoken_env = \"GH_TOKEN\"\n");
    assert_eq!(loaded.config.mirror.token_env, "GH_TOKEN");
}

#[test]
fn unreadable_file_names_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sparky.toml");
    let err = config::load(&path).expect_err("no file");
    assert!(matches!(err, ConfigError::Read { .. }));
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn find_looks_up_to_the_git_root_only() {
    let outer = tempfile::tempdir().expect("temp dir");
    let outer = outer.path().canonicalize().expect("canonical");
    let repo = outer.join("repo");
    std::fs::create_dir_all(repo.join("a/b")).expect("mkdir");
    git_in(&repo, &["init", "-q"]);

    assert_eq!(config::find(&repo.join("a/b")), None);
    // A file above the repository is out of reach.
    std::fs::write(outer.join("sparky.toml"), "").expect("write");
    assert_eq!(config::find(&repo.join("a/b")), None);
    // Outside a repository only the start folder counts.
    assert_eq!(config::find(&outer), Some(outer.join("sparky.toml")));

    std::fs::write(repo.join("sparky.toml"), "").expect("write");
    assert_eq!(
        config::find(&repo.join("a/b")),
        Some(repo.join("sparky.toml"))
    );
    std::fs::write(repo.join("a/sparky.toml"), "").expect("write");
    assert_eq!(
        config::find(&repo.join("a/b")),
        Some(repo.join("a/sparky.toml"))
    );
}

#[test]
fn init_writes_a_loadable_file_and_keeps_an_existing_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = config::init(dir.path(), false).expect("init");
    assert_eq!(path, dir.path().join("sparky.toml"));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        DEFAULT_CONFIG
    );
    assert_eq!(
        config::load(&path).expect("loads").config,
        Config::default()
    );

    std::fs::write(&path, "# mine\n").expect("edit");
    let err = config::init(dir.path(), false).expect_err("refuses to overwrite");
    assert!(matches!(err, ConfigError::AlreadyExists { .. }), "{err:?}");
    assert!(err.to_string().contains("already exists"));
    assert!(hint(&err).contains("--force"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "# mine\n");

    config::init(dir.path(), true).expect("init --force");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        DEFAULT_CONFIG
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn a_value_too_long_for_a_page_is_refused_at_its_line_with_a_short_snippet() {
    let err = load_err(&format!(
        "[output]\nbase_folder = \"blog\"\norg_name = \"{}\"\n",
        "x".repeat(200_000)
    ));
    assert_eq!(line_col(&err), (3, 12));
    let shown = err.to_string();
    assert!(
        shown.contains("a value of 200000 characters; values may be at most 1000"),
        "{shown}"
    );
    assert!(
        shown.len() < 1000,
        "the snippet is cut: {} bytes",
        shown.len()
    );
    assert!(!hint(&err).is_empty());
    // A file over 1 MiB is refused before it is parsed.
    let (_dir, path) = write_config(&format!("# {}\n", "y".repeat(2 * 1024 * 1024)));
    let err = sparky::config::load(&path).expect_err("too large");
    assert!(
        err.to_string().contains("may be at most 1048576 bytes"),
        "{err}"
    );
}

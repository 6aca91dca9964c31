//! The binary's own contract: config errors with location and hint, `init`, exit codes, help.

use crate::support::{Sparky, TestRepo};

#[test]
fn config_typo_names_file_line_column_and_a_fix() {
    let repo = TestRepo::new();
    repo.commit("one", &[("a", "1\n")]);
    std::fs::write(
        repo.path().join("sparky.toml"),
        "[periods]\ntime_zon = \"UTC\"\n",
    )
    .expect("write");
    let run = Sparky::new(repo.path(), &["facts"]).run().expect_code(2);
    let err = run.stderr();
    assert!(err.contains("sparky.toml:2:1"), "{err}");
    assert!(err.contains("time_zon"), "{err}");
    assert!(err.contains("hint: did you mean `time_zone`?"), "{err}");
    assert!(
        run.stdout().is_empty(),
        "no facts on stdout after a config error"
    );
    assert!(
        !repo.path().join(".sparky").exists(),
        "nothing written before the config is valid"
    );
}

#[test]
fn config_wrong_type_and_bad_value_are_located() {
    let repo = TestRepo::new();
    repo.commit("one", &[("a", "1\n")]);
    let cases = [
        ("[mirror]\njobs = \"four\"\n", "sparky.toml:2:8"),
        (
            "[periods]\ntime_zone = \"Mars/Olympus\"\n",
            "sparky.toml:2:13",
        ),
        ("[churn]\nexclude = [\"a/[b\"]\n", "sparky.toml:2:"),
    ];
    for (text, location) in cases {
        std::fs::write(repo.path().join("sparky.toml"), text).expect("write");
        let run = Sparky::new(repo.path(), &["facts"]).run().expect_code(2);
        assert!(
            run.stderr().contains(location),
            "{text:?}: {}",
            run.stderr()
        );
        assert!(run.stderr().contains("hint:"), "{text:?}: {}", run.stderr());
    }
}

#[test]
fn init_writes_a_config_that_loads_and_refuses_to_overwrite() {
    let repo = TestRepo::new();
    repo.commit("one", &[("a", "1\n")]);
    Sparky::new(repo.path(), &["init"]).run().success();
    let written = std::fs::read_to_string(repo.path().join("sparky.toml")).expect("written");
    assert_eq!(written, sparky::config::DEFAULT_CONFIG);
    // With the default config and no repos configured, the repository you are in is read.
    let f = Sparky::new(repo.path(), &["facts", "--json"])
        .run()
        .success()
        .json();
    assert_eq!(f["repos"][0]["commits"], 1);
    Sparky::new(repo.path(), &["init"])
        .run()
        .expect_code(2)
        .stderr_has("--force");
    Sparky::new(repo.path(), &["init", "--force"])
        .run()
        .success();
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let cwd = tempfile::tempdir().expect("cwd");
    Sparky::new(cwd.path(), &["facts", "--no-such-flag"])
        .run()
        .expect_code(2);
    let help = Sparky::new(cwd.path(), &["facts", "--help"])
        .run()
        .success();
    assert!(help.stdout().contains("--window"), "{}", help.stdout());
}

#[test]
fn outside_a_repository_without_config_says_what_to_do() {
    let cwd = tempfile::tempdir().expect("cwd");
    let run = Sparky::new(cwd.path(), &["facts"]).run().expect_code(2);
    assert!(run.stderr().contains("hint:"), "{}", run.stderr());
    assert!(
        run.stderr().contains("--repo") || run.stderr().contains("sparky init"),
        "{}",
        run.stderr()
    );
}

#[test]
fn unknown_branch_fails_that_repository_only() {
    let repo = TestRepo::new();
    repo.commit("one", &[("a", "1\n")]);
    let config = format!(
        "[[repos]]\npath = \"{}\"\nbranch = \"nope\"\n",
        repo.path().display()
    );
    let cwd = tempfile::tempdir().expect("cwd");
    std::fs::write(cwd.path().join("sparky.toml"), config).expect("write");
    let run = Sparky::new(cwd.path(), &["facts", "--json"])
        .run()
        .expect_code(1);
    let error = run.json()["failed_repos"][0]["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        error.contains("nope") && error.contains("main"),
        "names the branch and the ones there are: {error}"
    );
}

//! The docs-repository toolchain: the GitHub Actions workflow in both modes (parsed as YAML:
//! triggers, steps and their order, and its shell steps run against a stand-in `sparky`), the
//! `just` recipes (run line by line as just runs them), and `sparky init --docs-repo` on a site
//! without a deploy workflow and on a copy of the organisation's real docs repository.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_norway::Value;
use sparky::scaffold::{Deployer, Mode, Plan, RECIPES, WORKFLOW_FILE};

use crate::support::Sparky;
use crate::support::cli::fixtures_dir;

fn plan(mode: Mode, submodules: bool) -> Plan {
    Plan {
        mode,
        submodules,
        branch: "main".to_string(),
    }
}

fn publish_only() -> Mode {
    Mode::PublishOnly(Deployer {
        file: "sync-and-deploy.yml".to_string(),
        because: "pushes to the gh-pages branch".to_string(),
        dispatchable: true,
    })
}

fn parse(text: &str) -> Value {
    serde_norway::from_str(text).expect("the workflow is valid YAML")
}

fn workflow() -> Value {
    parse(&plan(Mode::BuildAndDeploy, false).workflow())
}

/// Every action is pinned to a full commit id, with the release it is in a comment.
fn assert_pinned(text: &str) {
    let pin =
        regex::Regex::new(r"^\s*(- )?uses: [\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$").expect("re");
    for line in text.lines().filter(|l| l.contains("uses:")) {
        assert!(pin.is_match(line), "not pinned to a commit: {line}");
    }
}

fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn build_steps(w: &Value) -> Vec<Value> {
    w["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("build steps")
        .clone()
}

/// The index of the one step matching `pred`.
fn step(steps: &[Value], what: &str, pred: impl Fn(&Value) -> bool) -> usize {
    let found: Vec<usize> = (0..steps.len()).filter(|&i| pred(&steps[i])).collect();
    assert_eq!(found.len(), 1, "exactly one step {what}: {found:?}");
    found[0]
}

#[test]
fn the_workflow_triggers_caches_builds_checks_publishes_and_deploys_in_order() {
    let w = workflow();
    let on = &w["on"];
    assert!(
        on["schedule"][0]["cron"].as_str().is_some(),
        "scheduled: {on:?}"
    );
    assert!(on.get("workflow_dispatch").is_some(), "manual dispatch");
    assert!(on.get("push").is_some(), "on push");
    assert_eq!(
        str_of(&w["jobs"]["build"]["permissions"], "contents"),
        "write"
    );
    assert!(w["jobs"]["build"]["permissions"].get("actions").is_none());
    assert_eq!(
        str_of(&w["env"], "SPARKY_VERSION"),
        env!("CARGO_PKG_VERSION"),
        "the workflow pins this version of Sparky"
    );

    let steps = build_steps(&w);
    let uses = |prefix: &'static str| move |s: &Value| str_of(s, "uses").starts_with(prefix);
    let runs = |text: &'static str| move |s: &Value| str_of(s, "run").contains(text);
    let checkout = step(&steps, "checking out", uses("actions/checkout@"));
    let restore = step(
        &steps,
        "restoring the cache",
        uses("actions/cache/restore@"),
    );
    let install = step(&steps, "installing Sparky", runs("releases/download"));
    let build = step(&steps, "building", runs("sparky build"));
    let check = step(&steps, "checking", runs("sparky check"));
    let publish = step(&steps, "publishing", runs("sparky publish"));
    let quartz = step(&steps, "building the site", runs("npx quartz build"));
    let upload = step(&steps, "uploading", uses("actions/upload-pages-artifact@"));
    let save = step(&steps, "saving the cache", uses("actions/cache/save@"));
    let order = [
        checkout, restore, install, build, check, publish, quartz, upload, save,
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "order: {order:?}");

    let with = |i: usize| steps[i]["with"].clone();
    assert_eq!(with(checkout)["fetch-depth"].as_u64(), Some(0));
    assert_eq!(with(checkout)["persist-credentials"].as_bool(), Some(false));
    assert_eq!(str_of(&with(restore), "path"), ".sparky");
    assert!(str_of(&with(restore), "key").contains("github.run_id"));
    assert!(!str_of(&with(restore), "restore-keys").is_empty());
    assert_eq!(str_of(&steps[restore], "id"), "cache");
    assert_eq!(str_of(&with(save), "path"), ".sparky");
    assert_eq!(
        str_of(&with(save), "key"),
        "${{ steps.cache.outputs.cache-primary-key }}"
    );
    assert!(str_of(&steps[save], "if").contains("always()"));
    let script = str_of(&steps[install], "run");
    for part in [
        "sparky-v$SPARKY_VERSION-$target.tar.gz",
        "$archive.sha256",
        "does not match its published checksum",
        "cargo install --locked --root \"$dest\" --version \"$SPARKY_VERSION\" sparky-devblog",
        "if [ \"$SPARKY_FROM_SOURCE\" = \"true\" ]",
    ] {
        assert!(script.contains(part), "lacks {part}: {script}");
    }
    assert!(str_of(&w["env"], "SPARKY_FROM_SOURCE").contains("inputs.from-source"));
    assert!(with(checkout).get("submodules").is_none());
    assert_eq!(
        str_of(&steps[publish]["env"], "SPARKY_PUBLISH_TOKEN"),
        "${{ secrets.GITHUB_TOKEN }}"
    );
    assert_eq!(str_of(&with(upload), "path"), "public");

    assert_pinned(&plan(Mode::BuildAndDeploy, false).workflow());
    let deploy = &w["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert!(
        str_of(&deploy["steps"][0], "uses").starts_with("actions/deploy-pages@"),
        "{deploy:?}"
    );
    for forbidden in ["--force", "git push", "-f origin", "gh workflow run"] {
        assert!(
            !plan(Mode::BuildAndDeploy, true)
                .workflow()
                .contains(forbidden),
            "the workflow has `{forbidden}`"
        );
    }
}

#[test]
fn the_publish_only_workflow_leaves_building_and_deploying_the_site_to_the_site() {
    let text = plan(publish_only(), true).workflow();
    assert_pinned(&text);
    let w = parse(&text);
    assert!(w["jobs"].get("deploy").is_none(), "no deploy job");
    assert_eq!(str_of(&w["env"], "DEPLOY_WORKFLOW"), "sync-and-deploy.yml");
    let perms = &w["jobs"]["build"]["permissions"];
    assert_eq!(str_of(perms, "contents"), "write");
    assert_eq!(str_of(perms, "actions"), "write");
    assert!(perms.get("pages").is_none());
    let steps = build_steps(&w);
    let runs = |text: &'static str| move |s: &Value| str_of(s, "run").contains(text);
    let checkout = step(&steps, "checking out", |s: &Value| {
        str_of(s, "uses").starts_with("actions/checkout@")
    });
    assert_eq!(str_of(&steps[checkout]["with"], "submodules"), "recursive");
    let publish = step(&steps, "publishing", runs("sparky publish"));
    let dispatch = step(&steps, "starting the deploy", runs("gh workflow run"));
    assert!(publish < dispatch);
    assert!(str_of(&steps[dispatch], "run").contains("gh workflow run \"$DEPLOY_WORKFLOW\""));
    for gone in [
        "npx quartz",
        "upload-pages-artifact",
        "deploy-pages",
        "setup-node",
    ] {
        assert!(!text.contains(gone), "the publish-only workflow has {gone}");
    }
}

/// A stand-in for `sparky` (and `npx`) that logs its arguments and exits as told.
fn stand_ins(dir: &Path) {
    let script = "#!/bin/sh\n\
        echo \"$(basename \"$0\") $*\" >> \"$STAND_IN_LOG\"\n\
        case \"$1\" in\n\
          build) code=${BUILD_CODE:-0} ;;\n\
          publish) code=${PUBLISH_CODE:-0} ;;\n\
          *) code=0 ;;\n\
        esac\n\
        case $code in\n\
          0) echo \"wrote 3 pages for 2 repos (3 created, 0 changed) in 0.1s\" >&2 ;;\n\
          1) echo 'skipped a.md: edited' >&2; echo \"wrote 2 pages for 2 repos (1 repos failed) in 0.1s\" >&2 ;;\n\
          *) echo 'error: the config is broken' >&2; echo 'hint: fix it' >&2 ;;\n\
        esac\n\
        exit $code\n";
    for name in ["sparky", "npx", "gh"] {
        let path = dir.join(name);
        std::fs::write(&path, script).expect("write stand-in");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }
}

fn with_stand_ins(cmd: &mut Command, bin: &Path, log: &Path) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    cmd.env("PATH", std::env::join_paths(dirs).expect("PATH"))
        .env("STAND_IN_LOG", log);
}

#[test]
fn the_workflow_warns_on_a_partial_run_and_fails_on_a_failure() {
    let w = workflow();
    let steps = build_steps(&w);
    for s in &steps {
        if let Some(run) = s.get("run").and_then(Value::as_str) {
            let out = Command::new("bash")
                .args(["-n", "-c", run])
                .output()
                .expect("bash");
            assert!(out.status.success(), "bash -n fails on:\n{run}");
        }
    }
    let dir = tempfile::tempdir().expect("dir");
    stand_ins(dir.path());
    for (command, code_var) in [
        ("sparky build", "BUILD_CODE"),
        ("sparky publish", "PUBLISH_CODE"),
    ] {
        let script = steps
            .iter()
            .find_map(|s| {
                s.get("run")
                    .and_then(Value::as_str)
                    .filter(|r| r.contains(command))
            })
            .expect("the step");
        assert_eq!(
            steps
                .iter()
                .find(|s| str_of(s, "run") == script)
                .map(|s| str_of(s, "shell")),
            Some("bash")
        );
        for (code, exit, annotation, summary) in [
            (0, 0, None, "wrote 3 pages"),
            (
                1,
                0,
                Some("::warning"),
                "wrote 2 pages for 2 repos (1 repos failed)",
            ),
            (2, 2, Some("::error"), "error: the config is broken"),
        ] {
            let step_summary = dir.path().join(format!("summary-{code_var}-{code}"));
            // As GitHub runs `shell: bash` steps.
            let mut cmd = Command::new("bash");
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
                .current_dir(dir.path())
                .env("GITHUB_STEP_SUMMARY", &step_summary)
                .env(code_var, code.to_string());
            with_stand_ins(&mut cmd, dir.path(), &dir.path().join("log"));
            let out = cmd.output().expect("bash runs");
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                out.status.code(),
                Some(exit),
                "{command} exit {code}: {stdout}"
            );
            match annotation {
                Some(a) => assert!(stdout.contains(a), "{command} exit {code}: {stdout}"),
                None => assert!(!stdout.contains("::"), "{stdout}"),
            }
            let shown = std::fs::read_to_string(&step_summary).expect("job summary");
            assert!(shown.contains(summary), "{command} exit {code}: {shown}");
        }
    }
}

/// The recipes of a justfile: name → (dependencies, body lines).
fn recipes(text: &str) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(body) = line.strip_prefix("    ") {
            let name = current.as_ref().expect("a body line belongs to a recipe");
            out.entry(name.clone())
                .or_insert_with(|| (Vec::new(), Vec::new()))
                .1
                .push(body.to_string());
            continue;
        }
        current = None;
        if line.starts_with('#') || line.trim().is_empty() || line.contains(":=") {
            continue;
        }
        let (head, deps) = line.split_once(':').expect("a recipe line");
        let name = head.split_whitespace().next().expect("name").to_string();
        let deps = deps.split_whitespace().map(str::to_string).collect();
        out.insert(name.clone(), (deps, Vec::new()));
        current = Some(name);
    }
    out
}

/// Runs `recipe` the way just does: dependencies first, each line in `sh -c`, stopping at the
/// first failing line. Returns whether it succeeded.
fn run_recipe(
    all: &BTreeMap<String, (Vec<String>, Vec<String>)>,
    recipe: &str,
    bin: &Path,
    env: &[(&str, &str)],
) -> bool {
    let (deps, body) = &all[recipe];
    for dep in deps {
        if !run_recipe(all, dep, bin, env) {
            return false;
        }
    }
    for line in body {
        let line = line
            .replace("{{ sparky }}", &bin.join("sparky").to_string_lossy())
            .replace("{{ ARGS }}", "");
        let mut cmd = Command::new("sh");
        cmd.args(["-c", &line]);
        with_stand_ins(&mut cmd, bin, &bin.join("log"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        if !cmd.output().expect("sh").status.success() {
            return false;
        }
    }
    true
}

#[test]
fn the_recipes_build_then_run_quartz_and_publish_after_checking() {
    let all = recipes(RECIPES);
    let names: Vec<&str> = all.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "docs-build",
            "docs-check",
            "docs-serve",
            "publish-daily",
            "publish-monthly",
            "publish-weekly",
            "sparky-daily",
            "sparky-monthly",
            "sparky-weekly",
        ]
    );
    assert!(RECIPES.contains("sparky := env(\"SPARKY\", \"sparky\")"));
    // With `just` installed (1.19+), it parses the recipes through an import as the docs
    // repository does and lists the same names.
    let scratch = tempfile::tempdir().expect("scratch");
    std::fs::write(scratch.path().join("sparky.just"), RECIPES).expect("write");
    std::fs::write(scratch.path().join("justfile"), "import 'sparky.just'\n").expect("write");
    if let Ok(out) = Command::new("just")
        .arg("--summary")
        .current_dir(scratch.path())
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let listed = String::from_utf8_lossy(&out.stdout);
        let mut listed: Vec<&str> = listed.split_whitespace().collect();
        listed.sort_unstable();
        assert_eq!(listed, names);
    }
    let dir = tempfile::tempdir().expect("dir");
    let bin = dir.path();
    stand_ins(bin);
    // (recipe, environment of the stand-ins, succeeds, what ran)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], bool, &'a str);
    let cases: [Case<'_>; 6] = [
        ("docs-build", &[], true, "sparky build\nnpx quartz build\n"),
        (
            "docs-build",
            &[("BUILD_CODE", "1")],
            true,
            "sparky build\nnpx quartz build\n",
        ),
        (
            "docs-build",
            &[("BUILD_CODE", "2")],
            false,
            "sparky build\n",
        ),
        (
            "docs-serve",
            &[],
            true,
            "sparky build\nnpx quartz build --serve\n",
        ),
        (
            "publish-weekly",
            &[],
            true,
            "sparky build --period week\nsparky check\nsparky publish\n",
        ),
        (
            "publish-daily",
            &[("BUILD_CODE", "2")],
            false,
            "sparky build --period day\n",
        ),
    ];
    for (recipe, env, ok, expected) in cases {
        std::fs::write(bin.join("log"), "").expect("reset");
        let result = run_recipe(&all, recipe, bin, env);
        let seen = std::fs::read_to_string(bin.join("log")).expect("log");
        assert_eq!(result, ok, "{recipe} {env:?}");
        assert_eq!(seen, expected, "{recipe} {env:?}");
    }
}

#[test]
fn init_docs_repo_adds_what_is_missing_and_overwrites_nothing() {
    let site = tempfile::tempdir().expect("site");
    let dir = site.path();
    std::fs::write(dir.join("quartz.config.ts"), "export default {}\n").expect("write");
    std::fs::write(dir.join(".gitignore"), "node_modules/\n").expect("write");
    std::fs::write(dir.join("sparky.just"), "# mine\n").expect("write");

    let run = Sparky::new(dir, &["init", "--docs-repo"]).run().success();
    let err = run.stderr();
    for line in [
        "added sparky.toml",
        "added .github/workflows/sparky.yml",
        "added justfile (it imports sparky.just)",
        "appended .sparky/ (the cache) to .gitignore",
        "kept: sparky.just",
        "added 4 files to the docs repository",
    ] {
        assert!(err.contains(line), "lacks {line:?}:\n{err}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("sparky.just")).expect("read"),
        "# mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(WORKFLOW_FILE)).expect("read"),
        plan(Mode::BuildAndDeploy, false).workflow()
    );
    assert!(
        err.contains("workflow mode: build-and-deploy (no workflow in .github/workflows deploys"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("justfile")).expect("read"),
        "# The docs repository's recipes.\n\nimport 'sparky.just'\n"
    );
    assert!(
        std::fs::read_to_string(dir.join(".gitignore"))
            .expect("read")
            .ends_with("node_modules/\n# Sparky's cache (mirrors, history): kept by CI's cache, never committed.\n.sparky/\n")
    );
    sparky::config::load(&dir.join("sparky.toml")).expect("the config loads");

    let again = Sparky::new(dir, &["init", "--docs-repo"]).run().success();
    assert!(
        again.stderr().contains("added 0 files"),
        "{}",
        again.stderr()
    );
}

/// Copies `fixtures/docs-site` (files of the organisation's real docs repository) to `to`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

#[test]
fn init_docs_repo_on_the_real_site_writes_the_publish_only_workflow_with_submodules() {
    let site = tempfile::tempdir().expect("site");
    let dir = site.path();
    copy_tree(&fixtures_dir().join("docs-site"), dir);
    let theirs = std::fs::read_to_string(dir.join(".github/workflows/sync-and-deploy.yml"))
        .expect("their workflow");

    let run = Sparky::new(dir, &["init", "--docs-repo"]).run().success();
    let err = run.stderr();
    for line in [
        "added .github/workflows/sparky.yml",
        "workflow mode: publish-only (.github/workflows/sync-and-deploy.yml already deploys the \
         site: it pushes to the gh-pages branch)",
        "then starts sync-and-deploy.yml to deploy them",
        "the workflow checks out the site's git submodules",
    ] {
        assert!(err.contains(line), "lacks {line:?}:\n{err}");
    }
    let text = std::fs::read_to_string(dir.join(WORKFLOW_FILE)).expect("workflow");
    assert_eq!(text, plan(publish_only(), true).workflow());
    let w = parse(&text);
    assert!(w["jobs"].get("deploy").is_none());
    assert_eq!(str_of(&w["env"], "DEPLOY_WORKFLOW"), "sync-and-deploy.yml");
    let checkout = build_steps(&w)
        .into_iter()
        .find(|s| str_of(s, "uses").starts_with("actions/checkout@"))
        .expect("checkout");
    assert_eq!(str_of(&checkout["with"], "submodules"), "recursive");
    assert_eq!(
        std::fs::read_to_string(dir.join(".github/workflows/sync-and-deploy.yml")).expect("read"),
        theirs,
        "their workflow is untouched"
    );
}

#[test]
fn the_publish_only_workflow_starts_the_deploy_workflow_only_after_a_push() {
    let w = parse(&plan(publish_only(), false).workflow());
    let steps = build_steps(&w);
    let script = steps
        .iter()
        .find_map(|s| {
            s.get("run")
                .and_then(Value::as_str)
                .filter(|r| r.contains("gh workflow run"))
        })
        .expect("the dispatch step");
    let dir = tempfile::tempdir().expect("dir");
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    stand_ins(&bin);
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "A")
            .env("GIT_AUTHOR_EMAIL", "a@example.com")
            .env("GIT_COMMITTER_NAME", "A")
            .env("GIT_COMMITTER_EMAIL", "a@example.com")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    git(&["init", "-q"]);
    git(&["commit", "-q", "--allow-empty", "-m", "before"]);
    let checked_out = git(&["rev-parse", "HEAD"]);
    let log = dir.path().join("log");
    let run = |expect: &str| {
        std::fs::write(&log, "").expect("reset");
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(&repo)
            .env("GITHUB_SHA", &checked_out)
            .env("GITHUB_REF_NAME", "main")
            .env("GITHUB_REPOSITORY", "acme/docs")
            .env("DEPLOY_WORKFLOW", "sync-and-deploy.yml")
            .env("GITHUB_STEP_SUMMARY", dir.path().join("summary"));
        with_stand_ins(&mut cmd, &bin, &log);
        let out = cmd.output().expect("bash");
        assert!(out.status.success(), "{out:?}");
        assert_eq!(std::fs::read_to_string(&log).expect("log"), expect);
    };
    // Nothing published: HEAD is the commit the run checked out.
    run("");
    // sparky publish pushed a commit: HEAD moved.
    git(&["commit", "-q", "--allow-empty", "-m", "reports"]);
    run("gh workflow run sync-and-deploy.yml --repo acme/docs --ref main\n");
}

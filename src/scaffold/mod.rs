//! Scaffold: the files that make a Quartz docs repository run Sparky (`sparky init --docs-repo`),
//! embedded in the binary from `quartz-integration/`. Nothing that exists is overwritten: each
//! file is created only where there is none, and `.gitignore` only ever gains a line.

use std::io::Write;
use std::path::{Path, PathBuf};

mod workflow;

pub use workflow::{Deployer, Mode, Plan, WORKFLOW_FILE};

/// `just` recipes for the docs repository.
pub const RECIPES: &str = include_str!("../../quartz-integration/sparky.just");

/// Where the recipes go, relative to the docs repository.
pub const RECIPES_FILE: &str = "sparky.just";
const JUSTFILE_NAMES: [&str; 4] = ["justfile", "Justfile", ".justfile", "JUSTFILE"];
const IMPORT_LINE: &str = "import 'sparky.just'";

/// What `sparky init --docs-repo` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scaffolded {
    /// Files created or extended, each with a sentence saying what was done.
    pub added: Vec<(String, String)>,
    /// Files that were already there and were left alone.
    pub kept: Vec<String>,
    /// What is left for the user to do.
    pub next: Vec<String>,
    /// The workflow's mode and why, when the workflow was added.
    pub workflow: Vec<String>,
}

/// A file of the docs repository could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("failed to write `{}`", path.display())]
pub struct ScaffoldError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Adds `sparky.toml`, the recipes, the workflow and the `.gitignore` entry to the Quartz site
/// in `dir`, keeping every file that exists.
pub fn docs_repo(dir: &Path) -> Result<Scaffolded, ScaffoldError> {
    let mut done = Scaffolded::default();
    if !dir.join("quartz.config.ts").exists() {
        done.next.push(format!(
            "no quartz.config.ts in `{}`: run this in the Quartz site's root folder",
            dir.display()
        ));
    }
    let plan = Plan::for_site(dir, checked_out_branch(dir));
    let workflow = plan.workflow();
    let files = [
        (crate::config::FILE_NAME, crate::config::DEFAULT_CONFIG),
        (RECIPES_FILE, RECIPES),
        (WORKFLOW_FILE, workflow.as_str()),
    ];
    for (name, text) in files {
        if create_new(&dir.join(name), text)? {
            done.added.push((name.to_string(), format!("added {name}")));
            if name == WORKFLOW_FILE {
                done.workflow = plan.explain();
                done.next.extend(plan.next_step());
            }
        } else {
            done.kept.push(name.to_string());
        }
    }
    justfile(dir, &mut done)?;
    gitignore(dir, &mut done)?;
    done.next.push(
        "list the repositories to report on in sparky.toml ([[repos]]), then `just docs-serve`"
            .to_string(),
    );
    Ok(done)
}

/// A `justfile` importing the recipes, unless the repository has a justfile already.
fn justfile(dir: &Path, done: &mut Scaffolded) -> Result<(), ScaffoldError> {
    let existing = JUSTFILE_NAMES.iter().find(|n| dir.join(n).is_file());
    match existing {
        None => {
            let text = format!("# The docs repository's recipes.\n\n{IMPORT_LINE}\n");
            if create_new(&dir.join("justfile"), &text)? {
                done.added.push((
                    "justfile".to_string(),
                    format!("added justfile (it imports {RECIPES_FILE})"),
                ));
            }
        }
        Some(name) => {
            done.kept.push(name.to_string());
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            if !text.contains(RECIPES_FILE) {
                done.next.push(format!(
                    "add `{IMPORT_LINE}` to your {name} for Sparky's recipes"
                ));
            }
        }
    }
    Ok(())
}

/// `.sparky/` (the cache) in `.gitignore`: the file is created or gains one line.
fn gitignore(dir: &Path, done: &mut Scaffolded) -> Result<(), ScaffoldError> {
    let path = dir.join(".gitignore");
    let fail = |source| ScaffoldError {
        path: path.clone(),
        source,
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail(e)),
    };
    let ignored = text.as_deref().is_some_and(|t| {
        t.lines()
            .any(|l| matches!(l.trim(), ".sparky" | ".sparky/" | "/.sparky" | "/.sparky/"))
    });
    if ignored {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(fail)?;
    let separator = match &text {
        Some(t) if !t.is_empty() && !t.ends_with('\n') => "\n",
        _ => "",
    };
    write!(
        file,
        "{separator}# Sparky's cache (mirrors, history): kept by CI's cache, never committed.\n.sparky/\n"
    )
    .map_err(fail)?;
    let what = if text.is_some() {
        "appended .sparky/ (the cache) to .gitignore"
    } else {
        "added .gitignore (ignoring .sparky/, the cache)"
    };
    done.added
        .push((".gitignore".to_string(), what.to_string()));
    Ok(())
}

/// Writes `text` to `path` unless something is there; `false` when it was.
fn create_new(path: &Path, text: &str) -> Result<bool, ScaffoldError> {
    let fail = |source| ScaffoldError {
        path: path.to_path_buf(),
        source,
    };
    if path.symlink_metadata().is_ok() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(fail(e)),
    };
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    Ok(true)
}

/// The branch checked out in the git work tree at `dir`, read from `.git/HEAD`.
fn checked_out_branch(dir: &Path) -> Option<String> {
    let head = std::fs::read_to_string(dir.join(".git").join("HEAD")).ok()?;
    let branch = head.trim().strip_prefix("ref: refs/heads/")?;
    let safe = !branch.is_empty()
        && branch
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    safe.then(|| branch.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn existing_files_are_kept_and_gitignore_gains_one_line() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("justfile"), "build:\n    echo hi\n").expect("write");
        std::fs::write(dir.path().join(".gitignore"), "node_modules").expect("write");
        std::fs::create_dir_all(dir.path().join(".git")).expect("mkdir");
        std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/v4\n").expect("write");
        let done = docs_repo(dir.path()).expect("scaffold");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("justfile")).expect("read"),
            "build:\n    echo hi\n"
        );
        assert!(done.kept.contains(&"justfile".to_string()), "{done:?}");
        assert!(
            done.next.iter().any(|n| n.contains(IMPORT_LINE)),
            "{done:?}"
        );
        let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).expect("read");
        assert!(ignore.starts_with("node_modules\n#"), "{ignore}");
        assert!(ignore.ends_with("\n.sparky/\n"), "{ignore}");
        let workflow = std::fs::read_to_string(dir.path().join(WORKFLOW_FILE)).expect("workflow");
        assert!(workflow.contains("    branches: [v4]\n"), "{workflow}");
        let again = docs_repo(dir.path()).expect("again");
        assert!(again.added.is_empty(), "{again:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).expect("read"),
            ignore
        );
    }
}

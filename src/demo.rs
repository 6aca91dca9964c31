//! The demo organisation: three repositories embedded as `git fast-import` streams
//! (`fixtures/demo/`), materialised as bare repositories in the cache the first time
//! `sparky build` runs without a config, so the main job shows real reports on a fresh machine
//! with no network.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::output::manifest::sha256;
use crate::source::{Location, RepoSpec};

/// The demo's repositories, by name.
pub const STREAMS: &[(&str, &str)] = &[
    ("api", include_str!("../fixtures/demo/api.fi")),
    ("infra", include_str!("../fixtures/demo/infra.fi")),
    ("web", include_str!("../fixtures/demo/web.fi")),
];

/// The demo's name in titles.
pub const ORG_NAME: &str = "acme (demo)";
/// The first and last day of the demo's history (its reports cover exactly these).
pub const SINCE: &str = "2025-10-20";
pub const UNTIL: &str = "2025-11-23";

/// The demo repositories could not be created.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("failed to create the demo repository `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`git {step}` failed for the demo repository `{name}`: {stderr}")]
    Git {
        name: String,
        step: String,
        stderr: String,
    },
}

impl DemoError {
    pub fn hint(&self) -> &'static str {
        "the demo needs the `git` command; or point Sparky at real repositories with --repo or a sparky.toml (`sparky init`)"
    }
}

/// Creates (or reuses) the demo repositories under `cache_dir/demo/` and returns their specs.
pub fn materialize(cache_dir: &Path) -> Result<Vec<RepoSpec>, DemoError> {
    let dir = cache_dir.join("demo");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DemoError::Io { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let mut specs = Vec::new();
    for (name, stream) in STREAMS {
        let dest = dir.join(format!("{name}.git"));
        let marker = dest.join("sparky-demo");
        let want = sha256(stream.as_bytes());
        if std::fs::read_to_string(&marker).ok().as_deref() != Some(want.as_str()) {
            let tmp = tempfile::Builder::new()
                .prefix(".demo-")
                .tempdir_in(&dir)
                .map_err(io(&dir))?;
            git(
                name,
                tmp.path(),
                &["init", "-q", "--bare", "-b", "main", "."],
                None,
            )?;
            git(
                name,
                tmp.path(),
                &["fast-import", "--quiet"],
                Some(stream.as_bytes()),
            )?;
            std::fs::write(tmp.path().join("sparky-demo"), &want).map_err(io(tmp.path()))?;
            if dest.exists() {
                std::fs::remove_dir_all(&dest).map_err(io(&dest))?;
            }
            let kept = tmp.keep();
            std::fs::rename(&kept, &dest).map_err(io(&dest))?;
        }
        specs.push(RepoSpec {
            name: name.to_string(),
            location: Location::Local(dest),
            branch: None,
        });
    }
    Ok(specs)
}

fn git(name: &str, dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Result<(), DemoError> {
    let failed = |stderr: String| DemoError::Git {
        name: name.to_string(),
        step: args.join(" "),
        stderr,
    };
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_DIR", dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(e.to_string()))?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes).map_err(|e| failed(e.to_string()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| failed(e.to_string()))?;
    if !out.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    Ok(())
}

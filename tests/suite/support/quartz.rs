//! The Quartz conformance harness (`quartz-integration/conformance/check-pages.mjs`) as seen from
//! the tests: find node and the npm modules, run it once over a content folder, read its NDJSON.
//!
//! Without node or `node_modules`, tests that need it print a loud SKIP and pass, except under
//! `CI=true`, where they fail: CI runs `npm ci --prefix quartz-integration/conformance` first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The conformance folder with its installed modules.
pub struct Harness {
    dir: PathBuf,
}

/// The harness, or `None` (after a loud message) when it cannot run here and CI is not set.
pub fn harness() -> Option<Harness> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("quartz-integration/conformance");
    match missing(&dir) {
        None => Some(Harness { dir }),
        Some(what) => {
            let message = format!(
                "the Quartz conformance harness cannot run: {what}\n\
                 hint: install node 20+ and run `npm ci --prefix quartz-integration/conformance`"
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{message}\n(CI=true: a missing harness is a failure, not a skip)");
            }
            eprintln!("\n########## SKIPPED: Quartz conformance ##########\n{message}\n");
            None
        }
    }
}

/// What keeps the harness from running, if anything.
fn missing(dir: &Path) -> Option<String> {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Some(format!("`node --version` failed: {}", out.status)),
        Err(e) => return Some(format!("`node` not found ({e})")),
    }
    let manifest = std::fs::read_to_string(dir.join("package.json"))
        .unwrap_or_else(|e| panic!("read {}/package.json: {e}", dir.display()));
    let manifest: Value = serde_json::from_str(&manifest).expect("package.json is JSON");
    let deps = manifest["dependencies"]
        .as_object()
        .expect("package.json lists dependencies");
    let absent: Vec<&str> = deps
        .keys()
        .filter(|name| {
            !dir.join("node_modules")
                .join(name)
                .join("package.json")
                .is_file()
        })
        .map(String::as_str)
        .collect();
    if absent.is_empty() {
        None
    } else {
        Some(format!("npm modules not installed: {}", absent.join(", ")))
    }
}

impl Harness {
    /// Runs `check-pages.mjs` once over `content` (in UTC, as CI builds) and returns each page's
    /// report by its path relative to `content`.
    pub fn check(&self, content: &Path) -> BTreeMap<String, Value> {
        let out = Command::new("node")
            .arg(self.dir.join("check-pages.mjs"))
            .arg(content)
            .env("TZ", "UTC")
            .output()
            .expect("node runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "check-pages.mjs failed ({}):\n{}\n{stdout}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
            .lines()
            .map(|line| {
                let page: Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("bad NDJSON line ({e}): {line}"));
                let file = page["file"].as_str().expect("file").to_string();
                (file, page)
            })
            .collect()
    }
}

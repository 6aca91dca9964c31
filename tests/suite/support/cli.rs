//! A fluent harness around the real `sparky` binary: arguments, folder, environment, then
//! assertions on exit code, stdout, stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One invocation of the `sparky` binary.
pub struct Sparky {
    cmd: Command,
    args: Vec<String>,
}

/// The finished run, with helpers that print everything on failure.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Sparky {
    /// `sparky ARGS…` in `cwd`, with host git configuration isolated and no colours.
    pub fn new(cwd: &Path, args: &[&str]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sparky"));
        cmd.current_dir(cwd)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env_remove("SPARKY_LOG")
            .env_remove("SPARKY_GIT_TOKEN")
            .env_remove("GITHUB_TOKEN")
            .env_remove("RUST_LOG");
        Sparky {
            cmd,
            args: args.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn run(mut self) -> Run {
        let output = self.cmd.output().expect("sparky binary runs");
        Run {
            args: self.args,
            output,
        }
    }
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    fn describe(&self) -> String {
        format!(
            "sparky {:?} exited {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.args,
            self.output.status.code(),
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts the exit code and returns self for chaining.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(self.code(), code, "{}", self.describe());
        self
    }

    pub fn success(self) -> Self {
        self.expect_code(0)
    }

    /// Asserts that stderr contains `needle`.
    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.describe()
        );
        self
    }

    /// Parses stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.describe()))
    }
}

/// A path as an owned string for argument lists.
pub fn arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The `fixtures/` folder of the repository.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

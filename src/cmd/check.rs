//! `sparky check`: validates a content folder and lists every problem, for people and for CI.
//!
//! Findings go to stdout (one `path:line: kind: message` line each, or JSON with `--json`), the
//! summary line to stderr. Exit 0 when there is no error (warnings allowed), 1 when there is,
//! 2 when the check could not run (config, usage, unreadable folder).

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::check::{self, Finding, Options};
use crate::cli::CheckArgs;
use crate::config;
use crate::exit::Exit;

pub fn run(args: &CheckArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let (content, shown) = content_dir(args, cwd)?;
    let report = check::check(
        &content,
        Options {
            strict: args.strict,
        },
    )?;
    let path_of = |f: &Finding| {
        if shown.is_empty() {
            f.file.clone()
        } else {
            format!("{}/{}", shown.trim_end_matches('/'), f.file)
        }
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let findings: Vec<JsonFinding<'_>> = report
            .findings
            .iter()
            .map(|f| JsonFinding {
                path: path_of(f),
                finding: f,
            })
            .collect();
        let doc = JsonReport {
            content: &shown,
            pages: report.pages,
            errors: report.errors(),
            warnings: report.warnings(),
            findings,
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    } else {
        for f in &report.findings {
            std::io::Write::write_all(
                &mut out,
                format!("{}\n", f.to_line(&path_of(f))).as_bytes(),
            )?;
        }
    }
    let problems = report.findings.len();
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let detail = if problems == 0 {
        String::new()
    } else {
        format!(
            " ({}, {})",
            count(report.errors(), "error"),
            count(report.warnings(), "warning")
        )
    };
    ui.summary(format_args!(
        "checked {}: {}{detail}",
        count(report.pages, "page"),
        count(problems, "problem")
    ));
    Ok(if report.errors() > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// The folder to check and how to show it in findings: `--content` as given, else
/// `[output] content_dir` of the config (relative to the config's folder), else `./content`.
fn content_dir(args: &CheckArgs, cwd: &Path) -> anyhow::Result<(PathBuf, String)> {
    if let Some(dir) = &args.content {
        return Ok((cwd.join(dir), dir.to_string_lossy().into_owned()));
    }
    let config_path = args.config.clone().or_else(|| config::find(cwd));
    let dir = match &config_path {
        Some(path) => {
            let loaded = config::load(&cwd.join(path))
                .with_context(|| "cannot tell which content folder to check".to_string())?;
            loaded.resolve_path(&loaded.config.output.content_dir)
        }
        None => cwd.join("content"),
    };
    let shown = match dir.strip_prefix(cwd) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => dir.to_string_lossy().into_owned(),
    };
    Ok((dir, shown))
}

#[derive(Serialize)]
struct JsonReport<'a> {
    /// The content folder as shown in paths.
    content: &'a str,
    pages: usize,
    errors: usize,
    warnings: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    /// The page as the user names it (content folder included).
    path: String,
    #[serde(flatten)]
    finding: &'a Finding,
}

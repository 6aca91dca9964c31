//! Subcommands: each turns parsed arguments into a pipeline run and an exit code.

mod build;
mod check;
mod facts;
mod init;
mod mirror;
mod publish;
mod social;

use std::path::Path;

use anyhow::Context;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let cwd = std::env::current_dir().context("failed to read the current folder")?;
    let ui = Ui {
        progress: !cli.no_progress && !cli.quiet,
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Build(args) => build::run(&args, &cwd, ui),
        Command::Facts(args) => facts::run(&args, &cwd, ui),
        Command::Check(args) => check::run(&args, &cwd, ui),
        Command::Social(args) => social::run(&args, &cwd, ui),
        Command::Templates(crate::cli::TemplatesCommand::Eject { dir, force }) => {
            let written = crate::render::templates::eject(&cwd.join(&dir), force)?;
            ui.summary(format_args!(
                "wrote {} templates into {} (set `[output] templates_dir` to use them)",
                written.len(),
                dir.display()
            ));
            Ok(Exit::Success)
        }
        Command::Mirror(args) => mirror::run(&args, &cwd, ui),
        Command::Init(args) => init::run(&args, &cwd, ui),
        Command::Publish(args) => publish::run(&args, &cwd, ui),
    }
}

/// How a command talks to the person running it (stderr only; stdout is data).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ui {
    pub progress: bool,
    pub quiet: bool,
}

impl Ui {
    /// The one summary line a command ends with.
    pub fn summary(&self, line: std::fmt::Arguments<'_>) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }
}

/// The hint of the first error in the chain that has one.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<crate::config::ConfigError>() {
            return e.hint().map(str::to_string);
        }
        if let Some(e) = cause.downcast_ref::<crate::source::SourceError>() {
            return e.hint().map(str::to_string);
        }
        if let Some(e) = cause.downcast_ref::<crate::mirror::MirrorError>() {
            return e.hint();
        }
        if let Some(e) = cause.downcast_ref::<crate::publish::PublishError>() {
            return e.hint();
        }
        if let Some(e) = cause.downcast_ref::<crate::render::templates::TemplateError>() {
            return e.hint();
        }
        if let Some(e) = cause.downcast_ref::<crate::check::CheckError>() {
            return e.hint();
        }
        if let Some(e) = cause.downcast_ref::<crate::demo::DemoError>() {
            return Some(e.hint().to_string());
        }
        if let Some(e) = cause.downcast_ref::<crate::narrate::llm::LlmError>() {
            return e.hint();
        }
        if let Some(e) = cause.downcast_ref::<crate::window::WindowParseError>() {
            return Some(e.hint().to_string());
        }
        if cause
            .downcast_ref::<crate::settings::TimeZoneError>()
            .is_some()
        {
            return Some(
                "use an IANA name such as `UTC`, `Europe/Berlin` or `America/New_York`".into(),
            );
        }
        if let Some(e) = cause.downcast_ref::<crate::social::InsideContent>() {
            return Some(e.hint());
        }
        if let Some(e) = cause.downcast_ref::<crate::lock::LockError>() {
            return e.hint();
        }
        if let Some(e) = cause.downcast_ref::<CacheDirError>() {
            return Some(format!(
                "make `{}` a writable folder, or choose another with --cache-dir",
                e.path.display()
            ));
        }
    }
    None
}

/// An error and its causes on one line: `a: b: c`.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut s = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let msg = e.to_string();
        if !s.contains(&msg) {
            s.push_str(": ");
            s.push_str(&msg);
        }
        source = e.source();
    }
    s
}

/// The cache folder cannot be created or written.
#[derive(Debug, thiserror::Error)]
#[error("the cache folder `{}` is not writable", path.display())]
pub struct CacheDirError {
    pub path: std::path::PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Creates the cache folder, proves it is writable, takes its lock (one sparky run per cache
/// folder at a time; the lock lasts as long as the returned value) and removes the temporary
/// files a killed run left in it, all before any git work starts.
pub(crate) fn prepare_cache_dir(dir: &Path, ui: Ui) -> anyhow::Result<crate::lock::Lock> {
    let fail = |source| CacheDirError {
        path: dir.to_path_buf(),
        source,
    };
    for sub in ["mirrors", "history"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(fail)?;
    }
    tempfile::NamedTempFile::new_in(dir.join("history")).map_err(fail)?;
    let lock = crate::lock::acquire(
        &dir.join("sparky.lock"),
        &format!("the cache folder `{}`", dir.display()),
        crate::lock::wait_from_env(),
        ui.quiet,
    )?;
    crate::output::safe::sweep_cache_temp_files(dir);
    Ok(lock)
}

/// Takes the lock of the content folder whose manifest is `manifest_path` (a folder written by
/// one run at a time, whatever cache folder the other uses: the lock sits beside the manifest).
pub(crate) fn lock_content(
    manifest_path: &Path,
    content_dir: &Path,
    ui: Ui,
) -> anyhow::Result<crate::lock::Lock> {
    Ok(crate::lock::acquire(
        &manifest_path.with_extension("lock"),
        &format!("the content folder `{}`", content_dir.display()),
        crate::lock::wait_from_env(),
        ui.quiet,
    )?)
}

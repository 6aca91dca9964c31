//! `sparky init`: write the fully commented default `sparky.toml`.

use std::path::Path;

use crate::cli::InitArgs;
use crate::exit::Exit;

pub fn run(args: &InitArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let written = crate::config::init(&cwd.join(&args.dir), args.force)?;
    ui.summary(format_args!("wrote {}", written.display()));
    Ok(Exit::Success)
}

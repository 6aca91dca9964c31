//! `sparky init`: write the fully commented default `sparky.toml`; with `--docs-repo`, also the
//! recipes, the CI workflow and the `.gitignore` entry a Quartz docs repository needs.

use std::path::Path;

use crate::cli::InitArgs;
use crate::exit::Exit;

pub fn run(args: &InitArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let dir = if args.dir == Path::new(".") {
        cwd.to_path_buf()
    } else {
        cwd.join(&args.dir)
    };
    if args.docs_repo {
        let done = crate::scaffold::docs_repo(&dir)?;
        for (_, what) in &done.added {
            eprintln!("{what}");
        }
        for line in &done.workflow {
            eprintln!("{line}");
        }
        for file in &done.kept {
            eprintln!("kept: {file} (already there, not changed)");
        }
        for step in &done.next {
            eprintln!("next: {step}");
        }
        ui.summary(format_args!(
            "added {} files to the docs repository in {} ({} kept as they were)",
            done.added.len(),
            dir.display(),
            done.kept.len()
        ));
        return Ok(Exit::Success);
    }
    let written = crate::config::init(&dir, args.force)?;
    ui.summary(format_args!("wrote {}", written.display()));
    Ok(Exit::Success)
}

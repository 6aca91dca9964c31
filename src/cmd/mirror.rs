//! `sparky mirror`: create or update the bare mirrors of every URL source.

use std::path::Path;

use crate::cli::MirrorArgs;
use crate::exit::Exit;
use crate::pipeline::{self, GatherOptions};
use crate::settings::{PeriodOverrides, Settings};
use crate::source::Location;

pub fn run(args: &MirrorArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let settings = Settings::resolve(&args.source, &PeriodOverrides::default(), cwd)?;
    let _cache_lock = super::prepare_cache_dir(&settings.cache_dir, ui)?;
    let (located, failed) = pipeline::locate(
        &settings,
        GatherOptions {
            offline: false,
            progress: ui.progress,
        },
    );
    let urls = settings
        .specs
        .iter()
        .filter(|s| matches!(s.location, Location::Url(_)))
        .count();
    for f in &failed {
        eprintln!("failed {}: {}", f.name, f.error);
    }
    let failed_names: Vec<&str> = failed.iter().map(|f| f.name.as_str()).collect();
    ui.summary(format_args!(
        "mirrored {} of {} URL sources ({} local repos read in place; failed: {}) in {:.1}s",
        urls - failed.len(),
        urls,
        located.len() + failed.len() - urls,
        if failed_names.is_empty() {
            "none".to_string()
        } else {
            failed_names.join(", ")
        },
        started.elapsed().as_secs_f64()
    ));
    Ok(if failed.is_empty() {
        Exit::Success
    } else {
        Exit::Partial
    })
}

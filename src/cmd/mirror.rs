//! `sparky mirror`: create or update the bare mirrors of every URL source.

use std::path::Path;

use crate::cli::MirrorArgs;
use crate::exit::Exit;
use crate::pipeline::{self, GatherOptions};
use crate::settings::{PeriodOverrides, Settings};

pub fn run(args: &MirrorArgs, cwd: &Path, progress: bool) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let settings = Settings::resolve(&args.source, &PeriodOverrides::default(), cwd)?;
    super::prepare_cache_dir(&settings.cache_dir)?;
    let (located, failed) = pipeline::locate(
        &settings,
        GatherOptions {
            offline: false,
            progress,
        },
    );
    for f in &failed {
        eprintln!("failed: {}: {}", f.name, f.error);
    }
    eprintln!(
        "mirrored {} repos ({} failed) in {:.1}s",
        located.len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(if failed.is_empty() {
        Exit::Success
    } else {
        Exit::Partial
    })
}

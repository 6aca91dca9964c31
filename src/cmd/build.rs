//! `sparky build`: gather, plan the periods, render every report with its facts file and charts,
//! add the index pages, and write them into the content folder safely.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;

use crate::cli::BuildArgs;
use crate::config::ReportPeriod;
use crate::exit::Exit;
use crate::narrate::llm::{LlmSettings, Narrator};
use crate::output::{self, OutFile, WriteOptions};
use crate::pipeline::{self, Analysis, GatherOptions};
use crate::plan::{self, PlanInput, Planned};
use crate::render::context::PageContext;
use crate::render::index::{self, Listed};
use crate::render::templates::Templates;
use crate::settings::{Fallback, Settings};
use crate::window::Window;

mod keep;
mod render;
mod summary;

use keep::{keep_what_failed_repos_knew, set_aside_foreign_reports};
use render::{Render, dump_context, render_all, report_narration};
use summary::{Summary, summarize};

/// `sparky build`, stage by stage, in the order the data flows.
pub fn run(args: &BuildArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    if let Some(file) = &args.from_context {
        return from_context(file);
    }
    let (mut settings, templates) = configure(args, cwd)?;
    let _cache_lock = super::prepare_cache_dir(&settings.cache_dir, ui)?;
    add_demo_sources(&mut settings, ui)?;
    let mut gathered = pipeline::gather(&settings, gather_options(args, ui));
    for warning in &gathered.warnings {
        eprintln!("warning: {warning}");
    }
    if gathered.repos.is_empty() && !gathered.failed.is_empty() {
        return nothing_readable(&gathered, ui);
    }
    let planned = plan_reports(args, &settings, &Analysis::new(&settings, &gathered))?;
    enrich(&settings, &mut gathered, &planned);
    let analysis = Analysis::new(&settings, &gathered);
    let narrator = LlmSettings::resolve(&settings.llm, &args.llm, &settings.cache_dir)?
        .map(Narrator::new)
        .transpose()?;
    let site = Site::open(&settings, ui)?;
    let render = Render::new(
        &settings,
        &analysis,
        &templates,
        &planned,
        &site,
        narrator.as_ref(),
    );
    if args.dump_context {
        return dump_context(&render);
    }
    let rendered = render_all(&render)?;
    report_narration(narrator.as_ref(), ui);
    let mut rebuilt: BTreeSet<String> = planned.iter().map(|p| p.window.to_string()).collect();
    let (rendered, kept) =
        keep_what_failed_repos_knew(&settings, &gathered, rendered, &mut rebuilt);
    let (rendered, foreign) = match args.adopt || args.force {
        true => (rendered, Vec::new()),
        false => set_aside_foreign_reports(&settings, &site, rendered, &mut rebuilt),
    };
    let (social_files, mut files): (Vec<OutFile>, Vec<OutFile>) = rendered
        .into_iter()
        .partition(|f| f.role == output::Role::Social);
    files.extend(index_pages(&settings, &templates, &site, &files)?);
    let opts = WriteOptions {
        force: args.force,
        dry_run: args.dry_run,
        adopt: args.adopt,
    };
    let outcome = output::apply(
        &settings.content_dir,
        &site.manifest_path,
        &files,
        &rebuilt,
        opts,
    )
    .with_context(|| {
        format!(
            "failed to write the reports into `{}`",
            settings.content_dir.display()
        )
    })?;
    let social = match settings.social.enabled {
        true => Some(super::social::write(
            &settings,
            &social_files,
            &rebuilt,
            opts,
        )?),
        false => None,
    };
    Ok(summarize(&Summary {
        args,
        gathered: &gathered,
        outcome: &outcome,
        social: social.as_ref(),
        kept: &kept,
        foreign: &foreign,
        base_folder: &settings.output.base_folder,
        started,
        ui,
    }))
}

/// Settings with the command line applied, and the templates, parsed before any git work so a
/// template error costs nothing.
fn configure(args: &BuildArgs, cwd: &Path) -> anyhow::Result<(Settings, Templates)> {
    let periods = args.periods.overrides();
    let mut settings = Settings::resolve_with(&args.source, &periods, cwd, Fallback::Demo)?;
    if let Some(out) = &args.out {
        settings.content_dir = cwd.join(out);
        settings.social_dir = crate::social::place::beside_out(
            &settings.content_dir,
            &settings.social.dir,
            settings.social_dir.clone(),
        );
    }
    if settings.social.enabled {
        crate::social::place::check(&settings.social_dir, &settings.content_dir)?;
    }
    let templates = Templates::load(settings.templates_dir.as_deref())?;
    Ok((settings, templates))
}

/// Without a config: the bundled demo organisation, materialized in the cache.
fn add_demo_sources(settings: &mut Settings, ui: super::Ui) -> anyhow::Result<()> {
    if settings.demo {
        settings.specs = crate::demo::materialize(&settings.cache_dir)?;
        if !ui.quiet {
            eprintln!(
                "no sparky.toml here: building the bundled demo organisation into {} \
                 (use --repo PATH, --repos-dir DIR or `sparky init` for your own repositories)",
                settings.content_dir.display()
            );
        }
    }
    Ok(())
}

fn gather_options(args: &BuildArgs, ui: super::Ui) -> GatherOptions {
    GatherOptions {
        offline: args.offline,
        progress: ui.progress,
    }
}

/// Every repository failed: nothing is written (pages keep what they knew), exit 2.
fn nothing_readable(gathered: &pipeline::Gathered, ui: super::Ui) -> anyhow::Result<Exit> {
    for f in &gathered.failed {
        eprintln!("failed {}: {}", f.name, f.error);
    }
    ui.summary(format_args!(
        "wrote nothing: none of the {} repositories could be read; the pages already published are left as they are",
        gathered.failed.len()
    ));
    Ok(Exit::Failure)
}

/// GitHub data (when configured), fetched once for every window written and the ones their
/// trends compare against.
fn enrich(settings: &Settings, gathered: &mut pipeline::Gathered, planned: &[Planned]) {
    let windows: Vec<Window> = planned
        .iter()
        .flat_map(|p| [Some(p.window), p.window.previous()])
        .flatten()
        .collect();
    pipeline::enrich(settings, gathered, &windows);
}

/// The content folder as this run finds it: locked for this run, with Sparky's manifest and
/// the report pages it already lists.
struct Site {
    manifest_path: std::path::PathBuf,
    manifest: output::Manifest,
    /// Stems of report pages the manifest lists that are on disk.
    known: BTreeSet<String>,
    _lock: crate::lock::Lock,
}

impl Site {
    fn open(settings: &Settings, ui: super::Ui) -> anyhow::Result<Site> {
        let manifest_path = output::manifest::locate(
            &settings.cache_dir,
            &settings.base_dir,
            &settings.content_dir,
        );
        let lock = super::lock_content(&manifest_path, &settings.content_dir, ui)?;
        let manifest = output::Manifest::load(&manifest_path);
        let known = manifest
            .files
            .iter()
            .filter(|(_, e)| e.listing.is_some())
            .filter_map(|(rel, _)| rel.strip_suffix(".md").map(str::to_string))
            .filter(|stem| settings.content_dir.join(format!("{stem}.md")).exists())
            .collect();
        Ok(Site {
            manifest_path,
            manifest,
            known,
            _lock: lock,
        })
    }
}

/// The index pages, listing the reports already on disk and the ones about to be written.
fn index_pages(
    settings: &Settings,
    templates: &Templates,
    site: &Site,
    files: &[OutFile],
) -> anyhow::Result<Vec<OutFile>> {
    let mut listed: Vec<Listed> = site
        .manifest
        .files
        .iter()
        .filter_map(|(rel, e)| {
            Some(Listed {
                stem: rel.strip_suffix(".md")?.to_string(),
                listing: e.listing.clone()?,
            })
        })
        .filter(|l| settings.content_dir.join(format!("{}.md", l.stem)).exists())
        .collect();
    for f in files {
        if let (Some(listing), Some(stem)) = (&f.listing, f.rel.strip_suffix(".md")) {
            listed.retain(|l| l.stem != stem);
            listed.push(Listed {
                stem: stem.to_string(),
                listing: listing.clone(),
            });
        }
    }
    if listed.is_empty() {
        return Ok(Vec::new());
    }
    Ok(index::pages(
        &settings.output.base_folder,
        &listed,
        &settings.output.author,
        templates,
    )?)
}

fn plan_reports(
    args: &BuildArgs,
    settings: &Settings,
    analysis: &Analysis<'_>,
) -> anyhow::Result<Vec<Planned>> {
    let o = &settings.output;
    let periods: Vec<ReportPeriod> = if args.period.is_empty() {
        o.periods.clone()
    } else {
        args.period.iter().map(|&p| p.into()).collect()
    };
    let since = o
        .since
        .as_deref()
        .map(str::parse)
        .transpose()
        .context("invalid [output] since")?;
    let until = match settings.demo {
        true => Some(crate::demo::UNTIL.to_string()),
        false => o.until.clone(),
    }
    .as_deref()
    .map(str::parse)
    .transpose()
    .context("invalid [output] until")?;
    let active = analysis.active_days();
    Ok(plan::plan(&PlanInput {
        periods: &periods,
        since,
        until,
        recent: o.recent,
        quiet_days: o.quiet_days,
        quiet_periods: o.quiet_periods,
        include_partial: args.include_partial,
        only: args.window,
        now: now()?,
        tz: &settings.facts.time_zone,
        active_days: &active,
    }))
}

/// The clock, once per build: it decides which periods are complete and never reaches a page.
/// `SPARKY_NOW` (RFC 3339) pins it for reproducible builds and tests.
pub(super) fn now() -> anyhow::Result<jiff::Timestamp> {
    match std::env::var("SPARKY_NOW") {
        Ok(s) => s
            .parse()
            .with_context(|| format!("SPARKY_NOW=`{s}` is not an RFC 3339 time")),
        Err(_) => Ok(jiff::Timestamp::now()),
    }
}

/// `--from-context FILE`: the page body rendered from a saved context, on stdout.
fn from_context(file: &Path) -> anyhow::Result<Exit> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("failed to read `{}`", file.display()))?;
    let ctx: PageContext = serde_json::from_str(&text).with_context(|| {
        format!(
            "`{}` is not a page context saved with --dump-context",
            file.display()
        )
    })?;
    let templates = Templates::load(None)?;
    let name = match ctx.kind.as_str() {
        "day" => "daily.md",
        "week" => "weekly.md",
        _ => "monthly.md",
    };
    print!("{}", templates.render(name, &ctx)?);
    Ok(Exit::Success)
}

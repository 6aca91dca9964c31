//! `sparky build`: gather, plan the periods, render every report with its facts file and charts,
//! add the index pages, and write them into the content folder safely.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;

use crate::cli::BuildArgs;
use crate::config::ReportPeriod;
use crate::exit::Exit;
use crate::narrate::llm::{LlmSettings, Narrator};
use crate::output::{self, OutFile, WriteOptions};
use crate::pipeline::{self, Analysis, GatherOptions};
use crate::plan::{self, PlanInput, Planned};
use crate::render::context::PageContext;
use crate::render::index::{self, Listed};
use crate::render::page::{self, ReportSpec};
use crate::render::paths;
use crate::render::templates::Templates;
use crate::settings::{Fallback, Settings};
use crate::window::{Window, WindowKind};

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

/// `--dump-context`: the first planned page's template context as JSON on stdout.
fn dump_context(r: &Render<'_>) -> anyhow::Result<Exit> {
    let Some(p) = r.planned.first() else {
        return Ok(Exit::Success);
    };
    let (_, ctx) = r.one(p)?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &ctx)?;
    std::io::Write::write_all(&mut out, b"\n")?;
    Ok(Exit::Success)
}

/// Every planned report with its facts file, charts and social drafts, in parallel.
fn render_all(r: &Render<'_>) -> anyhow::Result<Vec<OutFile>> {
    let render = || -> anyhow::Result<Vec<Vec<OutFile>>> {
        r.planned
            .par_iter()
            .map(|p| r.one(p).map(|(files, _)| files))
            .collect()
    };
    let rendered = match r.narrator {
        // Model requests wait on the network: enough threads to keep `max_in_flight` busy.
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.threads())
            .build()?
            .install(render)?,
        None => render()?,
    };
    Ok(rendered.into_iter().flatten().collect())
}

fn report_narration(narrator: Option<&Narrator>, ui: super::Ui) {
    let Some(n) = narrator.filter(|_| !ui.quiet) else {
        return;
    };
    let report = n.finish();
    if let Some((problem, hint)) = report.problem {
        eprintln!("warning: {problem}; the prose it did not write is template text");
        if let Some(hint) = hint {
            eprintln!("hint: {hint}");
        }
    }
    if report.sections > 0 {
        eprintln!("{}", report.line);
    }
}

/// Never publish less than was known: a period whose published facts name a repository that
/// could not be read this run keeps its files as they are (and is not pruned). Returns the
/// files still to write and the kept periods with the reason.
fn keep_what_failed_repos_knew(
    settings: &Settings,
    gathered: &pipeline::Gathered,
    rendered: Vec<OutFile>,
    rebuilt: &mut BTreeSet<String>,
) -> (Vec<OutFile>, Vec<(String, String)>) {
    if gathered.failed.is_empty() {
        return (rendered, Vec::new());
    }
    let mut kept_periods: std::collections::BTreeMap<String, String> = Default::default();
    for f in rendered.iter().filter(|f| f.role == output::Role::Facts) {
        let Some(period) = &f.period else { continue };
        let Some(known) = published_repos(&settings.content_dir, &f.rel) else {
            continue;
        };
        let lost: Vec<&str> = gathered
            .failed
            .iter()
            .map(|r| r.name.as_str())
            .filter(|name| known.iter().any(|k| k == name))
            .collect();
        if !lost.is_empty() {
            let why = format!(
                "kept as published: {} could not be read this run",
                lost.join(", ")
            );
            kept_periods.insert(period.clone(), why);
            rebuilt.remove(period);
        }
    }
    let kept = rendered
        .iter()
        .filter(|f| f.role == output::Role::Report)
        .filter_map(|f| Some((f.rel.clone(), kept_periods.get(f.period.as_ref()?)?.clone())))
        .collect();
    let files = rendered
        .into_iter()
        .filter(|f| {
            !f.period
                .as_ref()
                .is_some_and(|p| kept_periods.contains_key(p))
        })
        .collect();
    (files, kept)
}

/// Adoption: a report whose page exists and was not written by Sparky (an older blog's page
/// at the same path) is left alone with its whole period (facts file, charts, drafts), so no
/// Sparky file sits beside a page that does not match it. Returns the files still to write
/// and the pages set aside.
fn set_aside_foreign_reports(
    settings: &Settings,
    site: &Site,
    rendered: Vec<OutFile>,
    rebuilt: &mut BTreeSet<String>,
) -> (Vec<OutFile>, Vec<String>) {
    let mut periods = BTreeSet::new();
    let mut pages = Vec::new();
    for f in rendered.iter().filter(|f| f.role == output::Role::Report) {
        if output::is_foreign(&settings.content_dir, &site.manifest, &f.rel)
            && let Some(period) = &f.period
        {
            periods.insert(period.clone());
            rebuilt.remove(period);
            pages.push(f.rel.clone());
        }
    }
    let files = rendered
        .into_iter()
        .filter(|f| !f.period.as_ref().is_some_and(|p| periods.contains(p)))
        .collect();
    (files, pages)
}

/// The repository names in the facts file already published at `rel`, if there is one.
fn published_repos(content_dir: &Path, rel: &str) -> Option<Vec<String>> {
    let target = output::safe::target(content_dir, rel).ok()?;
    let bytes = std::fs::read(target).ok()?;
    let facts: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    Some(
        facts
            .get("repos")?
            .as_array()?
            .iter()
            .filter_map(|r| r.get("name")?.as_str().map(str::to_string))
            .collect(),
    )
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

struct Summary<'a> {
    args: &'a BuildArgs,
    gathered: &'a pipeline::Gathered,
    outcome: &'a output::Outcome,
    social: Option<&'a output::Outcome>,
    kept: &'a [(String, String)],
    /// Report pages at Sparky's paths that Sparky did not write, left alone.
    foreign: &'a [String],
    base_folder: &'a str,
    started: std::time::Instant,
    ui: super::Ui,
}

/// What a dry run would do, what was skipped or kept, the one summary line, and the exit code:
/// 1 when a repository failed or is stale, or a page was skipped or kept.
fn summarize(s: &Summary<'_>) -> Exit {
    let (args, outcome) = (s.args, s.outcome);
    let verb = if args.dry_run { "would write" } else { "wrote" };
    if args.dry_run {
        for (what, list) in [
            ("create", &outcome.created),
            ("change", &outcome.changed),
            ("remove", &outcome.removed),
        ] {
            for rel in list {
                println!("would {what} {rel}");
            }
        }
    }
    for (rel, why) in &outcome.skipped {
        eprintln!("skipped {rel}: {why}");
    }
    for (rel, why) in s.kept {
        eprintln!("kept {rel}: {why}");
    }
    let foreign: Vec<&String> = s.foreign.iter().chain(&outcome.foreign).collect();
    for rel in &foreign {
        eprintln!("kept {rel}: a page Sparky did not write is at this path");
    }
    if !foreign.is_empty() {
        eprintln!(
            "note: {} {} at Sparky's paths {} not written by Sparky and {} left as {} (no repository failed)",
            foreign.len(),
            plural(foreign.len(), "page", "pages"),
            plural(foreign.len(), "was", "were"),
            plural(foreign.len(), "is", "are"),
            plural(foreign.len(), "it is", "they are"),
        );
        eprintln!(
            "hint: keep {} (nothing to do), let Sparky take {} over with `sparky build --adopt`, or move {} out of `{}/`",
            plural(foreign.len(), "it", "them"),
            plural(foreign.len(), "it", "them"),
            plural(foreign.len(), "it", "them"),
            s.base_folder,
        );
    }
    for f in &s.gathered.failed {
        eprintln!("failed {}: {}", f.name, f.error);
    }
    for r in &s.gathered.repos {
        if let Some(stale) = &r.stale {
            eprintln!(
                "stale {}: data as of {}: {}",
                r.spec.name,
                stale.as_of.as_deref().unwrap_or("an unknown time"),
                stale.reason
            );
        }
    }
    let pages = |list: &[String]| list.iter().filter(|r| r.ends_with(".md")).count();
    let drafts = s.social.map_or(String::new(), |o| {
        format!(
            " and {} social drafts",
            pages(&o.created) + pages(&o.changed)
        )
    });
    let narrowed = args.window.is_some() || !args.period.is_empty();
    let stale = s
        .gathered
        .repos
        .iter()
        .filter(|r| r.stale.is_some())
        .count();
    s.ui.summary(format_args!(
        "{verb} {} pages{drafts} for {} repos ({} created, {} changed, {} unchanged, {} removed, {} skipped, {} kept, {} not Sparky's; {} repos failed, {} stale{}) in {:.1}s",
        pages(&outcome.created) + pages(&outcome.changed),
        s.gathered.repos.len(),
        pages(&outcome.created),
        pages(&outcome.changed),
        pages(&outcome.unchanged),
        pages(&outcome.removed),
        outcome.skipped.len(),
        s.kept.len(),
        foreign.len(),
        s.gathered.failed.len(),
        stale,
        if narrowed { "; narrowed by --window/--period" } else { "" },
        s.started.elapsed().as_secs_f64()
    ));
    let social_skipped = s.social.is_some_and(|o| !o.skipped.is_empty());
    if s.gathered.is_partial()
        || !outcome.skipped.is_empty()
        || social_skipped
        || !s.kept.is_empty()
        || !foreign.is_empty()
    {
        Exit::Partial
    } else {
        Exit::Success
    }
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

/// What every report is rendered from.
struct Render<'a> {
    settings: &'a Settings,
    analysis: &'a Analysis<'a>,
    templates: &'a Templates,
    planned: &'a [Planned],
    known: &'a BTreeSet<String>,
    narrator: Option<&'a Narrator>,
}

impl<'a> Render<'a> {
    fn new(
        settings: &'a Settings,
        analysis: &'a Analysis<'a>,
        templates: &'a Templates,
        planned: &'a [Planned],
        site: &'a Site,
        narrator: Option<&'a Narrator>,
    ) -> Self {
        Render {
            settings,
            analysis,
            templates,
            planned,
            known: &site.known,
            narrator,
        }
    }

    /// One report's files (page, facts, charts, social drafts) and its template context.
    fn one(&self, p: &Planned) -> anyhow::Result<(Vec<OutFile>, PageContext)> {
        let Render {
            settings,
            analysis,
            templates,
            planned,
            known,
            narrator,
        } = *self;
        let facts = analysis.facts(p.window);
        let base = settings.output.base_folder.as_str();
        let exists = |w: &Window| -> Option<(String, String)> {
            let stem = paths::page_stem(base, w)?;
            let planned_here = planned.iter().any(|q| q.window == *w);
            (planned_here || known.contains(&stem)).then(|| (stem, w.to_string()))
        };
        let same_kind = |forward: bool| -> Option<(String, String)> {
            // The nearest existing page of the same kind, skipping periods without a page.
            let mut w = p.window;
            for _ in 0..400 {
                w = if forward { w.next()? } else { w.previous()? };
                if let Some(hit) = exists(&w) {
                    return Some(hit);
                }
            }
            None
        };
        let up: Vec<(String, String)> = match p.window {
            Window::Day(d) => [WindowKind::Week, WindowKind::Month]
                .iter()
                .filter_map(|&k| exists(&Window::containing(k, d)))
                .collect(),
            Window::Week { year, week } => {
                jiff::civil::ISOWeekDate::new(year, week, jiff::civil::Weekday::Thursday)
                    .ok()
                    .and_then(|t| exists(&Window::containing(WindowKind::Month, t.date())))
                    .into_iter()
                    .collect()
            }
            _ => Vec::new(),
        };
        let spec = ReportSpec {
            window: p.window,
            partial: p.partial,
            base_folder: base,
            org_name: &settings.output.org_name,
            author: &settings.output.author,
            previous: same_kind(false),
            next: same_kind(true),
            up,
            quiet_since: p.quiet_since,
            narrator,
        };
        let mut rendered = page::report(&facts, &spec, templates)?;
        // The report's social drafts ride along, marked by their role; `run` writes them apart.
        let drafts = super::social::files_for(settings, &facts, p.window, p.partial);
        rendered.files.extend(drafts);
        Ok((rendered.files, rendered.context))
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

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

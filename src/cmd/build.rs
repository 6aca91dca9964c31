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

pub fn run(args: &BuildArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    if let Some(file) = &args.from_context {
        return from_context(file);
    }
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
    // Templates are parsed before any git work, so a template error costs nothing.
    let templates = Templates::load(settings.templates_dir.as_deref())?;
    super::prepare_cache_dir(&settings.cache_dir)?;
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
    let mut gathered = pipeline::gather(
        &settings,
        GatherOptions {
            offline: args.offline,
            progress: ui.progress,
        },
    );
    let planned = plan_reports(args, &settings, &Analysis::new(&settings, &gathered))?;
    // GitHub data (when configured) is fetched once for every window written and the ones
    // their trends compare against.
    let windows: Vec<Window> = planned
        .iter()
        .flat_map(|p| [Some(p.window), p.window.previous()])
        .flatten()
        .collect();
    pipeline::enrich(&settings, &mut gathered, &windows);
    let analysis = Analysis::new(&settings, &gathered);
    let narrator = LlmSettings::resolve(&settings.llm, &args.llm, &settings.cache_dir)?
        .map(Narrator::new)
        .transpose()?;

    let manifest_path = output::manifest::locate(
        &settings.cache_dir,
        &settings.base_dir,
        &settings.content_dir,
    );
    let manifest = output::Manifest::load(&manifest_path);
    let known: BTreeSet<String> = manifest
        .files
        .iter()
        .filter(|(_, e)| e.listing.is_some())
        .filter_map(|(rel, _)| rel.strip_suffix(".md").map(str::to_string))
        .filter(|stem| settings.content_dir.join(format!("{stem}.md")).exists())
        .collect();
    if args.dump_context {
        let Some(p) = planned.first() else {
            return Ok(Exit::Success);
        };
        let (_, ctx) = render_one(
            &settings,
            &analysis,
            &templates,
            p,
            &planned,
            &known,
            narrator.as_ref(),
        )?;
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &ctx)?;
        std::io::Write::write_all(&mut out, b"\n")?;
        return Ok(Exit::Success);
    }

    let render_all = || -> anyhow::Result<Vec<Vec<OutFile>>> {
        planned
            .par_iter()
            .map(|p| {
                let n = narrator.as_ref();
                render_one(&settings, &analysis, &templates, p, &planned, &known, n)
                    .map(|(files, _)| files)
            })
            .collect()
    };
    let rendered = match &narrator {
        // Model requests wait on the network: enough threads to keep `max_in_flight` busy.
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.threads())
            .build()?
            .install(render_all)?,
        None => render_all()?,
    };
    let (social_files, mut files): (Vec<OutFile>, Vec<OutFile>) = rendered
        .into_iter()
        .flatten()
        .partition(|f| f.role == output::Role::Social);
    if let Some(n) = &narrator
        && !ui.quiet
    {
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

    let narrowed = args.window.is_some() || !args.period.is_empty();
    let mut listed: Vec<Listed> = manifest
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
    for f in &files {
        if let (Some(listing), Some(stem)) = (&f.listing, f.rel.strip_suffix(".md")) {
            listed.retain(|l| l.stem != stem);
            listed.push(Listed {
                stem: stem.to_string(),
                listing: listing.clone(),
            });
        }
    }
    if !listed.is_empty() {
        files.extend(index::pages(
            &settings.output.base_folder,
            &listed,
            &settings.output.author,
            &templates,
        )?);
    }
    let rebuilt: BTreeSet<String> = planned.iter().map(|p| p.window.to_string()).collect();
    let outcome = output::apply(
        &settings.content_dir,
        &manifest_path,
        &files,
        &rebuilt,
        WriteOptions {
            force: args.force,
            dry_run: args.dry_run,
        },
    )
    .with_context(|| {
        format!(
            "failed to write the reports into `{}`",
            settings.content_dir.display()
        )
    })?;

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
    let social = if settings.social.enabled {
        let opts = WriteOptions {
            force: args.force,
            dry_run: args.dry_run,
        };
        Some(super::social::write(
            &settings,
            &social_files,
            &rebuilt,
            opts,
        )?)
    } else {
        None
    };
    let pages = |list: &[String]| list.iter().filter(|r| r.ends_with(".md")).count();
    let drafts = social.as_ref().map_or(String::new(), |o| {
        format!(
            " and {} social drafts",
            pages(&o.created) + pages(&o.changed)
        )
    });
    ui.summary(format_args!(
        "{verb} {} pages{drafts} for {} repos ({} created, {} changed, {} unchanged, {} removed, {} skipped; {} repos failed{}) in {:.1}s",
        pages(&outcome.created) + pages(&outcome.changed),
        gathered.repos.len(),
        pages(&outcome.created),
        pages(&outcome.changed),
        pages(&outcome.unchanged),
        pages(&outcome.removed),
        outcome.skipped.len(),
        gathered.failed.len(),
        if narrowed { "; narrowed by --window/--period" } else { "" },
        started.elapsed().as_secs_f64()
    ));
    let social_skipped = social.as_ref().is_some_and(|o| !o.skipped.is_empty());
    Ok(
        if gathered.is_partial() || !outcome.skipped.is_empty() || social_skipped {
            Exit::Partial
        } else {
            Exit::Success
        },
    )
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

fn render_one(
    settings: &Settings,
    analysis: &Analysis<'_>,
    templates: &Templates,
    p: &Planned,
    planned: &[Planned],
    known: &BTreeSet<String>,
    narrator: Option<&Narrator>,
) -> anyhow::Result<(Vec<OutFile>, PageContext)> {
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

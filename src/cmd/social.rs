//! `sparky social`: print one report's social-media drafts; and the drafts' part of
//! `sparky build` (what each report's drafts are told, and writing them to the social folder).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;

use crate::cli::SocialArgs;
use crate::exit::Exit;
use crate::facts::OrgFacts;
use crate::output::{self, OutFile, Outcome, WriteOptions};
use crate::pipeline::{self, GatherOptions};
use crate::render::paths;
use crate::settings::{Fallback, Settings};
use crate::social::{self, Spec, sanitize};
use crate::window::Window;

pub fn run(args: &SocialArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let periods = args.periods.overrides();
    let mut settings = Settings::resolve_with(&args.source, &periods, cwd, Fallback::Demo)?;
    let now = super::build::now()?;
    let partial = args
        .window
        .bounds(&settings.facts.time_zone)
        .is_some_and(|b| b.end > now);
    let Some(spec) = spec(&settings, args.window, partial) else {
        anyhow::bail!(
            "social drafts belong to a report: give a day (2025-11-14), an ISO week (2025-W46) or a month (2025-11), not `{}`",
            args.window
        );
    };
    let _cache_lock = super::prepare_cache_dir(&settings.cache_dir, ui)?;
    if settings.demo {
        settings.specs = crate::demo::materialize(&settings.cache_dir)?;
        if !ui.quiet {
            eprintln!("no sparky.toml here: drafts for the bundled demo organisation");
        }
    }
    let gathered = pipeline::gather(
        &settings,
        GatherOptions {
            offline: args.offline,
            progress: ui.progress,
        },
    );
    let facts = pipeline::facts_for(&settings, &gathered, args.window);
    let drafts = social::drafts(&facts, &spec);
    let mut out = std::io::stdout().lock();
    if args.json {
        std::io::Write::write_all(&mut out, &social::export::json(&drafts, &facts.generator))?;
    } else {
        std::io::Write::write_all(&mut out, social::export::markdown(&drafts).as_bytes())?;
    }
    std::io::Write::flush(&mut out)?;
    let shapes: Vec<String> = drafts
        .drafts
        .iter()
        .map(|d| format!("{} {}", d.platform.title(), d.posts.len()))
        .collect();
    ui.summary(format_args!(
        "social drafts for {} (posts: {}) over {} repos ({} failed) in {:.2}s",
        drafts.period,
        shapes.join(", "),
        gathered.repos.len(),
        gathered.failed.len(),
        started.elapsed().as_secs_f64()
    ));
    Ok(if gathered.is_partial() {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// What the drafts of the report over `window` are told; `None` for a window without a report
/// page (`all`).
pub(super) fn spec(settings: &Settings, window: Window, partial: bool) -> Option<Spec> {
    let page = paths::page_stem(&settings.output.base_folder, &window)?;
    let s = &settings.social;
    Some(Spec {
        window,
        partial,
        org_name: settings.output.org_name.clone(),
        url: settings
            .output
            .site_url
            .as_deref()
            .map(|site| social::page_url(site, &page)),
        page,
        // Config validation rejects hashtags without a slug; a hand-built config skips them.
        hashtags: s
            .hashtags
            .iter()
            .filter_map(|t| sanitize::hashtag(t).ok())
            .collect(),
        targets: s
            .platforms
            .iter()
            .map(|&p| (p, p.limit(s.mastodon_limit)))
            .collect(),
    })
}

/// The draft files of one report, when drafts are enabled (paths relative to the social folder).
pub(super) fn files_for(
    settings: &Settings,
    facts: &OrgFacts,
    window: Window,
    partial: bool,
) -> Vec<OutFile> {
    if !settings.social.enabled {
        return Vec::new();
    }
    spec(settings, window, partial)
        .map(|spec| social::export::files(&social::drafts(facts, &spec), &facts.generator))
        .unwrap_or_default()
}

/// Writes the draft files into the social folder the way reports are written (atomically, only
/// changed bytes, never over a human edit, pruning only Sparky's own files of rebuilt periods),
/// with a manifest of its own; prints what a dry run would do and what was skipped.
pub(super) fn write(
    settings: &Settings,
    files: &[OutFile],
    rebuilt: &BTreeSet<String>,
    opts: WriteOptions,
) -> anyhow::Result<Outcome> {
    let dir = &settings.social_dir;
    let manifest = output::manifest::path_for(&settings.cache_dir, &settings.base_dir, dir);
    let outcome = output::apply(dir, &manifest, files, rebuilt, opts)
        .with_context(|| format!("failed to write the social drafts into `{}`", dir.display()))?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let base = dir.strip_prefix(&cwd).unwrap_or(dir);
    let shown = |rel: &str| base.join(rel).display().to_string();
    if opts.dry_run {
        for (what, list) in [
            ("create", &outcome.created),
            ("change", &outcome.changed),
            ("remove", &outcome.removed),
        ] {
            for rel in list {
                println!("would {what} {}", shown(rel));
            }
        }
    }
    for (rel, why) in &outcome.skipped {
        eprintln!("skipped {}: {why}", shown(rel));
    }
    Ok(outcome)
}

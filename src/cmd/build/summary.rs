//! The end of a build: what a dry run would do, what was skipped, kept, failed or stale, the
//! one summary line, and the exit code.

use crate::cli::BuildArgs;
use crate::exit::Exit;
use crate::output;
use crate::pipeline;

pub(super) struct Summary<'a> {
    pub args: &'a BuildArgs,
    pub gathered: &'a pipeline::Gathered,
    pub outcome: &'a output::Outcome,
    pub social: Option<&'a output::Outcome>,
    pub kept: &'a [(String, String)],
    /// Report pages at Sparky's paths that Sparky did not write, left alone.
    pub foreign: &'a [String],
    pub base_folder: &'a str,
    pub started: std::time::Instant,
    pub ui: crate::cmd::Ui,
}

/// What a dry run would do, what was skipped or kept, the one summary line, and the exit code:
/// 1 when a repository failed or is stale, or a page was skipped or kept.
pub(super) fn summarize(s: &Summary<'_>) -> Exit {
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

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

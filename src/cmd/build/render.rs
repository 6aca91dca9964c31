//! Rendering: every planned report with its facts file, charts and social drafts, from the
//! facts of its window, in parallel; and the `--dump-context` view of one.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::Site;
use crate::exit::Exit;
use crate::narrate::llm::Narrator;
use crate::output::OutFile;
use crate::pipeline::Analysis;
use crate::plan::Planned;
use crate::render::context::PageContext;
use crate::render::page::{self, ReportSpec};
use crate::render::paths;
use crate::render::templates::Templates;
use crate::settings::Settings;
use crate::window::{Window, WindowKind};

/// What every report is rendered from.
pub(super) struct Render<'a> {
    settings: &'a Settings,
    analysis: &'a Analysis<'a>,
    templates: &'a Templates,
    planned: &'a [Planned],
    known: &'a BTreeSet<String>,
    narrator: Option<&'a Narrator>,
}

impl<'a> Render<'a> {
    pub(super) fn new(
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
        // A month links each of its weeks to that week's report, where there is one.
        let weeks = facts
            .org
            .weeks
            .iter()
            .filter_map(|w| exists(&w.week.parse::<Window>().ok()?))
            .collect();
        let spec = ReportSpec {
            window: p.window,
            partial: p.partial,
            base_folder: base,
            org_name: &settings.output.org_name,
            author: &settings.output.author,
            previous: same_kind(false),
            next: same_kind(true),
            up,
            weeks,
            quiet_since: p.quiet_since,
            narrator,
        };
        let mut rendered = page::report(&facts, &spec, templates)?;
        // The report's social drafts ride along, marked by their role; `run` writes them apart.
        let drafts = crate::cmd::social::files_for(settings, &facts, p.window, p.partial);
        rendered.files.extend(drafts);
        Ok((rendered.files, rendered.context))
    }
}

/// `--dump-context`: the first planned page's template context as JSON on stdout.
pub(super) fn dump_context(r: &Render<'_>) -> anyhow::Result<Exit> {
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
pub(super) fn render_all(r: &Render<'_>) -> anyhow::Result<Vec<OutFile>> {
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

pub(super) fn report_narration(narrator: Option<&Narrator>, ui: crate::cmd::Ui) {
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

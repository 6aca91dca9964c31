//! Checking a Quartz content folder (`sparky check`): every Sparky page — a `.md` whose front
//! matter has `sparky_generator` (a report) or `sparky_index` (an index page) — is read the way
//! Quartz reads it and compared with its facts. Other pages are not checked, but links to them
//! resolve.
//!
//! Per page, each problem a [`Finding`] (`path:line: kind: message`, sorted):
//! 1. [`Kind::FrontMatter`]: the strict front-matter reader (what gray-matter/js-yaml accept
//!    and Quartz reads as intended) accepts it; title, date (a real date) and tags present.
//!    Reports: [`Kind::Period`] `sparky_period` is a day, week or month whose last day is the
//!    date; [`Kind::Facts`] `sparky_facts` names a JSON file beside the page whose `window.label`
//!    is the period; [`Kind::Description`] the description is the one the facts give (commits,
//!    people, repositories, merged pull requests, tags); [`Kind::Tags`] the tags are the report
//!    kind's plus the active repositories.
//! 2. [`Kind::Edited`]: `sparky_hash` still matches; a warning unless `strict`.
//! 3. [`Kind::H1`]: no `# ` or setext `===` heading in the body.
//! 4. [`Kind::Wikilink`], [`Kind::Link`]: wikilinks resolve against the content folder, relative
//!    links and images point at existing files.
//! 5. [`Kind::Markup`]: no untrusted markup (see `markup.rs` for the exact rules).
//! 6. [`Kind::Number`]: every number in the prose is a figure of the facts (see `numbers.rs` for
//!    what counts as a number and which text is skipped, `allowed.rs` for the figures allowed).
//!    Index pages: [`Kind::Index`] each listed report's summary is its description, and their
//!    numbers are the count of listed reports or figures of those reports.

mod allowed;
mod body;
mod error;
mod facts;
mod finding;
mod index;
mod links;
mod markup;
mod meta;
mod numbers;
mod page;
mod site;
mod text;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

pub use error::CheckError;
pub use finding::{Finding, Kind, Severity};

use allowed::Allowed;
use body::NumberRule;
use finding::Sink;
use index::Listed;
use page::{Page, Role};
use site::Site;

/// How strict a check is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Pages edited by hand are errors, not warnings.
    pub strict: bool,
}

/// The outcome of a check.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Sparky pages checked.
    pub pages: usize,
    /// Sorted by file, line, kind and message.
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Checks every Sparky page under `content_dir`.
pub fn check(content_dir: &Path, options: Options) -> Result<Report, CheckError> {
    let site = Site::scan(content_dir)?;
    let mut pages = Vec::new();
    let mut foreign = Vec::new();
    for rel in site.markdown() {
        match Page::load(&site, rel)? {
            Some(page) => pages.push(page),
            None if is_report_path(rel) => foreign.push(foreign_finding(rel)),
            None => {}
        }
    }
    // Every report by stem; `None` when its front matter is unreadable (reported on its page).
    let reports: BTreeMap<String, Option<Listed>> = pages
        .iter()
        .filter(|p| p.role == Role::Report)
        .map(|p| {
            let fm = p.front.as_ref().ok().and_then(|f| f.to_front_matter().ok());
            let listed = fm.map(|fm| Listed {
                title: fm.title,
                description: fm.description,
            });
            (p.stem().to_string(), listed)
        })
        .collect();
    let mut findings: Vec<Finding> = pages
        .par_iter()
        .flat_map_iter(|p| check_page(p, &site, &reports, options))
        .collect();
    findings.extend(foreign);
    Finding::sort(&mut findings);
    findings.dedup();
    tracing::debug!(pages = pages.len(), findings = findings.len(), "checked");
    Ok(Report {
        pages: pages.len(),
        findings,
    })
}

/// Whether `rel` has the shape of a report's path (`…/YYYY/MM/YYYY-MM-DD.md`,
/// `…/YYYY/MM/week-YYYY-WW.md`, `…/YYYY/MM/<month>-YYYY.md`).
fn is_report_path(rel: &str) -> bool {
    static SHAPE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    SHAPE
        .get_or_init(|| {
            regex::Regex::new(
                r"(^|/)\d{4}/\d{2}/(\d{4}-\d{2}-\d{2}|week-\d{4}-\d{2}|[a-z]+-\d{4})\.md$",
            )
            .expect("a valid pattern")
        })
        .is_match(rel)
}

/// A page at a report's path that Sparky did not write: why Sparky leaves it, what to do.
fn foreign_finding(rel: &str) -> Finding {
    let mut sink = Sink::new(rel);
    sink.warning(
        1,
        finding::Kind::Foreign,
        "not written by Sparky, but at the path of one of its reports: `sparky build` leaves it as it is and writes no report for this period; `sparky build --adopt` lets Sparky take it over, or move it elsewhere",
    );
    sink.findings.remove(0)
}

fn check_page(
    page: &Page,
    site: &Site,
    reports: &BTreeMap<String, Option<Listed>>,
    options: Options,
) -> Vec<Finding> {
    let mut sink = Sink::new(&page.rel);
    let facts = meta::check(page, site, options.strict, &mut sink);
    let rule = match page.role {
        Role::Report => facts.map(|f| NumberRule {
            allowed: Allowed::from_facts(&f.json, f.typed.as_ref(), &f.window),
            period_words: Some(crate::render::page::period_human(&f.window)),
            source: f.name,
            skip_lines: Vec::new(),
        }),
        Role::Index => Some(index::check(page, reports, &mut sink)),
    };
    body::check(page, site, rule.as_ref(), &mut sink);
    sink.findings
}

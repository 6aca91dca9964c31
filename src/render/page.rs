//! One report: front matter, body, the JSON facts file and the charts, as files to write.

use jiff::ToSpan;
use jiff::civil::Date;

use super::context::{self, ChartRef, Nav, PageContext, PageMeta};
use super::escape;
use super::fit;
use super::frontmatter::{FmValue, FrontMatter};
use super::paths;
use super::report_charts;
use super::templates::{TemplateError, Templates};
use crate::facts::OrgFacts;
use crate::narrate;
use crate::output::{Listing, OutFile, Role};
use crate::window::Window;

/// The front-matter key holding a page's own content hash.
pub const HASH_KEY: &str = "sparky_hash";

/// What a report needs besides its facts.
pub struct ReportSpec<'a> {
    pub window: Window,
    pub partial: bool,
    pub base_folder: &'a str,
    pub org_name: &'a str,
    pub author: &'a str,
    /// Wikilink targets (stems) of the neighbouring and enclosing pages that exist.
    pub previous: Option<(String, String)>,
    pub next: Option<(String, String)>,
    pub up: Vec<(String, String)>,
    /// Months: the weekly reports that exist for the weeks overlapping the month (stem, label).
    pub weeks: Vec<(String, String)>,
    /// The latest earlier period with commits, when the one just before had none.
    pub quiet_since: Option<Window>,
    /// The model that may write the prose (template text only without one).
    pub narrator: Option<&'a narrate::llm::Narrator>,
}

/// A rendered report: its files and the context it was rendered from.
pub struct Rendered {
    pub files: Vec<OutFile>,
    pub context: PageContext,
}

fn kind_of(window: &Window) -> &'static str {
    match window {
        Window::Day(_) => "day",
        Window::Week { .. } => "week",
        Window::Month { .. } => "month",
        Window::All => "all",
    }
}

/// The last calendar day of a window (its front-matter date).
pub fn last_day(window: &Window) -> Option<Date> {
    let first = window.first_day()?;
    let next = match window {
        Window::Day(_) => first.checked_add(1.day()),
        Window::Week { .. } => first.checked_add(1.week()),
        Window::Month { .. } => first.checked_add(1.month()),
        Window::All => return None,
    };
    next.ok()?.yesterday().ok()
}

/// The period in words.
pub fn period_human(window: &Window) -> String {
    match *window {
        Window::Day(d) => d.strftime("%A %-d %B %Y").to_string(),
        Window::Week { year, week } => {
            let (Some(a), Some(b)) = (window.first_day(), last_day(window)) else {
                return window.to_string();
            };
            format!(
                "week {week} of {year} ({} to {})",
                a.strftime("%-d %B"),
                b.strftime("%-d %B %Y")
            )
        }
        Window::Month { year, month } => format!("{} {year}", paths::month_name(month)),
        Window::All => "the whole history".to_string(),
    }
}

fn title(window: &Window, org: &str, partial: bool) -> String {
    let t = match *window {
        Window::Day(d) => format!("Daily Digest - {d}"),
        Window::Week { .. } => format!("This Week in {org} - {window}"),
        Window::Month { year, month } => {
            format!("Monthly Review - {} {year}", paths::month_name(month))
        }
        Window::All => format!("{org}: the whole history"),
    };
    if partial {
        format!("{t} (in progress)")
    } else {
        t
    }
}

/// The front-matter description of a report over `f`: its headline figures in one sentence
/// (`sparky check` compares a page's description with this).
pub fn description(f: &OrgFacts, period: &str) -> String {
    let o = &f.org;
    if o.commits == 0 {
        return format!("No commits in {period}.");
    }
    let count = |n: u64, one: &str, many: &str| {
        format!("{} {}", context::num(n), if n == 1 { one } else { many })
    };
    let people = o.authors.iter().filter(|a| a.is_person()).count() as u64;
    let by = if people == 0 {
        "bots".to_string()
    } else {
        count(people, "person", "people")
    };
    let mut s = format!(
        "{} by {by} across {}",
        count(o.commits, "commit", "commits"),
        count(o.active_repos, "repository", "repositories")
    );
    if o.merged_pull_requests > 0 {
        s.push_str(&format!(
            "; {}",
            count(
                o.merged_pull_requests,
                "merged pull request",
                "merged pull requests"
            )
        ));
    }
    if o.tags > 0 {
        s.push_str(&format!("; {}", count(o.tags, "tag", "tags")));
    }
    s.push('.');
    s
}

fn list_limit(window: &Window) -> usize {
    match window {
        Window::Day(_) => 5,
        Window::Week { .. } => 8,
        _ => 10,
    }
}

/// `[[blog/2025/11/week-2025-46|week 46]]` for the week labelled `2025-W46`.
fn week_link(stem: &str, label: &str) -> String {
    let number = label.rsplit('W').next().unwrap_or(label);
    format!("[[{stem}|week {}]]", number.trim_start_matches('0'))
}

fn wikilink((stem, label): &(String, String)) -> String {
    // Both parts are Sparky's own: a path of safe characters and a period label.
    format!("[[{stem}|{label}]]")
}

/// Renders one report over `facts`.
pub fn report(
    facts: &OrgFacts,
    spec: &ReportSpec<'_>,
    templates: &Templates,
) -> Result<Rendered, TemplateError> {
    let stem = paths::page_stem(spec.base_folder, &spec.window).unwrap_or_default();
    let file = paths::file_of(&stem).to_string();
    let kind = kind_of(&spec.window);
    let human = period_human(&spec.window);
    let narrative = match spec.narrator {
        Some(n) => n.narrate(facts, spec.org_name, &human, templates),
        None => narrate::template(facts, &human),
    };
    let charts = report_charts::charts_for(facts, &spec.window, &file);
    let meta = PageMeta {
        kind: kind.to_string(),
        period_human: human.clone(),
        partial: spec.partial,
        org_name: spec.org_name.to_string(),
        nav: Nav {
            previous: spec.previous.as_ref().map(wikilink),
            next: spec.next.as_ref().map(wikilink),
            up: spec.up.iter().map(wikilink).collect(),
            index: format!("[[{}/index|{}]]", spec.base_folder, "the blog"),
        },
        charts: charts
            .iter()
            .map(|(file, c)| ChartRef {
                file: file.clone(),
                alt: escape::alt_text(&c.alt),
            })
            .collect(),
        facts_file: format!("{file}.json"),
        list_limit: list_limit(&spec.window),
        detail: fit::RICHEST,
        gap: match spec.quiet_since {
            Some(w) if facts.org.commits > 0 => format!("These are the first commits since {w}."),
            _ => String::new(),
        },
        week_links: spec
            .weeks
            .iter()
            .map(|(stem, label)| (label.clone(), week_link(stem, label)))
            .collect(),
    };
    let template = format!("{}.md", template_name(&spec.window));
    let ctx = fit::fitted(facts, meta, narrative, &spec.window, &template, templates)?;
    let mut files = files_for(facts, spec, &ctx, templates)?;
    let folder = paths::folder_of(&stem);
    for (name, chart) in charts {
        files.push(OutFile {
            rel: format!("{folder}/{name}"),
            bytes: chart.svg.into_bytes(),
            role: Role::Chart,
            period: Some(spec.window.to_string()),
            listing: None,
        });
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(Rendered {
        files,
        context: ctx,
    })
}

/// The alt texts of the charts a report over `facts` carries, in page order: each figure in
/// them is derived from the facts (`sparky check` allows those figures in the prose).
pub fn chart_alts(facts: &OrgFacts, window: &Window) -> Vec<String> {
    report_charts::charts_for(facts, window, "")
        .into_iter()
        .map(|(_, c)| c.alt)
        .collect()
}

/// The files of a report rendered from a context (also used by `--from-context`).
pub fn files_for(
    facts: &OrgFacts,
    spec: &ReportSpec<'_>,
    ctx: &PageContext,
    templates: &Templates,
) -> Result<Vec<OutFile>, TemplateError> {
    let stem = paths::page_stem(spec.base_folder, &spec.window).unwrap_or_default();
    let folder = paths::folder_of(&stem);
    let body = templates.render(&format!("{}.md", template_name(&spec.window)), ctx)?;
    let period = spec.window.to_string();
    let date = last_day(&spec.window).unwrap_or_default();
    let mut tags = vec![
        "sparky".to_string(),
        report_tag(&spec.window).to_string(),
        "development".to_string(),
    ];
    tags.extend(
        facts
            .repos
            .iter()
            .filter(|r| r.commits > 0)
            .map(|r| r.name.clone()),
    );
    let fm = FrontMatter {
        title: title(&spec.window, spec.org_name, spec.partial),
        description: description(facts, &period),
        date,
        tags,
        author: spec.author.to_string(),
        extra: vec![
            ("sparky_period".into(), FmValue::String(period.clone())),
            ("sparky_partial".into(), FmValue::Bool(spec.partial)),
            (
                "sparky_generator".into(),
                FmValue::String(facts.generator.clone()),
            ),
            (
                "sparky_narrative".into(),
                FmValue::String(ctx.narrative.source.clone()),
            ),
            (
                "sparky_facts".into(),
                FmValue::String(ctx.facts_file.clone()),
            ),
        ],
    };
    let mut fm = fm;
    let sections = &ctx.narrative.sections;
    if !sections.is_empty() {
        // Only when a model was asked, so pages without one keep their exact bytes.
        let at = fm.extra.len() - 1;
        let claims: u64 = sections.iter().map(|s| s.claims_checked).sum();
        fm.extra.insert(
            at,
            (
                "sparky_narrative_sections".into(),
                FmValue::List(sections.iter().map(narrate::SectionSource::line).collect()),
            ),
        );
        fm.extra.insert(
            at + 1,
            (
                "sparky_claims_checked".into(),
                FmValue::Int(i64::try_from(claims).unwrap_or(i64::MAX)),
            ),
        );
    }
    let page = with_hash(&fm, &body);
    let listing = Listing {
        kind: kind_of(&spec.window).to_string(),
        title: fm.title.clone(),
        description: fm.description.clone(),
        date: date.to_string(),
    };
    let mut facts_json = serde_json::to_vec_pretty(facts).unwrap_or_default();
    facts_json.push(b'\n');
    let mut files = vec![
        OutFile {
            rel: format!("{stem}.md"),
            bytes: page.into_bytes(),
            role: Role::Report,
            period: Some(period.clone()),
            listing: Some(listing),
        },
        OutFile {
            rel: format!("{folder}/{}", ctx.facts_file),
            bytes: facts_json,
            role: Role::Facts,
            period: Some(period.clone()),
            listing: None,
        },
    ];
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(files)
}

fn template_name(window: &Window) -> &'static str {
    match window {
        Window::Day(_) => "daily",
        Window::Week { .. } => "weekly",
        _ => "monthly",
    }
}

/// The tag naming the kind of report (`daily-digest`, `weekly-report`, `monthly-review`).
pub fn report_tag(window: &Window) -> &'static str {
    match window {
        Window::Day(_) => "daily-digest",
        Window::Week { .. } => "weekly-report",
        _ => "monthly-review",
    }
}

/// The page text with its content hash in the front matter: the hash covers the whole page with
/// the hash value left empty, so any later edit to the file shows.
pub fn with_hash(fm: &FrontMatter, body: &str) -> String {
    let mut fm = fm.clone();
    fm.extra
        .push((HASH_KEY.to_string(), FmValue::String(String::new())));
    let unsigned = format!("{}\n{body}", fm.render());
    let hash = crate::output::manifest::sha256(unsigned.as_bytes());
    if let Some(slot) = fm.extra.last_mut() {
        slot.1 = FmValue::String(hash[..32].to_string());
    }
    format!("{}\n{body}", fm.render())
}

/// Whether a page's recorded hash matches its content: `None` when it has none (not a Sparky
/// page), `Some(false)` when it was edited.
pub fn verify_hash(page: &str) -> Option<bool> {
    let prefix = format!("{HASH_KEY}: \"");
    let front_end = page.get(4..)?.find("\n---\n")? + 4;
    let line_start = page[..front_end].find(&format!("\n{prefix}"))? + 1;
    let value_start = line_start + prefix.len();
    let value_end = value_start + page[value_start..].find('"')?;
    let recorded = &page[value_start..value_end];
    let unsigned = format!("{}{}", &page[..value_start], &page[value_end..]);
    let hash = crate::output::manifest::sha256(unsigned.as_bytes());
    Some(hash.get(..32) == Some(recorded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_detects_any_edit() {
        let fm = FrontMatter {
            title: "T".into(),
            description: "D".into(),
            date: jiff::civil::date(2025, 11, 14),
            tags: vec!["sparky".into()],
            author: "Sparky".into(),
            extra: vec![],
        };
        let page = with_hash(&fm, "## Body\n\ntext\n");
        assert_eq!(verify_hash(&page), Some(true));
        assert_eq!(verify_hash(&page.replace("text", "test")), Some(false));
        assert_eq!(
            verify_hash(&page.replace("title: \"T\"", "title: \"U\"")),
            Some(false)
        );
        assert_eq!(verify_hash("---\ntitle: x\n---\nhello\n"), None);
        assert_eq!(verify_hash("no front matter"), None);
    }

    #[test]
    fn periods_in_words_and_last_days() {
        let w = |s: &str| s.parse::<Window>().expect("window");
        assert_eq!(period_human(&w("2025-11-14")), "Friday 14 November 2025");
        assert_eq!(
            period_human(&w("2025-W46")),
            "week 46 of 2025 (10 November to 16 November 2025)"
        );
        assert_eq!(period_human(&w("2025-11")), "November 2025");
        assert_eq!(
            last_day(&w("2025-02")).map(|d| d.to_string()).as_deref(),
            Some("2025-02-28")
        );
        assert_eq!(
            last_day(&w("2025-W01")).map(|d| d.to_string()).as_deref(),
            Some("2025-01-05")
        );
    }
}

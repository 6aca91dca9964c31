//! Index pages: the blog, each year and each month, leading with the latest reports, with
//! wikilinks that resolve against the content root.

use std::collections::BTreeMap;

use serde::Serialize;

use super::escape::inline;
use super::frontmatter::{FmValue, FrontMatter};
use super::page::with_hash;
use super::paths;
use super::templates::{TemplateError, Templates};
use crate::output::{Listing, OutFile, Role};

/// A report an index lists: its stem (path without `.md`) and listing.
#[derive(Debug, Clone)]
pub struct Listed {
    pub stem: String,
    pub listing: Listing,
}

#[derive(Serialize)]
struct IndexContext {
    intro: String,
    groups: Vec<Group>,
}

#[derive(Serialize)]
struct Group {
    title: String,
    pages: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    link: String,
    summary: String,
}

/// Text safe inside a wikilink alias, which Quartz turns into link text after its own escaping
/// rules: letters, digits, spaces and `-(),.` only; anything else becomes a space.
fn alias(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() || " -(),.".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn kind_rank(kind: &str) -> u8 {
    match kind {
        "month" => 0,
        "week" => 1,
        _ => 2,
    }
}

/// Newest first; on the same date, month before week before day.
fn sort(pages: &mut [&Listed]) {
    pages.sort_by(|a, b| {
        b.listing
            .date
            .cmp(&a.listing.date)
            .then(kind_rank(&a.listing.kind).cmp(&kind_rank(&b.listing.kind)))
            .then(a.stem.cmp(&b.stem))
    });
}

fn items(pages: &[&Listed]) -> Vec<Item> {
    pages
        .iter()
        .map(|p| Item {
            link: format!("[[{}|{}]]", p.stem, alias(&p.listing.title)),
            summary: inline(&p.listing.description),
        })
        .collect()
}

/// `blog/2025/11` → ("2025", "11") for the reports' month folders.
fn year_month(stem: &str, base: &str) -> Option<(String, String)> {
    let rest = paths::folder_of(stem)
        .strip_prefix(base)?
        .strip_prefix('/')?;
    let (y, m) = rest.split_once('/')?;
    Some((y.to_string(), m.to_string()))
}

fn month_title(year: &str, month: &str) -> String {
    format!("{} {year}", paths::month_name(month.parse().unwrap_or(1)))
}

/// The newest report of each kind (month, week, day) among `pages` (sorted newest first).
fn latest<'a>(pages: &[&'a Listed]) -> Vec<&'a Listed> {
    let mut out: Vec<&Listed> = Vec::new();
    for p in pages {
        if !out.iter().any(|o| o.listing.kind == p.listing.kind) {
            out.push(p);
        }
    }
    out.sort_by_key(|p| kind_rank(&p.listing.kind));
    out
}

/// The blog, year and month index pages for `listed` reports. They lead with the latest
/// activity and stay compact: Quartz's folder page already lists a folder's pages under the
/// index text, so the blog index links each year's months, and a year or month index names its
/// latest reports only.
pub fn pages(
    base: &str,
    listed: &[Listed],
    author: &str,
    templates: &Templates,
) -> Result<Vec<OutFile>, TemplateError> {
    let mut by_month: BTreeMap<(String, String), Vec<&Listed>> = BTreeMap::new();
    for l in listed {
        if let Some(ym) = year_month(&l.stem, base) {
            by_month.entry(ym).or_default().push(l);
        }
    }
    for pages in by_month.values_mut() {
        sort(pages);
    }
    let mut out = Vec::new();
    let newest = |pages: &[&Listed]| {
        pages
            .iter()
            .map(|p| p.listing.date.clone())
            .max()
            .unwrap_or_default()
    };
    let latest_group = |pages: &[&Listed]| Group {
        title: "Latest".to_string(),
        pages: items(&latest(pages)),
    };
    let mut all: Vec<&Listed> = by_month.values().flatten().copied().collect();
    sort(&mut all);
    let years: Vec<String> = by_month
        .keys()
        .map(|(y, _)| y.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .rev()
        .collect();
    let archive = Group {
        title: "Archive".to_string(),
        pages: years
            .iter()
            .map(|year| Item {
                link: format!("[[{base}/{year}/index|{year}]]"),
                summary: by_month
                    .keys()
                    .rev()
                    .filter(|(y, _)| y == year)
                    .map(|(y, m)| {
                        let name = paths::month_name(m.parse().unwrap_or(1));
                        format!("[[{base}/{y}/{m}/index|{name}]]")
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
    };
    out.push(index_file(
        &format!("{base}/index"),
        "Development blog",
        "Reports written by Sparky from the organisation's git history, the latest first.",
        &newest(&all),
        vec![latest_group(&all), archive],
        author,
        templates,
    )?);
    for year in years {
        let mut in_year: Vec<&Listed> = by_month
            .iter()
            .filter(|((y, _), _)| *y == year)
            .flat_map(|(_, p)| p.iter().copied())
            .collect();
        sort(&mut in_year);
        out.push(index_file(
            &format!("{base}/{year}/index"),
            &format!("Reports of {year}"),
            &format!("Reports of {year}: the latest, then each month with reports."),
            &newest(&in_year),
            vec![latest_group(&in_year)],
            author,
            templates,
        )?);
    }
    for ((y, m), pages) in &by_month {
        out.push(index_file(
            &format!("{base}/{y}/{m}/index"),
            &format!("Reports of {}", month_title(y, m)),
            &format!(
                "Reports of {}: the latest, then every report of the month.",
                month_title(y, m)
            ),
            &newest(pages),
            vec![latest_group(pages)],
            author,
            templates,
        )?);
    }
    Ok(out)
}

fn index_file(
    stem: &str,
    title: &str,
    intro: &str,
    date: &str,
    groups: Vec<Group>,
    author: &str,
    templates: &Templates,
) -> Result<OutFile, TemplateError> {
    // The intro is Sparky's own sentence (counts and month names), not untrusted text.
    let body = templates.render(
        "index.md",
        &IndexContext {
            intro: intro.to_string(),
            groups,
        },
    )?;
    let fm = FrontMatter {
        title: title.to_string(),
        description: intro.to_string(),
        date: date.parse().unwrap_or_default(),
        tags: vec!["sparky".into(), "index".into()],
        author: author.to_string(),
        extra: vec![("sparky_index".into(), FmValue::Bool(true))],
    };
    Ok(OutFile {
        rel: format!("{stem}.md"),
        bytes: with_hash(&fm, &body).into_bytes(),
        role: Role::Index,
        period: None,
        listing: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_cannot_break_wikilinks() {
        assert_eq!(
            alias("This Week in a]]b|c #x - 2025-W46"),
            "This Week in a b c x - 2025-W46"
        );
    }
}

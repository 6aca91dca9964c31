//! What a build must not overwrite: pages whose facts named a repository that cannot be read
//! this run, and pages at Sparky's paths that Sparky did not write (adoption).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::Site;
use crate::output::{self, OutFile};
use crate::pipeline;
use crate::settings::Settings;

/// Never publish less than was known: a period whose published facts name a repository that
/// could not be read this run keeps its files as they are (and is not pruned). Returns the
/// files still to write and the kept periods with the reason.
pub(super) fn keep_what_failed_repos_knew(
    settings: &Settings,
    gathered: &pipeline::Gathered,
    rendered: Vec<OutFile>,
    rebuilt: &mut BTreeSet<String>,
) -> (Vec<OutFile>, Vec<(String, String)>) {
    if gathered.failed.is_empty() {
        return (rendered, Vec::new());
    }
    let mut kept_periods: BTreeMap<String, String> = Default::default();
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
        }
    }
    set_aside(rendered, rebuilt, &kept_periods)
}

/// Adoption: a report whose page exists and was not written by Sparky (an older blog's page
/// at the same path) is left alone with its whole period (facts file, charts, drafts), so no
/// Sparky file sits beside a page that does not match it. Returns the files still to write
/// and the pages set aside.
pub(super) fn set_aside_foreign_reports(
    settings: &Settings,
    site: &Site,
    rendered: Vec<OutFile>,
    rebuilt: &mut BTreeSet<String>,
) -> (Vec<OutFile>, Vec<String>) {
    let foreign: BTreeMap<String, String> = rendered
        .iter()
        .filter(|f| f.role == output::Role::Report)
        .filter(|f| output::is_foreign(&settings.content_dir, &site.manifest, &f.rel))
        .filter_map(|f| Some((f.period.clone()?, String::new())))
        .collect();
    let (files, pages) = set_aside(rendered, rebuilt, &foreign);
    (files, pages.into_iter().map(|(page, _)| page).collect())
}

/// Leaves the `periods` alone: none of their files is written and none pruned. Returns the
/// files still to write and each set-aside report page with its period's reason.
fn set_aside(
    rendered: Vec<OutFile>,
    rebuilt: &mut BTreeSet<String>,
    periods: &BTreeMap<String, String>,
) -> (Vec<OutFile>, Vec<(String, String)>) {
    rebuilt.retain(|p| !periods.contains_key(p));
    let reason = |f: &OutFile| periods.get(f.period.as_ref()?);
    let pages = rendered
        .iter()
        .filter(|f| f.role == output::Role::Report)
        .filter_map(|f| Some((f.rel.clone(), reason(f)?.clone())))
        .collect();
    let files = rendered
        .into_iter()
        .filter(|f| reason(f).is_none())
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

//! Activity: one repository's issues, pull requests and releases since a time, read once per
//! run (whatever the number of windows) and sliced per window in memory by `join`.

use jiff::Timestamp;

use super::api::{ApiIssue, ApiPull, ApiRelease, Item, Release, RepoActivity};
use super::client::{Client, Listing};
use super::error::ForgeError;

/// Items per page; GitHub's maximum.
pub(crate) const PER_PAGE: u32 = 100;

/// Reads `full_name`'s activity touching `since` or later (everything when `None`). Returns the
/// activity and one note per listing the page cap cut short.
pub(crate) fn fetch(
    client: &mut Client,
    full_name: &str,
    since: Option<Timestamp>,
) -> Result<(RepoActivity, Vec<String>), ForgeError> {
    let mut notes = Vec::new();
    let mut note = |what: &str, truncated: bool| {
        if truncated {
            notes.push(format!(
                "`{full_name}`: the {what} listing hit `[github] max_pages`; older entries are missing"
            ));
        }
    };

    // Issues updated since the start: anything opened or closed since then was updated since.
    let mut query = format!("repos/{full_name}/issues?state=all&per_page={PER_PAGE}");
    if let Some(since) = since {
        query.push_str(&format!("&since={}", since.strftime("%Y-%m-%dT%H:%M:%SZ")));
    }
    let url = client.url(&query);
    let Listing { items, truncated } = client.list::<ApiIssue>(&url, |_| true)?;
    note("issues", truncated);
    let issues = items
        .into_iter()
        .filter(|i| i.pull_request.is_none())
        .map(Item::from)
        .collect();

    // Pull requests, most recently updated first, until a page ends before the start.
    let url = client.url(&format!(
        "repos/{full_name}/pulls?state=all&sort=updated&direction=desc&per_page={PER_PAGE}"
    ));
    let Listing { items, truncated } = client.list::<ApiPull>(&url, |page| {
        page.last()
            .is_some_and(|p| since.is_none_or(|s| p.updated_at >= s))
    })?;
    note("pull requests", truncated);
    let pulls = items.into_iter().map(Item::from).collect();

    // Releases, newest first, until a page ends with one created and published before the start.
    let url = client.url(&format!("repos/{full_name}/releases?per_page={PER_PAGE}"));
    let Listing { items, truncated } = client.list::<ApiRelease>(&url, |page| {
        page.last().is_some_and(|r| {
            since.is_none_or(|s| r.created_at >= s || r.published_at.is_some_and(|p| p >= s))
        })
    })?;
    note("releases", truncated);
    let releases = items
        .into_iter()
        .filter(|r| !r.draft)
        .filter_map(|r| {
            Some(Release {
                published: r.published_at?,
                tag: r.tag_name,
                name: r.name.filter(|n| !n.trim().is_empty()),
                url: r.html_url,
            })
        })
        .collect();

    Ok((
        RepoActivity {
            full_name: full_name.to_string(),
            issues,
            pulls,
            releases,
        },
        notes,
    ))
}

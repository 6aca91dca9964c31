//! Join: one window's slice of a repository's activity, and the API's titles, labels and links
//! joined into the pull requests git found. Titles, labels and logins are copied as written.

use jiff::Timestamp;

use super::api::{Item, RepoActivity};
use crate::facts::{DetailSource, ForgeItem, ForgeRelease, PullRequestDetail, RepoGithub};
use crate::window::Bounds;

/// What happened in `bounds` (everything when `None`).
pub(crate) fn slice(a: &RepoActivity, bounds: Option<Bounds>) -> RepoGithub {
    let within =
        |t: Option<Timestamp>| t.is_some_and(|t| bounds.is_none_or(|b| b.contains(t.as_second())));
    let pick = |items: &[Item], when: &dyn Fn(&Item) -> bool| -> Vec<ForgeItem> {
        let mut v: Vec<ForgeItem> = items.iter().filter(|i| when(i)).map(forge_item).collect();
        v.sort_by_key(|i| i.number);
        v.dedup_by_key(|i| i.number);
        v
    };
    let mut releases: Vec<_> = a
        .releases
        .iter()
        .filter(|r| within(Some(r.published)))
        .collect();
    releases.sort_by(|x, y| {
        x.published
            .cmp(&y.published)
            .then_with(|| x.tag.cmp(&y.tag))
    });
    RepoGithub {
        full_name: a.full_name.clone(),
        issues_opened: pick(&a.issues, &|i| within(Some(i.created))),
        issues_closed: pick(&a.issues, &|i| within(i.closed)),
        pull_requests_opened: pick(&a.pulls, &|p| within(Some(p.created))),
        pull_requests_merged: pick(&a.pulls, &|p| within(p.merged)),
        pull_requests_closed_unmerged: pick(&a.pulls, &|p| p.merged.is_none() && within(p.closed)),
        releases: releases
            .into_iter()
            .map(|r| ForgeRelease {
                tag: r.tag.clone(),
                name: r.name.clone(),
                url: r.url.clone(),
            })
            .collect(),
    }
}

/// Replaces git's form of each pull request with the API's where the API has that number.
pub(crate) fn join_details(details: &mut [PullRequestDetail], a: &RepoActivity) {
    for d in details {
        if let Some(p) = a.pulls.iter().find(|p| p.number == d.number) {
            d.title = Some(p.title.clone());
            d.labels = p.labels.clone();
            d.url = Some(p.url.clone());
            d.source = DetailSource::Api;
        }
    }
}

fn forge_item(i: &Item) -> ForgeItem {
    ForgeItem {
        number: i.number,
        title: i.title.clone(),
        labels: i.labels.clone(),
        author_login: i.author_login.clone(),
        url: i.url.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forge::api::Release;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn item(number: u64, created: &str, closed: Option<&str>, merged: Option<&str>) -> Item {
        Item {
            number,
            title: format!("t{number}"),
            labels: vec!["l".into()],
            author_login: Some("who".into()),
            url: format!("https://github.com/o/r/pull/{number}"),
            created: ts(created),
            closed: closed.map(ts),
            merged: merged.map(ts),
        }
    }

    #[test]
    fn slices_by_event_time_half_open() {
        let a = RepoActivity {
            full_name: "o/r".into(),
            issues: vec![
                item(
                    1,
                    "2025-10-31T23:59:59Z",
                    Some("2025-11-01T00:00:00Z"),
                    None,
                ),
                item(
                    2,
                    "2025-11-15T00:00:00Z",
                    Some("2025-12-01T00:00:00Z"),
                    None,
                ),
            ],
            pulls: vec![
                item(
                    5,
                    "2025-11-02T00:00:00Z",
                    Some("2025-11-03T00:00:00Z"),
                    Some("2025-11-03T00:00:00Z"),
                ),
                item(
                    4,
                    "2025-10-02T00:00:00Z",
                    Some("2025-11-04T00:00:00Z"),
                    None,
                ),
                item(6, "2025-11-05T00:00:00Z", None, None),
            ],
            releases: vec![
                Release {
                    tag: "v2".into(),
                    name: None,
                    url: "u2".into(),
                    published: ts("2025-11-20T00:00:00Z"),
                },
                Release {
                    tag: "v1".into(),
                    name: Some("One".into()),
                    url: "u1".into(),
                    published: ts("2025-11-10T00:00:00Z"),
                },
                Release {
                    tag: "v0".into(),
                    name: None,
                    url: "u0".into(),
                    published: ts("2025-10-10T00:00:00Z"),
                },
            ],
        };
        let bounds = Bounds {
            start: ts("2025-11-01T00:00:00Z"),
            end: ts("2025-12-01T00:00:00Z"),
        };
        let g = slice(&a, Some(bounds));
        let numbers = |v: &[ForgeItem]| v.iter().map(|i| i.number).collect::<Vec<_>>();
        assert_eq!(numbers(&g.issues_opened), [2]);
        assert_eq!(numbers(&g.issues_closed), [1]);
        assert_eq!(numbers(&g.pull_requests_opened), [5, 6]);
        assert_eq!(numbers(&g.pull_requests_merged), [5]);
        assert_eq!(numbers(&g.pull_requests_closed_unmerged), [4]);
        let tags: Vec<&str> = g.releases.iter().map(|r| r.tag.as_str()).collect();
        assert_eq!(tags, ["v1", "v2"]);
        let all = slice(&a, None);
        assert_eq!(numbers(&all.issues_closed), [1, 2]);
        assert_eq!(all.releases.len(), 3);
    }

    #[test]
    fn details_join_where_the_api_knows_the_number() {
        let a = RepoActivity {
            full_name: "o/r".into(),
            pulls: vec![item(7, "2025-11-02T00:00:00Z", None, None)],
            ..RepoActivity::default()
        };
        let git = |number| PullRequestDetail {
            number,
            title: Some("from git".into()),
            labels: Vec::new(),
            url: None,
            source: DetailSource::Git,
        };
        let mut details = vec![git(7), git(8)];
        join_details(&mut details, &a);
        assert_eq!(details[0].title.as_deref(), Some("t7"));
        assert_eq!(details[0].labels, ["l"]);
        assert_eq!(details[0].source, DetailSource::Api);
        assert_eq!(details[1], git(8));
    }
}

//! The charts beside a weekly or monthly report, from its facts.

use jiff::civil::Date;

use super::chart;
use super::page::period_human;
use crate::facts::OrgFacts;
use crate::window::Window;

/// The charts of a week or month with activity: commits per day by repository, lines per day,
/// and commits per contributor. Days get none.
pub(super) fn charts_for(
    facts: &OrgFacts,
    window: &Window,
    file: &str,
) -> Vec<(String, chart::Chart)> {
    if facts.org.commits == 0 || matches!(window, Window::Day(_) | Window::All) {
        return Vec::new();
    }
    let Some(days) = facts
        .repos
        .iter()
        .map(|r| &r.per_day)
        .find(|d| !d.is_empty())
    else {
        return Vec::new();
    };
    let label = |date: &str| -> String {
        let d: Option<Date> = date.parse().ok();
        match (window, d) {
            (Window::Week { .. }, Some(d)) => d.strftime("%a %-d").to_string(),
            (_, Some(d)) => d.day().to_string(),
            _ => date.to_string(),
        }
    };
    let categories: Vec<String> = days.iter().map(|d| label(&d.date)).collect();
    let human = period_human(window);
    // Each commit once: a commit several repositories share is stacked on the first by name.
    let series: Vec<chart::Series> = facts
        .repos
        .iter()
        .filter(|r| r.commits > 0)
        .map(|r| chart::Series {
            name: r.name.clone(),
            values: match r.counted_per_day.is_empty() {
                true => r.per_day.iter().map(|d| d.commits).collect(),
                false => r.counted_per_day.clone(),
            },
        })
        .filter(|s| s.values.iter().any(|&v| v > 0))
        .collect();
    let sum_by_day = |f: fn(&crate::facts::DayActivity) -> u64| -> Vec<u64> {
        if facts.org.per_day.len() == days.len() {
            return facts.org.per_day.iter().map(f).collect();
        }
        // Facts from before schema 3 have no organisation series.
        (0..days.len())
            .map(|i| {
                facts
                    .repos
                    .iter()
                    .filter_map(|r| r.per_day.get(i))
                    .map(f)
                    .sum()
            })
            .collect()
    };
    let people: Vec<(String, u64)> = facts
        .org
        .authors
        .iter()
        .map(|a| (a.name.clone(), a.commits))
        .collect();
    let added = sum_by_day(|d| d.added);
    let deleted = sum_by_day(|d| d.deleted);
    vec![
        (
            format!("{file}-commits.svg"),
            chart::stacked_bars(
                &format!("Commits per day by repository, {human}"),
                &categories,
                &series,
            ),
        ),
        (
            format!("{file}-churn.svg"),
            chart::churn_bars(
                &format!("Lines added and deleted per day, {human}"),
                &categories,
                &added,
                &deleted,
            ),
        ),
        (
            format!("{file}-contributors.svg"),
            chart::horizontal_bars(&format!("Commits per contributor, {human}"), &people, 10),
        ),
    ]
}

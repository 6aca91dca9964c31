//! Planning: which reports a build writes. Complete periods from `since` (or the `recent` ones)
//! up to the last complete one, never before the history begins; the period in progress only
//! when asked, marked partial. "Now" is the only clock reading, and it never reaches a page.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::config::ReportPeriod;
use crate::window::{Window, WindowKind};

/// What decides the plan.
pub struct PlanInput<'a> {
    pub periods: &'a [ReportPeriod],
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub recent: u32,
    pub quiet_days: bool,
    /// Whether weeks and months without any commit get a report.
    pub quiet_periods: bool,
    pub include_partial: bool,
    /// `--window`: exactly this window.
    pub only: Option<Window>,
    pub now: Timestamp,
    pub tz: &'a TimeZone,
    /// Calendar days (in `tz`) with at least one commit anywhere.
    pub active_days: &'a BTreeSet<Date>,
}

/// One report to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Planned {
    pub window: Window,
    /// The period is not over yet.
    pub partial: bool,
    /// When the period just before had no commit: the latest earlier period of the same kind
    /// that had some ("the first commits since 2025-W40").
    pub quiet_since: Option<Window>,
}

fn kind_of(p: ReportPeriod) -> WindowKind {
    match p {
        ReportPeriod::Day => WindowKind::Day,
        ReportPeriod::Week => WindowKind::Week,
        ReportPeriod::Month => WindowKind::Month,
    }
}

/// The reports to write, by kind then period.
pub fn plan(input: &PlanInput<'_>) -> Vec<Planned> {
    let today = input.now.to_zoned(input.tz.clone()).date();
    let is_partial = |w: &Window| w.bounds(input.tz).is_some_and(|b| b.end > input.now);
    if let Some(w) = input.only {
        return vec![Planned {
            window: w,
            partial: is_partial(&w),
            quiet_since: quiet_since(w, input.active_days),
        }];
    }
    let Some(first_active) = input.active_days.first().copied() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &period in input.periods {
        let kind = kind_of(period);
        let current = Window::containing(kind, today);
        let Some(last_complete) = current.previous() else {
            continue;
        };
        let mut end = last_complete;
        if let Some(until) = input.until {
            end = end.min(Window::containing(kind, until));
        }
        let start = match input.since {
            Some(since) => Window::containing(kind, since),
            None => {
                let mut s = end;
                for _ in 1..input.recent {
                    s = s.previous().unwrap_or(s);
                }
                s
            }
        };
        let start = start.max(Window::containing(kind, first_active));
        let mut w = start;
        while w <= end {
            if wanted(&w, input) {
                out.push(Planned {
                    window: w,
                    partial: false,
                    quiet_since: quiet_since(w, input.active_days),
                });
            }
            match w.next() {
                Some(n) => w = n,
                None => break,
            }
        }
        let within_until = input
            .until
            .is_none_or(|u| Window::containing(kind, u) >= current);
        if input.include_partial && within_until && current >= start && wanted(&current, input) {
            out.push(Planned {
                window: current,
                partial: true,
                quiet_since: quiet_since(current, input.active_days),
            });
        }
    }
    out
}

/// Quiet days get no digest unless asked for (`quiet_days`), quiet weeks and months no report
/// (`quiet_periods`).
fn wanted(w: &Window, input: &PlanInput<'_>) -> bool {
    match w {
        Window::Day(d) => input.quiet_days || input.active_days.contains(d),
        _ => input.quiet_periods || active_in(*w, input.active_days),
    }
}

/// Whether any day of `w` had a commit.
fn active_in(w: Window, active_days: &BTreeSet<Date>) -> bool {
    match (w.first_day(), w.next().and_then(|n| n.first_day())) {
        (Some(first), Some(end)) => active_days.range(first..end).next().is_some(),
        _ => !active_days.is_empty(),
    }
}

/// The latest period of `w`'s kind before it with a commit, when the period just before `w` had
/// none; `None` when there was no gap or no earlier activity.
pub fn quiet_since(w: Window, active_days: &BTreeSet<Date>) -> Option<Window> {
    let previous = w.previous()?;
    if active_in(previous, active_days) {
        return None;
    }
    let last = active_days.range(..w.first_day()?).next_back()?;
    Some(Window::containing(w.kind(), *last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(list: &[&str]) -> BTreeSet<Date> {
        list.iter().map(|d| d.parse().expect("date")).collect()
    }

    fn labels(p: &[Planned]) -> Vec<String> {
        p.iter()
            .map(|p| format!("{}{}", p.window, if p.partial { "*" } else { "" }))
            .collect()
    }

    fn input<'a>(
        periods: &'a [ReportPeriod],
        active: &'a BTreeSet<Date>,
        tz: &'a TimeZone,
    ) -> PlanInput<'a> {
        PlanInput {
            periods,
            since: None,
            until: None,
            recent: 3,
            quiet_days: false,
            quiet_periods: true,
            include_partial: false,
            only: None,
            now: "2025-11-20T12:00:00Z".parse().expect("now"),
            tz,
            active_days: active,
        }
    }

    #[test]
    fn recent_complete_periods_never_before_history() {
        let active = days(&["2025-10-15", "2025-11-18", "2025-11-19"]);
        let tz = TimeZone::UTC;
        let p = plan(&input(&[ReportPeriod::Day], &active, &tz));
        assert_eq!(
            labels(&p),
            ["2025-11-18", "2025-11-19"],
            "quiet day 17 skipped, today excluded"
        );
        let p = plan(&input(
            &[ReportPeriod::Week, ReportPeriod::Month],
            &active,
            &tz,
        ));
        assert_eq!(labels(&p), ["2025-W44", "2025-W45", "2025-W46", "2025-10"]);
    }

    #[test]
    fn quiet_weeks_and_months_get_no_report_and_the_next_one_names_the_gap() {
        let active = days(&["2025-09-30", "2025-11-18"]);
        let tz = TimeZone::UTC;
        let mut i = input(&[ReportPeriod::Week, ReportPeriod::Month], &active, &tz);
        i.quiet_periods = false;
        i.since = Some("2025-09-01".parse().expect("date"));
        i.include_partial = true;
        let p = plan(&i);
        assert_eq!(labels(&p), ["2025-W40", "2025-W47*", "2025-09", "2025-11*"]);
        let gaps: Vec<Option<String>> = p
            .iter()
            .map(|p| p.quiet_since.map(|w| w.to_string()))
            .collect();
        assert_eq!(
            gaps,
            [None, Some("2025-W40".into()), None, Some("2025-09".into())]
        );
    }

    #[test]
    fn since_until_partial_and_only() {
        let active = days(&["2025-10-01"]);
        let tz = TimeZone::UTC;
        let mut i = input(&[ReportPeriod::Month], &active, &tz);
        i.since = Some("2025-09-15".parse().expect("date"));
        i.include_partial = true;
        assert_eq!(
            labels(&plan(&i)),
            ["2025-10", "2025-11*"],
            "clamped to the first activity"
        );
        i.until = Some("2025-10-31".parse().expect("date"));
        assert_eq!(labels(&plan(&i)), ["2025-10"]);
        i.only = Some("2025-W47".parse().expect("window"));
        assert_eq!(labels(&plan(&i)), ["2025-W47*"]);
        i.only = None;
        i.quiet_days = true;
        i.periods = &[ReportPeriod::Day];
        i.since = Some("2025-10-30".parse().expect("date"));
        assert_eq!(labels(&plan(&i)), ["2025-10-30", "2025-10-31"]);
    }
}

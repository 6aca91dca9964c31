//! Activity detail for reports: the largest commits of a window and its day-by-day series.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::classify;
use super::model::{CommitRange, DayActivity, NotableCommit};
use super::repo::PreparedRepo;
use crate::window::{Bounds, Window};

const NOTABLE: usize = 10;

/// The largest non-merge commits in `bounds` by lines changed after exclusions, largest first
/// (ties: older first, then id).
pub fn notable_commits(repo: &PreparedRepo<'_>, bounds: Option<Bounds>) -> Vec<NotableCommit> {
    // Rank by (churn, time, id) first; only the ten kept become records.
    let mut ranked: Vec<(u64, i64, usize, u64, u64)> = Vec::new();
    for i in repo.commits_in(bounds) {
        if repo.commit(i).is_merge() {
            continue;
        }
        let l = repo.counted_lines(i);
        ranked.push((l.added + l.deleted, repo.time(i), i, l.added, l.deleted));
    }
    let order = |a: &(u64, i64, usize, u64, u64), b: &(u64, i64, usize, u64, u64)| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then_with(|| repo.commit(a.2).id.cmp(&repo.commit(b.2).id))
    };
    if ranked.len() > NOTABLE {
        ranked.select_nth_unstable_by(NOTABLE, order);
        ranked.truncate(NOTABLE);
    }
    ranked.sort_by(order);
    ranked
        .into_iter()
        .map(|(_, _, i, added, deleted)| {
            let c = repo.commit(i);
            NotableCommit {
                id: c.id.to_string(),
                subject: bounded_subject(&c.subject),
                author: repo.author(i).name.clone(),
                added,
                deleted,
                files: c.files.len() as u64,
                pull_request: classify::squash_ref(&c.subject),
                breaking: classify::is_breaking(c),
                kind: classify::kind(&c.subject).to_string(),
            }
        })
        .collect()
}

/// One entry per calendar day of a week or month window (empty for days and `all`).
pub fn per_day(repo: &PreparedRepo<'_>, window: Window, tz: &TimeZone) -> Vec<DayActivity> {
    let (Some((first, mut days)), Some(bounds)) = (day_slots(window, tz), window.bounds(tz)) else {
        return Vec::new();
    };
    for i in repo.commits_in(Some(bounds)) {
        let Some(slot) = day_index(first, tz, repo.time(i)).and_then(|n| days.get_mut(n)) else {
            continue;
        };
        slot.commits += 1;
        if !repo.commit(i).is_merge() {
            let l = repo.counted_lines(i);
            slot.added += l.added;
            slot.deleted += l.deleted;
        }
    }
    days
}

/// The first day of a week or month window and an empty entry for each of its days; `None` for
/// days and `all`.
pub(super) fn day_slots(window: Window, tz: &TimeZone) -> Option<(Date, Vec<DayActivity>)> {
    let (Some(first), Some(bounds)) = (window.first_day(), window.bounds(tz)) else {
        return None;
    };
    if matches!(window, Window::Day(_)) {
        return None;
    }
    let mut days: Vec<DayActivity> = Vec::new();
    let mut day = first;
    while day
        .to_zoned(tz.clone())
        .is_ok_and(|z| z.timestamp() < bounds.end)
    {
        days.push(DayActivity {
            date: day.to_string(),
            commits: 0,
            added: 0,
            deleted: 0,
        });
        match day.checked_add(1.day()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    Some((first, days))
}

/// The index of the day (from `first`) that Unix time `seconds` falls on in `tz`.
pub(super) fn day_index(first: Date, tz: &TimeZone, seconds: i64) -> Option<usize> {
    let ts = Timestamp::from_second(seconds).ok()?;
    let date = ts.to_zoned(tz.clone()).date();
    usize::try_from((date - first).get_days()).ok()
}

/// From the first parent of the oldest commit in `bounds` to the newest one.
pub fn range(repo: &PreparedRepo<'_>, bounds: Option<Bounds>) -> Option<CommitRange> {
    let mut newest: Option<usize> = None;
    let mut oldest: Option<usize> = None;
    for i in repo.commits_in(bounds) {
        // Commits are newest first; on equal times the first seen wins for `newest`, the last
        // seen for `oldest`.
        if newest.is_none_or(|n| repo.time(i) > repo.time(n)) {
            newest = Some(i);
        }
        if oldest.is_none_or(|o| repo.time(i) <= repo.time(o)) {
            oldest = Some(i);
        }
    }
    let (newest, oldest) = (newest?, oldest?);
    Some(CommitRange {
        from: repo.commit(oldest).parents.first().map(ToString::to_string),
        to: repo.commit(newest).id.to_string(),
    })
}

/// The most characters of a commit subject that go into a public facts file; a longer one
/// ends in [`TRUNCATED`].
pub const MAX_SUBJECT_CHARS: usize = 500;
/// The marker a truncated subject ends with.
pub const TRUNCATED: &str = " [...]";

/// `subject`, cut at [`MAX_SUBJECT_CHARS`] characters with a visible marker.
pub(crate) fn bounded_subject(subject: &str) -> String {
    match subject.char_indices().nth(MAX_SUBJECT_CHARS) {
        Some((cut, _)) => format!("{}{TRUNCATED}", &subject[..cut]),
        None => subject.to_string(),
    }
}

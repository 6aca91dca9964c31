//! Trends: a figure now against the same figure in the previous window, with a low-base guard.

use super::model::{Change, RepoFacts, Trend};

/// Below this previous value a percentage is withheld: "+300 %" for 1 → 4 says nothing.
pub const LOW_BASE: u64 = 5;

pub fn change(current: u64, previous: u64) -> Change {
    let delta = current as i64 - previous as i64;
    let percent = (previous >= LOW_BASE).then(|| {
        let p = delta as f64 * 100.0 / previous as f64;
        p.round() as i64
    });
    Change {
        current,
        previous,
        delta,
        percent,
    }
}

/// The figures a trend compares, taken from one window's facts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Headline {
    pub commits: u64,
    pub authors: u64,
    pub lines_changed: u64,
    pub merged_pull_requests: u64,
}

impl Headline {
    pub fn of(f: &RepoFacts) -> Self {
        Headline {
            commits: f.commits,
            authors: f.authors.len() as u64,
            lines_changed: f.lines_excluding_generated.added + f.lines_excluding_generated.deleted,
            merged_pull_requests: f.pull_requests.merged(),
        }
    }
}

pub fn trend(previous_label: String, now: Headline, before: Headline) -> Trend {
    Trend {
        previous: previous_label,
        commits: change(now.commits, before.commits),
        authors: change(now.authors, before.authors),
        lines_changed: change(now.lines_changed, before.lines_changed),
        merged_pull_requests: change(now.merged_pull_requests, before.merged_pull_requests),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_base_withholds_percentages() {
        assert_eq!(
            change(4, 1),
            Change {
                current: 4,
                previous: 1,
                delta: 3,
                percent: None
            }
        );
        assert_eq!(change(0, 0).percent, None);
        assert_eq!(change(15, 10).percent, Some(50));
        assert_eq!(change(5, 10).percent, Some(-50));
        assert_eq!(change(2, 3).delta, -1);
        assert_eq!(change(7, 6).percent, Some(17));
    }
}

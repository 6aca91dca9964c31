//! Windows: a day, an ISO week or a calendar month in a time zone, as a half-open range of instants.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// A reporting period. Bounds are computed in a time zone, half-open: `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Window {
    Day(Date),
    /// ISO week-numbering year and week (1..=53).
    Week {
        year: i16,
        week: i8,
    },
    Month {
        year: i16,
        month: i8,
    },
    /// The whole history.
    All,
}

/// The kind of a window, used for grouping and for picking the previous window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WindowKind {
    Day,
    Week,
    Month,
    All,
}

/// Which commit date places a commit in a window.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DateField {
    /// When the commit was made (what `git log --since` filters on). The default: it orders
    /// rebased and cherry-picked work by when it landed.
    #[default]
    Committer,
    /// When the change was first written.
    Author,
}

impl DateField {
    pub fn as_str(&self) -> &'static str {
        match self {
            DateField::Committer => "committer",
            DateField::Author => "author",
        }
    }
}

/// The first year a window may name (git has no earlier commit dates worth a report).
pub const MIN_YEAR: i64 = 1970;
/// The last year a window may name: its end and its next window must still be dates.
pub const MAX_YEAR: i64 = 9998;

/// A window whose text could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("invalid window `{text}`: {reason}")]
pub struct WindowParseError {
    pub text: String,
    pub reason: String,
}

impl WindowParseError {
    pub fn hint(&self) -> &'static str {
        "use a day (2025-11-14), an ISO week (2025-W49), a month (2025-11) or `all`"
    }
}

/// A window's start and end as instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Bounds {
    /// Whether `seconds` (Unix time) lies in `[start, end)`.
    pub fn contains(&self, seconds: i64) -> bool {
        self.start.as_second() <= seconds && seconds < self.end.as_second()
    }
}

impl Window {
    pub fn kind(&self) -> WindowKind {
        match self {
            Window::Day(_) => WindowKind::Day,
            Window::Week { .. } => WindowKind::Week,
            Window::Month { .. } => WindowKind::Month,
            Window::All => WindowKind::All,
        }
    }

    /// The first calendar day of the window (`None` for [`Window::All`]).
    pub fn first_day(&self) -> Option<Date> {
        match *self {
            Window::Day(d) => Some(d),
            Window::Week { year, week } => ISOWeekDate::new(year, week, Weekday::Monday)
                .ok()
                .map(|w| w.date()),
            Window::Month { year, month } => Date::new(year, month, 1).ok(),
            Window::All => None,
        }
    }

    /// The first calendar day after the window.
    fn next_first_day(&self) -> Option<Date> {
        let first = self.first_day()?;
        let step = match self {
            Window::Day(_) => 1.day(),
            Window::Week { .. } => 1.week(),
            Window::Month { .. } => 1.month(),
            Window::All => return None,
        };
        first.checked_add(step).ok()
    }

    /// The window's instants in `tz`; `None` for [`Window::All`] (no bounds).
    pub fn bounds(&self, tz: &TimeZone) -> Option<Bounds> {
        let start = self.first_day()?.to_zoned(tz.clone()).ok()?.timestamp();
        let end = self
            .next_first_day()?
            .to_zoned(tz.clone())
            .ok()?
            .timestamp();
        Some(Bounds { start, end })
    }

    /// The window of the same kind just before this one.
    pub fn previous(&self) -> Option<Window> {
        let first = self.first_day()?;
        let prev = match self {
            Window::Day(_) => first.yesterday().ok()?,
            Window::Week { .. } => first.checked_sub(1.week()).ok()?,
            Window::Month { .. } => first.checked_sub(1.month()).ok()?,
            Window::All => return None,
        };
        Some(Self::containing(self.kind(), prev))
    }

    /// The window of the same kind just after this one.
    pub fn next(&self) -> Option<Window> {
        Some(Self::containing(self.kind(), self.next_first_day()?))
    }

    /// The window of `kind` that contains the calendar day `date`.
    pub fn containing(kind: WindowKind, date: Date) -> Window {
        match kind {
            WindowKind::Day => Window::Day(date),
            WindowKind::Week => {
                let iso = date.iso_week_date();
                Window::Week {
                    year: iso.year(),
                    week: iso.week(),
                }
            }
            WindowKind::Month => Window::Month {
                year: date.year(),
                month: date.month(),
            },
            WindowKind::All => Window::All,
        }
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Window::Day(d) => write!(f, "{d}"),
            Window::Week { year, week } => write!(f, "{year:04}-W{week:02}"),
            Window::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Window::All => f.write_str("all"),
        }
    }
}

impl FromStr for Window {
    type Err = WindowParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |reason: &str| WindowParseError {
            text: text.to_string(),
            reason: reason.into(),
        };
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Window::All);
        }
        let num = |s: &str, what: &str| -> Result<i64, WindowParseError> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(&format!("`{s}` is not a {what}")));
            }
            s.parse::<i64>()
                .map_err(|_| err(&format!("`{s}` is not a {what}")))
        };
        let year_of = |s: &str| -> Result<i16, WindowParseError> {
            if s.len() != 4 {
                return Err(err("the year must have four digits"));
            }
            let y = num(s, "year")?;
            if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
                return Err(err(&format!(
                    "the year must be from {MIN_YEAR} to {MAX_YEAR}"
                )));
            }
            i16::try_from(y).map_err(|_| err("year out of range"))
        };
        let parts: Vec<&str> = t.split('-').collect();
        match parts.as_slice() {
            [y, w] if w.starts_with(['W', 'w']) => {
                let year = year_of(y)?;
                let week = num(&w[1..], "week number")?;
                let week = i8::try_from(week).map_err(|_| err("week out of range"))?;
                ISOWeekDate::new(year, week, Weekday::Monday)
                    .map_err(|_| err(&format!("{year} has no ISO week {week}")))?;
                Ok(Window::Week { year, week })
            }
            [y, m] => {
                let year = year_of(y)?;
                let month = num(m, "month")?;
                if !(1..=12).contains(&month) || m.len() != 2 {
                    return Err(err("the month must be 01 to 12"));
                }
                Ok(Window::Month {
                    year,
                    month: month as i8,
                })
            }
            [y, m, d] => {
                let year = year_of(y)?;
                let (month, day) = (num(m, "month")?, num(d, "day")?);
                if m.len() != 2 || d.len() != 2 {
                    return Err(err("a day is written YYYY-MM-DD"));
                }
                let date = Date::new(year, month as i8, day as i8)
                    .map_err(|_| err("that day does not exist"))?;
                Ok(Window::Day(date))
            }
            _ => Err(err("unrecognised form")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Window {
        s.parse().expect("valid window")
    }

    #[test]
    fn parses_and_prints_every_form() {
        for s in ["2025-11-14", "2025-W49", "2025-W01", "2025-11", "all"] {
            assert_eq!(w(s).to_string(), s);
        }
        assert_eq!(w("2025-w49"), w("2025-W49"));
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "2025-13",
            "2025-02-30",
            "2025-W54",
            "2021-W53",
            "25-11",
            "2025-1",
            "x",
            "2025-11-1a",
            "",
        ] {
            assert!(s.parse::<Window>().is_err(), "{s} should not parse");
        }
        assert!(
            "2020-W53".parse::<Window>().is_ok(),
            "2020 has 53 ISO weeks"
        );
    }

    #[test]
    fn iso_week_bounds_cross_years() {
        // ISO 2025-W01 starts on Monday 2024-12-30.
        let b = w("2025-W01").bounds(&TimeZone::UTC).expect("bounds");
        assert_eq!(b.start.to_string(), "2024-12-30T00:00:00Z");
        assert_eq!(b.end.to_string(), "2025-01-06T00:00:00Z");
        assert_eq!(w("2025-W01").previous(), Some(w("2024-W52")));
        assert_eq!(w("2021-W01").previous(), Some(w("2020-W53")));
    }

    #[test]
    fn bounds_follow_the_time_zone_and_dst() {
        let tz = TimeZone::get("Europe/Berlin").expect("tz");
        let b = w("2025-11-14").bounds(&tz).expect("bounds");
        assert_eq!(b.start.to_string(), "2025-11-13T23:00:00Z");
        assert_eq!(b.end.to_string(), "2025-11-14T23:00:00Z");
        // The day DST ends in Berlin has 25 hours.
        let d = w("2025-10-26").bounds(&tz).expect("bounds");
        assert_eq!(d.end.as_second() - d.start.as_second(), 25 * 3600);
        assert!(b.contains(b.start.as_second()));
        assert!(!b.contains(b.end.as_second()));
    }

    #[test]
    fn next_steps_across_boundaries() {
        assert_eq!(w("2025-12-31").next(), Some(w("2026-01-01")));
        assert_eq!(w("2020-W53").next(), Some(w("2021-W01")));
        assert_eq!(w("2025-12").next(), Some(w("2026-01")));
        assert_eq!(w("all").next(), None);
    }

    #[test]
    fn previous_month_and_day() {
        assert_eq!(w("2025-01").previous(), Some(w("2024-12")));
        assert_eq!(w("2025-03-01").previous(), Some(w("2025-02-28")));
        assert_eq!(w("all").previous(), None);
    }
}

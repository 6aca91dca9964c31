//! Where each report lives under the content folder. The folder comes from the period itself,
//! never from the clock, and matches the prototype's links:
//! `blog/YYYY/MM/YYYY-MM-DD.md`, `blog/YYYY/MM/week-YYYY-WW.md`, `blog/YYYY/MM/<month>-YYYY.md`.

use jiff::civil::Weekday;

use crate::window::Window;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month's English name, capitalised.
pub fn month_name(month: i8) -> String {
    let m = MONTHS[(month.clamp(1, 12) - 1) as usize];
    let mut c = m.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The page's path without `.md`, relative to the content folder, with `/` separators: also its
/// wikilink target. `None` for [`Window::All`].
pub fn page_stem(base: &str, window: &Window) -> Option<String> {
    match *window {
        Window::Day(d) => Some(format!("{base}/{:04}/{:02}/{d}", d.year(), d.month())),
        Window::Week { year, week } => {
            // A week belongs to the month of its Thursday, which is always in its ISO year.
            let thursday = jiff::civil::ISOWeekDate::new(year, week, Weekday::Thursday)
                .ok()?
                .date();
            Some(format!(
                "{base}/{:04}/{:02}/week-{year:04}-{week:02}",
                thursday.year(),
                thursday.month()
            ))
        }
        Window::Month { year, month } => Some(format!(
            "{base}/{year:04}/{month:02}/{}-{year:04}",
            MONTHS[(month - 1) as usize]
        )),
        Window::All => None,
    }
}

/// The folder of a page stem (`blog/2025/11`).
pub fn folder_of(stem: &str) -> &str {
    stem.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The file name part of a stem (`week-2025-46`).
pub fn file_of(stem: &str) -> &str {
    stem.rsplit_once('/').map_or(stem, |(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        page_stem("blog", &w.parse().expect("window")).expect("stem")
    }

    #[test]
    fn paths_follow_the_period() {
        assert_eq!(stem("2025-11-14"), "blog/2025/11/2025-11-14");
        assert_eq!(stem("2025-W46"), "blog/2025/11/week-2025-46");
        assert_eq!(stem("2025-11"), "blog/2025/11/november-2025");
        // ISO 2025-W01 runs Mon 2024-12-30 to Sun 2025-01-05; its Thursday is 2025-01-02.
        assert_eq!(stem("2025-W01"), "blog/2025/01/week-2025-01");
        // ISO 2020-W53 ends on Sunday 2021-01-03; its Thursday is 2020-12-31.
        assert_eq!(stem("2020-W53"), "blog/2020/12/week-2020-53");
        assert_eq!(month_name(11), "November");
        assert_eq!(folder_of("blog/2025/11/x"), "blog/2025/11");
    }
}

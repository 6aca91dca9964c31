//! Charts: small, dependency-free SVG images written beside each report, with real alt text.
//!
//! Every chart is a standalone SVG served as an `<img>`, so it cannot see the page's CSS variables
//! or theme toggle: it has a transparent background, mid-luminance colours and a mid-grey ink that
//! keep at least 3:1 contrast on both the light (#ffffff) and dark (#161618) site themes, and a
//! `<style>` that refines them for the reader's `prefers-color-scheme`.
//!
//! Labels are untrusted (repository and people's names): they are stripped of control and bidi
//! characters, cut with `…` when too long and XML-escaped. Output uses a fixed vocabulary of
//! elements (`svg`, `title`, `desc`, `style`, `rect`, `line`, `text`): no scripts, links, external
//! references or event attributes. Same input, same bytes.

mod axes;
mod churn;
mod horizontal;
mod palette;
mod scale;
mod stacked;
mod svg;
mod text;

#[cfg(test)]
mod tests;

/// One named series of values, one per category (e.g. a repository's commits per day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
}

/// A rendered chart: the SVG document and alt text that states its data in words.
///
/// `alt` is plain text (control and bidi characters removed, long names cut); it is not escaped
/// for Markdown, which is the caller's job when writing `![alt](chart.svg)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub svg: String,
    pub alt: String,
}

/// Stacked vertical bars: categories on x (e.g. days "Mon 10"), one colour per series, legend.
///
/// There is one bar per category; a series' missing values count as zero and values beyond the
/// categories are ignored. Series keep their input order (bottom of the stack first). Beyond
/// eight series, the seven largest by total are kept and the rest fold into one grey "others".
pub fn stacked_bars(title: &str, categories: &[String], series: &[Series]) -> Chart {
    stacked::render(title, categories, series)
}

/// Diverging bars: lines added above the axis, deleted below, per category.
///
/// Missing values count as zero; values beyond the categories are ignored.
pub fn churn_bars(title: &str, categories: &[String], added: &[u64], deleted: &[u64]) -> Chart {
    churn::render(title, categories, added, deleted)
}

/// Horizontal bars, largest first (e.g. commits per contributor), at most `max_rows` rows.
///
/// Ties are ordered by name. `max_rows` is capped at [`MAX_HORIZONTAL_ROWS`] to stay legible; rows
/// left out are counted in a footnote and in the alt text, and the image grows with the rows.
pub fn horizontal_bars(title: &str, rows: &[(String, u64)], max_rows: usize) -> Chart {
    horizontal::render(title, rows, max_rows)
}

/// The most rows [`horizontal_bars`] draws, whatever `max_rows` asks for.
pub const MAX_HORIZONTAL_ROWS: usize = 20;

/// At most this many series in a stacked chart's legend, "others" included.
const MAX_SERIES: usize = 8;

/// Alt-text pieces shared by the charts: names and numbers in words, built only from the inputs.
mod alt {
    use super::text::{clean, clip};

    /// The chart's title for alt text: cleaned, cut at 160 characters, without trailing
    /// punctuation (the alt text adds its own), or "Chart" when empty.
    pub(crate) fn title(title: &str) -> String {
        let t = clip(&clean(title), 160);
        let t = t.trim_end_matches(['.', ':', ';', ',', ' ']);
        if t.is_empty() {
            "Chart".to_owned()
        } else {
            t.to_owned()
        }
    }

    /// A name for alt text: cleaned, cut at 40 characters, `fallback` when empty.
    pub(crate) fn name(name: &str, fallback: impl FnOnce() -> String) -> String {
        let n = clip(&clean(name), 40);
        if n.is_empty() { fallback() } else { n }
    }

    /// "a", "a and b", "a, b and c"; beyond `max` names, "a, b, c and 4 more".
    pub(crate) fn names(names: &[String], max: usize) -> String {
        let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
        let more = names.len().saturating_sub(max);
        match (shown.as_slice(), more) {
            ([], _) => String::new(),
            ([one], 0) => (*one).to_owned(),
            (many, 0) => {
                let (last, rest) = many.split_last().unwrap_or((&"", &[]));
                format!("{} and {last}", rest.join(", "))
            }
            (many, more) => format!("{} and {more} more", many.join(", ")),
        }
    }
}

//! Front matter of a Sparky page: it parses with the strict reader (what Quartz accepts), holds
//! a title, a real date and tags; for a report, `sparky_period` is a window whose last day is the
//! date; and the `sparky_hash` still matches (else a person edited the page).

use super::facts::{self, Facts};
use super::finding::{Kind, Sink};
use super::page::{Page, Role};
use super::site::Site;
use crate::render::frontmatter::{FrontMatter, Scalar, Value};
use crate::render::page::{HASH_KEY, last_day, verify_hash};
use crate::window::Window;

/// Checks the front matter of `page`; for a report whose facts file is readable, returns the
/// facts (for the number check).
pub(super) fn check(page: &Page, site: &Site, strict: bool, sink: &mut Sink) -> Option<Facts> {
    hash(page, strict, sink);
    if !page.utf8 {
        sink.error(1, Kind::FrontMatter, "the page is not valid UTF-8");
    }
    let parsed = match &page.front {
        Ok(parsed) => parsed,
        Err(e) => {
            sink.error(
                e.line.max(1),
                Kind::FrontMatter,
                format!(
                    "{} (Quartz cannot read this front matter as intended)",
                    e.kind
                ),
            );
            return None;
        }
    };
    let fm = match parsed.to_front_matter() {
        Ok(fm) => fm,
        Err(e) => {
            sink.error(e.line.max(1), Kind::FrontMatter, e.kind.to_string());
            return None;
        }
    };
    if fm.title.trim().is_empty() {
        sink.error(
            page.key_line("title"),
            Kind::FrontMatter,
            "empty title: Quartz shows the file name instead",
        );
    }
    match parsed.entry("tags") {
        None => sink.error(1, Kind::FrontMatter, "required key `tags` is missing"),
        Some(e) if fm.tags.is_empty() => sink.error(e.line, Kind::FrontMatter, "no tags"),
        Some(_) => {}
    }
    if page.role == Role::Index {
        return None;
    }
    let window = period(page, parsed, &fm, sink)?;
    let facts = facts::load(page, site, &window, sink)?;
    facts::compare(page, &fm, &facts, &window, sink);
    Some(facts)
}

/// `sparky_hash`: a warning (an error with `--strict`) when the page was edited.
fn hash(page: &Page, strict: bool, sink: &mut Sink) {
    let line = page.key_line(HASH_KEY);
    let message = match verify_hash(&page.text) {
        Some(true) => return,
        Some(false) => "edited by hand: the page no longer matches its `sparky_hash`",
        None => "no `sparky_hash`: the page cannot be told apart from a hand-written one",
    };
    if strict {
        sink.error(line, Kind::Edited, message);
    } else {
        sink.warning(
            line,
            Kind::Edited,
            format!("{message} (a warning; an error with --strict)"),
        );
    }
}

/// `sparky_period` as a window whose last day is the page's date.
fn period(
    page: &Page,
    parsed: &crate::render::frontmatter::ParsedFrontMatter,
    fm: &FrontMatter,
    sink: &mut Sink,
) -> Option<Window> {
    let Some(entry) = parsed.entry("sparky_period") else {
        sink.error(1, Kind::Period, "a report without `sparky_period`");
        return None;
    };
    let Value::Scalar(Scalar::Str(label)) = &entry.value else {
        sink.error(entry.line, Kind::Period, "`sparky_period` must be a string");
        return None;
    };
    let window: Window = match label.parse() {
        Ok(w) => w,
        Err(e) => {
            sink.error(entry.line, Kind::Period, format!("`sparky_period`: {e}"));
            return None;
        }
    };
    let Some(last) = last_day(&window) else {
        sink.error(
            entry.line,
            Kind::Period,
            format!("`sparky_period` `{label}` is not a day, ISO week or month"),
        );
        return None;
    };
    if fm.date != last {
        sink.error(
            page.key_line("date"),
            Kind::Period,
            format!("date {} is not the last day of {label} ({last})", fm.date),
        );
    }
    Some(window)
}

//! The facts file beside a report: it exists, is the facts of the page's period, and the
//! description and tags of the page agree with it.

use serde_json::Value as Json;

use super::finding::{Kind, Sink};
use super::page::Page;
use super::site::Site;
use crate::facts::OrgFacts;
use crate::render::escape::{front_matter_text, tag_slug};
use crate::render::frontmatter::{FrontMatter, Scalar, Value};
use crate::render::page::{description, report_tag};
use crate::window::Window;

/// A report's facts file, read.
pub(super) struct Facts {
    /// The file name, as `sparky_facts` gives it.
    pub name: String,
    pub json: Json,
    /// The facts in Sparky's schema; `None` when the JSON does not match it.
    pub typed: Option<OrgFacts>,
    /// The page's period (the facts' `window.label`).
    pub window: Window,
}

/// Reads the facts file `sparky_facts` names, beside the page.
pub(super) fn load(page: &Page, site: &Site, window: &Window, sink: &mut Sink) -> Option<Facts> {
    let line = page.key_line("sparky_facts");
    let parsed = page.front.as_ref().ok()?;
    let name = match parsed.get("sparky_facts") {
        Some(Value::Scalar(Scalar::Str(s))) => s.clone(),
        Some(_) => {
            sink.error(line, Kind::Facts, "`sparky_facts` must be a string");
            return None;
        }
        None => {
            sink.error(line, Kind::Facts, "a report without `sparky_facts`");
            return None;
        }
    };
    if !name.ends_with(".json") || name.contains(['/', '\\']) || name.starts_with('.') {
        sink.error(
            line,
            Kind::Facts,
            format!("`sparky_facts` `{name}` is not the name of a JSON file beside the page"),
        );
        return None;
    }
    let rel = match page.folder() {
        "" => name.clone(),
        folder => format!("{folder}/{name}"),
    };
    if !site.has(&rel) {
        sink.error(
            line,
            Kind::Facts,
            format!("the facts file `{name}` does not exist beside the page"),
        );
        return None;
    }
    let text = match site.read(&rel).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        _ => {
            sink.error(
                line,
                Kind::Facts,
                format!("the facts file `{name}` cannot be read as UTF-8"),
            );
            return None;
        }
    };
    let json: Json = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            sink.error(
                line,
                Kind::Facts,
                format!("the facts file `{name}` is not JSON: {e}"),
            );
            return None;
        }
    };
    let label = json["window"]["label"].as_str().unwrap_or("");
    if label != window.to_string() {
        sink.error(
            line,
            Kind::Facts,
            format!(
                "the facts file `{name}` is for `{label}`, not for the page's period `{window}`"
            ),
        );
        return None;
    }
    let typed = match serde_json::from_value::<OrgFacts>(json.clone()) {
        Ok(t) => Some(t),
        Err(e) => {
            sink.error(
                line,
                Kind::Facts,
                format!("the facts file `{name}` does not follow the facts schema: {e}"),
            );
            None
        }
    };
    Some(Facts {
        name,
        json,
        typed,
        window: *window,
    })
}

/// The description and tags of `fm` against the facts.
pub(super) fn compare(
    page: &Page,
    fm: &FrontMatter,
    facts: &Facts,
    window: &Window,
    sink: &mut Sink,
) {
    let Some(typed) = &facts.typed else {
        return;
    };
    let expected = front_matter_text(&description(typed, &window.to_string()));
    if fm.description != expected {
        sink.error(
            page.key_line("description"),
            Kind::Description,
            format!(
                "description \"{}\" does not match {}: expected \"{expected}\"",
                fm.description, facts.name
            ),
        );
    }
    let mut want: Vec<String> = Vec::new();
    let named = ["sparky", report_tag(window), "development"];
    let repos = typed
        .repos
        .iter()
        .filter(|r| r.commits > 0)
        .map(|r| r.name.as_str());
    for tag in named.into_iter().chain(repos).map(tag_slug) {
        if !want.contains(&tag) {
            want.push(tag);
        }
    }
    let missing: Vec<&str> = want
        .iter()
        .filter(|t| !fm.tags.contains(t))
        .map(String::as_str)
        .collect();
    let extra: Vec<&str> = fm
        .tags
        .iter()
        .filter(|t| !want.contains(t))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        let list = |v: &[&str]| {
            v.iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("missing {}", list(&missing)));
        }
        if !extra.is_empty() {
            parts.push(format!("unexpected {}", list(&extra)));
        }
        sink.error(
            page.key_line("tags"),
            Kind::Tags,
            format!(
                "tags do not match the report kind and the active repositories of {}: {}",
                facts.name,
                parts.join("; ")
            ),
        );
    }
}

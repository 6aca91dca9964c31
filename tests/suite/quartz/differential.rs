//! Differential check of Sparky's strict front-matter reader against Quartz's (gray-matter with
//! js-yaml's JSON schema): whenever `render::frontmatter::parse` accepts a front matter, Quartz
//! must read the very same values; where QUARTZ.md says a form breaks the build, Sparky must
//! reject it and the harness must fail it; where Quartz reads a form wrongly, Sparky must reject
//! it.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};
use sparky::render::frontmatter::{ParsedFrontMatter, Scalar, Value, parse};

/// Front matters a person might write, all of which Sparky's reader accepts.
const ACCEPTED: &[&str] = &[
    "title: My week",
    "title: 2025-11-14 weekly",
    "title: x   ",
    "title: yes",
    "title: a:b",
    "title: http://x.y/z?a=b#c",
    "title: C# rocks",
    "title: 50% off",
    "title: -dash",
    "title: ~tilde",
    "title: key -> value",
    "title: a, b",
    "title: .hidden",
    "title: ünïcode ✓ 😀",
    "title: \"\\u00e9\\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\u0025\\u005b\"",
    "title: \"\"",
    "draft: false\nshown: True\nloud: TRUE",
    "weight: -3\nzero: 0\nminus_zero: -0\nbig: 9007199254740991\nsmall: -9007199254740991",
    "gone: null\ntilde: ~\nloud: NULL\nempty:",
    "date: 2025-11-14\npublished: 2025-11-14T10:00:00Z",
    "tags: [sparky, \"weekly report\", 2025, true]",
    "tags: []",
    "tags: [\"a, b\", c]",
    "aliases:\n- old-name\n- \"other\"",
    "aliases:\n  - a\n  - 2\n  - \"\"",
    "# a comment\ntitle: x\n\n# another\nauthor: y",
    "last-modified: 2025-01-01\nsocialDescription: plain",
];

/// Forms QUARTZ.md saw fail the whole build: Sparky must reject them, and so must the harness.
const BREAKING: &[&str] = &[
    "title: This Week: W47",
    "title: @me",
    "title: *bold",
    "tags: [#sparky]",
    "tags: [a, b",
    "title: 'Sparky's week'",
    "title: \"The \"best\" week\"",
    "title: \"path\\q\"",
    "title: x\ntitle: y",
    "tags:\n\t- a",
];

/// Forms Quartz reads without failing but wrongly: Sparky's reader must reject them.
const MANGLED: &[&str] = &[
    "title: Week #47 report",
    "big: 9007199254740993",
    "version: 1.10",
];

/// The pages to write: `(relative path, text)`.
pub fn pages() -> Vec<(String, String)> {
    let page = |body: &str| format!("---\n{body}\n---\nbody\n");
    let accepted = ACCEPTED
        .iter()
        .enumerate()
        .map(|(i, fm)| (format!("frontmatter/accepted-{i:02}.md"), page(fm)));
    let breaking = BREAKING
        .iter()
        .enumerate()
        .map(|(i, fm)| (format!("frontmatter/breaking-{i:02}.md"), page(fm)));
    let mangled = MANGLED
        .iter()
        .enumerate()
        .map(|(i, fm)| (format!("frontmatter/mangled-{i:02}.md"), page(fm)));
    accepted.chain(breaking).chain(mangled).collect()
}

/// Compares each written page's report with what Sparky's reader made of it.
pub fn check(
    written: &[(String, String)],
    reports: &BTreeMap<String, Json>,
    failures: &mut Vec<String>,
) {
    for (file, text) in written {
        let Some(report) = reports.get(file) else {
            failures.push(format!("{file}: not reported"));
            continue;
        };
        let ours = parse(text);
        if file.contains("/breaking-") {
            if ours.is_ok() || report["ok"] != Json::Bool(false) {
                failures.push(format!(
                    "{file}: should fail both readers; sparky: {ours:?}, quartz: {}",
                    report["ok"]
                ));
            }
            continue;
        }
        if file.contains("/mangled-") {
            if ours.is_ok() || report["ok"] != Json::Bool(true) {
                failures.push(format!(
                    "{file}: quartz reads it (wrongly), sparky must reject it; sparky: {ours:?}, quartz: {report}"
                ));
            }
            continue;
        }
        match ours {
            Ok((parsed, _)) => agree(file, text, &parsed, report, failures),
            Err(e) => failures.push(format!("{file}: sparky rejected it: {e}\n{text}")),
        }
    }
}

/// Requires Quartz's front matter to hold exactly the values Sparky's reader found.
pub fn agree(
    file: &str,
    text: &str,
    parsed: &ParsedFrontMatter,
    report: &Json,
    failures: &mut Vec<String>,
) {
    let ours: Map<String, Json> = parsed
        .entries
        .iter()
        .map(|e| (e.key.clone(), as_json(&e.value)))
        .collect();
    let ours = Json::Object(ours);
    if report["ok"] != Json::Bool(true) || report["frontmatter"] != ours {
        failures.push(format!(
            "{file}: the readers disagree\n  sparky: {ours}\n  quartz: {} {}\n{text}",
            report["frontmatter"], report["error"]
        ));
    }
}

/// A parsed value as js-yaml's JSON schema yields it (dates and times stay strings there).
fn as_json(value: &Value) -> Json {
    match value {
        Value::Scalar(s) => scalar(s),
        Value::List(items) => Json::Array(items.iter().map(scalar).collect()),
    }
}

fn scalar(s: &Scalar) -> Json {
    match s {
        Scalar::Str(s) => Json::from(s.as_str()),
        Scalar::Int(i) => Json::from(*i),
        Scalar::Bool(b) => Json::from(*b),
        Scalar::Date(d) => Json::from(d.to_string()),
        Scalar::Timestamp(t) => Json::from(t.to_string()),
        Scalar::Null => Json::Null,
    }
}

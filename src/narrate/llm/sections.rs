//! The sections of one report, each asked for, checked and kept or replaced on its own: the
//! summary (a paragraph), the highlights (JSON list) and one sentence per repository (JSON
//! object). Every accepted text is encoded with `escape::inline`, so it is one literal line.

use std::collections::BTreeMap;

use serde_json::Value;

use super::credit::credit;
use super::grounding::PageInfo;
use super::http::{Answer, Message};
use super::prompt::{self, PromptContext};
use super::{Narrator, tell};
use crate::facts::OrgFacts;
use crate::narrate::{Narrative, SectionSource};
use crate::render::templates::Templates;

pub(super) struct Cx<'a> {
    pub n: &'a Narrator,
    pub facts: &'a OrgFacts,
    pub page: PageInfo<'a>,
    pub templates: &'a Templates,
    pub base: PromptContext,
}

pub(super) enum Outcome<T> {
    Used(T, u64),
    Fallback(String),
}

fn section(name: &str, source: &str, claims: u64, attempts: u32, fallback: &str) -> SectionSource {
    SectionSource {
        section: name.to_string(),
        source: source.to_string(),
        claims_checked: claims,
        attempts,
        fallback: fallback.to_string(),
    }
}

/// The report's narrative: Sparky's template text, section by section replaced by the model's
/// where every claim checks out.
pub(super) fn narrate(
    n: &Narrator,
    facts: &OrgFacts,
    org_name: &str,
    period_human: &str,
    templates: &Templates,
) -> Narrative {
    let mut out = crate::narrate::template(facts, period_human);
    let model = n.settings().model.clone();
    if facts.org.commits == 0 {
        out.sections = vec![section("summary", "template", 0, 0, "quiet period")];
        return out;
    }
    let (report, words, _) = prompt::report_kind(&facts.window.kind);
    let cx = Cx {
        n,
        facts,
        page: PageInfo {
            org_name,
            period_human,
        },
        templates,
        base: PromptContext {
            org_name: org_name.to_string(),
            report: report.to_string(),
            period_human: period_human.to_string(),
            period: facts.window.label.clone(),
            words: words.to_string(),
            ..PromptContext::default()
        },
    };
    let storied = tell::storied(&cx);
    let mut sections = Vec::new();
    let ((result, attempts), told) = rayon::join(
        || {
            if storied.is_empty() {
                (Outcome::Fallback("nothing to cite".into()), 0)
            } else {
                tell::summary(&cx, &storied)
            }
        },
        || tell::repos(&cx, &storied),
    );
    sections.push(match result {
        Outcome::Used(text, claims) => {
            out.story = text;
            section("summary", &model, claims, attempts, "")
        }
        Outcome::Fallback(why) => section("summary", "template", 0, attempts, &why),
    });
    if !out.highlights.is_empty() {
        // Releases, breaking changes and newcomers with their numbers: template text.
        sections.push(section("highlights", "template", 0, 0, "kept as facts"));
    }
    let mut told: BTreeMap<&str, _> = told.into_iter().collect();
    for (name, sentence) in out.repos.iter_mut() {
        let s = match told.remove(name.as_str()) {
            Some((Outcome::Used(text, claims), attempts)) => {
                sentence.push(' ');
                sentence.push_str(&text);
                section(&format!("repos/{name}"), &model, claims, attempts, "")
            }
            Some((Outcome::Fallback(why), attempts)) => {
                section(&format!("repos/{name}"), "template", 0, attempts, &why)
            }
            None => section(
                &format!("repos/{name}"),
                "template",
                0,
                0,
                "not among the busiest",
            ),
        };
        sections.push(s);
    }
    out.credit = credit(&sections, &model);
    if sections.iter().any(|s| s.fallback.is_empty()) {
        out.source = model;
    }
    out.sections = sections;
    out
}

/// What checking one answer gave: what may be used (with its claims checked), and why the
/// rest was rejected.
pub(super) struct Checked<T> {
    pub usable: Option<(T, u64)>,
    pub rejected: Vec<String>,
}

/// Asks, checks, and asks again naming the rejected claims, up to `attempts` answers. An
/// answer is used whole when nothing in it was rejected; after the last answer, the checked
/// part of the best answer (most claims checked) is used, else the template text stays.
pub(super) fn converse<T>(
    cx: &Cx<'_>,
    name: &str,
    mut messages: Vec<Message>,
    schema: Option<&Value>,
    mut check: impl FnMut(&Answer) -> Checked<T>,
) -> (Outcome<T>, u32) {
    let mut attempts = 0;
    let mut best: Option<(T, u64)> = None;
    loop {
        let answer = match cx.n.ask(&messages, schema) {
            Ok(a) => a,
            Err(e) => {
                tracing::debug!("{} {name}: no answer ({e})", cx.facts.window.label);
                return (Outcome::Fallback(e.reason().into()), attempts);
            }
        };
        attempts += 1;
        let Checked { usable, rejected } = check(&answer);
        if rejected.is_empty()
            && let Some((value, claims)) = usable
        {
            return (Outcome::Used(value, claims), attempts);
        }
        if let Some(u) = usable
            && best.as_ref().is_none_or(|b| u.1 > b.1)
        {
            best = Some(u);
        }
        tracing::debug!(
            "{} {name}: answer {attempts} rejected: {}",
            cx.facts.window.label,
            rejected.join("; ")
        );
        if attempts >= cx.n.settings().attempts {
            return match best {
                Some((value, claims)) => (Outcome::Used(value, claims), attempts),
                None => (Outcome::Fallback("rejected".into()), attempts),
            };
        }
        match prompt::retry(cx.templates, &rejected, schema.is_some()) {
            Ok(retry) => {
                messages.push(Message {
                    role: "assistant",
                    content: answer.content.clone(),
                });
                messages.push(retry);
            }
            Err(e) => {
                tracing::warn!("the retry prompt failed: {}", crate::cmd::chain(&e));
                return (Outcome::Fallback("prompt template error".into()), attempts);
            }
        }
    }
}

fn cut_off(answer: &Answer) -> Result<(), Vec<String>> {
    if answer.truncated {
        return Err(vec![
            "the answer was cut off at the length limit: write less".into(),
        ]);
    }
    Ok(())
}

/// A JSON answer, tolerating a ```json fence around it.
pub(super) fn json(answer: &Answer) -> Result<Value, Vec<String>> {
    cut_off(answer)?;
    let t = answer.content.trim();
    let t = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .unwrap_or(t);
    let t = t.strip_suffix("```").unwrap_or(t).trim();
    serde_json::from_str(t).map_err(|_| vec!["the answer was not the JSON asked for".into()])
}

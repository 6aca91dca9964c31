//! The sections of one report, each asked for, checked and kept or replaced on its own: the
//! summary (a paragraph), the highlights (JSON list) and one sentence per repository (JSON
//! object). Every accepted text is encoded with `escape::inline`, so it is one literal line.

use std::collections::BTreeMap;

use serde_json::Value;

use super::credit::credit;
use super::grounding::{self, Grounding, PageInfo, Scope};
use super::http::{Answer, Message};
use super::prompt::{self, Prompt, PromptContext};
use super::{Narrator, claims, clean, verify};
use crate::facts::OrgFacts;
use crate::narrate::{Narrative, SectionSource};
use crate::render::escape::inline;
use crate::render::templates::Templates;

/// Longest highlight or repository sentence accepted, in words.
const MAX_ITEM_WORDS: usize = 45;

struct Cx<'a> {
    n: &'a Narrator,
    facts: &'a OrgFacts,
    page: PageInfo<'a>,
    templates: &'a Templates,
    base: PromptContext,
}

enum Outcome<T> {
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
    let mut sections = Vec::new();
    let (result, attempts) = summary(&cx, &out.summary);
    sections.push(match result {
        Outcome::Used(text, claims) => {
            out.summary = text;
            section("summary", &model, claims, attempts, "")
        }
        Outcome::Fallback(why) => section("summary", "template", 0, attempts, &why),
    });
    if out.highlights.is_empty() {
        sections.push(section(
            "highlights",
            "template",
            0,
            0,
            "nothing to highlight",
        ));
    } else {
        let (result, attempts) = highlights(&cx, &out.highlights);
        sections.push(match result {
            Outcome::Used(items, claims) => {
                out.highlights = items;
                section("highlights", &model, claims, attempts, "")
            }
            Outcome::Fallback(why) => section("highlights", "template", 0, attempts, &why),
        });
    }
    if !out.repos.is_empty() {
        sections.extend(repos(&cx, &mut out.repos, &model));
    }
    out.credit = credit(&sections, &model);
    if sections.iter().any(|s| s.fallback.is_empty()) {
        out.source = model;
    }
    out.sections = sections;
    out
}

/// The prompt for `task`, or why there is none.
fn prompt_for(cx: &Cx<'_>, task: &str, ctx: &PromptContext) -> Result<Prompt, String> {
    let budget = cx.n.prompt_budget();
    match prompt::build(cx.templates, task, cx.facts, cx.page, ctx, budget) {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(e)) => Err(e.reason().to_string()),
        Err(e) => {
            tracing::warn!(
                "the prompt template for `{task}` failed: {}",
                crate::cmd::chain(&e)
            );
            Err("prompt template error".into())
        }
    }
}

/// Asks, checks, and asks again naming the rejected claims, up to `attempts` answers.
fn converse<T>(
    cx: &Cx<'_>,
    name: &str,
    mut messages: Vec<Message>,
    schema: Option<&Value>,
    mut check: impl FnMut(&Answer) -> Result<(T, u64), Vec<String>>,
) -> (Outcome<T>, u32) {
    let mut attempts = 0;
    loop {
        let answer = match cx.n.ask(&messages, schema) {
            Ok(a) => a,
            Err(e) => {
                tracing::debug!("{} {name}: no answer ({e})", cx.facts.window.label);
                return (Outcome::Fallback(e.reason().into()), attempts);
            }
        };
        attempts += 1;
        let rejected = match check(&answer) {
            Ok((value, claims)) => return (Outcome::Used(value, claims), attempts),
            Err(rejected) => rejected,
        };
        tracing::debug!(
            "{} {name}: answer {attempts} rejected: {}",
            cx.facts.window.label,
            rejected.join("; ")
        );
        if attempts >= cx.n.settings().attempts {
            return (Outcome::Fallback("rejected".into()), attempts);
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

/// One piece of text: tidied, its claims checked, encoded as safe Markdown.
fn check_text(text: &str, g: &Grounding, max_words: usize) -> Result<(String, u64), Vec<String>> {
    let text = clean::tidy(text);
    if text.is_empty() {
        return Err(vec!["the answer was empty".into()]);
    }
    let words = text.split_whitespace().count();
    if words > max_words {
        return Err(vec![format!(
            "the answer has {words} words; write at most {max_words}"
        )]);
    }
    let claims = claims::extract(&text);
    let rejected = verify::check(&claims, g);
    if rejected.is_empty() {
        Ok((inline(&text), claims.len() as u64))
    } else {
        Err(rejected.iter().map(ToString::to_string).collect())
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
fn json(answer: &Answer) -> Result<Value, Vec<String>> {
    cut_off(answer)?;
    let t = answer.content.trim();
    let t = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .unwrap_or(t);
    let t = t.strip_suffix("```").unwrap_or(t).trim();
    serde_json::from_str(t).map_err(|_| vec!["the answer was not the JSON asked for".into()])
}

fn summary(cx: &Cx<'_>, template: &str) -> (Outcome<String>, u32) {
    let ctx = PromptContext {
        template: prompt::plain(template),
        ..cx.base.clone()
    };
    let p = match prompt_for(cx, "summary", &ctx) {
        Ok(p) => p,
        Err(why) => return (Outcome::Fallback(why), 0),
    };
    let (_, _, max) = prompt::report_kind(&cx.facts.window.kind);
    let g = p.grounding;
    converse(cx, "summary", p.messages, None, |a| {
        cut_off(a)?;
        check_text(&a.content, &g, max * 2)
    })
}

fn highlights(cx: &Cx<'_>, template: &[String]) -> (Outcome<Vec<String>>, u32) {
    let ctx = PromptContext {
        items: template.iter().map(|h| prompt::plain(h)).collect(),
        count: template.len(),
        json: true,
        ..cx.base.clone()
    };
    let p = match prompt_for(cx, "highlights", &ctx) {
        Ok(p) => p,
        Err(why) => return (Outcome::Fallback(why), 0),
    };
    let schema = prompt::highlights_schema(template.len());
    let g = p.grounding;
    converse(cx, "highlights", p.messages, Some(&schema), |a| {
        let v = json(a)?;
        let items: Vec<&str> = v
            .get("highlights")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if items.len() != template.len() {
            return Err(vec![format!(
                "the answer had {} highlights; exactly {} were asked for",
                items.len(),
                template.len()
            )]);
        }
        let mut out = Vec::new();
        let mut claims = 0;
        let mut rejected = Vec::new();
        for item in items {
            match check_text(item, &g, MAX_ITEM_WORDS) {
                Ok((text, n)) => {
                    out.push(text);
                    claims += n;
                }
                Err(r) => rejected.extend(r),
            }
        }
        if rejected.is_empty() {
            Ok((out, claims))
        } else {
            Err(rejected)
        }
    })
}

/// One sentence per active repository; each is kept or replaced on its own.
fn repos(cx: &Cx<'_>, sentences: &mut BTreeMap<String, String>, model: &str) -> Vec<SectionSource> {
    let names: Vec<String> = sentences.keys().cloned().collect();
    let ctx = PromptContext {
        items: sentences
            .iter()
            .map(|(name, s)| format!("{name}: {}", prompt::plain(s)))
            .collect(),
        repos: names.clone(),
        json: true,
        ..cx.base.clone()
    };
    let p = match prompt_for(cx, "repos", &ctx) {
        Ok(p) => p,
        Err(why) => {
            return names
                .iter()
                .map(|r| section(&format!("repos/{r}"), "template", 0, 0, &why))
                .collect();
        }
    };
    let groundings: BTreeMap<String, Grounding> = cx
        .facts
        .repos
        .iter()
        .filter(|r| sentences.contains_key(&r.name))
        .map(|r| {
            let mut g = grounding::build(cx.facts, cx.page, Scope::Repo(r), p.detail);
            prompt::learn_words(&mut g, &p.messages);
            (r.name.clone(), g)
        })
        .collect();
    let schema = prompt::repos_schema(&names);
    let mut accepted: BTreeMap<String, (String, u64, u32)> = BTreeMap::new();
    let mut attempt = 0;
    let (result, attempts) = converse(cx, "repos", p.messages, Some(&schema), |a| {
        attempt += 1;
        let v = json(a)?;
        let mut rejected = Vec::new();
        for (name, g) in &groundings {
            if accepted.contains_key(name) {
                continue;
            }
            let Some(text) = v.get(name).and_then(Value::as_str) else {
                rejected.push(format!("{name}: no sentence was given"));
                continue;
            };
            match check_text(text, g, MAX_ITEM_WORDS) {
                Ok((safe, claims)) => {
                    accepted.insert(name.clone(), (safe, claims, attempt));
                }
                Err(r) => rejected.extend(r.into_iter().map(|r| format!("{name}: {r}"))),
            }
        }
        if rejected.is_empty() {
            Ok(((), 0))
        } else {
            Err(rejected)
        }
    });
    let why = match result {
        Outcome::Used(..) => String::new(),
        Outcome::Fallback(why) => why,
    };
    names
        .iter()
        .map(|name| match accepted.remove(name) {
            Some((text, claims, at)) => {
                sentences.insert(name.clone(), text);
                section(&format!("repos/{name}"), model, claims, at, "")
            }
            None => section(&format!("repos/{name}"), "template", 0, attempts, &why),
        })
        .collect()
}

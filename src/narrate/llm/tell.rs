//! The story sections: per repository, and for the whole report, what was built, fixed,
//! released and changed, in sentences that cite the period's items ([`story`]). Each request
//! carries only its own items (ranked and capped, under [`MAX_PROMPT_TOKENS`]) and asks for a
//! JSON list; the sections of a report are asked in parallel (the gate bounds requests in
//! flight). Template sentences keep the numbers; accepted story sentences are added to them.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::grounding::{self, Detail, Grounding, Scope};
use super::http::Message;
use super::prompt::{self, PromptContext};
use super::sections::{Checked, Cx, Outcome, converse, json};
use super::story::{self, Story};
use super::{claims, clean, verify};
use crate::facts::RepoFacts;
use crate::render::escape::inline;

/// Most tokens one request's prompt may take.
pub(super) const MAX_PROMPT_TOKENS: u64 = 2_000;
/// Repositories given a story of their own, busiest first (the rest keep template text).
const MAX_REPOS: usize = 4;
/// Sentences per answer, and words per sentence (so an answer fits the answer limit).
const MAX_SENTENCES: usize = 3;
const MAX_WORDS: usize = 30;
/// Fewer words are a label ("Release v1.0.0"), not a sentence.
const MIN_WORDS: usize = 3;
/// Items per repository in the report's opening request.
const SUMMARY_ITEMS: usize = 3;

/// One accepted sentence, as safe Markdown with its citations as links.
struct Told {
    text: String,
    markdown: String,
    claims: u64,
}

/// The repositories worth a story: active, with something to cite, busiest first.
pub(super) fn storied<'a>(cx: &Cx<'a>) -> Vec<(&'a RepoFacts, Story)> {
    let mut repos: Vec<(&RepoFacts, Story)> = cx
        .facts
        .repos
        .iter()
        .filter(|r| r.commits > 0)
        .map(|r| (r, Story::of(r)))
        .filter(|(_, s)| !s.items.is_empty())
        .collect();
    repos.sort_by(|a, b| b.0.commits.cmp(&a.0.commits).then(a.0.name.cmp(&b.0.name)));
    // A repository sharing most of its items with a busier one (a fork, a mirror) has no
    // story of its own to tell.
    let mut told: Vec<(&RepoFacts, Story)> = Vec::new();
    for (r, s) in repos {
        let shared = s
            .items
            .iter()
            .filter(|i| told.iter().any(|(_, t)| t.item(&i.cite).is_some()))
            .count();
        if shared * 2 <= s.items.len() {
            told.push((r, s));
        }
        if told.len() == MAX_REPOS {
            break;
        }
    }
    told
}

/// The story of one repository: sentences to add after its template sentence.
pub(super) fn repo(cx: &Cx<'_>, r: &RepoFacts, s: &Story) -> (Outcome<String>, u32) {
    let ctx = PromptContext {
        repos: vec![r.name.clone()],
        count: MAX_SENTENCES,
        words: MAX_WORDS.to_string(),
        json: true,
        ..cx.base.clone()
    };
    let Some(messages) = messages(cx, "repos", &ctx, &[(r, s)], story::MAX_ITEMS) else {
        return (Outcome::Fallback("prompt too long".into()), 0);
    };
    let g = ground(cx, r, s, &messages);
    let schema = schema(&ctx.repos, s);
    converse(
        cx,
        &format!("story {}", r.name),
        messages,
        Some(&schema),
        |a| {
            checked(json(a).and_then(|v| {
                sentences(&v, false, |name| {
                    name.eq_ignore_ascii_case(&r.name).then_some((r, s, &g))
                })
            }))
        },
    )
}

/// The report's story across its busiest repositories: sentences to lead the summary.
pub(super) fn summary(cx: &Cx<'_>, repos: &[(&RepoFacts, Story)]) -> (Outcome<String>, u32) {
    let ctx = PromptContext {
        repos: repos.iter().map(|(r, _)| r.name.clone()).collect(),
        count: MAX_SENTENCES,
        words: MAX_WORDS.to_string(),
        json: true,
        ..cx.base.clone()
    };
    let pairs: Vec<(&RepoFacts, &Story)> = repos.iter().map(|(r, s)| (*r, s)).collect();
    let Some(messages) = messages(cx, "summary", &ctx, &pairs, SUMMARY_ITEMS) else {
        return (Outcome::Fallback("prompt too long".into()), 0);
    };
    let grounds: BTreeMap<String, (&RepoFacts, &Story, Grounding)> = pairs
        .iter()
        .map(|(r, s)| (r.name.to_lowercase(), (*r, *s, ground(cx, r, s, &messages))))
        .collect();
    let all: Vec<&Story> = pairs.iter().map(|(_, s)| *s).collect();
    let schema = schema(&ctx.repos, &merged(&all));
    converse(cx, "summary", messages, Some(&schema), |a| {
        checked(json(a).and_then(|v| {
            sentences(&v, true, |name| {
                grounds
                    .get(&name.to_lowercase())
                    .map(|(r, s, g)| (*r, *s, g))
            })
        }))
    })
}

/// The system and task messages, with as many items per repository as fit the token cap.
fn messages(
    cx: &Cx<'_>,
    task: &str,
    base: &PromptContext,
    repos: &[(&RepoFacts, &Story)],
    per_repo: usize,
) -> Option<Vec<Message>> {
    for cap in (1..=per_repo).rev() {
        let mut lines = Vec::new();
        for (r, s) in repos {
            if task == "summary" {
                lines.push(format!("Repository {}:", r.name));
            }
            lines.extend(s.lines(cap));
        }
        let ctx = PromptContext {
            facts: lines.join("\n"),
            ..base.clone()
        };
        let render = |name: &str| {
            cx.templates
                .render(&format!("prompts/{name}.md"), &ctx)
                .inspect_err(|e| {
                    tracing::warn!("the prompt `{name}` failed: {}", crate::cmd::chain(e))
                })
                .ok()
        };
        let messages = vec![
            Message {
                role: "system",
                content: render("system")?,
            },
            Message {
                role: "user",
                content: render(task)?,
            },
        ];
        let limit = MAX_PROMPT_TOKENS.min(cx.n.prompt_budget());
        if prompt::tokens(&messages) <= limit {
            return Some(messages);
        }
    }
    None
}

/// The repository's own figures, names, references and dates (no organisation totals), and
/// the words of its items and the prompt's instructions.
fn ground(cx: &Cx<'_>, r: &RepoFacts, s: &Story, messages: &[Message]) -> Grounding {
    let mut g = grounding::build(cx.facts, cx.page, Scope::Only(r), Detail::FULL);
    for i in &s.items {
        g.learn_text(&i.text);
        g.learn_text(&i.cite);
    }
    prompt::learn_words(&mut g, messages);
    g
}

/// One cite enum over several stories.
fn merged(stories: &[&Story]) -> Story {
    Story {
        items: stories.iter().flat_map(|s| s.items.clone()).collect(),
        terms: Default::default(),
    }
}

/// JSON schema: `{"sentences": [{"repo", "text", "refs": [cites]}]}`.
fn schema(repos: &[String], s: &Story) -> Value {
    let cites: Vec<&str> = s.items.iter().map(|i| i.cite.as_str()).collect();
    let mut properties = json!({
        "text": { "type": "string" },
        "refs": { "type": "array", "items": { "type": "string", "enum": cites }, "minItems": 1, "maxItems": 3 },
    });
    properties["repo"] = json!({ "type": "string", "enum": repos });
    let required = ["repo", "text", "refs"];
    json!({
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_SENTENCES,
                "items": {
                    "type": "object",
                    "properties": properties,
                    "required": required,
                    "additionalProperties": false,
                }
            }
        },
        "required": ["sentences"],
        "additionalProperties": false,
    })
}

/// An answer's sentences as a check result: the accepted ones joined, and why others were not.
fn checked(told: Result<(Vec<Told>, Vec<String>), Vec<String>>) -> Checked<String> {
    match told {
        Ok((told, rejected)) => Checked {
            usable: (!told.is_empty()).then(|| join(told)),
            rejected,
        },
        Err(rejected) => Checked {
            usable: None,
            rejected,
        },
    }
}

/// Checks every sentence of an answer: the sentences that hold, and why the others do not
/// (an error when the answer has no sentences at all).
fn sentences<'a>(
    v: &Value,
    name_repo: bool,
    lookup: impl Fn(&str) -> Option<(&'a RepoFacts, &'a Story, &'a Grounding)>,
) -> Result<(Vec<Told>, Vec<String>), Vec<String>> {
    let list = v
        .get("sentences")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| vec!["the answer had no sentences".to_string()])?;
    let mut told = Vec::new();
    let mut rejected = Vec::new();
    let mut last: Option<&str> = None;
    for item in list.iter().take(MAX_SENTENCES) {
        let text = clean::tidy(item.get("text").and_then(Value::as_str).unwrap_or_default());
        let refs: Vec<String> = item
            .get("refs")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let repo = item.get("repo").and_then(Value::as_str).unwrap_or_default();
        let Some((r, s, g)) = lookup(repo) else {
            rejected.push(format!("\"{repo}\" is not a repository of this report"));
            continue;
        };
        if told.iter().any(|t: &Told| t.text == text) {
            continue;
        }
        match sentence(r, s, g, &text, &refs) {
            // The opening names the repository each run of sentences is about.
            Ok(mut t) if name_repo && !mentions(&text, &r.name) && last != Some(&r.name) => {
                t.markdown = format!("{}: {}", inline(&r.name), t.markdown);
                last = Some(&r.name);
                told.push(t)
            }
            Ok(t) => {
                last = Some(&r.name);
                told.push(t)
            }
            Err(why) => rejected.extend(why),
        }
    }
    Ok((told, rejected))
}

/// One sentence: its words, citations and claims against its repository's period.
fn sentence(
    r: &RepoFacts,
    s: &Story,
    g: &Grounding,
    text: &str,
    refs: &[String],
) -> Result<Told, Vec<String>> {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    if words < MIN_WORDS {
        return Err(vec![format!(
            "\"{text}\" is not a sentence: say what was done, in at least {MIN_WORDS} words"
        )]);
    }
    let words = text.split_whitespace().count();
    if words > MAX_WORDS {
        return Err(vec![format!(
            "\"{text}\" has {words} words; write at most {MAX_WORDS}"
        )]);
    }
    if story::copies_a_header(text) {
        return Err(vec![format!(
            "\"{text}\" copies an item's title: say what was done in a plain sentence of your own"
        )]);
    }
    let cited: Vec<&story::Item> = refs.iter().filter_map(|c| s.item(c)).collect();
    if story::repeats_an_item(text, &cited) {
        return Err(vec![format!(
            "\"{text}\" repeats the item: say what was done (\"Added …\", \"Fixed …\") in a sentence of your own"
        )]);
    }
    let mut why = story::check_sentence(&r.name, s, text, refs);
    // Words are checked above as terms of the cited items; numbers, references, people,
    // repositories and dates against this repository's own facts.
    // A figure quoted from the item cited ("vite 1.09") is that item's, not a count.
    let quoted: Vec<String> = refs
        .iter()
        .filter_map(|c| s.item(c))
        .map(|i| i.text.to_lowercase())
        .collect();
    let claims: Vec<claims::Claim> = claims::extract(text)
        .into_iter()
        .filter(|c| !matches!(c.what, claims::What::Name(_) | claims::What::Identifier(_)))
        .filter(|c| {
            let t = c.text.to_lowercase();
            !quoted.iter().any(|q| q.contains(&t))
        })
        .collect();
    why.extend(
        verify::check(&claims, g)
            .iter()
            .map(|x| format!("{} (in {})", x, r.name)),
    );
    if !why.is_empty() {
        return Err(why);
    }
    let links: Vec<String> = refs
        .iter()
        .filter_map(|c| s.item(c))
        .map(|i| match i.link.as_deref().filter(|l| safe_url(l)) {
            Some(l) => format!("[{}]({l})", inline(&i.cite)),
            None => inline(&i.cite),
        })
        .collect();
    let mut markdown = if text.ends_with(['.', '!', '?']) {
        inline(text)
    } else {
        inline(&format!("{text}."))
    };
    if !links.is_empty() {
        markdown.push_str(&format!(" ({})", links.join(", ")));
    }
    Ok(Told {
        text: text.to_string(),
        markdown,
        claims: claims.len() as u64 + refs.len() as u64,
    })
}

/// Whether `text` names the repository `name` as a word of its own.
fn mentions(text: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .any(|w| w.trim_end_matches('.') == name)
}

fn safe_url(url: &str) -> bool {
    url.starts_with("https://")
        && !url
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '[' | ']' | '"'))
}

fn join(told: Vec<Told>) -> (String, u64) {
    let claims = told.iter().map(|t| t.claims).sum();
    let text: Vec<String> = told.into_iter().map(|t| t.markdown).collect();
    (text.join(" "), claims)
}

/// Asks for every storied repository in parallel.
pub(super) fn repos<'a>(
    cx: &Cx<'_>,
    repos: &'a [(&'a RepoFacts, Story)],
) -> Vec<(&'a str, (Outcome<String>, u32))> {
    repos
        .par_iter()
        .map(|(r, s)| (r.name.as_str(), repo(cx, r, s)))
        .collect()
}

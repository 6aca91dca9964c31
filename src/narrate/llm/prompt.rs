//! Prompts: rendered from the `prompts/*.md` templates in `content-templates/` (overridable by
//! name like the page templates) with the facts text of the section's grounding, and cut down
//! until they fit the model's context.

use serde::Serialize;
use serde_json::{Value, json};

use super::error::LlmError;
use super::grounding::{self, Detail, Grounding, PageInfo, Scope};
use super::http::Message;
use super::scan::{Tok, scan};
use crate::facts::OrgFacts;
use crate::render::templates::{TemplateError, Templates};

/// What the prompt templates see.
#[derive(Debug, Default, Clone, Serialize)]
pub(super) struct PromptContext {
    pub org_name: String,
    /// "daily digest", "weekly report", "monthly review".
    pub report: String,
    pub period_human: String,
    pub period: String,
    /// The facts, as plain text lines.
    pub facts: String,
    /// The length to aim for, e.g. "60 to 110".
    pub words: String,
    /// Sparky's own version of the section, as plain text.
    pub template: String,
    /// Plain-text items: highlights, or `repo: sentence` lines.
    pub items: Vec<String>,
    pub repos: Vec<String>,
    pub count: usize,
    /// Why the last answer was rejected.
    pub rejected: Vec<String>,
    /// The answer is JSON.
    pub json: bool,
}

/// A section's prompt and the grounding it was built from.
pub(super) struct Prompt {
    pub grounding: Grounding,
    pub messages: Vec<Message>,
    /// How much of the facts the prompt shows.
    pub detail: Detail,
}

/// The report's name and the summary's length per kind of window.
pub(super) fn report_kind(kind: &str) -> (&'static str, &'static str, usize) {
    match kind {
        "day" => ("daily digest", "40 to 70", 70),
        "week" => ("weekly report", "60 to 110", 110),
        _ => ("monthly review", "90 to 160", 160),
    }
}

/// Plain text of Sparky's safe Markdown (what `escape::inline` encoded, decoded).
pub(super) fn plain(markdown: &str) -> String {
    let text = markdown.replace("<!---->", "").replace("<br>", "\n");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Rough token count: three characters a token, plus a little per message.
pub(super) fn tokens(messages: &[Message]) -> u64 {
    messages
        .iter()
        .map(|m| m.content.chars().count() as u64 / 3 + 8)
        .sum()
}

/// Builds the prompt for a section at the most detail that fits `budget_tokens`, with the
/// page's grounding (a repository's sentence is later checked against its own).
pub(super) fn build(
    templates: &Templates,
    task: &str,
    facts: &OrgFacts,
    page: PageInfo<'_>,
    base: &PromptContext,
    budget_tokens: u64,
) -> Result<Result<Prompt, LlmError>, TemplateError> {
    let mut needed = 0;
    for level in (0..=Detail::FULL.0).rev() {
        let mut grounding = grounding::build(facts, page, Scope::Page, Detail(level));
        let ctx = PromptContext {
            facts: grounding.text.clone(),
            ..base.clone()
        };
        let system = templates.render("prompts/system.md", &ctx)?;
        let user = templates.render(&format!("prompts/{task}.md"), &ctx)?;
        let messages = vec![
            Message {
                role: "system",
                content: system,
            },
            Message {
                role: "user",
                content: user,
            },
        ];
        needed = tokens(&messages);
        if needed <= budget_tokens {
            learn_words(&mut grounding, &messages);
            return Ok(Ok(Prompt {
                grounding,
                messages,
                detail: Detail(level),
            }));
        }
    }
    Ok(Err(LlmError::ContextTooSmall {
        needed,
        available: budget_tokens,
    }))
}

/// The ordinary words of the prompt (instructions, template text) may be written capitalised;
/// only words the prompt writes in lowercase count, so a name in the prompt's facts does not
/// become ordinary English for a section whose facts do not include it.
pub(super) fn learn_words(g: &mut Grounding, messages: &[Message]) {
    for m in messages {
        for t in scan(&m.content) {
            if let Tok::Word(w) = t.tok
                && !w.chars().any(char::is_uppercase)
            {
                g.vocabulary.insert(w);
            }
        }
    }
}

/// The retry message naming the rejected claims.
pub(super) fn retry(
    templates: &Templates,
    rejected: &[String],
    json: bool,
) -> Result<Message, TemplateError> {
    let ctx = PromptContext {
        rejected: rejected.to_vec(),
        json,
        ..PromptContext::default()
    };
    Ok(Message {
        role: "user",
        content: templates.render("prompts/retry.md", &ctx)?,
    })
}

/// JSON schema: `{"highlights": [exactly n strings]}`.
pub(super) fn highlights_schema(n: usize) -> Value {
    json!({
        "type": "object",
        "properties": {
            "highlights": {
                "type": "array",
                "items": { "type": "string" },
                "minItems": n,
                "maxItems": n,
            }
        },
        "required": ["highlights"],
        "additionalProperties": false,
    })
}

/// JSON schema: an object with one string per repository name.
pub(super) fn repos_schema(names: &[String]) -> Value {
    let properties: serde_json::Map<String, Value> = names
        .iter()
        .map(|n| (n.clone(), json!({ "type": "string" })))
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": names,
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_undoes_the_inline_encoding() {
        let raw = "web-2025.11 tagged: [[x]] #1 a\nb";
        assert_eq!(plain(&crate::render::escape::inline(raw)), raw);
    }

    #[test]
    fn built_in_prompts_render() {
        let t = Templates::load(None).expect("templates");
        let ctx = PromptContext {
            facts: "Totals: 3 commits.".into(),
            items: vec!["api: 3 commits.".into()],
            repos: vec!["api".into(), "web".into()],
            count: 1,
            ..PromptContext::default()
        };
        for name in ["system", "summary", "highlights", "repos", "retry"] {
            let text = t
                .render(&format!("prompts/{name}.md"), &ctx)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!text.trim().is_empty(), "{name}");
        }
        let repos = t.render("prompts/repos.md", &ctx).expect("repos");
        assert!(repos.contains("api, web"), "{repos}");
    }
}

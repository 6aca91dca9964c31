//! Prompts: rendered from the `prompts/*.md` templates in `content-templates/` (overridable by
//! name like the page templates) with the items of the section's story ([`super::tell`]).

use serde::Serialize;

use super::grounding::Grounding;
use super::http::Message;
use super::scan::{Tok, scan};
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

/// The report's name and the summary's length per kind of window.
pub(super) fn report_kind(kind: &str) -> (&'static str, &'static str, usize) {
    match kind {
        "day" => ("daily digest", "40 to 70", 70),
        "week" => ("weekly report", "60 to 110", 110),
        _ => ("monthly review", "90 to 160", 160),
    }
}

/// Rough token count: three characters a token, plus a little per message.
pub(super) fn tokens(messages: &[Message]) -> u64 {
    messages
        .iter()
        .map(|m| m.content.chars().count() as u64 / 3 + 8)
        .sum()
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

#[cfg(test)]
mod tests {
    use super::*;

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

//! Narrative: the prose of a report. Template prose (the default) is built here from the facts
//! alone, deterministically; a language model can replace any section later, through the same
//! [`Narrative`] value, only after its claims are checked against the facts ([`llm`]).

pub mod llm;
mod prose;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::OrgFacts;

/// The prose sections of one report, each already safe Markdown.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Narrative {
    /// The opening paragraph.
    pub summary: String,
    /// What was built, in the model's checked sentences with their citations: a paragraph of
    /// its own after the opening; empty for template prose.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub story: String,
    /// Short sentences on what matters most (releases, breaking changes, newcomers).
    pub highlights: Vec<String>,
    /// One sentence per active repository, by repository name.
    pub repos: BTreeMap<String, String>,
    /// Who wrote the prose: `template` (Sparky's own prose) or the name of the model that wrote
    /// at least one section.
    pub source: String,
    /// Per section, who wrote it and how many claims were checked; empty when no model was asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionSource>,
    /// Safe Markdown crediting the model for exactly the sections it wrote ("the summary and the
    /// note on api were written by llama3.2 and checked against the facts (12 claims); …");
    /// empty when the prose is all template text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub credit: String,
}

/// Who wrote one section of a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SectionSource {
    /// `summary`, `highlights` or `repos/<name>`.
    pub section: String,
    /// `template` or the model's name.
    pub source: String,
    /// Claims in the model's text checked against the facts (0 for template text).
    pub claims_checked: u64,
    /// Answers the model gave for this section.
    pub attempts: u32,
    /// Why template text was used although a model was asked (`rejected`, `timeout`, `budget`…);
    /// empty when the model's text was used.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fallback: String,
}

impl SectionSource {
    /// The front-matter line: `summary: llama3.2, 9 claims checked` or
    /// `highlights: template (rejected)`.
    pub fn line(&self) -> String {
        if self.fallback.is_empty() {
            format!(
                "{}: {}, {} claims checked",
                self.section, self.source, self.claims_checked
            )
        } else {
            format!("{}: {} ({})", self.section, self.source, self.fallback)
        }
    }
}

/// Sparky's deterministic prose for a report over `facts`; `period_human` names the period.
pub fn template(facts: &OrgFacts, period_human: &str) -> Narrative {
    Narrative {
        summary: prose::summary(facts, period_human),
        story: String::new(),
        highlights: prose::highlights(facts),
        repos: facts
            .repos
            .iter()
            .filter(|r| r.commits > 0)
            .map(|r| (r.name.clone(), prose::repo_sentence(r)))
            .collect(),
        source: "template".to_string(),
        sections: Vec::new(),
        credit: String::new(),
    }
}

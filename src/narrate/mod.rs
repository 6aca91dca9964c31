//! Narrative: the prose of a report. Template prose (the default) is built here from the facts
//! alone, deterministically; a language model can replace any section later, through the same
//! [`Narrative`] value, only after its claims are checked against the facts.

mod prose;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::OrgFacts;

/// The prose sections of one report, each already safe Markdown.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Narrative {
    /// The opening paragraph.
    pub summary: String,
    /// Short sentences on what matters most (releases, breaking changes, newcomers).
    pub highlights: Vec<String>,
    /// One sentence per active repository, by repository name.
    pub repos: BTreeMap<String, String>,
    /// Who wrote each section: `template` (Sparky's own prose) or a model's name.
    pub source: String,
}

/// Sparky's deterministic prose for a report over `facts`; `period_human` names the period.
pub fn template(facts: &OrgFacts, period_human: &str) -> Narrative {
    Narrative {
        summary: prose::summary(facts, period_human),
        highlights: prose::highlights(facts),
        repos: facts
            .repos
            .iter()
            .filter(|r| r.commits > 0)
            .map(|r| (r.name.clone(), prose::repo_sentence(r)))
            .collect(),
        source: "template".to_string(),
    }
}

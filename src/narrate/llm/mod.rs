//! LLM narrative: a local model (Ollama, or an OpenAI-compatible server) rewrites the template
//! prose of each section, and its text is used only when every claim in it is in the facts.
//! Otherwise Sparky asks again naming the claims, then falls back to the template text for that
//! section. Nothing here fails a build.
//!
//! Stages: [`prompt`] (facts → prompt, from [`grounding`]) → [`Narrator::ask`] (cache → gate →
//! provider client with retries) → [`clean`] + [`claims`] (over [`scan`] tokens, read by
//! [`reader`]) + [`verify`] → safe Markdown through `escape::inline` ([`sections`], [`credit`]).

mod cache;
mod claims;
mod clean;
mod credit;
mod error;
mod gate;
mod grounding;
mod http;
mod ollama;
mod openai;
mod prompt;
mod reader;
mod scan;
mod sections;
mod settings;
mod story;
mod tell;
mod verify;
mod words;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

pub use error::LlmError;
pub use settings::{LlmSettings, Provider};

use cache::Cache;
use gate::Gate;
use http::{Answer, Http, Message};

use super::Narrative;
use crate::facts::OrgFacts;
use crate::render::templates::Templates;

/// Asks the model for each report's prose; shared by the threads that render pages.
pub struct Narrator {
    http: Http,
    gate: Gate,
    cache: Cache,
    /// The Ollama preflight (model installed, context length), run before the first request.
    ready: OnceLock<Option<u64>>,
    /// The first error that stopped all requests, with its hint.
    stopped: OnceLock<(String, Option<String>)>,
    sections_by_model: AtomicU64,
    sections_by_template: AtomicU64,
    /// Sections left to template text because the budget was spent.
    sections_past_budget: AtomicU64,
    claims_checked: AtomicU64,
}

/// What a build learns about its narration at the end.
pub struct NarrationReport {
    /// Sections narrated (by the model or with template text).
    pub sections: u64,
    /// "narrative: 14 of 18 sections by llama3.2 (42 claims checked), …".
    pub line: String,
    /// Why the model stopped being asked, and what to do about it.
    pub problem: Option<(String, Option<String>)>,
}

impl Narrator {
    pub fn new(settings: LlmSettings) -> Result<Narrator, LlmError> {
        let gate = Gate::new(settings.budget, settings.max_in_flight);
        let cache = Cache::new(&settings.cache_dir);
        Ok(Narrator {
            http: Http::new(settings)?,
            gate,
            cache,
            ready: OnceLock::new(),
            stopped: OnceLock::new(),
            sections_by_model: AtomicU64::new(0),
            sections_by_template: AtomicU64::new(0),
            sections_past_budget: AtomicU64::new(0),
            claims_checked: AtomicU64::new(0),
        })
    }

    pub fn settings(&self) -> &LlmSettings {
        &self.http.settings
    }

    /// Threads worth rendering pages on: enough to keep `max_in_flight` requests going.
    pub fn threads(&self) -> usize {
        self.settings()
            .max_in_flight
            .max(rayon::current_num_threads())
    }

    /// The prose of one report: template text, with each section the model wrote and the facts
    /// confirm put in its place.
    pub fn narrate(
        &self,
        facts: &OrgFacts,
        org_name: &str,
        period_human: &str,
        templates: &Templates,
    ) -> Narrative {
        let narrative = sections::narrate(self, facts, org_name, period_human, templates);
        for s in &narrative.sections {
            let counter = if s.fallback.is_empty() {
                &self.sections_by_model
            } else {
                &self.sections_by_template
            };
            counter.fetch_add(1, Ordering::Relaxed);
            if s.fallback == "budget spent" {
                self.sections_past_budget.fetch_add(1, Ordering::Relaxed);
            }
            self.claims_checked
                .fetch_add(s.claims_checked, Ordering::Relaxed);
        }
        narrative
    }

    /// The summary of this build's narration.
    pub fn finish(&self) -> NarrationReport {
        let by_model = self.sections_by_model.load(Ordering::Relaxed);
        let by_template = self.sections_by_template.load(Ordering::Relaxed);
        let line = format!(
            "narrative: {by_model} of {} sections by {} ({} claims checked), the rest template text; {} requests to {}, {} answers from the cache",
            by_model + by_template,
            self.settings().model,
            self.claims_checked.load(Ordering::Relaxed),
            self.gate.requests.load(Ordering::Relaxed),
            self.settings().shown_url(),
            self.gate.cache_hits.load(Ordering::Relaxed),
        );
        let past_budget = self.sections_past_budget.load(Ordering::Relaxed);
        let budget = LlmError::Budget {
            seconds: self.settings().budget.as_secs(),
        };
        let problem = self
            .stopped
            .get()
            .cloned()
            .or_else(|| {
                self.gate
                    .tripped()
                    .map(|reason| (format!("model requests stopped: {reason}"), None))
            })
            .or_else(|| {
                (past_budget > 0).then(|| {
                    let what = format!(
                        "{budget} after {} sections",
                        by_model + by_template - past_budget
                    );
                    (what, budget.hint())
                })
            });
        NarrationReport {
            sections: by_model + by_template,
            line,
            problem,
        }
    }

    /// Remembers the first error that stops the build's requests.
    fn stop(&self, e: &LlmError) {
        self.gate.trip(e);
        let _ = self.stopped.set((e.to_string(), e.hint()));
    }

    /// The model's answer to `messages`: from the cache, or asked through the gate.
    fn ask(&self, messages: &[Message], schema: Option<&Value>) -> Result<Answer, LlmError> {
        let s = self.settings();
        let key = Cache::key(&json!({
            "provider": s.provider.as_str(),
            "model": s.model,
            "options": {
                "temperature": s.options.temperature,
                "seed": s.options.seed,
                "num_ctx": s.options.num_ctx,
                "num_predict": s.options.num_predict,
            },
            "messages": messages,
            "format": schema,
        }));
        if !s.refresh
            && let Some(content) = self.cache.get(&key)
        {
            self.gate.cache_hits.fetch_add(1, Ordering::Relaxed);
            return Ok(cache_decode(content));
        }
        self.gate.check()?;
        self.preflight()?;
        if let Some(context) = self.ready.get().copied().flatten() {
            let needed = prompt::tokens(messages) + u64::from(s.options.num_predict);
            if needed > context {
                return Err(LlmError::ContextTooSmall {
                    needed,
                    available: context,
                });
            }
        }
        let answer = self.http.with_retries(&self.gate, || match s.provider {
            Provider::Ollama => ollama::chat(&self.http, &self.gate, messages, schema),
            Provider::OpenAi => openai::chat(&self.http, &self.gate, messages, schema),
        });
        let answer = answer.inspect_err(|e| {
            if e.is_fatal() {
                self.stop(e);
            }
        })?;
        self.cache
            .put(&key, s.provider.as_str(), &s.model, &cache_encode(&answer));
        Ok(answer)
    }

    /// Before the first request to Ollama: the model must be installed; its context length
    /// bounds `num_ctx`. Runs once per build, and never when every answer is cached.
    fn preflight(&self) -> Result<(), LlmError> {
        if self.settings().provider != Provider::Ollama {
            return Ok(());
        }
        self.ready.get_or_init(|| {
            match ollama::preflight(&self.http, &self.gate) {
                Ok(context) => {
                    let wanted = u64::from(self.settings().options.num_ctx);
                    if let Some(c) = context.filter(|c| *c < wanted) {
                        tracing::warn!(
                            "`num_ctx` {wanted} is more than `{}` holds ({c} tokens); prompts that do not fit use template text",
                            self.settings().model
                        );
                    }
                    context
                }
                Err(e) => {
                    self.stop(&e);
                    None
                }
            }
        });
        self.gate.check()
    }

    /// Tokens a prompt may take: the configured context less the answer's room (the same on
    /// every build, so prompts and cache keys are too).
    fn prompt_budget(&self) -> u64 {
        let o = &self.settings().options;
        u64::from(o.num_ctx).saturating_sub(u64::from(o.num_predict))
    }
}

/// Truncated answers are cached too (as rejections they are just as repeatable).
fn cache_encode(a: &Answer) -> String {
    if a.truncated {
        format!("\u{0}truncated\u{0}{}", a.content)
    } else {
        a.content.clone()
    }
}

fn cache_decode(content: String) -> Answer {
    match content.strip_prefix("\u{0}truncated\u{0}") {
        Some(rest) => Answer {
            content: rest.to_string(),
            truncated: true,
        },
        None => Answer {
            content,
            truncated: false,
        },
    }
}

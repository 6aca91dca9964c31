//! `[llm]`: which language model, if any, writes the report prose, and how hard Sparky tries.
//! Template prose stays the default (`provider = "none"`) and the fallback for every section.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::parse::Seg;
use super::validate::Checker;

/// Who writes the prose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LlmProvider {
    /// Sparky's template text only; no model is asked.
    #[default]
    None,
    /// Ollama's native API (`/api/chat`, `/api/tags`, `/api/show`).
    Ollama,
    /// An OpenAI-compatible server (`/v1/chat/completions`): vLLM, llama.cpp's server, LM Studio.
    Openai,
}

impl LlmProvider {
    pub fn as_str(&self) -> &'static str {
        match self {
            LlmProvider::None => "none",
            LlmProvider::Ollama => "ollama",
            LlmProvider::Openai => "openai",
        }
    }

    /// The server a provider is reached at when no `base_url` is given.
    pub fn default_url(&self) -> &'static str {
        match self {
            LlmProvider::None => "",
            LlmProvider::Ollama => "http://127.0.0.1:11434",
            LlmProvider::Openai => "http://127.0.0.1:8000/v1",
        }
    }
}

/// The default for `[llm] model`.
pub const DEFAULT_LLM_MODEL: &str = "llama3.2";
/// The default for `[llm] api_key_env`.
pub const DEFAULT_LLM_KEY_ENV: &str = "SPARKY_LLM_API_KEY";

/// `[llm]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmSection {
    pub provider: LlmProvider,
    /// The server's URL; the provider's local default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    pub model: String,
    /// The environment variable holding an API key for the OpenAI-compatible provider.
    pub api_key_env: String,
    /// Read answers as a stream (NDJSON for Ollama, server-sent events for OpenAI).
    pub stream: bool,
    /// Seconds of model requests per build; after that, remaining sections use template text.
    pub budget_seconds: u64,
    /// Requests in flight at once.
    pub max_in_flight: usize,
    /// Seconds one request may take, answer included.
    pub timeout_seconds: u64,
    pub connect_timeout_seconds: u64,
    /// Retries of one request after HTTP 429, 5xx or a broken stream.
    pub http_retries: u32,
    /// Answers per section checked against the facts before template text is used.
    pub attempts: u32,
    /// How long Ollama keeps the model loaded after a request (`keep_alive`).
    pub keep_alive: String,
    pub options: LlmOptions,
}

impl Default for LlmSection {
    fn default() -> Self {
        LlmSection {
            provider: LlmProvider::None,
            base_url: None,
            model: DEFAULT_LLM_MODEL.to_string(),
            api_key_env: DEFAULT_LLM_KEY_ENV.to_string(),
            stream: true,
            budget_seconds: 600,
            max_in_flight: 2,
            timeout_seconds: 120,
            connect_timeout_seconds: 5,
            http_retries: 2,
            attempts: 2,
            keep_alive: "5m".to_string(),
            options: LlmOptions::default(),
        }
    }
}

/// `[llm.options]`: sampling and size options sent with every request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmOptions {
    pub temperature: f64,
    pub seed: u32,
    /// Context window in tokens (Ollama only); prompts are cut to fit it.
    pub num_ctx: u32,
    /// Most tokens one answer may have.
    pub num_predict: u32,
}

// `temperature` is validated finite, so equality is total.
impl Eq for LlmOptions {}

impl Default for LlmOptions {
    fn default() -> Self {
        LlmOptions {
            temperature: 0.2,
            seed: 42,
            num_ctx: 8192,
            num_predict: 512,
        }
    }
}

fn at(k: &[&str]) -> Vec<Seg> {
    k.iter().map(|s| Seg::Key(s.to_string())).collect()
}

/// Checks `[llm]`: a usable URL, a model name, numbers in range, a variable name for the key.
pub(super) fn validate(c: &Checker<'_>, l: &LlmSection) -> Result<(), ConfigError> {
    let invalid = |path: &[&str], found: String, hint: &str| ConfigError::InvalidValue {
        at: c.at(&at(path)),
        key: path.last().copied().unwrap_or_default().to_string(),
        section: if path.len() > 2 {
            "[llm.options]".to_string()
        } else {
            "[llm]".to_string()
        },
        found,
        hint: hint.to_string(),
    };
    if let Some(url) = &l.base_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        let hint = "an http(s) URL, e.g. \"http://127.0.0.1:11434\" for Ollama";
        return Err(invalid(&["llm", "base_url"], url.clone(), hint));
    }
    if l.model.trim().is_empty() {
        return Err(ConfigError::EmptyValue {
            at: c.at(&at(&["llm", "model"])),
            key: "model".into(),
        });
    }
    let is_name = l
        .api_key_env
        .starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '_')
        && l.api_key_env
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
    if !is_name {
        // It may be a key pasted by mistake: never echo it, not even in the snippet.
        let mut at = c.at(&at(&["llm", "api_key_env"]));
        at.source_line = at
            .source_line
            .chars()
            .enumerate()
            .map(|(i, ch)| {
                let inside = i + 1 >= at.column && i + 1 < at.column + at.width;
                if inside { '*' } else { ch }
            })
            .collect();
        return Err(ConfigError::InvalidValue {
            at,
            key: "api_key_env".into(),
            section: "[llm]".into(),
            found: "a value that is not a variable name (hidden)".into(),
            hint: "`api_key_env` names the environment variable that holds the key, e.g. \
                   \"SPARKY_LLM_API_KEY\"; the key itself never goes in this file"
                .into(),
        });
    }
    let ranges: [(&str, u64, u64, u64); 6] = [
        ("budget_seconds", l.budget_seconds, 1, 86_400),
        ("max_in_flight", l.max_in_flight as u64, 1, 32),
        ("timeout_seconds", l.timeout_seconds, 1, 3_600),
        ("connect_timeout_seconds", l.connect_timeout_seconds, 1, 300),
        ("http_retries", u64::from(l.http_retries), 0, 10),
        ("attempts", u64::from(l.attempts), 1, 5),
    ];
    for (key, value, min, max) in ranges {
        if !(min..=max).contains(&value) {
            let hint = format!("a whole number from {min} to {max}");
            return Err(invalid(&["llm", key], value.to_string(), &hint));
        }
    }
    let o = &l.options;
    if !(0.0..=2.0).contains(&o.temperature) {
        let hint = "a number from 0.0 to 2.0, e.g. 0.2";
        return Err(invalid(
            &["llm", "options", "temperature"],
            o.temperature.to_string(),
            hint,
        ));
    }
    if !(512..=1_048_576).contains(&o.num_ctx) {
        let hint = "a token count from 512 to 1048576, e.g. 8192";
        return Err(invalid(
            &["llm", "options", "num_ctx"],
            o.num_ctx.to_string(),
            hint,
        ));
    }
    if !(32..=o.num_ctx / 2).contains(&o.num_predict) {
        let hint = "a token count from 32 to half of `num_ctx`, e.g. 512";
        return Err(invalid(
            &["llm", "options", "num_predict"],
            o.num_predict.to_string(),
            hint,
        ));
    }
    Ok(())
}

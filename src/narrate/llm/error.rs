//! What can go wrong asking a model, with a short reason for front matter and a hint for people.
//! None of these fails a build: the section they happen in falls back to template text.

use std::time::Duration;

/// One failed model request (or a setting that makes requests impossible).
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("cannot reach the {provider} server at `{url}`")]
    Unreachable {
        provider: &'static str,
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("model `{model}` is not installed on the {provider} server at `{url}`")]
    ModelNotFound {
        provider: &'static str,
        model: String,
        url: String,
    },
    #[error("the {provider} server at `{url}` refused the request (HTTP {status}: {message})")]
    Unauthorized {
        provider: &'static str,
        url: String,
        status: u16,
        message: String,
    },
    #[error("the {provider} server answered HTTP {status}: {message}")]
    Status {
        provider: &'static str,
        status: u16,
        message: String,
        retry_after: Option<Duration>,
    },
    #[error("no complete answer within {seconds}s")]
    Timeout { seconds: u64 },
    #[error("the answer stream broke: {message}")]
    Stream { message: String },
    #[error("the server's {what} is not what the API documents")]
    Malformed {
        what: &'static str,
        #[source]
        source: Option<serde_json::Error>,
    },
    #[error("failed to read the answer")]
    Transport {
        #[source]
        source: reqwest::Error,
    },
    #[error("the time budget for model requests ({seconds}s) is spent")]
    Budget { seconds: u64 },
    #[error("model requests are off for the rest of this build ({reason})")]
    Disabled { reason: String },
    #[error("the prompt needs about {needed} tokens but the model's context holds {available}")]
    ContextTooSmall { needed: u64, available: u64 },
    #[error("invalid LLM setting `{setting}`: `{value}`")]
    Setting {
        setting: &'static str,
        value: String,
    },
    #[error(
        "refusing to send the LLM API key to `{url}` over plain http: anyone on the network could read it"
    )]
    InsecureKey { url: String },
}

impl LlmError {
    /// The short reason recorded in front matter when a section falls back to template text.
    pub fn reason(&self) -> &'static str {
        match self {
            LlmError::Unreachable { .. } => "unreachable",
            LlmError::ModelNotFound { .. } => "model not found",
            LlmError::Unauthorized { .. } => "unauthorized",
            LlmError::Status { .. } => "server error",
            LlmError::Timeout { .. } => "timeout",
            LlmError::Stream { .. } => "broken stream",
            LlmError::Malformed { .. } => "malformed answer",
            LlmError::Transport { .. } => "transport error",
            LlmError::Budget { .. } => "budget spent",
            LlmError::Disabled { .. } => "model unavailable",
            LlmError::ContextTooSmall { .. } => "context too small",
            LlmError::Setting { .. } => "invalid setting",
            LlmError::InsecureKey { .. } => "insecure URL",
        }
    }

    /// Worth sending the same request again after a pause: rate limits, server errors, streams
    /// that broke off.
    pub fn is_retryable(&self) -> bool {
        match self {
            LlmError::Status { status, .. } => *status == 429 || *status >= 500,
            LlmError::Stream { .. } | LlmError::Transport { .. } => true,
            _ => false,
        }
    }

    /// No later request in this build can succeed: stop asking.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            LlmError::Unreachable { .. }
                | LlmError::ModelNotFound { .. }
                | LlmError::Unauthorized { .. }
                | LlmError::Setting { .. }
                | LlmError::InsecureKey { .. }
        )
    }

    /// The pause a server asked for with `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            LlmError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            LlmError::ModelNotFound {
                provider: "ollama",
                model,
                ..
            } => Some(format!(
                "run `ollama pull {model}` on the server, or choose an installed model with \
                 `--llm-model` (`ollama list` shows them)"
            )),
            LlmError::ModelNotFound { .. } => Some(
                "check the model name with `--llm-model`; the server lists its models at /v1/models"
                    .into(),
            ),
            LlmError::Unreachable { provider, .. } => Some(match *provider {
                "ollama" => "start it with `ollama serve`, or point `--llm-url` at it".into(),
                _ => "start the server, or point `--llm-url` at it".into(),
            }),
            LlmError::Unauthorized { .. } => Some(
                "put the server's API key in the variable named by `[llm] api_key_env` \
                 (default SPARKY_LLM_API_KEY)"
                    .into(),
            ),
            LlmError::Timeout { .. } => Some(
                "a larger `[llm] timeout_seconds` or a smaller model helps; \
                 sections without an answer use template text"
                    .into(),
            ),
            LlmError::Budget { .. } => Some(
                "raise `[llm] budget_seconds`; the next build asks again for what is missing \
                 (answers are cached)"
                    .into(),
            ),
            LlmError::ContextTooSmall { .. } => {
                Some("raise `[llm.options] num_ctx` within the model's context length".into())
            }
            LlmError::InsecureKey { .. } => Some(
                "use the server's https:// URL, or run the model server on this machine".into(),
            ),
            LlmError::Setting { .. } => {
                Some("`--llm-url` takes an http(s) URL and `--llm-model` a model name".into())
            }
            _ => None,
        }
    }
}

/// A server's error text as it may appear in a log line: controls neutralised, cut short.
pub(super) fn server_text(text: &str) -> String {
    let clean = crate::render::escape::neutralize(text).replace('\n', " ");
    crate::render::escape::truncate(&clean, 200)
}

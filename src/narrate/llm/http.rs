//! HTTP for both providers: one blocking reqwest client (the same reqwest gix uses), connect and
//! total timeouts, error statuses mapped to [`LlmError`]s, and bounded retries with backoff.

use crate::secure::is_loopback_url as is_loopback;
use std::io::Read;
use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use serde::Serialize;
use serde_json::Value;

use super::error::{LlmError, server_text};
use super::gate::{Gate, Permit};
use super::settings::LlmSettings;

/// Longest pause a `Retry-After` header may ask for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// One chat message.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(super) struct Message {
    pub role: &'static str,
    pub content: String,
}

/// A model's answer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Answer {
    pub content: String,
    /// The model stopped at the token limit.
    pub truncated: bool,
}

/// The client and what every request needs to know.
pub(super) struct Http {
    client: Client,
    pub settings: LlmSettings,
}

impl Http {
    pub fn new(settings: LlmSettings) -> Result<Http, LlmError> {
        let mut builder = Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .user_agent(concat!("sparky/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&settings.base_url) {
            // A proxy from the environment must never see requests to a local model server.
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|source| LlmError::Transport { source })?;
        Ok(Http { client, settings })
    }

    fn provider(&self) -> &'static str {
        self.settings.provider.as_str()
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url)
    }

    /// Sends one request through the gate: a slot must be free and the budget not spent; the
    /// request may not outlive the budget. Error statuses become errors.
    pub fn send<'g>(
        &self,
        gate: &'g Gate,
        request: RequestBuilder,
        path: &str,
    ) -> Result<(Permit<'g>, Response), LlmError> {
        let permit = gate.acquire()?;
        let timeout = self.settings.timeout.min(gate.remaining());
        let mut request = request.timeout(timeout);
        if let Some(key) = &self.settings.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().map_err(|e| self.transport(e))?;
        let status = response.status();
        if status.is_success() {
            return Ok((permit, response));
        }
        Err(self.status_error(response, path))
    }

    pub fn post<'g>(
        &self,
        gate: &'g Gate,
        path: &str,
        body: &Value,
    ) -> Result<(Permit<'g>, Response), LlmError> {
        let request = self.client.post(self.url(path)).json(body);
        self.send(gate, request, path)
    }

    pub fn get<'g>(&self, gate: &'g Gate, path: &str) -> Result<(Permit<'g>, Response), LlmError> {
        let request = self.client.get(self.url(path));
        self.send(gate, request, path)
    }

    /// A reqwest error as an [`LlmError`].
    pub fn transport(&self, e: reqwest::Error) -> LlmError {
        if e.is_timeout() {
            LlmError::Timeout {
                seconds: self.settings.timeout.as_secs(),
            }
        } else if e.is_connect() {
            LlmError::Unreachable {
                provider: self.provider(),
                url: self.settings.shown_url(),
                source: e,
            }
        } else {
            LlmError::Transport { source: e }
        }
    }

    /// An error while reading a response body.
    pub fn read_error(&self, e: std::io::Error) -> LlmError {
        let inner = e
            .get_ref()
            .and_then(|i| i.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout);
        if inner || e.kind() == std::io::ErrorKind::TimedOut {
            return LlmError::Timeout {
                seconds: self.settings.timeout.as_secs(),
            };
        }
        LlmError::Stream {
            message: server_text(&e.to_string()),
        }
    }

    /// The whole body as JSON.
    pub fn json(&self, response: Response, what: &'static str) -> Result<Value, LlmError> {
        let mut text = String::new();
        response
            .take(16 << 20)
            .read_to_string(&mut text)
            .map_err(|e| self.read_error(e))?;
        serde_json::from_str(&text).map_err(|source| LlmError::Malformed {
            what,
            source: Some(source),
        })
    }

    fn status_error(&self, response: Response, path: &str) -> LlmError {
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
        let mut body = String::new();
        let _ = response.take(64 << 10).read_to_string(&mut body);
        let message = error_message(&body);
        let provider = self.provider();
        let url = self.settings.shown_url();
        match status {
            404 if message.to_lowercase().contains("model") || path.ends_with("/show") => {
                LlmError::ModelNotFound {
                    provider,
                    model: self.settings.model.clone(),
                    url,
                }
            }
            401 | 403 => LlmError::Unauthorized {
                provider,
                url,
                status,
                message,
            },
            _ => LlmError::Status {
                provider,
                status,
                message,
                retry_after,
            },
        }
    }

    /// Runs `f` until it succeeds, fails for good, or has been retried `http_retries` times;
    /// pauses double from `backoff` (or follow `Retry-After`) and never pass the budget.
    pub fn with_retries<T>(
        &self,
        gate: &Gate,
        mut f: impl FnMut() -> Result<T, LlmError>,
    ) -> Result<T, LlmError> {
        let mut retry = 0;
        loop {
            // A request cut short by the end of the budget is the budget's doing, not the
            // server's: it must not count towards the breaker.
            let result = f().map_err(|e| match e {
                LlmError::Timeout { .. } if gate.remaining() < Duration::from_millis(50) => {
                    LlmError::Budget {
                        seconds: self.settings.budget.as_secs(),
                    }
                }
                e => e,
            });
            match result {
                Ok(v) => {
                    gate.record(&Ok(()));
                    return Ok(v);
                }
                Err(e) if e.is_retryable() && retry < self.settings.http_retries => {
                    let pause = e
                        .retry_after()
                        .unwrap_or(self.settings.backoff * 2u32.saturating_pow(retry));
                    tracing::debug!("model request failed ({e}); retrying in {pause:?}");
                    retry += 1;
                    gate.pause(pause)?;
                }
                Err(e) => {
                    gate.record(&Err(&e));
                    return Err(e);
                }
            }
        }
    }
}

/// The message of an error body: Ollama's `{"error": "…"}`, OpenAI's
/// `{"error": {"message": "…"}}`, vLLM's `{"message": "…"}`, or the text itself.
pub(super) fn error_message(body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let found = parsed.as_ref().and_then(|v| {
        v.get("error")
            .and_then(|e| e.as_str().or_else(|| e.get("message")?.as_str()))
            .or_else(|| v.get("message")?.as_str())
            .or_else(|| v.get("detail")?.as_str())
    });
    let text = found.unwrap_or(body);
    if text.trim().is_empty() {
        "no message".to_string()
    } else {
        server_text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_from_every_server_shape() {
        assert_eq!(
            error_message(r#"{"error":"model 'x' not found"}"#),
            "model 'x' not found"
        );
        assert_eq!(
            error_message(r#"{"error":{"message":"bad key","type":"auth"}}"#),
            "bad key"
        );
        assert_eq!(error_message(r#"{"object":"error","message":"no"}"#), "no");
        assert_eq!(error_message("plain\u{7}text"), "plain\u{fffd}text");
        assert_eq!(error_message(""), "no message");
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("http://127.0.0.1:11434"));
        assert!(is_loopback("http://localhost/v1"));
        assert!(is_loopback("http://[::1]:8000/v1"));
        assert!(!is_loopback("https://gpu.example.com/v1"));
    }
}

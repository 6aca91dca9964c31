//! The model settings of one build: `[llm]` with `--llm`, `--llm-url` and `--llm-model` applied,
//! and the API key read from the environment (never from a file, never printed).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::LlmError;
use crate::cli::LlmArgs;
use crate::config::{LlmOptions, LlmProvider, LlmSection};
use crate::mirror::Secret;

/// A provider that asks a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Ollama,
    OpenAi,
}

impl Provider {
    pub fn as_str(&self) -> &'static str {
        match self {
            Provider::Ollama => "ollama",
            Provider::OpenAi => "openai",
        }
    }
}

/// Everything the narrator needs, resolved.
#[derive(Debug, Clone)]
pub struct LlmSettings {
    pub provider: Provider,
    /// Without a trailing `/`; for `openai` it ends in the API prefix (`…/v1`).
    pub base_url: String,
    pub model: String,
    pub api_key: Option<Secret>,
    pub stream: bool,
    pub budget: Duration,
    pub max_in_flight: usize,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub http_retries: u32,
    pub attempts: u32,
    pub keep_alive: String,
    pub options: LlmOptions,
    /// Ignore cached answers (they are replaced).
    pub refresh: bool,
    /// Where answers are cached.
    pub cache_dir: PathBuf,
    /// The first pause before a retry (doubled each time).
    pub backoff: Duration,
}

impl LlmSettings {
    /// The settings for a build, or `None` when the prose is template text only.
    pub fn resolve(
        section: &LlmSection,
        args: &LlmArgs,
        cache_dir: &Path,
    ) -> Result<Option<LlmSettings>, LlmError> {
        let provider = args.provider.map_or(section.provider, Into::into);
        let provider = match provider {
            LlmProvider::None => return Ok(None),
            LlmProvider::Ollama => Provider::Ollama,
            LlmProvider::Openai => Provider::OpenAi,
        };
        let configured = section.base_url.as_deref();
        let url = args
            .url
            .as_deref()
            .or(configured)
            .unwrap_or(match provider {
                Provider::Ollama => LlmProvider::Ollama.default_url(),
                Provider::OpenAi => LlmProvider::Openai.default_url(),
            });
        let base_url = normalize_url(url, provider).ok_or_else(|| LlmError::Setting {
            setting: "--llm-url",
            value: url.to_string(),
        })?;
        let model = args.model.as_deref().unwrap_or(&section.model).trim();
        if model.is_empty() || model.chars().any(char::is_control) {
            return Err(LlmError::Setting {
                setting: "--llm-model",
                value: model.to_string(),
            });
        }
        let api_key = std::env::var(&section.api_key_env)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .map(|k| Secret::new(k.trim()));
        if api_key.is_some() && crate::secure::is_cleartext_to_network(&base_url) {
            return Err(LlmError::InsecureKey {
                url: base_url.to_string(),
            });
        }
        Ok(Some(LlmSettings {
            provider,
            base_url,
            model: model.to_string(),
            api_key,
            stream: section.stream,
            budget: Duration::from_secs(section.budget_seconds),
            max_in_flight: section.max_in_flight.max(1),
            timeout: Duration::from_secs(section.timeout_seconds),
            connect_timeout: Duration::from_secs(section.connect_timeout_seconds),
            http_retries: section.http_retries,
            attempts: section.attempts.max(1),
            keep_alive: section.keep_alive.clone(),
            options: section.options.clone(),
            refresh: args.refresh_llm,
            cache_dir: cache_dir.join("llm"),
            backoff: Duration::from_millis(250),
        }))
    }
}

impl LlmSettings {
    /// The server's URL as it may be printed: without any `user:password@`.
    pub fn shown_url(&self) -> String {
        match self.base_url.split_once("://") {
            Some((scheme, rest)) => {
                let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
                let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
                let slash = if path.is_empty() { "" } else { "/" };
                format!("{scheme}://{host}{slash}{path}")
            }
            None => self.base_url.clone(),
        }
    }
}

/// An http(s) URL without a trailing `/`; for the OpenAI-compatible provider a bare server
/// address gets the conventional `/v1`.
fn normalize_url(url: &str, provider: Provider) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    if rest.is_empty() || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    if provider == Provider::OpenAi && !rest.contains('/') {
        return Some(format!("{url}/v1"));
    }
    Some(url.to_string())
}

/// Settings for unit tests of the clients: one attempt, short timeouts, no retries.
#[cfg(test)]
impl LlmSettings {
    pub(crate) fn for_tests(provider: Provider, base_url: &str, model: &str) -> LlmSettings {
        LlmSettings {
            provider,
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            stream: true,
            budget: std::time::Duration::from_secs(1),
            max_in_flight: 1,
            timeout: std::time::Duration::from_secs(1),
            connect_timeout: std::time::Duration::from_secs(1),
            http_retries: 0,
            attempts: 1,
            keep_alive: "5m".into(),
            options: crate::config::LlmOptions::default(),
            refresh: false,
            cache_dir: "/tmp".into(),
            backoff: std::time::Duration::from_millis(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised_per_provider() {
        let n = normalize_url;
        assert_eq!(
            n("http://127.0.0.1:11434/", Provider::Ollama).as_deref(),
            Some("http://127.0.0.1:11434")
        );
        assert_eq!(
            n("http://gpu:8080", Provider::OpenAi).as_deref(),
            Some("http://gpu:8080/v1")
        );
        assert_eq!(
            n("https://h/openai/v1/", Provider::OpenAi).as_deref(),
            Some("https://h/openai/v1")
        );
        assert_eq!(n("ftp://h", Provider::Ollama), None);
        let mut s = LlmSettings::resolve(
            &LlmSection::default(),
            &LlmArgs {
                provider: Some(crate::cli::LlmProviderArg::Ollama),
                url: Some("https://me:secret@gpu.example/ollama".into()),
                ..LlmArgs::default()
            },
            Path::new("/tmp"),
        )
        .expect("ok")
        .expect("some");
        assert_eq!(s.shown_url(), "https://gpu.example/ollama");
        s.base_url = "http://h:1".into();
        assert_eq!(s.shown_url(), "http://h:1");
        assert_eq!(n("http://", Provider::Ollama), None);
    }

    #[test]
    fn none_means_no_settings_and_flags_override_the_file() {
        let dir = Path::new("/tmp");
        let section = LlmSection::default();
        let none = LlmSettings::resolve(&section, &LlmArgs::default(), dir).expect("ok");
        assert!(none.is_none());
        let args = LlmArgs {
            provider: Some(crate::cli::LlmProviderArg::Openai),
            url: Some("http://127.0.0.1:9".into()),
            model: Some("m".into()),
            refresh_llm: true,
        };
        let s = LlmSettings::resolve(&section, &args, dir)
            .expect("ok")
            .expect("some");
        assert_eq!(s.provider, Provider::OpenAi);
        assert_eq!(s.base_url, "http://127.0.0.1:9/v1");
        assert_eq!(s.model, "m");
        assert!(s.refresh);
        let bad = LlmArgs {
            url: Some("localhost:11434".into()),
            provider: Some(crate::cli::LlmProviderArg::Ollama),
            ..LlmArgs::default()
        };
        assert!(LlmSettings::resolve(&section, &bad, dir).is_err());
    }
}

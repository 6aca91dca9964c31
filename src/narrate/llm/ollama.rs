//! Ollama's native API: `/api/chat` (NDJSON stream or one object), `/api/tags` to check the
//! model is installed, `/api/show` for its context length. An error can arrive inside a stream
//! with status 200 (`{"error": "…"}` as a line): every line is checked.

use std::io::{BufRead, BufReader};

use serde_json::{Value, json};

use super::error::{LlmError, server_text};
use super::gate::Gate;
use super::http::{Answer, Http, Message};

/// The `/api/chat` body.
pub(super) fn chat_body(http: &Http, messages: &[Message], schema: Option<&Value>) -> Value {
    let s = &http.settings;
    let mut body = json!({
        "model": s.model,
        "messages": messages,
        "stream": s.stream,
        "keep_alive": s.keep_alive,
        "options": {
            "temperature": s.options.temperature,
            "seed": s.options.seed,
            "num_ctx": s.options.num_ctx,
            "num_predict": s.options.num_predict,
        },
    });
    if let Some(schema) = schema {
        body["format"] = schema.clone();
    }
    body
}

/// One chat request, streamed or not.
pub(super) fn chat(
    http: &Http,
    gate: &Gate,
    messages: &[Message],
    schema: Option<&Value>,
) -> Result<Answer, LlmError> {
    let body = chat_body(http, messages, schema);
    let (_permit, response) = http.post(gate, "/api/chat", &body)?;
    if !http.settings.stream {
        let v = http.json(response, "chat answer")?;
        if let Some(e) = v.get("error") {
            return Err(LlmError::Stream {
                message: server_text(e.as_str().unwrap_or("an error without a message")),
            });
        }
        let content = v
            .pointer("/message/content")
            .and_then(Value::as_str)
            .ok_or(LlmError::Malformed {
                what: "chat answer",
                source: None,
            })?;
        return Ok(Answer {
            content: content.to_string(),
            truncated: v.get("done_reason").and_then(Value::as_str) == Some("length"),
        });
    }
    read_stream(http, BufReader::new(response))
}

/// Reads NDJSON chat lines until the one with `done: true`.
pub(super) fn read_stream(http: &Http, reader: impl BufRead) -> Result<Answer, LlmError> {
    let mut content = String::new();
    for line in reader.lines() {
        let line = line.map_err(|e| http.read_error(e))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| LlmError::Malformed {
            what: "stream line",
            source: Some(e),
        })?;
        if let Some(e) = v.get("error") {
            return Err(LlmError::Stream {
                message: server_text(e.as_str().unwrap_or("an error without a message")),
            });
        }
        if let Some(piece) = v.pointer("/message/content").and_then(Value::as_str) {
            content.push_str(piece);
        }
        if v.get("done").and_then(Value::as_bool) == Some(true) {
            let truncated = v.get("done_reason").and_then(Value::as_str) == Some("length");
            return Ok(Answer { content, truncated });
        }
    }
    Err(LlmError::Stream {
        message: "the stream ended before its final `done` line".into(),
    })
}

/// Checks that the model is installed (`/api/tags`) and returns its context length
/// (`/api/show`), when the server tells.
pub(super) fn preflight(http: &Http, gate: &Gate) -> Result<Option<u64>, LlmError> {
    let model = &http.settings.model;
    let tags = http.with_retries(gate, || {
        let (_permit, response) = http.get(gate, "/api/tags")?;
        http.json(response, "model list")
    })?;
    let names: Vec<&str> = tags
        .get("models")
        .and_then(Value::as_array)
        .ok_or(LlmError::Malformed {
            what: "model list",
            source: None,
        })?
        .iter()
        .filter_map(|m| m.get("name").or_else(|| m.get("model"))?.as_str())
        .collect();
    if !names.iter().any(|n| same_model(n, model)) {
        return Err(LlmError::ModelNotFound {
            provider: "ollama",
            model: model.clone(),
            url: http.settings.shown_url(),
        });
    }
    let show = http.with_retries(gate, || {
        let (_permit, response) = http.post(gate, "/api/show", &json!({ "model": model }))?;
        http.json(response, "model details")
    });
    match show {
        Ok(v) => Ok(context_length(&v)),
        Err(e) if e.is_fatal() => Err(e),
        Err(e) => {
            tracing::warn!("could not read the context length of `{model}`: {e}");
            Ok(None)
        }
    }
}

/// `llama3.2` names `llama3.2:latest`.
fn same_model(installed: &str, wanted: &str) -> bool {
    installed == wanted || (!wanted.contains(':') && installed == format!("{wanted}:latest"))
}

/// `model_info["<architecture>.context_length"]`.
fn context_length(show: &Value) -> Option<u64> {
    show.get("model_info")?
        .as_object()?
        .iter()
        .find(|(k, _)| k.ends_with(".context_length"))
        .and_then(|(_, v)| v.as_u64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::narrate::llm::settings::{LlmSettings, Provider};

    fn http() -> Http {
        let s = LlmSettings::for_tests(Provider::Ollama, "http://127.0.0.1:9", "llama3.2");
        Http::new(s).expect("client")
    }

    #[test]
    fn streams_join_pieces_and_errors_inside_them_are_caught() {
        let h = http();
        let ok = "{\"message\":{\"content\":\"Hel\"},\"done\":false}\n\n\
                  {\"message\":{\"content\":\"lo\"},\"done\":false}\n\
                  {\"message\":{\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n";
        let a = read_stream(&h, ok.as_bytes()).expect("answer");
        assert_eq!(a.content, "Hello");
        assert!(!a.truncated);
        let cut = "{\"message\":{\"content\":\"Hel\"},\"done\":false}\n";
        assert!(matches!(
            read_stream(&h, cut.as_bytes()),
            Err(LlmError::Stream { .. })
        ));
        let broken =
            "{\"message\":{\"content\":\"Hel\"},\"done\":false}\n{\"error\":\"GPU gone\"}\n";
        match read_stream(&h, broken.as_bytes()) {
            Err(LlmError::Stream { message }) => assert_eq!(message, "GPU gone"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_stream(&h, "{\"message\":".as_bytes()),
            Err(LlmError::Malformed { .. })
        ));
        let long = "{\"message\":{\"content\":\"x\"},\"done\":true,\"done_reason\":\"length\"}\n";
        assert!(read_stream(&h, long.as_bytes()).expect("answer").truncated);
    }

    #[test]
    fn model_names_and_context_length() {
        assert!(same_model("llama3.2:latest", "llama3.2"));
        assert!(same_model("qwen2.5-coder:1.5b", "qwen2.5-coder:1.5b"));
        assert!(!same_model("qwen2.5-coder:7b", "qwen2.5-coder:1.5b"));
        let show = json!({"model_info": {"general.architecture": "llama", "llama.context_length": 131072}});
        assert_eq!(context_length(&show), Some(131072));
        assert_eq!(context_length(&json!({})), None);
    }
}

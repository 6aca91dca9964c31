//! The OpenAI-compatible chat API (`/v1/chat/completions`) served by vLLM, llama.cpp's server
//! and LM Studio: one JSON object, or server-sent events ending in `data: [DONE]`. An API key,
//! if any, goes in the `Authorization` header and nowhere else. `num_ctx` cannot be set here.

use std::io::{BufRead, BufReader};

use serde_json::{Value, json};

use super::error::{LlmError, server_text};
use super::gate::Gate;
use super::http::{Answer, Http, Message, error_message};

/// The `/chat/completions` body.
pub(super) fn chat_body(http: &Http, messages: &[Message], schema: Option<&Value>) -> Value {
    let s = &http.settings;
    let mut body = json!({
        "model": s.model,
        "messages": messages,
        "stream": s.stream,
        "temperature": s.options.temperature,
        "seed": s.options.seed,
        "max_tokens": s.options.num_predict,
    });
    if let Some(schema) = schema {
        body["response_format"] = json!({
            "type": "json_schema",
            "json_schema": { "name": "answer", "schema": schema, "strict": true },
        });
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
    let (_permit, response) = http.post(gate, "/chat/completions", &body)?;
    if !http.settings.stream {
        let v = http.json(response, "chat answer")?;
        if v.get("error").is_some() {
            return Err(LlmError::Stream {
                message: error_message(&v.to_string()),
            });
        }
        let choice = v.pointer("/choices/0").ok_or(LlmError::Malformed {
            what: "chat answer",
            source: None,
        })?;
        let content = choice
            .pointer("/message/content")
            .and_then(Value::as_str)
            .ok_or(LlmError::Malformed {
                what: "chat answer",
                source: None,
            })?;
        return Ok(Answer {
            content: content.to_string(),
            truncated: choice.get("finish_reason").and_then(Value::as_str) == Some("length"),
        });
    }
    read_events(http, BufReader::new(response))
}

/// Reads server-sent events: `data: {chunk}` lines until `data: [DONE]`.
pub(super) fn read_events(http: &Http, reader: impl BufRead) -> Result<Answer, LlmError> {
    let mut content = String::new();
    let mut finish: Option<String> = None;
    let mut error_event = false;
    for line in reader.lines() {
        let line = line.map_err(|e| http.read_error(e))?;
        let line = line.trim_end();
        if let Some(event) = line.strip_prefix("event:") {
            error_event = event.trim() == "error";
            continue;
        }
        let Some(data) = line.strip_prefix("data:") else {
            continue; // blank separators and `:` comments
        };
        let data = data.trim();
        if data == "[DONE]" {
            return Ok(Answer {
                content,
                truncated: finish.as_deref() == Some("length"),
            });
        }
        let v: Value = serde_json::from_str(data).map_err(|e| LlmError::Malformed {
            what: "stream event",
            source: Some(e),
        })?;
        if error_event || v.get("error").is_some() {
            return Err(LlmError::Stream {
                message: server_text(&error_message(data)),
            });
        }
        if let Some(piece) = v
            .pointer("/choices/0/delta/content")
            .and_then(Value::as_str)
        {
            content.push_str(piece);
        }
        if let Some(f) = v
            .pointer("/choices/0/finish_reason")
            .and_then(Value::as_str)
        {
            finish = Some(f.to_string());
        }
    }
    // Some servers close without `[DONE]` after a finish reason: that answer is complete.
    match finish {
        Some(f) => Ok(Answer {
            content,
            truncated: f == "length",
        }),
        None => Err(LlmError::Stream {
            message: "the stream ended before the answer was finished".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::narrate::llm::settings::{LlmSettings, Provider};

    fn http() -> Http {
        let s = LlmSettings::for_tests(Provider::OpenAi, "http://127.0.0.1:9/v1", "m");
        Http::new(s).expect("client")
    }

    #[test]
    fn events_join_deltas_and_errors_are_caught() {
        let h = http();
        let ok = ": keep-alive\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n\
                  data: {\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n\
                  data: [DONE]\n\n";
        assert_eq!(read_events(&h, ok.as_bytes()).expect("ok").content, "Hello");
        let broken = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n\
                      data: {\"error\":{\"message\":\"overloaded\"}}\n\n";
        match read_events(&h, broken.as_bytes()) {
            Err(LlmError::Stream { message }) => assert_eq!(message, "overloaded"),
            other => panic!("{other:?}"),
        }
        let cut = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
        assert!(read_events(&h, cut.as_bytes()).is_err());
        let event = "event: error\ndata: {\"message\":\"boom\"}\n\n";
        assert!(matches!(
            read_events(&h, event.as_bytes()),
            Err(LlmError::Stream { .. })
        ));
    }
}

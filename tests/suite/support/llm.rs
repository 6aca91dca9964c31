//! A fake model server on 127.0.0.1 that speaks Ollama's API (`/api/tags`, `/api/show`,
//! `/api/chat`, NDJSON streams) and the OpenAI-compatible one (`/v1/chat/completions`, SSE),
//! with a scripted reply per chat request. It counts requests and the most in flight at once.
//! Self-contained: `bench/fake_llm.rs` includes it too.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// One chat request as the server saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub path: String,
    pub body: Value,
    pub authorization: Option<String>,
    /// 0-based index among chat requests.
    pub n: usize,
    /// When it arrived.
    pub at: std::time::Instant,
}

/// What the section asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    Summary,
    Highlights(usize),
    Repos(Vec<String>),
}

impl Call {
    pub fn messages(&self) -> Vec<(String, String)> {
        self.body["messages"]
            .as_array()
            .map(|m| {
                m.iter()
                    .map(|m| {
                        let s = |k: &str| m[k].as_str().unwrap_or_default().to_string();
                        (s("role"), s("content"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The system prompt: the rules and the facts.
    pub fn facts(&self) -> String {
        self.messages()
            .into_iter()
            .find(|(r, _)| r == "system")
            .map(|(_, c)| c)
            .unwrap_or_default()
    }

    /// The first user message: the task.
    pub fn task_text(&self) -> String {
        self.messages()
            .into_iter()
            .find(|(r, _)| r == "user")
            .map(|(_, c)| c)
            .unwrap_or_default()
    }

    /// Sparky asked again after rejecting an answer.
    pub fn is_retry(&self) -> bool {
        self.messages().len() > 2
    }

    /// The JSON schema asked for (Ollama's `format`, OpenAI's `response_format`).
    pub fn schema(&self) -> Option<Value> {
        let f = &self.body["format"];
        if f.is_object() {
            return Some(f.clone());
        }
        let r = &self.body["response_format"]["json_schema"]["schema"];
        r.is_object().then(|| r.clone())
    }

    /// The section asked for: the report's opening (several repositories' items) or one
    /// repository's story.
    pub fn task(&self) -> Task {
        let schema = self.schema().unwrap_or_default();
        let repos: Vec<String> =
            schema["properties"]["sentences"]["items"]["properties"]["repo"]["enum"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
        if schema["properties"]["highlights"].is_object() {
            Task::Highlights(0)
        } else if self.task_text().contains("opening") {
            Task::Summary
        } else {
            Task::Repos(repos)
        }
    }

    /// The items the prompt lists, as (repository or "", cite, text).
    pub fn items(&self) -> Vec<(String, String, String)> {
        let facts = self.facts();
        let listed = facts
            .split_once("Items of the period")
            .map_or(facts.as_str(), |(_, l)| l);
        let mut repo = String::new();
        let mut out = Vec::new();
        for line in listed.lines() {
            if let Some(r) = line
                .strip_prefix("Repository ")
                .and_then(|r| r.strip_suffix(':'))
            {
                repo = r.to_string();
                continue;
            }
            // `area: [cite] kind: text | [cite] text`, or items without an area.
            let Some(start) = line.find('[') else {
                continue;
            };
            for item in line[start..].split(" | ") {
                if let Some(rest) = item.strip_prefix('[')
                    && let Some((cite, text)) = rest.split_once("] ")
                {
                    out.push((repo.clone(), cite.to_string(), text.to_string()));
                }
            }
        }
        out
    }
}

/// How the server answers one chat request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The model's text, in the protocol asked for (streamed or not).
    Text(String),
    /// An HTTP error with the provider's error body.
    Error(u16, String),
    /// Streams `partial`, then an error line (Ollama) or error event (OpenAI), status 200.
    StreamError { partial: String, error: String },
    /// Streams `partial` and closes without the final line.
    Cut(String),
    /// Waits, then replies.
    Slow(Duration, Box<Reply>),
    /// A raw body with status 200 (e.g. malformed JSON).
    Raw(String),
}

type Script = dyn Fn(&Call) -> Reply + Send + Sync;

struct State {
    script: Box<Script>,
    models: Vec<String>,
    calls: Mutex<Vec<Call>>,
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    latency: Duration,
}

/// The running server (its threads live as long as the process).
pub struct FakeLlm {
    pub port: u16,
    state: Arc<State>,
}

impl FakeLlm {
    /// A server with `llama3.2:latest` installed, answering chats with `script`.
    pub fn start(script: impl Fn(&Call) -> Reply + Send + Sync + 'static) -> FakeLlm {
        Self::with(vec!["llama3.2:latest".into()], Duration::ZERO, script)
    }

    /// A server with `models` installed, adding `latency` to every chat answer.
    pub fn with(
        models: Vec<String>,
        latency: Duration,
        script: impl Fn(&Call) -> Reply + Send + Sync + 'static,
    ) -> FakeLlm {
        Self::bind("127.0.0.1:0", models, latency, script)
    }

    pub fn bind(
        addr: &str,
        models: Vec<String>,
        latency: Duration,
        script: impl Fn(&Call) -> Reply + Send + Sync + 'static,
    ) -> FakeLlm {
        let listener = TcpListener::bind(addr).expect("bind a local port");
        let port = listener.local_addr().expect("address").port();
        let state = Arc::new(State {
            script: Box::new(script),
            models,
            calls: Mutex::new(Vec::new()),
            requests: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            latency,
        });
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve(&state, stream));
            }
        });
        FakeLlm { port, state }
    }

    /// The Ollama base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every HTTP request so far (tags, show and chats).
    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The chat requests so far.
    pub fn calls(&self) -> Vec<Call> {
        self.state.calls.lock().expect("calls").clone()
    }

    /// The most requests that were in flight at once.
    pub fn peak(&self) -> usize {
        self.state.peak.load(Ordering::SeqCst)
    }
}

fn serve(state: &State, stream: TcpStream) {
    let Some((method, path, headers, body)) = read_request(&stream) else {
        return;
    };
    if path == "/stats" {
        // For the benchmark: not counted as a request.
        let stats = json!({
            "requests": state.requests.load(Ordering::SeqCst),
            "chats": state.calls.lock().map(|c| c.len()).unwrap_or(0),
            "peak": state.peak.load(Ordering::SeqCst),
        });
        let mut out = Out::new(stream, state, false);
        return respond(&mut out, 200, "application/json", &stats.to_string());
    }
    state.requests.fetch_add(1, Ordering::SeqCst);
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.peak.fetch_max(now, Ordering::SeqCst);
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let installed = |m: &str| {
        state
            .models
            .iter()
            .any(|x| x == m || *x == format!("{m}:latest"))
    };
    let mut out = Out::new(stream, state, true);
    match (method.as_str(), path.as_str()) {
        ("GET", "/api/tags") => {
            let models: Vec<Value> = state
                .models
                .iter()
                .map(|m| json!({"name": m, "model": m, "size": 1}))
                .collect();
            respond(
                &mut out,
                200,
                "application/json",
                &json!({ "models": models }).to_string(),
            );
        }
        ("POST", "/api/show") => {
            if installed(body["model"].as_str().unwrap_or_default()) {
                let info = json!({"model_info": {"general.architecture": "llama", "llama.context_length": 131072}});
                respond(&mut out, 200, "application/json", &info.to_string());
            } else {
                let e = json!({"error": format!("model '{}' not found", body["model"].as_str().unwrap_or_default())});
                respond(&mut out, 404, "application/json", &e.to_string());
            }
        }
        ("POST", "/api/chat") | ("POST", "/v1/chat/completions") => {
            let openai = path.starts_with("/v1");
            let call = {
                let mut calls = state.calls.lock().expect("calls");
                let call = Call {
                    path: path.clone(),
                    body: body.clone(),
                    authorization: headers
                        .iter()
                        .find(|(k, _)| k == "authorization")
                        .map(|(_, v)| v.clone()),
                    n: calls.len(),
                    at: std::time::Instant::now(),
                };
                calls.push(call.clone());
                call
            };
            std::thread::sleep(state.latency);
            let model = body["model"].as_str().unwrap_or_default();
            let reply = if !openai && !installed(model) {
                Reply::Error(
                    404,
                    format!("model '{model}' not found, try pulling it first"),
                )
            } else {
                (state.script)(&call)
            };
            let stream = body["stream"].as_bool().unwrap_or(!openai);
            answer(&mut out, reply, openai, stream);
        }
        _ => respond(&mut out, 404, "text/plain", "404 page not found"),
    }
}

/// A response being written. The request stops counting as in flight just before its last
/// bytes go out: the client may send its next request as soon as it has them.
struct Out<'a> {
    stream: TcpStream,
    state: &'a State,
    open: bool,
}

impl<'a> Out<'a> {
    fn new(stream: TcpStream, state: &'a State, open: bool) -> Self {
        Out {
            stream,
            state,
            open,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let _ = self.stream.write_all(bytes);
        let _ = self.stream.flush();
    }

    fn last(&mut self, bytes: &[u8]) {
        self.leave();
        self.write(bytes);
    }

    fn leave(&mut self) {
        if std::mem::take(&mut self.open) {
            self.state.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Out<'_> {
    fn drop(&mut self) {
        self.leave();
    }
}

fn answer(out: &mut Out<'_>, reply: Reply, openai: bool, stream: bool) {
    match reply {
        Reply::Slow(d, inner) => {
            std::thread::sleep(d);
            answer(out, *inner, openai, stream);
        }
        Reply::Error(status, message) => {
            let body = if openai {
                json!({"error": {"message": message, "type": "server_error"}})
            } else {
                json!({ "error": message })
            };
            respond(out, status, "application/json", &body.to_string());
        }
        Reply::Raw(body) => respond(out, 200, "application/json", &body),
        Reply::Text(text) if !stream => {
            let body = if openai {
                json!({"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]})
            } else {
                json!({"model": "m", "message": {"role": "assistant", "content": text}, "done": true, "done_reason": "stop"})
            };
            respond(out, 200, "application/json", &body.to_string());
        }
        Reply::Text(text) => stream_lines(out, openai, &text, Some(None)),
        Reply::StreamError { partial, error } => {
            stream_lines(out, openai, &partial, Some(Some(error)))
        }
        Reply::Cut(partial) => stream_lines(out, openai, &partial, None),
    }
}

/// Streams `text` in pieces; `end` is `Some(None)` for a proper end, `Some(Some(e))` for an
/// error line, `None` for a stream that just stops.
fn stream_lines(out: &mut Out<'_>, openai: bool, text: &str, end: Option<Option<String>>) {
    let kind = if openai {
        "text/event-stream"
    } else {
        "application/x-ndjson"
    };
    let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nConnection: close\r\n\r\n");
    out.write(head.as_bytes());
    let chars: Vec<char> = text.chars().collect();
    for piece in chars.chunks(16) {
        let piece: String = piece.iter().collect();
        let line = if openai {
            format!(
                "data: {}\n\n",
                json!({"choices": [{"index": 0, "delta": {"content": piece}}]})
            )
        } else {
            format!(
                "{}\n",
                json!({"message": {"role": "assistant", "content": piece}, "done": false})
            )
        };
        out.write(line.as_bytes());
    }
    let last = match end {
        Some(None) if openai => "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n".to_string(),
        Some(None) => format!("{}\n", json!({"message": {"role": "assistant", "content": ""}, "done": true, "done_reason": "stop", "eval_count": 12})),
        Some(Some(e)) if openai => format!("data: {}\n\n", json!({"error": {"message": e}})),
        Some(Some(e)) => format!("{}\n", json!({ "error": e })),
        None => String::new(),
    };
    out.last(last.as_bytes());
}

fn respond(out: &mut Out<'_>, status: u16, kind: &str, body: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        401 => "Unauthorized",
        _ => "Error",
    };
    // A rate limit asks for a one-second pause, as servers do.
    let retry_after = if status == 429 {
        "Retry-After: 1\r\n"
    } else {
        ""
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n{retry_after}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write(head.as_bytes());
    out.last(body.as_bytes());
}

type Parsed = (String, String, Vec<(String, String)>, Vec<u8>);

fn read_request(stream: &TcpStream) -> Option<Parsed> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((method, path, headers, body))
}

/// A grounded answer to any task, built only from the items the prompt lists: one sentence
/// per item (per repository for the opening), in the item's own words, citing it.
pub fn grounded(call: &Call) -> String {
    let task = call.task();
    let mut seen = Vec::new();
    let mut sentences = Vec::new();
    for (repo, cite, text) in call.items() {
        let repo = match &task {
            Task::Repos(names) => names.first().cloned().unwrap_or_default(),
            _ => repo,
        };
        if matches!(task, Task::Summary) && seen.contains(&repo) {
            continue;
        }
        seen.push(repo.clone());
        let words: Vec<&str> = text.split_whitespace().take(18).collect();
        let lead = if matches!(task, Task::Summary) {
            format!("In {repo}, work landed on")
        } else {
            "Work landed on".to_string()
        };
        sentences.push(
            json!({ "repo": repo, "text": format!("{lead} {}.", words.join(" ")), "refs": [cite] }),
        );
        if sentences.len() == 3 {
            break;
        }
    }
    json!({ "sentences": sentences }).to_string()
}

/// The text after `label` up to the first comma or period.
fn after(text: &str, label: &str) -> Option<String> {
    let rest = &text[text.find(label)? + label.len()..];
    let end = rest.find([',', '(', '.']).unwrap_or(rest.len());
    Some(rest[..end].trim().to_string())
}

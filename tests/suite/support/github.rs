//! A fake GitHub REST API on 127.0.0.1: the endpoints Sparky uses (`/orgs/{org}/repos`,
//! `/repos/{o}/{r}/issues|pulls|releases`) with GitHub's pagination (`Link: <…>; rel="next"`),
//! `since` filtering, ETags and `304 Not Modified` (free of quota, as on GitHub), rate-limit
//! headers, bearer-token checks, and scripted failures (403/429 limits, 401, 404, 500, bad JSON).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::http::{self, Request, Server};

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: String,
    pub headers: Vec<String>,
    pub body: String,
}

impl Canned {
    pub fn new(status: &str, headers: &[&str], body: &str) -> Self {
        Canned {
            status: status.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            body: body.to_string(),
        }
    }
}

/// One request as the fake saw it and answered it.
#[derive(Debug, Clone)]
pub struct Logged {
    /// Path and query, e.g. `/repos/acme/api/pulls?state=all&page=2`.
    pub target: String,
    pub status: u16,
    pub if_none_match: Option<String>,
    pub authorization: Option<String>,
}

impl Logged {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or(&self.target)
    }
}

/// What the fake serves; tests change it between runs.
#[derive(Debug, Default)]
pub struct State {
    pub org: String,
    /// Entries of the organisation's repository listing.
    pub repos: Vec<Value>,
    /// By `owner/name`; a repository absent from all three maps is a 404.
    pub issues: BTreeMap<String, Vec<Value>>,
    pub pulls: BTreeMap<String, Vec<Value>>,
    pub releases: BTreeMap<String, Vec<Value>>,
    /// The largest page served (GitHub's is 100); small values force pagination.
    pub page_size: usize,
    /// The bearer token every request must carry.
    pub token: Option<String>,
    /// Served once each, to the first request whose path starts with the prefix.
    pub once: Vec<(String, Canned)>,
    /// Served to every request whose path starts with the prefix.
    pub always: Vec<(String, Canned)>,
    /// The primary limit's remaining requests; `200`s count against it, `304`s do not.
    pub remaining: u64,
    pub log: Vec<Logged>,
}

pub struct FakeGithub {
    pub server: Server,
    pub state: Arc<Mutex<State>>,
}

impl FakeGithub {
    /// An empty organisation `org` that expects the bearer `token`, paging by `page_size`.
    pub fn start(org: &str, token: &str, page_size: usize) -> Self {
        let state = Arc::new(Mutex::new(State {
            org: org.to_string(),
            page_size,
            token: Some(token.to_string()),
            remaining: 5000,
            ..State::default()
        }));
        let shared = Arc::clone(&state);
        let server = http::serve(move |req, _body| {
            let mut st = shared.lock().expect("fake GitHub state");
            let (status, headers, body) = answer(&mut st, req);
            st.log.push(Logged {
                target: req.target.clone(),
                status: status
                    .split_whitespace()
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0),
                if_none_match: req.headers.get("if-none-match").cloned(),
                authorization: req.headers.get("authorization").cloned(),
            });
            (status, headers, body)
        });
        FakeGithub { server, state }
    }

    /// The base URL to put in `[github] api_url`.
    pub fn api_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.port)
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().expect("fake GitHub state"))
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<Logged> {
        self.with(|s| s.log.clone())
    }

    /// Forgets the request log.
    pub fn clear_log(&self) {
        self.with(|s| s.log.clear());
    }
}

fn answer(st: &mut State, req: &Request) -> (String, Vec<String>, Vec<u8>) {
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    let query: BTreeMap<&str, &str> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    if let Some(token) = &st.token
        && req.headers.get("authorization") != Some(&format!("Bearer {token}"))
    {
        return canned(&Canned::new(
            "401 Unauthorized",
            &[],
            r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#,
        ));
    }
    if let Some(i) = st
        .once
        .iter()
        .position(|(p, _)| path.starts_with(p.as_str()))
    {
        let (_, c) = st.once.remove(i);
        return canned(&c);
    }
    if let Some((_, c)) = st.always.iter().find(|(p, _)| path.starts_with(p.as_str())) {
        return canned(c);
    }
    let since = query.get("since").copied();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let items: Option<Vec<Value>> = match segments.as_slice() {
        ["orgs", org, "repos"] if *org == st.org => Some(st.repos.clone()),
        ["repos", o, r, kind] => {
            let full = format!("{o}/{r}");
            let map = match *kind {
                "issues" => &st.issues,
                "pulls" => &st.pulls,
                "releases" => &st.releases,
                _ => return not_found(),
            };
            let known = st.issues.contains_key(&full)
                || st.pulls.contains_key(&full)
                || st.releases.contains_key(&full);
            known.then(|| {
                let mut v = map.get(&full).cloned().unwrap_or_default();
                if *kind == "issues"
                    && let Some(since) = since
                {
                    v.retain(|i| i["updated_at"].as_str().is_some_and(|u| u >= since));
                }
                if *kind == "pulls" {
                    v.sort_by(|a, b| b["updated_at"].as_str().cmp(&a["updated_at"].as_str()));
                }
                v
            })
        }
        _ => None,
    };
    let Some(items) = items else {
        return not_found();
    };
    let per_page = query
        .get("per_page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(30)
        .min(st.page_size);
    let page = query
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1);
    let chunk: Vec<Value> = items
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let mut headers = Vec::new();
    if page * per_page < items.len() {
        let host = req.headers.get("host").cloned().unwrap_or_default();
        let rest: Vec<String> = req
            .target
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or("")
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("page="))
            .map(str::to_string)
            .collect();
        let next = format!("http://{host}{path}?{}&page={}", rest.join("&"), page + 1);
        headers.push(format!("Link: <{next}>; rel=\"next\""));
    }
    let body = serde_json::to_string(&chunk).expect("json");
    let etag = format!("\"{:016x}\"", fnv(format!("{body}{headers:?}").as_bytes()));
    headers.push(format!("ETag: {etag}"));
    let reset = now() + 3600;
    if req.headers.get("if-none-match") == Some(&etag) {
        headers.push(format!("X-RateLimit-Remaining: {}", st.remaining));
        headers.push(format!("X-RateLimit-Reset: {reset}"));
        return ("304 Not Modified".into(), headers, Vec::new());
    }
    st.remaining = st.remaining.saturating_sub(1);
    headers.push(format!("X-RateLimit-Remaining: {}", st.remaining));
    headers.push(format!("X-RateLimit-Reset: {reset}"));
    headers.push("Content-Type: application/json; charset=utf-8".into());
    ("200 OK".into(), headers, body.into_bytes())
}

fn canned(c: &Canned) -> (String, Vec<String>, Vec<u8>) {
    (
        c.status.clone(),
        c.headers.clone(),
        c.body.clone().into_bytes(),
    )
}

fn not_found() -> (String, Vec<String>, Vec<u8>) {
    canned(&Canned::new(
        "404 Not Found",
        &[],
        r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}"#,
    ))
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An entry of the organisation's repository listing.
pub fn repo(
    org: &str,
    name: &str,
    clone_url: &str,
    fork: bool,
    archived: bool,
    private: bool,
) -> Value {
    json!({
        "id": 1, "name": name, "full_name": format!("{org}/{name}"),
        "clone_url": clone_url, "html_url": format!("https://github.com/{org}/{name}"),
        "fork": fork, "archived": archived, "private": private,
        "visibility": if private { "private" } else { "public" },
        "owner": {"login": org, "email": "owner@example.com"}
    })
}

fn user(login: &str) -> Value {
    // GitHub may send an email with a user; Sparky must never copy it.
    json!({"login": login, "id": 7, "email": format!("{login}@users.example.com")})
}

fn labels(names: &[&str]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|n| json!({"name": n, "color": "ededed"}))
            .collect(),
    )
}

/// An issue; `updated_at` is the latest of its dates.
pub fn issue(
    full: &str,
    number: u64,
    title: &str,
    login: &str,
    label_names: &[&str],
    created: &str,
    closed: Option<&str>,
) -> Value {
    json!({
        "number": number, "title": title, "user": user(login), "labels": labels(label_names),
        "state": if closed.is_some() { "closed" } else { "open" },
        "html_url": format!("https://github.com/{full}/issues/{number}"),
        "created_at": created, "updated_at": closed.unwrap_or(created), "closed_at": closed,
        "body": "details"
    })
}

/// A pull request as `/pulls` lists it.
#[allow(clippy::too_many_arguments)]
pub fn pull(
    full: &str,
    number: u64,
    title: &str,
    login: &str,
    label_names: &[&str],
    created: &str,
    closed: Option<&str>,
    merged: bool,
) -> Value {
    json!({
        "number": number, "title": title, "user": user(login), "labels": labels(label_names),
        "state": if closed.is_some() { "closed" } else { "open" },
        "html_url": format!("https://github.com/{full}/pull/{number}"),
        "created_at": created, "updated_at": closed.unwrap_or(created), "closed_at": closed,
        "merged_at": if merged { closed } else { None },
    })
}

/// The same pull request as `/issues` lists it (with the `pull_request` marker).
pub fn pull_as_issue(full: &str, number: u64, title: &str, created: &str) -> Value {
    json!({
        "number": number, "title": title, "user": user("someone"), "labels": [],
        "state": "open", "html_url": format!("https://github.com/{full}/pull/{number}"),
        "created_at": created, "updated_at": created, "closed_at": null,
        "pull_request": {"url": format!("https://api.github.com/repos/{full}/pulls/{number}")}
    })
}

/// A release; drafts have no `published_at`.
pub fn release(
    full: &str,
    tag: &str,
    name: Option<&str>,
    created: &str,
    published: Option<&str>,
) -> Value {
    json!({
        "tag_name": tag, "name": name, "draft": published.is_none(), "prerelease": false,
        "html_url": format!("https://github.com/{full}/releases/tag/{tag}"),
        "created_at": created, "published_at": published, "author": user("releaser")
    })
}

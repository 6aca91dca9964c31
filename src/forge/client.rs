//! The HTTP client: one blocking reqwest client per run. It sends the token in memory (a
//! sensitive header, to the API's own host only), revalidates cached responses with ETags,
//! follows `Link` pagination, waits out rate limits within the run's budget, and gives up for
//! the rest of the run when the API cannot help any more.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION, ETAG, HeaderMap, HeaderValue, IF_NONE_MATCH, LINK};
use serde::de::DeserializeOwned;
use tracing::{debug, warn};

use super::cache::{Cache, Entry};
use super::error::ForgeError;
use super::ratelimit::{Budget, Limits, wait_for};
use super::response::{api_message, next_link};
use crate::mirror::Secret;

/// How many times a 5xx answer is retried (after 1 s, then 2 s, from the wait budget).
const SERVER_ERROR_RETRIES: u64 = 2;

/// What a client is set up with.
pub(crate) struct ClientOptions<'a> {
    pub api_url: &'a str,
    pub token: Option<&'a Secret>,
    /// Where the token came from, for messages.
    pub token_env: &'a str,
    pub cache_dir: &'a std::path::Path,
    /// Serve from the cache only; no request leaves the machine.
    pub offline: bool,
    pub max_wait: Duration,
    pub max_pages: u64,
    pub timeout: Duration,
}

/// Requests made in a run, for the summary and for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests sent (retries included).
    pub requests: u64,
    /// Of those, `304 Not Modified` answers (free of quota).
    pub not_modified: u64,
    /// Responses served from the cache without asking (`--offline`).
    pub offline_hits: u64,
    /// Seconds spent waiting for rate limits.
    pub waited_secs: u64,
}

/// A listing read page by page.
pub(crate) struct Listing<T> {
    pub items: Vec<T>,
    /// The page cap stopped it before the end.
    pub truncated: bool,
}

pub(crate) struct Client {
    http: reqwest::blocking::Client,
    base: Url,
    auth: Option<HeaderValue>,
    cache: Cache,
    offline: bool,
    budget: Budget,
    max_pages: u64,
    /// The latest limit headers seen.
    limits: Limits,
    /// Set once a fatal error happened: every later request fails with it.
    gave_up: Option<String>,
    pub stats: Stats,
}

/// A fresh or revalidated response.
enum Answer {
    Fresh {
        body: Vec<u8>,
        etag: Option<String>,
        next: Option<String>,
    },
    NotModified,
}

impl Client {
    pub fn new(opts: &ClientOptions<'_>) -> Result<Client, ForgeError> {
        let bad_url = |why| ForgeError::BadApiUrl {
            url: opts.api_url.to_string(),
            why,
        };
        crate::config::check_api_url(opts.api_url).map_err(bad_url)?;
        let mut base = Url::parse(opts.api_url).map_err(|_| bad_url("it is not a URL"))?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let mut builder = reqwest::blocking::Client::builder()
            .user_agent(concat!("sparky/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
            .timeout(opts.timeout);
        if crate::config::is_loopback_url(&base) {
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|source| ForgeError::Client { source })?;
        let auth = match opts.token {
            Some(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| ForgeError::TokenNotAHeader {
                        env: opts.token_env.to_string(),
                    })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(Client {
            http,
            base,
            auth,
            cache: Cache::new(opts.cache_dir),
            offline: opts.offline,
            budget: Budget::new(opts.max_wait),
            max_pages: opts.max_pages,
            limits: Limits::default(),
            gave_up: None,
            stats: Stats::default(),
        })
    }

    /// The absolute URL of `path_and_query` (e.g. `orgs/acme/repos?per_page=100`).
    pub fn url(&self, path_and_query: &str) -> String {
        self.base
            .join(path_and_query)
            .map_or_else(|_| path_and_query.to_string(), String::from)
    }

    /// Reads a listing from `first`, following `rel="next"` links while `more(page)` says so
    /// and the page cap allows.
    pub fn list<T: DeserializeOwned>(
        &mut self,
        first: &str,
        mut more: impl FnMut(&[T]) -> bool,
    ) -> Result<Listing<T>, ForgeError> {
        let mut items = Vec::new();
        let mut url = first.to_string();
        let mut pages = 0;
        loop {
            pages += 1;
            let (page, next): (Vec<T>, _) = self.get(&url)?;
            let go_on = more(&page);
            items.extend(page);
            match next {
                Some(next) if go_on => {
                    if pages >= self.max_pages {
                        return Ok(Listing {
                            items,
                            truncated: true,
                        });
                    }
                    self.check_origin(&url, &next)?;
                    url = next;
                }
                _ => {
                    return Ok(Listing {
                        items,
                        truncated: false,
                    });
                }
            }
        }
    }

    /// One page: parsed JSON and the next page's link.
    fn get<T: DeserializeOwned>(&mut self, url: &str) -> Result<(T, Option<String>), ForgeError> {
        if let Some(reason) = &self.gave_up {
            return Err(ForgeError::GaveUp {
                reason: reason.clone(),
            });
        }
        let path = self.path_of(url);
        let cached = self.cache.read(url);
        if self.offline {
            let entry = cached.ok_or(ForgeError::NotCached { path: path.clone() })?;
            self.stats.offline_hits += 1;
            return parse(&path, entry.body.as_bytes()).map(|v| (v, entry.next));
        }
        let answer = match self.request(url, &path, cached.as_ref()) {
            Ok(answer) => answer,
            Err(e) => {
                if e.is_fatal() {
                    self.gave_up = Some(crate::cmd::chain(&e));
                }
                return Err(e);
            }
        };
        match (answer, cached) {
            (Answer::NotModified, Some(entry)) => {
                parse(&path, entry.body.as_bytes()).map(|v| (v, entry.next))
            }
            (Answer::NotModified, None) => Err(ForgeError::Status { path, status: 304 }),
            (Answer::Fresh { body, etag, next }, _) => {
                let value = parse(&path, &body)?;
                let entry = Entry {
                    url: url.to_string(),
                    etag,
                    next: next.clone(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                };
                if let Err(e) = self.cache.write(&entry) {
                    tracing::warn!("{}", crate::cmd::chain(&e));
                }
                Ok((value, next))
            }
        }
    }

    /// Sends one GET (again after a rate-limit wait or a server error) until it is answered.
    fn request(
        &mut self,
        url: &str,
        path: &str,
        cached: Option<&Entry>,
    ) -> Result<Answer, ForgeError> {
        let mut server_errors = 0;
        loop {
            if let Some(secs) = self.limits.exhausted_for(now()) {
                self.wait(secs, path)?;
                self.limits = Limits::default();
            }
            let mut req = self
                .http
                .get(url)
                .header(ACCEPT, "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28");
            if let Some(auth) = &self.auth {
                req = req.header(AUTHORIZATION, auth.clone());
            }
            if let Some(etag) = cached.and_then(|c| c.etag.as_deref()) {
                req = req.header(IF_NONE_MATCH, etag);
            }
            self.stats.requests += 1;
            let unreachable = |source| ForgeError::Unreachable {
                api: self.base.to_string(),
                source,
            };
            let resp = req.send().map_err(unreachable)?;
            let status = resp.status().as_u16();
            let limits = Limits::from_headers(resp.headers());
            if limits.remaining.is_some() {
                self.limits = limits;
            }
            debug!(path, status, remaining = ?limits.remaining, "github request");
            match status {
                304 => {
                    self.stats.not_modified += 1;
                    return Ok(Answer::NotModified);
                }
                200..=299 => {
                    let etag = header(resp.headers(), ETAG);
                    let next = header(resp.headers(), LINK).and_then(|l| next_link(&l));
                    let body = resp.bytes().map_err(unreachable)?.to_vec();
                    return Ok(Answer::Fresh { body, etag, next });
                }
                401 => {
                    return Err(ForgeError::Unauthorized {
                        path: path.to_string(),
                    });
                }
                403 | 429 => {
                    let body = resp.bytes().map(|b| b.to_vec()).unwrap_or_default();
                    match wait_for(status, &limits, &body, now()) {
                        Some(secs) => {
                            self.wait(secs, path)?;
                            self.limits = Limits::default();
                        }
                        None => {
                            return Err(ForgeError::Forbidden {
                                path: path.to_string(),
                                message: api_message(&body),
                            });
                        }
                    }
                }
                404 => {
                    return Err(ForgeError::NotFound {
                        path: path.to_string(),
                    });
                }
                500..=599 if server_errors < SERVER_ERROR_RETRIES => {
                    server_errors += 1;
                    match self.budget.take(server_errors) {
                        Some(d) => std::thread::sleep(d),
                        None => {
                            return Err(ForgeError::Status {
                                path: path.to_string(),
                                status,
                            });
                        }
                    }
                }
                _ => {
                    return Err(ForgeError::Status {
                        path: path.to_string(),
                        status,
                    });
                }
            }
        }
    }

    /// Sleeps `secs` if the budget allows; otherwise gives up.
    fn wait(&mut self, secs: u64, path: &str) -> Result<(), ForgeError> {
        match self.budget.take(secs) {
            Some(d) => {
                // A wait the person at the terminal should know about: shown without -v.
                warn!("GitHub rate limit reached: waiting {secs}s before asking again");
                std::thread::sleep(d);
                self.stats.waited_secs += secs;
                Ok(())
            }
            None => Err(ForgeError::RateLimited {
                path: path.to_string(),
                wait_secs: secs,
                cap_secs: self.budget.cap_secs(),
            }),
        }
    }

    /// A next-page link must stay on the API's host: the token goes with it.
    fn check_origin(&self, from: &str, next: &str) -> Result<(), ForgeError> {
        let same = Url::parse(next).is_ok_and(|n| {
            n.scheme() == self.base.scheme()
                && n.host_str() == self.base.host_str()
                && n.port_or_known_default() == self.base.port_or_known_default()
        });
        if same {
            return Ok(());
        }
        Err(ForgeError::ForeignLink {
            path: self.path_of(from),
            host: Url::parse(next)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| "?".to_string()),
        })
    }

    /// `url` as shown in messages: its path below the API's base, without the query.
    fn path_of(&self, url: &str) -> String {
        let without_query = url.split(['?', '#']).next().unwrap_or(url);
        let base = self.base.as_str();
        match without_query.strip_prefix(base) {
            Some(rest) => format!("/{rest}"),
            None => without_query.to_string(),
        }
    }
}

fn parse<T: DeserializeOwned>(path: &str, body: &[u8]) -> Result<T, ForgeError> {
    serde_json::from_slice(body).map_err(|source| ForgeError::Malformed {
        path: path.to_string(),
        source,
    })
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_drop_base_and_query() {
        let dir = tempfile::tempdir().expect("temp dir");
        let client = Client::new(&ClientOptions {
            api_url: "https://ghe.example.com/api/v3",
            token: None,
            token_env: "GITHUB_TOKEN",
            cache_dir: dir.path(),
            offline: true,
            max_wait: Duration::ZERO,
            max_pages: 1,
            timeout: Duration::from_secs(1),
        })
        .expect("client");
        let url = client.url("repos/o/r/issues?state=all");
        assert_eq!(
            url,
            "https://ghe.example.com/api/v3/repos/o/r/issues?state=all"
        );
        assert_eq!(client.path_of(&url), "/repos/o/r/issues");
        assert!(
            client
                .check_origin(&url, "https://ghe.example.com/api/v3/x?page=2")
                .is_ok()
        );
        assert!(
            client
                .check_origin(&url, "https://evil.example.com/x")
                .is_err()
        );
        assert!(
            client
                .check_origin(&url, "http://ghe.example.com/api/v3/x")
                .is_err()
        );
    }
}

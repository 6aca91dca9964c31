//! HTTP servers on 127.0.0.1 for tests: a canned responder (fixed status, records requests), a
//! smart-HTTP git server that runs `git http-backend` as a CGI, optionally behind basic auth,
//! and the plumbing other fakes (`github.rs`) build on.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// One request as received: method, path with query, lower-cased headers.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: BTreeMap<String, String>,
}

/// A server thread answering every connection; dropped with the test process.
pub struct Server {
    pub port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// Requests seen so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("request log").clone()
    }
}

/// Answers every request with `status` (e.g. `401 Unauthorized`) and `extra_headers`.
pub fn canned(status: &'static str, extra_headers: &'static [&'static str]) -> Server {
    serve(move |_req, _body| {
        let headers = extra_headers.iter().map(|h| h.to_string()).collect();
        (status.to_string(), headers, b"nope\n".to_vec())
    })
}

/// Serves the repositories under `root` over git's smart HTTP protocol. With `authorization`
/// set, requests without exactly that `Authorization` header get `401` and a Basic challenge.
pub fn git_backend(root: PathBuf, authorization: Option<String>) -> Server {
    git_backend_at("127.0.0.1:0", root, authorization)
}

/// [`git_backend`] on `addr`.
pub fn git_backend_at(addr: &str, root: PathBuf, authorization: Option<String>) -> Server {
    serve_at(addr, move |req, body| {
        if let Some(expected) = &authorization
            && req.headers.get("authorization") != Some(expected)
        {
            let challenge = "WWW-Authenticate: Basic realm=\"git\"".to_string();
            return ("401 Unauthorized".into(), vec![challenge], Vec::new());
        }
        cgi(&root, req, body)
    })
}

/// Serves every request with `handler(request, body) -> (status, headers, body)`.
pub fn serve<F>(handler: F) -> Server
where
    F: Fn(&Request, Vec<u8>) -> (String, Vec<String>, Vec<u8>) + Send + Sync + 'static,
{
    serve_at("127.0.0.1:0", handler)
}

/// This machine's address on its network (not loopback), when it has one: where a server
/// bound to every interface is reached as another host would reach it.
pub fn network_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // Connecting a UDP socket sends nothing; it only picks the route and so the address.
    socket
        .connect("192.0.2.1:9")
        .or_else(|_| socket.connect("10.255.255.1:9"))
        .ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// [`serve`] on `addr` (`0.0.0.0:0` for every interface).
pub fn serve_at<F>(addr: &str, handler: F) -> Server
where
    F: Fn(&Request, Vec<u8>) -> (String, Vec<String>, Vec<u8>) + Send + Sync + 'static,
{
    let listener = TcpListener::bind(addr).expect("bind a port");
    let port = listener.local_addr().expect("local address").port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requests);
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let log = Arc::clone(&log);
            let handler = Arc::clone(&handler);
            std::thread::spawn(move || {
                if let Some((req, body)) = read_request(&stream) {
                    log.lock().expect("request log").push(req.clone());
                    let (status, headers, body) = handler(&req, body);
                    write_response(stream, &status, &headers, &body);
                }
            });
        }
    });
    Server { port, requests }
}

fn read_request(stream: &TcpStream) -> Option<(Request, Vec<u8>)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let mut body = Vec::new();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(len) = headers
        .get("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        body.resize(len, 0);
        reader.read_exact(&mut body).ok()?;
    }
    Some((
        Request {
            method,
            target,
            headers,
        },
        body,
    ))
}

fn write_response(mut stream: TcpStream, status: &str, headers: &[String], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes()).ok();
    stream.write_all(body).ok();
    stream.flush().ok();
}

/// Runs `git http-backend` for one request and turns its CGI output into a response.
fn cgi(root: &std::path::Path, req: &Request, body: Vec<u8>) -> (String, Vec<String>, Vec<u8>) {
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    let mut cmd = Command::new("git");
    cmd.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", &req.method)
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (header, var) in [
        ("content-type", "CONTENT_TYPE"),
        ("git-protocol", "HTTP_GIT_PROTOCOL"),
        ("content-encoding", "HTTP_CONTENT_ENCODING"),
    ] {
        if let Some(v) = req.headers.get(header) {
            cmd.env(var, v);
        }
    }
    let mut child = cmd.spawn().expect("git http-backend starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output().expect("git http-backend runs");
    writer.join().expect("writer thread").ok();
    let split = out
        .stdout
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| {
            out.stdout
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|p| (p, p + 2))
        })
        .expect("CGI output has headers");
    let head = String::from_utf8_lossy(&out.stdout[..split.0]).into_owned();
    let mut status = "200 OK".to_string();
    let mut headers = Vec::new();
    for line in head.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.strip_prefix("Status:") {
            Some(s) => status = s.trim().to_string(),
            None => headers.push(line.to_string()),
        }
    }
    (status, headers, out.stdout[split.1..].to_vec())
}

/// The `Authorization` header value of HTTP basic auth for `user:password`.
pub fn basic_auth(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char
            } else {
                '='
            });
        }
    }
    out
}

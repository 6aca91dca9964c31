//! Redaction: keeps credentials written into URLs, and the token, out of every message we show.

/// Returns `url` with any user information (`user:password@`) and query string replaced by `***`,
/// so it can be shown in errors and logs.
///
/// Only URLs with a `scheme://` are touched: an scp-like `git@host:org/repo` names an ssh user,
/// not a secret, and local paths have nothing to hide.
///
/// ```
/// assert_eq!(sparky::mirror::redact_url("https://x:tok@github.com/o/r.git"), "https://***@github.com/o/r.git");
/// ```
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let mut out = String::with_capacity(url.len());
    out.push_str(&url[..authority_start]);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str("***");
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let tail = &rest[authority_len..];
    match tail.find('?') {
        Some(q) => {
            out.push_str(&tail[..q]);
            out.push_str("?***");
            if let Some(hash) = tail[q..].find('#') {
                out.push_str(&tail[q + hash..]);
            }
        }
        None => out.push_str(tail),
    }
    out
}

/// Replaces every secret we know of in free text (error chains from gix, progress messages):
/// the raw URL by its redacted form, the token, the URL's user information and any other
/// `scheme://user:password@` found in the text.
pub(crate) struct Scrubber {
    raw_url: String,
    redacted_url: String,
    secrets: Vec<String>,
}

/// Secrets shorter than this are only removed as part of a URL: replacing every `x` or `git` in a
/// message would make it unreadable without protecting anything.
const MIN_SECRET_LEN: usize = 4;

impl Scrubber {
    pub(crate) fn new(url: &str, token: Option<&str>) -> Self {
        let mut secrets: Vec<String> = Vec::new();
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            secrets.push(token.to_string());
            // The token travels as HTTP basic auth; never let its encoded form through either.
            secrets.push(base64(
                format!("{}:{token}", super::auth::TOKEN_USER).as_bytes(),
            ));
        }
        if let Some(userinfo) = userinfo(url) {
            secrets.push(userinfo.to_string());
            secrets.extend(
                userinfo
                    .split(':')
                    .filter(|part| part.len() >= MIN_SECRET_LEN)
                    .map(str::to_string),
            );
        }
        // Longest first, so a secret that contains another is replaced whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Scrubber {
            raw_url: url.to_string(),
            redacted_url: redact_url(url),
            secrets,
        }
    }

    /// The URL as it may be shown.
    pub(crate) fn shown_url(&self) -> &str {
        &self.redacted_url
    }

    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.replace(&self.raw_url, &self.redacted_url);
        for secret in &self.secrets {
            text = text.replace(secret.as_str(), "***");
        }
        redact_urls_in_text(&text)
    }
}

/// The `user:password` part of a `scheme://user:password@host/…` URL.
fn userinfo(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    authority.rfind('@').map(|at| &authority[..at])
}

/// Redacts the user information of every `scheme://…@host` URL embedded in `text`.
fn redact_urls_in_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let start = pos + 3;
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '"' | '\'' | '`' | '>'))
            .unwrap_or(rest.len());
        match rest[..end].rfind('@') {
            Some(at) => {
                out.push_str("***");
                rest = &rest[at..];
            }
            None => {
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Standard base64 with padding, for the basic-auth header and to recognise it in text.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_userinfo_and_query() {
        assert_eq!(redact_url("https://user:tok@host/x"), "https://***@host/x");
        assert_eq!(
            redact_url("https://tok@host:8443/o/r.git"),
            "https://***@host:8443/o/r.git"
        );
        assert_eq!(redact_url("https://a:b@c@host/x"), "https://***@host/x");
        assert_eq!(
            redact_url("https://host/x?access_token=t#frag"),
            "https://host/x?***#frag"
        );
        assert_eq!(redact_url("https://u:p@host"), "https://***@host");
    }

    #[test]
    fn leaves_urls_without_secrets_alone() {
        for url in [
            "https://github.com/o/r.git",
            "file:///tmp/x",
            "git@github.com:o/r.git",
            "/srv/git/r",
        ] {
            assert_eq!(redact_url(url), url);
        }
        // A user name alone is redacted too: it may be a token (`https://TOKEN@host/…`).
        assert_eq!(redact_url("ssh://git@host/r"), "ssh://***@host/r");
    }

    #[test]
    fn scrubber_removes_token_url_secrets_and_embedded_urls() {
        let s = Scrubber::new("https://bob:hunter22@h/x", Some("tok-123456"));
        assert_eq!(s.shown_url(), "https://***@h/x");
        let text = "failed at https://bob:hunter22@h/x with tok-123456, \
                    basic eC1hY2Nlc3MtdG9rZW46dG9rLTEyMzQ1Ng==, pw hunter22, \
                    see http://eve:pw@other/y";
        let out = s.scrub(text);
        for secret in [
            "hunter22",
            "tok-123456",
            "eC1hY2Nlc3MtdG9rZW46dG9rLTEyMzQ1Ng==",
            "eve:pw",
        ] {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
        assert!(out.contains("https://***@h/x"), "{out}");
        assert!(out.contains("http://***@other/y"), "{out}");
    }

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}

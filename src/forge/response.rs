//! What a response says beyond its body: the next page's link and GitHub's error message.

/// The `rel="next"` target of a `Link` header.
pub(crate) fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let mut pieces = part.split(';');
        let target = pieces.next()?.trim();
        let is_next = pieces.any(|p| {
            let p = p.trim();
            p == "rel=\"next\"" || p == "rel=next"
        });
        let url = target.strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| url.to_string())
    })
}

/// GitHub's `{"message": …}`, shortened; the raw start of the body otherwise.
pub(crate) fn api_message(body: &[u8]) -> String {
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(String::from))
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let message = message.trim();
    match message.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &message[..i]),
        None if message.is_empty() => "no reason given".to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_header() {
        let link = "<https://api.github.com/orgs/a/repos?page=2>; rel=\"next\", \
                    <https://api.github.com/orgs/a/repos?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(link).as_deref(),
            Some("https://api.github.com/orgs/a/repos?page=2")
        );
        let last_page = "<https://api.github.com/x?page=1>; rel=\"first\", \
                         <https://api.github.com/x?page=4>; rel=\"prev\"";
        assert_eq!(next_link(last_page), None);
        assert_eq!(next_link(""), None);
    }

    #[test]
    fn messages() {
        assert_eq!(api_message(br#"{"message":"Bad"}"#), "Bad");
        assert_eq!(api_message(b""), "no reason given");
        assert_eq!(api_message(&[b'x'; 300]).chars().count(), 201);
    }
}

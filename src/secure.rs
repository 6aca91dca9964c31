//! Where a secret may travel: tokens and API keys go over https (or ssh for git), or over plain
//! http only to this machine (a loopback address), never in the clear across a network.

/// The host of a URL (`scheme://[user@]host[:port]/...`), without brackets for IPv6.
fn host(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    Some(match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    })
}

/// Whether a secret may be sent to `url`: https, or plain http to this machine.
pub fn may_carry_secret(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once("://") else {
        return false;
    };
    scheme.eq_ignore_ascii_case("https")
        || (scheme.eq_ignore_ascii_case("http") && host(url).is_some_and(is_loopback_host))
}

/// Whether `url` is plain http to a host other than this machine: a secret must not go there.
pub fn is_cleartext_to_network(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once("://") else {
        return false;
    };
    scheme.eq_ignore_ascii_case("http") && !host(url).is_some_and(is_loopback_host)
}

/// Whether `url` names this machine (`localhost` or a loopback address).
pub fn is_loopback_url(url: &str) -> bool {
    let with_scheme;
    let url = if url.contains("://") {
        url
    } else {
        with_scheme = format!("x://{url}");
        &with_scheme
    };
    host(url).is_some_and(is_loopback_host)
}

/// `localhost` or a loopback IP address.
pub fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_to_another_machine_is_cleartext() {
        for bad in [
            "http://github.com/o/r.git",
            "HTTP://10.0.0.1:8080/r",
            "http://127.0.0.1.evil.example/r",
            "http://user@gpu.example.com/v1",
        ] {
            assert!(is_cleartext_to_network(bad), "{bad}");
        }
        for ok in [
            "https://github.com/o/r.git",
            "http://127.0.0.1:8080/r.git",
            "http://localhost/v1",
            "http://[::1]:9000/r.git",
            "ssh://git@github.com/o/r.git",
            "git@github.com:o/r.git",
            "/srv/r.git",
        ] {
            assert!(!is_cleartext_to_network(ok), "{ok}");
        }
    }
}

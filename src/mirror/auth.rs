//! Auth: how a connection gets the token — in memory, to the configured host only, never
//! prompting anyone.

use gix::bstr::ByteSlice;
use gix::credentials::helper::Action;
use gix::error::ErrorExt;
use gix::protocol::transport::client::blocking_io::{Transport, http};
use gix::remote::{Connection, Direction};

use super::Secret;
use super::redact::base64;

/// The user name sent with the token (GitHub's convention; other forges ignore the name).
pub(crate) const TOKEN_USER: &str = "x-access-token";

/// Connects to `url`, with the token attached in memory when it may be sent.
///
/// The token travels as an `Authorization: Basic` header set in this connection's transport
/// options (never in git configuration, so nothing reaches the disk), and only to the host of
/// the configured URL over https — or plain http to a loopback address, which never leaves the
/// machine. With a token, redirects are not followed, so it cannot be carried to another host.
/// gix's credential helpers and prompts are replaced by a refusal: sparky never asks anyone.
pub(crate) fn connect<'a>(
    remote: &'a gix::Remote<'a>,
    url: &gix::Url,
    token: Option<&Secret>,
) -> gix::Result<Connection<'a, 'static, 'a, Box<dyn Transport + Send>>> {
    let header = token
        .filter(|_| sends_token_to(url) && url.user().is_none())
        .map(|token| {
            format!(
                "Authorization: Basic {}",
                base64(format!("{TOKEN_USER}:{}", token.expose()).as_bytes())
            )
        });
    let had_token = header.is_some();
    let mut connection = remote
        .connect(Direction::Fetch)?
        .with_credentials(move |action| match action {
            Action::Get(_) if had_token => {
                Err(gix::error::unauthenticated("the remote rejected the token").raise())
            }
            Action::Get(_) => Err(gix::error::unauthenticated(
                "the remote asked for credentials and no token was given",
            )
            .raise()),
            Action::Store(_) | Action::Erase(_) => Ok(None),
        });
    if let Some(header) = header {
        let url_text = url.to_bstring();
        let mut options = remote
            .repo()
            .transport_options(url_text.as_bstr(), None)?
            .ok_or_else(|| {
                gix::error::unsupported("this transport cannot carry a token").raise()
            })?;
        let http = options.downcast_mut::<http::Options>().ok_or_else(|| {
            gix::error::unsupported("this transport cannot carry a token").raise()
        })?;
        http.extra_headers.push(header);
        http.follow_redirects = http::options::FollowRedirects::None;
        http.verbose = false;
        connection.set_transport_options(options);
    }
    Ok(connection)
}

/// Whether the token may go to `url`: https, or http to this machine.
fn sends_token_to(url: &gix::Url) -> bool {
    crate::secure::may_carry_secret(&url.to_bstring().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sends(url: &str) -> bool {
        sends_token_to(&gix::url::parse(url.as_bytes().as_bstr()).expect("valid URL"))
    }

    #[test]
    fn token_goes_over_https_or_to_this_machine_only() {
        assert!(sends("https://github.com/o/r.git"));
        assert!(sends("http://127.0.0.1:8080/r.git"));
        assert!(sends("http://localhost/r.git"));
        assert!(sends("http://[::1]:9000/r.git"));
        assert!(!sends("http://github.com/o/r.git"));
        assert!(!sends("http://10.0.0.1/r.git"));
        assert!(!sends("ssh://git@github.com/o/r.git"));
        assert!(!sends("file:///srv/r.git"));
    }
}

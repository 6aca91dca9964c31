//! Remote: fetching the branch's new tip and pushing one commit to it, never forced. The token
//! is handed to libgit2 in memory when the server asks for credentials, only over https (or
//! plain http to this machine); the clone's remote configuration and URL are never changed.

use std::cell::RefCell;

use git2::{Cred, CredentialType, Oid, Repository};

use super::error::GitMessage;
use super::{PublishError, git};
use crate::mirror::{Secret, redact_url};

/// The user name sent with the token (GitHub's convention; other forges ignore it).
const TOKEN_USER: &str = "x-access-token";
/// A private ref holding the commit while it is pushed (libgit2 pushes refs, not ids).
const PUSH_REF: &str = "refs/sparky/publish";
/// A private ref receiving the fetched tip.
const FETCH_REF: &str = "refs/sparky/fetched";

/// The remote as configured in the clone, with the token to offer.
pub(crate) struct Remote<'a> {
    pub name: String,
    fetch_url: String,
    push_url: String,
    token: Option<&'a Secret>,
}

/// Why a push did not land.
pub(crate) enum PushFailure {
    /// Someone pushed first: fetch, compose again on the new tip, retry.
    Behind(String),
    /// Any other failure, already turned into the error to report.
    Failed(PublishError),
}

impl<'a> Remote<'a> {
    pub fn find(
        repo: &Repository,
        name: &str,
        token: Option<&'a Secret>,
    ) -> Result<Self, PublishError> {
        let remote = repo.find_remote(name).map_err(|e| PublishError::NoRemote {
            remote: name.to_string(),
            source: GitMessage::new(&e, token.map(Secret::expose)),
        })?;
        let fetch_url = String::from_utf8_lossy(remote.url_bytes()).into_owned();
        let push_url = remote.pushurl_bytes().map_or_else(
            || fetch_url.clone(),
            |u| String::from_utf8_lossy(u).into_owned(),
        );
        Ok(Remote {
            name: name.to_string(),
            fetch_url,
            push_url,
            token,
        })
    }

    /// The push URL as it may be shown.
    pub fn shown_url(&self) -> String {
        redact_url(&self.push_url)
    }

    fn message(&self, e: &git2::Error) -> GitMessage {
        GitMessage::new(e, self.token.map(Secret::expose))
    }

    /// Callbacks that answer a credentials request once, with the token, and refuse after.
    fn callbacks<'c>(&self) -> git2::RemoteCallbacks<'c>
    where
        'a: 'c,
    {
        let token = self.token;
        let mut asked = false;
        let mut callbacks = git2::RemoteCallbacks::new();
        callbacks.credentials(move |url, _user, allowed| {
            let refuse = |why: &str| Err(git2::Error::from_str(why));
            if asked {
                return refuse("the remote rejected the token");
            }
            asked = true;
            match token {
                None => refuse(
                    "the remote asked for credentials and no token was given (authentication required)",
                ),
                Some(_) if !may_send_token(url) => refuse(
                    "the remote asked for credentials; the token is sent over https only (authentication required)",
                ),
                Some(_) if !allowed.contains(CredentialType::USER_PASS_PLAINTEXT) => {
                    refuse("the remote asked for credentials other than a token")
                }
                Some(t) => Cred::userpass_plaintext(TOKEN_USER, t.expose()),
            }
        });
        callbacks
    }

    /// Fetches `branch` and returns its tip (`None`: the remote has no such branch).
    pub fn fetch_tip(&self, repo: &Repository, branch: &str) -> Result<Option<Oid>, PublishError> {
        let fail = |e: git2::Error| PublishError::Fetch {
            remote: self.name.clone(),
            url: redact_url(&self.fetch_url),
            branch: branch.to_string(),
            source: self.message(&e),
        };
        drop_ref(repo, FETCH_REF);
        let mut remote = repo.remote_anonymous(&self.fetch_url).map_err(fail)?;
        let mut options = git2::FetchOptions::new();
        options
            .remote_callbacks(self.callbacks())
            .update_fetchhead(false)
            .download_tags(git2::AutotagOption::None);
        let spec = format!("+refs/heads/{branch}:{FETCH_REF}");
        remote
            .fetch(
                &[spec.as_str()],
                Some(&mut options),
                Some("sparky publish: fetch"),
            )
            .map_err(fail)?;
        let tip = repo.refname_to_id(FETCH_REF).ok();
        drop_ref(repo, FETCH_REF);
        Ok(tip)
    }

    /// Pushes `commit` to `branch` as a fast-forward.
    pub fn push(&self, repo: &Repository, commit: Oid, branch: &str) -> Result<(), PushFailure> {
        let fail = |e: &git2::Error| {
            PushFailure::Failed(PublishError::Push {
                remote: self.name.clone(),
                url: self.shown_url(),
                source: self.message(e),
            })
        };
        repo.reference(PUSH_REF, commit, true, "sparky publish: commit to push")
            .map_err(|e| PushFailure::Failed(git("point a private ref at the commit")(e)))?;
        let refused: RefCell<Option<String>> = RefCell::new(None);
        let result = (|| {
            let mut remote = repo.remote_anonymous(&self.push_url)?;
            let mut callbacks = self.callbacks();
            callbacks.push_update_reference(|_name, status| {
                if let Some(status) = status {
                    *refused.borrow_mut() = Some(status.to_string());
                }
                Ok(())
            });
            let mut options = git2::PushOptions::new();
            options.remote_callbacks(callbacks);
            let spec = format!("{PUSH_REF}:refs/heads/{branch}");
            remote.push(&[spec.as_str()], Some(&mut options))
        })();
        drop_ref(repo, PUSH_REF);
        match result {
            Err(e) if e.code() == git2::ErrorCode::NotFastForward => {
                Err(PushFailure::Behind(self.message(&e).message))
            }
            Err(e) => Err(fail(&e)),
            Ok(()) => match refused.into_inner() {
                None => Ok(()),
                Some(reason) if someone_pushed_first(&reason) => Err(PushFailure::Behind(reason)),
                Some(reason) => Err(PushFailure::Failed(PublishError::Refused {
                    remote: self.name.clone(),
                    branch: branch.to_string(),
                    reason,
                })),
            },
        }
    }
}

fn drop_ref(repo: &Repository, name: &str) {
    if let Ok(mut r) = repo.find_reference(name) {
        r.delete().ok();
    }
}

/// Whether a server's per-ref status says the branch moved under us (git's receive-pack wording).
fn someone_pushed_first(status: &str) -> bool {
    let status = status.to_ascii_lowercase();
    [
        "non-fast-forward",
        "fetch first",
        "failed to update ref",
        "failed to lock",
        "cannot lock ref",
        "stale info",
        "but expected",
    ]
    .iter()
    .any(|s| status.contains(s))
}

/// Whether the token may go to `url`: https, or plain http to this machine.
fn may_send_token(url: &str) -> bool {
    crate::secure::may_carry_secret(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_goes_over_https_or_to_this_machine_only() {
        assert!(may_send_token("https://github.com/acme/docs.git"));
        assert!(may_send_token("http://127.0.0.1:8080/docs.git"));
        assert!(may_send_token("http://localhost/docs.git"));
        assert!(may_send_token("http://[::1]:9000/docs.git"));
        assert!(!may_send_token("http://github.com/acme/docs.git"));
        assert!(!may_send_token("http://127.0.0.1.evil.example/docs.git"));
        assert!(!may_send_token("ssh://git@github.com/acme/docs.git"));
        assert!(!may_send_token("/srv/docs.git"));
    }

    #[test]
    fn server_wording_for_a_moved_branch() {
        assert!(someone_pushed_first("failed to update ref"));
        assert!(someone_pushed_first("non-fast-forward"));
        assert!(someone_pushed_first(
            "cannot lock ref 'refs/heads/main': is at 1234 but expected 5678"
        ));
        assert!(!someone_pushed_first("pre-receive hook declined"));
        assert!(!someone_pushed_first("protected branch hook declined"));
    }
}

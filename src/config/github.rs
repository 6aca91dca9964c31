//! Checks on `[github]`: an organisation name, a safe API URL, a variable name for the token,
//! regular expressions that compile and numbers in range.

use super::error::ConfigError;
use super::model::Config;
use super::parse::Seg;
use super::validate::{Checker, key, token_env};

/// Checks `[github]`; every error points at the offending value.
pub(super) fn validate(c: &Checker<'_>, config: &Config) -> Result<(), ConfigError> {
    let gh = &config.github;
    let here = |k: &str| [key("github"), key(k)];
    if let Some(org) = &gh.org {
        c.not_empty(&here("org"), "org", org)?;
        if !org
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'))
        {
            return Err(invalid(
                c,
                "org",
                org,
                "`org` is the organisation's login as in `https://github.com/<org>`, e.g. `org = \"acme\"`",
            ));
        }
    }
    c.not_empty(&here("api_url"), "api_url", &gh.api_url)?;
    if let Err(why) = check_api_url(&gh.api_url) {
        let hint = format!(
            "{why}; use `https://api.github.com`, or `https://<host>/api/v3` for GitHub \
             Enterprise Server (plain http only to this machine)"
        );
        return Err(invalid(c, "api_url", &gh.api_url, &hint));
    }
    token_env(c, "github", &gh.token_env, "GITHUB_TOKEN")?;
    for (name, patterns) in [("include", &gh.include), ("exclude", &gh.exclude)] {
        for (i, pattern) in patterns.iter().enumerate() {
            let path = [key("github"), key(name), Seg::Index(i)];
            c.not_empty(&path, name, pattern)?;
            regex::Regex::new(pattern).map_err(|source| ConfigError::InvalidRegex {
                at: c.at(&path),
                key: name.to_string(),
                pattern: pattern.clone(),
                source,
            })?;
        }
    }
    for (name, found, min, max) in [
        ("max_wait_secs", gh.max_wait_secs, 0, 3600),
        ("max_pages", gh.max_pages, 1, 1000),
        ("timeout_secs", gh.timeout_secs, 1, 600),
    ] {
        if !(min..=max).contains(&found) {
            return Err(ConfigError::OutOfRange {
                at: c.at(&here(name)),
                key: name.to_string(),
                found,
                min,
                max,
            });
        }
    }
    Ok(())
}

fn invalid(c: &Checker<'_>, name: &str, value: &str, hint: &str) -> ConfigError {
    ConfigError::InvalidValue {
        at: c.at(&[key("github"), key(name)]),
        key: name.to_string(),
        section: "`[github]`".to_string(),
        found: format!("`{value}`"),
        hint: hint.to_string(),
    }
}

/// Why `url` cannot be the API's base URL: the token is sent to it, so it must be https (or
/// plain http to a loopback address), and it must not carry credentials or a query.
pub(crate) fn check_api_url(url: &str) -> Result<(), &'static str> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "it is not a URL")?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("credentials do not belong in the URL");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err("the URL must not have a query or fragment");
    }
    match parsed.scheme() {
        "https" if parsed.host_str().is_some() => Ok(()),
        "http" if is_loopback(&parsed) => Ok(()),
        "http" => Err("the token would travel unencrypted"),
        _ => Err("the scheme must be https"),
    }
}

/// Whether `url` names this machine.
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    crate::secure::is_loopback_url(url.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls() {
        assert!(check_api_url("https://api.github.com").is_ok());
        assert!(check_api_url("https://ghe.example.com/api/v3").is_ok());
        assert!(check_api_url("http://127.0.0.1:8080").is_ok());
        assert!(check_api_url("http://localhost/api").is_ok());
        assert!(check_api_url("http://[::1]:9/").is_ok());
        assert!(check_api_url("http://api.github.com").is_err());
        assert!(check_api_url("ftp://api.github.com").is_err());
        assert!(check_api_url("https://user:pw@api.github.com").is_err());
        assert!(check_api_url("https://api.github.com/?token=x").is_err());
        assert!(check_api_url("api.github.com").is_err());
    }
}

//! `[github]` in `sparky.toml`: documented defaults, and every bad value rejected at its
//! position with a hint (a pasted token is never echoed).

use sparky::config::{self, ConfigError, DEFAULT_CONFIG, GithubSection};

fn load(text: &str) -> Result<config::LoadedConfig, ConfigError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sparky.toml");
    std::fs::write(&path, text).expect("write config");
    config::load(&path)
}

fn err(text: &str) -> ConfigError {
    match load(text) {
        Ok(c) => panic!("should fail:\n{text}\nloaded: {c:#?}"),
        Err(e) => e,
    }
}

fn line(e: &ConfigError) -> usize {
    e.position()
        .unwrap_or_else(|| panic!("positioned: {e}"))
        .line
}

#[test]
fn default_config_documents_every_github_key() {
    let section = &DEFAULT_CONFIG[DEFAULT_CONFIG.find("[github]").expect("[github] section")..];
    for key in [
        "org =",
        "api_url =",
        "token_env =",
        "discover =",
        "include_forks =",
        "include_archived =",
        "include_private =",
        "include =",
        "exclude =",
        "max_wait_secs =",
        "max_pages =",
        "timeout_secs =",
    ] {
        assert!(section.contains(key), "[github] lacks `{key}`");
    }
    let loaded = load(DEFAULT_CONFIG).expect("default config loads");
    assert_eq!(loaded.config.github, GithubSection::default());
    assert_eq!(loaded.config.github.org, None, "GitHub is off by default");
    assert_eq!(loaded.config.github.api_url, "https://api.github.com");
    assert_eq!(loaded.config.github.token_env, "GITHUB_TOKEN");
    assert_eq!(loaded.config.github.max_wait_secs, 60);
    assert!(!loaded.config.github.include_private);
}

#[test]
fn a_full_section_loads() {
    let text = "[github]\norg = \"acme\"\napi_url = \"https://ghe.example.com/api/v3\"\n\
                token_env = \"ACME_GH\"\ndiscover = false\ninclude_forks = true\n\
                include = [\"^api\", \"(?i)web\"]\nexclude = [\"-old$\"]\nmax_wait_secs = 0\n\
                max_pages = 5\ntimeout_secs = 10\n";
    let gh = load(text).expect("loads").config.github;
    assert_eq!(gh.org.as_deref(), Some("acme"));
    assert_eq!(gh.include, ["^api", "(?i)web"]);
    assert_eq!(gh.max_pages, 5);
}

#[test]
fn bad_github_values_point_at_themselves() {
    let e = err("[github]\norg = \"acme\"\ninclude = [\"ok\", \"(unclosed\"]\n");
    assert!(matches!(e, ConfigError::InvalidRegex { .. }), "{e:?}");
    assert_eq!(line(&e), 3);
    assert!(e.to_string().contains("`(unclosed`"), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains("regular expressions")));

    let e = err("[github]\nmax_wait_secs = 7200\n");
    assert!(
        e.to_string().contains("between 0 and 3600, found 7200"),
        "{e}"
    );
    assert_eq!(line(&e), 2);
    let e = err("[github]\nmax_pages = 0\n");
    assert!(
        e.to_string()
            .contains("`max_pages` must be between 1 and 1000"),
        "{e}"
    );

    let e = err("[github]\napi_url = \"http://api.github.com\"\n");
    assert!(e.hint().is_some_and(|h| h.contains("unencrypted")), "{e:?}");
    let e = err("[github]\napi_url = \"https://x:y@api.github.com\"\n");
    assert!(e.hint().is_some_and(|h| h.contains("credentials")), "{e:?}");
    load("[github]\napi_url = \"http://127.0.0.1:9999\"\n").expect("loopback http is fine");

    let e = err("[github]\norg = \"acme corp\"\n");
    assert!(e.to_string().contains("`[github]`"), "{e}");
    let e = err("[github]\norg = \"\"\n");
    assert!(e.to_string().contains("must not be empty"), "{e}");

    let e = err("[github]\norganisation = \"acme\"\n");
    assert!(e.hint().is_some_and(|h| h.contains("`org`")), "{e:?}");
    let e = err("[github]\ninclude = \"^api\"\n");
    assert!(e.hint().is_some_and(|h| h.contains("brackets")), "{e:?}");
}

#[test]
fn a_token_pasted_as_token_env_is_never_echoed() {
    let e = err("[github]\norg = \"acme\"\ntoken_env = \"ghp_abcdef0123456789\"\n");
    assert!(matches!(e, ConfigError::InvalidTokenEnv { .. }), "{e:?}");
    let text = format!("{e} {}", e.hint().unwrap_or_default());
    assert!(!text.contains("abcdef0123456789"), "{text}");
    assert!(text.contains("GITHUB_TOKEN"), "{text}");
    assert_eq!(line(&e), 3);
}

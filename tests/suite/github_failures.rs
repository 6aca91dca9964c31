//! GitHub enrichment when things go wrong, against the fake REST API: rate limits waited out
//! or given up on within the cap, 401/403/404/500, malformed JSON, an unreachable API, no
//! token, quota running out and the page cap. Git's facts always survive, and the facts say why.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::github::{
    TOKEN, WINDOW, api_repo, assert_git_facts, assert_never_leaked, facts, numbers, one_repo_site,
    repo_named, serve_api_activity, serve_empty, site, small_repo, status,
};
use crate::support::Sparky;
use crate::support::github::{Canned, FakeGithub, now};

#[test]
fn rate_limits_are_waited_out_within_the_cap() {
    let (gh, _api, dir) = one_repo_site("");
    let reset = format!("X-RateLimit-Reset: {}", now() + 1);
    gh.with(|s| {
        s.once.push((
            "/repos/acme/api/issues".into(),
            Canned::new(
                "403 Forbidden",
                &["X-RateLimit-Remaining: 0", reset.as_str()],
                r#"{"message":"API rate limit exceeded"}"#,
            ),
        ));
        s.once.push((
            "/repos/acme/api/pulls".into(),
            Canned::new(
                "429 Too Many Requests",
                &["Retry-After: 1"],
                r#"{"message":"You have exceeded a secondary rate limit."}"#,
            ),
        ));
    });
    let started = Instant::now();
    let run = facts(dir.path(), &[]).run().success();
    let f = run.json();
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "both limits were waited out"
    );
    assert_eq!(status(&f), ("ok", ""));
    assert_eq!(
        numbers(&repo_named(&f, "api")["github"]["pull_requests_merged"]),
        [7, 9]
    );
    let statuses: Vec<u16> = gh.log().iter().map(|l| l.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 403).count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1);
    assert!(
        run.stderr().contains("rate limit"),
        "the wait is reported: {}",
        run.stderr()
    );
}

#[test]
fn rate_limits_beyond_the_cap_skip_github_but_keep_git_facts() {
    let far = format!("X-RateLimit-Reset: {}", now() + 3600);
    let cases: [(&str, Vec<&str>, &str); 3] = [
        (
            "403 Forbidden",
            vec!["X-RateLimit-Remaining: 0", far.as_str()],
            r#"{"message":"API rate limit exceeded"}"#,
        ),
        (
            "429 Too Many Requests",
            vec!["Retry-After: 120"],
            r#"{"message":"slow down"}"#,
        ),
        (
            "403 Forbidden",
            vec![],
            r#"{"message":"You have exceeded a secondary rate limit."}"#,
        ),
    ];
    for (code, headers, body) in cases {
        let (gh, _api, dir) = one_repo_site("");
        gh.with(|s| {
            s.always
                .push(("/".into(), Canned::new(code, &headers, body)))
        });
        let started = Instant::now();
        let run = facts(dir.path(), &[]).run().success();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "no sleep beyond the cap"
        );
        let f = run.json();
        let (state, reason) = status(&f);
        assert_eq!(state, "skipped", "{code} {headers:?}");
        assert!(reason.contains("rate limit"), "{reason}");
        assert!(reason.contains("cap of 5s"), "{reason}");
        assert_eq!(gh.log().len(), 1, "gave up after the first refusal");
        assert_eq!(repo_named(&f, "api")["github"], Value::Null);
        assert_eq!(
            repo_named(&f, "api")["pull_requests"]["details"][0]["source"],
            "git"
        );
        assert_git_facts(&f);
        assert!(
            run.stderr().contains("max_wait_secs"),
            "hint: {}",
            run.stderr()
        );
    }
}

#[test]
fn failures_leave_git_facts_and_say_why() {
    // 401: wrong token; nothing else is asked, and the token is not shown.
    let (gh, _api, dir) = one_repo_site("");
    gh.with(|s| s.token = Some("another".into()));
    let run = facts(dir.path(), &[]).run().success();
    let f = run.json();
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped");
    assert!(reason.contains("401"), "{reason}");
    assert_eq!(gh.log().len(), 1);
    assert_git_facts(&f);
    assert_never_leaked(TOKEN, &[&run], dir.path());

    // No token at all: nothing is asked.
    let (gh, _api, dir) = one_repo_site("");
    let run = Sparky::new(dir.path(), &["facts", "--json", "--window", WINDOW])
        .run()
        .success();
    let f = run.json();
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped");
    assert!(reason.contains("`GITHUB_TOKEN`"), "{reason}");
    assert!(gh.log().is_empty());
    // …nor with the variable renamed.
    let (gh, _api, dir) = one_repo_site("token_env = \"ACME_GH\"");
    let run = Sparky::new(dir.path(), &["facts", "--json", "--window", WINDOW])
        .env("ACME_GH", TOKEN)
        .run()
        .success();
    assert_eq!(status(&run.json()).0, "ok");
    assert!(!gh.log().is_empty());

    // Per-listing failures: the other repository is still enriched; the status is partial.
    for (prefix, canned, expect) in [
        (
            "/repos/acme/api/pulls",
            Canned::new("500 Internal Server Error", &[], "oops"),
            "500",
        ),
        (
            "/repos/acme/api/releases",
            Canned::new("200 OK", &[], "[{\"tag_name\": "),
            "malformed JSON",
        ),
        (
            "/repos/acme/api/issues",
            Canned::new(
                "403 Forbidden",
                &[],
                r#"{"message":"Resource not accessible"}"#,
            ),
            "Resource not accessible",
        ),
        (
            "/repos/acme/api/",
            Canned::new("404 Not Found", &[], r#"{"message":"Not Found"}"#),
            "(404)",
        ),
        (
            // The token must never follow a link to another host.
            "/repos/acme/api/issues",
            Canned::new(
                "200 OK",
                &["Link: <http://203.0.113.9/steal?page=2>; rel=\"next\""],
                "[]",
            ),
            "another host (`203.0.113.9`)",
        ),
    ] {
        let gh = FakeGithub::start("acme", TOKEN, 100);
        serve_api_activity(&gh);
        serve_empty(&gh, "acme/web");
        gh.with(|s| s.always.push((prefix.into(), canned.clone())));
        let api = api_repo();
        let web = small_repo("2025-11-05T10:00:00+00:00");
        let repos = format!(
            "[[repos]]\npath = \"{}\"\nname = \"api\"\n[[repos]]\npath = \"{}\"\nname = \"web\"\n",
            api.path().display(),
            web.path().display()
        );
        let dir = site(&gh.api_url(), &repos, "discover = false");
        let f = facts(dir.path(), &[]).run().success().json();
        let (state, reason) = status(&f);
        assert_eq!(state, "partial", "{prefix}");
        assert!(
            reason.contains("`api` (acme/api)") && reason.contains(expect),
            "{reason}"
        );
        assert_eq!(repo_named(&f, "api")["github"], Value::Null);
        assert!(repo_named(&f, "web")["github"].is_object());
        assert_git_facts(&f);
        if expect == "500" {
            let tries = gh.log().iter().filter(|l| l.path() == prefix).count();
            assert_eq!(tries, 3, "a 5xx is retried twice");
        }
    }

    // 404: a repository GitHub does not know (and an unknown organisation for discovery).
    let (_gh, _api, dir) = one_repo_site("");
    let toml = std::fs::read_to_string(dir.path().join("sparky.toml")).expect("read");
    std::fs::write(
        dir.path().join("sparky.toml"),
        toml.replace("discover = false", "")
            .replace("org = \"acme\"", "org = \"nobody\""),
    )
    .expect("write");
    // Discovery failed, so repositories may be missing: a partial run (exit 1).
    let f = facts(dir.path(), &[]).run().expect_code(1).json();
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped", "{reason}");
    assert!(
        reason.contains("discovery of `nobody`") && reason.contains("404"),
        "{reason}"
    );
    let notes = f["enrichment"]["github"]["notes"]
        .as_array()
        .expect("notes");
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_git_facts(&f);

    // Unreachable: a closed port; the build goes on at once.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let (_gh, _api, dir) = one_repo_site("");
    let toml = std::fs::read_to_string(dir.path().join("sparky.toml")).expect("read");
    let dead = toml.replace(&_gh.api_url(), &format!("http://127.0.0.1:{port}"));
    std::fs::write(dir.path().join("sparky.toml"), dead).expect("write");
    let f = facts(dir.path(), &[]).run().success().json();
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped");
    assert!(reason.contains("unreachable"), "{reason}");
    assert_git_facts(&f);
}

#[test]
fn quota_running_out_stops_before_a_wasted_request_and_page_cap_is_noted() {
    // Two requests left: the third is not sent, since the reset is an hour away.
    let (gh, _api, dir) = one_repo_site("");
    gh.with(|s| s.remaining = 2);
    let f = facts(dir.path(), &[]).run().success().json();
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped");
    assert!(reason.contains("rate limit"), "{reason}");
    assert_eq!(gh.log().len(), 2, "{:#?}", gh.log());

    // A listing longer than `max_pages` keeps what was read and says so.
    let (gh, _api, dir) = one_repo_site("max_pages = 1");
    gh.with(|s| s.page_size = 2);
    let f = facts(dir.path(), &[]).run().success().json();
    let (state, reason) = status(&f);
    assert_eq!(state, "partial");
    assert!(reason.contains("max_pages"), "{reason}");
    let notes = f["enrichment"]["github"]["notes"]
        .as_array()
        .expect("notes");
    assert_eq!(
        notes.len(),
        3,
        "issues, pull requests and releases: {notes:?}"
    );
    let g = &repo_named(&f, "api")["github"];
    assert_eq!(
        numbers(&g["pull_requests_opened"]),
        [10],
        "only the first page"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    // Accepts connections, reads nothing, answers nothing.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let api = api_repo();
    let repos = format!(
        "[[repos]]\npath = \"{}\"\nname = \"api\"\n",
        api.path().display()
    );
    let dir = site(
        &format!("http://127.0.0.1:{port}"),
        &repos,
        "discover = false\ntimeout_secs = 1",
    );
    let started = Instant::now();
    let f = facts(dir.path(), &[]).run().success().json();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let (state, reason) = status(&f);
    assert_eq!(state, "skipped");
    assert!(reason.contains("unreachable"), "{reason}");
    assert_git_facts(&f);
}

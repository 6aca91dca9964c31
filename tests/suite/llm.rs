//! LLM narrative end to end against a real HTTP server on 127.0.0.1 that speaks Ollama's API
//! (and the OpenAI-compatible one) with scripted behaviour. Each outcome is asserted on the page
//! `sparky build` writes: whose text it is, what its front matter records, what the footer
//! credits, and that the build never fails because of the model.

use std::path::Path;
use std::time::{Duration, Instant};

use sparky::render::escape::inline;
use sparky::render::frontmatter::{Scalar, Value, parse};

use crate::support::Sparky;
use crate::support::cli::Run;
use crate::support::llm::{Call, FakeLlm, Reply, Task, grounded};

const WEEK: &str = "blog/2025/11/week-2025-46.md";
/// The template summary of the demo's week 46 starts like this.
const TEMPLATE_SUMMARY: &str = "In week 46 of 2025 (10 November to 16 November 2025), 17 commits landed across 3 of 3 repositories";

fn page(cwd: &Path, rel: &str) -> String {
    std::fs::read_to_string(cwd.join("content").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `sparky build --window 2025-W46` on the demo with the model named on the command line.
fn build(cwd: &Path, server: &FakeLlm, extra: &[&str]) -> Run {
    let url = server.url();
    let mut args = vec![
        "build",
        "--window",
        "2025-W46",
        "--llm",
        "ollama",
        "--llm-url",
        &url,
        "--llm-model",
        "llama3.2",
    ];
    args.extend_from_slice(extra);
    Sparky::new(cwd, &args).run()
}

/// A config reading the demo repositories, with `llm` as its `[llm]` section body.
pub(crate) fn configure(cwd: &Path, server: &FakeLlm, llm: &str) {
    Sparky::new(cwd, &["build", "--dry-run"]).run().success();
    let repos: String = ["api", "infra", "web"]
        .iter()
        .map(|r| format!("[[repos]]\npath = \".sparky/demo/{r}.git\"\n\n"))
        .collect();
    let config = format!(
        "{repos}[output]\norg_name = \"acme (demo)\"\nsince = \"2025-10-20\"\n\n[llm]\nprovider = \"ollama\"\nbase_url = \"{}\"\n{llm}\n",
        server.url()
    );
    std::fs::write(cwd.join("sparky.toml"), config).expect("config");
}

/// The front matter's `key` as a list of strings.
fn list(page: &str, key: &str) -> Vec<String> {
    let (fm, _) = parse(page).expect("front matter parses");
    match fm.get(key) {
        Some(Value::List(items)) => items
            .iter()
            .map(|s| match s {
                Scalar::Str(s) => s.clone(),
                other => panic!("{key}: {other:?}"),
            })
            .collect(),
        other => panic!("{key}: {other:?}\n{page}"),
    }
}

fn scalar(page: &str, key: &str) -> Scalar {
    let (fm, _) = parse(page).expect("front matter parses");
    match fm.get(key) {
        Some(Value::Scalar(s)) => s.clone(),
        other => panic!("{key}: {other:?}"),
    }
}

fn section<'a>(sections: &'a [String], name: &str) -> &'a str {
    sections
        .iter()
        .find(|s| s.starts_with(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in {sections:?}"))
}

fn chats(server: &FakeLlm, task: fn(&Task) -> bool) -> Vec<Call> {
    server
        .calls()
        .into_iter()
        .filter(|c| task(&c.task()))
        .collect()
}

fn is_summary(t: &Task) -> bool {
    *t == Task::Summary
}

fn is_repo(t: &Task, name: &str) -> bool {
    matches!(t, Task::Repos(n) if n.first().is_some_and(|x| x == name))
}

/// A story answer of one sentence.
fn story(repo: &str, text: &str, refs: &[&str]) -> Reply {
    Reply::Text(
        serde_json::json!({ "sentences": [{ "repo": repo, "text": text, "refs": refs }] })
            .to_string(),
    )
}

#[test]
fn good_answers_are_used_checked_credited_and_cached() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| Reply::Text(grounded(c)));
    let run = build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    // The story leads the summary, citing its items; the template keeps the numbers.
    let lead = format!(
        "{} (v2.0.0)",
        inline("In api, work landed on release v2.0.0.")
    );
    assert!(text.contains(&lead), "{text}");
    assert!(text.contains(TEMPLATE_SUMMARY), "{text}");
    assert!(
        text.contains(&inline("Work landed on deploy api v2 behind a flag.")),
        "{text}"
    );
    assert_eq!(
        scalar(&text, "sparky_narrative"),
        Scalar::Str("llama3.2".into())
    );
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(sections.len(), 5, "{sections:?}");
    assert_eq!(
        section(&sections, "highlights"),
        "highlights: template (kept as facts)"
    );
    for s in sections.iter().filter(|s| !s.starts_with("highlights")) {
        assert!(
            s.contains(": llama3.2, ") && s.ends_with(" claims checked"),
            "{s}"
        );
    }
    let Scalar::Int(claims) = scalar(&text, "sparky_claims_checked") else {
        panic!("claims")
    };
    assert!(claims >= 6, "{claims}");
    assert!(
        text.contains(&format!(
            "the summary and the notes on api, infra and web were written by {} and checked against the facts ({claims} claims), the rest",
            inline("llama3.2")
        )),
        "{text}"
    );
    // Tags and show once, then one chat per section, with the configured options; each asks
    // for a JSON list of cited sentences over its own items only.
    let calls = server.calls();
    assert_eq!(calls.len(), 4);
    for c in &calls {
        let body = &c.body;
        assert_eq!(body["options"]["seed"], 42);
        assert_eq!(body["options"]["temperature"], 0.2);
        assert_eq!(body["options"]["num_predict"], 512);
        assert_eq!(body["format"]["required"][0], "sentences");
        let tokens: usize = c
            .messages()
            .iter()
            .map(|(_, m)| m.chars().count() / 3 + 8)
            .sum();
        assert!(tokens <= 2_000, "{tokens}");
    }
    let api = chats(&server, |t| is_repo(t, "api"));
    assert!(
        api[0].facts().contains("[v2.0.0] release v2.0.0"),
        "{}",
        api[0].facts()
    );
    assert!(!api[0].facts().contains("web-2025.11"), "only api's items");
    assert!(
        !api[0].facts().contains("Totals"),
        "no counts in the prompt"
    );
    assert_eq!(server.requests(), 6);
    assert!(
        run.stderr()
            .contains("narrative: 4 of 5 sections by llama3.2"),
        "{}",
        run.stderr()
    );

    // Same facts: zero requests, the same bytes, nothing rewritten.
    let run = build(cwd.path(), &server, &[]).success();
    assert_eq!(
        server.requests(),
        6,
        "a rebuild with unchanged facts asks nothing"
    );
    assert_eq!(page(cwd.path(), WEEK), text);
    assert!(
        run.stderr().contains("0 created, 0 changed"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("0 requests"), "{}", run.stderr());

    // --refresh-llm asks again; the same answers write the same bytes.
    build(cwd.path(), &server, &["--refresh-llm"]).success();
    assert_eq!(server.calls().len(), 8);
    assert_eq!(page(cwd.path(), WEEK), text);
}

#[test]
fn invented_numbers_are_named_in_a_retry_then_replaced_by_template_text() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary => story(
            "api",
            "api shipped 193 commits and release v2.0.0, up 40 %.",
            &["v2.0.0"],
        ),
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    assert!(text.contains(TEMPLATE_SUMMARY), "{text}");
    assert!(!text.contains("193"), "{text}");
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(
        section(&sections, "summary"),
        "summary: template (rejected)"
    );
    assert!(section(&sections, "repos/api").contains("llama3.2"));
    let summaries = chats(&server, is_summary);
    assert_eq!(summaries.len(), 2, "one retry (attempts = 2)");
    let retry = summaries[1].messages();
    assert_eq!(
        retry.len(),
        4,
        "system, task, the rejected answer, the retry"
    );
    let last = &retry[3].1;
    for named in ["\"193 commits\"", "\"40 %\"", "(in api)"] {
        assert!(last.contains(named), "the retry names {named}: {last}");
    }
    assert!(
        text.contains("the notes on api, infra and web were written by"),
        "the footer credits the model only for what it wrote: {text}"
    );
    assert!(
        text.contains("the rest is Sparky's template text"),
        "{text}"
    );
}

#[test]
fn a_figure_must_be_its_own_subjects() {
    // api has 8 commits this week; 17 is the organisation's count, not api's.
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary if !c.is_retry() => story(
            "api",
            "api landed 17 commits around release v2.0.0.",
            &["v2.0.0"],
        ),
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    assert!(!text.contains(&inline("api landed 17 commits")), "{text}");
    let sections = list(&text, "sparky_narrative_sections");
    assert!(
        section(&sections, "summary").starts_with("summary: llama3.2, "),
        "the corrected answer is used: {sections:?}"
    );
    let summaries = chats(&server, is_summary);
    assert_eq!(summaries.len(), 2);
    assert!(summaries[1].messages()[3].1.contains("\"17 commits\""));
}

#[test]
fn the_checked_sentences_of_a_mixed_answer_are_kept_after_the_retry() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| {
        match c.task() {
        t if is_repo(&t, "api") => Reply::Text(
            serde_json::json!({ "sentences": [
                { "repo": "api", "text": "The router now has v2 routes.", "refs": ["c975baf"] },
                { "repo": "api", "text": "Kubernetes support landed in the router.", "refs": ["c975baf"] },
            ] })
            .to_string(),
        ),
        _ => Reply::Text(grounded(c)),
    }
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    assert!(
        text.contains(&inline("The router now has v2 routes.")),
        "{text}"
    );
    assert!(!text.contains("Kubernetes"), "{text}");
    // The invented term was named in the retry; the second answer was no better, so the
    // checked sentence of the answers is what the page uses.
    let asked = chats(&server, |t| is_repo(t, "api"));
    assert_eq!(asked.len(), 2);
    assert!(
        asked[1].messages()[3].1.contains("\"kubernetes\""),
        "{}",
        asked[1].messages()[3].1
    );
    let sections = list(&text, "sparky_narrative_sections");
    assert!(
        section(&sections, "repos/api").contains("llama3.2"),
        "{sections:?}"
    );
}

#[test]
fn a_copied_title_is_sent_back() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        t if is_repo(&t, "api") => story("api", "feat(router): v2 routes", &["c975baf"]),
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(
        section(&sections, "repos/api"),
        "repos/api: template (rejected)"
    );
    let asked = chats(&server, |t| is_repo(t, "api"));
    assert!(
        asked[1].messages()[3].1.contains("copies an item's title"),
        "{}",
        asked[1].messages()[3].1
    );
}

#[test]
fn invented_terms_and_wrong_citations_are_rejected_per_section() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        // v2.0.0 is api's release, not web's.
        Task::Summary => story("web", "In web, release v2.0.0 shipped.", &["web-2025.11"]),
        t if is_repo(&t, "api") => story(
            "api",
            "Eve Adams shipped the payments service in release v9.9.9.",
            &["v2.0.0"],
        ),
        // The api v2 deploy is c0d96a0, not a release of api.
        t if is_repo(&t, "infra") => story("infra", "The deploy was tuned.", &["v2.0.0"]),
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    for invented in ["Eve Adams", "payments", "9\\.<!---->9", "shipped"] {
        assert!(!text.contains(invented), "{invented} reached the page");
    }
    let sections = list(&text, "sparky_narrative_sections");
    for s in ["summary", "repos/api", "repos/infra"] {
        assert_eq!(section(&sections, s), format!("{s}: template (rejected)"));
    }
    assert!(
        section(&sections, "repos/web").contains("llama3.2"),
        "{sections:?}"
    );
    let retry = |t: fn(&Task) -> bool| chats(&server, t)[1].messages()[3].1.clone();
    let summary = retry(is_summary);
    assert!(summary.contains("\"v2.0.0\""), "{summary}");
    let api = retry(|t| is_repo(t, "api"));
    for named in ["\"payments\" does not occur in api's texts", "\"v9.9.9\""] {
        assert!(api.contains(named), "{named}: {api}");
    }
    let infra = retry(|t| is_repo(t, "infra"));
    assert!(
        infra.contains("\"v2.0.0\" is not an item of infra"),
        "{infra}"
    );
}

#[test]
fn a_broken_or_cut_stream_falls_back_and_the_build_succeeds() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary => Reply::StreamError {
            partial: "Seventeen commits".into(),
            error: "an error was encountered while running the model: GPU lost".into(),
        },
        t if is_repo(&t, "web") => Reply::Cut("{\"sentences\": [{\"repo\": \"web".into()),
        _ => Reply::Text(grounded(c)),
    });
    let run = build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    assert!(text.contains(TEMPLATE_SUMMARY));
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(
        section(&sections, "summary"),
        "summary: template (broken stream)"
    );
    assert_eq!(
        section(&sections, "repos/web"),
        "repos/web: template (broken stream)"
    );
    assert!(section(&sections, "repos/api").contains("llama3.2"));
    // Each broken stream is retried twice (`http_retries = 2`).
    assert_eq!(chats(&server, is_summary).len(), 3);
    assert!(
        run.stderr().contains("narrative: 2 of 5 sections"),
        "{}",
        run.stderr()
    );
}

#[test]
fn slow_answers_time_out_and_non_streamed_answers_work() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary => Reply::Slow(Duration::from_secs(4), Box::new(Reply::Text(grounded(c)))),
        _ => Reply::Text(grounded(c)),
    });
    configure(
        cwd.path(),
        &server,
        "timeout_seconds = 1\nhttp_retries = 0\nstream = false",
    );
    let started = Instant::now();
    let run = Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .run()
        .success();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let text = page(cwd.path(), WEEK);
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(section(&sections, "summary"), "summary: template (timeout)");
    assert!(
        section(&sections, "repos/api").contains("llama3.2"),
        "{sections:?}"
    );
    assert!(server.calls().iter().all(|c| c.body["stream"] == false));
    let _ = run;
}

#[test]
fn a_missing_model_is_a_clear_warning_naming_ollama_pull() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::with(vec!["qwen2.5-coder:1.5b".into()], Duration::ZERO, |c| {
        Reply::Text(grounded(c))
    });
    let run = build(cwd.path(), &server, &[]).success();
    let err = run.stderr();
    assert!(
        err.contains("model `llama3.2` is not installed on the ollama server"),
        "{err}"
    );
    assert!(err.contains("hint: run `ollama pull llama3.2`"), "{err}");
    assert_eq!(server.calls().len(), 0, "no chat is attempted");
    assert_eq!(server.requests(), 1, "only the model list was asked for");
    let text = page(cwd.path(), WEEK);
    assert!(text.contains(TEMPLATE_SUMMARY));
    assert_eq!(
        scalar(&text, "sparky_narrative"),
        Scalar::Str("template".into())
    );
    for s in list(&text, "sparky_narrative_sections") {
        assert!(
            s.ends_with(": template (model unavailable)") || s.starts_with("highlights"),
            "{s}"
        );
    }
    assert!(text.contains("the prose is Sparky's template text."));

    // A model removed after the check: the chat's 404 stops requests as well.
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|_| {
        Reply::Error(
            404,
            "model 'llama3.2' not found, try pulling it first".into(),
        )
    });
    let run = build(cwd.path(), &server, &[]).success();
    assert!(
        run.stderr().contains("ollama pull llama3.2"),
        "{}",
        run.stderr()
    );
    // A missing model is not retried: one refusal per section already in flight (2 at once).
    assert!(server.calls().len() <= 2, "{}", server.calls().len());
}

#[test]
fn server_errors_are_retried_with_backoff_then_given_up() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| {
        if c.n < 2 {
            Reply::Error(500, "boom".into())
        } else {
            Reply::Text(grounded(c))
        }
    });
    configure(cwd.path(), &server, "max_in_flight = 1");
    Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .run()
        .success();
    let text = page(cwd.path(), WEEK);
    let sections = list(&text, "sparky_narrative_sections");
    assert!(
        sections.iter().filter(|s| s.contains("llama3.2")).count() == 4,
        "two 500s, then an answer: {sections:?}"
    );
    assert_eq!(server.calls().len(), 6);

    // A rate limit is retried after the pause the server asks for.
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| {
        if c.n == 0 {
            Reply::Error(429, "slow down".into())
        } else {
            Reply::Text(grounded(c))
        }
    });
    configure(cwd.path(), &server, "max_in_flight = 1");
    Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .run()
        .success();
    let calls = server.calls();
    let again = calls
        .iter()
        .find(|c| c.n > 0 && c.body["messages"] == calls[0].body["messages"])
        .expect("the refused request is sent again");
    assert!(
        again.at - calls[0].at >= Duration::from_millis(900),
        "Retry-After: 1 was honoured"
    );

    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|_| Reply::Error(503, "overloaded".into()));
    configure(cwd.path(), &server, "max_in_flight = 1");
    let run = Sparky::new(cwd.path(), &["build", "--window", "2025-W46"])
        .run()
        .success();
    let text = page(cwd.path(), WEEK);
    let sections = list(&text, "sparky_narrative_sections");
    assert!(
        sections.iter().all(|s| !s.contains("llama3.2")),
        "{sections:?}"
    );
    // Sections fail in a row (each after two retries): the breaker stops further requests.
    assert!(server.calls().len() <= 12, "{}", server.calls().len());
    assert!(
        run.stderr().contains("model requests stopped"),
        "{}",
        run.stderr()
    );
}

#[test]
fn malformed_answers_fall_back() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary => Reply::Raw("{\"message\": {\"content\": ".into()),
        t if is_repo(&t, "api") => Reply::Text("Sure! Here is what changed.".into()),
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let sections = list(&page(cwd.path(), WEEK), "sparky_narrative_sections");
    assert_eq!(
        section(&sections, "summary"),
        "summary: template (malformed answer)"
    );
    assert_eq!(
        section(&sections, "repos/api"),
        "repos/api: template (rejected)"
    );
    let retry = &chats(&server, |t| is_repo(t, "api"))[1].messages()[3].1;
    assert!(retry.contains("not the JSON asked for"), "{retry}");
}

#[test]
fn markup_in_answers_never_reaches_the_page_as_markup() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary => story(
            "api",
            "Big week! <script>alert('x')</script> See [[secret]] and #launch ==hi==\n\n## Injected\n---\ntitle: pwned",
            &["v2.0.0"],
        ),
        t if is_repo(&t, "infra") => story(
            "infra",
            "<img src=x onerror=alert(1)> [click](javascript:alert(1))",
            &["c0d96a0"],
        ),
        // Passes every check, but is full of characters Quartz would act on.
        t if is_repo(&t, "api") => story(
            "api",
            "Release v2.0.0 -> routes: 1. v2 routes, 2. storage, store-storage.",
            &["v2.0.0", "c975baf", "34f9790"],
        ),
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    for bad in [
        "<script",
        "[[secret",
        "#launch",
        "==hi",
        "## Injected",
        "title: pwned",
        "onerror",
        "javascript",
    ] {
        assert!(!text.contains(bad), "{bad} reached the page");
    }
    let sections = list(&text, "sparky_narrative_sections");
    for s in ["summary", "repos/infra"] {
        assert_eq!(section(&sections, s), format!("{s}: template (rejected)"));
    }
    assert!(
        section(&sections, "repos/api").contains("llama3.2"),
        "{sections:?}"
    );
    let sentence = inline("Release v2.0.0 -> routes: 1. v2 routes, 2. storage, store-storage.");
    assert!(text.contains(&sentence), "{text}");
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert!(
        headings.iter().all(|h| !h.contains("Injected")),
        "{headings:?}"
    );
    crate::pages_quartz::check_site(&cwd.path().join("content"), "llm markup");
}

#[test]
fn the_openai_compatible_provider_sends_the_key_only_in_its_header() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| {
        if c.authorization.as_deref() == Some("Bearer sk-test-sparky-0123456789") {
            Reply::Text(grounded(c))
        } else {
            Reply::Error(401, "invalid api key".into())
        }
    });
    let url = server.url();
    let args = [
        "build",
        "--window",
        "2025-W46",
        "--llm",
        "openai",
        "--llm-url",
        &url,
        "--llm-model",
        "local-model",
    ];
    let run = Sparky::new(cwd.path(), &args)
        .env("SPARKY_LLM_API_KEY", "sk-test-sparky-0123456789")
        .run()
        .success();
    let text = page(cwd.path(), WEEK);
    assert_eq!(
        scalar(&text, "sparky_narrative"),
        Scalar::Str("local-model".into())
    );
    assert!(
        server
            .calls()
            .iter()
            .all(|c| c.path == "/v1/chat/completions")
    );
    assert!(
        server.calls().iter().all(|c| c.body["stream"] == true),
        "SSE by default"
    );
    let everything = walkdir::WalkDir::new(cwd.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read(e.path()).unwrap_or_default());
    for bytes in everything {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("sk-test-sparky"),
            "the key was written"
        );
    }
    assert!(!run.stderr().contains("sk-test") && !run.stdout().contains("sk-test"));

    // Without the key the server refuses: no request after the first refusal (those already
    // in flight at once aside), a hint, template text, exit 0.
    let cwd = tempfile::tempdir().expect("cwd");
    let before = server.calls().len();
    let run = Sparky::new(cwd.path(), &args).run().success();
    let refused = server.calls().len() - before;
    assert!((1..=2).contains(&refused), "{refused}");
    assert!(
        run.stderr().contains("SPARKY_LLM_API_KEY"),
        "{}",
        run.stderr()
    );
    assert!(page(cwd.path(), WEEK).contains(TEMPLATE_SUMMARY));
}

#[test]
fn the_in_flight_limit_and_the_budget_bound_a_full_build() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::with(vec!["llama3.2".into()], Duration::from_millis(100), |c| {
        Reply::Text(grounded(c))
    });
    configure(cwd.path(), &server, "max_in_flight = 1");
    Sparky::new(cwd.path(), &["build", "--period", "week"])
        .env("SPARKY_NOW", "2025-11-20T00:00:00Z")
        .run()
        .success();
    assert_eq!(server.peak(), 1);
    assert!(server.calls().len() >= 9, "{}", server.calls().len());

    let cwd = tempfile::tempdir().expect("cwd");
    // Without a budget this build takes about 54 answers x 0.5 s / 3 in flight = 9 s.
    let server = FakeLlm::with(vec!["llama3.2".into()], Duration::from_millis(500), |c| {
        Reply::Text(grounded(c))
    });
    configure(cwd.path(), &server, "max_in_flight = 3\nbudget_seconds = 1");
    let started = Instant::now();
    let run = Sparky::new(cwd.path(), &["build"])
        .env("SPARKY_NOW", "2025-11-20T00:00:00Z")
        .run()
        .success();
    let took = started.elapsed();
    assert!(
        server.peak() <= 3 && server.peak() >= 2,
        "peak {}",
        server.peak()
    );
    assert!(
        took < Duration::from_secs(5),
        "the 1 s budget bounds the build: {took:?}"
    );
    let spent = walkdir::WalkDir::new(cwd.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| {
            std::fs::read_to_string(e.path())
                .unwrap_or_default()
                .contains("(budget spent)")
        })
        .count();
    assert!(spent > 0, "{}", run.stderr());
}

#[test]
fn llm_settings_are_strict_and_documented() {
    let cwd = tempfile::tempdir().expect("cwd");
    let dc = sparky::config::DEFAULT_CONFIG;
    for key in [
        "[llm]",
        "provider =",
        "base_url =",
        "model =",
        "api_key_env =",
        "stream =",
        "budget_seconds =",
        "max_in_flight =",
        "timeout_seconds =",
        "connect_timeout_seconds =",
        "http_retries =",
        "attempts =",
        "keep_alive =",
        "[llm.options]",
        "temperature =",
        "seed =",
        "num_ctx =",
        "num_predict =",
    ] {
        assert!(dc.contains(key), "default config lacks `{key}`");
    }
    for (toml, needle) in [
        ("[llm]\nprovider = \"olama\"\n", "provider"),
        ("[llm]\nmodle = \"x\"\n", "model"),
        ("[llm]\nbase_url = \"localhost:11434\"\n", "base_url"),
        ("[llm.options]\ntemperature = 5.0\n", "temperature"),
        ("[llm]\nmax_in_flight = 0\n", "max_in_flight"),
        ("[llm]\napi_key_env = \"sk-live-123\"\n", "api_key_env"),
    ] {
        std::fs::write(cwd.path().join("sparky.toml"), toml).expect("write");
        let run = Sparky::new(cwd.path(), &["build", "--dry-run"])
            .run()
            .expect_code(2);
        assert!(run.stderr().contains(needle), "{toml}: {}", run.stderr());
        assert!(
            !run.stderr().contains("sk-live-123"),
            "a pasted key is never echoed"
        );
    }
    std::fs::remove_file(cwd.path().join("sparky.toml")).expect("rm");
    let run = Sparky::new(
        cwd.path(),
        &["build", "--llm", "ollama", "--llm-url", "localhost"],
    )
    .run()
    .expect_code(2);
    assert!(
        run.stderr().contains("--llm-url") && run.stderr().contains("hint:"),
        "{}",
        run.stderr()
    );
}

#[test]
fn llm_none_on_the_command_line_overrides_the_config() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| Reply::Text(grounded(c)));
    configure(cwd.path(), &server, "");
    Sparky::new(
        cwd.path(),
        &["build", "--window", "2025-W46", "--llm", "none"],
    )
    .run()
    .success();
    assert_eq!(server.requests(), 0);
    let text = page(cwd.path(), WEEK);
    assert!(!text.contains("sparky_narrative_sections"), "{text}");
    assert!(text.contains("sparky_narrative: \"template\""));
}

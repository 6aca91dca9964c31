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
fn configure(cwd: &Path, server: &FakeLlm, llm: &str) {
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

#[test]
fn good_answers_are_used_checked_credited_and_cached() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| Reply::Text(grounded(c)));
    let run = build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    assert!(
        text.contains(&inline(
            "What a stretch for the team: 17 commits landed. Carol Diaz led the way."
        )),
        "{text}"
    );
    assert!(text.contains(&format!("- {}", inline("Good news: api tagged v2.0.0."))));
    assert!(
        text.contains(&inline("In web, 10 commits from 3 people")),
        "{text}"
    );
    assert_eq!(
        scalar(&text, "sparky_narrative"),
        Scalar::Str("llama3.2".into())
    );
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(sections.len(), 5, "{sections:?}");
    for s in &sections {
        assert!(
            s.contains(": llama3.2, ") && s.ends_with(" claims checked"),
            "{s}"
        );
    }
    assert!(
        section(&sections, "summary").contains(", 2 claims checked"),
        "{sections:?}"
    );
    let Scalar::Int(claims) = scalar(&text, "sparky_claims_checked") else {
        panic!("claims")
    };
    assert!(claims > 10, "{claims}");
    assert!(
        text.contains(&format!(
            "the summary, the highlights and the notes on api, infra and web were written by {} and checked against the facts ({claims} claims).",
            inline("llama3.2")
        )),
        "{text}"
    );
    // Tags and show once, then one chat per section, with the configured options.
    let calls = server.calls();
    assert_eq!(calls.len(), 3);
    let first = &calls[0].body;
    assert_eq!(first["options"]["seed"], 42);
    assert_eq!(first["options"]["temperature"], 0.2);
    assert_eq!(first["options"]["num_ctx"], 8192);
    assert_eq!(first["options"]["num_predict"], 512);
    assert_eq!(first["keep_alive"], "5m");
    assert!(first.get("format").is_none(), "the summary is plain text");
    assert_eq!(calls[1].body["format"]["required"][0], "highlights");
    assert!(
        calls[0].facts().contains("Totals: 17 commits"),
        "the prompt states the facts"
    );
    assert_eq!(server.requests(), 5);
    assert!(
        run.stderr()
            .contains("narrative: 5 of 5 sections by llama3.2"),
        "{}",
        run.stderr()
    );

    // Same facts: zero requests, the same bytes, nothing rewritten.
    let run = build(cwd.path(), &server, &[]).success();
    assert_eq!(
        server.requests(),
        5,
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
    assert_eq!(server.calls().len(), 6);
    assert_eq!(page(cwd.path(), WEEK), text);
}

#[test]
fn invented_numbers_are_named_in_a_retry_then_replaced_by_template_text() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary => Reply::Text("A record week: 193 commits from 12 people, up 40 %.".into()),
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
    assert!(section(&sections, "highlights").contains("llama3.2"));
    let summaries = chats(&server, is_summary);
    assert_eq!(summaries.len(), 2, "one retry (attempts = 2)");
    let retry = summaries[1].messages();
    assert_eq!(
        retry.len(),
        4,
        "system, task, the rejected answer, the retry"
    );
    let last = &retry[3].1;
    for named in [
        "\"193 commits\"",
        "\"12 people\"",
        "\"40 %\"",
        "not in the facts",
    ] {
        assert!(last.contains(named), "the retry names {named}: {last}");
    }
    assert!(
        text.contains("the highlights and the notes on api, infra and web were written by"),
        "the footer credits the model only for what it wrote: {text}"
    );
    assert!(
        text.contains("the rest is Sparky's template text"),
        "{text}"
    );
}

#[test]
fn a_corrected_answer_is_used() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary if !c.is_retry() => Reply::Text("Around 300 commits landed.".into()),
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    assert!(
        text.contains(&inline("What a stretch for the team: 17 commits landed.")),
        "{text}"
    );
    let sections = list(&text, "sparky_narrative_sections");
    assert!(
        section(&sections, "summary").starts_with("summary: llama3.2, "),
        "{sections:?}"
    );
    assert_eq!(chats(&server, is_summary).len(), 2);
}

#[test]
fn invented_names_and_references_are_rejected_per_section() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| match c.task() {
        Task::Summary => Reply::Text("Bob Smith merged PR #999 and closed issue #4.".into()),
        Task::Repos(_) => {
            let good: serde_json::Value = serde_json::from_str(&grounded(c)).expect("json");
            let mut v = good.clone();
            v["api"] = "In api, Eve Adams shipped v9.9.9 in the payments repository.".into();
            // Dave Okafor is in the prompt's facts, but never committed to infra.
            v["infra"] = "In infra, Dave Okafor tuned the deploy.".into();
            Reply::Text(v.to_string())
        }
        _ => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    for invented in ["Bob Smith", "999", "Eve Adams", "9\\.<!---->9", "payments"] {
        assert!(!text.contains(invented), "{invented} reached the page");
    }
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(
        section(&sections, "summary"),
        "summary: template (rejected)"
    );
    assert_eq!(
        section(&sections, "repos/api"),
        "repos/api: template (rejected)"
    );
    assert_eq!(
        section(&sections, "repos/infra"),
        "repos/infra: template (rejected)"
    );
    assert!(
        section(&sections, "repos/web").contains("llama3.2"),
        "{sections:?}"
    );
    let repo_calls = chats(&server, |t| matches!(t, Task::Repos(_)));
    let retry = &repo_calls[1].messages()[3].1;
    for named in ["api: \"Eve Adams\"", "\"v9.9.9\"", "\"payments\""] {
        assert!(retry.contains(named), "{named}: {retry}");
    }
    assert!(
        !retry.contains("web:"),
        "accepted sentences are not asked about again"
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
        Task::Highlights(_) => Reply::Cut("{\"highlights\": [\"Good".into()),
        Task::Repos(_) => Reply::Text(grounded(c)),
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
        section(&sections, "highlights"),
        "highlights: template (broken stream)"
    );
    assert!(section(&sections, "repos/api").contains("llama3.2"));
    // Each broken stream is retried twice (`http_retries = 2`).
    assert_eq!(chats(&server, is_summary).len(), 3);
    assert!(
        run.stderr().contains("narrative: 3 of 5 sections"),
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
        section(&sections, "highlights").contains("llama3.2"),
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
        assert!(s.ends_with(": template (model unavailable)"), "{s}");
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
    assert_eq!(server.calls().len(), 1, "a missing model is not retried");
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
    build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    assert!(section(&list(&text, "sparky_narrative_sections"), "summary").contains("llama3.2"));
    assert_eq!(
        chats(&server, is_summary).len(),
        3,
        "two 500s, then an answer"
    );

    // A rate limit is retried after the pause the server asks for.
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| {
        if c.n == 0 {
            Reply::Error(429, "slow down".into())
        } else {
            Reply::Text(grounded(c))
        }
    });
    build(cwd.path(), &server, &[]).success();
    let calls = server.calls();
    assert!(
        calls[1].at - calls[0].at >= Duration::from_millis(900),
        "Retry-After: 1 was honoured"
    );
    assert!(
        section(
            &list(&page(cwd.path(), WEEK), "sparky_narrative_sections"),
            "summary"
        )
        .contains("llama3.2")
    );

    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|_| Reply::Error(503, "overloaded".into()));
    let run = build(cwd.path(), &server, &[]).success();
    let text = page(cwd.path(), WEEK);
    let sections = list(&text, "sparky_narrative_sections");
    assert_eq!(
        section(&sections, "summary"),
        "summary: template (server error)"
    );
    // Three sections fail in a row (each after two retries): the breaker stops further requests.
    assert_eq!(server.calls().len(), 9);
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
        Task::Highlights(_) => Reply::Text("Sure! Here are the highlights.".into()),
        Task::Repos(_) => Reply::Text(grounded(c)),
    });
    build(cwd.path(), &server, &[]).success();
    let sections = list(&page(cwd.path(), WEEK), "sparky_narrative_sections");
    assert_eq!(
        section(&sections, "summary"),
        "summary: template (malformed answer)"
    );
    assert_eq!(
        section(&sections, "highlights"),
        "highlights: template (rejected)"
    );
    let retry = &chats(&server, |t| matches!(t, Task::Highlights(_)))[1].messages()[3].1;
    assert!(retry.contains("not the JSON asked for"), "{retry}");
}

#[test]
fn markup_in_answers_never_reaches_the_page_as_markup() {
    let cwd = tempfile::tempdir().expect("cwd");
    let server = FakeLlm::start(|c| {
        match c.task() {
        Task::Summary => Reply::Text(
            "Big week! <script>alert('x')</script> See [[secret]] and #launch ==hi==\n\n## Injected\n---\ntitle: pwned"
                .into(),
        ),
        Task::Highlights(n) => {
            let items: Vec<String> = (0..n)
                .map(|_| "<img src=x onerror=alert(1)> [click](javascript:alert(1))".to_string())
                .collect();
            Reply::Text(serde_json::json!({ "highlights": items }).to_string())
        }
        Task::Repos(names) => {
            let mut v = serde_json::Map::new();
            for n in names {
                // Passes every check, but is full of characters Quartz would act on.
                v.insert(n.clone(), format!("Work in {n} moved -> forward: 1. steady, 2. calm, a-b.").into());
            }
            Reply::Text(serde_json::Value::Object(v).to_string())
        }
    }
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
    assert_eq!(
        section(&sections, "summary"),
        "summary: template (rejected)"
    );
    assert_eq!(
        section(&sections, "highlights"),
        "highlights: template (rejected)"
    );
    assert!(
        section(&sections, "repos/api").contains("llama3.2"),
        "{sections:?}"
    );
    let sentence = inline("Work in api moved -> forward: 1. steady, 2. calm, a-b.");
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

    // Without the key the server refuses: one request, a hint, template text, exit 0.
    let cwd = tempfile::tempdir().expect("cwd");
    let before = server.calls().len();
    let run = Sparky::new(cwd.path(), &args).run().success();
    assert_eq!(server.calls().len(), before + 1);
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

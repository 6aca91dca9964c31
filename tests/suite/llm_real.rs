//! The real model's answers, replayed: `bench/real_llm.sh` recorded what Qwen2.5-Coder 1.5B
//! answered to Sparky's actual requests (request hash → answer, in `fixtures/llm/real/`) for
//! the demo's busiest week and for the busy fixture organisation's (10 repositories, shared
//! history, dozens of releases). Here the fake server answers each request with the recorded
//! answer, so the checker is tested on real model output: the build must send exactly the
//! recorded requests (retries included), reach the recorded verdict per section, and keep the
//! real model's mistakes off the page.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};

use sparky::render::escape::inline;

use crate::support::Sparky;
use crate::support::llm::{Call, FakeLlm, Reply};

const MODEL: &str = "qwen2.5-coder:1.5b";

/// A recorded run: which organisation, which week, and the recording's file stem.
struct Case {
    busy: bool,
    window: &'static str,
    stem: &'static str,
}

const DEMO: Case = Case {
    busy: false,
    window: "2025-W44",
    stem: "2025-W44",
};
const BUSY: Case = Case {
    busy: true,
    window: "2025-W46",
    stem: "2025-W46-busy",
};

#[derive(serde::Deserialize, Clone)]
struct Recorded {
    section: String,
    content: String,
    retry: bool,
    /// Prompt tokens as the real model's tokenizer counted them.
    prompt_tokens: u64,
}

fn fixture(case: &Case, ext: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/llm/real")
        .join(format!("{}.{ext}", case.stem));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
/// The key `bench/llm_record.py` records by.
fn key(call: &Call) -> String {
    let joined: Vec<String> = call
        .messages()
        .iter()
        .map(|(role, content)| format!("{role}\n{content}"))
        .collect();
    Sha256::digest(joined.join("\0").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The organisation built for the recorded week, answered from the recording: the temporary
/// folder, the server, the week's page and the recording.
fn replay(
    case: &Case,
) -> (
    tempfile::TempDir,
    FakeLlm,
    String,
    BTreeMap<String, Recorded>,
) {
    let recorded: BTreeMap<String, Recorded> =
        serde_json::from_str(&fixture(case, "json")).expect("recorded answers");
    let answers = recorded.clone();
    let server = FakeLlm::with(vec![MODEL.into()], Duration::ZERO, move |c| {
        match answers.get(&key(c)) {
            Some(r) => Reply::Text(r.content.clone()),
            None => Reply::Error(500, "not recorded".into()),
        }
    });
    let llm = format!("model = \"{MODEL}\"\nstream = false\nmax_in_flight = 2");
    let cwd = if case.busy {
        let dir = crate::scenarios::build("busy-org");
        let config = dir.path().join("sparky.toml");
        let mut text = std::fs::read_to_string(&config).expect("config");
        text.push_str(&format!(
            "\n[llm]\nprovider = \"ollama\"\nbase_url = \"{}\"\n{llm}\n",
            server.url()
        ));
        std::fs::write(&config, text).expect("config");
        dir
    } else {
        let dir = tempfile::tempdir().expect("cwd");
        crate::llm::configure(dir.path(), &server, &llm);
        dir
    };
    let mut run = Sparky::new(cwd.path(), &["build", "--window", case.window]);
    if case.busy {
        run = run.env("SPARKY_NOW", "2025-12-02T12:00:00Z");
    }
    run.run().success();
    let page = walkdir::WalkDir::new(cwd.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .find(|t| t.contains(&format!("sparky_period: \"{}\"", case.window)))
        .expect("the week's page");
    (cwd, server, page, recorded)
}

/// Replays `case` and checks what every replay must hold: exactly the recorded requests, the
/// recorded verdict per section. Returns the page and each retry's section and message.
fn verdicts(case: &Case) -> (String, Vec<(String, String)>) {
    let (_cwd, server, page, recorded) = replay(case);
    for c in server.calls() {
        assert!(
            recorded.contains_key(&key(&c)),
            "a request that was not recorded: {}",
            c.task_text()
        );
    }
    assert_eq!(
        server.calls().len(),
        recorded.len(),
        "every recorded answer is asked for"
    );
    for line in fixture(case, "sections").lines() {
        assert!(page.contains(&format!("  - \"{line}\"")), "{line}\n{page}");
    }
    let retries = server
        .calls()
        .iter()
        .filter(|c| c.is_retry())
        .map(|c| (recorded[&key(c)].section.clone(), c.messages()[3].1.clone()))
        .collect::<Vec<_>>();
    assert_eq!(
        retries.len(),
        recorded.values().filter(|r| r.retry).count(),
        "the retries recorded are the retries sent"
    );
    (page, retries)
}

/// Whether a retry of `section` named `claim` (quoted).
fn named(retries: &[(String, String)], section: &str, claim: &str) -> bool {
    retries
        .iter()
        .any(|(s, m)| s == section && m.contains(&format!("\"{claim}\"")))
}

#[test]
fn the_demos_busiest_week_replays_with_its_real_mistakes_kept_off_the_page() {
    let (page, retries) = verdicts(&DEMO);
    // The model's opening, citing its items: every repository's top work, by name.
    for told in [
        "Added request volume chart and latency percentiles charts.",
        "Added canary stage before full rollout.",
        "Refactored startup into config and listen.",
    ] {
        assert!(page.contains(&inline(told)), "{told}\n{page}");
    }
    // It gave web a commit's title as a sentence; the retry said so, and the title is not used.
    assert!(
        named(&retries, "repos/web", "Stream chunked responses."),
        "{retries:?}"
    );
    assert!(
        !page.contains(&inline("Stream chunked responses.")),
        "{page}"
    );
}

#[test]
fn the_busy_organisations_busiest_week_replays_with_its_real_mistakes_kept_off_the_page() {
    let (page, retries) = verdicts(&BUSY);
    // It cited the wrong commit for the watch subcommand and invented "rejection" and "command".
    assert!(named(&retries, "repos/cli", "subcommand"), "{retries:?}");
    assert!(named(&retries, "repos/cli", "rejection"), "{retries:?}");
    assert!(named(&retries, "summary", "command"), "{retries:?}");
    for invented in ["rejection", "clap command", "terminals command"] {
        assert!(!page.contains(invented), "{invented} reached the page");
    }
    assert!(page.contains(&inline("Added v0.7.0 release.")), "{page}");
    // Repositories sharing their history with a busier one are not asked for a story.
    for shared in ["ratatui-testlib", "term-test"] {
        assert!(
            page.contains(&format!(
                "  - \"repos/{shared}: template (not among the busiest)\""
            )),
            "{page}"
        );
    }
}

#[test]
fn every_recorded_prompt_fits_the_token_cap() {
    for case in [&DEMO, &BUSY] {
        let recorded: BTreeMap<String, Recorded> =
            serde_json::from_str(&fixture(case, "json")).expect("recorded answers");
        for r in recorded.values() {
            assert!(
                r.prompt_tokens <= 2_000,
                "{}: {} {}",
                case.stem,
                r.section,
                r.prompt_tokens
            );
        }
    }
}

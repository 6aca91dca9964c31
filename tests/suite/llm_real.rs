//! The real model's answers, replayed: `bench/real_llm.sh` recorded what Qwen2.5-Coder 1.5B
//! answered to Sparky's actual requests for the demo's busiest week (request hash → answer, in
//! `fixtures/llm/real/`). Here the fake server answers each request with the recorded answer,
//! so the checker is tested on real model output: the build must send exactly the recorded
//! requests (retries included), reach the recorded verdict per section, and keep the real
//! model's mistakes off the page.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};

use sparky::render::escape::inline;

use crate::support::Sparky;
use crate::support::llm::{Call, FakeLlm, Reply};

const WINDOW: &str = "2025-W44";
const MODEL: &str = "qwen2.5-coder:1.5b";

#[derive(serde::Deserialize, Clone)]
struct Recorded {
    section: String,
    content: String,
    retry: bool,
}

fn fixture(ext: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/llm/real")
        .join(format!("{WINDOW}.{ext}"));
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

/// The demo built for the recorded week, answered from the recording.
fn replay() -> (
    tempfile::TempDir,
    FakeLlm,
    String,
    BTreeMap<String, Recorded>,
) {
    let recorded: BTreeMap<String, Recorded> =
        serde_json::from_str(&fixture("json")).expect("recorded answers");
    let answers = recorded.clone();
    let server = FakeLlm::with(vec![MODEL.into()], Duration::ZERO, move |c| {
        match answers.get(&key(c)) {
            Some(r) => Reply::Text(r.content.clone()),
            None => Reply::Error(500, "not recorded".into()),
        }
    });
    let cwd = tempfile::tempdir().expect("cwd");
    crate::llm::configure(
        cwd.path(),
        &server,
        &format!("model = \"{MODEL}\"\nstream = false\nmax_in_flight = 2"),
    );
    Sparky::new(cwd.path(), &["build", "--window", WINDOW])
        .run()
        .success();
    let page = walkdir::WalkDir::new(cwd.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .find(|t| t.contains(&format!("sparky_period: \"{WINDOW}\"")))
        .expect("the week's page");
    (cwd, server, page, recorded)
}

#[test]
fn the_real_models_answers_replay_to_the_recorded_verdicts() {
    let (_cwd, server, page, recorded) = replay();
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
    for line in fixture("sections").lines() {
        assert!(page.contains(&format!("  - \"{line}\"")), "{line}\n{page}");
    }
    // Each retry Sparky sent names the real model's mistake of the answer before it.
    let retries: Vec<(String, String)> = server
        .calls()
        .iter()
        .filter(|c| c.is_retry())
        .map(|c| (recorded[&key(c)].section.clone(), c.messages()[3].1.clone()))
        .collect();
    let named = |section: &str, claim: &str| {
        retries
            .iter()
            .any(|(s, m)| s == section && m.contains(&format!("\"{claim}\"")))
    };
    // It cited iterations 7.13 and 7.16 for "iteration 7.09, 7.13, 7.16" (7.09 is another
    // commit); corrected on the retry, which is used.
    assert!(named("summary", "7.09"), "{retries:?}");
    // It gave web an iteration from a commit it did not cite, then invented one (9.14).
    assert!(named("repos/web", "9.16"), "{retries:?}");
    for invented in ["9.14", "9.16"] {
        assert!(
            !page.contains(&inline(invented)),
            "{invented} reached the page"
        );
    }
    // It filled the list with "…" for a repository of one commit.
    assert!(named("repos/infra", "…"), "{retries:?}");
    assert!(
        page.contains(&inline("feat(api): endpoint batch 15")),
        "{page}"
    );
    assert!(recorded.values().any(|r| r.retry));
}

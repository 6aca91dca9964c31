//! A fake Ollama / OpenAI-compatible server for `bench/llm.sh`: answers every chat with a
//! grounded text after a fixed latency, and reports its counters at `GET /stats`.
//!
//! `fake-llm [--port N] [--latency-ms N] [--model NAME]`; prints its base URL on stdout.

#[path = "../tests/suite/support/llm.rs"]
mod llm;

use std::io::Write;
use std::time::Duration;

fn main() {
    let mut port = 0u16;
    let mut latency = 0u64;
    let mut model = "llama3.2".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--port" => port = value.parse().unwrap_or(0),
            "--latency-ms" => latency = value.parse().unwrap_or(0),
            "--model" => model = value,
            other => {
                eprintln!("unknown flag {other}");
                std::process::exit(2);
            }
        }
    }
    let server = llm::FakeLlm::bind(
        &format!("127.0.0.1:{port}"),
        vec![model],
        Duration::from_millis(latency),
        |c| llm::Reply::Text(llm::grounded(c)),
    );
    println!("{}", server.url());
    let _ = std::io::stdout().flush();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

//! The `sparky` binary: parse arguments, set up logging, run a command, map the outcome to an
//! exit code. All the work lives in the library.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use sparky::cli::Cli;
use sparky::exit::Exit;

// mimalloc: warm runs spend much of their time allocating the cached records; with glibc's
// allocator `sparky facts` over 20,000 commits took 1.2-1.4x as long warm and 1.2x cold, for
// a lower peak (bench/facts.sh; README, Performance).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Failure
            } else {
                Exit::Success
            };
            let _ = e.print();
            return code.into();
        }
    };
    sparky::logging::init(cli.verbose, cli.quiet);
    match sparky::cmd::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return Exit::Success.into();
            }
            report(&err);
            Exit::Failure.into()
        }
    }
}

/// `error: …`, one `caused by: …` per source, then a `hint:` where the user can act.
fn report(err: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {err}");
    for cause in err.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {cause}");
    }
    if let Some(hint) = sparky::cmd::hint(err) {
        let _ = writeln!(stderr, "hint: {hint}");
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

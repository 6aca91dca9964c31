//! Logging: `tracing` to stderr, filtered by `-v`/`-q` or `SPARKY_LOG`. Stdout is data only.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls do nothing.
pub fn init(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        // A terminal shows warnings, progress and the summary line; `-v` adds what each
        // stage did, `-vv` its timings, `-vvv` everything.
        (false, 0) => "warn",
        (false, 1) => "warn,sparky=info",
        (false, 2) => "info,sparky=debug",
        (false, _) => "debug,sparky=trace",
    };
    let filter = EnvFilter::try_from_env("SPARKY_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_ansi(
            std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        )
        .try_init();
}

//! Exit codes: what the shell and CI learn from how a run ended.

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Success = 0,
    /// Some repositories failed; the rest were processed and their output is complete.
    /// For `sparky check`: the check ran and found problems.
    Partial = 1,
    /// Nothing useful was done: bad config, bad usage, or a fatal I/O error.
    Failure = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

//! One writer at a time: an advisory lock on a file per cache folder and per content folder,
//! held by `build`, `mirror` and `publish` for the whole run. The operating system releases it
//! when the process ends, however it ends, so a killed run never leaves a stale lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a second run waits for the first by default; `SPARKY_LOCK_TIMEOUT` (seconds)
/// changes it.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    pub path: PathBuf,
}

/// Another run held the lock for longer than the wait allowed, or the lock file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another sparky run is using {what} (lock `{}`); gave up after {}s", path.display(), waited.as_secs())]
    Busy {
        what: String,
        path: PathBuf,
        waited: Duration,
    },
    #[error("cannot lock `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl LockError {
    pub fn hint(&self) -> Option<String> {
        match self {
            LockError::Busy { .. } => Some(
                "wait for the other run to finish (a lock ends with its process), or raise SPARKY_LOCK_TIMEOUT (seconds)".into(),
            ),
            LockError::Io { .. } => None,
        }
    }
}

/// How long to wait: `SPARKY_LOCK_TIMEOUT` seconds, else [`DEFAULT_WAIT`].
pub fn wait_from_env() -> Duration {
    std::env::var("SPARKY_LOCK_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(DEFAULT_WAIT, Duration::from_secs)
}

/// Takes the lock at `path` (creating the file), waiting up to `wait` for another run to
/// release it and saying once that it waits. `what` names the folder in messages.
pub fn acquire(path: &Path, what: &str, wait: Duration, quiet: bool) -> Result<Lock, LockError> {
    let io = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io)?;
    let started = Instant::now();
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {
                if started.elapsed() >= wait {
                    return Err(LockError::Busy {
                        what: what.to_string(),
                        path: path.to_path_buf(),
                        waited: started.elapsed(),
                    });
                }
                if !said && !quiet {
                    eprintln!(
                        "waiting for another sparky run to finish with {what} (up to {}s)",
                        wait.as_secs()
                    );
                    said = true;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
    }
    // The file stays empty: it only carries the lock, so it never changes between runs.
    Ok(Lock {
        _file: file,
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_gives_up() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.lock");
        let first = acquire(&path, "the cache folder", Duration::ZERO, true).expect("first");
        let err = acquire(&path, "the cache folder", Duration::from_millis(150), true)
            .expect_err("second must not get it");
        assert!(matches!(err, LockError::Busy { .. }), "{err}");
        assert!(err.to_string().contains("x.lock"), "{err}");
        drop(first);
        acquire(&path, "the cache folder", Duration::ZERO, true).expect("free again");
    }
}

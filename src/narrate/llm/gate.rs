//! The gate every model request passes: the build's time budget, the in-flight limit, and a
//! breaker that stops asking after a fatal error or repeated failures. Also counts requests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::error::LlmError;

/// Consecutive failed requests after which no more are sent in this build.
const FAILURES_TO_TRIP: u64 = 3;

/// Shared by every thread rendering pages.
pub(super) struct Gate {
    deadline: Instant,
    budget: Duration,
    max: usize,
    in_flight: Mutex<usize>,
    freed: Condvar,
    /// Why requests stopped, once they have.
    tripped: Mutex<Option<String>>,
    failures: AtomicU64,
    pub requests: AtomicU64,
    pub cache_hits: AtomicU64,
}

/// One request slot, released on drop.
pub(super) struct Permit<'a> {
    gate: &'a Gate,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Ok(mut n) = self.gate.in_flight.lock() {
            *n = n.saturating_sub(1);
        }
        self.gate.freed.notify_one();
    }
}

impl Gate {
    /// A gate whose budget starts now.
    pub fn new(budget: Duration, max_in_flight: usize) -> Gate {
        Gate {
            deadline: Instant::now() + budget,
            budget,
            max: max_in_flight.max(1),
            in_flight: Mutex::new(0),
            freed: Condvar::new(),
            tripped: Mutex::new(None),
            failures: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            cache_hits: AtomicU64::new(0),
        }
    }

    /// Time left in the budget.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    fn spent(&self) -> LlmError {
        LlmError::Budget {
            seconds: self.budget.as_secs(),
        }
    }

    /// Stops or budget exhaustion, checked before any work on a request.
    pub fn check(&self) -> Result<(), LlmError> {
        if let Some(reason) = self.tripped.lock().ok().and_then(|t| t.clone()) {
            return Err(LlmError::Disabled { reason });
        }
        if self.remaining().is_zero() {
            return Err(self.spent());
        }
        Ok(())
    }

    /// Waits for a free slot, at most until the budget runs out.
    pub fn acquire(&self) -> Result<Permit<'_>, LlmError> {
        self.check()?;
        let mut n = self.in_flight.lock().map_err(|_| LlmError::Disabled {
            reason: "internal lock poisoned".into(),
        })?;
        while *n >= self.max {
            let left = self.remaining();
            if left.is_zero() {
                return Err(self.spent());
            }
            n = match self.freed.wait_timeout(n, left) {
                Ok((guard, _)) => guard,
                Err(_) => {
                    return Err(LlmError::Disabled {
                        reason: "internal lock poisoned".into(),
                    });
                }
            };
        }
        *n += 1;
        drop(n);
        self.check().inspect_err(|_| self.release_now())?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        Ok(Permit { gate: self })
    }

    fn release_now(&self) {
        if let Ok(mut n) = self.in_flight.lock() {
            *n = n.saturating_sub(1);
        }
        self.freed.notify_one();
    }

    /// Sleeps for `pause` unless that would pass the deadline (then fails at once).
    pub fn pause(&self, pause: Duration) -> Result<(), LlmError> {
        if pause >= self.remaining() {
            return Err(self.spent());
        }
        std::thread::sleep(pause);
        Ok(())
    }

    /// Records how a request ended; trips the breaker after a fatal error or a run of failures.
    pub fn record(&self, outcome: &Result<(), &LlmError>) {
        match outcome {
            Ok(()) => {
                self.failures.store(0, Ordering::Relaxed);
            }
            Err(LlmError::Budget { .. } | LlmError::Disabled { .. }) => {}
            Err(e) => {
                let failures = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
                if e.is_fatal() || failures >= FAILURES_TO_TRIP {
                    self.trip(e);
                }
            }
        }
    }

    /// Stops all further requests because of `e` (the first reason wins).
    pub fn trip(&self, e: &LlmError) {
        if let Ok(mut t) = self.tripped.lock()
            && t.is_none()
        {
            *t = Some(e.to_string());
        }
    }

    pub fn tripped(&self) -> Option<String> {
        self.tripped.lock().ok().and_then(|t| t.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn at_most_max_requests_are_in_flight() {
        let gate = Arc::new(Gate::new(Duration::from_secs(30), 2));
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..6 {
                let (gate, now, peak) = (gate.clone(), now.clone(), peak.clone());
                s.spawn(move || {
                    let _p = gate.acquire().expect("slot");
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    now.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert_eq!(gate.requests.load(Ordering::SeqCst), 6);
    }

    #[test]
    fn a_spent_budget_and_a_tripped_breaker_refuse_requests() {
        let gate = Gate::new(Duration::from_millis(0), 1);
        assert!(matches!(gate.acquire(), Err(LlmError::Budget { .. })));
        let gate = Gate::new(Duration::from_secs(30), 1);
        let e = LlmError::Timeout { seconds: 1 };
        for _ in 0..FAILURES_TO_TRIP {
            assert!(gate.check().is_ok());
            gate.record(&Err(&e));
        }
        assert!(matches!(gate.acquire(), Err(LlmError::Disabled { .. })));
        assert!(gate.pause(Duration::from_secs(60)).is_err());
    }
}

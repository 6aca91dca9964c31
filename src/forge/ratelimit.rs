//! Rate limits: GitHub's limit headers, how long a refused request must wait, and the run's
//! budget of waiting (never more than `[github] max_wait_secs` in total).

use std::time::Duration;

use reqwest::header::HeaderMap;

/// GitHub's advice for a secondary limit that names no time: wait at least a minute.
const DEFAULT_WAIT_SECS: u64 = 60;

/// The limit headers of one response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Limits {
    /// `X-RateLimit-Remaining`: requests left in this window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the window resets (Unix seconds).
    pub reset: Option<u64>,
    /// `Retry-After`: seconds to wait (secondary limits).
    pub retry_after: Option<u64>,
}

impl Limits {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        Limits {
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
            retry_after: number("retry-after"),
        }
    }

    /// Seconds until the primary limit lets requests through again, when it is exhausted.
    pub fn exhausted_for(&self, now: u64) -> Option<u64> {
        (self.remaining == Some(0)).then(|| match self.reset {
            // One more second: the reset time is rounded down.
            Some(reset) => reset.saturating_sub(now) + 1,
            None => DEFAULT_WAIT_SECS,
        })
    }
}

/// How long to wait before retrying a refused request (403 or 429), or `None` when the refusal
/// is not about rate limits (a 403 for missing permissions).
pub(crate) fn wait_for(status: u16, limits: &Limits, body: &[u8], now: u64) -> Option<u64> {
    if let Some(secs) = limits.retry_after {
        return Some(secs.max(1));
    }
    if let Some(secs) = limits.exhausted_for(now) {
        return Some(secs);
    }
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    (status == 429 || text.contains("rate limit")).then_some(DEFAULT_WAIT_SECS)
}

/// The waiting a run may still do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    cap: Duration,
    spent: Duration,
}

impl Budget {
    pub fn new(cap: Duration) -> Self {
        Budget {
            cap,
            spent: Duration::ZERO,
        }
    }

    pub fn cap_secs(&self) -> u64 {
        self.cap.as_secs()
    }

    /// Takes `secs` from the budget if they fit.
    pub fn take(&mut self, secs: u64) -> Option<Duration> {
        let wait = Duration::from_secs(secs);
        (self.spent + wait <= self.cap).then(|| {
            self.spent += wait;
            wait
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(remaining: Option<u64>, reset: Option<u64>, retry_after: Option<u64>) -> Limits {
        Limits {
            remaining,
            reset,
            retry_after,
        }
    }

    #[test]
    fn reads_the_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", "0".parse().expect("value"));
        h.insert("x-ratelimit-reset", "1700000000".parse().expect("value"));
        h.insert("retry-after", " 7 ".parse().expect("value"));
        assert_eq!(
            Limits::from_headers(&h),
            limits(Some(0), Some(1_700_000_000), Some(7))
        );
        assert_eq!(Limits::from_headers(&HeaderMap::new()), Limits::default());
    }

    #[test]
    fn waits() {
        let now = 1000;
        // Secondary limit with Retry-After.
        assert_eq!(
            wait_for(429, &limits(None, None, Some(3)), b"", now),
            Some(3)
        );
        assert_eq!(
            wait_for(403, &limits(Some(10), None, Some(0)), b"", now),
            Some(1)
        );
        // Primary limit: until the reset, plus a second.
        assert_eq!(
            wait_for(403, &limits(Some(0), Some(1010), None), b"", now),
            Some(11)
        );
        assert_eq!(
            wait_for(403, &limits(Some(0), Some(900), None), b"", now),
            Some(1)
        );
        // Secondary limit named only in the body, or a bare 429.
        let body = br#"{"message":"You have exceeded a secondary rate limit."}"#;
        assert_eq!(wait_for(403, &Limits::default(), body, now), Some(60));
        assert_eq!(wait_for(429, &Limits::default(), b"", now), Some(60));
        // A permission problem is no reason to wait.
        let body = br#"{"message":"Resource not accessible by integration"}"#;
        assert_eq!(
            wait_for(403, &limits(Some(4000), None, None), body, now),
            None
        );
    }

    #[test]
    fn budget_is_a_total() {
        let mut b = Budget::new(Duration::from_secs(5));
        assert_eq!(b.take(3), Some(Duration::from_secs(3)));
        assert_eq!(b.take(3), None);
        assert_eq!(b.take(2), Some(Duration::from_secs(2)));
        assert_eq!(b.take(1), None);
        assert_eq!(b.take(0), Some(Duration::ZERO));
    }
}

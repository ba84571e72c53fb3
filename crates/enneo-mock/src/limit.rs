//! The mock's server-side rate limit: a token bucket, as API gateways
//! enforce one, answering 429 with `Retry-After` once the bucket is empty.
//!
//! It exists so that tests, docs and benchmarks can show how a client
//! behaves against a real limit: how many requests it needed, and how
//! many of them the server refused (see [`RateLimit`] and
//! `GET /__mock/stats`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A server-side limit: `per_second` requests a second on average, with up
/// to `burst` at once after a quiet spell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests a second the bucket refills with.
    pub per_second: f64,
    /// The bucket's size: how many requests may arrive at once.
    pub burst: u32,
    /// Also announce the limit in a `RateLimit-Policy` header on every API
    /// response (`"default";q=N;w=1`, the IETF draft's form), as some
    /// gateways do. Off by default: most servers only answer 429.
    pub announce: bool,
}

impl RateLimit {
    /// `per_second` with the default burst: a twentieth of a second's
    /// worth, at least 1 (nginx's `limit_req` with a small `burst`).
    pub fn new(per_second: f64) -> Self {
        Self {
            per_second,
            burst: ((per_second / 20.0).ceil() as u32).max(1),
            announce: false,
        }
    }

    /// `per_second` with the burst given or the default, as the CLI and
    /// the Python and Node `MockServer`s take their options.
    pub fn with_options(per_second: f64, burst: Option<u32>, announce: bool) -> Self {
        let limit = Self::new(per_second);
        Self {
            burst: burst.unwrap_or(limit.burst),
            announce,
            ..limit
        }
    }

    /// Checks the numbers a caller gave.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.per_second.is_finite() && self.per_second > 0.0) {
            return Err(format!(
                "the rate limit must be a positive number of requests a second, got {}",
                self.per_second
            ));
        }
        if self.burst == 0 {
            return Err("the rate limit's burst must be at least 1".into());
        }
        Ok(())
    }

    /// The `RateLimit-Policy` value announcing this limit.
    pub(crate) fn policy(&self) -> String {
        format!("\"default\";q={};w=1", self.per_second)
    }
}

/// The bucket: tokens left and when they were last counted.
pub(crate) struct Bucket {
    limit: RateLimit,
    state: Mutex<(f64, Instant)>,
}

impl Bucket {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            state: Mutex::new((f64::from(limit.burst), Instant::now())),
        }
    }

    pub(crate) fn limit(&self) -> &RateLimit {
        &self.limit
    }

    /// Takes a token, or says how long until one is there: the
    /// `Retry-After` to send, in whole seconds as most servers send it,
    /// at least one.
    pub(crate) fn take(&self) -> Result<(), u64> {
        let mut state = self.state.lock().unwrap();
        let (tokens, last) = &mut *state;
        let now = Instant::now();
        let refill = now.duration_since(*last).as_secs_f64() * self.limit.per_second;
        *tokens = (*tokens + refill).min(f64::from(self.limit.burst));
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            return Ok(());
        }
        let wait = Duration::from_secs_f64((1.0 - *tokens) / self.limit.per_second);
        Err(wait.as_secs_f64().ceil().max(1.0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refusals_with_retry_after() {
        let bucket = Bucket::new(RateLimit {
            per_second: 10.0,
            burst: 3,
            announce: false,
        });
        for _ in 0..3 {
            assert_eq!(bucket.take(), Ok(()));
        }
        assert_eq!(bucket.take(), Err(1));
        std::thread::sleep(Duration::from_millis(120));
        assert_eq!(bucket.take(), Ok(()));
        assert_eq!(bucket.take(), Err(1));
    }

    #[test]
    fn default_burst_is_a_twentieth_of_a_second() {
        assert_eq!(RateLimit::new(300.0).burst, 15);
        assert_eq!(RateLimit::new(2000.0).burst, 100);
        assert_eq!(RateLimit::new(5.0).burst, 1);
        assert!(RateLimit::new(0.0).validate().is_err());
        assert!(RateLimit::new(f64::NAN).validate().is_err());
    }
}

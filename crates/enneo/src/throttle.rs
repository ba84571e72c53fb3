//! The client-wide request rate limit: a token bucket shared by every clone
//! of a client and every call, retries included.
//!
//! Kept as GCRA (the "virtual scheduling" form of a token bucket): one
//! instant, the theoretical arrival time of the next request, instead of a
//! token count and a refill timer.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub(crate) struct Throttle {
    /// Time between requests at the steady rate.
    interval: Duration,
    /// How far ahead of the steady rate a burst may run: `burst - 1` intervals.
    tolerance: Duration,
    next: Mutex<Option<Instant>>,
}

impl Throttle {
    /// `per_second` requests a second, with bursts of up to one second's
    /// worth (at least one request).
    pub(crate) fn new(per_second: f64) -> Self {
        let interval = Duration::from_secs_f64(1.0 / per_second);
        let burst = per_second.floor().max(1.0);
        Self {
            interval,
            tolerance: interval.mul_f64(burst - 1.0),
            next: Mutex::new(None),
        }
    }

    /// Waits until this request may go.
    pub(crate) async fn acquire(&self) {
        let wait_until = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let tat = next.map_or(now, |t| t.max(now));
            *next = Some(tat + self.interval);
            // Earliest start that keeps the burst within the tolerance.
            tat.checked_sub(self.tolerance).filter(|t| *t > now)
        };
        if let Some(t) = wait_until {
            tokio::time::sleep_until(t).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn holds_the_rate_after_a_burst() {
        let throttle = Throttle::new(10.0);
        let start = Instant::now();
        for _ in 0..30 {
            throttle.acquire().await;
        }
        // 10 go at once (the burst), the other 20 at 10 a second.
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(1900), "{took:?}");
        assert!(took <= Duration::from_millis(2100), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_rate_spaces_every_request() {
        let throttle = Throttle::new(0.5);
        let start = Instant::now();
        for _ in 0..3 {
            throttle.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(4));
    }
}

//! The client-wide request rate limit, shared by every clone of a client,
//! every client derived from it and every call, retries included.
//!
//! Strict spacing: request k starts no earlier than `k * 1.01 / rate`
//! seconds after the first, so no one-second window holds more than `rate`
//! starts. A server enforcing N per second (nginx `limit_req` without
//! `burst`, most gateways) then never sees the excess that a one-second
//! burst would send. The 1% slack (10 ms over any second) absorbs the
//! jitter between a request's start here and its arrival there: spaced at
//! exactly `1 / rate`, `rate + 1` starts span exactly one second, and the
//! smallest delay of the first of them puts them all in one window.
//!
//! The spacing is counted from each request's actual start, not from a
//! slot booked before it slept: a task that wakes late (a busy machine, a
//! thread waiting for the GIL) followed by others booked on time would
//! otherwise squeeze `rate + 1` starts into one window. So waiters do not
//! book; whoever finds the next start due takes it, and the others wait for
//! the one after.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Spacing relative to the exact rate.
const SLACK: f64 = 1.01;

#[derive(Debug)]
pub(crate) struct Throttle {
    /// Time between request starts.
    interval: Duration,
    /// The rate it was made with, for derived clients' settings.
    per_second: f64,
    /// Earliest start of the next request: the last start plus `interval`.
    next: Mutex<Option<Instant>>,
}

impl Throttle {
    /// At most `per_second` request starts in any one-second window.
    pub(crate) fn new(per_second: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(SLACK / per_second),
            per_second,
            next: Mutex::new(None),
        }
    }

    pub(crate) fn per_second(&self) -> f64 {
        self.per_second
    }

    /// Waits until this request may start, and counts it as started.
    pub(crate) async fn acquire(&self) {
        loop {
            let due = {
                let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                match *next {
                    Some(due) if due > now => due,
                    _ => {
                        *next = Some(book(*next, now, self.interval, Duration::ZERO));
                        return;
                    }
                }
            };
            tokio::time::sleep_until(due).await;
        }
    }
}

/// The earliest start after one taken at `now`, `interval` apart: booked
/// from the previous due time `next`, which may lag the clock by at most
/// `catch_up` (so that starts falling due within one late timer tick go
/// together), or from `now` after a longer idle spell. The throttle books
/// from `now` alone (`catch_up` zero): no window may hold a start too many.
pub(crate) fn book(
    next: Option<Instant>,
    now: Instant,
    interval: Duration,
    catch_up: Duration,
) -> Instant {
    let floor = now.checked_sub(catch_up).unwrap_or(now);
    next.map_or(now, |n| n.max(floor)) + interval
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_every_request_with_no_burst() {
        let throttle = Throttle::new(10.0);
        let start = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..30 {
            throttle.acquire().await;
            starts.push(start.elapsed());
        }
        // 30 requests at 10 a second: the last starts 29 * 101 ms after the first.
        assert!(
            starts[29] >= Duration::from_millis(2929),
            "{:?}",
            starts[29]
        );
        assert!(
            starts[29] <= Duration::from_millis(2940),
            "{:?}",
            starts[29]
        );
        for w in starts.windows(11) {
            assert!(w[10] - w[0] >= Duration::from_secs(1), "{w:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_rate_spaces_every_request() {
        let throttle = Throttle::new(0.5);
        let start = Instant::now();
        for _ in 0..3 {
            throttle.acquire().await;
        }
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(4040) && took <= Duration::from_millis(4050),
            "{took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_is_not_saved_up() {
        let throttle = Throttle::new(10.0);
        throttle.acquire().await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let start = Instant::now();
        for _ in 0..3 {
            throttle.acquire().await;
        }
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(202) && took <= Duration::from_millis(210),
            "{took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_waiters_start_one_interval_apart() {
        let throttle = std::sync::Arc::new(Throttle::new(4.0));
        let origin = Instant::now();
        let tasks: Vec<_> = (0..9)
            .map(|_| {
                let t = throttle.clone();
                tokio::spawn(async move {
                    t.acquire().await;
                    origin.elapsed()
                })
            })
            .collect();
        let mut starts = Vec::new();
        for t in tasks {
            starts.push(t.await.unwrap());
        }
        starts.sort();
        for w in starts.windows(2) {
            assert!(w[1] - w[0] >= Duration::from_micros(252_500), "{starts:?}");
        }
        for w in starts.windows(5) {
            assert!(w[4] - w[0] >= Duration::from_millis(1010), "{starts:?}");
        }
    }
}

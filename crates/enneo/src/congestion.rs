//! The client's congestion state: how fast the server lets it send, learnt
//! from its answers, and shared by every clone and derived client, every
//! thread, bulk run and stream, like the fixed [`Throttle`](crate::throttle).
//!
//! A server's rate limit is the server's secret; its 429s are how it says
//! the client went too fast. Each request retrying on its own makes that
//! worse: the whole window waits the same `Retry-After`, comes back at once
//! and is refused at once. So the answers are pooled here:
//!
//! - **Hold.** A 429 or 503 with `Retry-After` holds back every new start
//!   until that time.
//! - **Rate.** Without a 429 the client is not paced, so a server without
//!   a limit costs nothing. Then:
//!   - A server that announces its limit (`RateLimit-Policy`, the IETF
//!     draft's `q` and `w`) is paced at 98% of it from the first response
//!     that says so.
//!   - Otherwise the first 429 sets the rate to what the server accepted
//!     so far (at most a second's worth), which rises by half every 50 ms
//!     ("slow start", as TCP's: an unknown limit between 1 and 100 000 a
//!     second is passed within a second). The next 429 ends that: the
//!     rate becomes the server's limit as estimated from the successes of
//!     the last second, with the token bucket that most servers use in
//!     mind (see [`State::estimate`]).
//!   - After that the rate stays put for 10 s, then rises by 1% a second
//!     while requests succeed and it is in use. Each later 429 sets it to
//!     90% of the estimate.
//!
//!   A 429 lowers the rate once per episode: the answers to requests that
//!   started before the last change say nothing about the new rate.
//!   Multiplicative steps find the limit in a logarithmic number of 429s,
//!   where additive ones (AIMD's increase) would need many; and once it is
//!   found, the rise is slow and the step down clear, because each
//!   overshoot costs a whole `Retry-After` of every request.
//! - **First alone.** A client's first request goes out alone; the others
//!   wait for its answer (at most [`FIRST_WAIT`]). Started together, each
//!   request of the first window would open a connection, and a TLS
//!   handshake, of its own before any could tell that one HTTP/2 connection
//!   would carry them all. After the first answer this costs one atomic load.
//! - **Progress.** The count of successes lets a request refused with 429
//!   tell whether the server still serves the client: if anything
//!   succeeded since it started, its 429 is congestion, and it waits at
//!   the gate again without spending one of its retries.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

use crate::throttle::book;

/// The lowest sending rate the adaptation goes to, in requests a second.
const MIN_RATE: f64 = 1.0;
/// Of an announced limit, the share the client sends: a margin for the
/// timer's jitter, which the server's burst absorbs.
const SHARE: f64 = 0.98;
/// Of the limit estimated when slow start ends, the share the client
/// sends: all of it, since that estimate comes out low (measured: 89% of
/// the mock's 300 and 2000 a second) and a later 429 steps down anyway.
const ESTIMATE_SHARE: f64 = 1.0;
/// Of the limit estimated at a later 429, the share the client sends.
const SECOND_SHARE: f64 = 0.9;
/// How often the rate may rise.
const STEP: Duration = Duration::from_millis(50);
/// Slow start's rise per step.
const SLOW_START_GROWTH: f64 = 1.5;
/// The rise per step once the limit was found: 1% a second.
const STEADY_GROWTH: f64 = 1.0005;
/// How long the rate stays put after a 429 once the limit was found: each
/// overshoot costs a whole `Retry-After`, so probing is rare.
const STEADY_QUIET: Duration = Duration::from_secs(10);
/// The shortest span a limit is estimated over: shorter ones hold too few
/// successes to say anything, and their noise would only push it up.
const MIN_SPAN: Duration = Duration::from_millis(200);
/// How far the pacing schedule may lag the clock: what a late timer's
/// waiters may send at once to catch up (a few requests at most at the
/// rates servers allow, within any server's burst).
const CATCH_UP: Duration = Duration::from_millis(3);
/// How far back successes are counted.
const HISTORY: Duration = Duration::from_secs(1);

/// The longest the other requests wait for a client's first answer: past
/// it (a slow server, a long link) they go without knowing.
pub(crate) const FIRST_WAIT: Duration = Duration::from_millis(250);

/// What the client knows about the server's limit; see the module docs.
#[derive(Debug, Default)]
pub(crate) struct Congestion {
    /// Some attempt of the client has finished, answered or failed.
    opened: AtomicBool,
    /// The first attempt is out.
    opening: AtomicBool,
    first_done: tokio::sync::Notify,
    /// Set from the first 429 or announced limit on: until then a request
    /// starts without taking the lock.
    engaged: AtomicBool,
    successes: AtomicU64,
    rate_limited: AtomicU64,
    /// The first request's start: the first 429's estimate divides by it.
    first_start: std::sync::OnceLock<Instant>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    hold_until: Option<Instant>,
    /// Requests a second; `None` while unpaced.
    rate: Option<f64>,
    phase: Phase,
    /// Earliest start of the next request at `rate`.
    next: Option<Instant>,
    /// Bumped on each change of the rate.
    epoch: u64,
    last_change: Option<Instant>,
    /// When recent requests succeeded, oldest first, at most [`HISTORY`] back.
    recent: VecDeque<Instant>,
    /// What the server let through before its first 429 (its burst, and
    /// what it refilled while the first wave was out) ...
    first_wave: f64,
    /// ... and how long that wave took, from the first start to the 429.
    first_wave_time: Duration,
    /// No rise before this.
    quiet_until: Option<Instant>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Phase {
    #[default]
    Unpaced,
    SlowStart,
    Steady,
    Announced,
}

/// What a request knew when it started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    epoch: u64,
    successes: u64,
}

/// A change of the sending rate, for the log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateChange {
    pub from: Option<f64>,
    pub to: f64,
    pub why: &'static str,
}

/// What a user can read of the client's congestion state.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RateLimitState {
    /// The sending rate the client adapted to, in requests a second;
    /// `None` while the server has not pushed back (no pacing).
    pub adaptive_rate: Option<f64>,
    /// Answers with 429 the client received, retries included.
    pub rate_limited: u64,
    /// How much longer every new request is held back by a `Retry-After`.
    pub held_for: Option<Duration>,
}

impl Congestion {
    /// Waits until a request may start and says what it started with.
    pub(crate) async fn acquire(&self) -> Ticket {
        if !self.opened.load(Ordering::Acquire) {
            self.first_alone().await;
        }
        let successes = self.successes.load(Ordering::Relaxed);
        if !self.engaged.load(Ordering::Acquire) {
            self.first_start.get_or_init(Instant::now);
            return Ticket {
                epoch: 0,
                successes,
            };
        }
        loop {
            let due = {
                let mut s = self.lock();
                let now = Instant::now();
                match s.hold_until {
                    Some(until) if until > now => until,
                    _ => match (s.rate, s.next) {
                        (Some(_), Some(next)) if next > now => next,
                        (rate, next) => {
                            // Booked from the schedule, not from when this
                            // waiter woke: timers fire late (tokio's tick is
                            // 1 ms), and at rates above a thousand a second
                            // several starts fall due in one tick. So the
                            // schedule may lag the clock by up to CATCH_UP,
                            // and those starts go together; an idle spell
                            // is not saved up beyond that.
                            s.next = rate.map(|r| {
                                book(next, now, Duration::from_secs_f64(1.0 / r), CATCH_UP)
                            });
                            return Ticket {
                                epoch: s.epoch,
                                successes,
                            };
                        }
                    },
                }
            };
            tokio::time::sleep_until(due).await;
        }
    }

    /// The first caller goes; the others wait for its end, or [`FIRST_WAIT`].
    async fn first_alone(&self) {
        if self
            .opening
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            return;
        }
        // Made before the check, so that an end between the two still wakes it.
        let done = self.first_done.notified();
        if !self.opened.load(Ordering::Acquire) {
            let _ = tokio::time::timeout(FIRST_WAIT, done).await;
        }
    }

    /// An attempt ended, with an answer or without: the first one's end
    /// lets the others go.
    pub(crate) fn attempt_ended(&self) {
        if !self.opened.load(Ordering::Relaxed) {
            self.opened.store(true, Ordering::Release);
            self.first_done.notify_waiters();
        }
    }

    /// Takes in an answer: its status and headers. A 2xx with a
    /// `RateLimit-Policy` paces the client; a 429 or 503 with
    /// `Retry-After` holds it; any other answer counts as the server's
    /// progress. Says when the rate changed.
    pub(crate) fn observe(
        &self,
        ticket: Ticket,
        status: u16,
        headers: &HeaderMap,
    ) -> Option<RateChange> {
        let refused = status == 429 || status == 503;
        if !refused {
            self.successes.fetch_add(1, Ordering::Relaxed);
            let announced = announced_rate(headers);
            if !self.engaged.load(Ordering::Relaxed) && announced.is_none() {
                return None;
            }
            let mut s = self.lock();
            let now = Instant::now();
            s.succeeded(now);
            if ticket.epoch == 0 && s.phase == Phase::SlowStart && s.epoch == 1 {
                // The first wave's answers come back in any order: a 200
                // after the first 429 still counts towards the burst, and
                // towards the rate slow start begins from.
                s.first_wave += 1.0;
                let rate = s
                    .rate
                    .unwrap_or(MIN_RATE)
                    .max(s.first_wave / s.first_wave_time.max(HISTORY).as_secs_f64());
                s.rate = Some(rate);
            }
            if let Some(limit) = announced {
                return s.announce(limit, now, &self.engaged);
            }
            return s.rise(now);
        }
        if status == 429 {
            self.rate_limited.fetch_add(1, Ordering::Relaxed);
        }
        let mut s = self.lock();
        let now = Instant::now();
        if let Some(wait) = crate::retry::server_delay(headers) {
            let until = now + wait;
            s.hold_until = Some(s.hold_until.map_or(until, |h| h.max(until)));
            self.engaged.store(true, Ordering::Release);
        }
        if status != 429 {
            return None;
        }
        if let Some(limit) = announced_rate(headers) {
            return s.announce(limit, now, &self.engaged);
        }
        if ticket.epoch != s.epoch && s.phase != Phase::Unpaced {
            return None;
        }
        self.engaged.store(true, Ordering::Release);
        if s.phase == Phase::Unpaced {
            // Before the first 429 successes are only counted: the rate
            // they came at, over at most the last second.
            let so_far = self.successes.load(Ordering::Relaxed) as f64;
            let elapsed = self
                .first_start
                .get()
                .map_or(Duration::ZERO, |t| now.duration_since(*t));
            s.first_wave = so_far;
            s.first_wave_time = elapsed;
            return Some(s.set(
                so_far / elapsed.max(HISTORY).as_secs_f64(),
                Phase::SlowStart,
                now,
                "429: finding the limit",
            ));
        }
        Some(s.lower(now))
    }

    /// Whether anything succeeded on the client since `ticket` was taken.
    pub(crate) fn progressed_since(&self, ticket: Ticket) -> bool {
        self.successes.load(Ordering::Relaxed) > ticket.successes
    }

    pub(crate) fn snapshot(&self) -> RateLimitState {
        let s = self.lock();
        let now = Instant::now();
        RateLimitState {
            adaptive_rate: s.rate,
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            held_for: s.hold_until.filter(|h| *h > now).map(|h| h - now),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    fn succeeded(&mut self, now: Instant) {
        self.recent.push_back(now);
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) > HISTORY)
        {
            self.recent.pop_front();
        }
    }

    /// Successes a second over the last `span`.
    fn accepted(&self, now: Instant, span: Duration) -> f64 {
        let n = self
            .recent
            .iter()
            .rev()
            .take_while(|t| now.duration_since(**t) <= span)
            .count();
        n as f64 / span.as_secs_f64()
    }

    /// The server's limit `R` as a token bucket of burst `B` that just
    /// refused: over a span that began with a full bucket, successes =
    /// `B + R·span`, and over any other span fewer. The first wave, which
    /// began with a full bucket too, let `first_wave = B + R·T` through
    /// in its time `T`; so `R = (successes − first_wave) / (span − T)`,
    /// the highest over the spans that end now.
    fn estimate(&self, now: Instant) -> Option<f64> {
        let n = self.recent.len();
        // A first wave longer than half the history came from a client
        // near the limit on its own: its burst is a small share of what
        // it let through, and spans beyond it are not remembered.
        let (first_wave, first_wave_time) = if self.first_wave_time <= HISTORY / 2 {
            (self.first_wave, self.first_wave_time)
        } else {
            (0.0, Duration::ZERO)
        };
        let shortest = MIN_SPAN.max(first_wave_time + MIN_SPAN / 2);
        let mut best: Option<f64> = None;
        for (i, t) in self.recent.iter().enumerate() {
            let span = now.duration_since(*t);
            if span < shortest {
                break;
            }
            let rate = ((n - i) as f64 - first_wave) / (span - first_wave_time).as_secs_f64();
            best = Some(best.map_or(rate, |b| b.max(rate)));
        }
        best
    }

    fn set(&mut self, rate: f64, phase: Phase, now: Instant, why: &'static str) -> RateChange {
        let from = self.rate;
        let to = rate.max(MIN_RATE);
        self.rate = Some(to);
        self.phase = phase;
        self.epoch += 1;
        self.last_change = Some(now);
        self.next = None;
        RateChange { from, to, why }
    }

    fn announce(&mut self, limit: f64, now: Instant, engaged: &AtomicBool) -> Option<RateChange> {
        let rate = limit * SHARE;
        engaged.store(true, Ordering::Release);
        if self.phase == Phase::Announced && self.rate == Some(rate.max(MIN_RATE)) {
            return None;
        }
        Some(self.set(rate, Phase::Announced, now, "announced by the server"))
    }

    /// A 429 of the current episode, once the client is paced: a share of
    /// the estimated limit, at most the rate that was refused and at least
    /// a quarter of it.
    fn lower(&mut self, now: Instant) -> RateChange {
        let current = self.rate.unwrap_or(f64::INFINITY);
        let estimate = self
            .estimate(now)
            .unwrap_or(current / 2.0)
            .clamp(current / 4.0, current);
        self.quiet_until = Some(now + STEADY_QUIET);
        // A 429 after the first estimate means it was too high: step down
        // clearly, since each overshoot costs a whole `Retry-After`.
        let (share, why) = match self.phase {
            Phase::SlowStart => (ESTIMATE_SHARE, "429: limit found"),
            _ => (SECOND_SHARE, "429: slowing down"),
        };
        self.set(estimate * share, Phase::Steady, now, why)
    }

    /// Raises the rate while requests succeed and it is in use.
    fn rise(&mut self, now: Instant) -> Option<RateChange> {
        let rate = self.rate?;
        if self.hold_until.is_some_and(|h| h > now)
            || self.quiet_until.is_some_and(|q| q > now)
            || self
                .last_change
                .is_some_and(|c| now.duration_since(c) < STEP)
        {
            return None;
        }
        let growth = match self.phase {
            Phase::SlowStart => SLOW_START_GROWTH,
            Phase::Steady => STEADY_GROWTH,
            Phase::Unpaced | Phase::Announced => return None,
        };
        // A rate the caller's demand does not reach is not raised: it
        // would be a burst waiting to happen, and in slow start a number
        // that says nothing of the server (a client that cannot send
        // faster than the limit would otherwise raise it without end, and
        // its next 429 would step down from there). Slow start looks at
        // the last step only, steady state at the last second.
        let (span, floor) = match self.phase {
            Phase::SlowStart => (STEP, 0.5),
            _ => (HISTORY, 0.8),
        };
        if self.accepted(now, span) < floor * rate {
            self.last_change = Some(now);
            return None;
        }
        let from = self.rate;
        self.rate = Some(rate * growth);
        self.last_change = Some(now);
        if self.phase == Phase::SlowStart {
            return Some(RateChange {
                from,
                to: rate * growth,
                why: "no 429: raising",
            });
        }
        None
    }
}

/// The requests a second a `RateLimit-Policy` header announces: its first
/// policy's quota over its window, in the draft's forms
/// `"name";q=100;w=10` and `100;w=10` (a window defaults to 1 s).
fn announced_rate(headers: &HeaderMap) -> Option<f64> {
    // A static name: looking up by `&str` parses and hashes it on every
    // response.
    const POLICY: reqwest::header::HeaderName =
        reqwest::header::HeaderName::from_static("ratelimit-policy");
    if headers.is_empty() {
        return None;
    }
    let value = headers.get(POLICY)?.to_str().ok()?;
    let first = value.split(',').next()?;
    let mut quota = None;
    let mut window = 1.0;
    for (i, part) in first.split(';').map(str::trim).enumerate() {
        if let Some(q) = part.strip_prefix("q=") {
            quota = q.parse::<f64>().ok();
        } else if let Some(w) = part.strip_prefix("w=") {
            window = w.parse::<f64>().ok()?;
        } else if i == 0 {
            quota = part.parse::<f64>().ok().or(quota);
        }
    }
    let rate = quota? / window;
    (rate.is_finite() && rate > 0.0).then_some(rate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn retry_after_1s() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("1"));
        h
    }

    fn policy(v: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("ratelimit-policy", HeaderValue::from_static(v));
        h
    }

    #[test]
    fn reads_both_policy_forms() {
        assert_eq!(
            announced_rate(&policy("\"default\";q=300;w=1")),
            Some(300.0)
        );
        assert_eq!(announced_rate(&policy("100;w=10")), Some(10.0));
        assert_eq!(announced_rate(&policy("50")), Some(50.0));
        assert_eq!(announced_rate(&policy("\"x\";w=1")), None);
        assert_eq!(announced_rate(&policy("q=0;w=1")), None);
        assert_eq!(announced_rate(&HeaderMap::new()), None);
    }

    #[tokio::test(start_paused = true)]
    async fn unpaced_until_a_429_then_held_and_paced() {
        let c = Congestion::default();
        c.attempt_ended();
        let none = HeaderMap::new();
        for _ in 0..10 {
            let t = c.acquire().await;
            assert!(c.observe(t, 200, &none).is_none());
        }
        assert_eq!(c.snapshot().adaptive_rate, None);
        let t = c.acquire().await;
        let change = c.observe(t, 429, &retry_after_1s()).unwrap();
        assert_eq!(change.to, 10.0, "what was accepted in the last second");
        let state = c.snapshot();
        assert_eq!(state.rate_limited, 1);
        assert!(state.held_for.unwrap() > Duration::from_millis(900));
        // A second 429 of the same episode changes nothing.
        assert!(c.observe(t, 429, &none).is_none());
        let start = Instant::now();
        c.acquire().await;
        assert!(start.elapsed() >= Duration::from_secs(1));
        let t = c.acquire().await;
        assert!(
            start.elapsed() >= Duration::from_millis(1100),
            "paced at 10/s"
        );
        assert!(c.progressed_since(Ticket {
            epoch: t.epoch,
            successes: 0
        }));
        assert!(!c.progressed_since(t));
    }

    #[tokio::test(start_paused = true)]
    async fn an_announced_limit_paces_from_the_first_answer() {
        let c = Congestion::default();
        c.attempt_ended();
        let t = c.acquire().await;
        let change = c.observe(t, 200, &policy("\"default\";q=100;w=1")).unwrap();
        assert_eq!(change.to, 98.0);
        let start = Instant::now();
        for _ in 0..99 {
            c.acquire().await;
        }
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(990), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn slow_start_doubles_until_the_next_429() {
        let c = Congestion::default();
        c.attempt_ended();
        let none = HeaderMap::new();
        let t = c.acquire().await;
        c.observe(t, 200, &none);
        let t = c.acquire().await;
        c.observe(t, 429, &none).unwrap();
        assert_eq!(c.snapshot().adaptive_rate, Some(1.0));
        let mut rates = Vec::new();
        for _ in 0..40 {
            let t = c.acquire().await;
            tokio::time::advance(Duration::from_millis(30)).await;
            c.observe(t, 200, &none);
            rates.push(c.snapshot().adaptive_rate.unwrap());
        }
        assert!(
            rates.windows(2).all(|w| w[1] >= w[0]) && rates[39] >= 16.0,
            "{rates:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_request_goes_alone() {
        let c = std::sync::Arc::new(Congestion::default());
        let start = Instant::now();
        c.acquire().await;
        let waiter = {
            let c = c.clone();
            tokio::spawn(async move {
                c.acquire().await;
                start.elapsed()
            })
        };
        tokio::time::sleep(Duration::from_millis(40)).await;
        c.attempt_ended();
        let waited = waiter.await.unwrap();
        assert_eq!(
            waited,
            Duration::from_millis(40),
            "released by the first's end"
        );
        // Once open, nobody waits.
        let again = Instant::now();
        c.acquire().await;
        assert_eq!(again.elapsed(), Duration::ZERO);
        // A first attempt that never ends holds the others FIRST_WAIT at most.
        let c = Congestion::default();
        c.acquire().await;
        let start = Instant::now();
        c.acquire().await;
        assert_eq!(start.elapsed(), FIRST_WAIT);
    }
}

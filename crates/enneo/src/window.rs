//! How many lookups of a bulk or stream call are in flight at once: a
//! number the caller names, or by default a window that adapts to the path.
//!
//! A fixed window caps throughput at `window / round trip`: 16 lookups over
//! a 20 ms path make 800 a second however fast the server is. So when the
//! caller names no number, the window starts at [`DEFAULT_CONCURRENCY`]
//! and, each round (a window's worth of answers) in which the window and
//! not the caller's ids held lookups back, doubles when either
//!
//! - the answers took no longer than a quarter over the fastest one seen:
//!   the path has room, as TCP Vegas reads it; or
//! - the round delivered at least 15% more answers a second than the one
//!   before it at half the window: the pipeline (TLS, HTTP/2 frames, the
//!   server's workers) still gains from depth though each answer waits
//!   longer. A window that gained this way becomes the floor.
//!
//! A round whose answers take twice the fastest or more without such a
//! gain (a busy server, the client's own CPU, a rate limit's pacing or
//! `Retry-After`) shrinks it by a quarter, never below the floor, which
//! falls back to the start once the path delivers less than it did when
//! the floor was set. It never
//! exceeds [`MAX_AUTO_CONCURRENCY`]. The first round always doubles: it is
//! the probe the second round's gain is measured against.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::stream::{FuturesOrdered, FuturesUnordered};
use futures::{FutureExt, Stream, StreamExt};
use tokio::time::Instant;

use crate::DEFAULT_CONCURRENCY;

/// The most lookups in flight that an adaptive window grows to.
pub const MAX_AUTO_CONCURRENCY: usize = 256;

/// Answers at most this much slower than the fastest leave room to grow.
const ROOM: f64 = 1.25;
/// Answers this much slower than the fastest shrink the window.
const CROWDED: f64 = 2.0;
/// A doubled window that delivers this much more kept its promise.
const GAIN: f64 = 1.15;

/// How many lookups a bulk or stream call keeps in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Concurrency {
    /// Start at [`DEFAULT_CONCURRENCY`] and adapt to the path, up to
    /// [`MAX_AUTO_CONCURRENCY`]; see the module docs.
    #[default]
    Auto,
    /// Exactly this many at most (0 counts as 1).
    Fixed(usize),
}

impl From<usize> for Concurrency {
    fn from(n: usize) -> Self {
        Concurrency::Fixed(n)
    }
}

impl Concurrency {
    /// The most lookups this keeps in flight: what a feeder sizes its queue by.
    pub fn max(self) -> usize {
        match self {
            Concurrency::Auto => MAX_AUTO_CONCURRENCY,
            Concurrency::Fixed(n) => n.max(1),
        }
    }
}

/// The current window of one call, and the round it is measuring.
#[derive(Debug)]
pub(crate) struct Window {
    limit: usize,
    /// The window never shrinks below this: the start, or a window whose
    /// doubling paid, while the path delivers what it did then ...
    floor: usize,
    /// ... which is this many answers a second.
    floor_rate: f64,
    adaptive: bool,
    fastest: Option<Duration>,
    round_answers: usize,
    round_time: Duration,
    round_start: Option<Instant>,
    /// The window held back an id this round.
    round_limited: bool,
    /// The last round's window and its answers a second.
    last: Option<(usize, f64)>,
}

impl Window {
    pub(crate) fn new(c: Concurrency) -> Self {
        let (limit, adaptive) = match c {
            Concurrency::Auto => (DEFAULT_CONCURRENCY, true),
            Concurrency::Fixed(n) => (n.max(1), false),
        };
        Window {
            limit,
            floor: limit,
            floor_rate: 0.0,
            adaptive,
            fastest: None,
            round_answers: 0,
            round_time: Duration::ZERO,
            round_start: None,
            round_limited: false,
            last: None,
        }
    }

    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// An id was ready but the window was full.
    fn held_back(&mut self) {
        self.round_limited = true;
    }

    /// An answer came after `took`; at a round's end the window may change.
    pub(crate) fn answered(&mut self, took: Duration) {
        if self.adaptive {
            self.answered_at(took, Instant::now());
        }
    }

    fn answered_at(&mut self, took: Duration, now: Instant) {
        self.fastest = Some(self.fastest.map_or(took, |f| f.min(took)));
        let round_start = *self
            .round_start
            .get_or_insert(now.checked_sub(took).unwrap_or(now));
        self.round_answers += 1;
        self.round_time += took;
        if self.round_answers < self.limit {
            return;
        }
        let mean = self.round_time.as_secs_f64() / self.round_answers as f64;
        let fastest = self.fastest.unwrap_or(took).as_secs_f64();
        let span = now.duration_since(round_start).as_secs_f64().max(1e-6);
        let rate = self.round_answers as f64 / span;
        let gained = match self.last {
            None => true,
            Some((window, before)) => self.limit > window && rate >= before * GAIN,
        };
        if gained && self.last.is_some() {
            self.floor = self.limit;
            self.floor_rate = rate;
        }
        if rate * GAIN < self.floor_rate {
            // The path delivers less than it did at the floor: it changed
            // (a slower server, a rate limit), and what paid then may not.
            self.floor = DEFAULT_CONCURRENCY;
            self.floor_rate = 0.0;
        }
        self.last = Some((self.limit, rate));
        if self.round_limited && (gained || mean <= fastest * ROOM) {
            self.limit = (self.limit * 2).min(MAX_AUTO_CONCURRENCY);
        } else if mean >= fastest * CROWDED {
            self.limit = (self.limit * 3 / 4).max(self.floor);
        }
        self.round_answers = 0;
        self.round_time = Duration::ZERO;
        self.round_start = Some(now);
        self.round_limited = false;
    }
}

/// Futures in flight, in input order or as they finish.
trait Running<F: Future>: Stream<Item = F::Output> + Unpin {
    fn push(&mut self, f: F);
    fn in_flight(&self) -> usize;
}

impl<F: Future> Running<F> for FuturesOrdered<F> {
    fn push(&mut self, f: F) {
        self.push_back(f);
    }
    fn in_flight(&self) -> usize {
        self.len()
    }
}

impl<F: Future> Running<F> for FuturesUnordered<F> {
    fn push(&mut self, f: F) {
        FuturesUnordered::push(self, f);
    }
    fn in_flight(&self) -> usize {
        self.len()
    }
}

/// Runs the futures of `input` with at most `concurrency` in flight and
/// yields their outputs in input order.
pub(crate) fn ordered<S, T>(input: S, concurrency: Concurrency) -> impl Stream<Item = T>
where
    S: Stream,
    S::Item: Future<Output = T>,
{
    run(input, concurrency, FuturesOrdered::new())
}

/// As [`ordered`], yielding outputs as they finish.
pub(crate) fn unordered<S, T>(input: S, concurrency: Concurrency) -> impl Stream<Item = T>
where
    S: Stream,
    S::Item: Future<Output = T>,
{
    run(input, concurrency, FuturesUnordered::new())
}

// (Send, where the input and its futures are, leaks through `impl Stream`.)
fn run<S, T, Q>(input: S, concurrency: Concurrency, mut running: Q) -> impl Stream<Item = T>
where
    S: Stream,
    S::Item: Future<Output = T>,
    Q: Running<Timed<S::Item>>,
{
    let mut input = Box::pin(input.fuse());
    let mut window = Window::new(concurrency);
    let mut input_done = false;
    futures::stream::poll_fn(move |cx: &mut Context<'_>| {
        while !input_done {
            if running.in_flight() >= window.limit() {
                // Only a window that holds back a ready id may grow; peek
                // no further than that (the id stays in the input).
                window.held_back();
                break;
            }
            match input.as_mut().poll_next(cx) {
                Poll::Ready(Some(f)) => running.push(timed(f)),
                Poll::Ready(None) => input_done = true,
                Poll::Pending => break,
            }
        }
        match running.poll_next_unpin(cx) {
            Poll::Ready(Some((took, out))) => {
                window.answered(took);
                Poll::Ready(Some(out))
            }
            Poll::Ready(None) if input_done => Poll::Ready(None),
            _ => Poll::Pending,
        }
    })
}

type Timed<F> = futures::future::Map<
    futures::future::Join<StartClock, F>,
    fn((Instant, <F as Future>::Output)) -> (Duration, <F as Future>::Output),
>;

/// A clock read when the future is first polled, not when it is queued.
struct StartClock;

impl Future for StartClock {
    type Output = Instant;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Instant> {
        Poll::Ready(Instant::now())
    }
}

/// `f` with the time from its first poll to its end.
fn timed<F: Future>(f: F) -> Timed<F> {
    futures::future::join(StartClock, f).map(since::<F::Output> as fn(_) -> _)
}

fn since<T>((start, out): (Instant, T)) -> (Duration, T) {
    (start.elapsed(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One round of answers that each took `took`, `per_second` of them
    /// a second, after `clock`; returns the clock at its end.
    fn round(
        w: &mut Window,
        took: Duration,
        per_second: f64,
        limited: bool,
        clock: Instant,
    ) -> Instant {
        let n = w.limit();
        if limited {
            w.held_back();
        }
        let step = Duration::from_secs_f64(1.0 / per_second);
        let mut now = clock;
        for _ in 0..n {
            now += step;
            w.answered_at(took, now);
        }
        now
    }

    /// Answers a second of a path with round trip `rtt` at window `w`.
    fn path(w: &Window, rtt: Duration) -> f64 {
        w.limit() as f64 / rtt.as_secs_f64()
    }

    #[test]
    fn grows_while_answers_keep_their_time_and_shrinks_when_they_slow() {
        let mut w = Window::new(Concurrency::Auto);
        assert_eq!(w.limit(), DEFAULT_CONCURRENCY);
        let rtt = Duration::from_millis(20);
        let mut clock = Instant::now();
        let mut limits = vec![w.limit()];
        for _ in 0..6 {
            let rate = path(&w, rtt);
            clock = round(&mut w, rtt, rate, true, clock);
            limits.push(w.limit());
        }
        assert_eq!(limits, [16, 32, 64, 128, 256, 256, 256]);
        // Answers three times slower but as many a second (a deeper
        // pipe): the window that paid stays.
        let rate = path(&w, rtt);
        clock = round(&mut w, rtt * 3, rate, true, clock);
        assert_eq!(w.limit(), 256, "the floor is the last window that paid");
        // Three times slower and a third as many (a slower server): a
        // quarter off each round, down to the start.
        clock = round(&mut w, rtt * 3, rate / 3.0, true, clock);
        assert_eq!(w.limit(), 192);
        for _ in 0..12 {
            clock = round(&mut w, rtt * 3, rate / 3.0, true, clock);
        }
        assert_eq!(w.limit(), DEFAULT_CONCURRENCY, "never below the start");
    }

    #[test]
    fn depth_that_pays_is_kept_and_depth_that_does_not_is_given_back() {
        // A CPU-bound pipeline: each answer waits longer as the window
        // grows, but up to 64 the answers a second still rise.
        let per_second = |w: usize| match w {
            0..=16 => 5000.0,
            17..=32 => 8000.0,
            33..=64 => 10000.0,
            _ => 10200.0,
        };
        let mut w = Window::new(Concurrency::Auto);
        let mut clock = Instant::now();
        w.answered_at(Duration::from_micros(200), clock); // a first answer alone
        let mut limits = vec![];
        for _ in 0..8 {
            let rate = per_second(w.limit());
            let took = Duration::from_secs_f64(w.limit() as f64 / rate);
            clock = round(&mut w, took, rate, true, clock);
            limits.push(w.limit());
        }
        assert_eq!(limits, [32, 64, 128, 96, 72, 64, 64, 64]);
    }

    #[test]
    fn a_window_the_caller_does_not_fill_stays() {
        let mut w = Window::new(Concurrency::Auto);
        let mut clock = Instant::now();
        for _ in 0..5 {
            clock = round(&mut w, Duration::from_millis(20), 800.0, false, clock);
        }
        assert_eq!(w.limit(), DEFAULT_CONCURRENCY);
    }

    #[test]
    fn a_fixed_window_never_moves() {
        let mut w = Window::new(Concurrency::Fixed(8));
        for _ in 0..5 {
            for _ in 0..8 {
                w.answered(Duration::from_millis(20));
            }
        }
        assert_eq!(w.limit(), 8);
        assert_eq!(Window::new(Concurrency::Fixed(0)).limit(), 1);
        assert_eq!(Concurrency::Auto.max(), MAX_AUTO_CONCURRENCY);
    }

    /// `n` calls that each take 20 ms, counting the most in flight at once.
    fn slow_calls(
        n: usize,
        peak: &std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ) -> impl Stream<Item = impl Future<Output = usize>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let now = std::sync::Arc::new(AtomicUsize::new(0));
        let peak = peak.clone();
        futures::stream::iter((0..n).map(move |i| {
            let (now, peak) = (now.clone(), peak.clone());
            async move {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                i
            }
        }))
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_path_fills_a_wider_window_in_input_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let peak = std::sync::Arc::new(AtomicUsize::new(0));
        let out: Vec<usize> = ordered(slow_calls(2000, &peak), Concurrency::Auto)
            .collect()
            .await;
        assert_eq!(out, (0..2000).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), MAX_AUTO_CONCURRENCY);

        let peak = std::sync::Arc::new(AtomicUsize::new(0));
        let out: Vec<usize> = unordered(slow_calls(500, &peak), Concurrency::Fixed(64))
            .collect()
            .await;
        assert_eq!(out.len(), 500);
        assert_eq!(peak.load(Ordering::SeqCst), 64);
    }
}

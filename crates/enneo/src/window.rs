//! How many lookups of a bulk or stream call are in flight at once: a
//! number the caller names, or by default a window that adapts to the path.
//!
//! A fixed window caps throughput at `window / round trip`: 16 lookups over
//! a 20 ms path make 800 a second however fast the server is. So when the
//! caller names no number, the window starts at [`DEFAULT_CONCURRENCY`] and
//! doubles each round (a window's worth of answers) in which the window,
//! not the caller's ids, was the bottleneck and the answers took no longer
//! than a quarter over the fastest one seen: the path has room, as TCP
//! Vegas reads it. A round whose answers take twice the fastest or more
//! (a busy server, a saturated link, the client's own CPU, a rate limit's
//! pacing or `Retry-After`) shrinks it by a quarter, never below the
//! start. It never exceeds [`MAX_AUTO_CONCURRENCY`].
//!
//! On loopback against a fast server the answers' time grows with the
//! window (the work queues on the CPU), so the window stays at its start:
//! nothing changes where the path has no room to give. Latency, not
//! throughput, is the signal because it is known with every answer, where
//! throughput needs a round of its own to measure.

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
    adaptive: bool,
    fastest: Option<Duration>,
    round_answers: usize,
    round_time: Duration,
    /// The window held back an id this round.
    round_limited: bool,
}

impl Window {
    pub(crate) fn new(c: Concurrency) -> Self {
        let (limit, adaptive) = match c {
            Concurrency::Auto => (DEFAULT_CONCURRENCY, true),
            Concurrency::Fixed(n) => (n.max(1), false),
        };
        Window {
            limit,
            adaptive,
            fastest: None,
            round_answers: 0,
            round_time: Duration::ZERO,
            round_limited: false,
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
        if !self.adaptive {
            return;
        }
        self.fastest = Some(self.fastest.map_or(took, |f| f.min(took)));
        self.round_answers += 1;
        self.round_time += took;
        if self.round_answers < self.limit {
            return;
        }
        let mean = self.round_time.as_secs_f64() / self.round_answers as f64;
        let fastest = self.fastest.unwrap_or(took).as_secs_f64();
        if self.round_limited && mean <= fastest * ROOM {
            self.limit = (self.limit * 2).min(MAX_AUTO_CONCURRENCY);
        } else if mean >= fastest * CROWDED {
            self.limit = (self.limit * 3 / 4).max(DEFAULT_CONCURRENCY);
        }
        self.round_answers = 0;
        self.round_time = Duration::ZERO;
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

    fn round(w: &mut Window, took: Duration, limited: bool) {
        let n = w.limit();
        if limited {
            w.held_back();
        }
        for _ in 0..n {
            w.answered(took);
        }
    }

    #[test]
    fn grows_while_answers_keep_their_time_and_shrinks_when_they_slow() {
        let mut w = Window::new(Concurrency::Auto);
        assert_eq!(w.limit(), DEFAULT_CONCURRENCY);
        let rtt = Duration::from_millis(20);
        let mut limits = vec![w.limit()];
        for _ in 0..6 {
            round(&mut w, rtt, true);
            limits.push(w.limit());
        }
        assert_eq!(limits, [16, 32, 64, 128, 256, 256, 256]);
        round(&mut w, rtt * 3, true);
        assert_eq!(w.limit(), 192);
        for _ in 0..10 {
            round(&mut w, rtt * 3, true);
        }
        assert_eq!(w.limit(), DEFAULT_CONCURRENCY, "never below the start");
    }

    #[test]
    fn a_window_the_caller_does_not_fill_stays() {
        let mut w = Window::new(Concurrency::Auto);
        for _ in 0..5 {
            round(&mut w, Duration::from_millis(20), false);
        }
        assert_eq!(w.limit(), DEFAULT_CONCURRENCY);
    }

    #[test]
    fn a_fixed_window_never_moves() {
        let mut w = Window::new(Concurrency::Fixed(8));
        for _ in 0..5 {
            round(&mut w, Duration::from_millis(20), true);
        }
        assert_eq!(w.limit(), 8);
        assert_eq!(Window::new(Concurrency::Fixed(0)).limit(), 1);
        assert_eq!(Concurrency::Auto.max(), MAX_AUTO_CONCURRENCY);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_path_fills_a_wider_window_in_input_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let calls = (0..2000usize).map(|i| {
            let (now, peak) = (now.clone(), peak.clone());
            async move {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                i
            }
        });
        let out: Vec<usize> = ordered(futures::stream::iter(calls), Concurrency::Auto)
            .collect()
            .await;
        assert_eq!(out, (0..2000).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), MAX_AUTO_CONCURRENCY);

        peak.store(0, Ordering::SeqCst);
        let calls = (0..500usize).map(|i| {
            let (now, peak) = (now.clone(), peak.clone());
            async move {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                now.fetch_sub(1, Ordering::SeqCst);
                i
            }
        });
        let out: Vec<usize> = unordered(futures::stream::iter(calls), Concurrency::Fixed(64))
            .collect()
            .await;
        assert_eq!(out.len(), 500);
        assert_eq!(peak.load(Ordering::SeqCst), 64);
    }
}

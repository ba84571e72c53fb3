//! Against a server that enforces a rate limit (the mock's token bucket,
//! 429 with `Retry-After: 1` beyond it), at default settings and with
//! concurrency 64: every lookup succeeds and few requests are refused,
//! counted from what the mock saw, not from what the client says of itself.
//!
//! No bound on wall time: a loaded CI machine stretches it, and speed is
//! measured by `bench/rate_limit.py` (in `make bench`), not by tests. What
//! these check cannot drift with load: no id lost, 429s at most a tenth of
//! the requests (none of note when the server announces its limit), and a
//! learned rate no higher than the server's.

use std::time::{Duration, Instant};

use enneo::{Client, FlexibleId, Operation, RequestOptions};
use enneo_mock::{MockConfig, MockServer, MockStats, RateLimit};
use futures::StreamExt;

/// One run at a time, so that two do not share one mock's budget of
/// cores and the printed times stay comparable.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn limited(per_second: f64, announce: bool) -> MockServer {
    MockServer::start(MockConfig {
        rate_limit: Some(RateLimit {
            announce,
            ..RateLimit::new(per_second)
        }),
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

/// What a run cost, checked against the targets: all succeeded, 429s at
/// most `max_refused` of the requests. The time is printed, not checked.
fn check(
    what: &str,
    ids: usize,
    per_second: f64,
    took: Duration,
    ok: usize,
    stats: MockStats,
    max_refused: f64,
) {
    let ideal = ids as f64 / per_second;
    let ratio = took.as_secs_f64() / ideal;
    let refused = stats.rate_limited as f64 / stats.requests as f64;
    eprintln!(
        "{what}: {ok}/{ids} ok in {:.2} s ({ratio:.2}x ids/limit), {} requests, {} 429s ({:.1}%)",
        took.as_secs_f64(),
        stats.requests,
        stats.rate_limited,
        refused * 100.0
    );
    assert_eq!(ok, ids, "{what}: every lookup succeeds");
    assert!(stats.requests >= ids as u64);
    assert!(
        refused <= max_refused,
        "{what}: {:.1}% refused",
        refused * 100.0
    );
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap()
}

async fn bulk(per_second: f64, ids: usize, announce: bool) {
    let _alone = ONE_AT_A_TIME.lock().await;
    let server = limited(per_second, announce).await;
    let client = client(&server);
    let started = Instant::now();
    let results = client
        .fetch_many_raw(
            Operation::GetCustomerByCustomerId,
            (1..=ids as u64).map(FlexibleId::from).collect(),
            64,
            &RequestOptions::default(),
            |_, _| {},
        )
        .await;
    let took = started.elapsed();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let stats = server.stats();
    // The client's own count of 429s is the mock's.
    let state = client.rate_limit_state();
    assert_eq!(state.rate_limited, stats.rate_limited);
    let rate = state.adaptive_rate.expect("the client adapted its rate");
    assert!(rate <= per_second * 1.05, "{rate}");
    check(
        &format!("bulk {ids} at {per_second}/s, announced {announce}"),
        ids,
        per_second,
        took,
        ok,
        stats,
        // A server that announces its limit is paced at 98% of it from the
        // first response on; a silent one is found by refusals.
        if announce { 0.01 } else { 0.10 },
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_3000_at_300_per_second() {
    bulk(300.0, 3000, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_3000_at_300_per_second_announced() {
    bulk(300.0, 3000, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "20 s; run by make test-limits"]
async fn bulk_20000_at_2000_per_second() {
    bulk(2000.0, 20_000, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "20 s; run by make test-limits"]
async fn bulk_20000_at_2000_per_second_announced() {
    bulk(2000.0, 20_000, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn singles_from_64_tasks_and_a_stream_share_the_state() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let server = limited(300.0, false).await;
    let client = client(&server);
    let started = Instant::now();
    let tasks: Vec<_> = (0..64u64)
        .map(|t| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut ok = 0;
                for i in 0..24u64 {
                    ok += usize::from(client.get_customer(t * 1000 + i).await.is_ok());
                }
                ok
            })
        })
        .collect();
    // A stream on a derived client runs alongside, through the same state.
    let derived = client.with_options(|b| b.max_retries(3)).unwrap();
    let streamed = derived
        .customer_stream(1..=300u64, 16)
        .filter(|r| futures::future::ready(r.is_ok()))
        .count()
        .await;
    let mut ok = streamed;
    for t in tasks {
        ok += t.await.unwrap();
    }
    let ids = 64 * 24 + 300;
    check(
        "singles from 64 tasks and a stream",
        ids,
        300.0,
        started.elapsed(),
        ok,
        server.stats(),
        0.10,
    );
    assert_eq!(
        derived.rate_limit_state().rate_limited,
        server.stats().rate_limited
    );
}

#[tokio::test]
async fn a_server_refusing_everything_still_ends_the_call() {
    // No request ever succeeds, so a 429 is not congestion: the call ends
    // after its retries, as before.
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let base = format!("{}/__fault/retry-after-ms%3D1/api/mind", server.url());
    let client = Client::builder()
        .base_url(base)
        .max_retries(2)
        .build()
        .unwrap();
    let err = client.get_customer(1).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(client.rate_limit_state().rate_limited, 3);
}

//! Against a server that enforces a rate limit (the mock's token bucket,
//! 429 with `Retry-After: 1` beyond it), at default settings and with
//! concurrency 64: every lookup succeeds, few requests are refused, and the
//! run takes little longer than the limit allows. Counted from what the
//! mock saw, not from what the client says of itself.
//!
//! The time bounds: a server that announces its limit (`RateLimit-Policy`)
//! is met within 1.2× ids/limit. A silent one costs two `Retry-After`
//! holds of a second each (the first 429 shows there is a limit, the
//! second where it is), which on a ten-second run is 0.2× by itself, so
//! the bound there is 1.7×; see docs/guide/rate-limits.md for the numbers.

use std::time::{Duration, Instant};

use enneo::{Client, FlexibleId, Operation, RequestOptions};
use enneo_mock::{MockConfig, MockServer, MockStats, RateLimit};
use futures::StreamExt;

/// The runs measure time: one at a time, so that they do not share the
/// two cores.
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
/// most a tenth of the requests, time at most `max_time` × ids/limit.
fn check(
    what: &str,
    ids: usize,
    per_second: f64,
    took: Duration,
    ok: usize,
    stats: MockStats,
    max_time: f64,
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
    assert!(ratio <= max_time, "{what}: took {ratio:.2}x ids/limit");
    assert!(refused <= 0.10, "{what}: {:.1}% refused", refused * 100.0);
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap()
}

async fn bulk(per_second: f64, ids: usize, announce: bool, max_time: f64) {
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
        max_time,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_3000_at_300_per_second() {
    bulk(300.0, 3000, false, 1.7).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_3000_at_300_per_second_announced() {
    bulk(300.0, 3000, true, 1.2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "20 s; run by make test-limits"]
async fn bulk_20000_at_2000_per_second() {
    bulk(2000.0, 20_000, false, 1.7).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "20 s; run by make test-limits"]
async fn bulk_20000_at_2000_per_second_announced() {
    bulk(2000.0, 20_000, true, 1.2).await;
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
        2.0,
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

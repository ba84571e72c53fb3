//! One rate limit per client: clones, derived clients and clients that
//! share it, across single, bulk and streaming calls, counted from the
//! arrival times the mock records.

mod common;

use std::time::{Duration, Instant};

use common::*;
use enneo::{Client, FlexibleId, Operation, RequestOptions};
use futures::StreamExt;

/// The most request heads that arrived in any half-open window of `window`.
fn busiest_window(server: &enneo_mock::MockServer, window: Duration) -> usize {
    let mut at: Vec<Duration> = server.requests().iter().map(|r| r.received).collect();
    at.sort();
    let mut best = 0;
    let mut first = 0;
    for last in 0..at.len() {
        while at[last] - at[first] >= window {
            first += 1;
        }
        best = best.max(last - first + 1);
    }
    best
}

#[tokio::test]
async fn no_second_holds_more_than_the_rate() {
    let server = mock().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .max_requests_per_second(25.0)
        .build()
        .unwrap();
    let started = Instant::now();
    let results = client.get_customers(1..=60u64, 32).await;
    assert!(results.iter().all(Result::is_ok));
    // 60 starts spaced 40 ms apart span 2.36 s; a one-second burst would
    // have let the first 25 through at once.
    assert!(
        started.elapsed() >= Duration::from_millis(2300),
        "{:?}",
        started.elapsed()
    );
    let busiest = busiest_window(&server, Duration::from_secs(1));
    assert!(
        busiest <= 25,
        "{busiest} requests started within one second"
    );
}

#[tokio::test]
async fn clones_derived_and_sharing_clients_count_against_one_limit() {
    let server = mock().await;
    let root = Client::builder()
        .base_url(server.base_url())
        .max_requests_per_second(20.0)
        .build()
        .unwrap();
    let clone = root.clone();
    let derived = root
        .with_options(|b| b.timeout(Duration::from_secs(30)).max_retries(1))
        .unwrap();
    // A client with a pool of its own (as each Python thread has).
    let sharing = Client::builder()
        .base_url(server.base_url())
        .share_rate_limit(&root)
        .build()
        .unwrap();
    let started = Instant::now();
    let singles = async {
        for id in 0..10u64 {
            root.get_customer(id).await.unwrap();
        }
    };
    let bulk = async {
        let r = clone.get_customers(100..110u64, 8).await;
        assert!(r.iter().all(Result::is_ok));
    };
    let stream = async {
        let r: Vec<_> = derived.customer_stream(200..210u64, 8).collect().await;
        assert!(r.iter().all(Result::is_ok));
    };
    let raw = async {
        let ids: Vec<FlexibleId> = (300..310u64).map(Into::into).collect();
        let r = sharing
            .fetch_many_raw(
                Operation::GetCustomerByCustomerId,
                ids,
                8,
                &RequestOptions::default(),
                |_, _| {},
            )
            .await;
        assert!(r.iter().all(Result::is_ok));
    };
    tokio::join!(singles, bulk, stream, raw);
    assert_eq!(server.requests().len(), 40);
    // 40 starts at 20 a second: at least 1.95 s from the first to the last.
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
    let busiest = busiest_window(&server, Duration::from_secs(1));
    assert!(
        busiest <= 20,
        "{busiest} requests started within one second"
    );
}

#[tokio::test]
async fn a_derived_client_with_its_own_rate_has_its_own_limit() {
    let server = mock().await;
    let root = Client::builder()
        .base_url(server.base_url())
        .max_requests_per_second(2.0)
        .build()
        .unwrap();
    let unlimited_rate = root
        .with_options(|b| b.max_requests_per_second(1000.0))
        .unwrap();
    root.get_customer(1).await.unwrap();
    // The root's next slot is 500 ms away; the derived client does not wait.
    let started = Instant::now();
    let r = unlimited_rate.get_customers(1..=5u64, 5).await;
    assert!(r.iter().all(Result::is_ok));
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn sharing_with_an_unlimited_client_is_unlimited() {
    let server = mock().await;
    let root = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    let sharing = Client::builder()
        .base_url(server.base_url())
        .max_requests_per_second(1.0)
        .share_rate_limit(&root)
        .build()
        .unwrap();
    let started = Instant::now();
    let r = sharing.get_customers(1..=5u64, 5).await;
    assert!(r.iter().all(Result::is_ok));
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

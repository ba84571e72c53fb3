//! The default window adapts to the path: against a server that takes
//! 20 ms to answer (the mock's delay fault, the same for one request or
//! many), a bulk call at default settings keeps more than
//! `DEFAULT_CONCURRENCY` requests in flight, counted by the mock. A number
//! the caller names is a cap the mock never sees exceeded.

use enneo::{Client, Concurrency, DEFAULT_CONCURRENCY, MAX_AUTO_CONCURRENCY};
use enneo_mock::{MockConfig, MockServer};
use futures::StreamExt;

async fn slow_server() -> (MockServer, Client) {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let client = Client::builder()
        .base_url(format!("{}/__fault/delay=20/api/mind", mock.url()))
        .token("t")
        .build()
        .unwrap();
    (mock, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn by_default_a_slow_path_gets_a_wider_window() {
    let (mock, client) = slow_server().await;
    let results = client.get_customers(1..=1500u64, Concurrency::Auto).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1500);
    let peak = mock.stats().max_in_flight as usize;
    assert!(
        peak > 2 * DEFAULT_CONCURRENCY && peak <= MAX_AUTO_CONCURRENCY,
        "peak in flight {peak}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_adapt_too_and_a_named_number_is_a_cap() {
    let (mock, client) = slow_server().await;
    let n = client
        .customer_stream(1..=1500u64, Concurrency::Auto)
        .filter(|r| std::future::ready(r.is_ok()))
        .count()
        .await;
    assert_eq!(n, 1500);
    let peak = mock.stats().max_in_flight as usize;
    assert!(peak > 2 * DEFAULT_CONCURRENCY, "peak in flight {peak}");

    mock.clear_requests();
    let results = client.get_customers(1..=600u64, 24).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 600);
    assert_eq!(mock.stats().max_in_flight, 24);
}

//! `customer_stream` and the client-wide rate limit, against enneo-mock.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use enneo::{Client, FlexibleId};
use futures::StreamExt;

#[tokio::test]
async fn stream_yields_in_input_order_with_failures_in_place() {
    let server = mock().await;
    // The mock answers 404 to a customer id beyond 50 characters.
    let too_long = "x".repeat(51);
    let ids: Vec<FlexibleId> = vec![3.into(), too_long.as_str().into(), 1.into(), "0042".into()];
    let results: Vec<_> = client(&server.base_url())
        .customer_stream(ids, 3)
        .collect()
        .await;
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().id, FlexibleId::from(3));
    assert!(results[1].as_ref().unwrap_err().is_not_found());
    assert_eq!(results[2].as_ref().unwrap().id, FlexibleId::from(1));
    assert_eq!(results[3].as_ref().unwrap().id, FlexibleId::from("0042"));
}

#[tokio::test]
async fn stream_pulls_ids_lazily_and_keeps_at_most_concurrency_in_flight() {
    let server = mock().await;
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = pulled.clone();
    // An endless id source: only a lazy stream can finish this test.
    let ids = (1u64..).inspect(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let mut stream = Box::pin(client(&faulty(&server, "delay=20")).customer_stream(ids, 4));
    for expected in 1..=10u64 {
        let c = stream.next().await.unwrap().unwrap();
        assert_eq!(c.id, FlexibleId::from(expected));
        let taken = pulled.load(Ordering::SeqCst);
        assert!(
            taken <= expected as usize + 4,
            "pulled {taken} ids after {expected} results"
        );
    }
    drop(stream);
    // Dropping the stream cancels what was in flight: no further requests.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = server.requests().len();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.requests().len(), sent);
    assert!(
        sent <= 14,
        "{sent} requests for 10 results at concurrency 4"
    );
}

#[tokio::test]
async fn stream_from_an_async_source() {
    let server = mock().await;
    let ids = futures::stream::iter(vec![5u64, 6, 7]).then(|id| async move {
        tokio::task::yield_now().await;
        id
    });
    let ids: Vec<FlexibleId> = client(&server.base_url())
        .customer_stream_from(ids, 2)
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, vec![5u64.into(), 6u64.into(), 7u64.into()]);
}

#[tokio::test]
async fn max_requests_per_second_paces_every_call_of_the_client_and_its_clones() {
    let server = mock().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .token("t")
        .max_requests_per_second(20.0)
        .build()
        .unwrap();
    let clone = client.clone();
    let start = Instant::now();
    // Starts spaced 50 ms apart, with no burst: the 40th starts 1.95 s in.
    let (a, b) = tokio::join!(
        client.get_customers(1..=20u64, 8),
        clone.get_customers(21..=40u64, 8)
    );
    let took = start.elapsed();
    assert!(a.iter().chain(&b).all(Result::is_ok));
    assert!(
        took >= Duration::from_millis(1900),
        "40 requests at 20/s took {took:?}"
    );
    assert_eq!(server.requests().len(), 40);
}

#[test]
fn a_rate_that_is_not_positive_is_refused() {
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = Client::builder()
            .base_url("http://127.0.0.1:9")
            .max_requests_per_second(bad)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("max_requests_per_second"), "{err}");
    }
}

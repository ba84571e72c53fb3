//! enneo against hand-written reqwest code, same server, one run.
//!
//! `cargo run --release -p enneo --example bench_vs_reqwest -- BASE_URL [n] [bulk] [concurrency] [rounds]`
//!
//! The reqwest baseline does what a hand-written client would: GET with a
//! bearer header, then decode into `enneo::Customer`; in bulk it keeps the
//! customers, as `get_customers` does. It has no retries, timeouts or error
//! mapping, so the difference is what the SDK layer costs. Each
//! median is also printed as a `RESULT {json}` line for `bench/report.py`.

use std::time::{Duration, Instant};

use futures::StreamExt;

#[path = "shared/raw.rs"]
mod baseline;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args
        .first()
        .expect("usage: BASE_URL [n] [bulk] [concurrency] [rounds]")
        .clone();
    let num = |i: usize, d: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (n, bulk, conc, rounds) = (num(1, 2000), num(2, 20000), num(3, 64), num(4, 3));

    let client = enneo::Client::builder()
        .base_url(&base)
        .token("bench")
        .build()
        .unwrap();
    let raw = baseline::client();
    let raw_get = |i: u64| baseline::get(raw.clone(), &base, i);

    let names = [
        ("seq", "enneo get_customer", n),
        ("seq", "reqwest + serde", n),
        ("conc", "enneo get_customers", bulk),
        ("conc", "reqwest + buffer_unordered", bulk),
    ];
    let mut times: [Vec<Duration>; 4] = Default::default();
    for round in 0..=rounds {
        let mut took = [Duration::ZERO; 4];
        // Which client goes first alternates by round: the first one after
        // a bulk phase was measured 10-30% slower, whichever it was.
        for k in if round % 2 == 0 { [0, 1] } else { [1, 0] } {
            let t = Instant::now();
            for i in 0..n as u64 {
                if k == 0 {
                    client.get_customer(i + 1).await.unwrap();
                } else {
                    raw_get(i + 1).await;
                }
            }
            took[k] = t.elapsed();
        }
        let t = Instant::now();
        let out = client.get_customers(1..=bulk as u64, conc).await;
        assert!(out.iter().all(Result::is_ok));
        took[2] = t.elapsed();
        let t = Instant::now();
        // Kept, as get_customers keeps them: holding 20 000 customers costs
        // allocations that a discarding loop would not pay.
        let customers: Vec<enneo::Customer> = futures::stream::iter(1..=bulk as u64)
            .map(raw_get)
            .buffer_unordered(conc)
            .collect()
            .await;
        assert_eq!(customers.len(), bulk);
        drop(customers);
        took[3] = t.elapsed();
        // Round 0 warms pools and caches; rounds run the clients interleaved.
        if round > 0 {
            for (k, d) in took.into_iter().enumerate() {
                times[k].push(d);
            }
        }
    }
    println!(
        "Rust: sequential {n} lookups, concurrent {bulk} at {conc}, median of {rounds} rounds"
    );
    println!("{:32} {:>10}", "client", "µs/lookup");
    for ((mode, name, ops), ts) in names.into_iter().zip(times) {
        let us = median(ts).as_secs_f64() * 1e6 / ops as f64;
        println!("{name:32} {us:10.1}");
        println!(
            "RESULT {}",
            serde_json::json!({"lang": "rust", "mode": mode, "client": name, "us": us})
        );
    }
}

//! enneo against hand-written reqwest code, same mock, one run.
//!
//! `cargo run --release -p enneo --example bench_vs_reqwest -- BASE_URL [n] [bulk] [concurrency] [rounds]`
//!
//! The reqwest baseline does what a hand-written client would: GET with a
//! bearer header, then decode into `enneo::Customer`. It has no retries and
//! no error mapping, so the difference is what the SDK layer costs.

use std::time::Instant;

use futures::StreamExt;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args
        .first()
        .expect("usage: BASE_URL [n] [bulk] [concurrency] [rounds]")
        .clone();
    let num = |i: usize, d: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (n, bulk, conc, rounds) = (num(1, 2000), num(2, 10000), num(3, 32), num(4, 5));

    let client = enneo::Client::builder()
        .base_url(&base)
        .token("bench")
        .build()
        .unwrap();
    let raw = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .unwrap();
    let raw_get = |i: u64| {
        let raw = raw.clone();
        let url = format!("{base}/customer/byCustomerId/{i}");
        async move {
            let body = raw
                .get(url)
                .bearer_auth("bench")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            serde_json::from_slice::<enneo::Customer>(&body).unwrap()
        }
    };

    let mut seq = [("enneo get_customer", vec![]), ("reqwest + serde", vec![])];
    let mut par = [
        ("enneo get_customers", vec![]),
        ("reqwest + buffer_unordered", vec![]),
    ];
    for round in 0..=rounds {
        let t = Instant::now();
        for i in 0..n as u64 {
            client.get_customer(i + 1).await.unwrap();
        }
        let a = t.elapsed();
        let t = Instant::now();
        for i in 0..n as u64 {
            raw_get(i + 1).await;
        }
        let b = t.elapsed();
        let t = Instant::now();
        let out = client.get_customers(1..=bulk as u64, conc).await;
        assert!(out.iter().all(Result::is_ok));
        let c = t.elapsed();
        let t = Instant::now();
        let count = futures::stream::iter(1..=bulk as u64)
            .map(raw_get)
            .buffer_unordered(conc)
            .count()
            .await;
        assert_eq!(count, bulk);
        let d = t.elapsed();
        if round > 0 {
            // round 0 warms pools and caches
            seq[0].1.push(a);
            seq[1].1.push(b);
            par[0].1.push(c);
            par[1].1.push(d);
        }
    }
    report(&format!("Sequential lookups ({n})"), &mut seq, n);
    report(
        &format!("Bulk lookups ({bulk}), concurrency {conc}"),
        &mut par,
        bulk,
    );
}

fn report(title: &str, rows: &mut [(&str, Vec<std::time::Duration>)], ops: usize) {
    println!("\n{title}, median of {} rounds", rows[0].1.len());
    println!("{:30} {:>10} {:>9}", "client", "µs/lookup", "vs enneo");
    let median = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let first = median(&mut rows[0].1);
    for (name, times) in rows.iter_mut() {
        let m = median(times);
        println!(
            "{:30} {:>10.1} {:>8.2}x",
            name,
            m.as_secs_f64() / ops as f64 * 1e6,
            m.as_secs_f64() / first.as_secs_f64()
        );
    }
}

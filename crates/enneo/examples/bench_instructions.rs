//! One client doing `n` lookups, for counting instructions under callgrind
//! (`bench/instructions.sh` runs it twice, with two `n`, and takes the
//! difference, which leaves out start-up and the first connection).
//!
//! `bench_instructions BASE_URL CLIENT N [CONCURRENCY]`, where CLIENT is
//! - `enneo-seq`: `get_customer` one after another;
//! - `raw-seq`: the same with reqwest and serde_json into `enneo::Customer`;
//! - `enneo-bulk`: `get_customers`, results kept in input order;
//! - `raw-bulk`: reqwest with `buffered(CONCURRENCY)`, collected;
//! - `enneo-arrow` (feature `arrow`): `customers_arrow`, every batch kept.
//!
//! The enneo client keeps every feature on: retries armed, the timeout, and
//! its log records and tracing span (off unless a subscriber wants them).
//!
//! Both clients run on one current-thread runtime. On a multi-thread one the
//! count moved by about 1% between runs of the same binary: whether the
//! connection is back in the pool when the next lookup asks for it depends
//! on how the threads were scheduled, and the two paths cost differently.

use futures::StreamExt;

#[path = "shared/raw.rs"]
mod baseline;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, which, n, ..] = &args[..] else {
        panic!("usage: BASE_URL CLIENT N [CONCURRENCY]")
    };
    let n: u64 = n.parse().expect("N is a number");
    let conc: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(64);
    let client = enneo::Client::builder()
        .base_url(base)
        .token("bench")
        .build()
        .unwrap();
    let raw = baseline::client();
    let raw_get = |i: u64| baseline::get(raw.clone(), base, i);
    match which.as_str() {
        "enneo-seq" => {
            for i in 1..=n {
                client.get_customer(i).await.unwrap();
            }
        }
        "raw-seq" => {
            for i in 1..=n {
                raw_get(i).await;
            }
        }
        "enneo-bulk" => {
            let out = client.get_customers(1..=n, conc).await;
            assert!(out.iter().all(Result::is_ok));
        }
        "raw-bulk" => {
            let out: Vec<enneo::Customer> = futures::stream::iter(1..=n)
                .map(raw_get)
                .buffered(conc)
                .collect()
                .await;
            assert_eq!(out.len() as u64, n);
        }
        #[cfg(feature = "arrow")]
        "enneo-arrow" => {
            let options = enneo::RequestOptions::default();
            let batches: Vec<_> = client
                .customers_arrow(1..=n, conc, options, enneo::arrow::BATCH_SIZE)
                .collect()
                .await;
            let rows: usize = batches.iter().map(|b| b.as_ref().unwrap().num_rows()).sum();
            assert_eq!(rows as u64, n);
        }
        other => panic!("unknown client {other}"),
    }
}

//! Peak RSS of `get_customers` over N ids (`make bench`).
//!
//! `cargo run --release -p enneo --example bench_rss -- BASE_URL N`

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (base, n) = match (
        args.first(),
        args.get(1).and_then(|s| s.parse::<u64>().ok()),
    ) {
        (Some(b), Some(n)) => (b.clone(), n),
        _ => panic!("usage: BASE_URL N"),
    };
    let client = enneo::Client::builder()
        .base_url(&base)
        .token("bench")
        .build()
        .unwrap();
    let out = client.get_customers(1..=n, 64).await;
    assert!(out.iter().all(Result::is_ok));
    // VmHWM is the peak resident set, in kB.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    let client_name = format!("get_customers({n}), results held");
    println!(
        "RESULT {}",
        serde_json::json!({"lang": "rust", "mode": "rss", "client": client_name, "mb": kb / 1024.0})
    );
}

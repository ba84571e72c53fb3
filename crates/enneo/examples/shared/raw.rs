//! The hand-written reqwest baseline the bench examples compare enneo with:
//! GET with a bearer header, then decode into `enneo::Customer`; no retries,
//! timeouts or error mapping.

/// A reqwest client set up as a hand-written client would be.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .unwrap()
}

/// Looks up customer `id` under `base` with `raw`.
pub async fn get(raw: reqwest::Client, base: &str, id: u64) -> enneo::Customer {
    let body = raw
        .get(format!("{base}/customer/byCustomerId/{id}"))
        .bearer_auth("bench")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    serde_json::from_slice::<enneo::Customer>(&body).unwrap()
}

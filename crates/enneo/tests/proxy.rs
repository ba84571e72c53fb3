//! HTTP_PROXY is honoured, and an explicit proxy wins over it. A test binary of its own: it sets process-wide
//! environment variables.

mod common;

#[tokio::test]
async fn http_proxy_environment_variable_is_used() {
    let proxy = common::mock().await;
    // SAFETY: this binary's only test; no other thread reads the environment.
    unsafe {
        std::env::set_var("HTTP_PROXY", proxy.url());
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    let client = enneo::Client::builder()
        .base_url("http://enneo.invalid/api/mind")
        .token("t")
        .max_retries(0)
        .build()
        .unwrap();
    let customer = client
        .get_customer(42)
        .await
        .expect("served through the proxy");
    assert_eq!(customer.id, enneo::FlexibleId::from(42));
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    // The mock takes the proxy's absolute-form target as its path.
    assert_eq!(seen[0].path, "/api/mind/customer/byCustomerId/42");
    assert_eq!(seen[0].header("host"), Some("enneo.invalid"));

    // An explicit proxy wins over the environment's (here a closed port).
    // SAFETY: as above.
    unsafe { std::env::set_var("HTTP_PROXY", "http://127.0.0.1:1") };
    let explicit = enneo::Client::builder()
        .base_url("http://enneo.invalid/api/mind")
        .token("t")
        .proxy(proxy.url())
        .max_retries(0)
        .build()
        .unwrap();
    explicit
        .get_customer(43)
        .await
        .expect("served through the explicit proxy");
    assert_eq!(proxy.requests().len(), 2);
}

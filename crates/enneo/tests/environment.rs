//! Settings from the environment. A test binary of its own: it mutates the
//! process environment, which other tests must not see.

mod common;

#[tokio::test]
async fn token_and_base_url_come_from_the_environment() {
    let server = common::mock().await;
    // SAFETY: this binary's only test; no other thread reads the environment.
    unsafe {
        std::env::set_var("ENNEO_BASE_URL", server.base_url());
        std::env::set_var("ENNEO_TOKEN", "from-env");
    }
    let c = enneo::Client::from_env().unwrap();
    assert_eq!(c.base_url(), server.base_url());
    c.get_customer(3).await.unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer from-env")
    );

    // Explicit settings win over the environment.
    let c = enneo::Client::builder().token("explicit").build().unwrap();
    c.get_customer(4).await.unwrap();
    assert_eq!(
        server.requests()[1].header("authorization"),
        Some("Bearer explicit")
    );

    unsafe {
        std::env::remove_var("ENNEO_BASE_URL");
        std::env::remove_var("ENNEO_TOKEN");
    }
    // No default host: the token must not go to the demo by accident.
    let err = enneo::Client::from_env().unwrap_err();
    assert!(matches!(err, enneo::Error::InvalidArgument(_)), "{err:?}");
    assert!(err.to_string().contains("ENNEO_BASE_URL"), "{err}");
    let demo = enneo::Client::builder()
        .base_url(enneo::DEMO_BASE_URL)
        .build()
        .unwrap();
    assert_eq!(demo.base_url(), enneo::DEMO_BASE_URL);
}

//! `SSL_CERT_FILE`. A test binary of its own: it sets the variable, which
//! other tests must not see.

mod common;

#[tokio::test]
async fn ssl_cert_file_is_trusted() {
    let server = common::tls_mock().await;
    // SAFETY: this binary's only test; no other thread reads the environment.
    unsafe { std::env::set_var(enneo::CA_FILE_ENV, common::tls_file("ca.pem")) };
    let c = enneo::Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    assert!(c.get_customer(1).await.is_ok());
    unsafe { std::env::set_var(enneo::CA_FILE_ENV, "/nonexistent.pem") };
    let err = enneo::Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("SSL_CERT_FILE"), "{err}");
}

//! `SSL_CERT_FILE`. A test binary of its own: it sets the variable, which
//! other tests must not see.

mod common;

#[tokio::test]
async fn ssl_cert_file_is_trusted() {
    let dir = format!("{}/../../tests/tls", env!("CARGO_MANIFEST_DIR"));
    let server = common::mock_with(enneo_mock::MockConfig {
        tls: Some(enneo_mock::TlsIdentity {
            cert_pem: std::fs::read(format!("{dir}/server.pem")).unwrap(),
            key_pem: std::fs::read(format!("{dir}/server-key.pem")).unwrap(),
        }),
        ..Default::default()
    })
    .await;
    // SAFETY: this binary's only test; no other thread reads the environment.
    unsafe { std::env::set_var(enneo::CA_FILE_ENV, format!("{dir}/ca.pem")) };
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

#![allow(dead_code)]
use std::time::Duration;

use enneo::Client;
use enneo_mock::{MockConfig, MockServer};

pub async fn mock() -> MockServer {
    MockServer::start(MockConfig::default())
        .await
        .expect("mock starts")
}

pub async fn mock_with(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("mock starts")
}

/// A client for `base`, with retries but no real waiting between them unless
/// the server asks for it.
pub fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .token("test-token")
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

/// A base URL that makes the mock inject `spec` on every request.
pub fn faulty(server: &MockServer, spec: &str) -> String {
    let encoded: String = spec
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{}/__fault/{encoded}/api/mind", server.url())
}

pub fn fixtures_dir(files: &[(&str, serde_json::Value)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, value) in files {
        std::fs::write(
            dir.path().join(format!("{name}.json")),
            serde_json::to_vec(value).unwrap(),
        )
        .unwrap();
    }
    dir
}

pub fn seed() -> serde_json::Value {
    serde_json::from_str(enneo_mock::SEED_CUSTOMER).unwrap()
}

/// A file of tests/tls, the test-only CA and the server certificate it signs.
pub fn tls_file(name: &str) -> String {
    format!("{}/../../tests/tls/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The mock serving HTTPS with the certificate the test CA signs.
pub async fn tls_mock() -> MockServer {
    mock_with(MockConfig {
        tls: Some(enneo_mock::TlsIdentity {
            cert_pem: std::fs::read(tls_file("server.pem")).unwrap(),
            key_pem: std::fs::read(tls_file("server-key.pem")).unwrap(),
        }),
        ..MockConfig::default()
    })
    .await
}

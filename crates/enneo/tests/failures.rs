//! Errors, retries, timeouts and secrets, against enneo-mock on loopback.

mod common;

use std::time::{Duration, Instant};

use common::*;
use enneo::{Client, Error};
use enneo_mock::MockConfig;

const TOKEN: &str = "sk-live-very-secret-token-1234";

fn client_with(base: &str, retries: u32) -> Client {
    Client::builder()
        .base_url(base)
        .token(TOKEN)
        .max_retries(retries)
        .build()
        .unwrap()
}

#[tokio::test]
async fn status_errors_are_typed_and_not_retried() {
    let server = mock_with(MockConfig {
        token: Some("right".into()),
        ..Default::default()
    })
    .await;
    // 401: the mock wants another token.
    let err = client_with(&server.base_url(), 2)
        .get_customer(1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.is_auth());
    assert_eq!(err.code(), "authentication_error");
    assert!(err.request_id().unwrap().starts_with("req_"));
    assert!(String::from_utf8_lossy(err.body().unwrap()).contains("invalid bearer token"));
    assert_eq!(server.requests().len(), 1, "401 is not retried");

    for (status, code) in [
        (403, "permission_denied"),
        (404, "not_found"),
        (400, "bad_request"),
    ] {
        let server = mock().await;
        let err = client_with(&faulty(&server, &format!("status={status}")), 2)
            .get_customer(1)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Status(s) if s.status == status),
            "{err:?}"
        );
        assert_eq!(err.code(), code);
        assert_eq!(server.requests().len(), 1, "{status} is not retried");
    }
}

#[tokio::test]
async fn not_found_with_fixtures() {
    let dir = fixtures_dir(&[]);
    let server = mock_with(MockConfig {
        fixtures: Some(dir.path().into()),
        ..Default::default()
    })
    .await;
    let err = client_with(&server.base_url(), 2)
        .get_customer(999)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        err.to_string(),
        format!(
            "HTTP 404 not found: Customer not found (request id {})",
            err.request_id().unwrap()
        )
    );
}

#[tokio::test]
async fn rate_limit_honours_retry_after_then_succeeds() {
    let server = mock().await;
    let started = Instant::now();
    let c = client_with(&faulty(&server, "retry-after=1;fail-first=1"), 2)
        .get_customer(7)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(c.id, enneo::FlexibleId::from(7));
    assert_eq!(server.requests().len(), 2);
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn retry_after_ms_is_preferred() {
    let server = mock().await;
    let started = Instant::now();
    client_with(
        &faulty(
            &server,
            "status=429;retry-after=30;retry-after-ms=50;fail-first=1",
        ),
        2,
    )
    .get_customer(7)
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = mock().await;
    let c = client_with(&faulty(&server, "status=500;fail-first=2"), 2);
    assert!(c.get_customer(5).await.is_ok());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retries_exhausted_reports_last_status() {
    let server = mock().await;
    let err = client_with(&faulty(&server, "status=503;retry-after-ms=5"), 3)
        .get_customer(5)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), "internal_server_error");
    assert_eq!(server.requests().len(), 4, "first attempt + 3 retries");
}

#[tokio::test]
async fn timeout_fires_within_configured_time() {
    let server = mock().await;
    let c = Client::builder()
        .base_url(faulty(&server, "delay=5000"))
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.get_customer(1).await.unwrap_err();
    let took = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        took >= Duration::from_millis(290) && took < Duration::from_millis(1500),
        "{took:?}"
    );
}

#[tokio::test]
async fn per_call_timeout_overrides_client_timeout() {
    let server = mock().await;
    let c = client_with(&faulty(&server, "delay=3000"), 0);
    let opts = enneo::RequestOptions::new().timeout(Duration::from_millis(200));
    let started = Instant::now();
    let err = c
        .fetch(enneo::Operation::GetCustomerByCustomerId, 1.into(), &opts)
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn connection_refused_is_a_connection_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = client_with(&format!("http://127.0.0.1:{port}/api/mind"), 1)
        .get_customer(1)
        .await
        .unwrap_err();
    match &err {
        Error::Connection { attempts, message } => {
            assert_eq!(*attempts, 2);
            assert!(message.to_lowercase().contains("refused"), "{message}");
        }
        other => panic!("expected a connection error, got {other:?}"),
    }
    assert!(err.is_network());
}

#[tokio::test]
async fn dropped_connection_is_retried() {
    let server = mock().await;
    let c = client_with(&faulty(&server, "drop;fail-first=1"), 2);
    assert!(c.get_customer(1).await.is_ok());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn malformed_body_is_a_decode_error_with_status_and_body() {
    let server = mock().await;
    let err = client_with(&faulty(&server, "malformed"), 2)
        .get_customer(1)
        .await
        .unwrap_err();
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, 200);
            assert!(String::from_utf8_lossy(body).contains("[oops"));
        }
        other => panic!("expected decode error, got {other:?}"),
    }
    assert_eq!(err.code(), "decode_error");
}

#[tokio::test]
async fn a_body_that_breaks_off_is_a_connection_error_when_retries_run_out() {
    let server = mock().await;
    for fault in ["truncate", "reset"] {
        for retries in [0, 1] {
            server.clear_requests();
            let err = client_with(&faulty(&server, fault), retries)
                .get_customer(1)
                .await
                .unwrap_err();
            match &err {
                Error::Connection { message, attempts } => {
                    assert_eq!(*attempts, retries + 1, "{fault}");
                    assert!(message.contains("broke off"), "{fault}: {message}");
                }
                other => panic!("{fault}: expected a connection error, got {other:?}"),
            }
            assert_eq!(err.code(), "connection_error");
            assert_eq!(server.requests().len() as u32, retries + 1, "{fault}");
        }
    }
}

#[tokio::test]
async fn a_body_that_breaks_off_once_is_retried() {
    let server = mock().await;
    for fault in ["truncate;fail-first=1", "reset;fail-first=1"] {
        server.clear_requests();
        let customer = client_with(&faulty(&server, fault), 2)
            .get_customer(7)
            .await
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(customer.id.to_string(), "7");
        assert_eq!(server.requests().len(), 2, "{fault}");
    }
}

#[tokio::test]
async fn token_stays_out_of_debug_and_errors() {
    let server = mock_with(MockConfig {
        token: Some("other".into()),
        ..Default::default()
    })
    .await;
    let c = client_with(&server.base_url(), 0);
    assert!(!format!("{c:?}").contains(TOKEN));
    assert!(format!("{c:?}").contains("redacted"));
    let builder = Client::builder().token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let err = c.get_customer(1).await.unwrap_err();
    assert!(!err.to_string().contains(TOKEN));
    assert!(!format!("{err:?}").contains(TOKEN));
    // A token that cannot be a header value is rejected without quoting it.
    let err = Client::builder()
        .token("bad\ntoken-secret")
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains("token-secret"), "{err}");
}

#[tokio::test]
async fn authorization_is_not_sent_to_another_host_on_redirect() {
    let other = mock().await;
    let origin = mock().await;
    let target = format!("{}/api/mind/customer/byCustomerId/1", other.url());
    let c = client_with(&faulty(&origin, &format!("redirect={target}")), 0);
    let customer = c.get_customer(1).await.unwrap();
    assert_eq!(customer.id, enneo::FlexibleId::from(1));
    assert_eq!(
        origin.requests()[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let forwarded = other.requests();
    assert_eq!(forwarded.len(), 1, "the redirect was followed");
    assert_eq!(
        forwarded[0].header("authorization"),
        None,
        "token leaked across hosts"
    );
}

#[tokio::test]
async fn html_error_page_is_a_status_error_not_a_decode_error() {
    // A proxy in front of the API may answer 502 with HTML; the mock's
    // status fault sends JSON, so use a hand-made raw server.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut s, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).await;
        let body = "<html>Bad Gateway</html>";
        let _ = s
            .write_all(format!("HTTP/1.1 502 Bad Gateway\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).as_bytes())
            .await;
    });
    let err = client_with(&format!("http://{addr}/api/mind"), 0)
        .get_customer(1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(matches!(err, Error::Status(_)));
    assert_eq!(err.body().unwrap().as_ref(), b"<html>Bad Gateway</html>");
}

#[test]
fn bad_base_urls_are_rejected() {
    for url in ["not a url", "ftp://x/api", "http://x/api?y=1"] {
        let err = Client::builder().base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{url}: {err:?}");
    }
}

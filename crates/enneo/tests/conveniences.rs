//! Per-request options, derived clients, raw responses, log records, TLS
//! with a private CA, and the mock as a user's testing kit.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use enneo::{Client, Error, LogLevel, LogRecord, LogSink, Operation, RequestOptions};
use enneo_mock::{MockConfig, MockServer};

const TOKEN: &str = "sk-live-very-secret-token-1234";

#[tokio::test]
async fn extra_headers_reach_the_server_and_owned_ones_are_refused() {
    let server = mock().await;
    let c = client(&server.base_url());
    let opts = RequestOptions::new()
        .header("X-Correlation-Id", "corr-1")
        .unwrap()
        .header("traceparent", "00-abc-def-01")
        .unwrap();
    c.fetch(Operation::GetCustomerByCustomerId, 1.into(), &opts)
        .await
        .unwrap();
    let logged = &server.requests()[0];
    assert_eq!(logged.header("x-correlation-id"), Some("corr-1"));
    assert_eq!(logged.header("traceparent"), Some("00-abc-def-01"));
    assert_eq!(logged.header("authorization"), Some("Bearer test-token"));

    for owned in ["Authorization", "User-Agent"] {
        let err = RequestOptions::new().header(owned, "x").unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
        assert!(err.to_string().contains("cannot be overridden"), "{err}");
    }
}

#[tokio::test]
async fn per_request_retries_override_the_clients() {
    let server = mock().await;
    let c = Client::builder()
        .base_url(faulty(&server, "status=503"))
        .max_retries(2)
        .build()
        .unwrap();
    let err = c
        .fetch(
            Operation::GetCustomerByCustomerId,
            1.into(),
            &RequestOptions::new().max_retries(0),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 1, "max_retries(0) sends once");
}

#[tokio::test]
async fn with_options_derives_a_client_and_leaves_the_original_alone() {
    let server = mock().await;
    let base = client(&server.base_url());
    let derived = base
        .with_options(|b| {
            b.max_retries(0)
                .default_header("X-Team", "billing")
                .expect("valid header")
        })
        .unwrap();
    assert_eq!(derived.base_url(), base.base_url());
    derived.get_customer(1).await.unwrap();
    base.get_customer(2).await.unwrap();
    let log = server.requests();
    assert_eq!(log[0].header("x-team"), Some("billing"));
    assert_eq!(log[0].header("authorization"), Some("Bearer test-token"));
    assert_eq!(log[1].header("x-team"), None, "the original is unchanged");
    // Settings read back as a binding would pass them again.
    use enneo::ArgValue;
    let settings = derived.settings(enneo::ArgStyle::PYTHON);
    let get = |name: &str| {
        settings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("max_retries"), Some(ArgValue::Int(0)));
    assert_eq!(get("timeout"), Some(ArgValue::Float(10.0)));
    assert_eq!(
        get("default_headers"),
        Some(ArgValue::Map(vec![(
            "x-team".into(),
            ArgValue::Text("billing".into())
        )]))
    );
    // Passed again, they make the same client; its Debug keeps the token out.
    let again = enneo::ClientArgs::parse(enneo::ArgStyle::PYTHON, settings).unwrap();
    assert!(!format!("{again:?}").contains("test-token"));
    let rebuilt = again.apply(Client::builder()).unwrap().build().unwrap();
    rebuilt.get_customer(3).await.unwrap();
    let log = server.requests();
    assert_eq!(log[2].header("x-team"), Some("billing"));
    assert_eq!(log[2].header("authorization"), Some("Bearer test-token"));
}

#[tokio::test]
async fn a_fetch_returns_status_headers_request_id_and_retries() {
    let server = mock().await;
    let c = Client::builder()
        .base_url(faulty(&server, "status=503;retry-after-ms=10;fail-first=1"))
        .build()
        .unwrap();
    let fetched = c
        .fetch(
            Operation::GetCustomerByCustomerId,
            83771.into(),
            &RequestOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(fetched.attempts, 2);
    let rid = fetched.request_id.as_deref().unwrap();
    assert!(rid.starts_with("req_"), "{rid}");
    assert_eq!(fetched.headers["x-request-id"], rid);
    assert_eq!(fetched.headers["content-type"], "application/json");
    assert!(fetched.elapsed >= Duration::from_millis(10));
}

#[derive(Default)]
struct Collect(Mutex<Vec<LogRecord>>);

impl LogSink for Collect {
    fn log(&self, record: LogRecord) {
        self.0.lock().unwrap().push(record);
    }
}

#[tokio::test]
async fn log_records_go_to_the_sink_without_the_token() {
    let server = mock().await;
    let sink = Arc::new(Collect::default());
    let c = Client::builder()
        .base_url(faulty(&server, "status=500;retry-after-ms=1;fail-first=1"))
        .token(TOKEN)
        .logger(sink.clone(), LogLevel::Debug)
        .build()
        .unwrap();
    c.get_customer(5).await.unwrap();
    let records = sink.0.lock().unwrap().clone();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0].level, LogLevel::Info);
    assert_eq!(records[0].status, Some(500));
    assert!(
        records[0].message.contains("retry 1"),
        "{}",
        records[0].message
    );
    assert_eq!(records[1].level, LogLevel::Debug);
    assert_eq!(records[1].status, Some(200));
    assert_eq!(records[1].retries, 1);
    assert!(records[1].request_id.is_some());
    // The spec's operationId, as every binding's records name it.
    assert_eq!(records[1].operation, "getCustomerByCustomerId");
    assert_eq!(records[0].error, Some("internal_server_error"));
    let names: Vec<_> = records[1].fields().iter().map(|(n, _)| *n).collect();
    assert_eq!(names, enneo::LOG_FIELDS);
    assert!(records[1]
        .fields()
        .contains(&("status_code", enneo::LogValue::Int(200))));
    for r in &records {
        assert!(!format!("{r:?}").contains(TOKEN));
    }

    // A call's own level wins: Off silences it.
    let quiet = RequestOptions {
        log_level: Some(LogLevel::Off),
        ..RequestOptions::new()
    };
    c.fetch(Operation::GetCustomerByCustomerId, 6.into(), &quiet)
        .await
        .unwrap();
    assert_eq!(sink.0.lock().unwrap().len(), 2);
    // Info keeps the retry (the fault fails each path's first request)
    // and hides the per-request Debug line.
    let info = c
        .with_options(|b| b.logger(sink.clone(), LogLevel::Info))
        .unwrap();
    info.get_customer(7).await.unwrap();
    let records = sink.0.lock().unwrap().clone();
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(records[2].level, LogLevel::Info);
}

#[tokio::test]
async fn tls_lookups_trust_the_given_ca_only() {
    let server = tls_mock().await;
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    // Unknown CA: the handshake fails and says why.
    let err = Client::builder()
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap()
        .get_customer(1)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );

    // The test CA as a path, then as PEM text.
    let pem = std::fs::read_to_string(tls_file("ca.pem")).unwrap();
    for ca in [tls_file("ca.pem"), pem] {
        let c = Client::builder()
            .base_url(server.base_url())
            .ca_cert(ca)
            .build()
            .unwrap();
        assert_eq!(c.get_customer(83771).await.unwrap().id, 83771.into());
    }

    let err = Client::builder()
        .base_url(server.base_url())
        .ca_cert("/nonexistent/ca.pem")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
}

/// What the README shows: a user's own function, tested against the mock.
mod users_code {
    pub async fn greeting(client: &enneo::Client, id: u64) -> String {
        match client.get_customer(id).await {
            Ok(c) => format!("Hello, {}!", c.firstname.unwrap_or_default()),
            Err(e) if e.is_not_found() => "Who are you?".into(),
            Err(e) => format!("error: {}", e.code()),
        }
    }
}

#[tokio::test]
async fn a_user_tests_their_code_with_the_mock() {
    let server = MockServer::start(MockConfig {
        customers: vec![r#"{"id": 7, "firstname": "Ada", "contracts": [{"id": 70}]}"#.into()],
        token: Some("t".into()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .token(server.token().unwrap())
        .build()
        .unwrap();
    assert_eq!(users_code::greeting(&client, 7).await, "Hello, Ada!");
    assert_eq!(users_code::greeting(&client, 8).await, "Who are you?");
    let by_contract = client.get_customer_by_contract_id(70).await.unwrap();
    assert_eq!(by_contract.firstname.as_deref(), Some("Ada"));
    let failing = Client::builder()
        .base_url(server.fault_base_url("status=503"))
        .token("t")
        .max_retries(0)
        .build()
        .unwrap();
    assert_eq!(
        users_code::greeting(&failing, 7).await,
        "error: internal_server_error"
    );
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn the_generated_client_sends_the_same_client_headers_as_a_lookup() {
    let server = mock().await;
    let c = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .user_agent("team-app/2")
        .default_header("X-Team", "billing")
        .unwrap()
        .build()
        .unwrap();
    c.get_customer(1).await.unwrap();
    c.generated()
        .get_customer_by_customer_id()
        .customer_id(2)
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    let [lookup, generated] = &requests[..] else {
        panic!("two requests, got {}", requests.len())
    };
    for name in [
        "authorization",
        "user-agent",
        "x-team",
        "accept",
        "api-version",
    ] {
        assert!(lookup.header(name).is_some(), "{name} missing");
        assert_eq!(lookup.header(name), generated.header(name), "{name}");
        let count =
            |r: &enneo_mock::LoggedRequest| r.headers.iter().filter(|(k, _)| k == name).count();
        assert_eq!(
            (count(lookup), count(generated)),
            (1, 1),
            "{name} sent once"
        );
    }
    assert_eq!(
        generated.header("authorization").unwrap(),
        format!("Bearer {TOKEN}")
    );
    assert_eq!(generated.header("user-agent"), Some("team-app/2"));
}

#[tokio::test]
async fn an_explicit_proxy_carries_every_request_and_keeps_its_credentials_secret() {
    let server = mock().await;
    let root = server.base_url().trim_end_matches("/api/mind").to_owned();
    let via = root.replace("http://", "http://proxyuser:proxy-secret@");
    // A host no resolver knows: the lookup succeeds only through the proxy.
    let builder = Client::builder()
        .base_url("http://enneo.invalid/api/mind")
        .token("test-token")
        .proxy(via)
        .max_retries(0);
    assert!(!format!("{builder:?}").contains("proxy-secret"));
    let c = builder.build().unwrap();
    let customer = c.get_customer(83771).await.unwrap();
    assert_eq!(customer.id.to_string(), "83771");
    let logged = &server.requests()[0];
    assert_eq!(logged.header("host"), Some("enneo.invalid"));
    assert_eq!(logged.path, "/api/mind/customer/byCustomerId/83771");
    // A derived client keeps it.
    let derived = c.with_options(|b| b.max_retries(1)).unwrap();
    derived.get_customer(2).await.unwrap();
    assert_eq!(server.requests()[1].header("host"), Some("enneo.invalid"));

    let bad = Client::builder()
        .base_url(&root)
        .proxy("ftp://u:proxy-secret@host")
        .build()
        .unwrap_err();
    assert!(bad.message().contains("http://"), "{bad}");
    assert!(!bad.message().contains("proxy-secret"), "{bad}");
}

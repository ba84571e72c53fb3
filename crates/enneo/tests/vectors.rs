//! The shared vectors of tests/vectors, which the Python and Node suites
//! read too: request paths, refused ids, payloads (hand-written and 600
//! generated from the spec) and the fault matrix.

mod common;

use std::time::{Duration, Instant};

use enneo::{Client, Error, FlexibleId, Operation, RequestOptions};
use enneo_mock::{MockConfig, MockServer};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn id_of(v: &Value) -> FlexibleId {
    match v {
        Value::String(s) => FlexibleId::Text(s.clone()),
        Value::Number(n) => FlexibleId::Number(n.clone()),
        other => panic!("an id is a string or a number, not {other}"),
    }
}

#[tokio::test]
async fn paths() {
    let server = common::mock().await;
    let client = common::client(&server.base_url());
    for case in load("paths.json")["cases"].as_array().unwrap() {
        server.clear_requests();
        let lookup: enneo::Operation = case["operation"].as_str().unwrap().parse().unwrap();
        let id = id_of(&case["id"]);
        let got = client
            .fetch(lookup, id.clone(), &RequestOptions::new())
            .await
            .unwrap();
        let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, [case["path"].as_str().unwrap()], "{case}");
        assert_eq!(got.customer.id, id, "{case}");
    }
}

#[tokio::test]
async fn invalid_ids() {
    let server = common::mock().await;
    let client = common::client(&server.base_url());
    for case in load("invalid_ids.json")["cases"].as_array().unwrap() {
        let id = match case.get("repeat") {
            Some(r) => r[0]
                .as_str()
                .unwrap()
                .repeat(r[1].as_u64().unwrap() as usize),
            None => case["id"].as_str().unwrap().to_owned(),
        };
        let err = client.get_customer(id.as_str()).await.unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{case}: {err:?}");
        assert_eq!(err.code(), case["code"].as_str().unwrap());
        assert!(
            err.to_string().contains(case["message"].as_str().unwrap()),
            "{case}: {err}"
        );
    }
    assert!(server.requests().is_empty());
}

/// Equal as JSON, numbers compared exactly: integers by their digits,
/// other numbers by their f64 (a typed field prints `1e-8` for `1e-08`).
/// Null members count as absent, as the typed model's `Option`s make them.
fn same_json(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x
                .iter()
                .chain(y.iter())
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k)
                .collect();
            for k in keys {
                let (l, r) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                same_json(l, r, &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                same_json(l, r, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let (tx, ty) = (x.to_string(), y.to_string());
            let integer = |t: &str| !t.contains(['.', 'e', 'E']);
            if integer(&tx) && integer(&ty) {
                assert_eq!(tx, ty, "{at}");
            } else {
                let (fx, fy): (f64, f64) = (tx.parse().unwrap(), ty.parse().unwrap());
                assert_eq!(fx.to_bits(), fy.to_bits(), "{at}: {tx} vs {ty}");
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

#[tokio::test]
async fn payloads_keep_every_field_and_digit() {
    let mut bodies: Vec<String> = load("payloads.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].as_str().unwrap().to_owned())
        .collect();
    bodies.extend(
        load("payloads-generated.json")["bodies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap().to_owned()),
    );
    assert!(bodies.len() >= 600);
    let server = MockServer::start(MockConfig {
        customers: bodies.iter().map(|b| b.clone().into()).collect(),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = common::client(&server.base_url());
    let ids: Vec<FlexibleId> = bodies
        .iter()
        .map(|b| id_of(&serde_json::from_str::<Value>(b).unwrap()["id"]))
        .collect();
    let results = client
        .fetch_many_raw(
            Operation::GetCustomerByCustomerId,
            ids,
            16,
            &RequestOptions::new(),
            |_, _| {},
        )
        .await;
    for (body, got) in bodies.iter().zip(results) {
        let customer: enneo::Customer = got
            .and_then(|raw| raw.decode())
            .unwrap_or_else(|e| panic!("{e}: {}", &body[..body.len().min(300)]));
        let expected: Value = serde_json::from_str(body).unwrap();
        let output = serde_json::to_value(&customer).unwrap();
        same_json(&output, &expected, &format!("payload {}", expected["id"]));
    }
}

#[tokio::test]
async fn fault_matrix() {
    let doc = load("faults.json");
    let token = doc["token"].as_str().unwrap();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let server = MockServer::start(MockConfig {
            token: Some(token.into()),
            ..MockConfig::default()
        })
        .await
        .unwrap();
        let other = common::mock().await;
        let base = if case["base"] == "refused" {
            let closed = common::mock().await;
            let url = closed.base_url();
            drop(closed);
            tokio::time::sleep(Duration::from_millis(20)).await;
            url
        } else {
            let spec = case["fault"]
                .as_str()
                .unwrap()
                .replace("{other}", &other.url());
            server.fault_base_url(&spec)
        };
        let client = Client::builder()
            .base_url(base)
            .token(token)
            .max_retries(case.get("max_retries").and_then(Value::as_u64).unwrap_or(2) as u32)
            .timeout(Duration::from_millis(
                case.get("timeout_ms")
                    .and_then(Value::as_u64)
                    .unwrap_or(10_000),
            ))
            .build()
            .unwrap();
        let started = Instant::now();
        let outcome = client.get_customer(1).await;
        let elapsed = started.elapsed();
        let expect = &case["expect"];
        if expect["ok"] == true {
            outcome.unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            let err = outcome.expect_err(name);
            assert_eq!(
                err.code(),
                expect["code"].as_str().unwrap(),
                "{name}: {err}"
            );
            if let Some(status) = expect.get("status") {
                assert_eq!(err.status().map(u64::from), status.as_u64(), "{name}");
            }
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains(token), "{name}: {shown}");
            }
        }
        if let Some(n) = expect.get("attempts") {
            assert_eq!(
                server.requests().len() as u64,
                n.as_u64().unwrap(),
                "{name}"
            );
        }
        let ms = elapsed.as_millis() as u64;
        assert!(ms <= case["within_ms"].as_u64().unwrap(), "{name}: {ms} ms");
        assert!(
            ms >= case.get("min_ms").and_then(Value::as_u64).unwrap_or(0),
            "{name}: {ms} ms"
        );
        for r in other.requests() {
            assert_eq!(r.header("authorization"), None, "{name}");
        }
        if case["fault"]
            .as_str()
            .is_some_and(|f| f.contains("{other}"))
        {
            assert_eq!(other.requests().len(), 1, "{name}");
        }
    }
}

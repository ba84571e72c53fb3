//! Copied into the scratch repository's `crates/enneo/tests/` by
//! tests/generate/run.sh, after the spec gained `getCustomerByEmail` and
//! `getContract`: the generated typed methods, against the mock.

use enneo::{Client, Operation, RequestOptions};

#[tokio::test]
async fn the_added_operations_are_typed_methods() {
    let server = enneo_mock::MockServer::start(Default::default()).await.unwrap();
    let client = Client::builder().base_url(server.base_url()).build().unwrap();

    let customer: enneo::Customer = client.get_customer_by_email("tom@example.com").await.unwrap();
    assert_eq!(customer.firstname.as_deref(), Some("Tom"));

    let contract: enneo::Contract = client.get_contract(746839).await.unwrap();
    assert_eq!(contract.product_name.as_deref(), Some("Ökostrom Flex"));
    let options = RequestOptions::new().max_retries(0);
    let again = client.get_contract_with("746839", &options).await.unwrap();
    assert_eq!(again, contract);

    let op: Operation = "getContract".parse().unwrap();
    assert_eq!(op.response(), "Contract");
    let raw = client
        .call_raw(op, &[Some("7".into()), Some("tags".into())], None, &RequestOptions::default())
        .await
        .unwrap();
    assert!(std::str::from_utf8(&raw.body).unwrap().contains("12345678901234567890"));

    // The new schema, by name at the crate root: strings keep the text sent.
    let reading: enneo::MeterReading = client.get_reading(1).await.unwrap();
    assert_eq!(reading.read_at.as_deref(), Some("2024-01-02T03:04:05.5Z"));
    assert_eq!(reading.read_on.as_deref(), Some("2024-01-02"));
    assert_eq!(reading.kind.as_deref(), Some("smart"));
    assert_eq!(reading.quality, None);
    assert_eq!(reading.values, vec![1.5, 2.0]);
    assert_eq!(reading.labels.get("site").map(String::as_str), Some("north"));
    let meter: &enneo::MeterReadingMeter = reading.meter.as_ref().unwrap();
    assert_eq!(meter.digits, Some(6));
    let contract: &enneo::MeterReadingContract = reading.contract.as_ref().unwrap();
    assert_eq!(contract.note.as_deref(), Some("n"));
    assert_eq!(contract.id.as_ref().unwrap().to_string(), "12345678901234567890");
    // Typed parameters through call_raw, as a binding binds them.
    let reading_op: Operation = "getReading".parse().unwrap();
    let args = reading_op
        .bind(
            enneo::ArgStyle::PYTHON,
            vec![enneo::ArgValue::Int(3), enneo::ArgValue::Null, enneo::ArgValue::Null, enneo::ArgValue::Null, enneo::ArgValue::Int(2)],
        )
        .unwrap();
    client
        .call_raw(reading_op, &args.params, args.body.as_ref(), &RequestOptions::default())
        .await
        .unwrap();

    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/api/mind/customer/byEmail/tom%40example.com",
            "/api/mind/contract/746839",
            "/api/mind/contract/746839",
            "/api/mind/contract/7?expand=tags",
            "/api/mind/reading/1",
            "/api/mind/reading/3?limit=2",
        ]
    );
}

/// The POST and the DELETE: a body made with the generated builder, checked
/// before sending, sent with every digit and every extra field, and retried
/// under one Idempotency-Key.
#[tokio::test]
async fn bodies_go_out_exact_and_posts_retry_under_one_key() {
    let server = enneo_mock::MockServer::start(Default::default()).await.unwrap();
    let client = Client::builder().base_url(server.base_url()).build().unwrap();

    let body: enneo::NewReading = enneo::NewReading::builder()
        .meter_id(serde_json::from_str::<enneo::FlexibleId>("123456789012345678901234567890").unwrap())
        .kind("actual")
        .value(7.25)
        .read_at(Some("2024-01-02T03:04:05Z".to_owned()))
        .try_into()
        .unwrap();
    let reading: enneo::MeterReading = client.create_reading(&body).await.unwrap();
    assert_eq!(reading.values, vec![7.25]);
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    let text = std::str::from_utf8(&sent.body).unwrap();
    assert!(text.contains(r#""meterId":123456789012345678901234567890"#), "{text}");
    assert!(sent.header("idempotency-key").unwrap().starts_with("enneo-retry-"));
    // Fields the schema does not name: any JSON, checked all the same.
    let op: Operation = "createReading".parse().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(r#"{"meterId":98765432109876543210,"kind":"actual","value":0.1,"source":"app"}"#).unwrap();
    let extra = op.body(&json).unwrap();
    client.call_raw(op, &[], Some(&extra), &RequestOptions::default()).await.unwrap();
    let sent_extra = server.requests().pop().unwrap();
    assert_eq!(
        std::str::from_utf8(&sent_extra.body).unwrap(),
        r#"{"meterId":98765432109876543210,"kind":"actual","value":0.1,"source":"app"}"#
    );

    // A 503 first: the retry carries the same key and body.
    let options = RequestOptions::new().header("x-mock-fault", "fail-first=1;status=503").unwrap();
    client.create_reading_with(&body, &options).await.unwrap();
    let log = server.requests();
    let (a, b) = (&log[log.len() - 2], &log[log.len() - 1]);
    assert_eq!(a.header("idempotency-key"), b.header("idempotency-key"));
    assert_ne!(a.header("idempotency-key"), sent.header("idempotency-key"));
    assert_eq!(a.body, b.body);

    // A body that does not fit the schema is refused before sending.
    let e = op.body(&serde_json::json!({"meterId": 1, "kind": "smart", "value": 1})).unwrap_err();
    assert!(e.to_string().ends_with(r#"body.kind must be one of "actual", "estimated", got "smart""#), "{e}");
    let before = server.requests().len();
    let e = client
        .call_raw(op, &[], None, &RequestOptions::default())
        .await
        .unwrap_err();
    assert!(e.to_string().ends_with("body is required"), "{e}");
    assert_eq!(server.requests().len(), before);

    // The DELETE: its method on the wire, no key, no body.
    let gone: enneo::MeterReading = client.delete_reading(2).await.unwrap();
    assert_eq!(gone.kind.as_deref(), Some("actual"));
    let sent = server.requests().pop().unwrap();
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("DELETE", "/api/mind/reading/2"));
    assert_eq!(sent.header("idempotency-key"), None);
    assert_eq!(op.method(), "POST");
}

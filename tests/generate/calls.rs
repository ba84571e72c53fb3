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
        .call_raw(op, &[Some("7".into()), Some("tags".into())], &RequestOptions::default())
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
    client.call_raw(reading_op, &args, &RequestOptions::default()).await.unwrap();

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

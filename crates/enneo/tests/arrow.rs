//! `Client::customers_arrow` against the mock: every id a row in input
//! order, exact ids, typed columns, unknown and misfit values kept in
//! `_extra`, failures as rows with their error.
#![cfg(feature = "arrow")]

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, TimestampSecondType};
use arrow_array::{Array, RecordBatch};
use enneo::arrow::{customer_schema, ERROR_CODE_COLUMN, ID_COLUMN};
use enneo::{Client, RequestOptions};
use enneo_mock::{MockConfig, MockServer};
use futures::StreamExt;

const ODD: &str = r#"{
  "id": 123456789012345678901234567890,
  "firstname": "Ada",
  "business": "yes",
  "phone": 4915112345678,
  "loyaltyTier": "gold",
  "additionalData": {"a": [1, 2.50]},
  "tags": [{"id": 2, "name": "VIP", "since": 2020}],
  "contracts": [{
    "id": "C-1", "customerId": 123456789012345678901234567890,
    "signupDate": 1661126400, "statusCode": "n/a", "monthlyDeposit": 49.9,
    "rawData": {"x": null}, "registers": [{"obis": "1.8.0"}]
  }]
}"#;

async fn batches(
    server: &MockServer,
    ids: Vec<&'static str>,
    batch_size: usize,
) -> Vec<RecordBatch> {
    let client = Client::builder()
        .base_url(server.base_url())
        .token("t")
        .max_retries(0)
        .build()
        .unwrap();
    let stream = client.customers_arrow(ids, 4, RequestOptions::default(), batch_size);
    stream.map(|b| b.unwrap()).collect().await
}

fn text(batch: &RecordBatch, column: &str, row: usize) -> Option<String> {
    let a = batch.column_by_name(column).unwrap().as_string::<i32>();
    a.is_valid(row).then(|| a.value(row).to_owned())
}

#[tokio::test]
async fn every_id_is_a_row_in_input_order_with_exact_values_and_nothing_lost() {
    let server = MockServer::start(MockConfig {
        customers: vec![ODD.into(), r#"{"id": 7, "firstname": "Bo"}"#.into()],
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let ids = vec!["123456789012345678901234567890", "404", "7", "", "7"];
    let got = batches(&server, ids.clone(), 2).await;
    // Batches of two rows, five rows in all, in input order.
    assert_eq!(
        got.iter().map(RecordBatch::num_rows).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(got.iter().all(|b| b.schema() == customer_schema()));
    let rows: Vec<(RecordBatch, usize)> = got
        .iter()
        .flat_map(|b| (0..b.num_rows()).map(move |r| (b.clone(), r)))
        .collect();
    let looked_up: Vec<String> = rows
        .iter()
        .map(|(b, r)| text(b, ID_COLUMN, *r).unwrap())
        .collect();
    assert_eq!(looked_up, ids);

    let (b, r) = &rows[0];
    // The id's 30 digits, as sent.
    assert_eq!(
        text(b, "id", *r).as_deref(),
        Some("123456789012345678901234567890")
    );
    assert_eq!(text(b, "phone", *r).as_deref(), Some("4915112345678"));
    assert_eq!(text(b, "firstname", *r).as_deref(), Some("Ada"));
    // "yes" does not fit a boolean: null there, kept in _extra with the
    // field the spec does not name.
    assert!(b.column_by_name("business").unwrap().is_null(*r));
    let extra: serde_json::Value = serde_json::from_str(&text(b, "_extra", *r).unwrap()).unwrap();
    assert_eq!(
        extra,
        serde_json::json!({"business": "yes", "loyaltyTier": "gold"})
    );
    assert_eq!(
        text(b, "additionalData", *r).as_deref(),
        Some(r#"{"a":[1,2.50]}"#)
    );
    assert_eq!(text(b, ERROR_CODE_COLUMN, *r), None);

    let tags = b.column_by_name("tags").unwrap().as_list::<i32>().value(*r);
    let tag = tags.as_struct();
    assert_eq!(
        tag.column_by_name("id")
            .unwrap()
            .as_primitive::<Int64Type>()
            .value(0),
        2
    );
    assert_eq!(
        tag.column_by_name("_extra")
            .unwrap()
            .as_string::<i32>()
            .value(0),
        r#"{"since":2020}"#
    );
    let contracts = b
        .column_by_name("contracts")
        .unwrap()
        .as_list::<i32>()
        .value(*r);
    let contract = contracts.as_struct();
    let col = |name: &str| contract.column_by_name(name).unwrap().clone();
    assert_eq!(
        col("customerId").as_string::<i32>().value(0),
        "123456789012345678901234567890"
    );
    assert_eq!(
        col("signupDate")
            .as_primitive::<TimestampSecondType>()
            .value(0),
        1661126400
    );
    assert_eq!(
        col("monthlyDeposit").as_primitive::<Float64Type>().value(0),
        49.9
    );
    assert!(col("statusCode").is_null(0));
    assert_eq!(
        col("_extra").as_string::<i32>().value(0),
        r#"{"statusCode":"n/a"}"#
    );
    assert_eq!(col("rawData").as_string::<i32>().value(0), r#"{"x":null}"#);
    let registers = col("registers").as_list::<i32>().value(0);
    let register = registers.as_struct();
    assert_eq!(
        register
            .column_by_name("_extra")
            .unwrap()
            .as_string::<i32>()
            .value(0),
        r#"{"obis":"1.8.0"}"#
    );

    // A missing customer and a refused id: rows with their errors.
    let (b, r) = &rows[1];
    assert_eq!(text(b, ERROR_CODE_COLUMN, *r).as_deref(), Some("not_found"));
    assert!(b.column_by_name("id").unwrap().is_null(*r));
    let (b, r) = &rows[3];
    assert_eq!(
        text(b, ERROR_CODE_COLUMN, *r).as_deref(),
        Some("invalid_argument")
    );
    assert!(text(b, "_error_message", *r).unwrap().contains("empty"));
    let (b, r) = &rows[4];
    assert_eq!(text(b, "firstname", *r).as_deref(), Some("Bo"));
    assert_eq!(text(b, "_extra", *r), None);
}

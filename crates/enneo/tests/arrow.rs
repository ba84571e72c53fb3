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

/// The mock with `ODD` and a customer 7 without contracts.
async fn odd_server() -> MockServer {
    MockServer::start(MockConfig {
        customers: vec![ODD.into(), r#"{"id": 7, "firstname": "Bo"}"#.into()],
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

fn client_of(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .token("t")
        .max_retries(0)
        .build()
        .unwrap()
}

async fn batches(
    server: &MockServer,
    ids: Vec<&'static str>,
    batch_size: usize,
) -> Vec<RecordBatch> {
    let stream = client_of(server).customers_arrow(ids, 4, RequestOptions::default(), batch_size);
    stream.map(|b| b.unwrap()).collect().await
}

fn text(batch: &RecordBatch, column: &str, row: usize) -> Option<String> {
    let a = batch.column_by_name(column).unwrap().as_string::<i32>();
    a.is_valid(row).then(|| a.value(row).to_owned())
}

#[tokio::test]
async fn every_id_is_a_row_in_input_order_with_exact_values_and_nothing_lost() {
    let server = odd_server().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookups_run_a_bounded_way_ahead_of_the_reader_and_stop_when_it_goes() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .token("t")
        .build()
        .unwrap();
    let ids: Vec<u64> = (1..=1000).collect();
    let mut stream = Box::pin(client.customers_arrow(ids, 4, RequestOptions::default(), 10));
    assert_eq!(stream.next().await.unwrap().unwrap().num_rows(), 10);
    // The reader is busy elsewhere: the next batches are looked up
    // meanwhile, but no further than one batch waiting, one being
    // gathered and the window's lookups in flight.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let ahead = server.requests().len();
    assert!((25..=40).contains(&ahead), "{ahead} requests");
    drop(stream);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let stopped = server.requests().len();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(server.requests().len(), stopped);
    assert!(stopped < 50, "{stopped} requests");
}

#[tokio::test]
async fn frames_have_a_row_per_contract_with_snake_case_columns() {
    use arrow_array::types::TimestampMicrosecondType;
    use enneo::frame::{frame_schema, FrameShape};
    let server = odd_server().await;
    let client = client_of(&server);
    let ids = ["123456789012345678901234567890", "404", "7"].map(|id| (id.into(), None));
    for shape in [
        FrameShape::default(),
        FrameShape {
            contracts: true,
            nested: false,
        },
        FrameShape {
            contracts: true,
            nested: true,
        },
    ] {
        let frames: Vec<_> = client
            .customers_frame_traced(ids.clone(), 2, RequestOptions::default(), 2, shape)
            .map(|b| b.unwrap().0)
            .collect()
            .await;
        let schema = frame_schema(shape).unwrap();
        assert!(frames.iter().all(|b| b.schema() == schema));
        let frame = arrow_select::concat::concat_batches(&schema, &frames).unwrap();
        // One contract, an error and a customer without contracts: 3 rows.
        assert_eq!(frame.num_rows(), 3);
        assert_eq!(text(&frame, "id", 1).as_deref(), Some("404"));
        assert!(text(&frame, "error", 1).unwrap().contains("404"));
        assert_eq!(
            text(&frame, "customer_id", 0).as_deref(),
            Some("123456789012345678901234567890")
        );
        assert_eq!(text(&frame, "customer_firstname", 2).as_deref(), Some("Bo"));
        let id = schema.field_with_name("customer_id").unwrap();
        assert_eq!(id.data_type(), &arrow_schema::DataType::Utf8);
        assert_eq!(schema.fields()[0].name(), "id");
        assert_eq!(
            schema.field_with_name("customer_tags").is_ok(),
            shape.nested
        );
        assert_eq!(
            schema.field_with_name("customer_extra").is_ok(),
            shape.nested
        );
        assert_eq!(
            schema.field_with_name("contract_id").is_ok(),
            shape.contracts
        );
        assert_eq!(
            schema.field_with_name("customer_contracts").is_ok(),
            shape.nested && !shape.contracts
        );
        if shape.contracts {
            assert_eq!(text(&frame, "contract_id", 0).as_deref(), Some("C-1"));
            assert_eq!(text(&frame, "contract_id", 2), None);
            let signup = frame.column_by_name("contract_signup_date").unwrap();
            assert_eq!(
                signup.data_type(),
                &arrow_schema::DataType::Timestamp(
                    arrow_schema::TimeUnit::Microsecond,
                    Some("UTC".into())
                )
            );
            let signup = signup.as_primitive::<TimestampMicrosecondType>();
            assert_eq!(signup.value(0), 1_661_126_400_000_000);
            assert!(signup.is_null(1) && signup.is_null(2));
        }
    }
}

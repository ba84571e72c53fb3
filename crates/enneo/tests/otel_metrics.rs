//! With the `opentelemetry` feature, each lookup is recorded in
//! `http.client.request.duration` on the global meter provider. A binary of
//! its own: the provider is process-global and must be set before the first
//! lookup.
#![cfg(feature = "opentelemetry")]

mod common;

use common::*;
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};

#[tokio::test]
async fn lookups_are_recorded_in_the_duration_histogram() {
    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(exporter.clone()).build())
        .build();
    opentelemetry::global::set_meter_provider(provider.clone());

    let server = mock().await;
    let c = client(&server.base_url());
    for id in 1..=3u64 {
        c.get_customer(id).await.unwrap();
    }
    let failing = client(&faulty(&server, "status=404"));
    assert!(failing.get_customer(9).await.unwrap_err().is_not_found());
    provider.force_flush().unwrap();

    let metrics = exporter.get_finished_metrics().unwrap();
    let histogram = metrics
        .iter()
        .flat_map(|rm| rm.scope_metrics())
        .filter(|sm| sm.scope().name() == "enneo")
        .flat_map(|sm| sm.metrics())
        .find(|m| m.name() == "http.client.request.duration")
        .expect("the histogram was recorded");
    assert_eq!(histogram.unit(), "s");
    let AggregatedMetrics::F64(MetricData::Histogram(data)) = histogram.data() else {
        panic!("an f64 histogram: {:?}", histogram.data())
    };
    let mut by_status: Vec<(String, u64, Vec<String>)> = data
        .data_points()
        .map(|p| {
            let mut keys: Vec<String> = p.attributes().map(|kv| kv.key.to_string()).collect();
            keys.sort();
            let status = p
                .attributes()
                .find(|kv| kv.key.as_str() == "http.response.status_code")
                .map(|kv| kv.value.to_string())
                .unwrap_or_default();
            (status, p.count(), keys)
        })
        .collect();
    by_status.sort();
    assert_eq!(by_status.len(), 2, "{by_status:?}");
    assert_eq!((by_status[0].0.as_str(), by_status[0].1), ("200", 3));
    assert_eq!((by_status[1].0.as_str(), by_status[1].1), ("404", 1));
    assert_eq!(
        by_status[0].2,
        vec![
            "http.request.method",
            "http.response.status_code",
            "server.address",
            "server.port"
        ]
    );
    assert!(by_status[1].2.contains(&"error.type".to_owned()));
}

//! Every lookup is a `tracing` span named after the HTTP method, with the
//! field names of OpenTelemetry's HTTP client conventions; with the
//! `opentelemetry` feature, requests carry the current context's
//! `traceparent`. Against enneo-mock on loopback.

mod common;

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use common::*;
use enneo::Operation;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::Subscriber;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

type Fields = HashMap<String, String>;

/// Keeps the fields of every closed span.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<(String, Fields)>>>);

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::new();
        attrs.record(&mut Visitor(&mut fields));
        ctx.span(id).unwrap().extensions_mut().insert(fields);
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let span = ctx.span(id).unwrap();
        let mut ext = span.extensions_mut();
        values.record(&mut Visitor(ext.get_mut::<Fields>().unwrap()));
    }
    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let span = ctx.span(&id).unwrap();
        let fields = span.extensions_mut().remove::<Fields>().unwrap();
        self.0
            .lock()
            .unwrap()
            .push((span.name().to_owned(), fields));
    }
}

fn recording() -> (Spans, tracing::subscriber::DefaultGuard) {
    let spans = Spans::default();
    let guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(spans.clone()));
    (spans, guard)
}

fn lookups(spans: &Spans) -> Vec<Fields> {
    spans
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|(name, _)| name == "GET")
        .map(|(_, f)| f.clone())
        .collect()
}

#[tokio::test]
async fn a_lookup_is_a_span_with_the_http_client_fields() {
    let server = mock().await;
    let (spans, _guard) = recording();
    client(&server.base_url())
        .get_customer(83771)
        .await
        .unwrap();
    let [span] = &lookups(&spans)[..] else {
        panic!("one span: {:?}", lookups(&spans))
    };
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    let expected: Fields = [
        (
            "otel.name",
            "GET /customer/byCustomerId/{customerId}".to_owned(),
        ),
        ("otel.kind", "client".to_owned()),
        ("operation", "getCustomerByCustomerId".to_owned()),
        ("http.request.method", "GET".to_owned()),
        ("server.address", "127.0.0.1".to_owned()),
        ("server.port", port),
        (
            "url.full",
            format!("{}/customer/byCustomerId/83771", server.base_url()),
        ),
        (
            "http.route",
            "/customer/byCustomerId/{customerId}".to_owned(),
        ),
        ("http.response.status_code", "200".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(span, &expected);
    assert!(span.values().all(|v| !v.contains("test-token")));
}

#[tokio::test]
async fn a_404_after_no_retry_and_a_500_after_retries_are_errors() {
    let server = mock().await;
    let (spans, _guard) = recording();
    let c = client(&faulty(&server, "status=404"));
    assert!(c.get_customer(1).await.unwrap_err().is_not_found());
    let c = client(&faulty(&server, "status=500;retry-after-ms=5"));
    assert_eq!(c.get_customer(2).await.unwrap_err().status(), Some(500));
    let found = lookups(&spans);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["error.type"], "404");
    assert_eq!(found[0]["otel.status_code"], "ERROR");
    assert!(!found[0].contains_key("http.request.resend_count"));
    assert_eq!(found[1]["error.type"], "500");
    assert_eq!(found[1]["http.request.resend_count"], "2");
    assert_eq!(found[1]["http.response.status_code"], "500");
}

#[tokio::test]
async fn a_retried_success_records_its_resends_once() {
    let server = mock().await;
    let (spans, _guard) = recording();
    let c = client(&faulty(&server, "status=503;retry-after-ms=5;fail-first=1"));
    let ids = vec![1u64.into(), 2u64.into()];
    let results = c
        .fetch_many_raw(
            Operation::GetCustomerByCustomerId,
            ids,
            2,
            &enneo::RequestOptions::default(),
            |_, _| {},
        )
        .await;
    assert!(results.iter().all(Result::is_ok));
    let found = lookups(&spans);
    assert_eq!(found.len(), 2, "one span per lookup, not per attempt");
    assert!(found
        .iter()
        .all(|f| f["http.request.resend_count"] == "1" && !f.contains_key("error.type")));
}

#[cfg(feature = "opentelemetry")]
#[tokio::test]
async fn the_current_opentelemetry_context_goes_out() {
    use opentelemetry::trace::{
        SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState,
    };
    let server = mock().await;
    let c = client(&server.base_url());
    let remote = SpanContext::new(
        TraceId::from_hex("0af7651916cd43dd8448eb211c80319c").unwrap(),
        SpanId::from_hex("b7ad6b7169203331").unwrap(),
        TraceFlags::SAMPLED,
        true,
        TraceState::from_key_value([("vendor", "x1")]).unwrap(),
    );
    let cx = opentelemetry::Context::new().with_remote_span_context(remote);
    {
        let _attached = cx.attach();
        c.get_customer(1).await.unwrap();
    }
    // Outside the context: nothing is sent.
    c.get_customer(2).await.unwrap();
    // A context given with the call wins.
    let given = enneo::TraceContext::new(
        "00-11111111111111111111111111111111-2222222222222222-01",
        None,
    )
    .unwrap();
    let options = enneo::RequestOptions {
        trace: Some(given),
        ..Default::default()
    };
    {
        let _attached = opentelemetry::Context::new()
            .with_remote_span_context(SpanContext::new(
                TraceId::from_hex("0af7651916cd43dd8448eb211c80319c").unwrap(),
                SpanId::from_hex("b7ad6b7169203331").unwrap(),
                TraceFlags::SAMPLED,
                true,
                TraceState::NONE,
            ))
            .attach();
        c.call_raw(
            Operation::GetCustomerByCustomerId,
            &[Some(3u64.into())],
            None,
            &options,
        )
        .await
        .unwrap();
    }
    let sent: Vec<(Option<String>, Option<String>)> = server
        .requests()
        .iter()
        .map(|r| {
            let get = |name: &str| {
                r.headers
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            (get("traceparent"), get("tracestate"))
        })
        .collect();
    assert_eq!(
        sent,
        vec![
            (
                Some("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".to_owned()),
                Some("vendor=x1".to_owned())
            ),
            (None, None),
            (
                Some("00-11111111111111111111111111111111-2222222222222222-01".to_owned()),
                None
            ),
        ]
    );
}

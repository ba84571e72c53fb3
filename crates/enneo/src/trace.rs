//! What a lookup's span records, under OpenTelemetry's stable HTTP client
//! semantic conventions.
//!
//! The names and values live here once: the core's own `tracing` span uses
//! them, and the Python and Node bindings copy [`SpanStart`] and
//! [`SpanEnd`] onto the spans they make with their OpenTelemetry APIs (the
//! HTTP runs in Rust, so no instrumentation of their HTTP stacks sees it).
//! The W3C trace context a binding's span hands down travels as a
//! [`TraceContext`] in [`crate::RequestOptions`].

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::{Error, FlexibleId, Operation, RawResponse, Result};

/// Set to `off` (or `false`, `0`, `none`, any case) to keep the bindings
/// from making OpenTelemetry spans and sending trace context.
pub const TRACING_ENV: &str = "ENNEO_TRACING";

/// Whether [`TRACING_ENV`] leaves the bindings' spans on (the default).
pub fn tracing_enabled_from_env() -> bool {
    !std::env::var(TRACING_ENV).is_ok_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "off" | "false" | "0" | "none"
        )
    })
}

/// One attribute value: OpenTelemetry's string or integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanValue {
    /// A string attribute.
    Str(String),
    /// An integer attribute.
    Int(i64),
}

/// Attribute names and values, in the order they are set.
pub type SpanAttributes = Vec<(&'static str, SpanValue)>;

/// The ids of a bulk call with, when spans are recorded, each one's trace
/// context, paired as they are taken. A call holds the ids alone, and
/// contexts only when there are any: a `Vec` of pairs would hold a
/// context's room (80 bytes) for every id, 8 MB per 100 000 ids.
#[derive(Debug)]
pub struct TracedIds {
    ids: std::vec::IntoIter<crate::FlexibleId>,
    traces: std::vec::IntoIter<Option<TraceContext>>,
}

impl TracedIds {
    /// `traces` are the contexts of the first ids, in order; an id past
    /// its end has none (all of them, when it is empty).
    pub fn new(ids: Vec<crate::FlexibleId>, traces: Vec<Option<TraceContext>>) -> Self {
        TracedIds {
            ids: ids.into_iter(),
            traces: traces.into_iter(),
        }
    }
}

impl Iterator for TracedIds {
    type Item = (crate::FlexibleId, Option<TraceContext>);

    fn next(&mut self) -> Option<Self::Item> {
        Some((self.ids.next()?, self.traces.next().flatten()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl ExactSizeIterator for TracedIds {}

/// The W3C `traceparent` (and `tracestate`) for one request, as a
/// binding's propagator wrote them for its span. Checked on creation, so
/// that a malformed value is refused before anything is sent.
#[derive(Debug, Clone)]
pub struct TraceContext {
    traceparent: HeaderValue,
    tracestate: Option<HeaderValue>,
}

impl TraceContext {
    /// A binding's optional `(traceparent, tracestate)` pair, checked as
    /// [`TraceContext::new`] does.
    pub fn from_pair(pair: Option<(String, Option<String>)>) -> Result<Option<Self>> {
        pair.map(|(parent, state)| Self::new(&parent, state.as_deref()))
            .transpose()
    }

    /// Checks `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`, lowercase) and
    /// `tracestate` (any valid header value).
    pub fn new(traceparent: &str, tracestate: Option<&str>) -> Result<Self> {
        let parts: Vec<&str> = traceparent.split('-').collect();
        let hex = |s: &str, n: usize| {
            s.len() == n
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        };
        let well_formed = parts.len() >= 4
            && hex(parts[0], 2)
            && parts[0] != "ff"
            && hex(parts[1], 32)
            && hex(parts[2], 16)
            && hex(parts[3], 2)
            && (parts[0] != "00" || parts.len() == 4);
        if !well_formed {
            return Err(Error::InvalidArgument(format!(
                "traceparent {traceparent:?} is not a W3C trace context"
            )));
        }
        let traceparent = HeaderValue::from_str(traceparent).expect("checked above");
        let tracestate = match tracestate.filter(|s| !s.is_empty()) {
            Some(s) => Some(HeaderValue::from_str(s).map_err(|_| {
                Error::InvalidArgument(
                    "tracestate contains characters not allowed in an HTTP header".into(),
                )
            })?),
            None => None,
        };
        Ok(Self {
            traceparent,
            tracestate,
        })
    }

    /// The context of a span given by its ids and trace flags, as an
    /// OpenTelemetry span context holds them: the W3C form, which a
    /// propagator of another format (B3, Jaeger) does not write.
    pub fn from_ids(
        trace_id: u128,
        span_id: u64,
        flags: u8,
        tracestate: Option<&str>,
    ) -> Result<Self> {
        Self::new(
            &format!("00-{trace_id:032x}-{span_id:016x}-{flags:02x}"),
            tracestate,
        )
    }

    /// The context to send for a binding's span: the `traceparent` and
    /// `tracestate` its propagator wrote, or, when it wrote no
    /// `traceparent` (a propagator of another format: B3, Jaeger), the W3C
    /// form of the span's ids, flags and trace state, which enneo sends
    /// anyway.
    pub fn for_span(
        injected: (Option<String>, Option<String>),
        span: (u128, u64, u8),
        state: Option<&str>,
    ) -> Result<Self> {
        match injected {
            (Some(parent), injected_state) => Self::new(&parent, injected_state.as_deref()),
            (None, _) => Self::from_ids(span.0, span.1, span.2, state),
        }
    }

    /// The `tracestate` as sent, if any.
    pub fn tracestate(&self) -> Option<&str> {
        self.tracestate.as_ref().and_then(|s| s.to_str().ok())
    }

    /// The context of the current OpenTelemetry span, when there is a valid
    /// one (feature `opentelemetry`). The context is thread-local: in a
    /// multi-threaded runtime, carry it into the future with
    /// `opentelemetry::context::FutureExt::with_current_context`.
    #[cfg(feature = "opentelemetry")]
    pub fn from_opentelemetry() -> Option<Self> {
        use opentelemetry::trace::TraceContextExt;
        let cx = opentelemetry::Context::current();
        let span = cx.span();
        let sc = span.span_context();
        if !sc.is_valid() {
            return None;
        }
        Self::from_ids(
            u128::from_be_bytes(sc.trace_id().to_bytes()),
            u64::from_be_bytes(sc.span_id().to_bytes()),
            sc.trace_flags().to_u8(),
            Some(&sc.trace_state().header()),
        )
        .ok()
    }

    /// The `traceparent` as sent.
    pub fn traceparent(&self) -> &str {
        self.traceparent.to_str().expect("checked ASCII")
    }

    /// Sets the headers on a request, replacing any the caller gave.
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(
            HeaderName::from_static("traceparent"),
            self.traceparent.clone(),
        );
        match &self.tracestate {
            Some(state) => {
                headers.insert(HeaderName::from_static("tracestate"), state.clone());
            }
            None => {
                headers.remove("tracestate");
            }
        }
    }
}

/// What a lookup's span starts with: its name (the method and the route
/// template, which keeps the span name's cardinality low) and the
/// attributes known before sending.
#[derive(Debug, Clone)]
pub struct SpanStart {
    /// `GET /customer/byCustomerId/{customerId}`.
    pub name: String,
    /// `http.request.method`, `server.address`, `server.port`, `url.full`
    /// (the token is a header, so it is never in it; user info in the base
    /// URL is dropped), `http.route`.
    pub attributes: SpanAttributes,
}

/// What a lookup's span ends with.
#[derive(Debug, Clone)]
pub struct SpanEnd {
    /// `http.response.status_code` when a response came,
    /// `http.request.resend_count` when the request was sent again, and
    /// `error.type` on failure.
    pub attributes: SpanAttributes,
    /// `error.type` for a failure: the status code for an error status,
    /// else the error's code (`timeout`, `connection_error`, ...). The span's
    /// status is ERROR exactly when it is set.
    pub error_type: Option<String>,
    /// When the lookup ended.
    pub end: SystemTime,
    /// From the call's start to its end: the value of the
    /// `http.client.request.duration` histogram.
    pub duration: Duration,
    /// The attributes the histogram records the duration with: those of
    /// [`METRIC_ATTRIBUTES`] that the start (method, server) and the end
    /// (status, `error.type`) have, so that a binding records them as
    /// they are.
    pub metric_attributes: SpanAttributes,
}

impl SpanStart {
    /// The attributes of the start that the duration histogram keeps.
    pub fn metric_attributes(&self) -> SpanAttributes {
        metric_only(&self.attributes)
    }

    /// The span of each id of a bulk or stream lookup of `lookup`; an id
    /// the core refuses gets none, since nothing is sent for it (its
    /// result is that refusal).
    pub fn for_ids<'a>(
        base_url: &str,
        lookup: Operation,
        ids: impl IntoIterator<Item = &'a FlexibleId>,
    ) -> Vec<Option<Self>> {
        ids.into_iter()
            .map(|id| Self::new(base_url, lookup, &[Some(id.clone())]).ok())
            .collect()
    }

    /// The span of `operation` with `args` sent to `base_url`; fails as the
    /// call itself would on bad arguments.
    pub fn new(base_url: &str, operation: Operation, args: &[Option<FlexibleId>]) -> Result<Self> {
        let target = operation.target(args)?;
        let mut url = reqwest::Url::parse(&format!("{base_url}{target}"))
            .map_err(|e| Error::InvalidArgument(format!("bad URL: {e}")))?;
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let route = operation.path();
        let method = operation.method();
        let mut attributes = vec![("http.request.method", SpanValue::Str(method.into()))];
        attributes.extend(server_attributes(&url));
        attributes.push(("url.full", SpanValue::Str(url.into())));
        attributes.push(("http.route", SpanValue::Str(route.into())));
        Ok(SpanStart {
            name: format!("{method} {route}"),
            attributes,
        })
    }
}

/// The start attributes that depend on the server alone: its address and
/// port.
fn server_attributes(url: &reqwest::Url) -> SpanAttributes {
    vec![
        (
            "server.address",
            SpanValue::Str(url.host_str().unwrap_or_default().to_owned()),
        ),
        (
            "server.port",
            SpanValue::Int(i64::from(url.port_or_known_default().unwrap_or_default())),
        ),
    ]
}

/// A client's own attributes of the duration histogram (its server's, see
/// [`server_attributes`]), made once when the client is built: building
/// them for every lookup cost about 7% of a lookup's instructions.
#[cfg(feature = "opentelemetry")]
#[derive(Debug, Clone, Default)]
pub(crate) struct MetricStart(Vec<opentelemetry::KeyValue>);

#[cfg(feature = "opentelemetry")]
impl MetricStart {
    pub(crate) fn new(base_url: &str) -> Self {
        let Ok(url) = reqwest::Url::parse(base_url) else {
            return Self::default();
        };
        Self(server_attributes(&url).into_iter().map(key_value).collect())
    }
}

#[cfg(feature = "opentelemetry")]
fn key_value((k, v): (&'static str, SpanValue)) -> opentelemetry::KeyValue {
    match v {
        // Shared, so that a clone per lookup does not copy the text.
        SpanValue::Str(s) => opentelemetry::KeyValue::new(k, std::sync::Arc::<str>::from(s)),
        SpanValue::Int(i) => opentelemetry::KeyValue::new(k, i),
    }
}

impl SpanEnd {
    /// The end of a call of `operation` to `base_url` that started
    /// `duration` ago and came to `result`.
    pub fn new(
        base_url: &str,
        operation: Operation,
        result: std::result::Result<&RawResponse, &Error>,
        duration: Duration,
    ) -> Self {
        let (status, attempts, error_type) = match result {
            Ok(r) => (Some(r.status), Some(r.attempts), None),
            Err(e) => (e.status(), e.attempts(), Some(error_type(e))),
        };
        let mut attributes = SpanAttributes::new();
        if let Some(status) = status {
            attributes.push(("http.response.status_code", SpanValue::Int(status.into())));
        }
        if let Some(resends) = attempts.filter(|a| *a > 1).map(|a| a - 1) {
            attributes.push(("http.request.resend_count", SpanValue::Int(resends.into())));
        }
        if let Some(t) = &error_type {
            attributes.push(("error.type", SpanValue::Str(t.clone())));
        }
        let mut metric_attributes = vec![(
            "http.request.method",
            SpanValue::Str(operation.method().into()),
        )];
        if let Ok(url) = reqwest::Url::parse(base_url) {
            metric_attributes.extend(server_attributes(&url));
        }
        metric_attributes.extend(metric_only(&attributes));
        SpanEnd {
            attributes,
            error_type,
            end: SystemTime::now(),
            duration,
            metric_attributes,
        }
    }
}

/// The attributes the duration histogram keeps: a span's, less the
/// high-cardinality ones (`url.full`, the resend count).
pub const METRIC_ATTRIBUTES: &[&str] = &[
    "http.request.method",
    "server.address",
    "server.port",
    "http.response.status_code",
    "error.type",
];

fn metric_only(attributes: &SpanAttributes) -> SpanAttributes {
    attributes
        .iter()
        .filter(|(k, _)| METRIC_ATTRIBUTES.contains(k))
        .cloned()
        .collect()
}

/// The duration histogram of OpenTelemetry's HTTP client conventions, as
/// every language records it: its name, unit and description.
pub const DURATION_METRIC: (&str, &str, &str) = (
    "http.client.request.duration",
    "s",
    "Duration of HTTP client requests.",
);

/// The `error.type` of a lookup whose result was never taken (aborted, or
/// its stream left early): its span ends with it, and no duration is
/// recorded.
pub const ABANDONED_ERROR_TYPE: &str = "aborted";

/// The conventions' advisory bucket boundaries for the duration, in seconds.
pub const DURATION_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

/// Records one lookup in `http.client.request.duration` on the global meter
/// provider's meter `enneo`. The instrument is made on the first lookup, so
/// install the meter provider before it.
///
/// The end's attributes (those of [`METRIC_ATTRIBUTES`] that a span's end
/// adds) come straight from the result: a lookup without a span builds no
/// [`SpanEnd`] for its metric, and with no meter provider set up, the record
/// costs a few hundred instructions.
#[cfg(feature = "opentelemetry")]
pub(crate) fn record_duration(
    start: &MetricStart,
    method: &'static str,
    result: std::result::Result<&RawResponse, &Error>,
    duration: Duration,
) {
    use opentelemetry::metrics::Histogram;
    use opentelemetry::KeyValue;
    static DURATION: std::sync::OnceLock<Histogram<f64>> = std::sync::OnceLock::new();
    let histogram = DURATION.get_or_init(|| {
        let (name, unit, description) = DURATION_METRIC;
        opentelemetry::global::meter("enneo")
            .f64_histogram(name)
            .with_unit(unit)
            .with_description(description)
            .with_boundaries(DURATION_BUCKETS.to_vec())
            .build()
    });
    let (status, error) = match result {
        Ok(r) => (Some(r.status), None),
        Err(e) => (e.status(), Some(error_type(e))),
    };
    let mut attributes = Vec::with_capacity(start.0.len() + 3);
    attributes.push(KeyValue::new("http.request.method", method));
    attributes.extend_from_slice(&start.0);
    if let Some(status) = status {
        attributes.push(KeyValue::new(
            "http.response.status_code",
            i64::from(status),
        ));
    }
    if let Some(error) = error {
        attributes.push(KeyValue::new("error.type", error));
    }
    histogram.record(duration.as_secs_f64(), &attributes);
}

/// The conventions' `error.type`: an error status is its code as text; any
/// other failure is the error's stable code.
pub(crate) fn error_type(e: &Error) -> String {
    match e {
        Error::Status(s) => s.status.to_string(),
        other => other.code().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_is_checked() {
        let good = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        assert_eq!(TraceContext::new(good, None).unwrap().traceparent(), good);
        for bad in [
            "",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
            "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
            "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333\n-01",
        ] {
            assert!(TraceContext::new(bad, None).is_err(), "{bad:?}");
        }
        assert!(TraceContext::new(good, Some("a=b\r\n")).is_err());
        let from_ids = TraceContext::from_ids(
            0x0af7651916cd43dd8448eb211c80319c,
            0xb7ad6b7169203331,
            1,
            None,
        );
        assert_eq!(from_ids.unwrap().traceparent(), good);
        let zeros = TraceContext::from_ids(1, 2, 0, None).unwrap();
        assert_eq!(
            zeros.traceparent(),
            "00-00000000000000000000000000000001-0000000000000002-00"
        );
    }

    #[test]
    fn a_span_sends_what_its_propagator_wrote_else_the_w3c_form() {
        let written = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        let t = TraceContext::for_span(
            (Some(written.into()), Some("k=v".into())),
            (1, 2, 0),
            Some("other=x"),
        )
        .unwrap();
        assert_eq!((t.traceparent(), t.tracestate()), (written, Some("k=v")));
        let b3 = TraceContext::for_span((None, None), (1, 2, 1), Some("k=v")).unwrap();
        assert_eq!(
            (b3.traceparent(), b3.tracestate()),
            (
                "00-00000000000000000000000000000001-0000000000000002-01",
                Some("k=v")
            )
        );
        assert!(TraceContext::for_span((Some("junk".into()), None), (1, 2, 1), None).is_err());
    }

    #[test]
    fn a_refused_id_gets_no_span_and_the_end_keeps_the_metric_attributes() {
        let ids = [
            FlexibleId::from(7),
            FlexibleId::from(""),
            FlexibleId::from("x"),
        ];
        let starts = SpanStart::for_ids(
            "http://h.test:8080",
            Operation::GetCustomerByCustomerId,
            &ids,
        );
        let started: Vec<bool> = starts.iter().map(Option::is_some).collect();
        assert_eq!(started, [true, false, true]);
        let refused = Error::InvalidArgument("no".into());
        let end = SpanEnd::new(
            "http://h.test:8080",
            Operation::GetCustomerByCustomerId,
            Err(&refused),
            Duration::from_millis(3),
        );
        assert_eq!(
            end.metric_attributes,
            [
                ("http.request.method", SpanValue::Str("GET".into())),
                ("server.address", SpanValue::Str("h.test".into())),
                ("server.port", SpanValue::Int(8080)),
                ("error.type", SpanValue::Str("invalid_argument".into())),
            ]
        );
    }

    #[test]
    fn span_start_names_the_route_and_hides_user_info() {
        let s = SpanStart::new(
            "http://user:secret@example.test",
            Operation::GetCustomerByCustomerId,
            &[Some("a b".into())],
        )
        .unwrap();
        assert_eq!(s.name, "GET /customer/byCustomerId/{customerId}");
        let url = s.attributes.iter().find(|(k, _)| *k == "url.full").unwrap();
        assert_eq!(
            url.1,
            SpanValue::Str("http://example.test/customer/byCustomerId/a%20b".into())
        );
        assert!(s.attributes.contains(&("server.port", SpanValue::Int(80))));
        let kept: Vec<&str> = s.metric_attributes().iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kept,
            ["http.request.method", "server.address", "server.port"]
        );
    }
}

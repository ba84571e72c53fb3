//! The native addon behind the `enneo` npm package.
//!
//! Like the Python module it holds no HTTP, retry or classification logic:
//! it runs `enneo::Client` on napi's tokio runtime and hands back plain
//! outcome objects that the JavaScript facade turns into values and `Error`
//! subclasses.

#![deny(clippy::all)]

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures::future::{AbortHandle, AbortRegistration, Abortable};
use futures::{FutureExt, StreamExt};
use napi::bindgen_prelude::{BigInt, FnArgs, JsObjectValue, JsValue, Object, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi::ValueType;
use napi_derive::napi;
use serde_json::Value;

use enneo::{
    ArgStyle, ArgValue, CallArgs, ClientArgs, Error, ErrorRecord, LogLevel, LogRecord, LogSink,
    Operation, RequestOptions,
};

mod arrow_stream;
pub mod mock;

mod stream;

/// Integers up to this magnitude survive `JSON.parse` exactly.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The core's runtime (`enneo::io_runtime`, one I/O thread) replaces
/// napi's default of a worker per core.
/// The addon initialises once per `worker_threads` worker that loads it;
/// the runtime is made once per process.
#[napi_derive::module_init]
fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let runtime = enneo::io_runtime().expect("the tokio runtime starts");
        napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
    });
}

/// A JavaScript value as the core's settings take it (`enneo::ArgValue`):
/// the core checks it and words any refusal, as it does Python's.
fn to_arg_value(v: &Unknown<'_>) -> napi::Result<ArgValue> {
    // SAFETY (each `cast`): the value's type was just read as that type.
    Ok(match v.get_type()? {
        ValueType::Undefined | ValueType::Null => ArgValue::Null,
        ValueType::Boolean => ArgValue::Bool(unsafe { v.cast::<bool>()? }),
        ValueType::Number => {
            let n = unsafe { v.cast::<f64>()? };
            if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 {
                ArgValue::Int(n as i64)
            } else {
                ArgValue::Float(n)
            }
        }
        ValueType::String => ArgValue::Text(unsafe { v.cast::<String>()? }),
        ValueType::Object if v.is_date()? => {
            let date = unsafe { v.cast::<napi::JsDate<'_>>()? };
            match enneo::rfc3339_from_unix_millis(date.value_of()?) {
                Some(text) => ArgValue::DateTime(text),
                None => ArgValue::Other("an invalid Date".into()),
            }
        }
        ValueType::Object if v.is_array()? => {
            let array = unsafe { v.cast::<Object<'_>>()? };
            let mut items = Vec::new();
            for i in 0..array.get_array_length()? {
                items.push(to_arg_value(&array.get_element::<Unknown<'_>>(i)?)?);
            }
            ArgValue::List(items)
        }
        ValueType::Object => ArgValue::Map(object_entries(&unsafe { v.cast::<Object<'_>>()? })?),
        ValueType::Function => ArgValue::Other("a function".into()),
        ValueType::BigInt => match unsafe { v.cast::<BigInt>()? }.get_i128() {
            (n, true) => ArgValue::BigInt(n.to_string()),
            _ => ArgValue::Other("a bigint beyond 128 bits".into()),
        },
        ValueType::Symbol => ArgValue::Other("a symbol".into()),
        _ => ArgValue::Other("an unknown value".into()),
    })
}

/// An operation's arguments as the caller gave them, checked and written
/// by the core against each parameter's type and the body's schema.
fn bind(operation: Operation, args: &[Unknown<'_>]) -> Result<enneo::Bound, Error> {
    let values = args
        .iter()
        .map(to_arg_value)
        .collect::<napi::Result<Vec<_>>>()
        .map_err(|e| Error::InvalidArgument(e.reason.clone()))?;
    operation.bind(ArgStyle::NODE, values)
}

/// An object's own enumerable properties, in their order.
/// A property set to `undefined` is left out, as `JSON.stringify` leaves
/// it out: in a body it is absent, not `null`.
fn object_entries(o: &Object<'_>) -> napi::Result<Vec<(String, ArgValue)>> {
    let mut entries = Vec::new();
    for k in Object::keys(o)? {
        let v = o.get_named_property::<Unknown<'_>>(&k)?;
        if v.get_type()? != ValueType::Undefined {
            entries.push((k, to_arg_value(&v)?));
        }
    }
    Ok(entries)
}

/// A client's settings as the facade passes them (camelCase names, times in
/// milliseconds), checked by the core against `enneo::SETTINGS`.
fn client_args(options: &Object<'_>) -> napi::Result<ClientArgs> {
    ClientArgs::parse(ArgStyle::NODE, object_entries(options)?).map_err(invalid)
}

/// A span's `traceparent` and `tracestate`, as the propagator wrote them.
#[napi(object)]
pub struct TraceArg {
    pub traceparent: String,
    pub tracestate: Option<String>,
}

/// One span attribute: a string or an integer.
#[napi(object)]
pub struct SpanAttribute {
    pub key: String,
    pub text: Option<String>,
    pub int: Option<i64>,
}

/// What a lookup's span starts with (see `enneo::SpanStart`).
#[napi(object)]
pub struct SpanStartInfo {
    pub name: String,
    pub attributes: Vec<SpanAttribute>,
}

/// What a lookup's span ends with (see `enneo::SpanEnd`).
#[napi(object)]
pub struct SpanEndInfo {
    pub attributes: Vec<SpanAttribute>,
    /// What the duration histogram records it with: the start's and the
    /// end's attributes that it keeps.
    pub metric_attributes: Vec<SpanAttribute>,
    pub error_type: Option<String>,
    /// Milliseconds since the epoch.
    pub end_ms: f64,
    pub duration_ms: f64,
}

/// One log record, for the facade's `logger`.
#[napi(object)]
pub struct LogEntry {
    /// The facade's logger this record is for.
    pub sink: u32,
    pub level: String,
    pub message: String,
    pub operation: String,
    pub method: String,
    pub url_path: String,
    pub status_code: Option<u32>,
    pub elapsed_ms: f64,
    pub retries: u32,
    pub request_id: Option<String>,
    pub error_code: Option<String>,
}

/// Sends the core's records to the JS thread through the client's
/// completion function, the queue its calls' outcomes take: a request's
/// records then reach the logger before its promise settles. `sink` names
/// the facade's logger.
struct JsLogSink {
    completion: Arc<Completion>,
    sink: u32,
}

impl LogSink for JsLogSink {
    fn log(&self, r: LogRecord) {
        let entry = LogEntry {
            sink: self.sink,
            level: r.level.as_str().to_owned(),
            message: r.message,
            operation: r.operation.to_owned(),
            method: r.method,
            url_path: r.path,
            status_code: r.status.map(u32::from),
            elapsed_ms: r.elapsed.as_secs_f64() * 1000.0,
            retries: r.retries,
            request_id: r.request_id,
            error_code: r.error.map(str::to_owned),
        };
        let record = Outcome {
            log: Some(entry),
            ..Outcome::default()
        };
        self.completion.call(
            FnArgs::from((0, record)),
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    }
}

/// What one lookup produced.
#[napi(object)]
#[derive(Default)]
pub struct Outcome {
    pub ok: bool,
    /// The customer as JSON, integers beyond 2^53 as exact-digit strings.
    pub json: Option<String>,
    pub error: Option<NativeError>,
    /// The response, for `withResponse()` (single lookups only).
    pub response: Option<ResponseInfo>,
    /// When the lookup was traced: what its span ends with.
    pub span: Option<SpanEndInfo>,
    /// Not an outcome but a log record (call id 0), queued behind the
    /// outcomes before it.
    pub log: Option<LogEntry>,
    /// Not the outcome but a batch of a bulk call's (`getMany`), queued
    /// ahead of it: lookups' outcomes, each with `index` and `done`.
    pub many: Option<Vec<Outcome>>,
    /// Of a bulk call's lookup: its id's position in the input.
    pub index: Option<u32>,
    /// Of a bulk call's lookup: how many are done, this one included.
    pub done: Option<u32>,
}

/// What `withResponse()` tells about a response.
#[napi(object)]
pub struct ResponseInfo {
    pub status: u32,
    /// `name: value` lines in arrival order: one string, so a call that
    /// never asks for them costs one allocation.
    pub headers: String,
    pub request_id: Option<String>,
    pub retries_taken: u32,
    pub elapsed_ms: f64,
}

/// A failed lookup, for the facade's error classes.
#[napi(object)]
pub struct NativeError {
    pub code: String,
    pub message: String,
    pub status: Option<u32>,
    pub body: Option<String>,
    pub request_id: Option<String>,
    pub attempts: Option<u32>,
}

/// Why a guarded call did not produce a value.
pub(crate) enum Failure {
    Api(Error),
    Panic(ErrorRecord),
    Aborted,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Api(e)
    }
}

/// `(callId, outcome) => void`: how every lookup of a client and of the
/// clients derived from it comes back to the JS thread. Weak, so an idle
/// client never keeps Node alive; the facade keeps the loop alive while
/// calls are pending.
type Completion =
    ThreadsafeFunction<FnArgs<(u32, Outcome)>, (), FnArgs<(u32, Outcome)>, Status, false, true>;

/// What a client learnt of the server's rate limit.
#[napi(object)]
pub struct RateLimitState {
    /// Requests a second the client paces itself to; none while the server
    /// has not pushed back.
    pub adaptive_rate: Option<f64>,
    /// 429 answers received, retries included.
    pub rate_limited: f64,
    /// Milliseconds a `Retry-After` still holds every new request back.
    pub held_for_ms: Option<f64>,
}

#[napi]
pub struct NativeClient {
    client: enneo::Client,
    /// One threadsafe function for all calls: napi's `async fn` would make
    /// a threadsafe function, a deferred and an `Error` (a stack trace) per
    /// call, which costs a sequential lookup more than its HTTP round trip's
    /// client-side work.
    completion: Arc<Completion>,
    /// Abort handles of the calls that asked to be cancellable.
    calls: Arc<Mutex<HashMap<u32, AbortHandle>>>,
}

#[napi]
impl NativeClient {
    #[napi(constructor)]
    pub fn new(
        options: Object<'_>,
        #[napi(ts_arg_type = "(callId: number, outcome: Outcome) => void")] completion: Completion,
        log_sink: Option<u32>,
    ) -> napi::Result<Self> {
        let completion = Arc::new(completion);
        let mut builder = enneo::Client::builder();
        if let Some(sink) = log_sink {
            // `options.log_level`, when given, overrides this in `build`.
            let level = LogLevel::from_env().unwrap_or(LogLevel::Off);
            let sink = JsLogSink {
                completion: completion.clone(),
                sink,
            };
            builder = builder.logger(Arc::new(sink), level);
        }
        Self::build(builder, client_args(&options)?, completion)
    }

    /// A client with these settings changed, sharing this one's pool.
    #[napi]
    pub fn derive(&self, options: Object<'_>) -> napi::Result<NativeClient> {
        Self::build(
            self.client.to_builder(),
            client_args(&options)?,
            self.completion.clone(),
        )
    }

    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    #[napi(getter)]
    pub fn has_token(&self) -> bool {
        self.client.has_token()
    }

    /// See `enneo::Client::rate_limit_state`.
    #[napi]
    pub fn rate_limit_state(&self) -> RateLimitState {
        let s = self.client.rate_limit_state();
        RateLimitState {
            adaptive_rate: s.adaptive_rate,
            rate_limited: s.rate_limited as f64,
            held_for_ms: s.held_for.map(|d| d.as_secs_f64() * 1000.0),
        }
    }

    /// Aborts the call with this id, if it is still running.
    #[napi]
    pub fn cancel(&self, call_id: u32) {
        if let Some(handle) = self
            .calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&call_id)
        {
            handle.abort();
        }
    }

    /// Starts one operation (its spec `operationId`) with its arguments in
    /// the operation's order, as the caller gave them (the core checks them
    /// by type; `undefined` leaves an optional one out). Its outcome comes to the
    /// completion function with `call_id`, failures as `ok: false`; a
    /// `cancellable` call can be stopped by `cancel(call_id)`.
    #[napi]
    pub fn get(
        &self,
        operation: String,
        args: Vec<Unknown<'_>>,
        options: Option<Object<'_>>,
        trace: Option<TraceArg>,
        call_id: u32,
        cancellable: bool,
    ) {
        let client = self.client.clone();
        let prepared =
            prepare(&operation, options.as_ref(), trace).and_then(|(operation, opts)| {
                let args = bind(operation, &args)?;
                Ok((operation, opts, args))
            });
        // Boxed: the lookup's future is a few kilobytes, which tokio's task
        // would otherwise copy as it stores and starts it.
        let work = Box::pin(async move {
            let (operation, opts, args) = prepared?;
            Ok(client.call_traced(operation, &args, &opts).await)
        });
        // Registered here, on the JS thread, so that a cancel that follows
        // at once finds the call.
        let abort = cancellable.then(|| self.register(call_id));
        let completion = self.completion.clone();
        napi::bindgen_prelude::spawn(async move {
            let outcome = match guarded(abort, work).await {
                Ok((result, span)) => to_outcome(result.map_err(Failure::Api), span.as_ref(), true),
                Err(f) => failure(f),
            };
            completion.call(
                FnArgs::from((call_id, outcome)),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        });
    }

    /// What the span of `operation` with `args` starts with; bad arguments
    /// throw as the call itself would reject.
    #[napi]
    pub fn span_start(
        &self,
        operation: String,
        args: Vec<Unknown<'_>>,
    ) -> napi::Result<SpanStartInfo> {
        let operation: Operation = operation.parse().map_err(invalid)?;
        let args = bind(operation, &args).map_err(invalid)?;
        let start = enneo::SpanStart::new(self.client.base_url(), operation, &args.params)
            .map_err(invalid)?;
        Ok(start_info(start))
    }

    /// The span of each id of a bulk or stream lookup (ids as `checkIds`
    /// gives them), or null for an id the core refuses: nothing is sent
    /// for it (`enneo::SpanStart::for_ids`).
    #[napi]
    pub fn span_starts(
        &self,
        lookup: String,
        ids: Vec<String>,
    ) -> napi::Result<Vec<Option<SpanStartInfo>>> {
        let lookup: Operation = lookup.parse().map_err(invalid)?;
        let ids: Vec<enneo::FlexibleId> = ids.into_iter().map(enneo::FlexibleId::Text).collect();
        Ok(
            enneo::SpanStart::for_ids(self.client.base_url(), lookup, &ids)
                .into_iter()
                .map(|s| s.map(start_info))
                .collect(),
        )
    }

    /// Many lookups of `lookup` (ids as `checkIds` gives them), at most
    /// `concurrency` in flight, on the core's bulk engine
    /// (`enneo::Client::fetch_many_unordered`, which Python's bulk takes
    /// too). Results come to the completion function with `call_id` in
    /// batches of those ready together (`many`, each with its `index` and
    /// the core's progress count `done`), so that JavaScript turns them
    /// into objects while the rest run; then an outcome without `many`
    /// ends the call. `traces` gives each id's trace context, or null.
    #[napi]
    #[allow(clippy::too_many_arguments)] // flat, as the facade calls it
    pub fn get_many(
        &self,
        lookup: String,
        ids: Vec<String>,
        concurrency: Option<Unknown<'_>>,
        options: Option<Object<'_>>,
        traces: Option<Vec<Option<TraceArg>>>,
        call_id: u32,
        cancellable: bool,
    ) -> napi::Result<()> {
        let concurrency = concurrency
            .as_ref()
            .map_or(Ok(ArgValue::Null), to_arg_value)?;
        let concurrency = ArgStyle::NODE.concurrency(concurrency).map_err(invalid)?;
        let (lookup, options) = prepare(&lookup, options.as_ref(), None).map_err(invalid)?;
        let traces = traces
            .unwrap_or_default()
            .into_iter()
            .map(to_trace)
            .collect::<Result<Vec<_>, Error>>()
            .map_err(invalid)?;
        let ids = ids.into_iter().map(enneo::FlexibleId::Text).collect();
        let ids = enneo::TracedIds::new(ids, traces);
        let client = self.client.clone();
        let completion = self.completion.clone();
        let batches_to = completion.clone();
        let work = Box::pin(async move {
            let results = client.fetch_many_unordered(lookup, ids, concurrency, options);
            let mut results = std::pin::pin!(results);
            // Results wait here while JavaScript takes the batch before
            // them: each crossing then carries what came meanwhile, and
            // the lookups keep running while JavaScript parses.
            let mut waiting: Vec<enneo::Completed> = Vec::new();
            let mut taken: Option<tokio::sync::oneshot::Receiver<()>> = None;
            let mut finished = false;
            loop {
                tokio::select! {
                    next = results.next(), if !finished => match next {
                        Some(c) => waiting.push(c),
                        None => finished = true,
                    },
                    _ = async { taken.as_mut().expect("guarded").await }, if taken.is_some() => {
                        taken = None;
                    }
                }
                if taken.is_none() && !waiting.is_empty() {
                    taken = send_batch(&batches_to, call_id, std::mem::take(&mut waiting));
                }
                if finished && taken.is_none() && waiting.is_empty() {
                    return Ok(());
                }
            }
        });
        let abort = cancellable.then(|| self.register(call_id));
        napi::bindgen_prelude::spawn(async move {
            let outcome = match guarded(abort, work).await {
                Ok(()) => Outcome {
                    ok: true,
                    ..Outcome::default()
                },
                Err(f) => failure(f),
            };
            completion.call(
                FnArgs::from((call_id, outcome)),
                ThreadsafeFunctionCallMode::NonBlocking,
            );
        });
        Ok(())
    }

    /// Starts the lookups of customers into one Arrow IPC stream
    /// (`enneo::Client::customers_arrow`, ids as `checkIds` gives them):
    /// schema, then record batches of at most `batchSize` rows in input
    /// order, taken with `NativeArrowStream.next` or `.rest`.
    #[napi]
    pub fn open_arrow(
        &self,
        ids: Vec<String>,
        concurrency: Option<Unknown<'_>>,
        batch_size: Option<Unknown<'_>>,
        options: Option<Object<'_>>,
    ) -> napi::Result<arrow_stream::NativeArrowStream> {
        let arg = |v: Option<Unknown<'_>>| v.as_ref().map_or(Ok(ArgValue::Null), to_arg_value);
        let concurrency = ArgStyle::NODE
            .concurrency(arg(concurrency)?)
            .map_err(invalid)?;
        let batch_size = ArgStyle::NODE
            .count("batch_size", arg(batch_size)?)
            .map_err(invalid)?;
        let (_, options) = prepare(
            Operation::GetCustomerByCustomerId.operation_id(),
            options.as_ref(),
            None,
        )
        .map_err(invalid)?;
        let batch_size = batch_size.unwrap_or(enneo::arrow::BATCH_SIZE);
        arrow_stream::NativeArrowStream::start(&self.client, ids, concurrency, options, batch_size)
    }

    /// Starts a stream of lookups, fed with `NativeStream.feed`.
    #[napi]
    pub fn open_stream(
        &self,
        lookup: String,
        concurrency: Option<Unknown<'_>>,
        options: Option<Object<'_>>,
    ) -> napi::Result<stream::NativeStream> {
        let concurrency = concurrency
            .as_ref()
            .map_or(Ok(ArgValue::Null), to_arg_value)?;
        let concurrency = ArgStyle::NODE.concurrency(concurrency).map_err(invalid)?;
        let (lookup, options) = prepare(&lookup, options.as_ref(), None).map_err(invalid)?;
        Ok(stream::NativeStream::start(
            self.client.clone(),
            lookup,
            concurrency,
            options,
        ))
    }
}

impl NativeClient {
    fn build(
        builder: enneo::ClientBuilder,
        options: ClientArgs,
        completion: Arc<Completion>,
    ) -> napi::Result<Self> {
        let client = options
            .apply(builder)
            .and_then(|b| b.build())
            .map_err(invalid)?;
        Ok(NativeClient {
            client,
            completion,
            calls: Default::default(),
        })
    }

    /// Makes `call_id` cancellable; the guard forgets it when the call ends.
    fn register(&self, call_id: u32) -> (AbortRegistration, CallGuard) {
        let (handle, registration) = AbortHandle::new_pair();
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(call_id, handle);
        let guard = CallGuard {
            calls: self.calls.clone(),
            call_id,
        };
        (registration, guard)
    }
}

/// Removes a cancellable call's abort handle once the call has ended.
struct CallGuard {
    calls: Arc<Mutex<HashMap<u32, AbortHandle>>>,
    call_id: u32,
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.call_id);
    }
}

/// Runs `work`, abortable when it was registered, so that a panic turns
/// into an error instead of tearing down the process.
async fn guarded<T>(
    abort: Option<(AbortRegistration, CallGuard)>,
    work: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Failure> {
    let work = AssertUnwindSafe(work).catch_unwind();
    let result = match abort {
        None => Ok(work.await),
        Some((registration, _guard)) => Abortable::new(work, registration).await,
    };
    match result {
        Ok(Ok(r)) => r.map_err(Failure::Api),
        Ok(Err(panic)) => Err(Failure::Panic(ErrorRecord::panic(&*panic))),
        Err(_aborted) => Err(Failure::Aborted),
    }
}

/// Hands a batch of a bulk call's results to JavaScript; the receiver
/// resolves once JavaScript has taken it (none when the queue is closing).
fn send_batch(
    completion: &Completion,
    call_id: u32,
    batch: Vec<enneo::Completed>,
) -> Option<tokio::sync::oneshot::Receiver<()>> {
    let many = batch
        .into_iter()
        .map(|c| {
            let (r, span) = c.result;
            Outcome {
                index: Some(u32::try_from(c.index).unwrap_or(u32::MAX)),
                done: Some(u32::try_from(c.done).unwrap_or(u32::MAX)),
                ..to_outcome(r.map_err(Failure::Api), span.as_ref(), false)
            }
        })
        .collect();
    let batch = Outcome {
        many: Some(many),
        ..Outcome::default()
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let status = completion.call_with_return_value(
        FnArgs::from((call_id, batch)),
        ThreadsafeFunctionCallMode::NonBlocking,
        move |_, _| {
            let _ = tx.send(());
            Ok(())
        },
    );
    (status == Status::Ok).then_some(rx)
}

/// Whether `ENNEO_TRACING` leaves OpenTelemetry spans on, as the core
/// reads it for every language.
/// Ids of a bulk or stream lookup as the caller gave them, checked by the
/// core (an integer, a safe number, a bigint or a string) and written as
/// they go on the wire.
#[napi]
pub fn check_ids(ids: Vec<Unknown<'_>>) -> napi::Result<Vec<String>> {
    ids.iter()
        .map(|id| {
            let id = ArgStyle::NODE.id(to_arg_value(id)?).map_err(invalid)?;
            Ok(id.as_text().into_owned())
        })
        .collect()
}

#[napi]
pub fn tracing_enabled() -> bool {
    enneo::tracing_enabled_from_env()
}

/// The trace context to send for a span: what the propagator wrote, else
/// the W3C form of the span's ids (hex, as OpenTelemetry's JS API gives
/// them): the core's rule, `TraceContext::for_span`.
#[napi]
pub fn trace_headers(
    traceparent: Option<String>,
    tracestate: Option<String>,
    trace_id: String,
    span_id: String,
    flags: u32,
    state: Option<String>,
) -> napi::Result<TraceArg> {
    let bad = |what: &str| invalid(Error::InvalidArgument(format!("{what} is not hex")));
    let trace_id = u128::from_str_radix(&trace_id, 16).map_err(|_| bad("trace id"))?;
    let span_id = u64::from_str_radix(&span_id, 16).map_err(|_| bad("span id"))?;
    let t = enneo::TraceContext::for_span(
        (traceparent, tracestate),
        (trace_id, span_id, (flags & 0xff) as u8),
        state.as_deref(),
    )
    .map_err(invalid)?;
    Ok(TraceArg {
        traceparent: t.traceparent().to_owned(),
        tracestate: t.tracestate().map(str::to_owned),
    })
}

/// The histogram's advisory bucket boundaries, in seconds (the core's).
#[napi]
pub fn duration_buckets() -> Vec<f64> {
    enneo::DURATION_BUCKETS.to_vec()
}

/// The duration histogram's name, unit and description.
#[napi(object)]
pub struct DurationMetric {
    pub name: String,
    pub unit: String,
    pub description: String,
}

#[napi]
pub fn duration_metric() -> DurationMetric {
    let (name, unit, description) = enneo::DURATION_METRIC;
    DurationMetric {
        name: name.into(),
        unit: unit.into(),
        description: description.into(),
    }
}

/// The `error.type` of a lookup whose result was never taken.
#[napi]
pub fn abandoned_error_type() -> &'static str {
    enneo::ABANDONED_ERROR_TYPE
}

fn span_attributes(a: &enneo::SpanAttributes) -> Vec<SpanAttribute> {
    a.iter()
        .map(|(key, value)| SpanAttribute {
            key: (*key).to_owned(),
            text: match value {
                enneo::SpanValue::Str(s) => Some(s.clone()),
                enneo::SpanValue::Int(_) => None,
            },
            int: match value {
                enneo::SpanValue::Int(i) => Some(*i),
                enneo::SpanValue::Str(_) => None,
            },
        })
        .collect()
}

fn start_info(start: enneo::SpanStart) -> SpanStartInfo {
    SpanStartInfo {
        attributes: span_attributes(&start.attributes),
        name: start.name,
    }
}

pub(crate) fn span_end_info(end: &enneo::SpanEnd) -> SpanEndInfo {
    let end_ms = end
        .end
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default();
    SpanEndInfo {
        attributes: span_attributes(&end.attributes),
        metric_attributes: span_attributes(&end.metric_attributes),
        error_type: end.error_type.clone(),
        end_ms,
        duration_ms: end.duration.as_secs_f64() * 1000.0,
    }
}

pub(crate) fn to_trace(arg: Option<TraceArg>) -> Result<Option<enneo::TraceContext>, Error> {
    enneo::TraceContext::from_pair(arg.map(|t| (t.traceparent, t.tracestate)))
}

/// `ENNEO_LOG` as the core reads it for every language: `debug`, `info`,
/// `warn`, `error`, `off`, or null when unset or not a level.
#[napi]
pub fn env_log_level() -> Option<&'static str> {
    LogLevel::from_env().map(LogLevel::as_str)
}

/// The fields of every log record (`enneo::LOG_FIELDS`), in camelCase.
#[napi]
pub fn log_fields() -> Vec<String> {
    enneo::LOG_FIELDS
        .iter()
        .map(|f| ArgStyle::NODE.name(f))
        .collect()
}

fn invalid(e: Error) -> napi::Error {
    napi::Error::new(Status::InvalidArg, e.message())
}

/// The lookup and per-call options (`enneo::CALL_OPTIONS`, read from the
/// caller's options object by their Node names), checked by the core.
fn prepare(
    lookup: &str,
    options: Option<&Object<'_>>,
    trace: Option<TraceArg>,
) -> Result<(Operation, RequestOptions), Error> {
    let mut given = Vec::new();
    if let Some(o) = options {
        for option in enneo::CALL_OPTIONS {
            let value = o
                .get_named_property::<Unknown<'_>>(option.node)
                .and_then(|v| to_arg_value(&v))
                .map_err(|e| Error::InvalidArgument(e.reason.clone()))?;
            given.push((option.node, value));
        }
    }
    let args = CallArgs {
        options: given,
        log_level: None,
        trace: trace.map(|t| (t.traceparent, t.tracestate)),
    };
    ArgStyle::NODE.call(lookup, args)
}

fn header_lines(raw: &enneo::RawResponse) -> String {
    let mut out = String::new();
    for (k, v) in &raw.headers {
        out.push_str(k.as_str());
        out.push_str(": ");
        out.push_str(&String::from_utf8_lossy(v.as_bytes()));
        out.push('\n');
    }
    out
}

/// A lookup's result for the facade, with its span's end when it was
/// traced; `with_response` adds what `withResponse()` shows (single
/// lookups; stream results drop headers).
pub(crate) fn to_outcome(
    result: Result<enneo::RawResponse, Failure>,
    span: Option<&enneo::SpanEnd>,
    with_response: bool,
) -> Outcome {
    match result {
        Ok(raw) => {
            let response = with_response.then(|| ResponseInfo {
                status: u32::from(raw.status),
                headers: header_lines(&raw),
                request_id: raw.request_id.clone(),
                retries_taken: raw.retries_taken(),
                elapsed_ms: raw.elapsed.as_secs_f64() * 1000.0,
            });
            Outcome {
                ok: true,
                json: Some(js_safe_json(raw.body, raw.big_integers)),
                response,
                span: span.map(span_end_info),
                ..Outcome::default()
            }
        }
        Err(f) => Outcome {
            span: span.map(span_end_info),
            ..failure(f)
        },
    }
}

/// The body for `JSON.parse` on the JS thread: as it came, or, when the
/// core's check saw integers beyond 2^53, a copy with those turned into
/// strings of their exact digits: `JSON.parse` would round them, and a
/// `BigInt` would make `JSON.stringify(customer)` throw.
fn js_safe_json(body: bytes::Bytes, big_integers: bool) -> String {
    if big_integers {
        // check_json_object has accepted the body, so this parse succeeds.
        if let Ok(mut value) = serde_json::from_slice::<Value>(&body) {
            stringify_unsafe_integers(&mut value);
            return value.to_string();
        }
    }
    // A body held alone (as bulk results are) becomes the String without a copy.
    match String::from_utf8(Vec::from(body)) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn stringify_unsafe_integers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            // serde_json keeps the number's text (`arbitrary_precision`): an
            // integer is unsafe beyond 2^53, and always beyond 64 bits.
            let unsafe_int = match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u > MAX_SAFE_INTEGER,
                (None, Some(i)) => i.unsigned_abs() > MAX_SAFE_INTEGER,
                (None, None) => !n.to_string().contains(['.', 'e', 'E']),
            };
            if unsafe_int {
                *v = Value::String(n.to_string());
            }
        }
        Value::Array(items) => items.iter_mut().for_each(stringify_unsafe_integers),
        Value::Object(map) => map.values_mut().for_each(stringify_unsafe_integers),
        _ => {}
    }
}

pub(crate) fn failure(f: Failure) -> Outcome {
    let r = match f {
        Failure::Panic(record) => record,
        Failure::Aborted => ErrorRecord::aborted(),
        Failure::Api(e) => ErrorRecord::from(&e),
    };
    let error = NativeError {
        code: r.code.to_owned(),
        message: r.message,
        status: r.status.map(u32::from),
        body: r.body.map(|b| String::from_utf8_lossy(&b).into_owned()),
        request_id: r.request_id,
        attempts: r.attempts,
    };
    Outcome {
        error: Some(error),
        ..Outcome::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unsafe_integers_become_exact_strings_and_floats_keep_their_digits() {
        let body = br#"{"a":9007199254740993,"b":123456789012345678901234567890,"c":-9223372036854775809,"d":3.402823466e+38,"e":5.960464477539063e-08,"f":9007199254740991}"#;
        let out = super::js_safe_json(bytes::Bytes::from_static(body), true);
        assert_eq!(
            out,
            r#"{"a":"9007199254740993","b":"123456789012345678901234567890","c":"-9223372036854775809","d":3.402823466e+38,"e":5.960464477539063e-08,"f":9007199254740991}"#
        );
    }
}

//! The native addon behind the `enneo` npm package.
//!
//! Like the Python module it holds no HTTP, retry or classification logic:
//! it runs `enneo::Client` on napi's tokio runtime and hands back plain
//! outcome objects that the JavaScript facade turns into values and `Error`
//! subclasses.

#![deny(clippy::all)]

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::{AbortHandle, Abortable};
use futures::FutureExt;
use napi::Status;
use napi_derive::napi;
use serde_json::Value;

use enneo::{Error, FlexibleId, Lookup, RequestOptions};

mod stream;

/// Integers up to this magnitude survive `JSON.parse` exactly.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// `(done, total) => void`, called without an error argument; weak, so a
/// pending callback never keeps Node alive.
/// Settings of a client; times in milliseconds.
/// One I/O thread for every request of this process: a lookup's future and
/// its connection task then share a thread, so a call costs one wake-up
/// each way between the JS thread and it, where napi's default (a worker
/// per core) adds hops between workers. On a 2-core machine it measured
/// faster sequentially and under 64 concurrent lookups.
/// The addon initialises once per `worker_threads` worker that loads it;
/// the runtime is made once per process.
#[napi_derive::module_init]
fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("enneo-io")
            .enable_all()
            .build()
            .expect("the tokio runtime starts");
        napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
    });
}

#[napi(object)]
pub struct NativeOptions {
    pub token: Option<String>,
    pub base_url: Option<String>,
    pub timeout_ms: f64,
    pub connect_timeout_ms: f64,
    pub max_retries: u32,
    pub max_requests_per_second: Option<f64>,
    pub user_agent: String,
}

/// What one lookup produced.
#[napi(object)]
pub struct Outcome {
    pub ok: bool,
    /// The customer as JSON, integers beyond 2^53 as exact-digit strings.
    pub json: Option<String>,
    pub error: Option<NativeError>,
}

/// A failed lookup, for the facade's error classes.
#[napi(object)]
pub struct NativeError {
    pub code: String,
    pub message: String,
    pub status: Option<u32>,
    pub body: Option<String>,
    pub request_id: Option<String>,
}

/// Why a guarded call did not produce a value.
pub(crate) enum Failure {
    Api(Error),
    Panic(String),
    Aborted,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Api(e)
    }
}

#[napi]
pub struct NativeClient {
    client: enneo::Client,
    calls: Arc<Mutex<HashMap<u32, AbortHandle>>>,
    next_call: AtomicU32,
}

#[napi]
impl NativeClient {
    #[napi(constructor)]
    pub fn new(options: NativeOptions) -> napi::Result<Self> {
        enneo::logging::init_from_env();
        let mut b = enneo::Client::builder()
            .timeout(millis(options.timeout_ms, "timeout")?)
            .connect_timeout(millis(options.connect_timeout_ms, "connectTimeout")?)
            .max_retries(options.max_retries)
            .user_agent(options.user_agent);
        if let Some(t) = options.token {
            b = b.token(t);
        }
        if let Some(r) = options.max_requests_per_second {
            b = b.max_requests_per_second(r);
        }
        if let Some(u) = options.base_url {
            b = b.base_url(u);
        }
        let client = b
            .build()
            .map_err(|e| napi::Error::new(Status::InvalidArg, e.message()))?;
        Ok(NativeClient {
            client,
            calls: Default::default(),
            next_call: AtomicU32::new(1),
        })
    }

    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    #[napi(getter)]
    pub fn has_token(&self) -> bool {
        self.client.has_token()
    }

    /// Reserves an id that `cancel` can later abort a call by.
    #[napi]
    pub fn new_call_id(&self) -> u32 {
        self.next_call.fetch_add(1, Ordering::Relaxed)
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

    /// One lookup. Never rejects: failures come back as `ok: false`.
    #[napi]
    pub async fn get(
        &self,
        lookup: u32,
        id: String,
        timeout_ms: Option<f64>,
        call_id: Option<u32>,
    ) -> Outcome {
        let client = self.client.clone();
        let prepared = prepare(lookup, timeout_ms);
        let work = async move {
            let (lookup, opts) = prepared?;
            client.fetch_json(lookup, FlexibleId::Text(id), &opts).await
        };
        let outcome = self.guarded(call_id, work).await;
        to_outcome(outcome)
    }

    /// Many lookups, `concurrency` at a time, in input order.
    /// Starts a stream of lookups, fed with `NativeStream.feed`.
    #[napi]
    pub fn open_stream(
        &self,
        lookup: u32,
        concurrency: u32,
        timeout_ms: Option<f64>,
    ) -> napi::Result<stream::NativeStream> {
        let (lookup, options) = prepare(lookup, timeout_ms)
            .map_err(|e| napi::Error::new(Status::InvalidArg, e.message()))?;
        Ok(stream::NativeStream::start(
            self.client.clone(),
            lookup,
            concurrency.max(1) as usize,
            options,
        ))
    }

    /// Panics inside Rust, to prove a panic becomes a rejected Promise.
    #[napi]
    pub async fn debug_panic(&self) -> Outcome {
        let work = async {
            if std::hint::black_box(true) {
                panic!("deliberate panic for testing");
            }
            Err::<enneo::RawResponse, Error>(Error::InvalidArgument("unreachable".into()))
        };
        to_outcome(self.guarded(None, work).await)
    }
}

impl NativeClient {
    /// Runs `work` so that `cancel(call_id)` can abort it and a panic turns
    /// into an error instead of tearing down the process.
    async fn guarded<T>(
        &self,
        call_id: Option<u32>,
        work: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<T, Failure> {
        let (handle, registration) = AbortHandle::new_pair();
        if let Some(id) = call_id {
            self.calls
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id, handle);
        }
        let result = Abortable::new(AssertUnwindSafe(work).catch_unwind(), registration).await;
        if let Some(id) = call_id {
            self.calls
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&id);
        }
        match result {
            Ok(Ok(r)) => r.map_err(Failure::Api),
            Ok(Err(panic)) => Err(Failure::Panic(panic_text(&panic))),
            Err(_aborted) => Err(Failure::Aborted),
        }
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

fn millis(ms: f64, name: &str) -> napi::Result<Duration> {
    if !(ms.is_finite() && ms > 0.0) {
        return Err(napi::Error::new(
            Status::InvalidArg,
            format!("{name} must be a positive number of milliseconds"),
        ));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

fn prepare(lookup: u32, timeout_ms: Option<f64>) -> Result<(Lookup, RequestOptions), Error> {
    let lookup = match lookup {
        0 => Lookup::CustomerId,
        1 => Lookup::ContractId,
        2 => Lookup::TicketId,
        _ => return Err(Error::InvalidArgument("unknown lookup".into())),
    };
    let timeout = match timeout_ms {
        None => None,
        Some(ms) if ms.is_finite() && ms > 0.0 => Some(Duration::from_secs_f64(ms / 1000.0)),
        Some(_) => {
            return Err(Error::InvalidArgument(
                "timeout must be a positive number of milliseconds".into(),
            ))
        }
    };
    Ok((lookup, RequestOptions { timeout }))
}

pub(crate) fn to_outcome(result: Result<enneo::RawResponse, Failure>) -> Outcome {
    match result {
        Ok(raw) => Outcome {
            ok: true,
            json: Some(js_safe_json(raw.body)),
            error: None,
        },
        Err(f) => failure(&f),
    }
}

/// The body as it came when every integer is safe for JavaScript, else a
/// copy with the unsafe ones turned into strings of their exact digits:
/// `JSON.parse` would round them, and a `BigInt` would make
/// `JSON.stringify(customer)` throw.
/// The body for `JSON.parse` on the JS thread. Only a body with a run of
/// 16+ digits outside strings is decoded here, to turn integers beyond 2^53
/// into strings of their exact digits.
fn js_safe_json(body: bytes::Bytes) -> String {
    if may_hold_big_integer(&body) {
        // check_json_object has accepted the body, so this parse succeeds.
        if let Ok(mut value) = serde_json::from_slice::<Value>(&body) {
            if stringify_unsafe_integers(&mut value) {
                return value.to_string();
            }
        }
    }
    // A body held alone (as bulk results are) becomes the String without a copy.
    match String::from_utf8(Vec::from(body)) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// A cheap pre-check: an unsafe integer needs at least 16 digits in a row
/// outside a string. Digits inside strings (IBANs, meter numbers) do not
/// count, so the usual payload skips the full parse.
fn may_hold_big_integer(body: &[u8]) -> bool {
    let (mut in_string, mut escaped, mut run) = (false, false, 0u32);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b.is_ascii_digit() {
            run += 1;
            if run >= 16 {
                return true;
            }
        } else {
            run = 0;
            in_string = b == b'"';
        }
    }
    false
}

fn stringify_unsafe_integers(v: &mut Value) -> bool {
    match v {
        Value::Number(n) => {
            let unsafe_int = n.as_u64().is_some_and(|u| u > MAX_SAFE_INTEGER)
                || n.as_i64()
                    .is_some_and(|i| i.unsigned_abs() > MAX_SAFE_INTEGER);
            if unsafe_int {
                *v = Value::String(n.to_string());
            }
            unsafe_int
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |acc, x| stringify_unsafe_integers(x) | acc),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |acc, x| stringify_unsafe_integers(x) | acc),
        _ => false,
    }
}

fn failure(f: &Failure) -> Outcome {
    let error = match f {
        Failure::Panic(what) => NativeError {
            code: "internal_error".into(),
            message: format!("internal error in the enneo core: {what}"),
            status: None,
            body: None,
            request_id: None,
        },
        Failure::Aborted => NativeError {
            code: "aborted".into(),
            message: "request was aborted".into(),
            status: None,
            body: None,
            request_id: None,
        },
        Failure::Api(e) => NativeError {
            code: e.code().to_owned(),
            message: e.message(),
            status: e.status().map(u32::from),
            body: e.body().map(|b| String::from_utf8_lossy(b).into_owned()),
            request_id: e.request_id().map(str::to_owned),
        },
    };
    Outcome {
        ok: false,
        json: None,
        error: Some(error),
    }
}

#[cfg(test)]
mod tests {
    use super::may_hold_big_integer as check_body;

    #[test]
    fn prefilter_sees_long_numbers_only_outside_strings() {
        assert!(!check_body(
            br#"{"iban":"DE89370400440532013000","id":83771}"#
        ));
        assert!(check_body(br#"{"id":9007199254740993}"#));
        assert!(check_body(br#"{"a":"x\"","id":1234567890123456}"#));
        assert!(!check_body(br#"{"a":"\\","b":"12345678901234567890"}"#));
        assert!(!check_body(b"{\"n\":123456789012345}"));
    }
}

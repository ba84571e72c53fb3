//! `enneo._native`: the Rust core behind the `enneo` Python package.
//!
//! It holds no HTTP, retry or error-classification logic of its own: it
//! converts arguments, runs `enneo::Client` on a tokio runtime with the GIL
//! released, and turns results into plain Python objects that the
//! hand-written `enneo` package wraps.

mod arrow;
mod bridge;
mod convert;
mod errors;
mod json;
mod local;
mod mock;
mod runtime;
mod stream;
mod trace;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bridge::spawn_awaitable;
use futures::FutureExt;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use enneo::{
    ArgStyle, CallArgs, ClientArgs, Error, FlexibleId, LogLevel, LogRecord, LogSink, Operation,
    RequestOptions,
};

/// How often a blocking call looks for Ctrl-C.
pub(crate) const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// What a client is built from: every setting for a root client, only the
/// changes for a derived one (`with_options`), which shares its parent's
/// pools.
struct Base {
    args: ClientArgs,
    parent: Option<Arc<Base>>,
    /// The client on the shared runtime (async and bulk calls) and the
    /// process that built it: a forked child rebuilds it, because the
    /// parent's pooled connections belong to a runtime that does not exist
    /// in the child.
    shared: Mutex<Option<(u32, enneo::Client)>>,
    /// Names this client in each thread's pool of blocking-call clients.
    owner: local::Owner,
}

impl Base {
    /// Builds from `parent`'s client when derived, else from scratch, in the
    /// current runtime context. With `limit_of`, the client counts against
    /// that client's rate limit instead of one of its own.
    fn build(
        &self,
        py: Python<'_>,
        parent: Option<enneo::Client>,
        limit_of: Option<&enneo::Client>,
    ) -> PyResult<enneo::Client> {
        let builder = match parent {
            Some(p) => p.to_builder(),
            // The level is decided per call (see `log_level`).
            None => enneo::Client::builder().logger(Arc::new(PyLogSink), LogLevel::Off),
        };
        self.args
            .clone()
            .apply(builder)
            .map(|b| match limit_of {
                Some(c) => b.share_rate_limit(c),
                None => b,
            })
            .and_then(|b| b.build())
            .map_err(|e| errors::to_pyerr(py, e))
    }

    /// The client for async and bulk calls, on the shared runtime.
    fn shared(&self, py: Python<'_>) -> PyResult<enneo::Client> {
        let pid = std::process::id();
        {
            let slot = self.shared.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((owner, c)) = slot.as_ref() {
                if *owner == pid {
                    return Ok(c.clone());
                }
            }
        }
        let parent = self.parent.as_ref().map(|p| p.shared(py)).transpose()?;
        let rt = runtime::get();
        let _guard = rt.enter();
        let client = self.build(py, parent, None)?;
        *self.shared.lock().unwrap_or_else(|p| p.into_inner()) = Some((pid, client.clone()));
        Ok(client)
    }

    /// This thread's client for blocking calls, with its runtime: a pool of
    /// its own, but the rate limit of the shared client, so that one limit
    /// holds across threads, blocking, async, bulk and streaming calls.
    fn local(&self, py: Python<'_>) -> PyResult<(Arc<tokio::runtime::Runtime>, enneo::Client)> {
        local::thread_client(&self.owner, || {
            let shared = self.shared(py)?;
            let parent = self
                .parent
                .as_ref()
                .map(|p| p.local(py).map(|(_, c)| c))
                .transpose()?;
            self.build(py, parent, Some(&shared))
        })
    }
}

/// Hands the core's log records to `enneo._logging._emit`, which passes
/// them to `logging.getLogger("enneo")`.
struct PyLogSink;

impl LogSink for PyLogSink {
    fn log(&self, r: LogRecord) {
        Python::attach(|py| {
            let sent = (|| -> PyResult<()> {
                let fields = PyDict::new(py);
                for (name, value) in r.fields() {
                    match value {
                        enneo::LogValue::Text(t) => fields.set_item(name, t)?,
                        enneo::LogValue::Int(n) => fields.set_item(name, n)?,
                        enneo::LogValue::Float(x) => fields.set_item(name, x)?,
                        enneo::LogValue::Absent => fields.set_item(name, py.None())?,
                    }
                }
                py.import("enneo._logging")?.getattr("_emit")?.call1((
                    r.level.as_str(),
                    &r.message,
                    fields,
                ))?;
                Ok(())
            })();
            if let Err(e) = sent {
                e.write_unraisable(py, None);
            }
        });
    }
}

/// The native client. Not for direct use: see `enneo.Client`.
#[pyclass(frozen, module = "enneo._native")]
struct NativeClient {
    base: Arc<Base>,
    base_url: String,
    has_token: bool,
}

/// Per-call arguments as the Python layer passes them: the options of
/// `enneo::CALL_OPTIONS` in the table's order, as the caller gave them
/// (the core checks them), and the level the `enneo` logger takes.
type FlatCallArgs<'py> = (
    Option<Bound<'py, PyAny>>,
    Option<Bound<'py, PyAny>>,
    Option<Bound<'py, PyAny>>,
    Option<String>,
);

#[pymethods]
impl NativeClient {
    /// Keyword arguments: the settings of `enneo::SETTINGS`, each optional,
    /// checked by the core.
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Self::from_base(py, Base::new(client_args(py, kwargs)?, None))
    }

    /// A client with these settings changed (the same keywords), sharing
    /// this one's pools.
    #[pyo3(signature = (**kwargs))]
    fn derive(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Self::from_base(
            py,
            Base::new(client_args(py, kwargs)?, Some(self.base.clone())),
        )
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn has_token(&self) -> bool {
        self.has_token
    }

    /// `(adaptive_rate, rate_limited, held_for)`: see
    /// `enneo::Client::rate_limit_state`; `held_for` in seconds.
    fn rate_limit_state(&self, py: Python<'_>) -> PyResult<(Option<f64>, u64, Option<f64>)> {
        let s = self.base.shared(py)?.rate_limit_state();
        Ok((
            s.adaptive_rate,
            s.rate_limited,
            s.held_for.map(|d| d.as_secs_f64()),
        ))
    }

    /// The settings as resolved (the environment's included), as keyword
    /// arguments of `NativeClient`, for pickling. Contains the token.
    fn _settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, value) in self.base.shared(py)?.settings(ArgStyle::PYTHON) {
            d.set_item(name, convert::from_arg_value(py, &value)?)?;
        }
        Ok(d)
    }

    /// One operation (its spec `operationId`), with its arguments in the
    /// operation's order (a trailing `None` ends them), blocking, on this
    /// thread (see `local`); the GIL is released while it runs and Ctrl-C
    /// interrupts it. The decoded JSON object (a `dict`), or with `raw`, a
    /// tuple `(body, status, headers, retries_taken, request_id, elapsed_seconds)`.
    /// With `trace` (the `traceparent` and `tracestate` of the caller's
    /// span), the request carries them and the result, error included, is
    /// returned as `(result, span_end)` (see `trace::end_to_py`).
    #[pyo3(signature = (operation, args, timeout=None, max_retries=None, headers=None, log_level=None, raw=false, trace=None))]
    #[allow(clippy::too_many_arguments)] // the per-call options, flat for speed
    fn get(
        &self,
        py: Python<'_>,
        operation: &str,
        args: &Bound<'_, PyAny>,
        timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        headers: Option<Bound<'_, PyAny>>,
        log_level: Option<String>,
        raw: bool,
        trace: trace::TraceArg,
    ) -> PyResult<Py<PyAny>> {
        let prepared = prepare(operation, (timeout, max_retries, headers, log_level), trace)?
            .map_err(|e| errors::to_pyerr(py, e))?;
        let args = convert::to_args(prepared.0, args)?;
        let outcome = local::block_on(py, self.base.local(py)?, |client| async move {
            let (operation, opts) = prepared;
            if raw {
                let (result, end) = client.call_traced(operation, &args, &opts).await;
                return (Python::attach(|py| result_to_py(py, result, true)), end);
            }
            // The body is decoded here, on this thread, as it is checked:
            // read once, where a lazy model would check it now and decode
            // it again on first use.
            let decode = |body: &[u8]| Python::attach(|py| json::loads_object(py, body));
            let (result, end) = client.call_decoded(operation, &args, &opts, decode).await;
            let item = result.map(|(_, data)| data).map_err(|e| {
                Python::attach(|py| errors::to_pyerr(py, e).into_value(py).into_any())
            });
            (item, end)
        })?;
        match outcome {
            Ok((item, None)) => item.map_err(|e| PyErr::from_value(e.into_bound(py))),
            Ok((item, Some(end))) => trace::with_end(py, item.unwrap_or_else(|e| e), Some(&end)),
            Err(panic) => Err(errors::panic_to_pyerr(py, panic)),
        }
    }

    /// The span of `operation` with `args`: `(name, attributes)`.
    fn span_start<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        args: &Bound<'py, PyAny>,
    ) -> PyResult<trace::StartPy<'py>> {
        let operation: Operation = operation.parse().map_err(|e| errors::to_pyerr(py, e))?;
        let args = convert::to_args(operation, args)?;
        let start = enneo::SpanStart::new(&self.base_url, operation, &args.params)
            .map_err(|e| errors::to_pyerr(py, e))?;
        trace::start_to_py(py, start)
    }

    /// The span of each id of a bulk or stream lookup, as `span_start`
    /// gives it, or None for an id the core refuses (nothing is sent for
    /// it: `enneo::SpanStart::for_ids`).
    fn span_starts<'py>(
        &self,
        py: Python<'py>,
        lookup: &str,
        ids: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Option<trace::StartPy<'py>>>> {
        let lookup: Operation = lookup.parse().map_err(|e| errors::to_pyerr(py, e))?;
        // An id of the wrong type is refused as the core refuses it.
        let ids: Vec<Option<FlexibleId>> = ids.iter().map(|i| convert::to_id(i).ok()).collect();
        let starts = enneo::SpanStart::for_ids(&self.base_url, lookup, ids.iter().flatten());
        let mut starts = starts.into_iter();
        ids.iter()
            .map(|id| match id {
                Some(_) => starts
                    .next()
                    .flatten()
                    .map(|s| trace::start_to_py(py, s))
                    .transpose(),
                None => Ok(None),
            })
            .collect()
    }

    /// Many lookups, `concurrency` at a time inside Rust; a list in input
    /// order of JSON bodies (`bytes`) and exception instances.
    #[pyo3(signature = (lookup, ids, concurrency=None, timeout=None, max_retries=None, headers=None, log_level=None, progress=None, traces=None))]
    #[allow(clippy::too_many_arguments)] // the per-call options, flat for speed
    fn get_many(
        &self,
        py: Python<'_>,
        lookup: &str,
        ids: &Bound<'_, PyAny>,
        concurrency: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        headers: Option<Bound<'_, PyAny>>,
        log_level: Option<String>,
        progress: Option<Py<PyAny>>,
        traces: Option<Vec<trace::TraceArg>>,
    ) -> PyResult<Py<PyList>> {
        let (client, lookup, ids, concurrency, opts) = self.prepare_many(
            py,
            lookup,
            ids,
            concurrency,
            (timeout, max_retries, headers, log_level),
            traces,
        )?;
        let results = block_on_infallible(py, async move {
            let on_progress = move |done: usize, total: usize| {
                if let Some(cb) = &progress {
                    Python::attach(|py| {
                        if let Err(e) = cb.call1(py, (done, total)) {
                            e.write_unraisable(py, None);
                        }
                    });
                }
            };
            fetch_bodies(&client, lookup, ids, concurrency, &opts, on_progress).await
        })?;
        many_to_py(py, results).map(Bound::unbind)
    }

    /// `get` as an awaitable on the running asyncio loop.
    #[pyo3(signature = (operation, args, timeout=None, max_retries=None, headers=None, log_level=None, raw=false, trace=None))]
    #[allow(clippy::too_many_arguments)] // the per-call options, flat for speed
    fn get_async<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        args: &Bound<'py, PyAny>,
        timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        headers: Option<Bound<'_, PyAny>>,
        log_level: Option<String>,
        raw: bool,
        trace: trace::TraceArg,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (operation, opts) =
            prepare(operation, (timeout, max_retries, headers, log_level), trace)?
                .map_err(|e| errors::to_pyerr(py, e))?;
        let args = convert::to_args(operation, args)?;
        let client = self.base.shared(py)?;
        spawn_awaitable(py, async move {
            let (result, end) = client.call_traced(operation, &args, &opts).await;
            move |py: Python<'_>| match end {
                None => {
                    result_to_py(py, result, raw).map_err(|e| PyErr::from_value(e.into_bound(py)))
                }
                Some(end) => {
                    let item = result_to_py(py, result, raw).unwrap_or_else(|e| e);
                    trace::with_end(py, item, Some(&end))
                }
            }
        })
    }

    /// `get_many` as an awaitable.
    #[pyo3(signature = (lookup, ids, concurrency=None, timeout=None, max_retries=None, headers=None, log_level=None, progress=None, traces=None))]
    #[allow(clippy::too_many_arguments)] // the per-call options, flat for speed
    fn get_many_async<'py>(
        &self,
        py: Python<'py>,
        lookup: &str,
        ids: &Bound<'py, PyAny>,
        concurrency: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        headers: Option<Bound<'_, PyAny>>,
        log_level: Option<String>,
        progress: Option<Py<PyAny>>,
        traces: Option<Vec<trace::TraceArg>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (client, lookup, ids, concurrency, opts) = self.prepare_many(
            py,
            lookup,
            ids,
            concurrency,
            (timeout, max_retries, headers, log_level),
            traces,
        )?;
        let loop_ = running_loop(py)?.unbind();
        spawn_awaitable(py, async move {
            let on_progress = move |done: usize, total: usize| {
                if let Some(cb) = &progress {
                    // Progress callbacks run on the event loop's thread.
                    Python::attach(|py| {
                        let _ = loop_.call_method1(py, "call_soon_threadsafe", (cb, done, total));
                    });
                }
            };
            let results = fetch_bodies(&client, lookup, ids, concurrency, &opts, on_progress).await;
            move |py: Python<'_>| many_to_py(py, results).map(|l| l.into_any().unbind())
        })
    }

    /// Customers as Arrow record batches of the lookups of at most
    /// `batch_size` ids, in input order, produced while the lookups run
    /// (`enneo::Client::customers_arrow`); with `frame=(contracts, nested)`,
    /// in `customers_frame`'s shape (`enneo::frame`).
    #[pyo3(signature = (ids, concurrency=None, batch_size=None, timeout=None, max_retries=None, headers=None, log_level=None, progress=None, traces=None, spans=None, frame=None))]
    #[allow(clippy::too_many_arguments)] // the per-call options, flat for speed
    fn customers_arrow(
        &self,
        py: Python<'_>,
        ids: &Bound<'_, PyAny>,
        concurrency: Option<Bound<'_, PyAny>>,
        batch_size: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        headers: Option<Bound<'_, PyAny>>,
        log_level: Option<String>,
        progress: Option<Py<PyAny>>,
        traces: Option<Vec<trace::TraceArg>>,
        spans: Option<Py<PyAny>>,
        frame: Option<(bool, bool)>,
    ) -> PyResult<arrow::CustomersArrow> {
        let (client, _, ids, concurrency, opts) = self.prepare_many(
            py,
            "getCustomerByCustomerId",
            ids,
            concurrency,
            (timeout, max_retries, headers, log_level),
            traces,
        )?;
        let batch_size = ArgStyle::PYTHON
            .count("batch_size", convert::to_optional_arg(batch_size.as_ref())?)
            .map_err(|e| errors::to_pyerr(py, e))?
            .unwrap_or(enneo::arrow::BATCH_SIZE);
        let rt = runtime::get();
        let _guard = rt.enter();
        let progress = progress.map(|bar| arrow::Progress {
            bar,
            total: ids.len(),
            rows: 0,
        });
        let (schema, batches): (_, arrow::Batches) = match frame {
            None => (
                enneo::arrow::customer_schema(),
                Box::pin(client.customers_arrow_traced(ids, concurrency, opts, batch_size)),
            ),
            Some((contracts, nested)) => {
                let shape = enneo::frame::FrameShape { contracts, nested };
                let schema =
                    enneo::frame::frame_schema(shape).map_err(|e| errors::to_pyerr(py, e))?;
                let batches =
                    client.customers_frame_traced(ids, concurrency, opts, batch_size, shape);
                (schema, Box::pin(batches))
            }
        };
        Ok(arrow::CustomersArrow::new(
            schema,
            batches,
            rt.handle().clone(),
            progress,
            spans,
        ))
    }

    /// Starts a stream of lookups, fed with `NativeStream.feed`.
    #[pyo3(signature = (lookup, concurrency=None, timeout=None, max_retries=None, headers=None, log_level=None))]
    #[allow(clippy::too_many_arguments)] // the per-call options, flat for speed
    fn open_stream(
        &self,
        py: Python<'_>,
        lookup: &str,
        concurrency: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        max_retries: Option<Bound<'_, PyAny>>,
        headers: Option<Bound<'_, PyAny>>,
        log_level: Option<String>,
    ) -> PyResult<stream::NativeStream> {
        let concurrency = ArgStyle::PYTHON
            .concurrency(convert::to_optional_arg(concurrency.as_ref())?)
            .map_err(|e| errors::to_pyerr(py, e))?;
        let (lookup, opts) = prepare(lookup, (timeout, max_retries, headers, log_level), None)?
            .map_err(|e| errors::to_pyerr(py, e))?;
        Ok(stream::NativeStream::start(
            self.base.shared(py)?,
            lookup,
            concurrency,
            opts,
        ))
    }
}

type Prepared = (
    enneo::Client,
    Operation,
    enneo::TracedIds,
    enneo::Concurrency,
    RequestOptions,
);

impl Base {
    fn new(args: ClientArgs, parent: Option<Arc<Base>>) -> Arc<Base> {
        Arc::new(Base {
            args,
            parent,
            shared: Mutex::new(None),
            owner: Default::default(),
        })
    }
}

impl NativeClient {
    /// Builds the shared client at once, so that bad settings raise here.
    fn from_base(py: Python<'_>, base: Arc<Base>) -> PyResult<Self> {
        let client = base.shared(py)?;
        Ok(NativeClient {
            base_url: client.base_url().to_owned(),
            has_token: client.has_token(),
            base,
        })
    }

    fn prepare_many(
        &self,
        py: Python<'_>,
        lookup: &str,
        ids: &Bound<'_, PyAny>,
        concurrency: Option<Bound<'_, PyAny>>,
        call: FlatCallArgs<'_>,
        traces: Option<Vec<trace::TraceArg>>,
    ) -> PyResult<Prepared> {
        let to_py = |e| errors::to_pyerr(py, e);
        let concurrency = ArgStyle::PYTHON
            .concurrency(convert::to_optional_arg(concurrency.as_ref())?)
            .map_err(to_py)?;
        let (lookup, opts) = prepare(lookup, call, None)?.map_err(to_py)?;
        let ids = ids
            .try_iter()
            .map_err(|_| errors::wrong_type(py, "ids must be an iterable of ids".into()))?
            .map(|i| convert::to_id(&i?))
            .collect::<PyResult<Vec<_>>>()?;
        let traces = traces
            .unwrap_or_default()
            .into_iter()
            .map(|t| trace::to_trace(py, t))
            .collect::<PyResult<Vec<_>>>()?;
        let ids = enneo::TracedIds::new(ids, traces);
        Ok((self.base.shared(py)?, lookup, ids, concurrency, opts))
    }
}

/// `ClientArgs` from keyword arguments; an unknown keyword is a TypeError.
fn client_args(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<ClientArgs> {
    let mut given = Vec::new();
    for (key, value) in kwargs.into_iter().flat_map(|d| d.iter()) {
        given.push((key.extract::<String>()?, convert::to_arg_value(&value)?));
    }
    ClientArgs::parse(ArgStyle::PYTHON, given).map_err(|e| errors::to_pyerr(py, e))
}

/// The lookup and per-call options, checked by the core.
fn prepare(
    lookup: &str,
    (timeout, max_retries, headers, log_level): FlatCallArgs<'_>,
    trace: trace::TraceArg,
) -> PyResult<Result<(Operation, RequestOptions), Error>> {
    let mut options = Vec::with_capacity(enneo::CALL_OPTIONS.len());
    for (option, value) in enneo::CALL_OPTIONS
        .iter()
        .zip([timeout, max_retries, headers])
    {
        if let Some(v) = value {
            options.push((option.name, convert::to_arg_value(&v)?));
        }
    }
    let args = CallArgs {
        options,
        // The Python layer passes the level `logging.getLogger("enneo")` is
        // enabled for now, or None when it is off.
        log_level: Some(log_level.unwrap_or_else(|| "off".to_owned())),
        trace,
    };
    Ok(ArgStyle::PYTHON.call(lookup, args))
}

/// A success as Python receives it: the body, or with `raw` the tuple
/// `(body, status, headers, retries_taken, request_id, elapsed_seconds)`; a
/// failure as the exception instance.
fn result_to_py(
    py: Python<'_>,
    result: Result<enneo::RawResponse, Error>,
    raw: bool,
) -> Result<Py<PyAny>, Py<PyAny>> {
    let r = match result {
        Ok(r) => r,
        Err(e) => return Err(errors::to_pyerr(py, e).into_value(py).into_any()),
    };
    let body = PyBytes::new(py, &r.body);
    if !raw {
        return Ok(body.into_any().unbind());
    }
    let headers = PyList::empty(py);
    for (k, v) in &r.headers {
        let _ = headers.append((k.as_str(), String::from_utf8_lossy(v.as_bytes())));
    }
    let tuple = (
        body,
        r.status,
        headers,
        r.retries_taken(),
        r.request_id,
        r.elapsed.as_secs_f64(),
    );
    tuple
        .into_pyobject(py)
        .map(|t| t.into_any().unbind())
        .map_err(|e| e.into_value(py).into_any())
}

/// Many results in input order.
async fn fetch_bodies(
    client: &enneo::Client,
    lookup: Operation,
    ids: enneo::TracedIds,
    concurrency: enneo::Concurrency,
    opts: &RequestOptions,
    on_progress: impl FnMut(usize, usize),
) -> Vec<enneo::FeedResult> {
    client
        .fetch_many_traced(lookup, ids, concurrency, opts, on_progress)
        .await
}

/// Bodies (`bytes`) and exception instances, each paired with its span's
/// end when it was traced.
pub(crate) fn many_to_py(
    py: Python<'_>,
    results: Vec<enneo::FeedResult>,
) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for (r, end) in results {
        let item = match r {
            Ok(raw) => PyBytes::new(py, &raw.body).into_any().unbind(),
            Err(e) => errors::to_pyerr(py, e).into_value(py).into_any(),
        };
        list.append(trace::with_end(py, item, end.as_ref())?)?;
    }
    Ok(list)
}

/// Runs `fut` to completion with the GIL released, polling for signals so
/// that Ctrl-C raises `KeyboardInterrupt` instead of waiting out the request.
/// A panic becomes an `EnneoError`.
pub(crate) fn block_on_infallible<T: Send + 'static>(
    py: Python<'_>,
    fut: impl Future<Output = T> + Send + 'static,
) -> PyResult<T> {
    // The work runs on a worker thread, next to the connection tasks it talks
    // to, and this thread waits on a plain channel. Both alternatives measured
    // several times slower per lookup: polling the request from this thread
    // (a cross-thread wake-up per step), and a tokio timer beside it.
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let task = runtime::get().spawn(async move {
        let _ = tx.send(AssertUnwindSafe(fut).catch_unwind().await);
    });
    let outcome = py.detach(move || loop {
        match rx.recv_timeout(SIGNAL_POLL) {
            Ok(outcome) => return Ok(outcome),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = Python::attach(|py| py.check_signals()) {
                    task.abort();
                    return Err(interrupt);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Ok(Err(
                    Box::new("the runtime dropped the task") as Box<dyn std::any::Any + Send>
                ))
            }
        }
    })?;
    outcome.map_err(|panic| errors::panic_to_pyerr(py, panic))
}

pub(crate) fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("asyncio")?.call_method0("get_running_loop")
}

/// Whether `ENNEO_TRACING` leaves OpenTelemetry spans on, as the core
/// reads it for every language.
#[pyfunction]
fn tracing_enabled() -> bool {
    enneo::tracing_enabled_from_env()
}

/// `ENNEO_LOG` as the core reads it for every language: `debug`, `info`,
/// `warn`, `error`, `off`, or None when unset or not a level.
#[pyfunction]
fn env_log_level() -> Option<&'static str> {
    LogLevel::from_env().map(LogLevel::as_str)
}

/// Decodes a JSON document the way `json.loads` does (used by the models
/// to decode a response body on first use).
#[pyfunction]
fn loads<'py>(py: Python<'py>, body: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    json::loads(py, body)
}

// Safe without the GIL: the client's state is behind Rust's own locks, and
// a free-threaded CPython (3.14t) keeps the GIL off when importing it.
#[pymodule(gil_used = false)]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeClient>()?;
    m.add_class::<bridge::LoopBridge>()?;
    m.add_class::<stream::NativeStream>()?;
    m.add_class::<arrow::CustomersArrow>()?;
    m.add_class::<mock::NativeMock>()?;
    m.add_function(wrap_pyfunction!(loads, m)?)?;
    m.add_function(wrap_pyfunction!(env_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(tracing_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(trace::trace_headers, m)?)?;
    m.add("DEMO_BASE_URL", enneo::DEMO_BASE_URL)?;
    m.add("DURATION_BUCKETS", enneo::DURATION_BUCKETS.to_vec())?;
    m.add("DURATION_METRIC", enneo::DURATION_METRIC)?;
    m.add("ABANDONED_ERROR_TYPE", enneo::ABANDONED_ERROR_TYPE)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

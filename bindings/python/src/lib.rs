//! `enneo._native`: the Rust core behind the `enneo` Python package.
//!
//! It holds no HTTP, retry or error-classification logic of its own: it
//! converts arguments, runs `enneo::Client` on a tokio runtime with the GIL
//! released, and turns results into plain Python objects that the
//! hand-written `enneo` package wraps.

mod bridge;
mod convert;
mod errors;
mod json;
mod local;
mod runtime;
mod stream;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Mutex;
use std::time::Duration;

use bridge::spawn_awaitable;
use bytes::Bytes;
use futures::FutureExt;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

use enneo::{Error, FlexibleId, Lookup, RequestOptions};

/// How often a blocking call looks for Ctrl-C.
pub(crate) const SIGNAL_POLL: Duration = Duration::from_millis(50);

struct Settings {
    token: Option<String>,
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    max_requests_per_second: Option<f64>,
    user_agent: String,
}

impl Settings {
    fn build(&self) -> Result<enneo::Client, Error> {
        let mut b = enneo::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .max_retries(self.max_retries)
            .user_agent(self.user_agent.clone());
        if let Some(t) = &self.token {
            b = b.token(t.clone());
        }
        if let Some(r) = self.max_requests_per_second {
            b = b.max_requests_per_second(r);
        }
        if let Some(u) = &self.base_url {
            b = b.base_url(u.clone());
        }
        b.build()
    }
}

/// The native client. Not for direct use: see `enneo.Client`.
#[pyclass(frozen, module = "enneo._native")]
struct NativeClient {
    settings: Settings,
    /// The client and the process that built it: a forked child rebuilds it,
    /// because the parent's pooled connections belong to a runtime that does
    /// not exist in the child.
    client: Mutex<(u32, enneo::Client)>,
    /// Names this client in each thread's pool of blocking-call clients.
    owner: local::Owner,
    base_url: String,
    has_token: bool,
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (token, base_url, timeout, connect_timeout, max_retries, user_agent, max_requests_per_second=None))]
    #[allow(clippy::too_many_arguments)] // the Python constructor's arguments
    fn new(
        py: Python<'_>,
        token: Option<String>,
        base_url: Option<String>,
        timeout: f64,
        connect_timeout: f64,
        max_retries: u32,
        user_agent: String,
        max_requests_per_second: Option<f64>,
    ) -> PyResult<Self> {
        enneo::logging::init_from_env();
        // The settings as resolved from the environment, so that a pickled
        // client carries what it used (a worker may lack the variables).
        let token = token.or_else(enneo::token_from_env);
        let settings = Settings {
            token,
            base_url,
            timeout: seconds("timeout", timeout)?,
            connect_timeout: seconds("connect_timeout", connect_timeout)?,
            max_retries,
            max_requests_per_second,
            user_agent,
        };
        // reqwest wants a runtime context when it builds its client.
        let rt = runtime::get();
        let _guard = rt.enter();
        let client = settings.build().map_err(|e| errors::to_pyerr(py, e))?;
        let settings = Settings {
            base_url: Some(client.base_url().to_owned()),
            ..settings
        };
        Ok(NativeClient {
            base_url: client.base_url().to_owned(),
            has_token: client.has_token(),
            client: Mutex::new((std::process::id(), client)),
            owner: Default::default(),
            settings,
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn has_token(&self) -> bool {
        self.has_token
    }

    /// The constructor's arguments as resolved, for pickling:
    /// `(token, base_url, timeout, connect_timeout, max_retries,
    /// max_requests_per_second)`. Contains the token.
    fn _settings(&self) -> (Option<String>, String, f64, f64, u32, Option<f64>) {
        let s = &self.settings;
        (
            s.token.clone(),
            self.base_url.clone(),
            s.timeout.as_secs_f64(),
            s.connect_timeout.as_secs_f64(),
            s.max_retries,
            s.max_requests_per_second,
        )
    }

    /// One lookup, blocking, on this thread (see `local`); the GIL is
    /// released while it runs and Ctrl-C interrupts it.
    #[pyo3(signature = (lookup, id, timeout=None))]
    fn get(
        &self,
        py: Python<'_>,
        lookup: u8,
        id: &Bound<'_, PyAny>,
        timeout: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        let (lookup, id, opts) = (lookup_of(lookup)?, convert::to_id(id)?, options(timeout)?);
        let outcome = local::block_on(
            py,
            &self.owner,
            || self.settings.build(),
            |client| async move { fetch_body(&client, lookup, id, &opts).await },
        )?;
        match outcome {
            Ok(Ok(body)) => Ok(PyBytes::new(py, &body).into_any().unbind()),
            Ok(Err(e)) => Err(errors::to_pyerr(py, e)),
            Err(panic) => Err(errors::panic_to_pyerr(py, panic)),
        }
    }

    /// Many lookups, `concurrency` at a time inside Rust; a list in input
    /// order of JSON bodies (`bytes`) and exception instances.
    #[pyo3(signature = (lookup, ids, concurrency, timeout=None, progress=None))]
    fn get_many(
        &self,
        py: Python<'_>,
        lookup: u8,
        ids: &Bound<'_, PyAny>,
        concurrency: usize,
        timeout: Option<f64>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyList>> {
        let (client, lookup, ids, opts) =
            self.prepare_many(py, lookup, ids, concurrency, timeout)?;
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

    /// One lookup as an awaitable on the running asyncio loop.
    #[pyo3(signature = (lookup, id, timeout=None))]
    fn get_async<'py>(
        &self,
        py: Python<'py>,
        lookup: u8,
        id: &Bound<'py, PyAny>,
        timeout: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (client, lookup, id, opts) = self.prepare(py, lookup, id, timeout)?;
        spawn_awaitable(py, async move {
            let body = fetch_body(&client, lookup, id, &opts).await;
            move |py: Python<'_>| match body {
                Ok(b) => Ok(PyBytes::new(py, &b).into_any().unbind()),
                Err(e) => Err(errors::to_pyerr(py, e)),
            }
        })
    }

    /// `get_many` as an awaitable.
    #[pyo3(signature = (lookup, ids, concurrency, timeout=None, progress=None))]
    fn get_many_async<'py>(
        &self,
        py: Python<'py>,
        lookup: u8,
        ids: &Bound<'py, PyAny>,
        concurrency: usize,
        timeout: Option<f64>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (client, lookup, ids, opts) =
            self.prepare_many(py, lookup, ids, concurrency, timeout)?;
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

    /// Starts a stream of lookups, fed with `NativeStream.feed`.
    #[pyo3(signature = (lookup, concurrency, timeout=None))]
    fn open_stream(
        &self,
        py: Python<'_>,
        lookup: u8,
        concurrency: usize,
        timeout: Option<f64>,
    ) -> PyResult<stream::NativeStream> {
        if concurrency == 0 {
            return Err(PyValueError::new_err("concurrency must be at least 1"));
        }
        let (lookup, opts) = (lookup_of(lookup)?, options(timeout)?);
        Ok(stream::NativeStream::start(
            self.client(py)?,
            lookup,
            concurrency,
            opts,
        ))
    }

    /// Panics inside Rust, to prove that a panic surfaces as an exception.
    fn _debug_panic(&self, py: Python<'_>) -> PyResult<()> {
        block_on(py, async { panic!("deliberate panic for testing") })
    }

    /// `_debug_panic` on the async path.
    fn _debug_panic_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        spawn_awaitable(py, async {
            #[allow(unreachable_code)]
            {
                panic!("deliberate panic for testing");
                |_py: Python<'_>| -> PyResult<Py<PyAny>> { unreachable!() }
            }
        })
    }
}

type Prepared<T> = (enneo::Client, Lookup, T, RequestOptions);

impl NativeClient {
    fn client(&self, py: Python<'_>) -> PyResult<enneo::Client> {
        let mut slot = self.client.lock().unwrap_or_else(|p| p.into_inner());
        let pid = std::process::id();
        if slot.0 != pid {
            let rt = runtime::get();
            let _guard = rt.enter();
            *slot = (
                pid,
                self.settings.build().map_err(|e| errors::to_pyerr(py, e))?,
            );
        }
        Ok(slot.1.clone())
    }

    fn prepare(
        &self,
        py: Python<'_>,
        lookup: u8,
        id: &Bound<'_, PyAny>,
        timeout: Option<f64>,
    ) -> PyResult<Prepared<FlexibleId>> {
        let id = convert::to_id(id)?;
        Ok((self.client(py)?, lookup_of(lookup)?, id, options(timeout)?))
    }

    fn prepare_many(
        &self,
        py: Python<'_>,
        lookup: u8,
        ids: &Bound<'_, PyAny>,
        concurrency: usize,
        timeout: Option<f64>,
    ) -> PyResult<Prepared<Vec<FlexibleId>>> {
        if concurrency == 0 {
            return Err(PyValueError::new_err("concurrency must be at least 1"));
        }
        let ids = ids
            .try_iter()?
            .map(|i| convert::to_id(&i?))
            .collect::<PyResult<Vec<_>>>()?;
        Ok((self.client(py)?, lookup_of(lookup)?, ids, options(timeout)?))
    }
}

fn lookup_of(code: u8) -> PyResult<Lookup> {
    match code {
        0 => Ok(Lookup::CustomerId),
        1 => Ok(Lookup::ContractId),
        2 => Ok(Lookup::TicketId),
        _ => Err(PyValueError::new_err("unknown lookup")),
    }
}

fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    if !(value.is_finite() && value > 0.0) {
        return Err(PyValueError::new_err(format!(
            "{name} must be a positive number of seconds, got {value}"
        )));
    }
    Ok(Duration::from_secs_f64(value))
}

fn options(timeout: Option<f64>) -> PyResult<RequestOptions> {
    Ok(RequestOptions {
        timeout: timeout.map(|t| seconds("timeout", t)).transpose()?,
    })
}

/// The body of a successful lookup, checked to be a JSON object. Python
/// decodes it (`json.loads`, on first attribute access), which keeps every
/// integer and float exactly as sent.
async fn fetch_body(
    client: &enneo::Client,
    lookup: Lookup,
    id: FlexibleId,
    opts: &RequestOptions,
) -> Result<Bytes, Error> {
    Ok(client.fetch_json(lookup, id, opts).await?.body)
}

/// Many bodies in input order.
async fn fetch_bodies(
    client: &enneo::Client,
    lookup: Lookup,
    ids: Vec<FlexibleId>,
    concurrency: usize,
    opts: &RequestOptions,
    on_progress: impl FnMut(usize, usize),
) -> Vec<Result<Bytes, Error>> {
    client
        .fetch_many_raw(lookup, ids, concurrency, opts, on_progress)
        .await
        .into_iter()
        .map(|r| r.map(|raw| raw.body))
        .collect()
}

fn many_to_py(py: Python<'_>, results: Vec<Result<Bytes, Error>>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for r in results {
        let item = match r {
            Ok(body) => PyBytes::new(py, &body).into_any(),
            Err(e) => errors::to_pyerr(py, e)
                .into_value(py)
                .into_bound(py)
                .into_any(),
        };
        list.append(item)?;
    }
    Ok(list)
}

/// Runs `fut` to completion with the GIL released, polling for signals so
/// that Ctrl-C raises `KeyboardInterrupt` instead of waiting out the request.
/// A panic becomes an `EnneoError`.
fn block_on<T: Send + 'static>(
    py: Python<'_>,
    fut: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> PyResult<T> {
    match block_on_infallible(py, fut)? {
        Ok(v) => Ok(v),
        Err(e) => Err(errors::to_pyerr(py, e)),
    }
}

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

/// Decodes a JSON document the way `json.loads` does (used by the models
/// to decode a response body on first use).
#[pyfunction]
fn loads<'py>(py: Python<'py>, body: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    json::loads(py, body)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeClient>()?;
    m.add_class::<bridge::LoopBridge>()?;
    m.add_class::<stream::NativeStream>()?;
    m.add_function(wrap_pyfunction!(loads, m)?)?;
    m.add("DEMO_BASE_URL", enneo::DEMO_BASE_URL)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

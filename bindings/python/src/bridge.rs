//! Delivering async results to asyncio without taking the GIL on a worker.
//!
//! A worker that finishes a call queues the result and, if the queue was
//! empty, writes one byte to a socket that the event loop watches
//! (`loop.add_reader`). The loop thread then drains the queue, builds the
//! Python objects and resolves the futures. Taking the GIL on the worker
//! instead made every result wait for the busy loop thread to hand it over
//! (up to the 5 ms switch interval).

use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use pyo3::prelude::*;

use crate::{errors, runtime};

type Finish = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;
type Panic = Box<dyn std::any::Any + Send>;

struct Completion {
    future: Py<PyAny>,
    outcome: Result<Finish, Panic>,
}

struct Shared {
    queue: Mutex<Vec<Completion>>,
    wake: UnixStream,
}

/// One per event loop: the queue of finished calls and the socket pair that
/// wakes the loop. Not for direct use.
#[pyclass(frozen, module = "enneo._native")]
pub struct LoopBridge {
    shared: Arc<Shared>,
    watched: UnixStream,
}

#[pymethods]
impl LoopBridge {
    #[new]
    fn new() -> PyResult<Self> {
        let (watched, wake) = UnixStream::pair()?;
        watched.set_nonblocking(true)?;
        wake.set_nonblocking(true)?;
        Ok(LoopBridge {
            shared: Arc::new(Shared {
                queue: Mutex::new(Vec::new()),
                wake,
            }),
            watched,
        })
    }

    /// The descriptor the event loop watches for readability.
    #[getter]
    fn fd(&self) -> i32 {
        self.watched.as_raw_fd()
    }

    /// Resolves every queued future; runs on the loop thread.
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        // Empty the socket before taking the queue: a result queued after
        // this point writes a fresh byte, so no wake-up is lost.
        let mut sink = [0u8; 256];
        while matches!((&self.watched).read(&mut sink), Ok(n) if n > 0) {}
        let done =
            std::mem::take(&mut *self.shared.queue.lock().unwrap_or_else(|p| p.into_inner()));
        for Completion { future, outcome } in done {
            let future = future.into_bound(py);
            if future.call_method0("done")?.is_truthy()? {
                continue; // cancelled while in flight
            }
            match outcome
                .map_err(|p| errors::panic_to_pyerr(py, p))
                .and_then(|finish| finish(py))
            {
                Ok(value) => future.call_method1("set_result", (value,))?,
                Err(e) => future.call_method1("set_exception", (e.into_value(py),))?,
            };
        }
        Ok(())
    }
}

/// Spawns `work` on the runtime and returns an asyncio future of the running
/// loop that it resolves. The loop is looked up per call, so one client serves
/// any number of loops in turn; cancelling the asyncio future aborts the work.
pub fn spawn_awaitable<'py, F, C>(py: Python<'py>, work: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = C> + Send + 'static,
    C: FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let loop_ = crate::running_loop(py)?;
    let bridge = py
        .import("enneo._bridge")?
        .call_method1("bridge_for", (&loop_,))?;
    let shared = bridge.cast::<LoopBridge>()?.get().shared.clone();
    let future = loop_.call_method0("create_future")?;
    let future_ref = future.clone().unbind();
    let handle = runtime::get().spawn(async move {
        let outcome = AssertUnwindSafe(work)
            .catch_unwind()
            .await
            .map(|c| Box::new(c) as Finish);
        let was_empty = {
            let mut queue = shared.queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.push(Completion {
                future: future_ref,
                outcome,
            });
            queue.len() == 1
        };
        if was_empty {
            // A full socket buffer already means a wake-up is pending.
            let _ = (&shared.wake).write(&[1]);
        }
    });
    future.call_method1("add_done_callback", (AbortOnCancel(handle.abort_handle()),))?;
    Ok(future)
}

/// Aborts the Rust task when its asyncio future is cancelled.
#[pyclass(frozen, module = "enneo._native")]
struct AbortOnCancel(tokio::task::AbortHandle);

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.0.abort();
        }
        Ok(())
    }
}

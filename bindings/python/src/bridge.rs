//! Delivering async results to an event loop.
//!
//! A worker that finishes a call queues the result and, if the queue was
//! empty, wakes the loop once; the loop thread then drains the queue, builds
//! the Python objects and resolves the futures. The wake-up takes one of two
//! forms:
//!
//! - a byte written to a socket the loop watches (`loop.add_reader`), which
//!   needs no GIL on the worker. Taking the GIL there made every result wait
//!   for the busy loop thread to hand it over (up to the 5 ms switch
//!   interval), so this is the fast path, on Unix selector loops and uvloop;
//! - a callback given by the Python side (`loop.call_soon_threadsafe`), for
//!   loops without `add_reader` (Windows' Proactor loop) and platforms
//!   without Unix sockets. It takes the GIL on the worker, once per batch.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock};

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
    socket: Option<wake_socket::Pair>,
    /// Set instead of using the socket when the loop cannot watch it.
    callback: OnceLock<Py<PyAny>>,
}

impl Shared {
    fn wake(&self) {
        if let Some(callback) = self.callback.get() {
            Python::attach(|py| {
                if let Err(e) = callback.call0(py) {
                    // The loop is closed: nobody is left to await the result.
                    e.write_unraisable(py, None);
                }
            });
        } else if let Some(pair) = &self.socket {
            pair.wake();
        }
    }
}

/// One per event loop: the queue of finished calls and what wakes the loop.
/// Not for direct use.
#[pyclass(frozen, module = "enneo._native")]
pub struct LoopBridge {
    shared: Arc<Shared>,
}

#[pymethods]
impl LoopBridge {
    #[new]
    fn new() -> PyResult<Self> {
        Ok(LoopBridge {
            shared: Arc::new(Shared {
                queue: Mutex::new(Vec::new()),
                socket: wake_socket::Pair::new()?,
                callback: OnceLock::new(),
            }),
        })
    }

    /// The descriptor for `loop.add_reader`, or None where there is no
    /// socket pair (then `wake_with` must be called).
    #[getter]
    fn fd(&self) -> Option<i64> {
        self.shared.socket.as_ref().map(wake_socket::Pair::fd)
    }

    /// Wakes the loop by calling `callback()` from the worker instead of
    /// through the socket; for loops without `add_reader`. `callback` must
    /// be thread-safe, such as a `loop.call_soon_threadsafe` partial.
    fn wake_with(&self, callback: Py<PyAny>) -> PyResult<()> {
        self.shared.callback.set(callback).map_err(|_| {
            pyo3::exceptions::PyRuntimeError::new_err("the bridge already has a wake-up callback")
        })
    }

    /// Resolves every queued future; runs on the loop thread.
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        // Empty the socket before taking the queue: a result queued after
        // this point writes a fresh byte, so no wake-up is lost.
        if let Some(pair) = &self.shared.socket {
            pair.clear();
        }
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
            shared.wake();
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

/// The socket pair behind the fast wake-up path, where the platform has one.
#[cfg(unix)]
mod wake_socket {
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;

    pub struct Pair {
        watched: UnixStream,
        wake: UnixStream,
    }

    impl Pair {
        pub fn new() -> std::io::Result<Option<Pair>> {
            let (watched, wake) = UnixStream::pair()?;
            watched.set_nonblocking(true)?;
            wake.set_nonblocking(true)?;
            Ok(Some(Pair { watched, wake }))
        }

        pub fn fd(&self) -> i64 {
            i64::from(self.watched.as_raw_fd())
        }

        pub fn wake(&self) {
            // A full socket buffer already means a wake-up is pending.
            let _ = (&self.wake).write(&[1]);
        }

        pub fn clear(&self) {
            let mut sink = [0u8; 256];
            while matches!((&self.watched).read(&mut sink), Ok(n) if n > 0) {}
        }
    }
}

/// Elsewhere (Windows) the loop is always woken through the callback.
#[cfg(not(unix))]
mod wake_socket {
    pub enum Pair {}

    impl Pair {
        pub fn new() -> std::io::Result<Option<Pair>> {
            Ok(None)
        }

        pub fn fd(&self) -> i64 {
            match *self {}
        }

        pub fn wake(&self) {
            match *self {}
        }

        pub fn clear(&self) {
            match *self {}
        }
    }
}

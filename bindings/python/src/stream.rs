//! `NativeStream`: the engine of `iter_customers`.
//!
//! Python feeds ids in chunks and takes results in batches; between the
//! two, the core's `fetch_stream_raw` keeps at most `concurrency` requests
//! in flight and yields in input order. The result channel holds at most
//! `concurrency` finished bodies, so a consumer that stops reading stops
//! the requests too. Closing (or dropping) the stream aborts what is in
//! flight.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::StreamExt;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use tokio::sync::mpsc;

use enneo::{Error, FlexibleId, Lookup, RequestOptions};

use crate::{block_on_infallible, bridge::spawn_awaitable, convert, errors, runtime};

type Results = Arc<tokio::sync::Mutex<mpsc::Receiver<Result<Bytes, Error>>>>;

/// A running stream of lookups. Not for direct use: see `iter_customers`.
#[pyclass(frozen, module = "enneo._native")]
pub struct NativeStream {
    ids: Mutex<Option<mpsc::UnboundedSender<FlexibleId>>>,
    results: Results,
    task: tokio::task::AbortHandle,
}

impl NativeStream {
    pub fn start(
        client: enneo::Client,
        lookup: Lookup,
        concurrency: usize,
        options: RequestOptions,
    ) -> Self {
        let (id_tx, mut id_rx) = mpsc::unbounded_channel::<FlexibleId>();
        let (result_tx, result_rx) = mpsc::channel(concurrency.max(1));
        let ids = futures::stream::poll_fn(move |cx| id_rx.poll_recv(cx));
        let task = runtime::get().spawn(async move {
            let mut results = client.fetch_stream_raw(lookup, ids, concurrency, options);
            while let Some(r) = results.next().await {
                if result_tx.send(r.map(|raw| raw.body)).await.is_err() {
                    break;
                }
            }
        });
        NativeStream {
            ids: Mutex::new(Some(id_tx)),
            results: Arc::new(tokio::sync::Mutex::new(result_rx)),
            task: task.abort_handle(),
        }
    }
}

/// Waits for at least one result, then takes whatever else is ready.
/// Empty when the stream is finished.
async fn next_batch(results: Results) -> Vec<Result<Bytes, Error>> {
    let mut rx = results.lock().await;
    let mut batch = Vec::new();
    if let Some(first) = rx.recv().await {
        batch.push(first);
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
    }
    batch
}

fn batch_to_py(py: Python<'_>, batch: Vec<Result<Bytes, Error>>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for r in batch {
        match r {
            Ok(body) => list.append(PyBytes::new(py, &body))?,
            Err(e) => list.append(errors::to_pyerr(py, e).into_value(py))?,
        }
    }
    Ok(list)
}

#[pymethods]
impl NativeStream {
    /// Queues more ids; a value that is not an int or str raises TypeError.
    fn feed(&self, ids: &Bound<'_, PyAny>) -> PyResult<()> {
        let ids = ids
            .try_iter()?
            .map(|i| convert::to_id(&i?))
            .collect::<PyResult<Vec<_>>>()?;
        let guard = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = guard.as_ref() {
            for id in ids {
                // A closed stream has no one to send to; its ids are moot.
                let _ = tx.send(id);
            }
        }
        Ok(())
    }

    /// No more ids will come: the stream ends after the queued ones.
    fn finish(&self) {
        self.ids.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// The next results in input order (at least one; none when finished),
    /// blocking with the GIL released; Ctrl-C interrupts it.
    fn next_batch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let results = self.results.clone();
        let batch = block_on_infallible(py, next_batch(results))?;
        batch_to_py(py, batch)
    }

    /// `next_batch` as an awaitable on the running asyncio loop.
    fn next_batch_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let results = self.results.clone();
        spawn_awaitable(py, async move {
            let batch = next_batch(results).await;
            move |py: Python<'_>| batch_to_py(py, batch).map(|l| l.into_any().unbind())
        })
    }

    /// Stops the requests in flight and drops what was not taken.
    fn close(&self) {
        self.finish();
        self.task.abort();
    }
}

impl Drop for NativeStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

//! `NativeStream`: the engine of `iter_customers`, a thin wrapper over the
//! core's `LookupFeed` (which bounds the requests in flight and keeps input
//! order). Python feeds ids in chunks and takes results in batches.

use pyo3::prelude::*;
use pyo3::types::PyList;

use enneo::{LookupFeed, Operation, RequestOptions};

use crate::trace::{to_trace, TraceArg};
use crate::{block_on_infallible, bridge::spawn_awaitable, convert, runtime};

/// A running stream of lookups. Not for direct use: see `iter_customers`.
#[pyclass(frozen, module = "enneo._native")]
pub struct NativeStream {
    feed: LookupFeed,
}

impl NativeStream {
    pub fn start(
        client: enneo::Client,
        lookup: Operation,
        concurrency: enneo::Concurrency,
        options: RequestOptions,
    ) -> Self {
        let rt = runtime::get();
        let _guard = rt.enter();
        NativeStream {
            feed: LookupFeed::start(&client, lookup, concurrency, options),
        }
    }
}

#[pymethods]
impl NativeStream {
    /// Requests in flight at most (the core's default when none was given).
    #[getter]
    fn concurrency(&self) -> usize {
        self.feed.concurrency()
    }

    /// Queues more ids; a value that is not an int or str raises TypeError.
    /// With `traces`, one trace context (or None) per id: its result then
    /// comes as `(result, span_end)`.
    #[pyo3(signature = (ids, traces=None))]
    fn feed(
        &self,
        py: Python<'_>,
        ids: &Bound<'_, PyAny>,
        traces: Option<Vec<TraceArg>>,
    ) -> PyResult<()> {
        let mut traces = traces.unwrap_or_default().into_iter();
        let ids = ids
            .try_iter()?
            .map(|i| Ok((convert::to_id(&i?)?, to_trace(py, traces.next().flatten())?)))
            .collect::<PyResult<Vec<_>>>()?;
        self.feed.feed_traced(ids);
        Ok(())
    }

    /// How many more ids to feed now (the core's read-ahead rule).
    #[getter]
    fn room(&self) -> usize {
        self.feed.room()
    }

    /// Ids fed whose results were not yet taken.
    #[getter]
    fn pending(&self) -> usize {
        self.feed.pending()
    }

    /// No more ids will come: the stream ends after the queued ones.
    fn finish(&self) {
        self.feed.finish();
    }

    /// The next results in input order (at least one; none when finished),
    /// blocking with the GIL released; Ctrl-C interrupts it.
    fn next_batch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let batch = block_on_infallible(py, self.feed.next_batch())?;
        crate::many_to_py(py, batch)
    }

    /// `next_batch` as an awaitable on the running asyncio loop.
    fn next_batch_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let next = self.feed.next_batch();
        spawn_awaitable(py, async move {
            let batch = next.await;
            move |py: Python<'_>| crate::many_to_py(py, batch).map(|l| l.into_any().unbind())
        })
    }

    /// Stops the requests in flight and drops what was not taken.
    fn close(&self) {
        self.feed.close();
    }
}

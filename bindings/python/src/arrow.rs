//! `customers_arrow`: the core's record batches handed to Python as an
//! Arrow C stream (the PyCapsule interface, `__arrow_c_stream__`), which
//! pyarrow, polars, DuckDB and pandas read without a copy and without enneo
//! depending on pyarrow.

use std::pin::Pin;
use std::sync::Mutex;

use arrow_array::ffi::FFI_ArrowSchema;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};
use futures::{Stream, StreamExt};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyList};

use enneo::SpanEnd;

use crate::trace;

/// Each batch with the span ends of its rows.
pub type Batches =
    Pin<Box<dyn Stream<Item = enneo::Result<(RecordBatch, Vec<Option<SpanEnd>>)>> + Send>>;

/// The batches as arrow-rs reads them: each `next` waits on the shared
/// runtime for the next batch while the lookups run.
struct Reader {
    schema: SchemaRef,
    batches: Batches,
    runtime: tokio::runtime::Handle,
    progress: Option<Progress>,
    /// `enneo._tracing`'s ender of the rows' spans: called with each
    /// batch's span ends, closed (abandoning the rest) when reading stops.
    spans: Option<Py<PyAny>>,
}

/// `customers_arrow(progress=True)`'s bar: called with `(rows, total)` as
/// each batch arrives, closed after the last.
pub struct Progress {
    pub bar: Py<PyAny>,
    pub total: usize,
    pub rows: usize,
}

impl Iterator for Reader {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (batches, runtime) = (&mut self.batches, &self.runtime);
        // Never wait holding the GIL: a reader may call in with it (the
        // lookups' log records need it).
        let next = Python::attach(|py| {
            let next = py.detach(|| runtime.block_on(batches.next()));
            // Lookups, not rows: a frame batch has a row per contract.
            let rows = match &next {
                Some(Ok((_, ends))) => Some(ends.len()),
                _ => None,
            };
            if let Some(p) = &mut self.progress {
                // A failing bar or span is the bar's problem, never the data's.
                let _ = match rows {
                    Some(rows) => {
                        p.rows += rows;
                        p.bar.call1(py, (p.rows, p.total)).map(drop)
                    }
                    None => p.bar.call_method0(py, "close").map(drop),
                };
            }
            match (&self.spans, &next) {
                (Some(spans), Some(Ok((_, ends)))) => {
                    let _ = ends_to_py(py, ends).and_then(|e| spans.call1(py, (e,)).map(drop));
                }
                (Some(_), _) => close_spans(py, self.spans.take()),
                _ => {}
            }
            next
        });
        next.map(|r| {
            r.map(|(batch, _)| batch)
                .map_err(|e| ArrowError::ExternalError(Box::new(e)))
        })
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        if self.spans.is_some() {
            Python::attach(|py| close_spans(py, self.spans.take()));
        }
    }
}

fn ends_to_py<'py>(py: Python<'py>, ends: &[Option<SpanEnd>]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for end in ends {
        match end {
            Some(end) => list.append(trace::end_to_py(py, end)?)?,
            None => list.append(py.None())?,
        }
    }
    Ok(list)
}

/// Abandons the spans of rows never read.
fn close_spans(py: Python<'_>, spans: Option<Py<PyAny>>) {
    if let Some(spans) = spans {
        let _ = spans.call_method0(py, "close");
    }
}

impl RecordBatchReader for Reader {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

/// Customers as Arrow record batches, read once through
/// `__arrow_c_stream__`.
#[pyclass(module = "enneo._native", name = "CustomersArrow", frozen)]
pub struct CustomersArrow {
    schema: SchemaRef,
    reader: Mutex<Option<Reader>>,
}

impl CustomersArrow {
    pub fn new(
        schema: SchemaRef,
        batches: Batches,
        runtime: tokio::runtime::Handle,
        progress: Option<Progress>,
        spans: Option<Py<PyAny>>,
    ) -> Self {
        CustomersArrow {
            reader: Mutex::new(Some(Reader {
                schema: schema.clone(),
                batches,
                runtime,
                progress,
                spans,
            })),
            schema,
        }
    }
}

#[pymethods]
impl CustomersArrow {
    /// The stream of batches as an `arrow_array_stream` capsule; a second
    /// call fails, since the lookups run once.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        // The schema is fixed; a consumer that asks for another casts.
        let _ = requested_schema;
        let reader = self
            .reader
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| PyValueError::new_err("the Arrow stream was already read"))?;
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The schema as an `arrow_schema` capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.schema.as_ref())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }
}

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
use pyo3::types::PyCapsule;

type Batches = Pin<Box<dyn Stream<Item = enneo::Result<RecordBatch>> + Send>>;

/// The batches as arrow-rs reads them: each `next` waits on the shared
/// runtime for the next batch while the lookups run.
struct Reader {
    schema: SchemaRef,
    batches: Batches,
    runtime: tokio::runtime::Handle,
}

impl Iterator for Reader {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (batches, runtime) = (&mut self.batches, &self.runtime);
        // Never wait holding the GIL: a reader may call in with it (the
        // lookups' log records need it).
        let next = Python::attach(|py| py.detach(|| runtime.block_on(batches.next())));
        next.map(|r| r.map_err(|e| ArrowError::ExternalError(Box::new(e))))
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
    pub fn new(batches: Batches, runtime: tokio::runtime::Handle) -> Self {
        let schema = enneo::arrow::customer_schema();
        CustomersArrow {
            reader: Mutex::new(Some(Reader {
                schema: schema.clone(),
                batches,
                runtime,
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

//! The core's span facts to Python, for `enneo._tracing`, which puts them on
//! OpenTelemetry spans; and the trace context it hands down.

use std::time::UNIX_EPOCH;

use pyo3::prelude::*;
use pyo3::types::PyList;

use enneo::{SpanAttributes, SpanEnd, SpanStart, SpanValue, TraceContext};

use crate::errors;

/// A `(traceparent, tracestate)` pair as `enneo._tracing` passes it.
pub type TraceArg = Option<(String, Option<String>)>;

pub fn to_trace(py: Python<'_>, arg: TraceArg) -> PyResult<Option<TraceContext>> {
    TraceContext::from_pair(arg).map_err(|e| errors::to_pyerr(py, e))
}

pub fn attributes_to_py<'py>(py: Python<'py>, a: &SpanAttributes) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for (name, value) in a {
        match value {
            SpanValue::Str(s) => list.append((*name, s.as_str()))?,
            SpanValue::Int(i) => list.append((*name, *i))?,
        }
    }
    Ok(list)
}

/// `(name, attributes)` of a span's start.
pub type StartPy<'py> = (String, Bound<'py, PyList>);

/// A span's start as Python takes it.
pub fn start_to_py(py: Python<'_>, start: SpanStart) -> PyResult<StartPy<'_>> {
    Ok((start.name, attributes_to_py(py, &start.attributes)?))
}

/// The `(traceparent, tracestate)` to send for a span: what the
/// propagator wrote, else the W3C form of the span's ids (the core's
/// rule, `TraceContext::for_span`).
#[pyfunction]
#[pyo3(signature = (traceparent, tracestate, trace_id, span_id, flags, state))]
pub fn trace_headers(
    py: Python<'_>,
    traceparent: Option<String>,
    tracestate: Option<String>,
    trace_id: u128,
    span_id: u64,
    flags: u8,
    state: Option<&str>,
) -> PyResult<(String, Option<String>)> {
    TraceContext::for_span((traceparent, tracestate), (trace_id, span_id, flags), state)
        .map(|t| {
            (
                t.traceparent().to_owned(),
                t.tracestate().map(str::to_owned),
            )
        })
        .map_err(|e| errors::to_pyerr(py, e))
}

/// `(attributes, error_type, end_unix_ns, duration_seconds, metric_attributes)`.
pub fn end_to_py(py: Python<'_>, end: &SpanEnd) -> PyResult<Py<PyAny>> {
    let end_ns = end
        .end
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    let tuple = (
        attributes_to_py(py, &end.attributes)?,
        end.error_type.clone(),
        end_ns,
        end.duration.as_secs_f64(),
        attributes_to_py(py, &end.metric_attributes)?,
    );
    Ok(tuple.into_pyobject(py)?.into_any().unbind())
}

/// An item as Python receives it, paired with its span's end when traced.
pub fn with_end(py: Python<'_>, item: Py<PyAny>, end: Option<&SpanEnd>) -> PyResult<Py<PyAny>> {
    match end {
        None => Ok(item),
        Some(end) => Ok((item, end_to_py(py, end)?)
            .into_pyobject(py)?
            .into_any()
            .unbind()),
    }
}

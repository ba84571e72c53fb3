//! `enneo::Error` and panics to the exception classes of `enneo._exceptions`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

pub fn to_pyerr(py: Python<'_>, e: enneo::Error) -> PyErr {
    let message = e.message();
    let status = e.status();
    let body = e.body().map(|b| PyBytes::new(py, b).unbind());
    let request_id = e.request_id().map(str::to_owned);
    build(py, e.code(), message, status, body, request_id)
}

pub fn panic_to_pyerr(py: Python<'_>, panic: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    build(
        py,
        "internal_error",
        format!("internal error in the enneo core: {what}"),
        None,
        None,
        None,
    )
}

fn build(
    py: Python<'_>,
    code: &str,
    message: String,
    status: Option<u16>,
    body: Option<Py<PyBytes>>,
    request_id: Option<String>,
) -> PyErr {
    let made = py
        .import("enneo._exceptions")
        .and_then(|m| m.getattr("_from_native"))
        .and_then(|f| f.call1((code, message.clone(), status, body, request_id)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

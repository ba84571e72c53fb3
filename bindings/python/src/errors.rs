//! Error records of the core to the exception classes of `enneo._exceptions`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use enneo::ErrorRecord;

pub fn to_pyerr(py: Python<'_>, e: enneo::Error) -> PyErr {
    if let enneo::Error::WrongType(message) = e {
        return wrong_type(py, message);
    }
    from_record(py, ErrorRecord::from(&e))
}

pub fn panic_to_pyerr(py: Python<'_>, panic: Box<dyn std::any::Any + Send>) -> PyErr {
    from_record(py, ErrorRecord::panic(&*panic))
}

/// An argument of the wrong type: `enneo.InvalidArgumentTypeError`, an
/// `EnneoError` that is also a `TypeError`.
pub fn wrong_type(py: Python<'_>, message: String) -> PyErr {
    let made = py
        .import("enneo._exceptions")
        .and_then(|m| m.getattr("InvalidArgumentTypeError"))
        .and_then(|cls| cls.call1((message,)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// A bad value: `enneo.InvalidArgumentError` (also a `ValueError`).
pub fn invalid(py: Python<'_>, message: String) -> PyErr {
    to_pyerr(py, enneo::Error::InvalidArgument(message))
}

/// Anything else that goes wrong inside the SDK: a plain `enneo.EnneoError`.
pub fn internal(py: Python<'_>, code: &'static str, message: String) -> PyErr {
    from_record(py, ErrorRecord::bare(code, message))
}

fn from_record(py: Python<'_>, r: ErrorRecord) -> PyErr {
    let body = r.body.map(|b| PyBytes::new(py, &b).unbind());
    let made = py
        .import("enneo._exceptions")
        .and_then(|m| m.getattr("_from_native"))
        .and_then(|f| f.call1((r.code, r.message, r.status, body, r.request_id, r.attempts)));
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

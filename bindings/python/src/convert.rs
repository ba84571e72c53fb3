//! JSON to Python objects, and Python ids to `FlexibleId`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};
use serde_json::Value;

/// Builds plain dicts, lists and scalars: the cheapest objects to make, and
/// what the Python models wrap.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(PyString::new(py, k), to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// An id must be an `int` or a `str`; `bool` is an `int` in Python but never
/// an id.
pub fn to_id(obj: &Bound<'_, PyAny>) -> PyResult<enneo::FlexibleId> {
    if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err("id must be an int or a str, not bool"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(enneo::FlexibleId::Text(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(i.into());
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(u.into());
        }
        // Beyond 64 bits: keep the exact digits as text.
        return Ok(enneo::FlexibleId::Text(obj.str()?.to_cow()?.into_owned()));
    }
    let type_name = obj.get_type().name()?;
    Err(PyTypeError::new_err(format!(
        "id must be an int or a str, not {type_name}"
    )))
}

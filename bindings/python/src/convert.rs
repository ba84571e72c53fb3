//! Python ids to `FlexibleId`.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors;

/// One id of a bulk or stream lookup, checked by the core (an `int` or a
/// `str`; `bool` is an `int` in Python but never an id).
pub fn to_id(obj: &Bound<'_, PyAny>) -> PyResult<enneo::FlexibleId> {
    // The common cases first, without an `ArgValue` in between.
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(enneo::FlexibleId::Text(s.to_cow()?.into_owned()));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(i.into());
        }
    }
    enneo::ArgStyle::PYTHON
        .id(to_arg_value(obj)?)
        .map_err(|e| errors::to_pyerr(obj.py(), e))
}

/// An optional keyword's value as the core takes it (`None` when absent).
pub fn to_optional_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<enneo::ArgValue> {
    obj.map_or(Ok(enneo::ArgValue::Null), to_arg_value)
}

/// An operation's arguments, in its parameters' order and then its body,
/// checked and written by the core against each parameter's type and the
/// body's schema (`None` leaves an optional one out).
pub fn to_args(operation: enneo::Operation, args: &Bound<'_, PyAny>) -> PyResult<enneo::Bound> {
    let values = args
        .try_iter()?
        .map(|a| to_arg_value(&a?))
        .collect::<PyResult<Vec<_>>>()?;
    operation
        .bind(enneo::ArgStyle::PYTHON, values)
        .map_err(|e| crate::errors::to_pyerr(args.py(), e))
}

/// A Python value as the core's settings take it (`enneo::ArgValue`): the
/// core checks it and words any refusal.
pub fn to_arg_value(obj: &Bound<'_, PyAny>) -> PyResult<enneo::ArgValue> {
    use enneo::ArgValue;
    if obj.is_none() {
        return Ok(ArgValue::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(ArgValue::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(match obj.extract::<i64>() {
            Ok(i) => ArgValue::Int(i),
            // Beyond 64 bits: its exact digits.
            Err(_) => ArgValue::BigInt(obj.str()?.to_cow()?.into_owned()),
        });
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(ArgValue::Float(f.value()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(ArgValue::Text(s.to_cow()?.into_owned()));
    }
    // Dates and times by their ISO 8601 text; a datetime is also a date.
    let dt = obj.py().import("datetime")?;
    if obj.is_instance(&dt.getattr("datetime")?)? {
        return Ok(ArgValue::DateTime(
            obj.call_method0("isoformat")?.extract()?,
        ));
    }
    if obj.is_instance(&dt.getattr("date")?)? {
        return Ok(ArgValue::Date(obj.call_method0("isoformat")?.extract()?));
    }
    // A Decimal by its exact digits (`str` of a finite one is JSON number
    // text, exponent included; the core refuses NaN and infinity).
    if obj.is_instance(&obj.py().import("decimal")?.getattr("Decimal")?)? {
        return Ok(ArgValue::Decimal(obj.str()?.to_cow()?.into_owned()));
    }
    if obj.is_instance(&obj.py().import("uuid")?.getattr("UUID")?)? {
        return Ok(ArgValue::Text(obj.str()?.to_cow()?.into_owned()));
    }
    if obj.hasattr("__fspath__")? {
        let path = obj.py().import("os")?.getattr("fspath")?.call1((obj,))?;
        return to_arg_value(&path);
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .map(|item| to_arg_value(&item?))
            .collect::<PyResult<_>>()
            .map(ArgValue::List);
    }
    let mapping = obj.py().import("collections.abc")?.getattr("Mapping")?;
    if obj.is_instance(&mapping)? {
        let mut pairs = Vec::new();
        for item in obj.call_method0("items")?.try_iter()? {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            let key = match k.cast::<PyString>() {
                Ok(s) => s.to_cow()?.into_owned(),
                Err(_) => k.repr()?.to_cow()?.into_owned(),
            };
            pairs.push((key, to_arg_value(&v)?));
        }
        return Ok(ArgValue::Map(pairs));
    }
    Ok(ArgValue::Other(
        obj.get_type().name()?.to_cow()?.into_owned(),
    ))
}

/// A setting's value back as Python gives it: numbers, text, lists, dicts.
pub fn from_arg_value<'py>(py: Python<'py>, v: &enneo::ArgValue) -> PyResult<Bound<'py, PyAny>> {
    use enneo::ArgValue;
    Ok(match v {
        ArgValue::Null | ArgValue::Other(_) => py.None().into_bound(py),
        ArgValue::BigInt(d) | ArgValue::Decimal(d) | ArgValue::DateTime(d) | ArgValue::Date(d) => {
            PyString::new(py, d).into_any()
        }
        ArgValue::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        ArgValue::Int(i) => i.into_pyobject(py)?.into_any(),
        ArgValue::Float(f) => f.into_pyobject(py)?.into_any(),
        ArgValue::Text(s) => PyString::new(py, s).into_any(),
        ArgValue::List(items) => PyList::new(
            py,
            items
                .iter()
                .map(|i| from_arg_value(py, i))
                .collect::<PyResult<Vec<_>>>()?,
        )?
        .into_any(),
        ArgValue::Map(pairs) => {
            let d = PyDict::new(py);
            for (k, v) in pairs {
                d.set_item(k, from_arg_value(py, v)?)?;
            }
            d.into_any()
        }
    })
}

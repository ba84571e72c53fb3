//! Python ids to `FlexibleId`.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};

use crate::errors;

/// An id must be an `int` or a `str`; `bool` is an `int` in Python but never
/// an id.
pub fn to_id(obj: &Bound<'_, PyAny>) -> PyResult<enneo::FlexibleId> {
    let py = obj.py();
    if obj.is_instance_of::<PyBool>() {
        return Err(errors::wrong_type(
            py,
            "id must be an int or a str, not bool".into(),
        ));
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
    Err(errors::wrong_type(
        py,
        format!("id must be an int or a str, not {type_name}"),
    ))
}

/// An operation's arguments, in its parameters' order: a tuple or list of
/// ids. Required ones must be ids; from the first `None` on, the optional
/// ones are left off.
pub fn to_args(
    operation: enneo::Operation,
    args: &Bound<'_, PyAny>,
) -> PyResult<Vec<enneo::FlexibleId>> {
    let required = operation.params().iter().filter(|p| p.required).count();
    let mut out = Vec::new();
    for (i, arg) in args.try_iter()?.enumerate() {
        let arg = arg?;
        if arg.is_none() && i >= required {
            break;
        }
        out.push(to_id(&arg)?);
    }
    Ok(out)
}

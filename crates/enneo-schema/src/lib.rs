//! Checks a JSON value against an OpenAPI 3.0 schema, and names the first
//! place where it differs.
//!
//! One crate so that the client (which checks a request body before it
//! sends it) and the mock (which checks what any client sent, and answers
//! 400 with the reason) apply the same rules. The schemas come from the
//! generator with every `$ref` already followed, so a schema here is plain
//! JSON.
//!
//! What is checked: `type`, `nullable`, `enum`, `required`, `properties`,
//! `additionalProperties` (a schema, or `false`), `items`, `minLength`,
//! `maxLength`, `minimum`, `maximum`, the formats `date-time`, `date` and
//! `uuid`, and `allOf` (every one), `oneOf` and `anyOf` (at least one).
//! `pattern` is not checked: it would need a regular-expression engine
//! whose dialect differs from the server's anyway.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

/// [`check`] with a schema given as the generator writes it: JSON text
/// compiled into the program. Each text is parsed once, on its first use,
/// and kept for the life of the process (the generated schemas are few and
/// small).
///
/// # Panics
///
/// When `schema` is not JSON: the generator writes only JSON.
pub fn check_static(schema: &'static str, value: &Value, at: &str) -> Result<(), String> {
    check(parsed(schema), value, at)
}

/// The parsed form of a static schema text, by the text's address.
fn parsed(schema: &'static str) -> &'static Value {
    static PARSED: OnceLock<Mutex<HashMap<usize, &'static Value>>> = OnceLock::new();
    let mut cache = PARSED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    cache.entry(schema.as_ptr() as usize).or_insert_with(|| {
        let value = serde_json::from_str(schema).expect("a generated schema is JSON");
        Box::leak(Box::new(value))
    })
}

/// Checks `value` against `schema`. The error names the place, starting
/// from `at` (such as `body`): `body.meter.digits must be an integer, got
/// a string`.
pub fn check(schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let Some(s) = schema.as_object() else {
        // `true`, `{}` or anything unreadable allows every value.
        return Ok(());
    };
    if value.is_null() {
        let allowed = s.get("nullable").and_then(Value::as_bool) == Some(true)
            || s.get("type").is_none() && !s.contains_key("enum")
            || enum_values(s).is_some_and(|v| v.contains(&Value::Null));
        return if allowed {
            Ok(())
        } else {
            Err(format!("{at} must not be null"))
        };
    }
    for alternative in s
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check(alternative, value, at)?;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = s.get(key).and_then(Value::as_array) {
            let mut first = None;
            for alternative in alternatives {
                match check(alternative, value, at) {
                    Ok(()) => {
                        first = None;
                        break;
                    }
                    // The refusal of an alternative of the value's own
                    // type says the most: an empty string against
                    // `integer | string(minLength 1)` is too short, not
                    // "not an integer".
                    Err(e) if first.is_none() || fits_type(alternative, value) => first = Some(e),
                    Err(_) => {}
                }
            }
            if let Some(e) = first {
                return Err(format!("{e} (it matches none of the {key} alternatives)"));
            }
        }
    }
    if let Some(ty) = s.get("type").and_then(Value::as_str) {
        if !fits_type(schema, value) {
            let wanted = match ty {
                "object" => "an object",
                "array" => "an array",
                "integer" => "an integer",
                "boolean" => "a boolean",
                other => return Err(format!("{at} must be a {other}, got {}", kind(value))),
            };
            return Err(format!("{at} must be {wanted}, got {}", kind(value)));
        }
    }
    if let Some(allowed) = enum_values(s) {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            return Err(format!(
                "{at} must be one of {}, got {value}",
                list.join(", ")
            ));
        }
    }
    match value {
        Value::String(text) => check_string(s, text, at),
        Value::Number(n) => check_number(s, n, at),
        Value::Array(items) => {
            if let Some(item) = s.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check(item, v, &format!("{at}[{i}]"))?;
                }
            }
            Ok(())
        }
        Value::Object(fields) => {
            for name in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(name) = name.as_str() else { continue };
                if !fields.contains_key(name) {
                    return Err(format!("{at}.{name} is required"));
                }
            }
            let properties = s.get("properties").and_then(Value::as_object);
            for (name, v) in fields {
                let place = format!("{at}.{name}");
                match (
                    properties.and_then(|p| p.get(name)),
                    s.get("additionalProperties"),
                ) {
                    (Some(property), _) => check(property, v, &place)?,
                    (None, Some(Value::Bool(false))) => {
                        return Err(format!("{place} is not a field of {at}"))
                    }
                    (None, Some(extra)) => check(extra, v, &place)?,
                    // Fields the schema does not name are kept and sent.
                    (None, None) => {}
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether `value` is of the schema's `type` (or the schema names none).
fn fits_type(schema: &Value, value: &Value) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        Some("number") => value.is_number(),
        Some("integer") => value.as_number().is_some_and(is_integer),
        _ => true,
    }
}

fn enum_values(s: &serde_json::Map<String, Value>) -> Option<&Vec<Value>> {
    s.get("enum").and_then(Value::as_array)
}

/// Whether a number is whole: its text has no fraction or exponent, or
/// its value is whole (`1.0`).
fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || {
        let text = n.to_string();
        text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            || n.as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.is_finite())
    }
}

/// What a message calls the JSON type of `value`.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if is_integer(n) => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn check_string(s: &serde_json::Map<String, Value>, text: &str, at: &str) -> Result<(), String> {
    let chars = text.chars().count() as u64;
    if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
        if chars < min {
            return Err(format!(
                "{at} must be at least {min} characters, got {chars}"
            ));
        }
    }
    if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
        if chars > max {
            return Err(format!(
                "{at} must be at most {max} characters, got {chars}"
            ));
        }
    }
    let format_ok = match s.get("format").and_then(Value::as_str) {
        Some("date-time") => is_date_time(text),
        Some("date") => is_date(text),
        Some("uuid") => is_uuid(text),
        _ => return Ok(()),
    };
    if format_ok {
        Ok(())
    } else {
        let format = s.get("format").and_then(Value::as_str).unwrap_or_default();
        Err(format!("{at} must be a {format} string, got {text:?}"))
    }
}

fn check_number(
    s: &serde_json::Map<String, Value>,
    n: &serde_json::Number,
    at: &str,
) -> Result<(), String> {
    let Some(v) = n.as_f64() else { return Ok(()) };
    if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
        if v < min {
            return Err(format!("{at} must be at least {min}, got {n}"));
        }
    }
    if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
        if v > max {
            return Err(format!("{at} must be at most {max}, got {n}"));
        }
    }
    Ok(())
}

/// `YYYY-MM-DD` with a month and day that can be.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0..4, 5..7, 8..10]
            .into_iter()
            .all(|r| b[r].iter().all(u8::is_ascii_digit))
        && (1..=12).contains(&text[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&text[8..10].parse::<u8>().unwrap_or(0))
}

/// RFC 3339: a date, `T`, `HH:MM:SS`, an optional fraction, and `Z` or an
/// offset.
pub fn is_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    let b = time.as_bytes();
    let clock = b.len() >= 8
        && b[2] == b':'
        && b[5] == b':'
        && [0..2, 3..5, 6..8]
            .into_iter()
            .all(|r| b[r].iter().all(u8::is_ascii_digit));
    if !is_date(date) || !clock {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Eight, four, four, four and twelve hexadecimal digits.
pub fn is_uuid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reading() -> Value {
        json!({
            "type": "object",
            "required": ["id", "kind"],
            "properties": {
                "id": {"oneOf": [{"type": "integer"}, {"type": "string", "minLength": 1}]},
                "kind": {"type": "string", "enum": ["actual", "estimated"]},
                "quality": {"type": "string", "nullable": true, "enum": ["good", null]},
                "readAt": {"type": "string", "format": "date-time"},
                "meter": {"type": "object", "properties": {"digits": {"type": "integer", "minimum": 1}}},
                "values": {"type": "array", "items": {"type": "number"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            }
        })
    }

    #[test]
    fn a_body_that_fits_passes_with_its_unknown_fields() {
        let body: Value = serde_json::from_str(
            r#"{"id": 123456789012345678901234, "kind": "actual", "quality": null,
                "readAt": "2024-01-02T03:04:05.5+01:00", "meter": {"digits": 6},
                "values": [1, 2.5], "labels": {"a": "b"}, "futureField": [1]}"#,
        )
        .unwrap();
        check(&reading(), &body, "body").unwrap();
    }

    #[test]
    fn each_refusal_names_the_place() {
        let cases = [
            (json!({"kind": "actual"}), "body.id is required"),
            (
                json!({"id": 1, "kind": "smart"}),
                r#"body.kind must be one of "actual", "estimated", got "smart""#,
            ),
            (
                json!({"id": 1, "kind": "actual", "meter": {"digits": 1.5}}),
                "body.meter.digits must be an integer, got a number",
            ),
            (
                json!({"id": 1, "kind": "actual", "meter": {"digits": 0}}),
                "body.meter.digits must be at least 1, got 0",
            ),
            (
                json!({"id": 1, "kind": "actual", "values": [1, "x"]}),
                "body.values[1] must be a number, got a string",
            ),
            (
                json!({"id": 1, "kind": "actual", "labels": {"a": 1}}),
                "body.labels.a must be a string, got an integer",
            ),
            (
                json!({"id": 1, "kind": "actual", "readAt": "yesterday"}),
                r#"body.readAt must be a date-time string, got "yesterday""#,
            ),
            (json!({"id": 1, "kind": null}), "body.kind must not be null"),
            (
                json!({"id": "", "kind": "actual"}),
                "body.id must be at least 1 characters, got 0",
            ),
            (json!([1]), "body must be an object, got an array"),
        ];
        for (body, message) in cases {
            let e = check(&reading(), &body, "body").unwrap_err();
            assert!(e.starts_with(message), "{body}: {e}");
        }
    }

    #[test]
    fn formats() {
        assert!(is_date_time("2024-01-02T03:04:05Z"));
        assert!(is_date_time("2024-01-02T03:04:05.123-05:30"));
        assert!(!is_date_time("2024-01-02 03:04:05Z"));
        assert!(!is_date_time("2024-01-02T03:04:05"));
        assert!(is_date("2024-12-31"));
        assert!(!is_date("2024-13-01"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
    }

    #[test]
    fn closed_objects_refuse_other_fields() {
        let s = json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false});
        assert_eq!(
            check(&s, &json!({"b": 1}), "body").unwrap_err(),
            "body.b is not a field of body"
        );
    }
}

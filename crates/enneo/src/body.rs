//! Request bodies: JSON checked against the operation's schema before it
//! is sent, with every digit and every field the caller gave.

use bytes::Bytes;
use serde_json::Value;

use crate::{ArgStyle, ArgValue, Error, FlexibleId, NameCase, Operation, Result};

/// The JSON body of one request, checked against its operation's schema
/// ([`Operation::body`]). Cheap to clone: every retry sends the same bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Body(Bytes);

impl Body {
    /// The JSON text as it is sent.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn bytes(&self) -> Bytes {
        self.0.clone()
    }
}

impl std::fmt::Debug for Body {
    /// Its size only: a body may hold personal data, which has no place in
    /// logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Body({} bytes)", self.0.len())
    }
}

/// An operation's arguments as they go on the wire ([`Operation::bind`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bound {
    /// The parameters, in the order of [`Operation::params`]; `None` leaves
    /// an optional one out.
    pub params: Vec<Option<FlexibleId>>,
    /// The request body, for an operation that takes one.
    pub body: Option<Body>,
}

impl Operation {
    /// The request body of this operation from any serializable value (a
    /// generated model made with its builder, or a `serde_json::Value`),
    /// checked against the spec's schema: a missing required field, a
    /// wrong type or a value outside an enum is refused here, naming the
    /// field, before anything is sent. Fields the schema does not name are
    /// sent as they are.
    pub fn body(self, value: &impl serde::Serialize) -> Result<Body> {
        let json = serde_json::to_value(value)
            .map_err(|e| Error::InvalidArgument(format!("the body cannot be JSON: {e}")))?;
        self.checked_body(json)
    }

    /// A body given as a binding's value (a dict, a plain object).
    pub(crate) fn body_from_arg(self, value: ArgValue, style: ArgStyle) -> Result<Body> {
        self.checked_body(to_json(value, "body", style)?)
    }

    fn checked_body(self, json: Value) -> Result<Body> {
        let Some(schema) = self.body_schema() else {
            return Err(Error::InvalidArgument(format!(
                "{} takes no request body",
                self.operation_id()
            )));
        };
        enneo_schema::check_static(schema, &json, "body").map_err(Error::InvalidArgument)?;
        let bytes = serde_json::to_vec(&json).expect("a JSON value serializes");
        Ok(Body(bytes.into()))
    }
}

/// A binding's value as JSON, exact: an integer beyond 64 bits keeps its
/// digits, a map its order.
fn to_json(value: ArgValue, at: &str, style: ArgStyle) -> Result<Value> {
    Ok(match value {
        ArgValue::Null => Value::Null,
        ArgValue::Bool(b) => Value::Bool(b),
        ArgValue::Int(n) => Value::from(n),
        ArgValue::BigInt(digits) | ArgValue::Decimal(digits) => Value::Number(
            serde_json::from_str(&digits)
                .map_err(|_| Error::InvalidArgument(format!("{at} is no number: {digits}")))?,
        ),
        ArgValue::Float(x) => {
            // A JavaScript number that lost digits would send a wrong id.
            if style.case == NameCase::Camel
                && x.fract() == 0.0
                && x.abs() > 9_007_199_254_740_991.0
            {
                return Err(Error::InvalidArgument(format!(
                    "{at} {x} is beyond Number.MAX_SAFE_INTEGER; pass it as a bigint"
                )));
            }
            serde_json::Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| {
                    Error::InvalidArgument(format!("{at} must be a finite number, got {x}"))
                })?
        }
        ArgValue::Text(t) | ArgValue::DateTime(t) | ArgValue::Date(t) => Value::String(t),
        ArgValue::List(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| to_json(v, &format!("{at}[{i}]"), style))
                .collect::<Result<_>>()?,
        ),
        ArgValue::Map(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| {
                    let place = format!("{at}.{k}");
                    Ok((k, to_json(v, &place, style)?))
                })
                .collect::<Result<_>>()?,
        ),
        other @ ArgValue::Other(_) => {
            return Err(Error::WrongType(format!(
                "{at} cannot be sent as JSON: {}",
                other.describe(style)
            )))
        }
    })
}

/// The `Idempotency-Key` of one call to an operation that is not safe to
/// repeat: made once, before the first attempt, and sent with every retry,
/// so that the server can tell a retry from a second request.
pub(crate) fn idempotency_key() -> String {
    format!("enneo-retry-{:032x}", fastrand::u128(..))
}

/// The header that lets a server recognize a retry of a request that is
/// not safe to repeat.
pub(crate) const IDEMPOTENCY_KEY: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("idempotency-key");

/// Whether a request of this method may be sent again without asking the
/// server to recognize it: GET, HEAD, OPTIONS, PUT and DELETE are
/// idempotent (RFC 9110, 9.2.2); POST and PATCH need an `Idempotency-Key`.
pub(crate) fn idempotent(method: &reqwest::Method) -> bool {
    !matches!(*method, reqwest::Method::POST | reqwest::Method::PATCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_exact_json() {
        let v = ArgValue::Map(vec![
            (
                "id".into(),
                ArgValue::BigInt("123456789012345678901234567890".into()),
            ),
            (
                "at".into(),
                ArgValue::DateTime("2024-01-02T03:04:05Z".into()),
            ),
            (
                "x".into(),
                ArgValue::List(vec![ArgValue::Float(0.1), ArgValue::Null]),
            ),
            ("money".into(), ArgValue::Decimal("12.50".into())),
        ]);
        let json = to_json(v, "body", ArgStyle::PYTHON).unwrap();
        assert_eq!(
            serde_json::to_string(&json).unwrap(),
            r#"{"id":123456789012345678901234567890,"at":"2024-01-02T03:04:05Z","x":[0.1,null],"money":12.50}"#
        );
        let e = to_json(
            ArgValue::Map(vec![("f".into(), ArgValue::Other("set".into()))]),
            "body",
            ArgStyle::PYTHON,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("body.f cannot be sent as JSON: set"),
            "{e}"
        );
        let e = to_json(
            ArgValue::Decimal("NaN".into()),
            "body.money",
            ArgStyle::PYTHON,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("body.money is no number: NaN"),
            "{e}"
        );
        let e = to_json(ArgValue::Float(f64::NAN), "body", ArgStyle::PYTHON).unwrap_err();
        assert!(e.to_string().contains("finite"), "{e}");
        let e = to_json(ArgValue::Float(2f64.powi(60)), "body.id", ArgStyle::NODE).unwrap_err();
        assert!(e.to_string().contains("MAX_SAFE_INTEGER"), "{e}");
    }

    #[test]
    fn keys_differ_and_only_post_and_patch_need_one() {
        assert_ne!(idempotency_key(), idempotency_key());
        assert!(idempotent(&reqwest::Method::GET));
        assert!(idempotent(&reqwest::Method::PUT));
        assert!(idempotent(&reqwest::Method::DELETE));
        assert!(!idempotent(&reqwest::Method::POST));
        assert!(!idempotent(&reqwest::Method::PATCH));
    }
}

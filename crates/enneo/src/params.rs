//! Parameters by their schema's type: what every binding's arguments are
//! checked against ([`Operation::bind`]), with one rule for optional ones
//! and one message per refusal, and how each is written into the path or
//! query (OpenAPI's `form` style, exploded or not).

use crate::options::NameCase;
use crate::{ArgStyle, ArgValue, Error, FlexibleId, Operation, Result};

/// A parameter's type, from its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// An id: an integer or a string, kept exactly as given.
    Id,
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any finite number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An RFC 3339 date-time with an offset, such as `2024-01-02T03:04:05Z`.
    DateTime,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A UUID.
    Uuid,
    /// A list of the inner type: `a,b` in one parameter, or with `explode`
    /// the parameter once per item.
    Array(&'static ParamType),
}

impl ParamType {
    /// What a refusal says the parameter must be, in `style`'s language.
    fn expected(self, style: ArgStyle) -> String {
        let py = style.case == NameCase::Snake;
        match self {
            ParamType::Id if py => "an int or a str".into(),
            ParamType::Id => "an integer or a string".into(),
            ParamType::String if py => "a str".into(),
            ParamType::String => "a string".into(),
            ParamType::Integer if py => "an int".into(),
            ParamType::Integer => "an integer".into(),
            ParamType::Number => "a number".into(),
            ParamType::Boolean if py => "a bool".into(),
            ParamType::Boolean => "a boolean".into(),
            ParamType::Enum(values) => {
                let listed: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
                format!("one of {}", listed.join(", "))
            }
            ParamType::DateTime if py => "a datetime with a timezone, or an RFC 3339 str".into(),
            ParamType::DateTime => "a Date, or an RFC 3339 string with an offset".into(),
            ParamType::Date if py => "a date, or a YYYY-MM-DD str".into(),
            ParamType::Date => "a YYYY-MM-DD string".into(),
            ParamType::Uuid if py => "a UUID or a str".into(),
            ParamType::Uuid => "a UUID string".into(),
            ParamType::Array(item) if py => format!("a list of {}", item.expected(style)),
            ParamType::Array(item) => format!("an array of {}", item.expected(style)),
        }
    }

    /// Whether `text`, as it goes on the wire, is a value of this type.
    fn admits(self, text: &str) -> bool {
        match self {
            ParamType::Id | ParamType::String => true,
            ParamType::Integer => {
                let digits = text.strip_prefix('-').unwrap_or(text);
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            }
            ParamType::Number => text.parse::<f64>().is_ok_and(f64::is_finite),
            ParamType::Boolean => text == "true" || text == "false",
            ParamType::Enum(values) => values.contains(&text),
            ParamType::DateTime => enneo_schema::is_date_time(text),
            ParamType::Date => enneo_schema::is_date(text),
            ParamType::Uuid => enneo_schema::is_uuid(text),
            ParamType::Array(item) => text.split(',').all(|i| item.admits(i)),
        }
    }

    /// One value as it goes on the wire; `None` when it is of another type.
    fn write(self, v: ArgValue, style: ArgStyle) -> Option<FlexibleId> {
        let text = |s: String| self.admits(&s).then_some(FlexibleId::Text(s));
        match (self, v) {
            (ParamType::Id, ArgValue::Int(n)) => Some(n.into()),
            (ParamType::Id, ArgValue::BigInt(d)) => Some(FlexibleId::Text(d)),
            (ParamType::Integer, ArgValue::Int(n)) => Some(n.into()),
            (ParamType::Integer, ArgValue::BigInt(d)) => text(d),
            (ParamType::Number, ArgValue::Int(n)) => Some(n.into()),
            (ParamType::Number, ArgValue::Decimal(d) | ArgValue::BigInt(d)) => text(d),
            (ParamType::Number, ArgValue::Float(x)) if x.is_finite() => {
                Some(FlexibleId::Text(x.to_string()))
            }
            (ParamType::Boolean, ArgValue::Bool(b)) => Some(FlexibleId::Text(b.to_string())),
            (ParamType::DateTime, ArgValue::DateTime(s)) => text(s),
            (ParamType::Date, ArgValue::Date(s)) => text(s),
            (ty, ArgValue::Text(s)) if ty == ParamType::Id || ty == ParamType::String => {
                Some(FlexibleId::Text(s))
            }
            (ty, ArgValue::Text(s)) if ty.takes_text(style) => text(s),
            _ => None,
        }
    }

    /// Whether text is a legitimate form of this type, to be checked by its
    /// content: always on the command line, which gives every value as
    /// text, and for the types whose values are text in every language.
    fn takes_text(self, style: ArgStyle) -> bool {
        style.case == NameCase::Kebab
            || matches!(
                self,
                ParamType::Enum(_) | ParamType::DateTime | ParamType::Date | ParamType::Uuid
            )
    }
}

impl Operation {
    /// Checks a binding's arguments, in the order of
    /// [`Operation::params`], against each parameter's type, and writes them
    /// as they go on the wire. `Null` leaves an optional parameter out,
    /// wherever it stands; a required one must be given. Every refusal is
    /// worded here, in `style`'s names and types. An operation with a
    /// request body takes it after every parameter: a map, checked against
    /// the body's schema ([`Operation::body`]).
    pub fn bind(self, style: ArgStyle, mut args: Vec<ArgValue>) -> Result<crate::Bound> {
        let params = self.params();
        let body = match self.body_schema() {
            Some(_) if args.len() > params.len() => {
                let body = args.remove(params.len());
                if body == ArgValue::Null {
                    return Err(Error::WrongType("body is required".into()));
                }
                Some(self.body_from_arg(body, style)?)
            }
            // Left for the caller to add ([`Operation::body`]); a call
            // without one is refused.
            _ => None,
        };
        Ok(crate::Bound {
            params: bind_params(params, self.operation_id(), style, args)?,
            body,
        })
    }
}

impl ArgStyle {
    /// One id of a bulk or stream lookup, as a binding was given it,
    /// checked as a lookup's id parameter is: an integer (a bigint in
    /// Node) or a string, never a boolean or a number with a fraction.
    pub fn id(self, value: ArgValue) -> Result<FlexibleId> {
        bind_one("id", ParamType::Id, value, self)
    }
}

fn bind_params(
    params: &[crate::Param],
    operation_id: &str,
    style: ArgStyle,
    args: Vec<ArgValue>,
) -> Result<Vec<Option<FlexibleId>>> {
    {
        if args.len() > params.len() {
            let names: Vec<String> = params.iter().map(|p| param_name(p, style)).collect();
            return Err(Error::WrongType(format!(
                "{} takes at most {} argument(s) ({}), got {}",
                operation_id,
                params.len(),
                names.join(", "),
                args.len()
            )));
        }
        let mut out = Vec::with_capacity(args.len());
        for (param, value) in params
            .iter()
            .zip(args.into_iter().chain(std::iter::repeat(ArgValue::Null)))
        {
            let name = param_name(param, style);
            if value == ArgValue::Null {
                if param.required {
                    return Err(Error::WrongType(format!("{name} is required")));
                }
                out.push(None);
                continue;
            }
            out.push(Some(bind_one(&name, param.ty, value, style)?));
        }
        while out.last() == Some(&None) {
            out.pop();
        }
        Ok(out)
    }
}

/// One argument's wire form, or the refusal that names it.
fn bind_one(name: &str, ty: ParamType, value: ArgValue, style: ArgStyle) -> Result<FlexibleId> {
    // An array's items are checked one by one, so that a refusal names the
    // item.
    if let (ParamType::Array(item), ArgValue::List(items)) = (ty, &value) {
        let mut parts = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            let part = bind_one(&format!("{name}[{i}]"), *item, v.clone(), style)?;
            let part = part.as_text().into_owned();
            if part.contains(',') {
                return Err(Error::InvalidArgument(format!(
                    "{name}[{i}] must not contain a comma, which joins the items"
                )));
            }
            parts.push(part);
        }
        return Ok(FlexibleId::Text(parts.join(",")));
    }
    // A JavaScript number that lost digits cannot name an id or count.
    if let (ParamType::Id | ParamType::Integer, ArgValue::Float(x)) = (ty, &value) {
        if style.case == NameCase::Camel && x.fract() == 0.0 {
            return Err(Error::InvalidArgument(format!(
                "{name} {x} is beyond Number.MAX_SAFE_INTEGER; pass it as a string or a bigint"
            )));
        }
    }
    // Text is a legitimate form of these types (and of every type on the
    // command line): a text that is not one of their values is a bad value,
    // anything else a wrong type.
    let text = match &value {
        ArgValue::Text(t) if ty.takes_text(style) => Some(format!("{t:?}")),
        // A date or time of the language's own whose text is no value
        // (a naive datetime).
        ArgValue::DateTime(t) | ArgValue::Date(t) => Some(format!("{t:?}")),
        _ => None,
    };
    let shown = value.describe(style);
    match (ty.write(value, style), text) {
        (Some(v), _) => Ok(v),
        (None, Some(t)) => Err(Error::InvalidArgument(format!(
            "{name} must be {}, got {t}",
            ty.expected(style)
        ))),
        (None, None) => Err(Error::WrongType(format!(
            "{name} must be {}, not {shown}",
            ty.expected(style)
        ))),
    }
}

/// A parameter's name as `style`'s users write it: the keyword in Python
/// and Node, `name=` on the command line.
fn param_name(p: &crate::Param, style: ArgStyle) -> String {
    match style.case {
        NameCase::Kebab => p.name.to_owned(),
        _ => style.name(p.snake),
    }
}

/// Checks an argument as it goes on the wire: what [`Operation::bind`]
/// made, or what a Rust caller passed straight to `call_raw`.
pub(crate) fn check_written(p: &crate::Param, arg: &FlexibleId) -> Result<()> {
    if p.ty == ParamType::Id || p.location == crate::In::Path {
        crate::client::validate_arg(p.name, arg)?;
    }
    if !p.ty.admits(&arg.as_text()) {
        return Err(Error::InvalidArgument(format!(
            "{} must be {}, got {:?}",
            p.name,
            p.ty.expected(ArgStyle::CLI),
            arg.as_text()
        )));
    }
    Ok(())
}

/// The calendar date (year, month, day; proleptic Gregorian, UTC) that is
/// `days` days after 1970-01-01, after Howard Hinnant's `civil_from_days`.
pub fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// A point in time given as milliseconds since the Unix epoch (a
/// JavaScript `Date`), as RFC 3339 UTC text with milliseconds; `None` for
/// a time outside years 0 to 9999 or not a number.
pub fn rfc3339_from_unix_millis(ms: f64) -> Option<String> {
    if !ms.is_finite() {
        return None;
    }
    let ms = ms as i64;
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = civil_date(days);
    if !(0..=9999).contains(&year) {
        return None;
    }
    let (h, m, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms_are_checked() {
        assert!(ParamType::DateTime.admits("2024-01-02T03:04:05.123+02:00"));
        assert!(!ParamType::DateTime.admits("2024-01-02T03:04:05"));
        // Not a char boundary where the clock would end: refused, no panic.
        assert!(!ParamType::DateTime.admits("2024-01-02T0ééééé"));
        assert!(ParamType::Date.admits("2024-12-31") && !ParamType::Date.admits("24-01-01"));
        assert!(!ParamType::Uuid.admits("123e4567"));
        assert!(ParamType::Integer.admits("-12") && !ParamType::Integer.admits("1.5"));
        assert!(ParamType::Array(&ParamType::Integer).admits("1,2,3"));
        assert!(!ParamType::Boolean.admits("yes"));
    }

    #[test]
    fn dates_from_milliseconds_are_utc_text() {
        assert_eq!(
            rfc3339_from_unix_millis(0.0).as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(
            rfc3339_from_unix_millis(1_704_164_645_500.0).as_deref(),
            Some("2024-01-02T03:04:05.500Z")
        );
        assert_eq!(
            rfc3339_from_unix_millis(951_782_400_000.0).as_deref(),
            Some("2000-02-29T00:00:00.000Z")
        );
        assert_eq!(rfc3339_from_unix_millis(f64::NAN), None);
    }

    #[test]
    fn arguments_are_bound_by_type_in_each_language_s_terms() {
        use crate::operation::{In, Param};
        static PARAMS: [Param; 3] = [
            Param {
                name: "readingId",
                snake: "reading_id",
                location: In::Path,
                required: true,
                ty: ParamType::Id,
                explode: true,
            },
            Param {
                name: "withHistory",
                snake: "with_history",
                location: In::Query,
                required: false,
                ty: ParamType::Boolean,
                explode: true,
            },
            Param {
                name: "kinds",
                snake: "kinds",
                location: In::Query,
                required: false,
                ty: ParamType::Array(&ParamType::Enum(&["actual", "estimated"])),
                explode: true,
            },
        ];
        let bind = |style, args| bind_params(&PARAMS, "getReading", style, args);
        let py = ArgStyle::PYTHON;
        let bound = bind(
            py,
            vec![
                ArgValue::Int(7),
                ArgValue::Null,
                ArgValue::List(vec![ArgValue::Text("actual".into())]),
            ],
        )
        .unwrap();
        assert_eq!(
            bound,
            vec![
                Some(7.into()),
                None,
                Some(FlexibleId::Text("actual".into()))
            ]
        );
        assert_eq!(
            bind(py, vec![ArgValue::Int(7), ArgValue::Bool(true)]).unwrap(),
            vec![Some(7.into()), Some(FlexibleId::Text("true".into()))]
        );
        let e = bind(py, vec![ArgValue::Bool(true)]).unwrap_err();
        assert_eq!(e.message(), "reading_id must be an int or a str, not bool");
        assert!(matches!(e, Error::WrongType(_)));
        let e = bind(
            ArgStyle::NODE,
            vec![ArgValue::Int(1), ArgValue::Text("yes".into())],
        )
        .unwrap_err();
        assert_eq!(e.message(), "withHistory must be a boolean, not \"yes\"");
        let e = bind(
            py,
            vec![
                ArgValue::Int(1),
                ArgValue::Null,
                ArgValue::List(vec![ArgValue::Text("smart".into())]),
            ],
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "kinds[0] must be one of \"actual\", \"estimated\", got \"smart\""
        );
        let e = bind(
            ArgStyle::CLI,
            vec![ArgValue::Text("1".into()), ArgValue::Text("maybe".into())],
        )
        .unwrap_err();
        assert_eq!(e.message(), "withHistory must be a boolean, got \"maybe\"");
        assert_eq!(
            bind(
                ArgStyle::CLI,
                vec![
                    ArgValue::Text("1".into()),
                    ArgValue::Text("false".into()),
                    ArgValue::Text("actual,estimated".into())
                ]
            )
            .unwrap()[2],
            Some(FlexibleId::Text("actual,estimated".into()))
        );
        let e = bind(ArgStyle::NODE, vec![ArgValue::Float(9007199254740993.0)]).unwrap_err();
        assert!(
            e.message().contains("beyond Number.MAX_SAFE_INTEGER"),
            "{}",
            e.message()
        );
        let e = bind(py, vec![ArgValue::Null]).unwrap_err();
        assert_eq!(e.message(), "reading_id is required");
    }
}

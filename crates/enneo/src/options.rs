//! Per-call options, and the checks every binding's arguments go through.
//!
//! The Python and Node bindings pass numbers as their users wrote them (in
//! seconds or milliseconds, under snake_case or camelCase names); the checks
//! and their messages live here, so that an option is added and checked once.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::log::LogLevel;
use crate::operations::Operation;
use crate::trace::TraceContext;
use crate::Concurrency;
use crate::{ArgValue, Error, Result};

/// Per-call settings; unset fields take the client's.
///
/// ```
/// # fn main() -> enneo::Result<()> {
/// let options = enneo::RequestOptions::new()
///     .timeout(std::time::Duration::from_secs(5))
///     .max_retries(0)
///     .header("X-Correlation-Id", "c0ffee")?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Overrides the client's timeout for this call.
    pub timeout: Option<Duration>,
    /// Overrides the client's retry count for this call.
    pub max_retries: Option<u32>,
    /// Sent with this call, after the client's default headers (see
    /// [`RequestOptions::header`] for the names refused).
    pub extra_headers: HeaderMap,
    /// Overrides the client's log level for this call; a binding passes the
    /// level its logger is enabled for at the time of the call.
    pub log_level: Option<LogLevel>,
    /// The W3C trace context to send, from the caller's span for this
    /// call; it replaces any `traceparent` among the extra headers.
    pub trace: Option<TraceContext>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the client's retry count.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Adds a header to this call, such as a trace or correlation id. Fails
    /// with [`Error::InvalidArgument`] on a malformed name or value, and on
    /// the headers the client owns (`Authorization`, `User-Agent`, and the
    /// framing headers), so that they cannot be overridden by accident.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self> {
        let (name, value) = check_header(name, value)?;
        self.extra_headers.append(name, value);
        Ok(self)
    }
}

/// Headers the client sets itself and refuses from callers.
const OWNED_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "user-agent",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "te",
    "upgrade",
];

/// Checks one caller-supplied header; see [`RequestOptions::header`].
pub fn check_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let parsed = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidArgument(format!("header name {name:?} is not valid")))?;
    if OWNED_HEADERS.contains(&parsed.as_str()) {
        return Err(Error::InvalidArgument(format!(
            "header {name:?} is set by the client and cannot be overridden"
        )));
    }
    // The value is not quoted: it may be a credential of the caller's own.
    let value = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidArgument(format!(
            "the value of header {name:?} contains characters not allowed in an HTTP header"
        ))
    })?;
    Ok((parsed, value))
}

/// One per-call option. See [`CALL_OPTIONS`].
#[derive(Debug, Clone, Copy)]
pub struct CallOption {
    /// The name in Rust and Python.
    pub name: &'static str,
    /// The name in Node's `RequestOptions`.
    pub node: &'static str,
    /// What it takes (a time, a count, headers).
    pub kind: crate::SettingKind,
    /// One sentence for every language's docs.
    pub doc: &'static str,
}

/// The options every call takes, besides its arguments: one table from
/// which Python's keywords, Node's `RequestOptions` and the checks come.
pub const CALL_OPTIONS: &[CallOption] = &[
    CallOption {
        name: "timeout",
        node: "timeout",
        kind: crate::SettingKind::Time,
        doc: "Overrides the client's timeout for this call.",
    },
    CallOption {
        name: "max_retries",
        node: "maxRetries",
        kind: crate::SettingKind::Count,
        doc: "Overrides the client's retry count for this call.",
    },
    CallOption {
        name: "extra_headers",
        node: "headers",
        kind: crate::SettingKind::Headers,
        doc: "Headers for this call, such as trace or correlation ids; `Authorization`, `User-Agent` and the framing headers are the client's and are refused.",
    },
];

impl CallOption {
    /// The name as `style`'s users write it.
    pub fn name_in(&self, style: ArgStyle) -> &'static str {
        match style.case {
            NameCase::Camel => self.node,
            _ => self.name,
        }
    }
}

/// A call's options as a binding received them, before [`ArgStyle::call`]
/// checks them; unset ones take the client's.
#[derive(Debug, Clone, Default)]
pub struct CallArgs {
    /// Options of [`CALL_OPTIONS`] by their names in the binding's
    /// spelling, as the caller gave them; `Null` ones are unset, and names
    /// not in the table are left to the binding.
    pub options: Vec<(&'static str, crate::ArgValue)>,
    /// A level name (`debug` … `off`).
    pub log_level: Option<String>,
    /// The caller's span context: `traceparent`, and `tracestate` if any.
    pub trace: Option<(String, Option<String>)>,
}

/// The unit a binding's users give times in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Python: seconds, as `float`.
    Seconds,
    /// Node: milliseconds, as `number`.
    Milliseconds,
}

/// `enneo-<surface>/<version>`, the `User-Agent` of each surface.
pub(crate) fn user_agent(surface: &str) -> String {
    format!("enneo-{surface}/{}", env!("CARGO_PKG_VERSION"))
}

/// How a surface spells the names of settings and options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameCase {
    /// Python and Rust: `max_retries`.
    Snake,
    /// Node: `maxRetries`.
    Camel,
    /// The CLI's flags: `--max-retries`; values arrive as text.
    Kebab,
}

/// How a binding spells option names and times, for messages in its terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgStyle {
    /// The unit of times.
    pub unit: TimeUnit,
    /// How names are spelled.
    pub case: NameCase,
    /// The surface's name in its `User-Agent` (`enneo-<surface>/<version>`).
    pub surface: &'static str,
}

impl ArgStyle {
    /// Python's: seconds, snake_case.
    pub const PYTHON: ArgStyle = ArgStyle {
        unit: TimeUnit::Seconds,
        case: NameCase::Snake,
        surface: "python",
    };
    /// Node's: milliseconds, camelCase.
    pub const NODE: ArgStyle = ArgStyle {
        unit: TimeUnit::Milliseconds,
        case: NameCase::Camel,
        surface: "node",
    };
    /// The CLI's: seconds, `--kebab-case` flags, values as text.
    pub const CLI: ArgStyle = ArgStyle {
        unit: TimeUnit::Seconds,
        case: NameCase::Kebab,
        surface: "cli",
    };

    /// The `User-Agent` a client made through this surface sends; every
    /// surface is built from one workspace, so they share its version.
    pub fn user_agent(self) -> String {
        user_agent(self.surface)
    }

    /// An option's name (given in snake_case) as the binding's users spell it.
    pub fn name(self, snake: &str) -> String {
        match self.case {
            NameCase::Snake => return snake.to_owned(),
            NameCase::Kebab => return format!("--{}", snake.replace('_', "-")),
            NameCase::Camel => {}
        }
        let mut out = String::with_capacity(snake.len());
        let mut upper = false;
        for c in snake.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A positive, finite time in this style's unit.
    pub fn duration(self, snake: &str, value: f64) -> Result<Duration> {
        self.duration_as(&self.name(snake), value)
    }

    /// [`ArgStyle::duration`] of an option already named in this style.
    pub(crate) fn duration_as(self, name: &str, value: f64) -> Result<Duration> {
        let unit = match self.unit {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Milliseconds => "milliseconds",
        };
        if !(value.is_finite() && value > 0.0) {
            return Err(Error::InvalidArgument(format!(
                "{} must be a positive, finite number of {unit}, got {value}",
                name
            )));
        }
        let secs = match self.unit {
            TimeUnit::Seconds => value,
            TimeUnit::Milliseconds => value / 1000.0,
        };
        Duration::try_from_secs_f64(secs)
            .map_err(|_| Error::InvalidArgument(format!("{} is too large: {value}", name)))
    }

    /// A time back in this style's unit (for a binding's settings view).
    pub fn number(self, d: Duration) -> f64 {
        match self.unit {
            TimeUnit::Seconds => d.as_secs_f64(),
            TimeUnit::Milliseconds => d.as_secs_f64() * 1000.0,
        }
    }

    /// A retry count: a whole number, 0 or more.
    pub fn retries(self, value: i64) -> Result<u32> {
        u32::try_from(value).map_err(|_| {
            Error::InvalidArgument(format!(
                "{} must be 0 or more, got {value}",
                self.name("max_retries")
            ))
        })
    }

    /// A concurrency limit as a binding was given it: a whole number, at
    /// least 1; unset (`Null`), [`Concurrency::Auto`].
    pub fn concurrency(self, value: ArgValue) -> Result<Concurrency> {
        Ok(match self.count("concurrency", value)? {
            None => Concurrency::Auto,
            Some(n) => Concurrency::Fixed(n),
        })
    }

    /// A count of at least 1 named `name` (in snake case, as
    /// `batch_size`), or none for null: checked with the messages of
    /// [`ArgStyle::concurrency`].
    pub fn count(self, name: &str, value: ArgValue) -> Result<Option<usize>> {
        let name = self.name(name);
        match value {
            ArgValue::Null => Ok(None),
            ArgValue::Int(n) => match usize::try_from(n) {
                Ok(n) if n >= 1 => Ok(Some(n)),
                _ => Err(Error::InvalidArgument(format!(
                    "{name} must be at least 1, got {n}"
                ))),
            },
            other => Err(Error::WrongType(format!(
                "{name} must be {}, not {}",
                if self.case == NameCase::Snake {
                    "an int"
                } else {
                    "an integer"
                },
                other.describe(self)
            ))),
        }
    }

    /// The operation named by its spec `operationId` and the call's
    /// options, checked: what every binding does before it starts a call.
    pub fn call(self, operation_id: &str, args: CallArgs) -> Result<(Operation, RequestOptions)> {
        let mut options = self.request_options(args.options)?;
        options.log_level = args.log_level.as_deref().map(str::parse).transpose()?;
        options.trace = TraceContext::from_pair(args.trace)?;
        Ok((operation_id.parse()?, options))
    }

    /// Per-call options as a binding received them, by name (see
    /// [`CallArgs::options`]), checked against [`CALL_OPTIONS`].
    pub fn request_options(
        self,
        given: Vec<(&'static str, crate::ArgValue)>,
    ) -> Result<RequestOptions> {
        use crate::SettingValue;
        let mut options = RequestOptions::default();
        for (name, value) in given {
            if value == crate::ArgValue::Null {
                continue;
            }
            let Some(option) = CALL_OPTIONS.iter().find(|o| o.name_in(self) == name) else {
                continue;
            };
            match crate::settings::check_value(name, option.kind, value, self)? {
                SettingValue::Time(t) => options.timeout = Some(t),
                SettingValue::Count(n) => options.max_retries = Some(n),
                SettingValue::Headers(h) => {
                    for (k, v) in h {
                        options = options.header(&k, &v)?;
                    }
                }
                other => unreachable!("no call option takes {other:?}"),
            }
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_units_follow_the_binding() {
        assert_eq!(
            ArgStyle::NODE.name("max_requests_per_second"),
            "maxRequestsPerSecond"
        );
        assert_eq!(ArgStyle::PYTHON.name("max_retries"), "max_retries");
        assert_eq!(
            ArgStyle::NODE.duration("timeout", 1500.0).unwrap(),
            Duration::from_millis(1500)
        );
        let e = ArgStyle::NODE.duration("connect_timeout", 0.0).unwrap_err();
        assert_eq!(
            e.message(),
            "connectTimeout must be a positive, finite number of milliseconds, got 0"
        );
        assert!(ArgStyle::PYTHON.duration("timeout", f64::NAN).is_err());
        assert!(ArgStyle::PYTHON.duration("timeout", 1e300).is_err());
        assert!(ArgStyle::PYTHON.retries(-1).is_err());
        assert!(ArgStyle::PYTHON.concurrency(ArgValue::Int(0)).is_err());
        assert_eq!(
            ArgStyle::NODE.concurrency(ArgValue::Null).unwrap(),
            Concurrency::Auto
        );
        assert_eq!(
            ArgStyle::NODE.concurrency(ArgValue::Int(3)).unwrap(),
            Concurrency::Fixed(3)
        );
        let e = ArgStyle::PYTHON
            .concurrency(ArgValue::Bool(true))
            .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("concurrency must be an int, not bool"),
            "{e}"
        );
    }

    #[test]
    fn owned_headers_are_refused_and_others_kept() {
        for name in ["Authorization", "user-agent", "Host", "Content-Length"] {
            let e = RequestOptions::new().header(name, "x").unwrap_err();
            assert!(e.message().contains("cannot be overridden"), "{name}");
        }
        assert!(RequestOptions::new().header("bad name", "x").is_err());
        let e = RequestOptions::new()
            .header("x-secret", "a\nb")
            .unwrap_err();
        assert!(!e.message().contains("a\nb"));
        let o = RequestOptions::new()
            .header("X-Correlation-Id", "abc")
            .unwrap();
        assert_eq!(o.extra_headers["x-correlation-id"], "abc");
    }

    #[test]
    fn a_call_is_checked_in_the_binding_s_terms() {
        use crate::ArgValue;
        let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        let (operation, o) = ArgStyle::NODE
            .call(
                "getCustomerByCustomerId",
                CallArgs {
                    options: vec![
                        ("timeout", ArgValue::Int(250)),
                        ("maxRetries", ArgValue::Int(0)),
                        (
                            "headers",
                            ArgValue::Map(vec![(
                                "X-Correlation-Id".into(),
                                ArgValue::Text("c1".into()),
                            )]),
                        ),
                    ],
                    log_level: Some("warning".into()),
                    trace: Some((traceparent.into(), Some("k=v".into()))),
                },
            )
            .unwrap();
        assert_eq!(operation, Operation::GetCustomerByCustomerId);
        assert_eq!(o.timeout, Some(Duration::from_millis(250)));
        assert_eq!(o.max_retries, Some(0));
        assert_eq!(o.extra_headers["x-correlation-id"], "c1");
        assert_eq!(o.log_level, Some(LogLevel::Warn));
        assert_eq!(o.trace.unwrap().traceparent(), traceparent);

        let (_, o) = ArgStyle::PYTHON
            .call("getCustomerByCustomerId", CallArgs::default())
            .unwrap();
        assert!(o.timeout.is_none() && o.log_level.is_none() && o.trace.is_none());

        let fails = |style: ArgStyle, name: &'static str, v: ArgValue| {
            let args = CallArgs {
                options: vec![(name, v)],
                ..CallArgs::default()
            };
            style
                .call("getCustomerByCustomerId", args)
                .unwrap_err()
                .message()
        };
        assert_eq!(
            fails(ArgStyle::PYTHON, "timeout", ArgValue::Float(-1.0)),
            "timeout must be a positive, finite number of seconds, got -1"
        );
        assert_eq!(
            fails(ArgStyle::PYTHON, "timeout", ArgValue::Text("5".into())),
            "timeout must be a number, not str"
        );
        assert_eq!(
            fails(ArgStyle::NODE, "maxRetries", ArgValue::Int(-1)),
            "maxRetries must be 0 or more, got -1"
        );
        assert_eq!(
            fails(ArgStyle::PYTHON, "extra_headers", ArgValue::List(vec![])),
            "extra_headers must be a mapping of header names to values, not list"
        );
        let level = CallArgs {
            log_level: Some("loud".into()),
            ..CallArgs::default()
        };
        let e = ArgStyle::NODE
            .call("getCustomerByCustomerId", level)
            .unwrap_err();
        assert!(e.message().contains("log level"));
        let bad_trace = CallArgs {
            trace: Some(("00-zz".into(), None)),
            ..CallArgs::default()
        };
        let e = ArgStyle::NODE
            .call("getCustomerByCustomerId", bad_trace)
            .unwrap_err();
        assert!(e.message().contains("traceparent"));
        let e = ArgStyle::NODE
            .call("getNothing", CallArgs::default())
            .unwrap_err();
        assert!(e.message().contains("getNothing"));
    }
}

//! Log records for callers outside `tracing`: the language bindings hand
//! them to Python's `logging` and to a Node `logger`.
//!
//! Every request also logs through `tracing` (target `enneo`), whether or
//! not a [`LogSink`] is set. No record ever carries a header, so the token
//! cannot appear in one.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::Error;

/// Environment variable naming the log level, read by
/// [`LogLevel::from_env`] for every language: `trace` or `debug`, `info`,
/// `warn` or `warning`, `error`, `off` or `none`, in any case.
pub const LOG_ENV: &str = "ENNEO_LOG";

/// How much a record matters; ordered from most to least verbose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Each request as it finishes.
    Debug,
    /// Retries.
    Info,
    /// Nothing today; kept for callers' thresholds.
    Warn,
    /// Nothing today; kept for callers' thresholds.
    Error,
    /// No records.
    Off,
}

impl LogLevel {
    /// The lowercase name, as `ENNEO_LOG` spells it and as Node's logger
    /// methods are named.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
            LogLevel::Off => "off",
        }
    }

    /// `ENNEO_LOG`, when it is set to a level: the one reading of it that
    /// Rust, the CLI, Python and Node share. Unset or blank is `None`; a
    /// value that is no level is `None` too, with one warning on stderr per
    /// process, so a typo does not silence logging unnoticed.
    pub fn from_env() -> Option<LogLevel> {
        let value = std::env::var(LOG_ENV).ok()?;
        if value.trim().is_empty() {
            return None;
        }
        match value.parse() {
            Ok(level) => Some(level),
            Err(_) => {
                static WARNED: std::sync::Once = std::sync::Once::new();
                WARNED.call_once(|| {
                    eprintln!(
                        "enneo: ignoring {LOG_ENV}={value:?}: use trace, debug, info, warn, error or off"
                    )
                });
                None
            }
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LogLevel {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            // The core has nothing finer than a request's line.
            "trace" | "debug" => Ok(LogLevel::Debug),
            "info" => Ok(LogLevel::Info),
            "warn" | "warning" => Ok(LogLevel::Warn),
            "error" => Ok(LogLevel::Error),
            "off" | "none" => Ok(LogLevel::Off),
            other => Err(Error::InvalidArgument(format!(
                "log level must be debug, info, warn, error or off, got {other:?}"
            ))),
        }
    }
}

/// One thing that happened to one request.
#[derive(Debug, Clone)]
pub struct LogRecord {
    /// How much it matters.
    pub level: LogLevel,
    /// A one-line summary, such as `GET /api/mind/customer/byCustomerId/1 -> 200 in 3 ms`.
    pub message: String,
    /// The spec's operation id.
    pub operation: &'static str,
    /// `GET`.
    pub method: String,
    /// The URL path, without query or host.
    pub path: String,
    /// The HTTP status, when a response came.
    pub status: Option<u16>,
    /// Time since the call started.
    pub elapsed: Duration,
    /// Retries made so far.
    pub retries: u32,
    /// The server's request id, when it sent one.
    pub request_id: Option<String>,
    /// The error code ([`Error::code`]) of a failed call.
    pub error: Option<&'static str>,
}

/// One field of a [`LogRecord`], as a binding hands it on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LogValue<'a> {
    /// Text.
    Text(&'a str),
    /// A whole number.
    Int(u64),
    /// Milliseconds.
    Float(f64),
    /// Not known for this record (no response, no request id).
    Absent,
}

/// The fields every binding's log records carry, by these names (in
/// camelCase in Node): one set, so a log query works on every language.
pub const LOG_FIELDS: [&str; 8] = [
    "operation",
    "method",
    "url_path",
    "status_code",
    "elapsed_ms",
    "retries",
    "request_id",
    "error_code",
];

impl LogRecord {
    /// The record's fields in [`LOG_FIELDS`] order, by those names.
    pub fn fields(&self) -> [(&'static str, LogValue<'_>); 8] {
        let values = [
            LogValue::Text(self.operation),
            LogValue::Text(&self.method),
            LogValue::Text(&self.path),
            self.status
                .map_or(LogValue::Absent, |s| LogValue::Int(u64::from(s))),
            LogValue::Float(self.elapsed.as_secs_f64() * 1000.0),
            LogValue::Int(u64::from(self.retries)),
            self.request_id
                .as_deref()
                .map_or(LogValue::Absent, LogValue::Text),
            self.error.map_or(LogValue::Absent, LogValue::Text),
        ];
        let mut i = 0;
        values.map(|v| {
            i += 1;
            (LOG_FIELDS[i - 1], v)
        })
    }
}

/// Receives the records at or above a client's level.
pub trait LogSink: Send + Sync + 'static {
    /// Called on the thread the request runs on; keep it quick.
    fn log(&self, record: LogRecord);
}

/// Any closure taking a record is a sink:
///
/// ```
/// use std::sync::Arc;
/// use enneo::{Client, LogLevel, LogRecord};
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:1/api/mind")
///     .logger(Arc::new(|r: LogRecord| eprintln!("{}", r.message)), LogLevel::Info)
///     .build();
/// assert!(client.is_ok());
/// ```
impl<F> LogSink for F
where
    F: Fn(LogRecord) + Send + Sync + 'static,
{
    fn log(&self, record: LogRecord) {
        self(record)
    }
}

impl fmt::Debug for dyn LogSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LogSink")
    }
}

/// A sink with the level it wants.
#[derive(Clone)]
pub(crate) struct Logger {
    pub sink: Arc<dyn LogSink>,
    pub level: LogLevel,
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

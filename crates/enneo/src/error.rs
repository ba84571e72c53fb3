//! The one error type of the client.

use bytes::Bytes;

/// A failed API call.
///
/// Every variant's message is a single sentence that never contains the
/// token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success HTTP status.
    #[error("{0}")]
    Status(Box<StatusError>),
    /// No complete response arrived within the configured timeout.
    #[error("request timed out after {attempts} attempt(s)")]
    Timeout {
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// The server could not be reached, or the connection broke, before the
    /// response or in the middle of its body.
    #[error("connection to the Enneo API failed: {message}")]
    Connection {
        /// What went wrong, without the token.
        message: String,
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// The response arrived but was not the expected JSON.
    #[error("could not decode the response (HTTP {status}): {message}")]
    Decode {
        /// The HTTP status of the response.
        status: u16,
        /// The raw response body as received (possibly truncated).
        body: Bytes,
        /// What the decoder said.
        message: String,
        /// How many attempts were made, retries included.
        attempts: u32,
    },
    /// An argument was rejected before any request was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// An argument of the wrong type was rejected before any request was
    /// sent; code `invalid_argument`, like [`Error::InvalidArgument`]
    /// (Python raises `InvalidArgumentTypeError`, also a `TypeError`).
    #[error("invalid argument: {0}")]
    WrongType(String),
}

/// Details of an HTTP status error.
#[derive(Debug, Clone)]
pub struct StatusError {
    /// The HTTP status code.
    pub status: u16,
    /// The raw response body.
    pub body: Bytes,
    /// The server's request id (`x-request-id`), when it sent one.
    pub request_id: Option<String>,
    /// The `message` (or `error`) of a JSON error body, when there is one.
    pub message: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
}

/// One row of the table behind status errors in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusKind {
    /// The statuses it covers, inclusive.
    pub statuses: (u16, u16),
    /// The stable code, as every binding's errors carry it.
    pub code: &'static str,
    /// The reason in the message, such as `not found`.
    pub reason: &'static str,
    /// The class the Python and Node bindings raise for it (generated into
    /// them by enneo-codegen); `None` raises the base `APIStatusError`
    /// with this code.
    pub class: Option<&'static str>,
}

/// The one table behind the message, the code and the class of a status
/// error, in Rust, Python and Node alike; first match wins.
pub const STATUS_KINDS: &[StatusKind] = &[
    kind(
        400,
        400,
        "bad_request",
        "bad request",
        Some("BadRequestError"),
    ),
    kind(
        401,
        401,
        "authentication_error",
        "authentication failed",
        Some("AuthenticationError"),
    ),
    kind(
        403,
        403,
        "permission_denied",
        "permission denied",
        Some("PermissionDeniedError"),
    ),
    kind(404, 404, "not_found", "not found", Some("NotFoundError")),
    kind(408, 408, "request_timeout", "request timeout", None),
    kind(409, 409, "conflict", "conflict", Some("ConflictError")),
    kind(
        422,
        422,
        "unprocessable_entity",
        "unprocessable entity",
        Some("UnprocessableEntityError"),
    ),
    kind(
        429,
        429,
        "rate_limited",
        "rate limited",
        Some("RateLimitError"),
    ),
    kind(
        500,
        599,
        "internal_server_error",
        "server error",
        Some("InternalServerError"),
    ),
];

/// One row of the table behind the errors that are not an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorKind {
    /// The stable code, as every binding's errors carry it.
    pub code: &'static str,
    /// The class the Python and Node bindings raise for it (generated into
    /// them by enneo-codegen) ...
    pub class: &'static str,
    /// ... and the class that one extends.
    pub parent: &'static str,
    /// Python's built-in exception it is too, so that `except ValueError`
    /// catches it where Python code expects one.
    pub python_builtin: Option<&'static str>,
    /// It carries the response it could not use: status and body.
    pub response: bool,
    /// What it means, for the class's docs.
    pub doc: &'static str,
}

/// The errors that are not an HTTP status, in Rust, Python and Node alike:
/// which class each code raises. A code in neither table (`internal_error`)
/// raises the base class with that code.
pub const ERROR_KINDS: &[ErrorKind] = &[
    ErrorKind {
        code: "connection_error",
        class: "APIConnectionError",
        parent: "EnneoError",
        python_builtin: None,
        response: false,
        doc: "The server could not be reached, or the connection broke.",
    },
    ErrorKind {
        code: "timeout",
        class: "APITimeoutError",
        parent: "APIConnectionError",
        python_builtin: None,
        response: false,
        doc: "No complete response arrived within the timeout.",
    },
    ErrorKind {
        code: "aborted",
        class: "APIUserAbortError",
        parent: "EnneoError",
        python_builtin: None,
        response: false,
        doc: "The caller cancelled the call (a Node `signal`) before it ended.",
    },
    ErrorKind {
        code: "decode_error",
        class: "DecodeError",
        parent: "EnneoError",
        python_builtin: None,
        response: true,
        doc: "The response arrived but was not the expected JSON; its status and body are kept.",
    },
    ErrorKind {
        code: "invalid_argument",
        class: "InvalidArgumentError",
        parent: "EnneoError",
        python_builtin: Some("ValueError"),
        response: false,
        doc: "An id or option was rejected before anything was sent; what a bulk call returns for an invalid id.",
    },
];

/// Every code an error of the SDK carries, in any language: the base's,
/// a status the table does not name, the table's, and the rest.
pub const ERROR_CODES: &[&str] = &[
    "enneo_error",
    "api_status_error",
    "bad_request",
    "authentication_error",
    "permission_denied",
    "not_found",
    "request_timeout",
    "conflict",
    "unprocessable_entity",
    "rate_limited",
    "internal_server_error",
    "connection_error",
    "timeout",
    "aborted",
    "decode_error",
    "internal_error",
    "invalid_argument",
];

const fn kind(
    lo: u16,
    hi: u16,
    code: &'static str,
    reason: &'static str,
    class: Option<&'static str>,
) -> StatusKind {
    StatusKind {
        statuses: (lo, hi),
        code,
        reason,
        class,
    }
}

/// The code and reason of an HTTP status, from [`STATUS_KINDS`].
/// The error code a status gets (`not_found`, `api_status_error`, ...).
pub(crate) fn status_code_of(status: u16) -> &'static str {
    status_kind(status).0
}

fn status_kind(status: u16) -> (&'static str, &'static str) {
    STATUS_KINDS
        .iter()
        .find(|k| (k.statuses.0..=k.statuses.1).contains(&status))
        .map_or(("api_status_error", "unexpected status"), |k| {
            (k.code, k.reason)
        })
}

impl std::fmt::Display for StatusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (_, reason) = status_kind(self.status);
        write!(f, "HTTP {} {reason}", self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl StatusError {
    pub(crate) fn new(status: u16, body: Bytes, request_id: Option<String>, attempts: u32) -> Self {
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| {
                ["message", "error"]
                    .iter()
                    .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_owned))
            });
        Self {
            status,
            body,
            request_id,
            message,
            attempts,
        }
    }
}

impl Error {
    /// The HTTP status, for status and decode errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw response body, for status and decode errors.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::Status(e) => Some(&e.body),
            Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The server's request id, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Status(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// Attempts made, retries included, when a request was sent.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Status(e) => Some(e.attempts),
            Error::Timeout { attempts }
            | Error::Connection { attempts, .. }
            | Error::Decode { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// True for HTTP 404.
    pub fn is_not_found(&self) -> bool {
        self.status_is(404)
    }

    /// True for HTTP 401 and 403.
    pub fn is_auth(&self) -> bool {
        self.status_is(401) || self.status_is(403)
    }

    /// True for HTTP 429.
    pub fn is_rate_limited(&self) -> bool {
        self.status_is(429)
    }

    /// True for timeouts.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// True for connection failures and timeouts.
    pub fn is_network(&self) -> bool {
        matches!(self, Error::Timeout { .. } | Error::Connection { .. })
    }

    /// The message for a language binding's own exception: the same as
    /// `to_string()`, except that an invalid argument is just its reason,
    /// since the binding raises it as its own `ValueError` or `RangeError`.
    pub fn message(&self) -> String {
        match self {
            Error::InvalidArgument(reason) | Error::WrongType(reason) => reason.clone(),
            other => other.to_string(),
        }
    }

    /// A stable machine-readable name for the kind of error, shared by the
    /// Python and Node bindings. Status errors take theirs from the same
    /// table as their message; a status it does not name is
    /// `api_status_error`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Status(e) => status_kind(e.status).0,
            Error::Timeout { .. } => "timeout",
            Error::Connection { .. } => "connection_error",
            Error::Decode { .. } => "decode_error",
            Error::InvalidArgument(_) | Error::WrongType(_) => "invalid_argument",
        }
    }

    fn status_is(&self, code: u16) -> bool {
        matches!(self, Error::Status(e) if e.status == code)
    }
}

/// An error as plain data, for a language binding to turn into its own
/// exception or `Error` subclass: the one place that decides what every
/// binding's errors carry, panics and aborts included.
#[derive(Debug, Clone)]
pub struct ErrorRecord {
    /// [`Error::code`], or `internal_error` for a panic, `aborted` for a
    /// cancelled call.
    pub code: &'static str,
    /// [`Error::message`].
    pub message: String,
    /// The HTTP status, for status and decode errors.
    pub status: Option<u16>,
    /// The raw response body, for status and decode errors.
    pub body: Option<Bytes>,
    /// The server's request id.
    pub request_id: Option<String>,
    /// Attempts made, retries included, when the call got that far.
    pub attempts: Option<u32>,
}

impl From<&Error> for ErrorRecord {
    fn from(e: &Error) -> Self {
        let attempts = e.attempts();
        ErrorRecord {
            code: e.code(),
            message: e.message(),
            status: e.status(),
            body: e.body().cloned(),
            request_id: e.request_id().map(str::to_owned),
            attempts,
        }
    }
}

impl ErrorRecord {
    /// A panic caught at a binding's boundary, with its text.
    pub fn panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Self::bare(
            "internal_error",
            format!("internal error in the enneo core: {what}"),
        )
    }

    /// A call its caller cancelled.
    pub fn aborted() -> Self {
        Self::bare("aborted", "request was aborted".into())
    }

    /// A record with only a code and a message: for what a binding itself
    /// refuses or fails at outside any call (a closed mock, a runtime that
    /// did not start).
    pub fn bare(code: &'static str, message: String) -> Self {
        ErrorRecord {
            code,
            message,
            status: None,
            body: None,
            request_id: None,
            attempts: None,
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> Error {
        Error::Status(Box::new(StatusError::new(code, Bytes::new(), None, 1)))
    }

    #[test]
    fn message_and_code_come_from_one_table() {
        for k in STATUS_KINDS {
            for s in [k.statuses.0, k.statuses.1] {
                let e = status(s);
                assert_eq!(e.code(), k.code);
                assert!(ERROR_CODES.contains(&k.code));
                assert_eq!(e.to_string(), format!("HTTP {s} {}", k.reason));
            }
        }
        for e in [
            Error::Timeout { attempts: 1 },
            Error::Connection {
                message: String::new(),
                attempts: 1,
            },
            Error::InvalidArgument(String::new()),
            Error::Decode {
                status: 200,
                body: Bytes::new(),
                message: String::new(),
                attempts: 1,
            },
        ] {
            assert!(ERROR_CODES.contains(&e.code()), "{}", e.code());
            assert!(
                ERROR_KINDS.iter().any(|k| k.code == e.code()),
                "{} has a class",
                e.code()
            );
        }
        for k in ERROR_KINDS {
            assert!(ERROR_CODES.contains(&k.code), "{}", k.code);
            assert!(
                k.parent == "EnneoError" || ERROR_KINDS.iter().any(|p| p.class == k.parent),
                "{} extends a class the table makes first",
                k.class
            );
        }
        for r in [ErrorRecord::aborted(), ErrorRecord::panic(&"x")] {
            assert!(ERROR_CODES.contains(&r.code), "{}", r.code);
        }
        let odd = status(418);
        assert_eq!(odd.code(), "api_status_error");
        assert_eq!(odd.to_string(), "HTTP 418 unexpected status");
        assert_eq!(status(422).to_string(), "HTTP 422 unprocessable entity");
        assert_eq!(status(408).code(), "request_timeout");
    }
}

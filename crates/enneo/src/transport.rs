//! Sends one built request with retries and returns what came back.
//!
//! The request goes down and the [`Exchange`] (status, headers, the whole
//! body, attempts made) comes back up as the return value; the caller
//! decodes the body once, into whatever it needs.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;

use crate::log::{LogLevel, LogRecord, LogSink};
use crate::throttle::Throttle;
use crate::{retry, Error, Result};

/// How one call is sent: the client's settings with the call's overrides.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy<'a> {
    pub max_retries: u32,
    pub timeout: Duration,
    /// Names the operation in log lines.
    pub operation: &'static str,
    /// Every attempt waits for it.
    pub throttle: Option<&'a Throttle>,
    /// Where records at or above the level go, besides `tracing`.
    pub log: Option<(&'a dyn LogSink, LogLevel)>,
}

/// What the last attempt received, body read to its end.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub attempts: u32,
    /// From the first attempt's start to the end of the last body.
    pub elapsed: Duration,
}

/// Runs `request`, retrying connection failures, timeouts and retryable
/// statuses up to `policy.max_retries` times. Only GETs come here, so any
/// attempt is safe to repeat.
pub(crate) async fn send(
    http: &reqwest::Client,
    mut request: reqwest::Request,
    policy: Policy<'_>,
) -> Result<Exchange> {
    *request.timeout_mut() = Some(policy.timeout);
    // Method and path only: the query could carry data, headers the token.
    let what = Logged {
        method: request.method().clone(),
        path: request.url().path().to_owned(),
        started: Instant::now(),
        policy,
    };
    let mut attempt: u32 = 0;
    loop {
        if let Some(throttle) = policy.throttle {
            throttle.acquire().await;
        }
        let can_retry = attempt < policy.max_retries;
        // A GET has no streaming body, so the clone always succeeds; the
        // last attempt sends the original and saves the copy.
        let this_try = if can_retry { request.try_clone() } else { None };
        let this_try = match this_try {
            Some(r) => r,
            None => {
                let last = request;
                return finish(http.execute(last).await, attempt + 1, &what).await;
            }
        };
        match http.execute(this_try).await {
            Ok(response) if retry::is_retryable_status(response.status().as_u16()) => {
                let wait = retry::delay(attempt, Some(response.headers()));
                let why =
                    Retried::Status(response.status().as_u16(), request_id(response.headers()));
                what.retrying(attempt, wait, why);
                drop(response);
                tokio::time::sleep(wait).await;
            }
            Err(err) if err.is_connect() || err.is_timeout() || err.is_request() => {
                let wait = retry::delay(attempt, None);
                what.retrying(attempt, wait, Retried::Failed(&err));
                tokio::time::sleep(wait).await;
            }
            other => return finish(other, attempt + 1, &what).await,
        }
        attempt += 1;
    }
}

/// What the log lines of one call say about it.
struct Logged<'a> {
    method: reqwest::Method,
    path: String,
    started: Instant,
    policy: Policy<'a>,
}

/// Why an attempt is tried again.
enum Retried<'e> {
    /// A retryable status, with the server's request id.
    Status(u16, Option<String>),
    /// A connection failure or timeout.
    Failed(&'e reqwest::Error),
}

/// What a record adds to the call's own facts: message, status, request
/// id, error code.
type Details = (String, Option<u16>, Option<String>, Option<&'static str>);

impl Logged<'_> {
    /// Logs retry number `attempt + 1`, after `wait`, to `tracing` and the sink.
    fn retrying(&self, attempt: u32, wait: Duration, why: Retried<'_>) {
        let wait_ms = wait.as_millis() as u64;
        let (outcome, status, request_id, code) = match why {
            Retried::Status(status, rid) => {
                tracing::info!(
                    method = %self.method,
                    path = self.path,
                    operation = self.policy.operation,
                    status,
                    retry = attempt + 1,
                    wait_ms,
                    "enneo: retrying"
                );
                (status.to_string(), Some(status), rid, None)
            }
            Retried::Failed(err) => {
                tracing::info!(
                    method = %self.method,
                    path = self.path,
                    operation = self.policy.operation,
                    retry = attempt + 1,
                    wait_ms,
                    error = %err,
                    "enneo: retrying"
                );
                let code = if err.is_timeout() {
                    "timeout"
                } else {
                    "connection_error"
                };
                (code.to_owned(), None, None, Some(code))
            }
        };
        self.record(LogLevel::Info, attempt, || {
            let message = format!(
                "{} {} -> {outcome}; retry {} in {wait_ms} ms",
                self.method,
                self.path,
                attempt + 1
            );
            (message, status, request_id, code)
        });
    }

    /// Sends a record to the sink when its level is wanted; `details` runs
    /// only then, so a client without a logger formats nothing.
    fn record(&self, level: LogLevel, retries: u32, details: impl FnOnce() -> Details) {
        let Some((sink, wanted)) = self.policy.log else {
            return;
        };
        if level < wanted || wanted == LogLevel::Off {
            return;
        }
        let (message, status, request_id, error) = details();
        sink.log(LogRecord {
            level,
            message,
            operation: self.policy.operation,
            method: self.method.to_string(),
            path: self.path.clone(),
            status,
            elapsed: self.started.elapsed(),
            retries,
            request_id,
            error,
        });
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Reads the body of the final attempt, or turns its failure into an
/// [`Error`], and logs the outcome.
async fn finish(
    outcome: reqwest::Result<reqwest::Response>,
    attempts: u32,
    what: &Logged<'_>,
) -> Result<Exchange> {
    let result = match outcome {
        Ok(response) => read(response, attempts, what.started).await,
        Err(err) if err.is_timeout() => Err(Error::Timeout { attempts }),
        Err(err) => Err(Error::Connection {
            message: error_chain(&err),
            attempts,
        }),
    };
    let duration_ms = what.started.elapsed().as_millis() as u64;
    match &result {
        Ok(x) => tracing::debug!(
            method = %what.method,
            path = what.path,
            operation = what.policy.operation,
            status = x.status,
            duration_ms,
            retries = attempts - 1,
            "enneo: request finished"
        ),
        Err(e) => tracing::debug!(
            method = %what.method,
            path = what.path,
            operation = what.policy.operation,
            duration_ms,
            retries = attempts - 1,
            error = %e,
            "enneo: request failed"
        ),
    }
    what.record(LogLevel::Debug, attempts - 1, || match &result {
        Ok(x) => (
            format!(
                "{} {} -> {} in {duration_ms} ms",
                what.method, what.path, x.status
            ),
            Some(x.status),
            request_id(&x.headers),
            None,
        ),
        Err(e) => (
            format!("{} {} failed: {e}", what.method, what.path),
            e.status(),
            e.request_id().map(str::to_owned),
            Some(e.code()),
        ),
    });
    result
}

/// Reads the whole body. A body that breaks off is a decode error that
/// keeps what arrived, or a timeout when the clock ran out.
async fn read(
    mut response: reqwest::Response,
    attempts: u32,
    started: Instant,
) -> Result<Exchange> {
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    // One chunk is the common case: keep it without copying.
    let mut first: Option<Bytes> = None;
    let mut rest = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => match &first {
                None => first = Some(chunk),
                Some(f) => {
                    if rest.is_empty() {
                        rest.extend_from_slice(f);
                    }
                    rest.extend_from_slice(&chunk);
                }
            },
            Ok(None) => break,
            Err(e) => {
                if e.is_timeout() {
                    return Err(Error::Timeout { attempts });
                }
                let body = if rest.is_empty() {
                    first.unwrap_or_default()
                } else {
                    rest.freeze()
                };
                return Err(Error::Decode {
                    status,
                    body,
                    message: format!("the response body broke off: {}", error_chain(&e)),
                });
            }
        }
    }
    let body = if rest.is_empty() {
        first.unwrap_or_default()
    } else {
        rest.freeze()
    };
    Ok(Exchange {
        status,
        headers,
        body,
        attempts,
        elapsed: started.elapsed(),
    })
}

/// The error with its causes, which reqwest keeps out of its own message.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

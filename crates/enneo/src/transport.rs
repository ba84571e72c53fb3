//! Sends one built request with retries and returns what came back.
//!
//! The request goes down and the [`Exchange`] (status, headers, the whole
//! body, attempts made) comes back up as the return value; the caller
//! decodes the body once, into whatever it needs.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;

use crate::congestion::{Congestion, RateChange};
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
    /// The request's URL, whose path (never the query) log lines show.
    pub url: &'a str,
    /// Every attempt waits for it.
    pub throttle: Option<&'a Throttle>,
    /// The client's congestion state: every attempt waits at its gate and
    /// reports its answer to it.
    pub congestion: &'a Congestion,
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

/// How many times one call's 429s may send it back to the client's gate
/// without spending a retry (see [`send`]).
pub const MAX_REQUEUES: u32 = 50;

/// Runs `request`, retrying connection failures, timeouts, bodies that
/// break off and retryable statuses up to `policy.max_retries` times, when
/// an attempt is safe to send again: its method is idempotent (RFC 9110),
/// or it carries an `Idempotency-Key` the server can recognize a retry by.
/// A POST without one is sent once. The body is
/// read inside the attempt, as httpx's `send` reads it, so that a body cut
/// short is retried like a dropped connection.
///
/// A 429 is congestion, not failure, when another request of the client
/// succeeded since this one started: the request goes back to the
/// client's gate (which holds every start for the `Retry-After` and paces
/// them at the adapted rate) without spending a retry, up to
/// [`MAX_REQUEUES`] times. A server refusing everything still ends the
/// call after its retries.
pub(crate) async fn send(
    http: &reqwest::Client,
    mut request: reqwest::Request,
    policy: Policy<'_>,
    rebuild: &(dyn Fn() -> Result<reqwest::Request> + Sync),
) -> Result<Exchange> {
    let what = Logged {
        method: request.method().clone(),
        started: Instant::now(),
        policy,
    };
    let repeatable = crate::body::idempotent(request.method())
        || request.headers().contains_key(crate::body::IDEMPOTENCY_KEY);
    let mut attempt: u32 = 0;
    let mut requeued: u32 = 0;
    loop {
        let ticket = policy.congestion.acquire().await;
        if let Some(throttle) = policy.throttle {
            throttle.acquire().await;
        }
        *request.timeout_mut() = Some(policy.timeout);
        let attempts = attempt + requeued + 1;
        let may_retry = repeatable && attempt < policy.max_retries;
        let sent = {
            // Ends the attempt for the client's gate however it ends,
            // cancelled included.
            let _ended = AttemptEnded(policy.congestion);
            send_once(http, request).await
        };
        if let Ok(read) = &sent {
            if let Some(change) = policy
                .congestion
                .observe(ticket, read.status, &read.headers)
            {
                what.rate_changed(change);
            }
        }
        let requeue = |status: u16| {
            status == 429
                && repeatable
                && policy.max_retries > 0
                && requeued < MAX_REQUEUES
                && policy.congestion.progressed_since(ticket)
        };
        let retry = match sent {
            Ok(read) if requeue(read.status) => {
                // The gate holds and paces it: no wait of its own, and no
                // retry spent.
                requeued += 1;
                what.requeued(requeued, request_id(&read.headers));
                None
            }
            Ok(read) if may_retry && retry::is_retryable_status(read.status) => Some((
                retry::delay(attempt, Some(&read.headers)),
                Retried::Status(read.status, request_id(&read.headers)),
            )),
            Ok(read) => return finish(Ok(read.exchange(attempts, &what)), attempts, &what),
            Err(e) if may_retry && is_retryable(&e) => {
                Some((retry::delay(attempt, None), Retried::Failed(e)))
            }
            Err(e) => return finish(Err(failed(&e, attempts)), attempts, &what),
        };
        if let Some((wait, why)) = retry {
            what.retrying(attempt, wait, why);
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
        // The request went with the attempt; the next is built afresh.
        request = match rebuild() {
            Ok(r) => r,
            Err(e) => return finish(Err(e), attempts, &what),
        };
    }
}

/// Tells the client's gate that an attempt ended, when dropped.
struct AttemptEnded<'a>(&'a Congestion);

impl Drop for AttemptEnded<'_> {
    fn drop(&mut self) {
        self.0.attempt_ended();
    }
}

/// One response, body read to its end.
struct Read {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Read {
    fn exchange(self, attempts: u32, what: &Logged<'_>) -> Exchange {
        Exchange {
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts,
            elapsed: what.started.elapsed(),
        }
    }
}

/// Sends one attempt and reads its whole body, inside the attempt, so that a
/// body cut short fails the attempt.
async fn send_once(http: &reqwest::Client, request: reqwest::Request) -> reqwest::Result<Read> {
    let (status, headers, body) = read(http.execute(request).await?).await?;
    Ok(Read {
        status,
        headers,
        body,
    })
}

/// Connection failures, timeouts and broken-off bodies are worth another try.
fn is_retryable(e: &reqwest::Error) -> bool {
    e.is_connect() || e.is_timeout() || e.is_request() || is_broken_body(e)
}

/// reqwest reports a body cut short as a decode (or body) error.
fn is_broken_body(e: &reqwest::Error) -> bool {
    e.is_body() || e.is_decode()
}

/// The error a failed last attempt ends the call with.
fn failed(e: &reqwest::Error, attempts: u32) -> Error {
    if e.is_timeout() {
        Error::Timeout { attempts }
    } else if is_broken_body(e) {
        Error::Connection {
            message: format!("the response body broke off: {}", error_chain(e)),
            attempts,
        }
    } else {
        Error::Connection {
            message: error_chain(e),
            attempts,
        }
    }
}

/// What the log lines of one call say about it.
struct Logged<'a> {
    method: reqwest::Method,
    started: Instant,
    policy: Policy<'a>,
}

/// Why an attempt is tried again.
enum Retried {
    /// A retryable status, with the server's request id.
    Status(u16, Option<String>),
    /// A connection failure, timeout or broken-off body.
    Failed(reqwest::Error),
}

/// What a record adds to the call's own facts: message, status, request
/// id, error code.
type Details = (String, Option<u16>, Option<String>, Option<&'static str>);

impl Logged<'_> {
    /// Logs a change of the client's sending rate, which this call's answer caused.
    fn rate_changed(&self, change: RateChange) {
        let from = change
            .from
            .map_or("unpaced".to_owned(), |r| format!("{r:.1}/s"));
        tracing::debug!(
            operation = self.policy.operation,
            from = %from,
            rate = change.to,
            reason = change.why,
            "enneo: sending rate changed"
        );
        self.record(LogLevel::Debug, 0, || {
            (
                format!("sending rate {from} -> {:.1}/s ({})", change.to, change.why),
                None,
                None,
                None,
            )
        });
    }

    /// Logs a 429 that sent the call back to the client's gate.
    fn requeued(&self, times: u32, request_id: Option<String>) {
        tracing::debug!(
            method = %self.method,
            url_path = self.path(),
            operation = self.policy.operation,
            status_code = 429u16,
            requeued = times,
            "enneo: rate limited; waiting at the client's gate"
        );
        self.record(LogLevel::Debug, 0, || {
            (
                format!(
                    "{} {} -> 429; back to the client's gate ({times})",
                    self.method,
                    self.path()
                ),
                Some(429),
                request_id,
                None,
            )
        });
    }

    /// The URL's path, without the query (which could carry data); found
    /// only when a line is written.
    fn path(&self) -> &str {
        let url = self.policy.url;
        let host = url.find("://").map_or(0, |i| i + 3);
        let start = url[host..].find('/').map_or(url.len(), |i| host + i);
        let end = url[start..].find('?').map_or(url.len(), |i| start + i);
        &url[start..end]
    }

    /// Logs retry number `attempt + 1`, after `wait`, to `tracing` and the sink.
    fn retrying(&self, attempt: u32, wait: Duration, why: Retried) {
        let wait_ms = wait.as_millis() as u64;
        let (outcome, status, request_id, code) = match why {
            Retried::Status(status, rid) => {
                tracing::info!(
                    method = %self.method,
                    url_path = self.path(),
                    operation = self.policy.operation,
                    status_code = status,
                    retry = attempt + 1,
                    wait_ms,
                    "enneo: retrying"
                );
                let code = crate::error::status_code_of(status);
                (status.to_string(), Some(status), rid, Some(code))
            }
            Retried::Failed(err) => {
                tracing::info!(
                    method = %self.method,
                    url_path = self.path(),
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
                self.path(),
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
            path: self.path().to_owned(),
            status,
            elapsed: self.started.elapsed(),
            retries,
            request_id,
            error,
        });
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    // A static name: looking up by `&str` parses and hashes the name anew.
    const X_REQUEST_ID: reqwest::header::HeaderName =
        reqwest::header::HeaderName::from_static("x-request-id");
    headers
        .get(X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Logs the outcome of a call and hands it back.
fn finish(result: Result<Exchange>, attempts: u32, what: &Logged<'_>) -> Result<Exchange> {
    let duration_ms = what.started.elapsed().as_millis() as u64;
    let retries = attempts - 1;
    match &result {
        Ok(x) => tracing::debug!(
            method = %what.method,
            url_path = what.path(),
            operation = what.policy.operation,
            status_code = x.status,
            elapsed_ms = duration_ms,
            retries,
            "enneo: request finished"
        ),
        Err(e) => tracing::debug!(
            method = %what.method,
            url_path = what.path(),
            operation = what.policy.operation,
            elapsed_ms = duration_ms,
            retries,
            error = %e,
            "enneo: request failed"
        ),
    }
    what.record(LogLevel::Debug, retries, || match &result {
        Ok(x) => (
            format!(
                "{} {} -> {} in {duration_ms} ms",
                what.method,
                what.path(),
                x.status
            ),
            Some(x.status),
            request_id(&x.headers),
            None,
        ),
        Err(e) => (
            format!("{} {} failed: {e}", what.method, what.path()),
            e.status(),
            e.request_id().map(str::to_owned),
            Some(e.code()),
        ),
    });
    result
}

/// Reads the whole body: status, headers and body, or the error that cut
/// it short (a timeout, or a connection that broke mid-body).
async fn read(mut response: reqwest::Response) -> reqwest::Result<(u16, HeaderMap, Bytes)> {
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    // One chunk is the common case: keep it without copying.
    let mut first: Option<Bytes> = None;
    let mut rest = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        match &first {
            None => first = Some(chunk),
            Some(f) => {
                if rest.is_empty() {
                    rest.extend_from_slice(f);
                }
                rest.extend_from_slice(&chunk);
            }
        }
    }
    let body = if rest.is_empty() {
        first.unwrap_or_default()
    } else {
        rest.freeze()
    };
    Ok((status, headers, body))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A POST to the mock, whose first answer is a 503, with `headers`.
    async fn post_once_failing(
        headers: &[(&'static str, &str)],
    ) -> (u16, Vec<enneo_mock::LoggedRequest>) {
        let server = enneo_mock::MockServer::start(enneo_mock::MockConfig::default())
            .await
            .unwrap();
        let url = format!("{}/customer/byCustomerId/1", server.base_url());
        let build = || {
            let mut r = reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap());
            r.headers_mut()
                .insert("x-mock-fault", "fail-first=1;status=503".parse().unwrap());
            for (k, v) in headers {
                r.headers_mut().insert(*k, v.parse().unwrap());
            }
            *r.body_mut() = Some("{}".into());
            Ok(r)
        };
        let congestion = Congestion::default();
        let policy = Policy {
            max_retries: 2,
            timeout: Duration::from_secs(5),
            operation: "test",
            url: &url,
            throttle: None,
            congestion: &congestion,
            log: None,
        };
        let exchange = send(&reqwest::Client::new(), build().unwrap(), policy, &build).await;
        let status = match exchange {
            Ok(x) => x.status,
            Err(e) => e.status().unwrap(),
        };
        (status, server.requests())
    }

    #[tokio::test]
    async fn a_request_that_is_not_safe_to_repeat_is_sent_once() {
        let (status, requests) = post_once_failing(&[]).await;
        assert_eq!(status, 503);
        assert_eq!(requests.len(), 1);
    }

    #[tokio::test]
    async fn a_repeatable_one_is_retried_with_the_same_key_and_body() {
        let (status, requests) = post_once_failing(&[("idempotency-key", "k-1")]).await;
        // The retry passed the fault; the main spec has no POST here.
        assert_eq!(status, 405);
        assert_eq!(requests.len(), 2);
        for r in &requests {
            assert_eq!(r.header("idempotency-key"), Some("k-1"));
            assert_eq!(&r.body[..], b"{}");
        }
    }
}

//! The transport under the generated operations: auth, retries, and keeping
//! the raw response.
//!
//! progenitor routes every request through `ClientHooks::exec`. Doing the
//! retry loop there keeps it below the generated code, and buffering the body
//! there lets the typed layer report status, raw body and request id even
//! when the generated code only says "could not parse".

use std::cell::RefCell;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};

use crate::generated::Client as GeneratedClient;
use crate::retry;

/// Per-client state that the generated client carries for the hooks.
#[derive(Clone)]
pub struct Inner {
    /// `Bearer <token>`, marked sensitive so that `Debug` of the request hides it.
    pub(crate) auth: Option<HeaderValue>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What the last attempt of one call received, read back by the typed layer.
#[derive(Debug, Default)]
pub(crate) struct Exchange {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Set when the body broke off before its end.
    pub body_error: Option<String>,
    pub body_timed_out: bool,
    pub attempts: u32,
}

/// Per-call settings and results, scoped to one call by `CALL.scope`.
#[derive(Default)]
pub(crate) struct CallState {
    pub timeout: Option<Duration>,
    pub exchange: RefCell<Exchange>,
}

tokio::task_local! {
    pub(crate) static CALL: CallState;
}

/// Everything but unreserved characters is escaped. progenitor's own set
/// leaves `\`, `[`, `|` and others raw, and the URL parser would turn a raw
/// `\` into a path separator.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment; the generated code calls this (see
/// enneo-codegen).
pub(crate) fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

fn record(f: impl FnOnce(&mut Exchange)) {
    let _ = CALL.try_with(|c| f(&mut c.exchange.borrow_mut()));
}

impl ClientHooks<Inner> for GeneratedClient {
    async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let inner = self.inner();
        if let Some(auth) = &inner.auth {
            request.headers_mut().insert(AUTHORIZATION, auth.clone());
        }
        let timeout = CALL
            .try_with(|c| c.timeout)
            .ok()
            .flatten()
            .unwrap_or(inner.timeout);
        *request.timeout_mut() = Some(timeout);
        let method = request.method().clone();
        let path = request.url().path().to_owned();
        let started = Instant::now();

        let mut attempt: u32 = 0;
        loop {
            // GET requests carry no streaming body, so cloning cannot fail.
            let Some(this_try) = request.try_clone() else {
                return self.client().execute(request).await;
            };
            let can_retry = attempt < inner.max_retries;
            match self.client().execute(this_try).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if can_retry && retry::is_retryable_status(status) {
                        let wait = retry::delay(attempt, Some(response.headers()));
                        tracing::info!(%method, path, status, retry = attempt + 1, wait_ms = wait.as_millis() as u64, "enneo: retrying");
                        drop(response);
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    let response = buffer(response, attempt + 1).await;
                    tracing::debug!(
                        %method,
                        path,
                        status,
                        duration_ms = started.elapsed().as_millis() as u64,
                        retries = attempt,
                        operation = info.operation_id,
                        "enneo: request finished"
                    );
                    return Ok(response);
                }
                Err(err) => {
                    // Only GETs pass here, so any transport failure is safe to repeat.
                    if can_retry && (err.is_connect() || err.is_timeout() || err.is_request()) {
                        let wait = retry::delay(attempt, None);
                        tracing::info!(%method, path, retry = attempt + 1, wait_ms = wait.as_millis() as u64, error = %err, "enneo: retrying");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    tracing::debug!(
                        %method,
                        path,
                        duration_ms = started.elapsed().as_millis() as u64,
                        retries = attempt,
                        error = %err,
                        "enneo: request failed"
                    );
                    record(|x| x.attempts = attempt + 1);
                    return Err(err);
                }
            }
        }
    }
}

/// Reads the whole body, keeping what arrived even when the connection
/// breaks off, and hands the generated code an equivalent buffered response.
async fn buffer(mut response: reqwest::Response, attempts: u32) -> reqwest::Response {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = BytesMut::new();
    let mut body_error = None;
    let mut body_timed_out = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => {
                body_timed_out = e.is_timeout();
                body_error = Some(crate::client::error_chain(&e));
                break;
            }
        }
    }
    let body = body.freeze();
    record(|x| {
        *x = Exchange {
            status: status.as_u16(),
            headers: headers.clone(),
            body: body.clone(),
            body_error,
            body_timed_out,
            attempts,
        }
    });
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    reqwest::Response::from(rebuilt)
}

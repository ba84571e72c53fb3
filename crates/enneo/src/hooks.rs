//! What the generated client needs from the core: per-client state, the
//! `pre` hook that adds the bearer token, and the path-segment encoder.

use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};

use crate::generated::Client as GeneratedClient;

/// Per-client state that the generated client carries.
#[derive(Clone)]
pub struct Inner {
    /// `Bearer <token>`, marked sensitive so that `Debug` of the request hides it.
    pub(crate) auth: Option<HeaderValue>,
    /// The token as given, for [`crate::Client::to_builder`].
    pub(crate) token: Option<String>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) ca_certs: Vec<String>,
    /// The explicit proxy, if any, with its credentials.
    pub(crate) proxy: Option<String>,
    pub(crate) default_headers: HeaderMap,
    pub(crate) logger: Option<crate::log::Logger>,
    /// The client-wide rate limit, shared by clones and derived clients.
    pub(crate) throttle: Option<std::sync::Arc<crate::throttle::Throttle>>,
    /// What the server's pushback taught: shared by clones, derived
    /// clients and clients that share the rate limit.
    pub(crate) congestion: std::sync::Arc<crate::congestion::Congestion>,
    /// Every header the client puts on a request of its own (`Accept`,
    /// `api-version`, `User-Agent`, the default headers, the token), built
    /// once: cloning a finished map costs less per lookup than inserting
    /// each header again.
    pub(crate) request_headers: HeaderMap,
    /// The attributes of the duration histogram that are this client's own.
    #[cfg(feature = "opentelemetry")]
    pub(crate) metric_start: crate::trace::MetricStart,
}

impl Inner {
    /// [`Inner::request_headers`] from the other settings.
    pub(crate) fn with_request_headers(mut self) -> Self {
        let mut h = HeaderMap::with_capacity(4 + self.default_headers.len());
        h.insert(ACCEPT, HeaderValue::from_static("application/json"));
        h.insert(
            HeaderName::from_static("api-version"),
            HeaderValue::from_static(GeneratedClient::api_version()),
        );
        if let Ok(ua) = HeaderValue::from_str(&self.user_agent) {
            h.insert(USER_AGENT, ua);
        }
        for (name, value) in &self.default_headers {
            h.append(name, value.clone());
        }
        if let Some(auth) = &self.auth {
            h.insert(AUTHORIZATION, auth.clone());
        }
        self.request_headers = h;
        self
    }
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "default_headers",
                &self.default_headers.keys().collect::<Vec<_>>(),
            )
            .field("logger", &self.logger)
            .field("throttle", &self.throttle)
            .field("congestion", &self.congestion.snapshot())
            .finish()
    }
}

/// Everything but unreserved characters is escaped. progenitor's own set
/// leaves `\`, `[`, `|` and others raw, and the URL parser would turn a raw
/// `\` into a path separator.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// How an id is written into a request path: every byte but the unreserved
/// characters (`A-Z a-z 0-9 - _ . ~`) percent-encoded, so the id stays one
/// segment whatever it holds. The generated code calls this (see
/// enneo-codegen).
///
/// ```
/// assert_eq!(enneo::encode_path_segment("a/b ü"), "a%2Fb%20%C3%BC");
/// ```
pub fn encode_path_segment(segment: &str) -> String {
    encoded_segment(segment).to_string()
}

/// [`encode_path_segment`] as a `Display`, to write without a new string.
pub(crate) fn encoded_segment(segment: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(segment, SEGMENT)
}

impl ClientHooks<Inner> for GeneratedClient {
    /// Adds the token and the client's timeout to every request the
    /// generated code builds, whether the core or a caller of
    /// [`crate::Client::generated`] sends it.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        add_client_settings(self.inner(), request);
        Ok(())
    }
}

/// The client's headers ([`Inner::request_headers`]) and timeout on a
/// request the generated code built: a header it set itself stays, except
/// `Authorization`, which is always the client's token.
pub(crate) fn add_client_settings(inner: &Inner, request: &mut reqwest::Request) {
    let headers = request.headers_mut();
    for name in inner.request_headers.keys() {
        if *name == AUTHORIZATION {
            headers.remove(AUTHORIZATION);
        } else if headers.contains_key(name) {
            continue;
        }
        for value in inner.request_headers.get_all(name) {
            headers.append(name, value.clone());
        }
    }
    *request.timeout_mut() = Some(inner.timeout);
}

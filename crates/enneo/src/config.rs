//! `ClientBuilder`: where base URL, token, timeouts and retries are set.

use std::time::Duration;

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue};

use crate::hooks::Inner;
use crate::log::{LogLevel, LogSink, Logger};
use crate::options::check_header;
use crate::throttle::Throttle;
use crate::{Client, Error, Result};

/// The public demo installation. It is never a default: each installation
/// has its own host, and a token must not go to another one by accident.
/// Pass it to [`ClientBuilder::base_url`] to use the demo.
pub const DEMO_BASE_URL: &str = "https://demo.enneo.ai/api/mind";
/// Total time one attempt may take, body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Lookups in flight at once in bulk and streaming calls, in every binding
/// and the CLI, when the caller names no number.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// Environment variable read for the token when none is given.
pub const TOKEN_ENV: &str = "ENNEO_TOKEN";
/// Environment variable read for the base URL when none is given.
pub const BASE_URL_ENV: &str = "ENNEO_BASE_URL";
/// Environment variable naming a PEM file of extra trusted CA certificates,
/// as OpenSSL and Python read it.
pub const CA_FILE_ENV: &str = "SSL_CERT_FILE";

/// Builds a [`Client`].
///
/// ```no_run
/// # async fn run() -> enneo::Result<()> {
/// let client = enneo::Client::builder()
///     .base_url("https://acme.enneo.ai/api/mind")
///     .token("eyJhbGciOi...")
///     .max_retries(3)
///     .build()?;
/// let customer = client.get_customer(83771).await?;
/// # Ok(()) }
/// ```
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<u32>,
    max_requests_per_second: Option<f64>,
    user_agent: Option<String>,
    ca_certs: Vec<String>,
    proxy: Option<String>,
    default_headers: HeaderMap,
    logger: Option<Arc<dyn LogSink>>,
    log_level: Option<LogLevel>,
    /// A derived client's pool, kept until a setting that needs its own
    /// changes.
    shared_http: Option<reqwest::Client>,
    /// The rate limit of the client this one derives from or shares with;
    /// `Some(None)` shares the absence of one.
    shared_throttle: Option<Option<Arc<Throttle>>>,
    shared_congestion: Option<Arc<crate::congestion::Congestion>>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_requests_per_second", &self.max_requests_per_second)
            .field("ca_certs", &self.ca_certs.len())
            .field("proxy", &self.proxy.as_deref().map(redact_userinfo))
            .field(
                "default_headers",
                &self.default_headers.keys().collect::<Vec<_>>(),
            )
            .field("log_level", &self.log_level)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API root including `/api/mind`. Default: `ENNEO_BASE_URL`; with
    /// neither, [`ClientBuilder::build`] fails (there is no default host).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The bearer JWT. Default: `ENNEO_TOKEN`, then no token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Total time for one attempt, body included. Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time to establish a connection. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self.shared_http = None;
        self
    }

    /// Retries after the first attempt. Default 2; 0 disables retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Caps the rate of requests this client, its clones and the clients
    /// derived from it send together, retries included: starts are spaced
    /// `1 / per_second` apart, so no one-second window holds more than
    /// `per_second` of them (no burst). Unlimited by default. The rate the
    /// client adapts to when the server answers 429 (see
    /// [`Client::rate_limit_state`]) and a `Retry-After` apply on top of it.
    pub fn max_requests_per_second(mut self, per_second: f64) -> Self {
        self.max_requests_per_second = Some(per_second);
        self.shared_throttle = None;
        self
    }

    /// Trusts the CA certificates of this PEM text, or of the PEM file at
    /// this path, besides the system's: for TLS-inspecting proxies and
    /// private CAs. May be called more than once. `SSL_CERT_FILE`, when set,
    /// is trusted the same way.
    pub fn ca_cert(mut self, pem_or_path: impl Into<String>) -> Self {
        self.ca_certs.push(pem_or_path.into());
        self.shared_http = None;
        self
    }

    /// Sends every request through this HTTP or HTTPS proxy, such as
    /// `http://user:password@proxy.internal:3128`, instead of the one
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` name (which apply otherwise,
    /// with `NO_PROXY`). The credentials go to the proxy alone and never
    /// appear in `Debug` output or messages.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self.shared_http = None;
        self
    }

    /// Sends this header with every request (see
    /// [`RequestOptions::header`](crate::RequestOptions::header) for the
    /// names refused).
    pub fn default_header(mut self, name: &str, value: &str) -> Result<Self> {
        let (name, value) = check_header(name, value)?;
        self.default_headers.append(name, value);
        Ok(self)
    }

    /// Changes the level of the logger set by [`ClientBuilder::logger`].
    pub fn log_level(mut self, level: LogLevel) -> Self {
        self.log_level = Some(level);
        self
    }

    /// Sends a [`LogRecord`](crate::LogRecord) of each request at or above
    /// `level` to `sink`, besides `tracing`.
    pub fn logger(mut self, sink: Arc<dyn LogSink>, level: LogLevel) -> Self {
        self.logger = Some(sink);
        self.log_level = Some(level);
        self
    }

    /// The `User-Agent` header. Default `enneo-rust/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self.shared_http = None;
        self
    }

    /// Shares `other`'s rate limit, or its lack of one, instead of this
    /// builder's: for clients that need a pool of their own (one per thread
    /// or runtime) but must count against one limit.
    pub fn share_rate_limit(mut self, other: &Client) -> Self {
        let throttle = progenitor_client::ClientInfo::inner(other.generated())
            .throttle
            .clone();
        self.max_requests_per_second = throttle.as_ref().map(|t| t.per_second());
        self.shared_throttle = Some(throttle);
        self.shared_congestion = Some(
            progenitor_client::ClientInfo::inner(other.generated())
                .congestion
                .clone(),
        );
        self
    }

    /// Checks the settings and builds the client. Fails with
    /// [`Error::InvalidArgument`] on a bad base URL or token.
    pub fn build(self) -> Result<Client> {
        let base_url = self
            .base_url
            .or_else(|| env_nonempty(BASE_URL_ENV))
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "no base URL: pass one or set {BASE_URL_ENV} (each Enneo installation has its own, such as https://acme.enneo.ai/api/mind)"
                ))
            })?;
        let base_url = normalize_base_url(&base_url)?;
        let token = self.token.or_else(token_from_env);
        let auth = token.as_deref().map(bearer).transpose()?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::InvalidArgument(
                "timeout must be greater than zero".into(),
            ));
        }
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| crate::options::user_agent("rust"));
        let http = match self.shared_http {
            Some(c) => c,
            None => {
                let mut http = reqwest::Client::builder()
                    .timeout(timeout)
                    .connect_timeout(connect_timeout)
                    .tcp_nodelay(true)
                    // Retries are the transport's (with the call's limit);
                    // reqwest's own layer would copy every request's
                    // headers in case it retries a refused HTTP/2 stream.
                    .retry(reqwest::retry::never().max_retries_per_request(0));
                if let Some(url) = &self.proxy {
                    http = http.proxy(explicit_proxy(url)?);
                }
                let roots = trusted_roots(&self.ca_certs)?;
                if !roots.is_empty() {
                    http = http.tls_certs_merge(roots);
                }
                http.build().map_err(|e| {
                    Error::InvalidArgument(format!(
                        "could not build the HTTP client: {}",
                        crate::transport::error_chain(&e)
                    ))
                })?
            }
        };
        let throttle = match (self.shared_throttle, self.max_requests_per_second) {
            (Some(shared), _) => shared,
            (None, None) => None,
            (None, Some(r)) if r.is_finite() && r > 0.0 => Some(Arc::new(Throttle::new(r))),
            (None, Some(r)) => {
                return Err(Error::InvalidArgument(format!(
                    "max_requests_per_second must be a positive number, got {r}"
                )))
            }
        };
        let log_level = self
            .log_level
            .or_else(LogLevel::from_env)
            .unwrap_or(LogLevel::Off);
        let inner = Inner {
            auth,
            token,
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            timeout,
            connect_timeout,
            user_agent,
            ca_certs: self.ca_certs,
            proxy: self.proxy,
            default_headers: self.default_headers,
            logger: self.logger.map(|sink| Logger {
                sink,
                level: log_level,
            }),
            throttle,
            congestion: self.shared_congestion.unwrap_or_default(),
            request_headers: Default::default(),
            #[cfg(feature = "opentelemetry")]
            metric_start: crate::trace::MetricStart::new(&base_url),
        }
        .with_request_headers();
        Ok(Client::from_parts(
            crate::generated::Client::new_with_client(&base_url, http, inner),
        ))
    }
}

impl Client {
    /// A builder holding this client's settings and sharing its connection
    /// pool and rate limit; what [`Client::with_options`] starts from.
    /// Changing the connect timeout, CA certificates or user agent gives the
    /// derived client a pool of its own, since those belong to connections.
    pub fn to_builder(&self) -> ClientBuilder {
        let inner = progenitor_client::ClientInfo::inner(self.generated());
        ClientBuilder {
            base_url: Some(self.base_url().to_owned()),
            token: inner.token.clone(),
            timeout: Some(inner.timeout),
            connect_timeout: Some(inner.connect_timeout),
            max_retries: Some(inner.max_retries),
            max_requests_per_second: inner.throttle.as_ref().map(|t| t.per_second()),
            user_agent: Some(inner.user_agent.clone()),
            ca_certs: inner.ca_certs.clone(),
            proxy: inner.proxy.clone(),
            default_headers: inner.default_headers.clone(),
            logger: inner.logger.as_ref().map(|l| l.sink.clone()),
            log_level: inner.logger.as_ref().map(|l| l.level),
            shared_http: Some(progenitor_client::ClientInfo::client(self.generated()).clone()),
            shared_throttle: Some(inner.throttle.clone()),
            shared_congestion: Some(inner.congestion.clone()),
        }
    }

    /// A client with some settings changed that shares this one's
    /// connection pool (see [`Client::to_builder`]).
    ///
    /// ```no_run
    /// # fn run(client: enneo::Client) -> enneo::Result<()> {
    /// let patient = client.with_options(|b| b.timeout(std::time::Duration::from_secs(120)).max_retries(5))?;
    /// # Ok(()) }
    /// ```
    pub fn with_options(
        &self,
        change: impl FnOnce(ClientBuilder) -> ClientBuilder,
    ) -> Result<Client> {
        change(self.to_builder()).build()
    }

    /// The settings and shared state behind this client.
    pub(crate) fn inner(&self) -> &Inner {
        progenitor_client::ClientInfo::inner(self.generated())
    }
}

/// The certificates of each `ca_cert` and of `SSL_CERT_FILE`.
fn trusted_roots(given: &[String]) -> Result<Vec<reqwest::Certificate>> {
    let from_env = env_nonempty(CA_FILE_ENV);
    let mut roots = Vec::new();
    for (source, origin) in given
        .iter()
        .map(|s| (s.as_str(), "ca_cert"))
        .chain(from_env.as_deref().map(|p| (p, CA_FILE_ENV)))
    {
        let pem = if source.contains("-----BEGIN") {
            source.as_bytes().to_vec()
        } else {
            std::fs::read(source).map_err(|e| {
                Error::InvalidArgument(format!(
                    "{origin}: cannot read the CA certificate file {source:?}: {e}"
                ))
            })?
        };
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            Error::InvalidArgument(format!("{origin}: not a PEM certificate bundle: {e}"))
        })?;
        if certs.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "{origin}: no certificate in the PEM text"
            )));
        }
        roots.extend(certs);
    }
    Ok(roots)
}

/// The proxy of [`ClientBuilder::proxy`], checked; messages never quote
/// its credentials.
fn explicit_proxy(url: &str) -> Result<reqwest::Proxy> {
    let shown = redact_userinfo(url);
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| Error::InvalidArgument(format!("proxy {shown:?} is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::InvalidArgument(format!(
            "proxy {shown:?} must start with http:// or https://"
        )));
    }
    reqwest::Proxy::all(parsed)
        .map_err(|e| Error::InvalidArgument(format!("proxy {shown:?} is not usable: {e}")))
}

/// A URL with any `user:password@` replaced, for messages and `Debug`.
fn redact_userinfo(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}<redacted>@{}", &url[..scheme_end + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// The token `ENNEO_TOKEN` supplies when none is given, as
/// [`ClientBuilder::build`] reads it (blank counts as unset): for bindings
/// that must carry the resolved setting, such as a pickled Python client.
pub fn token_from_env() -> Option<String> {
    env_nonempty(TOKEN_ENV)
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn normalize_base_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed).map_err(|e| {
        Error::InvalidArgument(format!("base URL {trimmed:?} is not a valid URL: {e}"))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::InvalidArgument(format!(
            "base URL {trimmed:?} must start with http:// or https://"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::InvalidArgument(format!(
            "base URL {trimmed:?} must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

fn bearer(token: &str) -> Result<HeaderValue> {
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::InvalidArgument("token must not be empty".into()));
    }
    // The message never quotes the token: it is a secret even when malformed.
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        Error::InvalidArgument("token contains characters not allowed in an HTTP header".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

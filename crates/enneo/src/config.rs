//! `ClientBuilder`: where base URL, token, timeouts and retries are set.

use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::hooks::Inner;
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

/// Environment variable read for the token when none is given.
pub const TOKEN_ENV: &str = "ENNEO_TOKEN";
/// Environment variable read for the base URL when none is given.
pub const BASE_URL_ENV: &str = "ENNEO_BASE_URL";

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
    http_client: Option<reqwest::Client>,
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

    /// Time to establish a connection. Default 10 s. Ignored when an
    /// [`http_client`](Self::http_client) is injected.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt. Default 2; 0 disables retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Caps the rate of requests this client (and its clones) sends, retries
    /// included, with bursts of up to one second's worth. Unlimited by
    /// default. A 429's `Retry-After` is honoured on top of it.
    pub fn max_requests_per_second(mut self, per_second: f64) -> Self {
        self.max_requests_per_second = Some(per_second);
        self
    }

    /// The `User-Agent` header. Default `enneo-rust/<version>`. Ignored when
    /// an [`http_client`](Self::http_client) is injected.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Use this `reqwest::Client` (its pool, proxy and TLS settings). The
    /// builder's timeout still applies per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
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
        let auth = token.map(|t| bearer(&t)).transpose()?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout.is_zero() {
            return Err(Error::InvalidArgument(
                "timeout must be greater than zero".into(),
            ));
        }
        let http = match self.http_client {
            Some(c) => c,
            None => reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .user_agent(
                    self.user_agent
                        .unwrap_or_else(|| format!("enneo-rust/{}", env!("CARGO_PKG_VERSION"))),
                )
                .tcp_nodelay(true)
                .build()
                .map_err(|e| {
                    Error::InvalidArgument(format!("could not build the HTTP client: {e}"))
                })?,
        };
        let throttle = match self.max_requests_per_second {
            None => None,
            Some(r) if r.is_finite() && r > 0.0 => {
                Some(std::sync::Arc::new(crate::throttle::Throttle::new(r)))
            }
            Some(r) => {
                return Err(Error::InvalidArgument(format!(
                    "max_requests_per_second must be a positive number, got {r}"
                )))
            }
        };
        let inner = Inner {
            auth,
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            timeout,
            throttle,
        };
        Ok(Client::from_parts(
            crate::generated::Client::new_with_client(&base_url, http, inner),
        ))
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

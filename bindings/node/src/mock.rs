//! `NativeMock`: enneo-mock running in-process, behind `enneo/testing`.

use std::collections::HashMap;
use std::sync::Mutex;

use napi::Status;
use napi_derive::napi;

use enneo_mock::{MockConfig, MockServer, RateLimit, TlsIdentity};

/// Settings of `MockServer.start()`, as the facade passes them.
#[napi(object)]
pub struct MockOptions {
    /// Customer objects as JSON text.
    pub customers: Vec<String>,
    pub token: Option<String>,
    pub port: Option<u32>,
    /// PEM text of the certificate chain and key, for HTTPS.
    pub tls_cert: Option<String>,
    pub tls_key: Option<String>,
    /// Requests a second the API allows; beyond it, 429 with `Retry-After`.
    pub rate_limit: Option<f64>,
    /// The token bucket's size; default a twentieth of a second's worth.
    pub rate_burst: Option<u32>,
    /// Announce the limit in a `RateLimit-Policy` header.
    pub rate_limit_headers: Option<bool>,
}

/// What the mock answered since it started or was cleared.
#[napi(object)]
pub struct MockStats {
    /// API requests received.
    pub requests: f64,
    /// Of those, how many the rate limit refused with 429.
    pub rate_limited: f64,
}

/// One request the mock received.
#[napi(object)]
pub struct MockRequest {
    pub method: String,
    pub path: String,
    /// Lowercase names; the first value of a repeated header.
    pub headers: HashMap<String, String>,
    /// When its head arrived, in milliseconds on a monotonic clock shared by
    /// every mock of the process.
    pub received_ms: f64,
    /// The request body as text, as it arrived; absent without one.
    pub body: Option<String>,
}

#[napi]
pub struct NativeMock {
    server: Mutex<Option<MockServer>>,
    base_url: String,
    url: String,
    token: Option<String>,
}

/// Starts a mock on the addon's runtime.
#[napi]
pub async fn start_mock(options: MockOptions) -> napi::Result<NativeMock> {
    let invalid = |m: String| napi::Error::new(Status::InvalidArg, m);
    let tls = match (options.tls_cert, options.tls_key) {
        (Some(c), Some(k)) => Some(TlsIdentity {
            cert_pem: c.into_bytes(),
            key_pem: k.into_bytes(),
        }),
        (None, None) => None,
        _ => return Err(invalid("tlsCert and tlsKey go together".into())),
    };
    let port = u16::try_from(options.port.unwrap_or(0))
        .map_err(|_| invalid("port must be at most 65535".into()))?;
    let announce = options.rate_limit_headers.unwrap_or(false);
    let rate_limit = options
        .rate_limit
        .map(|r| RateLimit::with_options(r, options.rate_burst, announce));
    let config = MockConfig {
        port,
        token: options.token,
        customers: options.customers.into_iter().map(Into::into).collect(),
        tls,
        rate_limit,
        ..MockConfig::default()
    };
    let server = MockServer::start(config)
        .await
        .map_err(|e| invalid(e.to_string()))?;
    Ok(NativeMock {
        base_url: server.base_url(),
        url: server.url(),
        token: server.token().map(str::to_owned),
        server: Mutex::new(Some(server)),
    })
}

#[napi]
impl NativeMock {
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    #[napi(getter)]
    pub fn token(&self) -> Option<String> {
        self.token.clone()
    }

    #[napi]
    pub fn fault_base_url(&self, spec: String) -> napi::Result<String> {
        self.with(|s| s.fault_base_url(&spec))
    }

    #[napi]
    pub fn requests(&self) -> napi::Result<Vec<MockRequest>> {
        self.with(|s| {
            s.requests()
                .into_iter()
                .map(|r| {
                    let mut headers = HashMap::new();
                    for (k, v) in r.headers {
                        headers.entry(k).or_insert(v);
                    }
                    MockRequest {
                        received_ms: r.received.as_secs_f64() * 1000.0,
                        body: (!r.body.is_empty())
                            .then(|| String::from_utf8_lossy(&r.body).into_owned()),
                        method: r.method,
                        path: r.path,
                        headers,
                    }
                })
                .collect()
        })
    }

    #[napi]
    pub fn stats(&self) -> napi::Result<MockStats> {
        self.with(|s| {
            let st = s.stats();
            MockStats {
                requests: st.requests as f64,
                rate_limited: st.rate_limited as f64,
            }
        })
    }

    #[napi]
    pub fn clear_requests(&self) -> napi::Result<()> {
        self.with(|s| s.clear_requests())
    }

    /// Stops serving.
    #[napi]
    pub async fn close(&self) {
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        drop(server);
    }
}

impl NativeMock {
    fn with<T>(&self, f: impl FnOnce(&MockServer) -> T) -> napi::Result<T> {
        match self
            .server
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            Some(s) => Ok(f(s)),
            None => Err(napi::Error::new(
                Status::GenericFailure,
                "the mock server is closed",
            )),
        }
    }
}

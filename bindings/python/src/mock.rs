//! `NativeMock`: enneo-mock running in-process, behind `enneo.testing`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use enneo_mock::{MockConfig, MockServer, RateLimit, TlsIdentity};

use crate::runtime;

/// A mock server on the shared runtime. Not for direct use: see
/// `enneo.testing.MockServer`.
#[pyclass(frozen, module = "enneo._native")]
pub struct NativeMock {
    server: std::sync::Mutex<Option<MockServer>>,
    base_url: String,
    url: String,
    token: Option<String>,
}

#[pymethods]
impl NativeMock {
    #[new]
    #[pyo3(signature = (customers, token=None, port=0, tls_cert=None, tls_key=None, rate_limit=None, rate_burst=None, rate_limit_headers=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        customers: Vec<Vec<u8>>,
        token: Option<String>,
        port: u16,
        tls_cert: Option<Vec<u8>>,
        tls_key: Option<Vec<u8>>,
        rate_limit: Option<f64>,
        rate_burst: Option<u32>,
        rate_limit_headers: bool,
    ) -> PyResult<Self> {
        let rate_limit =
            rate_limit.map(|r| RateLimit::with_options(r, rate_burst, rate_limit_headers));
        let tls = match (tls_cert, tls_key) {
            (Some(cert_pem), Some(key_pem)) => Some(TlsIdentity { cert_pem, key_pem }),
            (None, None) => None,
            _ => {
                return Err(crate::errors::invalid(
                    py,
                    "tls_cert and tls_key go together".into(),
                ))
            }
        };
        let config = MockConfig {
            port,
            token,
            customers: customers.into_iter().map(Into::into).collect(),
            tls,
            rate_limit,
            ..MockConfig::default()
        };
        let rt = runtime::get();
        let server = py
            .detach(|| rt.block_on(MockServer::start(config)))
            .map_err(|e| crate::errors::invalid(py, e.to_string()))?;
        Ok(NativeMock {
            base_url: server.base_url(),
            url: server.url(),
            token: server.token().map(str::to_owned),
            server: std::sync::Mutex::new(Some(server)),
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    #[getter]
    fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// A base URL whose requests all get this fault.
    fn fault_base_url(&self, spec: &str) -> PyResult<String> {
        self.with(|s| s.fault_base_url(spec))
    }

    /// The requests received so far: dicts of method, path, headers and
    /// received_ms.
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let log = self.with(|s| s.requests())?;
        let out = PyList::empty(py);
        for r in log {
            let d = PyDict::new(py);
            d.set_item("method", &r.method)?;
            d.set_item("path", &r.path)?;
            let headers = PyDict::new(py);
            for (k, v) in &r.headers {
                if !headers.contains(k)? {
                    headers.set_item(k, v)?;
                }
            }
            d.set_item("headers", headers)?;
            d.set_item("received_ms", r.received.as_secs_f64() * 1000.0)?;
            // As text, so that `json.loads` sees every digit.
            let body = (!r.body.is_empty()).then(|| String::from_utf8_lossy(&r.body).into_owned());
            d.set_item("body", body)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// `(requests, rate_limited)`: API requests received, and how many of
    /// them the rate limit refused with 429.
    fn stats(&self) -> PyResult<(u64, u64)> {
        self.with(|s| {
            let st = s.stats();
            (st.requests, st.rate_limited)
        })
    }

    fn clear_requests(&self) -> PyResult<()> {
        self.with(|s| s.clear_requests())
    }

    /// Stops serving; later calls raise.
    fn close(&self) {
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        // Dropping aborts the accept loop; it must happen inside the runtime.
        let rt = runtime::get();
        let _guard = rt.enter();
        drop(server);
    }
}

impl NativeMock {
    fn with<T>(&self, f: impl FnOnce(&MockServer) -> T) -> PyResult<T> {
        match self
            .server
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            Some(s) => Ok(f(s)),
            None => Python::attach(|py| {
                Err(crate::errors::internal(
                    py,
                    "enneo_error",
                    "the mock server is closed".into(),
                ))
            }),
        }
    }
}

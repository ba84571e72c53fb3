//! A local stand-in for the Enneo customer API, in the spirit of stripe-mock.
//!
//! It serves the spec's example customer (or fixture files) under `/api/mind`,
//! checks the bearer token when given one, injects faults on request (see
//! [`fault`]), and logs the raw path and headers of every request it receives
//! (`GET /__mock/requests`, cleared by `DELETE /__mock/requests`).
//!
//! Tests start it in-process (this crate is a library, and the Python and
//! Node packages ship it as `enneo.testing` and `enneo/testing`):
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use enneo_mock::{MockConfig, MockServer};
//! let server = MockServer::start(MockConfig {
//!     customers: vec![r#"{"id": 7, "firstname": "Ada"}"#.into()],
//!     token: Some("t".into()),
//!     ..MockConfig::default()
//! })
//! .await?;
//! // point the client at server.base_url(); read server.requests() afterwards
//! # Ok(()) }
//! ```
//!
//! It speaks HTTP/1.1 with keep-alive (over TLS when given a certificate)
//! through its own small parser, so
//! it can also misbehave on purpose (truncated bodies, dropped connections)
//! and stays cheap enough that benchmarks measure the client, not the mock.

pub mod fault;
mod http;
mod limit;
// Generated from the spec by enneo-codegen, laid out by prettyplease.
#[rustfmt::skip]
mod operations;
mod routes;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use tokio::net::TcpListener;

pub use limit::RateLimit;

/// The example customer of the spec, the body served without fixtures.
pub const SEED_CUSTOMER: &str = include_str!("seed-customer.json");

/// How many requests the log keeps; older ones are dropped so long benchmark
/// runs do not grow memory.
const LOG_CAPACITY: usize = 10_000;

/// Settings of a mock server.
#[derive(Debug, Clone, Default)]
pub struct MockConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// When set, requests must carry `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// When set, customers are served from files in this folder:
    ///
    /// - `<dir>/<customerId>.json` is the customer body, served verbatim.
    /// - Each `contracts[].id` in it finds the customer by contract id.
    /// - `<dir>/<customerId>.tickets.json`, a JSON array of ticket ids
    ///   (integers or strings), finds it by ticket id.
    pub fixtures: Option<PathBuf>,
    /// Customers to serve, each a JSON object as the API sends it: found by
    /// its `id` and by each `contracts[].id`. With neither these nor
    /// `fixtures`, any id gets the spec's example customer.
    pub customers: Vec<Bytes>,
    /// Serve HTTPS with this certificate chain and key (PEM).
    pub tls: Option<TlsIdentity>,
    /// Enforce this limit on the API's paths (not on `/__mock/…`): beyond
    /// it, 429 with `Retry-After`. See [`MockServer::stats`].
    pub rate_limit: Option<RateLimit>,
}

/// What the mock has answered since it started or was last cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MockStats {
    /// Requests to the API's paths, refused or not.
    pub requests: u64,
    /// Of those, how many the rate limit refused with 429.
    pub rate_limited: u64,
    /// The most API requests that were being answered at once.
    pub max_in_flight: u64,
}

/// A server certificate chain and its private key, both PEM.
#[derive(Clone)]
pub struct TlsIdentity {
    /// The certificate chain, leaf first.
    pub cert_pem: Vec<u8>,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsIdentity { .. }")
    }
}

/// One request as the mock received it.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    /// The method, such as `GET`.
    pub method: String,
    /// The raw request target, percent-encoding and query included.
    pub path: String,
    /// Header names (lowercase) and values, in arrival order.
    pub headers: Vec<(String, String)>,
    /// When its head was read, on a monotonic clock shared by every mock of
    /// the process: for counting the requests that start in a time window.
    pub received: Duration,
    /// The request body as it arrived (empty without one).
    pub body: Bytes,
}

/// Time since the first mock of this process asked, monotonic.
pub(crate) fn since_start() -> Duration {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    EPOCH.get_or_init(std::time::Instant::now).elapsed()
}

impl LoggedRequest {
    /// The first value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn to_json(&self) -> serde_json::Value {
        let headers: serde_json::Map<String, serde_json::Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect();
        serde_json::json!({
            "method": self.method,
            "path": self.path,
            "headers": headers,
            "received_ms": self.received.as_secs_f64() * 1000.0,
            // As text, so that a reader's own JSON parser sees every digit.
            "body": (!self.body.is_empty()).then(|| String::from_utf8_lossy(&self.body).into_owned()),
        })
    }
}

pub(crate) struct State {
    token: Option<String>,
    fixtures: Option<Fixtures>,
    /// The seed body split around its `id`, so answering is two copies.
    seed_tail: Bytes,
    log: Mutex<VecDeque<LoggedRequest>>,
    fault_counts: Mutex<HashMap<String, u32>>,
    next_request_id: AtomicU64,
    pub(crate) bucket: Option<limit::Bucket>,
    /// API requests seen and refused by the limit, for [`MockStats`]: the
    /// log keeps only the last [`LOG_CAPACITY`].
    pub(crate) api_requests: AtomicU64,
    pub(crate) rate_limited: AtomicU64,
    pub(crate) in_flight: AtomicU64,
    pub(crate) max_in_flight: AtomicU64,
}

#[derive(Default)]
struct Fixtures {
    by_customer: HashMap<String, Bytes>,
    by_contract: HashMap<String, Bytes>,
    by_ticket: HashMap<String, Bytes>,
}

impl Fixtures {
    /// Indexes a customer given in memory by its `id` and contract ids.
    fn add_customer(&mut self, body: Bytes) -> std::io::Result<()> {
        let invalid =
            |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, why.to_owned());
        let value: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| invalid(&format!("a customer is not JSON: {e}")))?;
        let id = value
            .get("id")
            .and_then(id_text)
            .ok_or_else(|| invalid("each customer needs an \"id\" (an integer or a string)"))?;
        self.index_contracts(&value, &body);
        self.by_customer.insert(id, body);
        Ok(())
    }

    fn index_contracts(&mut self, customer: &serde_json::Value, body: &Bytes) {
        for contract in customer
            .get("contracts")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(id) = contract.get("id").and_then(id_text) {
                self.by_contract.insert(id, body.clone());
            }
        }
    }
}

/// Suffix of the sidecar that lists a fixture customer's ticket ids.
const TICKETS_SUFFIX: &str = ".tickets";

/// A running mock server.
pub struct MockServer {
    addr: SocketAddr,
    scheme: &'static str,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Binds to 127.0.0.1 and serves on the current tokio runtime until
    /// dropped.
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let acceptor = config.tls.as_ref().map(http::tls_acceptor).transpose()?;
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(&config)?);
        let task = tokio::spawn(http::serve(listener, acceptor, state.clone()));
        Ok(MockServer {
            addr,
            scheme,
            state,
            task,
        })
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (`https` with TLS).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// `http://127.0.0.1:PORT/api/mind`, the base URL for clients.
    pub fn base_url(&self) -> String {
        format!("{}/api/mind", self.url())
    }

    /// A base URL whose requests all get this fault (see [`fault`]), such
    /// as `status=503;fail-first=1` or `delay=2000`.
    pub fn fault_base_url(&self, spec: &str) -> String {
        let spec = percent_encoding::utf8_percent_encode(spec, percent_encoding::NON_ALPHANUMERIC);
        format!("{}/__fault/{spec}/api/mind", self.url())
    }

    /// The token requests must carry, when one was set.
    pub fn token(&self) -> Option<&str> {
        self.state.token.as_deref()
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.lock().unwrap().iter().cloned().collect()
    }

    /// Forgets the logged requests and resets [`MockServer::stats`].
    pub fn clear_requests(&self) {
        self.state.clear();
    }

    /// How many API requests arrived and how many the rate limit refused.
    pub fn stats(&self) -> MockStats {
        self.state.stats()
    }

    /// Serves until the process ends.
    pub async fn wait(self) {
        let _ = (&mut { self }.task).await;
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl State {
    fn new(config: &MockConfig) -> std::io::Result<State> {
        let mut seed: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(SEED_CUSTOMER).expect("embedded seed is valid JSON");
        seed.shift_remove("id");
        let rest = serde_json::to_vec(&seed).expect("seed serializes");
        // `{"id":` + id + `,` + rest-without-its-opening-brace
        let mut tail = b",".to_vec();
        tail.extend_from_slice(&rest[1..]);
        let mut fixtures = config
            .fixtures
            .as_ref()
            .map(|d| load_fixtures(d))
            .transpose()?;
        if !config.customers.is_empty() {
            let f = fixtures.get_or_insert_with(Fixtures::default);
            for body in &config.customers {
                f.add_customer(body.clone())?;
            }
        }
        Ok(State {
            token: config.token.clone(),
            fixtures,
            seed_tail: tail.into(),
            log: Mutex::new(VecDeque::new()),
            fault_counts: Mutex::new(HashMap::new()),
            next_request_id: AtomicU64::new(1),
            bucket: match config.rate_limit {
                Some(limit) => {
                    limit
                        .validate()
                        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
                    Some(limit::Bucket::new(limit))
                }
                None => None,
            },
            api_requests: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
        })
    }

    pub(crate) fn clear(&self) {
        self.log.lock().unwrap().clear();
        self.api_requests.store(0, Ordering::Relaxed);
        self.rate_limited.store(0, Ordering::Relaxed);
        self.max_in_flight.store(0, Ordering::Relaxed);
    }

    pub(crate) fn stats(&self) -> MockStats {
        MockStats {
            requests: self.api_requests.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            max_in_flight: self.max_in_flight.load(Ordering::Relaxed),
        }
    }

    fn log(&self, req: LoggedRequest) {
        let mut log = self.log.lock().unwrap();
        if log.len() >= LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(req);
    }

    fn log_json(&self) -> Vec<u8> {
        let log = self.log.lock().unwrap();
        let items: Vec<serde_json::Value> = log.iter().map(LoggedRequest::to_json).collect();
        serde_json::to_vec(&items).expect("log serializes")
    }
}

fn load_fixtures(dir: &std::path::Path) -> std::io::Result<Fixtures> {
    let mut f = Fixtures::default();
    let mut tickets = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let body = Bytes::from(std::fs::read(&path)?);
        if let Some(customer) = stem.strip_suffix(TICKETS_SUFFIX) {
            tickets.push((customer.to_owned(), path.clone(), body));
            continue;
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) {
            f.index_contracts(&value, &body);
        }
        f.by_customer.insert(stem.to_owned(), body);
    }
    for (customer, path, list) in tickets {
        let invalid = |why: String| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {why}", path.display()),
            )
        };
        let body = f
            .by_customer
            .get(&customer)
            .ok_or_else(|| invalid(format!("no customer fixture {customer}.json beside it")))?;
        let ids: Vec<serde_json::Value> = serde_json::from_slice(&list)
            .map_err(|e| invalid(format!("must be a JSON array of ticket ids: {e}")))?;
        for id in &ids {
            let id = id_text(id)
                .ok_or_else(|| invalid(format!("ticket ids are integers or strings, not {id}")))?;
            f.by_ticket.insert(id, body.clone());
        }
    }
    Ok(f)
}

fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

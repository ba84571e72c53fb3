//! A local stand-in for the Enneo customer API, in the spirit of stripe-mock.
//!
//! It serves the spec's example customer (or fixture files) under `/api/mind`,
//! checks the bearer token when given one, injects faults on request (see
//! [`fault`]), and logs the raw path and headers of every request it receives
//! (`GET /__mock/requests`, cleared by `DELETE /__mock/requests`).
//!
//! It speaks plain HTTP/1.1 with keep-alive over its own small parser, so
//! it can also misbehave on purpose (truncated bodies, dropped connections)
//! and stays cheap enough that benchmarks measure the client, not the mock.

pub mod fault;
mod http;
mod routes;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::net::TcpListener;

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
        serde_json::json!({ "method": self.method, "path": self.path, "headers": headers })
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
}

struct Fixtures {
    by_customer: HashMap<String, Bytes>,
    by_contract: HashMap<String, Bytes>,
    by_ticket: HashMap<String, Bytes>,
}

/// Suffix of the sidecar that lists a fixture customer's ticket ids.
const TICKETS_SUFFIX: &str = ".tickets";

/// A running mock server.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Binds to 127.0.0.1 and serves on the current tokio runtime until
    /// dropped.
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(&config)?);
        let task = tokio::spawn(http::serve(listener, state.clone()));
        Ok(MockServer { addr, state, task })
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/api/mind`, the base URL for clients.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/mind", self.addr)
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.lock().unwrap().iter().cloned().collect()
    }

    /// Forgets the logged requests.
    pub fn clear_requests(&self) {
        self.state.log.lock().unwrap().clear();
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
        let fixtures = config
            .fixtures
            .as_ref()
            .map(|d| load_fixtures(d))
            .transpose()?;
        Ok(State {
            token: config.token.clone(),
            fixtures,
            seed_tail: tail.into(),
            log: Mutex::new(VecDeque::new()),
            fault_counts: Mutex::new(HashMap::new()),
            next_request_id: AtomicU64::new(1),
        })
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
    let mut by_customer = HashMap::new();
    let mut by_contract = HashMap::new();
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
            for contract in value
                .get("contracts")
                .and_then(|c| c.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(id) = contract.get("id").and_then(id_text) {
                    by_contract.insert(id, body.clone());
                }
            }
        }
        by_customer.insert(stem.to_owned(), body);
    }
    let mut by_ticket = HashMap::new();
    for (customer, path, list) in tickets {
        let invalid = |why: String| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {why}", path.display()),
            )
        };
        let body = by_customer
            .get(&customer)
            .ok_or_else(|| invalid(format!("no customer fixture {customer}.json beside it")))?;
        let ids: Vec<serde_json::Value> = serde_json::from_slice(&list)
            .map_err(|e| invalid(format!("must be a JSON array of ticket ids: {e}")))?;
        for id in &ids {
            let id = id_text(id)
                .ok_or_else(|| invalid(format!("ticket ids are integers or strings, not {id}")))?;
            by_ticket.insert(id, body.clone());
        }
    }
    Ok(Fixtures {
        by_customer,
        by_contract,
        by_ticket,
    })
}

fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

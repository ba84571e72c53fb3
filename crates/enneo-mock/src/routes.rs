//! What the mock answers to one request.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use percent_encoding::percent_decode_str;

use crate::fault::Fault;
use crate::{LoggedRequest, State};

/// What the connection handler should do.
pub(crate) enum Action {
    /// Send a complete response.
    Respond(Response),
    /// Send the head and half the body, then close.
    Truncate(Response),
    /// Close without answering.
    Drop,
    /// Send the head and half the body, wait, then the rest.
    SlowBody(Response, std::time::Duration),
    /// Send the head and half the body, then reset the connection.
    Reset(Response),
}

pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

impl Response {
    fn json(status: u16, body: impl Into<Bytes>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub(crate) fn error(status: u16, message: &str) -> Response {
        let body =
            serde_json::json!({ "error": reason(status), "message": message, "code": status });
        Response::json(status, serde_json::to_vec(&body).expect("serializes"))
    }
}

pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        201 => "Created",
        202 => "Accepted",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

pub(crate) async fn handle(state: &State, req: LoggedRequest) -> Action {
    // Absolute-form targets arrive when the mock stands in for a proxy.
    let target = match req.path.strip_prefix("http://") {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => req.path.as_str(),
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.to_owned(), None),
    };
    if path == "/__mock/requests" {
        return Action::Respond(match req.method.as_str() {
            "DELETE" => {
                state.clear();
                Response::json(200, &b"[]"[..])
            }
            _ => Response::json(200, state.log_json()),
        });
    }
    if path == "/__mock/stats" {
        let stats = state.stats();
        let body = serde_json::json!({
            "requests": stats.requests,
            "rate_limited": stats.rate_limited,
            "max_in_flight": stats.max_in_flight,
        });
        return Action::Respond(Response::json(
            200,
            serde_json::to_vec(&body).expect("serializes"),
        ));
    }
    if path == "/__mock/health" {
        return Action::Respond(Response::json(200, &b"{\"ok\":true}"[..]));
    }

    // Faults: header, query parameter, or a `/__fault/<spec>` path prefix.
    let (path, prefix_spec) = match path.strip_prefix("/__fault/") {
        Some(rest) => {
            let (spec, rest) = rest.split_once('/').unwrap_or((rest, ""));
            (
                format!("/{rest}"),
                Some(percent_decode_str(spec).decode_utf8_lossy().into_owned()),
            )
        }
        None => (path, None),
    };
    let query_spec = query.as_deref().and_then(|q| {
        q.split('&').find_map(|kv| {
            kv.strip_prefix("mock_fault=").map(|v| {
                percent_decode_str(&v.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    });
    let spec = req
        .header("x-mock-fault")
        .map(str::to_owned)
        .or(query_spec)
        .or(prefix_spec);
    let id = state.next_request_id.fetch_add(1, Ordering::Relaxed);
    let request_id = format!("req_{id:08}");
    state.log(req.clone());

    let _in_flight = path.starts_with("/api/").then(|| InFlight::enter(state));
    let mut action = match limited(state, &path) {
        Some(refused) => refused,
        None => answer(state, &req, spec, &path).await,
    };
    if let Some(limit) = state.bucket.as_ref().map(|b| b.limit()) {
        if limit.announce {
            if let Action::Respond(r) = &mut action {
                r.headers.push(("ratelimit-policy", limit.policy()));
            }
        }
    }
    if let Action::Respond(r) | Action::Truncate(r) | Action::Reset(r) | Action::SlowBody(r, _) =
        &mut action
    {
        r.headers.push(("x-request-id", request_id));
    }
    action
}

/// An API request being answered: counted from its head's arrival until its
/// answer is decided (a delay fault included), for the stats' peak.
struct InFlight<'a>(&'a State);

impl<'a> InFlight<'a> {
    fn enter(state: &'a State) -> Self {
        let now = state.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        state.max_in_flight.fetch_max(now, Ordering::Relaxed);
        InFlight(state)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Counts an API request and, past the rate limit, refuses it.
fn limited(state: &State, path: &str) -> Option<Action> {
    if !path.starts_with("/api/") {
        return None;
    }
    state.api_requests.fetch_add(1, Ordering::Relaxed);
    let retry_after = state.bucket.as_ref()?.take().err()?;
    state.rate_limited.fetch_add(1, Ordering::Relaxed);
    let mut r = Response::error(429, "rate limit exceeded");
    r.headers.push(("retry-after", retry_after.to_string()));
    Some(Action::Respond(r))
}

/// The answer to a request the limit let through: its fault, or its route.
async fn answer(state: &State, req: &LoggedRequest, spec: Option<String>, path: &str) -> Action {
    match spec {
        Some(spec) => match Fault::parse(&spec) {
            Ok(fault) => match apply_fault(state, &fault, &spec, path).await {
                Some(action) => action,
                None => route(state, req, path),
            },
            Err(e) => Action::Respond(Response::error(400, &format!("bad X-Mock-Fault: {e}"))),
        },
        None => route(state, req, path),
    }
}

async fn apply_fault(state: &State, fault: &Fault, spec: &str, path: &str) -> Option<Action> {
    if let Some(n) = fault.fail_first {
        let mut counts = state.fault_counts.lock().unwrap();
        let seen = counts.entry(format!("{spec}\u{0}{path}")).or_insert(0);
        *seen += 1;
        if *seen > n {
            return None;
        }
    }
    if let Some(d) = fault.delay {
        tokio::time::sleep(d).await;
    }
    if fault.drop {
        return Some(Action::Drop);
    }
    if let Some(url) = &fault.redirect {
        let mut r = Response::json(302, &b""[..]);
        r.headers.push(("location", url.clone()));
        return Some(Action::Respond(r));
    }
    if let Some(body) = &fault.body {
        return Some(Action::Respond(Response::json(200, body.clone())));
    }
    if fault.malformed {
        return Some(Action::Respond(Response::json(
            200,
            &b"{\"id\": 83771, \"contracts\": [oops"[..],
        )));
    }
    if fault.truncate {
        return Some(Action::Truncate(Response::json(
            200,
            crate::SEED_CUSTOMER.as_bytes(),
        )));
    }
    if fault.reset {
        return Some(Action::Reset(Response::json(
            200,
            crate::SEED_CUSTOMER.as_bytes(),
        )));
    }
    if let Some(pause) = fault.slow_body {
        return Some(Action::SlowBody(
            Response::json(200, crate::SEED_CUSTOMER.as_bytes()),
            pause,
        ));
    }
    if let Some(n) = fault.pad {
        // The seed with `"padding":"xxx…"` before its closing brace.
        let seed = crate::SEED_CUSTOMER.trim_end();
        let mut body = Vec::with_capacity(seed.len() + n + 16);
        body.extend_from_slice(&seed.as_bytes()[..seed.len() - 1]);
        body.extend_from_slice(b",\"padding\":\"");
        body.resize(body.len() + n, b'x');
        body.extend_from_slice(b"\"}");
        return Some(Action::Respond(Response::json(200, body)));
    }
    if let Some(status) = fault.status {
        let mut r = Response::error(status, "injected fault");
        if let Some(v) = &fault.retry_after {
            r.headers.push(("retry-after", v.clone()));
        }
        if let Some(v) = &fault.retry_after_ms {
            r.headers.push(("retry-after-ms", v.clone()));
        }
        if let Some(secs) = fault.retry_after_date {
            let at = std::time::SystemTime::now() + std::time::Duration::from_secs(secs);
            r.headers.push(("retry-after", httpdate::fmt_http_date(at)));
        }
        return Some(Action::Respond(r));
    }
    // A delay alone: answer normally, late.
    None
}

fn route(state: &State, req: &LoggedRequest, path: &str) -> Action {
    let Some(api_path) = path.strip_prefix("/api/mind/") else {
        return Action::Respond(Response::error(404, "no such endpoint"));
    };
    if let Some(token) = &state.token {
        let ok = req
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|t| t == token);
        if !ok {
            return Action::Respond(Response::error(401, "missing or invalid bearer token"));
        }
    }
    // The operation whose path template matches, with its path arguments.
    let segments: Vec<&str> = api_path.split('/').collect();
    let mut allowed = Vec::new();
    let matched = crate::operations::ROUTES.iter().find_map(|route| {
        if route.segments.len() != segments.len() {
            return None;
        }
        let mut args = Vec::new();
        for (template, given) in route.segments.iter().zip(&segments) {
            match template.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(name) if !given.is_empty() => {
                    args.push((name, percent_decode_str(given).decode_utf8_lossy()))
                }
                Some(_) => return None,
                None if template == given => {}
                None => return None,
            }
        }
        if route.method != req.method {
            allowed.push(route.method);
            return None;
        }
        Some((route, args))
    });
    let Some((route, args)) = matched else {
        if !allowed.is_empty() {
            let mut r = Response::error(405, &format!("{} is not allowed here", req.method));
            r.headers.push(("allow", allowed.join(", ")));
            return Action::Respond(r);
        }
        return Action::Respond(Response::error(404, "no such endpoint"));
    };
    if let Err(reason) = check_body(route, &req.body) {
        return Action::Respond(Response::error(400, &reason));
    }
    // What the spec's PathId refuses: control characters, over 255 characters.
    for (_, value) in &args {
        if value.chars().any(char::is_control) {
            return Action::Respond(Response::error(400, "the id contains control characters"));
        }
        if value.chars().count() > MAX_PATH_ID_LEN {
            return Action::Respond(Response::error(400, "the id is longer than 255 characters"));
        }
    }
    // Customers by their own, a contract's or a ticket's id come from the
    // fixtures; every other operation answers with the spec's example.
    let customer_by = match (route.response, args.as_slice()) {
        ("Customer", [(name, id)]) => match *name {
            "customerId" => Some(("byCustomerId", id)),
            "contractId" => Some(("byContractId", id)),
            "ticketId" => Some(("byTicketId", id)),
            _ => None,
        },
        _ => None,
    };
    let Some((kind, id)) = customer_by else {
        let example = route.example.unwrap_or("{}");
        let mut r = Response::json(route.status, Bytes::from_static(example.as_bytes()));
        r.headers.push(("x-mock-operation", route.id.to_owned()));
        return Action::Respond(r);
    };
    let body = match &state.fixtures {
        None if id.chars().count() <= MAX_CUSTOMER_ID_LEN => Some(seed_with_id(state, id)),
        // No customer has a longer id, so none is found by one; a long
        // contract or ticket id still belongs to the example customer.
        None if kind == "byCustomerId" => None,
        None => Some(Bytes::from_static(crate::SEED_CUSTOMER.as_bytes())),
        Some(f) => match kind {
            "byCustomerId" => f.by_customer.get(id.as_ref()).cloned(),
            "byContractId" => f.by_contract.get(id.as_ref()).cloned(),
            _ => f.by_ticket.get(id.as_ref()).cloned(),
        },
    };
    let mut r = match body {
        Some(b) => Response::json(200, b),
        None => Response::error(404, "Customer not found"),
    };
    r.headers.push(("x-mock-operation", route.id.to_owned()));
    Action::Respond(r)
}

/// A request body against its operation's schema: JSON that fits it, or
/// no body for an operation that takes none. The reason names the field.
fn check_body(route: &crate::operations::Route, body: &[u8]) -> Result<(), String> {
    let Some(schema) = route.body_schema else {
        return if body.is_empty() {
            Ok(())
        } else {
            Err(format!("{} takes no request body", route.id))
        };
    };
    if body.is_empty() {
        return Err("the request body is missing".into());
    }
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the request body is not JSON: {e}"))?;
    enneo_schema::check_static(schema, &value, "body")
}

/// The longest customer id the spec allows (Enneo's customer data definition).
const MAX_CUSTOMER_ID_LEN: usize = 50;
/// The longest id the spec's `PathId` allows.
const MAX_PATH_ID_LEN: usize = 255;

/// The seed customer with `id` set to the requested id: a JSON number when
/// the id is a plain integer, else a string.
fn seed_with_id(state: &State, id: &str) -> Bytes {
    let plain_int = !id.is_empty()
        && (id == "0" || !id.starts_with('0'))
        && id.len() <= 18
        && id.bytes().all(|b| b.is_ascii_digit());
    let id_json = if plain_int {
        id.to_owned()
    } else {
        serde_json::to_string(id).expect("string")
    };
    let mut body = Vec::with_capacity(7 + id_json.len() + state.seed_tail.len());
    body.extend_from_slice(b"{\"id\":");
    body.extend_from_slice(id_json.as_bytes());
    body.extend_from_slice(&state.seed_tail);
    body.into()
}

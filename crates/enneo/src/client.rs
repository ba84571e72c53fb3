//! The typed client over the generated operations.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use progenitor_client::{Error as GenError, ResponseValue};

use crate::generated::types;
use crate::hooks::{CallState, CALL};
use crate::{ClientBuilder, Customer, Error, FlexibleId, Result, StatusError};

/// Longest id accepted in a path. Enneo ids are at most 50 characters; the
/// margin allows installation-specific ticket and contract ids.
const MAX_ID_LEN: usize = 255;

/// Which of the three lookups to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lookup {
    /// `GET /customer/byCustomerId/{id}`
    CustomerId,
    /// `GET /customer/byContractId/{id}`
    ContractId,
    /// `GET /customer/byTicketId/{id}`
    TicketId,
}

/// Per-call settings.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Overrides the client's timeout for this call.
    pub timeout: Option<Duration>,
}

/// A customer together with the response it came from.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The decoded customer.
    pub customer: Customer,
    /// The response body exactly as received.
    pub body: Bytes,
    /// The server's request id, when it sent one.
    pub request_id: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
}

impl Fetched {
    /// The body as a generic JSON value: every field, null and number form
    /// as sent, for callers (such as the language bindings) that keep the
    /// server's exact shape rather than the typed model.
    pub fn json_value(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            status: 200,
            body: self.body.clone(),
            message: e.to_string(),
        })
    }
}

/// A client of the Enneo customer API. Cheap to clone; clones share one
/// connection pool.
///
/// ```no_run
/// # async fn run() -> enneo::Result<()> {
/// let client = enneo::Client::from_env()?; // ENNEO_TOKEN, ENNEO_BASE_URL
/// match client.get_customer(83771).await {
///     Ok(c) => println!("{:?} {:?}", c.firstname, c.lastname),
///     Err(e) if e.is_not_found() => println!("no such customer"),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    api: Arc<crate::generated::Client>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("inner", progenitor_client::ClientInfo::inner(&*self.api))
            .finish()
    }
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `ENNEO_TOKEN` and `ENNEO_BASE_URL` with the
    /// default timeouts and retries.
    pub fn from_env() -> Result<Self> {
        Self::builder().build()
    }

    pub(crate) fn from_parts(api: crate::generated::Client) -> Self {
        Self { api: Arc::new(api) }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&*self.api)
    }

    /// Whether requests carry a bearer token (given or from `ENNEO_TOKEN`).
    pub fn has_token(&self) -> bool {
        progenitor_client::ClientInfo::inner(&*self.api)
            .auth
            .is_some()
    }

    /// The generated progenitor client, for operations this layer does not wrap.
    pub fn generated(&self) -> &crate::generated::Client {
        &self.api
    }

    /// `GET /customer/byCustomerId/{id}`.
    pub async fn get_customer(&self, id: impl Into<FlexibleId>) -> Result<Customer> {
        Ok(self
            .fetch(Lookup::CustomerId, id.into(), &RequestOptions::default())
            .await?
            .customer)
    }

    /// `GET /customer/byContractId/{id}`.
    pub async fn get_customer_by_contract_id(&self, id: impl Into<FlexibleId>) -> Result<Customer> {
        Ok(self
            .fetch(Lookup::ContractId, id.into(), &RequestOptions::default())
            .await?
            .customer)
    }

    /// `GET /customer/byTicketId/{id}`.
    pub async fn get_customer_by_ticket_id(&self, id: impl Into<FlexibleId>) -> Result<Customer> {
        Ok(self
            .fetch(Lookup::TicketId, id.into(), &RequestOptions::default())
            .await?
            .customer)
    }

    /// Runs one lookup and returns the customer with its raw response.
    pub async fn fetch(
        &self,
        lookup: Lookup,
        id: FlexibleId,
        options: &RequestOptions,
    ) -> Result<Fetched> {
        validate_id(&id)?;
        if options.timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::InvalidArgument(
                "timeout must be greater than zero".into(),
            ));
        }
        let state = CallState {
            timeout: options.timeout,
            ..Default::default()
        };
        let api = &*self.api;
        let (result, exchange) = CALL
            .scope(state, async move {
                let result = match lookup {
                    Lookup::CustomerId => {
                        api.get_customer_by_customer_id()
                            .customer_id(id)
                            .send()
                            .await
                    }
                    Lookup::ContractId => {
                        api.get_customer_by_contract_id()
                            .contract_id(id)
                            .send()
                            .await
                    }
                    Lookup::TicketId => api.get_customer_by_ticket_id().ticket_id(id).send().await,
                };
                (result, CALL.with(|c| c.exchange.take()))
            })
            .await;
        let request_id = exchange
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(message) = exchange.body_error {
            if exchange.body_timed_out {
                return Err(Error::Timeout {
                    attempts: exchange.attempts,
                });
            }
            return Err(Error::Decode {
                status: exchange.status,
                body: exchange.body,
                message: format!("the response body broke off: {message}"),
            });
        }
        match result {
            Ok(value) => Ok(Fetched {
                customer: ResponseValue::into_inner(value),
                body: exchange.body,
                request_id,
                attempts: exchange.attempts,
            }),
            Err(err) => Err(map_error(
                err,
                exchange.status,
                exchange.body,
                request_id,
                exchange.attempts,
            )),
        }
    }

    /// Runs many lookups with at most `concurrency` in flight and returns the
    /// results in input order; one failure never loses the others.
    /// `on_progress(done, total)` is called after each completes.
    pub async fn fetch_many(
        &self,
        lookup: Lookup,
        ids: Vec<FlexibleId>,
        concurrency: usize,
        options: &RequestOptions,
        mut on_progress: impl FnMut(usize, usize),
    ) -> Vec<Result<Fetched>> {
        let total = ids.len();
        let mut results: Vec<Option<Result<Fetched>>> = (0..total).map(|_| None).collect();
        let mut stream = futures::stream::iter(ids.into_iter().enumerate())
            .map(|(i, id)| async move { (i, self.fetch(lookup, id, options).await) })
            .buffer_unordered(concurrency.max(1));
        let mut done = 0;
        while let Some((i, r)) = stream.next().await {
            results[i] = Some(r);
            done += 1;
            on_progress(done, total);
        }
        results
            .into_iter()
            .map(|r| r.expect("every index completes once"))
            .collect()
    }

    /// Looks up many customers by id, `concurrency` at a time, in input order.
    pub async fn get_customers<I, T>(&self, ids: I, concurrency: usize) -> Vec<Result<Customer>>
    where
        I: IntoIterator<Item = T>,
        T: Into<FlexibleId>,
    {
        let ids = ids.into_iter().map(Into::into).collect();
        self.fetch_many(
            Lookup::CustomerId,
            ids,
            concurrency,
            &RequestOptions::default(),
            |_, _| {},
        )
        .await
        .into_iter()
        .map(|r| r.map(|f| f.customer))
        .collect()
    }
}

/// Rejects ids that cannot name a resource, before anything is sent.
pub fn validate_id(id: &FlexibleId) -> Result<()> {
    let text = id.as_text();
    let problem = if text.is_empty() {
        Some("must not be empty".to_owned())
    } else if text.trim().is_empty() {
        Some("must not be blank".to_owned())
    } else if text.chars().any(char::is_control) {
        Some("must not contain control characters".to_owned())
    } else if text == "." || text == ".." {
        Some("must not be \".\" or \"..\"".to_owned())
    } else if text.chars().count() > MAX_ID_LEN {
        Some(format!(
            "must be at most {MAX_ID_LEN} characters, got {}",
            text.chars().count()
        ))
    } else {
        None
    };
    match problem {
        Some(p) => Err(Error::InvalidArgument(format!("id {p}"))),
        None => Ok(()),
    }
}

fn map_error(
    err: GenError<types::Error>,
    status: u16,
    body: Bytes,
    request_id: Option<String>,
    attempts: u32,
) -> Error {
    let status_error =
        |status, body| Error::Status(Box::new(StatusError::new(status, body, request_id.clone())));
    match err {
        GenError::ErrorResponse(_) | GenError::UnexpectedResponse(_) => status_error(status, body),
        // An error page that is not JSON (a proxy's HTML 502) is still an
        // HTTP error, not a decoding problem.
        GenError::InvalidResponsePayload(_, _) if !(200..300).contains(&status) => {
            status_error(status, body)
        }
        GenError::InvalidResponsePayload(_, e) => Error::Decode {
            status,
            body,
            message: e.to_string(),
        },
        GenError::ResponseBodyError(e) => Error::Decode {
            status,
            body,
            message: error_chain(&e),
        },
        GenError::InvalidRequest(m) => Error::InvalidArgument(m),
        GenError::CommunicationError(e) if e.is_timeout() => Error::Timeout { attempts },
        GenError::CommunicationError(e) | GenError::InvalidUpgrade(e) => Error::Connection {
            message: error_chain(&e),
            attempts,
        },
        GenError::Custom(m) => Error::Connection {
            message: m,
            attempts,
        },
    }
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

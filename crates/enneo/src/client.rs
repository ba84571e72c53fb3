//! The typed client over the generated operations.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use progenitor_client::ClientInfo;
use reqwest::header::HeaderMap;

use tracing::Instrument;

use crate::feed::FeedResult;
use crate::json_scan::JsonScan;
use crate::transport::{self, Exchange, Policy};
use crate::{
    Body, ClientBuilder, Concurrency, Customer, Error, FlexibleId, Operation, RequestOptions,
    Result, SpanEnd, SpanStart, SpanValue, StatusError, TraceContext,
};

/// Longest id accepted in a path. Enneo ids are at most 50 characters; the
/// margin allows installation-specific ticket and contract ids.
const MAX_ID_LEN: usize = 255;

/// A successful response whose body has not been decoded: for callers, such
/// as the language bindings, that decode the JSON themselves into their own
/// objects, keeping every field and number exactly as sent.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Bytes,
    /// The server's request id, when it sent one.
    pub request_id: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
    /// From the start of the first attempt to the end of the body.
    pub elapsed: Duration,
    /// Set by [`RawResponse::check_json_object`] when the body holds an
    /// integer beyond ±(2^53 − 1), which a decoder into 64-bit floats
    /// (JavaScript's `JSON.parse`) would round.
    pub big_integers: bool,
}

impl RawResponse {
    /// How many times the request was sent again: 0 when the first attempt
    /// answered. What each language's raw-response view shows
    /// (`retries_taken`, `retriesTaken`).
    pub fn retries_taken(&self) -> u32 {
        self.attempts.saturating_sub(1)
    }
}

/// A customer together with the response it came from.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The decoded customer.
    pub customer: Customer,
    /// The response headers.
    pub headers: HeaderMap,
    /// The response body exactly as received.
    pub body: Bytes,
    /// The server's request id, when it sent one.
    pub request_id: Option<String>,
    /// Attempts made, retries included.
    pub attempts: u32,
    /// From the start of the first attempt to the end of the body.
    pub elapsed: Duration,
}

impl RawResponse {
    fn from_exchange(x: Exchange) -> Result<Self> {
        let request_id = transport::request_id(&x.headers);
        if !(200..300).contains(&x.status) {
            return Err(Error::Status(Box::new(StatusError::new(
                x.status, x.body, request_id, x.attempts,
            ))));
        }
        Ok(Self {
            status: x.status,
            headers: x.headers,
            body: x.body,
            request_id,
            attempts: x.attempts,
            elapsed: x.elapsed,
            big_integers: false,
        })
    }

    /// Checks, in one pass and without building anything, that the body is
    /// one well-formed JSON object in UTF-8, so that a caller decoding it
    /// later cannot meet a syntax error; notes [`RawResponse::big_integers`].
    pub fn check_json_object(mut self) -> Result<Self> {
        match check_json_object(&self.body) {
            Ok(scan) => {
                self.big_integers = scan.big_integers;
                Ok(self)
            }
            Err(message) => Err(self.decode_error(message)),
        }
    }

    /// The response without its headers and with the body in an allocation
    /// of its own, for keeping many: a body as received is a slice of the
    /// connection's read buffer, and holding it holds all of that buffer
    /// (measured: about 6 KB per kept 1.4 KB customer).
    pub fn detached(self) -> Self {
        Self {
            headers: HeaderMap::new(),
            body: Bytes::copy_from_slice(&self.body),
            ..self
        }
    }

    /// Decodes the body into the typed [`Customer`].
    pub fn into_fetched(self) -> Result<Fetched> {
        match serde_json::from_slice::<Customer>(&self.body) {
            Ok(customer) => Ok(Fetched {
                customer,
                headers: self.headers,
                body: self.body,
                request_id: self.request_id,
                attempts: self.attempts,
                elapsed: self.elapsed,
            }),
            Err(e) => Err(self.decode_error(e.to_string())),
        }
    }

    pub(crate) fn decode_error(self, message: String) -> Error {
        Error::Decode {
            status: self.status,
            body: self.body,
            message,
            attempts: self.attempts,
        }
    }
}

/// Checks, in one pass, that `body` is one JSON object in UTF-8 with
/// nothing but whitespace around it: the check of
/// [`RawResponse::check_json_object`], for a decoder that takes what the
/// check takes and must refuse what it refuses, with its message.
pub fn check_json_object(body: &[u8]) -> std::result::Result<JsonScan, String> {
    crate::json_scan::scan_object(body)
}

/// A client of the Enneo customer API. Cheap to clone; clones share one
/// connection pool.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> enneo::Result<()> {
/// # let mock = enneo_mock::MockServer::start(Default::default()).await.unwrap();
/// # std::env::set_var("ENNEO_BASE_URL", mock.base_url());
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

    /// What the client learnt of the server's rate limit: the sending rate
    /// it adapted to, the 429s it received, and how long a `Retry-After`
    /// still holds new requests back. Shared by clones and derived clients.
    pub fn rate_limit_state(&self) -> crate::RateLimitState {
        progenitor_client::ClientInfo::inner(&*self.api)
            .congestion
            .snapshot()
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

    /// `GET /customer/byCustomerId/{id}`: the customer with this id, as
    /// [`Client::get_customer_by_customer_id`].
    pub async fn get_customer(&self, id: impl Into<FlexibleId>) -> Result<Customer> {
        self.get_customer_by_customer_id(id).await
    }

    /// Runs one lookup of a customer and returns it with its response.
    pub async fn fetch(
        &self,
        lookup: Operation,
        id: FlexibleId,
        options: &RequestOptions,
    ) -> Result<Fetched> {
        self.fetch_raw(lookup, id, options).await?.into_fetched()
    }

    /// Runs an operation of one argument and returns the successful
    /// response undecoded; an error status, a transport failure or a
    /// broken-off body is an [`Error`].
    async fn fetch_raw(
        &self,
        lookup: Operation,
        id: FlexibleId,
        options: &RequestOptions,
    ) -> Result<RawResponse> {
        self.call_raw(lookup, &[Some(id)], None, options).await
    }

    /// Runs any operation with its arguments in the order of
    /// [`Operation::params`] and its request body ([`Operation::body`];
    /// `None` for an operation without one), and returns the successful
    /// response undecoded. The method is the operation's.
    ///
    /// A POST or PATCH carries an `Idempotency-Key`, made once for the call
    /// and sent with each of its retries (the caller's own, given in
    /// `extra_headers`, wins); without one it would not be retried.
    pub async fn call_raw(
        &self,
        operation: Operation,
        args: &[Option<FlexibleId>],
        body: Option<&Body>,
        options: &RequestOptions,
    ) -> Result<RawResponse> {
        // The URL in one string: the base, then the target, encoded.
        let mut url = String::with_capacity(self.base_url().len() + 48);
        url.push_str(self.base_url());
        operation.write_target(args, &mut url)?;
        if let Some(Some(first)) = args.first() {
            panic_if_test_id(first);
        }
        match (body.is_some(), operation.body_schema().is_some()) {
            (false, true) => return Err(Error::WrongType("body is required".into())),
            (true, false) => {
                return Err(Error::InvalidArgument(format!(
                    "{operation} takes no request body"
                )))
            }
            _ => {}
        }
        let call = Call::new(operation, body, options);
        let policy = self.policy(operation, options, &url)?;
        let request = self.request(&url, &call, options)?;
        let api = &*self.api;
        let rebuild = || self.request(&url, &call, options);
        let span = lookup_span(self.base_url(), operation, args);
        if span.is_disabled() {
            #[cfg(feature = "opentelemetry")]
            let started = std::time::Instant::now();
            let result = transport::send(api.client(), request, policy, &rebuild)
                .await
                .and_then(RawResponse::from_exchange);
            #[cfg(feature = "opentelemetry")]
            crate::trace::record_duration(
                &ClientInfo::inner(api).metric_start,
                operation.method(),
                result.as_ref(),
                started.elapsed(),
            );
            return result;
        }
        let started = std::time::Instant::now();
        let result = transport::send(api.client(), request, policy, &rebuild)
            .instrument(span.clone())
            .await
            .and_then(RawResponse::from_exchange);
        let end = SpanEnd::new(
            self.base_url(),
            operation,
            result.as_ref(),
            started.elapsed(),
        );
        record(&span, &end.attributes);
        if end.error_type.is_some() {
            span.record("otel.status_code", "ERROR");
        }
        #[cfg(feature = "opentelemetry")]
        crate::trace::record_duration(
            &ClientInfo::inner(api).metric_start,
            operation.method(),
            result.as_ref(),
            end.duration,
        );
        result
    }

    /// [`Client::call_raw`] whose body is checked to be one JSON object.
    async fn call_json(
        &self,
        operation: Operation,
        args: &[Option<FlexibleId>],
        body: Option<&Body>,
        options: &RequestOptions,
    ) -> Result<RawResponse> {
        self.call_raw(operation, args, body, options)
            .await?
            .check_json_object()
    }

    /// The request for `url` with the client's headers, the call's and the
    /// trace context; built again for each retry rather than copied ahead
    /// of every first attempt.
    fn request(
        &self,
        url: &str,
        call: &Call,
        options: &RequestOptions,
    ) -> Result<reqwest::Request> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| Error::InvalidArgument(format!("could not build the request: {e}")))?;
        let mut request = reqwest::Request::new(call.method.clone(), parsed);
        let headers = request.headers_mut();
        *headers = ClientInfo::inner(&*self.api).request_headers.clone();
        if let Some(body) = call.body {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static("application/json"),
            );
            *request.body_mut() = Some(body.bytes().into());
        }
        let headers = request.headers_mut();
        if let Some(key) = &call.idempotency_key {
            headers.insert(crate::body::IDEMPOTENCY_KEY, key.clone());
        }
        for (name, value) in &options.extra_headers {
            headers.insert(name, value.clone());
        }
        if let Some(trace) = &options.trace {
            trace.apply(headers);
        } else {
            #[cfg(feature = "opentelemetry")]
            if let Some(trace) = TraceContext::from_opentelemetry() {
                trace.apply(headers);
            }
        }
        Ok(request)
    }

    fn policy<'a>(
        &'a self,
        lookup: Operation,
        options: &RequestOptions,
        url: &'a str,
    ) -> Result<Policy<'a>> {
        if options.timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::InvalidArgument(
                "timeout must be greater than zero".into(),
            ));
        }
        let inner = ClientInfo::inner(&*self.api);
        let log = inner.logger.as_ref().map(|l| {
            (
                &*l.sink as &dyn crate::LogSink,
                options.log_level.unwrap_or(l.level),
            )
        });
        Ok(Policy {
            max_retries: options.max_retries.unwrap_or(inner.max_retries),
            timeout: options.timeout.unwrap_or(inner.timeout),
            operation: lookup.operation_id(),
            url,
            throttle: inner.throttle.as_deref(),
            congestion: &inner.congestion,
            log,
        })
    }

    /// Runs many lookups with at most `concurrency` in flight and returns
    /// the results in input order; one failure never loses the others.
    /// `on_progress(done, total)` is called after each completes. Each
    /// success is a [`RawResponse`] whose body is checked to be a JSON
    /// object ([`RawResponse::decode`] makes it a model;
    /// [`Client::get_customers`] keeps only the customers). To keep
    /// many results small, each body is copied into its own allocation (a
    /// slice of the connection's read buffer would pin all of it) and the
    /// headers are dropped; the request id stays.
    pub async fn fetch_many_raw(
        &self,
        lookup: Operation,
        ids: Vec<FlexibleId>,
        concurrency: impl Into<Concurrency>,
        options: &RequestOptions,
        on_progress: impl FnMut(usize, usize),
    ) -> Vec<Result<RawResponse>> {
        let ids = ids.into_iter().map(|id| (id, None));
        self.fetch_many_traced(lookup, ids, concurrency, options, on_progress)
            .await
            .into_iter()
            .map(|(r, _)| r)
            .collect()
    }

    /// [`Client::call_raw`] with a binding's [`Bound`](crate::Bound)
    /// arguments, its body checked to be one JSON object; and with
    /// [`RequestOptions::trace`] set, what the caller's span of this call
    /// ends with.
    pub async fn call_traced(
        &self,
        operation: Operation,
        args: &crate::Bound,
        options: &RequestOptions,
    ) -> (Result<RawResponse>, Option<SpanEnd>) {
        let started = options.trace.as_ref().map(|_| std::time::Instant::now());
        let result = self
            .call_json(operation, &args.params, args.body.as_ref(), options)
            .await;
        let end =
            started.map(|s| SpanEnd::new(self.base_url(), operation, result.as_ref(), s.elapsed()));
        (result, end)
    }

    /// [`Client::call_traced`] for a caller whose decoder checks the body
    /// while it decodes it (Python's), so that the body is read once: no
    /// [`RawResponse::check_json_object`] first. `decode` must refuse what
    /// that check refuses ([`check_json_object`] gives its message); its
    /// error becomes [`Error::Decode`] with the response's status and body,
    /// and the span ends with it.
    pub async fn call_decoded<T>(
        &self,
        operation: Operation,
        args: &crate::Bound,
        options: &RequestOptions,
        decode: impl FnOnce(&[u8]) -> std::result::Result<T, String>,
    ) -> (Result<(RawResponse, T)>, Option<SpanEnd>) {
        let started = options.trace.as_ref().map(|_| std::time::Instant::now());
        let result = self
            .call_raw(operation, &args.params, args.body.as_ref(), options)
            .await
            .and_then(|raw| match decode(&raw.body) {
                Ok(value) => Ok((raw, value)),
                Err(message) => Err(raw.decode_error(message)),
            });
        let end = started.map(|s| {
            SpanEnd::new(
                self.base_url(),
                operation,
                result.as_ref().map(|(raw, _)| raw),
                s.elapsed(),
            )
        });
        (result, end)
    }

    /// [`Client::fetch_many_raw`] where each id may come with the trace
    /// context of its own span; each traced result comes with what that
    /// span ends with (at the lookup's own end, not the batch's). The
    /// results of [`Client::fetch_many_unordered`], put in input order.
    pub async fn fetch_many_traced<I>(
        &self,
        lookup: Operation,
        ids: I,
        concurrency: impl Into<Concurrency>,
        options: &RequestOptions,
        mut on_progress: impl FnMut(usize, usize),
    ) -> Vec<FeedResult>
    where
        I: IntoIterator<Item = (FlexibleId, Option<TraceContext>)>,
        I::IntoIter: ExactSizeIterator + Send + 'static,
    {
        let ids = ids.into_iter();
        let total = ids.len();
        let mut results: Vec<Option<FeedResult>> = (0..total).map(|_| None).collect();
        let mut done = self.fetch_many_unordered(lookup, ids, concurrency, options.clone());
        while let Some(r) = done.next().await {
            results[r.index] = Some(r.result);
            on_progress(r.done, total);
        }
        results
            .into_iter()
            .map(|r| r.expect("every index completes once"))
            .collect()
    }

    /// The bulk engine: each lookup's result as it completes, at most
    /// `concurrency` in flight, with its index in `ids` and how many are
    /// done; for a caller that handles results while the others run
    /// (Node's `getCustomers` turns each batch into objects on its own
    /// thread meanwhile).
    pub fn fetch_many_unordered<I>(
        &self,
        lookup: Operation,
        ids: I,
        concurrency: impl Into<Concurrency>,
        options: RequestOptions,
    ) -> impl Stream<Item = Completed> + Send + 'static
    where
        I: IntoIterator<Item = (FlexibleId, Option<TraceContext>)>,
        I::IntoIter: Send + 'static,
    {
        let calls = self
            .lookups(lookup, futures::stream::iter(ids), options)
            .enumerate()
            .map(|(index, call)| async move {
                let (_, result, end) = call.await;
                (index, (result, end))
            });
        let mut done = 0;
        crate::window::unordered(calls, concurrency.into()).map(move |(index, result)| {
            done += 1;
            Completed {
                index,
                done,
                result,
            }
        })
    }

    /// Each id's lookup, not yet started: the future a bulk call's window
    /// runs, which gives the id back with its result and span end.
    pub(crate) fn lookups<S>(
        &self,
        lookup: Operation,
        ids: S,
        options: RequestOptions,
    ) -> impl Stream<Item = impl Future<Output = (FlexibleId, Result<RawResponse>, Option<SpanEnd>)>>
           + Send
           + 'static
    where
        S: Stream<Item = (FlexibleId, Option<TraceContext>)> + Send + 'static,
    {
        let client = self.clone();
        ids.map(move |(id, trace)| {
            let (client, options) = (client.clone(), options.clone());
            async move { client.fetch_detached(lookup, id, trace, &options).await }
        })
    }

    /// One lookup of a bulk or stream: checked and detached, traced when a
    /// context is given; the id comes back with its outcome.
    async fn fetch_detached(
        &self,
        lookup: Operation,
        id: FlexibleId,
        trace: Option<TraceContext>,
        options: &RequestOptions,
    ) -> (FlexibleId, Result<RawResponse>, Option<SpanEnd>) {
        let Some(trace) = trace else {
            let mut args = [Some(id)];
            let r = self.call_json(lookup, &args, None, options).await;
            return (given_back(&mut args), r.map(RawResponse::detached), None);
        };
        let options = RequestOptions {
            trace: Some(trace),
            ..options.clone()
        };
        let mut args = crate::Bound {
            params: vec![Some(id)],
            body: None,
        };
        let (r, end) = self.call_traced(lookup, &args, &options).await;
        let id = given_back(&mut args.params);
        (id, r.map(RawResponse::detached), end)
    }

    /// Looks up many customers by id, `concurrency` at a time, in input order.
    pub async fn get_customers<I, T>(
        &self,
        ids: I,
        concurrency: impl Into<Concurrency>,
    ) -> Vec<Result<Customer>>
    where
        I: IntoIterator<Item = T>,
        T: Into<FlexibleId>,
    {
        let ids = ids.into_iter().map(Into::into).collect();
        let options = RequestOptions::default();
        // Only the customer is kept: a held body or header map would pin the
        // connection's whole read buffer.
        in_input_order(
            ids,
            concurrency,
            |_, _| {},
            |id| {
                let options = &options;
                async move {
                    Ok(self
                        .fetch(Operation::GetCustomerByCustomerId, id, options)
                        .await?
                        .customer)
                }
            },
        )
        .await
    }
}

/// Streaming lookups: ids are pulled lazily, at most `concurrency` requests
/// are in flight, and results come out in input order, so memory stays flat
/// whatever the number of ids. Dropping the stream cancels what is in flight.
impl Client {
    /// Looks up customers by id from any iterator.
    ///
    /// ```no_run
    /// # async fn run(client: enneo::Client) {
    /// use futures::{Stream, StreamExt};
    /// let mut customers = client.customer_stream(1..=1_000_000u64, 32);
    /// while let Some(result) = customers.next().await {
    ///     match result {
    ///         Ok(c) => println!("{:?}", c.id),
    ///         Err(e) => eprintln!("{e}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn customer_stream<I>(
        &self,
        ids: I,
        concurrency: impl Into<Concurrency>,
    ) -> impl Stream<Item = Result<Customer>> + Send + 'static
    where
        I: IntoIterator,
        I::IntoIter: Send + 'static,
        I::Item: Into<FlexibleId>,
    {
        self.customer_stream_from(futures::stream::iter(ids), concurrency)
    }

    /// [`Client::customer_stream`] over a `Stream` of ids.
    pub fn customer_stream_from<S>(
        &self,
        ids: S,
        concurrency: impl Into<Concurrency>,
    ) -> impl Stream<Item = Result<Customer>> + Send + 'static
    where
        S: Stream + Send + 'static,
        S::Item: Into<FlexibleId>,
    {
        let client = self.clone();
        let calls = ids.map(move |id| {
            let client = client.clone();
            let id = id.into();
            async move {
                let fetched = client
                    .fetch(
                        Operation::GetCustomerByCustomerId,
                        id,
                        &RequestOptions::default(),
                    )
                    .await?;
                Ok(fetched.customer)
            }
        });
        crate::window::ordered(calls, concurrency.into())
    }

    /// The undecoded form, for the language bindings: each success is a
    /// [`RawResponse::detached`] body checked to be a JSON object. An id
    /// may come with the trace context of its own span; its result then
    /// comes with what that span ends with.
    pub fn fetch_stream_raw<S>(
        &self,
        lookup: Operation,
        ids: S,
        concurrency: impl Into<Concurrency>,
        options: RequestOptions,
    ) -> impl Stream<Item = (Result<RawResponse>, Option<SpanEnd>)> + Send + 'static
    where
        S: Stream<Item = (FlexibleId, Option<TraceContext>)> + Send + 'static,
    {
        let calls = self.lookups(lookup, ids, options).map(|call| async move {
            let (_, result, end) = call.await;
            (result, end)
        });
        crate::window::ordered(calls, concurrency.into())
    }
}

/// The id a call was given as its one argument.
fn given_back(args: &mut [Option<FlexibleId>]) -> FlexibleId {
    let id = args.first_mut().and_then(Option::take);
    id.unwrap_or_else(|| FlexibleId::Text(String::new()))
}

/// One result of [`Client::fetch_many_unordered`].
#[derive(Debug)]
pub struct Completed {
    /// Its id's position in the input.
    pub index: usize,
    /// Lookups completed so far, this one included: the progress count.
    pub done: usize,
    /// The lookup's result, with its span's end when it was traced.
    pub result: FeedResult,
}

/// Runs `call` for every item, `concurrency` at a time, and puts each
/// result at its item's position.
async fn in_input_order<I, T, F, Fut>(
    items: Vec<I>,
    concurrency: impl Into<Concurrency>,
    mut on_progress: impl FnMut(usize, usize),
    call: F,
) -> Vec<T>
where
    F: Fn(I) -> Fut,
    Fut: Future<Output = T>,
{
    let total = items.len();
    let mut results: Vec<Option<T>> = (0..total).map(|_| None).collect();
    let call = &call;
    let stream = futures::stream::iter(items.into_iter().enumerate())
        .map(|(i, item)| async move { (i, call(item).await) });
    let mut stream = std::pin::pin!(crate::window::unordered(stream, concurrency.into()));
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

/// What one call sends besides its URL: the operation's method, its body,
/// and the key its retries share.
struct Call<'a> {
    method: reqwest::Method,
    body: Option<&'a Body>,
    /// Made for a POST or PATCH whose caller gave none, so that its
    /// retries may be sent (see [`crate::transport::send`]).
    idempotency_key: Option<reqwest::header::HeaderValue>,
}

impl<'a> Call<'a> {
    fn new(operation: Operation, body: Option<&'a Body>, options: &RequestOptions) -> Self {
        let method = operation.http_method();
        let idempotent = crate::body::idempotent(&method);
        let keyed = options
            .extra_headers
            .contains_key(crate::body::IDEMPOTENCY_KEY);
        let idempotency_key = (!idempotent && !keyed).then(|| {
            reqwest::header::HeaderValue::from_str(&crate::body::idempotency_key())
                .expect("a key is ASCII")
        });
        Call {
            method,
            body,
            idempotency_key,
        }
    }
}

/// The `tracing` span of one lookup, with the attribute names of
/// [`SpanStart`]; disabled, and nothing computed, without a subscriber
/// that wants it.
fn lookup_span(base_url: &str, operation: Operation, args: &[Option<FlexibleId>]) -> tracing::Span {
    // A span's name is fixed where it is declared: one declaration per
    // method the spec may use, named by it.
    let span = match operation.method() {
        "GET" => request_span!("GET", operation),
        "POST" => request_span!("POST", operation),
        "PUT" => request_span!("PUT", operation),
        "PATCH" => request_span!("PATCH", operation),
        "DELETE" => request_span!("DELETE", operation),
        _ => request_span!("HTTP", operation),
    };
    if !span.is_disabled() {
        if let Ok(start) = SpanStart::new(base_url, operation, args) {
            span.record("otel.name", start.name.as_str());
            record(&span, &start.attributes);
        }
    }
    span
}

/// The span of one request named `$name`, its attributes to be recorded.
macro_rules! request_span {
    ($name:literal, $operation:expr) => {
        tracing::info_span!(
            target: "enneo",
            $name,
            otel.name = tracing::field::Empty,
        otel.kind = "client",
        otel.status_code = tracing::field::Empty,
        operation = $operation.operation_id(),
        "http.request.method" = tracing::field::Empty,
        "server.address" = tracing::field::Empty,
        "server.port" = tracing::field::Empty,
        "url.full" = tracing::field::Empty,
        "http.route" = tracing::field::Empty,
        "http.response.status_code" = tracing::field::Empty,
        "http.request.resend_count" = tracing::field::Empty,
        "error.type" = tracing::field::Empty,
        )
    };
}
use request_span;

fn record(span: &tracing::Span, attributes: &[(&'static str, SpanValue)]) {
    for (name, value) in attributes {
        match value {
            SpanValue::Str(s) => span.record(*name, s.as_str()),
            SpanValue::Int(i) => span.record(*name, *i),
        };
    }
}

/// Rejects ids that cannot name a resource, before anything is sent.
pub fn validate_id(id: &FlexibleId) -> Result<()> {
    validate_arg("id", id)
}

/// [`validate_id`] for the argument `name`, which its message names.
pub(crate) fn validate_arg(name: &str, id: &FlexibleId) -> Result<()> {
    // An integer's digits are always a valid segment.
    if matches!(id, FlexibleId::Number(n) if n.is_i64() || n.is_u64()) {
        return Ok(());
    }
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
        Some(p) => Err(Error::InvalidArgument(format!("{name} {p}"))),
        None => Ok(()),
    }
}

/// A lookup of the id in `ENNEO_TEST_PANIC_ID` panics inside the core: the
/// bindings' suites set it in a child process to prove that a panic comes
/// out as an exception or a rejected Promise. A test hook kept out of every
/// public signature; unset, it costs one load of a once-read value.
fn panic_if_test_id(id: &FlexibleId) {
    static PANIC_ID: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(wanted) = PANIC_ID.get_or_init(|| std::env::var("ENNEO_TEST_PANIC_ID").ok()) {
        if *wanted == id.as_text() {
            panic!("deliberate panic for testing (ENNEO_TEST_PANIC_ID)");
        }
    }
}

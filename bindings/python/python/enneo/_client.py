"""`Client` and `AsyncClient`: thin, typed fronts over the native core."""

from __future__ import annotations

import asyncio
import collections
import importlib
import itertools
import os
import sys
import uuid
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Deque,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from . import _frame, _logging, _native, _tracing
from ._base import FlexibleId
from ._customer import Customer
from ._native import CustomersArrow
from ._exceptions import EnneoError, InvalidArgumentTypeError
from ._operations import AsyncOperations, AsyncRawOperations, RawOperations, SyncOperations
from ._response import RawResponse

__all__ = ["Client", "AsyncClient", "CustomerId", "RawResponses", "AsyncRawResponses", "RateLimitState"]


class RateLimitState(NamedTuple):
    """What a client learnt of the server's rate limit
    (:attr:`Client.rate_limit_state`)."""

    adaptive_rate: Optional[float]
    """Requests a second the client paces itself to; ``None`` while the
    server has not pushed back."""
    rate_limited: int
    """429 answers received, retries included."""
    held_for: Optional[float]
    """Seconds a ``Retry-After`` still holds every new request back."""

# What an id argument may be: the same int-or-str as the ids the API returns.
CustomerId = FlexibleId
"""A customer id as the lookups take it: an ``int`` or a ``str`` (see :class:`FlexibleId`)."""

# The core's names of the three lookups.
# Bulk, streaming and DataFrame calls look customers up by id.
_BY_CUSTOMER = "getCustomerByCustomerId"

HeaderMapping = Mapping[str, str]
"""Extra or default headers: a mapping of names to values."""

def _call(timeout: Any, max_retries: Any, extra_headers: Any) -> Tuple[Any, ...]:
    """Per-call options as the native calls take them (``enneo::CALL_OPTIONS``
    in its order; the core checks them), with the level the ``enneo`` logger
    is enabled for now."""
    return (timeout, max_retries, extra_headers, _logging.level())


def _iter_ids(ids: Iterable[CustomerId]) -> Iterator[CustomerId]:
    if isinstance(ids, (str, bytes)):
        raise InvalidArgumentTypeError("ids must be an iterable of ids, not a single str")
    try:
        return iter(ids)
    except TypeError:
        raise InvalidArgumentTypeError(f"ids must be an iterable of ids, not {type(ids).__name__}") from None


def _ids(ids: Iterable[CustomerId]) -> List[CustomerId]:
    return list(_iter_ids(ids))


def _wrap(item: Any) -> Union[Customer, EnneoError]:
    return Customer._from_json(item) if isinstance(item, bytes) else item


def _wrap_many(items: List[Any], otel: Optional[Any] = None, spans: Optional[List[Any]] = None) -> List[Union[Customer, EnneoError]]:
    if otel is None or spans is None:
        return [_wrap(x) for x in items]
    return [_wrap(otel.unpack(span, x)) for span, x in zip(spans, items)]


class _Feeder:
    """Keeps a stream fed from an iterator of ids, as far ahead as the core
    says (``room``), so the core never waits for Python while the ids are
    read only as results are taken."""

    def __init__(self, stream: Any, ids: Iterator[CustomerId], native: Any) -> None:
        self._stream, self._ids = stream, ids
        self._exhausted = False
        self._native = native
        # The tracer, when spans are on: one span per id fed, oldest first.
        self._otel = _tracing.active()
        self._spans: Deque[Optional[Any]] = collections.deque()

    def top_up(self) -> bool:
        """Queues more ids if there is room; False once every result was taken."""
        room = self._stream.room
        if not self._exhausted and room > 0:
            chunk = list(itertools.islice(self._ids, room))
            if chunk and self._otel is not None:
                spans, traces = self._otel.start_many(self._native, _BY_CUSTOMER, chunk)
                self._spans.extend(spans)
                self._stream.feed(chunk, traces)
            elif chunk:
                self._stream.feed(chunk)
            if len(chunk) < room:
                self._exhausted = True
                self._stream.finish()
        return bool(self._stream.pending)

    def taken(self, item: Any) -> Union[Customer, EnneoError]:
        """One result, in order: ends its span, and wraps it."""
        if self._otel is not None:
            item = self._otel.unpack(self._spans.popleft(), item)
        return _wrap(item)

    def close(self) -> None:
        """Stops the stream; the spans of lookups never taken end as aborted."""
        self._stream.close()
        while self._spans and self._otel is not None:
            self._otel.abandon(self._spans.popleft())


def _open_stream(native: Any, ids: Iterable[CustomerId], concurrency: Optional[int], call: Tuple[Any, ...]) -> Tuple[Any, _Feeder]:
    id_iter = _iter_ids(ids)
    stream = native.open_stream(_BY_CUSTOMER, concurrency, *call)
    return stream, _Feeder(stream, id_iter, native)


async def _await_native(on_asyncio: Callable[[], Awaitable[Any]], blocking: Callable[[], Any]) -> Any:
    """Runs a native call on the running asyncio loop; under any other async
    library (trio, through anyio) runs its blocking form on a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        return await on_asyncio()
    try:
        import anyio.to_thread
    except ImportError:
        raise EnneoError(
            "enneo.AsyncClient needs a running asyncio loop, or anyio for other async libraries: pip install anyio"
        ) from None
    # Cancelling abandons the thread; the Rust call ends within its timeout.
    return await anyio.to_thread.run_sync(blocking, abandon_on_cancel=True)


class _Progress:
    """A tqdm bar when tqdm is installed, else a plain line on stderr."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._bar: Any = None
        try:
            tqdm = importlib.import_module("tqdm.auto").tqdm
        except ImportError:
            return
        self._bar = tqdm(total=total, desc="customers", unit="lookup")

    def __call__(self, done: int, total: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
        else:
            end = "\n" if done == total else ""
            print(f"\rcustomers: {done}/{total}", end=end, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


_C = TypeVar("_C", bound="_Base")


# The clients unpickled in this process, by (process id, class, the pickled
# client's key): a Spark or Dask worker unpickles a task's client once per
# task, and each copy would otherwise open its own pool and keep its own rate
# limit. Keyed by process id, so a forked child never shares its parent's
# sockets. Kept for the process's life: a worker meets few distinct clients.
_UNPICKLED: Dict[Tuple[int, type, str], Any] = {}


def _rebuild(cls: Any, settings: Dict[str, Any], key: Optional[str] = None) -> Any:
    slot = None if key is None else (os.getpid(), cls, key)
    if slot is not None and slot in _UNPICKLED:
        return _UNPICKLED[slot]
    client = cls.__new__(cls)
    client._native = _native.NativeClient(**settings)
    if slot is not None:
        client._pickle_key = key
        _UNPICKLED[slot] = client
    return client


class _Base:
    _native: Any

    # --- settings: generated by make generate from enneo::SETTINGS ---
    def __init__(
        self,
        token: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        max_requests_per_second: Optional[float] = None,
        *,
        ca_cert: Union[None, str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]] = None,
        default_headers: Optional[HeaderMapping] = None,
        proxy: Optional[str] = None,
    ) -> None:
        """Every setting is optional and checked by the Rust core:

        ``token``: The bearer JWT. Default: `ENNEO_TOKEN`, else none.
        ``base_url``: The API root including `/api/mind`; there is no default
        host. Default: `ENNEO_BASE_URL`, else none: required.
        ``timeout``: Total time one attempt may take, body included. In
        seconds. Default: 60 s.
        ``connect_timeout``: Time to establish a connection. In seconds.
        Default: 10 s.
        ``max_retries``: Retries after the first attempt; 0 disables them.
        Default: 2.
        ``max_requests_per_second``: Caps the requests this client and those
        derived from it send per second, retries included; starts are spaced
        evenly, with no burst. Default: unlimited.
        ``ca_cert``: CA certificates to trust besides the system's (PEM text or
        a path to a PEM file), for TLS-inspecting proxies and private CAs.
        Default: `SSL_CERT_FILE`, else system roots.
        ``default_headers``: Headers sent with every request; `Authorization`,
        `User-Agent` and the framing headers are the client's and are refused.
        A derived client adds them to its parent's. Default: none.
        ``proxy``: Sends every request through this HTTP(S) proxy
        (`http://user:password@host:port`), instead of the one
        `HTTPS_PROXY`/`HTTP_PROXY` name. Default: `HTTPS_PROXY`, `HTTP_PROXY`
        or `ALL_PROXY` when set.
        """
        self._native = _native.NativeClient(
            token=token,
            base_url=base_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            max_requests_per_second=max_requests_per_second,
            ca_cert=ca_cert,
            default_headers=default_headers,
            proxy=proxy,
        )

    def with_options(
        self: _C,
        *,
        token: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        max_requests_per_second: Optional[float] = None,
        ca_cert: Union[None, str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]] = None,
        default_headers: Optional[HeaderMapping] = None,
        proxy: Optional[str] = None,
    ) -> _C:
        """A client with the given settings changed and the rest kept, that
        shares this client's connection pool (and rate limit, unless changed)::

            patient = client.with_options(timeout=120, max_retries=5)

        ``default_headers`` are added to this client's. A new
        ``connect_timeout``, ``ca_cert`` or ``proxy`` needs new connections, so
        the derived client then gets a pool of its own.
        """
        derived = type(self).__new__(type(self))
        derived._native = self._native.derive(
            token=token,
            base_url=base_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            max_requests_per_second=max_requests_per_second,
            ca_cert=ca_cert,
            default_headers=default_headers,
            proxy=proxy,
        )
        return derived
    # --- end of generated settings ---

    @property
    def base_url(self) -> str:
        """The API root requests go to."""
        return str(self._native.base_url)

    @property
    def rate_limit_state(self) -> RateLimitState:
        """What the client learnt of the server's rate limit, shared by the
        clients derived from it and by every thread, bulk run and stream:
        the sending rate it adapted to (``None`` while the server has not
        pushed back), the 429 answers it received, and how many seconds a
        ``Retry-After`` still holds new requests back."""
        rate, limited, held = self._native.rate_limit_state()
        return RateLimitState(adaptive_rate=rate, rate_limited=limited, held_for=held)

    def customers_arrow(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: Optional[int] = None,
        batch_size: Optional[int] = None,
        progress: bool = False,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> CustomersArrow:
        """Looks customers up by id into Arrow record batches, decoded in
        Rust with no Python object per value.

        The result has ``__arrow_c_stream__`` (the Arrow PyCapsule
        interface): ``pyarrow.table(r)``, ``polars.DataFrame(r)``,
        ``duckdb.sql("select * from r")`` read it without a copy, and
        pyarrow is not needed by enneo. The lookups start when it is read,
        ``concurrency`` at a time, and batches of ``batch_size`` rows
        (default 8192) come in input order while the rest run, so memory
        stays flat. It can be read once. Reading blocks; in async code,
        read it in a thread (``await asyncio.to_thread(pyarrow.table, r)``).

        Each row starts with ``_id`` (the id looked up) and ends with
        ``_error_code`` and ``_error_message``: a failed lookup is a row
        with its error. Ids and phone numbers are their exact text; every
        object has an ``_extra`` column with the JSON text of fields the
        spec does not name (and of values that do not fit their column).
        ``progress=True`` shows a bar (tqdm when installed) that moves as
        each batch arrives.
        """
        call = _call(timeout, max_retries, extra_headers)
        return self._arrow(_ids(ids), concurrency, batch_size, progress, call, None)

    def _bulk_start(self, ids: List[CustomerId], progress: bool) -> Tuple[Optional[Any], Optional[List[Any]], Optional[List[Any]], Optional["_Progress"]]:
        """What a bulk call starts with: a span per id when OpenTelemetry is
        set up (with the trace context each request carries), and the bar."""
        otel = _tracing.active()
        spans, traces = otel.start_many(self._native, _BY_CUSTOMER, ids) if otel else (None, None)
        return otel, spans, traces, (_Progress(len(ids)) if progress else None)

    def _arrow(
        self, ids: List[CustomerId], limit: Optional[int], batch_size: Optional[int], progress: bool, call: Any, frame: Optional[Tuple[bool, bool]]
    ) -> CustomersArrow:
        otel, spans, traces, bar = self._bulk_start(ids, progress)
        rows = otel.rows(spans) if otel else None
        return self._native.customers_arrow(ids, limit, batch_size, *call, bar, traces, rows, frame)

    def __repr__(self) -> str:
        token = "'***'" if self._native.has_token else "None"
        return f"enneo.{type(self).__name__}(base_url={self.base_url!r}, token={token})"

    def __reduce__(self) -> Any:
        # Rebuilt from its settings in the receiving process, with a pool of
        # its own, once per process however often it arrives (every task of
        # an executor shares it); the token travels in the pickle (keep
        # pickles private).
        key = self.__dict__.setdefault("_pickle_key", uuid.uuid4().hex)
        return (_rebuild, (type(self), self._native._settings(), key))


class Client(_Base, SyncOperations):
    """A blocking client of the Enneo customer API.

    ``token`` and ``base_url`` default to ``ENNEO_TOKEN`` and
    ``ENNEO_BASE_URL``; there is no default host, so a client with neither
    raises ``InvalidArgumentError``. Times are in seconds: ``timeout`` (per
    attempt, default 60), ``connect_timeout`` (default 10); ``max_retries``
    defaults to 2. ``ca_cert`` (PEM text or a path) adds a trusted CA, as
    ``SSL_CERT_FILE`` does; ``default_headers`` go with every request. The
    GIL is released while a request runs, and Ctrl-C interrupts it.

    Each lookup takes ``timeout``, ``max_retries`` and ``extra_headers`` for
    that call alone.
    """

    @property
    def with_raw_response(self) -> "RawResponses":
        """The same lookups, returning a :class:`RawResponse` (status,
        headers, request id, elapsed, retries) whose ``parse()`` gives the
        customer."""
        return RawResponses(self)

    def _call(self, operation: str, args: Tuple[Any, ...], model: Type[Any], timeout: Optional[float], max_retries: Optional[int], extra_headers: Optional[HeaderMapping]) -> Any:
        call, native, otel = _call(timeout, max_retries, extra_headers), self._native, _tracing.active()
        # The native call returns the decoded dict: it checks the body as it decodes it.
        if otel is None:
            return model(native.get(operation, args, *call))
        return model(otel.call(native, operation, args, lambda trace: native.get(operation, args, *call, False, trace)))

    def get_customer(
        self,
        customer_id: CustomerId,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> Customer:
        """``GET /customer/byCustomerId/{customerId}``: the same as
        :meth:`get_customer_by_customer_id`."""
        return self.get_customer_by_customer_id(customer_id, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers)

    def get_customers(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: Optional[int] = None,
        progress: bool = False,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> List[Union[Customer, EnneoError]]:
        """Looks up many customers, ``concurrency`` at a time (inside Rust).

        Returns a list in input order; each item is a :class:`Customer` or the
        exception for that id, so one failure never loses the others.
        ``concurrency`` defaults to 16, as in every enneo client, and unset it
        grows up to 256 while the answers keep their time (a long network
        path); a number you pass is a fixed cap.
        """
        ids = _ids(ids)
        limit, call = concurrency, _call(timeout, max_retries, extra_headers)
        otel, spans, traces, bar = self._bulk_start(ids, progress)
        try:
            items = self._native.get_many(_BY_CUSTOMER, ids, limit, *call, bar, traces)
        finally:
            if bar is not None:
                bar.close()
        return _wrap_many(items, otel, spans)

    def iter_customers(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: Optional[int] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> Iterator[Union[Customer, EnneoError]]:
        """Looks up customers lazily, in input order: yields a :class:`Customer`
        or the exception for each id, with at most ``concurrency`` requests in
        flight. ``ids`` may be any iterable, a generator included, and is read
        only as fast as results are taken, so memory stays flat for any
        number of ids. Leaving the loop early (``break``, an exception,
        Ctrl-C) stops the requests still in flight.
        """
        stream, feeder = _open_stream(self._native, ids, concurrency, _call(timeout, max_retries, extra_headers))
        try:
            while feeder.top_up():
                for item in stream.next_batch():
                    yield feeder.taken(item)
        finally:
            feeder.close()

    def customers_frame(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: Optional[int] = None,
        contracts: bool = True,
        nested: bool = False,
        backend: str = "pandas",
        progress: bool = False,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> Any:
        """Looks up customers into a DataFrame (``backend="pandas"`` or
        ``"polars"``): one row per customer, or per contract with its
        customer's columns when ``contracts`` is true (a customer without
        contracts keeps one row with empty contract columns).

        Columns: ``id`` (the id you passed), ``error`` (the message when that
        lookup failed, else empty; failures never raise), ``customer_<field>``
        and ``contract_<field>`` for each scalar field of the models
        (snake_case). With ``nested=True`` also the lists, objects and
        free-form values (``customer_tags``, ``contract_registers``, ...;
        free-form ones as JSON text) and ``customer_extra`` /
        ``contract_extra``, the JSON text of fields the spec does not name.
        Timestamps are UTC datetimes; money and prices are floats (the API
        sends JSON numbers, not decimals). Ids and phone numbers are their
        exact text, every digit the server sent ("0042" stays "0042"), in
        string columns.

        The lookups are decoded in Rust into Arrow batches (see
        :meth:`customers_arrow`), so memory holds the frame and a batch or
        two. The pandas backend needs pyarrow (``pip install
        enneo[pandas]``); polars does not.
        """
        modules = _frame.backend(backend)
        call = _call(timeout, max_retries, extra_headers)
        arrow = self._arrow(_ids(ids), concurrency, None, progress, call, (contracts, nested))
        return _frame.build(arrow, modules)

    def close(self) -> None:
        """Releases nothing today; kept so the client works with ``with``."""

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RawResponses(RawOperations):
    """``client.with_raw_response``: each operation returns a :class:`RawResponse`."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def _call(self, operation: str, args: Tuple[Any, ...], model: Type[Any], timeout: Optional[float], max_retries: Optional[int], extra_headers: Optional[HeaderMapping]) -> Any:
        call, native, otel = _call(timeout, max_retries, extra_headers), self._client._native, _tracing.active()
        if otel is None:
            return RawResponse(native.get(operation, args, *call, True), model)
        return RawResponse(otel.call(native, operation, args, lambda trace: native.get(operation, args, *call, True, trace)), model)

    def get_customer(
        self,
        customer_id: CustomerId,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> RawResponse[Customer]:
        """``GET /customer/byCustomerId/{customerId}``: the same as
        :meth:`get_customer_by_customer_id`."""
        return self.get_customer_by_customer_id(customer_id, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers)


class AsyncClient(_Base, AsyncOperations):
    """The async client; same arguments as :class:`Client`.

    Not bound to one event loop: it works under any running asyncio loop,
    one after another (``asyncio.run`` twice, Jupyter's loop, uvloop, or a
    loop without ``add_reader`` such as Windows' Proactor), and under trio
    through anyio.
    """

    @property
    def with_raw_response(self) -> "AsyncRawResponses":
        """The same lookups, returning a :class:`RawResponse`."""
        return AsyncRawResponses(self)

    async def _call(self, operation: str, args: Tuple[Any, ...], model: Type[Any], timeout: Optional[float], max_retries: Optional[int], extra_headers: Optional[HeaderMapping]) -> Any:
        call, native, otel = _call(timeout, max_retries, extra_headers), self._native, _tracing.active()

        def send(trace: _tracing.Trace) -> Awaitable[Any]:
            return _await_native(
                lambda: native.get_async(operation, args, *call, False, trace),
                lambda: native.get(operation, args, *call, False, trace),
            )

        body = await (send(None) if otel is None else otel.call_async(native, operation, args, send))
        # A dict from the blocking form (under trio), else the checked body, decoded on first use.
        return model(body) if isinstance(body, dict) else model._from_json(body)

    async def get_customer(
        self,
        customer_id: CustomerId,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> Customer:
        """``GET /customer/byCustomerId/{customerId}``: the same as
        :meth:`get_customer_by_customer_id`."""
        return await self.get_customer_by_customer_id(customer_id, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers)

    async def get_customers(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: Optional[int] = None,
        progress: bool = False,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> List[Union[Customer, EnneoError]]:
        """Awaitable :meth:`Client.get_customers`."""
        ids = _ids(ids)
        limit, call = concurrency, _call(timeout, max_retries, extra_headers)
        otel, spans, traces, bar = self._bulk_start(ids, progress)
        try:
            items = await _await_native(
                lambda: self._native.get_many_async(_BY_CUSTOMER, ids, limit, *call, bar, traces),
                lambda: self._native.get_many(_BY_CUSTOMER, ids, limit, *call, bar, traces),
            )
        finally:
            if bar is not None:
                bar.close()
        return _wrap_many(items, otel, spans)

    async def iter_customers(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: Optional[int] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> AsyncIterator[Union[Customer, EnneoError]]:
        """:meth:`Client.iter_customers` as an async generator. ``ids`` is a
        plain iterable, read as results are taken."""
        stream, feeder = _open_stream(self._native, ids, concurrency, _call(timeout, max_retries, extra_headers))
        try:
            while feeder.top_up():
                batch = await _await_native(stream.next_batch_async, stream.next_batch)
                for item in batch:
                    yield feeder.taken(item)
        finally:
            feeder.close()

    async def close(self) -> None:
        """Releases nothing today; kept so the client works with ``async with``."""

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AsyncRawResponses(AsyncRawOperations):
    """``async_client.with_raw_response``: each operation returns a :class:`RawResponse`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def _call(self, operation: str, args: Tuple[Any, ...], model: Type[Any], timeout: Optional[float], max_retries: Optional[int], extra_headers: Optional[HeaderMapping]) -> Any:
        call, native, otel = _call(timeout, max_retries, extra_headers), self._client._native, _tracing.active()

        def send(trace: _tracing.Trace) -> Awaitable[Any]:
            return _await_native(
                lambda: native.get_async(operation, args, *call, True, trace),
                lambda: native.get(operation, args, *call, True, trace),
            )

        raw = await (send(None) if otel is None else otel.call_async(native, operation, args, send))
        return RawResponse(raw, model)

    async def get_customer(
        self,
        customer_id: CustomerId,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[HeaderMapping] = None,
    ) -> RawResponse[Customer]:
        """``GET /customer/byCustomerId/{customerId}``: the same as
        :meth:`get_customer_by_customer_id`."""
        return await self.get_customer_by_customer_id(customer_id, timeout=timeout, max_retries=max_retries, extra_headers=extra_headers)

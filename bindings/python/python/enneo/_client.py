"""`Client` and `AsyncClient`: thin, typed fronts over the native core."""

from __future__ import annotations

import asyncio
import importlib
import itertools
import sys
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Iterator, List, Optional, Tuple, Union

from . import _frame, _native
from ._base import FlexibleId
from ._customer import Customer
from ._exceptions import EnneoError

__all__ = ["Client", "AsyncClient", "CustomerId"]

# What an id argument may be: the same int-or-str as the ids the API returns.
CustomerId = FlexibleId

_BY_CUSTOMER, _BY_CONTRACT, _BY_TICKET = 0, 1, 2
_USER_AGENT = f"enneo-python/{_native.__version__}"


def _native_client(
    token: Optional[str],
    base_url: Optional[str],
    timeout: float,
    connect_timeout: float,
    max_retries: int,
    max_requests_per_second: Optional[float],
) -> Any:
    if token is not None and not isinstance(token, str):
        raise TypeError(f"token must be a str, not {type(token).__name__}")
    if base_url is not None and not isinstance(base_url, str):
        raise TypeError(f"base_url must be a str, not {type(base_url).__name__}")
    for name, value in (("timeout", timeout), ("connect_timeout", connect_timeout)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError(f"max_retries must be an int, not {type(max_retries).__name__}")
    if max_retries < 0:
        raise ValueError("max_retries must be 0 or more")
    if max_requests_per_second is not None and (
        isinstance(max_requests_per_second, bool) or not isinstance(max_requests_per_second, (int, float))
    ):
        raise TypeError(f"max_requests_per_second must be a number, not {type(max_requests_per_second).__name__}")
    rate = None if max_requests_per_second is None else float(max_requests_per_second)
    return _native.NativeClient(token, base_url, float(timeout), float(connect_timeout), max_retries, _USER_AGENT, rate)


def _check_timeout(timeout: Optional[float]) -> Optional[float]:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
    return float(timeout)


def _check_concurrency(concurrency: int) -> int:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int):
        raise TypeError(f"concurrency must be an int, not {type(concurrency).__name__}")
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    return concurrency


def _ids(ids: Iterable[CustomerId]) -> List[CustomerId]:
    if isinstance(ids, (str, bytes)):
        raise TypeError("ids must be an iterable of ids, not a single str")
    return list(ids)


def _wrap(item: Any) -> Union[Customer, EnneoError]:
    return Customer._from_json(item) if isinstance(item, bytes) else item  # type: ignore[no-any-return]


def _wrap_many(items: List[Any]) -> List[Union[Customer, EnneoError]]:
    return [_wrap(x) for x in items]


class _Feeder:
    """Keeps a stream fed from an iterator of ids: up to two windows of ids
    queued or in flight, so the core never waits for Python, while the ids
    are read only as results are taken."""

    def __init__(self, stream: Any, ids: Iterator[CustomerId], concurrency: int) -> None:
        self._stream, self._ids, self._window = stream, ids, 2 * concurrency
        self._pending = 0
        self._exhausted = False

    def top_up(self) -> bool:
        """Queues more ids if there is room; False once every result was taken."""
        room = self._window - self._pending
        if not self._exhausted and room > 0:
            chunk = list(itertools.islice(self._ids, room))
            if chunk:
                self._stream.feed(chunk)
                self._pending += len(chunk)
            if len(chunk) < room:
                self._exhausted = True
                self._stream.finish()
        return self._pending > 0

    def taken(self) -> None:
        self._pending -= 1


def _open_stream(native: Any, ids: Iterable[CustomerId], concurrency: int, timeout: Optional[float]) -> Tuple[Any, _Feeder]:
    if isinstance(ids, (str, bytes)):
        raise TypeError("ids must be an iterable of ids, not a single str")
    limit = _check_concurrency(concurrency)
    stream = native.open_stream(_BY_CUSTOMER, limit, _check_timeout(timeout))
    return stream, _Feeder(stream, iter(ids), limit)


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
        raise RuntimeError(
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


class _Base:
    _native: Any

    def __init__(
        self,
        token: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        max_requests_per_second: Optional[float] = None,
    ) -> None:
        self._native = _native_client(token, base_url, timeout, connect_timeout, max_retries, max_requests_per_second)

    @property
    def base_url(self) -> str:
        """The API root requests go to."""
        return str(self._native.base_url)

    def __repr__(self) -> str:
        token = "'***'" if self._native.has_token else "None"
        return f"enneo.{type(self).__name__}(base_url={self.base_url!r}, token={token})"

    def __reduce__(self) -> Any:
        # Rebuilt from its settings in the receiving process, with a pool of
        # its own; the token travels in the pickle (keep pickles private).
        token, base_url, timeout, connect_timeout, max_retries, rate = self._native._settings()
        return (type(self), (token, base_url, timeout, connect_timeout, max_retries, rate))


class Client(_Base):
    """A blocking client of the Enneo customer API.

    ``token`` and ``base_url`` default to ``ENNEO_TOKEN`` and
    ``ENNEO_BASE_URL``; there is no default host, so a client with neither
    raises ``InvalidArgumentError``. Times are in seconds. The GIL is released while a
    request runs, and Ctrl-C interrupts it.
    """

    def get_customer(self, customer_id: CustomerId, *, timeout: Optional[float] = None) -> Customer:
        """``GET /customer/byCustomerId/{customer_id}``."""
        return Customer._from_json(self._native.get(_BY_CUSTOMER, customer_id, _check_timeout(timeout)))

    def get_customer_by_contract_id(self, contract_id: CustomerId, *, timeout: Optional[float] = None) -> Customer:
        """``GET /customer/byContractId/{contract_id}``."""
        return Customer._from_json(self._native.get(_BY_CONTRACT, contract_id, _check_timeout(timeout)))

    def get_customer_by_ticket_id(self, ticket_id: CustomerId, *, timeout: Optional[float] = None) -> Customer:
        """``GET /customer/byTicketId/{ticket_id}``."""
        return Customer._from_json(self._native.get(_BY_TICKET, ticket_id, _check_timeout(timeout)))

    def get_customers(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: int = 16,
        progress: bool = False,
        timeout: Optional[float] = None,
    ) -> List[Union[Customer, EnneoError]]:
        """Looks up many customers, ``concurrency`` at a time (inside Rust).

        Returns a list in input order; each item is a :class:`Customer` or the
        exception for that id, so one failure never loses the others.
        """
        ids = _ids(ids)
        bar = _Progress(len(ids)) if progress else None
        try:
            items = self._native.get_many(_BY_CUSTOMER, ids, _check_concurrency(concurrency), _check_timeout(timeout), bar)
        finally:
            if bar is not None:
                bar.close()
        return _wrap_many(items)

    def iter_customers(
        self, ids: Iterable[CustomerId], *, concurrency: int = 32, timeout: Optional[float] = None
    ) -> Iterator[Union[Customer, EnneoError]]:
        """Looks up customers lazily, in input order: yields a :class:`Customer`
        or the exception for each id, with at most ``concurrency`` requests in
        flight. ``ids`` may be any iterable, a generator included, and is read
        only as fast as results are taken, so memory stays flat for any
        number of ids. Leaving the loop early (``break``, an exception,
        Ctrl-C) stops the requests still in flight.
        """
        stream, feeder = _open_stream(self._native, ids, concurrency, timeout)
        try:
            while feeder.top_up():
                for item in stream.next_batch():
                    feeder.taken()
                    yield _wrap(item)
        finally:
            stream.close()

    def customers_frame(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: int = 32,
        contracts: bool = True,
        backend: str = "pandas",
    ) -> Any:
        """Looks up customers into a DataFrame (``backend="pandas"`` or
        ``"polars"``): one row per customer, or per contract with its
        customer's columns when ``contracts`` is true (a customer without
        contracts keeps one row with empty contract columns).

        Columns: ``id`` (the id you passed), ``error`` (the message when that
        lookup failed, else empty; failures never raise), ``customer_<field>``
        and ``contract_<field>`` for each scalar field of the models
        (snake_case). Timestamps are UTC datetimes; money and prices are
        floats (the API sends JSON numbers, not decimals). Ids and phone
        numbers keep the exact value the server sent: int or str in pandas
        (object columns), their exact text in polars (String columns).
        Streams the lookups, so memory holds only the rows.
        """
        return _frame.customers_frame(self, ids, concurrency, contracts, backend)

    def close(self) -> None:
        """Releases nothing today; kept so the client works with ``with``."""

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Base):
    """The async client; same arguments as :class:`Client`.

    Not bound to one event loop: it works under any running asyncio loop,
    one after another (``asyncio.run`` twice, Jupyter's loop, uvloop, or a
    loop without ``add_reader`` such as Windows' Proactor), and under trio
    through anyio.
    """

    async def _get(self, lookup: int, id_: CustomerId, timeout: Optional[float]) -> Customer:
        seconds = _check_timeout(timeout)
        return Customer._from_json(
            await _await_native(
                lambda: self._native.get_async(lookup, id_, seconds),
                lambda: self._native.get(lookup, id_, seconds),
            )
        )

    async def get_customer(self, customer_id: CustomerId, *, timeout: Optional[float] = None) -> Customer:
        """``GET /customer/byCustomerId/{customer_id}``."""
        return await self._get(_BY_CUSTOMER, customer_id, timeout)

    async def get_customer_by_contract_id(self, contract_id: CustomerId, *, timeout: Optional[float] = None) -> Customer:
        """``GET /customer/byContractId/{contract_id}``."""
        return await self._get(_BY_CONTRACT, contract_id, timeout)

    async def get_customer_by_ticket_id(self, ticket_id: CustomerId, *, timeout: Optional[float] = None) -> Customer:
        """``GET /customer/byTicketId/{ticket_id}``."""
        return await self._get(_BY_TICKET, ticket_id, timeout)

    async def get_customers(
        self,
        ids: Iterable[CustomerId],
        *,
        concurrency: int = 16,
        progress: bool = False,
        timeout: Optional[float] = None,
    ) -> List[Union[Customer, EnneoError]]:
        """Awaitable :meth:`Client.get_customers`."""
        ids = _ids(ids)
        limit, seconds = _check_concurrency(concurrency), _check_timeout(timeout)
        bar = _Progress(len(ids)) if progress else None
        try:
            items = await _await_native(
                lambda: self._native.get_many_async(_BY_CUSTOMER, ids, limit, seconds, bar),
                lambda: self._native.get_many(_BY_CUSTOMER, ids, limit, seconds, bar),
            )
        finally:
            if bar is not None:
                bar.close()
        return _wrap_many(items)

    async def iter_customers(
        self, ids: Iterable[CustomerId], *, concurrency: int = 32, timeout: Optional[float] = None
    ) -> AsyncIterator[Union[Customer, EnneoError]]:
        """:meth:`Client.iter_customers` as an async generator. ``ids`` is a
        plain iterable, read as results are taken."""
        stream, feeder = _open_stream(self._native, ids, concurrency, timeout)
        try:
            while feeder.top_up():
                batch = await _await_native(stream.next_batch_async, stream.next_batch)
                for item in batch:
                    feeder.taken()
                    yield _wrap(item)
        finally:
            stream.close()

    async def close(self) -> None:
        """Releases nothing today; kept so the client works with ``async with``."""

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()



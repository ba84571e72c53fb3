"""Test your code that calls Enneo, with the mock server built into enneo.

enneo's requests are made in Rust, so respx, pytest-httpx, vcrpy and
responses cannot see them. Run the mock instead, in-process::

    from enneo.testing import MockServer

    def test_greeting():
        with MockServer(customers=[{"id": 7, "firstname": "Ada"}], token="t") as server:
            client = enneo.Client(base_url=server.base_url, token=server.token)
            assert greeting(client, 7) == "Hello, Ada!"
            assert server.requests()[0]["headers"]["authorization"] == "Bearer t"

With pytest, the ``enneo_mock`` fixture gives a fresh server per test (no
customers: any id gets the spec's example customer); ``enneo_client`` gives
a client pointed at it.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _native
from ._exceptions import InvalidArgumentError, InvalidArgumentTypeError

__all__ = ["MockServer"]


class MockServer:
    """The Enneo API mock on 127.0.0.1, in this process.

    - ``customers``: customer objects as the API sends them (dicts with
      camelCase keys, or JSON text). Each is found by its ``id`` and by each
      ``contracts[].id``; any other id gets 404. With none given, every id
      gets the spec's example customer.
    - ``token``: when set, requests must carry ``Authorization: Bearer <token>``
      (else 401).
    - ``tls_cert`` / ``tls_key``: PEM paths or text; serve HTTPS.
    - ``rate_limit``: requests a second the API allows, as a token bucket
      with ``rate_burst`` tokens (default: a twentieth of a second's worth);
      beyond it, 429 with ``Retry-After``. ``rate_limit_headers=True`` also
      announces the limit in a ``RateLimit-Policy`` header. :meth:`stats`
      counts the requests and the 429s.

    Faults: point a client at :meth:`fault_base_url`, such as
    ``server.fault_base_url("status=503;fail-first=1")`` (one 503, then
    success), ``"delay=2000"``, ``"malformed"``, ``"truncate"``, ``"drop"``,
    ``"status=429;retry-after=1"``.
    """

    def __init__(
        self,
        customers: Optional[Iterable[Union[Dict[str, Any], str, bytes]]] = None,
        *,
        token: Optional[str] = None,
        port: int = 0,
        tls_cert: Optional[Union[str, "os.PathLike[str]"]] = None,
        tls_key: Optional[Union[str, "os.PathLike[str]"]] = None,
        rate_limit: Optional[float] = None,
        rate_burst: Optional[int] = None,
        rate_limit_headers: bool = False,
    ) -> None:
        bodies = [_body(c) for c in customers or ()]
        self._native = _native.NativeMock(
            bodies, token, port, _pem(tls_cert), _pem(tls_key), rate_limit, rate_burst, rate_limit_headers
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/api/mind``: the ``base_url`` for clients."""
        return str(self._native.base_url)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return str(self._native.url)

    @property
    def token(self) -> Optional[str]:
        """The token requests must carry, when one was set."""
        return self._native.token

    def fault_base_url(self, spec: str) -> str:
        """A base URL whose every request gets the fault ``spec``."""
        return str(self._native.fault_base_url(spec))

    def requests(self) -> List[Dict[str, Any]]:
        """The requests received, oldest first: ``{"method", "path",
        "headers", "received_ms", "body"}``, with header names in lowercase,
        ``received_ms`` the arrival of the head on a monotonic clock in
        milliseconds, and ``body`` the request body as text (``None``
        without one)."""
        return self._native.requests()

    def stats(self) -> Dict[str, int]:
        """``{"requests": N, "rate_limited": M}``: the API requests received
        (all of them, where :meth:`requests` keeps the last 10 000), and how
        many the rate limit refused with 429."""
        requests, rate_limited = self._native.stats()
        return {"requests": requests, "rate_limited": rate_limited}

    def clear_requests(self) -> None:
        """Forgets the requests received so far and resets :meth:`stats`."""
        self._native.clear_requests()

    def close(self) -> None:
        """Stops the server."""
        self._native.close()

    def __enter__(self) -> "MockServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<enneo.testing.MockServer {self.base_url}>"


def _body(customer: Union[Dict[str, Any], str, bytes]) -> bytes:
    if isinstance(customer, bytes):
        return customer
    if isinstance(customer, str):
        return customer.encode()
    if isinstance(customer, dict):
        # json.dumps keeps every digit of Python ints.
        return json.dumps(customer).encode()
    raise InvalidArgumentTypeError(f"a customer must be a dict or JSON text, not {type(customer).__name__}")


def _pem(source: Optional[Union[str, "os.PathLike[str]"]]) -> Optional[bytes]:
    if source is None:
        return None
    text = os.fspath(source)
    if "-----BEGIN" in text:
        return text.encode()
    try:
        with open(text, "rb") as f:
            return f.read()
    except OSError as e:
        raise InvalidArgumentError(f"cannot read the PEM file {text!r}: {e.strerror}") from None

"""`RawResponse`: a lookup's HTTP response, for ``client.with_raw_response``."""

from __future__ import annotations

import datetime
from typing import Any, Dict, Generic, Iterator, List, Mapping, Optional, Tuple, Type, TypeVar

from . import _native

_M = TypeVar("_M")

__all__ = ["Headers", "RawResponse"]


class Headers(Mapping[str, str]):
    """Response headers; names are case-insensitive, and a repeated header's
    values are joined with ", " (``get_list`` gives them apart)."""

    __slots__ = ("_items",)

    def __init__(self, items: List[Tuple[str, str]]) -> None:
        self._items = [(k.lower(), v) for k, v in items]

    def get_list(self, name: str) -> List[str]:
        """Every value of header ``name``, in the order received (``[]`` when absent)."""
        key = name.lower()
        return [v for k, v in self._items if k == key]

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(k for k, _ in self._items))

    def __len__(self) -> int:
        return len(dict.fromkeys(k for k, _ in self._items))

    def __repr__(self) -> str:
        return f"Headers({dict(self)!r})"


class RawResponse(Generic[_M]):
    """The response of one operation: status, headers, request id, timing
    and retries, with the body still undecoded; :meth:`parse` gives the
    operation's model (a :class:`Customer` for the customer lookups)."""

    __slots__ = ("content", "status_code", "headers", "request_id", "retries_taken", "elapsed", "_model")

    def __init__(self, native: Tuple[bytes, int, List[Tuple[str, str]], int, Optional[str], float], model: Type[_M]) -> None:
        body, status, headers, retries_taken, request_id, elapsed = native
        self.content: bytes = body
        """The body exactly as received."""
        self.status_code: int = status
        """The HTTP status (2xx: an error status raises instead)."""
        self.headers: Headers = Headers(headers)
        """The response headers, case-insensitive."""
        self.request_id: Optional[str] = request_id
        """The server's ``x-request-id``, to quote in a support request."""
        self.retries_taken: int = retries_taken
        """How many times the request was sent again (0: the first attempt answered)."""
        self.elapsed: datetime.timedelta = datetime.timedelta(seconds=elapsed)
        """From the first attempt's start to the end of the body."""
        self._model = model

    def parse(self) -> _M:
        """The body as the operation's model."""
        parsed: _M = self._model._from_json(self.content)  # type: ignore[attr-defined]
        return parsed

    def json(self) -> Dict[str, Any]:
        """The body as plain JSON data, every number exact."""
        data: Dict[str, Any] = _native.loads(self.content)
        return data

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] request_id={self.request_id!r}>"

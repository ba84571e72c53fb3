"""The model base class and the value types that ids and phones decode to."""

from __future__ import annotations

import copy
import datetime
import re
import uuid
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Dict, List, Optional, Tuple, Type, TypeVar, Union

from . import _native
from ._exceptions import InvalidArgumentTypeError

__all__ = ["FlexibleId", "Phone", "Model", "same_id"]

_M = TypeVar("_M", bound="Model")
_UTC = datetime.timezone.utc


FlexibleId = Union[int, str]
"""An id exactly as the server sent it: an ``int`` or a ``str``.

Plain values keep Python's contract that ``a == b`` implies ``hash(a) ==
hash(b)``, so ids work as dict keys, set members and pandas index values.
The API treats ``123`` and ``"123"`` as the same id; compare across the two
forms with :func:`same_id`.
"""

Phone = Union[int, str]
"""A phone number exactly as the server sent it (``49123456789`` or
``"+49190332332"``)."""


def same_id(a: Optional[FlexibleId], b: Optional[FlexibleId]) -> bool:
    """Whether two ids name the same resource: ``same_id(123, "123")`` is
    True, ``same_id("007", 7)`` is False (the text must match exactly)."""
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return False
    return str(a) == str(b)


def _float(v: Any) -> Optional[float]:
    if v is None:
        return None
    try:
        return float(v)
    except OverflowError:
        # An integer beyond float's range: the nearest float is infinity
        # (to_dict() keeps the exact value).
        return float("inf") if v > 0 else float("-inf")


def _ts(v: Any) -> Optional[datetime.datetime]:
    """A Unix timestamp as a UTC datetime; None when datetime cannot hold it
    (years outside 1 to 9999), since the attribute must not raise on data
    the spec allows (any int64). to_dict() keeps the number as sent."""
    if v is None:
        return None
    try:
        return datetime.datetime.fromtimestamp(v, tz=_UTC)
    except (OverflowError, OSError, ValueError):
        return None


# RFC 3339's date-time, which `fromisoformat` reads only from Python 3.11 on
# in full (a `Z`, a fraction of other than 3 or 6 digits).
_DATETIME = re.compile(r"(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d:\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:?\d\d)?$")


def _datetime(v: Any) -> Optional[datetime.datetime]:
    """A ``format: date-time`` string as a datetime, with its offset (naive
    when the text has none); fractions beyond microseconds are cut. None
    when the text is not one: the attribute must not raise on what a server
    sends, and to_dict() keeps the text as sent."""
    m = _DATETIME.match(v) if isinstance(v, str) else None
    if m is None:
        return None
    date, time, fraction, offset = m.groups()
    text = f"{date}T{time}"
    if fraction:
        text += "." + (fraction + "000000")[:6]
    if offset:
        text += "+00:00" if offset in "Zz" else offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def _date(v: Any) -> Optional[datetime.date]:
    """A ``format: date`` string as a date; None when it is not one."""
    try:
        return datetime.date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 else None
    except ValueError:
        return None


def _uuid(v: Any) -> Optional[uuid.UUID]:
    """A ``format: uuid`` string as a UUID; None when it is not one."""
    try:
        return uuid.UUID(v) if isinstance(v, str) else None
    except ValueError:
        return None


def _list_of(convert: Callable[[Any], Any]) -> Callable[[Any], Optional[List[Any]]]:
    """A converter of each item of a JSON array."""
    return lambda raw: [convert(x) for x in raw] if isinstance(raw, list) else None


def _map_of(convert: Callable[[Any], Any]) -> Callable[[Any], Optional[Dict[str, Any]]]:
    """A converter of each value of a JSON object."""
    return lambda raw: {k: convert(x) for k, x in raw.items()} if isinstance(raw, dict) else None


class Model:
    """A read-only view over one JSON object of the API.

    Attributes are snake_case; ``to_dict()`` gives back the JSON exactly as
    the server sent it, camelCase keys and unknown fields included.
    """

    __slots__ = ("_data", "_cache", "_json")
    _fields: ClassVar[Tuple[Tuple[str, str], ...]] = ()
    _data: Dict[str, Any]
    _cache: Dict[str, Any]
    _json: Optional[bytes]

    def __init__(self, data: Dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise InvalidArgumentTypeError(f"{type(self).__name__} expects a dict, not {type(data).__name__}")
        self._data = data
        self._cache = {}

    @classmethod
    def _from_json(cls: Type[_M], body: bytes) -> _M:
        """A model over a response body that the core has checked to be a
        JSON object. The body is decoded on first use: a bulk result holds
        about 1.5 KB per customer until then instead of about 8 KB of dicts."""
        self = cls.__new__(cls)
        self._json = body
        return self

    # Hidden from type checkers, which would otherwise accept any attribute.
    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Reached only for an unset slot, so a decoded model pays nothing.
            if name == "_data":
                # Like json.loads (every digit kept), about three times faster.
                data: Dict[str, Any] = _native.loads(self._json or b"null")
                self._data = data
                self._json = None
                return data
            if name == "_cache":
                self._cache = {}
                return self._cache
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def from_dict(cls: Type[_M], data: Dict[str, Any]) -> _M:
        """Builds the model from the API's JSON shape (camelCase keys)."""
        return cls(data)

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object as the server sent it (a deep copy)."""
        return copy.deepcopy(self._data)

    @property
    def extra(self) -> Dict[str, Any]:
        """Fields the server sent that the spec does not name."""
        known = {j for _, j in self._fields}
        return {k: v for k, v in self._data.items() if k not in known}

    def _one(self, key: str, cls: Type[_M]) -> Optional[_M]:
        try:
            return self._cache[key]  # type: ignore[no-any-return]
        except KeyError:
            raw = self._data.get(key)
            value = cls(raw) if isinstance(raw, dict) else None
            self._cache[key] = value
            return value

    def _converted(self, key: str, convert: Callable[[Any], Any]) -> Any:
        try:
            return self._cache[key]
        except KeyError:
            value = convert(self._data.get(key))
            self._cache[key] = value
            return value

    def _many(self, key: str, cls: Type[_M]) -> Optional[List[_M]]:
        try:
            return self._cache[key]  # type: ignore[no-any-return]
        except KeyError:
            raw = self._data.get(key)
            value = [cls(x) for x in raw if isinstance(x, dict)] if isinstance(raw, list) else None
            self._cache[key] = value
            return value

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._data == other._data  # type: ignore[attr-defined, no-any-return]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = []
        for name, key in self._fields:
            value = self._data.get(key)
            if value is None or value == [] or value == {}:
                continue
            shown = getattr(self, name)
            if isinstance(shown, list):
                parts.append(f"{name}=[{len(shown)} {type(shown[0]).__name__ if shown else 'item'}(s)]")
            else:
                parts.append(f"{name}={shown!r}")
        if self.extra:
            parts.append(f"extra={sorted(self.extra)!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any]]]:
        return (type(self), (self._data,))

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | {n for n, _ in self._fields})

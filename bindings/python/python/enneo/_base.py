"""The model base class and the value types that ids and phones decode to."""

from __future__ import annotations

import copy
import datetime
from typing import Any, ClassVar, Dict, List, Optional, Tuple, Type, TypeVar, Union

__all__ = ["FlexibleId", "Phone", "Model"]

_M = TypeVar("_M", bound="Model")
_UTC = datetime.timezone.utc


class _TextValue(str):
    """A ``str`` that remembers whether the server sent a number or a string.

    It compares equal to the int or str of the same text, so ``c.id == 83771``
    and ``c.id == "83771"`` both hold, and ``raw`` gives back the JSON value
    as sent (leading zeros and ``+`` intact).
    """

    __slots__ = ("_raw",)
    _raw: Union[int, str]

    def __new__(cls, raw: Union[int, str]) -> "_TextValue":
        self = super().__new__(cls, str(raw))
        self._raw = raw
        return self

    @property
    def raw(self) -> Union[int, str]:
        """The value exactly as the server sent it."""
        return self._raw

    def __eq__(self, other: object) -> bool:
        if isinstance(other, int) and not isinstance(other, bool):
            return str.__eq__(self, str(other))
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__

    def __repr__(self) -> str:
        return repr(self._raw)

    def __reduce__(self) -> Tuple[Any, Tuple[Union[int, str]]]:
        return (type(self), (self._raw,))


class FlexibleId(_TextValue):
    """An id sent as an integer or a string; see :class:`_TextValue`."""

    __slots__ = ()


class Phone(_TextValue):
    """A phone number sent as an integer or a string, kept exactly."""

    __slots__ = ()


def _flex(v: Any) -> Optional[FlexibleId]:
    return None if v is None else FlexibleId(v)


def _phone(v: Any) -> Optional[Phone]:
    return None if v is None else Phone(v)


def _float(v: Any) -> Optional[float]:
    return None if v is None else float(v)


def _ts(v: Any) -> Optional[datetime.datetime]:
    return None if v is None else datetime.datetime.fromtimestamp(v, tz=_UTC)


class Model:
    """A read-only view over one JSON object of the API.

    Attributes are snake_case; ``to_dict()`` gives back the JSON exactly as
    the server sent it, camelCase keys and unknown fields included.
    """

    __slots__ = ("_data", "_cache")
    _fields: ClassVar[Tuple[Tuple[str, str], ...]] = ()

    def __init__(self, data: Dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"{type(self).__name__} expects a dict, not {type(data).__name__}")
        self._data = data
        self._cache: Dict[str, Any] = {}

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

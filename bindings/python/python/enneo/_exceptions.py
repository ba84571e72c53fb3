"""The exception hierarchy. Every class pickles with its attributes intact."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type

__all__ = [
    "EnneoError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APIConnectionError",
    "APITimeoutError",
    "DecodeError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
]


class EnneoError(Exception):
    """Base class of every error the SDK raises or returns, so that
    ``except enneo.EnneoError`` catches them all. A bad value raises
    :class:`InvalidArgumentError` (also a ``ValueError``), an argument of the
    wrong type :class:`InvalidArgumentTypeError` (also a ``TypeError``)."""

    code: str = "enneo_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: Type["EnneoError"], state: Dict[str, Any]) -> "EnneoError":
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message", ""))
    err.__dict__.update(state)
    return err


class APIStatusError(EnneoError):
    """The server answered with an error status."""

    code = "api_status_error"

    def __init__(self, message: str, *, status_code: int, body: Optional[bytes] = None, request_id: Optional[str] = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.request_id = request_id

    @property
    def text(self) -> str:
        """The response body decoded as UTF-8."""
        return (self.body or b"").decode("utf-8", "replace")


class BadRequestError(APIStatusError):
    """HTTP 400."""

    code = "bad_request"


class AuthenticationError(APIStatusError):
    """HTTP 401: the token is missing, malformed or expired."""

    code = "authentication_error"


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the token may not read this resource."""

    code = "permission_denied"


class NotFoundError(APIStatusError):
    """HTTP 404: no customer matches the id."""

    code = "not_found"


class ConflictError(APIStatusError):
    """HTTP 409."""

    code = "conflict"


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""

    code = "unprocessable_entity"


class RateLimitError(APIStatusError):
    """HTTP 429, after the retries ran out."""

    code = "rate_limited"


class InternalServerError(APIStatusError):
    """HTTP 5xx, after the retries ran out."""

    code = "internal_server_error"


class APIConnectionError(EnneoError):
    """The server could not be reached, or the connection broke."""

    code = "connection_error"


class APITimeoutError(APIConnectionError):
    """No complete response arrived in time."""

    code = "timeout"


class DecodeError(EnneoError):
    """The response arrived but was not the expected JSON. ``status_code`` and
    the raw ``body`` are kept."""

    code = "decode_error"

    def __init__(self, message: str, *, status_code: int, body: Optional[bytes] = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class InvalidArgumentError(EnneoError, ValueError):
    """An id or option was rejected before anything was sent. A
    ``ValueError`` too, and what a bulk call returns for an invalid id."""

    code = "invalid_argument"


class InvalidArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument of the wrong type, rejected before anything was sent. A
    ``TypeError`` too, as Python reports a wrong type."""


_BY_CODE = {
    cls.code: cls
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
        InternalServerError,
        APIStatusError,
    )
}


def _from_native(code: str, message: str, status: Optional[int], body: Optional[bytes], request_id: Optional[str]) -> BaseException:
    """Called by the native module: the core's error code to a class."""
    if code == "timeout":
        return APITimeoutError(message)
    if code == "connection_error":
        return APIConnectionError(message)
    if code == "decode_error":
        return DecodeError(message, status_code=status or 0, body=body)
    if code == "invalid_argument":
        return InvalidArgumentError(message)
    if status is not None:
        cls = _BY_CODE.get(code, APIStatusError)
        err: EnneoError = cls(message, status_code=status, body=body, request_id=request_id)
        err.code = code  # a status the table names without a class of its own (408)
        return err
    err = EnneoError(message)
    err.code = code
    return err

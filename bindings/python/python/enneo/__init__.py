"""Typed, fast client for the Enneo customer API, with a Rust core.

>>> import enneo
>>> client = enneo.Client()            # ENNEO_TOKEN, ENNEO_BASE_URL
>>> customer = client.get_customer(83771)
>>> customer.contracts[0].unpaid_debt
109.21
"""

from ._base import FlexibleId, Model, Phone, same_id
from ._client import AsyncClient, AsyncRawResponses, Client, CustomerId, RateLimitState, RawResponses
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    APIUserAbortError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DecodeError,
    EnneoError,
    InternalServerError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
# Every model of the spec, by name (`_models.__all__` is generated); the
# `Customer` with the notebook conveniences replaces the plain one below.
from . import _models
from ._models import *  # noqa: F401,F403
from ._customer import Customer
from ._native import DEMO_BASE_URL, __version__
from ._response import Headers, RawResponse

__all__ = [
    "Client",
    "AsyncClient",
    "CustomerId",
    "RawResponse",
    "RateLimitState",
    "RawResponses",
    "AsyncRawResponses",
    "Headers",
    "Customer",
    "Model",
    "FlexibleId",
    "Phone",
    "same_id",
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
    "APIUserAbortError",
    "DecodeError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "DEMO_BASE_URL",
    "__version__",
]
__all__ += [name for name in _models.__all__ if name not in __all__]

"""pytest fixtures of enneo, registered through the ``pytest11`` entry point:
``enneo_mock`` (a :class:`enneo.testing.MockServer` per test) and
``enneo_client`` (an :class:`enneo.Client` pointed at it)."""

from __future__ import annotations

from typing import Iterator

import pytest

from ._client import Client
from .testing import MockServer


@pytest.fixture
def enneo_mock() -> Iterator[MockServer]:
    """A fresh mock server with a token; every id gets the spec's example customer."""
    with MockServer(token="enneo-test-token") as server:
        yield server


@pytest.fixture
def enneo_client(enneo_mock: MockServer) -> Client:
    """A client of ``enneo_mock``, without retries so failures show at once."""
    return Client(base_url=enneo_mock.base_url, token=enneo_mock.token, max_retries=0)

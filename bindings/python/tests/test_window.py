"""The default window adapts to the path. Against a server that takes 20 ms
to answer (the mock's delay fault), bulk and streaming calls at default
settings keep more than 16 lookups in flight, counted by the mock; a number
the caller passes is a cap the mock never sees exceeded."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import enneo
from enneo.testing import MockServer


def _peak(server: MockServer) -> int:
    with urllib.request.urlopen(server.url + "/__mock/stats") as r:
        return int(json.loads(r.read())["max_in_flight"])


SLOW = "/__fault/delay=20/api/mind"


def _slow(server: MockServer) -> enneo.Client:
    return enneo.Client(base_url=server.url + SLOW)


def test_bulk_at_default_settings_widens_on_a_slow_path() -> None:
    with MockServer() as server:
        results = _slow(server).get_customers(range(1, 1501))
        assert all(isinstance(r, enneo.Customer) for r in results)
        assert 32 < _peak(server) <= 256


def test_streams_widen_too_and_a_number_is_a_cap() -> None:
    with MockServer() as server:
        client = _slow(server)

        async def stream() -> int:
            async with enneo.AsyncClient(base_url=server.url + SLOW) as aclient:
                return sum([isinstance(r, enneo.Customer) async for r in aclient.iter_customers(range(1, 1501))])

        assert asyncio.run(stream()) == 1500
        assert _peak(server) > 32
        server.clear_requests()
        results = client.get_customers(range(1, 601), concurrency=24)
        assert all(isinstance(r, enneo.Customer) for r in results)
        assert _peak(server) == 24

"""Against a server that enforces a rate limit (the mock's token bucket,
429 with ``Retry-After: 1`` beyond it), at default settings: every lookup
succeeds and 429s stay within a tenth of the requests (under a hundredth
when the server announces its limit). Counted from what the mock saw.

No bound on wall time: a loaded machine stretches it, and speed is measured
by ``bench/rate_limit.py`` in ``make bench``, not by tests.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, List

import enneo
from enneo.testing import MockServer

RATE = 300.0


def _check(server: MockServer, results: List[Any], max_refused: float = 0.10) -> None:
    stats = server.stats()
    failed = [r for r in results if isinstance(r, Exception)]
    assert not failed, failed[:3]
    assert all(isinstance(r, enneo.Customer) for r in results)
    assert stats["requests"] >= len(results)
    assert stats["rate_limited"] <= max_refused * stats["requests"], stats


def test_bulk_loses_nothing_to_a_silent_limit() -> None:
    with MockServer(rate_limit=RATE) as server:
        client = enneo.Client(base_url=server.base_url)
        results = client.get_customers(range(1, 3001), concurrency=64)
        _check(server, results)
        state = client.rate_limit_state
        assert isinstance(state, enneo.RateLimitState)
        assert state.rate_limited == server.stats()["rate_limited"] > 0
        assert state.adaptive_rate is not None and state.adaptive_rate <= RATE * 1.05


def test_bulk_meets_an_announced_limit() -> None:
    with MockServer(rate_limit=RATE, rate_limit_headers=True) as server:
        client = enneo.Client(base_url=server.base_url)
        results = client.get_customers(range(1, 3001), concurrency=64)
        _check(server, results, max_refused=0.01)
        assert client.rate_limit_state.adaptive_rate == RATE * 0.98


def test_singles_from_eight_threads_share_one_state() -> None:
    with MockServer(rate_limit=RATE) as server:
        client = enneo.Client(base_url=server.base_url)
        results: List[Any] = []
        lock = threading.Lock()

        def work(t: int) -> None:
            for i in range(200):
                try:
                    r: Any = client.get_customer(t * 1000 + i)
                except enneo.EnneoError as e:
                    r = e
                with lock:
                    results.append(r)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 1600
        _check(server, results)
        assert client.rate_limit_state.rate_limited == server.stats()["rate_limited"]


def test_async_singles_from_64_tasks() -> None:
    async def main(server: MockServer) -> List[Any]:
        client = enneo.AsyncClient(base_url=server.base_url)

        async def task(t: int) -> List[Any]:
            out: List[Any] = []
            for i in range(25):
                try:
                    out.append(await client.get_customer(t * 1000 + i))
                except enneo.EnneoError as e:
                    out.append(e)
            return out

        batches = await asyncio.gather(*(task(t) for t in range(64)))
        return [r for b in batches for r in b]

    with MockServer(rate_limit=RATE) as server:
        results = asyncio.run(main(server))
        assert len(results) == 1600
        _check(server, results)


def test_mock_limit_is_validated_and_counted() -> None:
    import pytest

    with pytest.raises(enneo.InvalidArgumentError, match="positive"):
        MockServer(rate_limit=0)
    with MockServer(rate_limit=5, rate_burst=2) as server:
        client = enneo.Client(base_url=server.base_url, max_retries=0)
        outcomes = client.get_customers(range(4), concurrency=1)
        assert [type(o).__name__ for o in outcomes[:2]] == ["Customer", "Customer"]
        # No retries allowed: the third is refused at once, and kept as its error.
        assert isinstance(outcomes[2], enneo.RateLimitError)
        assert server.stats() == {"requests": 4, "rate_limited": sum(isinstance(o, enneo.RateLimitError) for o in outcomes)}
        server.clear_requests()
        assert server.stats() == {"requests": 0, "rate_limited": 0}

"""AsyncClient on the event loops users run: one without ``add_reader``
(as Windows' Proactor loop), uvloop, and trio through anyio."""

from __future__ import annotations

import asyncio
from typing import Any, List

import anyio
import pytest
import uvloop

import enneo


async def _exercise(base_url: str, faulty_url: str) -> List[Any]:
    """Single, concurrent, bulk and failing lookups on whatever loop runs."""
    client = enneo.AsyncClient(base_url=base_url, token="t")
    one = await client.get_customer(83771)
    many = await asyncio.gather(*(client.get_customer(i) for i in range(1, 21)))
    bulk = await client.get_customers(["7", "", 9], concurrency=2)
    with pytest.raises(enneo.NotFoundError):
        await enneo.AsyncClient(base_url=faulty_url, max_retries=0).get_customer(1)
    return [one, many, bulk]


def _check(result: List[Any]) -> None:
    one, many, bulk = result
    assert one.id == 83771 and one.contracts[0].unpaid_debt == 109.21
    assert [c.id for c in many] == list(range(1, 21))
    assert bulk[0].id == 7 and isinstance(bulk[1], enneo.InvalidArgumentError) and bulk[2].id == 9


class NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch file descriptors, like Windows' Proactor."""

    refused = 0

    def add_reader(self, *args: Any, **kwargs: Any) -> None:
        type(self).refused += 1
        raise NotImplementedError


def test_a_loop_without_add_reader(mock) -> None:
    loop = NoReaderLoop()
    try:
        _check(loop.run_until_complete(_exercise(mock.base_url, mock.faulty("status=404"))))
        # Cancelling still aborts the call on this path.
        async def cancelled() -> None:
            slow = enneo.AsyncClient(base_url=mock.faulty("delay=5000"), max_retries=0)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(slow.get_customer(1), 0.2)

        loop.run_until_complete(cancelled())
    finally:
        loop.close()
    assert NoReaderLoop.refused == 1, "the bridge tried add_reader once, then used call_soon_threadsafe"


def test_uvloop(mock) -> None:
    loop = uvloop.new_event_loop()
    try:
        _check(loop.run_until_complete(_exercise(mock.base_url, mock.faulty("status=404"))))
    finally:
        loop.close()


def test_trio_through_anyio(mock) -> None:
    async def main() -> List[Any]:
        client = enneo.AsyncClient(base_url=mock.base_url, token="t")
        one = await client.get_customer(83771)
        results: List[Any] = [None] * 10

        async def get(i: int) -> None:
            results[i] = await client.get_customer(i + 1)

        async with anyio.create_task_group() as tg:
            for i in range(10):
                tg.start_soon(get, i)
        bulk = await client.get_customers([1, "", 3])
        with pytest.raises(enneo.NotFoundError):
            await enneo.AsyncClient(base_url=mock.faulty("status=404"), max_retries=0).get_customer(1)
        with anyio.move_on_after(0.2) as scope:
            await enneo.AsyncClient(base_url=mock.faulty("delay=3000"), max_retries=0).get_customer(1)
        assert scope.cancelled_caught
        return [one, results, bulk]

    one, results, bulk = anyio.run(main, backend="trio")
    assert one.id == 83771
    assert [c.id for c in results] == list(range(1, 11))
    assert bulk[0].id == 1 and isinstance(bulk[1], enneo.InvalidArgumentError) and bulk[2].id == 3

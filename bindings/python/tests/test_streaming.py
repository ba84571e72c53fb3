"""iter_customers (sync and async), max_requests_per_second and pickling,
through the public API against enneo-mock."""

from __future__ import annotations

import asyncio
import itertools
import pickle
import subprocess
import sys
import time
from typing import Iterator, List

import pytest

import enneo
from conftest import Mock


def test_iter_customers_yields_in_input_order_with_errors_in_place(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.base_url, token="t")
    ids = [3, "x" * 51, 1, "0042", ""]
    out = list(client.iter_customers(ids, concurrency=2))
    assert [type(x) for x in out] == [enneo.Customer, enneo.NotFoundError, enneo.Customer, enneo.Customer, enneo.InvalidArgumentError]
    assert [out[0].id, out[2].id, out[3].id] == [3, 1, "0042"]


def test_iter_customers_reads_a_generator_lazily(mock: Mock) -> None:
    pulled = 0

    def ids() -> Iterator[int]:
        nonlocal pulled
        for i in itertools.count(1):  # endless: only a lazy reader finishes
            pulled = i
            yield i

    client = enneo.Client(base_url=mock.base_url, token="t")
    stream = client.iter_customers(ids(), concurrency=4)
    got: List[object] = []
    for customer in stream:
        got.append(customer.id)  # type: ignore[union-attr]
        if len(got) == 50:
            break
    assert got == list(range(1, 51))
    # Two windows of ids may be queued ahead of the consumer, no more.
    assert pulled <= 50 + 2 * 4


def test_breaking_out_stops_the_requests_in_flight(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.faulty("delay=100"), token="t")
    for customer in client.iter_customers(range(1, 10_000), concurrency=8):
        break
    time.sleep(0.3)
    sent = len(mock.requests())
    time.sleep(0.3)
    assert len(mock.requests()) == sent
    assert sent <= 2 * 8 + 8


def test_async_iter_customers(mock: Mock) -> None:
    async def main() -> List[object]:
        client = enneo.AsyncClient(base_url=mock.base_url, token="t")
        return [c.id async for c in client.iter_customers(range(1, 21), concurrency=5)]  # type: ignore[union-attr]

    assert asyncio.run(main()) == list(range(1, 21))


def test_max_requests_per_second_paces_a_bulk_lookup(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.base_url, token="t", max_requests_per_second=20)
    start = time.monotonic()
    out = client.get_customers(range(1, 41), concurrency=16)
    # Starts spaced at least 50 ms apart, with no burst: 40 need 1.95 s.
    assert time.monotonic() - start >= 1.9
    assert all(isinstance(c, enneo.Customer) for c in out)
    with pytest.raises(ValueError, match="max_requests_per_second"):
        enneo.Client(base_url=mock.base_url, max_requests_per_second=0)


@pytest.mark.parametrize("cls", [enneo.Client, enneo.AsyncClient])
def test_clients_pickle_with_their_settings(mock: Mock, cls: type, monkeypatch: pytest.MonkeyPatch) -> None:
    cloudpickle = pytest.importorskip("cloudpickle")
    monkeypatch.setenv("ENNEO_TOKEN", "from-env")
    client = cls(base_url=mock.base_url, timeout=7, max_retries=1, max_requests_per_second=50)
    for dumps in (pickle.dumps, cloudpickle.dumps):
        data = dumps(client)
        monkeypatch.delenv("ENNEO_TOKEN")  # a worker without the variable
        copy = pickle.loads(data)
        monkeypatch.setenv("ENNEO_TOKEN", "from-env")
        assert type(copy) is cls
        assert copy._native._settings() == client._native._settings()
        assert "from-env" not in repr(copy)
    copy = pickle.loads(pickle.dumps(enneo.Client(base_url=mock.base_url, token="secret")))
    assert copy.get_customer(1).id == 1
    assert mock.requests()[-1]["headers"]["authorization"] == "Bearer secret"


def test_a_client_unpickled_again_in_one_process_is_the_same_client(mock: Mock) -> None:
    # A worker gets a task's client with every task: it shares one pool and
    # one rate limit, not one per task.
    client = enneo.Client(base_url=mock.base_url, max_requests_per_second=50)
    data = pickle.dumps(client)
    first, again = pickle.loads(data), pickle.loads(pickle.dumps(client))
    assert first is again and first is not client
    other = pickle.loads(pickle.dumps(enneo.Client(base_url=mock.base_url)))
    assert other is not first
    code = f"import pickle, sys; data = {data!r}; print(pickle.loads(data) is pickle.loads(data))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


CTRL_C = """
import os, signal, sys, time
import enneo
client = enneo.Client(base_url=sys.argv[1], token="t")
got = []
start = time.monotonic()
try:
    for c in client.iter_customers(range(1, 100_000), concurrency=4):
        got.append(c.id)
        if len(got) == 5:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the next results are awaited
except KeyboardInterrupt:
    print(f"interrupted {got} {time.monotonic() - start:.2f}")
"""


def test_ctrl_c_stops_the_stream_and_keeps_what_was_yielded(mock: Mock) -> None:
    import subprocess
    import sys as _sys

    out = subprocess.run([_sys.executable, "-c", CTRL_C, mock.faulty("delay=100")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    words = out.stdout.split(" ", 1)
    assert words[0] == "interrupted", out.stdout
    assert out.stdout.startswith("interrupted [1, 2, 3, 4, 5")
    # Promptly: far sooner than the 100 000 lookups would take.
    assert float(out.stdout.split()[-1]) < 5
    time.sleep(0.3)
    sent = len(mock.requests())
    time.sleep(0.3)
    assert len(mock.requests()) == sent

"""One rate limit per client whatever the mix of calls, one error base, and
ENNEO_LOG read the same way as in Rust and Node, on stderr."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import subprocess
import sys
import threading
import time
from typing import Any, Callable, List

import pytest

import enneo
from enneo.testing import MockServer

from conftest import Mock


def busiest_second(mock: Mock) -> int:
    """The most request heads the mock saw in any half-open one-second window."""
    at = sorted(r["received_ms"] for r in mock.requests())
    best, first = 0, 0
    for last in range(len(at)):
        while at[last] - at[first] >= 1000.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def run_threads(mock: Mock, jobs: List[Callable[[], Any]], warm: Callable[[], Any]) -> float:
    """Runs each job on a thread of its own and returns the time taken.

    Each thread first makes one lookup with `warm`, so that its pool holds a
    connection: the mock stamps a request when its head arrives, and a new
    connection's handshake would delay the first request's stamp, not its
    start. The measured phase begins, log cleared, once every thread is warm.
    """
    failures: List[BaseException] = []
    ready = threading.Barrier(len(jobs) + 1)
    go = threading.Event()

    def run(job: Callable[[], Any]) -> None:
        try:
            warm()
            ready.wait()
            go.wait()
            job()
        except BaseException as e:  # noqa: BLE001 - reported below
            failures.append(e)
            ready.abort()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    ready.wait()
    mock.clear()
    start = time.monotonic()
    go.set()
    for t in threads:
        t.join()
    assert not failures, failures
    return time.monotonic() - start


def test_threads_share_one_limit(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.base_url, max_requests_per_second=20)

    def job(offset: int) -> Callable[[], None]:
        def run() -> None:
            for i in range(10):
                assert client.get_customer(offset + i).id == offset + i

        return run

    took = run_threads(mock, [job(100 * t) for t in range(4)], warm=lambda: client.get_customer(0))
    assert len(mock.requests()) == 40
    # 40 starts spaced at least 50 ms apart: 1.95 s from the first to the last.
    assert took >= 1.9, took
    assert busiest_second(mock) <= 20


def test_blocking_then_bulk_share_one_limit(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.base_url, max_requests_per_second=20)
    start = time.monotonic()
    for i in range(10):
        client.get_customer(i)
    out = client.get_customers(range(100, 130), concurrency=16)
    took = time.monotonic() - start
    assert [c.id for c in out] == list(range(100, 130))
    assert took >= 1.9, took
    assert busiest_second(mock) <= 20


def test_threads_bulk_streams_and_derived_clients_share_one_limit(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.base_url, max_requests_per_second=25)
    derived = client.with_options(timeout=30, max_retries=1)

    def blocking() -> None:
        for i in range(10):
            client.get_customer(i)

    def bulk() -> None:
        assert len(client.get_customers(range(100, 110), concurrency=4)) == 10

    def stream() -> None:
        assert len(list(client.iter_customers(range(200, 210), concurrency=4))) == 10

    def derived_calls() -> None:
        for i in range(300, 305):
            derived.get_customer(i)
        assert len(derived.get_customers(range(305, 310), concurrency=4)) == 5

    def warm() -> None:
        client.get_customer(0)
        derived.get_customer(0)

    took = run_threads(mock, [blocking, bulk, stream, derived_calls], warm)
    assert len(mock.requests()) == 40
    assert took >= 39 / 25, took
    assert busiest_second(mock) <= 25


def test_async_single_bulk_stream_and_derived_share_one_limit(mock: Mock) -> None:
    client = enneo.AsyncClient(base_url=mock.base_url, max_requests_per_second=20)
    derived = client.with_options(max_retries=1)

    async def main() -> float:
        async def singles() -> None:
            for i in range(10):
                await client.get_customer(i)

        async def bulk() -> None:
            assert len(await client.get_customers(range(100, 110), concurrency=4)) == 10

        async def stream() -> None:
            assert len([c async for c in client.iter_customers(range(200, 210), concurrency=4)]) == 10  # type: ignore[union-attr]

        async def from_derived() -> None:
            await asyncio.gather(*(derived.get_customer(i) for i in range(300, 310)))

        await asyncio.gather(*(client.get_customer(0) for _ in range(4)))
        mock.clear()
        start = time.monotonic()
        await asyncio.gather(singles(), bulk(), stream(), from_derived())
        return time.monotonic() - start

    took = asyncio.run(main())
    assert len(mock.requests()) == 40
    assert took >= 1.9, took
    assert busiest_second(mock) <= 20


def test_a_client_used_from_a_thread_and_an_event_loop(mock: Mock) -> None:
    # One Client from a plain thread and, through an executor, from an
    # asyncio loop, as a notebook does.
    client = enneo.Client(base_url=mock.base_url, max_requests_per_second=20)
    done: List[int] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
        # Each executor thread gets its pool (and connection) now, as
        # run_threads does for its own threads.
        warm = threading.Barrier(4)
        list(executor.map(lambda _: (client.get_customer(0), warm.wait(timeout=30)), range(4)))

        def blocking() -> None:
            for i in range(20):
                done.append(client.get_customer(i).id)

        def from_a_loop() -> None:
            async def main() -> None:
                loop = asyncio.get_running_loop()
                out = await asyncio.gather(*(loop.run_in_executor(executor, client.get_customer, 100 + i) for i in range(20)))
                done.extend(c.id for c in out)

            asyncio.run(main())

        took = run_threads(mock, [blocking, from_a_loop], warm=lambda: client.get_customer(0))
    assert len(done) == 40
    assert took >= 1.9, took
    assert busiest_second(mock) <= 20


def test_every_error_is_an_enneo_error(mock: Mock) -> None:
    client = enneo.Client(base_url=mock.base_url)
    attempts: List[Callable[[], Any]] = [
        lambda: client.get_customer(""),
        lambda: client.get_customer(None),  # type: ignore[arg-type]
        lambda: client.get_customer(1.5),  # type: ignore[arg-type]
        lambda: client.get_customer(1, timeout=0),
        lambda: client.get_customer(1, timeout="1"),  # type: ignore[arg-type]
        lambda: client.get_customer(1, max_retries=-1),
        lambda: client.get_customer(1, extra_headers={"Authorization": "x"}),
        lambda: client.get_customer(1, extra_headers=[1]),  # type: ignore[arg-type]
        lambda: client.get_customers("123"),
        lambda: client.get_customers(5),  # type: ignore[arg-type]
        lambda: client.get_customers([1], concurrency=0),
        lambda: client.customers_frame([1], backend="excel"),  # type: ignore[arg-type]
        lambda: client.with_options(max_retries=-2),
        lambda: enneo.Client(base_url="ftp://x"),
        lambda: enneo.Client(base_url=mock.base_url, max_retries=-1),
        lambda: enneo.Client(base_url=mock.base_url, timeout="60"),  # type: ignore[arg-type]
        lambda: enneo.Client(base_url=mock.base_url, max_requests_per_second=0),
        lambda: enneo.Client(base_url=mock.base_url, token="a\nb"),
        lambda: enneo.Client(base_url=mock.base_url, ca_cert="/nonexistent.pem"),
        lambda: enneo.Client(base_url=mock.base_url, ca_cert=5),  # type: ignore[arg-type]
        lambda: enneo.Customer(5),  # type: ignore[arg-type]
        lambda: MockServer(customers=[5]),  # type: ignore[list-item]
        lambda: MockServer(tls_cert="/nonexistent.pem"),
        lambda: enneo.Client(base_url=mock.faulty("status=404")).get_customer(1),
        lambda: enneo.Client(base_url=mock.faulty("malformed")).get_customer(1),
        lambda: enneo.Client(base_url=mock.faulty("truncate"), max_retries=0).get_customer(1),
    ]
    for i, attempt in enumerate(attempts):
        try:
            attempt()
        except enneo.EnneoError:
            pass
        except BaseException as e:  # noqa: BLE001 - the point of the test
            pytest.fail(f"attempt {i} raised {type(e).__name__}, not an EnneoError: {e}")
        else:
            pytest.fail(f"attempt {i} raised nothing")
    # The type and value errors stay what Python code catches too.
    with pytest.raises(TypeError):
        client.get_customer(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        client.get_customer("")

    async def main() -> None:
        aclient = enneo.AsyncClient(base_url=mock.base_url)
        for bad in ("", None):
            with pytest.raises(enneo.EnneoError):
                await aclient.get_customer(bad)  # type: ignore[arg-type]
        results = await aclient.get_customers(["", 1])
        assert isinstance(results[0], enneo.EnneoError) and isinstance(results[1], enneo.Customer)

    asyncio.run(main())


# ENNEO_LOG as the core reads it, and what each value must do (the same
# table drives the Node suite).
LOG_VALUES = [
    ("debug", True),
    ("trace", True),
    ("DEBUG", True),
    (" info ", False),  # a successful lookup logs at debug only
    ("warning", False),
    ("off", False),
    ("none", False),
]


@pytest.mark.parametrize("value,debug_lines", LOG_VALUES)
def test_enneo_log_values_mean_the_same_and_go_to_stderr(value: str, debug_lines: bool) -> None:
    with MockServer() as server:
        code = "import enneo, json, sys; c = enneo.Client(base_url=sys.argv[1]).get_customer(1); print(json.dumps({'id': c.id}))"
        env = dict(os.environ, ENNEO_LOG=value)
        out = subprocess.run([sys.executable, "-c", code, server.base_url], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout == '{"id": 1}\n', "stdout holds only the script's output"
        assert ("/customer/byCustomerId/1 -> 200" in out.stderr) == debug_lines, out.stderr


def test_an_unknown_enneo_log_value_warns_once_on_stderr() -> None:
    with MockServer() as server:
        code = "import enneo, sys; c = enneo.Client(base_url=sys.argv[1]); c.get_customer(1); c.get_customer(2)"
        env = dict(os.environ, ENNEO_LOG="loud")
        out = subprocess.run([sys.executable, "-c", code, server.base_url], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout == ""
        assert out.stderr.count('ignoring ENNEO_LOG="loud"') == 1, out.stderr

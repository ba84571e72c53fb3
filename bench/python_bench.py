"""enneo (Python) against requests, httpx and aiohttp, same server, one run.

Usage: python bench/python_bench.py BASE_URL [--n N] [--bulk M] [--concurrency C] [--rounds R]
Prints the median time per lookup of each client and its ratio to enneo,
and each median as a `RESULT {json}` line for bench/report.py. Every client
decodes the whole body: the baselines with `.json()`, enneo by reading a
field (its models decode on first use).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Callable, Dict, List

import aiohttp
import httpx
import requests

import enneo


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sequential(base: str, n: int) -> Dict[str, Callable[[], object]]:
    client = enneo.Client(base_url=base, token="bench")
    session = requests.Session()
    hx = httpx.Client()
    headers = {"Authorization": "Bearer bench"}

    def run_enneo() -> None:
        for i in range(n):
            assert client.get_customer(i + 1).contracts is not None

    def run_requests() -> None:
        for i in range(n):
            assert session.get(f"{base}/customer/byCustomerId/{i + 1}", headers=headers).json()["contracts"] is not None

    def run_httpx() -> None:
        for i in range(n):
            assert hx.get(f"{base}/customer/byCustomerId/{i + 1}", headers=headers).json()["contracts"] is not None

    return {"enneo.Client": run_enneo, "requests.Session": run_requests, "httpx.Client": run_httpx}


def bulk(base: str, m: int, c: int) -> Dict[str, Callable[[], object]]:
    client = enneo.Client(base_url=base, token="bench")
    aclient = enneo.AsyncClient(base_url=base, token="bench")
    headers = {"Authorization": "Bearer bench"}
    ids = list(range(1, m + 1))

    def run_enneo_bulk() -> None:
        out = client.get_customers(ids, concurrency=c)
        assert all(isinstance(x, enneo.Customer) and x.contracts is not None for x in out)

    async def gather_limited(fetch: Callable[[int], object]) -> List[object]:
        sem = asyncio.Semaphore(c)

        async def one(i: int) -> object:
            async with sem:
                return await fetch(i)  # type: ignore[misc]

        return await asyncio.gather(*(one(i) for i in ids))

    def run_enneo_stream() -> None:
        n = 0
        for x in client.iter_customers(ids, concurrency=c):
            assert isinstance(x, enneo.Customer) and x.contracts is not None
            n += 1
        assert n == m

    def run_enneo_async() -> None:
        async def main() -> None:
            async def fetch(i: int) -> object:
                return (await aclient.get_customer(i)).contracts

            out = await gather_limited(fetch)
            assert len(out) == m

        asyncio.run(main())

    def run_httpx_async() -> None:
        async def main() -> None:
            limits = httpx.Limits(max_connections=c, max_keepalive_connections=c)
            async with httpx.AsyncClient(limits=limits, headers=headers) as hx:
                async def fetch(i: int) -> object:
                    return (await hx.get(f"{base}/customer/byCustomerId/{i}")).json()

                assert len(await gather_limited(fetch)) == m

        asyncio.run(main())

    def run_aiohttp() -> None:
        async def main() -> None:
            conn = aiohttp.TCPConnector(limit=c)
            async with aiohttp.ClientSession(connector=conn, headers=headers) as s:
                async def fetch(i: int) -> object:
                    async with s.get(f"{base}/customer/byCustomerId/{i}") as r:
                        return await r.json()

                assert len(await gather_limited(fetch)) == m

        asyncio.run(main())

    return {
        "enneo.Client.get_customers": run_enneo_bulk,
        "enneo.Client.iter_customers": run_enneo_stream,
        "enneo.AsyncClient + gather": run_enneo_async,
        "httpx.AsyncClient + gather": run_httpx_async,
        "aiohttp + gather": run_aiohttp,
    }


def report(title: str, mode: str, cases: Dict[str, Callable[[], object]], ops: int, rounds: int) -> None:
    times: Dict[str, List[float]] = {k: [] for k in cases}
    for fn in cases.values():
        fn()  # warm-up: connections, JIT-free but caches and pools
    names = list(cases)
    for r in range(rounds):
        # Interleaved, so drift hits all alike, and rotated, so no client
        # always runs right after the same other one.
        for name in names[r % len(names):] + names[: r % len(names)]:
            times[name].append(timed(cases[name]))
    base = statistics.median(times[next(iter(cases))])
    print(f"\n{title} ({ops} lookups, median of {rounds} rounds)")
    print(f"{'client':32} {'µs/lookup':>10} {'vs enneo':>9}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:32} {med / ops * 1e6:10.1f} {med / base:8.2f}x")
        print("RESULT " + json.dumps({"lang": "python", "mode": mode, "client": name, "us": med / ops * 1e6}))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("base_url")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--bulk", type=int, default=5000)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    report("Python sequential lookups", "seq", sequential(a.base_url, a.n), a.n, a.rounds)
    report(f"Python bulk lookups, concurrency {a.concurrency}", "conc", bulk(a.base_url, a.bulk, a.concurrency), a.bulk, a.rounds)


if __name__ == "__main__":
    main()

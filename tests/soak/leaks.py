"""`make soak-leaks`, Python: N lookups (default 100 000) through AsyncClient
at concurrency 64, one in ten with a fault injected by the mock (5xx then
success, 5xx to the end, 404, malformed, cut off, reset, dropped, timeout),
then the process's file descriptors and threads compared with a baseline
taken after a warm-up of the same mix. Exits 1 on growth.

Usage: python tests/soak/leaks.py BASE_URL [N]
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import pathlib
import sys

import enneo

# The mix is shared with the Node soak, in the fault vectors.
VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors" / "faults.json"
FAULTS = json.loads(VECTORS.read_text())["soak_mix"]
# Connections the pool may hold beyond the baseline: the client's pool is
# bounded by the concurrency, and each fault can swap one connection.
FD_SLACK = 8


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def threads() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("no Threads")


async def run(client: enneo.AsyncClient, start: int, n: int, outcomes: collections.Counter) -> None:
    gate = asyncio.Semaphore(64)

    async def one(i: int) -> None:
        headers = {"X-Mock-Fault": FAULTS[(i // 10) % len(FAULTS)]} if i % 10 == 0 else None
        async with gate:
            try:
                await client.get_customer(i, extra_headers=headers, timeout=0.1 if headers and "delay" in headers["X-Mock-Fault"] else None)
                outcomes["ok"] += 1
            except enneo.EnneoError as e:
                outcomes[e.code] += 1

    await asyncio.gather(*(one(i) for i in range(start, start + n)))


def main() -> int:
    base, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    client = enneo.AsyncClient(base_url=base, token="soak", max_retries=1)
    warm: collections.Counter = collections.Counter()
    asyncio.run(run(client, 1, 5_000, warm))
    before = (fds(), threads())
    outcomes: collections.Counter = collections.Counter()
    for chunk in range(0, n, 10_000):
        asyncio.run(run(client, 10_000_000 + chunk, min(10_000, n - chunk), outcomes))
    after = (fds(), threads())
    faults = n - outcomes["ok"]
    print(f"python: {n} lookups, {faults} failed by injected faults {dict(outcomes)}")
    print(f"python: fds {before[0]} -> {after[0]}, threads {before[1]} -> {after[1]}")
    if after[0] > before[0] + FD_SLACK or after[1] > before[1]:
        print("python: FAILED (file descriptors or threads grew)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

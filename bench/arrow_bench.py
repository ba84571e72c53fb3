"""The columnar calls against `get_customers`, in one process (make bench).

Usage: python bench/arrow_bench.py BASE_URL [--n 100000] [--rounds 3] [--concurrency 64]

Each round runs every call once over the same N ids, in turn, so that a
drift of the machine touches them all alike; the table gives each call's
median time per lookup and its ratio to `get_customers` with the results
discarded (the lookups alone). Prints each as a `RESULT {json}` line for
bench/report.py, and the Arrow table's own size (`nbytes`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Callable, Dict, List

import pyarrow as pa

import enneo


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=64)
    a = p.parse_args()
    client = enneo.Client(base_url=a.base, token="bench")
    ids = list(range(1, a.n + 1))
    c = a.concurrency

    def objects() -> None:
        out = client.get_customers(ids, concurrency=c)
        assert len(out) == a.n and isinstance(out[-1], enneo.Customer)

    def table() -> None:
        t = pa.table(client.customers_arrow(ids, concurrency=c))
        assert t.num_rows == a.n and t.column("_error_code").null_count == a.n

    def frame(backend: str) -> Callable[[], None]:
        def run() -> None:
            assert len(client.customers_frame(ids, concurrency=c, backend=backend)) >= a.n

        return run

    calls: Dict[str, Callable[[], None]] = {
        "get_customers (results discarded)": objects,
        "customers_arrow -> pyarrow.Table": table,
        'customers_frame(backend="polars")': frame("polars"),
        'customers_frame(backend="pandas")': frame("pandas"),
    }
    client.get_customers(ids[:2000], concurrency=c)  # connections and warm-up
    times: Dict[str, List[float]] = {name: [] for name in calls}
    for _ in range(a.rounds):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["get_customers (results discarded)"])
    print(f"\n{a.n} lookups, concurrency {c}, median of {a.rounds} rounds")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:40} {med / a.n * 1e6:8.1f} us/lookup  {med / base:5.2f}x")
        print("RESULT " + json.dumps({"lang": "python", "mode": "arrow", "client": name, "us": med / a.n * 1e6, "ratio": med / base}))
    t = pa.table(client.customers_arrow(ids, concurrency=c))
    print(f"  the table of {a.n} customers holds {t.nbytes / 2**20:.1f} MiB (pyarrow nbytes)")
    print("RESULT " + json.dumps({"lang": "python", "mode": "arrow_nbytes", "client": f"pyarrow.Table of {a.n}", "mb": t.nbytes / 2**20}))


if __name__ == "__main__":
    main()

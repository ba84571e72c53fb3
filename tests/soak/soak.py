"""`make soak`, Python: stream N lookups through iter_customers and watch RSS.

Usage: python tests/soak/soak.py BASE_URL [N]
Prints throughput and RSS every 100 000 lookups; exits 1 when RSS grew by
more than 50 MB between the 100 000th lookup and the last.
"""

from __future__ import annotations

import sys
import time

import enneo

STEP = 100_000
LIMIT_MB = 50.0


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> int:
    base, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    client = enneo.Client(base_url=base, token="soak")
    failed = 0
    at_step = None
    start = last = time.monotonic()
    for i, result in enumerate(client.iter_customers(range(1, n + 1), concurrency=64), 1):
        if isinstance(result, enneo.Customer):
            assert result.contracts is not None  # decode every customer
        else:
            failed += 1
        if i % STEP == 0:
            now = time.monotonic()
            rss = rss_mb()
            at_step = rss if at_step is None else at_step
            print(f"python {i:>9} lookups  {STEP / (now - last):8.0f}/s  RSS {rss:7.1f} MB", flush=True)
            last = now
    growth = rss_mb() - (at_step or rss_mb())
    total = time.monotonic() - start
    print(f"python: {n} lookups in {total:.1f} s ({n / total:.0f}/s), {failed} failed, RSS growth after {STEP}: {growth:+.1f} MB")
    if failed or growth > LIMIT_MB:
        print(f"python: FAILED (failed lookups or RSS growth above {LIMIT_MB} MB)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

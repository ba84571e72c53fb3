"""`make soak`, CLI: peak RSS of `enneo customer get --ids-from -` for 100 000
ids and for N ids; exits 1 when the larger run peaks more than 50 MB higher.

Usage: python3 tests/soak/cli_rss.py ENNEO_BIN BASE_URL [N]
"""

import resource
import subprocess
import sys
import time


def run(binary: str, base: str, n: int) -> float:
    """Peak RSS in MB of one CLI run over ids 1..n (this process's only child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    proc = subprocess.Popen(
        [binary, "customer", "get", "--ids-from", "-", "--concurrency", "64", "--base-url", base, "--token", "soak"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    import threading

    def feed() -> None:
        for i in range(1, n + 1):
            proc.stdin.write(b"%d\n" % i)  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]

    threading.Thread(target=feed, daemon=True).start()
    lines = sum(1 for _ in proc.stdout)
    assert proc.wait() == 0 and lines == n, (proc.returncode, lines)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far, so runs go small to large.
    mb = max(peak, before) / 1024
    print(f"cli    {n:>9} lookups  {n / (time.monotonic() - start):8.0f}/s  peak RSS {mb:7.1f} MB", flush=True)
    return mb


binary, base = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
small = run(binary, base, 100_000)
large = run(binary, base, n)
print(f"cli: peak RSS {small:.1f} MB for 100000 ids, {large:.1f} MB for {n}: {large - small:+.1f} MB")
if large - small > 50:
    print("cli: FAILED (peak RSS grew by more than 50 MB)")
    sys.exit(1)

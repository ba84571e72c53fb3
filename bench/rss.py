"""Peak RSS of `enneo.Client.get_customers` over N ids (make bench).

Usage: python bench/rss.py BASE_URL N
Prints `RESULT {json}` lines: the peak after the call returned with every
result held, and the peak after every customer was also decoded.
"""

import json
import resource
import sys

import enneo


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


base, n = sys.argv[1], int(sys.argv[2])
client = enneo.Client(base_url=base, token="bench")
out = client.get_customers(range(1, n + 1), concurrency=64)
assert all(isinstance(c, enneo.Customer) for c in out)
print("RESULT " + json.dumps({"lang": "python", "mode": "rss", "client": f"get_customers({n}), results held", "mb": peak_mb()}))
assert all(c.contracts is not None for c in out)
print("RESULT " + json.dumps({"lang": "python", "mode": "rss_decoded", "client": f"get_customers({n}), every result decoded", "mb": peak_mb()}))

"""Peak RSS of `enneo.Client.get_customers` over N ids (make bench).

Usage: python bench/rss.py BASE_URL N [arrow]
Prints `RESULT {json}` lines: the peak after the call returned with every
result held, and the peak after every customer was also decoded. With
`arrow`, instead the peak of `pyarrow.table(client.customers_arrow(ids))`
held (a process of its own, so that each peak is its own).
"""

import json
import resource
import sys

import enneo


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


base, n = sys.argv[1], int(sys.argv[2])
client = enneo.Client(base_url=base, token="bench")
if sys.argv[3:] == ["arrow"]:
    import pyarrow

    table = pyarrow.table(client.customers_arrow(range(1, n + 1), concurrency=64))
    assert table.num_rows == n and table.column("_error_code").null_count == n
    print("RESULT " + json.dumps({"lang": "python", "mode": "rss_arrow", "client": f"customers_arrow({n}) as a pyarrow.Table", "mb": peak_mb()}))
    sys.exit(0)
out = client.get_customers(range(1, n + 1), concurrency=64)
assert all(isinstance(c, enneo.Customer) for c in out)
print("RESULT " + json.dumps({"lang": "python", "mode": "rss", "client": f"get_customers({n}), results held", "mb": peak_mb()}))
assert all(c.contracts is not None for c in out)
print("RESULT " + json.dumps({"lang": "python", "mode": "rss_decoded", "client": f"get_customers({n}), every result decoded", "mb": peak_mb()}))

"""One Python client doing N sequential lookups, for bench/instructions.py.

Usage: python bench/py_instructions.py BASE_URL {enneo,httpx} N
Both decode the whole body (httpx with `.json()`, enneo by reading a field).
"""

import sys

base, which, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
if which == "enneo":
    import enneo

    client = enneo.Client(base_url=base, token="bench")
    for i in range(n):
        assert client.get_customer(i + 1).contracts is not None
else:
    import httpx

    hx = httpx.Client(headers={"Authorization": "Bearer bench"})
    for i in range(n):
        assert hx.get(f"{base}/customer/byCustomerId/{i + 1}").json()["contracts"] is not None

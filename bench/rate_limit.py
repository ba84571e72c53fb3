"""Bulk lookups against a server that enforces a rate limit, at default
settings and concurrency 64: Rust (the CLI's --ids-from), Python
(`get_customers`) and Node (`getCustomers`), each against a fresh
`enneo-mock --rate-limit N` (429 with `Retry-After: 1` beyond a token bucket
of N a second), silent and announcing its limit (`RateLimit-Policy`).

Reports, per run, the time over ids/limit (1.0 is the limit itself), the
share of lookups that succeeded, and the 429s among the requests the mock
saw (its `/__mock/stats`), as a table and as `RESULT {json}` lines.

Usage: python3 bench/rate_limit.py MOCK_BIN CLI_BIN PYTHON [--cases 300:3000,2000:20000]
Standard library only; PYTHON is an interpreter with enneo installed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

PY = """
import sys, enneo
n = int(sys.argv[2])
r = enneo.Client(base_url=sys.argv[1]).get_customers(range(1, n + 1), concurrency=64)
print(sum(isinstance(c, enneo.Customer) for c in r))
"""

NODE = """
const { Client } = require(process.argv[1])
const n = Number(process.argv[3])
const ids = Array.from({ length: n }, (_, i) => i + 1)
new Client({ baseUrl: process.argv[2] }).getCustomers(ids, { concurrency: 64 })
  .then((r) => console.log(r.filter((x) => x.ok).length))
"""


def start_mock(mock_bin: str, rate: int, announce: bool) -> Tuple[subprocess.Popen, str]:
    args = [mock_bin, "--port", "0", "--rate-limit", str(rate)]
    if announce:
        args.append("--rate-limit-headers")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    return proc, line.removeprefix("listening on ")


def stats(url: str) -> Dict[str, int]:
    with urllib.request.urlopen(url + "/__mock/stats") as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def run(lang: str, cli: str, python: str, base: str, n: int, ids_file: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENNEO_")}
    if lang == "rust":
        out = subprocess.run(
            [cli, "customer", "get", "--ids-from", ids_file, "--concurrency", "64", "--base-url", base],
            capture_output=True, text=True, env=env,
        ).stdout
        return sum(1 for line in out.splitlines() if '"customer"' in line)
    if lang == "python":
        cmd = [python, "-c", PY, base, str(n)]
    else:
        cmd = ["node", "-e", NODE, os.path.join(REPO, "bindings/node/lib/index.js"), base, str(n)]
    return int(subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mock_bin")
    ap.add_argument("cli_bin")
    ap.add_argument("python")
    ap.add_argument("--cases", default="300:3000,2000:20000")
    a = ap.parse_args()
    cases = [tuple(int(x) for x in c.split(":")) for c in a.cases.split(",")]
    rows: List[str] = []
    print(f"{'client':8} {'limit/s':>8} {'ids':>6} {'announced':>9} {'ok':>7} {'time/(ids/limit)':>17} {'requests':>9} {'429s':>6}")
    for rate, n in cases:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("\n".join(str(i) for i in range(1, n + 1)))
            ids_file = f.name
        for announce in (False, True):
            for lang in ("rust", "python", "node"):
                proc, url = start_mock(a.mock_bin, rate, announce)
                try:
                    started = time.monotonic()
                    ok = run(lang, a.cli_bin, a.python, url + "/api/mind", n, ids_file)
                    took = time.monotonic() - started
                    s = stats(url)
                finally:
                    proc.kill()
                    proc.wait()
                ratio = took / (n / rate)
                share = s["rate_limited"] / max(1, s["requests"])
                print(f"{lang:8} {rate:>8} {n:>6} {str(announce):>9} {ok / n:>7.1%} {ratio:>17.2f} {s['requests']:>9} {share:>6.1%}")
                print("RESULT " + json.dumps({
                    "lang": lang, "mode": "rate-limit", "client": f"{rate}/s x {n}" + (" announced" if announce else ""),
                    "ratio": round(ratio, 3), "ok": ok, "ids": n, "requests": s["requests"], "rate_limited": s["rate_limited"],
                }))
                sys.stdout.flush()
        os.unlink(ids_file)


if __name__ == "__main__":
    main()

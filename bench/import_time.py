"""Import time: `import enneo` against the HTTP libraries it replaces.

Usage: python3 bench/import_time.py PYTHON [--runs 21]

Each import runs in a fresh interpreter (`PYTHON -c "import X"`, or Node's
`require`), `runs` times in rotated order; the figure is the median wall
time less the median of an interpreter that imports nothing. Prints a
table, and each as a `RESULT {json}` line for bench/report.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from typing import Dict, List, Tuple

NODE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bindings", "node")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("python")
    p.add_argument("--runs", type=int, default=21)
    a = p.parse_args()
    a.python = os.path.abspath(a.python) if os.sep in a.python else a.python
    cases: List[Tuple[str, str, List[str]]] = [
        ("python", "(nothing)", [a.python, "-c", "pass"]),
        ("python", "enneo", [a.python, "-c", "import enneo"]),
        ("python", "httpx", [a.python, "-c", "import httpx"]),
        ("python", "requests", [a.python, "-c", "import requests"]),
        ("python", "aiohttp", [a.python, "-c", "import aiohttp"]),
        ("node", "(nothing)", ["node", "-e", ""]),
        ("node", "enneo", ["node", "-e", "require('./lib/index.js')"]),
        ("node", "undici", ["node", "-e", "require('undici')"]),
    ]
    times: Dict[Tuple[str, str], List[float]] = {(lang, name): [] for lang, name, _ in cases}
    for r in range(a.runs):
        for lang, name, cmd in cases[r % len(cases):] + cases[: r % len(cases)]:
            started = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=NODE_DIR, stdout=subprocess.DEVNULL)
            times[(lang, name)].append(time.perf_counter() - started)
    print(f"Import time, median of {a.runs} fresh processes, less the bare interpreter's")
    for lang, name, _ in cases:
        if name == "(nothing)":
            continue
        ms = (statistics.median(times[(lang, name)]) - statistics.median(times[(lang, "(nothing)")])) * 1000
        print(f"  {lang:7} import {name:10} {ms:8.1f} ms")
        print("RESULT " + json.dumps({"lang": lang, "mode": "import", "client": name, "ms": ms}))


if __name__ == "__main__":
    main()

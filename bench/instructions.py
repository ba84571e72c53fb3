"""Instructions per lookup, counted by callgrind in the client process only.

Usage: python3 bench/instructions.py BASE_URL PYTHON [--low 200] [--high 1200] [--profiles DIR]

Each client runs twice under `valgrind --tool=callgrind`, with `low` and
`high` lookups; (I(high) - I(low)) / (high - low) is its cost per lookup,
start-up and the first connection left out. Every thread of the client is
counted; the server (nginx) is another process and is not. Counts are the
same for the same binary and inputs whatever else the machine does, so the
ratios can be judged where wall-clock ones swing by ±10%.

Each Rust count is the median of --repeat runs (3). With --profiles, the
high run's callgrind files are kept there, for
`callgrind_annotate --inclusive=yes FILE`.
Prints a table, and each client as a `RESULT {json}` line for bench/report.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from typing import List, Tuple

EXAMPLE = "target/release/examples/bench_instructions"
# The same example built with the `opentelemetry` feature (bench/run.sh),
# run with no OpenTelemetry set up: tracing support that is not used.
EXAMPLE_OTEL = "target/release/examples/bench_instructions_otel"
PY_CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "py_instructions.py")


def median_of(repeat: int, cmd: List[str], out_file: str) -> int:
    """The median count of `repeat` runs: a run's count moves by about 1%
    with how often the runtime's threads happen to wake."""
    counts = sorted(collected(cmd, out_file) for _ in range(repeat))
    return counts[len(counts) // 2]


def collected(cmd: List[str], out_file: str) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", *cmd],
        capture_output=True, text=True,
    )
    if run.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed under callgrind:\n{run.stderr[-2000:]}")
    m = re.search(r"Collected : (\d+)", run.stderr)
    if not m:
        sys.exit(f"no instruction count in callgrind's output:\n{run.stderr[-2000:]}")
    return int(m.group(1))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("python")
    p.add_argument("--low", type=int, default=200)
    p.add_argument("--high", type=int, default=1200)
    p.add_argument("--profiles", default=None)
    p.add_argument("--repeat", type=int, default=3, help="runs per count for the Rust clients (median)")
    a = p.parse_args()
    keep = a.profiles
    if keep:
        os.makedirs(keep, exist_ok=True)
    # (language, mode, name, command for n, baseline's name)
    clients: List[Tuple[str, str, str, List[str]]] = [
        ("rust", "seq", "enneo get_customer", [EXAMPLE, a.base, "enneo-seq"]),
        ("rust", "seq", "reqwest + serde", [EXAMPLE, a.base, "raw-seq"]),
        ("rust", "seq", "enneo get_customer, feature opentelemetry", [EXAMPLE_OTEL, a.base, "enneo-seq"]),
        ("rust", "conc", "enneo get_customers", [EXAMPLE, a.base, "enneo-bulk"]),
        ("rust", "conc", "reqwest + buffered", [EXAMPLE, a.base, "raw-bulk"]),
        ("python", "seq", "enneo.Client", [a.python, PY_CLIENT, a.base, "enneo"]),
        ("python", "seq", "httpx.Client", [a.python, PY_CLIENT, a.base, "httpx"]),
    ]
    per: dict = {}
    for lang, mode, name, cmd in clients:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{lang}-{name}".lower()).strip("-")
        # Python under callgrind takes about a minute a run: once each.
        repeat = a.repeat if lang == "rust" else 1
        low = median_of(repeat, [*cmd, str(a.low)], os.devnull)
        high = median_of(repeat, [*cmd, str(a.high)], os.path.join(keep, f"{slug}.out") if keep else os.devnull)
        per[(lang, name)] = (high - low) / (a.high - a.low)
        print("RESULT " + json.dumps({"lang": lang, "mode": f"instr-{mode}", "client": name, "instructions": per[(lang, name)]}))
    print(f"\nInstructions per lookup, callgrind, client process only, ({a.high} - {a.low} lookups) / {a.high - a.low}")
    for (lang, name), v in per.items():
        print(f"  {lang:7} {name:24} {v:12,.0f}")
    for lang, ours, theirs in (
        ("rust", "enneo get_customer", "reqwest + serde"),
        ("rust", "enneo get_customer, feature opentelemetry", "enneo get_customer"),
        ("rust", "enneo get_customers", "reqwest + buffered"),
        ("python", "enneo.Client", "httpx.Client"),
    ):
        print(f"  {lang}: {ours} / {theirs} = {per[(lang, ours)] / per[(lang, theirs)]:.3f}")


if __name__ == "__main__":
    main()

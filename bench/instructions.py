"""Instructions per lookup, counted by callgrind in the client process only.

Usage: python3 bench/instructions.py BASE_URL PYTHON [--low 200] [--high 1200] [--profiles DIR]

Each client runs twice under `valgrind --tool=callgrind`, with `low` and
`high` lookups; (I(high) - I(low)) / (high - low) is its cost per lookup,
start-up and the first connection left out. Every thread of the client is
counted; the server (nginx) is another process and is not. Counts are the
same for the same binary and inputs whatever else the machine does, so the
ratios can be judged where wall-clock ones swing by ±10%.

The Rust clients run on a current-thread runtime, where a count repeats
to within a few instructions. Node's counts (V8's JIT included) are taken
at --node-low and --node-high lookups (2 000 and 4 000), past the JIT's
warm-up, which before 2 000 lookups cost more than a lookup itself. With
--profiles, the high run's callgrind files are kept there, for
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
NODE_CLIENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_instructions.mjs")


def collected(cmd: List[str], out_file: str) -> int:
    # V8 writes machine code and runs it: valgrind must look for that.
    smc = ["--smc-check=all-non-file"] if cmd[0] == "node" else []
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", *smc, f"--callgrind-out-file={out_file}", *cmd],
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
    p.add_argument("--node-low", type=int, default=2000)
    p.add_argument("--node-high", type=int, default=4000)
    p.add_argument("--profiles", default=None)
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
        ("rust", "conc", "enneo customers_arrow", [EXAMPLE, a.base, "enneo-arrow"]),
        ("python", "seq", "enneo.Client", [a.python, PY_CLIENT, a.base, "enneo"]),
        ("python", "seq", "httpx.Client", [a.python, PY_CLIENT, a.base, "httpx"]),
        ("node", "seq", "enneo getCustomer", ["node", NODE_CLIENT, a.base, "enneo"]),
        ("node", "seq", "undici.request + Agent", ["node", NODE_CLIENT, a.base, "undici"]),
    ]
    per: dict = {}
    for lang, mode, name, cmd in clients:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{lang}-{name}".lower()).strip("-")
        lo, hi = (a.node_low, a.node_high) if lang == "node" else (a.low, a.high)
        low = collected([*cmd, str(lo)], os.devnull)
        high = collected([*cmd, str(hi)], os.path.join(keep, f"{slug}.out") if keep else os.devnull)
        per[(lang, name)] = (high - low) / (hi - lo)
        print("RESULT " + json.dumps({"lang": lang, "mode": f"instr-{mode}", "client": name, "instructions": per[(lang, name)]}))
    print("\nInstructions per lookup, callgrind, client process only, (I(high) - I(low)) / (high - low) lookups")
    for (lang, name), v in per.items():
        print(f"  {lang:7} {name:42} {v:12,.0f}")
    for lang, ours, theirs in (
        ("rust", "enneo get_customer", "reqwest + serde"),
        ("rust", "enneo get_customer, feature opentelemetry", "enneo get_customer"),
        ("rust", "enneo get_customers", "reqwest + buffered"),
        ("rust", "enneo customers_arrow", "enneo get_customers"),
        ("python", "enneo.Client", "httpx.Client"),
        ("node", "enneo getCustomer", "undici.request + Agent"),
    ):
        print(f"  {lang}: {ours} / {theirs} = {per[(lang, ours)] / per[(lang, theirs)]:.3f}")


if __name__ == "__main__":
    main()

"""Turns the RESULT lines of one `make bench` run into bench/RESULTS.md.

Usage: python3 bench/report.py RESULTS.jsonl OUT.md "COMMAND"
Ratios are computed on the nginx run (the neutral server); the mock run is
listed beside it. Standard library only.
"""

import datetime
import json
import os
import platform
import subprocess
import sys
from typing import Callable, Dict, List, Optional, Tuple

results_path, out_path, command = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(line) for line in open(results_path) if line.strip()]


def us(server: str, lang: str, client: str) -> float:
    for r in rows:
        if (r["server"], r["lang"], r["client"]) == (server, lang, client):
            return float(r["us"])
    raise KeyError(f"no result for {server}/{lang}/{client}")


def mb(lang: str, mode: str = "rss") -> float:
    return next(float(r["mb"]) for r in rows if r["lang"] == lang and r["mode"] == mode)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def machine() -> str:
    model = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({model}), {mem_kb / 1024 / 1024:.0f} GiB, Linux {platform.release()}"


S = "nginx"
# (comparison, how the figure is made, value, target test, target text)
Target = Tuple[str, str, float, Callable[[float], bool], str]
# Python's two bulk calls: get_customers (a list) and iter_customers (a
# stream, which decodes while later requests are in flight).
py_bulk = min(us(S, "python", "enneo.Client.get_customers"), us(S, "python", "enneo.Client.iter_customers"))
undici_seq = min(us(S, "node", "undici.request"), us(S, "node", "undici.request + Agent"))
enneo_node_conc = min(us(S, "node", "enneo getCustomers"), us(S, "node", "enneo getCustomer + pool"))
targets: List[Target] = [
    ("Node sequential, vs `undici.request`", "faster undici variant's time / enneo getCustomer's",
     undici_seq / us(S, "node", "enneo getCustomer"), lambda v: v >= 1.0, "≥ 1.0×"),
    ("Node concurrent (64), vs undici with a 64-connection Agent", "undici Agent pool / faster of enneo getCustomers and getCustomer pool",
     us(S, "node", "undici.request + Agent + pool") / enneo_node_conc, lambda v: v >= 1.5, "≥ 1.5×"),
    ("Python sequential, vs httpx", "httpx.Client / enneo.Client",
     us(S, "python", "httpx.Client") / us(S, "python", "enneo.Client"), lambda v: v >= 3.0, "≥ 3×"),
    ("Python bulk (64), vs aiohttp", "aiohttp + gather / faster of enneo get_customers and iter_customers",
     us(S, "python", "aiohttp + gather") / py_bulk, lambda v: v >= 4.0, "≥ 4×"),
    ("Python bulk throughput, share of raw Rust reqwest bulk", "reqwest + buffer_unordered / faster enneo Python bulk call",
     us(S, "rust", "reqwest + buffer_unordered") / py_bulk, lambda v: v >= 0.75, "≥ 75%"),
    ("Rust sequential, enneo time over raw reqwest + serde_json", "enneo get_customer / reqwest + serde",
     us(S, "rust", "enneo get_customer") / us(S, "rust", "reqwest + serde"), lambda v: v <= 1.05, "≤ 1.05×"),
    ("Rust bulk, enneo time over raw reqwest + `buffer_unordered`", "enneo get_customers / reqwest + buffer_unordered",
     us(S, "rust", "enneo get_customers") / us(S, "rust", "reqwest + buffer_unordered"), lambda v: v <= 1.05, "≤ 1.05×"),
]


def shown(name: str, v: float) -> str:
    return f"{v * 100:.0f}%" if "share" in name else f"{v:.2f}×"


out: List[str] = []
w = out.append
w("# Benchmark results\n")
w(f"- Command: `{command}`")
w(f"- Commit: `{git('rev-parse', '--short', 'HEAD')}`{' (with uncommitted changes)' if git('status', '--porcelain', '--untracked-files=no') else ''}")
w(f"- Machine: {machine()}; the clients and the server share its cores")
w(f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
w("- Method: release builds; every client against the same server in one run; rounds interleave the clients after a warm-up round; medians. "
  "Every client decodes each body in full (the baselines with their `.json()`, enneo by reading a field). "
  "Ratios use the nginx run (nginx 1 worker serving the seed customer as a static file for every id).\n")
w("## Targets (issue 9), nginx run\n")
w("| comparison | figure | measured | target | met |")
w("| --- | --- | --- | --- | --- |")
for name, how, v, ok, target in targets:
    w(f"| {name} | {how} | {shown(name, v)} | {target} | {'yes' if ok(v) else '**no**'} |")
for lang, call in (("python", "get_customers"), ("node", "getCustomers")):
    r = next(r for r in rows if r["lang"] == lang and r["mode"] == "rss")
    v = float(r["mb"])
    w(f"| Memory: {lang} peak RSS | {r['client']} | {v:.0f} MB | under 500 MB | {'yes' if v < 500 else '**no**'} |")
w("")
instr = {(r["lang"], r["client"]): float(r["instructions"]) for r in rows if r["mode"].startswith("instr-")}
if instr:
    w("## Instructions per lookup (issue 22), nginx run\n")
    w("`valgrind --tool=callgrind`, the client process only (every thread; the server is another process): "
      "(count at 1 200 lookups - count at 200) / 1 000; Node's (count at 4 000 - count at 2 000) / 2 000, past V8's warm-up. "
      "The Rust examples run on a current-thread runtime, where a count repeats to within a few instructions; "
      "Python's and Node's move by about 1% (thread wake-ups, the JIT), far less than a time does.\n")
    w("| language | client | instructions/lookup | baseline | ratio | target | met |")
    w("| --- | --- | --- | --- | --- | --- | --- |")
    for lang, ours, theirs, limit in (
        ("rust", "enneo get_customer", "reqwest + serde", 1.02),
        ("rust", "enneo get_customers", "reqwest + buffered", 1.02),
        # Tracing compiled in but not set up costs nothing; 1% is how much a count moves.
        ("rust", "enneo get_customer, feature opentelemetry", "enneo get_customer", 1.01),
        ("python", "enneo.Client", "httpx.Client", None),
        ("node", "enneo getCustomer", "undici.request + Agent", None),
    ):
        if (lang, ours) in instr and (lang, theirs) in instr:
            v = instr[(lang, ours)] / instr[(lang, theirs)]
            target = f"≤ {limit:.2f}×" if limit else "(none)"
            met = ("yes" if v <= limit else "**no**") if limit else ""
            w(f"| {lang} | {ours} | {instr[(lang, ours)]:,.0f} | {theirs}: {instr[(lang, theirs)]:,.0f} | {v:.3f}× | {target} | {met} |")
    w("")
columnar = [r for r in rows if r["mode"] == "arrow"]
if columnar:
    w("## Arrow and DataFrames (issue 32), nginx run\n")
    w("`bench/arrow_bench.py`: each call over the same ids in one process, rounds interleaved, medians; "
      "the ratio is to `get_customers` over the same ids with the results discarded (the lookups alone). "
      "Peak RSS: each call in a process of its own against the mock, the result held.\n")
    w("| call | µs/lookup | ratio | target | met |")
    w("| --- | --- | --- | --- | --- |")
    for r in columnar:
        limit = 1.15 if "customers_arrow" in r["client"] else 1.3 if "customers_frame" in r["client"] else None
        target = f"≤ {limit:.2f}×" if limit else "(baseline)"
        met = ("yes" if r["ratio"] <= limit else "**no**") if limit else ""
        w(f"| {r['client']} | {float(r['us']):.1f} | {r['ratio']:.2f}× | {target} | {met} |")
    sized = next((r for r in rows if r["mode"] == "arrow_nbytes"), None)
    if sized:
        w(f"| {sized['client']}: its own size (`nbytes`) | {float(sized['mb']):.0f} MiB | | | |")
    arrow_rss = next((r for r in rows if r["mode"] == "rss_arrow"), None)
    objects_rss = next((r for r in rows if r["lang"] == "python" and r["mode"] == "rss_decoded"), None)
    if arrow_rss and objects_rss:
        v = float(arrow_rss["mb"]) / float(objects_rss["mb"])
        w(f"| Peak RSS: {arrow_rss['client']} / {objects_rss['client']} | {float(arrow_rss['mb']):.0f} MB / {float(objects_rss['mb']):.0f} MB | {v:.2f}× | ≤ 0.25× | {'yes' if v <= 0.25 else '**no**'} |")
    arrow_instr, bulk_instr = instr.get(("rust", "enneo customers_arrow")), instr.get(("rust", "enneo get_customers"))
    if arrow_instr and bulk_instr:
        v = arrow_instr / bulk_instr
        w(f"| Rust instructions/lookup: customers_arrow / get_customers | {arrow_instr:,.0f} / {bulk_instr:,.0f} | {v:.3f}× | ≤ 1.10× | {'yes' if v <= 1.1 else '**no**'} |")
    w("")
imports = [r for r in rows if r["mode"] == "import"]
if imports:
    w("## Import time\n")
    w("Each import in a fresh process (`python -c \"import X\"`, `node -e \"require(X)\"`), median of 21 in rotated order, "
      "less the median of a process that imports nothing. \"enneo's share\" is enneo's time over the library's.\n")
    w("| language | import | ms over a bare process | enneo's share |")
    w("| --- | --- | --- | --- |")
    for r in imports:
        ours = next(x for x in imports if x["lang"] == r["lang"] and x["client"] == "enneo")
        share = "" if r is ours else f"{float(ours['ms']) / float(r['ms']):.2f}×"
        w(f"| {r['lang']} | {r['client']} | {float(r['ms']):.1f} | {share} |")
    w("")
limited = [r for r in rows if r["mode"] == "rate-limit"]
if limited:
    w("## Against a server's rate limit (issue 29), enneo-mock --rate-limit\n")
    w("Bulk lookups at default settings and concurrency 64 against a fresh mock per run: a token bucket of N a second "
      "(burst N/20), 429 with `Retry-After: 1` beyond it; \"announced\" adds `RateLimit-Policy`. "
      "time/(ids/limit) is 1.0 at the limit itself; targets: every lookup succeeds, at most 1.2×, 429s at most 10% of requests.\n")
    w("| language | limit × ids | succeeded | time / (ids / limit) | requests | 429s |")
    w("| --- | --- | --- | --- | --- | --- |")
    for r in limited:
        share = r["rate_limited"] / max(1, r["requests"])
        w(f"| {r['lang']} | {r['client']} | {r['ok'] / r['ids']:.1%} | {r['ratio']:.2f}× | {r['requests']} | {share:.1%} |")
    w("")
net = [r for r in rows if r["mode"] == "network"]
if net:
    w("## TLS, HTTP/2 and latency (issue 29), nginx behind a delaying proxy\n")
    w("10 000 lookups over TLS (a CA the bench makes) to nginx with `http2` (h2) or HTTP/1.1 only (h1); "
      "a TCP proxy holds each chunk for half the round trip in each direction. Handshakes are the connections the proxy accepted. "
      "The peers run at concurrency 64; enneo at 64 and at its default window (16, growing while the answers keep their time, up to 256).\n")
    w("| RTT | server | language | client | lookups/s | handshakes |")
    w("| --- | --- | --- | --- | --- | --- |")
    for r in net:
        w(f"| {r['rtt_ms']:.0f} ms | {r['proto']} | {r['lang']} | {r['client']} | {r['per_s']:.0f} | {r['handshakes']} |")
    w("")
    best = {}
    for r in net:
        if r["rtt_ms"] == 20 and not r["client"].startswith("enneo"):
            best[r["lang"]] = max(best.get(r["lang"], 0.0), r["per_s"])
    def ours(lang: str, label: str) -> float:
        return max((x["per_s"] for x in net if x["lang"] == lang and x["rtt_ms"] == 20
                    and x["client"].startswith("enneo") and x["client"].endswith(label)), default=0.0)
    if best:
        w("At 20 ms, 64 in flight allow at most 64 / 0.020 s = 3200 lookups/s, whoever sends them.\n")
        w("| language | enneo at 64 / best peer's | enneo at its default / best peer's | target | met |")
        w("| --- | --- | --- | --- | --- |")
        for lang, b in best.items():
            at64, default = ours(lang, "(64)") / b, ours(lang, "(default)") / b
            w(f"| {lang} | {at64:.2f}× | {default:.2f}× | ≥ 1.5× | {'yes' if default >= 1.5 else '**no**'} |")
        w("")
cold = [r for r in rows if r["mode"] == "cold"]
if cold:
    w("Cold start, process start to the first customer over TLS at 20 ms RTT, imports included (median of 5):\n")
    w("| language | client | ms |")
    w("| --- | --- | --- |")
    for r in cold:
        w(f"| {r['lang']} | {r['client']} | {r['ms']:.0f} |")
    w("")
w("## The floor: how close each client gets to `wrk`\n")
w("`wrk -t1` with 1 and 64 connections; µs per lookup is 1 / throughput. \"of floor\" is wrk's time over the client's: 100% would be a client that costs nothing.\n")
w("| server | client | µs/lookup | of floor |")
w("| --- | --- | --- | --- |")
for server in ("nginx", "mock"):
    for mode, floor_name in (("seq", "wrk -c1"), ("conc", "wrk -c64")):
        floor = us(server, "wrk", floor_name)
        w(f"| {server} | **{floor_name}** | {floor:.1f} | 100% |")
        for r in rows:
            if r["server"] == server and r["mode"] == mode and r["lang"] != "wrk":
                w(f"| {server} | {r['lang']}: {r['client']} ({'sequential' if mode == 'seq' else 'concurrency 64'}) | {r['us']:.1f} | {floor / r['us'] * 100:.0f}% |")
w("")
w("## OpenTelemetry (issue 19), nginx run\n")
w("Sequential lookups, each mode in processes of its own (the providers are global), rotated; medians. "
  "\"absent\": nothing of OpenTelemetry is loaded; with the SDK configured, every lookup is a span with a batch processor whose exporter drops it.\n")
w("| language | mode | µs/lookup | over absent | added per lookup |")
w("| --- | --- | --- | --- | --- |")
for lang in ("python", "node"):
    traced = [r for r in rows if r["lang"] == lang and r["mode"] == "tracing"]
    base = next((r["us"] for r in traced if r["client"].endswith("OpenTelemetry absent")), None)
    for r in traced:
        if base is not None:
            w(f"| {lang} | {r['client'].split(', ', 1)[1]} | {r['us']:.1f} | {r['us'] / base:.2f}× | {r['us'] - base:+.1f} µs |")
w("")
w("## Peak RSS\n")
w("| language | run | peak RSS |")
w("| --- | --- | --- |")
for r in rows:
    if r["mode"].startswith("rss"):
        w(f"| {r['lang']} | {r['client']} | {r['mb']:.0f} MB |")
w("")
open(out_path, "w").write("\n".join(out))

"""What enneo's OpenTelemetry support costs per lookup (Python).

Usage: python bench/tracing_bench.py BASE_URL [--n N] [--rounds R]
Each mode runs in a process of its own, since the tracer provider is
process-global; rounds rotate the modes. A child times N sequential
`get_customer` calls after a warm-up of N/10. Modes:
- absent: OpenTelemetry cannot be imported (as when it is not installed);
- api: `opentelemetry.trace` imported, no provider configured;
- sdk: the SDK's TracerProvider with a batch processor whose exporter drops
  the spans, and the default W3C propagator: every lookup is a span.
Prints each median, also as a `RESULT {json}` line for bench/report.py.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

MODES = {"absent": "OpenTelemetry absent", "api": "OpenTelemetry API, no provider", "sdk": "OpenTelemetry SDK, spans on"}


def child(mode: str, base: str, n: int) -> None:
    if mode == "absent":
        class Block:
            def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
                if name.split(".")[0] == "opentelemetry":
                    raise ImportError(name)

        sys.meta_path.insert(0, Block())  # type: ignore[arg-type]
    elif mode == "api":
        import opentelemetry.trace  # noqa: F401
    else:
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

        class Drop(SpanExporter):
            def export(self, spans):  # type: ignore[no-untyped-def]
                return SpanExportResult.SUCCESS

        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(Drop()))
        trace.set_tracer_provider(provider)
    import enneo

    client = enneo.Client(base_url=base, token="bench")
    for i in range(max(n // 10, 1)):
        client.get_customer(i + 1)
    start = time.perf_counter()
    for i in range(n):
        assert client.get_customer(i + 1).contracts is not None
    print(json.dumps((time.perf_counter() - start) / n * 1e6))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("base")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--child")
    a = p.parse_args()
    if a.child:
        return child(a.child, a.base, a.n)
    times = {m: [] for m in MODES}
    modes = list(MODES)
    for r in range(a.rounds):
        for m in modes[r % len(modes):] + modes[: r % len(modes)]:
            out = subprocess.run([sys.executable, __file__, a.base, "--n", str(a.n), "--child", m], capture_output=True, text=True, check=True)
            times[m].append(float(out.stdout.strip().splitlines()[-1]))
    absent = statistics.median(times["absent"])
    print(f"\nPython, sequential get_customer, {a.n} lookups, median of {a.rounds} processes per mode")
    for m, label in MODES.items():
        v = statistics.median(times[m])
        print(f"  {label:34} {v:8.1f} µs/lookup  {v / absent:5.2f}× absent")
        print("RESULT " + json.dumps({"lang": "python", "mode": "tracing", "client": f"enneo.Client, {label}", "us": v}))


if __name__ == "__main__":
    main()

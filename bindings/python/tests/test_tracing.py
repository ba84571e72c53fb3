"""OpenTelemetry: every lookup is a CLIENT span, child of the caller's span,
whose context reaches the server as `traceparent`.

Spans go to the SDK's in-memory exporter; the server is the mock on
loopback, whose request log shows the headers each request carried. The
tracer provider is process-global, so it is set once, by the first test
here; the cases without OpenTelemetry run in child processes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import textwrap
from typing import Any, Dict, Iterator, List

import pytest

import enneo

trace = pytest.importorskip("opentelemetry.trace")
from opentelemetry import metrics  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

ROUTE = "/customer/byCustomerId/{customerId}"
TOKEN = "tr4ce-secret-token"
_exporter = InMemorySpanExporter()
_reader = InMemoryMetricReader()


@pytest.fixture(scope="module", autouse=True)
def _sdk() -> Iterator[None]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(_exporter))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[_reader]))
    yield


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    _exporter.clear()
    yield _exporter


def lookups(exporter: InMemorySpanExporter) -> List[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.name == f"GET {ROUTE}"]


def traceparent(span: ReadableSpan) -> str:
    c = span.get_span_context()
    return f"00-{c.trace_id:032x}-{c.span_id:016x}-{int(c.trace_flags):02x}"


def sent_traceparents(mock: Any) -> List[str]:
    return [r["headers"].get("traceparent") for r in mock.requests()]


def assert_children(exporter: InMemorySpanExporter, parent: Any, n: int) -> List[ReadableSpan]:
    found = lookups(exporter)
    assert len(found) == n
    p = parent.get_span_context()
    for s in found:
        assert s.kind == trace.SpanKind.CLIENT
        assert s.parent is not None and s.parent.span_id == p.span_id
        assert s.context.trace_id == p.trace_id
    assert len({s.context.span_id for s in found}) == n
    return found


def test_a_lookup_is_a_client_span_with_the_http_attributes(make_mock, spans) -> None:
    m = make_mock(token=TOKEN)
    client = enneo.Client(base_url=m.base_url, token=TOKEN)
    with trace.get_tracer("app").start_as_current_span("handler") as parent:
        customer = client.get_customer(83771)
    assert customer.id == 83771
    (span,) = assert_children(spans, parent, 1)
    port = int(m.url.rsplit(":", 1)[1])
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": port,
        "url.full": f"{m.base_url}/customer/byCustomerId/83771",
        "http.route": ROUTE,
        "http.response.status_code": 200,
    }
    assert span.status.status_code == trace.StatusCode.UNSET
    assert span.end_time is not None and span.start_time is not None and span.end_time >= span.start_time
    # The server received the lookup span's own context, and the token
    # appears in no attribute.
    assert sent_traceparents(m) == [traceparent(span)]
    assert all(TOKEN not in str(v) for v in (span.attributes or {}).values())


def test_a_404_is_an_error_span(make_mock, spans) -> None:
    m = make_mock(fixtures={})
    client = enneo.Client(base_url=m.base_url)
    with trace.get_tracer("app").start_as_current_span("handler") as parent:
        with pytest.raises(enneo.NotFoundError):
            client.get_customer(404404)
    (span,) = assert_children(spans, parent, 1)
    attrs = dict(span.attributes or {})
    assert attrs["http.response.status_code"] == 404
    assert attrs["error.type"] == "404"
    assert span.status.status_code == trace.StatusCode.ERROR
    assert sent_traceparents(m) == [traceparent(span)]


def test_a_connection_failure_has_its_error_type(spans) -> None:
    client = enneo.Client(base_url="http://127.0.0.1:9/api", max_retries=0)
    with pytest.raises(enneo.APIConnectionError):
        client.get_customer(1)
    (span,) = lookups(spans)
    attrs = dict(span.attributes or {})
    assert attrs["error.type"] == "connection_error"
    assert "http.response.status_code" not in attrs
    assert span.status.status_code == trace.StatusCode.ERROR


def test_retries_are_one_span_with_the_resend_count(mock, spans) -> None:
    client = enneo.Client(base_url=mock.faulty("status=503;retry-after-ms=10;fail-first=1"))
    raw = client.with_raw_response.get_customer(7)
    assert raw.retries_taken == 1
    (span,) = lookups(spans)
    attrs = dict(span.attributes or {})
    assert attrs["http.request.resend_count"] == 1
    assert attrs["http.response.status_code"] == 200
    assert span.status.status_code == trace.StatusCode.UNSET
    # Both attempts carried the one span's context.
    assert sent_traceparents(mock) == [traceparent(span)] * 2


def test_retries_exhausted_end_in_error(mock, spans) -> None:
    client = enneo.Client(base_url=mock.faulty("status=500;retry-after-ms=5"), max_retries=1)
    with pytest.raises(enneo.InternalServerError):
        client.get_customer(7)
    (span,) = lookups(spans)
    attrs = dict(span.attributes or {})
    assert attrs["http.request.resend_count"] == 1
    assert attrs["error.type"] == "500"


def test_bulk_makes_a_child_span_per_id(mock, spans) -> None:
    client = enneo.Client(base_url=mock.base_url)
    ids = [1, 2, 3, 4, 5, 6, 7, 8]
    with trace.get_tracer("app").start_as_current_span("batch") as parent:
        results = client.get_customers(ids, concurrency=4)
    assert [c.id for c in results] == ids  # type: ignore[union-attr]
    found = assert_children(spans, parent, len(ids))
    assert sorted(sent_traceparents(mock)) == sorted(traceparent(s) for s in found)
    by_url = {dict(s.attributes or {})["url.full"]: s for s in found}
    assert sorted(by_url) == sorted(f"{mock.base_url}/customer/byCustomerId/{i}" for i in ids)


def test_bulk_failures_keep_their_spans(mock, spans) -> None:
    client = enneo.Client(base_url=mock.faulty("status=404"))
    results = client.get_customers([1, 2, ""])
    assert [type(r) for r in results] == [enneo.NotFoundError, enneo.NotFoundError, enneo.InvalidArgumentError]
    # The empty id is refused before sending: it has no span.
    found = lookups(spans)
    assert len(found) == 2
    assert all(dict(s.attributes or {})["error.type"] == "404" for s in found)


def test_async_single_bulk_and_stream_are_children(mock, spans) -> None:
    client = enneo.AsyncClient(base_url=mock.base_url)
    tracer = trace.get_tracer("app")

    async def run() -> Dict[str, Any]:
        parents = {}
        with tracer.start_as_current_span("single") as parents["single"]:
            await client.get_customer(1)
        with tracer.start_as_current_span("bulk") as parents["bulk"]:
            await client.get_customers([2, 3, 4])
        with tracer.start_as_current_span("stream") as parents["stream"]:
            [c async for c in client.iter_customers([5, 6], concurrency=2)]
        with tracer.start_as_current_span("raw") as parents["raw"]:
            await client.with_raw_response.get_customer(7)
        return parents

    parents = asyncio.run(run())
    found = lookups(spans)
    assert len(found) == 7
    by_parent: Dict[str, int] = {}
    ids = {name: p.get_span_context().span_id for name, p in parents.items()}
    for s in found:
        assert s.parent is not None
        name = next(n for n, i in ids.items() if i == s.parent.span_id)
        by_parent[name] = by_parent.get(name, 0) + 1
    assert by_parent == {"single": 1, "bulk": 3, "stream": 2, "raw": 1}
    assert sorted(sent_traceparents(mock)) == sorted(traceparent(s) for s in found)


def test_a_stream_left_early_ends_every_span(mock, spans) -> None:
    client = enneo.Client(base_url=mock.base_url)
    with trace.get_tracer("app").start_as_current_span("stream") as parent:
        for n, _ in enumerate(client.iter_customers(range(1, 50), concurrency=4)):
            if n == 2:
                break
    found = lookups(spans)
    p = parent.get_span_context().span_id
    assert all(s.parent is not None and s.parent.span_id == p for s in found)
    done = [s for s in found if dict(s.attributes or {}).get("http.response.status_code") == 200]
    aborted = [s for s in found if dict(s.attributes or {}).get("error.type") == "aborted"]
    assert len(done) >= 3 and len(done) + len(aborted) == len(found)
    # Every id fed got a span, and every span ended (the exporter only has ended ones).
    assert len(found) <= 49


def test_dataframes_trace_each_lookup(mock, spans) -> None:
    pytest.importorskip("pandas")
    client = enneo.Client(base_url=mock.base_url)
    with trace.get_tracer("app").start_as_current_span("frame") as parent:
        frame = client.customers_frame([1, 2, 3], contracts=False)
    assert len(frame) == 3
    assert_children(spans, parent, 3)


def test_arrow_batches_trace_each_lookup_and_end_unread_ones(mock, spans) -> None:
    pa = pytest.importorskip("pyarrow")
    client = enneo.Client(base_url=mock.base_url)
    with trace.get_tracer("app").start_as_current_span("arrow") as parent:
        table = pa.table(client.customers_arrow([1, 2, 3, "x" * 51], batch_size=2))
    assert table.num_rows == 4
    found = assert_children(spans, parent, 4)
    statuses = sorted(dict(s.attributes or {}).get("http.response.status_code") for s in found)
    assert statuses == [200, 200, 200, 404]
    # Each request carried its own span's context.
    sent = {r["headers"]["traceparent"].split("-")[2] for r in mock.requests()[-4:]}
    assert sent == {format(s.context.span_id, "016x") for s in found}
    spans.clear()
    # Never read: every span still ends, as abandoned.
    reader = client.customers_arrow([1, 2])
    del reader
    gc.collect()
    assert [dict(s.attributes or {}).get("error.type") for s in lookups(spans)] == ["aborted", "aborted"]


def test_the_duration_histogram_is_recorded(mock, spans) -> None:
    client = enneo.Client(base_url=mock.base_url)
    client.get_customers([1, 2, 3])
    data = _reader.get_metrics_data()
    points = [
        p
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        if sm.scope.name == "enneo"
        for metric in sm.metrics
        if metric.name == "http.client.request.duration" and metric.unit == "s"
        for p in metric.data.data_points
    ]
    ok = [p for p in points if dict(p.attributes).get("http.response.status_code") == 200]
    assert ok and sum(p.count for p in ok) >= 3
    assert set(dict(ok[0].attributes)) == {"http.request.method", "server.address", "server.port", "http.response.status_code"}


def remote_parent() -> Any:
    """A caller's span from another process, with a tracestate."""
    from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, TraceState

    return NonRecordingSpan(SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=True,
        trace_flags=TraceFlags(1),
        trace_state=TraceState([("vendor", "x1")]),
    ))


def test_the_callers_tracestate_goes_out(mock, spans) -> None:
    with trace.use_span(remote_parent()):
        enneo.Client(base_url=mock.base_url).get_customer(1)
    (span,) = lookups(spans)
    (request,) = mock.requests()
    assert request["headers"]["traceparent"] == traceparent(span)
    assert request["headers"]["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")
    assert request["headers"]["tracestate"] == "vendor=x1"


def test_a_propagator_of_another_format_still_sends_w3c(mock, spans) -> None:
    # A propagator that writes no traceparent (B3, Jaeger): the core formats
    # the W3C one from the span's ids, with the caller's tracestate.
    from opentelemetry import propagate
    from opentelemetry.propagators.composite import CompositePropagator
    before = propagate.get_global_textmap()
    propagate.set_global_textmap(CompositePropagator([]))
    try:
        with trace.use_span(remote_parent()):
            enneo.Client(base_url=mock.base_url).get_customer(1)
    finally:
        propagate.set_global_textmap(before)
    (span,) = lookups(spans)
    (request,) = mock.requests()
    assert request["headers"]["traceparent"] == traceparent(span)
    assert request["headers"]["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")
    assert request["headers"]["tracestate"] == "vendor=x1"


def _child(code: str, env: Dict[str, str], mock: Any) -> Dict[str, Any]:
    script = textwrap.dedent(code)
    out = subprocess.run(
        [sys.executable, "-c", script, mock.base_url],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env},
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_without_opentelemetry_nothing_is_imported(mock) -> None:
    # The API package made unimportable, as when it is not installed.
    result = _child(
        """
        import json, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "opentelemetry" or name.startswith("opentelemetry."):
                    raise ImportError("blocked: " + name)
        sys.meta_path.insert(0, Block())
        import enneo
        c = enneo.Client(base_url=sys.argv[1])
        one = c.get_customer(1).id
        many = [x.id for x in c.get_customers([2, 3])]
        streamed = [x.id for x in c.iter_customers([4])]
        print(json.dumps({"ids": [one, *many, *streamed], "otel": sorted(m for m in sys.modules if m.startswith("opentelemetry"))}))
        """,
        {},
        mock,
    )
    assert result == {"ids": [1, 2, 3, 4], "otel": []}
    assert all(r["headers"].get("traceparent") is None for r in mock.requests())


def test_installed_but_unused_is_not_imported(mock) -> None:
    result = _child(
        """
        import json, sys, enneo
        enneo.Client(base_url=sys.argv[1]).get_customer(1)
        print(json.dumps({"otel": sorted(m for m in sys.modules if m.startswith("opentelemetry"))}))
        """,
        {},
        mock,
    )
    assert result == {"otel": []}


_CONFIGURED = """
import json, sys
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
if sys.argv[2] == "configured":
    trace.set_tracer_provider(provider)
import enneo
enneo.Client(base_url=sys.argv[1]).get_customer(1)
print(json.dumps({"spans": [s.name for s in exporter.get_finished_spans()]}))
"""


@pytest.mark.parametrize(
    ("env", "mode", "spans_made"),
    [({"ENNEO_TRACING": "off"}, "configured", 0), ({}, "unconfigured", 0), ({}, "configured", 1)],
)
def test_tracing_off_or_unconfigured_sends_nothing(mock, env, mode, spans_made) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _CONFIGURED, mock.base_url, mode],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env},
    )
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["spans"]) == spans_made
    sent = [r["headers"].get("traceparent") for r in mock.requests()]
    assert (sent[0] is not None) == bool(spans_made)

"""OpenTelemetry spans and metrics for enneo's lookups.

enneo's HTTP runs in Rust, where no Python instrumentation (httpx,
requests, urllib3) can see it, so enneo makes its spans itself: a CLIENT
span per lookup, child of the caller's current span, whose context goes out
as ``traceparent``/``tracestate``. What the spans carry (names, attributes,
``error.type``) is decided by the core; this module only copies it onto the
OpenTelemetry API's objects.

Nothing of OpenTelemetry is imported unless the application imported it
first: each call looks ``opentelemetry.trace`` up in ``sys.modules``, so an
application without OpenTelemetry pays one dictionary lookup. A tracer
provider must be configured (anything but the API's default proxy);
``ENNEO_TRACING=off`` turns the spans off.
"""

import sys
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import _native

_ENABLED = bool(_native.tracing_enabled())
# The duration histogram's advisory buckets (and, per lookup, the attributes
# it keeps): the core's.
_BUCKETS = list(_native.DURATION_BUCKETS)

Trace = Optional[Tuple[str, Optional[str]]]
_otel: Optional["_Otel"] = None


def active() -> Optional["_Otel"]:
    """The tracer to use for this call, or None when spans are off."""
    global _otel
    if not _ENABLED or "opentelemetry.trace" not in sys.modules:
        return None
    if _otel is None:
        _otel = _Otel()
    return _otel if _otel.configured() else None


class _Otel:
    def __init__(self) -> None:
        from opentelemetry import metrics, propagate, trace

        # Kept as plain objects: the modules are the application's, not enneo's.
        self._trace: Any = trace
        self._propagate: Any = propagate
        self._kind = trace.SpanKind.CLIENT
        self._error = trace.Status(trace.StatusCode.ERROR)
        version = _native.__version__
        self._tracer = trace.get_tracer("enneo", version)
        meter = metrics.get_meter("enneo", version)
        name, unit, description = _native.DURATION_METRIC
        try:
            self._duration = meter.create_histogram(name, unit=unit, description=description, explicit_bucket_boundaries_advisory=_BUCKETS)
        except TypeError:  # an API older than the advisory parameter
            self._duration = meter.create_histogram(name, unit=unit, description=description)

    def configured(self) -> bool:
        provider = self._trace.get_tracer_provider()
        return not isinstance(provider, (self._trace.ProxyTracerProvider, self._trace.NoOpTracerProvider))

    def start(self, native: Any, operation: str, args: Sequence[Any]) -> Tuple[Optional[Any], Trace]:
        """Starts the span of one lookup as a child of the current context;
        returns it with the trace context to send. Bad arguments raise, as
        the call itself would."""
        return self._open(native.span_start(operation, args))

    def start_many(self, native: Any, operation: str, ids: Sequence[Any]) -> Tuple[List[Optional[Any]], List[Trace]]:
        """A span per id; the core gives none for an id it refuses."""
        spans: List[Optional[Any]] = []
        traces: List[Trace] = []
        for start in native.span_starts(operation, ids):
            span, trace = (None, None) if start is None else self._open(start)
            spans.append(span)
            traces.append(trace)
        return spans, traces

    def _open(self, start: Tuple[str, List[Tuple[str, Any]]]) -> Tuple[Optional[Any], Trace]:
        name, attributes = start
        span = self._tracer.start_span(name, kind=self._kind, attributes=dict(attributes))
        context = span.get_span_context()
        if not context.is_valid:
            return None, None
        carrier: Dict[str, str] = {}
        self._propagate.inject(carrier, context=self._trace.set_span_in_context(span))
        # What the propagator wrote, or the W3C form when it wrote another
        # format: the core decides.
        trace = _native.trace_headers(
            carrier.get("traceparent"),
            carrier.get("tracestate"),
            context.trace_id,
            context.span_id,
            int(context.trace_flags),
            context.trace_state.to_header() or None,
        )
        return span, trace

    def end(self, span: Any, end: Tuple[List[Tuple[str, Any]], Optional[str], int, float, List[Tuple[str, Any]]]) -> None:
        """Ends a span with what the core reported: attributes, error type,
        end time (ns since the epoch), duration in seconds, and the
        attributes the histogram records it with."""
        attributes, error_type, end_ns, duration, metric = end
        span.set_attributes(dict(attributes))
        if error_type is not None:
            span.set_status(self._error)
        span.end(end_time=end_ns)
        self._duration.record(duration, dict(metric))

    def abandon(self, span: Optional[Any]) -> None:
        """Ends the span of a lookup whose result was never taken."""
        if span is not None:
            span.set_attribute("error.type", _native.ABANDONED_ERROR_TYPE)
            span.set_status(self._error)
            span.end()

    def rows(self, spans: List[Optional[Any]]) -> "_RowSpans":
        """The ender of a columnar run's spans, one per row in order."""
        return _RowSpans(self, spans)

    def unpack(self, span: Optional[Any], item: Any) -> Any:
        """A traced item is ``(result, span_end)``: ends the span, returns the result."""
        if span is None:
            return item
        result, end = item
        self.end(span, end)
        return result

    def call(self, native: Any, operation: str, args: Sequence[Any], send: Callable[[Trace], Any]) -> Any:
        """Runs ``send`` (a blocking native call) inside a span; raises what it raised."""
        span, trace = self.start(native, operation, args)
        if span is None:
            return send(None)
        result = self.unpack(span, send(trace))
        if isinstance(result, BaseException):
            raise result
        return result

    async def call_async(self, native: Any, operation: str, args: Sequence[Any], send: Callable[[Trace], Any]) -> Any:
        """:meth:`call` for a native call that returns an awaitable."""
        span, trace = self.start(native, operation, args)
        if span is None:
            return await send(None)
        result = self.unpack(span, await send(trace))
        if isinstance(result, BaseException):
            raise result
        return result


class _RowSpans:
    """Ends a columnar run's spans as the native reader hands over each
    batch's span ends, in row order; ``close`` abandons those never read."""

    def __init__(self, otel: _Otel, spans: List[Optional[Any]]) -> None:
        self._otel = otel
        self._spans = spans
        self._next = 0

    def __call__(self, ends: List[Optional[Any]]) -> None:
        for end in ends:
            span = self._spans[self._next]
            self._next += 1
            if span is not None and end is not None:
                self._otel.end(span, end)

    def close(self) -> None:
        for span in self._spans[self._next :]:
            self._otel.abandon(span)
        self._next = len(self._spans)

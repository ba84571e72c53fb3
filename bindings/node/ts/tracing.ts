// OpenTelemetry spans and metrics for enneo's lookups.
//
// enneo's HTTP runs in Rust, where no instrumentation of http, undici or
// fetch sees it, so enneo makes its spans itself: a CLIENT span per lookup,
// child of the caller's active context (AsyncLocalStorage), whose context
// goes out as `traceparent`/`tracestate`. What the spans carry (name,
// attributes, `error.type`) is decided by the core; this module copies it
// onto the API's objects.
//
// `@opentelemetry/api` is an optional peer dependency, loaded only once
// the application has registered something with it (its global registry
// exists): an application without OpenTelemetry loads nothing and pays one
// property lookup per call. `ENNEO_TRACING=off` turns the spans off.

import type * as Native from '../native'

/** The parts of `@opentelemetry/api` used here (kept local, so that enneo's types never need the package). */
interface Api {
  trace: {
    getTracer(name: string, version?: string): Tracer
    setSpan(context: unknown, span: OtelSpan): unknown
    getTracerProvider(): unknown
  }
  context: { active(): unknown }
  propagation: { inject(context: unknown, carrier: Record<string, string>): void }
  metrics: { getMeter(name: string, version?: string): { createHistogram(name: string, options: object): Histogram } }
  SpanKind: { CLIENT: number }
  SpanStatusCode: { ERROR: number }
}
interface Tracer {
  startSpan(name: string, options: object, context: unknown): OtelSpan
}
interface OtelSpan {
  spanContext(): { traceId: string; spanId: string; traceFlags: number; traceState?: { serialize(): string } }
  setAttributes(attributes: Record<string, string | number>): void
  setAttribute(key: string, value: string | number): void
  setStatus(status: { code: number }): void
  end(endTime?: number): void
  isRecording(): boolean
}
interface Histogram {
  record(value: number, attributes: Record<string, string | number>): void
}

/** A lookup's span. */
export type Span = OtelSpan

const REGISTRY = Symbol.for('opentelemetry.js.api.1')
const INVALID_TRACE = '00000000000000000000000000000000'

let enabled: boolean | undefined
let loaded: Otel | null | undefined

/** What the native addon tells about tracing: the core's switch and lists. */
type Core = Pick<typeof Native, 'tracingEnabled' | 'durationBuckets' | 'durationMetric' | 'abandonedErrorType' | 'traceHeaders'>

/** The tracer for this call, or null when spans are off. */
export function active(native: Core): Otel | null {
  enabled ??= native.tracingEnabled()
  if (!enabled) return null
  const registry = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[REGISTRY]
  if (registry?.trace === undefined) return null
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = new Otel(require('@opentelemetry/api') as Api, native)
    } catch {
      loaded = null // registered by a copy of the API that enneo cannot resolve
    }
  }
  return loaded
}

function attributes(list: Native.SpanAttribute[]): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const a of list) out[a.key] = a.text ?? (a.int as number)
  return out
}

export class Otel {
  readonly #api: Api
  readonly #tracer: Tracer
  readonly #duration: Histogram
  readonly #native: Core

  constructor(api: Api, native: Core) {
    this.#api = api
    const version = (require('../package.json') as { version: string }).version
    this.#tracer = api.trace.getTracer('enneo', version)
    this.#native = native
    const { name, unit, description } = native.durationMetric()
    this.#duration = api.metrics.getMeter('enneo', version).createHistogram(name, {
      unit,
      description,
      advice: { explicitBucketBoundaries: native.durationBuckets() },
    })
  }

  /**
   * Starts the span of one lookup as a child of the active context and
   * returns it with the trace context to send; null when the tracer made
   * no real span. Bad arguments throw, as the call itself would reject.
   */
  start(native: Native.NativeClient, operation: string, args: unknown[]): [Span, Native.TraceArg] | null {
    return this.#open(native.spanStart(operation, args))
  }

  /** Spans for many ids (as `checkIds` gives them); the core gives none for an id it refuses. */
  startMany(native: Native.NativeClient, operation: string, ids: string[]): { spans: (Span | null)[]; traces: (Native.TraceArg | null)[] } {
    const spans: (Span | null)[] = []
    const traces: (Native.TraceArg | null)[] = []
    for (const start of native.spanStarts(operation, ids)) {
      const started = start ? this.#open(start) : null
      spans.push(started ? started[0] : null)
      traces.push(started ? started[1] : null)
    }
    return { spans, traces }
  }

  #open(start: Native.SpanStartInfo): [Span, Native.TraceArg] | null {
    const parent = this.#api.context.active()
    const span = this.#tracer.startSpan(start.name, { kind: this.#api.SpanKind.CLIENT, attributes: attributes(start.attributes) }, parent)
    const ctx = span.spanContext()
    if (ctx.traceId === INVALID_TRACE) return null
    const carrier: Record<string, string> = {}
    this.#api.propagation.inject(this.#api.trace.setSpan(parent, span), carrier)
    // What the propagator wrote, or the W3C form when it wrote another format: the core decides.
    const trace = this.#native.traceHeaders(carrier.traceparent, carrier.tracestate, ctx.traceId, ctx.spanId, ctx.traceFlags, ctx.traceState?.serialize() || undefined)
    return [span, trace]
  }

  /** Ends a span with what the core reported (a lookup that never ran, when nothing was). */
  end(span: Span | null, end: Native.SpanEndInfo | null | undefined): void {
    if (span === null) return
    if (end === null || end === undefined) return this.abandon(span)
    span.setAttributes(attributes(end.attributes))
    if (end.errorType !== null && end.errorType !== undefined) span.setStatus({ code: this.#api.SpanStatusCode.ERROR })
    span.end(end.endMs)
    this.#duration.record(end.durationMs / 1000, attributes(end.metricAttributes))
  }

  /** Ends the span of a lookup whose result never came (aborted, or the stream was left). */
  abandon(span: Span | null): void {
    if (span === null) return
    span.setAttribute('error.type', this.#native.abandonedErrorType())
    span.setStatus({ code: this.#api.SpanStatusCode.ERROR })
    span.end()
  }
}

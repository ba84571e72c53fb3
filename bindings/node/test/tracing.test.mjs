// OpenTelemetry: every lookup is a CLIENT span, child of the caller's active
// context, whose context reaches the server as `traceparent`. Spans go to the
// SDK's in-memory exporter; the mock's request log shows what each request
// carried. `node --test` runs each file in its own process, so the global
// providers registered here stay in this file.
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { trace, context, propagation, metrics, SpanKind, SpanStatusCode, TraceFlags, createTraceState } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace'
import { MeterProvider, InMemoryMetricExporter, AggregationTemporality, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { Client, NotFoundError, APIConnectionError, InternalServerError } from 'enneo'
import { startMock } from './helpers.mjs'

const ROUTE = '/customer/byCustomerId/{customerId}'
const TOKEN = 'tr4ce-node-secret'
const exporter = new InMemorySpanExporter()
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })
let mock

before(async () => {
  delete process.env.ENNEO_TOKEN
  delete process.env.ENNEO_BASE_URL
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }))
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
  mock = await startMock('--token', TOKEN)
})
after(() => mock.stop())
beforeEach(async () => {
  exporter.reset()
  await mock.clear()
})

const app = () => trace.getTracer('app')
const lookups = () => exporter.getFinishedSpans().filter((s) => s.name === `GET ${ROUTE}`)
const traceparent = (s) => {
  const c = s.spanContext()
  return `00-${c.traceId}-${c.spanId}-${c.traceFlags.toString(16).padStart(2, '0')}`
}
const sent = async (m = mock) => (await m.requests()).map((r) => r.headers.traceparent)
const parentId = (s) => s.parentSpanContext?.spanId ?? s.parentSpanId

/** Runs `fn` inside an active span named `name`; returns the span and fn's result. */
async function within(name, fn) {
  return app().startActiveSpan(name, async (span) => {
    try {
      return [span, await fn()]
    } finally {
      span.end()
    }
  })
}

function assertChildren(parent, n) {
  const found = lookups()
  assert.equal(found.length, n)
  for (const s of found) {
    assert.equal(s.kind, SpanKind.CLIENT)
    assert.equal(parentId(s), parent.spanContext().spanId)
    assert.equal(s.spanContext().traceId, parent.spanContext().traceId)
  }
  assert.equal(new Set(found.map((s) => s.spanContext().spanId)).size, n)
  return found
}

test('a lookup is a client span with the HTTP attributes', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: TOKEN })
  const [parent, customer] = await within('handler', () => client.getCustomer(83771))
  assert.equal(customer.id, 83771)
  const [span] = assertChildren(parent, 1)
  assert.deepEqual(span.attributes, {
    'http.request.method': 'GET',
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(mock.url).port),
    'url.full': `${mock.baseUrl}/customer/byCustomerId/83771`,
    'http.route': ROUTE,
    'http.response.status_code': 200,
  })
  assert.equal(span.status.code, SpanStatusCode.UNSET)
  assert.deepEqual(await sent(), [traceparent(span)])
  assert.ok(Object.values(span.attributes).every((v) => !String(v).includes(TOKEN)))
})

test('a 404 is an error span', async () => {
  const client = new Client({ baseUrl: mock.faulty('status=404'), token: TOKEN })
  const [parent] = await within('handler', () => assert.rejects(client.getCustomer(5), NotFoundError))
  const [span] = assertChildren(parent, 1)
  assert.equal(span.attributes['http.response.status_code'], 404)
  assert.equal(span.attributes['error.type'], '404')
  assert.equal(span.status.code, SpanStatusCode.ERROR)
  assert.deepEqual(await sent(), [traceparent(span)])
})

test('a connection failure has its error type', async () => {
  const client = new Client({ baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 })
  await assert.rejects(client.getCustomer(1), APIConnectionError)
  const [span] = lookups()
  assert.equal(span.attributes['error.type'], 'connection_error')
  assert.equal(span.attributes['http.response.status_code'], undefined)
  assert.equal(span.status.code, SpanStatusCode.ERROR)
})

test('retries are one span with the resend count', async () => {
  const client = new Client({ baseUrl: mock.faulty('status=503;retry-after-ms=10;fail-first=1'), token: TOKEN })
  const { response } = await client.getCustomer(7).withResponse()
  assert.equal(response.retriesTaken, 1)
  const [span] = lookups()
  assert.equal(span.attributes['http.request.resend_count'], 1)
  assert.equal(span.attributes['http.response.status_code'], 200)
  assert.deepEqual(await sent(), [traceparent(span), traceparent(span)])
})

test('retries exhausted end in error', async () => {
  const client = new Client({ baseUrl: mock.faulty('status=500;retry-after-ms=5'), token: TOKEN, maxRetries: 1 })
  await assert.rejects(client.getCustomer(7), InternalServerError)
  const [span] = lookups()
  assert.equal(span.attributes['http.request.resend_count'], 1)
  assert.equal(span.attributes['error.type'], '500')
})

test('getCustomers makes a child span per id', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: TOKEN })
  const ids = [1, 2, 3, 4, 5, 6, 7, 8]
  const [parent, results] = await within('batch', () => client.getCustomers([...ids, ''], { concurrency: 4 }))
  assert.deepEqual(results.slice(0, 8).map((r) => r.customer.id), ids)
  assert.equal(results[8].ok, false) // refused before sending: no span
  const found = assertChildren(parent, ids.length)
  assert.deepEqual((await sent()).sort(), found.map(traceparent).sort())
})

test('streamCustomers and withResponse are children; a stream left early ends every span', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: TOKEN })
  const [parent] = await within('stream', async () => {
    for await (const r of client.streamCustomers([1, 2, 3], { concurrency: 2 })) assert.ok(r.ok)
    await client.getCustomer(4).withResponse()
    let n = 0
    for await (const r of client.streamCustomers(Array.from({ length: 40 }, (_, i) => i + 10), { concurrency: 4 })) {
      assert.ok(r.ok)
      if (++n === 2) break
    }
  })
  const found = lookups()
  assert.ok(found.every((s) => parentId(s) === parent.spanContext().spanId))
  const ok = found.filter((s) => s.attributes['http.response.status_code'] === 200)
  const aborted = found.filter((s) => s.attributes['error.type'] === 'aborted')
  assert.ok(ok.length >= 6, `${ok.length} completed`)
  assert.equal(ok.length + aborted.length, found.length)
  const sentNow = new Set(await sent())
  for (const s of ok) assert.ok(sentNow.has(traceparent(s)))
})

test('the duration histogram is recorded', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: TOKEN })
  await client.getCustomers([1, 2, 3])
  await reader.forceFlush()
  const points = metricExporter
    .getMetrics()
    .flatMap((rm) => rm.scopeMetrics)
    .filter((sm) => sm.scope.name === 'enneo')
    .flatMap((sm) => sm.metrics)
    .filter((m) => m.descriptor.name === 'http.client.request.duration' && m.descriptor.unit === 's')
    .flatMap((m) => m.dataPoints)
  const ok = points.filter((p) => p.attributes['http.response.status_code'] === 200)
  assert.ok(ok.reduce((n, p) => n + p.value.count, 0) >= 3)
  assert.deepEqual(Object.keys(ok[0].attributes).sort(), ['http.request.method', 'http.response.status_code', 'server.address', 'server.port'])
})

// A caller's span from another process, with a tracestate.
const remoteParent = () =>
  trace.wrapSpanContext({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=x1'),
  })

test("the caller's tracestate goes out", async () => {
  const remote = remoteParent()
  const client = new Client({ baseUrl: mock.baseUrl, token: TOKEN })
  await context.with(trace.setSpan(context.active(), remote), () => client.getCustomer(1))
  const [span] = lookups()
  const [request] = await mock.requests()
  assert.equal(request.headers.traceparent, traceparent(span))
  assert.ok(request.headers.traceparent.startsWith('00-0af7651916cd43dd8448eb211c80319c-'))
  assert.equal(request.headers.tracestate, 'vendor=x1')
})

test('a propagator of another format still sends W3C', async () => {
  // One that writes no traceparent (B3, Jaeger): the core formats the W3C
  // one from the span's ids.
  const remote = remoteParent()
  const silent = { inject() {}, extract: (ctx) => ctx, fields: () => [] }
  propagation.disable()
  propagation.setGlobalPropagator(silent)
  try {
    const client = new Client({ baseUrl: mock.baseUrl, token: TOKEN })
    await context.with(trace.setSpan(context.active(), remote), () => client.getCustomer(1))
  } finally {
    propagation.disable()
    propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  }
  const [span] = lookups()
  const [request] = await mock.requests()
  assert.equal(request.headers.traceparent, traceparent(span))
  assert.ok(request.headers.traceparent.startsWith('00-0af7651916cd43dd8448eb211c80319c-'))
  assert.equal(request.headers.tracestate, 'vendor=x1')
})

// In child processes: the globals above are per process.
const enneoPath = createRequire(import.meta.url).resolve('enneo')
function child(code, env = {}) {
  const out = spawnSync(process.execPath, ['-e', code, mock.baseUrl, enneoPath], {
    encoding: 'utf8',
    env: { ...process.env, ...env, ENNEO_TOKEN: TOKEN },
    timeout: 60_000,
  })
  assert.equal(out.status, 0, out.stderr)
  return JSON.parse(out.stdout.trim().split('\n').at(-1))
}

test('without OpenTelemetry nothing of it is loaded', async () => {
  const result = child(`
    const { Client } = require(process.argv[2])
    new Client({ baseUrl: process.argv[1] }).getCustomer(1).then((c) =>
      console.log(JSON.stringify({ id: c.id, otel: Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')) })))
  `)
  assert.deepEqual(result, { id: 1, otel: [] })
  assert.deepEqual(await sent(), [undefined])
})

test('an API enneo cannot load leaves lookups working, untraced', async () => {
  // Something registered with the API's global, but the package does not
  // resolve from enneo (as when it is not installed).
  const result = child(`
    const Module = require('module')
    const resolve = Module._resolveFilename
    Module._resolveFilename = function (request, ...rest) {
      if (request.startsWith('@opentelemetry/')) throw Object.assign(new Error('not installed'), { code: 'MODULE_NOT_FOUND' })
      return resolve.call(this, request, ...rest)
    }
    globalThis[Symbol.for('opentelemetry.js.api.1')] = { version: '1.10.0', trace: {} }
    const { Client } = require(process.argv[2])
    new Client({ baseUrl: process.argv[1] }).getCustomers([1, 2]).then((r) => console.log(JSON.stringify({ ids: r.map((x) => x.customer.id) })))
  `)
  assert.deepEqual(result, { ids: [1, 2] })
  assert.deepEqual(await sent(), [undefined, undefined])
})

for (const [name, env, register, made] of [
  ['ENNEO_TRACING=off', { ENNEO_TRACING: 'off' }, true, 0],
  ['no provider registered', {}, false, 0],
  ['a provider registered', {}, true, 1],
]) {
  test(`spans and traceparent: ${name}`, async () => {
    const result = child(
      `
      const api = require(require.resolve('@opentelemetry/api', { paths: [process.argv[2]] }))
      const sdk = require(require.resolve('@opentelemetry/sdk-trace', { paths: [process.argv[2]] }))
      const exporter = new sdk.InMemorySpanExporter()
      if (${register}) api.trace.setGlobalTracerProvider(new sdk.TracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor({ exporter })] }))
      const { Client } = require(process.argv[2])
      new Client({ baseUrl: process.argv[1] }).getCustomer(1).then(() => console.log(JSON.stringify({ spans: exporter.getFinishedSpans().length })))
    `,
      env,
    )
    assert.equal(result.spans, made)
    const [tp] = await sent()
    assert.equal(tp !== undefined, made === 1)
  })
}

// What enneo's OpenTelemetry support costs per lookup (Node).
// Usage: node bench/node_tracing.mjs BASE_URL [n] [rounds]
// Each mode runs in a process of its own (the providers are global); rounds
// rotate the modes. A child times n sequential getCustomer calls after a
// warm-up of n/10. Modes: absent (nothing registered with
// @opentelemetry/api: enneo loads nothing of it), sdk (a TracerProvider with
// a processor whose exporter drops the spans, AsyncLocalStorage context,
// W3C propagator: every lookup is a span).
// Prints each median, also as a `RESULT {json}` line for bench/report.py.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../bindings/node/package.json'))
const MODES = { absent: 'OpenTelemetry absent', sdk: 'OpenTelemetry SDK, spans on' }
const [base, n = 2000, rounds = 5, childMode] = process.argv.slice(2).map((x, i) => (i === 0 || i === 3 ? x : Number(x)))

async function child(mode) {
  if (mode === 'sdk') {
    const api = require('@opentelemetry/api')
    const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace')
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks')
    const { W3CTraceContextPropagator } = require('@opentelemetry/core')
    const exporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} }
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
    api.propagation.setGlobalPropagator(new W3CTraceContextPropagator())
    api.trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] }))
  }
  const { Client } = require('./lib/index.js')
  const client = new Client({ baseUrl: base, token: 'bench' })
  for (let i = 1; i <= Math.max(n / 10, 1); i++) await client.getCustomer(i)
  const start = process.hrtime.bigint()
  for (let i = 1; i <= n; i++) if (!(await client.getCustomer(i)).contracts) throw new Error()
  console.log(JSON.stringify(Number(process.hrtime.bigint() - start) / 1000 / n))
}

if (childMode) {
  await child(childMode)
} else {
  const modes = Object.keys(MODES)
  const times = Object.fromEntries(modes.map((m) => [m, []]))
  for (let r = 0; r < rounds; r++) {
    for (const m of [...modes.slice(r % modes.length), ...modes.slice(0, r % modes.length)]) {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), base, String(n), '1', m], { encoding: 'utf8' })
      if (out.status !== 0) throw new Error(out.stderr)
      times[m].push(Number(out.stdout.trim().split('\n').at(-1)))
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const absent = median(times.absent)
  console.log(`\nNode, sequential getCustomer, ${n} lookups, median of ${rounds} processes per mode`)
  for (const [m, label] of Object.entries(MODES)) {
    const v = median(times[m])
    console.log(`  ${label.padEnd(34)} ${v.toFixed(1).padStart(8)} µs/lookup  ${(v / absent).toFixed(2)}× absent`)
    console.log('RESULT ' + JSON.stringify({ lang: 'node', mode: 'tracing', client: `enneo getCustomer, ${label}`, us: v }))
  }
}

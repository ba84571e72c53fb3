// `make soak`, Node: stream N lookups through streamCustomers and watch RSS.
// Usage: node tests/soak/soak.mjs BASE_URL [N]
// Prints throughput and RSS every 100 000 lookups; exits 1 when RSS grew by
// more than 50 MB between the 100 000th lookup and the last.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../bindings/node/package.json'))
const { Client } = require('./lib/index.js')

const STEP = 100_000
const LIMIT_MB = 50
const [base, n = 1_000_000] = [process.argv[2], Number(process.argv[3] ?? 1_000_000)]
const rssMb = () => process.memoryUsage().rss / 2 ** 20

function* ids() {
  for (let i = 1; i <= n; i++) yield i
}

const client = new Client({ baseUrl: base, token: 'soak' })
let i = 0
let failed = 0
let atStep = null
const start = performance.now()
let last = start
for await (const r of client.streamCustomers(ids(), { concurrency: 64 })) {
  if (!r.ok || !r.customer.contracts) failed++
  if (++i % STEP === 0) {
    const now = performance.now()
    const rss = rssMb()
    atStep ??= rss
    console.log(`node   ${String(i).padStart(9)} lookups  ${String(Math.round(STEP / ((now - last) / 1000))).padStart(8)}/s  RSS ${rss.toFixed(1).padStart(7)} MB`)
    last = now
  }
}
const growth = rssMb() - (atStep ?? rssMb())
const total = (performance.now() - start) / 1000
console.log(`node: ${n} lookups in ${total.toFixed(1)} s (${Math.round(n / total)}/s), ${failed} failed, RSS growth after ${STEP}: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`)
if (failed || growth > LIMIT_MB) {
  console.log(`node: FAILED (failed lookups or RSS growth above ${LIMIT_MB} MB)`)
  process.exit(1)
}

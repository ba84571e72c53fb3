// `make soak-leaks`, Node: N lookups (default 100 000) at concurrency 64, one
// in ten with a fault injected by the mock, then the process's file
// descriptors and threads compared with a baseline taken after a warm-up
// of the same mix. Exits 1 on growth.
// Usage: node tests/soak/leaks.mjs BASE_URL [N]
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../bindings/node/package.json'))
const { Client } = require('./lib/index.js')

// The mix is shared with the Python soak, in the fault vectors.
const FAULTS = JSON.parse(readFileSync(path.join(here, '../vectors/faults.json'), 'utf8')).soak_mix
const FD_SLACK = 8
const [base, n] = [process.argv[2], Number(process.argv[3] ?? 100_000)]
const fds = () => readdirSync('/proc/self/fd').length
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1])

const client = new Client({ baseUrl: base, token: 'soak', maxRetries: 1 })

async function run(start, count, outcomes) {
  let next = start
  const end = start + count
  async function worker() {
    while (next < end) {
      const i = next++
      const fault = i % 10 === 0 ? FAULTS[Math.floor(i / 10) % FAULTS.length] : null
      const options = fault ? { headers: { 'X-Mock-Fault': fault }, timeout: fault.startsWith('delay') ? 100 : undefined } : undefined
      try {
        await client.getCustomer(i, options)
        outcomes.ok = (outcomes.ok ?? 0) + 1
      } catch (e) {
        outcomes[e.code] = (outcomes[e.code] ?? 0) + 1
      }
    }
  }
  await Promise.all(Array.from({ length: 64 }, worker))
}

await run(1, 5_000, {})
const before = [fds(), threads()]
const outcomes = {}
await run(10_000_000, n, outcomes)
const after = [fds(), threads()]
console.log(`node: ${n} lookups, ${n - (outcomes.ok ?? 0)} failed by injected faults ${JSON.stringify(outcomes)}`)
console.log(`node: fds ${before[0]} -> ${after[0]}, threads ${before[1]} -> ${after[1]}`)
if (after[0] > before[0] + FD_SLACK || after[1] > before[1]) {
  console.log('node: FAILED (file descriptors or threads grew)')
  process.exit(1)
}

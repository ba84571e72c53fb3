// enneo (Node) against undici and fetch, same server, one run.
// Usage: node bench/node_bench.mjs BASE_URL [n] [bulk] [concurrency] [rounds]
// Prints each median, also as a `RESULT {json}` line for bench/report.py.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../bindings/node/package.json'))
const { Client } = require('./lib/index.js')
const { Agent, request } = require('undici')

const [base, n = 2000, bulkN = 20000, conc = 64, rounds = 3] = process.argv.slice(2).map((x, i) => (i === 0 ? x : Number(x)))
const headers = { authorization: 'Bearer bench' }
const client = new Client({ baseUrl: base, token: 'bench' })
const agent = new Agent({ connections: conc, pipelining: 1 })
const oneConnection = new Agent({ connections: 1, pipelining: 1 })

async function limited(count, fn) {
  let next = 1
  const worker = async () => {
    while (next <= count) await fn(next++)
  }
  await Promise.all(Array.from({ length: conc }, worker))
}

const sequential = {
  'enneo getCustomer': async () => { for (let i = 1; i <= n; i++) if (!(await client.getCustomer(i)).contracts) throw new Error() },
  'undici.request': async () => {
    for (let i = 1; i <= n; i++) {
      const r = await request(`${base}/customer/byCustomerId/${i}`, { headers })
      if (!(await r.body.json()).contracts) throw new Error()
    }
  },
  'undici.request + Agent': async () => {
    for (let i = 1; i <= n; i++) {
      const r = await request(`${base}/customer/byCustomerId/${i}`, { headers, dispatcher: oneConnection })
      if (!(await r.body.json()).contracts) throw new Error()
    }
  },
  fetch: async () => {
    for (let i = 1; i <= n; i++) if (!(await (await fetch(`${base}/customer/byCustomerId/${i}`, { headers })).json()).contracts) throw new Error()
  },
}

const ids = Array.from({ length: bulkN }, (_, i) => i + 1)
const bulk = {
  'enneo getCustomers': async () => { if (!(await client.getCustomers(ids, { concurrency: conc })).every((r) => r.ok)) throw new Error() },
  'enneo getCustomer + pool': () => limited(bulkN, (i) => client.getCustomer(i)),
  'undici.request + Agent + pool': () => limited(bulkN, async (i) => (await request(`${base}/customer/byCustomerId/${i}`, { headers, dispatcher: agent })).body.json()),
  'undici.request + pool': () => limited(bulkN, async (i) => (await request(`${base}/customer/byCustomerId/${i}`, { headers })).body.json()),
  'fetch + pool': () => limited(bulkN, async (i) => (await fetch(`${base}/customer/byCustomerId/${i}`, { headers })).json()),
}

async function report(title, mode, cases, ops, rounds) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
  for (const fn of Object.values(cases)) await fn()
  const names = Object.keys(cases)
  for (let r = 0; r < rounds; r++) {
    // Interleaved and rotated, so no client always follows the same other one.
    const k = r % names.length
    for (const name of [...names.slice(k), ...names.slice(0, k)]) {
      const t = process.hrtime.bigint()
      await cases[name]()
      times[name].push(Number(process.hrtime.bigint() - t) / 1e9)
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const first = median(Object.values(times)[0])
  console.log(`\n${title} (${ops} lookups, median of ${rounds} rounds)`)
  console.log(`${'client'.padEnd(28)} ${'µs/lookup'.padStart(10)} ${'vs enneo'.padStart(9)}`)
  for (const [name, ts] of Object.entries(times)) {
    const m = median(ts)
    console.log(`${name.padEnd(28)} ${((m / ops) * 1e6).toFixed(1).padStart(10)} ${(m / first).toFixed(2).padStart(8)}x`)
    console.log(`RESULT ${JSON.stringify({ lang: 'node', mode, client: name, us: (m / ops) * 1e6 })}`)
  }
}

// A sequential round takes about 2 s, a tenth of a concurrent one: three
// times the rounds give a steadier median for the same time.
await report('Node sequential lookups', 'seq', sequential, n, rounds * 3)
await report(`Node concurrent lookups, concurrency ${conc}`, 'conc', bulk, bulkN, rounds)
await agent.close()
await oneConnection.close()

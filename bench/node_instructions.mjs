// One Node client doing N sequential lookups, for bench/instructions.py.
// Usage: node bench/node_instructions.mjs BASE_URL {enneo,undici} N
// Both parse the whole body; undici goes through one keep-alive connection.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../bindings/node/package.json'))
const [base, which, n] = [process.argv[2], process.argv[3], Number(process.argv[4])]

let lookup
if (which === 'enneo') {
  const { Client } = require('./lib/index.js')
  const client = new Client({ baseUrl: base, token: 'bench' })
  lookup = async (i) => (await client.getCustomer(i)).contracts
} else {
  const { Agent, request } = require('undici')
  const dispatcher = new Agent({ connections: 1, pipelining: 1 })
  const headers = { authorization: 'Bearer bench' }
  lookup = async (i) => (await (await request(`${base}/customer/byCustomerId/${i}`, { headers, dispatcher })).body.json()).contracts
}
for (let i = 1; i <= n; i++) if (!(await lookup(i))) throw new Error(`lookup ${i} has no contracts`)

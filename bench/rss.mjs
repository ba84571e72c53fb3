// Peak RSS of enneo's getCustomers over N ids (make bench).
// Usage: node bench/rss.mjs BASE_URL N   Prints a `RESULT {json}` line.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../bindings/node/package.json'))
const { Client } = require('./lib/index.js')

const [base, n] = [process.argv[2], Number(process.argv[3])]
const client = new Client({ baseUrl: base, token: 'bench' })
const ids = Array.from({ length: n }, (_, i) => i + 1)
const out = await client.getCustomers(ids, { concurrency: 64 })
if (!out.every((r) => r.ok && r.customer.contracts)) throw new Error('a lookup failed')
const mb = process.resourceUsage().maxRSS / 1024
console.log(`RESULT ${JSON.stringify({ lang: 'node', mode: 'rss', client: `getCustomers(${n}), results held`, mb })}`)

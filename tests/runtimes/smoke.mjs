// A smoke test of the installed npm packages, for every JavaScript runtime
// users bring (Node 18 to 26, Bun, Deno): plain assertions, no test runner,
// so each runtime runs the same file. `make test-runtimes` runs it from a
// project that installed only the tarballs in dist/.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { Client, EnneoError, InvalidArgumentError, NotFoundError, APIConnectionError } from 'enneo'
import { MockServer } from 'enneo/testing'

const require = createRequire(import.meta.url)
const runtime = globalThis.Bun ? `bun ${Bun.version}` : globalThis.Deno ? `deno ${Deno.version.deno}` : `node ${process.version}`

// Both module systems load the same classes.
const cjs = require('enneo')
assert.equal(typeof cjs.Client, 'function')
assert.equal(typeof require('enneo/testing').MockServer, 'function')

const big = '12345678901234567890123'
const server = await MockServer.start({ customers: [{ id: 7, firstname: 'Ada', contracts: [{ id: 70, energyConsumption: 1.10 }] }, `{"id": 8, "accountBalance": ${big}}`] })
try {
  const client = new Client({ baseUrl: server.baseUrl, token: 'smoke-token' })
  const ada = await client.getCustomer(7)
  assert.equal(ada.firstname, 'Ada')
  assert.equal((await client.getCustomerByContractId(70)).id, 7)
  // Integers beyond 2^53 keep every digit and still stringify.
  const eight = await client.getCustomer(8)
  assert.ok(JSON.stringify(eight).includes(big), JSON.stringify(eight))

  const { data, response } = await client.getCustomer(7).withResponse()
  assert.equal(data.id, 7)
  assert.equal(response.status, 200)

  const bulk = await client.getCustomers([7, 8, 9])
  assert.deepEqual(bulk.map((r) => r.ok), [true, true, false])
  assert.ok(bulk[2].error instanceof NotFoundError && bulk[2].error instanceof EnneoError && bulk[2].error.status === 404)

  const streamed = []
  for await (const r of client.streamCustomers([8, 7], { concurrency: 2 })) streamed.push(r.ok ? String(r.customer.id) : 'error')
  assert.deepEqual(streamed, ['8', '7'])

  await assert.rejects(client.getCustomer(''), (e) => e instanceof InvalidArgumentError && e instanceof EnneoError && e.code === 'invalid_argument')
  assert.throws(() => new Client({ baseUrl: server.baseUrl, maxRetries: -1 }), (e) => e instanceof EnneoError)
  await assert.rejects(new Client({ baseUrl: server.faultBaseUrl('truncate'), maxRetries: 0 }).getCustomer(7), APIConnectionError)

  assert.equal(server.requests()[0].headers.authorization, 'Bearer smoke-token')
  assert.ok(!JSON.stringify(client).includes('smoke-token'))
} finally {
  await server.close()
}
console.log(`smoke ok on ${runtime}`)

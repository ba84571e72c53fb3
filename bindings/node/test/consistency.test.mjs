// One rate limit per client whatever the mix of calls, one error base, and
// ENNEO_LOG read the same way as in Rust and Python, on stderr.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { Client, EnneoError, InvalidArgumentError, APIConnectionError, DecodeError, NotFoundError } from 'enneo'
import { MockServer } from 'enneo/testing'
import { startMock } from './helpers.mjs'

let mock
before(async () => {
  delete process.env.ENNEO_TOKEN
  delete process.env.ENNEO_BASE_URL
  mock = await startMock()
})
after(() => mock.stop())

/** The most request heads the mock saw in any half-open one-second window. */
async function busiestSecond() {
  const at = (await mock.requests()).map((r) => r.received_ms).sort((a, b) => a - b)
  let best = 0
  let first = 0
  for (let last = 0; last < at.length; last++) {
    while (at[last] - at[first] >= 1000) first++
    best = Math.max(best, last - first + 1)
  }
  return best
}

const range = (from, n) => Array.from({ length: n }, (_, i) => from + i)

test('no second holds more starts than maxRequestsPerSecond', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, maxRequestsPerSecond: 25 })
  await client.getCustomer(0) // a warm connection: the first stamp is not a handshake's
  await mock.clear()
  const start = performance.now()
  const results = await client.getCustomers(range(1, 60), { concurrency: 32 })
  assert.ok(results.every((r) => r.ok))
  // 60 starts spaced at least 40 ms apart: 2.36 s; a burst would take 1.4 s.
  assert.ok(performance.now() - start >= 2300)
  assert.ok((await busiestSecond()) <= 25)
})

test('singles, bulk, streams, raw responses and derived clients share one limit', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, maxRequestsPerSecond: 20 })
  const derived = client.withOptions({ timeout: 30_000, maxRetries: 1 })
  await Promise.all([client.getCustomer(0), derived.getCustomer(0)])
  await mock.clear()
  const start = performance.now()
  const singles = (async () => {
    for (const id of range(0, 10)) await client.getCustomer(id)
  })()
  const bulk = client.getCustomers(range(100, 10), { concurrency: 4 })
  const streamed = (async () => {
    const out = []
    for await (const r of client.streamCustomers(range(200, 10), { concurrency: 4 })) out.push(r)
    return out
  })()
  const raw = Promise.all(range(300, 5).map((id) => derived.getCustomer(id).withResponse()))
  const derivedBulk = derived.getCustomers(range(305, 5))
  const [, b, s, r, d] = await Promise.all([singles, bulk, streamed, raw, derivedBulk])
  assert.ok([...b, ...s, ...d].every((x) => x.ok))
  assert.equal(r.length, 5)
  assert.equal((await mock.requests()).length, 40)
  assert.ok(performance.now() - start >= 1900)
  assert.ok((await busiestSecond()) <= 20)
})

test('a body that breaks off is retried, then a connection error', async () => {
  for (const fault of ['truncate', 'reset']) {
    await assert.rejects(new Client({ baseUrl: mock.faulty(fault), maxRetries: 0 }).getCustomer(1), (e) => e instanceof APIConnectionError && /broke off/.test(e.message))
    await mock.clear()
    const c = await new Client({ baseUrl: mock.faulty(`${fault};fail-first=1`), maxRetries: 2 }).getCustomer(3)
    assert.equal(c.id, 3)
    assert.equal((await mock.requests()).length, 2)
  }
})

test('every error the SDK throws is an EnneoError', async () => {
  const client = new Client({ baseUrl: mock.baseUrl })
  const attempts = [
    () => client.getCustomer(''),
    () => client.getCustomer(null),
    () => client.getCustomer(1.5),
    () => client.getCustomer(2 ** 60),
    () => client.getCustomer(1, { timeout: 0 }),
    () => client.getCustomer(1, { timeout: '1' }),
    () => client.getCustomer(1, { maxRetries: -1 }),
    () => client.getCustomer(1, { maxRetries: 1.5 }),
    () => client.getCustomer(1, { headers: { Authorization: 'x' } }),
    () => client.getCustomer(1, { headers: { a: 1 } }),
    () => client.getCustomer(1, { signal: 'no' }),
    () => client.getCustomers(5),
    () => client.getCustomers([1], { concurrency: 0 }),
    () => client.getCustomers([1], { onProgress: 5 }),
    () => client.streamCustomers(42),
    () => client.withOptions({ maxRetries: -2 }),
    () => client.withOptions({ logger: console }),
    () => new Client({ baseUrl: 'ftp://x' }),
    () => new Client({ baseUrl: mock.baseUrl, maxRetries: -1 }),
    () => new Client({ baseUrl: mock.baseUrl, maxRetries: 2.5 }),
    () => new Client({ baseUrl: mock.baseUrl, timeout: '60' }),
    () => new Client({ baseUrl: mock.baseUrl, maxRequestsPerSecond: 0 }),
    () => new Client({ baseUrl: mock.baseUrl, token: 'a\nb' }),
    () => new Client({ baseUrl: mock.baseUrl, caCert: '/nonexistent.pem' }),
    () => new Client({ baseUrl: mock.baseUrl, logger: {} }),
    () => new Client(null),
    () => new Client({ token: 't' }),
    () => MockServer.start({ tlsCert: '/nonexistent.pem', tlsKey: '/nonexistent.pem' }),
    () => new Client({ baseUrl: mock.faulty('status=404') }).getCustomer(1),
    () => new Client({ baseUrl: mock.faulty('malformed') }).getCustomer(1),
    () => new Client({ baseUrl: mock.faulty('truncate'), maxRetries: 0 }).getCustomer(1),
  ]
  for (const [i, attempt] of attempts.entries()) {
    let error
    try {
      await attempt()
    } catch (e) {
      error = e
    }
    assert.ok(error !== undefined, `attempt ${i} threw nothing`)
    assert.ok(error instanceof EnneoError, `attempt ${i} threw ${error?.constructor?.name}: ${error?.message}`)
    assert.equal(typeof error.code, 'string')
  }
  await assert.rejects(client.getCustomer(null), (e) => e instanceof InvalidArgumentError && e.code === 'invalid_argument')
  await assert.rejects(new Client({ baseUrl: mock.faulty('status=404') }).getCustomer(1), NotFoundError)
  await assert.rejects(new Client({ baseUrl: mock.faulty('malformed') }).getCustomer(1), DecodeError)
})

// ENNEO_LOG as the core reads it, and what each value must do: the same
// table as the Python suite's.
const LOG_VALUES = [
  ['debug', true],
  ['trace', true],
  ['DEBUG', true],
  [' info ', false],
  ['warning', false],
  ['off', false],
  ['none', false],
]

test('ENNEO_LOG values mean the same as in Python and Rust, and go to stderr', async () => {
  const server = await MockServer.start()
  try {
    const code = `
      const { Client } = require('enneo')
      new Client({ baseUrl: process.argv[1] }).getCustomer(1).then((c) => console.log(JSON.stringify({ id: c.id })))`
    for (const [value, debugLines] of LOG_VALUES) {
      const out = spawnSync(process.execPath, ['-e', code, server.baseUrl], { env: { ...process.env, ENNEO_LOG: value }, encoding: 'utf8', timeout: 60_000 })
      assert.equal(out.status, 0, out.stderr)
      assert.equal(out.stdout, '{"id":1}\n', `ENNEO_LOG=${value}: stdout holds only the script's output`)
      assert.equal(out.stderr.includes('/customer/byCustomerId/1 -> 200'), debugLines, `ENNEO_LOG=${value}: ${out.stderr}`)
    }
    const out = spawnSync(process.execPath, ['-e', code, server.baseUrl], { env: { ...process.env, ENNEO_LOG: 'loud' }, encoding: 'utf8', timeout: 60_000 })
    assert.equal(out.status, 0, out.stderr)
    assert.equal(out.stdout, '{"id":1}\n')
    assert.equal(out.stderr.split('ignoring ENNEO_LOG="loud"').length - 1, 1, out.stderr)
  } finally {
    await server.close()
  }
})

// The installed `enneo` package against enneo-mock on loopback.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { inspect } from 'node:util'
import { createServer } from 'node:net'
import { execFileSync, spawnSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import {
  Client, sameId, EnneoError, APIStatusError, AuthenticationError, PermissionDeniedError, NotFoundError,
  RateLimitError, InternalServerError, APIConnectionError, APITimeoutError, APIUserAbortError, DecodeError,
  BadRequestError, UnprocessableEntityError, InvalidArgumentError,
} from 'enneo'
import { fixture, startMock } from './helpers.mjs'

const SEED = JSON.parse(readFileSync(fixture('seed-customer.json'), 'utf8'))
const SECRET = 'sk-node-secret-token-4242'
let mock
before(async () => {
  delete process.env.ENNEO_TOKEN
  delete process.env.ENNEO_BASE_URL
  mock = await startMock()
})
after(() => mock.stop())

const made = []
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

function fixtures(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'enneo-node-'))
  made.push(dir)
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.json`), typeof body === 'string' ? body : JSON.stringify(body))
  return dir
}

test('runs against the installed package', async () => {
  const resolved = execFileSync(process.execPath, ['-p', "require.resolve('enneo')"], { encoding: 'utf8' }).trim()
  assert.match(resolved, /node_modules[\\/]enneo[\\/]lib[\\/]index\.js$/)
  assert.ok(!resolved.includes(`bindings${path.sep}node`), resolved)
})

test('getCustomer returns every seed field', async () => {
  const c = await new Client({ baseUrl: mock.baseUrl, token: 't' }).getCustomer(83771)
  assert.deepEqual(c, SEED)
  assert.equal(c.contracts[0].customerId, '123')
  assert.equal(c.contracts[0].tabPreview.icon, 'electricity')
  assert.equal(c.company, null)
})

test('sibling lookups hit their paths', async () => {
  await mock.clear()
  const client = new Client({ baseUrl: mock.baseUrl })
  assert.equal((await client.getCustomerByContractId(746839)).id, 746839)
  assert.equal((await client.getCustomerByTicketId('T-7')).id, 'T-7')
  assert.deepEqual((await mock.requests()).map((r) => r.path), [
    '/api/mind/customer/byContractId/746839',
    '/api/mind/customer/byTicketId/T-7',
  ])
})

test('unknown fields kept, flexible ids keep their form, big integers never rounded', async () => {
  const payload = '{"id": 9007199254740993, "phone": "+49017", "newField": {"x": [1, 2]}, "contracts": [{"customerId": "007", "status": "suspended", "energy": "hydrogen", "gridOperatorCode": 12345678901234567890, "meterKind": "smart"}]}'
  const m = await startMock('--fixtures', fixtures({ big: payload }))
  try {
    const c = await new Client({ baseUrl: m.baseUrl }).getCustomer('big')
    assert.equal(c.id, '9007199254740993')
    assert.equal(c.contracts[0].gridOperatorCode, '12345678901234567890')
    // Every customer stringifies, with the digits the server sent.
    const again = JSON.stringify(c)
    assert.match(again, /"id":"9007199254740993"/)
    assert.match(again, /"gridOperatorCode":"12345678901234567890"/)
    assert.deepEqual(JSON.parse(again), c)
    assert.equal(c.phone, '+49017')
    assert.deepEqual(c.newField, { x: [1, 2] })
    assert.equal(c.contracts[0].customerId, '007')
    assert.equal(c.contracts[0].status, 'suspended')
    assert.equal(c.contracts[0].meterKind, 'smart')
    assert.ok(sameId(c.id, '9007199254740993'))
    assert.ok(sameId(123, '123') && !sameId('007', 7))
  } finally {
    m.stop()
  }
})

test('401, 403 and 404 each have their class, and are not retried', async () => {
  const m = await startMock('--token', 'right', '--fixtures', fixtures({}))
  try {
    await assert.rejects(new Client({ baseUrl: m.baseUrl, token: SECRET }).getCustomer(1), (e) => {
      assert.ok(e instanceof AuthenticationError && e instanceof APIStatusError && e instanceof EnneoError && e instanceof Error)
      assert.equal(e.status, 401)
      assert.equal(e.code, 'authentication_error')
      assert.match(e.requestId, /^req_/)
      assert.match(e.body, /invalid bearer token/)
      assert.ok(!e.message.includes(SECRET) && !inspect(e).includes(SECRET))
      return true
    })
    assert.equal((await m.requests()).length, 1)
    await assert.rejects(new Client({ baseUrl: m.baseUrl, token: 'right' }).getCustomer(404), (e) => e instanceof NotFoundError && e.status === 404 && e.code === 'not_found')
    await assert.rejects(new Client({ baseUrl: m.faulty('status=403'), token: 'right' }).getCustomer(1), (e) => e instanceof PermissionDeniedError && e.code === 'permission_denied')
    await assert.rejects(new Client({ baseUrl: m.faulty('status=400'), token: 'right' }).getCustomer(1), BadRequestError)
    assert.equal((await m.requests()).length, 4, 'no retries')
  } finally {
    m.stop()
  }
})

test('429 with Retry-After is honoured, then success', async () => {
  await mock.clear()
  const started = Date.now()
  const c = await new Client({ baseUrl: mock.faulty('retry-after=1;fail-first=1') }).getCustomer(3)
  assert.equal(c.id, 3)
  assert.ok(Date.now() - started >= 950)
  assert.equal((await mock.requests()).length, 2)
  await assert.rejects(new Client({ baseUrl: mock.faulty('retry-after-ms=1'), maxRetries: 1 }).getCustomer(3), RateLimitError)
})

test('5xx is retried; retries exhausted reject with InternalServerError', async () => {
  await mock.clear()
  assert.equal((await new Client({ baseUrl: mock.faulty('status=500;fail-first=2') }).getCustomer(8)).id, 8)
  assert.equal((await mock.requests()).length, 3)
  await mock.clear()
  await assert.rejects(new Client({ baseUrl: mock.faulty('status=503;retry-after-ms=5'), maxRetries: 3 }).getCustomer(8), (e) => e instanceof InternalServerError && e.status === 503 && e.attempts === 4)
  assert.equal((await mock.requests()).length, 4)
})

test('every error says its attempts', async () => {
  await assert.rejects(new Client({ baseUrl: mock.faulty('status=404') }).getCustomer(1), (e) => e instanceof NotFoundError && e.attempts === 1)
  await assert.rejects(new Client({ baseUrl: mock.faulty('malformed'), maxRetries: 0 }).getCustomer(1), (e) => e instanceof DecodeError && e.attempts === 1 && e.status === 200)
  await assert.rejects(new Client({ baseUrl: mock.baseUrl }).getCustomer(''), (e) => e instanceof InvalidArgumentError && e.attempts === undefined)
  const bulk = await new Client({ baseUrl: mock.faulty('status=500'), maxRetries: 1 }).getCustomers([1, 2])
  assert.deepEqual(bulk.map((r) => [r.ok, r.error?.constructor.name, r.error?.attempts]), [[false, 'InternalServerError', 2], [false, 'InternalServerError', 2]])
})

test('timeouts: client and per call', async () => {
  const started = Date.now()
  await assert.rejects(new Client({ baseUrl: mock.faulty('delay=5000'), timeout: 300, maxRetries: 0 }).getCustomer(1), (e) => e instanceof APITimeoutError && e instanceof APIConnectionError && e.code === 'timeout')
  await assert.rejects(new Client({ baseUrl: mock.faulty('delay=5000'), maxRetries: 0 }).getCustomer(1, { timeout: 200 }), APITimeoutError)
  assert.ok(Date.now() - started < 2000)
})

test('AbortSignal cancels a request', async () => {
  const client = new Client({ baseUrl: mock.faulty('delay=5000'), maxRetries: 0 })
  const ac = new AbortController()
  const started = Date.now()
  setTimeout(() => ac.abort(), 100)
  await assert.rejects(client.getCustomer(1, { signal: ac.signal }), (e) => e instanceof APIUserAbortError && e.code === 'aborted')
  assert.ok(Date.now() - started < 1000)
  await assert.rejects(client.getCustomer(1, { signal: AbortSignal.abort() }), APIUserAbortError)
})

test('malformed JSON rejects with DecodeError, a body cut short with APIConnectionError', async () => {
  await assert.rejects(new Client({ baseUrl: mock.faulty('malformed') }).getCustomer(1), (e) => e instanceof DecodeError && e.status === 200 && e.body.includes('[oops'))
  await assert.rejects(new Client({ baseUrl: mock.faulty('truncate'), maxRetries: 0 }).getCustomer(1), (e) => e instanceof APIConnectionError && /broke off/.test(e.message))
})

test('connection refused', async () => {
  const server = createServer()
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address()
  await new Promise((r) => server.close(r))
  await assert.rejects(new Client({ baseUrl: `http://127.0.0.1:${port}/api/mind`, maxRetries: 0 }).getCustomer(1), (e) => e instanceof APIConnectionError && !(e instanceof APITimeoutError) && /refused/i.test(e.message))
})

test('a bigint id goes into the path with all its digits', async () => {
  const client = new Client({ baseUrl: mock.baseUrl })
  await mock.clear()
  await client.getCustomer(12345678901234567890n)
  assert.equal((await mock.requests())[0].path, '/api/mind/customer/byCustomerId/12345678901234567890')
})

test('bad ids are rejected before any request', async () => {
  await mock.clear()
  const client = new Client({ baseUrl: mock.baseUrl })
  for (const bad of ['', '   ', '..', 'a\nb', 'x'.repeat(10_000)]) await assert.rejects(client.getCustomer(bad), InvalidArgumentError)
  for (const bad of [1.5, null, undefined, {}, true]) await assert.rejects(client.getCustomer(bad), InvalidArgumentError)
  await assert.rejects(client.getCustomer(2 ** 60), InvalidArgumentError)
  assert.deepEqual(await mock.requests(), [])
  assert.throws(() => new Client({ baseUrl: 'ftp://x' }), InvalidArgumentError)
  assert.throws(() => new Client({ timeout: -1 }), InvalidArgumentError)
  assert.throws(() => new Client({ token: 42 }), InvalidArgumentError)
})

test('status message and code come from one table', async () => {
  const client = (status) => new Client({ baseUrl: mock.faulty(`status=${status}`), maxRetries: 0 })
  await assert.rejects(client(422).getCustomer(1), (e) => e instanceof UnprocessableEntityError && e.code === 'unprocessable_entity' && e.message.startsWith('HTTP 422 unprocessable entity'))
  await assert.rejects(client(408).getCustomer(1), (e) => e.constructor === APIStatusError && e.status === 408 && e.code === 'request_timeout' && e.message.startsWith('HTTP 408 request timeout'))
  await assert.rejects(client(418).getCustomer(1), (e) => e.constructor === APIStatusError && e.code === 'api_status_error' && e.message.startsWith('HTTP 418 unexpected status'))
})

test('bulk lookup: an invalid id fails its own item with an InvalidArgumentError', async () => {
  await mock.clear()
  const results = await new Client({ baseUrl: mock.baseUrl }).getCustomers(['', 1, 'a\nb'])
  assert.deepEqual(results.map((r) => r.ok), [false, true, false])
  for (const r of [results[0], results[2]]) {
    assert.ok(r.error instanceof InvalidArgumentError && r.error instanceof EnneoError)
    assert.equal(r.error.code, 'invalid_argument')
  }
  assert.match(results[0].error.message, /must not be empty/)
  assert.deepEqual((await mock.requests()).map((r) => r.path), ['/api/mind/customer/byCustomerId/1'])
})

test('bulk lookup: a mix of found and missing ids, in input order', async () => {
  const m = await startMock('--fixtures', fixtures({ 1: { id: 1 }, 3: { id: 3 } }))
  try {
    const seen = []
    const results = await new Client({ baseUrl: m.baseUrl }).getCustomers([1, 2, '3', 4], { concurrency: 2, onProgress: (done, total) => seen.push([done, total]) })
    assert.deepEqual(results.map((r) => r.ok), [true, false, true, false])
    assert.equal(results[0].customer.id, 1)
    assert.ok(results[1].error instanceof NotFoundError)
    assert.equal(results[2].customer.id, 3)
    assert.deepEqual(seen.at(-1), [4, 4])
  } finally {
    m.stop()
  }
})

test('bulk progress: every call precedes the promise settling; a throwing callback stops the run and rejects with its error', async () => {
  const client = new Client({ baseUrl: mock.baseUrl })
  const seen = []
  const results = await client.getCustomers([1, 2, 3, 4, 5, 6], { concurrency: 3, onProgress: (done, total) => seen.push([done, total]) })
  // Checked at once on resolution: nothing arrived after it.
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6].map((n) => [n, 6]))
  assert.equal(results.length, 6)
  const slow = new Client({ baseUrl: mock.faulty('delay=300'), maxRetries: 0 })
  const oops = new Error('progress failed')
  const started = Date.now()
  await assert.rejects(
    slow.getCustomers(Array.from({ length: 20 }, (_, i) => i + 1), {
      concurrency: 1,
      onProgress: () => {
        throw oops
      },
    }),
    (e) => e === oops,
  )
  // It stopped after the first lookup instead of running all twenty.
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`)
})

test('AbortSignal cancels a bulk run', async () => {
  const client = new Client({ baseUrl: mock.faulty('delay=5000'), maxRetries: 0 })
  const ac = new AbortController()
  const started = Date.now()
  setTimeout(() => ac.abort(), 100)
  await assert.rejects(client.getCustomers([1, 2, 3], { signal: ac.signal }), (e) => e instanceof APIUserAbortError && e.code === 'aborted')
  assert.ok(Date.now() - started < 1000)
  await assert.rejects(client.getCustomers([1], { signal: AbortSignal.abort() }), APIUserAbortError)
})

test('the token stays out of inspect, JSON and errors', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: SECRET })
  assert.ok(!inspect(client).includes(SECRET) && inspect(client).includes('***'))
  assert.ok(!JSON.stringify(client).includes(SECRET))
  assert.throws(() => new Client({ baseUrl: mock.baseUrl, token: `bad\n${SECRET}` }), (e) => !e.message.includes(SECRET))
})

test('the token reaches the server, and never the logs, errors or a redirect target', async () => {
  // Everything a user could print runs in a child with ENNEO_LOG=debug, so the
  // Rust core's own log lines are captured too. The first lookup succeeds only
  // because the token was sent.
  const guarded = await startMock('--token', SECRET)
  const elsewhere = await startMock()
  try {
    const script = `
      const { inspect } = require('node:util')
      const { Client } = require('enneo')
      const show = (x) => console.log(inspect(x, { showHidden: true, depth: 8 }), JSON.stringify(x))
      ;(async () => {
        const client = new Client({ baseUrl: process.env.GUARDED })
        show(client)
        show(await client.getCustomer(1))
        for (const base of [process.env.GUARDED + '/nope', process.env.REDIRECT, 'http://127.0.0.1:1/api/mind']) {
          const c = new Client({ baseUrl: base, maxRetries: 0 })
          await c.getCustomer(2).then(show, (e) => { show(e); console.error(e) })
        }
      })()`
    const redirect = guarded.faulty(`redirect=${elsewhere.baseUrl}/customer/byCustomerId/3`)
    const out = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, ENNEO_LOG: 'debug', ENNEO_TOKEN: SECRET, GUARDED: guarded.baseUrl, REDIRECT: redirect },
    })
    assert.equal(out.status, 0, out.stderr)
    const printed = out.stdout + out.stderr
    assert.match(printed, /\[enneo\] GET \/api\/mind\/customer\/byCustomerId\/1 -> 200/, 'the debug log was on')
    assert.match(printed, /NotFoundError/)
    assert.match(printed, /APIConnectionError/)
    assert.ok(!printed.includes(SECRET), printed)
    const landed = await elsewhere.requests()
    assert.equal(landed.length, 1, 'the redirect was followed')
    assert.equal(landed[0].headers.authorization, undefined)
    assert.equal((await guarded.requests())[0].headers.authorization, `Bearer ${SECRET}`)
  } finally {
    guarded.stop()
    elsewhere.stop()
  }
})

test('a Rust panic rejects the promise, and the process lives on', () => {
  // The core panics on the id ENNEO_TEST_PANIC_ID names: a test hook with no
  // public entry point, so a child process sets it before loading enneo.
  const code = `
    const { Client, EnneoError } = require('enneo')
    const client = new Client({ baseUrl: process.argv[1] })
    client.getCustomer(666).then(() => process.exit(3), async (e) => {
      if (!(e instanceof EnneoError) || e.code !== 'internal_error' || !/deliberate panic/.test(e.message)) throw e
      const c = await client.getCustomer(5)
      process.stdout.write('rejected, then ' + c.id)
    })`
  const out = spawnSync(process.execPath, ['-e', code, mock.baseUrl], { env: { ...process.env, ENNEO_TEST_PANIC_ID: '666' }, encoding: 'utf8', timeout: 60_000 })
  assert.equal(out.status, 0, out.stderr)
  assert.equal(out.stdout, 'rejected, then 5')
  assert.equal(typeof new Client({ baseUrl: mock.baseUrl })._debugPanic, 'undefined')
})

test('without a base URL the client refuses to start, naming ENNEO_BASE_URL', () => {
  assert.throws(() => new Client({ token: 't' }), (e) => e instanceof InvalidArgumentError && e.message.includes('ENNEO_BASE_URL'))
})

test('environment variables configure the client', async () => {
  await mock.clear()
  process.env.ENNEO_BASE_URL = mock.baseUrl
  process.env.ENNEO_TOKEN = 'env-token'
  try {
    const client = new Client()
    assert.equal(client.baseUrl, mock.baseUrl)
    await client.getCustomer(1)
    assert.equal((await mock.requests())[0].headers.authorization, 'Bearer env-token')
  } finally {
    delete process.env.ENNEO_BASE_URL
    delete process.env.ENNEO_TOKEN
  }
})

// Per-request options, derived clients, raw responses, the logger option,
// TLS with a private CA and the testing kit, through the installed package.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'

import { Client, InvalidArgumentError, InternalServerError, APITimeoutError, APIConnectionError, NotFoundError } from 'enneo'
import { MockServer } from 'enneo/testing'
import { tlsFile } from './helpers.mjs'

const SECRET = 'sk-live-very-secret-token-1234'

test('extra headers reach the server; Authorization and User-Agent cannot be overridden', async () => {
  const server = await MockServer.start({ token: 't' })
  try {
    const client = new Client({ baseUrl: server.baseUrl, token: 't' })
    await client.getCustomer(1, { headers: { 'X-Correlation-Id': 'c-1', traceparent: '00-ab-cd-01' } })
    await client.getCustomers([2], { headers: { 'X-Correlation-Id': 'c-2' } })
    for await (const r of client.streamCustomers([3], { headers: { 'X-Correlation-Id': 'c-3' } })) assert.ok(r.ok)
    const log = server.requests()
    assert.deepEqual(log.map((r) => r.headers['x-correlation-id']), ['c-1', 'c-2', 'c-3'])
    assert.equal(log[0].headers.traceparent, '00-ab-cd-01')
    assert.ok(log.every((r) => r.headers.authorization === 'Bearer t'))
    // The core names the surface and the workspace's version.
    const installed = path.join(path.dirname(createRequire(import.meta.url).resolve('enneo')), '..', 'package.json')
    const { version } = JSON.parse(readFileSync(installed, 'utf8'))
    assert.match(version, /^\d+\.\d+\.\d+/)
    assert.deepEqual([...new Set(log.map((r) => r.headers['user-agent']))], [`enneo-node/${version}`])
    for (const name of ['Authorization', 'user-agent']) {
      await assert.rejects(client.getCustomer(4, { headers: { [name]: 'Bearer stolen' } }), (e) => e instanceof InvalidArgumentError && /cannot be overridden/.test(e.message))
    }
    await assert.rejects(client.getCustomer(4, { headers: { a: 1 } }), InvalidArgumentError)
    assert.equal(server.requests().length, 3)
  } finally {
    await server.close()
  }
})

test('maxRetries and timeout per request', async () => {
  const server = await MockServer.start()
  try {
    const client = new Client({ baseUrl: server.faultBaseUrl('status=503'), maxRetries: 3 })
    await assert.rejects(client.getCustomer(1, { maxRetries: 0 }), InternalServerError)
    assert.equal(server.requests().length, 1)
    await assert.rejects(client.getCustomer(1, { maxRetries: -1 }), /maxRetries must be 0 or more/)
    const slow = new Client({ baseUrl: server.faultBaseUrl('delay=3000'), maxRetries: 0 })
    await assert.rejects(slow.getCustomer(1, { timeout: 200 }), APITimeoutError)
    await assert.rejects(slow.getCustomer(1, { timeout: 0 }), /timeout must be a positive, finite number of milliseconds/)
  } finally {
    await server.close()
  }
})

test('withOptions derives a client and leaves the original alone', async () => {
  const server = await MockServer.start({ token: 't' })
  try {
    const base = new Client({ baseUrl: server.baseUrl, token: 't' })
    const derived = base.withOptions({ maxRetries: 0, defaultHeaders: { 'X-Team': 'billing' } })
    assert.ok(derived instanceof Client)
    assert.equal(derived.baseUrl, base.baseUrl)
    await derived.getCustomer(1)
    await base.getCustomer(2)
    const log = server.requests()
    assert.equal(log[0].headers['x-team'], 'billing')
    assert.equal(log[0].headers.authorization, 'Bearer t')
    assert.equal(log[1].headers['x-team'], undefined)
    assert.throws(() => base.withOptions({ timeout: -5 }), InvalidArgumentError)
  } finally {
    await server.close()
  }
})

test('withResponse() gives the customer with status, headers, request id and retries', async () => {
  const server = await MockServer.start()
  try {
    const client = new Client({ baseUrl: server.faultBaseUrl('status=503;retry-after-ms=10;fail-first=1') })
    const { data, response } = await client.getCustomer(83771).withResponse()
    assert.equal(data.id, 83771)
    assert.equal(response.status, 200)
    assert.match(response.requestId, /^req_/)
    assert.equal(response.headers.get('X-Request-Id'), response.requestId)
    assert.equal(response.headers.get('content-type'), 'application/json')
    assert.equal(response.retriesTaken, 1)
    assert.ok(response.elapsedMs >= 10)
    // Still a promise of the customer.
    const promise = client.getCustomerByContractId(5)
    assert.ok(promise instanceof Promise)
    assert.ok(Array.isArray((await promise).contracts))
    await assert.rejects(new Client({ baseUrl: server.faultBaseUrl('status=404') }).getCustomer(1).withResponse(), NotFoundError)
  } finally {
    await server.close()
  }
})

test('the logger option receives a line per request and per retry, never the token', async () => {
  const server = await MockServer.start({ token: SECRET })
  try {
    const lines = []
    const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (message, fields) => lines.push({ level, message, fields })]))
    const client = new Client({ baseUrl: server.faultBaseUrl('status=500;retry-after-ms=1;fail-first=1'), token: SECRET, logger, logLevel: 'debug' })
    await client.getCustomer(5)
    // A request's records arrive before its promise settles: they share
    // its outcome's queue.
    assert.deepEqual(lines.map((l) => l.level), ['info', 'debug'])
    assert.match(lines[0].message, /retry 1/)
    assert.match(lines[1].message, /^\[enneo\] GET \/.*\/customer\/byCustomerId\/5 -> 200 in \d+ ms$/)
    assert.equal(lines[1].fields.statusCode, 200)
    // The core's one set of field names, in camelCase (snake_case in Python).
    assert.deepEqual(Object.keys(lines[1].fields).sort(), ['elapsedMs', 'errorCode', 'method', 'operation', 'requestId', 'retries', 'statusCode', 'urlPath'])
    assert.equal(lines[1].fields.operation, 'getCustomerByCustomerId')
    assert.equal(lines[1].fields.errorCode, null)
    assert.match(lines[1].fields.urlPath, /\/customer\/byCustomerId\/5$/)
    assert.equal(lines[0].fields.errorCode, 'internal_server_error')
    assert.match(lines[1].fields.requestId, /^req_/)
    assert.equal(lines[1].fields.retries, 1)
    assert.ok(!JSON.stringify(lines).includes(SECRET))
    lines.length = 0
    const derived = client.withOptions({ baseUrl: server.baseUrl })
    for (let i = 0; i < 200; i++) {
      await derived.getCustomer(1000 + i)
      assert.equal(lines.length, i + 1, `the record of lookup ${i} came after its promise`)
      assert.ok(lines[i].message.includes(`/${1000 + i} -> 200`), lines[i].message)
    }
    lines.length = 0
    await client.withOptions({ logLevel: 'warn' }).getCustomer(6)
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(lines, [])
    assert.throws(() => new Client({ baseUrl: server.baseUrl, logger: {} }), /logger.debug must be a function/)
  } finally {
    await server.close()
  }
})

test('TLS: a lookup succeeds only when the test CA is trusted', async () => {
  const server = await MockServer.start({ tlsCert: tlsFile('server.pem'), tlsKey: tlsFile('server-key.pem') })
  try {
    assert.match(server.baseUrl, /^https:\/\/127\.0\.0\.1:/)
    await assert.rejects(new Client({ baseUrl: server.baseUrl, maxRetries: 0 }).getCustomer(1), (e) => e instanceof APIConnectionError && /certificate/i.test(e.message))
    for (const caCert of [tlsFile('ca.pem'), readFileSync(tlsFile('ca.pem'), 'utf8')]) {
      assert.equal((await new Client({ baseUrl: server.baseUrl, caCert }).getCustomer(83771)).id, 83771)
    }
    assert.throws(() => new Client({ baseUrl: server.baseUrl, caCert: '/nonexistent/ca.pem' }), /nonexistent/)
    // NODE_EXTRA_CA_CERTS, as Node itself reads it.
    const script = `new (require('enneo').Client)({ baseUrl: process.argv[1] }).getCustomer(1).then((c) => console.log(c.id))`
    const out = spawnSync(process.execPath, ['-e', script, server.baseUrl], { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: tlsFile('ca.pem') } })
    assert.equal(out.status, 0, out.stderr)
    assert.equal(out.stdout.trim(), '1')
  } finally {
    await server.close()
  }
})

// What the README shows: a user's own code, tested with enneo/testing.
async function greeting(client, id) {
  try {
    return `Hello, ${(await client.getCustomer(id)).firstname}!`
  } catch (e) {
    if (e instanceof NotFoundError) return 'Who are you?'
    return `error: ${e.status}`
  }
}

test('a user tests their code with MockServer', async () => {
  const server = await MockServer.start({ customers: [{ id: 7, firstname: 'Ada', contracts: [{ id: 70 }] }, '{"id":"9007199254740993","firstname":"Big"}'], token: 't' })
  try {
    const client = new Client({ baseUrl: server.baseUrl, token: server.token, maxRetries: 0 })
    assert.equal(await greeting(client, 7), 'Hello, Ada!')
    assert.equal(await greeting(client, 8), 'Who are you?')
    assert.equal(await greeting(client, '9007199254740993'), 'Hello, Big!')
    assert.equal((await client.getCustomerByContractId(70)).firstname, 'Ada')
    assert.equal(await greeting(new Client({ baseUrl: server.faultBaseUrl('status=503'), token: 't', maxRetries: 0 }), 7), 'error: 503')
    assert.equal(server.requests()[0].path, '/api/mind/customer/byCustomerId/7')
    server.clearRequests()
    assert.deepEqual(server.requests(), [])
  } finally {
    await server.close()
  }
  assert.throws(() => server.requests(), /closed/)
  // The same classes from require() as from import.
  const require = createRequire(import.meta.url)
  assert.equal(require('enneo/testing').MockServer, MockServer)
  assert.equal(require('enneo').Client, Client)
})

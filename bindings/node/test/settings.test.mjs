// Client settings come from one table in the core (`enneo::SETTINGS`): the
// options' checks and messages, and the explicit proxy added as one row.
import test from 'node:test'
import assert from 'node:assert/strict'

import { Client, InvalidArgumentError, APIConnectionError } from 'enneo'
import { MockServer } from 'enneo/testing'

// A host no resolver knows: a lookup reaches the mock only through the proxy.
const UNRESOLVABLE = 'http://enneo.invalid/api/mind'

test('an explicit proxy carries every request', async () => {
  const server = await MockServer.start()
  try {
    const root = server.baseUrl.replace(/\/api\/mind$/, '')
    const client = new Client({ baseUrl: UNRESOLVABLE, token: 't', proxy: root.replace('http://', 'http://u:proxy-secret@'), maxRetries: 0 })
    assert.equal((await client.getCustomer(83771)).id, 83771)
    await client.withOptions({ timeout: 5000 }).getCustomer(2)
    const bulk = await client.getCustomers([3, 4])
    assert.ok(bulk.every((r) => r.ok))
    const logged = server.requests()
    assert.deepEqual(logged.map((r) => r.headers.host), Array(4).fill('enneo.invalid'))
    assert.equal(logged[0].path, '/api/mind/customer/byCustomerId/83771')

    const bare = new Client({ baseUrl: UNRESOLVABLE, token: 't', maxRetries: 0, connectTimeout: 2000 })
    await assert.rejects(bare.getCustomer(1), APIConnectionError)
    assert.throws(
      () => new Client({ baseUrl: UNRESOLVABLE, proxy: 'ftp://u:proxy-secret@host:21' }),
      (e) => e instanceof InvalidArgumentError && /must start with http:\/\//.test(e.message) && !e.message.includes('proxy-secret'),
    )
  } finally {
    await server.close()
  }
})

test('each refusal is worded by the core, in camelCase and milliseconds', () => {
  const cases = [
    [{ timeout: '5' }, 'timeout must be a number, not "5"'],
    [{ connectTimeout: true }, 'connectTimeout must be a number, not a boolean'],
    [{ maxRetries: 1.5 }, 'maxRetries must be a whole number, not 1.5'],
    [{ maxRetries: -1 }, 'maxRetries must be 0 or more, got -1'],
    [{ timeout: 0 }, 'timeout must be a positive, finite number of milliseconds, got 0'],
    [{ token: 3 }, 'token must be a string, not 3'],
    [{ proxy: () => 'x' }, 'proxy must be a string, not a function'],
    [{ caCert: 3 }, 'caCert must be PEM text or a path, or an array of them, not 3'],
    [{ defaultHeaders: ['X-A: 1'] }, 'defaultHeaders must be an object of header names to values, not an array'],
    [{ defaultHeaders: { 'X-A': 1 } }, 'defaultHeaders must map header names to string, got "X-A": 1'],
    [{ maxRequestsPerSecond: 0 }, 'maxRequestsPerSecond must be a positive number, got 0'],
    [{ logLevel: 'loud' }, /log level/],
    [{ maxRetry: 1 }, 'unexpected setting "maxRetry"'],
  ]
  const base = new Client({ baseUrl: 'http://127.0.0.1:9/api/mind' })
  for (const [options, message] of cases) {
    const check = (e) => e instanceof InvalidArgumentError && (message instanceof RegExp ? message.test(e.message) : e.message === message)
    assert.throws(() => new Client({ baseUrl: 'http://127.0.0.1:9/api/mind', ...options }), check, JSON.stringify(options))
    assert.throws(() => base.withOptions(options), check, JSON.stringify(options))
  }
  // null and undefined leave a setting unset, as None does in Python.
  assert.equal(new Client({ baseUrl: 'http://127.0.0.1:9/api/mind', token: null, timeout: undefined }).baseUrl, 'http://127.0.0.1:9/api/mind')
})

test('per-call options are checked by the core, in every call form', async () => {
  const server = await MockServer.start()
  try {
    const client = new Client({ baseUrl: server.baseUrl })
    const cases = [
      [{ timeout: '5' }, 'timeout must be a number, not "5"'],
      [{ timeout: 0 }, 'timeout must be a positive, finite number of milliseconds, got 0'],
      [{ maxRetries: -1 }, 'maxRetries must be 0 or more, got -1'],
      [{ headers: { 'X-A': 1 } }, 'headers must map header names to string, got "X-A": 1'],
      [{ headers: { Authorization: 'x' } }, 'header "Authorization" is set by the client and cannot be overridden'],
    ]
    for (const [options, message] of cases) {
      const check = (e) => e instanceof InvalidArgumentError && e.message === message
      await assert.rejects(client.getCustomer(1, options), check, JSON.stringify(options))
      await assert.rejects(client.getCustomers([1], options), check, JSON.stringify(options))
    }
    assert.deepEqual(server.requests(), [])
  } finally {
    await server.close()
  }
})

test('bulk ids and concurrency are checked by the core, before anything is sent', async () => {
  const mock = await MockServer.start()
  try {
    const client = new Client({ baseUrl: mock.baseUrl })
    const refusals = [
      [() => client.getCustomers([1, true]), 'id must be an integer or a string, not a boolean'],
      [() => client.getCustomers([2 ** 60]), 'id 1152921504606847000 is beyond Number.MAX_SAFE_INTEGER; pass it as a string or a bigint'],
      [() => client.getCustomers([1.5]), 'id must be an integer or a string, not 1.5'],
      [() => client.getCustomers([1], { concurrency: '4' }), 'concurrency must be an integer, not "4"'],
      [() => client.getCustomers([1], { concurrency: 0 }), 'concurrency must be at least 1, got 0'],
    ]
    for (const [call, message] of refusals) {
      await assert.rejects(call(), (e) => e instanceof InvalidArgumentError && e.message === message, message)
    }
    assert.equal(mock.requests().length, 0)
    const ok = await client.getCustomers([7n, '8', 9])
    assert.deepEqual(ok.map((r) => String(r.customer.id)), ['7', '8', '9'])
    // A stream refuses a bad id where it reads it, having sent none of its batch.
    const seen = []
    await assert.rejects(async () => {
      for await (const r of client.streamCustomers([1, 2, null], { concurrency: 1 })) seen.push(r.id)
    }, /id must be an integer or a string, not null/)
  } finally {
    await mock.close()
  }
})

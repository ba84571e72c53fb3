// The shared vectors of tests/vectors, which the Rust and Python suites read
// too: request paths, refused ids, payloads (hand-written and 600 generated
// from the spec) and the fault matrix.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { Client, EnneoError, InvalidArgumentError, sameId } from 'enneo'
import { MockServer } from 'enneo/testing'
import { exactParse, vector } from './helpers.mjs'


test('paths', async () => {
  const server = await MockServer.start()
  try {
    const client = new Client({ baseUrl: server.baseUrl })
    for (const c of vector('paths.json').cases) {
      server.clearRequests()
      // Integers beyond 2^53 go in as strings (a number would be refused).
      // The Node method of a spec operationId is the operationId itself.
      const customer = await client[c.operation](c.id)
      assert.deepEqual(server.requests().map((r) => r.path), [c.path], JSON.stringify(c))
      assert.ok(sameId(customer.id, c.id), JSON.stringify(c))
    }
  } finally {
    await server.close()
  }
})

test('invalid ids', async () => {
  const server = await MockServer.start()
  try {
    const client = new Client({ baseUrl: server.baseUrl })
    for (const c of vector('invalid_ids.json').cases) {
      const id = c.repeat ? c.repeat[0].repeat(c.repeat[1]) : c.id
      await assert.rejects(client.getCustomer(id), (e) => {
        assert.ok(e instanceof InvalidArgumentError && e instanceof EnneoError, String(e))
        assert.equal(e.code, c.code)
        assert.ok(e.message.includes(c.message), `${e.message} lacks ${c.message}`)
        return true
      })
    }
    assert.deepEqual(server.requests(), [])
  } finally {
    await server.close()
  }
})

test('payloads keep every field and digit', async () => {
  const bodies = [...vector('payloads.json').cases.map((c) => c.body), ...vector('payloads-generated.json').bodies]
  assert.ok(bodies.length >= 600)
  const server = await MockServer.start({ customers: bodies })
  try {
    const client = new Client({ baseUrl: server.baseUrl })
    const ids = bodies.map((b) => String(exactParse(b).id))
    const results = await client.getCustomers(ids, { concurrency: 16 })
    results.forEach((r, i) => {
      assert.ok(r.ok, `${bodies[i].slice(0, 200)}: ${r.error}`)
      assert.equal(JSON.stringify(r.customer), JSON.stringify(exactParse(bodies[i])), bodies[i].slice(0, 300))
    })
    const one = await client.getCustomer(ids[1])
    assert.equal(JSON.stringify(one), JSON.stringify(exactParse(bodies[1])))
  } finally {
    await server.close()
  }
})

const FAULTS = vector('faults.json')

for (const c of FAULTS.cases) {
  test(`fault: ${c.name}`, async () => {
    const token = FAULTS.token
    const server = await MockServer.start({ token })
    const other = await MockServer.start()
    try {
      let baseUrl
      if (c.base === 'refused') {
        const closed = await MockServer.start()
        baseUrl = closed.baseUrl
        await closed.close()
      } else {
        baseUrl = server.faultBaseUrl(c.fault.replace('{other}', other.url))
      }
      const client = new Client({ baseUrl, token, maxRetries: c.max_retries ?? 2, timeout: c.timeout_ms ?? 10_000 })
      const started = performance.now()
      let outcome
      try {
        outcome = await client.getCustomer(1)
      } catch (e) {
        outcome = e
      }
      const elapsed = performance.now() - started
      if (c.expect.ok) {
        assert.ok(!(outcome instanceof Error), String(outcome))
        JSON.stringify(outcome)
      } else {
        assert.ok(outcome instanceof EnneoError, String(outcome))
        assert.equal(outcome.code, c.expect.code, outcome.message)
        if (c.expect.status !== undefined) assert.equal(outcome.status, c.expect.status)
        for (const shown of [String(outcome), outcome.stack, JSON.stringify(outcome)]) assert.ok(!shown.includes(token), shown)
      }
      if (c.expect.attempts !== undefined) assert.equal(server.requests().length, c.expect.attempts)
      assert.ok(elapsed <= c.within_ms, `${elapsed} ms`)
      assert.ok(elapsed >= (c.min_ms ?? 0), `${elapsed} ms`)
      for (const r of other.requests()) assert.equal(r.headers.authorization, undefined)
      if ((c.fault ?? '').includes('{other}')) assert.equal(other.requests().length, 1)
    } finally {
      await server.close()
      await other.close()
    }
  })
}

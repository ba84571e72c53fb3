// Against a server that enforces a rate limit (the mock's token bucket, 429
// with `Retry-After: 1` beyond it), at default settings: every lookup
// succeeds and 429s stay within a tenth of the requests (under a hundredth
// when the server announces its limit). Counted from what the mock saw.
//
// No bound on wall time: a loaded machine stretches it, and speed is
// measured by bench/rate_limit.py in `make bench`, not by tests.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Client, RateLimitError, InvalidArgumentError } from 'enneo'
import { MockServer } from 'enneo/testing'

const RATE = 300

function check(server, outcomes, maxRefused = 0.1) {
  const stats = server.stats()
  const failed = outcomes.filter((o) => !o.ok)
  assert.deepEqual(failed.slice(0, 3), [], 'every lookup succeeds')
  assert.ok(stats.requests >= outcomes.length)
  assert.ok(stats.rateLimited <= maxRefused * stats.requests, JSON.stringify(stats))
}

const ids = (n) => Array.from({ length: n }, (_, i) => i + 1)

// Node 20 has no `await using`: the server is closed after `body`.
async function withMock(options, body) {
  const server = await MockServer.start(options)
  try {
    await body(server)
  } finally {
    await server.close()
  }
}

test('bulk loses nothing to a silent limit', () =>
  withMock({ rateLimit: RATE }, async (server) => {
    const client = new Client({ baseUrl: server.baseUrl })
    const outcomes = await client.getCustomers(ids(3000), { concurrency: 64 })
    check(server, outcomes)
    const state = client.rateLimitState()
    assert.equal(state.rateLimited, server.stats().rateLimited)
    assert.ok(state.rateLimited > 0)
    assert.ok(state.adaptiveRate !== null && state.adaptiveRate <= RATE * 1.05, String(state.adaptiveRate))
  }))

test('bulk meets an announced limit', () =>
  withMock({ rateLimit: RATE, rateLimitHeaders: true }, async (server) => {
    const client = new Client({ baseUrl: server.baseUrl })
    const outcomes = await client.getCustomers(ids(3000), { concurrency: 64 })
    check(server, outcomes, 0.01)
    assert.equal(client.rateLimitState().adaptiveRate, RATE * 0.98)
  }))

test('singles from 64 concurrent tasks share one state', () =>
  withMock({ rateLimit: RATE }, async (server) => {
    const client = new Client({ baseUrl: server.baseUrl })
    const batches = await Promise.all(
      Array.from({ length: 64 }, async (_, t) => {
        const out = []
        for (let i = 0; i < 25; i++) {
          try {
            out.push({ ok: true, customer: await client.getCustomer(t * 1000 + i) })
          } catch (error) {
            out.push({ ok: false, error })
          }
        }
        return out
      }),
    )
    const outcomes = batches.flat()
    assert.equal(outcomes.length, 1600)
    check(server, outcomes)
    // A derived client reads the same state.
    assert.equal(client.withOptions({ maxRetries: 5 }).rateLimitState().rateLimited, server.stats().rateLimited)
  }))

test('the mock limit is validated and counted', async () => {
  await assert.rejects(MockServer.start({ rateLimit: 0 }), InvalidArgumentError)
  await withMock({ rateLimit: 5, rateBurst: 2 }, async (server) => {
  const client = new Client({ baseUrl: server.baseUrl, maxRetries: 0 })
  const outcomes = await client.getCustomers([1, 2, 3, 4], { concurrency: 1 })
  assert.deepEqual(outcomes.slice(0, 2).map((o) => o.ok), [true, true])
  // No retries allowed: the third is refused at once, and kept as its error.
  assert.ok(outcomes[2].error instanceof RateLimitError)
  assert.deepEqual(server.stats(), { requests: 4, rateLimited: outcomes.filter((o) => !o.ok).length })
  server.clearRequests()
  assert.deepEqual(server.stats(), { requests: 0, rateLimited: 0 })
  })
})

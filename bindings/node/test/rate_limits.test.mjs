// Against a server that enforces a rate limit (the mock's token bucket, 429
// with `Retry-After: 1` beyond it), at default settings: every lookup
// succeeds, 429s stay within a tenth of the requests, and the run takes
// little longer than the limit allows. Counted from what the mock saw.
//
// A server that announces its limit is met within 1.2x ids/limit; a silent
// one costs two one-second `Retry-After` holds (the first 429 shows there is
// a limit, the second where it is), so its bound is looser.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Client, RateLimitError, InvalidArgumentError } from 'enneo'
import { MockServer } from 'enneo/testing'

const RATE = 300

function check(server, outcomes, took, maxTime) {
  const stats = server.stats()
  const failed = outcomes.filter((o) => !o.ok)
  assert.deepEqual(failed.slice(0, 3), [], 'every lookup succeeds')
  assert.ok(stats.requests >= outcomes.length)
  assert.ok(stats.rateLimited <= 0.1 * stats.requests, JSON.stringify(stats))
  const ratio = took / ((outcomes.length / RATE) * 1000)
  assert.ok(ratio <= maxTime, `${ratio.toFixed(2)}x ids/limit, ${JSON.stringify(stats)}`)
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
    const started = Date.now()
    const outcomes = await client.getCustomers(ids(3000), { concurrency: 64 })
    check(server, outcomes, Date.now() - started, 1.7)
    const state = client.rateLimitState()
    assert.equal(state.rateLimited, server.stats().rateLimited)
    assert.ok(state.rateLimited > 0)
    assert.ok(state.adaptiveRate !== null && state.adaptiveRate <= RATE * 1.05, String(state.adaptiveRate))
  }))

test('bulk meets an announced limit', () =>
  withMock({ rateLimit: RATE, rateLimitHeaders: true }, async (server) => {
    const client = new Client({ baseUrl: server.baseUrl })
    const started = Date.now()
    const outcomes = await client.getCustomers(ids(3000), { concurrency: 64 })
    check(server, outcomes, Date.now() - started, 1.2)
    assert.equal(client.rateLimitState().adaptiveRate, RATE * 0.98)
  }))

test('singles from 64 concurrent tasks share one state', () =>
  withMock({ rateLimit: RATE }, async (server) => {
    const client = new Client({ baseUrl: server.baseUrl })
    const started = Date.now()
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
    check(server, outcomes, Date.now() - started, 2.0)
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

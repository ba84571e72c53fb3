// The default window adapts to the path. Against a server that takes 20 ms
// to answer (the mock's delay fault), bulk and streaming calls at default
// settings keep more than 16 lookups in flight, counted by the mock; a
// number the caller passes is a cap the mock never sees exceeded.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Client } from 'enneo'
import { MockServer } from 'enneo/testing'

const ids = (n) => Array.from({ length: n }, (_, i) => i + 1)

async function peak(server) {
  const r = await fetch(`${server.url}/__mock/stats`)
  return (await r.json()).max_in_flight
}

async function withSlowMock(body) {
  const server = await MockServer.start()
  try {
    await body(server, new Client({ baseUrl: `${server.url}/__fault/delay=20/api/mind` }))
  } finally {
    await server.close()
  }
}

test('bulk at default settings widens on a slow path', () =>
  withSlowMock(async (server, client) => {
    const outcomes = await client.getCustomers(ids(1500))
    assert.equal(outcomes.filter((o) => o.ok).length, 1500)
    const p = await peak(server)
    assert.ok(p > 32 && p <= 256, String(p))
  }))

test('streams widen too, and a number is a cap', () =>
  withSlowMock(async (server, client) => {
    let ok = 0
    for await (const r of client.streamCustomers(ids(1500))) ok += r.ok ? 1 : 0
    assert.equal(ok, 1500)
    assert.ok((await peak(server)) > 32)
    server.clearRequests()
    const outcomes = await client.getCustomers(ids(600), { concurrency: 24 })
    assert.equal(outcomes.filter((o) => o.ok).length, 600)
    assert.equal(await peak(server), 24)
  }))

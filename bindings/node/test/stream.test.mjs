// streamCustomers, maxRequestsPerSecond, worker_threads and cluster, with
// the installed `enneo` package against enneo-mock on loopback.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Worker } from 'node:worker_threads'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Client, NotFoundError, InvalidArgumentError, APIUserAbortError } from 'enneo'
import { startMock } from './helpers.mjs'

let mock
before(async () => {
  delete process.env.ENNEO_TOKEN
  mock = await startMock()
})
after(() => mock.stop())

test('streamCustomers yields in input order with failures in place', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: 't' })
  const ids = [3, 'x'.repeat(51), 1, '0042', '']
  const out = []
  for await (const r of client.streamCustomers(ids, { concurrency: 2 })) out.push(r)
  assert.deepEqual(out.map((r) => r.id), ids)
  assert.deepEqual(out.map((r) => r.ok), [true, false, true, true, false])
  assert.equal(out[0].customer.id, 3)
  assert.equal(out[3].customer.id, '0042')
  assert.ok(out[1].error instanceof NotFoundError)
  assert.ok(out[4].error instanceof InvalidArgumentError)
})

test('streamCustomers reads an endless async source lazily and leaving the loop stops the rest', async () => {
  const client = new Client({ baseUrl: mock.faulty('delay=20'), token: 't' })
  let pulled = 0
  async function* ids() {
    for (let i = 1; ; i++) {
      pulled = i
      yield i
    }
  }
  await mock.clear()
  const got = []
  for await (const r of client.streamCustomers(ids(), { concurrency: 4 })) {
    got.push(r.customer.id)
    if (got.length === 30) break
  }
  assert.deepEqual(got, Array.from({ length: 30 }, (_, i) => i + 1))
  assert.ok(pulled <= 30 + 2 * 4, `pulled ${pulled}`)
  await sleep(150)
  const sent = (await mock.requests()).length
  await sleep(150)
  assert.equal((await mock.requests()).length, sent, 'no requests after the loop was left')
})

test('a slow consumer slows the requests (backpressure)', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: 't' })
  await mock.clear()
  let taken = 0
  for await (const r of client.streamCustomers((function* () { for (let i = 1; ; i++) yield i })(), { concurrency: 4 })) {
    assert.ok(r.ok)
    taken++
    await sleep(20)
    if (taken === 10) break
  }
  const sent = (await mock.requests()).length
  // Requests run ahead of the consumer by at most the window and the
  // finished results the core buffers.
  assert.ok(sent <= taken + 2 * 4 + 4, `${sent} requests for ${taken} results`)
})

test('aborting the signal ends the stream with APIUserAbortError', async () => {
  const client = new Client({ baseUrl: mock.faulty('delay=200'), token: 't' })
  const controller = new AbortController()
  setTimeout(() => controller.abort(), 50)
  await assert.rejects(async () => {
    for await (const r of client.streamCustomers([1, 2, 3], { signal: controller.signal })) assert.fail(`got ${r.id}`)
  }, APIUserAbortError)
  assert.throws(() => client.streamCustomers(42), InvalidArgumentError)
})

test('maxRequestsPerSecond paces every call of the client', async () => {
  const client = new Client({ baseUrl: mock.baseUrl, token: 't', maxRequestsPerSecond: 20 })
  const start = performance.now()
  const results = await client.getCustomers(Array.from({ length: 40 }, (_, i) => i + 1), { concurrency: 16 })
  assert.ok(results.every((r) => r.ok))
  // Starts spaced at least 50 ms apart, with no burst: 40 need 1.95 s.
  assert.ok(performance.now() - start >= 1900)
  assert.throws(() => new Client({ baseUrl: mock.baseUrl, maxRequestsPerSecond: 0 }), InvalidArgumentError)
})

test('the addon works in several worker threads at once', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Client } = require('enneo')
    const client = new Client({ baseUrl: workerData.baseUrl, token: 't' })
    client.getCustomers(workerData.ids, { concurrency: 4 }).then((r) => parentPort.postMessage(r.map((x) => x.customer.id)))
  `
  const workers = [0, 1, 2].map((w) => new Worker(code, {
    eval: true,
    workerData: { baseUrl: mock.baseUrl, ids: Array.from({ length: 20 }, (_, i) => w * 100 + i + 1) },
  }))
  const got = await Promise.all(workers.map((w) => once(w, 'message').then(([m]) => m)))
  got.forEach((ids, w) => assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => w * 100 + i + 1)))
  await Promise.all(workers.map((w) => w.terminate()))
})

test('the addon works in cluster workers', async () => {
  const child = fileURLToPath(new URL('./cluster-child.mjs', import.meta.url))
  const out = await new Promise((resolve, reject) => {
    const p = fork(child, [mock.baseUrl], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    let text = ''
    p.stdout.on('data', (d) => { text += d })
    p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}: ${text}`))))
  })
  const lines = out.trim().split('\n').map((l) => JSON.parse(l))
  assert.equal(lines.length, 2)
  assert.deepEqual(lines.map((l) => l.ids).sort((a, b) => a[0] - b[0]), [[1, 2, 3], [4, 5, 6]])
  assert.equal(new Set(lines.map((l) => l.pid)).size, 2)
})

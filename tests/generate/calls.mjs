// Run by tests/generate/run.sh from the scratch build's bindings/node, after
// the spec gained `getCustomerByEmail` and `getContract`.
import assert from 'node:assert/strict'
import { Client, InvalidArgumentError } from 'enneo'
import { MockServer } from 'enneo/testing'

const server = await MockServer.start()
try {
  const client = new Client({ baseUrl: server.baseUrl })
  const customer = await client.getCustomerByEmail('tom@example.com')
  assert.equal(customer.firstname, 'Tom')
  const contract = await client.getContract(746839, undefined, { timeout: 5000 })
  assert.equal(contract.productName, 'Ökostrom Flex')
  assert.ok(JSON.stringify(contract).includes('12345678901234567890'))
  await client.getContract(7, 'tags')
  const { data, response } = await client.getContract(746839).withResponse()
  assert.equal(data.productName, 'Ökostrom Flex')
  assert.equal(response.status, 200)
  const paths = server.requests().map((r) => r.path)
  assert.equal(paths[2], '/api/mind/contract/7?expand=tags')
  const reading = await client.getReading(1)
  assert.equal(reading.readAt, '2024-01-02T03:04:05.5Z')
  assert.equal(reading.kind, 'smart')
  assert.equal(reading.quality, null)
  assert.deepEqual(reading.values, [1.5, 2])
  assert.equal(reading.meter.digits, 6)
  assert.equal(reading.labels.site, 'north')
  assert.equal(reading.contract.note, 'n')
  assert.equal(reading.contract.id, '12345678901234567890')
  // Typed parameters: written by their type, refused by it.
  await server.clearRequests()
  await client.getReading(1, true, ['actual', 'estimated'], new Date(Date.UTC(2024, 0, 1)), 5)
  await client.getReading(2, undefined, undefined, undefined, 0)
  assert.deepEqual(server.requests().map((r) => r.path), [
    '/api/mind/reading/1?withHistory=true&kinds=actual&kinds=estimated&since=2024-01-01T00%3A00%3A00.000Z&limit=5',
    '/api/mind/reading/2?limit=0',
  ])
  await assert.rejects(client.getReading(1, 'yes'), (e) => e instanceof InvalidArgumentError && e.message === 'withHistory must be a boolean, not "yes"')
  await assert.rejects(client.getReading(1, undefined, ['smart']), /kinds\[0\] must be one of "actual", "estimated", got "smart"/)
  await assert.rejects(client.getReading(1, undefined, undefined, undefined, 1.5), /limit must be an integer, not 1.5/)
  // The POST: a body object, checked by the core, sent exact (a bigint
  // keeps its digits), retried under one Idempotency-Key.
  await server.clearRequests()
  const created = await client.createReading({ meterId: 123456789012345678901234567890n, kind: 'actual', value: 7.25, note: undefined, source: 'app' })
  assert.deepEqual(created.values, [7.25])
  let sent = server.requests().at(-1)
  assert.equal(sent.method, 'POST')
  assert.equal(sent.body, '{"meterId":123456789012345678901234567890,"kind":"actual","value":7.25,"source":"app"}')
  const key = sent.headers['idempotency-key']
  assert.match(key, /^enneo-retry-/)
  await server.clearRequests()
  await client.createReading({ meterId: 1, kind: 'actual', value: 1 }, { headers: { 'x-mock-fault': 'fail-first=1;status=503' } })
  const [first, retry] = server.requests()
  assert.equal(first.headers['idempotency-key'], retry.headers['idempotency-key'])
  assert.notEqual(first.headers['idempotency-key'], key)
  const { response: posted } = await client.createReading({ meterId: 1, kind: 'actual', value: 1, readAt: new Date(Date.UTC(2024, 0, 1)) }).withResponse()
  assert.equal(posted.status, 201)
  assert.equal(JSON.parse(server.requests().at(-1).body).readAt, '2024-01-01T00:00:00.000Z')
  const gone = await client.deleteReading(2)
  assert.equal(gone.kind, 'actual')
  sent = server.requests().at(-1)
  assert.deepEqual([sent.method, sent.path, sent.body ?? null], ['DELETE', '/api/mind/reading/2', null])
  const before = server.requests().length
  await assert.rejects(client.createReading({ meterId: 1, kind: 'smart', value: 1 }), (e) => e instanceof InvalidArgumentError && e.message === 'body.kind must be one of "actual", "estimated", got "smart"')
  await assert.rejects(client.createReading({ meterId: 1, kind: 'actual' }), /body.value is required/)
  await assert.rejects(client.createReading({ meterId: 2 ** 60, kind: 'actual', value: 1 }), /MAX_SAFE_INTEGER/)
  assert.equal(server.requests().length, before)
  console.error(`node ok: ${paths.length} requests`)
} finally {
  await server.close()
}

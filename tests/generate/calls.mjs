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
  console.error(`node ok: ${paths.length} requests`)
} finally {
  await server.close()
}

// Run by tests/generate/run.sh from the scratch build's bindings/node, after
// the spec gained `getCustomerByEmail` and `getContract`.
import assert from 'node:assert/strict'
import { Client } from 'enneo'
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
  console.error(`node ok: ${paths.length} requests`)
} finally {
  await server.close()
}

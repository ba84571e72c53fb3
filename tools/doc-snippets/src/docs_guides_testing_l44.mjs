import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Client, InternalServerError } from 'enneo'
import { MockServer } from 'enneo/testing'

test('greets a known customer', async () => {
  const server = await MockServer.start({ customers: [{ id: 7, firstname: 'Ada' }], token: 't' })
  try {
    const client = new Client({ baseUrl: server.baseUrl, token: server.token })
    assert.equal((await client.getCustomer(7)).firstname, 'Ada')
    assert.equal(server.requests()[0].headers.authorization, 'Bearer t')
  } finally {
    await server.close()
  }
})

test('an outage', async () => {
  const server = await MockServer.start()
  const client = new Client({ baseUrl: server.faultBaseUrl('status=503'), token: 't', maxRetries: 0 })
  await assert.rejects(client.getCustomer(7), InternalServerError)
  await server.close()
})

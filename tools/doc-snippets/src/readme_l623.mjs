import assert from 'node:assert/strict'
import { Client } from 'enneo'
import { MockServer } from 'enneo/testing'

const server = await MockServer.start({ customers: [{ id: 7, firstname: 'Ada' }], token: 't' })
const client = new Client({ baseUrl: server.baseUrl, token: server.token })
assert.equal((await client.getCustomer(7)).firstname, 'Ada')
assert.equal(server.requests()[0].headers.authorization, 'Bearer t')
await server.close()

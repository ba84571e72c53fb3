import { Client } from 'enneo'
import { MockServer } from 'enneo/testing'

const server = await MockServer.start({ rateLimit: 200, rateLimitHeaders: true })
try {
  const client = new Client({ baseUrl: server.baseUrl })
  const ids = Array.from({ length: 800 }, (_, i) => i + 1)
  const results = await client.getCustomers(ids, { concurrency: 64 })
  console.log(results.filter((r) => r.ok).length, 'of', ids.length, server.stats())
  console.log(client.rateLimitState())   // { adaptiveRate: 196, rateLimited: …, heldForMs: null }
} finally {
  await server.close()
}

import { Client } from 'enneo'

async function* readIds() {
  yield* [83771, 83772, 'unknown']
}

const client = new Client()
for await (const r of client.streamCustomers(readIds(), { concurrency: 32 })) {
  if (r.ok) console.log(r.id, r.customer.lastname)
  else console.log(r.id, 'failed:', r.error.code)
}

import { Client } from 'enneo'
const client = new Client()
const ids = [83771, 83772]
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const signal = AbortSignal.timeout(60_000)                      // ids: any iterable or async iterable
for await (const r of client.streamCustomers(ids, { concurrency: 32, signal })) {
  if (r.ok) console.log(r.id, r.customer.lastname)             // a slow consumer slows the requests
  else console.error(r.id, r.error.code)
}

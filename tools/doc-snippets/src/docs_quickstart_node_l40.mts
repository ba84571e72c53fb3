import { Client, type Customer, type BulkResult } from 'enneo'

const client = new Client({ maxRetries: 3, timeout: 10_000 })
const customer: Customer = await client.getCustomer(83771)
const results: BulkResult[] = await client.getCustomers([83771, 83772, ''], { concurrency: 8 })
for (const r of results) console.log(r.ok ? r.customer.id : `${r.error.code}: ${r.error.message}`)
console.log(customer.tags?.map((t) => t.name))

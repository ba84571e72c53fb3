import { Client } from 'enneo'

const client = new Client()
const customer = await client.getCustomer(83771, { timeout: 5_000, maxRetries: 0, headers: { 'x-correlation-id': 'run-42' } })
console.log(customer.id)

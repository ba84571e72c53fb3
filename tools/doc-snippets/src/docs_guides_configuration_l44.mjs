import { Client } from 'enneo'

const client = new Client()
const patient = client.withOptions({ timeout: 120_000, maxRetries: 5 })
console.log((await patient.getCustomer(83771)).id)

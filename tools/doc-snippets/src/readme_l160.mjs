import { Client, NotFoundError } from 'enneo'         // or: const { Client } = require('enneo')

const client = new Client()                           // ENNEO_TOKEN, ENNEO_BASE_URL
try {
  const customer = await client.getCustomer(83771, { signal: AbortSignal.timeout(5000) })
  console.log(customer.lastname, customer.contracts?.[0]?.unpaidDebt)
} catch (e) {
  if (!(e instanceof NotFoundError)) throw e
  console.log('unknown customer', e.status, e.requestId)
}

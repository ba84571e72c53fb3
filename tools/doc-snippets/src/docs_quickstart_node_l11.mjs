import { Client, NotFoundError } from 'enneo'

const client = new Client()                   // ENNEO_BASE_URL, ENNEO_TOKEN
const customer = await client.getCustomer(83771, { signal: AbortSignal.timeout(5000) })
console.log(customer.firstname, customer.lastname, customer.contracts?.[0]?.unpaidDebt)

try {
  await client.getCustomer('no such id')
} catch (e) {
  if (!(e instanceof NotFoundError)) throw e
  console.log('not found', e.status, e.code, e.requestId)
}

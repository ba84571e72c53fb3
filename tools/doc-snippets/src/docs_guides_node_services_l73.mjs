import { Client, sameId } from 'enneo'

const client = new Client()
const customer = await client.getCustomer(83771)
const copy = JSON.parse(JSON.stringify(customer))
console.log(sameId(copy.id, '83771'), copy.contracts[0].unpaidDebt)

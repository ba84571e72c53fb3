import { Client } from 'enneo'

const client = new Client()
const { data: customer, response } = await client.getCustomer(83771).withResponse()
console.log(response.status, response.requestId, response.retriesTaken, response.headers.get('content-type'), customer.id)

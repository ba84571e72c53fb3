import { Client } from 'enneo'
const client = new Client()
const ids = [83771, 83772]
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const { data: customer, response } = await client.getCustomer(83771).withResponse()
console.log(response.status, response.headers.get('content-type'), response.requestId, response.retriesTaken)

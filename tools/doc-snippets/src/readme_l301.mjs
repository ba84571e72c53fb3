import { Client } from 'enneo'
const client = new Client()
const ids = [83771, 83772]
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
import { tableFromIPC } from 'apache-arrow'

const table = tableFromIPC(await client.customersArrow(ids, { concurrency: 32 }))
console.log(table.numRows, table.getChild('lastname')?.toArray())

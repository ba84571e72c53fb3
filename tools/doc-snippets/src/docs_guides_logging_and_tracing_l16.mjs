import { Client } from 'enneo'

const lines = []
const logger = { debug: (msg, fields) => lines.push([msg, fields]), info() {}, warn() {}, error() {} }
const client = new Client({ logger, logLevel: 'debug' })
await client.getCustomer(83771)
console.log(lines[0])

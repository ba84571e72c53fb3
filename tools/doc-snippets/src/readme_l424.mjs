import { Client } from 'enneo'
const client = new Client()
const ids = [83771, 83772]
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const patient = client.withOptions({ timeout: 120_000, maxRetries: 5 })

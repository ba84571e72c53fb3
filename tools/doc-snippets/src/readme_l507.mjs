import { Client } from 'enneo'
const client = new Client()
const ids = [83771, 83772]
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
// Whatever registers your provider (NodeSDK, @opentelemetry/auto-instrumentations-node, ...);
// enneo uses @opentelemetry/api, an optional peer dependency, and the active context.
import { trace } from '@opentelemetry/api'

const tracer = trace.getTracer('billing')
await tracer.startActiveSpan('monthly-run', async (span) => {
  await client.getCustomers(ids)              // one child span per id
  span.end()
})

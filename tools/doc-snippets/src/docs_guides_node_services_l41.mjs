import http from 'node:http'
import { Client, NotFoundError } from 'enneo'

const enneo = new Client()
const server = http.createServer(async (req, res) => {
  const id = decodeURIComponent((req.url ?? '').slice('/customers/'.length))
  try {
    const customer = await enneo.getCustomer(id)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(customer))
  } catch (e) {
    res.writeHead(e instanceof NotFoundError ? 404 : 502).end(JSON.stringify({ error: e.code }))
  }
})
server.listen(0, '127.0.0.1', async () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
  const base = `http://127.0.0.1:${port}/customers/`
  const found = await fetch(base + '83771')
  const missing = await fetch(base + 'unknown')
  console.log(found.status, (await found.json()).lastname, missing.status)
  server.close()
})

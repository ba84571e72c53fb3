// `cluster` primary with two workers; each looks up three customers and
// prints `{pid, ids}`. Used by stream.test.mjs.
import cluster from 'node:cluster'
import { Client } from 'enneo'

const baseUrl = process.argv[2]
if (cluster.isPrimary) {
  let done = 0
  for (const ids of [[1, 2, 3], [4, 5, 6]]) {
    const w = cluster.fork({ ENNEO_IDS: ids.join(',') })
    w.on('message', (m) => {
      process.stdout.write(JSON.stringify(m) + '\n')
      w.kill()
      if (++done === 2) process.exit(0)
    })
  }
} else {
  const ids = process.env.ENNEO_IDS.split(',').map(Number)
  const results = await new Client({ baseUrl, token: 't' }).getCustomers(ids)
  process.send({ pid: process.pid, ids: results.map((r) => r.customer.id) })
}

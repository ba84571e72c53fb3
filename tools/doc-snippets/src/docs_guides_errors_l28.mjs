import { Client, EnneoError, NotFoundError, InvalidArgumentError } from 'enneo'

const client = new Client({ maxRetries: 0 })
for (const id of [83771, 'unknown', '']) {
  try {
    console.log('found', (await client.getCustomer(id)).id)
  } catch (e) {
    if (e instanceof NotFoundError) console.log('404:', e.code, e.status, e.requestId)
    else if (e instanceof InvalidArgumentError) console.log('refused:', e.message)
    else if (e instanceof EnneoError) console.log(e.code, e.message)
    else throw e
  }
}

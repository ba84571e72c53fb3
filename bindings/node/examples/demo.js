// `make demo`'s Node part: one lookup against a local enneo-mock.
const { spawn } = require('node:child_process')
const { createInterface } = require('node:readline')
const { Client, NotFoundError } = require('..')

async function main() {
  const mock = spawn(process.env.ENNEO_MOCK_BIN ?? 'enneo-mock', ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const [line] = await require('node:events').once(createInterface({ input: mock.stdout }), 'line')
    const client = new Client({ baseUrl: `${line.split(' ').pop()}/api/mind`, token: 'demo' })
    const c = await client.getCustomer(83771)
    console.log(`${c.firstname} ${c.lastname} (id ${c.id}), ${c.contracts?.length ?? 0} contract(s)`)
    for (const k of c.contracts ?? []) {
      const since = k.startDate ? new Date(k.startDate * 1000).toISOString().slice(0, 10) : '-'
      console.log(`  ${k.productName} · ${k.status} · ${k.energy} · unpaid ${k.unpaidDebt?.toFixed(2)} € · since ${since}`)
    }
  } catch (e) {
    if (e instanceof NotFoundError) console.error('no such customer')
    else throw e
  } finally {
    mock.kill()
  }
}

main()

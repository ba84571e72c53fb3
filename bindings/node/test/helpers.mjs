// Starts enneo-mock binaries on loopback for the tests.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { once } from 'node:events'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// Run from the repository, files are found in it; `make test-node` runs the
// suite in a project outside it and copies in what the tests read
// (ENNEO_FIXTURES: the seed customer and the spec; ENNEO_MOCK_BIN).
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const FIXTURES = process.env.ENNEO_FIXTURES
const MOCK_BIN = process.env.ENNEO_MOCK_BIN ?? path.join(REPO, 'target/debug/enneo-mock')

/** `seed-customer.json` or `openapi.yaml`. */
export function fixture(name) {
  if (FIXTURES) return path.join(FIXTURES, name)
  return path.join(REPO, name === 'openapi.yaml' ? name : `crates/enneo-mock/src/${name}`)
}

/** A file of the test CA in tests/tls: `ca.pem`, `server.pem`, `server-key.pem`. */
export function tlsFile(name) {
  return FIXTURES ? path.join(FIXTURES, 'tls', name) : path.join(REPO, 'tests/tls', name)
}

export async function startMock(...args) {
  const proc = spawn(MOCK_BIN, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: proc.stdout })
  const [line] = await once(lines, 'line')
  const url = line.replace('listening on ', '')
  if (!url.startsWith('http://127.0.0.1:')) throw new Error(`unexpected first line ${line}`)
  return {
    url,
    baseUrl: `${url}/api/mind`,
    faulty: (spec) => `${url}/__fault/${encodeURIComponent(spec)}/api/mind`,
    requests: async () => (await fetch(`${url}/__mock/requests`)).json(),
    clear: async () => {
      await fetch(`${url}/__mock/requests`, { method: 'DELETE' })
    },
    stop: () => proc.kill(),
  }
}

// Starts enneo-mock binaries on loopback for the tests.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
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

/** A file of tests/vectors, the cases every language's suite shares. */
export function vector(name) {
  const file = FIXTURES ? path.join(FIXTURES, 'vectors', name) : path.join(REPO, 'tests/vectors', name)
  return JSON.parse(readFileSync(file, 'utf8'))
}

/**
 * JSON.parse (with `reviver`), each number's text replaced by the JSON
 * text `number(token)` returns. Written apart from the client's own
 * conversion (in Rust), so that the two check each other.
 */
export function parseNumbers(text, number, reviver) {
  let out = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '"') {
      let j = i + 1
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      out += text.slice(i, j + 1)
      i = j + 1
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const token = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))[0]
      out += number(token)
      i += token.length
    } else {
      out += c
      i++
    }
  }
  return JSON.parse(out, reviver)
}

/**
 * JSON.parse, except that integers beyond 2^53 become strings of their
 * exact digits: what enneo promises for Node.
 */
export function exactParse(text) {
  return parseNumbers(text, (token) => (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token))
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

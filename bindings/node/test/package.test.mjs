// Packaging: require and import, types, prompt exit.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync, mkdtempSync, cpSync } from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { parse } from 'yaml'
import * as esm from 'enneo'
import { fixture, startMock } from './helpers.mjs'

const require = createRequire(import.meta.url)
const TSC = process.env.ENNEO_TSC ?? 'tsc'

test('require and import give the same classes', () => {
  const cjs = require('enneo')
  assert.equal(typeof cjs.Client, 'function')
  assert.equal(cjs.Client, esm.Client)
  assert.equal(cjs.NotFoundError, esm.NotFoundError)
  assert.equal(esm.default.Client, esm.Client)
})

test('a script that makes one lookup exits promptly', async () => {
  const mock = await startMock()
  try {
    const script = `const { Client } = require('enneo'); new Client({ baseUrl: ${JSON.stringify(mock.baseUrl)} }).getCustomer(1).then((c) => console.log('got', c.id))`
    const started = Date.now()
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 })
    assert.equal(out.stdout.trim(), 'got 1', out.stderr)
    assert.equal(out.status, 0)
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`)
  } finally {
    mock.stop()
  }
})

// Pending lookups are what keeps Node alive: nothing else is left in these
// scripts once the calls have started, and an idle client holds nothing.
test('pending lookups keep the process alive until each is answered, then it exits', async () => {
  const mock = await startMock()
  try {
    const slow = JSON.stringify(mock.faulty('delay=700'))
    const script = [
      "const { Client } = require('enneo')",
      `const slow = new Client({ baseUrl: ${slow} })`,
      `const fast = new Client({ baseUrl: ${JSON.stringify(mock.baseUrl)} })`,
      "fast.getCustomer(2).then((c) => console.log('fast', c.id))",
      "slow.getCustomer(1).then((c) => console.log('slow', c.id))",
      "const aborted = new AbortController()",
      "slow.getCustomer(3, { signal: aborted.signal }).catch((e) => console.log('aborted', e.name))",
      "setImmediate(() => aborted.abort())",
    ].join('\n')
    const started = Date.now()
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 })
    const elapsed = Date.now() - started
    assert.deepEqual(out.stdout.trim().split('\n').sort(), ['aborted APIUserAbortError', 'fast 2', 'slow 1'], out.stderr)
    assert.equal(out.status, 0)
    assert.ok(elapsed >= 700 && elapsed < 3700, `took ${elapsed} ms`)
  } finally {
    mock.stop()
  }
})

function tsc(dir, file) {
  return spawnSync(TSC, ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', file], { cwd: dir, encoding: 'utf8' })
}

test('the consumer example compiles under tsc --strict', () => {
  const out = tsc(process.cwd(), path.join(process.cwd(), 'examples/consumer.ts'))
  assert.equal(out.status, 0, out.stdout + out.stderr)
})

test('wrong usage fails to compile', () => {
  const dir = path.join(process.cwd(), 'examples')
  const file = path.join(dir, 'wrong.ts')
  writeFileSync(file, [
    "import { Client } from 'enneo'",
    'const client = new Client()',
    'export async function f(): Promise<void> {',
    '  const c = await client.getCustomer(1)',
    '  console.log(c.unpaidDebt)',                     // a Contract field, not a Customer one
    '  const pending = client.getCustomer(2)',
    '  console.log(pending.firstname)',                // a Promise used as a Customer
    '}',
  ].join('\n'))
  const out = tsc(dir, file)
  assert.notEqual(out.status, 0)
  assert.match(out.stdout, /Property 'unpaidDebt' does not exist on type 'Customer'/)
  assert.match(out.stdout, /Property 'firstname' does not exist on type '(API)?Promise<Customer>'/)
})

test('the TypeScript interfaces cover every property of the spec', () => {
  const spec = parse(readFileSync(fixture('openapi.yaml'), 'utf8'))
  const dts = readFileSync(require.resolve('enneo/package.json').replace('package.json', 'lib/models.d.ts'), 'utf8')
  for (const name of ['Customer', 'Contract', 'Tag', 'ErpUrl', 'AgentPreviewItem', 'TabPreview', 'Register']) {
    const body = dts.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))
    assert.ok(body, `interface ${name} missing`)
    const declared = [...body[1].matchAll(/^ +(\w+)\??:/gm)].map((m) => m[1]).sort()
    assert.deepEqual(declared, Object.keys(spec.components.schemas[name].properties ?? {}).sort(), name)
  }
})

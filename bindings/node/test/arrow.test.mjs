// customersArrow: Arrow IPC bytes from the Rust core, read by apache-arrow,
// against the mock; and the shared payloads exact through the columnar path.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { tableFromIPC, RecordBatchReader, Type } from 'apache-arrow'
import { Client, InvalidArgumentError } from 'enneo'
import { MockServer } from 'enneo/testing'
import { parseNumbers, vector } from './helpers.mjs'

const BIG = '123456789012345678901234567890'
const ODD =
  `{"id": ${BIG}, "firstname": "Ada", "business": "yes", "phone": 4915112345678, "loyaltyTier": "gold",` +
  ' "additionalData": {"a": [1, 2.50]}, "tags": [{"id": 2, "name": "VIP", "since": 2020}],' +
  ' "contracts": [{"id": "C-1", "signupDate": 1661126400, "monthlyDeposit": 49.9, "statusCode": "n/a"}]}'

test('customersArrow: every id a row in input order, exact values, errors as rows', async () => {
  const server = await MockServer.start({ customers: [ODD, { id: 7, firstname: 'Bo' }] })
  try {
    const client = new Client({ baseUrl: server.baseUrl, maxRetries: 0 })
    const bytes = await client.customersArrow([BIG, 404, 7, 7n, 7], { batchSize: 2 })
    assert.ok(bytes instanceof Uint8Array)
    assert.deepEqual([...RecordBatchReader.from(bytes)].map((b) => b.numRows), [2, 2, 1])
    const rows = tableFromIPC(bytes).toArray().map((r) => r.toJSON())
    assert.deepEqual(rows.map((r) => r._id), [BIG, '404', '7', '7', '7'])
    const ada = rows[0]
    assert.equal(ada.id, BIG)
    assert.equal(ada.phone, '4915112345678')
    assert.equal(ada.business, null)
    assert.deepEqual(JSON.parse(ada._extra), { business: 'yes', loyaltyTier: 'gold' })
    assert.equal(ada.additionalData, '{"a":[1,2.50]}')
    const tag = ada.tags.get(0).toJSON()
    assert.equal(tag.id, 2n)
    assert.equal(tag._extra, '{"since":2020}')
    const contract = ada.contracts.get(0).toJSON()
    assert.equal(contract.signupDate, 1661126400 * 1000)
    assert.equal(contract.monthlyDeposit, 49.9)
    assert.equal(contract._extra, '{"statusCode":"n/a"}')
    assert.equal(rows[1]._error_code, 'not_found')
    assert.equal(rows[2].firstname, 'Bo')
    assert.equal(rows[2]._error_code, null)
  } finally {
    await server.close()
  }
})

test('customersArrow refuses bad arguments before sending', async () => {
  const server = await MockServer.start()
  try {
    const client = new Client({ baseUrl: server.baseUrl })
    await assert.rejects(client.customersArrow([1], { batchSize: 0 }), (e) => e instanceof InvalidArgumentError && e.message === 'batchSize must be at least 1, got 0')
    await assert.rejects(client.customersArrow([1], { concurrency: '4' }), /concurrency must be an integer, not "4"/)
    await assert.rejects(client.customersArrow([true]), /id must be an integer or a string, not a boolean/)
    await assert.rejects(client.customersArrow(5), /ids must be an iterable of ids/)
    assert.deepEqual(server.requests(), [])
  } finally {
    await server.close()
  }
})

test('customersArrowStream: the same table, a batch per chunk, read as it comes', async () => {
  const server = await MockServer.start({ customers: [ODD, { id: 7, firstname: 'Bo' }] })
  try {
    const client = new Client({ baseUrl: server.baseUrl, maxRetries: 0 })
    const ids = [BIG, 404, 7, 7n, 7]
    const whole = tableFromIPC(await client.customersArrow(ids, { batchSize: 2 }))
    const chunks = []
    for await (const chunk of client.customersArrowStream(ids, { batchSize: 2 })) chunks.push(chunk)
    // Three batches (the schema with the first), then the end marker.
    assert.equal(chunks.length, 4)
    assert.ok(chunks.every((c) => c instanceof Uint8Array))
    const reader = await RecordBatchReader.from(client.customersArrowStream(ids, { batchSize: 2 }))
    const batches = []
    for await (const batch of reader) batches.push(batch)
    assert.deepEqual(batches.map((b) => b.numRows), [2, 2, 1])
    // Each row as text; the mock's request ids differ between the runs.
    const text = (r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v)).replace(/req_\d+/g, 'req')
    const streamed = batches.flatMap((b) => b.toArray().map(text))
    const expected = whole.toArray().map(text)
    assert.deepEqual(streamed, expected)
    assert.throws(() => client.customersArrowStream([1], { batchSize: 0 }), (e) => e instanceof InvalidArgumentError && e.message === 'batchSize must be at least 1, got 0')
  } finally {
    await server.close()
  }
})

test('customersArrowStream runs a bounded way ahead, and stops when the loop or the signal does', async () => {
  const server = await MockServer.start()
  try {
    const client = new Client({ baseUrl: server.baseUrl })
    const ids = Array.from({ length: 1000 }, (_, i) => i + 1)
    const stream = client.customersArrowStream(ids, { batchSize: 10, concurrency: 4 })
    assert.ok((await stream.next()).value.length > 0)
    // The reader idles: the lookups go on only a batch or two ahead.
    await new Promise((r) => setTimeout(r, 300))
    const ahead = server.requests().length
    assert.ok(ahead >= 20 && ahead <= 40, `${ahead} requests`)
    await stream.return()
    await new Promise((r) => setTimeout(r, 100))
    const stopped = server.requests().length
    await new Promise((r) => setTimeout(r, 200))
    assert.equal(server.requests().length, stopped)
    assert.ok(stopped < 50, `${stopped} requests`)

    const controller = new AbortController()
    const before = server.requests().length
    const aborted = client.customersArrowStream(ids, { batchSize: 10, concurrency: 4, signal: controller.signal })
    await aborted.next()
    controller.abort()
    await assert.rejects(aborted.next(), (e) => e.name === 'APIUserAbortError')
    await new Promise((r) => setTimeout(r, 100))
    const after = server.requests().length
    await new Promise((r) => setTimeout(r, 200))
    assert.equal(server.requests().length, after)
    assert.ok(after - before < 50, `${after - before} requests`)
  } finally {
    await server.close()
  }
})

// --- conformance: the shared payloads through the columnar path ------------

// Numbers keep their text: each becomes { num: text } (strings never do,
// since the sentinel's first character never starts a JSON string here).
const NUM = '\u0001enneo-num:'
/** JSON.parse, every number as `{ num: its exact text }`. */
function textParse(text) {
  return parseNumbers(text, (token) => JSON.stringify(NUM + token), (_, v) => (typeof v === 'string' && v.startsWith(NUM) ? { num: v.slice(NUM.length) } : v))
}

const isNum = (v) => v !== null && typeof v === 'object' && typeof v.num === 'string'
const isInt = (v) => isNum(v) && !/[.eE]/.test(v.num) && BigInt(v.num) >= -(2n ** 63n) && BigInt(v.num) < 2n ** 63n
// A number's value, its exact decimal: `1e21` and `1e+21` are equal.
const canon = (v) =>
  isNum(v) ? { num: decimal(v.num) } : Array.isArray(v) ? v.map(canon) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canon(x)])) : v
function decimal(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)
  let digits = (m[2] + (m[3] ?? '')).replace(/^0+/, '')
  let exp = Number(m[4] ?? 0) - (m[3] ?? '').length
  if (digits === '') return '0'
  while (digits.endsWith('0')) (digits = digits.slice(0, -1)), exp++
  return `${m[1]}${digits}e${exp}`
}
const jsonText = (f) => f.metadata.get('enneo.json_text') === 'true'
const FIRST = -62135596800
const LAST = 253402300799

/** What the column of `field` holds for the JSON value `v`; throws when it does not fit. */
function cell(field, v) {
  if (v === null || v === undefined) return null
  if (jsonText(field)) return canon(v)
  const t = field.type
  switch (t.typeId) {
    case Type.Utf8:
      if (typeof v === 'boolean') return String(v)
      if (typeof v === 'string') return v
      if (isNum(v)) return v.num
      break
    case Type.Int:
      if (isInt(v)) return BigInt(v.num)
      break
    case Type.Float:
      if (isNum(v) && Number.isFinite(Number(v.num))) return Number(v.num)
      break
    case Type.Bool:
      if (typeof v === 'boolean') return v
      break
    case Type.Timestamp:
      if (isInt(v) && Number(v.num) >= FIRST && Number(v.num) <= LAST) return Number(v.num) * 1000
      break
    case Type.Struct:
      if (v && typeof v === 'object' && !Array.isArray(v) && !isNum(v)) return object(t.children, v)
      break
    case Type.List:
      if (Array.isArray(v)) return v.map((x) => cell(t.children[0], x))
      break
  }
  throw new RangeError('misfit')
}

function object(fields, obj) {
  const rest = { ...obj }
  const out = {}
  const extra = {}
  for (const f of fields) {
    if (f.name === '_extra') continue
    const v = rest[f.name]
    delete rest[f.name]
    try {
      out[f.name] = cell(f, v)
    } catch {
      out[f.name] = null
      extra[f.name] = v
    }
  }
  Object.assign(extra, rest)
  out._extra = Object.keys(extra).length ? canon(extra) : null
  return out
}

/** An Arrow value in the form `cell` gives. */
function got(field, v) {
  if (v === null || v === undefined) return null
  if (jsonText(field)) return canon(textParse(v))
  const t = field.type
  if (t.typeId === Type.Struct) {
    const out = {}
    for (const f of t.children) out[f.name] = f.name === '_extra' ? (v[f.name] === null ? null : canon(textParse(v[f.name]))) : got(f, v[f.name])
    return out
  }
  if (t.typeId === Type.List) return [...v].map((x) => got(t.children[0], x))
  return v
}

test('the shared payloads come back exact through customersArrow', async () => {
  const bodies = [...vector('payloads.json').cases.map((c) => c.body), ...vector('payloads-generated.json').bodies]
  assert.ok(bodies.length >= 612)
  const server = await MockServer.start({ customers: bodies })
  try {
    const client = new Client({ baseUrl: server.baseUrl })
    const ids = bodies.map((b) => textParse(b).id).map((id) => (isNum(id) ? id.num : id))
    const table = tableFromIPC(await client.customersArrow(ids, { concurrency: 16, batchSize: 100 }))
    assert.equal(table.numRows, bodies.length)
    const fields = table.schema.fields.filter((f) => !['_id', '_error_code', '_error_message'].includes(f.name))
    const struct = { type: { typeId: Type.Struct, children: fields }, metadata: new Map() }
    bodies.forEach((body, i) => {
      const row = table.get(i)
      assert.equal(row._error_code, null, `${body.slice(0, 200)}: ${row._error_message}`)
      assert.deepEqual(got(struct, row), object(fields, textParse(body)), body.slice(0, 300))
    })
  } finally {
    await server.close()
  }
})

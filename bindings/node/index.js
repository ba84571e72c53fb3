'use strict'
// The `enneo` package: a thin, idiomatic facade over the native addon. HTTP,
// retries and error classification all live in the Rust core.

const { inspect } = require('node:util')
const errors = require('./errors.js')
const { version, napi } = require('./package.json')
const { NativeClient } = loadNative()

/** The addon, or an error that says which platform lacks one and which have one. */
function loadNative() {
  try {
    return require('./native.js')
  } catch (cause) {
    const { platformOf, currentPlatform } = require('./platforms.js')
    const supported = napi.targets.map((t) => platformOf(t).suffix)
    const here = currentPlatform()
    const why = supported.includes(here)
      ? `its binary package enneo-${here} is not installed (was it skipped by --no-optional or --omit=optional?); reinstall enneo`
      : 'enneo ships no binary for it'
    throw new Error(`enneo: cannot load the native addon for ${here}: ${why}. Binaries exist for: ${supported.join(', ')}.`, { cause })
  }
}

const LOOKUP = { customer: 0, contract: 1, ticket: 2 }
const DEFAULTS = { timeout: 60_000, connectTimeout: 10_000, maxRetries: 2 }
// The core hands over JSON whose integers beyond 2^53 are already exact-digit
// strings, so a plain parse loses nothing and the result always stringifies.
// The text is dropped once parsed, so that a bulk result's texts can be
// collected while the rest are still being parsed.
function parse(outcome) {
  const json = outcome.json
  outcome.json = null
  return JSON.parse(json)
}

function idString(id, what = 'id') {
  if (typeof id === 'string') return id
  if (typeof id === 'bigint') return id.toString()
  if (typeof id === 'number') {
    if (!Number.isInteger(id)) throw new TypeError(`${what} must be an integer or a string, got ${id}`)
    if (!Number.isSafeInteger(id)) throw new RangeError(`${what} ${id} is beyond Number.MAX_SAFE_INTEGER; pass it as a string or bigint`)
    return String(id)
  }
  throw new TypeError(`${what} must be a number, bigint or string, not ${id === null ? 'null' : typeof id}`)
}

function milliseconds(value, name) {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${name} must be a number of milliseconds`)
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive, finite number of milliseconds`)
  return value
}

function checkSignal(signal) {
  if (signal === undefined || signal === null) return
  if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new TypeError('signal must be an AbortSignal')
  }
  if (signal.aborted) throw new errors.APIUserAbortError('request was aborted')
}

/** `123` and `"123"` name the same id. */
function sameId(a, b) {
  return a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b)
}

class Client {
  #native

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
    const { token, baseUrl } = options
    if (token !== undefined && typeof token !== 'string') throw new TypeError('token must be a string')
    if (baseUrl !== undefined && typeof baseUrl !== 'string') throw new TypeError('baseUrl must be a string')
    const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries
    if (!Number.isInteger(maxRetries)) throw new TypeError('maxRetries must be an integer')
    if (maxRetries < 0) throw new RangeError('maxRetries must be 0 or more')
    const rate = options.maxRequestsPerSecond
    if (rate !== undefined && typeof rate !== 'number') throw new TypeError('maxRequestsPerSecond must be a number')
    try {
      this.#native = new NativeClient({
        token,
        baseUrl,
        timeoutMs: milliseconds(options.timeout, 'timeout') ?? DEFAULTS.timeout,
        connectTimeoutMs: milliseconds(options.connectTimeout, 'connectTimeout') ?? DEFAULTS.connectTimeout,
        maxRetries,
        maxRequestsPerSecond: rate,
        userAgent: `enneo-node/${version}`,
      })
    } catch (e) {
      if (e instanceof TypeError || e instanceof RangeError) throw e
      throw new RangeError(e.message)
    }
  }

  /** The API root requests go to. */
  get baseUrl() {
    return this.#native.baseUrl
  }

  getCustomer(id, options) {
    return this.#lookup(LOOKUP.customer, id, options)
  }

  getCustomerByContractId(id, options) {
    return this.#lookup(LOOKUP.contract, id, options)
  }

  getCustomerByTicketId(id, options) {
    return this.#lookup(LOOKUP.ticket, id, options)
  }

  async getCustomers(ids, options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
    if (ids === null || typeof ids !== 'object' || typeof ids[Symbol.iterator] !== 'function') {
      throw new TypeError('ids must be an iterable of ids')
    }
    const list = Array.from(ids)
    const keys = list.map((id) => idString(id))
    const onProgress = options.onProgress
    if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError('onProgress must be a function')
    const results = []
    for await (const r of this.#stream(keys, list, { concurrency: 16, ...options })) {
      results.push(r.ok ? { ok: true, customer: r.customer } : { ok: false, error: r.error })
      if (onProgress) onProgress(results.length, list.length)
    }
    return results
  }

  /**
   * Looks up customers lazily, in input order, with at most `concurrency`
   * requests in flight. `ids` may be any iterable or async iterable and is
   * read only as fast as results are taken; a slow consumer slows the
   * requests. Leaving the loop early, or aborting `signal`, stops the rest.
   */
  streamCustomers(ids, options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
    const isIterable = ids !== null && typeof ids === 'object' && (typeof ids[Symbol.iterator] === 'function' || typeof ids[Symbol.asyncIterator] === 'function')
    if (!isIterable) throw new TypeError('ids must be an iterable or async iterable of ids')
    return this.#stream(null, ids, { concurrency: 16, ...options })
  }

  /** Streams `ids` (with their `keys` when already checked). */
  async *#stream(keys, ids, options) {
    const { concurrency, signal } = options
    if (!Number.isInteger(concurrency)) throw new TypeError('concurrency must be an integer')
    if (concurrency < 1) throw new RangeError('concurrency must be at least 1')
    const timeout = milliseconds(options.timeout, 'timeout')
    checkSignal(signal)
    const stream = this.#native.openStream(LOOKUP.customer, concurrency, timeout)
    const source = keys ? keys[Symbol.iterator]() : ids[Symbol.asyncIterator] ? ids[Symbol.asyncIterator]() : ids[Symbol.iterator]()
    const given = keys ? ids : null
    const onAbort = () => stream.close()
    signal?.addEventListener('abort', onAbort, { once: true })
    // Ids fed and not yet answered, oldest first; two windows keep the
    // core busy while the source is read only as results are taken.
    const queued = []
    const window = 2 * concurrency
    let exhausted = false
    let fed = 0
    try {
      for (;;) {
        const batch = []
        while (!exhausted && queued.length + batch.length < window) {
          let step = source.next()
          if (step && typeof step.then === 'function') step = await step
          if (step.done) {
            exhausted = true
            break
          }
          const id = given ? given[fed] : step.value
          batch.push(given ? step.value : idString(step.value))
          queued.push(id)
          fed++
        }
        if (batch.length) stream.feed(batch)
        if (exhausted) stream.finish()
        if (queued.length === 0) return
        const outcomes = await stream.next()
        if (signal?.aborted) throw new errors.APIUserAbortError('request was aborted')
        for (const o of outcomes) {
          const id = queued.shift()
          yield o.ok ? { ok: true, id, customer: parse(o) } : { ok: false, id, error: errors.fromNative(o.error) }
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      stream.close()
      if (!exhausted) await source.return?.()
    }
  }

  async #lookup(lookup, id, options = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object')
    const key = idString(id)
    const timeout = milliseconds(options.timeout, 'timeout')
    const outcome = await this.#withSignal(options.signal, (callId) => this.#native.get(lookup, key, timeout, callId))
    if (!outcome.ok) throw errors.fromNative(outcome.error)
    return parse(outcome)
  }

  /** Runs `start(callId)`; an abort of `signal` cancels the native call and rejects at once. */
  async #withSignal(signal, start) {
    if (signal === undefined || signal === null) return start(undefined)
    if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
      throw new TypeError('signal must be an AbortSignal')
    }
    if (signal.aborted) throw new errors.APIUserAbortError('request was aborted')
    const callId = this.#native.newCallId()
    let onAbort
    const aborted = new Promise((_, reject) => {
      onAbort = () => {
        this.#native.cancel(callId)
        reject(new errors.APIUserAbortError('request was aborted'))
      }
      signal.addEventListener('abort', onAbort, { once: true })
    })
    try {
      return await Promise.race([start(callId), aborted])
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** For tests: a Rust panic must reject, not crash the process. */
  async _debugPanic() {
    const outcome = await this.#native.debugPanic()
    throw errors.fromNative(outcome.error)
  }

  toJSON() {
    return { baseUrl: this.baseUrl, token: this.#native.hasToken ? '***' : null }
  }

  [inspect.custom]() {
    return `Client ${inspect(this.toJSON())}`
  }
}

const { fromNative: _internal, ...publicErrors } = errors
module.exports = { Client, sameId, ...publicErrors }

// The `enneo` package: a thin, idiomatic facade over the native addon. HTTP,
// retries, option checks and error classification live in the Rust core;
// this file converts arguments and results.

import { inspect } from 'node:util'

import type * as Native from '../native'
import * as errors from './errors'
import { APIUserAbortError, EnneoError, InvalidArgumentError } from './errors'
import type { Customer, FlexibleId } from './models'
import { loadNative } from './load'
import { Operations, type OperationId } from './operations'
import * as tracing from './tracing'

export * from './models'
export { OPERATION_IDS, type OperationId } from './operations'
export {
  EnneoError,
  APIStatusError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  DecodeError,
  InvalidArgumentError,
  type ErrorCode,
} from './errors'

const native: typeof Native = loadNative()
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string }

/** An id argument: a number (safe integer), a bigint or a string. */
export type Id = number | bigint | string

/** Where log lines go: `console`, pino, winston or anything with these methods. */
export interface Logger {
  /** Each request's line. */
  debug(message: string, ...rest: unknown[]): void
  /** Each retry's line. */
  info(message: string, ...rest: unknown[]): void
  /** Nothing today; kept for thresholds. */
  warn(message: string, ...rest: unknown[]): void
  /** Nothing today; kept for thresholds. */
  error(message: string, ...rest: unknown[]): void
}

/** The least important lines a logger gets; `off` silences the client. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off'

/** What a client learnt of the server's rate limit (`client.rateLimitState()`). */
export interface RateLimitState {
  /** Requests a second the client paces itself to; `null` while the server has not pushed back. */
  adaptiveRate: number | null
  /** 429 answers received, retries included. */
  rateLimited: number
  /** Milliseconds a `Retry-After` still holds every new request back; `null` when none does. */
  heldForMs: number | null
}

/** What each log line carries besides its message; never a header or the token. */
export interface LogFields {
  /** The operation id from the spec, e.g. `getCustomerByCustomerId`. */
  operation: string
  /** The HTTP method. */
  method: string
  /** The request path, without the query. */
  path: string
  /** The response status, when one arrived. */
  status?: number
  /** From the first attempt's start to the end of the body, in milliseconds. */
  elapsedMs: number
  /** Retries made so far. */
  retries: number
  /** The server's `x-request-id`, when it sent one. */
  requestId?: string
  /** The error's `code`, when the lookup failed. */
  errorCode?: string
}

/** Settings of a `Client`; each is checked by the Rust core, with the same rules as in Python and Rust. */
export interface ClientOptions {
  /** Bearer JWT. Default: `ENNEO_TOKEN`. */
  token?: string
  /** API root including `/api/mind`. Default: `ENNEO_BASE_URL`; with neither, the constructor throws (there is no default host). */
  baseUrl?: string
  /** Total time per attempt, in milliseconds. Default 60 000. */
  timeout?: number
  /** Time to connect, in milliseconds. Default 10 000. */
  connectTimeout?: number
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number
  /**
   * Caps the requests this client sends per second (retries included):
   * starts are spaced evenly, with no burst. Default: unlimited.
   */
  maxRequestsPerSecond?: number
  /**
   * A CA certificate to trust besides the system's: PEM text or a path to a
   * PEM file (for TLS-inspecting proxies). `NODE_EXTRA_CA_CERTS` is trusted too.
   */
  caCert?: string
  /** Headers sent with every request (not `Authorization` or `User-Agent`). */
  defaultHeaders?: Record<string, string>
  /** Receives a line per request (debug) and per retry (info). Default: `console` when a level is set. */
  logger?: Logger
  /** The least important lines `logger` gets. Default: `ENNEO_LOG`, else `warn` (nothing today). */
  logLevel?: LogLevel
}

/** Settings for one call; they override the client's for that call alone. */
export interface RequestOptions {
  /** Overrides the client's timeout for this call, in milliseconds. */
  timeout?: number
  /** Overrides the client's retry count for this call. */
  maxRetries?: number
  /** Headers for this call, such as trace or correlation ids (not `Authorization` or `User-Agent`). */
  headers?: Record<string, string>
  /** Cancels the request; the promise rejects with `APIUserAbortError`. */
  signal?: AbortSignal
}

/** Settings of `getCustomers`: the per-call ones, with concurrency and progress. */
export interface BulkOptions extends RequestOptions {
  /** Lookups in flight at once (inside Rust). Default 16. Unset, it grows up to 256 while the answers keep their time (a long network path); a number is a fixed cap. */
  concurrency?: number
  /** Called after each lookup completes. */
  onProgress?: (done: number, total: number) => void
}

/**
 * One item of `getCustomers`. An id the core rejects before sending (empty,
 * control characters, too long) fails its own item with an
 * `InvalidArgumentError`, as the same id does in
 * `getCustomer`; every other failure is an `EnneoError`. Both carry `code`.
 */
export type BulkResult =
  | {
      /** The lookup succeeded. */
      ok: true
      /** The customer found. */
      customer: Customer
    }
  | {
      /** The lookup failed. */
      ok: false
      /** Why: an `EnneoError` subclass with `code`. */
      error: EnneoError
    }

/** Settings of `streamCustomers`: the per-call ones, with concurrency. */
export interface StreamOptions extends RequestOptions {
  /** Lookups in flight at once. Default 16. Left unset, it grows up to 256 while the answers keep their time (a long network path); a number is a fixed cap. */
  concurrency?: number
}

/** One item of `streamCustomers`: the id as given, with its customer or error. */
export type StreamResult<I = Id> =
  | {
      /** The lookup succeeded. */
      ok: true
      /** The id as the input gave it. */
      id: I
      /** The customer found. */
      customer: Customer
    }
  | {
      /** The lookup failed. */
      ok: false
      /** The id as the input gave it. */
      id: I
      /** Why: an `EnneoError` subclass with `code`. */
      error: EnneoError
    }

/** What `withResponse()` tells about the HTTP response. */
export interface APIResponse {
  /** The HTTP status. */
  status: number
  /** The response headers. */
  headers: Headers
  /** The server's `x-request-id`, to quote in a support request. */
  requestId: string | undefined
  /** Retries made before this response. */
  retriesTaken: number
  /** From the first attempt's start to the end of the body, in milliseconds. */
  elapsedMs: number
}

/** The response as the addon reports it, turned into an `APIResponse` on request. */
function toResponse(r: Native.ResponseInfo): APIResponse {
  const headers = new Headers()
  for (const line of r.headers.split('\n')) {
    const at = line.indexOf(': ')
    if (at > 0) headers.append(line.slice(0, at), line.slice(at + 2))
  }
  return { status: r.status, headers, requestId: r.requestId ?? undefined, retriesTaken: r.retriesTaken, elapsedMs: r.elapsedMs }
}

/**
 * The promise a lookup returns. Await it for the customer, or call
 * `withResponse()` for the customer together with the HTTP response.
 */
export class APIPromise<T> extends Promise<T> {
  #result: Promise<{ data: T; info: Native.ResponseInfo }>

  /** @internal Made by the client's methods, not by hand. */
  constructor(result: Promise<{ data: T; info: Native.ResponseInfo }>) {
    // The base promise is never used: every method goes through #result.
    super((resolve) => resolve(null as T))
    this.#result = result
  }

  /** `then` on an APIPromise gives a plain Promise. */
  static override get [Symbol.species]() {
    return Promise
  }

  /** The customer and the response it came in. */
  withResponse(): Promise<{
    /** What awaiting the promise gives. */
    data: T
    /** The HTTP response it came in. */
    response: APIResponse
  }> {
    return this.#result.then(({ data, info }) => ({ data, response: toResponse(info) }))
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#result.then((r) => r.data).then(onfulfilled, onrejected)
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected)
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally)
  }
}

// The core's names of the three lookups.
// Bulk and streaming calls look customers up by id.
const BY_CUSTOMER: OperationId = 'getCustomerByCustomerId'

// The core hands over JSON whose integers beyond 2^53 are already exact-digit
// strings, so a plain parse loses nothing and the result always stringifies.
// The text is dropped once parsed, so that a bulk result's texts can be
// collected while the rest are still being parsed.
function parse<T = Customer>(outcome: Native.Outcome): T {
  const json = outcome.json as string
  outcome.json = undefined
  return JSON.parse(json) as T
}

function idString(id: unknown): string {
  if (typeof id === 'string') return id
  if (typeof id === 'bigint') return id.toString()
  if (typeof id === 'number') {
    if (!Number.isInteger(id)) throw new InvalidArgumentError(`id must be an integer or a string, got ${id}`)
    if (!Number.isSafeInteger(id)) throw new InvalidArgumentError(`id ${id} is beyond Number.MAX_SAFE_INTEGER; pass it as a string or bigint`)
    return String(id)
  }
  throw new InvalidArgumentError(`id must be a number, bigint or string, not ${id === null ? 'null' : typeof id}`)
}

// Type checks only; the values (positive times, retry counts, owned
// headers) are checked by the core, as for every binding.
function optNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number') throw new InvalidArgumentError(`${name} must be a number`)
  return value
}

function optInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new InvalidArgumentError(`${name} must be an integer`)
  return value
}

function optString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new InvalidArgumentError(`${name} must be a string`)
  return value
}

function optHeaders(value: unknown, name: string): Record<string, string> | undefined {
  if (value === undefined) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError(`${name} must be an object of header names to values`)
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new InvalidArgumentError(`${name}.${k} must be a string`)
  }
  return value as Record<string, string>
}

function checkOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options must be an object')
}

function callOptions(options: RequestOptions): Native.CallOptions {
  return {
    timeoutMs: optNumber(options.timeout, 'timeout'),
    maxRetries: optInteger(options.maxRetries, 'maxRetries'),
    headers: optHeaders(options.headers, 'headers'),
  }
}

function checkSignal(signal: AbortSignal | undefined | null): void {
  if (signal === undefined || signal === null) return
  if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new InvalidArgumentError('signal must be an AbortSignal')
  }
  if (signal.aborted) throw new APIUserAbortError('request was aborted')
}

function nativeOptions(options: ClientOptions): Native.NativeOptions {
  const extraCa = process.env.NODE_EXTRA_CA_CERTS
  const caCert = optString(options.caCert, 'caCert')
  return {
    token: optString(options.token, 'token'),
    baseUrl: optString(options.baseUrl, 'baseUrl'),
    timeoutMs: optNumber(options.timeout, 'timeout'),
    connectTimeoutMs: optNumber(options.connectTimeout, 'connectTimeout'),
    maxRetries: optInteger(options.maxRetries, 'maxRetries'),
    maxRequestsPerSecond: optNumber(options.maxRequestsPerSecond, 'maxRequestsPerSecond'),
    caCerts: [caCert, extraCa].filter((c): c is string => typeof c === 'string' && c !== ''),
    defaultHeaders: optHeaders(options.defaultHeaders, 'defaultHeaders'),
    logLevel: optString(options.logLevel, 'logLevel'),
  }
}

/** The core's log records to `logger`'s methods. */
function logSink(logger: Logger): (entry: Native.LogEntry) => void {
  for (const m of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger[m] !== 'function') throw new InvalidArgumentError(`logger.${m} must be a function`)
  }
  return (entry) => {
    const { level, message, ...fields } = entry
    const method = level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? level : 'debug'
    logger[method](`[enneo] ${message}`, fields)
  }
}

/** A bad value the core refused, as an `InvalidArgumentError`. */
function asInvalidArgument(e: unknown): never {
  if (e instanceof EnneoError) throw e
  throw new InvalidArgumentError(e instanceof Error ? e.message : String(e))
}

// Where log lines go when `ENNEO_LOG` asks for them and no `logger` is
// given: stderr, as in Python and Rust, so that a script's stdout stays its
// own (`node x.js | jq`).
const stderrLogger: Logger = {
  debug: (...args: unknown[]) => console.error(...args),
  info: (...args: unknown[]) => console.error(...args),
  warn: (...args: unknown[]) => console.error(...args),
  error: (...args: unknown[]) => console.error(...args),
}

// Every native call comes back through `complete`, with the id it was
// started with. One completion function for the process (per worker): the
// native side then needs no per-call promise machinery, which measured as
// the largest part of a sequential lookup's client-side cost.
const pending = new Map<number, (outcome: Native.Outcome) => void>()
let lastCallId = 0
// The completion function never keeps Node alive, so that an idle client lets
// the process exit; this timer does, while any call is pending.
const keepAlive = setInterval(() => {}, 2 ** 31 - 1)
keepAlive.unref()

function complete(callId: number, outcome: Native.Outcome): void {
  const resolve = pending.get(callId)
  if (resolve === undefined) return
  pending.delete(callId)
  if (pending.size === 0) keepAlive.unref()
  resolve(outcome)
}

/** Starts `operation` natively; the promise settles with its outcome (it never rejects). */
function start(
  client: Native.NativeClient,
  operation: OperationId,
  keys: string[],
  call: Native.CallOptions,
  cancellable: boolean,
): [number, Promise<Native.Outcome>] {
  const callId = (lastCallId = (lastCallId + 1) >>> 0)
  const outcome = new Promise<Native.Outcome>((resolve) => {
    client.get(operation, keys, call, callId, cancellable)
    if (pending.size === 0) keepAlive.ref()
    pending.set(callId, resolve)
  })
  return [callId, outcome]
}

// Hands a derived client's native half to the constructor (see withOptions).
let derived: Native.NativeClient | undefined

/**
 * The Enneo API client. One per process is enough: it holds a connection
 * pool, the rate limit and the retry policy, and its requests run on the
 * Rust core's I/O thread.
 *
 * ```ts
 * const client = new Client()              // ENNEO_BASE_URL, ENNEO_TOKEN
 * const customer = await client.getCustomer(83771)
 * ```
 */
export class Client extends Operations {
  #native: Native.NativeClient

  /** Throws `InvalidArgumentError` for an option the core refuses, or when no base URL is given or set in `ENNEO_BASE_URL`. */
  constructor(options: ClientOptions = {}) {
    super()
    if (derived) {
      this.#native = derived
      derived = undefined
      return
    }
    checkOptions(options)
    const opts = { ...nativeOptions(options), userAgent: `enneo-node/${version}` }
    // ENNEO_LOG as the core reads it for every language.
    const envLevel = native.envLogLevel()
    const wantsLog = options.logger !== undefined || options.logLevel !== undefined || (envLevel !== null && envLevel !== 'off')
    const sink = wantsLog ? logSink(options.logger ?? stderrLogger) : undefined
    if (wantsLog && opts.logLevel === undefined && envLevel === null) opts.logLevel = 'warn'
    try {
      this.#native = new native.NativeClient(opts, complete, sink)
    } catch (e) {
      asInvalidArgument(e)
    }
  }

  /**
   * A client with some settings changed that shares this one's connection
   * pool (and rate limit, unless changed). `defaultHeaders` add to this
   * client's; a new `connectTimeout` or `caCert` gets a pool of its own.
   * The logger stays; `logLevel` may change.
   */
  withOptions(options: Omit<ClientOptions, 'logger'>): Client {
    checkOptions(options)
    if ('logger' in options) throw new InvalidArgumentError('withOptions cannot change the logger; make a new Client')
    const opts = nativeOptions(options)
    // NODE_EXTRA_CA_CERTS is already trusted by this client.
    opts.caCerts = options.caCert === undefined ? [] : [options.caCert]
    try {
      derived = this.#native.derive(opts)
    } catch (e) {
      asInvalidArgument(e)
    }
    return new Client()
  }

  /** The API root requests go to. */
  get baseUrl(): string {
    return this.#native.baseUrl
  }

  /**
   * What the client learnt of the server's rate limit, shared by the clients
   * derived from it and by every bulk run and stream: the sending rate it
   * adapted to (`null` while the server has not pushed back), the 429 answers
   * it received, and how many milliseconds a `Retry-After` still holds new
   * requests back.
   */
  rateLimitState(): RateLimitState {
    const s = this.#native.rateLimitState()
    return { adaptiveRate: s.adaptiveRate ?? null, rateLimited: s.rateLimited, heldForMs: s.heldForMs ?? null }
  }

  /** `GET /customer/byCustomerId/{customerId}`: the same as {@link Client.getCustomerByCustomerId}. */
  getCustomer(id: Id, options?: RequestOptions): APIPromise<Customer> {
    return this.getCustomerByCustomerId(id, options)
  }

  /** Many lookups with the concurrency in Rust; results in input order, one failure never loses the others. */
  async getCustomers(ids: Iterable<Id>, options: BulkOptions = {}): Promise<BulkResult[]> {
    checkOptions(options)
    if (ids === null || typeof ids !== 'object' || typeof (ids as Iterable<Id>)[Symbol.iterator] !== 'function') {
      throw new InvalidArgumentError('ids must be an iterable of ids')
    }
    const list = Array.from(ids)
    const keys = list.map((id) => idString(id))
    const onProgress = options.onProgress
    if (onProgress !== undefined && typeof onProgress !== 'function') throw new InvalidArgumentError('onProgress must be a function')
    const results: BulkResult[] = []
    for await (const r of this.#stream(keys, list, options)) {
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
  streamCustomers<I extends Id>(ids: Iterable<I> | AsyncIterable<I>, options: StreamOptions = {}): AsyncGenerator<StreamResult<I>, void, undefined> {
    checkOptions(options)
    const isIterable =
      ids !== null &&
      typeof ids === 'object' &&
      (typeof (ids as Iterable<I>)[Symbol.iterator] === 'function' || typeof (ids as AsyncIterable<I>)[Symbol.asyncIterator] === 'function')
    if (!isIterable) throw new InvalidArgumentError('ids must be an iterable or async iterable of ids')
    return this.#stream<I>(null, ids, options)
  }

  /** Streams `ids` (with their `keys` when already checked). */
  async *#stream<I>(
    keys: string[] | null,
    ids: Iterable<I> | AsyncIterable<I> | I[],
    options: StreamOptions,
  ): AsyncGenerator<StreamResult<I>, void, undefined> {
    const { signal } = options
    const concurrency = optInteger(options.concurrency, 'concurrency')
    checkSignal(signal)
    let stream: Native.NativeStream
    try {
      stream = this.#native.openStream(BY_CUSTOMER, concurrency, callOptions(options))
    } catch (e) {
      asInvalidArgument(e)
    }
    type Source = Iterator<unknown> | AsyncIterator<unknown>
    const source: Source = keys
      ? keys[Symbol.iterator]()
      : Symbol.asyncIterator in ids
        ? (ids as AsyncIterable<I>)[Symbol.asyncIterator]()
        : (ids as Iterable<I>)[Symbol.iterator]()
    const given = keys ? (ids as I[]) : null
    const onAbort = () => stream.close()
    signal?.addEventListener('abort', onAbort, { once: true })
    // Ids fed and not yet answered, oldest first; two windows keep the
    // core busy while the source is read only as results are taken.
    const queued: I[] = []
    // With tracing, the span of each queued id, in the same order.
    const otel = tracing.active(native)
    const spans: (tracing.Span | null)[] = []
    const window = 2 * stream.concurrency
    let exhausted = false
    let fed = 0
    try {
      for (;;) {
        const batch: string[] = []
        while (!exhausted && queued.length + batch.length < window) {
          const step = await source.next()
          if (step.done) {
            exhausted = true
            break
          }
          const id = given ? given[fed] : (step.value as I)
          batch.push(given ? (step.value as string) : idString(step.value))
          queued.push(id as I)
          fed++
        }
        if (batch.length && otel) {
          const { spans: started, traces } = otel.startMany(this.#native, BY_CUSTOMER, batch)
          spans.push(...started)
          stream.feed(batch, traces)
        } else if (batch.length) {
          stream.feed(batch)
        }
        if (exhausted) stream.finish()
        if (queued.length === 0) return
        const outcomes = await stream.next()
        if (signal?.aborted) throw new APIUserAbortError('request was aborted')
        for (const o of outcomes) {
          const id = queued.shift() as I
          if (otel) otel.end(spans.shift() ?? null, o.span)
          yield o.ok ? { ok: true, id, customer: parse(o) } : { ok: false, id, error: errors.fromNative(o.error as Native.NativeError) }
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      stream.close()
      for (const span of spans) otel?.abandon(span)
      if (!exhausted) await source.return?.()
    }
  }

  /** Runs one operation with its arguments in the operation's order; a trailing `undefined` is left off. */
  protected _call<T>(operation: OperationId, args: (Id | undefined)[], options: RequestOptions = {}): APIPromise<T> {
    const run = async () => {
      checkOptions(options)
      const end = args.findIndex((a) => a === undefined)
      const keys = (end === -1 ? args : args.slice(0, end)).map((a) => idString(a))
      const call = callOptions(options)
      const otel = tracing.active(native)
      let started: [tracing.Span, Native.TraceArg] | null = null
      try {
        started = otel?.start(this.#native, operation, keys) ?? null
      } catch {
        // Bad arguments: the native call rejects them with the usual error, untraced.
      }
      if (started) call.trace = started[1]
      let outcome: Native.Outcome
      try {
        outcome = await this.#run(operation, keys, call, options.signal)
      } catch (e) {
        if (started) otel?.abandon(started[0])
        throw e
      }
      if (started) otel?.end(started[0], outcome.span)
      if (!outcome.ok) throw errors.fromNative(outcome.error as Native.NativeError)
      return { data: parse<T>(outcome), info: outcome.response as Native.ResponseInfo }
    }
    return new APIPromise(run())
  }

  /** Runs one native call; an abort of `signal` cancels it and rejects at once. */
  #run(operation: OperationId, keys: string[], call: Native.CallOptions, signal: AbortSignal | undefined): Promise<Native.Outcome> {
    if (signal === undefined || signal === null) return start(this.#native, operation, keys, call, false)[1]
    checkSignal(signal)
    const [callId, outcome] = start(this.#native, operation, keys, call, true)
    let onAbort = () => {}
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        this.#native.cancel(callId)
        reject(new APIUserAbortError('request was aborted'))
      }
      signal.addEventListener('abort', onAbort, { once: true })
    })
    return Promise.race([outcome, aborted]).finally(() => signal.removeEventListener('abort', onAbort))
  }

  /** What `JSON.stringify(client)` shows: the base URL, and whether a token is set (never the token). */
  toJSON(): {
    /** The API root. */
    baseUrl: string
    /** `'***'` when a token is set. */
    token: '***' | null
  } {
    return { baseUrl: this.baseUrl, token: this.#native.hasToken ? '***' : null }
  }

  /** What `console.log(client)` shows: the same as `toJSON()`. */
  [inspect.custom](): string {
    return `Client ${inspect(this.toJSON())}`
  }
}

/** `123` and `"123"` name the same id. */
export function sameId(a: FlexibleId | null | undefined, b: FlexibleId | null | undefined): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b)
}

// `enneo/testing`: the mock server built into enneo, for testing code that
// calls Enneo. enneo's requests are made in Rust, so nock, msw and undici's
// MockAgent cannot see them; run the mock instead, in-process.

import { readFileSync } from 'node:fs'

import type * as Native from '../native'
import { EnneoError, InvalidArgumentError } from './errors'
import { loadNative } from './load'

const native: typeof Native = loadNative()

/** Settings of `MockServer.start`. */
export interface MockServerOptions {
  /**
   * Customers as the API sends them (objects, or JSON text). Each is found
   * by its `id` and by each `contracts[].id`; other ids get 404. With none,
   * every id gets the spec's example customer.
   */
  customers?: Array<object | string>
  /** When set, requests must carry `Authorization: Bearer <token>` (else 401). */
  token?: string
  /** Port on 127.0.0.1; default: a free one. */
  port?: number
  /** PEM text or path of the certificate chain, to serve HTTPS (with `tlsKey`). */
  tlsCert?: string
  /** PEM text or path of the private key. */
  tlsKey?: string
  /** Requests a second the API allows, as a token bucket; beyond it, 429 with `Retry-After`. */
  rateLimit?: number
  /** The bucket's size: how many requests may arrive at once (default: a twentieth of a second's worth). */
  rateBurst?: number
  /** Also announce the limit in a `RateLimit-Policy` header. */
  rateLimitHeaders?: boolean
}

/** What the mock answered since it started or was cleared. */
export interface MockStats {
  /** API requests received (all of them; `requests()` keeps the last 10 000). */
  requests: number
  /** Of those, how many the rate limit refused with 429. */
  rateLimited: number
}

/** A request the mock received; header names are lowercase. */
export interface MockRequest {
  /** The HTTP method. */
  method: string
  /** The raw path, with the query. */
  path: string
  /** The request's headers, names lowercase. */
  headers: Record<string, string>
  /** When its head arrived, in milliseconds on a monotonic clock: for counting the requests that start in a window. */
  receivedMs: number
  /** The request body as text, as it arrived; absent without one. */
  body?: string | null
}

// Every error the SDK throws is an EnneoError, the mock's included.
function asInvalidArgument(e: unknown): never {
  if (e instanceof EnneoError) throw e
  throw new InvalidArgumentError(e instanceof Error ? e.message : String(e))
}

function asEnneoError(e: unknown): never {
  if (e instanceof EnneoError) throw e
  throw new EnneoError(e instanceof Error ? e.message : String(e))
}

function pem(source: string | undefined): string | undefined {
  if (source === undefined) return undefined
  return source.includes('-----BEGIN') ? source : readFileSync(source, 'utf8')
}

/**
 * The Enneo API mock on 127.0.0.1, in this process.
 *
 * ```js
 * const server = await MockServer.start({ customers: [{ id: 7, firstname: 'Ada' }], token: 't' })
 * const client = new Client({ baseUrl: server.baseUrl, token: server.token })
 * // ... exercise your code, read server.requests() ...
 * await server.close()
 * ```
 *
 * Faults: point a client at `server.faultBaseUrl('status=503;fail-first=1')`
 * (one 503, then success), `'delay=2000'`, `'malformed'`, `'truncate'`,
 * `'drop'` or `'status=429;retry-after=1'`.
 */
export class MockServer {
  #native: Native.NativeMock

  private constructor(server: Native.NativeMock) {
    this.#native = server
  }

  /** Starts a mock on 127.0.0.1 (a free port unless `port` is given) inside this process. */
  static async start(options: MockServerOptions = {}): Promise<MockServer> {
    try {
      const customers = (options.customers ?? []).map((c) => (typeof c === 'string' ? c : JSON.stringify(c)))
      const server = await native.startMock({
        customers,
        token: options.token,
        port: options.port,
        tlsCert: pem(options.tlsCert),
        tlsKey: pem(options.tlsKey),
        rateLimit: options.rateLimit,
        rateBurst: options.rateBurst,
        rateLimitHeaders: options.rateLimitHeaders,
      })
      return new MockServer(server)
    } catch (e) {
      return asInvalidArgument(e)
    }
  }

  /** `http://127.0.0.1:PORT/api/mind`: the `baseUrl` for clients. */
  get baseUrl(): string {
    return this.#native.baseUrl
  }

  /** `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.#native.url
  }

  /** The token requests must carry, when one was set. */
  get token(): string | undefined {
    return this.#native.token ?? undefined
  }

  /** A base URL whose every request gets the fault `spec`. */
  faultBaseUrl(spec: string): string {
    try {
      return this.#native.faultBaseUrl(spec)
    } catch (e) {
      return asInvalidArgument(e)
    }
  }

  /** The requests received, oldest first. */
  requests(): MockRequest[] {
    try {
      return this.#native.requests()
    } catch (e) {
      return asEnneoError(e)
    }
  }

  /** How many API requests arrived, and how many the rate limit refused. */
  stats(): MockStats {
    try {
      return this.#native.stats()
    } catch (e) {
      return asEnneoError(e)
    }
  }

  /** Forgets the requests received so far and resets `stats()`. */
  clearRequests(): void {
    try {
      this.#native.clearRequests()
    } catch (e) {
      asEnneoError(e)
    }
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await this.#native.close()
  }

  /** Stops the server: `await using server = await MockServer.start()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }
}

// Types of the `enneo` package. The model interfaces are generated from
// openapi.yaml (models.d.ts); this file declares the client and errors.

import type { Customer, FlexibleId } from './models'

export * from './models'

/** An id argument: a number (safe integer), a bigint or a string. */
export type Id = number | bigint | string

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
   * Caps the requests this client sends per second (retries included), with
   * bursts of up to one second's worth. Default: unlimited.
   */
  maxRequestsPerSecond?: number
}

export interface RequestOptions {
  /** Overrides the client's timeout for this call, in milliseconds. */
  timeout?: number
  /** Cancels the request; the promise rejects with `APIUserAbortError`. */
  signal?: AbortSignal
}

export interface BulkOptions extends RequestOptions {
  /** Lookups in flight at once (inside Rust). Default 16. */
  concurrency?: number
  /** Called after each lookup completes. */
  onProgress?: (done: number, total: number) => void
}

/**
 * One item of `getCustomers`. An id the core rejects before sending (empty,
 * control characters, too long) fails its own item with an
 * `InvalidArgumentError` (a `RangeError`), as the same id does in
 * `getCustomer`; every other failure is an `EnneoError`. Both carry `code`.
 */
export type BulkResult = { ok: true; customer: Customer } | { ok: false; error: EnneoError | InvalidArgumentError }

export interface StreamOptions extends RequestOptions {
  /** Lookups in flight at once. Default 16. */
  concurrency?: number
}

/** One item of `streamCustomers`: the id as given, with its customer or error. */
export type StreamResult<I = Id> =
  | { ok: true; id: I; customer: Customer }
  | { ok: false; id: I; error: EnneoError | InvalidArgumentError }

export declare class Client {
  constructor(options?: ClientOptions)
  /** The API root requests go to. */
  readonly baseUrl: string
  /** `GET /customer/byCustomerId/{id}` */
  getCustomer(id: Id, options?: RequestOptions): Promise<Customer>
  /** `GET /customer/byContractId/{id}` */
  getCustomerByContractId(id: Id, options?: RequestOptions): Promise<Customer>
  /** `GET /customer/byTicketId/{id}` */
  getCustomerByTicketId(id: Id, options?: RequestOptions): Promise<Customer>
  /** Many lookups with the concurrency in Rust; results in input order, one failure never loses the others. */
  getCustomers(ids: Iterable<Id>, options?: BulkOptions): Promise<BulkResult[]>
  /**
   * Lookups as an async iterable, in input order, at most `concurrency` in
   * flight; `ids` is read only as fast as results are taken, so memory stays
   * flat. Leaving the loop early or aborting `signal` stops the rest.
   */
  streamCustomers<I extends Id>(ids: Iterable<I> | AsyncIterable<I>, options?: StreamOptions): AsyncGenerator<StreamResult<I>, void, undefined>
  toJSON(): { baseUrl: string; token: '***' | null }
}

/** `123` and `"123"` name the same id. */
export declare function sameId(a: FlexibleId | null | undefined, b: FlexibleId | null | undefined): boolean

export type ErrorCode =
  | 'enneo_error'
  | 'api_status_error'
  | 'bad_request'
  | 'authentication_error'
  | 'permission_denied'
  | 'not_found'
  | 'request_timeout'
  | 'conflict'
  | 'unprocessable_entity'
  | 'rate_limited'
  | 'internal_server_error'
  | 'connection_error'
  | 'timeout'
  | 'aborted'
  | 'decode_error'
  | 'internal_error'

export declare class EnneoError extends Error {
  /** A stable machine-readable name of the kind of error. */
  readonly code: ErrorCode
}
export declare class APIStatusError extends EnneoError {
  /** The HTTP status. */
  readonly status: number
  /** The raw response body. */
  readonly body: string | undefined
  /** The server's request id, when it sent one. */
  readonly requestId: string | undefined
}
export declare class BadRequestError extends APIStatusError {}
export declare class AuthenticationError extends APIStatusError {}
export declare class PermissionDeniedError extends APIStatusError {}
export declare class NotFoundError extends APIStatusError {}
export declare class ConflictError extends APIStatusError {}
export declare class UnprocessableEntityError extends APIStatusError {}
export declare class RateLimitError extends APIStatusError {}
export declare class InternalServerError extends APIStatusError {}
export declare class APIConnectionError extends EnneoError {}
export declare class APITimeoutError extends APIConnectionError {}
export declare class APIUserAbortError extends EnneoError {}
/** An id or option rejected before anything was sent; a `RangeError`. */
export declare class InvalidArgumentError extends RangeError {
  readonly code: 'invalid_argument'
}
export declare class DecodeError extends EnneoError {
  readonly status: number
  /** The raw body as received (possibly truncated). */
  readonly body: string | undefined
}

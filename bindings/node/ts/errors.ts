// The error classes. Every class has a stable string `code`; status errors
// carry `status`, `body` and `requestId`. Which class an error gets is
// decided by the core's error record (`code`); this file only names them.

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
  | 'invalid_argument'

/** The error record the native addon hands over. */
export interface NativeErrorRecord {
  code: string
  message: string
  status?: number | null
  body?: string | null
  requestId?: string | null
  attempts?: number | null
}

// `code` lives on each class's prototype, so every instance of a class
// shares it and a subclass overrides it.
function setCode(cls: { prototype: object }, code: string): void {
  Object.defineProperty(cls.prototype, 'code', { value: code, writable: true, configurable: true })
}

/**
 * Base class of every error the SDK throws or rejects with, bad arguments
 * included, so that `e instanceof EnneoError` tells the SDK's errors apart.
 */
export class EnneoError extends Error {
  /** A stable machine-readable name of the kind of error. */
  declare readonly code: ErrorCode

  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}
setCode(EnneoError, 'enneo_error')

/** The server answered with an error status. */
export class APIStatusError extends EnneoError {
  /** The HTTP status. */
  readonly status: number
  /** The raw response body. */
  readonly body: string | undefined
  /** The server's request id, when it sent one. */
  readonly requestId: string | undefined

  constructor(message: string, details: { status: number; body?: string; requestId?: string }) {
    super(message)
    this.status = details.status
    this.body = details.body
    this.requestId = details.requestId
  }
}
setCode(APIStatusError, 'api_status_error')

export class BadRequestError extends APIStatusError {}
setCode(BadRequestError, 'bad_request')
export class AuthenticationError extends APIStatusError {}
setCode(AuthenticationError, 'authentication_error')
export class PermissionDeniedError extends APIStatusError {}
setCode(PermissionDeniedError, 'permission_denied')
export class NotFoundError extends APIStatusError {}
setCode(NotFoundError, 'not_found')
export class ConflictError extends APIStatusError {}
setCode(ConflictError, 'conflict')
export class UnprocessableEntityError extends APIStatusError {}
setCode(UnprocessableEntityError, 'unprocessable_entity')
export class RateLimitError extends APIStatusError {}
setCode(RateLimitError, 'rate_limited')
export class InternalServerError extends APIStatusError {}
setCode(InternalServerError, 'internal_server_error')

/** The server could not be reached, or the connection broke. */
export class APIConnectionError extends EnneoError {}
setCode(APIConnectionError, 'connection_error')

/** No complete response within the timeout. */
export class APITimeoutError extends APIConnectionError {}
setCode(APITimeoutError, 'timeout')

/** The caller aborted the request through its `signal`. */
export class APIUserAbortError extends EnneoError {}
setCode(APIUserAbortError, 'aborted')

/** The response arrived but was not the expected JSON. */
export class DecodeError extends EnneoError {
  readonly status: number
  /** The raw body as received (possibly truncated). */
  readonly body: string | undefined

  constructor(message: string, details: { status: number; body?: string }) {
    super(message)
    this.status = details.status
    this.body = details.body
  }
}
setCode(DecodeError, 'decode_error')

/**
 * An id or option rejected before anything was sent: a bad value or a value
 * of the wrong type. What a bulk call returns for an invalid id.
 */
export class InvalidArgumentError extends EnneoError {}
setCode(InvalidArgumentError, 'invalid_argument')

const BY_CODE: Record<string, typeof APIStatusError> = {
  bad_request: BadRequestError,
  authentication_error: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  unprocessable_entity: UnprocessableEntityError,
  rate_limited: RateLimitError,
  internal_server_error: InternalServerError,
  api_status_error: APIStatusError,
}

const orUndefined = <T>(v: T | null | undefined): T | undefined => v ?? undefined

/** The core's error record to an Error instance. */
export function fromNative(e: NativeErrorRecord): EnneoError {
  switch (e.code) {
    case 'timeout':
      return new APITimeoutError(e.message)
    case 'connection_error':
      return new APIConnectionError(e.message)
    case 'decode_error':
      return new DecodeError(e.message, { status: e.status ?? 0, body: orUndefined(e.body) })
    case 'aborted':
      return new APIUserAbortError(e.message)
    case 'invalid_argument':
      return new InvalidArgumentError(e.message)
  }
  if (e.status !== undefined && e.status !== null) {
    const Status = BY_CODE[e.code] ?? APIStatusError
    const err = new Status(e.message, { status: e.status, body: orUndefined(e.body), requestId: orUndefined(e.requestId) })
    // A status the core's table names without a class of its own (408).
    if (err.code !== e.code) (err as { code: string }).code = e.code
    return err
  }
  const err = new EnneoError(e.message)
  ;(err as { code: string }).code = e.code
  return err
}

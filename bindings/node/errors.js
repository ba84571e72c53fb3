'use strict'
// The error classes. Every class has a stable string `code`; status errors
// carry `status`, `body` and `requestId`.

class EnneoError extends Error {
  constructor(message, options) {
    super(message, options)
    this.name = new.target.name
  }
}
EnneoError.prototype.code = 'enneo_error'

class APIStatusError extends EnneoError {
  constructor(message, { status, body, requestId } = {}) {
    super(message)
    this.status = status
    this.body = body
    this.requestId = requestId
  }
}
APIStatusError.prototype.code = 'api_status_error'

const statusClass = (name, code) => {
  const cls = { [name]: class extends APIStatusError {} }[name]
  cls.prototype.code = code
  return cls
}
const BadRequestError = statusClass('BadRequestError', 'bad_request')
const AuthenticationError = statusClass('AuthenticationError', 'authentication_error')
const PermissionDeniedError = statusClass('PermissionDeniedError', 'permission_denied')
const NotFoundError = statusClass('NotFoundError', 'not_found')
const ConflictError = statusClass('ConflictError', 'conflict')
const UnprocessableEntityError = statusClass('UnprocessableEntityError', 'unprocessable_entity')
const RateLimitError = statusClass('RateLimitError', 'rate_limited')
const InternalServerError = statusClass('InternalServerError', 'internal_server_error')

class APIConnectionError extends EnneoError {}
APIConnectionError.prototype.code = 'connection_error'

class APITimeoutError extends APIConnectionError {}
APITimeoutError.prototype.code = 'timeout'

class APIUserAbortError extends EnneoError {}
APIUserAbortError.prototype.code = 'aborted'

class DecodeError extends EnneoError {
  constructor(message, { status, body } = {}) {
    super(message)
    this.status = status
    this.body = body
  }
}
DecodeError.prototype.code = 'decode_error'

/**
 * An id or option the core rejected before sending anything. A `RangeError`,
 * as JavaScript reports a bad value, with the same `code` field as every
 * `EnneoError`, so bulk results can be handled uniformly.
 */
class InvalidArgumentError extends RangeError {
  constructor(message) {
    super(message)
    this.name = 'InvalidArgumentError'
  }
}
InvalidArgumentError.prototype.code = 'invalid_argument'

const BY_CODE = {
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

/** The native side's error record to an Error instance. */
function fromNative(e) {
  switch (e.code) {
    case 'timeout':
      return new APITimeoutError(e.message)
    case 'connection_error':
      return new APIConnectionError(e.message)
    case 'decode_error':
      return new DecodeError(e.message, { status: e.status, body: e.body })
    case 'aborted':
      return new APIUserAbortError(e.message)
    case 'invalid_argument':
      return new InvalidArgumentError(e.message)
  }
  if (e.status !== undefined && e.status !== null) {
    const Status = BY_CODE[e.code] ?? APIStatusError
    const err = new Status(e.message, { status: e.status, body: e.body, requestId: e.requestId })
    // A status the core's table names without a class of its own (408).
    if (err.code !== e.code) err.code = e.code
    return err
  }
  const err = new EnneoError(e.message)
  err.code = e.code
  return err
}

module.exports = {
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
  fromNative,
}

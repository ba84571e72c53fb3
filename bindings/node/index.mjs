// ESM entry: the same classes as the CommonJS entry, so `instanceof` works
// across both.
import cjs from './index.js'

export const {
  Client,
  sameId,
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
} = cjs
export default cjs

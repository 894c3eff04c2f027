/**
 * Error codes every service and the gateway share. A service's own codes are declared in
 * its contract (`errors`); `ErrorCode` (registry.ts) is the union of all of them.
 *
 * WARNING: wire names.
 */
export const CommonErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  RateLimited: 'RATE_LIMITED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  Timeout: 'TIMEOUT',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL',
  /** A message whose tenant/actor context is unsigned, badly signed or stale: refused, never processed. */
  ContextRejected: 'CONTEXT_REJECTED',
} as const;

/** The gateway's own codes (HTTP concerns no service knows about). */
export const GatewayErrorCode = {
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyRequestInProgress: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
  /** 405: the path exists, the method does not (the Allow header lists those that do). */
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  /** 412: an If-Match names no current version of the resource. */
  PreconditionFailed: 'PRECONDITION_FAILED',
  /** 415: the body's content type is not one the route accepts. */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
} as const;

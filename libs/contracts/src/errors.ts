/**
 * Every error that crosses a service boundary has a code from this enum. The gateway
 * maps each code to an HTTP status in one exhaustive switch, so a new code does not
 * compile until it has a mapping.
 *
 * WARNING: wire names.
 */
export enum ErrorCode {
  // generic
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  RateLimited = 'RATE_LIMITED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  Timeout = 'TIMEOUT',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
  // gateway: idempotency keys
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyRequestInProgress = 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
  // accounts: identity
  InvalidCredentials = 'INVALID_CREDENTIALS',
  TenantSlugTaken = 'TENANT_SLUG_TAKEN',
  EmailTaken = 'EMAIL_TAKEN',
  LastAdmin = 'LAST_ADMIN',
  ApiKeyRevoked = 'API_KEY_REVOKED',
  // accounts: customers
  ExternalIdTaken = 'EXTERNAL_ID_TAKEN',
  StaleVersion = 'STALE_VERSION',
  ReportsToCycle = 'REPORTS_TO_CYCLE',
  AccountDeleted = 'ACCOUNT_DELETED',
  CurrencyMismatch = 'CURRENCY_MISMATCH',
  ImportClosed = 'IMPORT_CLOSED',
}

/** One broken rule on one field: `field` is a dotted path (`admin.email`, `items[3].name`). */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export interface ErrorDetails {
  errors?: FieldError[];
  [key: string]: unknown;
}

/** The serialisable shape of an error on the wire. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

/** A typed error that survives serialisation across NATS. */
export class StewardError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'StewardError';
  }

  toBody(): ErrorBody {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }

  static fromBody(body: ErrorBody): StewardError {
    return new StewardError(body.code, body.message, body.details);
  }

  static validation(errors: FieldError[], message = describeFieldErrors(errors)): StewardError {
    return new StewardError(ErrorCode.ValidationFailed, message, { errors });
  }

  static notFound(entity: string, id: string): StewardError {
    return new StewardError(ErrorCode.NotFound, `${entity} ${id} was not found`, { entity, id });
  }
}

export function describeFieldErrors(errors: FieldError[]): string {
  if (errors.length === 0) return 'The request is invalid';
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.field}: ${first.message}${more}`;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (Object.values(ErrorCode) as string[]).includes(value);
}

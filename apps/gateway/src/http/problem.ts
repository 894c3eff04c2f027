import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ErrorCode, FieldError, StewardError, isErrorCode } from '@steward/contracts';

/** RFC 9457 problem details, with Steward's stable `code` and per-field `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  errors?: FieldError[];
  correlationId?: string;
}

/**
 * The one place error codes become HTTP statuses. Exhaustive: the table's type demands a
 * status for every code of every service (`ErrorCode` is the union of the common, gateway
 * and service codes), so a new code does not compile until it is mapped here.
 */
export const HTTP_STATUS: { readonly [C in ErrorCode]: number } = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  API_KEY_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  TENANT_SLUG_TAKEN: 409,
  EMAIL_TAKEN: 409,
  LAST_ADMIN: 409,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 409,
  EXTERNAL_ID_TAKEN: 409,
  STALE_VERSION: 409,
  ACCOUNT_DELETED: 409,
  IMPORT_CLOSED: 409,
  TICKET_CLOSED: 409,
  TICKET_TRANSITION_NOT_ALLOWED: 409,
  REOPEN_WINDOW_PASSED: 409,
  NO_NEXT_STEP: 409,
  QUEUE_TAKEN: 409,
  RMA_TRANSITION_NOT_ALLOWED: 409,
  VOUCHER_NOT_REDEEMABLE: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  REPORTS_TO_CYCLE: 422,
  CURRENCY_MISMATCH: 422,
  CATALOG_CODE_TAKEN: 409,
  CATALOG_INVALID_STATE: 409,
  CATALOG_CURRENCY_MISMATCH: 422,
  USAGE_RECORD_CONFLICT: 409,
  KPI_READING_CONFLICT: 409,
  SETTLEMENT_NOT_POSSIBLE: 422,
  INVITATION_NOT_FOUND: 404,
  INVITATION_USED: 409,
  INVITATION_EXPIRED: 410,
  SURVEY_NOT_ACTIVE: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // The gateway signs every request it sends: a service refusing its signature is a key
  // mismatch between deployments, a server-side fault the client cannot fix.
  CONTEXT_REJECTED: 500,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
};

export function statusFor(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthenticated;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 405) return ErrorCode.MethodNotAllowed;
  if (status === 409) return ErrorCode.Conflict;
  if (status === 412) return ErrorCode.PreconditionFailed;
  if (status === 413) return ErrorCode.PayloadTooLarge;
  if (status === 415) return ErrorCode.UnsupportedMediaType;
  if (status === 429) return ErrorCode.RateLimited;
  if (status >= 500) return ErrorCode.Internal;
  return ErrorCode.ValidationFailed;
}

/**
 * The field and rule of a 4xx that did not name its own: every client error says what to
 * fix (RFC 9457 body with `errors[]`), whichever layer raised it (a guard, the router,
 * Fastify's body handling, a service).
 */
const DEFAULT_FIELD: Partial<Record<ErrorCode, Omit<FieldError, 'message'>>> = {
  UNAUTHENTICATED: { field: 'authorization', rule: 'authenticated' },
  INVALID_CREDENTIALS: { field: 'credentials', rule: 'valid' },
  API_KEY_REVOKED: { field: 'x-api-key', rule: 'active' },
  FORBIDDEN: { field: '(caller)', rule: 'permission' },
  NOT_FOUND: { field: 'path', rule: 'exists' },
  RATE_LIMITED: { field: '(caller)', rule: 'rate-limit' },
  PAYLOAD_TOO_LARGE: { field: '(body)', rule: 'max-size' },
  IDEMPOTENCY_KEY_REUSED: { field: 'Idempotency-Key', rule: 'same-request' },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: { field: 'Idempotency-Key', rule: 'in-progress' },
  METHOD_NOT_ALLOWED: { field: 'method', rule: 'allowed' },
  PRECONDITION_FAILED: { field: 'If-Match', rule: 'current-version' },
  UNSUPPORTED_MEDIA_TYPE: { field: 'content-type', rule: 'media-type' },
};
const DEFAULT_BY_STATUS: Partial<Record<number, Omit<FieldError, 'message'>>> = {
  405: { field: 'method', rule: 'allowed' },
  406: { field: 'accept', rule: 'media-type' },
  408: { field: '(request)', rule: 'timeout' },
  411: { field: 'content-length', rule: 'required' },
  414: { field: 'path', rule: 'max-length' },
  415: { field: 'content-type', rule: 'media-type' },
  431: { field: '(headers)', rule: 'max-size' },
};

function defaultErrors(status: number, code: ErrorCode, detail: string): FieldError[] {
  const d = DEFAULT_BY_STATUS[status] ?? DEFAULT_FIELD[code];
  if (d) return [{ ...d, message: detail }];
  if (/\bjson\b/i.test(detail)) return [{ field: '(body)', rule: /empty/i.test(detail) ? 'required' : 'json', message: detail }];
  return [{ field: '(request)', rule: code.toLowerCase().replace(/_/g, '-'), message: detail }];
}

function problem(status: number, code: ErrorCode, detail: string, errors?: FieldError[]): Problem {
  const named = errors && errors.length ? errors : status >= 400 && status < 500 ? defaultErrors(status, code, detail) : undefined;
  return {
    type: `https://steward.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(named ? { errors: named } : {}),
  };
}

/** Maps anything thrown while serving a request to a problem. Internals never leak. */
export function toProblem(err: unknown, correlationId: string): Problem {
  if (err instanceof StewardError) {
    const status = statusFor(err.code);
    const detail = status >= 500 && err.code === ErrorCode.Internal ? `An internal error occurred (reference ${correlationId})` : err.message;
    return problem(status, err.code, detail, err.details?.errors);
  }
  if (err instanceof ThrottlerException) return problem(429, ErrorCode.RateLimited, 'Too many requests: slow down and retry after the time in Retry-After');
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse() as { code?: unknown; message?: unknown };
    const code = isErrorCode(body?.code) ? body.code : codeForStatus(status);
    const message = typeof body === 'string' ? body : Array.isArray(body?.message) ? body.message.join('; ') : String(body?.message ?? err.message);
    return problem(status, code, message);
  }
  // Fastify raises its own errors (invalid JSON, body too large, bad content type) with a statusCode.
  const fst = err as { statusCode?: number; code?: string; message?: string };
  if (typeof fst?.statusCode === 'number' && fst.statusCode >= 400 && fst.statusCode < 500) {
    return problem(fst.statusCode, codeForStatus(fst.statusCode), fst.message ?? 'Bad request');
  }
  return problem(500, ErrorCode.Internal, `An internal error occurred (reference ${correlationId})`);
}

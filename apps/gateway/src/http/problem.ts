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
 * The one place remote error codes become HTTP statuses. Exhaustive: a new ErrorCode
 * does not compile until it is mapped here.
 */
export function statusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.ApiKeyRevoked:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
    case ErrorCode.TenantSlugTaken:
    case ErrorCode.EmailTaken:
    case ErrorCode.LastAdmin:
    case ErrorCode.IdempotencyRequestInProgress:
    case ErrorCode.ExternalIdTaken:
    case ErrorCode.StaleVersion:
    case ErrorCode.AccountDeleted:
    case ErrorCode.ImportClosed:
      return 409;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.ReportsToCycle:
    case ErrorCode.CurrencyMismatch:
      return 422;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.Internal:
      return 500;
    case ErrorCode.ServiceUnavailable:
      return 503;
    case ErrorCode.Timeout:
      return 504;
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
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
  if (status === 409) return ErrorCode.Conflict;
  if (status === 413) return ErrorCode.PayloadTooLarge;
  if (status === 429) return ErrorCode.RateLimited;
  if (status >= 500) return ErrorCode.Internal;
  return ErrorCode.ValidationFailed;
}

function problem(status: number, code: ErrorCode, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `https://steward.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
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
    const errors = fst.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(fst.message ?? '') ? [{ field: '(body)', rule: 'json', message: 'is not valid JSON' }] : undefined;
    return problem(fst.statusCode, codeForStatus(fst.statusCode), fst.message ?? 'Bad request', errors);
  }
  return problem(500, ErrorCode.Internal, `An internal error occurred (reference ${correlationId})`);
}

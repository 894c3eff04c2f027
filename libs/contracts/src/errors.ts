import { ErrorCode } from './registry';

export { ErrorCode };

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

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

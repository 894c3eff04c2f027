import type { CheckCodes } from '@steward/domain-kernel';

/**
 * Why an accounts computation refused its input. String values so the code survives
 * JSON transport unchanged (a service sends `{ code, message, details }`).
 */
export enum AccountsErrorCode {
  /** Not the expected JSON type (array, object, string, boolean, number). */
  InvalidType = 'ACCOUNTS_INVALID_TYPE',
  /** A value of the right type outside its allowed set or range (threshold 1.5, tier 4, empty id…). */
  OutOfRange = 'ACCOUNTS_OUT_OF_RANGE',
  /** Revenue that is not a safe integer (minor units are whole numbers). */
  NotSafeInteger = 'ACCOUNTS_NOT_SAFE_INTEGER',
  /** A timestamp that is not ISO 8601 with a zone (or names a day that does not exist). */
  InvalidTimestamp = 'ACCOUNTS_INVALID_TIMESTAMP',
  /** The same account or contact id twice in one batch. */
  DuplicateId = 'ACCOUNTS_DUPLICATE_ID',
  /** A revenue total that no longer fits a safe integer. */
  Overflow = 'ACCOUNTS_OVERFLOW',
  /** Stored reporting lines that loop (A reports to B reports to A). */
  ReportsToCycle = 'ACCOUNTS_REPORTS_TO_CYCLE',
}

/**
 * How the kernel's checks report failures in this library's codes. Every error is a
 * `DomainError` from `@steward/domain-kernel` carrying one of the codes above.
 */
export const CHECK_CODES = {
  type: AccountsErrorCode.InvalidType,
  value: AccountsErrorCode.OutOfRange,
  integer: AccountsErrorCode.NotSafeInteger,
  instant: AccountsErrorCode.InvalidTimestamp,
} as const satisfies CheckCodes;

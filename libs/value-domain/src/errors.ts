import type { CheckCodes } from '@steward/domain-kernel';

/** Why a value-domain input was rejected. Wire-stable: services forward `code` as-is. */
export enum ValueDomainErrorCode {
  /** Not the expected JSON type (number, string, object, array). */
  InvalidType = 'INVALID_TYPE',
  /** NaN or ±Infinity where a finite number is required. */
  NotFinite = 'NOT_FINITE',
  /** A number outside its documented range (rates outside [0, 1], negative counts…). */
  OutOfRange = 'OUT_OF_RANGE',
  /** Money or a count that is not a safe integer (minor units are whole numbers). */
  NotSafeInteger = 'NOT_SAFE_INTEGER',
  /** A distribution (e.g. `resolutionMix`) that does not sum to 1. */
  NotNormalised = 'NOT_NORMALISED',
  /** Weights that are negative or sum to zero. */
  InvalidWeights = 'INVALID_WEIGHTS',
  /** Outcome-contract bands that are unordered, overlapping or straddle zero. */
  InvalidBands = 'INVALID_BANDS',
  /** A floor equal to its target, or band thresholds in the wrong order. */
  InvalidTarget = 'INVALID_TARGET',
  /** A timestamp that is not ISO 8601 with a zone, or out of order. */
  InvalidTimestamp = 'INVALID_TIMESTAMP',
  /** The same account id twice in one batch. */
  DuplicateId = 'DUPLICATE_ID',
  /** A key the function does not know (usually a typo that would silently do nothing). */
  UnknownField = 'UNKNOWN_FIELD',
  /** Two options given where exactly one is allowed, or neither where one is required. */
  Conflict = 'CONFLICT',
  /** A money result that no longer fits a safe integer. */
  Overflow = 'OVERFLOW',
}

/**
 * How the kernel's checks report failures in this library's codes. Every error is a
 * `DomainError` from `@steward/domain-kernel` carrying one of the codes above.
 */
export const CHECK_CODES = {
  type: ValueDomainErrorCode.InvalidType,
  value: ValueDomainErrorCode.OutOfRange,
  finite: ValueDomainErrorCode.NotFinite,
  integer: ValueDomainErrorCode.NotSafeInteger,
  unknownKey: ValueDomainErrorCode.UnknownField,
  instant: ValueDomainErrorCode.InvalidTimestamp,
} as const satisfies CheckCodes;

import type { CheckCodes } from '@steward/domain-kernel';

/** Why a catalog-domain input was rejected. Wire-stable: services forward `code` as the rule name. */
export enum CatalogDomainErrorCode {
  /** Not the expected JSON type (number, string, object, array). */
  InvalidType = 'INVALID_TYPE',
  /** NaN or ±Infinity where a finite number is required. */
  NotFinite = 'NOT_FINITE',
  /** A number outside its documented range, or a value outside its set. */
  OutOfRange = 'OUT_OF_RANGE',
  /** Money or a count that is not a safe integer (minor units are whole numbers). */
  NotSafeInteger = 'NOT_SAFE_INTEGER',
  /** A key the function does not know (usually a typo that would silently do nothing). */
  UnknownField = 'UNKNOWN_FIELD',
  /** A timestamp that is not ISO 8601 with a zone, or instants out of order. */
  InvalidTimestamp = 'INVALID_TIMESTAMP',
  /** Not an active ISO 4217 currency code. */
  InvalidCurrency = 'INVALID_CURRENCY',
  /** Amounts in different currencies combined. */
  CurrencyMismatch = 'CURRENCY_MISMATCH',
  /** Usage tiers that are unordered, empty, or not open-ended at the top. */
  InvalidTiers = 'INVALID_TIERS',
  /** A unit price with more decimals than a millionth of a minor unit. */
  TooPrecise = 'TOO_PRECISE',
  /** A settlement period key that is not `YYYY-MM`, `YYYY-Qn` or `YYYY` for its unit. */
  InvalidPeriod = 'INVALID_PERIOD',
  /** A bundle discount larger than what it discounts, or given twice. */
  InvalidDiscount = 'INVALID_DISCOUNT',
  /** A KPI with no reading in the period (nothing to settle on). */
  NoReadings = 'NO_READINGS',
  /** Two options given where exactly one is allowed, or neither where one is required. */
  Conflict = 'CONFLICT',
  /** A money result that no longer fits a safe integer. */
  Overflow = 'OVERFLOW',
}

/** How the kernel's checks report failures in this library's codes. */
export const CHECK_CODES = {
  type: CatalogDomainErrorCode.InvalidType,
  value: CatalogDomainErrorCode.OutOfRange,
  finite: CatalogDomainErrorCode.NotFinite,
  integer: CatalogDomainErrorCode.NotSafeInteger,
  unknownKey: CatalogDomainErrorCode.UnknownField,
  instant: CatalogDomainErrorCode.InvalidTimestamp,
} as const satisfies CheckCodes;

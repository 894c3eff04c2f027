/** The ways a kernel check can fail; a library maps each to one of its own error codes. */
export type CheckFailure = 'type' | 'value' | 'finite' | 'integer' | 'unknownKey' | 'instant';

/**
 * The code(s) a check throws: one code for every failure, or a table with a code per
 * failure. In a table only `type` is required; a missing entry falls back to `value`,
 * then to `type`, except `finite` (NaN, ±Infinity), which falls back to the check the
 * number fails (`value` for a range, `integer` for an integer).
 *
 * ```ts
 * const CODES = { type: Code.InvalidType, value: Code.OutOfRange, integer: Code.NotSafeInteger } as const;
 * assertRange(input.rate, 0, 1, 'rate', CODES);
 * assertArray(input.scores, 'scores', Code.InvalidInput);
 * ```
 */
export type CheckCodes = string | CheckCodeTable;

export interface CheckCodeTable {
  /** Not the expected JSON type (object, array, string, boolean, number). */
  readonly type: string;
  /** The right type, but outside the allowed range or set, blank, too small. */
  readonly value?: string;
  readonly finite?: string;
  /** Not an integer, or not a safe one. */
  readonly integer?: string;
  /** An object key the check does not know. */
  readonly unknownKey?: string;
  /** A string that is not an ISO 8601 instant with a zone. */
  readonly instant?: string;
}

/** The code `codes` names for `failure` (see {@link CheckCodes} for the fallbacks). */
export function codeFor(codes: CheckCodes, failure: CheckFailure, otherwise: CheckFailure = 'value'): string {
  if (typeof codes === 'string') return codes;
  return codes[failure] ?? codes[otherwise] ?? codes.value ?? codes.type;
}

import { codeFor, type CheckCodes } from './check-codes';
import { fail } from './domain-error';

// Number guards. The type is checked first, then finiteness, then the range, then
// integrality, so the code names the first thing wrong with the value.

export function assertNumber(value: unknown, field: string, codes: CheckCodes): asserts value is number {
  if (typeof value !== 'number') fail(codeFor(codes, 'type'), field, 'must be a number');
}

/** A number other than NaN and ±Infinity. */
export function assertFinite(value: unknown, field: string, codes: CheckCodes): asserts value is number {
  assertNumber(value, field, codes);
  if (!Number.isFinite(value)) fail(codeFor(codes, 'finite'), field, 'must be finite');
}

/** A finite number in [min, max] (inclusive). */
export function assertRange(value: unknown, min: number, max: number, field: string, codes: CheckCodes): asserts value is number {
  assertFinite(value, field, codes);
  if (value < min || value > max) fail(codeFor(codes, 'value'), field, `must be in [${min}, ${max}], got ${value}`);
}

/** An integer in [min, max]: a score on a scale, a count of whole days. `details` carries min, max and the value. */
export function assertIntegerInRange(value: unknown, min: number, max: number, field: string, codes: CheckCodes): asserts value is number {
  const failure =
    typeof value !== 'number' ? 'type' : !Number.isFinite(value) ? 'finite' : value < min || value > max ? 'value' : !Number.isInteger(value) ? 'integer' : null;
  if (failure !== null) fail(codeFor(codes, failure), field, `must be an integer from ${min} to ${max}, got ${String(value)}`, { min, max, value });
}

function safeInteger(value: unknown, field: string, codes: CheckCodes, min: number, what: string): asserts value is number {
  assertNumber(value, field, codes);
  if (!Number.isFinite(value)) fail(codeFor(codes, 'finite', 'integer'), field, 'must be finite');
  if (!Number.isSafeInteger(value)) fail(codeFor(codes, 'integer'), field, `must be ${what}, got ${value}`);
  if (value < min) fail(codeFor(codes, 'value'), field, `must be at least ${min}, got ${value}`);
}

/** A safe integer (|n| ≤ 2^53 − 1), at least `min`: a count, an index. */
export function assertSafeInteger(value: unknown, field: string, codes: CheckCodes, min = Number.MIN_SAFE_INTEGER): asserts value is number {
  safeInteger(value, field, codes, min, 'a safe integer');
}

/** Money in integer minor units (cents, fen…): a safe integer, at least `min`. */
export function assertMinorUnits(value: unknown, field: string, codes: CheckCodes, min = Number.MIN_SAFE_INTEGER): asserts value is number {
  safeInteger(value, field, codes, min, 'a safe integer (minor units)');
}

import { ValueDomainError, ValueDomainErrorCode as Code } from './errors';

// Shared guards. Every public function validates its whole input before computing,
// so a bad field is reported by its path instead of surfacing as NaN downstream.

export function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

export function assertObject(value: unknown, field: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValueDomainError(Code.InvalidType, field, 'must be an object');
  }
}

export function assertArray(value: unknown, field: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new ValueDomainError(Code.InvalidType, field, 'must be an array');
}

export function assertKnownKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ValueDomainError(Code.UnknownField, join(field, key), 'is not a known field');
  }
}

export function assertFinite(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number') throw new ValueDomainError(Code.InvalidType, field, 'must be a number');
  if (!Number.isFinite(value)) throw new ValueDomainError(Code.NotFinite, field, 'must be finite');
}

/** A finite number in [min, max] (inclusive). */
export function assertRange(value: unknown, min: number, max: number, field: string): asserts value is number {
  assertFinite(value, field);
  if (value < min || value > max) throw new ValueDomainError(Code.OutOfRange, field, `must be in [${min}, ${max}], got ${value}`);
}

/** A rate: a finite number in [0, 1]. */
export function assertRate(value: unknown, field: string): asserts value is number {
  assertRange(value, 0, 1, field);
}

/** Money in minor units: a safe integer, at least `min`. */
export function assertMoney(value: unknown, field: string, min = Number.MIN_SAFE_INTEGER): asserts value is number {
  assertFinite(value, field);
  if (!Number.isSafeInteger(value)) throw new ValueDomainError(Code.NotSafeInteger, field, 'must be a safe integer (minor units)');
  if (value < min) throw new ValueDomainError(Code.OutOfRange, field, `must be at least ${min}, got ${value}`);
}

/** A count of things: a non-negative safe integer. */
export function assertCount(value: unknown, field: string): asserts value is number {
  assertMoney(value, field, 0);
}

/**
 * Validates non-negative weights with a positive sum (missing keys count as 0, unknown
 * keys are rejected). Returns the raw weights and their sum: callers divide by the
 * weight present, so a weighted mean of equal scores is exactly that score.
 */
export function validateWeights<K extends string>(weights: unknown, keys: readonly K[], field: string): { raw: Record<K, number>; sum: number } {
  assertObject(weights, field);
  assertKnownKeys(weights, keys, field);
  let sum = 0;
  const raw = {} as Record<K, number>;
  for (const key of keys) {
    const w = weights[key] ?? 0;
    assertFinite(w, join(field, key));
    if (w < 0) throw new ValueDomainError(Code.InvalidWeights, join(field, key), `must not be negative, got ${w}`);
    raw[key] = w;
    sum += w;
  }
  if (!(sum > 0)) throw new ValueDomainError(Code.InvalidWeights, field, 'must sum to more than 0');
  return { raw, sum };
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 timestamp with an explicit zone; returns epoch milliseconds. */
export function parseTimestamp(value: unknown, field: string): number {
  if (typeof value !== 'string') throw new ValueDomainError(Code.InvalidType, field, 'must be an ISO 8601 string');
  const ms = Date.parse(value);
  if (!ISO_WITH_ZONE.test(value) || Number.isNaN(ms)) {
    throw new ValueDomainError(Code.InvalidTimestamp, field, `must be ISO 8601 with a zone (e.g. 2025-01-31T09:00:00Z), got ${value}`);
  }
  return ms;
}

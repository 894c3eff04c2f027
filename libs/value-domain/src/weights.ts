import { assertFinite, assertKnownKeys, assertObject, fail, fieldPath } from '@steward/domain-kernel';
import { CHECK_CODES, ValueDomainErrorCode as Code } from './errors';

/**
 * Validates non-negative weights with a positive sum (missing keys count as 0, unknown
 * keys are rejected). Returns the raw weights and their sum: callers divide by the
 * weight present, so a weighted mean of equal scores is exactly that score.
 */
export function validateWeights<K extends string>(weights: unknown, keys: readonly K[], field: string): { raw: Record<K, number>; sum: number } {
  assertObject(weights, field, CHECK_CODES);
  assertKnownKeys(weights, keys, field, CHECK_CODES);
  let sum = 0;
  const raw = {} as Record<K, number>;
  for (const key of keys) {
    const w = weights[key] ?? 0;
    assertFinite(w, fieldPath(field, key), CHECK_CODES);
    if (w < 0) fail(Code.InvalidWeights, fieldPath(field, key), `must not be negative, got ${w}`);
    raw[key] = w;
    sum += w;
  }
  if (!(sum > 0)) fail(Code.InvalidWeights, field, 'must sum to more than 0');
  return { raw, sum };
}

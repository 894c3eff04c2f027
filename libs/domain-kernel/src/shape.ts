import { codeFor, type CheckCodes } from './check-codes';
import { fail } from './domain-error';

// Type and shape guards. Each throws a DomainError naming `field`, with the code the
// calling library chose for that kind of failure.

/** `prefix.key`, or `key` alone at the root (`''`). */
export function fieldPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** A plain object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertObject(value: unknown, field: string, codes: CheckCodes): asserts value is Record<string, unknown> {
  if (!isRecord(value)) fail(codeFor(codes, 'type'), field, 'must be an object');
}

export function assertArray(value: unknown, field: string, codes: CheckCodes): asserts value is unknown[] {
  if (!Array.isArray(value)) fail(codeFor(codes, 'type'), field, 'must be an array');
}

export function assertBoolean(value: unknown, field: string, codes: CheckCodes): asserts value is boolean {
  if (typeof value !== 'boolean') fail(codeFor(codes, 'type'), field, 'must be a boolean');
}

export function assertString(value: unknown, field: string, codes: CheckCodes): asserts value is string {
  if (typeof value !== 'string') fail(codeFor(codes, 'type'), field, 'must be a string');
}

export function assertNullableString(value: unknown, field: string, codes: CheckCodes): asserts value is string | null {
  if (value !== null && typeof value !== 'string') fail(codeFor(codes, 'type'), field, 'must be a string or null');
}

/** A string with at least one non-blank character (ids, names, reasons). */
export function assertNonBlank(value: unknown, field: string, codes: CheckCodes): asserts value is string {
  assertString(value, field, codes);
  if (value.trim() === '') fail(codeFor(codes, 'value'), field, 'must not be blank');
}

/** One of `allowed` (compared with `===`): a vocabulary value, a tier, a mode. */
export function assertOneOf<const T extends string | number | boolean>(value: unknown, allowed: readonly T[], field: string, codes: CheckCodes): asserts value is T {
  if (!allowed.includes(value as T)) {
    fail(codeFor(codes, 'value'), field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}`);
  }
}

/** The keys of `object` that `allowed` does not name, in key order. */
export function unknownKeys(object: Readonly<Record<string, unknown>>, allowed: readonly string[]): string[] {
  return Object.keys(object).filter((key) => !allowed.includes(key));
}

/** Refuses the first key `allowed` does not name (usually a typo that would silently do nothing). */
export function assertKnownKeys(object: Readonly<Record<string, unknown>>, allowed: readonly string[], field: string, codes: CheckCodes): void {
  const [key] = unknownKeys(object, allowed);
  if (key !== undefined) fail(codeFor(codes, 'unknownKey'), fieldPath(field, key), 'is not a known field');
}

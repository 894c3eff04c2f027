import { AccountsDomainError, AccountsErrorCode as Code } from './errors';

// Shared guards. Every public function validates its whole input before computing,
// so a bad field is reported by its path instead of surfacing as a wrong tier.

export function assertArray(value: unknown, field: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new AccountsDomainError(Code.InvalidType, field, 'must be an array');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertObject(value: unknown, field: string): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new AccountsDomainError(Code.InvalidType, field, 'must be an object');
}

export function assertBoolean(value: unknown, field: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new AccountsDomainError(Code.InvalidType, field, 'must be a boolean');
}

export function assertString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw new AccountsDomainError(Code.InvalidType, field, 'must be a string');
}

/** A string with at least one non-blank character (ids, names, override reasons). */
export function assertNonBlank(value: unknown, field: string): asserts value is string {
  assertString(value, field);
  if (value.trim() === '') throw new AccountsDomainError(Code.OutOfRange, field, 'must not be blank');
}

export function assertNullableString(value: unknown, field: string): asserts value is string | null {
  if (value !== null) assertString(value, field);
}

export function assertOneOf<T extends string | number>(value: unknown, allowed: readonly T[], field: string): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new AccountsDomainError(Code.OutOfRange, field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}`);
  }
}

const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with an explicit zone; returns epoch milliseconds. */
export function parseInstant(value: unknown, field: string): number {
  if (typeof value !== 'string') throw new AccountsDomainError(Code.InvalidType, field, 'must be an ISO 8601 string');
  const match = ISO_WITH_ZONE.exec(value);
  const ms = Date.parse(value);
  // V8 accepts 2025-02-30 (rolling it into March); a day past the month's end is refused here.
  const daysInMonth = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate() : 0;
  if (!match || Number.isNaN(ms) || Number(match[3]) > daysInMonth) {
    throw new AccountsDomainError(Code.InvalidTimestamp, field, `must be ISO 8601 with a zone (e.g. 2025-01-31T09:00:00Z), got ${value}`);
  }
  return ms;
}

import { fail, SupportDomainErrorCode } from './errors';

// An instant must name its offset: a bare local time is ambiguous across zones and DST.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with `Z` or an explicit offset, e.g. `2026-03-27T08:00:00Z`. */
export type Instant = string;

/** Parses an ISO instant to epoch milliseconds, or throws INVALID_INSTANT naming `field`. */
export function parseInstant(value: unknown, field: string): number {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) {
    return fail(SupportDomainErrorCode.InvalidInstant, field, `expected an ISO 8601 instant with Z or an offset, got ${JSON.stringify(value)}`);
  }
  const ms = Date.parse(value);
  // The pattern lets through impossible dates such as month 13; Date.parse rejects those.
  if (Number.isNaN(ms)) return fail(SupportDomainErrorCode.InvalidInstant, field, `not a real instant: ${value}`);
  return ms;
}

/** Epoch milliseconds to the canonical UTC form, e.g. `2026-03-27T08:00:00.000Z`. */
export function formatInstant(ms: number): Instant {
  return new Date(ms).toISOString();
}

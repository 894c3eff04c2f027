import { fail, SupportDomainErrorCode } from './errors';

// An instant must name its offset: a bare local time is ambiguous across zones and DST.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** An ISO 8601 instant with `Z` or an explicit offset, e.g. `2026-03-27T08:00:00Z`. */
export type Instant = string;

/** Parses an ISO instant to epoch milliseconds, or throws INVALID_INSTANT naming `field`. */
export function parseInstant(value: unknown, field: string): number {
  const m = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  if (m === null) {
    return fail(SupportDomainErrorCode.InvalidInstant, field, `expected an ISO 8601 instant with Z or an offset, got ${JSON.stringify(value)}`);
  }
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((x) => Number(x ?? 0));
  // Date.parse rolls 2026-02-30 over to March 2: check the fields before trusting it.
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) {
    return fail(SupportDomainErrorCode.InvalidInstant, field, `not a real instant: ${String(value)}`);
  }
  const ms = Date.parse(m[0]);
  return ms;
}

/** Epoch milliseconds to the canonical UTC form, e.g. `2026-03-27T08:00:00.000Z`. */
export function formatInstant(ms: number): Instant {
  return new Date(ms).toISOString();
}

import { fail, SupportDomainErrorCode } from './errors';

/** An ISO 8601 instant with `Z` or an explicit offset, e.g. `2026-03-27T08:00:00Z`. */
export type Instant = string;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Hand-rolled instead of a regex + Date.parse: instants are parsed on every SLA call and this
// was the hot spot of the benchmark. Returns NaN for anything malformed.
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

function parse(s: string): number {
  // YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)
  if (s.length < 17 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':') return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  let p = 16;
  let sec = 0;
  let ms = 0;
  if (s[p] === ':') {
    sec = digits(s, p + 1, 2);
    p += 3;
    if (s[p] === '.') {
      let n = 0;
      while (n < 3 && p + 1 + n < s.length && s.charCodeAt(p + 1 + n) >= 48 && s.charCodeAt(p + 1 + n) <= 57) n++;
      if (n === 0) return NaN;
      ms = digits(s, p + 1, n) * (n === 1 ? 100 : n === 2 ? 10 : 1);
      p += 1 + n;
    }
  }
  let offset = 0;
  if (s[p] === 'Z' && p + 1 === s.length) {
    offset = 0;
  } else if ((s[p] === '+' || s[p] === '-') && p + 6 === s.length && s[p + 3] === ':') {
    const oh = digits(s, p + 1, 2);
    const om = digits(s, p + 4, 2);
    if (!(oh <= 23 && om <= 59)) return NaN;
    offset = (s[p] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  } else {
    return NaN;
  }
  // NaN fails every comparison, so a non-digit anywhere lands here too.
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && sec <= 59)) return NaN;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + ms - offset;
}

/** Parses an ISO instant to epoch milliseconds, or throws INVALID_INSTANT naming `field`. */
export function parseInstant(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? parse(value) : NaN;
  if (Number.isNaN(ms)) {
    return fail(SupportDomainErrorCode.InvalidInstant, field, `expected a real ISO 8601 instant with Z or an offset (YYYY-MM-DDTHH:MM[:SS[.fff]]Z), got ${JSON.stringify(value)}`);
  }
  return ms;
}

/** Epoch milliseconds to the canonical UTC form, e.g. `2026-03-27T08:00:00.000Z`. */
export function formatInstant(ms: number): Instant {
  return new Date(ms).toISOString();
}

import { codeFor, type CheckCodes } from './check-codes';
import { fail } from './domain-error';

const DAY_MS = 86_400_000;

export interface InstantOptions {
  /**
   * The most fraction-of-second digits accepted; default: any number. Digits past the
   * millisecond are truncated, as `Date.parse` does.
   */
  maxFractionDigits?: number;
}

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

function isDigit(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return c >= 48 && c <= 57;
}

// Hand-rolled instead of a regex + Date.parse: SLA clocks parse instants on every call and
// this was the hot spot of the support benchmark. NaN for anything malformed.
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Epoch milliseconds of an ISO 8601 instant `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM)` on a
 * real calendar day (no 30 February, no hour 24), or NaN when `text` is anything else.
 */
export function instantMs(text: string, options?: InstantOptions): number {
  const s = text;
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
      while (p + 1 + n < s.length && isDigit(s, p + 1 + n)) n++;
      if (n === 0 || n > (options?.maxFractionDigits ?? Infinity)) return NaN;
      const kept = Math.min(n, 3);
      ms = digits(s, p + 1, kept) * (kept === 1 ? 100 : kept === 2 ? 10 : 1);
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

/**
 * Parses an ISO 8601 instant with `Z` or an offset (see {@link instantMs}) to epoch
 * milliseconds; a non-string fails as `type`, a malformed string as `instant`.
 */
export function parseInstant(value: unknown, field: string, codes: CheckCodes, options?: InstantOptions): number {
  if (typeof value !== 'string') return fail(codeFor(codes, 'type'), field, 'must be an ISO 8601 string');
  const ms = instantMs(value, options);
  if (Number.isNaN(ms)) return fail(codeFor(codes, 'instant'), field, `must be ISO 8601 with a zone (e.g. 2025-01-31T09:00:00Z), got ${value}`);
  return ms;
}

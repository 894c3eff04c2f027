import { fail, parseInstant } from '@steward/domain-kernel';
import { CatalogDomainErrorCode as Code, CHECK_CODES } from './errors';

/** A subscription's term (billing period, renewal unit). WARNING: wire values. */
export const TERM_UNITS = ['month', 'year'] as const;
export type TermUnit = (typeof TERM_UNITS)[number];

/** An outcome contract's settlement period (calendar, UTC). WARNING: wire values. */
export const SETTLEMENT_UNITS = ['month', 'quarter', 'year'] as const;
export type SettlementUnit = (typeof SETTLEMENT_UNITS)[number];

const MONTHS_OF: Record<TermUnit | SettlementUnit, number> = { month: 1, quarter: 3, year: 12 };

const daysIn = (y: number, m0: number): number => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/** Milliseconds of an ISO 8601 instant with a zone (throws naming `field`). */
export function instant(value: unknown, field: string): number {
  return parseInstant(value, field, CHECK_CODES);
}

/**
 * `anchor` moved by `n` months (UTC), keeping the anchor's day of month and time of day,
 * clamped to the month's last day: from 31 January, one month is 28 (or 29) February and two
 * months are 31 March (the anchor's day comes back; clamping never drifts).
 */
export function addMonths(anchorMs: number, n: number): number {
  const a = new Date(anchorMs);
  const total = a.getUTCFullYear() * 12 + a.getUTCMonth() + n;
  const y = Math.floor(total / 12);
  const m0 = total - y * 12;
  const d = Math.min(a.getUTCDate(), daysIn(y, m0));
  return Date.UTC(y, m0, d, a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds(), a.getUTCMilliseconds());
}

/** The end of term `index` (0 = the first) of a subscription anchored at `anchorMs`. */
export function termEnd(anchorMs: number, unit: TermUnit, index: number): number {
  return addMonths(anchorMs, MONTHS_OF[unit] * (index + 1));
}

/** The term [start, end) that contains `atMs` (the first term if `atMs` precedes the anchor). */
export function termContaining(anchorMs: number, unit: TermUnit, atMs: number): { index: number; start: number; end: number } {
  const step = MONTHS_OF[unit];
  const a = new Date(anchorMs);
  const b = new Date(atMs);
  let index = Math.max(0, Math.floor(((b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth()) / step) - 1);
  while (addMonths(anchorMs, step * (index + 1)) <= atMs) index++;
  return { index, start: addMonths(anchorMs, step * index), end: addMonths(anchorMs, step * (index + 1)) };
}

/** Terms per year: 12 for monthly, 4 quarterly, 1 yearly. */
export function perYear(unit: TermUnit | SettlementUnit): number {
  return 12 / MONTHS_OF[unit];
}

export interface CalendarPeriod {
  key: string;
  unit: SettlementUnit;
  /** ISO instants, UTC midnight; `end` exclusive. */
  start: string;
  end: string;
}

const KEY: Record<SettlementUnit, RegExp> = {
  month: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarter: /^(\d{4})-Q([1-4])$/,
  year: /^(\d{4})$/,
};
const EXAMPLE: Record<SettlementUnit, string> = { month: '2026-03', quarter: '2026-Q1', year: '2026' };

/** A calendar settlement period from its key: `2026-03` (month), `2026-Q1` (quarter), `2026` (year). */
export function calendarPeriod(key: unknown, unit: SettlementUnit, field = 'period'): CalendarPeriod {
  const m = typeof key === 'string' ? KEY[unit].exec(key) : null;
  if (!m) return fail(Code.InvalidPeriod, field, `must be a ${unit} like ${EXAMPLE[unit]}, got ${JSON.stringify(key)}`);
  const y = Number(m[1]);
  if (y < 2000 || y > 2200) return fail(Code.InvalidPeriod, field, `year must be in 2000..2200, got ${y}`);
  const firstMonth = unit === 'month' ? Number(m[2]) - 1 : unit === 'quarter' ? (Number(m[2]) - 1) * 3 : 0;
  const start = Date.UTC(y, firstMonth, 1);
  const end = Date.UTC(y, firstMonth + MONTHS_OF[unit], 1);
  return { key: key as string, unit, start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

/** The key of the calendar period of `unit` containing `atMs`. */
export function periodKeyOf(atMs: number, unit: SettlementUnit): string {
  const d = new Date(atMs);
  const y = d.getUTCFullYear();
  if (unit === 'year') return String(y);
  if (unit === 'quarter') return `${y}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  return `${y}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

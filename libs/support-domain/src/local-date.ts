import { fail } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME = /^(\d{2}):(\d{2})$/;

/** Day number (days since 1970-01-01) of a `YYYY-MM-DD` local date, or throws INVALID_DATE. */
export function parseLocalDate(value: unknown, field: string): number {
  const m = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
  if (!m) return fail(SupportDomainErrorCode.InvalidDate, field, `expected YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC silently rolls 2026-02-30 over to March: round-trip to catch it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    return fail(SupportDomainErrorCode.InvalidDate, field, `no such date: ${String(value)}`);
  }
  return ms / DAY_MS;
}

/** Milliseconds after local midnight of a `HH:MM` time; `24:00` is allowed as an end of day. */
export function parseWallTime(value: unknown, field: string): number {
  const m = typeof value === 'string' ? WALL_TIME.exec(value) : null;
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!m || min > 59 || h > 24 || (h === 24 && min !== 0)) {
    return fail(SupportDomainErrorCode.InvalidTime, field, `expected HH:MM between 00:00 and 24:00, got ${JSON.stringify(value)}`);
  }
  return h * HOUR_MS + min * MINUTE_MS;
}

/** 0 = Sunday ... 6 = Saturday for a day number (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `MM-DD` of a yearly recurring date as month * 100 + day (12-25 → 1225), or throws INVALID_DATE. Feb 29 is allowed (it recurs in leap years only). */
export function parseMonthDay(value: unknown, field: string): number {
  const m = typeof value === 'string' ? MONTH_DAY.exec(value) : null;
  const mo = m ? Number(m[1]) : NaN;
  const d = m ? Number(m[2]) : NaN;
  if (!m || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]) return fail(SupportDomainErrorCode.InvalidDate, field, `expected YYYY-MM-DD or a yearly MM-DD, got ${JSON.stringify(value)}`);
  return mo * 100 + d;
}

/** month * 100 + day of a day number (1970-01-01 = day 0). */
export function monthDayOfDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

import fc from 'fast-check';
import type { CheckCodes } from './check-codes';
import { daysFromCivil, instantMs, parseInstant } from './instant';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('instantMs', () => {
  it.each([
    ['Z with seconds', '2026-03-27T08:00:00Z', '2026-03-27T08:00:00.000Z'],
    ['no seconds', '2026-03-27T08:00Z', '2026-03-27T08:00:00.000Z'],
    ['milliseconds', '2026-03-27T08:00:00.123Z', '2026-03-27T08:00:00.123Z'],
    ['one fraction digit = 100 ms', '2026-03-27T08:00:00.1Z', '2026-03-27T08:00:00.100Z'],
    ['microseconds are truncated to the millisecond, as Date.parse does', '2026-03-27T08:00:00.123999+00:00', '2026-03-27T08:00:00.123Z'],
    ['positive offset: 10:00+02:00 = 08:00Z', '2026-03-27T10:00:00+02:00', '2026-03-27T08:00:00.000Z'],
    ['negative offset: 03:00−05:00 = 08:00Z', '2026-03-27T03:00-05:00', '2026-03-27T08:00:00.000Z'],
    ['half-hour offset crossing midnight', '2026-03-01T00:15:00+05:30', '2026-02-28T18:45:00.000Z'],
    ['leap day 2028', '2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['leap day 2000 (divisible by 400)', '2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['before 1970', '1969-12-31T23:59:59Z', '1969-12-31T23:59:59.000Z'],
  ])('%s', (_name, text, expected) => {
    expect(iso(instantMs(text))).toBe(expected);
  });

  it.each([
    ['no offset', '2026-03-27T08:00:00'],
    ['space instead of T', '2026-03-27 08:00:00Z'],
    ['30 February', '2026-02-30T08:00:00Z'],
    ['29 February 2026', '2026-02-29T08:00:00Z'],
    ['29 February 2100 (not a leap year)', '2100-02-29T08:00:00Z'],
    ['31 April', '2026-04-31T08:00:00Z'],
    ['month 13', '2026-13-01T08:00:00Z'],
    ['day 0', '2026-01-00T08:00:00Z'],
    ['hour 24', '2026-03-27T24:00:00Z'],
    ['minute 60', '2026-03-27T08:60:00Z'],
    ['second 60', '2026-03-27T08:00:60Z'],
    ['empty fraction', '2026-03-27T08:00:00.Z'],
    ['offset hour 24', '2026-03-27T08:00:00+24:00'],
    ['offset minute 60', '2026-03-27T08:00:00+01:60'],
    ['offset without colon', '2026-03-27T08:00:00+0100'],
    ['lower-case z', '2026-03-27T08:00:00z'],
    ['letters in the year', '20x6-03-27T08:00:00Z'],
    ['trailing text', '2026-03-27T08:00:00Zz'],
    ['a date only', '2026-03-27'],
    ['empty', ''],
  ])('NaN for %s', (_name, text) => {
    expect(instantMs(text)).toBeNaN();
  });

  it.each([
    ['three digits with a limit of 3', '2026-03-27T08:00:00.123Z', 3, '2026-03-27T08:00:00.123Z'],
    ['four digits with a limit of 3', '2026-03-27T08:00:00.1234Z', 3, null],
    ['nine digits without a limit', '2026-03-27T08:00:00.123456789Z', undefined, '2026-03-27T08:00:00.123Z'],
  ])('maxFractionDigits: %s', (_name, text, maxFractionDigits, expected) => {
    const ms = instantMs(text, { maxFractionDigits });
    if (expected === null) expect(ms).toBeNaN();
    else expect(iso(ms)).toBe(expected);
  });

  it('agrees with Date.parse on every valid instant (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (date, offsetMin) => {
        const local = new Date(date.getTime() + offsetMin * 60_000).toISOString().slice(0, 23);
        const sign = offsetMin < 0 ? '-' : '+';
        const abs = Math.abs(offsetMin);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        expect(instantMs(text)).toBe(Date.parse(text));
      }),
    );
  });
});

describe('daysFromCivil', () => {
  it.each([
    [1970, 1, 1, 0],
    [1969, 12, 31, -1],
    [2000, 3, 1, 11_017],
    [2026, 3, 27, 20_539],
  ])('%i-%i-%i is day %i', (y, m, d, day) => {
    expect(daysFromCivil(y, m, d)).toBe(day);
    expect(daysFromCivil(y, m, d)).toBe(Date.UTC(y, m - 1, d) / 86_400_000);
  });
});

describe('parseInstant', () => {
  const CODES: CheckCodes = { type: 'INVALID_TYPE', value: 'OUT_OF_RANGE', instant: 'INVALID_TIMESTAMP' };
  it('returns epoch milliseconds', () => {
    expect(parseInstant('2026-03-01T13:00:00+02:00', 'expiresAt', CODES)).toBe(Date.parse('2026-03-01T11:00:00Z'));
  });

  it.each<[string, unknown, CheckCodes, { code: string; message: string }]>([
    ['a number fails as a type', 1_774_598_400_000, CODES, { code: 'INVALID_TYPE', message: 'at: must be an ISO 8601 string' }],
    ['a wall-clock time without zone', '2026-04-01T00:00:00', CODES, { code: 'INVALID_TIMESTAMP', message: 'at: must be ISO 8601 with a zone (e.g. 2025-01-31T09:00:00Z), got 2026-04-01T00:00:00' }],
    ['30 February', '2026-02-30T00:00:00Z', CODES, { code: 'INVALID_TIMESTAMP', message: 'at: must be ISO 8601 with a zone (e.g. 2025-01-31T09:00:00Z), got 2026-02-30T00:00:00Z' }],
    ['one code for both failures', 5, 'INVALID_INSTANT', { code: 'INVALID_INSTANT', message: 'at: must be an ISO 8601 string' }],
  ])('%s', (_name, value, codes, error) => {
    expect(() => parseInstant(value, 'at', codes)).toThrow(expect.objectContaining({ name: 'DomainError', field: 'at', ...error }));
  });

  it('passes the fraction limit on', () => {
    expect(() => parseInstant('2026-03-27T08:00:00.1234Z', 'at', 'INVALID_INSTANT', { maxFractionDigits: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_INSTANT' }));
  });
});

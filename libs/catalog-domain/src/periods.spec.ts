import { CatalogDomainErrorCode as Code } from './errors';
import { addMonths, calendarPeriod, periodKeyOf, termContaining } from './periods';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('terms and calendar periods (UTC)', () => {
  it.each([
    ['31 Jan + 1 month = 28 Feb 2026 (clamped)', '2026-01-31T09:00:00.000Z', 1, '2026-02-28T09:00:00.000Z'],
    ['31 Jan + 2 months = 31 Mar (the anchor day comes back)', '2026-01-31T09:00:00.000Z', 2, '2026-03-31T09:00:00.000Z'],
    ['31 Jan 2028 + 1 month = 29 Feb (leap year)', '2028-01-31T00:00:00.000Z', 1, '2028-02-29T00:00:00.000Z'],
    ['29 Feb 2028 + 12 months = 28 Feb 2029', '2028-02-29T00:00:00.000Z', 12, '2029-02-28T00:00:00.000Z'],
    ['15 Nov + 3 months = 15 Feb next year', '2026-11-15T00:00:00.000Z', 3, '2027-02-15T00:00:00.000Z'],
  ])('%s', (_name, anchor, n, expected) => {
    expect(iso(addMonths(ms(anchor), n))).toBe(expected);
  });

  it('finds the monthly term of 10 April for a subscription anchored on 31 January: [31 Mar, 30 Apr), index 2', () => {
    const t = termContaining(ms('2026-01-31T00:00:00Z'), 'month', ms('2026-04-10T00:00:00Z'));
    expect([t.index, iso(t.start), iso(t.end)]).toEqual([2, '2026-03-31T00:00:00.000Z', '2026-04-30T00:00:00.000Z']);
  });

  it('a term end belongs to the next term: 1 May 00:00 of a subscription anchored on 1 April is term 1', () => {
    expect(termContaining(ms('2026-04-01T00:00:00Z'), 'month', ms('2026-05-01T00:00:00Z')).index).toBe(1);
  });

  it.each([
    ['2026-03', 'month', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2026-Q4', 'quarter', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026', 'year', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ] as const)('period %s (%s) is [%s, %s)', (key, unit, start, end) => {
    expect(calendarPeriod(key, unit)).toEqual({ key, unit, start, end });
  });

  it.each([
    ['2026-13', 'month'],
    ['2026-Q5', 'quarter'],
    ['2026-03', 'quarter'],
    ['1999', 'year'],
  ] as const)('refuses %s as a %s', (key, unit) => {
    expect(() => calendarPeriod(key, unit)).toThrow(expect.objectContaining({ code: Code.InvalidPeriod, field: 'period' }));
  });

  it('names the period of an instant: 2026-05-17 is 2026-05, 2026-Q2, 2026', () => {
    const t = ms('2026-05-17T13:00:00Z');
    expect([periodKeyOf(t, 'month'), periodKeyOf(t, 'quarter'), periodKeyOf(t, 'year')]).toEqual(['2026-05', '2026-Q2', '2026']);
  });
});
